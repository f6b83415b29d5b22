//! Headless Chromium through chromedriver (started by `tests/run.sh`, which exports
//! `OBOLE_TEST_WEBDRIVER`). Without it a browser test is skipped, except under CI, where a
//! missing browser is a failure.

use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

/// Chrome flags that work on the project's machines (see DEVELOPERS.md).
const CHROME_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--window-size=1200,900",
];

/// A browser session whose preferred language is `accept_language`, or `None` (with a note)
/// when no WebDriver is configured outside CI.
pub async fn open(accept_language: &str) -> Option<Browser> {
    open_with(accept_language, true).await
}

/// Like [`open`], with JavaScript on or off (off: what a reader with scripts disabled sees).
pub async fn open_with(accept_language: &str, javascript: bool) -> Option<Browser> {
    open_configured(accept_language, javascript, &[]).await
}

/// Like [`open`], with the system's dark theme, so pages see `prefers-color-scheme: dark`.
pub async fn open_dark(accept_language: &str) -> Option<Browser> {
    open_configured(accept_language, true, &["--force-dark-mode"]).await
}

async fn open_configured(
    accept_language: &str,
    javascript: bool,
    extra_flags: &[&str],
) -> Option<Browser> {
    let Ok(webdriver) = std::env::var("OBOLE_TEST_WEBDRIVER") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but OBOLE_TEST_WEBDRIVER is not: run the suite through tests/run.sh"
        );
        eprintln!("skipped: no OBOLE_TEST_WEBDRIVER (tests/run.sh starts chromedriver)");
        return None;
    };
    let profile = tempfile::tempdir().expect("browser profile folder");
    let binary =
        std::env::var("OBOLE_TEST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut args: Vec<String> = CHROME_FLAGS.iter().map(|s| (*s).to_owned()).collect();
    args.push(format!("--user-data-dir={}", profile.path().display()));
    args.push(format!("--lang={accept_language}"));
    args.extend(extra_flags.iter().map(|f| (*f).to_owned()));
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": binary,
            "args": args,
            "prefs": {
                "intl.accept_languages": accept_language,
                "profile.managed_default_content_settings.javascript": if javascript { 1 } else { 2 },
            },
        }),
    );
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&webdriver)
        .await
        .expect("a WebDriver session with headless Chromium");
    Some(Browser {
        client: Some(client),
        _profile: profile,
    })
}

/// A WebDriver session that is closed when the test ends, pass or fail.
pub struct Browser {
    client: Option<Client>,
    _profile: tempfile::TempDir,
}

impl std::ops::Deref for Browser {
    type Target = Client;

    fn deref(&self) -> &Client {
        self.client.as_ref().expect("open browser")
    }
}

impl Browser {
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = client.close().await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            // A failed test still ends its browser session, or chromedriver keeps Chromium alive.
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    let _ = client.close().await;
                });
            }
        }
    }
}

/// How long a page may take to appear before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(10);

pub async fn wait_for(browser: &Browser, locator: Locator<'_>) -> Element {
    let shown = format!("{locator:?}");
    browser
        .wait()
        .at_most(PATIENCE)
        .for_element(locator)
        .await
        .unwrap_or_else(|e| panic!("{shown} did not appear: {e}"))
}

pub async fn click(browser: &Browser, locator: Locator<'_>) {
    click_element(wait_for(browser, locator).await).await;
}

pub async fn click_element(element: Element) {
    element.click().await.expect("click");
}

pub async fn text_of(element: &Element) -> String {
    element.text().await.expect("text")
}

/// Logs `user` in through the log-in page and waits for the dashboard.
pub async fn log_in(
    browser: &Browser,
    app: &crate::helpers::TestApp,
    user: &crate::helpers::builders::TestUser,
) {
    browser.goto(&app.url("/login")).await.expect("log-in page");
    fill(browser, "email", &user.email).await;
    fill(browser, "password", &user.password).await;
    click(browser, Locator::Id("login-submit")).await;
    wait_for(browser, Locator::Id("welcome")).await;
}

/// Types `text` into the field with id `id`.
pub async fn fill(browser: &Browser, id: &str, text: &str) {
    let field = wait_for(browser, Locator::Id(id)).await;
    field
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("typing into {id}: {e}"));
}

/// Keeps a picture of the page under `target/screenshots/` for people to look at.
pub async fn save_screenshot(browser: &Browser, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    let png = browser.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG"), "a PNG image");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
}

/// Waits until the address holds `part` (after a form is sent, before reading the new page).
pub async fn wait_for_url(browser: &Browser, part: &str) {
    for _ in 0..100 {
        let url = browser.current_url().await.expect("URL");
        if url.as_str().contains(part) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the address never held {part}");
}

/// A browser in `language`, its window `width` pixels wide (390: a phone) and 844 high.
pub async fn open_at(language: &str, width: u32) -> Option<Browser> {
    let browser = open(language).await?;
    browser
        .set_window_rect(0, 0, width, 844)
        .await
        .expect("window size");
    Some(browser)
}

/// A browser `width` pixels wide in which `user` has logged in and chosen `language` with
/// the switcher, or `None` (test skipped) as [`open`].
pub async fn logged_in_at(
    app: &crate::helpers::TestApp,
    user: &crate::helpers::builders::TestUser,
    language: &str,
    width: u32,
) -> Option<Browser> {
    let browser = open_at(language, width).await?;
    log_in(&browser, app, user).await;
    browser
        .goto(&app.url(&format!("/lang/{language}")))
        .await
        .expect("language");
    Some(browser)
}

/// Whether the page is wider than the window (a phone would scroll sideways).
pub async fn overflows(browser: &Browser) -> bool {
    browser
        .execute(
            // The width the page can use: the window less a classic scrollbar, which desktop
            // Chromium draws and phones overlay.
            "return document.documentElement.scrollWidth > document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .expect("script")
        .as_bool()
        .unwrap_or(true)
}

/// The elements of the page that reach past the window's right edge, as `tag#id.class`
/// (empty when everything fits).
pub async fn wider_than_the_window(browser: &Browser) -> String {
    browser
        .execute(
            "const out = []; \
             document.querySelectorAll('body *').forEach(e => { \
               if (!e.checkVisibility()) return; \
               if (e.getBoundingClientRect().right > document.documentElement.clientWidth + 1) \
                 out.push(e.tagName + '#' + e.id + '.' + e.className); }); \
             return out.join(' ');",
            vec![],
        )
        .await
        .expect("script")
        .as_str()
        .unwrap_or("?")
        .to_owned()
}

/// Logs out through the header's menu, as a person would: open it, press "Log out".
pub async fn log_out(browser: &Browser) {
    click(browser, Locator::Id("menu-button")).await;
    click(browser, Locator::Id("logout")).await;
    // Only a signed-out page has the header's sign-up button.
    wait_for(browser, Locator::Css(".header-end a[href^='/signup']")).await;
}

/// Runs axe-core (`OBOLE_TEST_AXE`, installed by `tests/run.sh`) on the page and returns its
/// serious and critical violations as readable lines, or `None` when axe-core is not
/// installed outside CI.
pub async fn accessibility_problems(browser: &Browser) -> Option<Vec<String>> {
    let Ok(path) = std::env::var("OBOLE_TEST_AXE") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but OBOLE_TEST_AXE is not: run the suite through tests/run.sh"
        );
        return None;
    };
    let axe = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    browser
        .execute(&axe, vec![])
        .await
        .expect("injecting axe-core");
    let found = browser
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             axe.run(document).then(r => done(r.violations \
               .filter(v => v.impact === 'serious' || v.impact === 'critical') \
               .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + \
                    v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', '))), \
               e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("running axe-core");
    Some(
        found
            .as_array()
            .map(|lines| {
                lines
                    .iter()
                    .map(|l| l.as_str().unwrap_or("?").to_owned())
                    .collect()
            })
            .unwrap_or_else(|| vec![format!("unexpected axe result: {found}")]),
    )
}

/// Looks at the page as a reviewer would: keeps a screenshot named `name`, and returns what is
/// wrong with it: elements wider than the window, serious or critical accessibility problems.
pub async fn problems_of_page(browser: &Browser, name: &str) -> Vec<String> {
    save_screenshot(browser, name).await;
    let mut problems = Vec::new();
    if overflows(browser).await {
        problems.push(format!(
            "{name}: wider than the window: {}",
            wider_than_the_window(browser).await
        ));
    }
    for line in accessibility_problems(browser).await.unwrap_or_default() {
        problems.push(format!("{name}: {line}"));
    }
    problems
}
