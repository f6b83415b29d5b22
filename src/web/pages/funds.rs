//! The funds page: balances, budget, voucher redemption, every movement, and its CSV export.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::domain::ledger::{AccountKind, AccountRef, MovementKind};
use crate::domain::top_up::{MAX_TOP_UP, MIN_TOP_UP, PRESET_CENTS, TopUpAmount};
use crate::domain::{Locale, Money};
use crate::i18n;
use crate::models::card_payments as card_rows;
use crate::models::ledger::{self, Movement};
use crate::use_cases::wallet;
use crate::web::csv_export::{Cell, Dialect, Sheet};
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::idempotency::{self, IdempotencyKey};
use crate::web::journey::{self, tip_destination};
use crate::web::limits::{check, client_ip};
use crate::web::page::Page;
use crate::web::session::check_csrf;
use crate::web::top_up;

/// Movements shown on the page; the CSV export has them all.
const PAGE_MOVEMENTS: i64 = 100;
/// Card payments shown on the page.
const PAGE_CARD_PAYMENTS: i64 = 10;
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

/// What the forms of the page show again after a refusal.
#[derive(Default)]
struct Typed<'a> {
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

async fn render(
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

#[derive(Deserialize)]
pub struct RedeemForm {
    csrf_token: Option<String>,
    #[serde(default)]
    code: String,
    idempotency_key: Option<String>,
    next: Option<String>,
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
            let to = journey::after_step(form.next.as_deref(), "/funds");
            // On the way to a tip the next step shows the new funds; the flash is for this page.
            if to == "/funds" {
                page.session.insert(FLASH_REDEEMED, shown).map_err(|e| {
                    AppError::Internal(anyhow::anyhow!("cannot write the session: {e}"))
                })?;
            }
            Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, to))
                .finish())
        }
        Err(AppError::User(code))
            if matches!(code, ErrorCode::VoucherNotFound | ErrorCode::VoucherUsed) =>
        {
            let typed = Typed {
                voucher_error: Some(code),
                code: &form.code,
                next: form.next.as_deref(),
                ..Typed::default()
            };
            render(&page, &typed, false).await
        }
        Err(other) => Err(other),
    }
}

#[derive(Deserialize)]
pub struct CardForm {
    csrf_token: Option<String>,
    /// A preset amount, or `other` for the typed one.
    #[serde(default)]
    amount: String,
    #[serde(default)]
    other_amount: String,
    idempotency_key: Option<String>,
    next: Option<String>,
}

/// `POST /funds/card`: creates the payment and shows the card form that confirms it.
pub async fn card(
    req: HttpRequest,
    page: Page,
    form: web::Form<CardForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let stripe = top_up::stripe(&page.state)?.clone();
    check(&page.state.limits.redeem_by_ip, &client_ip(&req))?;
    let typed = if form.amount == "other" || form.amount.is_empty() {
        form.other_amount.as_str()
    } else {
        form.amount.as_str()
    };
    let refused = |code: ErrorCode| Typed {
        card_error: Some(code),
        amount: typed,
        next: form.next.as_deref(),
        ..Typed::default()
    };
    let amount = match TopUpAmount::parse(typed) {
        Ok(amount) => amount,
        Err(e) => return render(&page, &refused(AppError::from(e).code()), false).await,
    };
    let key = match form.idempotency_key.as_deref().map(IdempotencyKey::parse) {
        Some(Ok(key)) => key.as_str().to_owned(),
        _ => crate::security::tokens::random_secret(),
    };
    let started = match top_up::start(&page.state, viewer.user_id(), amount, &key).await {
        Ok(started) => started,
        Err(AppError::User(code)) => return render(&page, &refused(code), false).await,
        Err(other) => return Err(other),
    };
    let mut context = page.context();
    context.insert("amount", &page.money(started.payment.amount()));
    context.insert("publishable_key", &stripe.publishable_key);
    context.insert("client_secret", &started.client_secret);
    context.insert("stripe_js", &stripe.js_url());
    context.insert("next", &tip_destination(form.next.as_deref()));
    let mut response =
        page.render_with_status(StatusCode::OK, "pages/funds_card.html", &context)?;
    let csp = top_up::card_page_csp(&stripe);
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_str(&csp).map_err(|e| AppError::Internal(e.into()))?,
    );
    // The client secret must not linger in caches.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
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
        .and_then(|sheet| sheet.download("obole-funds.csv"))
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
