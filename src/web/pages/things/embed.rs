//! `/things/{id}/embed`: the button's previews in both themes and the code to paste.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};

use crate::domain::Locale;
use crate::use_cases::things;
use crate::web::badge::{HEIGHT, Theme, label};
use crate::web::button::{alt_text, button_in};
use crate::web::db;
use crate::web::error::AppError;
use crate::web::page::Page;
use crate::web::params::parse_id;

/// The embed page: the button's previews in both themes and its code for the page the
/// creator says they have (`?theme=dark`: a choice made with links, so it needs no script).
pub async fn embed(
    page: Page,
    path: web::Path<String>,
    // A map, not a struct: a repeated or odd parameter is ignored, never a 400.
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let id = parse_id(&path)?;
    let theme = Theme::parse(query.get("theme").map_or("", String::as_str));
    let owner = viewer.user_id();
    let thing = db::run(&page.state, move |conn| Ok(things::owned(conn, owner, id)?)).await?;
    let base = &page.state.settings.base_url;
    let locale = Locale::of_content(&thing.language);
    let button = button_in(base, id, &thing.title, locale);
    let dark = theme == Theme::Dark;
    let mut context = page.context();
    context.insert(
        "thing",
        &serde_json::json!({ "id": thing.id, "title": thing.title, "hidden": thing.hidden }),
    );
    context.insert("theme", theme.code());
    context.insert(
        "badge",
        if dark {
            &button.badge_dark
        } else {
            &button.badge
        },
    );
    context.insert(
        "badge_html",
        if dark {
            &button.html_dark
        } else {
            &button.html
        },
    );
    context.insert(
        "script_html",
        if dark {
            &button.script_dark
        } else {
            &button.script
        },
    );
    // Escaped by `alt_text` already: the page prints it as it is.
    context.insert("alt", &alt_text(&thing.title, locale));
    context.insert("height", &HEIGHT);
    context.insert("label", label(locale));
    context.insert(
        "link_html",
        &format!(r#"<a href="{}">{}</a>"#, button.link, label(locale)),
    );
    context.insert("button", &button);
    context.insert("claimed", &thing.site_id.is_some());
    page.render("pages/thing_embed.html", &context)
}
