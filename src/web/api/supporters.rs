//! Visible clicks and notes in the JSON API: the click's optional body, changing one's mind
//! (`PUT /api/v1/things/{id}/click`) and a creator's supporters (`GET /api/v1/me/supporters`).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::auth::ApiUser;
use super::json::{MAX_BODY_BYTES, parse_object};
use crate::domain::click_note::{NoteChoice, NoteInputError};
use crate::use_cases::supporters;
use crate::web::error::{AppError, ErrorCode};
use crate::web::params::{MonthQuery, month_param, parse_id};
use crate::web::state::AppState;

/// `{visibility?, note?}`; both optional on a click, visibility required on a change.
#[derive(Deserialize, Default)]
pub struct NoteBody {
    visibility: Option<String>,
    note: Option<String>,
}

/// A click's optional body: none (existing clients send none, with no content type) means a
/// private click without a note. Checked before the click, so a bad note writes nothing.
pub fn click_choice(body: &[u8]) -> Result<NoteChoice, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(NoteChoice::default());
    }
    if body.len() > MAX_BODY_BYTES {
        return Err(ErrorCode::InvalidJson.into());
    }
    let body: NoteBody = parse_object(body)?;
    Ok(NoteChoice::parse(
        body.visibility.as_deref(),
        body.note.as_deref(),
    )?)
}

/// `PUT /api/v1/things/{id}/click?month=YYYY-MM`: who sees the click, and its note. Allowed in
/// closed months too: it changes only what is shown.
pub async fn change(
    state: web::Data<AppState>,
    api: ApiUser,
    path: web::Path<String>,
    query: web::Query<MonthQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let thing = parse_id(&path)?;
    let month = month_param(&state, query.month.as_deref())?;
    let body: NoteBody = parse_object(&body)?;
    let visibility = body
        .visibility
        .as_deref()
        .ok_or(NoteInputError::InvalidVisibility)?;
    let choice = NoteChoice::parse(Some(visibility), body.note.as_deref())?;
    let now = state.clock.now();
    let saved = choice.clone();
    api.run(&state, move |conn, reader| {
        Ok(supporters::choose(
            conn,
            reader.user_id(),
            thing,
            month,
            &saved,
            now,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "thing_id": thing.0,
        "month": month.to_string(),
        "visibility": choice.visibility.as_str(),
        "note": choice.note.as_ref().map(|n| n.as_str()),
    })))
}

/// `GET /api/v1/me/supporters?month=YYYY-MM`: the clicks on the caller's things that their
/// readers showed to the creator or everyone; never a reader's id or address.
pub async fn list(
    state: web::Data<AppState>,
    api: ApiUser,
    query: web::Query<MonthQuery>,
) -> Result<HttpResponse, AppError> {
    let month = month_param(&state, query.month.as_deref())?;
    let shown = api
        .run(&state, move |conn, owner| {
            Ok(supporters::supporters(conn, owner.user_id(), month)?)
        })
        .await?;
    let items: Vec<_> = shown
        .iter()
        .map(|s| {
            serde_json::json!({
                "display_name": s.display_name,
                "note": s.note,
                "thing_id": s.thing_id,
                "visibility": s.visibility.as_str(),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "month": month.to_string(),
        "supporters": items,
    })))
}
