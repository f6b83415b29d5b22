//! The outbox at scale: messages claimed in batches by any number of processes, each sent
//! once; a failure inside a batch retried alone; a dead worker's claim taken over when it
//! expires, a live one left alone; TLS and AUTH, to a server whose certificate is trusted
//! only. Against a real SMTP server (maildev), on both databases.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

use chrono::{TimeDelta, Utc};
use diesel::prelude::*;
use obole::db::schema::mail_outbox;
use obole::domain::mail::MailKind;
use obole::domain::{DisplayName, Email, Locale, UserId};
use obole::models::{mail_outbox as outbox, mail_queue, users};

use crate::helpers::TestApp;
use crate::helpers::app::spawn_app_with;
use crate::helpers::mail::{self, MailServer};

/// Queues, in one transaction, a verification mail to each of `count` new accounts
/// `{prefix}{n}@example.org`; the message to number `broken` (if any) has no link and cannot
/// be composed. Returns the addresses, in order.
async fn queue_verifications(
    app: &TestApp,
    prefix: &str,
    count: usize,
    broken: Option<usize>,
) -> Vec<String> {
    let addresses: Vec<String> = (0..count)
        .map(|n| format!("{prefix}{n}@example.org"))
        .collect();
    let queued = addresses.clone();
    app.db(move |conn| {
        obole::db::backend::write_transaction(conn, |conn| {
            let name = DisplayName::parse("Reader").expect("name");
            for (n, address) in queued.iter().enumerate() {
                let email = Email::parse(address).expect("address");
                let profile = users::Profile {
                    email: &email,
                    display_name: &name,
                    locale: Locale::En,
                };
                let user =
                    users::insert_profile(conn, &profile, None, Utc::now()).expect("account");
                let payload = if broken == Some(n) {
                    serde_json::json!({})
                } else {
                    serde_json::json!({ "token": format!("token-{n}") })
                };
                mail_queue::enqueue(
                    conn,
                    MailKind::VerifyEmail,
                    UserId(user.id),
                    &payload,
                    &format!("test:{address}"),
                )?;
            }
            Ok::<_, diesel::result::Error>(())
        })
        .expect("queue the messages")
    })
    .await;
    addresses
}

/// How many messages maildev received for each of `addresses`.
fn counts(messages: &[serde_json::Value], addresses: &[String]) -> Vec<usize> {
    addresses
        .iter()
        .map(|address| mail::to(messages, address).len())
        .collect()
}

/// The outbox row of the message to `address`: (attempts, sent, last error).
async fn row(app: &TestApp, address: &str) -> (i32, bool, Option<String>) {
    let key = format!("test:{address}");
    app.db(move |conn| {
        mail_outbox::table
            .filter(mail_outbox::dedupe_key.eq(key))
            .select((
                mail_outbox::attempts,
                mail_outbox::sent_at.is_not_null(),
                mail_outbox::last_error,
            ))
            .get_result(conn)
            .expect("the message's row")
    })
    .await
}

#[tokio::test]
async fn two_processes_draining_one_outbox_send_each_message_exactly_once() {
    let Some(server) = MailServer::start().await else {
        return;
    };
    let app = mail::app_mailing_to(server.smtp_port).await;
    let other = app.beside().await;
    // More than two batches, so that both processes' workers claim while the other sends.
    let addresses = queue_verifications(&app, "pair", 700, None).await;
    let messages = server
        .wait_for(120, |all| all.len() >= addresses.len())
        .await;
    assert_eq!(messages.len(), addresses.len(), "every message arrived");
    // A message sent twice would arrive in the next moments.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let messages = server.messages().await;
    assert_eq!(messages.len(), addresses.len(), "no message arrived twice");
    assert!(counts(&messages, &addresses).iter().all(|&n| n == 1));
    let unsent: i64 = app
        .db(|conn| {
            mail_outbox::table
                .filter(
                    mail_outbox::sent_at
                        .is_null()
                        .or(mail_outbox::attempts.ne(0)),
                )
                .count()
                .get_result(conn)
                .expect("count")
        })
        .await;
    assert_eq!(unsent, 0, "every row is marked sent, at the first attempt");
    drop(other);
}

#[tokio::test]
async fn a_failure_inside_a_batch_retries_only_the_failed_message() {
    let Some(server) = MailServer::start().await else {
        return;
    };
    let app = mail::app_mailing_to(server.smtp_port).await;
    let addresses = queue_verifications(&app, "batch", 30, Some(12)).await;
    let broken = addresses[12].clone();
    let messages = server
        .wait_for(60, |all| all.len() >= addresses.len() - 1)
        .await;
    // The failed message is marked as such once its batch is done.
    let deadline = Instant::now() + Duration::from_secs(30);
    while row(&app, &broken).await.0 == 0 {
        assert!(Instant::now() < deadline, "the failure was not recorded");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (attempts, sent, error) = row(&app, &broken).await;
    assert!(!sent);
    assert!(attempts >= 1);
    assert!(error.unwrap_or_default().contains("no token"));
    let expected: Vec<usize> = (0..addresses.len()).map(|n| usize::from(n != 12)).collect();
    assert_eq!(counts(&messages, &addresses), expected);
    for address in addresses.iter().filter(|a| **a != broken) {
        assert_eq!(row(&app, address).await, (0, true, None), "{address}");
    }
    // Mended, the message goes at its next try (a second later here), and only it.
    let key = format!("test:{broken}");
    app.db(move |conn| {
        diesel::update(mail_outbox::table.filter(mail_outbox::dedupe_key.eq(key)))
            .set(mail_outbox::payload.eq(r#"{"token":"mended"}"#))
            .execute(conn)
            .expect("mend")
    })
    .await;
    server
        .wait_for(60, |all| !mail::to(all, &broken).is_empty())
        .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let messages = server.messages().await;
    assert!(counts(&messages, &addresses).iter().all(|&n| n == 1));
    assert!(row(&app, &broken).await.1);
}

#[tokio::test]
async fn an_expired_claim_is_taken_over_and_a_live_one_is_left_alone() {
    let Some(server) = MailServer::start().await else {
        return;
    };
    let app = mail::app_mailing_to(server.smtp_port).await;
    // A worker that died holding a claim that ends in a few seconds, one that holds a claim
    // for an hour, and a message nobody holds; claimed in the transaction that queues them,
    // before this app's worker can look.
    let expires = Utc::now() + TimeDelta::seconds(4);
    let addresses = ["dead@example.org", "busy@example.org", "free@example.org"];
    let claims = [Some(expires), Some(Utc::now() + TimeDelta::hours(1)), None];
    app.db(move |conn| {
        obole::db::backend::write_transaction(conn, |conn| {
            let name = DisplayName::parse("Reader").expect("name");
            for (address, claim) in addresses.iter().zip(claims) {
                let email = Email::parse(address).expect("address");
                let profile = users::Profile {
                    email: &email,
                    display_name: &name,
                    locale: Locale::En,
                };
                let user =
                    users::insert_profile(conn, &profile, None, Utc::now()).expect("account");
                let key = format!("test:{address}");
                let payload = serde_json::json!({ "token": "t" });
                mail_queue::enqueue(conn, MailKind::VerifyEmail, UserId(user.id), &payload, &key)?;
                if let Some(until) = claim {
                    diesel::update(mail_outbox::table.filter(mail_outbox::dedupe_key.eq(key)))
                        .set(mail_outbox::claimed_until.eq(Some(until.naive_utc())))
                        .execute(conn)?;
                }
            }
            Ok::<_, diesel::result::Error>(())
        })
        .expect("queue the messages")
    })
    .await;
    let messages = server
        .wait_for(30, |all| !mail::to(all, "free@example.org").is_empty())
        .await;
    assert_eq!(mail::to(&messages, "free@example.org").len(), 1);
    if Utc::now() < expires {
        assert!(
            mail::to(&messages, "dead@example.org").is_empty(),
            "a claim was taken before it expired"
        );
    }
    let messages = server
        .wait_for(30, |all| !mail::to(all, "dead@example.org").is_empty())
        .await;
    assert_eq!(mail::to(&messages, "dead@example.org").len(), 1);
    assert!(Utc::now() >= expires);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let messages = server.messages().await;
    assert!(mail::to(&messages, "busy@example.org").is_empty());
    assert_eq!(row(&app, "busy@example.org").await, (0, false, None));
    assert_eq!(messages.len(), 2);
}

/// Waits until the message to `address` has failed at least once, and returns its row.
async fn failed_row(app: &TestApp, address: &str) -> (i32, bool, Option<String>) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let found = row(app, address).await;
        if found.0 > 0 {
            return found;
        }
        assert!(Instant::now() < deadline, "no failure was recorded");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn mail_goes_over_tls_with_auth_to_a_trusted_certificate_only() {
    let folder = tempfile::tempdir().expect("folder");
    let Some(server) = MailServer::start_secure(folder.path(), "obole", "s3cret/pass").await else {
        return;
    };
    let port = server.smtp_port;
    let url = format!("smtps://obole:s3cret%2Fpass@127.0.0.1:{port}");
    let authority = folder.path().join("tls.cert");
    let authority = authority.to_str().expect("a UTF-8 path");
    let trusting =
        spawn_app_with(&[("OBOLE_SMTP_URL", &url), ("OBOLE_SMTP_CA_FILE", authority)]).await;
    let addresses = queue_verifications(&trusting, "tls", 5, None).await;
    let messages = server.wait_for(60, |all| all.len() >= 5).await;
    assert_eq!(counts(&messages, &addresses), vec![1; 5]);
    for address in &addresses {
        // The batch is marked once all of it is sent, a moment after maildev shows it.
        let deadline = Instant::now() + Duration::from_secs(30);
        while !row(&trusting, address).await.1 {
            assert!(Instant::now() < deadline, "{address} was not marked sent");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(row(&trusting, address).await, (0, true, None), "{address}");
    }
    drop(trusting);

    // Trusted, but with a wrong password: AUTH refuses it, and the row does not show it.
    let wrong = format!("smtps://obole:Wr0ng-Secret@127.0.0.1:{port}");
    let refused = spawn_app_with(&[
        ("OBOLE_SMTP_URL", &wrong),
        ("OBOLE_SMTP_CA_FILE", authority),
    ])
    .await;
    let addresses = queue_verifications(&refused, "refused", 1, None).await;
    let (_, sent, error) = failed_row(&refused, &addresses[0]).await;
    assert!(!sent);
    let error = error.unwrap_or_default();
    assert!(error.contains("AUTH"), "{error}");
    assert!(!error.contains("Wr0ng-Secret"), "{error}");
    let messages = server.messages().await;
    assert_eq!(
        messages.len(),
        5,
        "only the trusting app's messages arrived"
    );
    drop(refused);

    // The same server with its certificate not trusted, as a man in the middle would look:
    // neither the message nor the password goes, and the row says why. (Last: maildev exits
    // when a client refuses its certificate.)
    let wary = spawn_app_with(&[("OBOLE_SMTP_URL", &url)]).await;
    let addresses = queue_verifications(&wary, "wary", 1, None).await;
    let (_, sent, error) = failed_row(&wary, &addresses[0]).await;
    assert!(!sent);
    let error = error.unwrap_or_default();
    assert!(error.contains("certificate"), "{error}");
}
/// A server that offers AUTH but not STARTTLS, as a man in the middle that strips it would:
/// it answers every command and keeps the lines it receives.
async fn server_without_starttls() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let port = listener.local_addr().expect("address").port();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let seen = lines.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut read = tokio::io::BufReader::new(read).lines();
                let _ = write.write_all(b"220 relay.example.org ESMTP\r\n").await;
                while let Ok(Some(line)) = read.next_line().await {
                    let reply: &[u8] = if line.starts_with("EHLO") {
                        b"250-relay.example.org\r\n250 AUTH PLAIN LOGIN\r\n"
                    } else if line.starts_with("QUIT") {
                        b"221 bye\r\n"
                    } else {
                        b"250 OK\r\n"
                    };
                    seen.lock().expect("lines").push(line);
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (port, lines)
}

#[tokio::test]
async fn required_tls_sends_neither_password_nor_mail_to_a_server_without_starttls() {
    let (port, lines) = server_without_starttls().await;
    let url = format!("smtp://obole:s3cret@127.0.0.1:{port}?tls=required");
    let app = spawn_app_with(&[("OBOLE_SMTP_URL", &url)]).await;
    let addresses = queue_verifications(&app, "stripped", 1, None).await;
    let (_, sent, error) = failed_row(&app, &addresses[0]).await;
    assert!(!sent);
    let error = error.unwrap_or_default();
    assert!(error.contains("STARTTLS"), "{error}");
    let lines = lines.lock().expect("lines").clone();
    assert!(
        lines.iter().any(|line| line.starts_with("EHLO")),
        "the server was reached: {lines:?}"
    );
    assert!(
        lines
            .iter()
            .all(|line| !line.starts_with("AUTH") && !line.starts_with("MAIL")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn a_reset_queued_behind_a_month_of_statements_is_claimed_in_the_first_batch() {
    let app = crate::helpers::spawn_app().await;
    let (kinds, statements_left) = app
        .db(|conn| {
            // Rolled back at the end, and exclusive while it runs, so that the app's own worker
            // neither sees these rows nor claims between the queueing and the claim.
            conn.test_transaction(|conn| {
                let now = Utc::now();
                let due = now - TimeDelta::minutes(1);
                let batch = obole::mail::worker::BATCH;
                let email = Email::parse("many@example.org").expect("address");
                let name = DisplayName::parse("Reader").expect("name");
                let profile = users::Profile {
                    email: &email,
                    display_name: &name,
                    locale: Locale::En,
                };
                let user = users::insert_profile(conn, &profile, None, now).expect("account");
                let user = Some(UserId(user.id));
                for n in 0..batch * 3 {
                    outbox::enqueue(
                        conn,
                        "reader_statement",
                        user,
                        r#"{"month":"2026-11"}"#,
                        &format!("test:statement:{n}"),
                        due,
                    )?;
                }
                // Queued last, after a month's worth of statements fell due.
                outbox::enqueue(conn, "reset_password", user, "{}", "test:reset", now)?;
                let rows = outbox::claim_due(conn, now, now + TimeDelta::minutes(5), batch)?;
                let left: i64 = mail_outbox::table
                    .filter(mail_outbox::claimed_until.is_null())
                    .filter(mail_outbox::kind.eq("reader_statement"))
                    .count()
                    .get_result(conn)?;
                let kinds: Vec<String> = rows.into_iter().map(|row| row.kind).collect();
                Ok::<_, diesel::result::Error>((kinds, left))
            })
        })
        .await;
    let batch = obole::mail::worker::BATCH;
    assert_eq!(kinds.len(), batch, "a full batch is claimed");
    assert_eq!(kinds[0], "reset_password", "the reset goes first");
    assert!(kinds[1..].iter().all(|kind| kind == "reader_statement"));
    // The reset took one place of the batch.
    let expected_left = i64::try_from(batch * 2 + 1).expect("small");
    assert_eq!(
        statements_left, expected_left,
        "the rest wait for later batches"
    );
}
