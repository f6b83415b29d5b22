//! Erasing an account's personal rows across tables (account deletion, docs/PRIVACY.md):
//! what identifies or reaches the person goes; money records stay, under the account's id.
//! Call each inside the deletion's write transaction.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{
    api_tokens, budgets, click_notes, creator_profiles, email_tokens, idempotency_keys,
    mail_outbox, oauth_identities, oauth_signups, payouts, subscriptions,
};
use crate::domain::UserId;

/// Deletes the account's ways in: API tokens (so a cached owner proves nothing: a click
/// checks its token in its own write), one-time mailed links and provider identities.
pub fn ways_in(conn: &mut DbConnection, user: UserId) -> QueryResult<()> {
    diesel::delete(api_tokens::table.filter(api_tokens::user_id.eq(user.0))).execute(conn)?;
    diesel::delete(email_tokens::table.filter(email_tokens::user_id.eq(user.0))).execute(conn)?;
    diesel::delete(oauth_identities::table.filter(oauth_identities::user_id.eq(user.0)))
        .execute(conn)?;
    Ok(())
}

/// Deletes the sign-ups waiting for a mailed code to this address (they name the person).
pub fn sign_ups_to(conn: &mut DbConnection, email: &str) -> QueryResult<usize> {
    diesel::delete(oauth_signups::table.filter(oauth_signups::email.eq(email))).execute(conn)
}

/// Deletes every message to the account in the outbox, sent or not: nobody is left to write
/// to, and sent ones held what was said.
pub fn mail(conn: &mut DbConnection, user: UserId) -> QueryResult<usize> {
    diesel::delete(mail_outbox::table.filter(mail_outbox::user_id.eq(user.0))).execute(conn)
}

/// Deletes the stored answers of idempotent requests (a payout's answer names its IBAN).
pub fn idempotency_answers(conn: &mut DbConnection, user: UserId) -> QueryResult<usize> {
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::user_id.eq(user.0)))
        .execute(conn)
}

/// Blanks the bank details of the account's payouts; amounts, states and dates stay (money
/// records, and the pending payouts' check adds them up).
pub fn payout_bank_details(conn: &mut DbConnection, user: UserId) -> QueryResult<usize> {
    diesel::update(payouts::table.filter(payouts::user_id.eq(user.0)))
        .set((payouts::iban.eq(""), payouts::holder.eq("")))
        .execute(conn)
}

/// Deletes the public page; its handle stays retired to the account's id, so that nobody
/// else can take it and collect `rel="me"` proofs that pointed at the person's page.
pub fn public_page(
    conn: &mut DbConnection,
    user: UserId,
    now: chrono::DateTime<chrono::Utc>,
) -> QueryResult<()> {
    let handle: Option<String> = creator_profiles::table
        .find(user.0)
        .select(creator_profiles::handle)
        .get_result(conn)
        .optional()?;
    if let Some(handle) = handle {
        diesel::sql_query(
            "INSERT INTO retired_handles (handle, user_id, retired_at) VALUES ($1, $2, $3) \
             ON CONFLICT (handle) DO NOTHING",
        )
        .bind::<diesel::sql_types::Text, _>(&handle)
        .bind::<diesel::sql_types::BigInt, _>(user.0)
        .bind::<diesel::sql_types::Timestamp, _>(now.naive_utc())
        .execute(conn)?;
        diesel::delete(creator_profiles::table.find(user.0)).execute(conn)?;
    }
    Ok(())
}

/// Deletes the account's budget: no month will reserve for it again.
pub fn budget(conn: &mut DbConnection, user: UserId) -> QueryResult<usize> {
    diesel::delete(budgets::table.find(user.0)).execute(conn)
}

/// Deletes the visibility and notes of every click the account made, in every month: the
/// clicks themselves stay (settled months are money records), private and without words.
pub fn click_notes(conn: &mut DbConnection, user: UserId) -> QueryResult<usize> {
    diesel::delete(click_notes::table.filter(click_notes::reader_id.eq(user.0))).execute(conn)
}

/// Deletes the account's subscriptions: no month will click for it again.
pub fn subscriptions(conn: &mut DbConnection, user: UserId) -> QueryResult<usize> {
    diesel::delete(subscriptions::table.filter(subscriptions::reader_id.eq(user.0))).execute(conn)
}
