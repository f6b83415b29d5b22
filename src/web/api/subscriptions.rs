//! `/api/v1/me/subscriptions`: the things the server clicks for a reader every month
//! (PRODUCT.md flow 9).

use actix_web::{HttpResponse, web};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::auth::ApiUser;
use super::json::JsonObject;
use crate::domain::ThingId;
use crate::models::subscriptions::Subscribed;
use crate::use_cases::subscriptions;
use crate::web::error::{AppError, ErrorCode};
use crate::web::params::parse_id;
use crate::web::state::AppState;

#[derive(Deserialize)]
pub struct NewSubscription {
    thing_id: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct Item {
    thing_id: i64,
    title: String,
    since: String,
}

fn since(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339()
}

/// The thing's id, as a number or a string of digits.
fn thing_of(body: &NewSubscription) -> Result<ThingId, AppError> {
    let id = match &body.thing_id {
        Some(serde_json::Value::Number(n)) => n.as_i64(),
        Some(serde_json::Value::String(s)) => s.parse::<i64>().ok(),
        _ => None,
    };
    match id {
        Some(id) if id > 0 => Ok(ThingId(id)),
        // An id that cannot exist: nothing to subscribe to.
        Some(_) => Err(AppError::User(ErrorCode::NotFound)),
        None => Err(AppError::User(ErrorCode::InvalidJson)),
    }
}

pub async fn create(
    state: web::Data<AppState>,
    api: ApiUser,
    JsonObject(body): JsonObject<NewSubscription>,
) -> Result<HttpResponse, AppError> {
    let thing = thing_of(&body)?;
    let now = state.clock.now();
    let zone = state.clock.zone();
    let (subscribed, taken) = api
        .run(&state, move |conn, user| {
            Ok(subscriptions::subscribe_in(
                conn,
                user.user_id(),
                thing,
                now,
                zone,
            )?)
        })
        .await?;
    state.subscription_taken(thing, taken);
    Ok(HttpResponse::Created().json(serde_json::json!({
        "thing_id": subscribed.thing_id,
        "since": since(subscribed.since),
    })))
}

pub async fn list(state: web::Data<AppState>, api: ApiUser) -> Result<HttpResponse, AppError> {
    let rows: Vec<Subscribed> = api
        .run(&state, move |conn, user| {
            Ok(subscriptions::list(conn, user.user_id())?)
        })
        .await?;
    let items: Vec<Item> = rows
        .into_iter()
        .map(|s| Item {
            thing_id: s.thing_id,
            title: s.title,
            since: since(s.since),
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items })))
}

pub async fn cancel(
    state: web::Data<AppState>,
    api: ApiUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let thing = parse_id(&path)?;
    api.run(&state, move |conn, user| {
        Ok(subscriptions::cancel(conn, user.user_id(), thing)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
