//! The one source of "now". Every use of the current time goes through a [`Clock`], so that
//! `OBOLE_CLOCK` can fix it for demos and tests (a month can be closed without waiting for it).

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy)]
pub enum Clock {
    /// The machine's clock.
    System,
    /// A frozen instant (`OBOLE_CLOCK`), for demos and tests only.
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(instant) => *instant,
        }
    }
}

/// The machine's time even under `OBOLE_CLOCK`: for scheduling work (when to retry a mail),
/// which must go on while the business clock is frozen.
pub fn wall_time() -> DateTime<Utc> {
    Utc::now()
}
