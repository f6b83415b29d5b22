//! The budget page: choose, change or pause the monthly budget.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::domain::budget::{BudgetAmount, MIN_BUDGET, Unspent};
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

/// What the form showed after an error: the amount as typed, the pause and the choice.
type Typed<'a> = (&'a str, bool, Option<Unspent>);

async fn render(
    page: &Page,
    error: Option<ErrorCode>,
    typed: Option<Typed<'_>>,
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
    let saved_unspent = current.map_or(Unspent::Keep, |b| b.unspent);
    let (amount, paused, unspent) = match typed {
        Some((text, paused, unspent)) => {
            (text.to_owned(), paused, unspent.unwrap_or(saved_unspent))
        }
        None => (
            current
                .map(|b| api_to_local(&b.amount.to_api_string(), page))
                .unwrap_or_default(),
            current.is_some_and(|b| b.paused),
            saved_unspent,
        ),
    };
    // Money rule 6: the choice is offered only where the instance names a charity; a choice
    // left from a former configuration is said to count as `keep`.
    let charity = page.state.settings.operator.charity.as_ref();
    context.insert("charity", &charity.map(|c| c.name.as_str()));
    context.insert("unspent", unspent.as_str());
    context.insert(
        "charity_gone",
        &(charity.is_none() && saved_unspent == Unspent::Charity),
    );
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
    /// Radio buttons, shown where the instance names a charity: `keep` or `charity`.
    unspent: Option<String>,
    next: Option<String>,
}

pub async fn save(page: Page, form: web::Form<BudgetForm>) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let paused = form.paused.is_some();
    let unspent = match form.unspent.as_deref().map(Unspent::parse).transpose() {
        Ok(unspent) => unspent,
        Err(_) => {
            return render(
                &page,
                Some(ErrorCode::InvalidUnspent),
                Some((&form.amount, paused, None)),
                form.next.as_deref(),
            )
            .await;
        }
    };
    let amount = match BudgetAmount::parse(&form.amount, page.state.settings.max_budget) {
        Ok(amount) => amount,
        Err(e) => {
            return render(
                &page,
                Some(AppError::from(e).code()),
                Some((&form.amount, paused, unspent)),
                form.next.as_deref(),
            )
            .await;
        }
    };
    let user = viewer.user_id();
    let now = page.state.clock.now();
    let charity_named = page.state.settings.operator.charity.is_some();
    let saved = db::run(&page.state, move |conn| {
        Ok(wallet::set_budget_choice(
            conn,
            user,
            amount,
            Some(paused),
            unspent,
            charity_named,
            now,
        )?)
    })
    .await;
    if let Err(refused @ AppError::User(..)) = saved {
        return render(
            &page,
            Some(refused.code()),
            Some((&form.amount, paused, None)),
            form.next.as_deref(),
        )
        .await;
    }
    saved?;
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
