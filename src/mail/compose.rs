//! A queued message rendered for its recipient, in their language, from
//! `templates/emails/{kind}.txt` and `.html`: the figures are read when it is sent (for a run
//! of messages, a moment before: `prefetch.rs`), from the same functions the pages use.

mod dispute_mail;
mod prefetch;
mod statement_mails;
mod subscription_mail;

use tera::Context;

use super::{MailKind, safe_header};
use crate::config::Settings;
use crate::db::DbConnection;
use crate::domain::{Locale, Money, UserId};
use crate::i18n;
use crate::models::mail_outbox::OutboxRow;
use crate::models::{oauth_signups, payouts, users};
use crate::templates::Templates;
use crate::use_cases::statements;
pub use prefetch::Prefetched;
use statement_mails::Line;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("a header value holds a line break")]
    UnsafeHeader,
    #[error("the queued message is malformed: {0}")]
    Malformed(String),
    #[error("the recipient's address is not valid: {0}")]
    Address(String),
    #[error(transparent)]
    Template(#[from] tera::Error),
    #[error(transparent)]
    Statement(#[from] statements::StatementError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error("{0}")]
    Transport(String),
}

/// A message ready for a transport.
#[derive(Debug, Clone)]
pub struct Composed {
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// `prefetched`: what was read ahead for the run this message belongs to; what is not there
/// is read now.
pub fn compose(
    conn: &mut DbConnection,
    templates: &Templates,
    settings: &Settings,
    row: &OutboxRow,
    prefetched: &mut Prefetched,
) -> Result<Composed, MailError> {
    let kind = MailKind::parse(&row.kind)
        .ok_or_else(|| MailError::Malformed(format!("unknown kind {}", row.kind)))?;
    let payload: serde_json::Value = serde_json::from_str(&row.payload)
        .map_err(|e| MailError::Malformed(format!("payload: {e}")))?;
    if kind == MailKind::ConfirmSignUp {
        return sign_up_code(conn, templates, settings, &payload);
    }
    let user_id = row
        .user_id
        .ok_or_else(|| MailError::Malformed("no recipient".into()))?;
    let user = match prefetched.take_user(user_id) {
        Some(user) => user,
        None => users::find(conn, UserId(user_id))?
            .ok_or_else(|| MailError::Malformed(format!("no user {user_id}")))?,
    };
    let locale = user.locale();
    let money = |amount: Money| amount.format(locale, settings.currency);
    let mut context = Context::new();
    context.insert("name", &user.display_name);
    context.insert("base_url", &settings.base_url);
    let mut args = i18n::Args::new();
    match kind {
        MailKind::VerifyEmail | MailKind::ResetPassword => {
            let token = payload["token"]
                .as_str()
                .ok_or_else(|| MailError::Malformed("no token".into()))?;
            let path = match kind {
                MailKind::VerifyEmail => "/verify-email",
                _ => "/password/reset",
            };
            context.insert(
                "link",
                &format!("{}{path}?token={token}", settings.base_url),
            );
        }
        MailKind::ReaderStatement | MailKind::CreatorStatement => {
            let statement = statement_mails::Statement {
                kind,
                user: &user,
                payload: &payload,
                prefetched,
            };
            statement_mails::context(conn, statement, &money, &mut context, &mut args)?;
        }
        MailKind::PayoutStatus => {
            let id = payload["payout"]
                .as_i64()
                .ok_or_else(|| MailError::Malformed("no payout".into()))?;
            let payout = payouts::find(conn, id)?
                .ok_or_else(|| MailError::Malformed(format!("no payout {id}")))?;
            let amount = money(payout.amount());
            let status = i18n::text(locale, &format!("payout-state-{}", payout.state));
            args.insert("amount".into(), amount.clone().into());
            args.insert("status".into(), status.clone().into());
            context.insert("amount", &amount);
            context.insert("state", payout.state.as_str());
            context.insert("status", &status);
            context.insert("reference", &payout.reference);
            let iban = crate::domain::payout::Iban::parse(&payout.iban)
                .map(|i| i.masked())
                .unwrap_or_default();
            context.insert("iban", &iban);
        }
        MailKind::ThingsClaimed => {
            let site = payload["site"]
                .as_str()
                .ok_or_else(|| MailError::Malformed("no site".into()))?;
            let ids: Vec<i64> = payload["things"]
                .as_array()
                .map(|ids| ids.iter().filter_map(serde_json::Value::as_i64).collect())
                .unwrap_or_default();
            let things = crate::models::statements::things_with_owners(conn, &ids)?;
            let lines: Vec<Line> = things
                .into_iter()
                .map(|t| Line {
                    title: t.title,
                    detail: t.url,
                    count: 1,
                    ..Line::default()
                })
                .collect();
            args.insert("site".into(), site.to_owned().into());
            args.insert("count".into(), lines.len().into());
            context.insert("site", site);
            context.insert("count", &lines.len());
            context.insert("lines", &lines);
        }
        MailKind::SubscriptionFunds => {
            subscription_mail::context(conn, &user, &payload, &money, &mut context, &mut args)?;
        }
        MailKind::CardDispute => {
            dispute_mail::context(conn, &payload, &money, &mut context, &mut args)?;
        }
        MailKind::ConfirmSignUp => {
            return Err(MailError::Malformed("a sign-up code has no user".into()));
        }
    }
    let recipient = Recipient {
        address: &user.email,
        name: &user.display_name,
        locale,
    };
    render(templates, kind, &recipient, &args, &context)
}

/// Who a message goes to, and in which language.
struct Recipient<'a> {
    address: &'a str,
    name: &'a str,
    locale: Locale,
}

fn render(
    templates: &Templates,
    kind: MailKind,
    to: &Recipient<'_>,
    args: &i18n::Args,
    context: &Context,
) -> Result<Composed, MailError> {
    let subject_key = format!("mail-{}-subject", kind.code());
    let subject = i18n::lookup(to.locale, &subject_key, Some(args))
        .ok_or_else(|| MailError::Malformed(format!("no translation {subject_key}")))?;
    let text = templates.render(to.locale, &format!("emails/{}.txt", kind.code()), context)?;
    let html = templates.render(to.locale, &format!("emails/{}.html", kind.code()), context)?;
    Ok(Composed {
        to_address: safe_header(to.address)?.to_owned(),
        to_name: safe_header(to.name)?.to_owned(),
        subject: safe_header(&subject)?.to_owned(),
        text,
        html,
    })
}

/// The code that finishes a pending sign-up, to the address the person gave, in the language
/// they were using. The address is not proven yet: the mail carries no name that whoever
/// started the sign-up chose (it would let them write to anyone through Obole).
fn sign_up_code(
    conn: &mut DbConnection,
    templates: &Templates,
    settings: &Settings,
    payload: &serde_json::Value,
) -> Result<Composed, MailError> {
    let id = payload["signup"]
        .as_i64()
        .ok_or_else(|| MailError::Malformed("no sign-up".into()))?;
    let code = payload["code"]
        .as_str()
        .ok_or_else(|| MailError::Malformed("no code".into()))?;
    let signup = oauth_signups::find(conn, id)?
        .ok_or_else(|| MailError::Malformed(format!("no sign-up {id}")))?;
    let locale = Locale::parse(&signup.locale).unwrap_or(Locale::En);
    let provider = settings
        .oauth_providers
        .iter()
        .find(|p| p.name == signup.provider)
        .map_or_else(|| signup.provider.clone(), |p| p.label.clone());
    let mut context = Context::new();
    context.insert("base_url", &settings.base_url);
    context.insert("code", code);
    context.insert("provider", &provider);
    context.insert(
        "link",
        &format!("{}/auth/confirm?code={code}", settings.base_url),
    );
    let recipient = Recipient {
        address: &signup.email,
        name: "",
        locale,
    };
    render(
        templates,
        MailKind::ConfirmSignUp,
        &recipient,
        &i18n::Args::new(),
        &context,
    )
}
