//! `GET /api/v1/me/export`: everything Obole holds about the caller, as JSON
//! (`use_cases::export`).

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use super::auth::ApiUser;
use crate::use_cases::export;
use crate::web::error::{AppError, ErrorCode};
use crate::web::state::AppState;

pub async fn export(state: web::Data<AppState>, api: ApiUser) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let archive = api
        .run(&state, move |conn, user| {
            export::archive(conn, user.user_id(), now)?
                .ok_or(AppError::User(ErrorCode::Unauthorized))
        })
        .await?;
    Ok(HttpResponse::Ok()
        // Personal data: never kept by a shared cache, and saved as a file by browsers.
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"obole-export-{}.json\"",
                now.format("%Y-%m-%d")
            ),
        ))
        .json(archive))
}
