//! The first tip as one path, over plain HTTP: each finished step (sign-up, a voucher, a
//! budget) goes to `/continue`, which picks the next step; the destination is only ever a
//! tip page of this site, whatever a hostile link carries.

use reqwest::StatusCode;

use crate::helpers::builders::{a_thing, funded_reader};
use crate::helpers::spawn_app;

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned()
}

/// Follows `/continue?next=…` once and returns where it sends the reader.
async fn next_step(app: &crate::helpers::TestApp, client: &reqwest::Client, next: &str) -> String {
    let response = client
        .get(app.url(&format!("/continue?next={next}")))
        .send()
        .await
        .expect("continue");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    location(&response)
}

/// Redeems a new voucher of `amount` on the funds page, on the way to `next`.
async fn redeem(
    app: &crate::helpers::TestApp,
    client: &reqwest::Client,
    amount: &str,
    next: &str,
) -> reqwest::Response {
    let code = app.vouchers(amount, 1).await.remove(0);
    app.submit_form(
        client,
        "/funds",
        "/funds/redeem",
        &[("code", &code), ("next", next)],
        "en",
    )
    .await
}

#[tokio::test]
async fn each_finished_step_leads_to_the_next_one_and_back_to_the_tip() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let thing = a_thing(&app, &creator, "https://camille.example/a", "A post").await;
    let tip = format!("/t/{thing}");
    let visitor = app.visitor();
    assert_eq!(
        next_step(&app, &visitor, &tip).await,
        format!("/signup?next={tip}"),
        "signed out: an account first"
    );

    let signed_up = app
        .submit_form(
            &visitor,
            &format!("/signup?next={tip}"),
            "/signup",
            &[
                ("email", "lea@example.org"),
                ("password", "correct horse"),
                ("display_name", "Léa"),
                ("next", &tip),
            ],
            "en",
        )
        .await;
    assert_eq!(signed_up.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&signed_up), format!("/continue?next={tip}"));
    assert_eq!(
        next_step(&app, &visitor, &tip).await,
        format!("/funds?next={tip}")
    );
    let funds_page = app
        .html(&visitor, &format!("/funds?next={tip}"), "en")
        .await;
    assert!(funds_page.contains("Step 2 of 4."), "{funds_page}");
    // Tera writes "/" as "&#x2F;" in attributes.
    let kept = format!(r#"name="next" value="{}""#, tip.replace('/', "&#x2F;"));
    assert!(funds_page.contains(&kept), "the forms carry the way back");

    let redeemed = redeem(&app, &visitor, "1.50", &tip).await;
    assert_eq!(location(&redeemed), format!("/continue?next={tip}"));
    assert_eq!(
        next_step(&app, &visitor, &tip).await,
        format!("/budget?next={tip}"),
        "some funds, no budget: the budget next"
    );
    let saved = app
        .submit_form(
            &visitor,
            "/budget",
            "/budget",
            &[("amount", "2.00"), ("next", &tip)],
            "en",
        )
        .await;
    assert_eq!(location(&saved), format!("/continue?next={tip}"));
    assert_eq!(
        next_step(&app, &visitor, &tip).await,
        format!("/funds?next={tip}"),
        "1.50 of funds for a 2.00 budget: funds again"
    );
    let funds_page = app
        .html(&visitor, &format!("/funds?next={tip}"), "en")
        .await;
    assert!(
        funds_page.contains("add at least €0.50"),
        "says how much is missing: {funds_page}"
    );
    redeem(&app, &visitor, "5.00", &tip).await;
    assert_eq!(
        next_step(&app, &visitor, &tip).await,
        tip,
        "ready: the tip page"
    );
    let page = app.html(&visitor, &tip, "en").await;
    assert!(page.contains(r#"id="confirm-tip""#), "{page}");
    assert!(!page.contains(r#"id="journey""#));
}

#[tokio::test]
async fn a_step_without_a_tip_to_come_back_to_behaves_as_it_always_did() {
    let app = spawn_app().await;
    let (reader, _) = funded_reader(&app, "10.00", "2.00").await;
    let client = app.logged_in_visitor(&reader).await;
    let saved = app
        .submit_form(&client, "/budget", "/budget", &[("amount", "3.00")], "en")
        .await;
    assert_eq!(location(&saved), "/budget");
    assert!(
        app.html(&client, "/budget", "en")
            .await
            .contains(r#"id="saved""#),
        "the page says it was saved"
    );
    let code = app.vouchers("5.00", 1).await.remove(0);
    let redeemed = app
        .submit_form(&client, "/funds", "/funds/redeem", &[("code", &code)], "en")
        .await;
    assert_eq!(location(&redeemed), "/funds");
}

#[tokio::test]
async fn hostile_destinations_never_leave_the_site_nor_reach_other_pages() {
    let app = spawn_app().await;
    let (reader, _) = funded_reader(&app, "10.00", "2.00").await;
    let client = app.logged_in_visitor(&reader).await;
    for hostile in [
        "//evil.example/t/1",
        "https://evil.example/t/1",
        "/%2F%2Fevil.example",
        "/t/1%0d%0aSet-Cookie:x=1",
        "/logout",
        "/t/1?next=//evil.example",
        "javascript:alert(1)",
    ] {
        let encoded: String = url::form_urlencoded::byte_serialize(hostile.as_bytes()).collect();
        let response = client
            .get(app.url(&format!("/continue?next={encoded}")))
            .send()
            .await
            .expect("continue");
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let to = location(&response);
        // At most a path of this site (`/%2F%2Fevil.example` is one, a 404).
        assert!(
            to.starts_with('/') && !to.starts_with("//") && !to.contains(['\\', '\r', '\n']),
            "{hostile} → {to}"
        );
        assert!(!to.contains("://"), "{hostile} → {to}");
        // A finished step with that destination goes where it always went.
        let saved = app
            .submit_form(
                &client,
                "/budget",
                "/budget",
                &[("amount", "2.00"), ("next", hostile)],
                "en",
            )
            .await;
        assert_eq!(location(&saved), "/budget", "{hostile}");
        let page = app
            .html(&client, &format!("/funds?next={encoded}"), "en")
            .await;
        assert!(!page.contains(r#"id="journey""#), "{hostile}");
    }
    // Signing up with a hostile destination lands on the dashboard.
    let visitor = app.visitor();
    let signed_up = app
        .submit_form(
            &visitor,
            "/signup",
            "/signup",
            &[
                ("email", "mal@example.org"),
                ("password", "correct horse"),
                ("display_name", "Mal"),
                ("next", "//evil.example/"),
            ],
            "en",
        )
        .await;
    assert_eq!(location(&signed_up), "/");
}

/// The messages after a tip or an undo are said only when the reader's state bears them out:
/// a link carrying `?done=1` or `?undone=1` tells nobody anything untrue.
#[tokio::test]
async fn a_forged_done_or_undone_link_says_nothing() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let thing = a_thing(&app, &creator, "https://camille.example/c", "A post").await;
    let anonymous = app.visitor();
    for query in ["done=1", "undone=1"] {
        let page = app
            .html(&anonymous, &format!("/t/{thing}?{query}"), "en")
            .await;
        assert!(
            !page.contains(r#"id="tipped""#) && !page.contains(r#"id="undone""#),
            "{query}"
        );
    }
    let (reader, _) = funded_reader(&app, "10.00", "2.00").await;
    let client = app.logged_in_visitor(&reader).await;
    let path = format!("/t/{thing}");
    let page = app.html(&client, &format!("{path}?done=1"), "en").await;
    assert!(!page.contains(r#"id="tipped""#), "not tipped yet");
    let tipped = app
        .submit_form(&client, &path, &format!("{path}/click"), &[], "en")
        .await;
    assert_eq!(location(&tipped), format!("{path}?done=1"));
    let page = app.html(&client, &format!("{path}?undone=1"), "en").await;
    assert!(!page.contains(r#"id="undone""#), "tipped, not undone");
    let undone = app
        .submit_form(&client, &path, &format!("{path}/undo"), &[], "en")
        .await;
    assert_eq!(location(&undone), format!("{path}?undone=1"));
    let page = app.html(&client, &format!("{path}?undone=1"), "en").await;
    assert!(page.contains(r#"id="undone""#), "said after a real undo");
}

/// The dashboard's checklist reads what Obole records: a new account has everything to do; a
/// creator whose thing was tipped and whose reader funded and budgeted sees those done.
#[tokio::test]
async fn the_getting_started_checklist_follows_what_was_done() {
    let app = spawn_app().await;
    let newcomer = app.a_user().create().await;
    let client = app.logged_in_visitor(&newcomer).await;
    let page = app.html(&client, "/dashboard", "en").await;
    for task in ["start-verify", "start-funds", "start-budget", "start-thing"] {
        assert!(
            page.contains(&format!(r#"class="todo" id="{task}""#)),
            "{task}: {page}"
        );
    }
    assert!(page.contains(r#"id="verification-sent""#), "{page}");

    let creator = app.a_user().create().await;
    let thing = a_thing(&app, &creator, "https://camille.example/d", "A post").await;
    let creator_client = app.logged_in_visitor(&creator).await;
    let page = app.html(&creator_client, "/dashboard", "en").await;
    assert!(page.contains(r#"class="done" id="start-thing""#), "{page}");
    assert!(page.contains(r#"class="todo" id="start-button""#), "{page}");

    let (reader, _) = funded_reader(&app, "10.00", "2.00").await;
    let reader_client = app.logged_in_visitor(&reader).await;
    let path = format!("/t/{thing}");
    app.submit_form(&reader_client, &path, &format!("{path}/click"), &[], "en")
        .await;
    let page = app.html(&reader_client, "/dashboard", "en").await;
    for task in ["start-funds", "start-budget"] {
        assert!(
            page.contains(&format!(r#"class="done" id="{task}""#)),
            "{task}"
        );
    }
    let page = app.html(&creator_client, "/dashboard", "en").await;
    // Thing added, site proven (the builder vouches for it), a tip counted: the creator's
    // part is all done, so it is no longer shown.
    assert!(
        !page.contains(r#"id="creator-checklist""#) && !page.contains(r#"id="start-button""#),
        "a tip counted: {page}"
    );
}
