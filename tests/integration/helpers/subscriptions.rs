//! Subscriptions as the database holds them, for tests that wait on the server's worker.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use obole::db::schema::subscriptions;

use super::app::TestApp;

/// The month in which each subscription was last taken (`None`: never).
pub async fn taken_months(app: &TestApp) -> Vec<Option<String>> {
    app.db(|conn| {
        subscriptions::table
            .select(subscriptions::last_month)
            .load(conn)
            .expect("subscriptions")
    })
    .await
}

/// Waits (at most 20 s) until every subscription has been taken in `month`, and fails if
/// one has not.
pub async fn wait_until_all_taken(app: &TestApp, month: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let months = taken_months(app).await;
        let taken = months.iter().all(|m| m.as_deref() == Some(month));
        if taken || Instant::now() >= deadline {
            assert!(taken, "not all taken in {month}: {months:?}");
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
