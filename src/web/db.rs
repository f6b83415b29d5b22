//! Running database work off the async executor.

use actix_web::web;

use super::error::AppError;
use super::state::AppState;
use crate::db::DbConnection;

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
