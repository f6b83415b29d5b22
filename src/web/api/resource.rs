//! One API path and the methods it answers. Any other method on a known path answers 405
//! `method_not_allowed` with an `Allow` header built from the same list, so that the header
//! can never disagree with the routes (an unknown path stays 404 `not_found`).

use actix_web::http::{Method, header};
use actix_web::{HttpRequest, HttpResponse, Resource, Route, web};

use crate::web::error::{ErrorCode, json_body};
use crate::web::locale::request_locale;

/// `path` served by `routes` (a method and its handler, `web::to(handler)`), and 405 for the
/// rest. `HEAD` is listed wherever `GET` is: the `head_as_get` middleware answers it.
pub fn resource(path: &str, routes: Vec<(Method, Route)>) -> Resource {
    let allow = allow_header(routes.iter().map(|(method, _)| method));
    let mut resource = web::resource(path);
    for (method, route) in routes {
        resource = resource.route(route.method(method));
    }
    resource.default_service(web::to(move |req: HttpRequest| {
        let allow = allow.clone();
        async move { method_not_allowed(&req, &allow) }
    }))
}

/// The `Allow` value: the methods in the order given, `HEAD` right after `GET`.
fn allow_header<'a>(methods: impl Iterator<Item = &'a Method>) -> String {
    let mut names: Vec<&str> = Vec::new();
    for method in methods {
        names.push(method.as_str());
        if *method == Method::GET {
            names.push(Method::HEAD.as_str());
        }
    }
    names.join(", ")
}

/// The contract's error object in the request's language, written here rather than by the
/// `localize_errors` middleware because the `Allow` value belongs to this resource.
fn method_not_allowed(req: &HttpRequest, allow: &str) -> HttpResponse {
    let mut response = json_body(ErrorCode::MethodNotAllowed, request_locale(req));
    if let Ok(value) = header::HeaderValue::from_str(allow) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_follows_get_and_the_order_is_kept() {
        let methods = [Method::POST, Method::GET, Method::DELETE];
        assert_eq!(allow_header(methods.iter()), "POST, GET, HEAD, DELETE");
        assert_eq!(allow_header([Method::PUT].iter()), "PUT");
    }
}
