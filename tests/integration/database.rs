//! The database layer as the app uses it: SQLite PRAGMAs, the clock, constraints.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::helpers::app::spawn_app_with;
use crate::helpers::database::{Backend, backend};
use crate::helpers::spawn_app;

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    value: i64,
}

#[derive(QueryableByName)]
struct Word {
    #[diesel(sql_type = Text)]
    value: String,
}

#[tokio::test]
async fn sqlite_connections_enforce_foreign_keys_in_wal_mode_and_wait_when_busy() {
    if backend() != Backend::Sqlite {
        return; // PRAGMAs are SQLite's; PostgreSQL always enforces foreign keys.
    }
    let app = spawn_app().await;
    let (foreign_keys, journal, busy) = app
        .db(|conn| {
            let mut number = |sql: &str| {
                diesel::sql_query(sql)
                    .get_result::<Number>(conn)
                    .expect(sql)
                    .value
            };
            let foreign_keys = number("SELECT foreign_keys AS value FROM pragma_foreign_keys");
            let busy = number("SELECT timeout AS value FROM pragma_busy_timeout");
            let journal =
                diesel::sql_query("SELECT journal_mode AS value FROM pragma_journal_mode")
                    .get_result::<Word>(conn)
                    .expect("journal mode")
                    .value;
            (foreign_keys, journal, busy)
        })
        .await;
    assert_eq!(foreign_keys, 1);
    assert_eq!(journal, "wal");
    assert!(busy >= 5000, "busy timeout {busy} ms");
}

#[tokio::test]
async fn foreign_keys_refuse_orphans_on_both_databases() {
    let app = spawn_app().await;
    let result = app
        .db(|conn| {
            diesel::sql_query(
                "INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES (4242, 'x', CURRENT_TIMESTAMP)",
            )
            .execute(conn)
        })
        .await;
    assert!(result.is_err(), "a token for a user that does not exist");
}

#[tokio::test]
async fn obole_clock_is_the_now_of_everything_written() {
    let app = spawn_app_with(&[("OBOLE_CLOCK", "2026-12-01T00:00:05Z")]).await;
    let response = app
        .api()
        .post(app.url("/api/v1/accounts"))
        .json(&serde_json::json!({"email": "ana@example.org", "password": "correct horse"}))
        .send()
        .await
        .expect("sign up");
    assert_eq!(response.status(), 201);
    let created_at = app
        .db(|conn| {
            use obole::db::schema::users;
            users::table
                .select(users::created_at)
                .first::<chrono::NaiveDateTime>(conn)
                .expect("user")
        })
        .await;
    assert_eq!(created_at.to_string(), "2026-12-01 00:00:05");
}
