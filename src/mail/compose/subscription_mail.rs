//! The mail that tells a reader their subscriptions were not clicked this month for want of
//! funds.

use tera::Context;

use super::MailError;
use crate::db::DbConnection;
use crate::domain::ledger::{AccountKind, AccountRef};
use crate::domain::{Money, UserId};
use crate::i18n;
use crate::models::{budgets, ledger, users};

/// A reader whose subscriptions could not be clicked this month: their budget and funds as
/// they are when the message is sent.
pub(super) fn context(
    conn: &mut DbConnection,
    user: &users::UserRow,
    payload: &serde_json::Value,
    money: &dyn Fn(Money) -> String,
    context: &mut Context,
    args: &mut i18n::Args,
) -> Result<(), MailError> {
    let month = payload["month"]
        .as_str()
        .ok_or_else(|| MailError::Malformed("no month".into()))?;
    let reader = UserId(user.id);
    let budget = budgets::find(conn, reader)?
        .map(|b| money(b.amount))
        .unwrap_or_default();
    let funds = ledger::balance(conn, AccountRef::User(reader, AccountKind::Funds))?;
    let funds = money(funds);
    args.insert("month".into(), month.to_owned().into());
    context.insert("month", month);
    context.insert("budget", &budget);
    context.insert("funds", &funds);
    Ok(())
}
