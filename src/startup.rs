//! Putting the application together: database, migrations, key, templates, server.
//! `obole serve` and the integration tests both start Obole through here.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::cookie::Key;
use actix_web::dev::Server;
use actix_web::{HttpServer, web};
use anyhow::Context as _;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::writes::Writes;
use crate::db::{self, DbPool};
use crate::metrics::Metrics;
use crate::security::rate_limit::RateLimits;
use crate::security::secret_key;
use crate::templates::Templates;
use crate::web::state::AppState;

/// Everything the server needs, built before any request is served. This is blocking work
/// (connecting, migrating): call it before starting the async runtime's server.
pub struct Prepared {
    pub state: web::Data<AppState>,
    key: Key,
}

pub fn prepare(settings: Settings) -> anyhow::Result<Prepared> {
    if let Some(instant) = settings.clock {
        tracing::warn!(%instant, "OBOLE_CLOCK is set: the clock is frozen (demos and tests only)");
    }
    let clock = Clock::from_settings(&settings);
    let pool = db::connect_pool(&settings.database_url, settings.db_pool_size)?;
    migrate(&pool)?;
    index_for_search(&pool)?;
    let key = secret_key::load_or_create(&settings)?;
    let head_key = crate::security::head_key::load_or_create(&settings)?.verifying_key();
    let templates = Templates::load().context("loading templates")?;
    let writes = Writes::start(&pool, &settings.database_url)?;
    let metrics = Metrics::new().context("creating the metrics")?;
    metrics
        .register_batch_sizes(writes.batch_sizes())
        .context("registering the batch sizes' metric")?;
    if settings.metrics_token.is_none() && settings.is_https() {
        tracing::warn!(
            "OBOLE_METRICS_TOKEN is not set: /metrics answers anyone who reaches it; set it, \
             or keep /metrics off the public proxy"
        );
    }
    let settings = Arc::new(settings);
    let mut workers = Vec::new();
    if settings.auto_settle {
        workers.push(crate::settlement::auto::start(
            settings.clone(),
            clock,
            metrics.settlement_stages(),
        )?);
    }
    workers.push(
        crate::mail::worker::Outbox::new(settings.clone())
            .context("preparing the mail worker")?
            .start()?,
    );
    let popularity = Arc::new(crate::use_cases::popularity::Popularity::default());
    workers.push(popularity.start(pool.clone(), clock)?);
    workers.push(crate::use_cases::subscriptions::Subscriber::start(
        pool.clone(),
        clock,
        popularity.clone(),
        metrics.subscription_clicks().clone(),
    )?);
    let fetcher = crate::use_cases::claims::fetch::Fetcher::new(
        crate::use_cases::claims::fetch::FetchPolicy {
            allow_private: settings.fetch_allow_private,
            ..crate::use_cases::claims::fetch::FetchPolicy::default()
        },
    )?;
    let state = AppState {
        settings,
        pool,
        templates,
        clock,
        limits: RateLimits::default(),
        badges: Default::default(),
        token_owners: Default::default(),
        writes,
        http: crate::http_client::build()?,
        fetcher,
        popularity,
        head_key,
        metrics,
        workers,
    };
    Ok(Prepared {
        state: web::Data::new(state),
        key,
    })
}

/// Applies pending migrations and logs what was applied.
pub fn migrate(pool: &DbPool) -> anyhow::Result<Vec<String>> {
    let mut conn = pool
        .get()
        .context("no database connection for migrations")?;
    let applied = db::migrations::run_pending(&mut conn)?;
    for version in &applied {
        tracing::info!(%version, "applied migration");
    }
    Ok(applied)
}

/// Indexes the things the search index lacks (those added before it existed).
fn index_for_search(pool: &DbPool) -> anyhow::Result<()> {
    let mut conn = pool
        .get()
        .context("no database connection for the search index")?;
    let indexed = crate::models::search_index::index_missing(&mut conn)
        .context("indexing things for search")?;
    if indexed > 0 {
        tracing::info!(indexed, "indexed things for search");
    }
    Ok(())
}

/// Starts serving on `listener`. Must run inside an actix/tokio runtime.
pub fn serve(
    prepared: Prepared,
    listener: TcpListener,
    workers: Option<usize>,
) -> anyhow::Result<Server> {
    let Prepared { state, key } = prepared;
    let mut server = HttpServer::new(move || crate::web::app(state.clone(), key.clone()));
    if let Some(workers) = workers {
        server = server.workers(workers);
    }
    Ok(server.listen(listener)?.run())
}
