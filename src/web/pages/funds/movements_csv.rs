//! `GET /funds.csv`: every movement of the reader's funds, for a spreadsheet.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::kind_key;
use crate::domain::Locale;
use crate::domain::ledger::{AccountKind, AccountRef};
use crate::i18n;
use crate::models::ledger::{self, Movement};
use crate::web::csv_export::{Cell, Dialect, Sheet};
use crate::web::db;
use crate::web::error::AppError;
use crate::web::page::Page;

/// `GET /funds.csv`: every movement, in the reader's language (`?sep=` picks the dialect).
pub async fn csv(page: Page, query: web::Query<SepQuery>) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let user = viewer.user_id();
    let movements = db::run(&page.state, move |conn| {
        Ok(ledger::movements(
            conn,
            AccountRef::User(user, AccountKind::Funds),
            None,
        )?)
    })
    .await?;
    let dialect = Dialect::choose(page.locale, query.sep.as_deref());
    movements_csv(page.locale, dialect, &movements)
        .and_then(|sheet| sheet.download("obole-funds.csv"))
        .map_err(|e| AppError::Internal(e.context("writing CSV")))
}

/// `?sep=comma` or `?sep=semicolon` on a CSV download.
#[derive(Deserialize)]
pub struct SepQuery {
    pub sep: Option<String>,
}

pub(crate) fn movements_csv(
    locale: Locale,
    dialect: Dialect,
    movements: &[Movement],
) -> anyhow::Result<Sheet> {
    let mut sheet = dialect.sheet();
    sheet.row(
        ["csv-date", "csv-movement", "csv-amount", "csv-balance"]
            .map(|key| Cell::from(i18n::text(locale, key))),
    )?;
    for movement in movements.iter().rev() {
        sheet.row([
            Cell::from(movement.at.format("%Y-%m-%d %H:%M:%S").to_string()),
            Cell::from(i18n::text(locale, &kind_key(movement.kind))),
            Cell::Amount(movement.amount),
            Cell::Amount(movement.balance_after),
        ])?;
    }
    Ok(sheet)
}
