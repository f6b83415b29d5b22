//! A month of clicks and its settlement, through the library: clicks dated in October 2026,
//! settled as on 2 November, as the month-end job does it.

use chrono::{DateTime, Utc};
use obole::domain::{Month, ThingId, UserId};
use obole::settlement::run::{Outcome, RunOptions, settle};
use rust_decimal::Decimal;

use super::app::TestApp;
use super::builders::TestUser;

pub const OCTOBER: &str = "2026-10";

pub fn october() -> Month {
    Month::parse(OCTOBER).expect("month")
}

fn instant(text: &str) -> DateTime<Utc> {
    text.parse().expect("instant")
}

/// `reader` clicks `thing` on 15 October.
pub async fn click_in_october(app: &TestApp, reader: &TestUser, thing: i64) {
    let reader = UserId(reader.id);
    app.db(move |conn| {
        obole::use_cases::clicks::click(
            conn,
            reader,
            ThingId(thing),
            instant("2026-10-15T12:00:00Z"),
        )
        .expect("click")
    })
    .await;
}

/// Settles October with a 10 % fee; panics unless it settles now.
pub async fn settle_october(app: &TestApp) {
    let pool = app.pool.clone();
    let lock_file = app.settlement_lock_file();
    let outcome = tokio::task::spawn_blocking(move || {
        settle(
            &pool,
            lock_file.as_deref(),
            october(),
            Decimal::TEN,
            instant("2026-11-02T08:00:00Z"),
            RunOptions::default(),
            &mut |_| {},
        )
    })
    .await
    .expect("settlement thread")
    .expect("settle");
    assert!(matches!(outcome, Outcome::Settled(_)), "{outcome:?}");
}

/// Marks the address verified, as the link in the verification mail does.
pub async fn verify_email(app: &TestApp, user: &TestUser) {
    let id = UserId(user.id);
    app.db(move |conn| {
        obole::models::users::mark_email_verified(conn, id, Utc::now()).expect("verify")
    })
    .await;
}
