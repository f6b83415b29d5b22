//! `/settings`: the ways to log in (password, linked providers), linking and unlinking, and
//! the way to one's public page.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::i18n;
use crate::models::users;
use crate::models::{creator_profiles, oauth_identities};
use crate::use_cases::oauth;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::page::Page;
use crate::web::pages::oauth::attempt::{FLASH_SETTINGS, code_of};
use crate::web::session::check_csrf;

#[derive(Serialize)]
struct ProviderLine {
    name: String,
    label: String,
    configured: bool,
    linked: bool,
    email: Option<String>,
    since: Option<String>,
}

pub async fn show(page: Page) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let user = viewer.user_id();
    let (row, identities, profile) = db::run(&page.state, move |conn| {
        let row = users::find(conn, user)?.ok_or(AppError::User(ErrorCode::Unauthorized))?;
        let profile = creator_profiles::find_by_user(conn, user)?;
        Ok((row, oauth_identities::of_user(conn, user)?, profile))
    })
    .await?;
    let configured = &page.state.settings.oauth_providers;
    let mut lines: Vec<ProviderLine> = configured
        .iter()
        .map(|p| {
            let identity = identities.iter().find(|i| i.provider == p.name);
            ProviderLine {
                name: p.name.clone(),
                label: p.label.clone(),
                configured: true,
                linked: identity.is_some(),
                email: identity.and_then(|i| i.email.clone()),
                since: identity.map(|i| i18n::format_datetime(page.locale, i.created_at)),
            }
        })
        .collect();
    // Identities of a provider the operator removed since: shown, so they can be unlinked.
    for identity in identities
        .iter()
        .filter(|i| !configured.iter().any(|p| p.name == i.provider))
    {
        lines.push(ProviderLine {
            name: identity.provider.clone(),
            label: identity.provider.clone(),
            configured: false,
            linked: true,
            email: identity.email.clone(),
            since: Some(i18n::format_datetime(page.locale, identity.created_at)),
        });
    }
    let has_password = row.password_hash.is_some();
    let methods = identities.len() + usize::from(has_password);
    let mut context = page.context();
    context.insert("has_password", &has_password);
    context.insert("handle", &profile.map(|p| p.handle));
    context.insert("email", &row.email);
    context.insert("providers", &lines);
    context.insert("last_method", &(methods <= 1));
    context.insert(
        "flash_key",
        &page
            .session
            .remove_as::<String>(FLASH_SETTINGS)
            .and_then(Result::ok),
    );
    page.render("pages/settings.html", &context)
}

#[derive(Deserialize)]
pub struct UnlinkForm {
    csrf_token: Option<String>,
}

/// `POST /settings/providers/{provider}/unlink`.
pub async fn unlink(
    page: Page,
    path: web::Path<String>,
    form: web::Form<UnlinkForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let user = viewer.user_id();
    let provider = path.into_inner();
    let done = db::run(&page.state, move |conn| {
        Ok(oauth::unlink(conn, user, &provider).map_err(code_of))
    })
    .await?;
    let flash = match done {
        Ok(()) => "settings-unlinked".to_owned(),
        Err(code) => code?.message_key(),
    };
    page.session
        .insert(FLASH_SETTINGS, flash)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot write the session: {e}")))?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/settings"))
        .finish())
}
