//! The budget page: choose, change or pause the monthly budget.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::domain::budget::{BudgetAmount, MIN_BUDGET};
use crate::models::budgets;
use crate::use_cases::wallet;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::journey::{self, tip_destination};
use crate::web::page::Page;
use crate::web::session::check_csrf;

const FLASH_SAVED: &str = "flash_budget_saved";

#[derive(Deserialize)]
pub struct BudgetQuery {
    /// The tip page this visit is a step towards, if any.
    next: Option<String>,
}

pub async fn show(page: Page, query: web::Query<BudgetQuery>) -> Result<HttpResponse, AppError> {
    render(&page, None, None, query.next.as_deref()).await
}

async fn render(
    page: &Page,
    error: Option<ErrorCode>,
    typed: Option<(&str, bool)>,
    next: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let user = viewer.user_id();
    let current = db::run(&page.state, move |conn| Ok(budgets::find(conn, user)?)).await?;
    let mut context = page.context();
    context.insert("current", &current.map(|b| page.money(b.amount)));
    context.insert("current_paused", &current.is_some_and(|b| b.paused));
    // The form shows what was typed after an error, else the saved amount in the page's format.
    let (amount, paused) = match typed {
        Some((text, paused)) => (text.to_owned(), paused),
        None => (
            current
                .map(|b| api_to_local(&b.amount.to_api_string(), page))
                .unwrap_or_default(),
            current.is_some_and(|b| b.paused),
        ),
    };
    context.insert("amount", &amount);
    context.insert("paused", &paused);
    context.insert("minimum", &page.money(MIN_BUDGET));
    context.insert("maximum", &page.money(page.state.settings.max_budget));
    context.insert(
        "saved",
        &page
            .session
            .remove_as::<bool>(FLASH_SAVED)
            .and_then(Result::ok)
            .unwrap_or(false),
    );
    context.insert("error_key", &error.map(ErrorCode::message_key));
    let journey = match tip_destination(next) {
        Some(next) => Some(journey::load(page, &next).await?),
        None => None,
    };
    context.insert("journey", &journey);
    let status = error.map_or(StatusCode::OK, ErrorCode::status);
    page.render_with_status(status, "pages/budget.html", &context)
}

/// "5.00" → "5,00" on French pages, so the field shows what a French speaker types.
fn api_to_local(text: &str, page: &Page) -> String {
    match page.locale {
        crate::domain::Locale::Fr => text.replace('.', ","),
        crate::domain::Locale::En => text.to_owned(),
    }
}

#[derive(Deserialize)]
pub struct BudgetForm {
    csrf_token: Option<String>,
    #[serde(default)]
    amount: String,
    /// A checkbox: present when ticked.
    paused: Option<String>,
    next: Option<String>,
}

pub async fn save(page: Page, form: web::Form<BudgetForm>) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let paused = form.paused.is_some();
    let amount = match BudgetAmount::parse(&form.amount, page.state.settings.max_budget) {
        Ok(amount) => amount,
        Err(e) => {
            return render(
                &page,
                Some(AppError::from(e).code()),
                Some((&form.amount, paused)),
                form.next.as_deref(),
            )
            .await;
        }
    };
    let user = viewer.user_id();
    let now = page.state.clock.now();
    db::run(&page.state, move |conn| {
        Ok(wallet::set_budget(conn, user, amount, Some(paused), now)?)
    })
    .await?;
    let to = journey::after_step(form.next.as_deref(), "/budget");
    // On the way to a tip the next page says the budget is set; the flash is for this page.
    if to == "/budget" {
        page.session
            .insert(FLASH_SAVED, true)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot write the session: {e}")))?;
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish())
}
