//! The account that pays creators by SEPA transfer (PRODUCT.md flow 11):
//! `OBOLE_SEPA_DEBTOR_NAME`, `OBOLE_SEPA_DEBTOR_IBAN` and optionally `OBOLE_SEPA_DEBTOR_BIC`.
//! Each may be unset (an instance that pays by hand needs none), but one that is set must be
//! valid: a wrong IBAN stops the program at start, not at the end of the month.

use super::{ConfigError, env_name};
use crate::domain::payout::Iban;
use crate::domain::sepa::{Bic, Debtor, MAX_NAME};

/// The debtor's settings as given; [`SepaSettings::debtor`] says which one is missing.
#[derive(Debug, Clone, Default)]
pub struct SepaSettings {
    pub name: Option<String>,
    pub iban: Option<Iban>,
    pub bic: Option<Bic>,
}

/// A setting an export needs and does not have; its message names the variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0} is not set: the SEPA file needs the account that pays")]
pub struct MissingSepaSetting(pub String);

impl SepaSettings {
    /// The paying account, or the first setting missing.
    pub fn debtor(&self) -> Result<Debtor, MissingSepaSetting> {
        let name = self
            .name
            .clone()
            .ok_or_else(|| MissingSepaSetting(env_name("sepa_debtor_name")))?;
        let iban = self
            .iban
            .clone()
            .ok_or_else(|| MissingSepaSetting(env_name("sepa_debtor_iban")))?;
        Ok(Debtor {
            name,
            iban,
            bic: self.bic.clone(),
        })
    }
}

pub(super) fn sepa(raw: &dyn Fn(&str) -> Option<String>) -> Result<SepaSettings, ConfigError> {
    let name = match raw("sepa_debtor_name") {
        Some(text) => {
            let name = text.trim();
            if name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
                return Err(ConfigError::new(
                    "sepa_debtor_name",
                    format!("must be one line of at most {MAX_NAME} characters"),
                ));
            }
            Some(name.to_owned())
        }
        None => None,
    };
    let iban = raw("sepa_debtor_iban")
        .map(|text| {
            Iban::parse(&text).map_err(|_| {
                ConfigError::new(
                    "sepa_debtor_iban",
                    "is not a valid IBAN (country format and checksum)",
                )
            })
        })
        .transpose()?;
    let bic = raw("sepa_debtor_bic")
        .map(|text| {
            Bic::parse(&text).ok_or_else(|| {
                ConfigError::new(
                    "sepa_debtor_bic",
                    "is not a BIC of 8 or 11 characters such as BNPAFRPP",
                )
            })
        })
        .transpose()?;
    Ok(SepaSettings { name, iban, bic })
}
