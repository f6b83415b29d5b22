//! `GET /settings/export.zip`: the export for people rather than programs: the JSON archive
//! (`use_cases::export`) with the CSVs the pages already make (the funds' movements and each
//! earned month), in the person's language and spreadsheet dialect, as one zip.

use std::io::Write as _;

use actix_web::HttpResponse;
use actix_web::http::header;
use zip::write::SimpleFileOptions;

use crate::domain::ledger::{AccountKind, AccountRef};
use crate::domain::{Locale, Month};
use crate::models::ledger;
use crate::use_cases::export::{self, Archive};
use crate::use_cases::statements::{self, Earnings};
use crate::web::csv_export::Dialect;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::page::Page;
use crate::web::pages::earnings::earnings_csv::earnings_csv;
use crate::web::pages::funds::movements_csv::movements_csv;

pub async fn download(page: Page) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let user = viewer.user_id();
    let now = page.state.clock.now();
    let (archive, movements, earnings) = db::run(&page.state, move |conn| {
        let archive =
            export::archive(conn, user, now)?.ok_or(AppError::User(ErrorCode::Unauthorized))?;
        let movements = ledger::movements(conn, AccountRef::User(user, AccountKind::Funds), None)?;
        let mut earnings = Vec::new();
        for month in &archive.earnings {
            if let Ok(month) = Month::parse(&month.month) {
                earnings.push(statements::earnings(conn, user, month)?);
            }
        }
        Ok((archive, movements, earnings))
    })
    .await?;
    let body = zipped(page.locale, &archive, &movements, &earnings)
        .map_err(|e| AppError::Internal(e.context("writing the export's zip")))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/zip"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"obole-export-{}.zip\"",
                now.format("%Y-%m-%d")
            ),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

fn zipped(
    locale: Locale,
    archive: &Archive,
    movements: &[ledger::Movement],
    earnings: &[Earnings],
) -> anyhow::Result<Vec<u8>> {
    let dialect = Dialect::choose(locale, None);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    zip.start_file("obole-export.json", options)?;
    zip.write_all(&serde_json::to_vec_pretty(archive)?)?;
    zip.start_file("funds.csv", options)?;
    zip.write_all(&movements_csv(locale, dialect, movements)?.into_bytes()?)?;
    for report in earnings {
        zip.start_file(format!("earnings-{}.csv", report.month), options)?;
        zip.write_all(&earnings_csv(locale, dialect, report)?.into_bytes()?)?;
    }
    Ok(zip.finish()?.into_inner())
}
