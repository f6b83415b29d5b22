//! Parsing, formatting and arithmetic of amounts (`money.rs`).

use super::*;
use proptest::prelude::*;

fn parse(s: &str) -> Result<i64, AmountError> {
    Money::parse_user_amount(s).map(Money::micros)
}

#[test]
fn accepts_whole_units_and_cents() {
    assert_eq!(parse("2"), Ok(2_000_000));
    assert_eq!(parse("2.00"), Ok(2_000_000));
    assert_eq!(parse("2.5"), Ok(2_500_000));
    assert_eq!(parse("2,50"), Ok(2_500_000));
    assert_eq!(parse(" 10.01 "), Ok(10_010_000));
    assert_eq!(parse("0.01"), Ok(10_000));
}

#[test]
fn refuses_what_is_not_a_plain_amount() {
    for bad in [
        "", " ", "abc", "-5", "+5", "1e3", "2.", ".5", "2.0.0", "2,5,0", "1 000", "0x10",
    ] {
        assert!(parse(bad).is_err(), "{bad:?} should be refused");
    }
    assert_eq!(parse("2.005"), Err(AmountError::FinerThanCents));
    assert_eq!(parse("99999999999999999999"), Err(AmountError::TooLarge));
}

#[test]
fn api_strings_keep_sub_cent_precision() {
    assert_eq!(Money::from_micros(2_000_000).to_api_string(), "2.00");
    assert_eq!(Money::from_micros(666_667).to_api_string(), "0.666667");
    assert_eq!(Money::from_micros(123_400).to_api_string(), "0.1234");
    assert_eq!(Money::from_micros(-1_500_000).to_api_string(), "-1.50");
    assert_eq!(Money::ZERO.to_api_string(), "0.00");
}

#[test]
fn display_rounding_goes_to_the_nearest_cent() {
    assert_eq!(
        Money::from_micros(666_667)
            .rounded_to_cent()
            .to_api_string(),
        "0.67"
    );
    assert_eq!(
        Money::from_micros(665_000)
            .rounded_to_cent()
            .to_api_string(),
        "0.67"
    );
    assert_eq!(
        Money::from_micros(664_999)
            .rounded_to_cent()
            .to_api_string(),
        "0.66"
    );
    assert_eq!(
        Money::from_micros(2_000_000)
            .rounded_to_cent()
            .to_api_string(),
        "2.00"
    );
}

#[test]
fn formats_per_locale() {
    let ten = Money::from_micros(10_000_000);
    assert_eq!(ten.format(Locale::Fr, Currency::Eur), "10,00 €");
    assert_eq!(ten.format(Locale::En, Currency::Eur), "€10.00");
    let big = Money::from_micros(1_234_567_890_000);
    assert_eq!(big.format(Locale::En, Currency::Eur), "€1,234,567.89");
    assert_eq!(big.format(Locale::Fr, Currency::Eur), "1 234 567,89 €");
    assert_eq!(
        Money::from_micros(-20_000).format(Locale::En, Currency::Eur),
        "-€0.02"
    );
}

proptest! {
    #[test]
    fn typed_cents_round_trip_through_the_api_string(cents in 0i64..100_000_000_000) {
        let money = Money::from_cents(cents).expect("in range");
        let text = money.to_api_string();
        prop_assert_eq!(Money::parse_user_amount(&text), Ok(money));
    }

    #[test]
    fn anything_finer_than_a_cent_is_refused(units in 0u32..100_000, sub in 1u32..1000) {
        let text = format!("{units}.{:03}", sub);
        if sub % 10 != 0 {
            prop_assert_eq!(parse(&text), Err(AmountError::FinerThanCents));
        }
    }

    #[test]
    fn api_string_parses_back_exactly(micros in any::<i64>()) {
        let text = Money::from_micros(micros).to_api_string();
        let decimal = Decimal::from_str(&text).expect("decimal");
        prop_assert_eq!(decimal, Money::from_micros(micros).to_decimal());
    }

    #[test]
    fn parsing_never_panics(text in "\\PC{0,24}") {
        let _ = Money::parse_user_amount(&text);
    }
}

#[test]
fn a_sum_that_leaves_the_range_is_none() {
    let big = Money::from_micros(i64::MAX - 1);
    assert_eq!(
        Money::checked_sum([big, Money::from_micros(1)]),
        Some(Money::from_micros(i64::MAX))
    );
    assert_eq!(Money::checked_sum([big, Money::from_micros(2)]), None);
    assert_eq!(Money::checked_sum([]), Some(Money::ZERO));
}
