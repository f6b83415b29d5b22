//! The funds, budget and operator pages, as a plain HTTP client sees them.

use reqwest::StatusCode;

use crate::helpers::html::heading;
use crate::helpers::spawn_app;

#[tokio::test]
async fn a_reader_redeems_a_voucher_on_the_funds_page_and_sees_the_movement() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let visitor = app.logged_in_visitor(&user).await;
    let code = app.vouchers("10.00", 1).await.remove(0);

    app.switch_language(&visitor, "fr").await;
    let empty = app.html(&visitor, "/funds", "fr").await;
    assert!(empty.contains("Aucun mouvement pour l’instant"));
    let redeemed = app
        .submit_form(
            &visitor,
            "/funds",
            "/funds/redeem",
            &[("code", &code)],
            "fr",
        )
        .await;
    assert_eq!(redeemed.status(), StatusCode::SEE_OTHER);
    let page = app.html(&visitor, "/funds", "fr").await;
    assert!(
        page.contains("Bon utilisé\u{a0}: 10,00 € ajoutés à vos fonds."),
        "{page}"
    );
    assert!(page.contains("<dd class=\"money\" id=\"funds\">10,00 €</dd>"));
    assert!(page.contains("+10,00 €"), "the movement is listed");
    app.switch_language(&visitor, "en").await;
    let again = app.html(&visitor, "/funds", "en").await;
    assert!(
        !again.contains("Voucher redeemed:"),
        "the notice is shown once"
    );
    assert!(again.contains("<dd class=\"money\" id=\"funds\">€10.00</dd>"));

    let reused = app
        .submit_form(
            &visitor,
            "/funds",
            "/funds/redeem",
            &[("code", &code)],
            "en",
        )
        .await;
    assert_eq!(reused.status(), StatusCode::CONFLICT);
    assert!(
        reused
            .text()
            .await
            .expect("html")
            .contains("This voucher has already been redeemed.")
    );
    app.assert_ledger_sound().await;
}

#[tokio::test]
async fn submitting_the_same_redeem_form_twice_redeems_once_and_says_so_twice() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let visitor = app.logged_in_visitor(&user).await;
    let code = app.vouchers("4.00", 1).await.remove(0);
    let form = app.html(&visitor, "/funds", "en").await;
    let field = |name: &str| {
        let marker = format!("name=\"{name}\" value=\"");
        let start = form.find(&marker).map(|i| i + marker.len()).expect("field");
        form[start..start + form[start..].find('"').expect("quote")].to_owned()
    };
    let fields = [
        ("csrf_token", field("csrf_token")),
        ("idempotency_key", field("idempotency_key")),
        ("code", code),
    ];
    for _ in 0..2 {
        let response = visitor
            .post(app.url("/funds/redeem"))
            .form(&fields)
            .send()
            .await
            .expect("post");
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "a double click is not an error"
        );
    }
    let page = app.html(&visitor, "/funds", "en").await;
    assert!(
        page.contains("<dd class=\"money\" id=\"funds\">€4.00</dd>"),
        "credited once"
    );
}

#[tokio::test]
async fn the_funds_csv_speaks_each_spreadsheets_dialect() {
    let app = spawn_app().await;
    let user = app.a_user().create().await;
    let visitor = app.logged_in_visitor(&user).await;
    for code in app.vouchers("1234.50", 2).await {
        app.submit_form(
            &visitor,
            "/funds",
            "/funds/redeem",
            &[("code", &code)],
            "en",
        )
        .await;
    }
    let english = visitor
        .get(app.url("/funds.csv"))
        .header("Accept-Language", "en")
        .send()
        .await
        .expect("csv");
    assert!(
        english.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/csv")
    );
    let english = english.text().await.expect("text");
    let lines: Vec<&str> = english.lines().collect();
    assert_eq!(lines[0], "Date,Movement,Amount,Balance");
    assert!(
        lines[1].ends_with(",Voucher redeemed,1234.50,1234.50"),
        "{english}"
    );
    assert!(
        lines[2].ends_with(",Voucher redeemed,1234.50,2469.00"),
        "{english}"
    );

    app.switch_language(&visitor, "fr").await;
    let french = visitor
        .get(app.url("/funds.csv"))
        .send()
        .await
        .expect("csv");
    let bytes = french.bytes().await.expect("bytes");
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a BOM for French spreadsheets"
    );
    let french = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    let lines: Vec<&str> = french.lines().collect();
    assert_eq!(lines[0], "Date;Mouvement;Montant;Solde");
    assert!(
        lines[2].ends_with(";Bon utilisé;1234,50;2469,00"),
        "{french}"
    );

    let anonymous = app
        .api()
        .get(app.url("/funds.csv"))
        .send()
        .await
        .expect("csv");
    assert_eq!(
        anonymous.status(),
        StatusCode::SEE_OTHER,
        "statements are private"
    );
}

#[tokio::test]
async fn the_budget_page_explains_refusals_in_french_and_saves_valid_amounts() {
    let app = spawn_app().await;
    let user = app
        .a_user()
        .locale(obole::domain::Locale::Fr)
        .create()
        .await;
    let visitor = app.logged_in_visitor(&user).await;
    let cases = [
        ("1,99", "Le budget mensuel doit être d’au moins 2,00 €."),
        ("2,005", "Veuillez saisir un montant en euros et centimes"),
        (
            "beaucoup",
            "Veuillez saisir un montant en euros et centimes",
        ),
        (
            "1000",
            "Le budget mensuel dépasse le maximum de cette instance.",
        ),
    ];
    for (typed, message) in cases {
        let response = app
            .submit_form(&visitor, "/budget", "/budget", &[("amount", typed)], "fr")
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{typed}"
        );
        let html = response.text().await.expect("html");
        assert!(html.contains(message), "{typed}: {html}");
        assert!(
            html.contains(&format!("value=\"{typed}\"")),
            "what was typed is kept"
        );
    }
    let saved = app
        .submit_form(
            &visitor,
            "/budget",
            "/budget",
            &[("amount", "7,50"), ("paused", "on")],
            "fr",
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let page = app.html(&visitor, "/budget", "fr").await;
    assert!(page.contains("Votre budget est enregistré."));
    assert!(
        page.contains("Votre budget\u{a0}: 7,50 € par mois."),
        "{page}"
    );
    assert!(page.contains("value=\"7,50\""));
    assert!(page.contains(" checked"), "paused");
    app.switch_language(&visitor, "en").await;
    let funds = app.html(&visitor, "/funds", "en").await;
    assert!(funds.contains("€7.50") && funds.contains("paused"));
}

#[tokio::test]
async fn only_operators_issue_vouchers_and_see_each_code_once() {
    let app = spawn_app().await;
    let reader = app.a_user().create().await;
    let visitor = app.logged_in_visitor(&reader).await;
    let forbidden = visitor
        .get(app.url("/operator/vouchers"))
        .send()
        .await
        .expect("page");
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    let forged = app
        .submit_form(
            &visitor,
            "/funds",
            "/operator/vouchers",
            &[("amount", "5"), ("count", "2")],
            "en",
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    let operator = app.a_user().create().await;
    let email = obole::domain::Email::parse(&operator.email).expect("email");
    app.db(move |conn| obole::models::users::grant_operator(conn, &email).expect("grant"))
        .await;
    let visitor = app.logged_in_visitor(&operator).await;
    let invalid = app
        .submit_form(
            &visitor,
            "/operator/vouchers",
            "/operator/vouchers",
            &[("amount", "5"), ("count", "0")],
            "en",
        )
        .await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let issued = app
        .submit_form(
            &visitor,
            "/operator/vouchers",
            "/operator/vouchers",
            &[("amount", "5"), ("count", "2")],
            "en",
        )
        .await;
    assert_eq!(issued.status(), StatusCode::OK);
    let html = issued.text().await.expect("html");
    let start = html.find("<pre id=\"codes\">").expect("codes") + "<pre id=\"codes\">".len();
    let codes: Vec<&str> = html[start
        ..html[start..]
            .find("</pre>")
            .map(|e| start + e)
            .expect("end")]
        .lines()
        .collect();
    assert_eq!(codes.len(), 2, "{codes:?}");
    let later = app.html(&visitor, "/operator/vouchers", "en").await;
    assert!(!later.contains(codes[0]), "codes are shown once");
    assert_eq!(heading(&later), "Vouchers");

    let token = reader.direct_token(&app).await;
    let redeem = app
        .api()
        .post(app.url("/api/v1/me/vouchers"))
        .bearer_auth(token)
        .json(&serde_json::json!({"code": codes[0]}));
    assert_eq!(
        redeem.send().await.expect("redeem").status(),
        StatusCode::OK
    );
    let later = app.html(&visitor, "/operator/vouchers", "en").await;
    assert!(
        later.contains("<td class=\"num\">2</td><td class=\"num\">1</td>"),
        "two issued, one redeemed: {later}"
    );
    app.assert_ledger_sound().await;
}
