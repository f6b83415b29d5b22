//! HTML pages, one module per area.

pub mod accounts;
pub mod budget;
pub mod clicks;
pub mod dashboard;
pub mod errors;
pub mod funds;
pub mod home;
pub mod operator;
pub mod thing;
pub mod things;
