//! Reading what pages say, for tests that use a plain HTTP client.

/// The CSRF token of the first form on the page.
pub fn csrf_token(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html
        .find(marker)
        .map(|i| i + marker.len())
        .expect("a form with a CSRF token");
    let end = html[start..].find('"').expect("closing quote");
    html[start..start + end].to_owned()
}

/// The text of the first `<h1>`, tags stripped.
pub fn heading(html: &str) -> String {
    let start = html
        .find("<h1")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1))
        .expect("an h1");
    let end = html[start..].find("</h1>").expect("closing h1");
    html[start..start + end].trim().to_owned()
}

/// The `lang` attribute of the `<html>` element.
pub fn document_language(html: &str) -> String {
    let marker = "<html lang=\"";
    let start = html
        .find(marker)
        .map(|i| i + marker.len())
        .expect("html lang");
    html[start..start + 2].to_owned()
}

/// The `obole_session` Set-Cookie header of a response, attributes included.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("obole_session="))
        .map(str::to_owned)
}

/// `name=value` of a Set-Cookie header, without its attributes.
pub fn cookie_pair(set_cookie: &str) -> &str {
    set_cookie.split(';').next().unwrap_or_default()
}
