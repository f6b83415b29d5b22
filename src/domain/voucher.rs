//! Voucher codes: long, random, unambiguous (Crockford's base 32: no I, L, O or U), easy to
//! read aloud and to type, forgiving of case, spaces, dashes and look-alike letters.

use rand::Rng;

/// 32 symbols, 5 bits each.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// 20 symbols: 100 bits of randomness, beyond any guessing.
const SYMBOLS: usize = 20;
const GROUP: usize = 5;

/// A voucher code in its canonical form (20 symbols, no separators).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoucherCode(String);

impl VoucherCode {
    pub fn generate(rng: &mut impl Rng) -> VoucherCode {
        let code = (0..SYMBOLS)
            .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
            .collect();
        VoucherCode(code)
    }

    /// Reads what a person typed: case, spaces and dashes do not matter, and the look-alikes
    /// O → 0 and I, L → 1 are forgiven. `None` when it cannot be a code.
    pub fn parse(input: &str) -> Option<VoucherCode> {
        let mut code = String::with_capacity(SYMBOLS);
        for c in input.chars().filter(|c| !c.is_whitespace() && *c != '-') {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            };
            if !c.is_ascii() || !ALPHABET.contains(&u8::try_from(c).ok()?) {
                return None;
            }
            code.push(c);
        }
        (code.len() == SYMBOLS).then_some(VoucherCode(code))
    }

    /// The canonical form, which is what gets hashed.
    pub fn canonical(&self) -> &str {
        &self.0
    }

    /// Grouped for people: `ABCDE-FGHJK-MNPQR-STVWX`.
    pub fn display(&self) -> String {
        self.0
            .as_bytes()
            .chunks(GROUP)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn generated_codes_are_long_and_grouped() {
        let code = VoucherCode::generate(&mut rand::thread_rng());
        assert_eq!(code.canonical().len(), 20);
        let shown = code.display();
        assert_eq!(shown.len(), 23);
        assert_eq!(shown.matches('-').count(), 3);
        assert_ne!(code, VoucherCode::generate(&mut rand::thread_rng()));
    }

    #[test]
    fn typing_is_forgiving_but_not_lax() {
        let code = VoucherCode::parse("0123456789ABCDEFGHJK").expect("valid");
        assert_eq!(
            VoucherCode::parse("o1234-56789-abcde-fghjk"),
            Some(code.clone())
        );
        assert_eq!(VoucherCode::parse(" 0l23 4567 89AB CDEF GHJK "), Some(code));
        assert_eq!(VoucherCode::parse("0123456789ABCDEFGHJ"), None, "too short");
        assert_eq!(
            VoucherCode::parse("0123456789ABCDEFGHJKU"),
            None,
            "too long"
        );
        assert_eq!(
            VoucherCode::parse("0123456789ABCDEFGHJU"),
            None,
            "U is not a symbol"
        );
        assert_eq!(VoucherCode::parse("0123456789ABCDEFGHJÉ"), None);
    }

    proptest! {
        #[test]
        fn displayed_codes_parse_back(seed in any::<u64>()) {
            use rand::SeedableRng;
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let code = VoucherCode::generate(&mut rng);
            prop_assert_eq!(VoucherCode::parse(&code.display()), Some(code.clone()));
            prop_assert_eq!(VoucherCode::parse(&code.display().to_lowercase()), Some(code));
        }
    }
}
