//! The funds page: balances, budget, voucher redemption, every movement, and its CSV export.

mod card_top_up;
pub(crate) mod movements_csv;
mod vouchers;

pub use card_top_up::{CardForm, card};
pub use movements_csv::{SepQuery, csv};
pub use vouchers::{RedeemForm, redeem};

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::domain::Money;
use crate::domain::ledger::{AccountKind, AccountRef, MovementKind};
use crate::domain::top_up::{MAX_TOP_UP, MIN_TOP_UP, PRESET_CENTS};
use crate::i18n;
use crate::models::card_payments as card_rows;
use crate::models::ledger::{self};
use crate::use_cases::wallet;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::journey::{self, tip_destination};
use crate::web::page::Page;

/// Movements shown on the page; the CSV export has them all.
const PAGE_MOVEMENTS: i64 = 100;
/// Card payments shown on the page.
const PAGE_CARD_PAYMENTS: i64 = 10;
pub(super) const FLASH_REDEEMED: &str = "flash_redeemed";

#[derive(Serialize)]
struct MovementLine {
    at: String,
    kind_key: String,
    amount: String,
    balance: String,
    credit: bool,
}

pub(super) fn kind_key(kind: Option<MovementKind>) -> String {
    kind.map_or_else(
        || "movement-other".to_owned(),
        |k| format!("movement-{}", k.code()),
    )
}

/// What the forms of the page show again after a refusal.
#[derive(Default)]
pub(super) struct Typed<'a> {
    voucher_error: Option<ErrorCode>,
    code: &'a str,
    card_error: Option<ErrorCode>,
    amount: &'a str,
    next: Option<&'a str>,
}

#[derive(Serialize)]
struct CardLine {
    at: String,
    amount: String,
    state: String,
    failure: Option<String>,
    refunded: Option<String>,
}

#[derive(Deserialize)]
pub struct FundsQuery {
    /// Set by the card page once Stripe.js confirmed a payment.
    card: Option<String>,
    /// The tip page this visit is a step towards, if any.
    next: Option<String>,
}

pub async fn show(page: Page, query: web::Query<FundsQuery>) -> Result<HttpResponse, AppError> {
    let confirming = query.card.as_deref() == Some("confirming");
    let typed = Typed {
        next: query.next.as_deref(),
        ..Typed::default()
    };
    render(&page, &typed, confirming).await
}

pub(super) async fn render(
    page: &Page,
    typed: &Typed<'_>,
    confirming: bool,
) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let user = viewer.user_id();
    let (summary, movements, card_payments) = db::run(&page.state, move |conn| {
        let summary = wallet::summary(conn, user)?;
        let movements = ledger::movements(
            conn,
            AccountRef::User(user, AccountKind::Funds),
            Some(PAGE_MOVEMENTS),
        )?;
        let card_payments = card_rows::for_user(conn, user, PAGE_CARD_PAYMENTS)?;
        Ok((summary, movements, card_payments))
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
    context.insert(
        "error_key",
        &typed.voucher_error.map(ErrorCode::message_key),
    );
    context.insert("typed_code", typed.code);
    // A fresh key per form: submitting the same form twice redeems (or pays) once.
    context.insert("idempotency_key", &crate::security::tokens::random_secret());
    let cards = page.state.settings.stripe.is_some();
    context.insert("cards", &cards);
    if cards {
        let presets: Vec<(String, String)> = PRESET_CENTS
            .iter()
            .filter_map(|cents| Money::from_cents(*cents))
            .map(|m| (m.to_api_string(), page.money(m)))
            .collect();
        context.insert("card_presets", &presets);
        context.insert("card_minimum", &page.money(MIN_TOP_UP));
        context.insert("card_maximum", &page.money(MAX_TOP_UP));
        context.insert(
            "card_error_key",
            &typed.card_error.map(ErrorCode::message_key),
        );
        context.insert("typed_amount", typed.amount);
        context.insert("confirming", &confirming);
    }
    let journey = match tip_destination(typed.next) {
        Some(next) => Some(journey::load(page, &next).await?),
        None => None,
    };
    context.insert("journey", &journey);
    let card_lines: Vec<CardLine> = card_payments
        .iter()
        .map(|p| CardLine {
            at: i18n::format_datetime(page.locale, p.created_at),
            amount: page.money(p.amount()),
            state: format!("card-state-{}", p.state),
            failure: p.failure_message.clone(),
            refunded: (p.refunded() > Money::ZERO).then(|| page.money(p.refunded())),
        })
        .collect();
    context.insert("card_payments", &card_lines);
    let error = typed.voucher_error.or(typed.card_error);
    let status = error.map_or(StatusCode::OK, ErrorCode::status);
    page.render_with_status(status, "pages/funds.html", &context)
}
