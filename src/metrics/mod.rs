//! The application's metrics, served as Prometheus text on `GET /metrics` (docs/OPERATIONS.md,
//! "Metrics"). Each application keeps its own registry in its state: the integration tests run
//! many applications in one process, where a process-global recorder would add their counts
//! together. The hot paths (a click, a badge) touch atomic counters and histograms only; what
//! the database knows (the outbox, the last settlement) is read when Prometheus scrapes, so
//! that a restarted process reports it at once. Those figures are in a registry of their own,
//! rendered only when the scrape could read them: with the database out of reach (or the pool
//! exhausted) the scrape still answers, with `obole_metrics_database_up 0` and without them,
//! rather than stale or zero values.

mod batch;
mod settlement;
mod subscriptions;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use prometheus::{
    Encoder as _, Gauge, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts,
    Registry, TextEncoder,
};

pub use batch::BatchSizes;

use crate::domain::Month;
pub use settlement::{SettlementStage, SettlementStages};
pub use subscriptions::SubscriptionClicks;

/// The media type of the text format that `render` writes.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// One application's metrics. Cloning shares them.
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

struct Inner {
    registry: Registry,
    /// The figures read from the database, gathered only when a scrape read them.
    database: Registry,
    database_up: IntGauge,
    due_month: IntGauge,
    last_month: IntGauge,
    requests: IntCounterVec,
    request_seconds: HistogramVec,
    clicks: IntCounter,
    first_clicks: IntCounter,
    undos: IntCounter,
    subscription_clicks: SubscriptionClicks,
    stages: SettlementStages,
    last_settlement: Gauge,
    outbox_pending: IntGauge,
    outbox_failing: IntGauge,
    pool_connections: IntGauge,
    pool_idle: IntGauge,
    pool_max: IntGauge,
}

/// What a scrape reads from the pool, the clock and (if it can) the database, just before it
/// renders.
#[derive(Debug, Clone, Copy)]
pub struct Scraped {
    /// `None`: no connection could be had in time, or the queries failed.
    pub database: Option<FromDatabase>,
    pub pool: PoolUse,
    /// The newest month that has ended in the instance's time zone: the one that should be
    /// settled once the month-end has run.
    pub due_month: Month,
}

/// The figures a scrape reads from the database.
#[derive(Debug, Clone, Copy, Default)]
pub struct FromDatabase {
    /// Messages of the outbox not sent yet (at most `models::monitoring::COUNT_CAP`).
    pub outbox_pending: i64,
    /// Of those, the ones whose last attempt failed (they wait for their retry).
    pub outbox_failing: i64,
    /// When the newest settlement that finished well finished (`None`: never).
    pub last_settlement: Option<DateTime<Utc>>,
    /// The newest month settled (`None`: never).
    pub last_month: Option<Month>,
}

/// The request pool's connections (r2d2's `state()` and its maximum).
#[derive(Debug, Clone, Copy, Default)]
pub struct PoolUse {
    pub connections: u32,
    pub idle: u32,
    pub max: u32,
}

impl Metrics {
    /// A fresh registry with every metric of the application registered.
    pub fn new() -> prometheus::Result<Metrics> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "obole_http_requests_total",
                "HTTP requests answered, by route pattern, method and status.",
            ),
            &["route", "method", "status"],
        )?;
        let request_seconds = HistogramVec::new(
            HistogramOpts::new(
                "obole_http_request_duration_seconds",
                "Time to answer an HTTP request, by route pattern and method.",
            ),
            &["route", "method"],
        )?;
        let clicks = IntCounter::new(
            "obole_clicks_total",
            "Clicks recorded through the web and the API.",
        )?;
        let first_clicks = IntCounter::new(
            "obole_first_clicks_total",
            "Clicks that were a reader's first of the month, which reserve the month's budget.",
        )?;
        let undos = IntCounter::new("obole_click_undos_total", "Clicks undone.")?;
        let subscription_clicks = SubscriptionClicks::new()?;
        let stages = SettlementStages::new()?;
        let last_settlement = Gauge::new(
            "obole_settlement_last_success_timestamp_seconds",
            "When the newest successful settlement finished, in seconds since the Unix epoch \
             (0: never).",
        )?;
        let outbox_pending = IntGauge::new(
            "obole_mail_outbox_pending",
            "Mails queued and not sent yet.",
        )?;
        let outbox_failing = IntGauge::new(
            "obole_mail_outbox_failing",
            "Mails not sent yet whose last attempt failed.",
        )?;
        let pool_connections = IntGauge::new(
            "obole_db_pool_connections",
            "Open connections of the request pool.",
        )?;
        let pool_idle = IntGauge::new(
            "obole_db_pool_idle_connections",
            "Idle connections of the request pool.",
        )?;
        let pool_max = IntGauge::new(
            "obole_db_pool_max_connections",
            "The most connections the request pool opens.",
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(request_seconds.clone()))?;
        registry.register(Box::new(clicks.clone()))?;
        registry.register(Box::new(first_clicks.clone()))?;
        registry.register(Box::new(undos.clone()))?;
        subscription_clicks.register(&registry)?;
        stages.register(&registry)?;
        for gauge in [&pool_connections, &pool_idle, &pool_max] {
            registry.register(Box::new(gauge.clone()))?;
        }
        let database_up = IntGauge::new(
            "obole_metrics_database_up",
            "1 when this scrape read the database's figures (outbox, settlement), 0 when it \
             could not (no pool connection within a second, or a failed query): they are then \
             left out.",
        )?;
        let due_month = IntGauge::new(
            "obole_settlement_due_month",
            "The newest month that has ended in the instance's time zone, as YYYYMM: the one \
             the month-end settles.",
        )?;
        let last_month = IntGauge::new(
            "obole_settlement_last_month",
            "The newest month settled, as YYYYMM (0: never).",
        )?;
        registry.register(Box::new(database_up.clone()))?;
        registry.register(Box::new(due_month.clone()))?;
        let database = Registry::new();
        for gauge in [&outbox_pending, &outbox_failing, &last_month] {
            database.register(Box::new(gauge.clone()))?;
        }
        database.register(Box::new(last_settlement.clone()))?;
        Ok(Metrics {
            inner: Arc::new(Inner {
                registry,
                database,
                database_up,
                due_month,
                last_month,
                requests,
                request_seconds,
                clicks,
                first_clicks,
                undos,
                subscription_clicks,
                stages,
                last_settlement,
                outbox_pending,
                outbox_failing,
                pool_connections,
                pool_idle,
                pool_max,
            }),
        })
    }

    /// Adds a batcher's sizes to this application's metrics.
    pub fn register_batch_sizes(&self, sizes: &BatchSizes) -> prometheus::Result<()> {
        sizes.register(&self.inner.registry)
    }

    /// The settlement's stage timer, for the runs this application makes.
    pub fn settlement_stages(&self) -> SettlementStages {
        self.inner.stages.clone()
    }

    /// One answered request. `route` is the matched pattern (never the raw path, whose values
    /// are unbounded), `method` one of a fixed few, `status` the three digits.
    pub fn request(&self, route: &str, method: &str, status: &str, seconds: f64) {
        let inner = &self.inner;
        inner
            .requests
            .with_label_values(&[route, method, status])
            .inc();
        inner
            .request_seconds
            .with_label_values(&[route, method])
            .observe(seconds);
    }

    /// Lists the series of a request about to be answered, at zero until `request` counts it:
    /// a fresh process's first scrape then shows the requests' family too.
    pub fn declare_request(&self, route: &str, method: &str, status: &str) {
        let inner = &self.inner;
        inner.requests.with_label_values(&[route, method, status]);
        inner.request_seconds.with_label_values(&[route, method]);
    }

    /// A click recorded; `first` when it reserved the reader's month.
    pub fn click(&self, first: bool) {
        self.inner.clicks.inc();
        if first {
            self.inner.first_clicks.inc();
        }
    }

    pub fn undo(&self) {
        self.inner.undos.inc();
    }

    /// Where the clicks the server makes for subscriptions are counted.
    pub fn subscription_clicks(&self) -> &SubscriptionClicks {
        &self.inner.subscription_clicks
    }

    /// The text format, with `scraped`'s figures.
    pub fn render(&self, scraped: &Scraped) -> prometheus::Result<String> {
        let inner = &self.inner;
        inner.due_month.set(month_number(scraped.due_month));
        inner.database_up.set(i64::from(scraped.database.is_some()));
        let mut families = inner.registry.gather();
        if let Some(read) = &scraped.database {
            inner.outbox_pending.set(read.outbox_pending);
            inner.outbox_failing.set(read.outbox_failing);
            let last = read
                .last_settlement
                .map(|at| at.timestamp_millis())
                .unwrap_or(0);
            inner.last_settlement.set(millis_as_seconds(last));
            inner
                .last_month
                .set(read.last_month.map(month_number).unwrap_or(0));
            families.extend(inner.database.gather());
            families.sort_by(|a, b| a.name().cmp(b.name()));
        }
        inner
            .pool_connections
            .set(i64::from(scraped.pool.connections));
        inner.pool_idle.set(i64::from(scraped.pool.idle));
        inner.pool_max.set(i64::from(scraped.pool.max));
        let mut text = Vec::new();
        TextEncoder::new().encode(&families, &mut text)?;
        String::from_utf8(text).map_err(|e| prometheus::Error::Msg(e.to_string()))
    }
}

/// A month as the number `YYYYMM` (October 2026: 202610), which compares in calendar order.
fn month_number(month: Month) -> i64 {
    i64::from(month.year()) * 100 + i64::from(month.month())
}

/// Milliseconds since the epoch as seconds, as Prometheus keeps a timestamp.
#[expect(
    clippy::as_conversions,
    reason = "a timestamp, not money: exact in an f64 for any millisecond below 2^53"
)]
fn millis_as_seconds(millis: i64) -> f64 {
    millis as f64 / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scraped(database: Option<FromDatabase>) -> Scraped {
        Scraped {
            database,
            pool: PoolUse::default(),
            due_month: Month::new(2026, 10).expect("a month"),
        }
    }

    #[test]
    fn months_become_numbers_in_calendar_order() {
        let october = Month::new(2026, 10).expect("a month");
        assert_eq!(month_number(october), 202_610);
        assert!(month_number(october.next().next().next()) > month_number(october));
    }

    #[test]
    fn without_the_database_its_figures_are_left_out() {
        let metrics = Metrics::new().expect("metrics");
        let down = metrics.render(&scraped(None)).expect("render");
        assert!(down.contains("obole_metrics_database_up 0"), "{down}");
        assert!(down.contains("obole_settlement_due_month 202610"), "{down}");
        assert!(!down.contains("obole_mail_outbox_pending"), "{down}");
        let read = FromDatabase {
            outbox_pending: 3,
            last_month: Some(Month::new(2026, 9).expect("a month")),
            ..FromDatabase::default()
        };
        let up = metrics.render(&scraped(Some(read))).expect("render");
        assert!(up.contains("obole_metrics_database_up 1"), "{up}");
        assert!(up.contains("obole_mail_outbox_pending 3"), "{up}");
        assert!(up.contains("obole_settlement_last_month 202609"), "{up}");
        assert!(
            up.contains("obole_settlement_last_success_timestamp_seconds 0"),
            "{up}"
        );
    }

    #[test]
    fn timestamps_become_seconds() {
        assert_eq!(millis_as_seconds(0), 0.0);
        assert_eq!(millis_as_seconds(1_793_000_000_500), 1_793_000_000.5);
        assert_eq!(millis_as_seconds(4_102_444_800_000), 4_102_444_800.0);
    }

    #[test]
    fn each_application_counts_on_its_own() {
        let (one, two) = (Metrics::new().expect("one"), Metrics::new().expect("two"));
        one.click(true);
        one.subscription_clicks().clicked();
        one.request("/t/{id}", "GET", "200", 0.01);
        let first = one.render(&scraped(None)).expect("render");
        let second = two.render(&scraped(None)).expect("render");
        assert!(first.contains("obole_clicks_total 1"), "{first}");
        assert!(first.contains("obole_first_clicks_total 1"), "{first}");
        assert!(
            first.contains("obole_subscription_clicks_total 1"),
            "{first}"
        );
        assert!(
            second.contains("obole_subscription_clicks_total 0"),
            "{second}"
        );
        assert!(second.contains("obole_clicks_total 0"), "{second}");
        assert!(
            first.contains(r#"route="/t/{id}""#) && !second.contains(r#"route="/t/{id}""#),
            "{second}"
        );
    }
}
