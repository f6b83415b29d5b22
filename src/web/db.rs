//! Running database work off the async executor.

use actix_web::web;
use chrono::{DateTime, Utc};

use super::error::{AppError, ErrorCode};
use super::state::AppState;
use super::token_cache::TokenDigest;
use crate::db::DbConnection;
use crate::db::batcher::{BatchError, JobError};
use crate::domain::{ThingId, UserId};
use crate::models::api_tokens;
use crate::models::discovery::{self, ListedThing, Listing, Total};
use crate::use_cases::clicks::{self, Batched, Clicked};

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

/// Runs a short write: batched with its neighbours into one commit where the database shares
/// commits (SQLite, see `db::group_commit`), else on the blocking pool (PostgreSQL, whose row
/// locks let writers run side by side).
pub async fn write<T, F>(state: &web::Data<AppState>, work: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
{
    match state.writes.shared_commit() {
        Some(commit) => commit.run(work).await,
        None => run(state, work).await,
    }
}

/// Records a click with its neighbours (`use_cases::clicks::record`); the month's first click,
/// which the batch leaves to the general path, then writes in a transaction of its own. A click
/// sent with an API token checks, in the same write, that the token is still live (see
/// `web::token_cache`).
pub async fn click(
    state: &web::Data<AppState>,
    reader: UserId,
    thing: ThingId,
    now: DateTime<Utc>,
    token: Option<TokenDigest>,
) -> Result<Clicked, AppError> {
    let token = token.map(|t| t.0);
    let zone = state.clock.zone();
    let clicked =
        match clicks::record(&state.writes, reader, thing, now, zone, token.clone()).await? {
            Batched::Clicked(clicked) => clicked,
            Batched::FirstOfMonth => {
                run(state, move |conn| {
                    Ok(clicks::first_click(
                        conn,
                        reader,
                        thing,
                        now,
                        zone,
                        token.as_deref(),
                    )?)
                })
                .await?
            }
        };
    // The month's only click is the one that reserved its budget, whichever path took it.
    state.metrics.click(clicked.clicks == 1);
    Ok(clicked)
}

/// The shared commit's jobs answer in the web layer's errors: a refusal the user can act on
/// wrote nothing and keeps the batch; anything else rolls it back.
impl JobError for AppError {
    fn poisons(&self) -> bool {
        matches!(self, AppError::Internal(_))
    }

    fn from_batch(error: BatchError) -> Self {
        match error {
            BatchError::Busy | BatchError::RolledBack => ErrorCode::Unavailable.into(),
            BatchError::Failed(reason) => {
                AppError::Internal(anyhow::anyhow!("batched write failed: {reason}"))
            }
        }
    }
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
    let month = state.clock.month();
    run(state, move |conn| {
        Ok(discovery::list(conn, month, &listing)?)
    })
    .await
}
