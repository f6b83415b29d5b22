//! `/settings/profile`: a person's public page (handle, name, description, links) and whether
//! their clicks are public.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::domain::profile::ProfileInput;
use crate::models::creator_profiles;
use crate::use_cases::creators;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::page::Page;
use crate::web::session::check_csrf;

/// The form's fields, as typed.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ProfileForm {
    #[serde(skip_serializing)]
    csrf_token: Option<String>,
    handle: String,
    public_name: String,
    description: String,
    links: String,
    clicks_public: Option<String>,
}

fn render_form(
    page: &Page,
    form: &ProfileForm,
    saved_handle: Option<&str>,
    error: Option<ErrorCode>,
) -> Result<HttpResponse, AppError> {
    let mut context = page.context();
    context.insert("form", form);
    context.insert("saved_handle", &saved_handle);
    context.insert("saved", &page.here.contains("saved=1"));
    context.insert("error_key", &error.map(ErrorCode::message_key));
    let status = error.map_or(StatusCode::OK, ErrorCode::status);
    page.render_with_status(status, "pages/profile.html", &context)
}

pub async fn show(page: Page) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let user = viewer.user_id();
    let row = db::run(&page.state, move |conn| {
        Ok(creator_profiles::find_by_user(conn, user)?)
    })
    .await?;
    let form = match &row {
        Some(p) => ProfileForm {
            handle: p.handle.clone(),
            public_name: p.public_name.clone(),
            description: p.description.clone(),
            links: p.links.clone(),
            clicks_public: p.clicks_public.then(|| "on".to_owned()),
            ..ProfileForm::default()
        },
        None => ProfileForm {
            public_name: viewer.display_name.clone(),
            ..ProfileForm::default()
        },
    };
    render_form(&page, &form, row.as_ref().map(|p| p.handle.as_str()), None)
}

pub async fn save(page: Page, form: web::Form<ProfileForm>) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let input = match ProfileInput::parse(
        &form.handle,
        &form.public_name,
        &form.description,
        &form.links,
        form.clicks_public.is_some(),
    ) {
        Ok(input) => input,
        Err(error) => return render_form(&page, &form, None, Some(code_of(error.into())?)),
    };
    let user = viewer.user_id();
    let now = page.state.clock.now();
    let saved = db::run(&page.state, move |conn| {
        Ok(creators::save(conn, user, &input, now).map_err(AppError::from))
    })
    .await?;
    match saved {
        Ok(()) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/settings/profile?saved=1"))
            .finish()),
        Err(error) => render_form(&page, &form, None, Some(code_of(error)?)),
    }
}

/// A refusal the form shows, or the error itself.
fn code_of(error: AppError) -> Result<ErrorCode, AppError> {
    match error {
        AppError::User(code) => Ok(code),
        other => Err(other),
    }
}
