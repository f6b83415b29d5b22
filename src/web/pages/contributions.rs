//! "Where my budget went": a reader's settled months, each share of the budget with the thing
//! and the creator it went to, and the same as CSV.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::domain::hold::ShareStatus;
use crate::domain::{Locale, Month};
use crate::i18n;
use crate::models::clicks as click_rows;
use crate::use_cases::statements::{self, Contributions};
use crate::web::csv_export::{Cell, Dialect, Sheet};
use crate::web::db;
use crate::web::error::AppError;
use crate::web::page::Page;
use crate::web::pages::{receipt, year};
use crate::web::params::{month_param, year_param};

#[derive(Deserialize)]
pub struct ContributionsQuery {
    month: Option<String>,
    /// `?year=YYYY`: the year's statement instead of a month (`pages/year/`).
    year: Option<String>,
    sep: Option<String>,
}

#[derive(Serialize)]
struct Line {
    thing_id: i64,
    title: String,
    creator: String,
    amount: String,
    /// The translation key of a share that did not go to its creator (yet).
    status_key: Option<String>,
}

#[derive(Serialize)]
struct MonthLink {
    month: String,
    name: String,
}

/// `GET /contributions?month=` (by default the last closed month). Months before the account
/// are not listed, nor shown.
pub async fn show(
    page: Page,
    query: web::Query<ContributionsQuery>,
) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    if let Some(chosen) = year_param(&page.state, query.month.as_deref(), query.year.as_deref())? {
        return year::contributions_page(page, chosen).await;
    }
    let current = page.state.clock.month();
    let month = match query.month.as_deref() {
        Some(_) => month_param(&page.state, query.month.as_deref())?,
        None => current.previous(),
    };
    let reader = viewer.user_id();
    let zone = page.state.clock.zone();
    let (first, report, months, offered) = db::run(&page.state, move |conn| {
        let report = statements::contributions(conn, reader, month)?;
        // A settled month's receipt, checked in the browser by `assets/receipt.js`.
        let offered = match report.settled {
            true => receipt::offered(conn, reader, month)?,
            false => None,
        };
        Ok((
            statements::reader_first_month(conn, reader, zone)?,
            report,
            click_rows::months_of_reader(conn, reader)?,
            offered,
        ))
    })
    .await?;
    let lines: Vec<Line> = report
        .allocations
        .iter()
        .map(|a| Line {
            thing_id: a.thing_id,
            title: a.title.clone(),
            creator: a.creator_name.clone(),
            amount: page.money(a.amount),
            status_key: (a.status != ShareStatus::Paid)
                .then(|| format!("share-{}", a.status.code())),
        })
        .collect();
    let links: Vec<MonthLink> = months
        .iter()
        .filter_map(|m| Month::parse(m).ok())
        .filter(|m| *m < current && *m >= first && *m != month)
        .map(|m| MonthLink {
            month: m.to_string(),
            name: i18n::month_name(page.locale, m),
        })
        .collect();
    let mut context = page.context();
    context.insert("month", &month.to_string());
    context.insert("month_name", &i18n::month_name(page.locale, month));
    context.insert("settled", &report.settled);
    context.insert("before_account", &(month < first));
    context.insert("first_month", &i18n::month_name(page.locale, first));
    context.insert("debited", &page.money(report.debited));
    context.insert(
        "donated",
        &report
            .donated
            .as_ref()
            .map(|(amount, _)| page.money(*amount)),
    );
    context.insert(
        "charity",
        &report.donated.as_ref().map(|(_, charity)| charity.as_str()),
    );
    context.insert("lines", &lines);
    context.insert("months", &links);
    context.insert("year", &month.year());
    context.insert("receipt_root", &offered.map(|r| r.root));
    page.render("pages/contributions.html", &context)
}

/// `GET /contributions.csv?month=&sep=`.
pub async fn csv(
    page: Page,
    query: web::Query<ContributionsQuery>,
) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    if let Some(chosen) = year_param(&page.state, query.month.as_deref(), query.year.as_deref())? {
        return year::contributions_csv(page, chosen, query.sep.as_deref()).await;
    }
    let month = month_param(&page.state, query.month.as_deref())?;
    let reader = viewer.user_id();
    let report = db::run(&page.state, move |conn| {
        Ok(statements::contributions(conn, reader, month)?)
    })
    .await?;
    let dialect = Dialect::choose(page.locale, query.sep.as_deref());
    contributions_csv(page.locale, dialect, &report)
        .and_then(|sheet| sheet.download(&format!("obole-contributions-{month}.csv")))
        .map_err(|e| AppError::Internal(e.context("writing CSV")))
}

fn contributions_csv(
    locale: Locale,
    dialect: Dialect,
    report: &Contributions,
) -> anyhow::Result<Sheet> {
    let mut sheet = dialect.sheet();
    let text = |key: &str| i18n::text(locale, key);
    sheet.row(
        [
            "csv-month",
            "csv-thing-id",
            "csv-thing",
            "csv-creator",
            "csv-amount",
        ]
        .map(|key| Cell::from(text(key))),
    )?;
    let month = report.month.to_string();
    for a in &report.allocations {
        sheet.row([
            Cell::from(month.as_str()),
            Cell::Number(a.thing_id),
            Cell::from(a.title.as_str()),
            Cell::from(a.creator_name.as_str()),
            Cell::Amount(a.amount),
        ])?;
    }
    Ok(sheet)
}
