//! The middleware that renders every error response in the request's language.

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web;

use super::error::{AppError, ErrorCode, json_body};
use super::locale::request_locale;
use super::state::AppState;

/// Renders every error response in the request's language: JSON under `/api/`, a page
/// elsewhere. Errors raised by actix itself (unknown route, bad method, oversized body) get
/// the same treatment as ours.
pub async fn localize_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?.map_into_boxed_body();
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(res);
    }
    let code = match res.response().error() {
        Some(error) => match error.as_error::<AppError>() {
            Some(app_error) => app_error.code(),
            None => ErrorCode::for_status(status),
        },
        // An empty error response from actix itself (such as 405 for a known path).
        None if matches!(
            res.response().body().size(),
            BodySize::None | BodySize::Sized(0)
        ) =>
        {
            ErrorCode::for_status(status)
        }
        // A handler's own response (a form shown again with its errors): leave it.
        None => return Ok(res),
    };
    let request = res.request().clone();
    let locale = request_locale(&request);
    // Machines call the API and the webhooks: they get the JSON error object.
    let is_api = request.path().starts_with("/api/") || request.path().starts_with("/webhooks/");
    let mut replacement = if is_api {
        json_body(code, locale)
    } else {
        match request.app_data::<web::Data<AppState>>() {
            Some(state) => super::pages::errors::error_page(state, &request, code, locale),
            None => json_body(code, locale),
        }
    };
    for name in [header::RETRY_AFTER, header::ALLOW] {
        if let Some(value) = res.headers().get(&name) {
            replacement.headers_mut().insert(name, value.clone());
        }
    }
    Ok(res.into_response(replacement))
}
