//! `/api/v1/me/sites`: a person's sites and their proofs (PRODUCT.md, "Claims").

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::auth::ApiUser;
use super::json::JsonObject;
use crate::domain::site::{ProofMethod, SiteKind, SiteUrl};
use crate::models::sites::SiteRow;
use crate::use_cases::claims::proof::{self, WELL_KNOWN_PATH};
use crate::use_cases::claims::sites as site_cases;
use crate::web::error::{AppError, ErrorCode};
use crate::web::locale::request_locale;
use crate::web::params::positive_id as parse_id;
use crate::web::site_check::{Checked, check_site, failure_message};
use crate::web::state::AppState;

#[derive(Deserialize)]
pub struct NewSite {
    #[serde(default)]
    url: String,
}

/// A site as the API shows it: its token, whether it is proven (and how), and what to put
/// where to prove it.
#[derive(Serialize)]
pub struct SiteBody {
    id: i64,
    url: String,
    token: String,
    verified: bool,
    method: Option<&'static str>,
    verified_at: Option<String>,
    /// Proven once, then by someone else since.
    superseded: bool,
    methods: Vec<&'static str>,
    meta_tag: String,
    well_known_url: Option<String>,
}

impl SiteBody {
    pub fn of(site: &SiteRow) -> SiteBody {
        let parsed = site.site_url();
        let kind = parsed.as_ref().map_or(SiteKind::Profile, SiteUrl::kind);
        SiteBody {
            id: site.id,
            url: site.url.clone(),
            token: site.token.clone(),
            verified: site.is_current(),
            method: site
                .is_current()
                .then(|| site.method().map(ProofMethod::code))
                .flatten(),
            verified_at: site
                .is_current()
                .then(|| site.verified_at.map(|at| at.and_utc().to_rfc3339()))
                .flatten(),
            superseded: site.superseded_at.is_some(),
            methods: ProofMethod::for_kind(kind)
                .iter()
                .map(|m| m.code())
                .collect(),
            meta_tag: proof::meta_tag(&site.token),
            well_known_url: (kind == SiteKind::Origin)
                .then(|| parsed.and_then(|u| u.origin()))
                .flatten()
                .map(|origin| format!("{origin}{WELL_KNOWN_PATH}")),
        }
    }
}

pub async fn create(
    state: web::Data<AppState>,
    api: ApiUser,
    JsonObject(body): JsonObject<NewSite>,
) -> Result<HttpResponse, AppError> {
    let url = SiteUrl::parse(&body.url).map_err(|_| AppError::User(ErrorCode::InvalidUrl))?;
    let now = state.clock.now();
    let site = api
        .run(&state, move |conn, user| {
            Ok(site_cases::add(conn, user.user_id(), &url, now)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(SiteBody::of(&site)))
}

pub async fn list(state: web::Data<AppState>, api: ApiUser) -> Result<HttpResponse, AppError> {
    let sites = api
        .run(&state, move |conn, user| {
            Ok(site_cases::list(conn, user.user_id())?)
        })
        .await?;
    let items: Vec<SiteBody> = sites.iter().map(SiteBody::of).collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items })))
}

pub async fn verify(
    req: HttpRequest,
    state: web::Data<AppState>,
    api: ApiUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(&path)?;
    // Proves the token (the check below starts from memory's owner).
    let user = api.run(&state, |_, user| Ok(user.user_id())).await?;
    let locale = request_locale(&req);
    let (code, problems) = match check_site(&state, user, id).await? {
        Checked::Proven(proven) => return Ok(HttpResponse::Ok().json(SiteBody::of(&proven.site))),
        Checked::NotPublic(problems) => (ErrorCode::SiteNotPublic, problems),
        Checked::Failed(problems) => (ErrorCode::VerificationFailed, problems),
    };
    // The contract's error object, with what was fetched and what was missing.
    Ok(HttpResponse::build(code.status()).json(serde_json::json!({
        "error": {
            "code": code.as_str(),
            "message": failure_message(locale, code, &problems),
            "problems": problems,
        }
    })))
}

pub async fn remove(
    state: web::Data<AppState>,
    api: ApiUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = parse_id(&path)?;
    let now = state.clock.now();
    api.run(&state, move |conn, user| {
        Ok(site_cases::remove(conn, user.user_id(), id, now)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
