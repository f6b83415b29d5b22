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
