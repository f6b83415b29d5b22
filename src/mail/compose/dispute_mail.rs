//! The mails that tell a reader about a dispute of one of their card payments: that the bank
//! took money back (what left their funds, what was spent already), and that the dispute was
//! won and the money is back. Which of the two a message is comes with it (`notice`), never
//! from the dispute's state when it is sent: both may be queued before the first goes out.

use tera::Context;

use super::MailError;
use crate::db::DbConnection;
use crate::domain::Money;
use crate::domain::dispute::{DisputeNotice, DisputeState};
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
    let notice = match payload["notice"].as_str() {
        Some(text) => {
            DisputeNotice::parse(text).map_err(|e| MailError::Malformed(e.to_string()))?
        }
        // Queued by an older version, which named no notice: its key was its only mark.
        None if dispute.state == DisputeState::Won => DisputeNotice::Won,
        None => DisputeNotice::Withdrawn,
    };
    // A withdrawal's figures are those it took (its payload); a win's are what the dispute
    // held when it closed, which nothing changes afterwards.
    let figure = |key: &str, row: Money| payload[key].as_i64().map_or(row, Money::from_micros);
    let (debited, shortfall) = match notice {
        DisputeNotice::Withdrawn => (
            figure("debited", dispute.debited()),
            figure("shortfall", dispute.shortfall()),
        ),
        DisputeNotice::Won => (dispute.debited(), Money::ZERO),
    };
    let amount = money(dispute.amount());
    args.insert("amount".into(), amount.clone().into());
    args.insert("notice".into(), notice.as_str().into());
    context.insert("amount", &amount);
    context.insert("debited", &money(debited));
    context.insert("shortfall", &money(shortfall));
    context.insert("has_shortfall", &(shortfall > Money::ZERO));
    context.insert("notice", notice.as_str());
    context.insert("state", dispute.state.as_str());
    Ok(())
}
