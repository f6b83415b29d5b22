use super::*;

#[test]
fn defaults_follow_the_product_spec() {
    let settings = Settings::from_pairs(&[]).expect("defaults are valid");
    assert_eq!(settings.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(settings.base_url, "http://127.0.0.1:8080");
    assert_eq!(
        settings.database_url,
        DatabaseUrl::Sqlite(PathBuf::from("./data/obole.sqlite3"))
    );
    assert_eq!(settings.fee_percent, Decimal::TEN);
    assert_eq!(settings.max_budget.to_api_string(), "100.00");
    assert!(settings.clock.is_none());
}

#[test]
fn errors_name_the_variable() {
    let cases = [
        ("OBOLE_BIND", "nonsense"),
        ("OBOLE_DATABASE_URL", "mysql://x"),
        ("OBOLE_FEE_PERCENT", "-1"),
        ("OBOLE_FEE_PERCENT", "101"),
        ("OBOLE_CLOCK", "yesterday"),
        ("OBOLE_SECRET_KEY", "short"),
        ("OBOLE_BASE_URL", "ftp://x"),
        ("OBOLE_DB_POOL_SIZE", "0"),
        ("OBOLE_TRUST_FORWARDED_FOR", "maybe"),
        ("OBOLE_PAYOUT_MINIMUM", "ten"),
        ("OBOLE_MAIL_FROM", "not an address"),
        ("OBOLE_MAIL_RETRY_SECONDS", "0"),
    ];
    for (variable, value) in cases {
        let error = Settings::from_pairs(&[(variable, value)]).expect_err(variable);
        assert!(error.to_string().starts_with(variable), "{error}");
    }
}

#[test]
fn the_file_fills_in_and_the_environment_wins() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("obole.toml");
    std::fs::write(
        &path,
        "bind = \"127.0.0.1:9000\"\nfee_percent = 5\nlog = \"debug\"\n",
    )
    .expect("write");
    let file = read_file(&path, true).expect("valid file");
    let env = |name: &str| (name == "OBOLE_LOG").then(|| "warn".to_owned());
    let settings = Settings::from_sources(env, &[], file).expect("valid");
    assert_eq!(settings.bind.to_string(), "127.0.0.1:9000");
    assert_eq!(settings.fee_percent, Decimal::from(5));
    assert_eq!(settings.log, "warn");
}

#[test]
fn a_bad_file_is_refused_with_its_name() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("obole.toml");
    std::fs::write(&path, "bnid = \"typo\"\n").expect("write");
    let error = read_file(&path, true).expect_err("unknown key");
    assert!(error.to_string().contains("bnid"), "{error}");
    std::fs::write(&path, "bind = \"nonsense\"\n").expect("write");
    let file = read_file(&path, true).expect("valid TOML");
    let error = Settings::from_sources(|_| None, &[], file).expect_err("bad bind");
    assert!(error.to_string().starts_with("OBOLE_BIND"), "{error}");
    assert!(
        read_file(&dir.path().join("absent.toml"), false)
            .expect("optional")
            .is_empty()
    );
    assert!(
        read_file(&dir.path().join("absent.toml"), true).is_err(),
        "OBOLE_CONFIG must exist"
    );
}

#[test]
fn secrets_never_show_in_debug_output() {
    let settings = Settings::from_pairs(&[
        (
            "OBOLE_SECRET_KEY",
            "a-very-long-secret-key-of-forty-characters",
        ),
        (
            "OBOLE_DATABASE_URL",
            "postgres://obole:hunter2hunter2@db/obole",
        ),
    ])
    .expect("valid");
    let debug = format!("{settings:?}");
    assert!(
        !debug.contains("forty-characters") && !debug.contains("hunter2"),
        "{debug}"
    );
}
