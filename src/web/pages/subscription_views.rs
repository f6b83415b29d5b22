//! What the pages show of subscriptions: the thing page's "every month" box and the reader's
//! list on "my clicks". Apart from the forms (`subscriptions.rs`), which answer a refusal
//! with the thing page, so that the thing page can show the box without a circle.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::domain::{Locale, ThingId, UserId};
use crate::models::subscriptions as rows;
use crate::use_cases::subscriptions;
use crate::web::db;
use crate::web::error::AppError;
use crate::web::page::Page;

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
