//! A creator's things: list, add, edit or hide, and the embed page.

mod embed;

pub use embed::embed;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::domain::thing::{Category, ContentLanguage, ThingInput};
use crate::models::things as rows;
use crate::use_cases::things;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::page::Page;
use crate::web::params::parse_id;
use crate::web::session::check_csrf;

#[derive(Serialize)]
struct Line {
    id: i64,
    title: String,
    url: String,
    hidden: bool,
    claimed: bool,
    clicks: i64,
    /// Readers who subscribe to it.
    subscribers: i64,
}

pub async fn mine(page: Page) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let month = page.state.clock.month();
    let owner = viewer.user_id();
    let (things, subscribers) = db::run(&page.state, move |conn| {
        Ok((
            rows::by_owner(conn, owner, month)?,
            crate::models::subscriptions::counts_for_owner(conn, owner)?,
        ))
    })
    .await?;
    let lines: Vec<Line> = things
        .into_iter()
        .map(|(t, clicks)| Line {
            id: t.id,
            title: t.title,
            url: t.url,
            hidden: t.hidden,
            claimed: t.site_id.is_some(),
            clicks,
            subscribers: subscribers.get(&t.id).copied().unwrap_or(0),
        })
        .collect();
    let mut context = page.context();
    context.insert("things", &lines);
    page.render("pages/things.html", &context)
}

/// The add/edit form's fields, as typed.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ThingForm {
    #[serde(skip_serializing)]
    csrf_token: Option<String>,
    url: String,
    title: String,
    description: String,
    category: String,
    language: String,
    hidden: Option<String>,
}

fn render_form(
    page: &Page,
    form: &ThingForm,
    editing: Option<i64>,
    error: Option<ErrorCode>,
) -> Result<HttpResponse, AppError> {
    let mut context = page.context();
    context.insert("form", form);
    context.insert("editing", &editing);
    context.insert(
        "categories",
        &Category::ALL.iter().map(|c| c.code()).collect::<Vec<_>>(),
    );
    context.insert(
        "languages_list",
        &ContentLanguage::ALL
            .iter()
            .map(|c| c.code())
            .collect::<Vec<_>>(),
    );
    context.insert("error_key", &error.map(ErrorCode::message_key));
    let status = error.map_or(StatusCode::OK, ErrorCode::status);
    page.render_with_status(status, "pages/thing_form.html", &context)
}

pub async fn new_form(page: Page) -> Result<HttpResponse, AppError> {
    if page.viewer.is_none() {
        return Ok(page.login_redirect());
    }
    let form = ThingForm {
        language: page.locale.content_language().code().to_owned(),
        ..ThingForm::default()
    };
    render_form(&page, &form, None, None)
}

fn parse_form(page: &Page, form: &ThingForm) -> Result<ThingInput, AppError> {
    Ok(ThingInput::parse(
        &form.url,
        &form.title,
        Some(&form.description),
        Some(&form.category),
        Some(&form.language),
        page.locale.content_language(),
    )?)
}

pub async fn create(page: Page, form: web::Form<ThingForm>) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let input = match parse_form(&page, &form) {
        Ok(input) => input,
        Err(AppError::User(code)) => return render_form(&page, &form, None, Some(code)),
        Err(other) => return Err(other),
    };
    let owner = viewer.user_id();
    let now = page.state.clock.now();
    match db::run(&page.state, move |conn| {
        Ok(things::add(conn, owner, &input, now)?)
    })
    .await
    {
        Ok(thing) => Ok(redirect(&format!("/things/{}/embed", thing.id))),
        Err(AppError::User(code)) => render_form(&page, &form, None, Some(code)),
        Err(other) => Err(other),
    }
}

pub async fn edit_form(page: Page, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let id = parse_id(&path)?;
    let owner = viewer.user_id();
    let thing = db::run(&page.state, move |conn| Ok(things::owned(conn, owner, id)?)).await?;
    let form = ThingForm {
        csrf_token: None,
        url: thing.url,
        title: thing.title,
        description: thing.description,
        category: thing.category,
        language: thing.language,
        hidden: thing.hidden.then(|| "on".to_owned()),
    };
    render_form(&page, &form, Some(id.0), None)
}

pub async fn update(
    page: Page,
    path: web::Path<String>,
    form: web::Form<ThingForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let id = parse_id(&path)?;
    let input = match parse_form(&page, &form) {
        Ok(input) => input,
        Err(AppError::User(code)) => return render_form(&page, &form, Some(id.0), Some(code)),
        Err(other) => return Err(other),
    };
    let owner = viewer.user_id();
    let hidden = form.hidden.is_some();
    let now = page.state.clock.now();
    match db::run(&page.state, move |conn| {
        Ok(things::edit(conn, owner, id, &input, hidden, now)?)
    })
    .await
    {
        Ok(()) => {
            page.state.clicked(id);
            Ok(redirect("/things"))
        }
        Err(AppError::User(code))
            if code != ErrorCode::NotFound && code != ErrorCode::Forbidden =>
        {
            render_form(&page, &form, Some(id.0), Some(code))
        }
        Err(other) => Err(other),
    }
}

fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}
