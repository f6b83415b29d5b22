use super::*;

fn lookup(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| (*v).to_owned())
    }
}

#[test]
fn presets_need_only_the_client_credentials() {
    let raw = lookup(&[
        ("oauth_github_client_id", "id"),
        ("oauth_github_client_secret", "secret"),
        ("oauth_gitlab_client_id", "id2"),
        ("oauth_gitlab_client_secret", "secret2"),
    ]);
    let names = [
        "OBOLE_OAUTH_GITHUB_CLIENT_ID".to_owned(),
        "OBOLE_OAUTH_GITHUB_CLIENT_SECRET".to_owned(),
        "OBOLE_OAUTH_GITLAB_CLIENT_ID".to_owned(),
        "PATH".to_owned(),
    ];
    let providers = oauth_providers(&names, &raw).expect("valid");
    let labels: Vec<&str> = providers.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["GitHub", "GitLab"]);
    assert_eq!(providers[0].kind, ProviderKind::GitHub);
    assert_eq!(
        providers[1].userinfo_url,
        "https://gitlab.com/oauth/userinfo"
    );
}

#[test]
fn a_generic_provider_needs_its_addresses_and_names_the_missing_one() {
    let raw = lookup(&[
        ("oauth_my_idp_client_id", "id"),
        ("oauth_my_idp_client_secret", "secret"),
        ("oauth_my_idp_auth_url", "http://127.0.0.1:9/authorize"),
        ("oauth_my_idp_token_url", "http://127.0.0.1:9/token"),
    ]);
    let names = ["OBOLE_OAUTH_MY_IDP_CLIENT_ID".to_owned()];
    let error = oauth_providers(&names, &raw).expect_err("no user info address");
    assert!(
        error
            .to_string()
            .starts_with("OBOLE_OAUTH_MY_IDP_USERINFO_URL"),
        "{error}"
    );
}

#[test]
fn stripe_keys_come_together() {
    assert!(stripe(&lookup(&[])).expect("none is fine").is_none());
    let error = stripe(&lookup(&[("stripe_secret_key", "sk_test_x")])).expect_err("partial");
    assert!(
        error
            .to_string()
            .starts_with("OBOLE_STRIPE_PUBLISHABLE_KEY"),
        "{error}"
    );
    let stripe = stripe(&lookup(&[
        ("stripe_secret_key", "sk_test_x"),
        ("stripe_publishable_key", "pk_test_x"),
        ("stripe_webhook_secret", "whsec_x"),
        ("stripe_api_base", "http://127.0.0.1:8420/"),
    ]))
    .expect("valid")
    .expect("configured");
    assert_eq!(stripe.api_base, "http://127.0.0.1:8420");
    assert_eq!(stripe.js_url(), "http://127.0.0.1:8420/js.stripe.com/v3/");
}
