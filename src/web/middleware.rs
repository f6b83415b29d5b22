//! Two rules every response follows, whatever its handler: `HEAD` works wherever `GET` does,
//! and a response that shared caches may keep carries no cookie.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;

/// Routes a `HEAD` request as the `GET` it mirrors (uptime monitors and load balancers send
/// `HEAD`). The HTTP/1 encoder knows the request was `HEAD`: it sends the status and the
/// headers, `Content-Length` included, and no body.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
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
