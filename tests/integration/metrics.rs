//! `GET /metrics`: Prometheus's text format, read back with a real parser after real actions
//! (clicks, an undo, the server's own settlement, a mail that cannot be sent, subscription
//! clicks), and refused without the configured token.

use std::time::Duration;

use std::collections::HashMap;

use diesel::prelude::*;
use obole::db::schema::clicks;
use obole::domain::{ThingId, UserId};
use obole::use_cases::subscriptions::{Taken, subscribe};
use openmetrics_parser::{MetricsExposition, PrometheusType, PrometheusValue};
use reqwest::StatusCode;
use serde_json::json;

use crate::discovery::click;
use crate::helpers::builders::{a_thing, funded_reader};
use crate::helpers::subscriptions::wait_until_all_taken;
use crate::helpers::{TestApp, app::spawn_app_with, spawn_app};

const TOKEN: &str = "scrape-me-0123456789abcdef";

/// One series of a scrape: its name, labels and value.
struct Series {
    name: String,
    labels: HashMap<String, String>,
    value: Reading,
}

enum Reading {
    /// A counter's or a gauge's value.
    One(f64),
    /// A histogram's number of observations (its `+Inf` bucket).
    Observed(f64),
}

/// The series of one scrape.
struct Figures(Vec<Series>);

impl Figures {
    fn from(exposition: MetricsExposition<PrometheusType, PrometheusValue>) -> Figures {
        let mut all = Vec::new();
        for (name, family) in &exposition.families {
            for sample in family.iter_samples() {
                let labels = sample
                    .get_labelset()
                    .expect("labels")
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                let value = match &sample.value {
                    PrometheusValue::Counter(c) => Reading::One(c.value.as_f64()),
                    PrometheusValue::Gauge(v) | PrometheusValue::Unknown(v) => {
                        Reading::One(v.as_f64())
                    }
                    PrometheusValue::Histogram(h) => Reading::Observed(
                        h.buckets
                            .iter()
                            .find(|b| b.upper_bound == f64::INFINITY)
                            .map_or(0.0, |b| b.count.as_f64()),
                    ),
                    PrometheusValue::Summary(_) => panic!("{name}: no summaries expected"),
                };
                all.push(Series {
                    name: name.clone(),
                    labels,
                    value,
                });
            }
        }
        Figures(all)
    }

    /// The series `name` whose labels include every pair of `labels`.
    fn find(&self, name: &str, labels: &[(&str, &str)]) -> Option<&Series> {
        self.0.iter().find(|series| {
            series.name == name
                && labels
                    .iter()
                    .all(|(key, value)| series.labels.get(*key).map(String::as_str) == Some(*value))
        })
    }

    /// A counter's or a gauge's value (0 when the series does not exist yet).
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        match self.find(name, labels).map(|s| &s.value) {
            None => 0.0,
            Some(Reading::One(v)) => *v,
            Some(Reading::Observed(_)) => panic!("{name} is a histogram"),
        }
    }

    /// How many observations a histogram's series holds.
    fn observations(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        match self.find(name, labels).map(|s| &s.value) {
            None => 0.0,
            Some(Reading::Observed(n)) => *n,
            Some(Reading::One(_)) => panic!("{name} is not a histogram"),
        }
    }
}

async fn scrape(app: &TestApp) -> Figures {
    let response = app
        .api()
        .get(app.url("/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("scrape");
    assert_eq!(response.status(), StatusCode::OK);
    let kind = response.headers()["content-type"]
        .to_str()
        .expect("type")
        .to_owned();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    let text = response.text().await.expect("text");
    let exposition =
        openmetrics_parser::prometheus::parse_prometheus(&text).expect("Prometheus text");
    Figures::from(exposition)
}

/// Scrapes until `ready` holds (the workers run beside the requests), at most five seconds.
async fn scrape_until(app: &TestApp, ready: impl Fn(&Figures) -> bool) -> Figures {
    for _ in 0..100 {
        let figures = scrape(app).await;
        if ready(&figures) {
            return figures;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    scrape(app).await
}

/// An SMTP address where nothing listens: every mail fails and waits for its retry.
fn dead_smtp() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("address").port();
    format!("smtp://127.0.0.1:{port}")
}

#[tokio::test]
async fn metrics_move_with_clicks_undos_settlement_and_mail() {
    let smtp = dead_smtp();
    let app = spawn_app_with(&[
        ("OBOLE_METRICS_TOKEN", TOKEN),
        // October is closed: the server settles it by itself at start.
        ("OBOLE_CLOCK", "2026-11-02T08:00:00Z"),
        ("OBOLE_AUTO_SETTLE", "true"),
        ("OBOLE_SMTP_URL", &smtp),
        ("OBOLE_MAIL_RETRY_SECONDS", "86400"),
    ])
    .await;
    let settled = scrape_until(&app, |f| {
        f.value("obole_settlement_last_success_timestamp_seconds", &[]) > 0.0
    })
    .await;
    let october = obole::domain::Month::new(2026, 10).expect("month");
    let finished = app
        .db(move |conn| obole::models::settlement::find_run(conn, october).expect("run"))
        .await
        .and_then(|run| run.finished_at)
        .expect("October settled by the server");
    let finished = finished.and_utc().timestamp_millis();
    let expected: f64 = format!("{}.{:03}", finished / 1000, finished % 1000)
        .parse()
        .expect("seconds");
    let last = settled.value("obole_settlement_last_success_timestamp_seconds", &[]);
    assert_eq!(last, expected, "the run's finish, from the database");
    assert_eq!(settled.value("obole_settlement_last_month", &[]), 202_610.0);
    assert_eq!(settled.value("obole_settlement_due_month", &[]), 202_610.0);
    assert_eq!(settled.value("obole_metrics_database_up", &[]), 1.0);
    let stages = [
        "readers",
        "statements",
        "tree",
        "creators_ledger",
        "creators",
        "check",
    ];
    for stage in stages {
        let seen = settled.observations(
            "obole_settlement_stage_duration_seconds",
            &[("stage", stage)],
        );
        assert_eq!(seen, 1.0, "stage {stage} timed once");
    }
    assert_eq!(settled.value("obole_clicks_total", &[]), 0.0);

    // Two readers' worth of sign-up mails, which the dead SMTP server refuses.
    let creator = app.a_user().create().await;
    let (_, reader) = funded_reader(&app, "20.00", "3.00").await;
    let first = a_thing(&app, &creator, "https://example.org/one", "One").await;
    let second = a_thing(&app, &creator, "https://example.org/two", "Two").await;
    for thing in [first, second] {
        click(&app, &reader, thing).await;
    }
    let undone = app
        .api()
        .delete(app.url(&format!("/api/v1/things/{second}/click")))
        .bearer_auth(&reader)
        .send()
        .await
        .expect("undo");
    assert_eq!(undone.status(), StatusCode::NO_CONTENT);
    let missing = app
        .api()
        .get(app.url("/no/such/page/12345"))
        .send()
        .await
        .expect("404");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    let figures = scrape_until(&app, |f| f.value("obole_mail_outbox_failing", &[]) >= 2.0).await;
    assert_eq!(figures.value("obole_clicks_total", &[]), 2.0);
    assert_eq!(figures.value("obole_first_clicks_total", &[]), 1.0);
    assert_eq!(figures.value("obole_click_undos_total", &[]), 1.0);
    let click_route = [
        ("route", "/api/v1/things/{id}/click"),
        ("method", "POST"),
        ("status", "201"),
    ];
    assert_eq!(
        figures.value("obole_http_requests_total", &click_route),
        2.0
    );
    let undo_route = [
        ("route", "/api/v1/things/{id}/click"),
        ("method", "DELETE"),
        ("status", "204"),
    ];
    assert_eq!(figures.value("obole_http_requests_total", &undo_route), 1.0);
    let timed = figures.observations(
        "obole_http_request_duration_seconds",
        &[("route", "/api/v1/things/{id}/click"), ("method", "POST")],
    );
    assert_eq!(timed, 2.0, "each click timed");
    let unmatched = [("route", "unmatched"), ("status", "404")];
    assert_eq!(figures.value("obole_http_requests_total", &unmatched), 1.0);
    assert!(
        figures
            .0
            .iter()
            .all(|s| s.labels.get("route").is_none_or(|r| !r.contains("12345"))),
        "raw paths never become labels"
    );
    let batches = figures
        .0
        .iter()
        .find(|s| s.name == "obole_db_batch_size")
        .expect("the batcher's sizes");
    assert!(batches.labels.contains_key("batch"));
    assert!(figures.observations("obole_db_batch_size", &[]) >= 1.0);
    assert!(figures.value("obole_mail_outbox_pending", &[]) >= 2.0);
    assert!(figures.value("obole_mail_outbox_failing", &[]) >= 2.0);
    assert_eq!(figures.value("obole_db_pool_max_connections", &[]), 4.0);
    assert!(figures.value("obole_db_pool_connections", &[]) >= 1.0);
    assert!(
        figures.value("obole_db_pool_idle_connections", &[])
            <= figures.value("obole_db_pool_connections", &[])
    );

    // A restarted process starts its counters afresh but knows the last settlement at once.
    let app = app.restart().await;
    let restarted = scrape(&app).await;
    assert_eq!(
        restarted.value("obole_settlement_last_success_timestamp_seconds", &[]),
        last
    );
    assert_eq!(restarted.value("obole_clicks_total", &[]), 0.0);
}

#[tokio::test]
async fn metrics_refuse_a_missing_or_wrong_token() {
    let app = spawn_app_with(&[("OBOLE_METRICS_TOKEN", TOKEN)]).await;
    let bare = app.api().get(app.url("/metrics"));
    let wrong = app
        .api()
        .get(app.url("/metrics"))
        .bearer_auth("scrape-me-0123456789abcdeX");
    let basic = app
        .api()
        .get(app.url("/metrics"))
        .basic_auth("prometheus", Some(TOKEN));
    let mut english = None;
    for request in [bare, wrong, basic] {
        let response = request.send().await.expect("scrape");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            response.headers()["www-authenticate"],
            "Bearer realm=\"metrics\""
        );
        let body: serde_json::Value = response.json().await.expect("the error object");
        assert_eq!(body["error"]["code"], "unauthorized");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        english = Some(body["error"]["message"].clone());
    }
    let french = app
        .api()
        .get(app.url("/metrics"))
        .header("Accept-Language", "fr")
        .send()
        .await
        .expect("scrape");
    let body: serde_json::Value = french.json().await.expect("the error object");
    assert_eq!(body["error"]["code"], "unauthorized");
    assert_ne!(
        Some(body["error"]["message"].clone()),
        english,
        "the refusal speaks the request's language"
    );
    assert!(scrape(&app).await.find("obole_clicks_total", &[]).is_some());
}

#[tokio::test]
async fn metrics_are_served_without_a_token_when_none_is_set() {
    let app = spawn_app().await;
    let response = app
        .api()
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("scrape");
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("text");
    for name in [
        "obole_http_requests_total",
        "obole_clicks_total",
        "obole_mail_outbox_pending",
        "obole_settlement_last_success_timestamp_seconds",
    ] {
        assert!(text.contains(&format!("# TYPE {name} ")), "{name}: {text}");
    }
}

#[tokio::test]
async fn the_due_month_follows_the_instances_calendar_not_utc() {
    // 23:30 UTC on 31 October is already 1 November in Paris: October is due there, and
    // nothing has been settled yet.
    let app = spawn_app_with(&[
        ("OBOLE_TIME_ZONE", "Europe/Paris"),
        ("OBOLE_CLOCK", "2026-10-31T23:30:00Z"),
    ])
    .await;
    let figures = scrape(&app).await;
    assert_eq!(figures.value("obole_settlement_due_month", &[]), 202_610.0);
    assert!(figures.find("obole_settlement_last_month", &[]).is_some());
    assert_eq!(figures.value("obole_settlement_last_month", &[]), 0.0);
    assert_eq!(figures.value("obole_metrics_database_up", &[]), 1.0);
    // The same instant in UTC is still October, whose month-end has not come.
    let app = spawn_app_with(&[("OBOLE_CLOCK", "2026-10-31T23:30:00Z")]).await;
    let figures = scrape(&app).await;
    assert_eq!(figures.value("obole_settlement_due_month", &[]), 202_609.0);
}

/// The clicks the server makes for subscriptions have a counter of their own: the monthly
/// worker's and the one made on subscribing are counted, a subscription skipped (the thing
/// already clicked) or short of funds is not, and none is a reader's click.
#[tokio::test]
async fn subscription_clicks_are_counted_apart_and_only_when_recorded() {
    let app = spawn_app_with(&[
        ("OBOLE_METRICS_TOKEN", TOKEN),
        ("OBOLE_CLOCK", "2026-11-01T00:10:00Z"),
    ])
    .await;
    let creator = app.a_user().create().await;
    let a = a_thing(&app, &creator, "https://example.org/a", "A").await;
    let b = a_thing(&app, &creator, "https://example.org/b", "B").await;
    let (reader, token) = funded_reader(&app, "10.00", "2.00").await;
    let (short, short_token) = funded_reader(&app, "2.00", "5.00").await;
    // Subscribed in October, as the server did then: all three are due in November.
    let october = "2026-10-20T08:00:00Z".parse().expect("instant");
    let taken = app
        .db(move |conn| {
            [(reader.id, a), (reader.id, b), (short.id, a)].map(|(who, thing)| {
                subscribe(conn, UserId(who), ThingId(thing), october)
                    .expect("subscribe")
                    .1
            })
        })
        .await;
    assert_eq!(taken, [Taken::Clicked, Taken::Clicked, Taken::NoFunds]);
    // The reader tips B in November before the server's round: it will find B clicked.
    click(&app, &token, b).await;

    // The restarted server's worker takes November: A clicked, B skipped, `short` told.
    let app = app.restart().await;
    wait_until_all_taken(&app, "2026-11").await;
    let november: Vec<(i64, String)> = app
        .db(move |conn| {
            clicks::table
                .filter(clicks::month.eq("2026-11"))
                .order((clicks::reader_id.asc(), clicks::thing_id.asc()))
                .select((clicks::thing_id, clicks::via))
                .load(conn)
                .expect("clicks")
        })
        .await;
    assert_eq!(
        november,
        [(a, "subscription".to_owned()), (b, "click".to_owned())]
    );
    scrape_until(&app, |f| {
        f.value("obole_subscription_clicks_total", &[]) >= 1.0
    })
    .await;
    // Time for a wrong count of the skipped or unfunded ones to show.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let monthly = scrape(&app).await;
    assert_eq!(monthly.value("obole_subscription_clicks_total", &[]), 1.0);
    assert_eq!(monthly.value("obole_clicks_total", &[]), 0.0);
    assert_eq!(monthly.value("obole_first_clicks_total", &[]), 0.0);

    // Subscribing clicks at once, counted before the answer; short funds click nothing.
    let (late, late_token) = funded_reader(&app, "10.00", "2.00").await;
    for (who, expected) in [(&late_token, 2.0), (&short_token, 2.0)] {
        let response = app
            .api()
            .post(app.url("/api/v1/me/subscriptions"))
            .bearer_auth(who)
            .json(&json!({ "thing_id": b }))
            .send()
            .await
            .expect("subscribe");
        assert_eq!(response.status(), StatusCode::CREATED);
        let figures = scrape(&app).await;
        assert_eq!(
            figures.value("obole_subscription_clicks_total", &[]),
            expected
        );
        assert_eq!(figures.value("obole_clicks_total", &[]), 0.0);
    }
    let late_clicks: Vec<String> = app
        .db(move |conn| {
            clicks::table
                .filter(clicks::reader_id.eq(late.id))
                .select(clicks::via)
                .load(conn)
                .expect("clicks")
        })
        .await;
    assert_eq!(late_clicks, ["subscription"]);
}
