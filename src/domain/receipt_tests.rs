//! Receipts: the leaf's one spelling, the contract's JSON, the check and what it refuses, and
//! docs/TRANSPARENCY.md's worked example (`receipt.rs`).

use super::*;
use crate::domain::merkle::{audit_path, root};
use proptest::prelude::*;

const DOC: &str = include_str!("../../docs/TRANSPARENCY.md");

fn october() -> Month {
    Month::new(2026, 10).expect("month")
}

fn m(micros: i64) -> Money {
    Money::from_micros(micros)
}

/// docs/TRANSPARENCY.md's two readers, in leaf order.
fn example_leaves() -> [ReceiptLeaf; 2] {
    [
        ReceiptLeaf::new(
            october(),
            UserId(12),
            m(2_000_000),
            &[
                (ThingId(8), m(666_666)),
                (ThingId(3), m(666_667)),
                (ThingId(5), m(666_667)),
            ],
        ),
        ReceiptLeaf::new(
            october(),
            UserId(31),
            m(5_000_000),
            &[(ThingId(3), m(3_000_000)), (ThingId(8), m(2_000_000))],
        ),
    ]
}

fn decode(text: &str) -> Hash {
    let mut hash = [0; 32];
    hex::decode_to_slice(text, &mut hash).expect("hex hash");
    hash
}

/// The receipt of leaf `index` of `leaves`.
fn receipt_of(leaves: &[ReceiptLeaf], index: usize) -> Receipt {
    let hashes: Vec<Hash> = leaves.iter().map(ReceiptLeaf::hash).collect();
    let path = audit_path(&hashes, index).expect("path");
    let size = u64::try_from(leaves.len()).expect("size");
    let position = u64::try_from(index).expect("index");
    Receipt::new(&leaves[index], position, size, &path, &root(&hashes))
}

#[test]
fn the_leaf_sorts_allocations_and_writes_micro_units() {
    assert_eq!(
        leaf_text(
            october(),
            UserId(12),
            m(2_000_000),
            &[(ThingId(8), m(666_666)), (ThingId(3), m(1_333_334))]
        ),
        "obole-receipt-v1|2026-10|12|2000000|3:1333334,8:666666"
    );
    assert_eq!(
        leaf_text(october(), UserId(4), Money::ZERO, &[]),
        "obole-receipt-v1|2026-10|4|0|"
    );
}

#[test]
fn the_receipt_has_the_contracts_fields_and_amounts() {
    let receipt = receipt_of(&example_leaves(), 0);
    let json = serde_json::to_value(&receipt).expect("json");
    let keys: Vec<&str> = json
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = [
        "month",
        "reader_id",
        "debited",
        "allocations",
        "leaf",
        "leaf_hash",
        "index",
        "tree_size",
        "proof",
        "root",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(json["reader_id"], 12);
    assert_eq!(json["debited"], "2.00");
    assert_eq!(
        json["allocations"][0],
        serde_json::json!({"thing_id": 3, "amount": "0.666667"})
    );
    assert_eq!(receipt.check(None), Ok(()));
}

#[test]
fn the_worked_example_of_the_documentation_is_what_the_code_computes() {
    let leaves = example_leaves();
    let receipts = [receipt_of(&leaves, 0), receipt_of(&leaves, 1)];
    for (index, receipt) in receipts.iter().enumerate() {
        // The table's row: `| index | reader | leaf (with `\|`) | leaf hash |`.
        let row = format!(
            "| {index} | {} | `{}` | `{}` |",
            receipt.reader_id,
            receipt.leaf.replace('|', "\\|"),
            receipt.leaf_hash
        );
        assert!(DOC.contains(&row), "docs/TRANSPARENCY.md lacks {row}");
        let proof = format!("`[\"{}\"]`", receipt.proof.join("\", \""));
        assert!(DOC.contains(&proof), "docs/TRANSPARENCY.md lacks {proof}");
    }
    let root_line = format!("root: {}", receipts[0].root);
    assert!(
        DOC.contains(&root_line),
        "docs/TRANSPARENCY.md lacks {root_line}"
    );

    let block = DOC
        .split("```json\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the example receipt");
    let documented: Receipt = serde_json::from_str(block).expect("a receipt");
    assert_eq!(documented, receipts[0]);
    assert_eq!(documented.check(Some(&receipts[1].root)), Ok(()));
}

#[test]
fn each_check_says_what_failed() {
    let good = receipt_of(&example_leaves(), 0);
    let with = |change: fn(&mut Receipt)| {
        let mut receipt = good.clone();
        change(&mut receipt);
        receipt.check(None)
    };
    assert!(matches!(
        with(|r| r.debited = "2.0".into()),
        Err(ReceiptError::DebitedMismatch { .. })
    ));
    assert!(matches!(
        with(|r| r.allocations[2].amount = "0.666665".into()),
        Err(ReceiptError::AllocationsMismatch { .. })
    ));
    assert!(matches!(
        with(|r| r.allocations.swap(0, 1)),
        Err(ReceiptError::AllocationsMismatch { .. })
    ));
    assert!(matches!(
        with(|r| r.month = "2026-11".into()),
        Err(ReceiptError::MonthMismatch { .. })
    ));
    assert!(matches!(
        with(|r| r.month = "October".into()),
        Err(ReceiptError::BadMonth(_))
    ));
    assert!(matches!(
        with(|r| r.reader_id = UserId(13)),
        Err(ReceiptError::ReaderMismatch { .. })
    ));
    assert!(matches!(
        with(|r| r.leaf = r.leaf.replacen("|12|", "|012|", 1)),
        Err(ReceiptError::MalformedLeaf(_))
    ));
    assert!(matches!(
        with(|r| r.leaf_hash = r.leaf_hash.to_uppercase()),
        Err(ReceiptError::BadHash(field)) if field == "leaf_hash"
    ));
    assert!(matches!(
        with(|r| r.proof[0] = r.leaf_hash.clone()),
        Err(ReceiptError::Proof(merkle::Error::RootMismatch))
    ));
    assert!(matches!(
        with(|r| r.index = 1),
        Err(ReceiptError::Proof(merkle::Error::RootMismatch))
    ));
    assert!(matches!(
        with(|r| r.index = 2),
        Err(ReceiptError::Proof(merkle::Error::IndexOutOfRange { .. }))
    ));
    assert!(matches!(
        with(|r| r.proof.clear()),
        Err(ReceiptError::Proof(merkle::Error::PathTooShort))
    ));
    assert!(matches!(
        good.check(Some(&"00".repeat(32))),
        Err(ReceiptError::NotThePublishedRoot { .. })
    ));
    assert_eq!(good.check(Some(&good.root.to_uppercase())), Ok(()));
}

#[test]
fn a_leaf_whose_shares_do_not_add_up_is_refused_even_when_fields_agree() {
    let leaf = ReceiptLeaf::new(october(), UserId(7), m(2_000_000), &[(ThingId(1), m(1))]);
    let receipt = receipt_of(&[leaf], 0);
    assert!(matches!(
        receipt.check(None),
        Err(ReceiptError::AllocationsDoNotAddUp { .. })
    ));
}

#[test]
fn a_leaf_has_only_one_spelling() {
    for bad in [
        "obole-receipt-v2|2026-10|12|0|",
        "obole-receipt-v1|2026-10|12|0",
        "obole-receipt-v1|2026-10|12|0||",
        "obole-receipt-v1|2026-1|12|0|",
        "obole-receipt-v1|2026-10|+12|0|",
        "obole-receipt-v1|2026-10|12|-5|",
        "obole-receipt-v1|2026-10|12|2|1:1,1:1",
        "obole-receipt-v1|2026-10|12|2|2:1,1:1",
        "obole-receipt-v1|2026-10|12|2|1:1, 2:1",
        "obole-receipt-v1|2026-10|12|2|1:1,",
        "obole-receipt-v1|2026-10|12|2|1=2",
    ] {
        assert!(parse_leaf(bad).is_err(), "{bad}");
    }
    let [first, _] = example_leaves();
    assert_eq!(parse_leaf(&first.text()), Ok(first));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Issue 23: every receipt's path verifies, and any change to its leaf breaks it.
    #[test]
    fn every_receipt_holds_and_any_change_to_its_leaf_breaks_it(
        readers in prop::collection::vec(
            prop::collection::btree_map(1_i64..10_000, 0_i64..5_000_000, 0..6),
            1..40,
        ),
        pick: prop::sample::Index,
        at: prop::sample::Index,
        replacement in "[0-9a-z|:,]",
    ) {
        let leaves: Vec<ReceiptLeaf> = readers
            .iter()
            .enumerate()
            .map(|(reader, shares)| {
                let allocations: Vec<(ThingId, Money)> =
                    shares.iter().map(|(thing, micros)| (ThingId(*thing), m(*micros))).collect();
                let debited = Money::checked_sum(allocations.iter().map(|(_, a)| *a)).expect("sum");
                let reader = UserId(i64::try_from(reader).expect("id") + 1);
                ReceiptLeaf::new(october(), reader, debited, &allocations)
            })
            .collect();
        let index = pick.index(leaves.len());
        let receipt = receipt_of(&leaves, index);
        prop_assert_eq!(receipt.check(Some(&receipt.root)), Ok(()));

        let mut bytes = receipt.leaf.clone().into_bytes();
        let position = at.index(bytes.len());
        let replacement = replacement.as_bytes()[0];
        prop_assume!(bytes[position] != replacement);
        bytes[position] = replacement;
        let mut tampered = receipt.clone();
        tampered.leaf = String::from_utf8(bytes).expect("ascii");
        prop_assert!(tampered.check(None).is_err());
        // Even with its fields and hash made to agree, the changed leaf is not in the tree.
        if let Ok(leaf) = parse_leaf(&tampered.leaf) {
            let proof: Vec<Hash> = receipt.proof.iter().map(|p| decode(p)).collect();
            let forged = Receipt::new(
                &leaf,
                receipt.index,
                receipt.tree_size,
                &proof,
                &decode(&receipt.root),
            );
            let refused = matches!(
                forged.check(None),
                Err(ReceiptError::Proof(_) | ReceiptError::AllocationsDoNotAddUp { .. })
            );
            prop_assert!(refused, "a changed leaf passed with its old proof");
        }
    }
}
