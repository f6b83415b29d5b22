//! The click, in one module: one click per reader, thing and month; never on one's own thing;
//! never in a month whose settlement has begun; the month's first click reserves the month's
//! budget from funds, and undoing its last click releases it.
//!
//! The rules are stated once, in `domain::click::judge`, over the facts a backend read; every
//! path of a click ends in one outcome, `Result<Clicked, ClickError>`, whatever the backend.
//! A click from the web goes through [`record`], which hands it to the database's batcher
//! (`db::writes`): SQLite runs [`click`] in its shared commit, PostgreSQL sends it to its batched
//! statement, whose row is judged here by the same rules.

mod batched;
mod general;
mod month;
mod outcome;
mod preview;
mod undo;

pub use batched::{Batched, record};
pub use general::{click, click_in, click_with_token, first_click};
pub use month::{MonthClicks, ReaderClick, month_clicks};
pub use outcome::{ClickError, Clicked};
pub use preview::{Preview, preview};
pub use undo::{remove_click, undo, undo_in};
