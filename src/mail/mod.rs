//! Email (PRODUCT.md): every message goes through the outbox table (`models::mail_outbox`),
//! which a worker drains (`worker.rs`), rendering each message when it sends it
//! (`compose.rs`) and handing it to SMTP or, without `OBOLE_SMTP_URL`, to files under
//! `./data/mail/` (`transport.rs`). A message is queued in the same transaction as what it
//! tells, so none is lost; a dedupe key and a claimed, then `sent`, row make each leave once.

pub mod compose;
pub mod transport;
pub mod worker;

use crate::db::DbConnection;
use crate::domain::UserId;
use crate::models::mail_outbox;

/// What a message is about; its code names its templates (`templates/emails/{code}.txt` and
/// `.html`) and its subject (`mail-{code}-subject`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    VerifyEmail,
    ResetPassword,
    ReaderStatement,
    CreatorStatement,
    PayoutStatus,
    /// The code that finishes a sign-up through a provider that did not vouch for the
    /// address; sent to an address that has no account yet.
    ConfirmSignUp,
    /// Someone proved a site that covers things the recipient had added: those things (and
    /// what was held for them) are now the prover's.
    ThingsClaimed,
}

impl MailKind {
    pub const ALL: [MailKind; 7] = [
        MailKind::VerifyEmail,
        MailKind::ResetPassword,
        MailKind::ReaderStatement,
        MailKind::CreatorStatement,
        MailKind::PayoutStatus,
        MailKind::ConfirmSignUp,
        MailKind::ThingsClaimed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MailKind::VerifyEmail => "verify_email",
            MailKind::ResetPassword => "reset_password",
            MailKind::ReaderStatement => "reader_statement",
            MailKind::CreatorStatement => "creator_statement",
            MailKind::PayoutStatus => "payout_status",
            MailKind::ConfirmSignUp => "confirm_sign_up",
            MailKind::ThingsClaimed => "things_claimed",
        }
    }

    pub fn parse(code: &str) -> Option<MailKind> {
        MailKind::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// Messages whose payload holds a one-time link, erased once sent.
    pub fn carries_secret(self) -> bool {
        matches!(
            self,
            MailKind::VerifyEmail | MailKind::ResetPassword | MailKind::ConfirmSignUp
        )
    }
}

/// Queues a message to `user`, unless one with `dedupe_key` was queued before. Call it inside
/// the transaction that records what the message tells.
pub fn enqueue(
    conn: &mut DbConnection,
    kind: MailKind,
    user: UserId,
    payload: &serde_json::Value,
    dedupe_key: &str,
) -> diesel::QueryResult<bool> {
    // Scheduling uses the machine's time, not the business clock (which tests freeze).
    mail_outbox::enqueue(
        conn,
        kind.code(),
        Some(user),
        &payload.to_string(),
        dedupe_key,
        crate::clock::wall_time(),
    )
}

/// Queues the code of pending sign-up `signup` (`models::oauth_signups`), to the address it
/// names. Call it in the transaction that records the sign-up.
pub fn enqueue_sign_up_code(
    conn: &mut DbConnection,
    signup: i64,
    code: &str,
) -> diesel::QueryResult<bool> {
    let payload = serde_json::json!({ "signup": signup, "code": code });
    mail_outbox::enqueue(
        conn,
        MailKind::ConfirmSignUp.code(),
        None,
        &payload.to_string(),
        &format!("confirm_sign_up:{signup}"),
        crate::clock::wall_time(),
    )
}

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

    #[test]
    fn kinds_round_trip_through_their_codes() {
        for kind in MailKind::ALL {
            assert_eq!(MailKind::parse(kind.code()), Some(kind));
        }
        assert!(MailKind::VerifyEmail.carries_secret());
        assert!(!MailKind::ReaderStatement.carries_secret());
    }
}
