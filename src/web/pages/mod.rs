//! HTML pages, one module per area.

pub mod accounts;
pub mod dashboard;
pub mod errors;
pub mod home;
