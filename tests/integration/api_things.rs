//! Things, clicks and the badge through the JSON API and the embed URLs.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::builders::{a_thing, funded_reader};
use crate::helpers::{TestApp, spawn_app};

fn code_of(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("<none>")
}

async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
) -> (StatusCode, Value) {
    let response = app
        .api()
        .request(method, app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A click to send later (on another task): its status and body.
fn a_click(
    app: &TestApp,
    thing: i64,
    token: &str,
) -> impl std::future::Future<Output = (StatusCode, Value)> + Send + 'static {
    let (client, url, token) = (
        app.api(),
        app.url(&format!("/api/v1/things/{thing}/click")),
        token.to_owned(),
    );
    async move {
        let response = client
            .post(url)
            .bearer_auth(token)
            .send()
            .await
            .expect("click");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

async fn me(app: &TestApp, token: &str) -> Value {
    call(app, reqwest::Method::GET, "/api/v1/me", token).await.1
}

#[tokio::test]
async fn creators_add_things_with_normalised_urls_and_get_their_button() {
    let app = spawn_app().await;
    let token = app.a_user().create().await.direct_token(&app).await;
    let add = |body: Value| {
        app.api()
            .post(app.url("/api/v1/things"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let created = add(json!({"url": "HTTPS://Blog.Example.org/post/?utm_source=x#top", "title": "Mon billet", "category": "writing", "language": "fr"}))
        .await
        .expect("create");
    assert_eq!(created.status(), StatusCode::CREATED);
    let body: Value = created.json().await.expect("json");
    let id = body["id"].as_i64().expect("id");
    assert_eq!(body["url"], "https://blog.example.org/post");
    assert_eq!(body["button"]["link"], app.url(&format!("/t/{id}")));
    assert_eq!(
        body["button"]["badge"],
        app.url(&format!("/t/{id}/badge.svg"))
    );
    assert!(
        body["button"]["html"]
            .as_str()
            .is_some_and(|h| h.contains("class=\"obole-button\""))
    );

    for same_page in [
        "http://blog.example.org/post",
        "https://blog.example.org/post/",
        "https://BLOG.example.org/post?fbclid=9",
    ] {
        let response = add(json!({"url": same_page, "title": "Encore"}))
            .await
            .expect("create");
        assert_eq!(response.status(), StatusCode::CONFLICT, "{same_page}");
        assert_eq!(
            code_of(&response.json().await.expect("json")),
            "thing_exists"
        );
    }
    for bad in [
        "javascript:alert(1)",
        "/relative",
        "ftp://example.org/x",
        "example.org",
        "",
    ] {
        let response = add(json!({"url": bad, "title": "x"}))
            .await
            .expect("create");
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            code_of(&response.json().await.expect("json")),
            "invalid_url",
            "{bad}"
        );
    }
    let bad_category = add(json!({"url": "https://a.org/x", "title": "x", "category": "cats"}))
        .await
        .expect("create");
    assert_eq!(
        code_of(&bad_category.json().await.expect("json")),
        "invalid_category"
    );
    let anonymous = app
        .api()
        .post(app.url("/api/v1/things"))
        .json(&json!({"url": "https://a.org", "title": "x"}))
        .send()
        .await
        .expect("create");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_click_rules_of_the_contract() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let creator_token = creator.direct_token(&app).await;
    let first = a_thing(&app, &creator, "https://creator.example/one", "One").await;
    let second = a_thing(&app, &creator, "https://creator.example/two", "Two").await;
    let post = reqwest::Method::POST;

    let (status, body) = call(
        &app,
        post.clone(),
        &format!("/api/v1/things/{first}/click"),
        &creator_token,
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::FORBIDDEN, "own_thing")
    );

    let no_budget = app.a_user().create().await.direct_token(&app).await;
    let (status, body) = call(
        &app,
        post.clone(),
        &format!("/api/v1/things/{first}/click"),
        &no_budget,
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "no_budget")
    );

    let (_, poor) = funded_reader(&app, "1.00", "2.00").await;
    let (status, body) = call(
        &app,
        post.clone(),
        &format!("/api/v1/things/{first}/click"),
        &poor,
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::PAYMENT_REQUIRED, "insufficient_funds")
    );
    let after = me(&app, &poor).await;
    assert_eq!(
        (after["funds"].as_str(), after["reserved"].as_str()),
        (Some("1.00"), Some("0.00")),
        "no reservation"
    );

    let (_, reader) = funded_reader(&app, "10.00", "3.00").await;
    let (status, body) = call(
        &app,
        post.clone(),
        &format!("/api/v1/things/{first}/click"),
        &reader,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["click_value"], "3.00");
    assert!(body["month"].as_str().is_some_and(|m| m.len() == 7));
    let after = me(&app, &reader).await;
    assert_eq!(
        (after["funds"].as_str(), after["reserved"].as_str()),
        (Some("7.00"), Some("3.00")),
        "the first click reserves"
    );
    let (status, body) = call(
        &app,
        post.clone(),
        &format!("/api/v1/things/{first}/click"),
        &reader,
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::CONFLICT, "already_clicked")
    );
    let (_, body) = call(
        &app,
        post.clone(),
        &format!("/api/v1/things/{second}/click"),
        &reader,
    )
    .await;
    assert_eq!(body["click_value"], "1.50", "the budget is shared");
    assert_eq!(
        me(&app, &reader).await["reserved"],
        "3.00",
        "reserved once a month"
    );

    let (_, clicks) = call(&app, reqwest::Method::GET, "/api/v1/me/clicks", &reader).await;
    assert_eq!(clicks["budget"], "3.00");
    assert_eq!(clicks["click_value"], "1.50");
    assert_eq!(
        clicks["clicks"],
        json!([
            {"thing_id": first, "title": "One", "via": "click", "visibility": "private", "note": null},
            {"thing_id": second, "title": "Two", "via": "click", "visibility": "private", "note": null}
        ])
    );
    let (status, body) = call(
        &app,
        reqwest::Method::GET,
        "/api/v1/me/clicks?month=2026-13",
        &reader,
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_month")
    );

    let delete = reqwest::Method::DELETE;
    assert_eq!(
        call(
            &app,
            delete.clone(),
            &format!("/api/v1/things/{first}/click"),
            &reader
        )
        .await
        .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        me(&app, &reader).await["reserved"],
        "3.00",
        "one click left, still reserved"
    );
    assert_eq!(
        call(
            &app,
            delete.clone(),
            &format!("/api/v1/things/{second}/click"),
            &reader
        )
        .await
        .0,
        StatusCode::NO_CONTENT
    );
    let after = me(&app, &reader).await;
    assert_eq!(
        (after["funds"].as_str(), after["reserved"].as_str()),
        (Some("10.00"), Some("0.00")),
        "the last undo releases"
    );
    let (status, body) = call(
        &app,
        delete,
        &format!("/api/v1/things/{first}/click"),
        &reader,
    )
    .await;
    assert_eq!(
        (status, code_of(&body)),
        (StatusCode::NOT_FOUND, "no_click")
    );
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_thing_that_does_not_exist_is_404_on_every_route() {
    let app = spawn_app().await;
    let (_, token) = funded_reader(&app, "10.00", "2.00").await;
    let creator = app.a_user().create().await;
    let hidden = a_thing(&app, &creator, "https://creator.example/hidden", "Hidden").await;
    let id = obole::domain::ThingId(hidden);
    let owner = obole::domain::UserId(creator.id);
    app.db(move |conn| {
        let thing = obole::models::things::find(conn, id)
            .expect("find")
            .expect("thing");
        let input = obole::domain::thing::ThingInput::parse(
            &thing.url,
            &thing.title,
            None,
            None,
            None,
            obole::domain::thing::ContentLanguage::French,
        )
        .expect("input");
        // Hidden the way its owner hides it (the use case keeps browse's counts).
        obole::use_cases::things::edit(conn, owner, id, &input, true, chrono::Utc::now())
            .expect("hide");
    })
    .await;
    for missing in [
        "999999".to_owned(),
        "abc".to_owned(),
        "-1".to_owned(),
        hidden.to_string(),
    ] {
        for (method, path) in [
            (reqwest::Method::GET, format!("/api/v1/things/{missing}")),
            (
                reqwest::Method::POST,
                format!("/api/v1/things/{missing}/click"),
            ),
            (
                reqwest::Method::DELETE,
                format!("/api/v1/things/{missing}/click"),
            ),
            (reqwest::Method::GET, format!("/t/{missing}")),
            (reqwest::Method::GET, format!("/t/{missing}/badge.svg")),
        ] {
            let response = app
                .api()
                .request(method.clone(), app.url(&path))
                .bearer_auth(&token)
                .send()
                .await
                .expect("request");
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
        }
    }
    let listed: Value = app.get_json("/api/v1/things").await;
    assert_eq!(listed["total"], 0, "hidden things are never listed");
}

#[tokio::test]
async fn sixty_four_concurrent_identical_clicks_store_one() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let thing = a_thing(&app, &creator, "https://creator.example/race", "Race").await;
    let (_, token) = funded_reader(&app, "10.00", "5.00").await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..64 {
        tasks.spawn(a_click(&app, thing, &token));
    }
    let mut created = 0;
    while let Some(result) = tasks.join_next().await {
        let (status, body) = result.expect("task");
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => assert_eq!(code_of(&body), "already_clicked"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(created, 1);
    let after = me(&app, &token).await;
    assert_eq!(
        (after["funds"].as_str(), after["reserved"].as_str()),
        (Some("5.00"), Some("5.00")),
        "reserved once"
    );
    let thing_body: Value = app.get_json(&format!("/api/v1/things/{thing}")).await;
    assert_eq!(thing_body["clicks_this_month"], 1);
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn the_badge_counts_clicks_is_cacheable_and_escapes_titles() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let thing = a_thing(
        &app,
        &creator,
        "https://creator.example/xss",
        "<script>alert('x')</script>",
    )
    .await;
    let badge = app
        .api()
        .get(app.url(&format!("/t/{thing}/badge.svg")))
        .send()
        .await
        .expect("badge");
    assert_eq!(badge.status(), StatusCode::OK);
    assert_eq!(badge.headers()["content-type"], "image/svg+xml");
    assert_eq!(badge.headers()["cache-control"], "public, no-cache");
    let etag = badge.headers()["etag"].clone();
    let svg = badge.text().await.expect("svg");
    assert!(
        !svg.contains("<script>") && svg.contains("&lt;script&gt;"),
        "{svg}"
    );
    assert!(svg.contains(">0</text>"));
    let again = app
        .api()
        .get(app.url(&format!("/t/{thing}/badge.svg")))
        .header("If-None-Match", etag.clone())
        .send()
        .await
        .expect("badge");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    let (_, token) = funded_reader(&app, "10.00", "2.00").await;
    call(
        &app,
        reqwest::Method::POST,
        &format!("/api/v1/things/{thing}/click"),
        &token,
    )
    .await;
    let after = app
        .api()
        .get(app.url(&format!("/t/{thing}/badge.svg")))
        .header("If-None-Match", etag)
        .send()
        .await
        .expect("badge");
    assert_eq!(
        after.status(),
        StatusCode::OK,
        "a click changes the badge at once in this process"
    );
    assert!(after.text().await.expect("svg").contains(">1</text>"));
}

#[tokio::test]
async fn listing_filters_sorts_and_refuses_nonsense() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let french = a_thing(
        &app,
        &creator,
        "https://a.example/fr",
        "Un billet en français",
    )
    .await;
    let _other = a_thing(&app, &creator, "https://a.example/other", "Another post").await;
    let (_, token) = funded_reader(&app, "10.00", "2.00").await;
    call(
        &app,
        reqwest::Method::POST,
        &format!("/api/v1/things/{french}/click"),
        &token,
    )
    .await;
    let list = |query: &'static str| {
        let request = app.api().get(app.url(&format!("/api/v1/things{query}")));
        async move {
            let response = request.send().await.expect("list");
            (
                response.status(),
                response.json::<Value>().await.expect("json"),
            )
        }
    };
    // Browse's order follows the click within its worker's interval.
    let popular = crate::discovery::list_until(&app, &[("sort", "popular")], |body| {
        body["items"][0]["id"] == french
    })
    .await;
    assert_eq!(popular["total"], 2);
    assert_eq!(popular["items"][0]["id"], french);
    assert_eq!(popular["items"][0]["clicks_this_month"], 1);
    let (_, search) = list("?q=BILLET").await;
    assert_eq!(search["total"], 1);
    let (_, by_language) = list("?lang=fr&category=other").await;
    assert_eq!(by_language["total"], 2);
    for bad in [
        "?sort=random",
        "?page=0",
        "?page=abc",
        "?lang=klingon",
        "?category=cats",
    ] {
        let (status, body) = list(bad).await;
        assert_eq!(
            (status, code_of(&body)),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_query"),
            "{bad}"
        );
    }
    let (status, _) = list("?q=%22%27%2A%20OR%201%3D1%20--").await;
    assert_eq!(status, StatusCode::OK, "SQL characters are just text");
}

#[tokio::test]
async fn concurrent_first_clicks_of_many_readers_on_one_thing_all_count() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let thing = a_thing(&app, &creator, "https://creator.example/popular", "Popular").await;
    let mut tokens = Vec::new();
    for _ in 0..24 {
        tokens.push(funded_reader(&app, "10.00", "2.00").await.1);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for token in tokens {
        tasks.spawn(a_click(&app, thing, &token));
    }
    while let Some(result) = tasks.join_next().await {
        let (status, body) = result.expect("task");
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let body: Value = app.get_json(&format!("/api/v1/things/{thing}")).await;
    assert_eq!(body["clicks_this_month"], 24);
    app.assert_ledger_sound().await;
}

/// Readers clicking several things at once, as a crowd does: on PostgreSQL these clicks share
/// batched statements (`db::writes`), on SQLite commits. Each reply must tell the value of a
/// click at its own place in the reader's month, and every count must add up.
#[tokio::test]
async fn a_crowd_clicking_at_once_is_counted_exactly() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let mut things = Vec::new();
    for n in 0..7 {
        let url = format!("https://creator.example/crowd/{n}");
        things.push(a_thing(&app, &creator, &url, &format!("Crowd {n}")).await);
    }
    let mut readers = Vec::new();
    for _ in 0..10 {
        let (_, token) = funded_reader(&app, "10.00", "4.20").await;
        // The month's first click, alone: the burst below then finds the budget reserved.
        let (status, _) = call(
            &app,
            reqwest::Method::POST,
            &format!("/api/v1/things/{}/click", things[0]),
            &token,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        readers.push(token);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (reader, token) in readers.iter().enumerate() {
        // Six new clicks each, and the first of them sent twice.
        let mut targets: Vec<i64> = things[1..].to_vec();
        targets.push(things[1]);
        for thing in targets {
            let click = a_click(&app, thing, token);
            tasks.spawn(async move {
                let (status, body) = click.await;
                (reader, status, body)
            });
        }
    }
    let mut values = vec![Vec::new(); readers.len()];
    while let Some(result) = tasks.join_next().await {
        let (reader, status, body) = result.expect("task");
        match status {
            StatusCode::CREATED => values[reader].push(body["click_value"].to_string()),
            StatusCode::CONFLICT => assert_eq!(code_of(&body), "already_clicked"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    for (reader, mut seen) in values.into_iter().enumerate() {
        seen.sort();
        // 4.20 over 2, 3, … 7 clicks: each reply is one of these, once.
        let expected = [
            "\"0.60\"", "\"0.70\"", "\"0.84\"", "\"1.05\"", "\"1.40\"", "\"2.10\"",
        ];
        assert_eq!(seen, expected, "reader {reader}");
        let (_, month) = call(
            &app,
            reqwest::Method::GET,
            "/api/v1/me/clicks",
            &readers[reader],
        )
        .await;
        assert_eq!(month["clicks"].as_array().map(Vec::len), Some(7));
        assert_eq!(month["click_value"], "0.60");
    }
    for thing in &things {
        let body: Value = app.get_json(&format!("/api/v1/things/{thing}")).await;
        assert_eq!(body["clicks_this_month"], 10, "thing {thing}");
    }
    app.assert_ledger_sound().await;
}
