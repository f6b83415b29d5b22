//! A creator's earnings: this month's live clicks (not money yet), each settled month's gross,
//! fee and net per thing, the 12-month chart, CSV downloads and a printable statement.

pub(crate) mod earnings_csv;

pub use earnings_csv::csv;

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::domain::Money;
use crate::domain::Month;
use crate::domain::ledger::{AccountKind, AccountRef};
use crate::i18n;
use crate::models::ledger;
use crate::use_cases::statements::{self, Earnings, MonthNet};
use crate::use_cases::transparency::{self, TransparencyError};
use crate::web::chart;
use crate::web::db;
use crate::web::error::AppError;
use crate::web::page::Page;
use crate::web::pages::year;
use crate::web::params::{month_param, year_param};

/// Months in the chart.
const CHART_MONTHS: usize = 12;

#[derive(Deserialize)]
pub struct EarningsQuery {
    month: Option<String>,
    /// `?year=YYYY`: the year's statement instead of a month (`pages/year/`).
    year: Option<String>,
    sep: Option<String>,
}

#[derive(Serialize)]
struct ThingView {
    id: i64,
    title: String,
    clicks: i64,
    /// What the thing earned: its gross (a claimed thing) or its held share (an unclaimed one).
    amount: String,
    /// A claimed thing's part of the month's fee, and its net: they add up to the month's.
    fee: Option<String>,
    net: Option<String>,
    /// The translation key of an unclaimed thing's share: held, released or returned.
    hold_key: Option<String>,
}

#[derive(Serialize)]
struct MonthView {
    month: String,
    name: String,
    settled: bool,
    clicks: i64,
    gross: String,
    fee: String,
    /// "Platform fee (10 %)", or without the rate for months settled before runs kept it.
    fee_label: String,
    net: String,
    /// Shares of unclaimed things still held for the creator, if any.
    held: Option<String>,
    /// Held shares of the month released to the creator later, if any.
    released: Option<String>,
    /// The claimed things, whose gross, fee and net add up to the month's.
    things: Vec<ThingView>,
    /// The unclaimed things, whose shares were held (not in the month's gross).
    unclaimed: Vec<ThingView>,
}

#[derive(Serialize)]
struct HistoryLine {
    month: String,
    name: String,
    net: String,
}

fn month_view(page: &Page, report: &Earnings) -> MonthView {
    MonthView {
        month: report.month.to_string(),
        name: i18n::month_name(page.locale, report.month),
        settled: report.settled,
        clicks: report.clicks,
        gross: page.money(report.gross),
        fee: page.money(report.fee),
        fee_label: i18n::fee_label(page.locale, report.fee_percent),
        net: page.money(report.net),
        held: (report.held > Money::ZERO).then(|| page.money(report.held)),
        released: (report.released > Money::ZERO).then(|| page.money(report.released)),
        things: thing_views(page, report, true),
        unclaimed: thing_views(page, report, false),
    }
}

/// The month's claimed things (`claimed`), or its unclaimed ones. An unsettled month has
/// only claimed lines: its shares are not known yet.
fn thing_views(page: &Page, report: &Earnings, claimed: bool) -> Vec<ThingView> {
    report
        .things
        .iter()
        .filter(|t| match report.settled {
            true => t.claimed == claimed,
            false => claimed,
        })
        .map(|t| ThingView {
            id: t.thing_id,
            title: t.title.clone(),
            clicks: t.clicks,
            amount: page.money(t.amount),
            fee: t.fee.map(|fee| page.money(fee)),
            net: t.net.map(|net| page.money(net)),
            hold_key: t.hold.map(|h| format!("hold-{}", h.as_str())),
        })
        .collect()
}

/// `GET /earnings?month=`: the dashboard; `month` picks the settled month shown in detail
/// (by default the last closed one). Months before the account are not listed, nor shown.
pub async fn show(page: Page, query: web::Query<EarningsQuery>) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    if let Some(chosen) = year_param(&page.state, query.month.as_deref(), query.year.as_deref())? {
        return year::earnings_page(page, chosen).await;
    }
    let current = page.state.clock.month();
    let chosen = match query.month.as_deref() {
        Some(_) => month_param(&page.state, query.month.as_deref())?,
        None => current.previous(),
    };
    let creator = viewer.user_id();
    let zone = page.state.clock.zone();
    let (first, live, detail, history, revenue, published) = db::run(&page.state, move |conn| {
        let first = statements::creator_first_month(conn, creator, zone)?;
        Ok((
            first,
            statements::earnings(conn, creator, current)?,
            statements::earnings(conn, creator, chosen)?,
            statements::history(conn, creator, first, current.previous(), CHART_MONTHS)?,
            ledger::balance(conn, AccountRef::User(creator, AccountKind::Revenue))?,
            published_head(conn, chosen)?,
        ))
    })
    .await?;
    let mut context = page.context();
    if !history.is_empty() {
        let svg = chart::earnings_svg(&history, page.locale, page.state.settings.currency)
            .map_err(AppError::Internal)?;
        context.insert("chart_svg", &svg);
    }
    context.insert("live", &month_view(&page, &live));
    context.insert("detail", &month_view(&page, &detail));
    context.insert("before_account", &(chosen < first));
    // Asked for, a month is always answered; by default, a month before the account (every
    // new creator's "last month") is not worth a section that only says so.
    context.insert("show_detail", &(query.month.is_some() || chosen >= first));
    context.insert("first_month", &i18n::month_name(page.locale, first));
    context.insert("history", &history_lines(&page, &history));
    context.insert("revenue", &page.money(revenue));
    context.insert("detail_year", &chosen.year());
    context.insert("published", &published);
    page.render("pages/earnings.html", &context)
}

fn history_lines(page: &Page, history: &[MonthNet]) -> Vec<HistoryLine> {
    history
        .iter()
        .rev()
        .map(|m| HistoryLine {
            month: m.month.to_string(),
            name: i18n::month_name(page.locale, m.month),
            net: page.money(m.net),
        })
        .collect()
}

/// `GET /earnings/{month}/statement`: one month, laid out to print or save as PDF, with the
/// instance and its operator named as an accountant expects on a statement.
pub async fn statement(page: Page, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let month = month_param(&page.state, Some(path.as_str()))?;
    let creator = viewer.user_id();
    let zone = page.state.clock.zone();
    let (first, report, published) = db::run(&page.state, move |conn| {
        Ok((
            statements::creator_first_month(conn, creator, zone)?,
            statements::earnings(conn, creator, month)?,
            published_head(conn, month)?,
        ))
    })
    .await?;
    let operator = &page.state.settings.operator;
    let mut context = page.context();
    context.insert("detail", &month_view(&page, &report));
    context.insert("before_account", &(month < first));
    context.insert("first_month", &i18n::month_name(page.locale, first));
    context.insert("detail_year", &month.year());
    // Printed, a link is its address: the statement shows the published totals' in full.
    context.insert(
        "published_url",
        &published.then(|| format!("{}/transparency/{month}", page.state.settings.base_url)),
    );
    context.insert("instance_name", &operator.instance_name);
    context.insert("operator_name", &operator.legal_name);
    context.insert("operator_address", &operator.address);
    context.insert(
        "issued",
        &i18n::format_datetime(page.locale, page.state.clock.now().naive_utc()),
    );
    page.render("pages/earnings_statement.html", &context)
}

/// Whether `month` published its totals (`/transparency/{month}`): months settled before
/// the tree heads existed did not, and their statements link nowhere.
fn published_head(conn: &mut crate::db::DbConnection, month: Month) -> Result<bool, AppError> {
    // Published means its run is done (the use case's rule), so the link never leads to a 404.
    match transparency::head(conn, month) {
        Ok(_) => Ok(true),
        Err(TransparencyError::NotSettled) => Ok(false),
        Err(other) => Err(other.into()),
    }
}
