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
