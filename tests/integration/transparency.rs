//! A settled month's published tree head, its things' totals and each reader's receipt
//! (PRODUCT.md, "Transparency"), checked with a verifier written here from RFC 9162 §2.1.3.2,
//! independent of the server's code, as an outsider would check them.

use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::helpers::builders::{a_thing, an_unclaimed_thing, funded_reader};
use crate::helpers::month::{OCTOBER, click_in_october, settle_october};
use crate::helpers::{TestApp, spawn_app};

fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

fn unhex(text: &str) -> [u8; 32] {
    hex::decode(text)
        .expect("hex")
        .try_into()
        .expect("32 bytes")
}

/// RFC 9162 §2.1.3.2: the root an inclusion proof leads to.
fn root_from_proof(
    leaf_hash: [u8; 32],
    index: u64,
    size: u64,
    proof: &[[u8; 32]],
) -> Option<[u8; 32]> {
    if index >= size {
        return None;
    }
    let (mut fn_, mut sn, mut r) = (index, size - 1, leaf_hash);
    for p in proof {
        if sn == 0 {
            return None;
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = sha256(&[&[1], p, &r]);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = sha256(&[&[1], &r, p]);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    (sn == 0).then_some(r)
}

/// Checks a receipt as an outsider would: the leaf says what the fields say, its hash is
/// H(0x00 ‖ leaf), and its proof leads to the root.
pub(crate) fn assert_receipt_verifies(receipt: &Value, root: &str) {
    let leaf = receipt["leaf"].as_str().expect("leaf");
    let leaf_hash = sha256(&[&[0], leaf.as_bytes()]);
    assert_eq!(hex::encode(leaf_hash), receipt["leaf_hash"], "leaf hash");
    let proof: Vec<[u8; 32]> = receipt["proof"]
        .as_array()
        .expect("proof")
        .iter()
        .map(|p| unhex(p.as_str().expect("hex")))
        .collect();
    let index = receipt["index"].as_u64().expect("index");
    let size = receipt["tree_size"].as_u64().expect("size");
    let computed =
        root_from_proof(leaf_hash, index, size, &proof).expect("a proof of the right length");
    assert_eq!(
        hex::encode(computed),
        root,
        "the proof leads to the published root"
    );
    assert_eq!(receipt["root"], root);
    // A changed leaf no longer leads there.
    let forged = sha256(&[&[0], format!("{leaf}0").as_bytes()]);
    assert_ne!(
        root_from_proof(forged, index, size, &proof)
            .map(hex::encode)
            .as_deref(),
        Some(root)
    );
}

fn micros(amount: &Value) -> i64 {
    let text = amount.as_str().expect("amount");
    let value: rust_decimal::Decimal = text.parse().expect("decimal");
    i64::try_from((value * rust_decimal::Decimal::from(1_000_000)).mantissa()).expect("fits")
        / 10_i64.pow((value * rust_decimal::Decimal::from(1_000_000)).scale())
}

pub(crate) async fn get(app: &TestApp, token: Option<&str>, path: &str) -> (StatusCode, Value) {
    let mut request = app.api().get(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A creator's thing clicked in October by a reader with a 2.00 budget; the reader's token.
async fn one_click_in_october(app: &TestApp) -> String {
    let creator = app.a_user().create().await;
    let thing = a_thing(app, &creator, "https://essays.example/one", "One").await;
    let (reader, token) = funded_reader(app, "10.00", "2.00").await;
    click_in_october(app, &reader, thing).await;
    token
}

/// `obole settle --month 2026-10` on the app's database and data folder, as an operator runs it.
fn settle_october_by_command(app: &TestApp) {
    let output = crate::helpers::program::program(env!("CARGO_BIN_EXE_obole"))
        .args(["settle", "--month", OCTOBER])
        .env("OBOLE_DATABASE_URL", app.database_url())
        .env("OBOLE_DATA_DIR", app.data_dir())
        .env("OBOLE_CLOCK", "2026-11-02T08:00:00Z")
        .output()
        .expect("obole settle");
    assert!(output.status.success(), "{output:?}");
}

/// October's run sent back to its self-check, as if a crash had stopped it there.
async fn back_to_the_check(app: &TestApp) {
    app.db(|conn| {
        use diesel::prelude::*;
        use obole::db::schema::settlement_runs as r;
        diesel::update(r::table.find(OCTOBER))
            .set((r::state.eq("running"), r::stage.eq("check")))
            .execute(conn)
            .expect("back to the check");
    })
    .await;
}

#[tokio::test]
async fn a_settled_month_publishes_its_head_and_each_reader_proves_their_share() {
    let app = spawn_app().await;
    let creator = app.a_user().create().await;
    let essay = a_thing(&app, &creator, "https://essays.example/one", "One").await;
    let song = a_thing(&app, &creator, "https://essays.example/two", "Two").await;
    let adder = app.a_user().create().await;
    let unclaimed = an_unclaimed_thing(&app, &adder, "https://elsewhere.example/", "Else").await;
    let (first, first_token) = funded_reader(&app, "10.00", "2.00").await;
    let (second, second_token) = funded_reader(&app, "10.00", "3.00").await;
    let (_idle, idle_token) = funded_reader(&app, "10.00", "2.00").await;
    for thing in [essay, song, unclaimed] {
        click_in_october(&app, &first, thing).await;
    }
    click_in_october(&app, &second, song).await;

    let (status, body) = get(&app, None, &format!("/api/v1/settlements/{OCTOBER}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["error"]["code"], "not_settled");
    settle_october(&app).await;

    let (status, head) = get(&app, None, &format!("/api/v1/settlements/{OCTOBER}")).await;
    assert_eq!(status, StatusCode::OK, "{head}");
    assert_eq!(head["month"], OCTOBER);
    assert_eq!(head["readers"], 2);
    assert_eq!(head["tree_size"], 2);
    assert_eq!(head["clicks"], 4);
    assert_eq!(head["debited"], "5.00");
    assert_eq!(head["fee_percent"], "10");
    assert_eq!(micros(&head["gross"]) + micros(&head["held"]), 5_000_000);
    assert!(
        micros(&head["held"]) > 0,
        "the unclaimed thing's share is held"
    );
    let root = head["root"].as_str().expect("root").to_owned();
    assert_eq!(root.len(), 64);
    assert!(
        root.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );

    let (status, mine) = get(
        &app,
        Some(&first_token),
        &format!("/api/v1/me/receipts/{OCTOBER}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["reader_id"], first.id);
    assert_eq!(mine["debited"], "2.00");
    let mut things = [essay, song, unclaimed];
    things.sort_unstable();
    let allocations = mine["allocations"].as_array().expect("allocations");
    let listed: Vec<i64> = allocations
        .iter()
        .map(|a| a["thing_id"].as_i64().expect("id"))
        .collect();
    assert_eq!(listed, things, "by ascending thing id");
    assert_eq!(
        allocations
            .iter()
            .map(|a| micros(&a["amount"]))
            .sum::<i64>(),
        2_000_000
    );
    let held = allocations
        .iter()
        .find(|a| a["thing_id"] == unclaimed)
        .expect("held share");
    assert_eq!(held["status"], "held");
    let expected_leaf = format!(
        "obole-receipt-v1|{OCTOBER}|{}|2000000|{}",
        first.id,
        allocations
            .iter()
            .map(|a| format!("{}:{}", a["thing_id"], micros(&a["amount"])))
            .collect::<Vec<_>>()
            .join(",")
    );
    assert_eq!(mine["leaf"], expected_leaf.as_str());
    assert_receipt_verifies(&mine, &root);
    // The receipt as downloaded checks offline with the command, against the published root.
    let folder = tempfile::tempdir().expect("folder");
    let file = folder.path().join("receipt.json");
    std::fs::write(&file, mine.to_string()).expect("saved");
    let output = crate::helpers::program::program(env!("CARGO_BIN_EXE_obole"))
        .args(["receipts", "verify"])
        .arg(&file)
        .args(["--root", &root])
        .output()
        .expect("obole receipts verify");
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("receipt verified"));

    let (status, theirs) = get(
        &app,
        Some(&second_token),
        &format!("/api/v1/me/receipts/{OCTOBER}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{theirs}");
    assert_eq!(
        theirs["leaf"],
        format!(
            "obole-receipt-v1|{OCTOBER}|{}|3000000|{song}:3000000",
            second.id
        )
    );
    assert_receipt_verifies(&theirs, &root);
    // Leaves in ascending reader id.
    assert_eq!(
        mine["index"].as_u64() < theirs["index"].as_u64(),
        first.id < second.id
    );

    let (status, none) = get(
        &app,
        Some(&idle_token),
        &format!("/api/v1/me/receipts/{OCTOBER}"),
    )
    .await;
    assert_eq!(
        (status, none["error"]["code"].clone()),
        (StatusCode::NOT_FOUND, "no_receipt".into())
    );
    let (status, _) = get(&app, None, &format!("/api/v1/me/receipts/{OCTOBER}")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = get(&app, Some(&first_token), "/api/v1/me/receipts/2026-11").await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (StatusCode::NOT_FOUND, "not_settled".into())
    );
    for bad in ["2026-13", "october", "2026-1"] {
        let (status, body) = get(&app, None, &format!("/api/v1/settlements/{bad}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert_eq!(body["error"]["code"], "invalid_month");
    }

    // Anyone can add the things' totals up to what was debited.
    let (status, page) = get(&app, None, &format!("/api/v1/settlements/{OCTOBER}/things")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["total"], 3);
    let items = page["items"].as_array().expect("items");
    assert_eq!(
        items.iter().map(|t| micros(&t["amount"])).sum::<i64>(),
        5_000_000
    );
    assert_eq!(
        items
            .iter()
            .find(|t| t["thing_id"] == unclaimed)
            .expect("listed")["held"],
        true
    );
    assert_eq!(
        items
            .iter()
            .find(|t| t["thing_id"] == song)
            .expect("listed")["clicks"],
        2
    );
    let (status, empty) = get(
        &app,
        None,
        &format!("/api/v1/settlements/{OCTOBER}/things?page=2"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(empty["items"], serde_json::json!([]));
    let (status, _) = get(
        &app,
        None,
        &format!("/api/v1/settlements/{OCTOBER}/things?page=0"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn the_self_check_refuses_a_month_whose_stored_tree_was_altered() {
    let app = spawn_app().await;
    one_click_in_october(&app).await;
    settle_october(&app).await;
    // One stored leaf hash changed, and the run sent back to its self-check, as if a crash
    // had stopped it there.
    app.db(|conn| {
        use diesel::prelude::*;
        use obole::db::schema::settlement_leaves as l;
        diesel::update(l::table.filter(l::month.eq(OCTOBER)))
            .set(l::hashes.eq(vec![7_u8; 32]))
            .execute(conn)
            .expect("alter the leaf");
    })
    .await;
    back_to_the_check(&app).await;
    let pool = app.pool.clone();
    let lock_file = app.settlement_lock_file();
    let outcome = tokio::task::spawn_blocking(move || {
        obole::settlement::run::settle(
            &pool,
            lock_file.as_deref(),
            crate::helpers::month::october(),
            rust_decimal::Decimal::TEN,
            "2026-11-02T09:00:00Z".parse().expect("instant"),
            obole::settlement::run::RunOptions::default(),
            &mut |_| {},
        )
    })
    .await
    .expect("thread");
    let failure = outcome
        .expect_err("the altered tree fails the check")
        .to_string();
    assert!(
        failure.contains("stored leaves are not the run's"),
        "{failure}"
    );
}

#[tokio::test]
async fn the_head_settled_by_the_command_is_signed_by_the_key_the_instance_publishes() {
    let app = spawn_app().await;
    one_click_in_october(&app).await;
    settle_october_by_command(&app);

    let (status, key) = get(&app, None, "/transparency/key").await;
    assert_eq!(status, StatusCode::OK, "{key}");
    assert_eq!(key["algorithm"], "Ed25519");
    let public: [u8; 32] = hex::decode(key["public_key"].as_str().expect("hex"))
        .expect("hex")
        .try_into()
        .expect("32 bytes");
    let public = ed25519_dalek::VerifyingKey::from_bytes(&public).expect("a key");
    let (_, head) = get(&app, None, &format!("/api/v1/settlements/{OCTOBER}")).await;
    let signed = head["signed"].as_str().expect("signed text");
    assert_eq!(
        signed,
        format!(
            "obole-head-v1|{OCTOBER}|1|{}|1|1|2000000|2000000|{}|0|10",
            head["root"].as_str().expect("root"),
            micros(&head["fees"])
        )
    );
    let signature: [u8; 64] = hex::decode(head["signature"].as_str().expect("signed"))
        .expect("hex")
        .try_into()
        .expect("64 bytes");
    let signature = ed25519_dalek::Signature::from_bytes(&signature);
    use ed25519_dalek::Verifier as _;
    public
        .verify(signed.as_bytes(), &signature)
        .expect("the instance's key signed the head");
    assert!(
        public
            .verify(signed.replace("|1|1|", "|1|2|").as_bytes(), &signature)
            .is_err(),
        "another head's text does not verify"
    );
}

#[tokio::test]
async fn a_month_settled_before_heads_were_published_gets_its_head_from_the_command() {
    let app = spawn_app().await;
    let token = one_click_in_october(&app).await;
    settle_october(&app).await;
    let (_, published) = get(&app, None, &format!("/api/v1/settlements/{OCTOBER}")).await;
    // As an instance settled by an older Obole: the run done, no head.
    app.db(|conn| {
        use diesel::prelude::*;
        use obole::db::schema::{settlement_heads as h, settlement_leaves as l};
        diesel::delete(l::table).execute(conn).expect("leaves");
        diesel::delete(h::table).execute(conn).expect("head");
    })
    .await;
    let (status, body) = get(&app, None, &format!("/api/v1/settlements/{OCTOBER}")).await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (StatusCode::NOT_FOUND, "not_settled".into())
    );
    let (_, index) = get(
        &app,
        Some(&token),
        &format!("/api/v1/me/receipts/{OCTOBER}"),
    )
    .await;
    assert_eq!(index["error"]["code"], "not_settled");

    settle_october_by_command(&app);
    let (status, head) = get(&app, None, &format!("/api/v1/settlements/{OCTOBER}")).await;
    assert_eq!(status, StatusCode::OK, "{head}");
    assert_eq!(
        head["root"], published["root"],
        "the same month, the same tree"
    );
    assert!(head["signature"].is_string(), "signed by the command");
    let (status, receipt) = get(
        &app,
        Some(&token),
        &format!("/api/v1/me/receipts/{OCTOBER}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    assert_receipt_verifies(&receipt, head["root"].as_str().expect("root"));
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn a_head_is_not_published_before_its_run_is_done() {
    let app = spawn_app().await;
    one_click_in_october(&app).await;
    settle_october(&app).await;
    // As while the run checks what it wrote (or after its check failed).
    back_to_the_check(&app).await;
    for path in [
        format!("/api/v1/settlements/{OCTOBER}"),
        format!("/api/v1/settlements/{OCTOBER}/things"),
    ] {
        let (status, body) = get(&app, None, &path).await;
        assert_eq!(
            (status, body["error"]["code"].clone()),
            (StatusCode::NOT_FOUND, "not_settled".into()),
            "{path}"
        );
    }
}
