//! Payout rules (PRODUCT.md flow 7): what a creator may ask to be paid, and the bank details
//! the request carries. Pure: the use cases are in `use_cases/payouts.rs`.

use std::fmt;

use iban::IbanLike as _;

use super::money::Money;

/// Why a payout request was refused. Each is a stable error code of the web layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PayoutError {
    #[error("the IBAN is not valid")]
    InvalidIban,
    #[error("the account holder's name is missing or too long")]
    InvalidHolder,
    #[error("the amount is below the payout minimum")]
    BelowMinimum,
    #[error("the amount is more than the revenue")]
    AboveRevenue,
    #[error("the amount is not a positive number of whole cents")]
    InvalidAmount,
}

/// An IBAN whose country format and ISO 7064 mod-97 checksum are right, kept in the compact
/// electronic form (`FR7630006000011234567890189`). The `iban_validate` crate does the check:
/// it knows every country's length and layout from the SWIFT registry.
#[derive(Clone, PartialEq, Eq)]
pub struct Iban(String);

impl Iban {
    /// Accepts the printed form too (spaces, lower case).
    pub fn parse(text: &str) -> Result<Iban, PayoutError> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if compact.len() > 34 || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(PayoutError::InvalidIban);
        }
        compact
            .parse::<iban::Iban>()
            .map(|iban| Iban(iban.electronic_str().to_owned()))
            .map_err(|_| PayoutError::InvalidIban)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Groups of four, as banks print it.
    pub fn printed(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// All but the last four characters hidden, for pages and mails that only remind.
    pub fn masked(&self) -> String {
        let tail: String = self
            .0
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("{}…{tail}", self.0.get(..4).unwrap_or_default())
    }
}

impl fmt::Debug for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Bank details stay out of logs.
        write!(f, "Iban({})", self.masked())
    }
}

/// The name on the bank account: 1 to 70 characters (the SEPA limit), no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountHolder(String);

impl AccountHolder {
    pub fn parse(text: &str) -> Result<AccountHolder, PayoutError> {
        let name = text.trim();
        let length = name.chars().count();
        if length == 0 || length > 70 || name.chars().any(char::is_control) {
            return Err(PayoutError::InvalidHolder);
        }
        Ok(AccountHolder(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The amount of a payout: the one asked for, or else the whole revenue rounded down to the
/// cent (the sub-cent rest stays on the balance, money rule 2). It must reach `minimum` and
/// may not exceed the revenue.
pub fn payout_amount(
    revenue: Money,
    requested: Option<Money>,
    minimum: Money,
) -> Result<Money, PayoutError> {
    let amount = match requested {
        Some(amount) if amount <= Money::ZERO || !amount.is_whole_cents() => {
            return Err(PayoutError::InvalidAmount);
        }
        Some(amount) => amount,
        None => whole_cents_of(revenue),
    };
    if amount < minimum || amount == Money::ZERO {
        return Err(PayoutError::BelowMinimum);
    }
    if amount > revenue {
        return Err(PayoutError::AboveRevenue);
    }
    Ok(amount)
}

/// `amount` rounded down to the cent (towards zero; balances here are never negative).
pub fn whole_cents_of(amount: Money) -> Money {
    let cent = Money::from_cents(1).map_or(10_000, Money::micros);
    Money::from_micros(amount.micros() - amount.micros() % cent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur(text: &str) -> Money {
        Money::parse_user_amount(text).expect("amount")
    }

    #[test]
    fn ibans_are_checked_by_country_and_checksum() {
        let iban = Iban::parse("fr76 3000 6000 0112 3456 7890 189").expect("valid");
        assert_eq!(iban.as_str(), "FR7630006000011234567890189");
        assert_eq!(iban.printed(), "FR76 3000 6000 0112 3456 7890 189");
        assert_eq!(iban.masked(), "FR76…0189");
        assert!(Iban::parse("DE89370400440532013000").is_ok());
        // One digit changed: the checksum fails.
        assert_eq!(
            Iban::parse("FR7630006000011234567890188"),
            Err(PayoutError::InvalidIban)
        );
        for bad in [
            "",
            "FR76",
            "FR76 3000 6000 0112 3456 7890 1899",
            "XX00123",
            "FR76-3000",
        ] {
            assert_eq!(Iban::parse(bad), Err(PayoutError::InvalidIban), "{bad}");
        }
    }

    #[test]
    fn the_holder_is_a_plain_name() {
        assert_eq!(
            AccountHolder::parse("  Élise Dupont ").map(|h| h.as_str().to_owned()),
            Ok("Élise Dupont".to_owned())
        );
        assert!(AccountHolder::parse("   ").is_err());
        assert!(AccountHolder::parse("Eve\r\nBcc: x@y").is_err());
        assert!(AccountHolder::parse(&"a".repeat(71)).is_err());
    }

    #[test]
    fn a_payout_is_whole_cents_above_the_minimum() {
        let minimum = eur("10.00");
        let revenue = Money::from_micros(12_345_678);
        assert_eq!(payout_amount(revenue, None, minimum), Ok(eur("12.34")));
        assert_eq!(
            payout_amount(revenue, Some(eur("11")), minimum),
            Ok(eur("11.00"))
        );
        assert_eq!(
            payout_amount(revenue, Some(eur("9.99")), minimum),
            Err(PayoutError::BelowMinimum)
        );
        assert_eq!(
            payout_amount(revenue, Some(eur("12.35")), minimum),
            Err(PayoutError::AboveRevenue)
        );
        assert_eq!(
            payout_amount(Money::from_micros(9_999_999), None, minimum),
            Err(PayoutError::BelowMinimum)
        );
        assert_eq!(
            payout_amount(revenue, Some(Money::from_micros(10_000_001)), minimum),
            Err(PayoutError::InvalidAmount)
        );
        assert_eq!(
            payout_amount(Money::ZERO, None, Money::ZERO),
            Err(PayoutError::BelowMinimum)
        );
    }

    proptest! {
        #[test]
        fn a_payout_never_exceeds_the_revenue_and_leaves_less_than_a_cent(
            revenue in 0i64..1_000_000_000_000,
            minimum_cents in 0i64..100_000,
        ) {
            let revenue = Money::from_micros(revenue);
            let minimum = Money::from_cents(minimum_cents).unwrap_or(Money::ZERO);
            if let Ok(amount) = payout_amount(revenue, None, minimum) {
                prop_assert!(amount.is_whole_cents());
                prop_assert!(amount >= minimum && amount <= revenue);
                prop_assert!(revenue.micros() - amount.micros() < 10_000);
            } else {
                prop_assert!(whole_cents_of(revenue) < minimum || whole_cents_of(revenue) == Money::ZERO);
            }
        }
    }
}
