use super::*;

#[test]
fn only_an_explicit_true_verifies_an_address() {
    let info = serde_json::json!({"sub": "u1", "email": "a@example.org", "email_verified": true});
    let identity = identity_from_open_id(&info).expect("valid");
    assert_eq!(identity.verified_email.as_deref(), Some("a@example.org"));
    let info = serde_json::json!({"sub": 42, "email": "a@example.org"});
    let identity = identity_from_open_id(&info).expect("valid");
    assert_eq!(identity.subject, "42");
    assert_eq!(identity.verified_email, None);
    assert_eq!(identity.unverified_email.as_deref(), Some("a@example.org"));
    assert!(identity_from_open_id(&serde_json::json!({"email": "x@y.z"})).is_err());
}

#[test]
fn the_authorization_url_carries_state_and_an_s256_challenge() {
    let provider = OAuthProvider {
        name: "test".into(),
        label: "Test".into(),
        kind: ProviderKind::OpenIdConnect,
        client_id: "client".into(),
        client_secret: crate::config::Secret::new("secret".into()),
        auth_url: "http://127.0.0.1:9/authorize".into(),
        token_url: "http://127.0.0.1:9/token".into(),
        userinfo_url: "http://127.0.0.1:9/userinfo".into(),
        scopes: vec!["openid".into()],
    };
    let started = start("http://127.0.0.1:8080", &provider).expect("valid");
    let url = url::Url::parse(&started.url).expect("a URL");
    let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(query["state"], started.state);
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(
        query["redirect_uri"],
        "http://127.0.0.1:8080/auth/test/callback"
    );
    assert_ne!(query["code_challenge"], started.verifier);
    assert!(started.verifier.len() >= 43);
}
