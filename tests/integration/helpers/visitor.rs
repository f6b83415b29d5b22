//! What a person does with a browser, for tests that use a plain HTTP client: read a page,
//! fill in its form (with the page's CSRF token), log in.

use super::app::TestApp;
use super::builders::TestUser;
use super::html::csrf_token;

impl TestApp {
    /// The HTML of `path`, asked for in `accept_language`.
    pub async fn html(
        &self,
        client: &reqwest::Client,
        path: &str,
        accept_language: &str,
    ) -> String {
        client
            .get(self.url(path))
            .header("Accept-Language", accept_language)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
            .text()
            .await
            .expect("html")
    }

    /// Opens `form_page`, then posts `fields` and the page's CSRF token to `action`.
    pub async fn submit_form(
        &self,
        client: &reqwest::Client,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
        accept_language: &str,
    ) -> reqwest::Response {
        let token = csrf_token(&self.html(client, form_page, accept_language).await);
        let mut form = vec![("csrf_token", token.as_str())];
        form.extend_from_slice(fields);
        client
            .post(self.url(action))
            .header("Accept-Language", accept_language)
            .form(&form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {action}: {e}"))
    }

    /// Posts a form to `action` as a forged cross-site form would, without the CSRF token and
    /// then with a guessed one, and checks that both are refused (403). The caller checks
    /// that nothing changed.
    pub async fn assert_refused_without_csrf(&self, client: &reqwest::Client, action: &str) {
        for form in [[("x", "y")], [("csrf_token", "forged")]] {
            let forged = client
                .post(self.url(action))
                .form(&form)
                .send()
                .await
                .unwrap_or_else(|e| panic!("POST {action}: {e}"));
            assert_eq!(
                forged.status(),
                reqwest::StatusCode::FORBIDDEN,
                "POST {action} with {form:?}"
            );
        }
    }

    /// Logs `user` in through the log-in page; returns the form post's response.
    pub async fn log_in(&self, client: &reqwest::Client, user: &TestUser) -> reqwest::Response {
        self.submit_form(
            client,
            "/login",
            "/login",
            &[("email", &user.email), ("password", &user.password)],
            "en",
        )
        .await
    }

    /// Clicks the language switcher (the choice then beats `Accept-Language`).
    pub async fn switch_language(&self, client: &reqwest::Client, code: &str) {
        let response = client
            .get(self.url(&format!("/lang/{code}")))
            .send()
            .await
            .expect("switch language");
        assert_eq!(response.status(), reqwest::StatusCode::SEE_OTHER);
    }

    /// A new visitor, already logged in as `user`.
    pub async fn logged_in_visitor(&self, user: &TestUser) -> reqwest::Client {
        let visitor = self.visitor();
        let response = self.log_in(&visitor, user).await;
        assert_eq!(
            response.status(),
            reqwest::StatusCode::SEE_OTHER,
            "log-in succeeds"
        );
        visitor
    }
}
