//! The one integration-test binary. Each test starts the real application on a random port
//! with a fresh database: SQLite by default, PostgreSQL with `OBOLE_TEST_DB=postgres`
//! (`tests/run.sh` runs the suite both ways).

mod helpers;

mod api_accounts;
mod api_contract;
mod api_schemathesis;
mod api_things;
mod api_wallet;
mod browse_languages;
mod browser;
mod browser_pages;
mod button;
mod card_payments;
mod charity;
mod claims;
mod claims_money;
mod cli;
mod database;
mod deletion;
mod deletion_race;
mod discovery;
mod discovery_scale;
mod earnings_chart;
mod earnings_statement;
mod email_links;
mod export;
mod http_rules;
mod journey;
mod ledger_properties;
mod mail_outbox;
mod migrations;
mod month_closed;
mod oauth;
mod pages;
mod pages_things;
mod pages_wallet;
mod payouts;
mod receipts_cli;
mod security;
mod sessions;
mod settlement;
mod settlement_crash;
mod small_things;
mod statements;
mod subscriptions;
mod subscriptions_processes;
mod supporters;
mod translations;
mod transparency;
mod transparency_pages;
mod yearly_statements;
