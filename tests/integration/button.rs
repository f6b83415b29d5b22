//! The Obole button as a creator's readers see it: the badge says "Tip with Obole" or
//! "Soutenir avec Obole" in the thing's language, in a light and a dark theme, with the
//! month's count; the embed page previews every way of embedding it and says "Copied" on the
//! button that copied.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use fantoccini::Locator;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::browser::{log_in, save_screenshot};
use crate::helpers::builders::{TestUser, funded_reader};
use crate::helpers::{TestApp, browser, spawn_app};

/// A thing added through the API in `language`; returns its id and its `button` object.
async fn a_thing_in(
    app: &TestApp,
    creator: &TestUser,
    title: &str,
    language: &str,
) -> (i64, Value) {
    let token = creator.direct_token(app).await;
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let url = format!("https://{language}.creator.example/{n}");
    let created = app
        .api()
        .post(app.url("/api/v1/things"))
        .bearer_auth(&token)
        .json(&json!({ "url": url, "title": title, "language": language }))
        .send()
        .await
        .expect("add a thing");
    assert_eq!(created.status(), StatusCode::CREATED);
    let body: Value = created.json().await.expect("json");
    (body["id"].as_i64().expect("id"), body["button"].clone())
}

struct Badge {
    status: StatusCode,
    etag: String,
    svg: String,
}

/// `GET /t/{thing}/badge.svg{query}`, with `If-None-Match: etag` when given.
async fn badge(app: &TestApp, thing: i64, query: &str, etag: Option<&str>) -> Badge {
    let mut request = app
        .api()
        .get(app.url(&format!("/t/{thing}/badge.svg{query}")));
    if let Some(etag) = etag {
        request = request.header("If-None-Match", etag);
    }
    let response = request.send().await.expect("badge");
    let status = response.status();
    let etag = response
        .headers()
        .get("etag")
        .map(|v| v.to_str().expect("etag").to_owned())
        .unwrap_or_default();
    if status == StatusCode::OK {
        assert_eq!(response.headers()["content-type"], "image/svg+xml");
        assert_eq!(response.headers()["cache-control"], "public, no-cache");
    }
    let svg = response.text().await.expect("svg");
    Badge { status, etag, svg }
}

/// The value of the SVG's `aria-label` (still escaped).
fn accessible_name(svg: &str) -> &str {
    let start = svg.find("aria-label=\"").expect("aria-label") + "aria-label=\"".len();
    &svg[start..start + svg[start..].find('"').expect("end of the label")]
}

#[tokio::test]
async fn the_badge_speaks_the_things_language_unless_asked_otherwise() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let (french, _) = a_thing_in(&app, &creator, "Mon carnet", "fr").await;
    let (english, _) = a_thing_in(&app, &creator, "My notebook", "en").await;
    let (german, _) = a_thing_in(&app, &creator, "Mein Heft", "de").await;

    let fr = badge(&app, french, "", None).await;
    assert_eq!(fr.status, StatusCode::OK);
    assert!(fr.svg.contains(">Soutenir avec Obole</text>"), "{}", fr.svg);
    assert!(!fr.svg.contains("Tip with Obole"));
    assert_eq!(
        accessible_name(&fr.svg),
        "Soutenir avec Obole\u{a0}: Mon carnet, 0 soutien ce mois-ci"
    );
    assert!(
        fr.svg
            .contains("<title>Soutenir avec Obole\u{a0}: Mon carnet, 0 soutien ce mois-ci</title>")
    );
    assert!(fr.svg.contains(">0</text>") && fr.svg.contains("role=\"img\""));

    let en = badge(&app, english, "", None).await;
    assert!(en.svg.contains(">Tip with Obole</text>"), "{}", en.svg);
    assert_eq!(
        accessible_name(&en.svg),
        "Tip with Obole: My notebook, 0 tips this month"
    );
    let de = badge(&app, german, "", None).await;
    assert!(
        de.svg.contains(">Tip with Obole</text>"),
        "other languages get English"
    );

    // `?lang=` overrides the thing's language, both ways.
    let fr_in_english = badge(&app, french, "?lang=en", None).await;
    assert!(fr_in_english.svg.contains(">Tip with Obole</text>"));
    assert_eq!(
        accessible_name(&fr_in_english.svg),
        "Tip with Obole: Mon carnet, 0 tips this month"
    );
    let en_in_french = badge(&app, english, "?lang=fr", None).await;
    assert!(en_in_french.svg.contains(">Soutenir avec Obole</text>"));
    assert_ne!(en_in_french.etag, en.etag);
}

#[tokio::test]
async fn hostile_language_and_theme_values_fall_back_to_the_default_badge() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let (thing, _) = a_thing_in(&app, &creator, "Carnet", "fr").await;
    let plain = badge(&app, thing, "", None).await;
    for query in [
        "?lang=de",
        "?lang=",
        "?lang",
        "?lang=%3Cscript%3Ealert(1)%3C/script%3E",
        "?lang=fr%00",
        "?theme=%22%3E%3Cscript%3E",
        "?theme=darker",
        "?theme=",
        "?theme=dark%20",
        "?lang=xx&theme=zz&_=123&=&&",
        &format!("?lang={}", "e".repeat(5000)),
    ] {
        let odd = badge(&app, thing, query, None).await;
        assert_eq!(odd.status, StatusCode::OK, "{query}");
        assert_eq!(odd.svg, plain.svg, "{query}");
        assert_eq!(odd.etag, plain.etag, "{query}");
        assert!(!odd.svg.contains("<script"), "{query}");
    }
    // A language tag as browsers write it is understood, whatever its case.
    let tagged = badge(&app, thing, "?lang=EN-gb&theme=DARK", None).await;
    assert!(tagged.svg.contains(">Tip with Obole</text>"));
    assert_eq!(
        tagged.svg,
        badge(&app, thing, "?lang=en&theme=dark", None).await.svg
    );
}

#[tokio::test]
async fn each_variant_has_its_own_etag_answers_304_and_counts_a_new_click() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let (thing, _) = a_thing_in(&app, &creator, "A song", "en").await;
    let queries = ["", "?theme=dark", "?lang=fr", "?lang=fr&theme=dark"];
    let mut before = Vec::new();
    for query in queries {
        before.push(badge(&app, thing, query, None).await);
    }
    let light = &before[0];
    let dark = &before[1];
    assert_ne!(light.svg, dark.svg);
    assert!(light.svg.contains("fill=\"#0b5cad\"") && !light.svg.contains("#8cc4ff"));
    assert!(dark.svg.contains("fill=\"#8cc4ff\""), "{}", dark.svg);
    assert!(dark.svg.contains(">Tip with Obole</text>"));
    let mut tags: Vec<&str> = before.iter().map(|b| b.etag.as_str()).collect();
    assert!(tags.iter().all(|t| t.starts_with("W/\"")), "{tags:?}");
    tags.sort_unstable();
    tags.dedup();
    assert_eq!(tags.len(), queries.len(), "one ETag per variant");

    for (query, seen) in queries.iter().zip(&before) {
        let again = badge(&app, thing, query, Some(&seen.etag)).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{query}");
        assert_eq!(again.etag, seen.etag);
        assert!(again.svg.is_empty());
    }
    // Another variant's ETag does not fit: the dark badge is not the light one.
    let other = badge(&app, thing, "?theme=dark", Some(&light.etag)).await;
    assert_eq!(other.status, StatusCode::OK);

    let (_, token) = funded_reader(&app, "10.00", "2.00").await;
    let click = app
        .api()
        .post(app.url(&format!("/api/v1/things/{thing}/click")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("click");
    assert_eq!(click.status(), StatusCode::CREATED);
    for (query, seen) in queries.iter().zip(&before) {
        let after = badge(&app, thing, query, Some(&seen.etag)).await;
        assert_eq!(
            after.status,
            StatusCode::OK,
            "the click shows at once: {query}"
        );
        assert!(
            after.svg.ends_with(">1</text></g></svg>"),
            "{query}: {}",
            after.svg
        );
    }
    let english = badge(&app, thing, "", None).await;
    assert_eq!(
        accessible_name(&english.svg),
        "Tip with Obole: A song, 1 tip this month"
    );
    let french = badge(&app, thing, "?lang=fr", None).await;
    assert!(accessible_name(&french.svg).ends_with(", 1 soutien ce mois-ci"));
}

#[tokio::test]
async fn a_script_in_a_title_is_escaped_in_every_badge_and_in_the_embed_code() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let title = "<script>alert('x')</script> & \"co\"";
    let (thing, button) = a_thing_in(&app, &creator, title, "fr").await;
    for query in ["", "?theme=dark", "?lang=en", "?lang=en&theme=dark"] {
        let svg = badge(&app, thing, query, None).await.svg;
        assert!(!svg.contains("<script>"), "{query}: {svg}");
        assert!(
            svg.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; &quot;co&quot;"),
            "{query}: {svg}"
        );
    }
    for field in ["html", "html_dark", "script", "script_dark"] {
        let code = button[field].as_str().expect(field);
        assert!(!code.contains("<script>alert"), "{field}: {code}");
        assert!(code.contains("&lt;script&gt;alert"), "{field}: {code}");
    }
    let visitor = app.logged_in_visitor(&creator).await;
    let page = app
        .html(&visitor, &format!("/things/{thing}/embed"), "en")
        .await;
    assert!(!page.contains("<script>alert"), "{page}");
}

#[tokio::test]
async fn the_api_gives_the_button_in_the_things_language_in_both_themes() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let (thing, button) = a_thing_in(&app, &creator, "Mon carnet", "fr").await;
    let link = app.url(&format!("/t/{thing}"));
    let badge_url = format!("{link}/badge.svg");
    // The contract's fields keep their meaning.
    assert_eq!(button["link"], link.as_str());
    assert_eq!(button["badge"], badge_url.as_str());
    assert_eq!(
        button["link_tag"],
        format!(r#"<link rel="payment" href="{link}">"#).as_str()
    );
    assert!(
        button["podcast_funding"]
            .as_str()
            .expect("podcast")
            .contains(&link)
    );
    let html = button["html"].as_str().expect("html");
    assert_eq!(
        html,
        format!(
            "<a class=\"obole-button\" href=\"{link}\"><img src=\"{badge_url}\" \
             alt=\"Soutenir avec Obole\u{a0}: Mon carnet\" height=\"28\"></a>"
        )
    );
    // Added: the dark badge, and the script button, which is the same badge plus a script.
    assert_eq!(
        button["badge_dark"],
        format!("{badge_url}?theme=dark").as_str()
    );
    assert_eq!(
        button["html_dark"],
        html.replace("badge.svg", "badge.svg?theme=dark").as_str()
    );
    let script = button["script"].as_str().expect("script");
    assert_eq!(
        script,
        format!(
            "{html}\n<script async src=\"{}/embed.js\"></script>",
            app.address
        )
    );
    assert!(
        button["script_dark"]
            .as_str()
            .expect("script_dark")
            .starts_with(button["html_dark"].as_str().expect("html_dark"))
    );
    let (_, english) = a_thing_in(&app, &creator, "My notebook", "en").await;
    assert!(
        english["html"]
            .as_str()
            .expect("html")
            .contains("alt=\"Tip with Obole: My notebook\"")
    );
}

#[tokio::test]
async fn the_embed_page_previews_each_way_and_shows_the_code_for_the_chosen_theme() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let (thing, button) = a_thing_in(&app, &creator, "Mon carnet", "fr").await;
    let visitor = app.logged_in_visitor(&creator).await;
    let path = format!("/things/{thing}/embed");
    let escaped = |code: &str| tera::escape_html(code);

    let light = app.html(&visitor, &path, "en").await;
    assert!(
        light.contains(r#"<link rel="stylesheet" href="/assets/button.css" data-obole-styles>"#)
    );
    // Both badges previewed, the light one's code shown, the choice marked.
    assert!(
        light.contains(button["html"].as_str().expect("html")),
        "{light}"
    );
    assert!(light.contains(button["html_dark"].as_str().expect("html_dark")));
    assert!(light.contains(&format!(
        "<textarea id=\"code-badge\" class=\"code\" rows=\"3\" readonly>{}</textarea>",
        escaped(button["html"].as_str().expect("html"))
    )));
    assert!(light.contains(&escaped(button["script"].as_str().expect("script"))));
    assert!(light.contains("id=\"theme-light\" aria-current=\"true\""));
    assert!(light.contains("id=\"preview-button\"") && light.contains("id=\"preview-link\""));
    assert!(light.contains(&escaped(&format!(
        "<a href=\"{}\">Soutenir avec Obole</a>",
        app.url(&format!("/t/{thing}"))
    ))));
    assert!(light.contains("data-done=\"Copied ✓\""));

    // In French (the creator's choice beats the browser's), for a dark page.
    app.switch_language(&visitor, "fr").await;
    let dark = app
        .html(&visitor, &format!("{path}?theme=dark"), "fr")
        .await;
    assert!(dark.contains(&format!(
        "<textarea id=\"code-badge\" class=\"code\" rows=\"3\" readonly>{}</textarea>",
        escaped(button["html_dark"].as_str().expect("html_dark"))
    )));
    assert!(dark.contains(&escaped(
        button["script_dark"].as_str().expect("script_dark")
    )));
    assert!(dark.contains("id=\"theme-dark\" aria-current=\"true\""));
    assert!(
        dark.contains("data-done=\"Copié ✓\"") && dark.contains("une page sombre"),
        "{dark}"
    );

    for odd in ["?theme=%3Cscript%3E", "?theme=", "?theme=dark&theme=light"] {
        let response = visitor
            .get(app.url(&format!("{path}{odd}")))
            .send()
            .await
            .expect("page");
        assert_eq!(response.status(), StatusCode::OK, "{odd}");
        let page = response.text().await.expect("html");
        assert!(
            page.contains("id=\"theme-light\" aria-current=\"true\""),
            "{odd}"
        );
        assert!(!page.contains("<script>"), "{odd}");
    }

    let css = app
        .api()
        .get(app.url("/assets/button.css"))
        .send()
        .await
        .expect("css");
    assert_eq!(css.status(), StatusCode::OK);
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    assert!(
        css.text()
            .await
            .expect("css")
            .contains(".button-preview-dark")
    );
}

/// Waits until `script` (returning a boolean) says true, or fails after ten seconds.
async fn until(browser: &browser::Browser, script: &str, what: &str) {
    for _ in 0..100 {
        let done = browser.execute(script, vec![]).await.expect("script");
        if done.as_bool() == Some(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what} did not happen");
}

/// On a phone, in English then in French: the creator sees every preview drawn, within the
/// window, copies the badge's code and reads "Copied ✓" on the button itself.
#[tokio::test]
async fn a_creator_copies_the_button_code_on_a_phone_and_sees_it_copied() {
    let app = spawn_app().await;
    for (language, theme, copied, label) in [
        ("en", "", "Copied ✓", "Tip with Obole"),
        ("fr", "?theme=dark", "Copié ✓", "Soutenir avec Obole"),
    ] {
        let creator = app
            .a_user()
            .locale(obole::domain::Locale::parse(language).expect("locale"))
            .create()
            .await;
        let (thing, _) =
            a_thing_in(&app, &creator, "A rather long title for a page", language).await;
        let Some(browser) = browser::open(language).await else {
            return;
        };
        browser
            .set_window_rect(0, 0, 390, 844)
            .await
            .expect("window size");
        log_in(&browser, &app, &creator).await;
        browser
            .goto(&app.url(&format!("/things/{thing}/embed{theme}")))
            .await
            .expect("embed page");
        let copy = browser
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("button.copy[data-copy='code-badge']"))
            .await
            .expect("copy button");
        until(
            &browser,
            "return [...document.querySelectorAll('.button-preview img')].every(i => i.complete && i.naturalWidth > 0);",
            "every preview drawn",
        )
        .await;
        // The script ran on the preview (the popup), and left the page's own styles alone
        // (its <style> would be refused by the page's policy anyway).
        until(
            &browser,
            "return document.getElementById('preview-button').getAttribute('data-obole') === '1';",
            "the preview button enhanced",
        )
        .await;
        // The preview link is the badge and nothing more: no older text-button padding or
        // background around the image.
        let bare = browser
            .execute(
                "return [...document.querySelectorAll('a.obole-button')].every(a => { \
                   const i = a.querySelector('img').getBoundingClientRect(); \
                   const b = a.getBoundingClientRect(); \
                   return Math.abs(b.width - i.width) < 1 && Math.abs(b.height - i.height) < 1 \
                     && i.height === 28 && getComputedStyle(a).backgroundColor === 'rgba(0, 0, 0, 0)'; });",
                vec![],
            )
            .await
            .expect("script");
        assert_eq!(
            bare,
            json!(true),
            "{language}: the previews are the badge alone"
        );
        let styles = browser
            .execute(
                "return document.querySelectorAll('#obole-button-style').length;",
                vec![],
            )
            .await
            .expect("script");
        assert_eq!(styles, json!(0));
        // Nothing reaches past the window's right edge, the header included.
        assert!(
            !browser::overflows(&browser).await,
            "{language}: the page fits 390 px"
        );
        assert_eq!(
            browser::wider_than_the_window(&browser).await,
            "",
            "{language}"
        );

        // The badge's label fits where the server measured it, in the font it names first
        // (when the machine has it: otherwise both measures are the fallback's).
        let measured = browser
            .execute(
                "const c = document.createElement('canvas').getContext('2d'); \
                 c.font = '700 12px monospace'; const fallback = c.measureText(arguments[0]).width; \
                 c.font = '700 12px \"DejaVu Sans\", monospace'; const width = c.measureText(arguments[0]).width; \
                 return width === fallback ? -1 : width;",
                vec![json!(label)],
            )
            .await
            .expect("script")
            .as_f64()
            .expect("a width");
        let svg = badge(&app, thing, "", None).await.svg;
        let set: f64 = svg[svg.find("textLength=\"").expect("textLength") + 12..]
            .split('"')
            .next()
            .and_then(|w| w.parse().ok())
            .expect("a width");
        if measured > 0.0 {
            assert!(
                measured <= set && set - measured < 2.0,
                "{label}: {measured} px in the browser, {set} px in the badge"
            );
        }

        copy.click().await.expect("copy");
        until(
            &browser,
            &format!(
                "return document.querySelector(\"button.copy[data-copy='code-badge']\").textContent === {};",
                json!(copied)
            ),
            "the visible Copied",
        )
        .await;
        // The status region says it too, for screen readers.
        until(
            &browser,
            "const s = document.getElementById('copied'); \
             return s.textContent !== '' && s.textContent === s.getAttribute('data-text');",
            "the status region's message",
        )
        .await;
        save_screenshot(&browser, &format!("embed-copied-{language}-390")).await;
        browser
            .execute(
                "document.getElementById('embed-script').scrollIntoView()",
                vec![],
            )
            .await
            .expect("scroll");
        save_screenshot(&browser, &format!("embed-script-and-link-{language}-390")).await;
        // And the label comes back.
        until(
            &browser,
            "return document.querySelector(\"button.copy[data-copy='code-badge']\").textContent !== document.getElementById('copied').getAttribute('data-done');",
            "the label back",
        )
        .await;
        browser.close().await;
    }
}

/// On a creator's blog, the code the API gives is the same badge with and without JavaScript:
/// the script adds the popup and a hover, not another look. Older code, a text link with the
/// class, gets the button's colours and height.
#[tokio::test]
async fn on_a_creators_page_the_script_button_is_the_badge_and_older_text_links_match_it() {
    use crate::helpers::third_party::ThirdPartySite;

    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let (thing, button) = a_thing_in(&app, &creator, "A post", "en").await;
    let blog = ThirdPartySite::serve(format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A blog</title></head><body>
<p id="new">{}</p>
<p><a class="obole-button" id="old" href="{}">Obole</a></p>
</body></html>"#,
        button["script"].as_str().expect("script"),
        app.url(&format!("/t/{thing}"))
    ));
    // The badge link's box and its image, and the old link's colour and height.
    let measure = "const a = document.querySelector('#new a.obole-button'); \
                   const i = a.querySelector('img').getBoundingClientRect(); \
                   const b = a.getBoundingClientRect(); const old = document.getElementById('old'); \
                   return [Math.round(b.width - i.width), Math.round(i.height), \
                     getComputedStyle(old).backgroundColor, Math.round(old.getBoundingClientRect().height)];";
    let mut looks = Vec::new();
    for javascript in [false, true] {
        let Some(browser) = browser::open_with("en", javascript).await else {
            return;
        };
        browser.goto(&blog.url).await.expect("the blog");
        until(
            &browser,
            "const i = document.querySelector('#new img'); return i.complete && i.naturalWidth > 0;",
            "the badge drawn",
        )
        .await;
        if javascript {
            until(
                &browser,
                "return document.querySelectorAll(\"a.obole-button[data-obole='1']\").length === 2;",
                "the script's work",
            )
            .await;
            let badge_class = browser
                .execute("return document.querySelector('#new a').className;", vec![])
                .await
                .expect("script");
            assert_eq!(badge_class, json!("obole-button obole-badge"));
        }
        looks.push(browser.execute(measure, vec![]).await.expect("script"));
        save_screenshot(&browser, &format!("third-party-button-js-{javascript}")).await;
        browser.close().await;
    }
    // Without JavaScript: the badge in a link, 28 px high, nothing around it (the old text
    // link is a plain link there).
    assert_eq!(looks[0][0], json!(0), "{looks:?}");
    assert_eq!(looks[0][1], json!(28), "{looks:?}");
    // With it: the same badge box, and the old text link in Obole's blue, as high as the badge.
    assert_eq!(looks[1][0], looks[0][0], "{looks:?}");
    assert_eq!(looks[1][1], looks[0][1], "{looks:?}");
    assert_eq!(looks[1][2], json!("rgb(11, 92, 173)"), "{looks:?}");
    assert_eq!(looks[1][3], json!(28), "{looks:?}");
}
