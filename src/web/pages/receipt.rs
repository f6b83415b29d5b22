//! A reader's receipt for a settled month (docs/TRANSPARENCY.md) on the site's side:
//! `/contributions/receipt/{month}.json`, the download offered by "where my budget went" (the
//! API's JSON, for the session's own reader only), and whether that page has one to offer.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, web};

use crate::db::DbConnection;
use crate::domain::{Month, UserId};
use crate::use_cases::transparency::{self, Receipt, TransparencyError};
use crate::web::api::transparency::receipt_json;
use crate::web::db;
use crate::web::error::AppError;
use crate::web::page::Page;
use crate::web::params::month_param;

/// `GET /contributions/receipt/{month}.json`: the signed-in reader's receipt as a file. There
/// is no reader in the path: the session says whose receipt it is, so nobody can ask for
/// someone else's. 404 `not_settled` or `no_receipt` otherwise.
pub async fn download(page: Page, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let month = month_param(&page.state, Some(path.as_str()))?;
    let reader = viewer.user_id();
    let receipt = db::run(&page.state, move |conn| {
        Ok(transparency::receipt(conn, reader, month)?)
    })
    .await?;
    let file = format!("obole-receipt-{month}.json");
    Ok(HttpResponse::Ok()
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file)],
        })
        // Personal: no cache keeps it.
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(receipt_json(&receipt)))
}

/// The reader's receipt for `month` if they have one: `None` when the month published no
/// head (not settled, or settled before receipts existed) or did not charge them. A month
/// whose stored tree disagrees with its data is logged and offers no receipt, rather than
/// taking the whole statement page down with it.
pub fn offered(
    conn: &mut DbConnection,
    reader: UserId,
    month: Month,
) -> Result<Option<Receipt>, AppError> {
    match transparency::receipt(conn, reader, month) {
        Ok(receipt) => Ok(Some(receipt)),
        Err(TransparencyError::NotSettled | TransparencyError::NoReceipt) => Ok(None),
        Err(TransparencyError::Inconsistent(why)) => {
            tracing::error!(reader = reader.0, %month, why, "a receipt does not hold");
            Ok(None)
        }
        Err(other) => Err(other.into()),
    }
}
