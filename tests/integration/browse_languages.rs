//! Browse and search in every language (issue 20): without a language chosen, `/browse` lists
//! every language, the visitor's first, and says how to narrow; a language chosen filters;
//! the API keeps its contract (`lang` filters when given, every language otherwise).

use reqwest::StatusCode;

use crate::discovery::a_thing_in;
use crate::helpers::builders::TestUser;
use crate::helpers::{TestApp, spawn_app};

/// The ids of the result cards of a browse page, in the order shown.
fn card_ids(html: &str) -> Vec<i64> {
    let Some(list) = html.split("id=\"results\"").nth(1) else {
        return Vec::new();
    };
    let list = list.split("</ol>").next().unwrap_or(list);
    list.split("href=\"/t/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

struct Catalogue {
    /// French things, newest first (the order of a catalogue without clicks).
    french: Vec<i64>,
    english: Vec<i64>,
    /// The French thing and the English one whose titles hold a form of "élève".
    french_pupils: i64,
    english_pupil: i64,
}

/// 13 French and 12 English things (one results page is 20), every title with the word
/// "obole", one in each language with a form of "élève"; no clicks, so each language's
/// things come newest first.
async fn a_catalogue(app: &TestApp, creator: &TestUser) -> Catalogue {
    let mut catalogue = Catalogue {
        french: Vec::new(),
        english: Vec::new(),
        french_pupils: 0,
        english_pupil: 0,
    };
    for n in 0..25 {
        let (language, title) = match (n % 2, n) {
            (_, 4) => ("fr", "Le carnet des élèves, une obole".to_owned()),
            (_, 5) => ("en", "An eleve's notebook, an obole".to_owned()),
            (0, _) => ("fr", format!("Carnet numéro {n}, une obole")),
            _ => ("en", format!("Notebook number {n}, an obole")),
        };
        let url = format!("https://site.example/{n}");
        let id = a_thing_in(app, creator, &url, &title, "", "education", language).await;
        match language {
            "fr" => catalogue.french.insert(0, id),
            _ => catalogue.english.insert(0, id),
        }
        match n {
            4 => catalogue.french_pupils = id,
            5 => catalogue.english_pupil = id,
            _ => {}
        }
    }
    catalogue
}

#[tokio::test]
async fn an_english_visitors_search_finds_french_things_after_english_ones() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let catalogue = a_catalogue(&app, &creator).await;
    let (french, english) = (catalogue.french_pupils, catalogue.english_pupil);

    // "élève" (with accents) finds the French "élèves" and the English "eleve": the English
    // one first for an English visitor, the French one first for a French visitor.
    let page = app
        .html(&app.visitor(), "/browse?q=%C3%A9l%C3%A8ve", "en")
        .await;
    assert_eq!(card_ids(&page), [english, french], "{page}");
    assert!(
        page.contains("2 things match “élève”") && page.contains("in all languages, English first"),
        "{page}"
    );
    assert!(page.contains("id=\"narrow\""), "says how to narrow");
    assert!(
        page.contains("<option value=\"all\" selected>"),
        "the language filter shows all languages"
    );
    let page = app.html(&app.visitor(), "/browse?q=eleve", "fr").await;
    assert_eq!(card_ids(&page), [french, english]);
    assert!(
        page.contains("dans toutes les langues, le français d’abord"),
        "{page}"
    );

    // A language chosen still filters.
    let page = app
        .html(&app.visitor(), "/browse?q=eleve&lang=fr", "en")
        .await;
    assert_eq!(card_ids(&page), [french]);
    assert!(!page.contains("id=\"all-languages-note\""));
    assert!(
        page.contains("id=\"all-languages\""),
        "offers all languages"
    );
    let page = app
        .html(&app.visitor(), "/browse?q=eleve&lang=en", "fr")
        .await;
    assert_eq!(card_ids(&page), [english]);
}

#[tokio::test]
async fn every_language_pages_across_the_visitors_language_and_the_others() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let catalogue = a_catalogue(&app, &creator).await;
    let english_first: Vec<i64> = catalogue
        .english
        .iter()
        .chain(&catalogue.french)
        .copied()
        .collect();
    let french_first: Vec<i64> = catalogue
        .french
        .iter()
        .chain(&catalogue.english)
        .copied()
        .collect();

    // No words: the 12 English things, then the 13 French ones, over two pages of 20.
    for (language, expected) in [("en", &english_first), ("fr", &french_first)] {
        let first = app.html(&app.visitor(), "/browse", language).await;
        let second = app.html(&app.visitor(), "/browse?page=2", language).await;
        assert_eq!(card_ids(&first), expected[..20], "{language}");
        assert_eq!(card_ids(&second), expected[20..], "{language}");
        assert!(first.contains("id=\"next-page\""));
        // `lang=all` is the same listing.
        let all = app.html(&app.visitor(), "/browse?lang=all", language).await;
        assert_eq!(card_ids(&all), expected[..20], "{language}");
    }
    let first = app.html(&app.visitor(), "/browse", "en").await;
    assert!(first.contains("25 things"), "{first}");

    // A word of every title: the same two pages, for a search.
    for (language, expected) in [("en", &english_first), ("fr", &french_first)] {
        let first = app
            .html(&app.visitor(), "/browse?q=obole&sort=new", language)
            .await;
        let second = app
            .html(&app.visitor(), "/browse?q=obole&sort=new&page=2", language)
            .await;
        assert_eq!(card_ids(&first), expected[..20], "{language}: {first}");
        assert_eq!(card_ids(&second), expected[20..], "{language}");
    }
    // A word of one language's titles only: that language, for any visitor.
    let page = app
        .html(&app.visitor(), "/browse?q=notebook&sort=new", "fr")
        .await;
    assert_eq!(card_ids(&page), catalogue.english);
    // Best match still ranks within each part: the visitor's language first.
    let page = app.html(&app.visitor(), "/browse?q=obole", "fr").await;
    let ids = card_ids(&page);
    assert_eq!(ids.len(), 20);
    assert!(
        ids[..13].iter().all(|id| catalogue.french.contains(id)),
        "the 13 French matches first: {ids:?}"
    );
}

#[tokio::test]
async fn nothing_found_says_what_to_try_in_a_neutral_note() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    a_thing_in(
        &app,
        &creator,
        "https://x.example/1",
        "Garden notes",
        "",
        "other",
        "en",
    )
    .await;
    let nothing = app.html(&app.visitor(), "/browse?q=xylophone", "en").await;
    assert!(
        nothing.contains("class=\"info\" role=\"status\" id=\"no-results\""),
        "{nothing}"
    );
    assert!(
        !nothing.contains("class=\"notice\""),
        "not the success colour"
    );
    assert!(nothing.contains("Nothing matches “xylophone” yet, in any language."));
    assert!(nothing.contains("Try fewer or shorter words"));
    let french = app
        .html(
            &app.visitor(),
            "/browse?q=xylophone&lang=fr&category=music",
            "fr",
        )
        .await;
    assert!(
        french.contains("Chercher dans toutes les langues")
            && french.contains("Chercher dans toutes les catégories"),
        "{french}"
    );
}

#[tokio::test]
async fn the_api_still_filters_by_language_only_when_asked() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let french = a_thing_in(
        &app,
        &creator,
        "https://x.example/fr",
        "Les élèves",
        "",
        "other",
        "fr",
    )
    .await;
    let english = a_thing_in(
        &app,
        &creator,
        "https://x.example/en",
        "An eleve",
        "",
        "other",
        "en",
    )
    .await;
    let ids = |body: &serde_json::Value| -> Vec<i64> {
        body["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|t| t["id"].as_i64().expect("id"))
            .collect()
    };
    let all = app.get_json("/api/v1/things?q=eleve").await;
    assert_eq!(all["total"], 2);
    let mut found = ids(&all);
    found.sort_unstable();
    assert_eq!(found, [french, english]);
    assert_eq!(
        ids(&app.get_json("/api/v1/things?q=eleve&lang=fr").await),
        [french]
    );
    assert_eq!(
        ids(&app.get_json("/api/v1/things?q=eleve&lang=en").await),
        [english]
    );
    let bad = app
        .api()
        .get(app.url("/api/v1/things?lang=xx"))
        .send()
        .await
        .expect("request");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
