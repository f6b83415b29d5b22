//! HTML pages, one module per area.

pub mod accounts;
pub mod browse;
pub mod budget;
pub mod clicks;
pub mod contributions;
pub mod creator;
pub mod dashboard;
pub mod deletion;
pub mod earnings;
pub mod email_links;
pub mod errors;
pub mod export;
pub mod funds;
pub mod home;
pub mod log_in;
pub mod oauth;
pub mod operator;
pub mod operator_sites;
pub mod payouts;
pub mod profile;
pub mod settings;
pub mod sites;
pub mod subscriptions;
pub mod supporters;
pub mod thing;
pub mod things;
