//! Headless Chromium through chromedriver (started by `tests/run.sh`, which exports
//! `OBOLE_TEST_WEBDRIVER`). Without it a browser test is skipped, except under CI, where a
//! missing browser is a failure.

use fantoccini::{Client, ClientBuilder};
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
