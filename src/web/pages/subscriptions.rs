//! Subscriptions' two forms on the pages (`/t/{id}/subscribe`, `/t/{id}/unsubscribe`); what the
//! pages show of them is in `subscription_views.rs`.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::use_cases::subscriptions;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::page::Page;
use crate::web::params::parse_id;
use crate::web::session::check_csrf;

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
    let zone = page.state.clock.zone();
    let outcome = db::run(&page.state, move |conn| {
        Ok(subscriptions::subscribe_in(conn, reader, thing, now, zone)?)
    })
    .await;
    match outcome {
        Ok((_, taken)) => {
            page.state.subscription_taken(thing, taken);
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
