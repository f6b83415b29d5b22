//! Discovery: browse, search, creator pages and feeds, through the API and the pages, on
//! whichever database the suite runs.

use chrono::Utc;
use obole::domain::profile::ProfileInput;
use obole::domain::thing::{ContentLanguage, ThingInput};
use obole::domain::{ThingId, UserId};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::builders::{TestUser, funded_reader};
use crate::helpers::{TestApp, spawn_app};

/// A thing with every field chosen, through the library; returns its id.
pub async fn a_thing_in(
    app: &TestApp,
    owner: &TestUser,
    url: &str,
    title: &str,
    description: &str,
    category: &str,
    language: &str,
) -> i64 {
    let input = thing_input(url, title, description, category, language);
    let owner = UserId(owner.id);
    app.db(move |conn| {
        obole::use_cases::things::add(conn, owner, &input, Utc::now())
            .expect("add")
            .id
    })
    .await
}

pub fn thing_input(
    url: &str,
    title: &str,
    description: &str,
    category: &str,
    language: &str,
) -> ThingInput {
    ThingInput::parse(
        url,
        title,
        Some(description),
        Some(category),
        Some(language),
        ContentLanguage::English,
    )
    .expect("thing")
}

/// Hides a thing through the owner's edit use case.
pub async fn hide(app: &TestApp, owner: &TestUser, id: i64, input: ThingInput) {
    let owner = UserId(owner.id);
    app.db(move |conn| {
        obole::use_cases::things::edit(conn, owner, ThingId(id), &input, true, Utc::now())
            .expect("hide")
    })
    .await;
}

/// Gives `user` a public page, through the library.
pub async fn a_public_page(
    app: &TestApp,
    user: &TestUser,
    handle: &str,
    name: &str,
    clicks_public: bool,
) {
    let profile = ProfileInput::parse(handle, name, "", "", clicks_public).expect("profile");
    let id = UserId(user.id);
    app.db(move |conn| {
        obole::use_cases::creators::save(conn, id, &profile, Utc::now()).expect("save")
    })
    .await;
}

pub async fn click(app: &TestApp, token: &str, thing: i64) {
    let response = app
        .api()
        .post(app.url(&format!("/api/v1/things/{thing}/click")))
        .bearer_auth(token)
        .send()
        .await
        .expect("click");
    assert_eq!(response.status(), StatusCode::CREATED, "click on {thing}");
}

pub async fn list(app: &TestApp, query: &[(&str, &str)]) -> (StatusCode, Value) {
    let response = app
        .api()
        .get(app.url("/api/v1/things"))
        .query(query)
        .send()
        .await
        .expect("list");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Lists until `settled` holds of the answer: browse's order follows a click within its
/// worker's interval (`use_cases::popularity::FLUSH_EVERY`), not at once. Gives up after ten
/// seconds, answering what it last read, for the caller's assertion to report.
pub async fn list_until(
    app: &TestApp,
    query: &[(&str, &str)],
    settled: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let (status, body) = list(app, query).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if settled(&body) || std::time::Instant::now() >= deadline {
            return body;
        }
        tokio::time::sleep(obole::use_cases::popularity::FLUSH_EVERY / 5).await;
    }
}

fn titles(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| i["title"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Zoé's catalogue: French and English things in several categories, one of them hidden.
pub struct Catalogue {
    pub zoe: TestUser,
    pub carnet: i64,
    pub chansons: i64,
    pub garden: i64,
    pub city: i64,
    pub hidden: i64,
}

pub async fn catalogue(app: &TestApp) -> Catalogue {
    let zoe = app.a_user().display_name("Zoé Martin").create().await;
    let carnet = a_thing_in(
        app,
        &zoe,
        "https://zoe.example/carnet",
        "Le carnet des élèves",
        "Un podcast où les élèves du collège racontent leur semaine.",
        "podcast",
        "fr",
    )
    .await;
    let chansons = a_thing_in(
        app,
        &zoe,
        "https://zoe.example/chansons",
        "Chansons d’été",
        "Des reprises à la guitare, enregistrées au jardin.",
        "music",
        "fr",
    )
    .await;
    let garden = a_thing_in(
        app,
        &zoe,
        "https://zoe.example/garden",
        "Garden notes",
        "Weekly notes from a balcony.",
        "writing",
        "en",
    )
    .await;
    let city = a_thing_in(
        app,
        &zoe,
        "https://zoe.example/city",
        "City walks",
        "Where the old garden used to be, and other stories.",
        "writing",
        "en",
    )
    .await;
    let secret = (
        "https://zoe.example/secret",
        "Brouillon secret pour les élèves",
        "Pas encore prêt.",
        "podcast",
        "fr",
    );
    let hidden = a_thing_in(app, &zoe, secret.0, secret.1, secret.2, secret.3, secret.4).await;
    hide(
        app,
        &zoe,
        hidden,
        thing_input(secret.0, secret.1, secret.2, secret.3, secret.4),
    )
    .await;
    Catalogue {
        zoe,
        carnet,
        chansons,
        garden,
        city,
        hidden,
    }
}

#[tokio::test]
async fn search_ignores_accents_and_case_and_ranks_titles_first() {
    let app = spawn_app().await;
    let c = catalogue(&app).await;
    for query in ["élève", "eleve", "ELEVES", "Élèves", "carnet eleve"] {
        let (status, body) = list(&app, &[("q", query)]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["items"][0]["id"], c.carnet, "{query}");
        assert_eq!(body["total"], 1, "{query}: the hidden thing is never found");
    }
    let (_, summer) = list(&app, &[("q", "ete")]).await;
    assert_eq!(
        summer["items"][0]["id"], c.chansons,
        "été without its accents"
    );
    // A word in a title outranks the same word in a description.
    let (_, garden) = list(&app, &[("q", "garden")]).await;
    let ids: Vec<&Value> = garden["items"]
        .as_array()
        .map(|i| i.iter().map(|t| &t["id"]).collect())
        .unwrap_or_default();
    assert_eq!(ids, [&Value::from(c.garden), &Value::from(c.city)]);
    // The creator's name is searched too, and so is a new public name once saved.
    let (_, by_name) = list(&app, &[("q", "zoe martin")]).await;
    assert_eq!(by_name["total"], 4);
    a_public_page(&app, &c.zoe, "radio-zoe", "Radio Zoé", false).await;
    let (_, by_handle) = list(&app, &[("q", "radio"), ("lang", "fr")]).await;
    assert_eq!(by_handle["total"], 2);
    assert_eq!(by_handle["items"][0]["creator"]["handle"], "radio-zoe");
    let (_, nothing) = list(&app, &[("q", "xylophone")]).await;
    assert_eq!(
        (nothing["total"].as_i64(), titles(&nothing).len()),
        (Some(0), 0)
    );
}

#[tokio::test]
async fn search_syntax_is_only_text_and_never_an_error() {
    let app = spawn_app().await;
    catalogue(&app).await;
    let nasty = [
        "\"",
        "\"\"",
        "*",
        "'",
        "''",
        "OR",
        "AND",
        "NOT",
        "NEAR",
        "NEAR(",
        "(",
        ")",
        "()",
        "élève OR",
        "OR élève",
        "\"élève",
        "élève*",
        "*élève",
        "élè\"ve",
        "NEAR(élève carnet)",
        "élève AND NOT carnet",
        "title:élève",
        "^élève",
        "-élève",
        "élève:*",
        "élève & carnet",
        "!élève",
        "élève | x",
        "'; DROP TABLE things; --",
        "%",
        "_",
        "\\",
        "{élève}",
        "élève'",
        "l’élève",
        "l'élève",
    ];
    for query in nasty {
        let (status, body) = list(&app, &[("q", query)]).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        assert!(body["total"].is_i64(), "{query}: {body}");
        let page = app
            .visitor()
            .get(app.url("/browse"))
            .query(&[("q", query)])
            .send()
            .await
            .expect("page");
        assert_eq!(page.status(), StatusCode::OK, "{query} on the page");
    }
    // Syntax around a word still finds it.
    for query in ["\"élève\"", "(élève)", "élève*", "l'élève", "l’élève"] {
        let (_, body) = list(&app, &[("q", query)]).await;
        assert_eq!(titles(&body), ["Le carnet des élèves"], "{query}");
    }
    let (status, body) = list(&app, &[("q", &"a".repeat(201))]).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_query"))
    );
}

#[tokio::test]
async fn browse_filters_by_language_and_category_sorts_and_pages() {
    let app = spawn_app().await;
    let c = catalogue(&app).await;
    let (_, all) = list(&app, &[]).await;
    assert_eq!(all["total"], 4, "every language, the hidden thing left out");
    assert!(
        all["items"]
            .as_array()
            .is_some_and(|items| items.iter().all(|i| i["id"] != c.hidden))
    );
    let (_, french) = list(&app, &[("lang", "fr")]).await;
    assert_eq!(french["total"], 2);
    let (_, music) = list(&app, &[("lang", "fr"), ("category", "music")]).await;
    assert_eq!(titles(&music), ["Chansons d’été"]);
    let (_, every) = list(&app, &[("lang", "all"), ("category", "all")]).await;
    assert_eq!(every["total"], 4);
    let (_, newest) = list(&app, &[("sort", "new")]).await;
    assert_eq!(
        titles(&newest),
        [
            "City walks",
            "Garden notes",
            "Chansons d’été",
            "Le carnet des élèves"
        ]
    );

    // Two readers tip Chansons, one tips City walks: most tipped first, counts exact.
    let (_, ana) = funded_reader(&app, "10.00", "2.00").await;
    let (_, bob) = funded_reader(&app, "10.00", "2.00").await;
    click(&app, &ana, c.chansons).await;
    click(&app, &bob, c.chansons).await;
    click(&app, &bob, c.city).await;
    let expected = ["Chansons d’été", "City walks"];
    let popular = list_until(&app, &[("sort", "popular")], |body| {
        titles(body).get(..2).is_some_and(|first| first == expected)
    })
    .await;
    assert_eq!(titles(&popular)[..2], expected);
    assert_eq!(popular["items"][0]["clicks_this_month"], 2);
    assert_eq!(popular["items"][1]["clicks_this_month"], 1);
    let (_, ever) = list(&app, &[("sort", "all_time"), ("lang", "en")]).await;
    assert_eq!(titles(&ever), ["City walks", "Garden notes"]);
    // An undone click counts no more, in the order too.
    let undo = app
        .api()
        .delete(app.url(&format!("/api/v1/things/{}/click", c.city)))
        .bearer_auth(&bob)
        .send()
        .await
        .expect("undo");
    assert_eq!(undo.status(), StatusCode::NO_CONTENT);
    let (_, english) = list(&app, &[("lang", "en"), ("sort", "popular")]).await;
    assert_eq!(english["items"][0]["clicks_this_month"], 0);

    // Pages of twenty.
    for n in 0..21 {
        a_thing_in(
            &app,
            &c.zoe,
            &format!("https://zoe.example/n/{n}"),
            &format!("Note {n}"),
            "",
            "other",
            "en",
        )
        .await;
    }
    let (_, first) = list(&app, &[("lang", "en"), ("sort", "new")]).await;
    let (_, second) = list(&app, &[("lang", "en"), ("sort", "new"), ("page", "2")]).await;
    assert_eq!(
        (first["total"].as_i64(), titles(&first).len()),
        (Some(23), 20)
    );
    assert_eq!(titles(&second), ["Note 0", "City walks", "Garden notes"]);
}

#[tokio::test]
async fn creator_pages_show_public_things_and_clicks_only_when_chosen() {
    let app = spawn_app().await;
    let c = catalogue(&app).await;
    let zoe = app.logged_in_visitor(&c.zoe).await;
    let saved = app
        .submit_form(
            &zoe,
            "/settings/profile",
            "/settings/profile",
            &[
                ("handle", "Radio-Zoe"),
                ("public_name", "Radio Zoé"),
                ("description", "Des podcasts & des chansons <en français>."),
                (
                    "links",
                    "https://zoe.example/\nhttps://mastodon.example/@zoe",
                ),
            ],
            "fr",
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let (ana_user, ana) = funded_reader(&app, "10.00", "2.00").await;
    click(&app, &ana, c.carnet).await;
    click(&app, &ana, c.chansons).await;

    let page = app.html(&app.visitor(), "/c/radio-zoe", "fr").await;
    assert!(
        page.contains("<h1 id=\"creator-name\">Radio Zoé</h1>"),
        "{page}"
    );
    assert!(page.contains("Des podcasts &amp; des chansons &lt;en français&gt;."));
    assert!(page.contains("rel=\"me nofollow noopener ugc\""));
    assert!(
        page.contains("2 soutiens en"),
        "the month's clicks on Zoé's things"
    );
    for title in [
        "Le carnet des élèves",
        "Chansons d’été",
        "Garden notes",
        "City walks",
    ] {
        assert!(page.contains(title), "{title}");
    }
    assert!(
        !page.contains("Brouillon secret"),
        "hidden things are not shown"
    );
    assert!(
        !page.contains("creator-clicked"),
        "Zoé did not make her clicks public"
    );
    assert_eq!(
        app.visitor()
            .get(app.url("/c/RADIO-ZOE"))
            .send()
            .await
            .expect("page")
            .status(),
        StatusCode::OK,
        "handles are one case"
    );
    for missing in ["/c/nobody", "/c/a", "/c/%22%3E"] {
        assert_eq!(
            app.visitor()
                .get(app.url(missing))
                .send()
                .await
                .expect("page")
                .status(),
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    // The thing page links to the creator page and carries the payment link.
    let thing = app
        .html(&app.visitor(), &format!("/t/{}", c.carnet), "en")
        .await;
    assert!(
        thing.contains(&format!(
            "<link rel=\"payment\" href=\"{}\"",
            app.url(&format!("/t/{}", c.carnet))
        )),
        "{thing}"
    );
    assert!(thing.contains("href=\"/c/radio-zoe\""));

    // A reader's clicks are private until they choose otherwise.
    a_public_page(&app, &ana_user, "ana", "Ana", false).await;
    let private = app.html(&app.visitor(), "/c/ana", "en").await;
    assert!(
        !private.contains("creator-clicked") && !private.contains("Le carnet des élèves"),
        "{private}"
    );
    a_public_page(&app, &ana_user, "ana", "Ana", true).await;
    let public = app.html(&app.visitor(), "/c/ana", "en").await;
    assert!(public.contains("id=\"creator-clicked\""), "{public}");
    assert!(public.contains("Le carnet des élèves") && public.contains("Chansons d’été"));

    // Someone else cannot take the handle, in any case; bad input changes nothing.
    let bob_user = app
        .a_user()
        .locale(obole::domain::Locale::Fr)
        .create()
        .await;
    let bob = app.logged_in_visitor(&bob_user).await;
    for (fields, status, message) in [
        (
            [("handle", "RADIO-zoe"), ("public_name", "Bob")],
            StatusCode::CONFLICT,
            "Cet identifiant est déjà pris",
        ),
        (
            [("handle", "bo"), ("public_name", "")],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Le nom public",
        ),
        (
            [("handle", "b o b"), ("public_name", "Bob")],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Un identifiant compte",
        ),
    ] {
        let response = app
            .submit_form(
                &bob,
                "/settings/profile",
                "/settings/profile",
                &fields,
                "fr",
            )
            .await;
        assert_eq!(response.status(), status);
        let body = response.text().await.expect("html");
        assert!(body.contains(message), "{body}");
    }
    let links = app
        .submit_form(
            &bob,
            "/settings/profile",
            "/settings/profile",
            &[
                ("handle", "bob"),
                ("public_name", "Bob"),
                ("links", "javascript:alert(1)"),
            ],
            "en",
        )
        .await;
    assert_eq!(links.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.visitor()
            .get(app.url("/c/bob"))
            .send()
            .await
            .expect("page")
            .status(),
        StatusCode::NOT_FOUND
    );
    let still = app.html(&app.visitor(), "/c/radio-zoe", "en").await;
    assert!(still.contains("Radio Zoé"));
}

#[tokio::test]
async fn feeds_list_new_public_things_per_language_and_category() {
    let app = spawn_app().await;
    let c = catalogue(&app).await;
    let feed = |query: &'static str| {
        let request = app
            .visitor()
            .get(app.url(&format!("/feeds/things.atom{query}")));
        async move {
            let response = request.send().await.expect("feed");
            assert_eq!(response.status(), StatusCode::OK, "{query}");
            let kind = response.headers()[reqwest::header::CONTENT_TYPE]
                .to_str()
                .unwrap_or_default()
                .to_owned();
            assert!(kind.starts_with("application/atom+xml"), "{kind}");
            response.text().await.expect("xml")
        }
    };
    let french = feed("?lang=fr").await;
    assert!(
        french.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""),
        "{french}"
    );
    assert_eq!(french.matches("<entry>").count(), 2, "{french}");
    let newest = french.find("Chansons d’été").expect("Chansons");
    let older = french.find("Le carnet des élèves").expect("carnet");
    assert!(newest < older, "newest first");
    assert!(french.contains(&format!(
        "<link href=\"{}\" rel=\"payment\"",
        app.url(&format!("/t/{}", c.chansons))
    )));
    assert!(
        !french.contains("Brouillon secret"),
        "hidden things are not in feeds"
    );
    let writing = feed("?lang=en&category=writing").await;
    assert_eq!(writing.matches("<entry>").count(), 2);
    let music = feed("?category=music").await;
    assert_eq!(music.matches("<entry>").count(), 1);
    let everything = feed("").await;
    assert_eq!(everything.matches("<entry>").count(), 4);
    let bad = app
        .visitor()
        .get(app.url("/feeds/things.atom?lang=klingon"))
        .send()
        .await
        .expect("feed");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The browse page points to the feed of what it shows.
    let browse = app.html(&app.visitor(), "/browse", "fr").await;
    assert!(browse.contains("type=\"application/atom+xml\""), "{browse}");
}

#[tokio::test]
async fn the_browse_page_speaks_the_visitors_language_and_helps_when_nothing_matches() {
    let app = spawn_app().await;
    catalogue(&app).await;
    // Every language, the visitor's first (issue 20: an English visitor finds French things).
    let french = app.html(&app.visitor(), "/browse", "fr-FR,fr").await;
    assert!(french.contains("Le carnet des élèves") && french.contains("Chansons d’été"));
    let at = |page: &str, title: &str| page.find(title).unwrap_or_else(|| panic!("{title}"));
    assert!(
        at(&french, "Le carnet des élèves") < at(&french, "Garden notes"),
        "French first for a French visitor"
    );
    assert!(french.contains("id=\"all-languages-note\""));
    let english = app.html(&app.visitor(), "/browse", "en").await;
    assert!(at(&english, "Garden notes") < at(&english, "Le carnet des élèves"));
    let only = app.html(&app.visitor(), "/browse?lang=fr", "en").await;
    assert!(only.contains("Le carnet des élèves") && !only.contains("Garden notes"));
    assert!(only.contains("id=\"all-languages\""));
    let all = app.html(&app.visitor(), "/browse?lang=all", "en").await;
    assert!(all.contains("Garden notes") && all.contains("Le carnet des élèves"));
    let empty = app.html(&app.visitor(), "/browse?q=xylophone", "fr").await;
    assert!(empty.contains("id=\"no-results\""), "{empty}");
    assert!(
        empty.contains("Rien ne correspond à «\u{a0}xylophone\u{a0}»"),
        "{empty}"
    );
    let empty = app
        .html(&app.visitor(), "/browse?q=xylophone&lang=fr", "fr")
        .await;
    assert!(empty.contains("Chercher dans toutes les langues"));
    let empty_en = app.html(&app.visitor(), "/browse?q=%22%2A%28", "en").await;
    assert!(empty_en.contains("Nothing matches"), "{empty_en}");
    let bad = app
        .visitor()
        .get(app.url("/browse?sort=random"))
        .header("Accept-Language", "fr")
        .send()
        .await
        .expect("page");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text()
            .await
            .expect("html")
            .contains("Cette recherche n’a pas pu être comprise")
    );
}
