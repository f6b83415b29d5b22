//! `GET /api/v1/openapi.json`: the API's description, kept by hand beside the handlers.
//! Hand-kept rather than generated because the contract lives in PRODUCT.md and a generator's
//! derive macros would cost build time; what keeps it exact instead: it states every
//! constraint the handlers' parsers enforce (patterns, lengths, codes) and every error code
//! each operation can answer, and `tests/integration/api_contract.rs` checks that every path
//! it lists is served, that the `Allow` of each path's 405 lists exactly its operations, and
//! that every operation with `security` answers 401 without a token. A new endpoint adds its
//! path here, and a `resource` in `mod.rs`.

use actix_web::HttpResponse;
use actix_web::http::header;

pub const DOCUMENT: &str = include_str!("openapi.json");

pub async fn document() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(DOCUMENT)
}
