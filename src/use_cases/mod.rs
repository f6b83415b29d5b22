//! What a person can do with Obole, one module per subject: each use case takes a connection
//! (and runs standalone or inside its caller's transaction), applies the rules of
//! `crate::domain`, and reads and writes through `crate::models`. Handlers, the CLI and the
//! jobs call these; nothing here knows about HTTP.

pub mod accounts;
pub mod card_payments;
pub mod claims;
pub mod clicks;
pub mod creators;
pub mod deletion;
pub mod export;
pub mod getting_started;
pub mod oauth;
pub mod payouts;
pub mod popularity;
pub mod statements;
pub mod subscriptions;
pub mod supporters;
pub mod things;
pub mod transparency;
pub mod wallet;
