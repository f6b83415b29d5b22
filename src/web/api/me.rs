//! `GET /api/v1/me`.

use actix_web::HttpResponse;
use serde::Serialize;

use super::auth::ApiUser;
use crate::domain::Money;
use crate::web::error::AppError;

#[derive(Serialize)]
struct Me {
    id: i64,
    email: String,
    display_name: String,
    locale: String,
    funds: String,
    reserved: String,
    revenue: String,
    budget: Option<Budget>,
}

#[derive(Serialize)]
struct Budget {
    amount: String,
    paused: bool,
}

pub async fn show(api: ApiUser) -> Result<HttpResponse, AppError> {
    let user = api.user;
    // Balances come from the ledger, which arrives with the wallet; until then no entry can
    // exist and every balance is exactly zero.
    let zero = Money::ZERO.to_api_string();
    Ok(HttpResponse::Ok().json(Me {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        locale: user.locale,
        funds: zero.clone(),
        reserved: zero.clone(),
        revenue: zero,
        budget: None::<Budget>,
    }))
}
