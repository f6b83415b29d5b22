//! SEPA credit transfers (PRODUCT.md flow 11): the rules a pain.001.001.03 batch follows.
//! Pure: the document is written by `sepa/document.rs`, batches are recorded by
//! `use_cases::payouts::batch`.
//!
//! Banks accept only the SEPA Latin character set in names and texts (the EPC's
//! implementation guidelines: `a-z A-Z 0-9 / - ? : ( ) . , ' +` and space), so every text a
//! person typed is transliterated (`deunicode`: "Élise Dupont" → "Elise Dupont", "Дмитрий"
//! → "Dmitrii") and whatever is still outside the set becomes a space.

pub mod countries;
pub mod document;

use chrono::{NaiveDate, NaiveDateTime};

use super::money::Money;
use super::payout::Iban;
use super::states::stored_enum;

/// The longest name the schema allows (`Max70Text`).
pub const MAX_NAME: usize = 70;
/// The longest unstructured remittance text (`Max140Text`).
pub const MAX_REMITTANCE: usize = 140;
/// The longest identifier (`Max35Text`): message, payment and end-to-end ids.
pub const MAX_ID: usize = 35;

stored_enum! {
    /// A SEPA batch's state (`payout_batches.state`).
    BatchState("payout batch state") {
        /// Exported, waiting for the operator to say the bank took it; exporting again gives
        /// this batch.
        Open => "open",
        /// The operator said the bank took it: its payouts are sent.
        Sent => "sent",
        /// Cancelled while open (never given to the bank, or to be re-exported with today's
        /// date): its document stays as a record, its payouts wait for the next batch.
        Cancelled => "cancelled",
    }
}

/// A BIC (ISO 9362) in the schema's form: 8 or 11 characters, upper case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bic(String);

impl Bic {
    /// The schema's pattern `[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?`; spaces and case are
    /// forgiven.
    pub fn parse(text: &str) -> Option<Bic> {
        let bic: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let bytes = bic.as_bytes();
        let shaped = matches!(bytes.len(), 8 | 11)
            && bytes.iter().take(6).all(u8::is_ascii_uppercase)
            && bytes
                .get(6)
                .is_some_and(|c| c.is_ascii_uppercase() || (b'2'..=b'9').contains(c))
            && bytes
                .get(7)
                .is_some_and(|c| (c.is_ascii_uppercase() && *c != b'O') || c.is_ascii_digit())
            && bytes
                .iter()
                .skip(8)
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        shaped.then_some(Bic(bic))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `text` in the SEPA Latin character set, at most `max` characters, never empty.
pub fn latin_text(text: &str, max: usize) -> String {
    let ascii = deunicode::deunicode(text);
    let mapped: String = ascii
        .chars()
        .map(|c| if is_sepa_char(c) { c } else { ' ' })
        .collect();
    // Runs of spaces (a replaced `&`, a transliteration's gaps) read as one.
    let words: Vec<&str> = mapped.split_whitespace().collect();
    let joined: String = words.join(" ").chars().take(max).collect();
    let trimmed = joined.trim_end();
    if trimmed.is_empty() {
        "?".to_owned()
    } else {
        trimmed.to_owned()
    }
}

fn is_sepa_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || " /-?:().,'+".contains(c)
}

/// An amount as the schema writes it: euros with exactly two decimals, such as `12.34`.
/// Payouts are whole cents (money rule 2); a sub-cent amount is refused rather than rounded.
pub fn amount_text(amount: Money) -> Option<String> {
    if !amount.is_whole_cents() || amount <= Money::ZERO {
        return None;
    }
    let cents = amount.micros() / 10_000;
    Some(format!("{}.{:02}", cents / 100, cents % 100))
}

/// The account that pays: the instance's, from `OBOLE_SEPA_DEBTOR_*`.
#[derive(Debug, Clone)]
pub struct Debtor {
    pub name: String,
    pub iban: Iban,
    pub bic: Option<Bic>,
}

/// One transfer of a batch: a payout to its creator's account.
#[derive(Debug, Clone)]
pub struct CreditTransfer {
    /// The payout's reference: `EndToEndId`, and the text the creator's statement shows.
    pub reference: String,
    pub amount: Money,
    /// The account holder, as the creator typed it.
    pub creditor_name: String,
    pub creditor_iban: Iban,
}

/// A whole batch: one group header, one payment information block, its transfers.
#[derive(Debug, Clone)]
pub struct Batch {
    pub message_id: String,
    pub created_at: NaiveDateTime,
    pub execution_date: NaiveDate,
    pub debtor: Debtor,
    pub transfers: Vec<CreditTransfer>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SepaError {
    #[error("a batch needs at least one payout")]
    Empty,
    #[error("an amount is not a positive number of whole cents")]
    InvalidAmount,
    #[error("the batch's total overflows")]
    Overflow,
    #[error("an identifier is empty, too long or outside the SEPA character set")]
    InvalidId,
}

impl Batch {
    /// `NbOfTxs` and `CtrlSum`: how many transfers and their total.
    pub fn totals(&self) -> Result<(usize, Money), SepaError> {
        if self.transfers.is_empty() {
            return Err(SepaError::Empty);
        }
        let mut sum = Money::ZERO;
        for transfer in &self.transfers {
            amount_text(transfer.amount).ok_or(SepaError::InvalidAmount)?;
            sum = sum
                .checked_add(transfer.amount)
                .ok_or(SepaError::Overflow)?;
        }
        Ok((self.transfers.len(), sum))
    }
}

/// Whether `id` may be a message, payment or end-to-end id: 1 to 35 characters of the set,
/// not starting with `/` and without `//` (the EPC's rule for references).
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID
        && id.chars().all(is_sepa_char)
        && !id.starts_with('/')
        && !id.contains("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_transliterated_into_the_sepa_set() {
        assert_eq!(latin_text("Élise Dupont", MAX_NAME), "Elise Dupont");
        assert_eq!(
            latin_text("Bob <&\"'> Ltd", MAX_NAME),
            "Bob ' Ltd",
            "markup characters become spaces, the apostrophe is allowed"
        );
        assert_eq!(latin_text("Дмитрий", MAX_NAME), "Dmitrii");
        assert_eq!(latin_text("Straße Œuvre", MAX_NAME), "Strasse OEuvre");
        assert_eq!(latin_text("<<>>", MAX_NAME), "?");
        assert_eq!(latin_text(&"é".repeat(100), MAX_NAME).len(), MAX_NAME);
        for c in latin_text("東京 & 🎉 z", MAX_NAME).chars() {
            assert!(is_sepa_char(c), "{c:?}");
        }
    }

    #[test]
    fn amounts_have_two_decimals() {
        assert_eq!(
            amount_text(Money::from_micros(12_340_000)).as_deref(),
            Some("12.34")
        );
        assert_eq!(
            amount_text(Money::from_micros(10_000)).as_deref(),
            Some("0.01")
        );
        assert_eq!(amount_text(Money::from_micros(12_345)), None);
        assert_eq!(amount_text(Money::ZERO), None);
    }

    #[test]
    fn bics_follow_the_schema() {
        assert_eq!(
            Bic::parse("bnpa fr pp").map(|b| b.as_str().to_owned()),
            Some("BNPAFRPP".to_owned())
        );
        assert!(Bic::parse("DEUTDEFF500").is_some());
        for bad in [
            "",
            "BNPAFRP",
            "BNPAFR1P",
            "BNPAFRPO",
            "BNPAFRPP12",
            "BNPAFRPP-12",
        ] {
            assert!(Bic::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn ids_are_short_plain_references() {
        assert!(is_valid_id("OBOLE-P12"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("/P12"));
        assert!(!is_valid_id("A//B"));
        assert!(!is_valid_id(&"A".repeat(36)));
    }
}
