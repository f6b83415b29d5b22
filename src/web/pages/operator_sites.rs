//! `/operator/sites`: an operator vouches that a site is an account's (as `obole sites
//! grant` does): the things under it become theirs, with what was held for them.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::operator::operator;
use crate::domain::Email;
use crate::domain::site::SiteUrl;
use crate::use_cases::claims::sites as site_cases;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::page::Page;
use crate::web::session::check_csrf;

#[derive(Debug, Default, Deserialize)]
pub struct GrantForm {
    csrf_token: Option<String>,
    #[serde(default)]
    email: String,
    #[serde(default)]
    url: String,
}

fn render(
    page: &Page,
    form: &GrantForm,
    done: Option<(String, usize)>,
    error: Option<ErrorCode>,
) -> Result<HttpResponse, AppError> {
    let mut context = page.context();
    context.insert("email", &form.email);
    context.insert("url", &form.url);
    context.insert("done_url", &done.as_ref().map(|(url, _)| url));
    context.insert("done_moved", &done.as_ref().map_or(0, |(_, moved)| *moved));
    context.insert("error_key", &error.map(ErrorCode::message_key));
    let status = error.map_or(StatusCode::OK, ErrorCode::status);
    page.render_with_status(status, "pages/operator_sites.html", &context)
}

pub async fn show(page: Page) -> Result<HttpResponse, AppError> {
    if operator(&page)?.is_none() {
        return Ok(page.login_redirect());
    }
    render(&page, &GrantForm::default(), None, None)
}

/// `POST /operator/sites`: vouches for the site.
pub async fn grant(page: Page, form: web::Form<GrantForm>) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = operator(&page)? else {
        return Ok(page.login_redirect());
    };
    let Ok(email) = Email::parse(&form.email) else {
        return render(&page, &form, None, Some(ErrorCode::InvalidEmail));
    };
    let Ok(url) = SiteUrl::parse(&form.url) else {
        return render(&page, &form, None, Some(ErrorCode::InvalidUrl));
    };
    let by = viewer.user_id();
    let now = page.state.clock.now();
    let granted = db::run(&page.state, move |conn| {
        Ok(site_cases::grant(conn, &email, &url, Some(by), now)?)
    })
    .await;
    match granted {
        Ok(proven) => {
            tracing::info!(
                operator = by.0,
                site = proven.site.id,
                "an operator vouched for a site"
            );
            let done = (proven.site.url.clone(), proven.settled.moved.len());
            render(&page, &GrantForm::default(), Some(done), None)
        }
        Err(AppError::User(code)) => render(&page, &form, None, Some(code)),
        Err(other) => Err(other),
    }
}
