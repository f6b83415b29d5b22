//! The chart's axis: how often months are labelled, and round amounts for the scale.

use super::GAP;
use crate::domain::{Currency, Locale, Money};

/// How many months share one label so that labels `widest` units wide do not touch in slots
/// `slot` units wide: 1 (every month), 2, 3…
pub(super) fn label_every(widest: i32, slot: i32) -> usize {
    let needed = widest + GAP;
    let mut every = 1;
    while i32::try_from(every)
        .unwrap_or(i32::MAX)
        .saturating_mul(slot)
        < needed
        && every < 12
    {
        every += 1;
    }
    every
}

/// The axis's amounts, from zero to `top` (1, 2 or 5 times a power of ten cents) in round
/// steps: fifths of 1 and 5, quarters of 2.
pub(super) fn ticks(top: i64) -> Vec<i64> {
    let steps = match first_digit(top) {
        2 => 4,
        _ => 5,
    };
    (0..=steps).map(|i| top / steps * i).collect()
}

fn first_digit(mut value: i64) -> i64 {
    while value >= 10 {
        value /= 10;
    }
    value
}

/// An amount on the axis: without cents when every amount of the axis is whole.
pub(super) fn axis_amount(cents: i64, whole: bool, locale: Locale, currency: Currency) -> String {
    let text = Money::from_cents(cents)
        .unwrap_or(Money::ZERO)
        .format(locale, currency);
    if !whole {
        return text;
    }
    match locale {
        Locale::En => text.strip_suffix(".00").map_or(text.clone(), str::to_owned),
        Locale::Fr => text.replacen(",00 ", " ", 1),
    }
}

/// A round upper bound for the axis: 1, 2 or 5 times a power of ten cents, at least 1.00.
pub(super) fn nice_top(max_cents: i64) -> i64 {
    let mut step = 100;
    loop {
        for factor in [1, 2, 5] {
            let top = step * factor;
            if top >= max_cents || top >= i64::MAX / 10 {
                return top;
            }
        }
        step *= 10;
    }
}
