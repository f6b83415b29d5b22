//! What every handler can reach: settings, the pool, templates, the clock, rate limits.

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::DbPool;
use crate::security::rate_limit::RateLimits;
use crate::templates::Templates;
use crate::use_cases::subscriptions::Taken;

pub struct AppState {
    pub settings: Arc<Settings>,
    pub pool: DbPool,
    pub templates: Templates,
    pub clock: Clock,
    pub limits: RateLimits,
    pub badges: crate::web::badge::cache::BadgeCache,
    /// Whose API token is whose, for clicks (`web::token_cache`).
    pub token_owners: crate::web::token_cache::TokenOwners,
    /// The database's write batchers: shared commits of short writes, batched clicks.
    pub writes: crate::db::writes::Writes,
    /// Outgoing HTTP (OAuth2 providers, Stripe): follows no redirects.
    pub http: reqwest::Client,
    /// Fetches the pages that prove a site is someone's: public addresses only (unless
    /// `OBOLE_FETCH_ALLOW_PRIVATE`), bounded in time and size.
    pub fetcher: crate::use_cases::claims::fetch::Fetcher,
    /// The things whose click totals browse must copy (its worker is in `workers`).
    pub popularity: Arc<crate::use_cases::popularity::Popularity>,
    /// The public half of the key that signs tree heads (`/transparency/key`).
    pub head_key: ed25519_dalek::VerifyingKey,
    /// This application's own metrics (`GET /metrics`).
    pub metrics: crate::metrics::Metrics,
    /// The background workers this application started; they stop when it is dropped.
    pub workers: Vec<crate::workers::Running>,
}

impl AppState {
    /// What a click or its undo leaves to do once committed: a fresh badge, fresh totals.
    pub fn clicked(&self, thing: crate::domain::ThingId) {
        self.badges.invalidate(thing);
        self.popularity.touch(thing);
    }

    /// What subscribing leaves to do once committed: if the subscription clicked `thing` at
    /// once, the click's aftermath, counted as a subscription click (not a reader's).
    pub fn subscription_taken(&self, thing: crate::domain::ThingId, taken: Taken) {
        if taken == Taken::Clicked {
            self.clicked(thing);
            self.metrics.subscription_clicks().clicked();
        }
    }
}
