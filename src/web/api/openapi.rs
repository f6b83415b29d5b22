//! `GET /api/v1/openapi.json`: the API's description, kept by hand beside the handlers (a test
//! checks that every path it lists is served). Hand-kept rather than generated because the
//! contract lives in PRODUCT.md and a generator's derive macros would cost build time for a
//! document of a dozen paths.

use actix_web::HttpResponse;
use actix_web::http::header;

pub const DOCUMENT: &str = include_str!("openapi.json");

pub async fn document() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(DOCUMENT)
}
