//! Things and clicks in the JSON API (contract: PRODUCT.md).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::auth::ApiUser;
use super::json::JsonObject;
use super::supporters;
use crate::domain::thing::ThingInput;
use crate::domain::{Locale, Month};
use crate::use_cases::{self, clicks, things};
pub use crate::web::button::{Button, button_in};
use crate::web::db;
use crate::web::error::AppError;
use crate::web::limits::check;
use crate::web::listing::ListQuery;
use crate::web::params::{MonthQuery, month_param, parse_id};
use crate::web::state::AppState;

#[derive(Deserialize)]
pub struct NewThing {
    #[serde(default)]
    url: String,
    #[serde(default)]
    title: String,
    description: Option<String>,
    category: Option<String>,
    language: Option<String>,
}

pub async fn create(
    state: web::Data<AppState>,
    api: ApiUser,
    JsonObject(body): JsonObject<NewThing>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let thing = api
        .run(&state, move |conn, owner| {
            // Without a language, the account's own.
            let locale = owner.locale();
            let owner = owner.user_id();
            let input = ThingInput::parse(
                &body.url,
                &body.title,
                body.description.as_deref(),
                body.category.as_deref(),
                body.language.as_deref(),
                locale.content_language(),
            )?;
            Ok(things::add(conn, owner, &input, now)?)
        })
        .await?;
    let id = thing.thing_id();
    Ok(HttpResponse::Created().json(serde_json::json!({
        "id": thing.id,
        "url": thing.url,
        "title": thing.title,
        "button": button_in(
            &state.settings.base_url,
            id,
            &thing.title,
            Locale::of_content(&thing.language)
        ),
    })))
}

pub const PER_PAGE: i64 = 20;

/// Public listing and search; without `lang`, every language.
pub async fn list(
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let listing = query.listing(None, PER_PAGE)?;
    let (items, total) = db::list_things(&state, listing).await?;
    let items: Vec<_> = items
        .into_iter()
        .map(|t| {
            serde_json::json!({
                "id": t.id, "url": t.url, "title": t.title, "language": t.language,
                "category": t.category, "clicks_this_month": t.clicks_this_month,
                "creator": {"name": t.creator_name, "handle": t.creator_handle},
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "items": items,
        "total": total.count,
        "total_exact": !total.more,
    })))
}

pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(&path)?;
    let month = state.clock.month();
    let (thing, clicks, subscribers) = db::run(&state, move |conn| {
        let (thing, clicks) = things::public_with_clicks(conn, id, month)?;
        let subscribers = crate::models::subscriptions::count_for_thing(conn, id)?;
        Ok((thing, clicks, subscribers))
    })
    .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "id": thing.id, "url": thing.url, "title": thing.title, "owner_id": thing.owner_id,
        "clicks_this_month": clicks,
        "claimed": thing.site_id.is_some(),
        "subscribers": subscribers,
    })))
}

/// The hot path: the reader comes from memory and the click's write checks the token. The
/// optional body (who sees the click, a note) is checked first and, when it says more than
/// "private", written once the click is: a crash between the two leaves the click private.
pub async fn click(
    state: web::Data<AppState>,
    api: ApiUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(&path)?;
    let choice = supporters::click_choice(&body)?;
    let reader = api.claimed();
    check(&state.limits.click_by_user, &reader.0)?;
    let now = state.clock.now();
    let clicked = db::click(&state, reader, id, now, Some(api.token)).await?;
    state.clicked(id);
    if !choice.is_default() {
        let month = clicked.month;
        db::write(&state, move |conn| {
            Ok(use_cases::supporters::choose(
                conn, reader, id, month, &choice, now,
            )?)
        })
        .await?;
    }
    Ok(
        HttpResponse::build(StatusCode::CREATED).json(serde_json::json!({
            "month": clicked.month.to_string(),
            "click_value": clicked.click_value.to_api_string(),
        })),
    )
}

pub async fn unclick(
    state: web::Data<AppState>,
    api: ApiUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(&path)?;
    let reader = api.claimed();
    check(&state.limits.click_by_user, &reader.0)?;
    let now = state.clock.now();
    let month = Month::containing(now, state.clock.zone());
    db::write(&state, move |conn| {
        db::check_token(conn, Some(&api.token), reader)?;
        Ok(clicks::undo_in(conn, reader, id, month, now)?)
    })
    .await?;
    state.metrics.undo();
    state.clicked(id);
    Ok(HttpResponse::NoContent().finish())
}

pub async fn my_clicks(
    state: web::Data<AppState>,
    api: ApiUser,
    query: web::Query<MonthQuery>,
) -> Result<HttpResponse, AppError> {
    let month = month_param(&state, query.month.as_deref())?;
    let (view, choices) = api
        .run(&state, move |conn, reader| {
            let view = clicks::month_clicks(conn, reader.user_id(), month)?;
            let choices = use_cases::supporters::choices_of(conn, reader.user_id(), month)?;
            Ok((view, choices))
        })
        .await?;
    let items: Vec<_> = view
        .things
        .iter()
        .map(|c| {
            let choice = choices.iter().find(|n| n.thing_id == c.thing_id);
            serde_json::json!({
                "thing_id": c.thing_id,
                "title": c.title,
                "via": c.via.as_str(),
                "visibility": choice.map_or("private", |n| n.visibility.as_str()),
                "note": choice.and_then(|n| n.note.as_deref()),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "month": month.to_string(),
        "budget": view.budget.map(|b| b.to_api_string()),
        "click_value": view.click_value.map(|v| v.to_api_string()),
        "clicks": items,
    })))
}
