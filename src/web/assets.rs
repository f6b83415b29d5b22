//! Static files from `assets/`, embedded in the binary so that one file is the whole program.

use actix_web::http::header::{self, EntityTag, Header as _, IfNoneMatch};
use actix_web::{HttpRequest, HttpResponse, web};
use rust_embed::RustEmbed;

use super::error::{AppError, ErrorCode};

#[derive(RustEmbed)]
#[folder = "assets/"]
struct AssetFiles;

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("ttf") => "font/ttf",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

pub async fn serve(req: HttpRequest, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let file = AssetFiles::get(&path).ok_or(AppError::User(ErrorCode::NotFound))?;
    let hash: String = file
        .metadata
        .sha256_hash()
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect();
    let etag = EntityTag::new_strong(hash);
    let cache = (header::CACHE_CONTROL, "public, max-age=3600");
    if let Ok(IfNoneMatch::Items(tags)) = IfNoneMatch::parse(&req)
        && tags.iter().any(|tag| tag.weak_eq(&etag))
    {
        return Ok(HttpResponse::NotModified()
            .insert_header(header::ETag(etag))
            .insert_header(cache)
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type(&path)))
        .insert_header(header::ETag(etag))
        .insert_header(cache)
        .body(file.data.into_owned()))
}

/// `/embed.js`, the button script third-party pages load (a fixed, contract URL).
pub async fn embed_script(req: HttpRequest) -> Result<HttpResponse, AppError> {
    serve(req, web::Path::from("embed.js".to_owned())).await
}
