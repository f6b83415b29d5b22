//! `GET /earnings.csv`: a settled month's things, then its gross, fee and net, for a
//! spreadsheet.

use actix_web::{HttpResponse, web};

use super::EarningsQuery;
use crate::domain::Locale;
use crate::domain::Money;
use crate::i18n;
use crate::use_cases::statements::{self, Earnings};
use crate::web::csv_export::{Cell, Dialect, Sheet};
use crate::web::db;
use crate::web::error::AppError;
use crate::web::page::Page;
use crate::web::pages::year;
use crate::web::params::{month_param, year_param};

/// `GET /earnings.csv?month=&sep=`: the month's things, then gross, fee and net.
pub async fn csv(page: Page, query: web::Query<EarningsQuery>) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    if let Some(chosen) = year_param(&page.state, query.month.as_deref(), query.year.as_deref())? {
        return year::earnings_csv(page, chosen, query.sep.as_deref()).await;
    }
    let month = month_param(&page.state, query.month.as_deref())?;
    let creator = viewer.user_id();
    let report = db::run(&page.state, move |conn| {
        Ok(statements::earnings(conn, creator, month)?)
    })
    .await?;
    let dialect = Dialect::choose(page.locale, query.sep.as_deref());
    earnings_csv(page.locale, dialect, &report)
        .and_then(|sheet| sheet.download(&format!("obole-earnings-{month}.csv")))
        .map_err(|e| AppError::Internal(e.context("writing CSV")))
}

pub(crate) fn earnings_csv(
    locale: Locale,
    dialect: Dialect,
    report: &Earnings,
) -> anyhow::Result<Sheet> {
    let mut sheet = dialect.sheet();
    let text = |key: &str| i18n::text(locale, key);
    let month = report.month.to_string();
    sheet.row(
        [
            "csv-month",
            "csv-thing-id",
            "csv-thing",
            "csv-clicks",
            "csv-amount",
            "csv-fee",
            "csv-net",
            "csv-status",
        ]
        .map(|key| Cell::from(text(key))),
    )?;
    let optional = |amount: Option<Money>| amount.map_or_else(|| Cell::from(""), Cell::Amount);
    for thing in &report.things {
        sheet.row([
            Cell::from(month.as_str()),
            Cell::Number(thing.thing_id),
            Cell::from(thing.title.as_str()),
            Cell::Number(thing.clicks),
            Cell::Amount(thing.amount),
            optional(thing.fee),
            optional(thing.net),
            // A held share is not in the month's gross: the column says so, row by row.
            Cell::from(text(&thing.hold.map_or_else(
                || "csv-status-paid".to_owned(),
                |h| format!("hold-{}", h.as_str()),
            ))),
        ])?;
    }
    for (key, amount) in [
        ("earnings-gross", report.gross),
        ("earnings-fee", report.fee),
        ("earnings-net", report.net),
    ] {
        sheet.row([
            Cell::from(month.as_str()),
            Cell::from(""),
            Cell::from(text(key)),
            Cell::from(""),
            Cell::Amount(amount),
            Cell::from(""),
            Cell::from(""),
            Cell::from(""),
        ])?;
    }
    Ok(sheet)
}
