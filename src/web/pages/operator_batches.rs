//! SEPA batches on `/operator/payouts` (PRODUCT.md flow 11): export the waiting payouts as
//! one file (a POST, since it records a batch, answered by a redirect to the file), download
//! it again, mark it sent or cancel it. Operators only; every change behind the CSRF token.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::domain::sepa::BatchState;
use crate::i18n;
use crate::models::payout_batches::{self, BatchRow};
use crate::use_cases::payouts::batch::{self, Marked};
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::page::Page;
use crate::web::session::check_csrf;

#[derive(Serialize)]
pub(super) struct BatchLine {
    id: i64,
    message_id: String,
    count: i32,
    total: String,
    created: String,
    state_key: String,
    open: bool,
}

/// The SEPA section's lines: the latest batches, the open one first if any.
pub(super) async fn lines(page: &Page) -> Result<Vec<BatchLine>, AppError> {
    let rows = db::run(&page.state, |conn| Ok(payout_batches::latest(conn, 20)?)).await?;
    Ok(rows.into_iter().map(|row| line(page, row)).collect())
}

fn line(page: &Page, row: BatchRow) -> BatchLine {
    BatchLine {
        id: row.id,
        count: row.payout_count,
        total: page.money(row.control_sum()),
        created: i18n::format_datetime(page.locale, row.created_at),
        state_key: format!("sepa-state-{}", row.state),
        open: row.state == BatchState::Open,
        message_id: row.message_id,
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf_token: Option<String>,
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_owned()))
        .finish()
}

/// The section's notices: the waiting payouts no SEPA file can pay (named), and whether the
/// viewing operator has payouts waiting that their own export leaves out.
pub(super) async fn notices(page: &Page, context: &mut tera::Context) -> Result<(), AppError> {
    let me = super::operator::operator(page)?.map(|v| v.user_id().0);
    let (outside, own) = db::run(&page.state, move |conn| {
        let outside = batch::outside_sepa(conn)?;
        let own = payout_batches::unbatched_pending(conn)?
            .iter()
            .any(|p| Some(p.user_id) == me);
        Ok((outside, own))
    })
    .await?;
    let named: Vec<String> = outside
        .iter()
        .map(|p| {
            format!(
                "#{} {} ({}, {})",
                p.id,
                p.holder,
                p.iban.get(..2).unwrap_or(""),
                page.money(p.amount())
            )
        })
        .collect();
    context.insert("sepa_outside", &named.join("; "));
    context.insert("sepa_own_left_out", &own);
    Ok(())
}

/// `POST /operator/payouts/sepa`: the open batch, or a new one of the waiting payouts; then
/// its file.
pub async fn export(page: Page, form: web::Form<CsrfForm>) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = super::operator::operator(&page)? else {
        return Ok(page.login_redirect());
    };
    let Ok(debtor) = page.state.settings.sepa.debtor() else {
        return Err(ErrorCode::SepaNotConfigured.into());
    };
    let now = page.state.clock.now();
    let by = viewer.user_id();
    let row = db::run(&page.state, move |conn| {
        Ok(batch::export(conn, &debtor, Some(by), now)?)
    })
    .await?;
    Ok(see_other(&format!(
        "/operator/payouts/batches/{}.xml",
        row.id
    )))
}

/// `GET /operator/payouts/batches/{id}.xml`: a batch's file as it was exported.
pub async fn file(page: Page, path: web::Path<i64>) -> Result<HttpResponse, AppError> {
    if super::operator::operator(&page)?.is_none() {
        return Ok(page.login_redirect());
    }
    let id = path.into_inner();
    let row = db::run(&page.state, move |conn| Ok(payout_batches::find(conn, id)?))
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("application/xml; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.xml\"", row.message_id),
        ))
        // Bank details: never kept by a shared cache.
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(row.document))
}

/// What the section's buttons do to an exported batch.
#[derive(Clone, Copy)]
enum Change {
    /// The bank took the file: its payouts are marked sent, once.
    MarkSent,
    /// The file never reached the bank, or is too old: its payouts wait again.
    Cancel,
}

/// `POST /operator/payouts/batches/{id}/sent`: the bank took the file; once.
pub async fn mark_sent(
    page: Page,
    path: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, AppError> {
    change(page, path.into_inner(), &form, Change::MarkSent).await
}

/// `POST /operator/payouts/batches/{id}/cancel`: the open batch is withdrawn (its file never
/// reached the bank, or is too old): its payouts wait again, its file stays as a record.
pub async fn cancel(
    page: Page,
    path: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, AppError> {
    change(page, path.into_inner(), &form, Change::Cancel).await
}

/// Both buttons: the CSRF token, an operator, the use case, then back to the page with what
/// happened in `marked` (a count, `already`, `cancelled` or `not-open`).
async fn change(
    page: Page,
    id: i64,
    form: &CsrfForm,
    change: Change,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = super::operator::operator(&page)? else {
        return Ok(page.login_redirect());
    };
    let now = page.state.clock.now();
    let by = viewer.user_id();
    let marked = db::run(&page.state, move |conn| {
        Ok(match change {
            Change::MarkSent => match batch::mark_sent(conn, id, by, now)? {
                Marked::Now(count) => count.to_string(),
                Marked::Already => "already".to_owned(),
            },
            Change::Cancel => match batch::cancel(conn, id, by, now)? {
                true => "cancelled".to_owned(),
                false => "not-open".to_owned(),
            },
        })
    })
    .await?;
    Ok(see_other(&format!("/operator/payouts?marked={marked}")))
}
