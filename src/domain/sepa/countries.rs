//! Which accounts a SEPA credit transfer can reach: the IBAN's country must be in the SEPA
//! schemes' geographical scope. A file naming an account outside it (Brazil, Turkey, Saudi
//! Arabia all have IBANs) is refused by the bank, or worse, half-executed.

/// The IBAN country codes of the SEPA schemes' geographical scope, after the European
/// Payments Council's "List of countries in the SEPA schemes' geographical scope" (EPC409-09),
/// checked in December 2026 against the EPC's admissions as reported: Albania and Montenegro
/// (Board decision of 21 November 2024), Moldova and North Macedonia (March 2025), Serbia
/// (22 May 2025), which make the 41 countries of the scope. Kosovo and Bosnia and Herzegovina
/// have applied and are not in it yet; the Faroe Islands and Greenland (Danish, with IBAN codes
/// of their own) never were.
///
/// Only codes that begin an IBAN are listed. The territories in the scope bank under their
/// state's code: the Åland Islands under FI; the French overseas departments, Saint-Barthélemy,
/// Saint-Martin and Saint-Pierre-et-Miquelon under FR; Guernsey, Jersey and the Isle of Man
/// under GB; the Azores, Madeira, the Canaries, Ceuta and Melilla under PT and ES. Gibraltar
/// has its own, GI. One thing a prefix cannot tell: New Caledonia, French Polynesia and Wallis
/// and Futuna (outside the scope) also use FR IBANs, and their banks return such a transfer.
///
/// Kept by hand: the IBAN crates know formats, not the scope, and the SWIFT registry's "SEPA
/// member" column (which other libraries copy) lags the EPC's decisions. When the EPC admits a
/// country, add it here, in docs/OPERATIONS.md and in the test below.
// Laid out by hand: one group a line, as the EPC's list groups them.
#[rustfmt::skip]
pub const SEPA_COUNTRIES: &[&str] = &[
    // The European Union
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    // The rest of the EEA
    "IS", "LI", "NO",
    // Outside the EEA
    "AD", "CH", "GB", "MC", "SM", "VA",
    // Admitted in 2024 and 2025
    "AL", "MD", "ME", "MK", "RS",
    // A territory with an IBAN code of its own
    "GI",
];

/// Whether a (checked) IBAN's account can be paid by a SEPA credit transfer.
pub fn is_sepa_iban(iban: &str) -> bool {
    iban.get(..2)
        .is_some_and(|country| SEPA_COUNTRIES.contains(&country))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::payout::Iban;

    #[test]
    fn sepa_countries_in_and_others_out() {
        for iban in [
            "FR7630006000011234567890189",
            "CH9300762011623852957",
            "GB29NWBK60161331926819",
            "GI75NWBK000000007099453",
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

    /// The countries the EPC admitted in 2024 and 2025: a creator there can be paid by the
    /// file, from the IBAN they type to the batch's filter.
    #[test]
    fn the_countries_admitted_in_2024_and_2025_are_paid_by_sepa() {
        for iban in [
            "AL47212110090000000235698741",
            "ME25505000012345678951",
            "MD24AG000225100013104168",
            "MK07250120000058984",
            "RS35260005601001611379",
        ] {
            let typed = Iban::parse(iban).expect("a valid IBAN");
            assert!(is_sepa_iban(typed.as_str()), "{iban}");
        }
    }

    /// Valid IBANs of places outside the scope: Kosovo and Bosnia and Herzegovina (applied,
    /// not admitted), the Faroe Islands and Greenland (Danish, never in it).
    #[test]
    fn neighbours_outside_the_scope_stay_out() {
        for iban in [
            "XK051212012345678906",
            "BA391290079401028494",
            "FO6264600001631634",
            "GL8964710001000206",
        ] {
            let typed = Iban::parse(iban).expect("a valid IBAN");
            assert!(!is_sepa_iban(typed.as_str()), "{iban}");
        }
    }

    /// A territory's own ISO code (AX, GF, PM, JE…) begins no IBAN, since its accounts use its
    /// state's: listing it would only suggest it is checked.
    #[test]
    fn the_41_countries_and_gibraltar_and_no_territory_code() {
        for code in [
            "AX", "GF", "GP", "MQ", "RE", "YT", "BL", "MF", "PM", "GG", "JE", "IM",
        ] {
            assert!(!SEPA_COUNTRIES.contains(&code), "{code}");
        }
        // Åland's, Guiana's and Jersey's accounts written with their own code (check digits
        // right): no such IBAN exists, and none is taken.
        for iban in [
            "AX2112345600000785",
            "GF4120041010050500013M02606",
            "JE90NWBK60161331926819",
        ] {
            assert!(Iban::parse(iban).is_err(), "{iban}");
        }
        assert_eq!(SEPA_COUNTRIES.len(), 41 + 1, "41 countries and Gibraltar");
    }
}
