//! Obole: monthly pooled tipping in the spirit of the original Flattr.
//! `docs/ARCHITECTURE.md` maps the code in one page.

pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod http_client;
pub mod i18n;
pub mod mail;
pub mod metrics;
pub mod models;
pub mod security;
pub mod settlement;
pub mod startup;
pub mod templates;
pub mod use_cases;
pub mod web;
pub mod workers;
