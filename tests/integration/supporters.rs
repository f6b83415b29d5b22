//! Visible clicks and notes (PRODUCT.md flow 10): private by default; shown to the creator or
//! everyone with a note of at most 280 characters; a creator's supporters; changing one's mind.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::discovery::a_public_page;
use crate::helpers::builders::{TestUser, a_thing, funded_reader};
use crate::helpers::{TestApp, spawn_app};

fn code_of(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("<none>")
}

/// Sends `body` (or nothing) to `path` with `token`; the status and the JSON answer.
async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = app.api().request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn click_with(app: &TestApp, token: &str, thing: i64, body: Value) -> (StatusCode, Value) {
    let path = format!("/api/v1/things/{thing}/click");
    send(app, reqwest::Method::POST, &path, token, Some(body)).await
}

async fn supporters(app: &TestApp, token: &str) -> Vec<Value> {
    let body = app.get_json_as(token, "/api/v1/me/supporters").await;
    body["supporters"].as_array().cloned().unwrap_or_default()
}

/// A creator with a public page and a claimed thing, and a reader named Zoé with a public page.
struct Scene {
    app: TestApp,
    creator: TestUser,
    creator_token: String,
    thing: i64,
    reader_token: String,
}

async fn scene() -> Scene {
    let app = spawn_app().await;
    let creator = app.a_user().display_name("Camille").create().await;
    let creator_token = creator.direct_token(&app).await;
    let thing = a_thing(&app, &creator, "https://camille.example/a", "An essay").await;
    let (reader, reader_token) = funded_reader(&app, "10.00", "2.00").await;
    let id = obole::domain::UserId(reader.id);
    app.db(move |conn| {
        diesel::update(obole::db::schema::users::table.find(id.0))
            .set(obole::db::schema::users::display_name.eq("Zoé"))
            .execute(conn)
            .expect("name")
    })
    .await;
    a_public_page(&app, &reader, "zoe", "Zoé", false).await;
    Scene {
        app,
        creator,
        creator_token,
        thing,
        reader_token,
    }
}

use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};

#[tokio::test]
async fn a_click_without_a_body_is_private_and_among_nobodys_supporters() {
    let s = scene().await;
    let response = s
        .app
        .api()
        .post(s.app.url(&format!("/api/v1/things/{}/click", s.thing)))
        .bearer_auth(&s.reader_token)
        .send()
        .await
        .expect("click");
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "existing clients work"
    );
    assert!(supporters(&s.app, &s.creator_token).await.is_empty());
    let mine = s
        .app
        .get_json_as(&s.reader_token, "/api/v1/me/clicks")
        .await;
    assert_eq!(mine["clicks"][0]["visibility"], "private");
    assert_eq!(mine["clicks"][0]["note"], Value::Null);
}

#[tokio::test]
async fn a_click_shown_to_the_creator_is_among_their_supporters_and_on_no_public_page() {
    let s = scene().await;
    let (status, _) = click_with(
        &s.app,
        &s.reader_token,
        s.thing,
        json!({"visibility": "creator", "note": "Thank you for this"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let shown = supporters(&s.app, &s.creator_token).await;
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0]["display_name"], "Zoé");
    assert_eq!(shown[0]["note"], "Thank you for this");
    assert_eq!(shown[0]["thing_id"], s.thing);
    assert!(shown[0].get("reader_id").is_none() && shown[0].get("email").is_none());
    let visitor = s.app.visitor();
    let thing_page = s.app.html(&visitor, &format!("/t/{}", s.thing), "en").await;
    assert!(!thing_page.contains("Thank you for this"));
    let public_page = s.app.html(&visitor, "/c/zoe", "en").await;
    assert!(!public_page.contains("Thank you for this"));
}

#[tokio::test]
async fn a_public_click_shows_on_the_thing_page_and_the_readers_public_page() {
    let s = scene().await;
    let (status, _) = click_with(
        &s.app,
        &s.reader_token,
        s.thing,
        json!({"visibility": "public", "note": "Merci !\nÀ bientôt"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let visitor = s.app.visitor();
    let thing_page = s.app.html(&visitor, &format!("/t/{}", s.thing), "en").await;
    assert!(thing_page.contains("id=\"public-notes\""), "{thing_page}");
    assert!(thing_page.contains("Zoé") && thing_page.contains("À bientôt"));
    assert!(thing_page.contains("href=\"/c/zoe\""));
    let public_page = s.app.html(&visitor, "/c/zoe", "fr").await;
    assert!(public_page.contains("id=\"creator-notes\"") && public_page.contains("An essay"));
    assert_eq!(supporters(&s.app, &s.creator_token).await.len(), 1);
}

#[tokio::test]
async fn changing_ones_mind_hides_the_click_again() {
    let s = scene().await;
    click_with(
        &s.app,
        &s.reader_token,
        s.thing,
        json!({"visibility": "public", "note": "Bravo"}),
    )
    .await;
    let path = format!("/api/v1/things/{}/click", s.thing);
    let (status, body) = send(
        &s.app,
        reqwest::Method::PUT,
        &path,
        &s.reader_token,
        Some(json!({"visibility": "private"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["visibility"], "private");
    assert_eq!(body["note"], Value::Null);
    assert_eq!(body["thing_id"], s.thing);
    assert!(supporters(&s.app, &s.creator_token).await.is_empty());
    let page = s
        .app
        .html(&s.app.visitor(), &format!("/t/{}", s.thing), "en")
        .await;
    assert!(!page.contains("Bravo"));
    // A month without the click: nothing to change.
    let (status, body) = send(
        &s.app,
        reqwest::Method::PUT,
        &format!("{path}?month=2020-01"),
        &s.reader_token,
        Some(json!({"visibility": "public"})),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::NOT_FOUND, "no_click")
    );
}

#[tokio::test]
async fn hostile_notes_are_escaped_and_never_linked() {
    let s = scene().await;
    let hostile = "<script>alert(1)</script> <a href=\"javascript:alert(2)\">x</a> javascript:alert(3) https://evil.example";
    let (status, _) = click_with(
        &s.app,
        &s.reader_token,
        s.thing,
        json!({"visibility": "public", "note": hostile}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let creator = s.app.visitor();
    for page in [
        s.app.html(&creator, &format!("/t/{}", s.thing), "en").await,
        s.app.html(&creator, "/c/zoe", "en").await,
    ] {
        assert!(!page.contains("<script>alert(1)"), "{page}");
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"),
            "{page}"
        );
        assert!(!page.contains("href=\"javascript:"));
        assert!(!page.contains("href=\"https://evil.example"));
    }
    assert_eq!(
        supporters(&s.app, &s.creator_token).await[0]["note"],
        hostile
    );
}

#[tokio::test]
async fn a_bad_note_or_visibility_is_refused_and_no_click_is_written() {
    let s = scene().await;
    let too_long = "é".repeat(281);
    for (body, code) in [
        (json!({"note": too_long}), "invalid_note"),
        (json!({"visibility": "friends"}), "invalid_visibility"),
        (json!({"note": "bell\u{7}"}), "invalid_note"),
        (json!(["public"]), "invalid_json"),
    ] {
        let (status, answer) = click_with(&s.app, &s.reader_token, s.thing, body).await;
        assert_eq!(
            (status.as_u16(), code_of(&answer)),
            (if code == "invalid_json" { 400 } else { 422 }, code)
        );
    }
    let mine = s
        .app
        .get_json_as(&s.reader_token, "/api/v1/me/clicks")
        .await;
    assert_eq!(mine["clicks"].as_array().map(Vec::len), Some(0));
    let longest = "é".repeat(280);
    let (status, _) = click_with(&s.app, &s.reader_token, s.thing, json!({"note": longest})).await;
    assert_eq!(status, StatusCode::CREATED, "280 characters, not bytes");
    s.app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_refused_second_click_leaves_the_first_note_alone() {
    let s = scene().await;
    click_with(
        &s.app,
        &s.reader_token,
        s.thing,
        json!({"visibility": "creator", "note": "First"}),
    )
    .await;
    let (status, body) = click_with(
        &s.app,
        &s.reader_token,
        s.thing,
        json!({"visibility": "public", "note": "Second"}),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::CONFLICT, "already_clicked")
    );
    let shown = supporters(&s.app, &s.creator_token).await;
    assert_eq!(shown[0]["note"], "First");
    assert_eq!(shown[0]["visibility"], "creator");
}

#[tokio::test]
async fn an_undo_removes_the_note_with_the_click() {
    let s = scene().await;
    click_with(
        &s.app,
        &s.reader_token,
        s.thing,
        json!({"visibility": "public", "note": "Gone soon"}),
    )
    .await;
    let path = format!("/api/v1/things/{}/click", s.thing);
    let (status, _) = send(
        &s.app,
        reqwest::Method::DELETE,
        &path,
        &s.reader_token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(&s.app, reqwest::Method::POST, &path, &s.reader_token, None).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(
        supporters(&s.app, &s.creator_token).await.is_empty(),
        "the new click starts private"
    );
    let remaining: i64 = s
        .app
        .db(|conn| {
            obole::db::schema::click_notes::table
                .count()
                .get_result(conn)
                .expect("count")
        })
        .await;
    assert_eq!(remaining, 0);
    s.app.assert_ledger_sound().await;
}

#[tokio::test]
async fn nobody_sees_or_changes_someone_elses_supporters() {
    let s = scene().await;
    click_with(
        &s.app,
        &s.reader_token,
        s.thing,
        json!({"visibility": "creator", "note": "For Camille only"}),
    )
    .await;
    let (_, stranger_token) = funded_reader(&s.app, "10.00", "2.00").await;
    assert!(supporters(&s.app, &stranger_token).await.is_empty());
    // Someone else's "click" on the thing: they have none, so nothing changes.
    let path = format!("/api/v1/things/{}/click", s.thing);
    let (status, body) = send(
        &s.app,
        reqwest::Method::PUT,
        &path,
        &stranger_token,
        Some(json!({"visibility": "public", "note": "hijack"})),
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::NOT_FOUND, "no_click")
    );
    let shown = supporters(&s.app, &s.creator_token).await;
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0]["note"], "For Camille only");
    // Without a token: 401.
    let response = s
        .app
        .api()
        .get(s.app.url("/api/v1/me/supporters"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn on_the_pages_a_reader_tips_publicly_with_a_note_then_hides_it() {
    let s = scene().await;
    let app = &s.app;
    let creator = app.a_user().create().await;
    let thing = a_thing(app, &creator, "https://dom.example/p", "A poem").await;
    let (reader, _) = funded_reader(app, "10.00", "2.00").await;
    let browser = app.logged_in_visitor(&reader).await;
    let page = format!("/t/{thing}");
    let response = app
        .submit_form(
            &browser,
            &page,
            &format!("/t/{thing}/click"),
            &[("visibility", "public"), ("note", "Lovely <b>poem</b>")],
            "en",
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = app.html(&app.visitor(), &page, "en").await;
    assert!(
        html.contains("Lovely &lt;b&gt;poem&lt;&#x2F;b&gt;"),
        "{html}"
    );
    let response = app
        .submit_form(
            &browser,
            "/clicks",
            &format!("/t/{thing}/note"),
            &[("visibility", "private"), ("note", ""), ("back", "clicks")],
            "fr",
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = app.html(&app.visitor(), &page, "en").await;
    assert!(!html.contains("Lovely"));
    // A note too long on the page: refused, nothing clicked.
    let other = a_thing(app, &creator, "https://dom.example/q", "Another").await;
    let long = "x".repeat(281);
    let response = app
        .submit_form(
            &browser,
            &format!("/t/{other}"),
            &format!("/t/{other}/click"),
            &[("note", long.as_str())],
            "fr",
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = app.html(&browser, "/clicks", "fr").await;
    assert!(!html.contains("Another"));
}

#[tokio::test]
async fn the_supporters_page_lists_a_month_by_thing_in_the_creators_language() {
    let s = scene().await;
    click_with(
        &s.app,
        &s.reader_token,
        s.thing,
        json!({"visibility": "creator", "note": "Continuez"}),
    )
    .await;
    let creator = s.app.logged_in_visitor(&s.creator).await;
    let html = s.app.html(&creator, "/supporters", "fr").await;
    assert!(html.contains("Zoé") && html.contains("Continuez"), "{html}");
    assert!(html.contains("To you only") && html.contains("An essay"));
    assert!(html.contains("id=\"previous-month\""));
    let html = s
        .app
        .html(&creator, "/supporters?month=2020-01", "en")
        .await;
    assert!(html.contains("id=\"no-supporters\"") && !html.contains("Continuez"));
}
