//! Subscriptions on the pages: the thing page's "every month" box and its two forms, and the
//! reader's list on "my clicks".

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::domain::{Locale, ThingId, UserId};
use crate::models::subscriptions as rows;
use crate::use_cases::subscriptions::{self, Taken};
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::page::Page;
use crate::web::params::parse_id;
use crate::web::session::check_csrf;

/// A subscription's date as the pages show it.
pub fn date(locale: Locale, at: NaiveDateTime) -> String {
    match locale {
        Locale::Fr => at.format("%d/%m/%Y").to_string(),
        Locale::En => at.format("%Y-%m-%d").to_string(),
    }
}

/// The thing page's box: whether the reader subscribes (since when) and what was just done.
#[derive(Serialize)]
pub struct SubscriptionBox {
    since: Option<String>,
    notice: Option<&'static str>,
}

/// The box for `reader` on `thing`'s page; `asked` is what the address says was just done,
/// shown only when the reader's state bears it out.
pub async fn thing_box(
    page: &Page,
    reader: UserId,
    thing: ThingId,
    asked: Option<&'static str>,
) -> Result<SubscriptionBox, AppError> {
    let found = db::run(&page.state, move |conn| {
        Ok(rows::of_reader(conn, reader)?
            .into_iter()
            .find(|s| s.thing_id == thing.0))
    })
    .await?;
    let since = found.map(|s| date(page.locale, s.since));
    let notice = match asked {
        Some("subscribed") if since.is_some() => asked,
        Some("unsubscribed") if since.is_none() => asked,
        _ => None,
    };
    Ok(SubscriptionBox { since, notice })
}

/// One of the reader's subscriptions on "my clicks".
#[derive(Serialize)]
pub struct Line {
    id: i64,
    title: String,
    since: String,
}

/// The reader's subscriptions, for "my clicks".
pub async fn list(page: &Page, reader: UserId) -> Result<Vec<Line>, AppError> {
    let found = db::run(&page.state, move |conn| {
        Ok(subscriptions::list(conn, reader)?)
    })
    .await?;
    Ok(found
        .into_iter()
        .map(|s| Line {
            id: s.thing_id,
            title: s.title,
            since: date(page.locale, s.since),
        })
        .collect())
}

#[derive(Deserialize)]
pub struct SubscriptionForm {
    csrf_token: Option<String>,
    /// `clicks` when the form is on "my clicks", which it then returns to.
    back: Option<String>,
}

/// `POST /t/{id}/subscribe`. A refusal shows the thing page again with the reason.
pub async fn subscribe(
    page: Page,
    path: web::Path<String>,
    form: web::Form<SubscriptionForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let thing = parse_id(&path)?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let reader = viewer.user_id();
    let now = page.state.clock.now();
    let outcome = db::run(&page.state, move |conn| {
        Ok(subscriptions::subscribe(conn, reader, thing, now)?)
    })
    .await;
    match outcome {
        Ok((_, taken)) => {
            if taken == Taken::Clicked {
                page.state.clicked(thing);
            }
            Ok(see_other(format!(
                "/t/{}?subscribed=1#subscription",
                thing.0
            )))
        }
        Err(AppError::User(code)) if code != ErrorCode::NotFound => {
            super::thing::refused(&page, &path, code).await
        }
        Err(other) => Err(other),
    }
}

/// `POST /t/{id}/unsubscribe`: this month's click stays.
pub async fn unsubscribe(
    page: Page,
    path: web::Path<String>,
    form: web::Form<SubscriptionForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let thing = parse_id(&path)?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let reader = viewer.user_id();
    db::run(&page.state, move |conn| {
        Ok(subscriptions::cancel(conn, reader, thing)?)
    })
    .await?;
    Ok(see_other(if form.back.as_deref() == Some("clicks") {
        "/clicks#subscriptions".to_owned()
    } else {
        format!("/t/{}?unsubscribed=1#subscription", thing.0)
    }))
}

fn see_other(to: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}
