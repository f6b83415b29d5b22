//! Looking for a site's proof on the site itself: its page (the `obole-verification` meta
//! tag, or a `rel="me"` link to the person's public page) and, for an origin, the
//! well-known file. No database here: the caller loads the site before and records the
//! finding after, so no connection is held while a slow site answers.

use serde::{Deserialize, Serialize};
use url::Url;

use super::fetch::{FetchError, Fetched, Fetcher};
use super::proof::{WELL_KNOWN_PATH, meta_tokens, rel_me_links, well_known_matches};
use crate::domain::site::{ProofMethod, SiteKind, SiteUrl, covers};
use crate::domain::thing::ThingUrl;

/// What to look for, and where.
#[derive(Debug, Clone)]
pub struct Expected {
    pub site: SiteUrl,
    pub token: String,
    /// The person's public page (`{base}/c/{handle}`), if they have one.
    pub public_page: Option<String>,
}

/// One place looked at and what was wrong there; kept on the site (`last_failure`) and
/// rendered in the reader's language (`site-problem-{code}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// What was looked for: `meta`, `well_known` or `rel_me`.
    pub method: String,
    /// The address fetched.
    pub url: String,
    /// `missing`, `mismatch`, `cut_off`, `no_public_page`, `status`, `unreachable`,
    /// `timeout`, `redirect_off_origin`, `too_many_redirects`, `not_http`, `not_public`.
    pub code: String,
    /// A figure or address the message names (an HTTP status, a redirect's target, the
    /// byte limit, the public page expected).
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    Proven(ProofMethod),
    /// The site's address is not a public one: nothing was fetched.
    NotPublic {
        host: String,
    },
    Failed(Vec<Problem>),
}

/// Looks for the proofs the site's kind allows, the page first (one fetch serves the meta tag
/// and the `rel="me"` link), then the well-known file of an origin.
pub async fn look(fetcher: &Fetcher, expected: &Expected) -> Finding {
    let mut problems = Vec::new();
    let Ok(page_url) = Url::parse(expected.site.as_str()) else {
        return Finding::Failed(problems);
    };
    match fetcher.fetch(&page_url).await {
        // A profile page must prove itself: a redirect to another page of the host (another
        // person's, say) proves nothing about this one.
        Ok(page) if !stays_under(&expected.site, &page) => {
            problems.push(Problem {
                method: ProofMethod::Meta.code().into(),
                url: page_url.to_string(),
                code: "redirect_off_origin".into(),
                detail: page.url.to_string(),
            });
        }
        Ok(page) => {
            if meta_tokens(&page.body)
                .iter()
                .any(|t| t.trim() == expected.token)
            {
                return Finding::Proven(ProofMethod::Meta);
            }
            problems.push(missing(ProofMethod::Meta, &page, fetcher.max_bytes()));
            match &expected.public_page {
                Some(public) if links_to(&page, public) => {
                    return Finding::Proven(ProofMethod::RelMe);
                }
                Some(public) => {
                    let mut problem = missing(ProofMethod::RelMe, &page, fetcher.max_bytes());
                    if problem.code == "missing" {
                        problem.detail = public.clone();
                    }
                    problems.push(problem);
                }
                None => problems.push(Problem {
                    method: ProofMethod::RelMe.code().into(),
                    url: page.url.to_string(),
                    code: "no_public_page".into(),
                    detail: String::new(),
                }),
            }
        }
        Err(FetchError::NotPublic { host, .. }) => return Finding::NotPublic { host },
        Err(error) => problems.push(failed(ProofMethod::Meta, &page_url, &error)),
    }
    if expected.site.kind() == SiteKind::Origin
        && let Ok(file_url) = page_url.join(WELL_KNOWN_PATH)
    {
        match fetcher.fetch(&file_url).await {
            Ok(file) if well_known_matches(&file.body, &expected.token) => {
                return Finding::Proven(ProofMethod::WellKnown);
            }
            Ok(file) => problems.push(Problem {
                method: ProofMethod::WellKnown.code().into(),
                url: file.url.to_string(),
                code: "mismatch".into(),
                detail: String::new(),
            }),
            Err(FetchError::NotPublic { host, .. }) => return Finding::NotPublic { host },
            Err(error) => problems.push(failed(ProofMethod::WellKnown, &file_url, &error)),
        }
    }
    Finding::Failed(problems)
}

/// Whether the page links to the public page with `rel="me"` (scheme and a trailing slash
/// do not matter).
fn links_to(page: &Fetched, public: &str) -> bool {
    let Ok(expected) = ThingUrl::parse(public) else {
        return false;
    };
    rel_me_links(&page.body).iter().any(|href| {
        page.url
            .join(href.trim())
            .ok()
            .and_then(|url| ThingUrl::parse(url.as_str()).ok())
            .is_some_and(|url| url.key().eq_ignore_ascii_case(expected.key()))
    })
}

fn missing(method: ProofMethod, page: &Fetched, limit: usize) -> Problem {
    let (code, detail) = if page.truncated {
        ("cut_off", (limit / 1024).to_string())
    } else {
        ("missing", String::new())
    };
    Problem {
        method: method.code().into(),
        url: page.url.to_string(),
        code: code.into(),
        detail,
    }
}

fn failed(method: ProofMethod, url: &Url, error: &FetchError) -> Problem {
    let (code, detail) = match error {
        FetchError::NotHttp { .. } | FetchError::Credentials { .. } => ("not_http", String::new()),
        FetchError::NotPublic { host, .. } => ("not_public", host.clone()),
        FetchError::RedirectOffOrigin { to, .. } => ("redirect_off_origin", to.clone()),
        FetchError::TooManyRedirects { .. } => ("too_many_redirects", String::new()),
        FetchError::Timeout { .. } => ("timeout", String::new()),
        FetchError::Unreachable { .. } => ("unreachable", String::new()),
        FetchError::Status { status, .. } => ("status", status.to_string()),
    };
    Problem {
        method: method.code().into(),
        url: url.to_string(),
        code: code.into(),
        detail,
    }
}

/// Whether the page fetched (after redirects) is the site or lies under it.
fn stays_under(site: &SiteUrl, page: &Fetched) -> bool {
    ThingUrl::parse(page.url.as_str()).is_ok_and(|url| covers(site.key(), url.key()))
}
