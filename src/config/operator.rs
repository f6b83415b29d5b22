//! Who runs the instance, as printed statements name them: `OBOLE_INSTANCE_NAME`,
//! `OBOLE_OPERATOR_LEGAL_NAME` and `OBOLE_OPERATOR_ADDRESS`.
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
    Ok(Operator {
        instance_name,
        legal_name,
        address,
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
    const KEY: &str = "operator_address";
    let lines: Vec<String> = text
        .replace("\\n", "\n")
        .lines()
        .map(|line| one_line(KEY, line, MAX_LINE_CHARS))
        .filter(|line| line.as_ref().map_or(true, |l| !l.is_empty()))
        .collect::<Result<_, _>>()?;
    if lines.len() > MAX_ADDRESS_LINES {
        return Err(ConfigError::new(
            KEY,
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
        ] {
            let error = with(&[(key, value)]).expect_err(key);
            let variable = format!("OBOLE_{}", key.to_ascii_uppercase());
            assert!(error.to_string().starts_with(&variable), "{error}");
        }
    }
}
