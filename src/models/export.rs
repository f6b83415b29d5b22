//! What Obole holds about one person, table by table, for their export (GDPR articles 15 and
//! 20). Each function reads every row of one kind that is the person's, oldest first; the
//! queries that other screens already have (payouts, card payments, budgets, profile,
//! identities) are reused from their models by `use_cases::export`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{
    api_tokens, click_notes, clicks, creator_month_totals, ledger_accounts, ledger_entries,
    ledger_groups, mail_outbox, month_budgets, month_donations, payouts, sites, things, vouchers,
};
use crate::domain::UserId;
use crate::domain::click_note::Visibility;
use crate::domain::states::ClickVia;
use crate::models::click_notes as click_notes_rows;
use crate::models::payouts::PayoutRow;
use crate::models::sites::SiteRow;
use crate::models::things::ThingRow;

/// One posting on one of the person's ledger accounts.
#[derive(Debug, Clone, Queryable)]
pub struct LedgerLine {
    pub entry_id: i64,
    pub group_id: i64,
    pub at: NaiveDateTime,
    /// The movement's kind (`voucher_redeemed`, `settlement_debit`, …).
    pub movement: String,
    /// The account's kind (`funds`, `revenue`, …).
    pub account: String,
    pub amount_micros: i64,
    pub balance_after_micros: i64,
}

/// Every posting on the accounts `user` owns, in the order they were written.
pub fn ledger(conn: &mut DbConnection, user: UserId) -> QueryResult<Vec<LedgerLine>> {
    ledger_entries::table
        .inner_join(ledger_groups::table)
        .inner_join(ledger_accounts::table)
        .filter(ledger_accounts::owner_id.eq(user.0))
        .order(ledger_entries::id.asc())
        .select((
            ledger_entries::id,
            ledger_groups::id,
            ledger_groups::created_at,
            ledger_groups::kind,
            ledger_accounts::kind,
            ledger_entries::amount_micros,
            ledger_entries::balance_after_micros,
        ))
        .load(conn)
}

/// One of the person's clicks.
#[derive(Debug, Clone)]
pub struct ClickLine {
    pub thing_id: i64,
    pub title: String,
    pub month: String,
    pub at: NaiveDateTime,
    /// By the reader, or by the server for a subscription.
    pub via: ClickVia,
    /// Who may see it (`None`: private, the default) and the reader's note.
    pub visibility: Option<Visibility>,
    pub note: Option<String>,
}

/// Every click `user` made, in every month, with its visibility and note.
pub fn clicks(conn: &mut DbConnection, user: UserId) -> QueryResult<Vec<ClickLine>> {
    clicks::table
        .inner_join(things::table)
        .left_join(
            click_notes::table.on(click_notes::reader_id
                .eq(clicks::reader_id)
                .and(click_notes::thing_id.eq(clicks::thing_id))
                .and(click_notes::month.eq(clicks::month))),
        )
        .filter(clicks::reader_id.eq(user.0))
        .order(clicks::id.asc())
        .select((
            clicks::thing_id,
            things::title,
            clicks::month,
            clicks::created_at,
            clicks::via,
            click_notes::visibility.nullable(),
            click_notes::note.nullable(),
        ))
        .load::<(
            i64,
            String,
            String,
            NaiveDateTime,
            String,
            Option<String>,
            Option<String>,
        )>(conn)?
        .into_iter()
        .map(|(thing_id, title, month, at, via, visibility, note)| {
            Ok(ClickLine {
                thing_id,
                title,
                month,
                at,
                via: ClickVia::parse(&via)
                    .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?,
                visibility: visibility
                    .as_deref()
                    .map(click_notes_rows::stored)
                    .transpose()?,
                note,
            })
        })
        .collect()
}

/// The budget each month's first click set aside: (month, amount, clicks, when).
pub fn reservations(
    conn: &mut DbConnection,
    user: UserId,
) -> QueryResult<Vec<(String, i64, i64, NaiveDateTime)>> {
    month_budgets::table
        .filter(month_budgets::reader_id.eq(user.0))
        .order(month_budgets::month.asc())
        .select((
            month_budgets::month,
            month_budgets::amount_micros,
            month_budgets::clicks,
            month_budgets::reserved_at,
        ))
        .load(conn)
}

/// Every thing `user` added or owns, hidden ones too.
pub fn things(conn: &mut DbConnection, user: UserId) -> QueryResult<Vec<ThingRow>> {
    things::table
        .filter(things::owner_id.eq(user.0))
        .order(things::id.asc())
        .select(ThingRow::as_select())
        .load(conn)
}

/// Every site `user` added, removed and superseded ones too, with their proofs' record.
pub fn sites(conn: &mut DbConnection, user: UserId) -> QueryResult<Vec<SiteRow>> {
    sites::table
        .filter(sites::user_id.eq(user.0))
        .order(sites::id.asc())
        .select(SiteRow::as_select())
        .load(conn)
}

/// The vouchers `user` redeemed: (amount, when). Never the code's digest.
pub fn vouchers(conn: &mut DbConnection, user: UserId) -> QueryResult<Vec<(i64, NaiveDateTime)>> {
    let rows: Vec<(i64, Option<NaiveDateTime>)> = vouchers::table
        .filter(vouchers::redeemed_by.eq(user.0))
        .order(vouchers::redeemed_at.asc())
        .select((vouchers::amount_micros, vouchers::redeemed_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(amount, at)| at.map(|at| (amount, at)))
        .collect())
}

/// The API tokens `user` created: (created, revoked). Never their digests.
pub fn api_tokens(
    conn: &mut DbConnection,
    user: UserId,
) -> QueryResult<Vec<(NaiveDateTime, Option<NaiveDateTime>)>> {
    api_tokens::table
        .filter(api_tokens::user_id.eq(user.0))
        .order(api_tokens::id.asc())
        .select((api_tokens::created_at, api_tokens::revoked_at))
        .load(conn)
}

/// One message Obole queued for the person.
#[derive(Debug, Clone, Queryable)]
pub struct MailLine {
    pub kind: String,
    pub created_at: NaiveDateTime,
    pub attempts: i32,
    pub sent_at: Option<NaiveDateTime>,
}

/// Every message queued for `user`, sent or waiting. Not the payload: it may hold a one-time
/// link still alive, and an export is a file that travels.
pub fn mails(conn: &mut DbConnection, user: UserId) -> QueryResult<Vec<MailLine>> {
    mail_outbox::table
        .filter(mail_outbox::user_id.eq(user.0))
        .order(mail_outbox::id.asc())
        .select((
            mail_outbox::kind,
            mail_outbox::created_at,
            mail_outbox::attempts,
            mail_outbox::sent_at,
        ))
        .load(conn)
}

/// The payouts an operator decided for others (their IBANs are masked in the export).
pub fn payouts_decided_by(conn: &mut DbConnection, user: UserId) -> QueryResult<Vec<PayoutRow>> {
    payouts::table
        .filter(payouts::decided_by.eq(user.0))
        .filter(payouts::user_id.ne(user.0))
        .order(payouts::id.asc())
        .select(PayoutRow::as_select())
        .load(conn)
}

/// What each settled month paid `user` as a creator: (month, clicks, gross, fee).
pub fn earned_months(
    conn: &mut DbConnection,
    user: UserId,
) -> QueryResult<Vec<(String, i64, i64, i64)>> {
    creator_month_totals::table
        .filter(creator_month_totals::creator_id.eq(user.0))
        .order(creator_month_totals::month.asc())
        .select((
            creator_month_totals::month,
            creator_month_totals::clicks,
            creator_month_totals::gross_micros,
            creator_month_totals::fee_micros,
        ))
        .load(conn)
}

/// What the person's idle months gave the charity: (month, budget, amount, charity).
pub fn donations(
    conn: &mut DbConnection,
    user: UserId,
) -> QueryResult<Vec<(String, i64, i64, String)>> {
    month_donations::table
        .filter(month_donations::reader_id.eq(user.0))
        .order(month_donations::month.asc())
        .select((
            month_donations::month,
            month_donations::budget_micros,
            month_donations::amount_micros,
            month_donations::charity,
        ))
        .load(conn)
}
