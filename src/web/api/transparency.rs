//! The published side of settlement (PRODUCT.md, "Transparency"): `GET /api/v1/settlements/
//! {month}` (the month's tree head, public), `GET /api/v1/settlements/{month}/things` (its
//! things' totals, public, paginated) and `GET /api/v1/me/receipts/{month}` (the reader's
//! receipt). A settled month never changes, so the public answers may be cached.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::auth::ApiUser;
use crate::domain::Month;
use crate::domain::merkle::Hash;
use crate::models::transparency::HeadRow;
use crate::use_cases::transparency::{self, Receipt, THINGS_PER_PAGE};
use crate::web::db;
use crate::web::error::{AppError, ErrorCode};
use crate::web::state::AppState;

/// A month in the path: `YYYY-MM`, or 422 `invalid_month`.
fn month_in_path(text: &str) -> Result<Month, AppError> {
    Month::parse(text.trim()).map_err(|_| AppError::User(ErrorCode::InvalidMonth))
}

/// Settled months never change: a shared cache may keep their answers a while.
const PUBLIC_CACHE: &str = "public, max-age=300";

#[derive(Serialize)]
pub struct HeadBody {
    pub month: String,
    pub readers: i64,
    pub clicks: i64,
    pub debited: String,
    pub gross: String,
    pub fees: String,
    pub held: String,
    pub fee_percent: String,
    pub tree_size: i64,
    pub root: String,
    /// The Ed25519 signature (hex) of `signed` by the key at `/transparency/key`; `null` for
    /// a month settled unsigned.
    pub signature: Option<String>,
    /// The exact text signed (docs/TRANSPARENCY.md).
    pub signed: String,
    /// The public key (hex) that made `signature`: the one `/transparency/key` publishes,
    /// unless the instance changed keys since.
    pub key: Option<String>,
}

impl From<HeadRow> for HeadBody {
    fn from(head: HeadRow) -> HeadBody {
        HeadBody {
            signed: head.tree_head().text(),
            signature: head.signature.clone(),
            key: head.signing_key.clone(),
            debited: head.debited().to_api_string(),
            gross: head.gross().to_api_string(),
            fees: head.fees().to_api_string(),
            held: head.held().to_api_string(),
            month: head.month,
            readers: head.readers,
            clicks: head.clicks,
            fee_percent: head.fee_percent,
            tree_size: head.tree_size,
            root: head.root,
        }
    }
}

/// `GET /transparency/key`: the public key that signs the instance's tree heads.
pub async fn key(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, PUBLIC_CACHE))
        .json(serde_json::json!({
            "algorithm": "Ed25519",
            "public_key": hex::encode(state.head_key.as_bytes()),
            "signs": "obole-head-v1|{month}|{tree_size}|{root}|{readers}|{clicks}|{debited_micros}|{gross_micros}|{fees_micros}|{held_micros}|{fee_percent}",
        }))
}

pub async fn head(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let month = month_in_path(&path)?;
    let head = db::run(&state, move |conn| Ok(transparency::head(conn, month)?)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, PUBLIC_CACHE))
        .json(HeadBody::from(head)))
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

#[derive(Serialize)]
struct ThingBody {
    thing_id: i64,
    /// `null` for a thing hidden since.
    title: Option<String>,
    clicks: i64,
    amount: String,
    /// Its share was held: nobody had proved the page theirs when the month closed.
    held: bool,
}

pub async fn things(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let month = month_in_path(&path)?;
    let page = match query.page.as_deref().map(str::trim) {
        None | Some("") => 1,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|page| (1..=1_000_000).contains(page))
            .ok_or(AppError::User(ErrorCode::InvalidQuery))?,
    };
    let (lines, total) = db::run(&state, move |conn| {
        Ok(transparency::things(conn, month, page)?)
    })
    .await?;
    let items: Vec<ThingBody> = lines
        .into_iter()
        .map(|line| ThingBody {
            thing_id: line.thing_id,
            title: (!line.hidden).then_some(line.title),
            clicks: line.clicks,
            amount: crate::domain::Money::from_micros(line.amount_micros).to_api_string(),
            held: line.held,
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, PUBLIC_CACHE))
        .json(serde_json::json!({
            "month": month.to_string(),
            "page": page,
            "per_page": THINGS_PER_PAGE,
            "total": total,
            "items": items,
        })))
}

fn hex_list(hashes: &[Hash]) -> Vec<String> {
    hashes.iter().map(hex::encode).collect()
}

/// The receipt as the API and the download give it (PRODUCT.md's fields, and each
/// allocation's `status`).
pub fn receipt_json(receipt: &Receipt) -> serde_json::Value {
    serde_json::json!({
        "month": receipt.month.to_string(),
        "reader_id": receipt.reader.0,
        "debited": receipt.debited.to_api_string(),
        "allocations": receipt.allocations.iter().map(|(thing, amount, status)| serde_json::json!({
            "thing_id": thing.0,
            "amount": amount.to_api_string(),
            "status": status.code(),
        })).collect::<Vec<_>>(),
        "leaf": receipt.leaf,
        "leaf_hash": hex::encode(receipt.leaf_hash),
        "index": receipt.index,
        "tree_size": receipt.tree_size,
        "proof": hex_list(&receipt.proof),
        "root": receipt.root,
    })
}

pub async fn receipt(
    state: web::Data<AppState>,
    api: ApiUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let month = month_in_path(&path)?;
    let receipt = api
        .run(&state, move |conn, reader| {
            Ok(transparency::receipt(conn, reader.user_id(), month)?)
        })
        .await?;
    // A reader's own figures: never kept by a shared cache, like the page's download.
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .json(receipt_json(&receipt)))
}
