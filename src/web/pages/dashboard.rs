//! The signed-in user's home: balances and where to go next.

use actix_web::HttpResponse;
use actix_web::http::header;

use crate::domain::Money;
use crate::web::error::AppError;
use crate::web::page::Page;

pub async fn show(page: Page) -> Result<HttpResponse, AppError> {
    if page.viewer.is_none() {
        return Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/login?next=/dashboard"))
            .finish());
    }
    let mut context = page.context();
    // No money can move before the wallet and ledger exist; these are true zeros, shown in the
    // reader's number format.
    let zero = Money::ZERO.format(page.locale, page.state.settings.currency);
    context.insert("funds", &zero);
    context.insert("revenue", &zero);
    page.render("pages/dashboard.html", &context)
}
