//! SEPA payout batches (PRODUCT.md flow 11): the waiting payouts as one pain.001.001.03 file,
//! valid against the official schema, the same file while the batch is open, and marking it
//! sent marks each payout sent once.

use std::collections::BTreeMap;

use diesel::prelude::*;
use quick_xml::Reader;
use quick_xml::events::Event;
use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::helpers::app::spawn_app_with;
use crate::helpers::builders::TestUser;
use crate::helpers::month::settle_october;
use crate::helpers::payouts::{a_creator_tipped_in_october, a_waiting_payout, ready_for_payouts};
use crate::helpers::peers;
use crate::helpers::program::program;

const DEBTOR_IBAN: &str = "FR7630006000011234567890189";
const CREATOR_IBAN: &str = "DE89 3704 0044 0532 0130 00";
const HOSTILE: &str = "Zoë <&\"'> Дмитрий";

fn sepa_settings() -> Vec<(&'static str, &'static str)> {
    vec![
        ("OBOLE_SEPA_DEBTOR_NAME", "Obole & Co <SAS>"),
        ("OBOLE_SEPA_DEBTOR_IBAN", DEBTOR_IBAN),
        ("OBOLE_SEPA_DEBTOR_BIC", "BNPAFRPP"),
    ]
}

/// Two creators whose October earned 18.00 and 13.50, each asking for all of it.
async fn two_waiting_payouts(app: &TestApp) -> Vec<(TestUser, String)> {
    let camille = a_creator_tipped_in_october(app, "Camille", "20.00").await;
    let dmitri = a_creator_tipped_in_october(app, "Dmitri", "15.00").await;
    settle_october(app).await;
    let mut out = Vec::new();
    for (creator, holder) in [(camille, "Camille Martin"), (dmitri, HOSTILE)] {
        let token = ready_for_payouts(app, &creator).await;
        a_waiting_payout(app, &token, CREATOR_IBAN, holder).await;
        out.push((creator, token));
    }
    out
}

/// A logged-in operator's visitor.
async fn operator(app: &TestApp) -> reqwest::Client {
    let operator = app.a_user().operator().create().await;
    app.logged_in_visitor(&operator).await
}

/// Exports through the page's form; returns the file's path and text.
async fn export(app: &TestApp, visitor: &reqwest::Client) -> (String, String) {
    let response = app
        .submit_form(
            visitor,
            "/operator/payouts",
            "/operator/payouts/sepa",
            &[],
            "en",
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let file = visitor.get(app.url(&location)).send().await.expect("file");
    assert_eq!(file.status(), StatusCode::OK);
    assert!(
        file.headers()["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("application/xml"))
    );
    (location, file.text().await.expect("text"))
}

/// Every element's text by its last two names (`GrpHdr/NbOfTxs`), in document order, with
/// escaped characters resolved.
fn texts(xml: &str) -> BTreeMap<String, Vec<String>> {
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                path.push(String::from_utf8_lossy(e.local_name().as_ref()).into());
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.decode().expect("text")),
            Event::GeneralRef(r) => {
                let name: &[u8] = &r;
                text.push_str(match name {
                    b"apos" => "'",
                    b"quot" => "\"",
                    b"amp" => "&",
                    b"lt" => "<",
                    b"gt" => ">",
                    _ => "?",
                });
            }
            Event::End(_) => {
                let value = text.trim().to_owned();
                if !value.is_empty() {
                    let start = path.len().saturating_sub(2);
                    let key = path.get(start..).unwrap_or_default().join("/");
                    found.entry(key).or_default().push(value);
                }
                text.clear();
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

/// Checks the file against the official schema when tests/run.sh installed it.
fn validate_against_the_schema(xml: &str) {
    let Some(xmllint) = peers::program("OBOLE_TEST_XMLLINT", "xmllint (libxml2-utils)") else {
        return;
    };
    let Some(schema) = peers::program(
        "OBOLE_TEST_SEPA_XSD",
        "pain.001.001.03.xsd (from the sepaxml wheel)",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("batch.xml");
    std::fs::write(&file, xml).expect("write");
    let output = std::process::Command::new(xmllint)
        .args(["--noout", "--schema", &schema])
        .arg(&file)
        .output()
        .expect("run xmllint");
    assert!(
        output.status.success(),
        "the file does not validate: {}\n{xml}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn the_waiting_payouts_become_one_valid_sepa_file_paid_once() {
    let app = spawn_app_with(&sepa_settings()).await;
    let creators = two_waiting_payouts(&app).await;
    let visitor = operator(&app).await;
    let page = app.html(&visitor, "/operator/payouts", "en").await;
    assert!(page.contains("Export the SEPA file"), "{page}");

    let (location, xml) = export(&app, &visitor).await;
    validate_against_the_schema(&xml);
    let found = texts(&xml);
    let one = |key: &str| found.get(key).cloned().unwrap_or_default();
    assert_eq!(one("GrpHdr/NbOfTxs"), ["2"]);
    assert_eq!(one("GrpHdr/CtrlSum"), ["31.50"]);
    assert_eq!(one("PmtInf/NbOfTxs"), ["2"]);
    assert_eq!(one("PmtInf/ChrgBr"), ["SLEV"]);
    assert_eq!(one("PmtInf/BtchBookg"), ["true"]);
    assert_eq!(one("InitgPty/Nm"), ["Obole Co SAS"]);
    assert_eq!(one("FinInstnId/BIC"), ["BNPAFRPP"]);
    assert_eq!(one("Amt/InstdAmt"), ["18.00", "13.50"]);
    assert_eq!(
        one("Id/IBAN"),
        [
            DEBTOR_IBAN,
            "DE89370400440532013000",
            "DE89370400440532013000"
        ]
    );
    // The hostile name: transliterated, its markup gone, the apostrophe escaped and kept.
    assert_eq!(one("Cdtr/Nm"), ["Camille Martin", "Zoe ' Dmitrii"]);
    let ids: Vec<i64> = app
        .db(|conn| {
            obole::db::schema::payouts::table
                .select(obole::db::schema::payouts::id)
                .order(obole::db::schema::payouts::id.asc())
                .load(conn)
                .expect("ids")
        })
        .await;
    let references: Vec<String> = ids.iter().map(|id| format!("OBOLE-P{id}")).collect();
    assert_eq!(one("PmtId/EndToEndId"), references);
    assert_eq!(one("RmtInf/Ustrd"), references);

    // Exported again while open: the same batch, the same bytes.
    let (again_location, again) = export(&app, &visitor).await;
    assert_eq!(again_location, location);
    assert_eq!(again, xml);
    // A payout of an open batch is not decided alone.
    let alone = app
        .submit_form(
            &visitor,
            "/operator/payouts",
            &format!("/operator/payouts/{}", ids[0]),
            &[("decision", "rejected"), ("note", "no")],
            "en",
        )
        .await;
    assert_eq!(alone.status(), StatusCode::CONFLICT);

    // Marked sent: both payouts sent with their reference, each creator told; once.
    let batch_id = location
        .trim_start_matches("/operator/payouts/batches/")
        .trim_end_matches(".xml")
        .to_owned();
    let mark = format!("/operator/payouts/batches/{batch_id}/sent");
    let marked = app
        .submit_form(&visitor, "/operator/payouts", &mark, &[], "en")
        .await;
    assert_eq!(marked.status(), StatusCode::SEE_OTHER);
    let said = app.html(&visitor, "/operator/payouts?marked=2", "en").await;
    assert!(said.contains("2 payouts marked sent"), "{said}");
    let again = app
        .submit_form(&visitor, "/operator/payouts", &mark, &[], "en")
        .await;
    assert_eq!(
        again.headers()["location"].to_str().ok(),
        Some("/operator/payouts?marked=already")
    );
    let states: Vec<(String, Option<String>)> = app
        .db(|conn| {
            use obole::db::schema::payouts;
            payouts::table
                .order(payouts::id.asc())
                .select((payouts::state, payouts::reference))
                .load(conn)
                .expect("states")
        })
        .await;
    assert_eq!(
        states,
        references
            .iter()
            .map(|r| ("sent".to_owned(), Some(r.clone())))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        app.queued_mails("payout_status").await,
        2,
        "each creator is told once"
    );
    for (_, token) in &creators {
        assert_eq!(app.me(token).await["revenue"], "0.00");
    }
    app.assert_ledger_sound().await;
    // Nothing waits now: the next export says so and records nothing.
    let nothing = app
        .submit_form(
            &visitor,
            "/operator/payouts",
            "/operator/payouts/sepa",
            &[],
            "en",
        )
        .await;
    assert_eq!(nothing.status(), StatusCode::CONFLICT);
}

async fn batch_count(app: &TestApp) -> i64 {
    app.db(|conn| {
        obole::db::schema::payout_batches::table
            .count()
            .get_result(conn)
            .expect("count")
    })
    .await
}

async fn pending_payouts(app: &TestApp) -> i64 {
    app.db(|conn| {
        use obole::db::schema::payouts as p;
        p::table
            .filter(p::state.eq("pending"))
            .count()
            .get_result(conn)
            .expect("count")
    })
    .await
}

#[tokio::test]
async fn a_reader_cannot_export_or_download_a_batch() {
    let app = spawn_app_with(&sepa_settings()).await;
    two_waiting_payouts(&app).await;
    let visitor = operator(&app).await;
    // Without the CSRF token, even an operator changes nothing, where the same POST with it
    // would create a batch.
    app.assert_refused_without_csrf(&visitor, "/operator/payouts/sepa")
        .await;
    assert_eq!(batch_count(&app).await, 0);
    assert_eq!(pending_payouts(&app).await, 2);
    let (location, _) = export(&app, &visitor).await;
    assert_eq!(batch_count(&app).await, 1);
    let reader = app.a_user().create().await;
    let someone = app.logged_in_visitor(&reader).await;
    let file = someone.get(app.url(&location)).send().await.expect("GET");
    assert_eq!(file.status(), StatusCode::FORBIDDEN);
    let post = app
        .submit_form(&someone, "/dashboard", "/operator/payouts/sepa", &[], "en")
        .await;
    assert_eq!(post.status(), StatusCode::FORBIDDEN);
    // Nor cancel it; and an operator without the token cannot either.
    let batch_id = location
        .trim_start_matches("/operator/payouts/batches/")
        .trim_end_matches(".xml")
        .to_owned();
    let cancel = format!("/operator/payouts/batches/{batch_id}/cancel");
    let post = app
        .submit_form(&someone, "/dashboard", &cancel, &[], "en")
        .await;
    assert_eq!(post.status(), StatusCode::FORBIDDEN);
    app.assert_refused_without_csrf(&visitor, &cancel).await;
    let state: String = app
        .db(|conn| {
            use obole::db::schema::payout_batches as b;
            b::table.select(b::state).first(conn).expect("state")
        })
        .await;
    assert_eq!(state, "open");
}

#[tokio::test]
async fn accounts_outside_sepa_stay_out_and_a_cancelled_batch_releases_its_payouts() {
    let app = spawn_app_with(&sepa_settings()).await;
    two_waiting_payouts(&app).await;
    // The second creator's account is in Brazil: it has an IBAN, but no SEPA transfer reaches it.
    let (first, brazil) = app
        .db(|conn| {
            use obole::db::schema::payouts as p;
            let ids: Vec<i64> = p::table
                .select(p::id)
                .order(p::id.asc())
                .load(conn)
                .expect("ids");
            diesel::update(p::table.filter(p::id.eq(ids[1])))
                .set(p::iban.eq("BR1800360305000010009795493C1"))
                .execute(conn)
                .expect("update");
            (ids[0], ids[1])
        })
        .await;
    let visitor = operator(&app).await;
    let page = app.html(&visitor, "/operator/payouts", "en").await;
    assert!(page.contains("id=\"sepa-outside\""), "{page}");
    assert!(page.contains(&format!("#{brazil} ")), "{page}");
    let (location, xml) = export(&app, &visitor).await;
    validate_against_the_schema(&xml);
    let found = texts(&xml);
    assert_eq!(found["GrpHdr/NbOfTxs"], ["1"]);
    assert_eq!(found["Amt/InstdAmt"], ["18.00"]);
    // Executed today: a file handed over later is cancelled and exported again.
    let today = chrono::Utc::now().date_naive().to_string();
    assert_eq!(found["PmtInf/ReqdExctnDt"], [today]);

    // The guard an export claims each payout with: a payout decided meanwhile is not taken.
    let claimed = app
        .db(move |conn| {
            let operator: i64 = obole::db::schema::users::table
                .select(obole::db::schema::users::id)
                .order(obole::db::schema::users::id.desc())
                .first(conn)
                .expect("operator");
            obole::use_cases::payouts::decide(
                conn,
                brazil,
                &obole::use_cases::payouts::Decision::Rejected {
                    reason: "not SEPA".into(),
                },
                obole::domain::UserId(operator),
                chrono::Utc::now(),
            )
            .expect("reject");
            (
                obole::models::payout_batches::claim_pending(conn, brazil).expect("claim"),
                obole::models::payout_batches::claim_pending(conn, first).expect("claim"),
            )
        })
        .await;
    assert_eq!(claimed, (false, true));

    // Cancelled: the batch stays listed with its file, its payout waits again.
    let batch_id = location
        .trim_start_matches("/operator/payouts/batches/")
        .trim_end_matches(".xml")
        .to_owned();
    let cancelled = app
        .submit_form(
            &visitor,
            "/operator/payouts",
            &format!("/operator/payouts/batches/{batch_id}/cancel"),
            &[],
            "en",
        )
        .await;
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    let page = app
        .html(&visitor, "/operator/payouts?marked=cancelled", "en")
        .await;
    assert!(page.contains("The batch is cancelled"), "{page}");
    assert!(page.contains("id=\"sepa-export\""), "{page}");
    let old = visitor.get(app.url(&location)).send().await.expect("GET");
    assert_eq!(
        old.text().await.expect("text"),
        xml,
        "the file is kept as written"
    );
    // Marking the cancelled batch sent is refused and changes nothing.
    let refused = app
        .submit_form(
            &visitor,
            "/operator/payouts",
            &format!("/operator/payouts/batches/{batch_id}/sent"),
            &[],
            "en",
        )
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert_eq!(pending_payouts(&app).await, 1);
    // Exported again: a new batch, with a new message id, pays the same payout.
    let (again, xml_again) = export(&app, &visitor).await;
    assert_ne!(again, location);
    assert_eq!(texts(&xml_again)["Amt/InstdAmt"], ["18.00"]);
    assert_eq!(batch_count(&app).await, 2);
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn the_command_exports_the_same_file_refuses_to_overwrite_and_names_a_missing_setting() {
    let app = spawn_app_with(&sepa_settings()).await;
    two_waiting_payouts(&app).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("batch.xml");
    let obole = |extra: &[(&str, &str)]| {
        let mut command = program(env!("CARGO_BIN_EXE_obole"));
        command
            .env("OBOLE_DATABASE_URL", app.database_url())
            .env("OBOLE_DATA_DIR", app.data_dir());
        for (k, v) in extra {
            command.env(k, v);
        }
        command
    };
    let missing = obole(&[])
        .args(["payouts", "export", "--format", "sepa"])
        .output()
        .expect("run");
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("OBOLE_SEPA_DEBTOR_NAME"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
    let bad_iban = obole(&[("OBOLE_SEPA_DEBTOR_IBAN", "FR7630006000011234567890188")])
        .args(["payouts", "export", "--format", "sepa"])
        .output()
        .expect("run");
    assert_eq!(bad_iban.status.code(), Some(2), "invalid configuration");
    assert!(String::from_utf8_lossy(&bad_iban.stderr).contains("OBOLE_SEPA_DEBTOR_IBAN"));

    let written = obole(&sepa_settings())
        .args(["payouts", "export", "--format", "sepa", "--to"])
        .arg(&file)
        .output()
        .expect("run");
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    let xml = std::fs::read_to_string(&file).expect("file");
    validate_against_the_schema(&xml);
    assert_eq!(texts(&xml)["GrpHdr/CtrlSum"], ["31.50"]);
    let refused = obole(&sepa_settings())
        .args(["payouts", "export", "--format", "sepa", "--to"])
        .arg(&file)
        .output()
        .expect("run");
    assert!(!refused.status.success());
    let stdout = obole(&sepa_settings())
        .args(["payouts", "export", "--format", "sepa"])
        .output()
        .expect("run");
    assert!(stdout.status.success());
    assert_eq!(
        String::from_utf8_lossy(&stdout.stdout),
        xml,
        "the open batch again"
    );
}

/// The SEPA section and the disputes page on a phone in French and a desktop in English:
/// nothing wider than the window, and a screenshot for people to look at.
#[tokio::test]
async fn the_sepa_section_and_the_disputes_page_fit_a_phone_and_a_desktop() {
    use crate::helpers::browser::{logged_in_at, overflows, save_screenshot, wait_for};
    use fantoccini::Locator;
    let app = spawn_app_with(&sepa_settings()).await;
    two_waiting_payouts(&app).await;
    let user = app
        .a_user()
        .display_name("Opératrice")
        .operator()
        .create()
        .await;
    let visitor = app.logged_in_visitor(&user).await;
    export(&app, &visitor).await;
    for (language, width) in [("fr", 390), ("en", 1280)] {
        let Some(browser) = logged_in_at(&app, &user, language, width).await else {
            return;
        };
        for (path, marker, name) in [
            ("/operator/payouts", "sepa-open", "operator-sepa"),
            ("/operator/disputes", "no-disputes", "operator-disputes"),
        ] {
            browser.goto(&app.url(path)).await.expect("page");
            wait_for(&browser, Locator::Id(marker)).await;
            assert!(!overflows(&browser).await, "{path} at {width} px");
            save_screenshot(&browser, &format!("{name}-{language}-{width}")).await;
        }
        browser.close().await;
    }
}
