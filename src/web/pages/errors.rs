//! Error pages (404, 403, 429, 500…) in the visitor's language.

use actix_web::http::header::ContentType;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::domain::Locale;
use crate::web::error::{AppError, ErrorCode};
use crate::web::page::layout_context;
use crate::web::state::AppState;

/// The page for `code`. If even the error template fails, a plain localized line is sent.
pub fn error_page(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    code: ErrorCode,
    locale: Locale,
) -> HttpResponse {
    let here = req.uri().path_and_query().map_or("/", |p| p.as_str());
    let mut context = layout_context(locale, None, "", here);
    context.insert("status", &code.status().as_u16());
    context.insert(
        "title_key",
        &format!("error-title-{}", code.status().as_u16()),
    );
    context.insert("message_key", &code.message_key());
    let body = state
        .templates
        .render(locale, "pages/error.html", &context)
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "the error page failed to render");
            code.message(locale)
        });
    HttpResponse::build(code.status())
        .content_type(ContentType::html())
        .body(body)
}

/// The default service: anything no route matched.
pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::User(ErrorCode::NotFound))
}
