//! Recognising a redirect and where it leads.

use reqwest::StatusCode;
use url::Url;

use super::FetchError;

/// The next address when `response` is a redirect, resolved against `current`.
pub(super) fn target(
    current: &Url,
    response: &reqwest::Response,
) -> Result<Option<Url>, FetchError> {
    // Other 3xx (300 Multiple Choices, 304 Not Modified) are final answers, judged by status.
    let redirects = [
        StatusCode::MOVED_PERMANENTLY,
        StatusCode::FOUND,
        StatusCode::SEE_OTHER,
        StatusCode::TEMPORARY_REDIRECT,
        StatusCode::PERMANENT_REDIRECT,
    ];
    if !redirects.contains(&response.status()) {
        return Ok(None);
    }
    let Some(location) = response.headers().get(reqwest::header::LOCATION) else {
        return Ok(None);
    };
    location
        .to_str()
        .ok()
        .and_then(|text| current.join(text).ok())
        .map(Some)
        .ok_or_else(|| FetchError::Unreachable {
            url: current.to_string(),
            reason: format!("redirect to an invalid address {location:?}"),
        })
}

/// Whether a redirect stays on the site: the same origin, or the same host moving from http
/// to https on the default ports (sites prove a host and path, whatever the scheme).
pub(super) fn same_site(start: &Url, next: &Url) -> bool {
    next.origin() == start.origin()
        || (start.scheme() == "http"
            && next.scheme() == "https"
            && start.host_str() == next.host_str()
            && start.port().is_none()
            && next.port().is_none())
}
