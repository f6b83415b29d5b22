//! Queuing a message in the outbox (`mail_outbox`), in the transaction that records what it
//! tells; the mail worker (`src/mail/`) renders and sends it later.

use crate::db::DbConnection;
use crate::domain::UserId;
use crate::domain::mail::MailKind;
use crate::models::mail_outbox;

/// Queues a message to `user`, unless one with `dedupe_key` was queued before. Call it inside
/// the transaction that records what the message tells.
pub fn enqueue(
    conn: &mut DbConnection,
    kind: MailKind,
    user: UserId,
    payload: &serde_json::Value,
    dedupe_key: &str,
) -> diesel::QueryResult<bool> {
    // A deleted account has no address left to write to.
    if crate::models::users::is_deleted(conn, user)? {
        return Ok(false);
    }
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
