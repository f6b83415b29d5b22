//! `/c/{handle}`: a creator's public page.

use actix_web::{HttpResponse, web};

use crate::domain::Month;
use crate::use_cases::creators;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::page::Page;
use crate::web::pages::browse::Card;

pub async fn show(page: Page, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let month = Month::containing(page.state.clock.now());
    let public = db::run(&page.state, move |conn| {
        Ok(creators::public_page(conn, &path, month)?)
    })
    .await?
    .ok_or(AppError::User(ErrorCode::NotFound))?;
    let mut context = page.context();
    context.insert("handle", &public.profile.handle);
    context.insert("public_name", &public.profile.public_name);
    context.insert("description", &public.profile.description);
    context.insert("links", &public.profile.links());
    context.insert("month_clicks", &public.month_clicks);
    context.insert("things_total", &public.things_total);
    context.insert(
        "things",
        &public
            .things
            .into_iter()
            .map(Card::from)
            .collect::<Vec<_>>(),
    );
    context.insert(
        "clicked",
        &public
            .clicked
            .map(|c| c.into_iter().map(Card::from).collect::<Vec<_>>()),
    );
    context.insert("month_name", &crate::i18n::month_name(page.locale, month));
    page.render("pages/creator.html", &context)
}
