//! Two rules every response follows, whatever its handler: `HEAD` works wherever `GET` does,
//! and a response that shared caches may keep carries no cookie.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};

/// Routes a `HEAD` request as the `GET` it mirrors (uptime monitors and load balancers send
/// `HEAD`). The HTTP/1 encoder knows the request was `HEAD`: it sends the status and the
/// headers, `Content-Length` included, and no body. A `GET` that uses up a one-time link
/// (address verification, a provider's callback) is not run for a `HEAD`, which link
/// scanners send: it answers 200 without a body, and the link still works.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    if req.method() == Method::HEAD {
        if uses_a_one_time_link(req.path()) {
            let answer = HttpResponse::Ok()
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .finish();
            return Ok(req.into_response(answer).map_into_right_body());
        }
        req.head_mut().method = Method::GET;
    }
    Ok(next.call(req).await?.map_into_left_body())
}

fn uses_a_one_time_link(path: &str) -> bool {
    path == "/verify-email" || (path.starts_with("/auth/") && path.ends_with("/callback"))
}

/// Drops `Set-Cookie` from responses marked `Cache-Control: public` (feeds, badges, assets,
/// `/embed.js`): a shared cache would hand one visitor's session cookie to the next. The
/// handlers of those responses do not touch the session; this keeps it so if one ever does.
pub async fn no_cookie_when_public(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let mut response = next.call(req).await?;
    let public = response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .split(',')
                .any(|directive| directive.trim().eq_ignore_ascii_case("public"))
        });
    if public {
        response.headers_mut().remove(header::SET_COOKIE);
    }
    Ok(response)
}
