//! Email (PRODUCT.md): every message goes through the outbox table (`models::mail_outbox`),
//! which a worker drains in batches (`worker.rs`) on a few sender threads (`senders.rs`),
//! rendering each message when it sends it (`compose.rs`) and handing it to SMTP (`smtp.rs`) or,
//! without `OBOLE_SMTP_URL`, to files under `./data/mail/` (`transport.rs`). A message is
//! queued in the same transaction as what it tells, so none is lost; a dedupe key and a
//! claimed, then `sent`, row make each leave once.

pub mod compose;
pub mod senders;
pub mod smtp;
pub mod transport;
pub mod worker;

pub use crate::domain::mail::MailKind;

/// A header value must not hold CR or LF, which would let a value start a header of its own
/// (lettre encodes values too; this refuses them before they get there).
pub fn safe_header(value: &str) -> Result<&str, compose::MailError> {
    if value.contains(['\r', '\n']) {
        Err(compose::MailError::UnsafeHeader)
    } else {
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_with_line_breaks_are_refused() {
        assert!(safe_header("Where your budget went in October 2026").is_ok());
        for bad in ["Hi\r\nBcc: victim@example.org", "a\nb", "a\rb"] {
            assert!(safe_header(bad).is_err(), "{bad:?}");
        }
    }
}
