//! A creator's year: each month's gross, fee (at the rate its run kept) and net, what was
//! held, paid later, returned to readers and paid out, as a page, a printable statement and
//! CSV.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::{current, path_year, rate_text, year_context};
use crate::domain::{Locale, Year};
use crate::i18n;
use crate::use_cases::statements::{self, EarningsFigures, EarningsYear};
use crate::web::csv_export::{Cell, Dialect, Sheet};
use crate::web::db;
use crate::web::error::AppError;
use crate::web::page::Page;

#[derive(Serialize)]
struct Figures {
    gross: String,
    fee: String,
    net: String,
    held: String,
    released: String,
    returned: String,
    paid_out: String,
}

#[derive(Serialize)]
struct Row {
    month: String,
    name: String,
    settled: bool,
    /// "10 %", or empty for a month not settled (or settled before runs kept their rate).
    rate: String,
    #[serde(flatten)]
    figures: Figures,
}

fn figures(page: &Page, f: &EarningsFigures) -> Figures {
    Figures {
        gross: page.money(f.gross),
        fee: page.money(f.fee),
        net: page.money(f.net),
        held: page.money(f.held),
        released: page.money(f.released),
        returned: page.money(f.returned),
        paid_out: page.money(f.paid_out),
    }
}

async fn load(page: &Page, year: Year) -> Result<Option<EarningsYear>, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(None);
    };
    let now = current(page);
    let zone = page.state.clock.zone();
    let report = db::run(&page.state, move |conn| {
        Ok(statements::earnings_year(
            conn,
            viewer.user_id(),
            year,
            now,
            zone,
        )?)
    })
    .await?;
    Ok(Some(report))
}

async fn render(page: Page, year: Year, printable: bool) -> Result<HttpResponse, AppError> {
    let Some(report) = load(&page, year).await? else {
        return Ok(page.login_redirect());
    };
    let rows: Vec<Row> = report
        .months
        .iter()
        .map(|m| Row {
            month: m.month.to_string(),
            name: i18n::month_name(page.locale, m.month),
            settled: m.settled,
            rate: rate_text(&page, m.fee_percent),
            figures: figures(&page, &m.figures),
        })
        .collect();
    let mut context = year_context(&page, year, report.first, rows.len(), printable);
    context.insert("rows", &rows);
    context.insert("totals", &figures(&page, &report.totals));
    page.render("pages/earnings_year.html", &context)
}

/// `GET /earnings?year=YYYY`.
pub async fn earnings_page(page: Page, year: Year) -> Result<HttpResponse, AppError> {
    render(page, year, false).await
}

/// `GET /earnings/year/{year}/statement`: the year laid out to print or save as PDF.
pub async fn earnings_statement(
    page: Page,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if page.viewer.is_none() {
        return Ok(page.login_redirect());
    }
    let year = path_year(&page, &path)?;
    render(page, year, true).await
}

/// `GET /earnings.csv?year=YYYY&sep=`: a line per month, then the year's totals.
pub async fn earnings_csv(
    page: Page,
    year: Year,
    sep: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let dialect = Dialect::choose(page.locale, sep);
    let Some(report) = load(&page, year).await? else {
        return Ok(page.login_redirect());
    };
    sheet(page.locale, dialect, &report)
        .and_then(|sheet| sheet.download(&format!("obole-earnings-{year}.csv")))
        .map_err(|e| AppError::Internal(e.context("writing CSV")))
}

fn sheet(locale: Locale, dialect: Dialect, report: &EarningsYear) -> anyhow::Result<Sheet> {
    let text = |key: &str| i18n::text(locale, key);
    let mut sheet = dialect.sheet();
    sheet.row(
        [
            "csv-month",
            "year-status",
            "year-rate",
            "csv-clicks",
            "year-gross",
            "year-fee",
            "year-net",
            "year-held",
            "year-released",
            "year-returned",
            "year-paid-out",
        ]
        .map(|key| Cell::from(text(key))),
    )?;
    let amounts = |f: &EarningsFigures| -> [Cell; 7] {
        [
            f.gross, f.fee, f.net, f.held, f.released, f.returned, f.paid_out,
        ]
        .map(Cell::Amount)
    };
    for m in &report.months {
        let status = match m.settled {
            true => "year-settled",
            false => "year-not-settled",
        };
        let rate = m.fee_percent.map_or_else(|| Cell::from(""), Cell::Decimal);
        let lead = [
            Cell::from(m.month.to_string()),
            Cell::from(text(status)),
            rate,
            Cell::Number(m.figures.clicks),
        ];
        sheet.row(lead.into_iter().chain(amounts(&m.figures)))?;
    }
    let lead = [
        Cell::from(report.year.to_string()),
        Cell::from(text("year-total")),
        Cell::from(""),
        Cell::Number(report.totals.clicks),
    ];
    sheet.row(lead.into_iter().chain(amounts(&report.totals)))?;
    Ok(sheet)
}
