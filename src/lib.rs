//! Obole: monthly pooled tipping in the spirit of the original Flattr.
//! `docs/ARCHITECTURE.md` maps the code in one page.

pub mod accounts;
pub mod card_payments;
pub mod claims;
pub mod cli;
pub mod click_writer;
pub mod clicks;
pub mod clock;
pub mod config;
pub mod creators;
pub mod db;
pub mod domain;
pub mod getting_started;
pub mod http_client;
pub mod i18n;
pub mod mail;
pub mod models;
pub mod oauth;
pub mod payouts;
pub mod popularity;
pub mod security;
pub mod settlement;
pub mod startup;
pub mod statements;
pub mod things;
pub mod wallet;
pub mod web;
