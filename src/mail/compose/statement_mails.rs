//! The statement mails' figures: where a reader's budget went, what a creator's month paid.

use serde::Serialize;
use tera::Context;

use super::{MailError, Prefetched};
use crate::db::DbConnection;
use crate::domain::hold::ShareStatus;
use crate::domain::{Money, Month};
use crate::i18n;
use crate::mail::MailKind;
use crate::models::users::UserRow;
use crate::use_cases::statements;

#[derive(Default, Serialize)]
pub(super) struct Line {
    pub(super) title: String,
    pub(super) detail: String,
    pub(super) count: i64,
    pub(super) amount: String,
    /// A creator's claimed thing: its part of the month's fee and its net.
    pub(super) fee: Option<String>,
    pub(super) net: Option<String>,
    /// A creator's unclaimed thing: where its held share stands.
    pub(super) status: Option<String>,
}

/// The month a statement's payload names.
pub(super) fn month_of(payload: &serde_json::Value) -> Result<Month, MailError> {
    payload["month"]
        .as_str()
        .and_then(|m| Month::parse(m).ok())
        .ok_or_else(|| MailError::Malformed("no month".into()))
}

/// A statement mail to compose: which, to whom, its payload, and what was read ahead.
pub(super) struct Statement<'a> {
    pub(super) kind: MailKind,
    pub(super) user: &'a UserRow,
    pub(super) payload: &'a serde_json::Value,
    pub(super) prefetched: &'a mut Prefetched,
}

/// Fills `context` (and the subject's `args`) with the month's statement for its recipient.
pub(super) fn context(
    conn: &mut DbConnection,
    statement: Statement<'_>,
    money: &dyn Fn(Money) -> String,
    context: &mut Context,
    args: &mut i18n::Args,
) -> Result<(), MailError> {
    let Statement {
        kind,
        user,
        payload,
        prefetched,
    } = statement;
    let locale = user.locale();
    let month = month_of(payload)?;
    let month_name = i18n::month_name(locale, month);
    args.insert("month".into(), month_name.clone().into());
    context.insert("month_name", &month_name);
    context.insert("month", &month.to_string());
    if kind == MailKind::ReaderStatement {
        let report = match prefetched.take_contributions(user.id, month) {
            Some(report) => report,
            None => statements::contributions(conn, user.user_id(), month)?,
        };
        context.insert("debited", &money(report.debited));
        // A month without clicks whose budget went to the charity, as the reader chose.
        context.insert(
            "donated",
            &report.donated.as_ref().map(|(amount, _)| money(*amount)),
        );
        context.insert(
            "charity",
            &report.donated.as_ref().map(|(_, charity)| charity.as_str()),
        );
        let lines: Vec<Line> = report
            .allocations
            .into_iter()
            .map(|a| Line {
                title: a.title,
                detail: match a.status {
                    ShareStatus::Paid => a.creator_name,
                    other => format!(
                        "{}, {}",
                        a.creator_name,
                        i18n::text(locale, &format!("mail-reader_statement-{}", other.code()))
                    ),
                },
                count: 1,
                amount: money(a.amount),
                ..Line::default()
            })
            .collect();
        context.insert("lines", &lines);
    } else {
        let report = statements::earnings(conn, user.user_id(), month)?;
        context.insert("gross", &money(report.gross));
        context.insert("fee", &money(report.fee));
        context.insert("fee_label", &i18n::fee_label(locale, report.fee_percent));
        context.insert("net", &money(report.net));
        context.insert(
            "held",
            &(report.held > Money::ZERO).then(|| money(report.held)),
        );
        context.insert("clicks", &report.clicks);
        // The claimed things add up to the gross, fee and net; the unclaimed ones'
        // shares were held, outside them.
        let (lines, unclaimed): (Vec<Line>, Vec<Line>) = report
            .things
            .into_iter()
            .map(|t| Line {
                title: t.title,
                detail: t.clicks.to_string(),
                count: t.clicks,
                amount: money(t.amount),
                fee: t.fee.map(money),
                net: t.net.map(money),
                status: t
                    .hold
                    .map(|h| i18n::text(locale, &format!("hold-{}", h.as_str()))),
            })
            .partition(|line| line.status.is_none());
        context.insert("lines", &lines);
        context.insert("unclaimed", &unclaimed);
    }
    Ok(())
}
