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

/// A group commit batch whose job fails with a database error, perhaps after some of its
/// writes (jobs run without a savepoint), is rolled back whole: that job hears its error, the
/// others `unavailable`, nothing of any of them stays, and the next batch commits as usual.
/// The group commit is SQLite's, so this runs on a SQLite file whatever the run's backend.
#[tokio::test]
async fn a_job_that_fails_rolls_its_whole_group_commit_batch_back() {
    use obole::db::group_commit::GroupCommit;
    use obole::web::error::{AppError, ErrorCode};

    let dir = tempfile::tempdir().expect("folder");
    let url = obole::config::DatabaseUrl::Sqlite(dir.path().join("group.sqlite3"));
    let pool = obole::db::connect_pool(&url, 2).expect("pool");
    obole::db::migrations::run_pending(&mut pool.get().expect("connection")).expect("migrate");
    let commit = std::sync::Arc::new(GroupCommit::start(pool.clone()).expect("writer"));
    let insert = |conn: &mut obole::db::DbConnection, month: &str| -> Result<(), AppError> {
        diesel::sql_query("INSERT INTO months (month) VALUES ($1)")
            .bind::<Text, _>(month)
            .execute(conn)?;
        Ok(())
    };
    // A first job holds the writer until the three others wait together for the next batch.
    let (release, held) = std::sync::mpsc::channel::<()>();
    let blocker = {
        let commit = commit.clone();
        tokio::spawn(async move {
            commit
                .run(move |_| -> Result<(), AppError> {
                    held.recv().expect("released");
                    Ok(())
                })
                .await
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let jobs: Vec<_> = ["1999-01", "1999-02", "1999-03"]
        .into_iter()
        .map(|month| {
            let commit = commit.clone();
            tokio::spawn(async move {
                commit
                    .run(move |conn| {
                        insert(conn, month)?;
                        if month == "1999-02" {
                            // Fails after a write of its own, as a broken statement would.
                            diesel::sql_query("INSERT INTO no_such_table VALUES (1)")
                                .execute(conn)?;
                        }
                        Ok(month)
                    })
                    .await
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    release.send(()).expect("release");
    blocker
        .await
        .expect("task")
        .expect("the blocking job commits");
    let mut answers = Vec::new();
    for job in jobs {
        answers.push(job.await.expect("task"));
    }
    assert!(
        matches!(answers[0], Err(AppError::User(ErrorCode::Unavailable))),
        "{:?}",
        answers[0]
    );
    assert!(
        matches!(answers[1], Err(AppError::Internal(_))),
        "{:?}",
        answers[1]
    );
    assert!(
        matches!(answers[2], Err(AppError::User(ErrorCode::Unavailable))),
        "{:?}",
        answers[2]
    );
    let kept = || {
        diesel::sql_query(
            "SELECT CAST(COUNT(*) AS BIGINT) AS value FROM months WHERE month LIKE '1999-%'",
        )
        .get_result::<Number>(&mut pool.get().expect("connection"))
        .expect("count")
        .value
    };
    assert_eq!(kept(), 0, "nothing of the rolled-back batch stays");
    commit
        .run(move |conn| insert(conn, "1999-04"))
        .await
        .expect("the next batch commits");
    assert_eq!(kept(), 1);
}
