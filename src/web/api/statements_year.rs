//! `GET /api/v1/me/earnings?year=YYYY` and `GET /api/v1/me/contributions?year=YYYY`: a
//! calendar year's statement, its totals and one entry per month of the account (from the
//! first month the monthly statements list, up to the current month; none before the
//! account, none in the future), for a creator and for a reader.

use actix_web::HttpResponse;
use actix_web::web;
use serde::Serialize;

use super::auth::ApiUser;
use crate::domain::{Money, Month, Year};
use crate::use_cases::statements::{self, ContributionFigures, EarningsFigures};
use crate::web::error::AppError;
use crate::web::state::AppState;

fn amount(money: Money) -> String {
    money.to_api_string()
}

#[derive(Serialize)]
struct EarningsFiguresBody {
    clicks: i64,
    gross: String,
    fee: String,
    net: String,
    held: String,
    released: String,
    returned: String,
    paid_out: String,
}

impl From<&EarningsFigures> for EarningsFiguresBody {
    fn from(f: &EarningsFigures) -> Self {
        EarningsFiguresBody {
            clicks: f.clicks,
            gross: amount(f.gross),
            fee: amount(f.fee),
            net: amount(f.net),
            held: amount(f.held),
            released: amount(f.released),
            returned: amount(f.returned),
            paid_out: amount(f.paid_out),
        }
    }
}

#[derive(Serialize)]
struct EarningsMonthBody {
    month: String,
    settled: bool,
    /// The rate the month's run took its fee at, in percent ("10"); null until settled.
    fee_percent: Option<String>,
    #[serde(flatten)]
    figures: EarningsFiguresBody,
}

#[derive(Serialize)]
struct EarningsYearBody {
    year: i32,
    currency: &'static str,
    /// The account's first month: the months listed start there or in January.
    first_month: String,
    totals: EarningsFiguresBody,
    months: Vec<EarningsMonthBody>,
}

/// The month "now" is in, for the months a year lists.
fn current(state: &AppState) -> Month {
    state.clock.month()
}

pub async fn earnings(
    state: web::Data<AppState>,
    api: ApiUser,
    year: Year,
) -> Result<HttpResponse, AppError> {
    let now = current(&state);
    let zone = state.clock.zone();
    let report = api
        .run(&state, move |conn, creator| {
            Ok(statements::earnings_year(
                conn,
                creator.user_id(),
                year,
                now,
                zone,
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(EarningsYearBody {
        year: year.value(),
        currency: state.settings.currency.code(),
        first_month: report.first.to_string(),
        totals: (&report.totals).into(),
        months: report
            .months
            .iter()
            .map(|m| EarningsMonthBody {
                month: m.month.to_string(),
                settled: m.settled,
                fee_percent: m.fee_percent.map(|rate| rate.normalize().to_string()),
                figures: (&m.figures).into(),
            })
            .collect(),
    }))
}

#[derive(Serialize)]
struct ContributionFiguresBody {
    debited: String,
    paid: String,
    held: String,
    returned: String,
    donated: String,
    idle_gift: String,
}

impl From<&ContributionFigures> for ContributionFiguresBody {
    fn from(f: &ContributionFigures) -> Self {
        ContributionFiguresBody {
            debited: amount(f.debited),
            paid: amount(f.paid),
            held: amount(f.held),
            returned: amount(f.returned),
            donated: amount(f.donated),
            idle_gift: amount(f.idle_gift),
        }
    }
}

#[derive(Serialize)]
struct ContributionsMonthBody {
    month: String,
    settled: bool,
    #[serde(flatten)]
    figures: ContributionFiguresBody,
}

#[derive(Serialize)]
struct ContributionsYearBody {
    year: i32,
    currency: &'static str,
    first_month: String,
    totals: ContributionFiguresBody,
    months: Vec<ContributionsMonthBody>,
}

pub async fn contributions(
    state: web::Data<AppState>,
    api: ApiUser,
    year: Year,
) -> Result<HttpResponse, AppError> {
    let now = current(&state);
    let zone = state.clock.zone();
    let report = api
        .run(&state, move |conn, reader| {
            Ok(statements::contributions_year(
                conn,
                reader.user_id(),
                year,
                now,
                zone,
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ContributionsYearBody {
        year: year.value(),
        currency: state.settings.currency.code(),
        first_month: report.first.to_string(),
        totals: (&report.totals).into(),
        months: report
            .months
            .iter()
            .map(|m| ContributionsMonthBody {
                month: m.month.to_string(),
                settled: m.settled,
                figures: (&m.figures).into(),
            })
            .collect(),
    }))
}
