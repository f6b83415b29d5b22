//! `GET /api/v1/me`.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::auth::ApiUser;
use crate::models::budgets::Budget;
use crate::use_cases::wallet;
use crate::web::error::AppError;
use crate::web::state::AppState;

#[derive(Serialize)]
struct Me {
    id: i64,
    email: String,
    display_name: String,
    locale: String,
    funds: String,
    reserved: String,
    revenue: String,
    budget: Option<BudgetBody>,
}

/// The contract's budget object: `{amount, paused, unspent}`.
#[derive(Serialize)]
pub struct BudgetBody {
    amount: String,
    paused: bool,
    /// `keep` or `charity`: what a month without clicks does with the budget.
    unspent: &'static str,
}

impl From<Budget> for BudgetBody {
    fn from(budget: Budget) -> Self {
        BudgetBody {
            amount: budget.amount.to_api_string(),
            paused: budget.paused,
            unspent: budget.unspent.as_str(),
        }
    }
}

pub async fn show(state: web::Data<AppState>, api: ApiUser) -> Result<HttpResponse, AppError> {
    let (user, summary) = api
        .run(&state, |conn, user| {
            let summary = wallet::summary(conn, user.user_id())?;
            Ok((user, summary))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Me {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        locale: user.locale,
        funds: summary.balances.funds.to_api_string(),
        reserved: summary.balances.reserved.to_api_string(),
        revenue: summary.balances.revenue.to_api_string(),
        budget: summary.budget.map(BudgetBody::from),
    }))
}
