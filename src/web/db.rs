//! Running database work off the async executor.

use actix_web::web;
use chrono::{DateTime, Utc};

use super::api::auth::TokenDigest;
use super::error::{AppError, ErrorCode};
use super::state::AppState;
use crate::db::DbConnection;
use crate::domain::{Month, ThingId, UserId};
use crate::models::api_tokens;
use crate::models::clicks_pg::ClickRequest;
use crate::models::discovery::{self, ListedThing, Listing, Total};
use crate::use_cases::clicks::{self, Clicked};

/// Runs `work` with a pooled connection on actix's blocking thread pool, so that neither
/// waiting for the database nor hashing a password ever stalls the executor threads.
pub async fn run<T, F>(state: &web::Data<AppState>, work: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
{
    let pool = state.pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        work(&mut conn)
    })
    .await?
}

/// Runs a short write: batched with its neighbours into one commit on SQLite (see
/// `db::group_commit`), on the blocking pool on PostgreSQL, whose row locks let writers run
/// side by side.
pub async fn write<T, F>(state: &web::Data<AppState>, work: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
{
    match &state.group_commit {
        Some(batcher) => batcher.run(work).await,
        None => run(state, work).await,
    }
}

/// Records a click the fastest way the backend allows: with its neighbours in one statement
/// on PostgreSQL (`click_writer`; the month's first click then takes the general path), in
/// the shared commit on SQLite. A click sent with an API token checks, in the same write,
/// that the token is still live (see `web::token_cache`).
pub async fn click(
    state: &web::Data<AppState>,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
    token: Option<TokenDigest>,
) -> Result<Clicked, AppError> {
    if let Some(writer) = &state.click_writer {
        let request = ClickRequest {
            reader,
            thing,
            at: now,
            token: token.as_ref().map(|t| t.0.clone()),
        };
        return match writer.click(request).await? {
            Some(done) => Ok(done),
            // The month's first click writes in a transaction of its own: it checks the
            // token there again, so that a revocation since the batch still stops it.
            None => {
                run(state, move |conn| {
                    check_token(conn, token.as_ref(), reader)?;
                    Ok(clicks::first_click(conn, reader, thing, now)?)
                })
                .await
            }
        };
    }
    write(state, move |conn| {
        check_token(conn, token.as_ref(), reader)?;
        Ok(clicks::click(conn, reader, thing, now)?)
    })
    .await
}

/// Refuses (401) a write on behalf of `reader` whose API token was revoked. Call it inside the
/// write, before anything is written: a request authenticated from memory is checked here.
pub fn check_token(
    conn: &mut DbConnection,
    token: Option<&TokenDigest>,
    reader: UserId,
) -> Result<(), AppError> {
    match token {
        Some(digest) if !api_tokens::is_live(conn, &digest.0, reader)? => {
            Err(ErrorCode::Unauthorized.into())
        }
        _ => Ok(()),
    }
}

/// A public listing. It only reads: browse's totals are kept by their worker
/// (`use_cases::popularity`), the clicks shown are exact.
pub async fn list_things(
    state: &web::Data<AppState>,
    listing: Listing,
) -> Result<(Vec<ListedThing>, Total), AppError> {
    let month = Month::containing(state.clock.now());
    run(state, move |conn| {
        Ok(discovery::list(conn, month, &listing)?)
    })
    .await
}
