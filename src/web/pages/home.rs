//! The home page: what Obole is, for a newcomer.

use actix_web::HttpResponse;

use crate::web::error::AppError;
use crate::web::page::Page;

pub async fn show(page: Page) -> Result<HttpResponse, AppError> {
    page.render("pages/home.html", &page.context())
}
