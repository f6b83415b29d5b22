//! The home page: what Obole is, for a newcomer.

use actix_web::HttpResponse;
use serde::Serialize;

use crate::domain::Money;
use crate::domain::budget::MIN_BUDGET;
use crate::web::error::AppError;
use crate::web::page::Page;

/// The worked example's amounts, in the visitor's number format and the instance's currency.
#[derive(Serialize)]
struct ExampleAmounts {
    minimum: String,
    budget: String,
    quarter: String,
    eighth: String,
}

pub async fn show(page: Page) -> Result<HttpResponse, AppError> {
    let format =
        |micros: i64| Money::from_micros(micros).format(page.locale, page.state.settings.currency);
    // 10.00 split over 4 and 8 clicks divides exactly, so the example needs no rounding.
    let amounts = ExampleAmounts {
        minimum: MIN_BUDGET.format(page.locale, page.state.settings.currency),
        budget: format(10_000_000),
        quarter: format(2_500_000),
        eighth: format(1_250_000),
    };
    let mut context = page.context();
    context.insert("amounts", &amounts);
    page.render("pages/home.html", &context)
}
