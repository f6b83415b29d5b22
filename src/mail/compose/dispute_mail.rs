//! The mail that tells a reader one of their card payments was disputed, and what that
//! took from their funds; or that the dispute was won and the money is back. Built when it
//! is sent, from the dispute as it is then: the wording follows its state (open, lost, won),
//! never an earlier one.

use tera::Context;

use super::MailError;
use crate::db::DbConnection;
use crate::domain::Money;
use crate::i18n;
use crate::models::card_disputes;

pub(super) fn context(
    conn: &mut DbConnection,
    payload: &serde_json::Value,
    money: &dyn Fn(Money) -> String,
    context: &mut Context,
    args: &mut i18n::Args,
) -> Result<(), MailError> {
    let id = payload["dispute"]
        .as_i64()
        .ok_or_else(|| MailError::Malformed("no dispute".into()))?;
    let dispute = card_disputes::find_by_id(conn, id)?
        .ok_or_else(|| MailError::Malformed(format!("no dispute {id}")))?;
    let amount = money(dispute.amount());
    args.insert("amount".into(), amount.clone().into());
    context.insert("amount", &amount);
    context.insert("debited", &money(dispute.debited()));
    context.insert("shortfall", &money(dispute.shortfall()));
    context.insert("has_shortfall", &(dispute.shortfall_micros > 0));
    let state = dispute.state.as_str();
    args.insert("state".into(), state.into());
    context.insert("state", state);
    Ok(())
}
