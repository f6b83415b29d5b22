//! The archive's shape: what `GET /api/v1/me/export` serves, field by field. Amounts are
//! decimal strings in the instance's currency, as in the API; times are RFC 3339 in UTC.

use serde::Serialize;

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
    pub via: &'static str,
    /// `private`, `creator` or `public`.
    pub visibility: &'static str,
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
