//! "My clicks": a reader's month, what one click is worth, undo buttons, earlier months.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::domain::states::ClickVia;
use crate::models::clicks as rows;
use crate::use_cases::{clicks, supporters};
use crate::web::db;
use crate::web::error::AppError;
use crate::web::page::Page;
use crate::web::params::month_param;

#[derive(Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

#[derive(Serialize)]
struct Clicked {
    id: i64,
    title: String,
    url: String,
    /// Who sees the click, and its note.
    visibility: &'static str,
    note: String,
    /// Made by the server for a subscription.
    subscription: bool,
}

pub async fn show(page: Page, query: web::Query<MonthQuery>) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let month = month_param(&page.state, query.month.as_deref())?;
    let current = page.state.clock.month();
    let reader = viewer.user_id();
    let (view, months, choices) = db::run(&page.state, move |conn| {
        Ok((
            clicks::month_clicks(conn, reader, month)?,
            rows::months_of_reader(conn, reader)?,
            supporters::choices_of(conn, reader, month)?,
        ))
    })
    .await?;
    let things: Vec<Clicked> = view
        .things
        .into_iter()
        .map(|c| {
            let choice = choices.iter().find(|n| n.thing_id == c.thing_id);
            Clicked {
                id: c.thing_id,
                subscription: c.via == ClickVia::Subscription,
                visibility: choice.map_or("private", |n| n.visibility.as_str()),
                note: choice.and_then(|n| n.note.clone()).unwrap_or_default(),
                title: c.title,
                url: c.url,
            }
        })
        .collect();
    let mut context = page.context();
    context.insert("month", &month.to_string());
    context.insert("is_current", &(month == current));
    context.insert("budget", &view.budget.map(|b| page.money(b)));
    context.insert("reserved", &view.reserved);
    context.insert(
        "value",
        &view.click_value.map(|v| page.money(v.rounded_to_cent())),
    );
    context.insert(
        "approximate",
        &view.click_value.is_some_and(|v| v.rounded_to_cent() != v),
    );
    context.insert("exact", &view.click_value.map(|v| page.money(v)));
    context.insert("things", &things);
    context.insert(
        "months",
        &months
            .into_iter()
            .filter(|m| *m != month.to_string())
            .collect::<Vec<_>>(),
    );
    context.insert(
        "subscriptions",
        &super::subscription_views::list(&page, reader).await?,
    );
    page.render("pages/clicks.html", &context)
}
