//! Parameters that pages and the API read alike: a thing id from a path, a month or a year
//! from a query.

use serde::Deserialize;

use super::error::{AppError, ErrorCode};
use super::state::AppState;
use crate::domain::{Month, ThingId, Year};

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
        None => Ok(state.clock.month()),
        Some(text) => Month::parse(text).map_err(|_| AppError::User(ErrorCode::InvalidMonth)),
    }
}

/// A statement's period: `?month=YYYY-MM` or `?year=YYYY`.
#[derive(Deserialize)]
pub struct PeriodQuery {
    pub month: Option<String>,
    pub year: Option<String>,
}

/// The `year` query parameter of a statement, if one is given: four digits, from 2000 to 2099
/// (`invalid_year`). A `year` asks for the year's statement, whatever month a valid `month`
/// names (the API's document says so: it cannot state that two parameters exclude each
/// other); a `month` that is no month is still refused (`invalid_month`).
pub fn year_param(
    state: &AppState,
    month: Option<&str>,
    year: Option<&str>,
) -> Result<Option<Year>, AppError> {
    let Some(year) = year else {
        return Ok(None);
    };
    month_param(state, month)?;
    Year::parse(year.trim())
        .map(Some)
        .map_err(|_| AppError::User(ErrorCode::InvalidYear))
}
