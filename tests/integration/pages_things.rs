//! The pages of things and clicks, as a plain HTTP client sees them.

use reqwest::StatusCode;

use crate::helpers::builders::{a_thing, funded_reader};
use crate::helpers::html::heading;
use crate::helpers::spawn_app;

#[tokio::test]
async fn a_creator_adds_a_thing_gets_its_embed_code_edits_and_hides_it() {
    let app = spawn_app().await;
    let creator = app
        .a_user()
        .locale(obole::domain::Locale::Fr)
        .create()
        .await;
    let visitor = app.logged_in_visitor(&creator).await;
    let refused = app
        .submit_form(
            &visitor,
            "/things/new",
            "/things/new",
            &[("url", "javascript:alert(1)"), ("title", "x")],
            "fr",
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .expect("html")
            .contains("Veuillez indiquer l’adresse complète")
    );

    let fields = [
        ("url", "https://mon.blog.example/billet/?utm_campaign=z"),
        ("title", "Mon billet"),
        ("description", "Un texte."),
        ("category", "writing"),
        ("language", "fr"),
    ];
    let created = app
        .submit_form(&visitor, "/things/new", "/things/new", &fields, "fr")
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let embed_path = created.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let embed = app.html(&visitor, &embed_path, "fr").await;
    assert!(
        embed.contains("class=&quot;obole-button&quot;"),
        "the code is shown as text"
    );
    assert!(embed.contains("embed.js"));
    assert!(
        embed.contains("<a class=\"obole-button\""),
        "and previewed for real"
    );
    // The payment link for the page's head and the podcast funding tag, with where each
    // goes; the thing is not claimed yet, and the page says what that means.
    assert!(
        embed.contains("&lt;link rel=&quot;payment&quot;"),
        "{embed}"
    );
    assert!(embed.contains("&lt;podcast:funding url=&quot;"), "{embed}");
    assert!(embed.contains("Placez cette balise dans le &lt;head&gt; de votre page"));
    assert!(embed.contains("id=\"embed-unclaimed\""));
    assert!(
        embed.contains("id=\"preview-button\""),
        "the script button is previewed too"
    );
    let id: i64 = embed_path
        .trim_start_matches("/things/")
        .trim_end_matches("/embed")
        .parse()
        .expect("id");

    let mine = app.html(&visitor, "/things", "fr").await;
    assert!(
        mine.contains("https:&#x2F;&#x2F;mon.blog.example&#x2F;billet")
            && mine.contains("Mon billet")
    );

    let edit_path = format!("/things/{id}/edit");
    let hidden = [
        ("url", "https://mon.blog.example/billet"),
        ("title", "Mon billet, revu"),
        ("category", "journalism"),
        ("language", "fr"),
        ("hidden", "on"),
    ];
    let saved = app
        .submit_form(&visitor, &edit_path, &edit_path, &hidden, "fr")
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let public = app
        .api()
        .get(app.url(&format!("/t/{id}")))
        .send()
        .await
        .expect("page");
    assert_eq!(
        public.status(),
        StatusCode::NOT_FOUND,
        "hidden things are gone for the public"
    );

    let stranger = app.a_user().create().await;
    let other = app.logged_in_visitor(&stranger).await;
    // Someone else's hidden thing is not found, as it is for the public.
    let hidden = other.get(app.url(&edit_path)).send().await.expect("edit");
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_thing_page_tells_the_reader_before_they_click_and_works_without_javascript() {
    let app = spawn_app().await;
    let creator = app.a_user().display_name("Camille").create().await;
    let thing = a_thing(&app, &creator, "https://camille.example/a", "Un article").await;
    let path = format!("/t/{thing}");

    let anonymous = app.html(&app.visitor(), &path, "en").await;
    assert!(
        anonymous.contains(&format!("/login?next=/t/{thing}")),
        "log in and come back"
    );
    assert!(anonymous.contains("by Camille"));

    let (poor, _) = funded_reader(&app, "1.00", "2.00").await;
    let poor = app.logged_in_visitor(&poor).await;
    let page = app.html(&poor, &path, "en").await;
    assert!(
        page.contains("id=\"needs-funds\""),
        "told before clicking: {page}"
    );
    assert!(!page.contains("id=\"confirm-tip\""));

    let (reader, _) = funded_reader(&app, "10.00", "2.00").await;
    let reader = app.logged_in_visitor(&reader).await;
    let page = app.html(&reader, &path, "en").await;
    assert!(page.contains("id=\"confirm-tip\"") && page.contains("€2.00"));
    let done = app
        .submit_form(&reader, &path, &format!("{path}/click"), &[], "en")
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(done.headers()["location"], format!("/t/{thing}?done=1"));
    let thanks = app.html(&reader, &format!("{path}?done=1"), "en").await;
    assert!(thanks.contains("id=\"tipped\"") && thanks.contains("id=\"undo\""));
    assert!(thanks.contains("one tip this month"));
    let badge = app
        .api()
        .get(app.url(&format!("{path}/badge.svg")))
        .send()
        .await
        .expect("badge")
        .text()
        .await
        .expect("svg");
    assert!(badge.contains(">1</text>"));

    let clicks = app.html(&reader, "/clicks", "en").await;
    assert!(clicks.contains("Un article") && clicks.contains("€2.00"));
    let undone = app
        .submit_form(&reader, &path, &format!("{path}/undo"), &[], "en")
        .await;
    assert_eq!(undone.status(), StatusCode::SEE_OTHER);
    let clicks = app.html(&reader, "/clicks", "en").await;
    assert!(clicks.contains("id=\"no-clicks\""));

    let forged = reader
        .post(app.url(&format!("{path}/click")))
        .form(&[("csrf_token", "forged")])
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_script_in_a_title_is_shown_escaped_on_every_page() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let title = "<script>alert('obole')</script>";
    let thing = a_thing(&app, &creator, "https://evil.example/x", title).await;
    let (reader, token) = funded_reader(&app, "10.00", "2.00").await;
    let click = app
        .api()
        .post(app.url(&format!("/api/v1/things/{thing}/click")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("click");
    assert_eq!(click.status(), StatusCode::CREATED);
    let creator_visitor = app.logged_in_visitor(&creator).await;
    let reader_visitor = app.logged_in_visitor(&reader).await;
    let pages = [
        app.html(&app.visitor(), &format!("/t/{thing}"), "en").await,
        app.html(&creator_visitor, "/things", "en").await,
        app.html(&creator_visitor, &format!("/things/{thing}/embed"), "en")
            .await,
        app.html(&creator_visitor, &format!("/things/{thing}/edit"), "en")
            .await,
        app.html(&reader_visitor, "/clicks", "en").await,
        app.api()
            .get(app.url(&format!("/t/{thing}/badge.svg")))
            .send()
            .await
            .expect("badge")
            .text()
            .await
            .expect("svg"),
    ];
    for (n, page) in pages.iter().enumerate() {
        assert!(
            !page.contains("<script>alert"),
            "page {n} has the raw script: {page}"
        );
        assert!(
            page.contains("&lt;script&gt;"),
            "page {n} shows the title escaped"
        );
    }
    assert_eq!(
        heading(&pages[0]),
        "&lt;script&gt;alert(&#x27;obole&#x27;)&lt;&#x2F;script&gt;"
    );
}

#[tokio::test]
async fn an_operator_vouches_for_a_creators_site_on_the_operator_page() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let squatter = app.a_user().create().await;
    let squatted = crate::helpers::builders::an_unclaimed_thing(
        &app,
        &squatter,
        "https://camille.example/a",
        "A",
    )
    .await;
    let operator = app.a_user().create().await;
    let email = obole::domain::Email::parse(&operator.email).expect("email");
    app.db(move |conn| obole::models::users::grant_operator(conn, &email).expect("grant"))
        .await;
    // Not an operator: refused.
    let someone = app.logged_in_visitor(&creator).await;
    // (The session's CSRF token comes from a page this person may open.)
    let refused = app
        .submit_form(
            &someone,
            "/settings/sites",
            "/operator/sites",
            &[
                ("email", creator.email.as_str()),
                ("url", "https://camille.example/"),
            ],
            "en",
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let visitor = app.logged_in_visitor(&operator).await;
    let bad = app
        .submit_form(
            &visitor,
            "/operator/sites",
            "/operator/sites",
            &[
                ("email", creator.email.as_str()),
                ("url", "ftp://camille.example/"),
            ],
            "fr",
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let done = app
        .submit_form(
            &visitor,
            "/operator/sites",
            "/operator/sites",
            &[
                ("email", creator.email.as_str()),
                ("url", "https://camille.example/"),
            ],
            "en",
        )
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    let page = done.text().await.expect("html");
    assert!(page.contains("id=\"grant-done\""), "{page}");
    assert!(page.contains("one thing changed hands"), "{page}");
    let thing = app.get_json(&format!("/api/v1/things/{squatted}")).await;
    assert_eq!(
        (&thing["owner_id"], &thing["claimed"]),
        (&serde_json::json!(creator.id), &serde_json::json!(true))
    );
    app.assert_ledger_sound().await;
}
