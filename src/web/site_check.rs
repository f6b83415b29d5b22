//! Checking a site's proof for the API and the pages alike: load the site, look on the site
//! (no connection held meanwhile), record what was found, and say it in the person's
//! language.

use actix_web::web;

use crate::domain::site::{ProofMethod, SiteUrl};
use crate::domain::{Locale, UserId};
use crate::i18n;
use crate::models::creator_profiles;
use crate::models::sites::{self, SiteRow};
use crate::use_cases::claims::sites::{self as site_cases, Proven};
use crate::use_cases::claims::verify::{self, Expected, Finding, Problem};
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::limits::check;
use crate::web::state::AppState;

/// What a check found.
#[derive(Debug)]
pub enum Checked {
    Proven(Box<Proven>),
    /// The site's address is not public: nothing was fetched.
    NotPublic(Vec<Problem>),
    Failed(Vec<Problem>),
}

/// The person's public page, where a `rel="me"` link must point.
pub fn public_page(base_url: &str, handle: &str) -> String {
    format!("{base_url}/c/{handle}")
}

/// Looks for the proof of `user`'s site `id` and records the outcome.
pub async fn check_site(
    state: &web::Data<AppState>,
    user: UserId,
    id: i64,
) -> Result<Checked, AppError> {
    check(&state.limits.site_check_by_user, &user.0)?;
    let (site, handle) = db::run(state, move |conn| {
        let site = site_cases::owned(conn, user, id)?;
        let handle = creator_profiles::find_by_user(conn, user)?.map(|p| p.handle);
        Ok((site, handle))
    })
    .await?;
    let url = SiteUrl::parse(&site.url).map_err(|_| AppError::User(ErrorCode::InvalidUrl))?;
    let expected = Expected {
        site: url,
        token: site.token.clone(),
        public_page: handle.map(|h| public_page(&state.settings.base_url, &h)),
    };
    let finding = verify::look(&state.fetcher, &expected).await;
    let now = state.clock.now();
    match finding {
        Finding::Proven(method) => {
            let proven = db::run(state, move |conn| {
                Ok(site_cases::prove(conn, id, method, None, now)?)
            })
            .await?;
            Ok(Checked::Proven(Box::new(proven)))
        }
        Finding::NotPublic { host } => {
            let problems = vec![Problem {
                method: String::new(),
                url: site.url.clone(),
                code: "not_public".into(),
                detail: host,
            }];
            record(state, id, &problems).await?;
            Ok(Checked::NotPublic(problems))
        }
        Finding::Failed(problems) => {
            record(state, id, &problems).await?;
            Ok(Checked::Failed(problems))
        }
    }
}

async fn record(
    state: &web::Data<AppState>,
    id: i64,
    problems: &[Problem],
) -> Result<(), AppError> {
    let text = serde_json::to_string(problems)
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("a site's problems")))?;
    let now = state.clock.now();
    db::run(state, move |conn| {
        Ok(sites::record_failure(conn, id, &text, now)?)
    })
    .await
}

/// The problems a site's last check recorded.
pub fn last_problems(site: &SiteRow) -> Vec<Problem> {
    site.last_failure
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default()
}

/// One problem, in `locale`: what was fetched and what was missing there.
pub fn problem_text(locale: Locale, problem: &Problem) -> String {
    let mut args = i18n::Args::new();
    args.insert("url".into(), problem.url.clone().into());
    args.insert("detail".into(), problem.detail.clone().into());
    let what = ProofMethod::parse(&problem.method)
        .map(|m| i18n::text(locale, &format!("site-what-{}", m.code())))
        .unwrap_or_default();
    args.insert("what".into(), what.into());
    i18n::lookup(
        locale,
        &format!("site-problem-{}", problem.code),
        Some(&args),
    )
    .unwrap_or_else(|| problem.code.clone())
}

/// The whole failure, in `locale`: the error code's message, then each problem.
pub fn failure_message(locale: Locale, code: ErrorCode, problems: &[Problem]) -> String {
    let mut message = code.message(locale);
    for problem in problems {
        message.push(' ');
        message.push_str(&problem_text(locale, problem));
    }
    message
}
