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
use serde::Serialize;

use crate::db::{DbConnection, dialect};
use crate::domain::click_note::Visibility;
use crate::domain::payout::Iban;
use crate::domain::{Money, UserId};
use crate::models::export::{self as rows, ClickLine, LedgerLine, MailLine};
use crate::models::payouts::PayoutRow;
use crate::models::{
    budgets, card_payments, creator_profiles, ledger, oauth_identities, payouts, subscriptions,
    users,
};

/// The version of the archive's layout, so that tools reading it can tell.
pub const FORMAT: &str = "obole-export-1";

/// The whole archive. Amounts are decimal strings in the instance's currency, as in the API;
/// times are RFC 3339 in UTC.
#[derive(Debug, Serialize)]
pub struct Archive {
    pub format: &'static str,
    pub exported_at: String,
    pub account: Account,
    pub balances: Balances,
    pub budget: Option<Budget>,
    pub ledger: Vec<Posting>,
    pub clicks: Vec<Click>,
    pub reservations: Vec<Reservation>,
    pub subscriptions: Vec<Subscription>,
    /// Idle months whose budget went to the charity, as the person chose.
    pub donations: Vec<Donation>,
    pub things: Vec<Thing>,
    pub sites: Vec<Site>,
    pub public_page: Option<PublicPage>,
    pub sign_in_identities: Vec<Identity>,
    pub api_tokens: Vec<ApiToken>,
    pub vouchers: Vec<Voucher>,
    pub card_payments: Vec<CardPayment>,
    pub payouts: Vec<Payout>,
    /// For operators: the payouts they decided for others, IBANs masked.
    pub payouts_decided: Vec<Payout>,
    pub earnings: Vec<EarnedMonth>,
    pub mails: Vec<Mail>,
}

#[derive(Debug, Serialize)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub is_operator: bool,
    pub has_password: bool,
    pub email_verified_at: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Serialize)]
pub struct Balances {
    pub funds: String,
    pub reserved: String,
    pub revenue: String,
}

#[derive(Debug, Serialize)]
pub struct Budget {
    pub amount: String,
    pub paused: bool,
    /// `keep` or `charity`: what a month without clicks does with it.
    pub unspent: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Subscription {
    pub thing_id: i64,
    pub title: String,
    pub since: String,
}

#[derive(Debug, Serialize)]
pub struct Donation {
    pub month: String,
    pub budget: String,
    pub amount: String,
    pub charity: String,
}

#[derive(Debug, Serialize)]
pub struct Posting {
    pub entry_id: i64,
    pub movement_id: i64,
    pub at: String,
    pub movement: String,
    pub account: String,
    pub amount: String,
    pub balance_after: String,
}

#[derive(Debug, Serialize)]
pub struct Click {
    pub thing_id: i64,
    pub title: String,
    pub month: String,
    pub at: String,
    /// `click`, or `subscription` when the server made it.
    pub via: String,
    /// `private`, `creator` or `public`.
    pub visibility: String,
    pub note: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Reservation {
    pub month: String,
    pub budget: String,
    pub clicks: i64,
    pub at: String,
}

#[derive(Debug, Serialize)]
pub struct Thing {
    pub id: i64,
    pub url: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub language: String,
    pub hidden: bool,
    pub claimed: bool,
    pub created_at: String,
}

#[derive(Debug, Serialize)]
pub struct Site {
    pub id: i64,
    pub url: String,
    pub token: String,
    pub created_at: String,
    pub verified_at: Option<String>,
    pub method: Option<String>,
    pub vouched_by_operator: bool,
    pub superseded_at: Option<String>,
    pub removed_at: Option<String>,
    pub last_checked_at: Option<String>,
    pub last_failure: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PublicPage {
    pub handle: String,
    pub public_name: String,
    pub description: String,
    pub links: Vec<String>,
    pub clicks_public: bool,
    pub updated_at: String,
}

#[derive(Debug, Serialize)]
pub struct Identity {
    pub provider: String,
    pub subject: String,
    pub email: Option<String>,
    pub created_at: String,
    pub last_used_at: String,
}

#[derive(Debug, Serialize)]
pub struct ApiToken {
    pub created_at: String,
    pub revoked_at: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Voucher {
    pub amount: String,
    pub redeemed_at: String,
}

#[derive(Debug, Serialize)]
pub struct CardPayment {
    pub id: i64,
    pub intent_id: String,
    pub amount: String,
    pub currency: String,
    pub state: String,
    pub failure_message: Option<String>,
    pub refunded: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Serialize)]
pub struct Payout {
    pub id: i64,
    pub amount: String,
    pub iban: String,
    pub holder: String,
    pub state: String,
    pub reference: Option<String>,
    pub requested_at: String,
    pub decided_at: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct EarnedMonth {
    pub month: String,
    pub clicks: i64,
    pub gross: String,
    pub fee: String,
    pub net: String,
}

#[derive(Debug, Serialize)]
pub struct Mail {
    pub kind: String,
    pub created_at: String,
    pub attempts: i32,
    pub sent_at: Option<String>,
}

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
        via: line.via,
        visibility: line
            .visibility
            .unwrap_or_else(|| Visibility::Private.as_str().to_owned()),
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
