//! Small things found on the walk (issue 20): a stranger opening someone's thing to edit is
//! told whose it is; French text follows French typography; "pooled" is one word per
//! language.

use reqwest::StatusCode;

use crate::discovery::{hide, thing_input};
use crate::earnings_statement::assert_french_typography;
use crate::helpers::builders::a_thing;
use crate::helpers::spawn_app;

#[tokio::test]
async fn a_stranger_is_told_the_thing_is_someone_elses_and_a_hidden_one_is_not_found() {
    let app = spawn_app().await;
    let owner = app.a_user().create().await;
    let url = "https://owner.example/page";
    let visible = a_thing(&app, &owner, url, "Owner's page").await;
    let hidden = a_thing(&app, &owner, "https://owner.example/draft", "Draft").await;
    hide(
        &app,
        &owner,
        hidden,
        thing_input("https://owner.example/draft", "Draft", "", "other", "en"),
    )
    .await;
    let stranger = app.a_user().create().await;
    let visitor = app.logged_in_visitor(&stranger).await;

    for (language, message) in [
        ("en", "This thing belongs to another account"),
        ("fr", "Ce contenu appartient à un autre compte"),
    ] {
        app.switch_language(&visitor, language).await;
        for path in [
            format!("/things/{visible}/edit"),
            format!("/things/{visible}/embed"),
        ] {
            let response = visitor.get(app.url(&path)).send().await.expect("page");
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
            let page = response.text().await.expect("html");
            assert!(page.contains(message), "{path} in {language}: {page}");
            assert!(
                !page.contains("operators only"),
                "not the operators' message"
            );
        }
    }
    // Someone else's hidden thing, or none at all: not found, like the public page.
    for path in [
        format!("/things/{hidden}/edit"),
        format!("/things/{hidden}/embed"),
        "/things/999999/edit".to_owned(),
    ] {
        let response = visitor.get(app.url(&path)).send().await.expect("page");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    // A stranger's edit changes nothing.
    let edit = format!("/things/{visible}/edit");
    let token = crate::helpers::html::csrf_token(&app.html(&visitor, "/things/new", "en").await);
    let refused = visitor
        .post(app.url(&edit))
        .form(&[
            ("csrf_token", token.as_str()),
            ("url", url),
            ("title", "Taken over"),
            ("category", "other"),
            ("language", "en"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let thing = app.get_json(&format!("/api/v1/things/{visible}")).await;
    assert_eq!(thing["title"], "Owner's page");
    // The owner still opens both, the hidden one too.
    let own = app.logged_in_visitor(&owner).await;
    for path in [
        format!("/things/{visible}/edit"),
        format!("/things/{hidden}/edit"),
    ] {
        let response = own.get(app.url(&path)).send().await.expect("page");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
}

/// The French messages: each `key = value` line and each variant line of
/// `templates/locales/fr/*.ftl`, comments aside.
fn french_messages() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/locales/fr");
    let mut messages = Vec::new();
    for entry in std::fs::read_dir(dir).expect("French locale") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("ftl");
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let where_ = format!("{}:{}", path.display(), number + 1);
            messages.push((where_, line.to_owned()));
        }
    }
    messages
}

#[test]
fn french_text_has_no_break_spaces_before_double_marks_and_inside_guillemets() {
    let messages = french_messages();
    assert!(messages.len() > 300, "read the French messages");
    for (at, line) in &messages {
        // `(;)` names the character itself (the CSV separator), not a pause.
        let line = line.replace("(;)", "");
        let result = std::panic::catch_unwind(|| assert_french_typography(&line));
        assert!(result.is_ok(), "{at}: {line}");
    }
}

#[test]
fn the_typography_check_catches_plain_spaces() {
    for bad in [
        "Bonjour : voici",
        "Déjà inscrit ?",
        "Un ; deux",
        "Bienvenue !",
        "« élève »",
        "Déjà inscrit?",
    ] {
        assert!(
            std::panic::catch_unwind(|| assert_french_typography(bad)).is_err(),
            "{bad}"
        );
    }
    assert_french_typography("Bonjour\u{a0}: voici «\u{a0}élève\u{a0}» https://x.example/?a=1");
}

#[test]
fn pooled_tipping_is_one_term_in_each_language() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |path: &str| std::fs::read_to_string(root.join(path)).expect(path);
    let french = read("templates/locales/fr/main.ftl");
    let english = read("templates/locales/en/main.ftl");
    for key in ["site-tagline", "footer-about", "mail-footer"] {
        let line = |text: &str| {
            text.lines()
                .find(|l| l.starts_with(&format!("{key} =")))
                .unwrap_or_else(|| panic!("{key}"))
                .to_owned()
        };
        assert!(
            line(&french).contains("pourboire mensuel mutualisé"),
            "{key}"
        );
        assert!(line(&english).contains("pooled tipping"), "{key}");
    }
    for other in ["partagé", "en commun", "cagnotte", "pourboires mensuels"] {
        assert!(
            !french
                .lines()
                .any(|l| l.contains("pourboire") && l.contains(other)),
            "{other}"
        );
    }
}
