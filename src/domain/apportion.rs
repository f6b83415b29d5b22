//! A whole amount shared out in proportion to weights, in integer micro-units, so that the
//! parts add up to the whole exactly.
//!
//! Statements use it for the platform fee: settlement takes the fee once on a creator's monthly
//! gross (`allocation::fee`, rounded down), never per thing, so a per-thing fee is only a way
//! of showing where that one fee came from. Rounding each thing's `amount × rate` on its own
//! would not add up to the fee that was taken; apportioning the fee itself does, and so the
//! per-thing nets add up to the net that was paid.
//!
//! **The rule** (largest remainder, as the budget split of money rule 3): each part gets
//! `⌊whole × weight ÷ Σ weights⌋`, and the micro-units left over go one each to the largest
//! remainders; equal remainders go in the order of the weights as given (statements list
//! things by id, so the same month always shows the same split).

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ApportionError {
    #[error("an amount to share out or a weight cannot be negative")]
    Negative,
    /// Something to share out and nothing to share it by.
    #[error("an amount cannot be shared out over weights that are all zero")]
    NoWeight,
}

/// Shares `whole` out over `weights` in proportion: one part per weight, in the same order,
/// each `⌊whole × weight ÷ Σ⌋` or one more, summing to `whole` exactly. A zero weight gets
/// zero. When `whole ≤ Σ weights` (a fee never exceeds its gross), no part exceeds its weight.
pub fn apportion(whole: i64, weights: &[i64]) -> Result<Vec<i64>, ApportionError> {
    if whole < 0 || weights.iter().any(|w| *w < 0) {
        return Err(ApportionError::Negative);
    }
    // i128: the products of two i64 amounts, and the sum of many, cannot overflow it.
    let total: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    if total == 0 {
        return match whole {
            0 => Ok(vec![0; weights.len()]),
            _ => Err(ApportionError::NoWeight),
        };
    }
    let whole = i128::from(whole);
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for (at, weight) in weights.iter().enumerate() {
        let product = whole * i128::from(*weight);
        parts.push(product / total);
        remainders.push((product % total, at));
    }
    let given: i128 = parts.iter().sum();
    // Fewer than `weights.len()` units: each remainder is below `total`, so their sum is below
    // `len × total`, and the units left are that sum divided by `total`.
    let left = usize::try_from(whole - given).unwrap_or(0);
    // Largest remainder first; among equals, the earlier weight.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, at) in remainders.iter().take(left) {
        if let Some(part) = parts.get_mut(at) {
            *part += 1;
        }
    }
    // Each part is at most `whole`, an i64.
    Ok(parts
        .into_iter()
        .map(|part| i64::try_from(part).unwrap_or(i64::MAX))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_fee_is_shared_out_in_proportion_and_adds_up() {
        // 10 % of 3.000001 EUR is 0.300000 (rounded down): 0.1 + 0.1 + 0.1.
        assert_eq!(
            apportion(300_000, &[1_000_001, 1_000_000, 1_000_000]),
            Ok(vec![100_000, 100_000, 100_000])
        );
        // Two units left over go to the largest remainders (2/3, then 1/3 before 0).
        assert_eq!(apportion(5, &[1, 1, 1]), Ok(vec![2, 2, 1]));
        assert_eq!(apportion(7, &[2, 5, 0]), Ok(vec![2, 5, 0]));
        assert_eq!(apportion(1, &[1, 3]), Ok(vec![0, 1]));
        assert_eq!(apportion(0, &[4, 6]), Ok(vec![0, 0]));
        assert_eq!(apportion(0, &[]), Ok(vec![]));
        assert_eq!(apportion(0, &[0, 0]), Ok(vec![0, 0]));
    }

    #[test]
    fn equal_remainders_go_to_the_earlier_weight() {
        assert_eq!(apportion(1, &[5, 5]), Ok(vec![1, 0]));
        assert_eq!(apportion(2, &[1, 1, 1, 1]), Ok(vec![1, 1, 0, 0]));
    }

    #[test]
    fn bad_input_is_refused() {
        assert_eq!(apportion(-1, &[1]), Err(ApportionError::Negative));
        assert_eq!(apportion(1, &[2, -1]), Err(ApportionError::Negative));
        assert_eq!(apportion(1, &[0, 0]), Err(ApportionError::NoWeight));
        assert_eq!(apportion(1, &[]), Err(ApportionError::NoWeight));
    }

    #[test]
    fn the_largest_amounts_do_not_overflow() {
        let parts = apportion(i64::MAX, &[i64::MAX, i64::MAX, 1]).expect("parts");
        assert_eq!(
            parts.iter().map(|p| i128::from(*p)).sum::<i128>(),
            i128::from(i64::MAX)
        );
    }

    proptest! {
        #[test]
        fn the_parts_always_add_up_to_the_whole(
            weights in proptest::collection::vec(0_i64..1_000_000_000_000, 1..60),
            share in 0_u32..=100,
        ) {
            let total: i64 = weights.iter().sum();
            // A fee: any part of the gross, down to nothing.
            let whole = total / 100 * i64::from(share);
            let parts = apportion(whole, &weights).expect("parts");
            prop_assert_eq!(parts.len(), weights.len());
            prop_assert_eq!(parts.iter().sum::<i64>(), whole);
            for (part, weight) in parts.iter().zip(&weights) {
                // Within one unit of the exact share, never more than the weight, never negative.
                let exact = i128::from(whole) * i128::from(*weight);
                let floor = exact / i128::from(total);
                prop_assert!(i128::from(*part) == floor || i128::from(*part) == floor + 1);
                prop_assert!(*part >= 0 && *part <= *weight);
            }
            // What is left of each weight (a thing's net) adds up to what is left of the total.
            let rests: i64 = parts.iter().zip(&weights).map(|(p, w)| w - p).sum();
            prop_assert_eq!(rests, total - whole);
        }

        #[test]
        fn any_whole_over_any_weights_adds_up(
            whole in 0_i64..=i64::MAX,
            weights in proptest::collection::vec(0_i64..=i64::MAX, 1..20),
        ) {
            prop_assume!(weights.iter().any(|w| *w > 0));
            let parts = apportion(whole, &weights).expect("parts");
            let sum: i128 = parts.iter().map(|p| i128::from(*p)).sum();
            prop_assert_eq!(sum, i128::from(whole));
        }
    }
}
