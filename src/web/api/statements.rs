//! `GET /api/v1/me/earnings` and `GET /api/v1/me/contributions`: a month's statement, for a
//! creator and for a reader; with `?year=YYYY`, the year's (`statements_year.rs`).

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::auth::ApiUser;
use super::statements_year;
use crate::domain::hold::HoldState;
use crate::use_cases::statements;
use crate::web::error::AppError;
use crate::web::params::{PeriodQuery, month_param, year_param};
use crate::web::state::AppState;

#[derive(Serialize)]
struct ThingEarnings {
    thing_id: i64,
    title: String,
    clicks: i64,
    amount: String,
    /// A verified site of the creator covered the thing (its share was paid); otherwise the
    /// share is held (`hold`: `held`, `released` or `returned`).
    claimed: bool,
    hold: Option<&'static str>,
}

#[derive(Serialize)]
struct EarningsBody {
    month: String,
    settled: bool,
    clicks: i64,
    gross: String,
    fee: String,
    net: String,
    /// The rate the fee was taken at, in percent ("10"), once settled.
    fee_percent: Option<String>,
    /// The month's shares of unclaimed things still held for the creator: not payable
    /// until they prove the pages are theirs.
    held: String,
    /// What the month's held shares paid the creator later, once they proved the pages
    /// (less the fee and their own share): already in their revenue.
    released: String,
    things: Vec<ThingEarnings>,
}

pub async fn earnings(
    state: web::Data<AppState>,
    api: ApiUser,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, AppError> {
    if let Some(year) = year_param(&state, query.month.as_deref(), query.year.as_deref())? {
        return statements_year::earnings(state, api, year).await;
    }
    let month = month_param(&state, query.month.as_deref())?;
    let report = api
        .run(&state, move |conn, creator| {
            let creator = creator.user_id();
            Ok(statements::earnings(conn, creator, month)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(EarningsBody {
        month: month.to_string(),
        settled: report.settled,
        clicks: report.clicks,
        gross: report.gross.to_api_string(),
        fee: report.fee.to_api_string(),
        net: report.net.to_api_string(),
        fee_percent: report.fee_percent.map(|rate| rate.normalize().to_string()),
        held: report.held.to_api_string(),
        released: report.released.to_api_string(),
        things: report
            .things
            .into_iter()
            .map(|t| ThingEarnings {
                thing_id: t.thing_id,
                title: t.title,
                clicks: t.clicks,
                amount: t.amount.to_api_string(),
                claimed: t.claimed,
                hold: t.hold.map(HoldState::as_str),
            })
            .collect(),
    }))
}

#[derive(Serialize)]
struct AllocationBody {
    thing_id: i64,
    title: String,
    creator_id: i64,
    creator: String,
    amount: String,
    /// `paid`, `held`, `returned` or `donated`.
    status: &'static str,
}

#[derive(Serialize)]
struct ContributionsBody {
    month: String,
    settled: bool,
    debited: String,
    allocations: Vec<AllocationBody>,
    /// A month without clicks whose budget went to the charity, as the reader chose: what
    /// it gave (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    donated: Option<String>,
    /// The charity it went to.
    #[serde(skip_serializing_if = "Option::is_none")]
    charity: Option<String>,
}

pub async fn contributions(
    state: web::Data<AppState>,
    api: ApiUser,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, AppError> {
    if let Some(year) = year_param(&state, query.month.as_deref(), query.year.as_deref())? {
        return statements_year::contributions(state, api, year).await;
    }
    let month = month_param(&state, query.month.as_deref())?;
    let report = api
        .run(&state, move |conn, reader| {
            let reader = reader.user_id();
            Ok(statements::contributions(conn, reader, month)?)
        })
        .await?;
    let (donated, charity) = match report.donated {
        Some((amount, charity)) => (Some(amount.to_api_string()), Some(charity)),
        None => (None, None),
    };
    Ok(HttpResponse::Ok().json(ContributionsBody {
        month: month.to_string(),
        donated,
        charity,
        settled: report.settled,
        debited: report.debited.to_api_string(),
        allocations: report
            .allocations
            .into_iter()
            .map(|a| AllocationBody {
                thing_id: a.thing_id,
                title: a.title,
                creator_id: a.creator_id,
                creator: a.creator_name,
                amount: a.amount.to_api_string(),
                status: a.status.code(),
            })
            .collect(),
    }))
}
