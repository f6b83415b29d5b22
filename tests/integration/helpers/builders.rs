//! Fixture builders: `app.a_user().locale(Locale::Fr).create().await`.
//! They write through the library, not the HTTP API, so fixtures are fast and never count
//! against the rate limits that the API tests exercise.

use chrono::Utc;
use obole::domain::{Locale, NewAccount};
use rand::Rng as _;

use super::app::TestApp;

pub struct UserBuilder<'a> {
    app: &'a TestApp,
    email: String,
    password: String,
    display_name: Option<String>,
    locale: Locale,
    operator: bool,
}

#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: i64,
    pub email: String,
    pub password: String,
}

impl TestApp {
    pub fn a_user(&self) -> UserBuilder<'_> {
        let n: u32 = rand::thread_rng().r#gen();
        UserBuilder {
            app: self,
            email: format!("reader{n}@example.org"),
            password: "correct horse battery".into(),
            display_name: None,
            locale: Locale::En,
            operator: false,
        }
    }
}

impl UserBuilder<'_> {
    pub fn email(mut self, email: &str) -> Self {
        self.email = email.into();
        self
    }

    pub fn password(mut self, password: &str) -> Self {
        self.password = password.into();
        self
    }

    pub fn display_name(mut self, name: &str) -> Self {
        self.display_name = Some(name.into());
        self
    }

    pub fn locale(mut self, locale: Locale) -> Self {
        self.locale = locale;
        self
    }

    /// An operator of the instance, as `obole users grant-operator` makes one.
    pub fn operator(mut self) -> Self {
        self.operator = true;
        self
    }

    pub async fn create(self) -> TestUser {
        let account = NewAccount::parse(
            &self.email,
            &self.password,
            self.display_name.as_deref(),
            None,
            self.locale,
        )
        .expect("valid fixture account");
        let row = self
            .app
            .db(move |conn| {
                obole::use_cases::accounts::sign_up(conn, &account, Utc::now())
                    .expect("create fixture user")
            })
            .await;
        let user = TestUser {
            id: row.id,
            email: row.email,
            password: self.password,
        };
        if self.operator {
            user.make_operator(self.app).await;
        }
        user
    }
}

impl TestUser {
    /// Makes this user an operator of the instance, as `obole users grant-operator` does.
    pub async fn make_operator(&self, app: &TestApp) {
        let email = obole::domain::Email::parse(&self.email).expect("email");
        app.db(move |conn| {
            obole::models::users::grant_operator(conn, &email).expect("grant operator")
        })
        .await;
    }

    /// A token written straight through the library: for tests that need many users and
    /// must not spend the log-in rate limit.
    pub async fn direct_token(&self, app: &TestApp) -> String {
        let id = obole::domain::UserId(self.id);
        app.db(move |conn| {
            obole::models::api_tokens::create(conn, id, Utc::now())
                .expect("token")
                .reveal()
        })
        .await
    }

    /// A fresh API token for this user, through the real endpoint.
    pub async fn token(&self, app: &TestApp) -> String {
        let response = app
            .api()
            .post(app.url("/api/v1/tokens"))
            .json(&serde_json::json!({ "email": self.email, "password": self.password }))
            .send()
            .await
            .expect("token request");
        assert_eq!(response.status(), 201);
        let body: serde_json::Value = response.json().await.expect("json");
        body["token"].as_str().expect("token").to_owned()
    }
}

/// A reader ready to click: funds from a voucher and a budget, through the library.
pub async fn funded_reader(app: &TestApp, funds: &str, budget: &str) -> (TestUser, String) {
    let user = app.a_user().create().await;
    let id = obole::domain::UserId(user.id);
    for code in app.vouchers(funds, 1).await {
        app.db(move |conn| {
            obole::use_cases::wallet::redeem_voucher(conn, id, &code, Utc::now()).expect("redeem")
        })
        .await;
    }
    let amount = obole::domain::budget::BudgetAmount::parse(
        budget,
        obole::domain::Money::from_micros(100_000_000),
    )
    .expect("budget");
    app.db(move |conn| {
        obole::use_cases::wallet::set_budget(conn, id, amount, Some(false), Utc::now())
            .expect("budget")
    })
    .await;
    let token = user.direct_token(app).await;
    (user, token)
}

/// A thing owned by `owner` and claimed (an operator vouched for its page as their site),
/// through the library; returns its id.
pub async fn a_thing(app: &TestApp, owner: &TestUser, url: &str, title: &str) -> i64 {
    let id = an_unclaimed_thing(app, owner, url, title).await;
    let user = obole::domain::UserId(owner.id);
    let url = url.to_owned();
    app.db(move |conn| claim_page(conn, user, &url)).await;
    id
}

/// Vouches, as an operator would, that the page `url` is `owner`'s site.
pub fn claim_page(conn: &mut obole::db::DbConnection, owner: obole::domain::UserId, url: &str) {
    let site = obole::domain::site::SiteUrl::parse(url).expect("a site URL");
    let row = obole::models::users::find(conn, owner)
        .expect("user")
        .expect("the owner exists");
    let email = obole::domain::Email::parse(&row.email).expect("email");
    obole::use_cases::claims::sites::grant(conn, &email, &site, None, Utc::now()).expect("vouch");
}

/// A thing added by `owner` that nobody has claimed yet; returns its id.
pub async fn an_unclaimed_thing(app: &TestApp, owner: &TestUser, url: &str, title: &str) -> i64 {
    let input = obole::domain::thing::ThingInput::parse(
        url,
        title,
        None,
        None,
        None,
        obole::domain::thing::ContentLanguage::French,
    )
    .expect("thing");
    let owner = obole::domain::UserId(owner.id);
    app.db(move |conn| {
        obole::use_cases::things::add(conn, owner, &input, Utc::now())
            .expect("add thing")
            .id
    })
    .await
}
