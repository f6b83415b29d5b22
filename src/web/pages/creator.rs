//! `/c/{handle}`: a creator's public page.

use actix_web::{HttpResponse, web};

use crate::domain::UserId;
use crate::use_cases::{creators, supporters};
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::page::Page;
use crate::web::pages::browse::Card;
use crate::web::pages::supporters::shown;

pub async fn show(page: Page, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let month = page.state.clock.month();
    let (public, notes) = db::run(&page.state, move |conn| {
        let Some(public) = creators::public_page(conn, &path, month)? else {
            return Ok(None);
        };
        let person = UserId(public.profile.user_id);
        let notes = supporters::public_of_reader(conn, person, month)?;
        Ok(Some((public, notes)))
    })
    .await?
    .ok_or(AppError::User(ErrorCode::NotFound))?;
    let mut context = page.context();
    // The clicks this person made public, with their notes.
    context.insert("public_notes", &shown(notes));
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
