//! Everything Obole holds about a person, as one archive they can take away (GDPR articles 15
//! and 20: access and portability). `GET /api/v1/me/export` serves it as JSON; `/settings`
//! offers it as a zip with the CSVs the pages already make.
//!
//! What is left out, and why: password and token digests (they are secrets, not data about
//! the person, and useless outside Obole), voucher codes' digests, and mails' bodies (a
//! queued mail may hold a one-time link that still works; the kind and dates say what was
//! sent). Everything else that names the person is here.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::QueryResult;

use crate::db::{DbConnection, dialect};
use crate::domain::payout::Iban;
use crate::domain::{Money, UserId};
use crate::models::export::{self as rows, ClickLine, LedgerLine, MailLine};
use crate::models::payouts::PayoutRow;
use crate::models::{
    budgets, card_payments, creator_profiles, ledger, oauth_identities, payouts, subscriptions,
    users,
};

mod archive;

pub use archive::*;

/// The version of the archive's layout, so that tools reading it can tell.
pub const FORMAT: &str = "obole-export-1";

/// The archive of `user`, read from one snapshot of the database so that its parts agree
/// (the balances with the ledger, say); `None` when the account does not exist.
pub fn archive(
    conn: &mut DbConnection,
    user: UserId,
    now: DateTime<Utc>,
) -> QueryResult<Option<Archive>> {
    dialect::snapshot(conn, |conn| read(conn, user, now))
}

fn read(conn: &mut DbConnection, user: UserId, now: DateTime<Utc>) -> QueryResult<Option<Archive>> {
    let Some(row) = users::find(conn, user)? else {
        return Ok(None);
    };
    let balances = ledger::user_balances(conn, user)?;
    let profile = creator_profiles::find_by_user(conn, user)?;
    Ok(Some(Archive {
        format: FORMAT,
        exported_at: now.to_rfc3339(),
        account: Account {
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            locale: row.locale,
            is_operator: row.is_operator,
            has_password: row.password_hash.is_some(),
            email_verified_at: row.email_verified_at.map(time),
            created_at: time(row.created_at),
        },
        balances: Balances {
            funds: balances.funds.to_api_string(),
            reserved: balances.reserved.to_api_string(),
            revenue: balances.revenue.to_api_string(),
        },
        budget: budgets::find(conn, user)?.map(|b| Budget {
            amount: b.amount.to_api_string(),
            paused: b.paused,
            unspent: b.unspent.as_str(),
        }),
        ledger: rows::ledger(conn, user)?.into_iter().map(posting).collect(),
        clicks: rows::clicks(conn, user)?.into_iter().map(click).collect(),
        reservations: rows::reservations(conn, user)?
            .into_iter()
            .map(|(month, budget, clicks, at)| Reservation {
                month,
                budget: amount(budget),
                clicks,
                at: time(at),
            })
            .collect(),
        subscriptions: subscriptions::of_reader(conn, user)?
            .into_iter()
            .map(|s| Subscription {
                thing_id: s.thing_id,
                title: s.title,
                since: time(s.since),
            })
            .collect(),
        donations: rows::donations(conn, user)?
            .into_iter()
            .map(|(month, budget, given, charity)| Donation {
                month,
                budget: amount(budget),
                amount: amount(given),
                charity,
            })
            .collect(),
        things: rows::things(conn, user)?
            .into_iter()
            .map(|t| Thing {
                id: t.id,
                claimed: t.site_id.is_some(),
                url: t.url,
                title: t.title,
                description: t.description,
                category: t.category,
                language: t.language,
                hidden: t.hidden,
                created_at: time(t.created_at),
            })
            .collect(),
        sites: rows::sites(conn, user)?
            .into_iter()
            .map(|s| Site {
                id: s.id,
                url: s.url,
                token: s.token,
                created_at: time(s.created_at),
                verified_at: s.verified_at.map(time),
                method: s.method,
                vouched_by_operator: s.vouched_by.is_some(),
                superseded_at: s.superseded_at.map(time),
                removed_at: s.removed_at.map(time),
                last_checked_at: s.last_checked_at.map(time),
                last_failure: s.last_failure,
            })
            .collect(),
        public_page: profile.map(|p| PublicPage {
            links: p.links().into_iter().map(str::to_owned).collect(),
            handle: p.handle,
            public_name: p.public_name,
            description: p.description,
            clicks_public: p.clicks_public,
            updated_at: time(p.updated_at),
        }),
        sign_in_identities: oauth_identities::of_user(conn, user)?
            .into_iter()
            .map(|i| Identity {
                provider: i.provider,
                subject: i.subject,
                email: i.email,
                created_at: time(i.created_at),
                last_used_at: time(i.last_used_at),
            })
            .collect(),
        api_tokens: rows::api_tokens(conn, user)?
            .into_iter()
            .map(|(created, revoked)| ApiToken {
                created_at: time(created),
                revoked_at: revoked.map(time),
            })
            .collect(),
        vouchers: rows::vouchers(conn, user)?
            .into_iter()
            .map(|(micros, at)| Voucher {
                amount: amount(micros),
                redeemed_at: time(at),
            })
            .collect(),
        card_payments: card_payments::for_user(conn, user, i64::MAX)?
            .into_iter()
            .rev()
            .map(|c| CardPayment {
                id: c.id,
                amount: c.amount().to_api_string(),
                refunded: c.refunded().to_api_string(),
                intent_id: c.intent_id,
                currency: c.currency,
                state: c.state.to_string(),
                failure_message: c.failure_message,
                created_at: time(c.created_at),
                updated_at: time(c.updated_at),
            })
            .collect(),
        payouts: payouts::of_user(conn, user)?
            .into_iter()
            .rev()
            .map(|p| payout(p, false))
            .collect(),
        payouts_decided: rows::payouts_decided_by(conn, user)?
            .into_iter()
            .map(|p| payout(p, true))
            .collect(),
        earnings: rows::earned_months(conn, user)?
            .into_iter()
            .map(|(month, clicks, gross, fee)| EarnedMonth {
                month,
                clicks,
                gross: amount(gross),
                fee: amount(fee),
                // CHECK constraints keep both non-negative and the fee within the gross.
                net: amount(gross.saturating_sub(fee)),
            })
            .collect(),
        mails: rows::mails(conn, user)?.into_iter().map(mail).collect(),
    }))
}

fn time(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339()
}

fn amount(micros: i64) -> String {
    Money::from_micros(micros).to_api_string()
}

fn posting(line: LedgerLine) -> Posting {
    Posting {
        entry_id: line.entry_id,
        movement_id: line.group_id,
        at: time(line.at),
        movement: line.movement,
        account: line.account,
        amount: amount(line.amount_micros),
        balance_after: amount(line.balance_after_micros),
    }
}

fn click(line: ClickLine) -> Click {
    Click {
        thing_id: line.thing_id,
        title: line.title,
        month: line.month,
        at: time(line.at),
        via: line.via.as_str(),
        visibility: line.visibility.unwrap_or_default().as_str(),
        note: line.note,
    }
}

fn mail(line: MailLine) -> Mail {
    Mail {
        kind: line.kind,
        created_at: time(line.created_at),
        attempts: line.attempts,
        sent_at: line.sent_at.map(time),
    }
}

/// A payout as the archive shows it: the IBAN and holder in full to their owner; to the
/// operator who decided someone else's, the IBAN masked and no holder.
fn payout(row: PayoutRow, masked: bool) -> Payout {
    let iban = match Iban::parse(&row.iban) {
        Ok(iban) if masked => iban.masked(),
        Ok(iban) => iban.printed(),
        // An IBAN that no longer parses (none should exist) is never shown to someone else.
        Err(_) if masked => String::new(),
        Err(_) => row.iban.clone(),
    };
    Payout {
        id: row.id,
        amount: row.amount().to_api_string(),
        iban,
        // Someone else's name stays theirs.
        holder: if masked { String::new() } else { row.holder },
        state: row.state.to_string(),
        reference: row.reference,
        requested_at: time(row.requested_at),
        decided_at: row.decided_at.map(time),
    }
}
