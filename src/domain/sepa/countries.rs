//! Which accounts a SEPA credit transfer can reach: the IBAN's country must be in the SEPA
//! schemes' geographical scope. A file naming an account outside it (Brazil, Turkey, Saudi
//! Arabia all have IBANs) is refused by the bank, or worse, half-executed.

/// The IBAN country codes of the SEPA schemes' geographical scope, after the European
/// Payments Council's "List of countries in the SEPA schemes' geographical scope" (EPC409-09):
/// the EU, the rest of the EEA (IS, LI, NO), CH, GB, SM, VA, MC, AD, and the territories that
/// have IBAN country codes of their own (GI; the French overseas departments and
/// collectivities that are in scope; the Åland Islands). Territories banking under their
/// state's code (Azores, Canaries, Channel Islands…) are covered by it. Kept by hand: no
/// maintained crate carries this list, and it changes once in years; when the EPC admits a
/// country, add it here.
pub const SEPA_COUNTRIES: &[&str] = &[
    // European Union
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    // The rest of the EEA
    "IS", "LI", "NO", // Outside the EEA, in the schemes' scope
    "CH", "GB", "SM", "VA", "MC", "AD", // Territories with IBAN codes of their own
    "GI", "AX", "GF", "GP", "MQ", "RE", "YT", "BL", "MF", "PM",
];

/// Whether a (checked) IBAN's account can be paid by a SEPA credit transfer.
pub fn is_sepa_iban(iban: &str) -> bool {
    iban.get(..2)
        .is_some_and(|country| SEPA_COUNTRIES.contains(&country))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sepa_countries_in_and_others_out() {
        for iban in [
            "FR7630006000011234567890189",
            "CH9300762011623852957",
            "GB29NWBK60161331926819",
        ] {
            assert!(is_sepa_iban(iban), "{iban}");
        }
        for iban in [
            "BR1800360305000010009795493C1",
            "TR330006100519786457841326",
            "SA0380000000608010167519",
            "",
        ] {
            assert!(!is_sepa_iban(iban), "{iban}");
        }
    }
}
