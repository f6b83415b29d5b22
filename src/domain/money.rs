//! Amounts of money as integer micro-units (10⁻⁶ of the instance's currency unit).
//!
//! PRODUCT.md money rules 1 and 2: no floating point, amounts stored as `BIGINT` micro-units, and
//! what a person types is whole cents (anything finer is rejected, never rounded).
//! One currency per instance, so a `Money` carries no currency; formatting takes it from the
//! instance's settings.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::locale::Locale;

/// Micro-units in one unit of currency.
pub const MICROS_PER_UNIT: i64 = 1_000_000;
/// Micro-units in one cent.
pub const MICROS_PER_CENT: i64 = 10_000;

/// A signed amount of money in micro-units. Ledger entries are signed; amounts people type are
/// never negative (see [`Money::parse_user_amount`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money {
    micros: i64,
}

/// Why a typed amount was refused. Each maps to the API code `invalid_amount`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("the amount is empty")]
    Empty,
    #[error("the amount is not a plain decimal number")]
    NotANumber,
    #[error("the amount has more than two decimals")]
    FinerThanCents,
    #[error("the amount is too large")]
    TooLarge,
}

/// Largest amount a person may type: far above any budget or top-up, far below `i64` micros.
const MAX_USER_AMOUNT_MICROS: i64 = 1_000_000_000 * MICROS_PER_UNIT;

impl Money {
    pub const ZERO: Money = Money { micros: 0 };

    pub const fn from_micros(micros: i64) -> Self {
        Money { micros }
    }

    /// Whole cents, e.g. `Money::from_cents(200)` is 2.00.
    pub const fn from_cents(cents: i64) -> Option<Self> {
        match cents.checked_mul(MICROS_PER_CENT) {
            Some(micros) => Some(Money { micros }),
            None => None,
        }
    }

    pub const fn micros(self) -> i64 {
        self.micros
    }

    pub fn is_negative(self) -> bool {
        self.micros < 0
    }

    /// True when the amount is a whole number of cents.
    pub fn is_whole_cents(self) -> bool {
        self.micros % MICROS_PER_CENT == 0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.micros
            .checked_add(other.micros)
            .map(Money::from_micros)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.micros
            .checked_sub(other.micros)
            .map(Money::from_micros)
    }

    pub fn checked_neg(self) -> Option<Money> {
        self.micros.checked_neg().map(Money::from_micros)
    }

    /// Σ `amounts`, or `None` if the sum leaves an amount's range at any point (never a
    /// wrapped or saturated sum).
    pub fn checked_sum(amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, |sum, amount| sum.checked_add(amount))
    }

    /// Rounded half-up to the cent, for display only (a click worth 0.666667 shows as 0.67;
    /// settlement uses the exact value).
    pub fn rounded_to_cent(self) -> Money {
        let cents = Decimal::new(self.micros, 0) / Decimal::from(MICROS_PER_CENT);
        let rounded =
            cents.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        Money::from_micros(
            rounded
                .to_i64()
                .unwrap_or(0)
                .saturating_mul(MICROS_PER_CENT),
        )
    }

    /// The exact decimal value, in currency units (scale 6).
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.micros, 6)
    }

    /// Parses an amount a person or a program typed: digits, at most one decimal separator
    /// (`.`, or `,` as French speakers write it) and at most two decimals. Signs, exponents,
    /// spaces inside the number and anything finer than a cent are refused, not rounded.
    pub fn parse_user_amount(input: &str) -> Result<Money, AmountError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(AmountError::Empty);
        }
        let normalized = text.replacen(',', ".", 1);
        let (whole, fraction) = match normalized.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (normalized.as_str(), None),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) {
            return Err(AmountError::NotANumber);
        }
        if let Some(fraction) = fraction {
            if fraction.is_empty() || !all_digits(fraction) {
                return Err(AmountError::NotANumber);
            }
            if fraction.len() > 2 {
                return Err(AmountError::FinerThanCents);
            }
        }
        // Checked the shape by hand above so that rust_decimal's more liberal syntax (signs,
        // exponents, underscores) can never slip through; the value itself is computed exactly.
        let value = Decimal::from_str(&normalized).map_err(|_| AmountError::TooLarge)?;
        let micros = value
            .checked_mul(Decimal::from(MICROS_PER_UNIT))
            .and_then(|m| m.to_i64())
            .ok_or(AmountError::TooLarge)?;
        if micros > MAX_USER_AMOUNT_MICROS {
            return Err(AmountError::TooLarge);
        }
        Ok(Money::from_micros(micros))
    }

    /// The contract's decimal string: at least two decimals, more only when the amount has
    /// sub-cent micro-units (`"2.00"`, `"0.666667"`, `"0.1234"`, `"-1.50"`).
    pub fn to_api_string(self) -> String {
        let sign = if self.micros < 0 { "-" } else { "" };
        let abs = self.micros.unsigned_abs();
        let units = abs / 1_000_000;
        let fraction = format!("{:06}", abs % 1_000_000);
        let trimmed = fraction.trim_end_matches('0');
        let shown = if trimmed.len() <= 2 {
            &fraction[..2]
        } else {
            trimmed
        };
        format!("{sign}{units}.{shown}")
    }

    /// The amount as a person reads it in `locale`: `2,00 €` in French, `€2.00` in English,
    /// with thousands grouped. Sub-cent micro-units are shown, never hidden by rounding.
    pub fn format(self, locale: Locale, currency: Currency) -> String {
        let api = self.to_api_string();
        let (negative, digits) = match api.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, api.as_str()),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "00"));
        let (group_sep, decimal_sep) = match locale {
            Locale::Fr => (' ', ','),
            Locale::En => (',', '.'),
        };
        let grouped = group_thousands(whole, group_sep);
        let sign = if negative { "-" } else { "" };
        let symbol = currency.symbol();
        match locale {
            // Plain spaces (grouping and before the symbol), kept on one line by the `money`
            // CSS class: no-break spaces make copied amounts awkward to search and compare.
            Locale::Fr => format!("{sign}{grouped}{decimal_sep}{fraction} {symbol}"),
            Locale::En => format!("{sign}{symbol}{grouped}{decimal_sep}{fraction}"),
        }
    }
}

fn group_thousands(digits: &str, separator: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_api_string())
    }
}

/// The instance's currency (PRODUCT.md: one currency per instance, EUR by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Currency {
    Eur,
}

impl Currency {
    pub fn parse(code: &str) -> Option<Currency> {
        match code.trim().to_ascii_uppercase().as_str() {
            "EUR" => Some(Currency::Eur),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Currency::Eur => "EUR",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Eur => "€",
        }
    }
}

#[cfg(test)]
#[path = "money_tests.rs"]
mod tests;
