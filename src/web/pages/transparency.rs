//! The public transparency pages (PRODUCT.md, "Transparency"; docs/TRANSPARENCY.md):
//! `/transparency`, the settled months that published a tree head, and `/transparency/{month}`,
//! one month's totals, its root and how a reader checks their share against it.
//!
//! A settled month never changes, so a visitor without a session gets an answer that shared
//! caches may keep: rendered without the session (no viewer, no CSRF token, no cookie) and
//! marked `public`. Someone who carries a session gets the usual personal page instead,
//! `no-store`, so the header still shows who they are.

use actix_web::http::header::{self, ContentType};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use tera::Context;

use crate::domain::{Locale, Money, Month};
use crate::i18n;
use crate::models::transparency as rows;
use crate::use_cases::transparency::{self, THINGS_PER_PAGE};
use crate::web::SESSION_COOKIE;
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::locale::request_locale;
use crate::web::page::{Page, layout_context};
use crate::web::state::AppState;

/// As long as the API's answers for the same months.
const PUBLIC_CACHE: &str = "public, max-age=300";

/// Characters of a root the index shows (the month's page shows all 64).
const ROOT_SHOWN: usize = 12;

#[derive(Serialize)]
struct MonthLine {
    month: String,
    name: String,
    readers: i64,
    debited: String,
    tree_size: i64,
    root_short: String,
}

/// `GET /transparency`: the published months, newest first.
pub async fn index(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let months = db::run(&state, |conn| Ok(rows::months(conn)?)).await?;
    let locale = request_locale(&req);
    let currency = state.settings.currency;
    let lines: Vec<MonthLine> = months
        .into_iter()
        .filter_map(|(month, tree_size, root, debited)| {
            let parsed = Month::parse(&month).ok()?;
            Some(MonthLine {
                name: i18n::month_name(locale, parsed),
                month,
                // One leaf per charged reader: the tree's size is the month's readers.
                readers: tree_size,
                debited: Money::from_micros(debited).format(locale, currency),
                tree_size,
                root_short: root.chars().take(ROOT_SHOWN).collect(),
            })
        })
        .collect();
    render(
        &req,
        &state,
        "pages/transparency_index.html",
        |context, _| {
            context.insert("months", &lines);
        },
    )
    .await
}

/// `GET /transparency/{month}`: a settled month's published head; 404 in the visitor's
/// language for a month that is not settled or not a month at all.
pub async fn month(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let month = Month::parse(path.trim()).map_err(|_| AppError::User(ErrorCode::NotFound))?;
    // Not settled: 404 `not_settled`, which says so.
    let head = db::run(&state, move |conn| Ok(transparency::head(conn, month)?)).await?;
    let currency = state.settings.currency;
    render(
        &req,
        &state,
        "pages/transparency_month.html",
        |context, locale| {
            let money = |amount: Money| amount.format(locale, currency);
            let rate = head.fee_percent.parse::<rust_decimal::Decimal>().ok();
            context.insert("month", &head.month);
            context.insert("month_name", &i18n::month_name(locale, month));
            context.insert("readers", &head.readers);
            context.insert("clicks", &head.clicks);
            context.insert("debited", &money(head.debited()));
            context.insert("gross", &money(head.gross()));
            context.insert("fee_label", &i18n::fee_label(locale, rate));
            context.insert("fees", &money(head.fees()));
            context.insert("held", &money(head.held()));
            context.insert("tree_size", &head.tree_size);
            context.insert("root", &head.root);
            context.insert("signature", &head.signature);
            context.insert("per_page", &THINGS_PER_PAGE);
        },
    )
    .await
}

/// Renders `template` as a public, cacheable page for a visitor without a session, or as the
/// usual personal page for someone with one. `fill` adds the page's own values.
async fn render(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    template: &str,
    fill: impl FnOnce(&mut Context, Locale),
) -> Result<HttpResponse, AppError> {
    if req.cookie(SESSION_COOKIE).is_some() {
        let page = Page::from_http(req).await?;
        let mut context = page.context();
        fill(&mut context, page.locale);
        return page.render(template, &context);
    }
    let locale = request_locale(req);
    let here = req.uri().path_and_query().map_or("/", |p| p.as_str());
    let mut context = layout_context(locale, None, "", here);
    fill(&mut context, locale);
    let html = state
        .templates
        .render(locale, template, &context)
        .map_err(|e| {
            AppError::Internal(anyhow::Error::new(e).context(format!("rendering {template}")))
        })?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::html())
        .insert_header((header::CACHE_CONTROL, PUBLIC_CACHE))
        // The words follow the language; a session gets another page.
        .insert_header((header::VARY, "Accept-Language, Cookie"))
        .body(html))
}
