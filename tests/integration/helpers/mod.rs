//! Test helpers: `spawn_app`, fresh databases, fixture builders and a WebDriver session.

pub mod app;
pub mod browser;
pub mod builders;
pub mod database;
pub mod html;
pub mod mail;
pub mod month;
pub mod oauth;
pub mod payouts;
pub mod peers;
pub mod program;
pub mod records;
pub mod site;
pub mod stripe;
pub mod subscriptions;
pub mod third_party;
pub mod visitor;

pub use app::{TestApp, spawn_app};
