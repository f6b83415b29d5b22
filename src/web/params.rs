//! Parameters that pages and the API read alike: a thing id from a path, a month from a query.

use serde::Deserialize;

use super::error::{AppError, ErrorCode};
use super::state::AppState;
use crate::domain::{Month, ThingId};

/// An id from a path: anything that is not a positive number is something that does not
/// exist (404), never a 400 or a 500.
pub fn positive_id(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(AppError::User(ErrorCode::NotFound))
}

/// A thing id from a path (see [`positive_id`]).
pub fn parse_id(text: &str) -> Result<ThingId, AppError> {
    positive_id(text).map(ThingId)
}

#[derive(Deserialize)]
pub struct MonthQuery {
    pub month: Option<String>,
}

/// The `month` query parameter, defaulting to the current month.
pub fn month_param(state: &AppState, month: Option<&str>) -> Result<Month, AppError> {
    match month.map(str::trim).filter(|m| !m.is_empty()) {
        None => Ok(Month::containing(state.clock.now())),
        Some(text) => Month::parse(text).map_err(|_| AppError::User(ErrorCode::InvalidMonth)),
    }
}
