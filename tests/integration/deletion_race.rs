//! An account deleted while its own clicks are still arriving: every click either lands
//! before the deletion, which then undoes it and gives its budget back with the funds, or is
//! refused after it; never a click left behind on the deleted account, never a 500.

use diesel::prelude::*;
use obole::domain::{Money, UserId};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::app::spawn_app_with;
use crate::helpers::builders::{a_thing, funded_reader};

#[tokio::test]
async fn clicks_racing_a_deletion_land_before_it_and_are_undone_or_are_refused() {
    for _ in 0..3 {
        let app = spawn_app_with(&[("OBOLE_CLOCK", "2026-11-10T09:00:00Z")]).await;
        let creator = app.a_user().create().await;
        let mut things = Vec::new();
        for n in 0..10 {
            let url = format!("https://camille.example/{n}");
            things.push(a_thing(&app, &creator, &url, "A page").await);
        }
        let (reader, token) = funded_reader(&app, "10.00", "2.00").await;
        // Ten clicks a third of a millisecond apart, the deletion in the middle of them.
        let mut tasks = tokio::task::JoinSet::new();
        for (n, thing) in things.iter().enumerate() {
            let request = app
                .api()
                .post(app.url(&format!("/api/v1/things/{thing}/click")))
                .bearer_auth(&token);
            let delay = std::time::Duration::from_micros(300 * u64::try_from(n).expect("n"));
            tasks.spawn(async move {
                tokio::time::sleep(delay).await;
                (false, request.send().await.expect("click").status())
            });
        }
        let deletion = app
            .api()
            .delete(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .json(&json!({"password": reader.password, "funds": "platform"}));
        tasks.spawn(async move {
            tokio::time::sleep(std::time::Duration::from_micros(900)).await;
            (true, deletion.send().await.expect("delete").status())
        });
        let mut clicks = Vec::new();
        while let Some(answer) = tasks.join_next().await {
            match answer.expect("task") {
                (true, status) => assert_eq!(status, StatusCode::NO_CONTENT),
                (false, status) => clicks.push(status),
            }
        }
        assert!(
            clicks
                .iter()
                .all(|s| *s == StatusCode::CREATED || *s == StatusCode::UNAUTHORIZED),
            "a click landed or was refused as unauthenticated: {clicks:?}"
        );
        let id = reader.id;
        let (left, balances) = app
            .db(move |conn| {
                use obole::db::schema::clicks;
                let left: i64 = clicks::table
                    .filter(clicks::reader_id.eq(id))
                    .count()
                    .get_result(conn)
                    .expect("clicks");
                let balances =
                    obole::models::ledger::user_balances(conn, UserId(id)).expect("balances");
                (left, balances)
            })
            .await;
        assert_eq!(left, 0, "no click left on the deleted account ({clicks:?})");
        assert_eq!(balances.reserved, Money::ZERO);
        assert_eq!(
            balances.funds,
            Money::ZERO,
            "all of it went where the person chose"
        );
        app.assert_ledger_sound().await;
    }
}
