//! Translations with Fluent (`templates/locales/{en,fr}/*.ftl`, embedded at compile time).
//!
//! Message ids are shared with error codes: the API error `email_taken` is the message
//! `error-email_taken`. Lookups are strict: a key missing in one language is an error, never a
//! silent English word on a French page (and a test compares the key sets of both languages).

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, langid, static_loader};

use crate::domain::Locale;

static_loader! {
    static LOCALES = {
        locales: "./templates/locales",
        fallback_language: "en",
        // Without this Fluent wraps every placeable in invisible bidi isolation marks.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static EN: LanguageIdentifier = langid!("en");
static FR: LanguageIdentifier = langid!("fr");

fn language(locale: Locale) -> &'static LanguageIdentifier {
    match locale {
        Locale::En => &EN,
        Locale::Fr => &FR,
    }
}

pub type Args<'a> = HashMap<Cow<'static, str>, FluentValue<'a>>;

/// The message `key` in `locale`, or `None` when that language lacks it.
pub fn lookup(locale: Locale, key: &str, args: Option<&Args<'_>>) -> Option<String> {
    LOCALES
        .lookup_single_language(language(locale), key, args)
        .ok()
}

/// The message `key` in `locale`; a missing key is logged and shown as the key itself, so a
/// gap is visible instead of fatal. Use for error messages that must always render.
pub fn text(locale: Locale, key: &str) -> String {
    lookup(locale, key, None).unwrap_or_else(|| {
        tracing::error!(key, %locale, "missing translation");
        key.to_owned()
    })
}

/// A decimal number as people of `locale` write it: `7.5` in English, `7,5` in French.
pub fn decimal(locale: Locale, number: rust_decimal::Decimal) -> String {
    let text = number.normalize().to_string();
    match locale {
        Locale::Fr => text.replace('.', ","),
        Locale::En => text,
    }
}

/// A UTC date and time as people of `locale` write it: `21/11/2026 06:15 UTC` in French,
/// `2026-11-21 06:15 UTC` in English (unambiguous on both sides of the Atlantic).
pub fn format_datetime(locale: Locale, at: chrono::NaiveDateTime) -> String {
    match locale {
        Locale::Fr => at.format("%d/%m/%Y %H:%M UTC").to_string(),
        Locale::En => at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// A month as people of `locale` name it: `October 2026`, `octobre 2026`.
pub fn month_name(locale: Locale, month: crate::domain::Month) -> String {
    format!("{} {}", month_word(locale, month, "month"), month.year())
}

/// A month's short name for a chart's axis: `Oct`, `oct.`.
pub fn month_short(locale: Locale, month: crate::domain::Month) -> String {
    month_word(locale, month, "month-short")
}

fn month_word(locale: Locale, month: crate::domain::Month, prefix: &str) -> String {
    text(locale, &format!("{prefix}-{}", month.month()))
}

/// The Tera function `t(key="…", name=value…)`, bound to one language.
pub struct TeraTranslator(pub Locale);

impl tera::Function for TeraTranslator {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let key = args
            .get("key")
            .and_then(tera::Value::as_str)
            .ok_or_else(|| tera::Error::msg("t() needs a key=\"…\" argument"))?;
        let mut fluent_args = Args::new();
        for (name, value) in args.iter().filter(|(name, _)| name.as_str() != "key") {
            let fluent_value = match value {
                tera::Value::Number(n) => match n.as_i64() {
                    Some(i) => FluentValue::from(i),
                    None => FluentValue::from(n.to_string()),
                },
                tera::Value::String(s) => FluentValue::from(s.clone()),
                other => FluentValue::from(other.to_string()),
            };
            fluent_args.insert(Cow::Owned(name.clone()), fluent_value);
        }
        let with_args = (!fluent_args.is_empty()).then_some(&fluent_args);
        lookup(self.0, key, with_args)
            .map(tera::Value::String)
            .ok_or_else(|| tera::Error::msg(format!("missing translation `{key}` in {}", self.0)))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

/// The fee's label, naming the rate when the month's run recorded it.
pub fn fee_label(locale: Locale, rate: Option<rust_decimal::Decimal>) -> String {
    match rate {
        Some(rate) => {
            let mut args = Args::new();
            args.insert("rate".into(), decimal(locale, rate).into());
            lookup(locale, "earnings-fee-rate", Some(&args))
                .unwrap_or_else(|| text(locale, "earnings-fee"))
        }
        None => text(locale, "earnings-fee"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_locale() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 21)
            .and_then(|d| d.and_hms_opt(6, 5, 0))
            .expect("valid");
        assert_eq!(format_datetime(Locale::Fr, at), "21/11/2026 06:05 UTC");
        assert_eq!(format_datetime(Locale::En, at), "2026-11-21 06:05 UTC");
    }

    #[test]
    fn looks_up_in_each_language_without_fallback() {
        assert_eq!(
            lookup(Locale::En, "language-name", None).as_deref(),
            Some("English")
        );
        assert_eq!(
            lookup(Locale::Fr, "language-name", None).as_deref(),
            Some("Français")
        );
        assert_eq!(lookup(Locale::Fr, "no-such-key", None), None);
    }
}
