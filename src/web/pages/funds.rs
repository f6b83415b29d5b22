//! The funds page: balances, budget, voucher redemption, every movement, and its CSV export.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::domain::Locale;
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind};
use crate::i18n;
use crate::models::ledger::{self, Movement};
use crate::wallet;
use crate::web::csv_export::{Dialect, download};
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::idempotency::{self, IdempotencyKey};
use crate::web::limits::{check, client_ip};
use crate::web::page::Page;
use crate::web::session::check_csrf;

/// Movements shown on the page; the CSV export has them all.
const PAGE_MOVEMENTS: i64 = 100;
const FLASH_REDEEMED: &str = "flash_redeemed";

#[derive(Serialize)]
struct MovementLine {
    at: String,
    kind_key: String,
    amount: String,
    balance: String,
    credit: bool,
}

fn kind_key(kind: Option<MovementKind>) -> String {
    kind.map_or_else(
        || "movement-other".to_owned(),
        |k| format!("movement-{}", k.code()),
    )
}

pub async fn show(page: Page) -> Result<HttpResponse, AppError> {
    render(&page, None, "").await
}

async fn render(
    page: &Page,
    error: Option<ErrorCode>,
    typed_code: &str,
) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let user = viewer.user_id();
    let (summary, movements) = db::run(&page.state, move |conn| {
        let summary = wallet::summary(conn, user)?;
        let movements = ledger::movements(
            conn,
            AccountRef::User(user, AccountKind::Funds),
            Some(PAGE_MOVEMENTS),
        )?;
        Ok((summary, movements))
    })
    .await?;
    let lines: Vec<MovementLine> = movements
        .iter()
        .map(|m| MovementLine {
            at: i18n::format_datetime(page.locale, m.at),
            kind_key: kind_key(m.kind),
            amount: page.money(m.amount),
            balance: page.money(m.balance_after),
            credit: !m.amount.is_negative(),
        })
        .collect();
    let mut context = page.context();
    context.insert("funds", &page.money(summary.balances.funds));
    context.insert("reserved", &page.money(summary.balances.reserved));
    context.insert("budget", &summary.budget.map(|b| page.money(b.amount)));
    context.insert("budget_paused", &summary.budget.is_some_and(|b| b.paused));
    // One more than shown would tell, but a full page is a fair hint that the CSV has more.
    context.insert(
        "truncated",
        &(lines.len() >= usize::try_from(PAGE_MOVEMENTS).unwrap_or(usize::MAX)),
    );
    context.insert("movements", &lines);
    context.insert(
        "redeemed",
        &page
            .session
            .remove_as::<String>(FLASH_REDEEMED)
            .and_then(Result::ok),
    );
    context.insert("error_key", &error.map(ErrorCode::message_key));
    context.insert("typed_code", typed_code);
    // A fresh key per form: submitting the same form twice redeems once.
    context.insert("idempotency_key", &crate::security::tokens::random_secret());
    let status = error.map_or(StatusCode::OK, ErrorCode::status);
    page.render_with_status(status, "pages/funds.html", &context)
}

#[derive(Deserialize)]
pub struct RedeemForm {
    csrf_token: Option<String>,
    #[serde(default)]
    code: String,
    idempotency_key: Option<String>,
}

pub async fn redeem(
    req: HttpRequest,
    page: Page,
    form: web::Form<RedeemForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    check(&page.state.limits.redeem_by_ip, &client_ip(&req))?;
    check(&page.state.limits.redeem_by_user, &viewer.id)?;
    let key = form
        .idempotency_key
        .as_deref()
        .map(IdempotencyKey::parse)
        .transpose()?;
    let user = viewer.user_id();
    let code = form.code.clone();
    let hash = idempotency::request_hash(&req, code.trim().as_bytes());
    let now = page.state.clock.now();
    let locale = page.locale;
    let currency = page.state.settings.currency;
    let outcome = db::run(&page.state, move |conn| {
        idempotency::once(conn, user, key.as_ref(), &hash, now, |conn| {
            let credited = wallet::redeem_voucher(conn, user, &code, now)?.credited;
            Ok((
                StatusCode::OK,
                serde_json::json!({ "credited": credited.micros() }),
            ))
        })
    })
    .await;
    match outcome {
        Ok(outcome) => {
            let credited = serde_json::from_str::<serde_json::Value>(&outcome.body)
                .ok()
                .and_then(|v| v["credited"].as_i64())
                .unwrap_or_default();
            let shown = crate::domain::Money::from_micros(credited).format(locale, currency);
            page.session.insert(FLASH_REDEEMED, shown).map_err(|e| {
                AppError::Internal(anyhow::anyhow!("cannot write the session: {e}"))
            })?;
            Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/funds"))
                .finish())
        }
        Err(AppError::User(code))
            if matches!(code, ErrorCode::VoucherNotFound | ErrorCode::VoucherUsed) =>
        {
            render(&page, Some(code), &form.code).await
        }
        Err(other) => Err(other),
    }
}

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
        .and_then(|writer| download(writer, "obole-funds.csv"))
        .map_err(|e| AppError::Internal(e.context("writing CSV")))
}

/// `?sep=comma` or `?sep=semicolon` on a CSV download.
#[derive(Deserialize)]
pub struct SepQuery {
    pub sep: Option<String>,
}

fn movements_csv(
    locale: Locale,
    dialect: Dialect,
    movements: &[Movement],
) -> anyhow::Result<csv::Writer<Vec<u8>>> {
    let mut writer = dialect.writer();
    let header = ["csv-date", "csv-movement", "csv-amount", "csv-balance"]
        .map(|key| i18n::text(locale, key));
    writer.write_record(&header)?;
    for movement in movements.iter().rev() {
        writer.write_record([
            movement.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            i18n::text(locale, &kind_key(movement.kind)),
            dialect.decimal(movement.amount.to_api_string()),
            dialect.decimal(movement.balance_after.to_api_string()),
        ])?;
    }
    Ok(writer)
}
