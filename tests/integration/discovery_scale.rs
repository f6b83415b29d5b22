//! Discovery with more matches than a search counts or ranks: the count stops at 100,
//! "best match" ranks the most tipped matches, pages go on past both, and browse's totals
//! stay exact. Enough things for both ways a search finds its matches (from the index, or
//! testing things in order), and for the fall-back from one to the other on deep pages.

use chrono::Utc;
use obole::domain::UserId;
use serde_json::Value;

use crate::discovery::{a_thing_in, click, list, list_until, thing_input};
use crate::helpers::builders::funded_reader;
use crate::helpers::spawn_app;

fn ids(body: &Value) -> Vec<i64> {
    body["items"]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i["id"].as_i64()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_common_word_is_counted_to_a_hundred_ranked_among_the_most_tipped_and_paged_on() {
    let app = spawn_app().await;
    let creator = app.a_user().display_name("Camille").create().await;
    // The oldest match: "jardin" in its title.
    let old_title = a_thing_in(
        &app,
        &creator,
        "https://camille.example/jardin",
        "Jardin partagé",
        "Un lieu du quartier.",
        "writing",
        "fr",
    )
    .await;
    // 1,001 things with "jardin" in their description only.
    let owner = UserId(creator.id);
    app.db(move |conn| {
        for n in 0..1001 {
            let input = thing_input(
                &format!("https://camille.example/notes/{n}"),
                &format!("Note {n}"),
                "Ce que le jardin donne cette semaine.",
                "writing",
                "fr",
            );
            obole::use_cases::things::add(conn, owner, &input, Utc::now()).expect("add");
        }
    })
    .await;
    // The newest match: "jardin" in its title again.
    let new_title = a_thing_in(
        &app,
        &creator,
        "https://camille.example/hiver",
        "Jardin d’hiver",
        "Des serres.",
        "writing",
        "fr",
    )
    .await;

    let search = [("q", "jardin"), ("lang", "all")];
    let (_, first) = list(&app, &search).await;
    assert_eq!(
        (first["total"].as_i64(), first["total_exact"].as_bool()),
        (Some(100), Some(false)),
        "a search counts up to 100"
    );
    // Nobody tipped anything: the 100 newest matches are ranked, the new title first; the
    // old title match is not among them.
    let page = ids(&first);
    assert_eq!(page.len(), 20);
    assert_eq!(page[0], new_title);
    assert!(!page.contains(&old_title));

    // Tipped, the old thing is among the most tipped matches, and its title ranks it first
    // (once browse's totals have the click: within the popularity worker's round).
    let (_, token) = funded_reader(&app, "10.00", "2.00").await;
    click(&app, &token, old_title).await;
    let tipped = list_until(&app, &search, |body| ids(body).first() == Some(&old_title)).await;
    assert_eq!(ids(&tipped)[..2], [old_title, new_title]);

    // Pages go on past the count: 1,003 matches, the 51st page holds the last three.
    let (_, last) = list(&app, &[("q", "jardin"), ("lang", "all"), ("page", "51")]).await;
    assert_eq!(ids(&last).len(), 3);
    // A narrower search, and browse without words, count exactly.
    let (_, winter) = list(&app, &[("q", "jardin hiver"), ("lang", "all")]).await;
    assert_eq!(
        (winter["total"].as_i64(), winter["total_exact"].as_bool()),
        (Some(1), Some(true))
    );
    let (_, all) = list(&app, &[("lang", "all")]).await;
    assert_eq!(
        (all["total"].as_i64(), all["total_exact"].as_bool()),
        (Some(1003), Some(true))
    );

    // The page says there are more, and offers the next page.
    let html = app
        .html(&app.visitor(), "/browse?q=jardin&lang=all", "fr-FR,fr")
        .await;
    assert!(
        html.contains("Plus de 100 contenus correspondent à «\u{a0}jardin\u{a0}»"),
        "{html}"
    );
    assert!(html.contains("id=\"next-page\"") && html.contains("Page 1<"));
}
