//! `/settings/sites`: the sites a person says are theirs, what to put where to prove each
//! (with copy buttons), a "check now" button, and what the last check found.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::domain::UserId;
use crate::domain::site::{ProofMethod, SiteKind, SiteUrl};
use crate::i18n;
use crate::models::creator_profiles;
use crate::models::sites::SiteRow;
use crate::use_cases::claims::proof::WELL_KNOWN_PATH;
use crate::use_cases::claims::proof::meta_tag;
use crate::use_cases::claims::sites as site_cases;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::page::Page;
use crate::web::params::positive_id as parse_id;
use crate::web::session::check_csrf;
use crate::web::site_check::{Checked, check_site, last_problems, problem_text, public_page};

/// The session key of the message shown once after a redirect.
const FLASH_SITES: &str = "flash_sites";

#[derive(Serialize)]
struct SiteCard {
    id: i64,
    url: String,
    token: String,
    verified: bool,
    superseded: bool,
    method_key: Option<String>,
    verified_on: Option<String>,
    origin: bool,
    meta_tag: String,
    well_known_url: Option<String>,
    checked_on: Option<String>,
    problems: Vec<String>,
}

fn card(page: &Page, site: &SiteRow) -> SiteCard {
    let parsed = site.site_url();
    let origin = parsed
        .as_ref()
        .is_some_and(|u| u.kind() == SiteKind::Origin);
    let failed = site.last_failure.is_some() && !site.is_current();
    SiteCard {
        id: site.id,
        url: site.url.clone(),
        token: site.token.clone(),
        verified: site.is_current(),
        superseded: site.superseded_at.is_some(),
        method_key: site
            .method()
            .map(|m: ProofMethod| format!("site-method-{}", m.code())),
        verified_on: site
            .verified_at
            .map(|at| i18n::format_datetime(page.locale, at)),
        origin,
        meta_tag: meta_tag(&site.token),
        well_known_url: origin
            .then(|| parsed.and_then(|u| u.origin()))
            .flatten()
            .map(|o| format!("{o}{WELL_KNOWN_PATH}")),
        checked_on: site
            .last_checked_at
            .filter(|_| failed)
            .map(|at| i18n::format_datetime(page.locale, at)),
        problems: if failed {
            last_problems(site)
                .iter()
                .map(|p| problem_text(page.locale, p))
                .collect()
        } else {
            Vec::new()
        },
    }
}

async fn render(
    page: &Page,
    typed: &str,
    error: Option<ErrorCode>,
) -> Result<HttpResponse, AppError> {
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let user = viewer.user_id();
    let (sites, handle) = db::run(&page.state, move |conn| {
        let sites = site_cases::list(conn, user)?;
        let handle = creator_profiles::find_by_user(conn, user)?.map(|p| p.handle);
        Ok((sites, handle))
    })
    .await?;
    let mut context = page.context();
    let cards: Vec<SiteCard> = sites.iter().map(|s| card(page, s)).collect();
    context.insert("sites", &cards);
    context.insert("typed", typed);
    context.insert(
        "rel_me",
        &handle.as_ref().map(|h| {
            format!(
                r#"<a rel="me" href="{}">Obole</a>"#,
                public_page(&page.state.settings.base_url, h)
            )
        }),
    );
    context.insert("error_key", &error.map(ErrorCode::message_key));
    context.insert(
        "flash_key",
        &page
            .session
            .remove_as::<String>(FLASH_SITES)
            .and_then(Result::ok),
    );
    let status = error.map_or(StatusCode::OK, ErrorCode::status);
    page.render_with_status(status, "pages/sites.html", &context)
}

pub async fn show(page: Page) -> Result<HttpResponse, AppError> {
    render(&page, "", None).await
}

#[derive(Deserialize)]
pub struct SiteForm {
    csrf_token: Option<String>,
    #[serde(default)]
    url: String,
}

/// `POST /settings/sites`: adds a site.
pub async fn add(page: Page, form: web::Form<SiteForm>) -> Result<HttpResponse, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = page.viewer.clone() else {
        return Ok(page.login_redirect());
    };
    let Ok(url) = SiteUrl::parse(&form.url) else {
        return render(&page, &form.url, Some(ErrorCode::InvalidUrl)).await;
    };
    let user = viewer.user_id();
    let now = page.state.clock.now();
    let site = db::run(&page.state, move |conn| {
        Ok(site_cases::add(conn, user, &url, now)?)
    })
    .await?;
    Ok(back_to(site.id))
}

#[derive(Deserialize)]
pub struct ActionForm {
    csrf_token: Option<String>,
}

/// What an action on one site starts with: the form's CSRF token, the person (`None`: not
/// logged in) and the site's id.
fn action_on(
    page: &Page,
    path: &str,
    form: &ActionForm,
) -> Result<Option<(UserId, i64)>, AppError> {
    check_csrf(&page.session, form.csrf_token.as_deref())?;
    let Some(viewer) = page.viewer.as_ref() else {
        return Ok(None);
    };
    Ok(Some((viewer.user_id(), parse_id(path)?)))
}

/// `POST /settings/sites/{id}/check`: looks for the proof now.
pub async fn check(
    page: Page,
    path: web::Path<String>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, AppError> {
    let Some((user, id)) = action_on(&page, &path, &form)? else {
        return Ok(page.login_redirect());
    };
    let flash = match check_site(&page.state, user, id).await? {
        Checked::Proven(proven) if proven.settled.moved.is_empty() => "sites-proven",
        Checked::Proven(_) => "sites-proven-moved",
        Checked::NotPublic(_) => "error-site_not_public",
        Checked::Failed(_) => "sites-check-failed",
    };
    flash_to(&page, flash)?;
    Ok(back_to(id))
}

/// `POST /settings/sites/{id}/remove`.
pub async fn remove(
    page: Page,
    path: web::Path<String>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, AppError> {
    let Some((user, id)) = action_on(&page, &path, &form)? else {
        return Ok(page.login_redirect());
    };
    let now = page.state.clock.now();
    db::run(&page.state, move |conn| {
        Ok(site_cases::remove(conn, user, id, now)?)
    })
    .await?;
    flash_to(&page, "sites-removed")?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/settings/sites"))
        .finish())
}

fn flash_to(page: &Page, key: &str) -> Result<(), AppError> {
    page.session
        .insert(FLASH_SITES, key.to_owned())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot write the session: {e}")))
}

fn back_to(id: i64) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/settings/sites#site-{id}")))
        .finish()
}
