//! `GET /healthz`: 200 when the database answers, 503 otherwise (for load balancers).

use actix_web::{HttpResponse, web};

use super::db;
use super::error::{AppError, ErrorCode};
use super::state::AppState;
use crate::db::backend;

pub async fn check(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let answer = db::run(&state, |conn| {
        backend::ping(conn)?;
        Ok(backend::name(conn))
    })
    .await;
    match answer {
        Ok(database) => Ok(HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .json(serde_json::json!({ "status": "ok", "database": database }))),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            Err(AppError::User(ErrorCode::Unavailable))
        }
    }
}
