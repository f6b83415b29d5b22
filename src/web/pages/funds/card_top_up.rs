//! `POST /funds/card`: a card top-up, created at the payment provider and confirmed in the page.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::{Typed, render};
use crate::domain::top_up::TopUpAmount;
use crate::web::error::{AppError, ErrorCode};
use crate::web::idempotency::IdempotencyKey;
use crate::web::journey::tip_destination;
use crate::web::limits::{check, client_ip};
use crate::web::page::Page;
use crate::web::session::check_csrf;
use crate::web::top_up;

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
