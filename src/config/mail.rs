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

#[cfg(test)]
mod tests {
    use super::super::Settings;

    #[test]
    fn mail_senders_default_to_four_and_refuse_what_is_not_1_to_64() {
        let default = Settings::from_pairs(&[]).expect("defaults");
        assert_eq!(default.mail_senders, 4);
        let set = Settings::from_pairs(&[("OBOLE_MAIL_SENDERS", " 16 ")]).expect("16");
        assert_eq!(set.mail_senders, 16);
        for bad in ["0", "65", "four", "-1"] {
            let error = Settings::from_pairs(&[("OBOLE_MAIL_SENDERS", bad)]).expect_err(bad);
            assert!(
                error.to_string().starts_with("OBOLE_MAIL_SENDERS"),
                "{error}"
            );
        }
    }
}
