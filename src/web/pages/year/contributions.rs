//! A reader's year: each month's budget debited and where it went (paid, held, back in their
//! funds, given to the charity), as a page, a printable statement and CSV.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::{current, path_year, year_context};
use crate::domain::{Locale, Year};
use crate::i18n;
use crate::use_cases::statements::{self, ContributionFigures, ContributionsYear};
use crate::web::csv_export::{Cell, Dialect, Sheet};
use crate::web::db;
use crate::web::error::AppError;
use crate::web::page::Page;

#[derive(Serialize)]
struct Figures {
    debited: String,
    paid: String,
    held: String,
    returned: String,
    donated: String,
}

#[derive(Serialize)]
struct Row {
    month: String,
    name: String,
    settled: bool,
    #[serde(flatten)]
    figures: Figures,
}

fn figures(page: &Page, f: &ContributionFigures) -> Figures {
    Figures {
        debited: page.money(f.debited),
        paid: page.money(f.paid),
        held: page.money(f.held),
        returned: page.money(f.returned),
        donated: page.money(f.donated),
    }
}

async fn load(page: &Page, year: Year) -> Result<Option<ContributionsYear>, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(None);
    };
    let now = current(page);
    let zone = page.state.clock.zone();
    let report = db::run(&page.state, move |conn| {
        Ok(statements::contributions_year(
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
            figures: figures(&page, &m.figures),
        })
        .collect();
    let mut context = year_context(&page, year, report.first, rows.len(), printable);
    context.insert("rows", &rows);
    context.insert("totals", &figures(&page, &report.totals));
    context.insert(
        "idle_gift",
        &(report.totals.idle_gift > crate::domain::Money::ZERO)
            .then(|| page.money(report.totals.idle_gift)),
    );
    page.render("pages/contributions_year.html", &context)
}

/// `GET /contributions?year=YYYY`.
pub async fn contributions_page(page: Page, year: Year) -> Result<HttpResponse, AppError> {
    render(page, year, false).await
}

/// `GET /contributions/year/{year}/statement`: the year laid out to print or save as PDF.
pub async fn contributions_statement(
    page: Page,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if page.viewer.is_none() {
        return Ok(page.login_redirect());
    }
    let year = path_year(&page, &path)?;
    render(page, year, true).await
}

/// `GET /contributions.csv?year=YYYY&sep=`: a line per month, then the year's totals.
pub async fn contributions_csv(
    page: Page,
    year: Year,
    sep: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let dialect = Dialect::choose(page.locale, sep);
    let Some(report) = load(&page, year).await? else {
        return Ok(page.login_redirect());
    };
    sheet(page.locale, dialect, &report)
        .and_then(|sheet| sheet.download(&format!("obole-contributions-{year}.csv")))
        .map_err(|e| AppError::Internal(e.context("writing CSV")))
}

fn sheet(locale: Locale, dialect: Dialect, report: &ContributionsYear) -> anyhow::Result<Sheet> {
    let text = |key: &str| i18n::text(locale, key);
    let mut sheet = dialect.sheet();
    sheet.row(
        [
            "csv-month",
            "year-status",
            "year-debited",
            "year-paid",
            "year-held",
            "year-back-to-you",
            "year-donated",
        ]
        .map(|key| Cell::from(text(key))),
    )?;
    let amounts = |f: &ContributionFigures| -> [Cell; 5] {
        [f.debited, f.paid, f.held, f.returned, f.donated].map(Cell::Amount)
    };
    for m in &report.months {
        let status = match m.settled {
            true => "year-settled",
            false => "year-not-settled",
        };
        let lead = [Cell::from(m.month.to_string()), Cell::from(text(status))];
        sheet.row(lead.into_iter().chain(amounts(&m.figures)))?;
    }
    let lead = [
        Cell::from(report.year.to_string()),
        Cell::from(text("year-total")),
    ];
    sheet.row(lead.into_iter().chain(amounts(&report.totals)))?;
    Ok(sheet)
}
