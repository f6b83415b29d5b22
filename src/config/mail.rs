//! The mail worker's settings that are not the server or the sender: how many threads send.

use super::ConfigError;

/// Sender threads unless `OBOLE_MAIL_SENDERS` says otherwise: enough that composing one
/// message (database reads, templates) overlaps another's SMTP exchange, few enough to leave
/// a small machine's cores to the web server.
pub const DEFAULT_MAIL_SENDERS: u32 = 4;

/// `OBOLE_MAIL_SENDERS`: the threads that compose and send the outbox's messages, each with a
/// database connection and an SMTP connection of its own (1 to 64).
pub(super) fn mail_senders(raw: &dyn Fn(&str) -> Option<String>) -> Result<u32, ConfigError> {
    match raw("mail_senders") {
        Some(text) => text
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=64).contains(n))
            .ok_or_else(|| ConfigError::new("mail_senders", "must be a whole number from 1 to 64")),
        None => Ok(DEFAULT_MAIL_SENDERS),
    }
}
