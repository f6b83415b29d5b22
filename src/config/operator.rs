//! Who runs the instance, as printed statements name them: `OBOLE_INSTANCE_NAME`,
//! `OBOLE_OPERATOR_LEGAL_NAME` and `OBOLE_OPERATOR_ADDRESS`; and the charity it names, if any
//! (`OBOLE_CHARITY_NAME`, with `OBOLE_CHARITY_PAYOUT_DETAILS` for the operator: where to
//! send what readers gave it, such as an IBAN and its holder).
//!
//! An address has several lines. An environment variable can hold a line break, but most
//! tools that set one (systemd units, `.env` files, container definitions) make that awkward,
//! so the two characters `\n` also separate lines; so does a real line break (a TOML
//! multi-line string in `obole.toml`). Each line is trimmed and empty lines are dropped.

use super::ConfigError;

/// The longest instance name accepted, in characters.
const MAX_NAME_CHARS: usize = 80;
/// The longest legal name, and the longest address line, in characters.
const MAX_LINE_CHARS: usize = 200;
/// The most lines an address may have.
const MAX_ADDRESS_LINES: usize = 8;

/// The instance and its operator, for printed statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    /// The instance's name (default "Obole").
    pub instance_name: String,
    /// The operator's legal name: a person or a company (unset: not printed).
    pub legal_name: Option<String>,
    /// The operator's postal address, line by line (none: not printed).
    pub address: Vec<String>,
    /// The charity readers may give an idle month's budget (and their funds, when they leave)
    /// to; `None`: the instance names none, and that choice is refused (`no_charity`).
    pub charity: Option<Charity>,
}

/// The charity an instance names (PRODUCT.md money rule 6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charity {
    /// Its name, as readers see it.
    pub name: String,
    /// How the operator pays it, line by line (never shown to readers).
    pub payout_details: Vec<String>,
}

pub(super) fn operator(raw: &dyn Fn(&str) -> Option<String>) -> Result<Operator, ConfigError> {
    let instance_name = match raw("instance_name") {
        Some(text) => one_line("instance_name", &text, MAX_NAME_CHARS)?,
        None => "Obole".to_owned(),
    };
    let legal_name = raw("operator_legal_name")
        .map(|text| one_line("operator_legal_name", &text, MAX_LINE_CHARS))
        .transpose()?;
    let address = match raw("operator_address") {
        Some(text) => address(&text)?,
        None => Vec::new(),
    };
    let charity = raw("charity_name")
        .map(|text| one_line("charity_name", &text, MAX_NAME_CHARS))
        .transpose()?
        .filter(|name| !name.is_empty())
        .map(|name| {
            let payout_details = match raw("charity_payout_details") {
                Some(text) => lines("charity_payout_details", &text)?,
                None => Vec::new(),
            };
            Ok(Charity {
                name,
                payout_details,
            })
        })
        .transpose()?;
    Ok(Operator {
        instance_name,
        legal_name,
        address,
        charity,
    })
}

/// A trimmed single line of at most `max` characters, without control characters.
fn one_line(key: &str, text: &str, max: usize) -> Result<String, ConfigError> {
    let line = text.trim();
    if line.chars().any(char::is_control) {
        return Err(ConfigError::new(
            key,
            "must be one line, without control characters",
        ));
    }
    if line.chars().count() > max {
        return Err(ConfigError::new(
            key,
            format!("must be at most {max} characters long"),
        ));
    }
    Ok(line.to_owned())
}

fn address(text: &str) -> Result<Vec<String>, ConfigError> {
    lines("operator_address", text)
}

/// Lines separated by `\n` or line breaks, each trimmed, empty ones dropped.
fn lines(key: &str, text: &str) -> Result<Vec<String>, ConfigError> {
    let lines: Vec<String> = text
        .replace("\\n", "\n")
        .lines()
        .map(|line| one_line(key, line, MAX_LINE_CHARS))
        .filter(|line| line.as_ref().map_or(true, |l| !l.is_empty()))
        .collect::<Result<_, _>>()?;
    if lines.len() > MAX_ADDRESS_LINES {
        return Err(ConfigError::new(
            key,
            format!("must have at most {MAX_ADDRESS_LINES} lines (separated by \\n)"),
        ));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(&str, &str)]) -> Result<Operator, ConfigError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        operator(&move |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
    }

    #[test]
    fn unset_means_obole_and_nothing_printed() {
        let operator = with(&[]).expect("defaults");
        assert_eq!(operator.instance_name, "Obole");
        assert_eq!(operator.legal_name, None);
        assert!(operator.address.is_empty());
        assert_eq!(operator.charity, None);
    }

    #[test]
    fn a_charity_has_a_name_and_payout_details_for_the_operator() {
        let operator = with(&[
            ("charity_name", " Restos du Cœur "),
            (
                "charity_payout_details",
                "FR76 3000 6000 0112 3456 7890 189\\nLes Restos du Cœur",
            ),
        ])
        .expect("valid");
        let charity = operator.charity.expect("named");
        assert_eq!(charity.name, "Restos du Cœur");
        assert_eq!(
            charity.payout_details,
            ["FR76 3000 6000 0112 3456 7890 189", "Les Restos du Cœur"]
        );
        assert_eq!(
            with(&[("charity_name", "  ")]).expect("blank").charity,
            None
        );
    }

    #[test]
    fn an_address_splits_on_backslash_n_and_on_line_breaks() {
        let operator = with(&[
            ("instance_name", "  Obole Lyon "),
            ("operator_legal_name", "Association Obole Lyon"),
            (
                "operator_address",
                "12 rue de la Paix\\n69001 Lyon\n\n  France  ",
            ),
        ])
        .expect("valid");
        assert_eq!(operator.instance_name, "Obole Lyon");
        assert_eq!(
            operator.legal_name.as_deref(),
            Some("Association Obole Lyon")
        );
        assert_eq!(
            operator.address,
            ["12 rue de la Paix", "69001 Lyon", "France"]
        );
    }

    #[test]
    fn bad_values_name_their_variable() {
        let long = "x".repeat(201);
        let many = ["line"; 9].join("\\n");
        for (key, value) in [
            ("instance_name", "Obole\tLyon"),
            ("instance_name", &"n".repeat(81)),
            ("operator_legal_name", "Obole\nSAS"),
            ("operator_legal_name", &long),
            ("operator_address", &long),
            ("operator_address", "1 rue\u{7}"),
            ("operator_address", &many),
            ("charity_name", "Restos\ndu Cœur"),
        ] {
            let error = with(&[(key, value)]).expect_err(key);
            let variable = format!("OBOLE_{}", key.to_ascii_uppercase());
            assert!(error.to_string().starts_with(&variable), "{error}");
        }
    }
}
