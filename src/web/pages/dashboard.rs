//! The signed-in user's home: balances and where to go next.

use actix_web::HttpResponse;

use crate::wallet;
use crate::web::db;
use crate::web::error::AppError;
use crate::web::page::Page;

pub async fn show(page: Page) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let summary = db::run(&page.state, move |conn| {
        Ok(wallet::summary(conn, viewer.user_id())?)
    })
    .await?;
    let mut context = page.context();
    context.insert("funds", &page.money(summary.balances.funds));
    context.insert("revenue", &page.money(summary.balances.revenue));
    page.render("pages/dashboard.html", &context)
}
