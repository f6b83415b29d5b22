//! `obole receipts verify`: a saved receipt checked offline, with no database and no
//! configuration; and docs/TRANSPARENCY.md's Python verifier run on the same files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use obole::domain::merkle::{self, Hash};
use obole::domain::receipt::{Receipt, ReceiptLeaf};
use obole::domain::{Money, Month, ThingId, UserId};

use crate::helpers::program::program;

/// A month of five charged readers; the receipt of the fourth (leaf 3, whose path has a
/// sibling on each side).
fn a_receipt() -> Receipt {
    let month = Month::new(2026, 10).expect("month");
    let leaves: Vec<ReceiptLeaf> = (1..=5)
        .map(|reader| {
            let shares = [
                (ThingId(reader * 10), Money::from_micros(1_500_000)),
                (ThingId(7), Money::from_micros(666_667)),
            ];
            ReceiptLeaf::new(
                month,
                UserId(reader),
                Money::from_micros(2_166_667),
                &shares,
            )
        })
        .collect();
    let hashes: Vec<Hash> = leaves.iter().map(ReceiptLeaf::hash).collect();
    let path = merkle::audit_path(&hashes, 3).expect("path");
    Receipt::new(&leaves[3], 3, 5, &path, &merkle::root(&hashes))
}

/// `receipt` saved as JSON in `dir`.
fn saved(dir: &Path, name: &str, receipt: &Receipt) -> PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, serde_json::to_vec_pretty(receipt).expect("json")).expect("write");
    file
}

/// `obole receipts verify` run in `dir` with no `OBOLE_*` variable at all.
fn verify(dir: &Path, file: &Path, root: Option<&str>) -> Output {
    let mut command = program(env!("CARGO_BIN_EXE_obole"));
    command.env_remove("OBOLE_LOG").current_dir(dir);
    command.args(["receipts", "verify"]).arg(file);
    if let Some(root) = root {
        command.args(["--root", root]);
    }
    command.output().expect("run obole receipts verify")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Expects `receipt` refused with exit code 1 and `reason` in the message.
fn assert_refused(receipt: &Receipt, root: Option<&str>, reason: &str) {
    let dir = tempfile::tempdir().expect("dir");
    let file = saved(dir.path(), "receipt.json", receipt);
    let output = verify(dir.path(), &file, root);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(reason),
        "{reason}: {}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_valid_receipt_verifies_with_no_database_and_no_configuration() {
    let receipt = a_receipt();
    let dir = tempfile::tempdir().expect("dir");
    let file = saved(dir.path(), "receipt.json", &receipt);
    for root in [None, Some(receipt.root.as_str())] {
        let output = verify(dir.path(), &file, root);
        assert!(output.status.success(), "{}", stderr(&output));
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.starts_with(&format!(
                "receipt verified: reader 4, month 2026-10, leaf 3 of 5, root {}",
                receipt.root
            )),
            "{stdout}"
        );
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|entry| entry.expect("entry").file_name())
        .collect();
    assert_eq!(left, ["receipt.json"], "no data folder, no database file");
}

#[test]
fn a_tampered_amount_fails_with_its_reason() {
    let mut receipt = a_receipt();
    receipt.allocations[0].amount = "0.766667".into();
    assert_refused(&receipt, None, "allocations");
}

#[test]
fn a_tampered_leaf_fails_with_its_reason() {
    let mut receipt = a_receipt();
    receipt.leaf = receipt.leaf.replace(":666667", ":666668");
    assert_refused(&receipt, None, "the leaf's allocations");

    // Fields made to agree with the changed leaf: its hash gives it away; and with that hash
    // recomputed too, the proof does.
    receipt.allocations[0].amount = "0.666668".into();
    receipt.leaf = receipt.leaf.replace("|2166667|", "|2166668|");
    receipt.debited = "2.166668".into();
    assert_refused(&receipt, None, "leaf_hash is not the hash of the leaf");
    receipt.leaf_hash = hex::encode(merkle::leaf_hash(receipt.leaf.as_bytes()));
    assert_refused(&receipt, None, "the proof does not lead to the root");
}

#[test]
fn a_tampered_proof_element_fails_with_its_reason() {
    let mut receipt = a_receipt();
    let first = receipt.proof[0].clone();
    receipt.proof[0] = format!(
        "{}{}",
        &first[..63],
        if first.ends_with('0') { "1" } else { "0" }
    );
    assert_refused(&receipt, None, "the proof does not lead to the root");
}

#[test]
fn a_tampered_index_fails_with_its_reason() {
    let mut receipt = a_receipt();
    receipt.index = 2;
    assert_refused(&receipt, None, "the proof does not lead to the root");
    receipt.index = 5;
    assert_refused(&receipt, None, "is not inside a tree of 5 leaves");
}

#[test]
fn a_wrong_root_fails_with_its_reason() {
    let receipt = a_receipt();
    let other = "ab".repeat(32);
    assert_refused(&receipt, Some(&other), "is not the published root");
}

#[test]
fn an_unreadable_or_invalid_file_exits_2() {
    let dir = tempfile::tempdir().expect("dir");
    let missing = verify(dir.path(), &dir.path().join("missing.json"), None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("cannot read"),
        "{}",
        stderr(&missing)
    );
    let file = dir.path().join("bad.json");
    std::fs::write(&file, r#"{"month": "2026-10"}"#).expect("write");
    let invalid = verify(dir.path(), &file, None);
    assert_eq!(invalid.status.code(), Some(2));
    assert!(stderr(&invalid).contains("is not a receipt's JSON"));
}

/// The Python verifier of docs/TRANSPARENCY.md, run as an outsider would.
fn python_verifier(dir: &Path) -> PathBuf {
    let doc = include_str!("../../docs/TRANSPARENCY.md");
    let snippet = doc
        .split("```python\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the Python verifier");
    let script = dir.join("verify.py");
    std::fs::write(&script, snippet).expect("write the script");
    script
}

#[test]
fn the_documented_python_verifier_accepts_a_receipt_and_rejects_a_tampered_one() {
    let dir = tempfile::tempdir().expect("dir");
    let script = python_verifier(dir.path());
    let receipt = a_receipt();
    let good = saved(dir.path(), "good.json", &receipt);
    let python = |file: &Path, root: Option<&str>| {
        let mut command = Command::new("python3");
        command.arg(&script).arg(file).args(root);
        command.output().expect("python3")
    };
    let accepted = python(&good, None);
    assert!(accepted.status.success(), "{}", stderr(&accepted));
    assert_eq!(String::from_utf8_lossy(&accepted.stdout), "ok\n");
    assert!(python(&good, Some(&receipt.root)).status.success());

    let mut tampered = receipt.clone();
    tampered.leaf = tampered.leaf.replace(":666667", ":666668");
    let file = saved(dir.path(), "tampered.json", &tampered);
    let rejected = python(&file, None);
    assert_eq!(rejected.status.code(), Some(1));
    assert!(
        stderr(&rejected).starts_with("rejected:"),
        "{}",
        stderr(&rejected)
    );

    let mut moved = receipt.clone();
    moved.index = 2;
    let file = saved(dir.path(), "moved.json", &moved);
    assert_eq!(python(&file, None).status.code(), Some(1));
    assert_eq!(python(&good, Some(&"ab".repeat(32))).status.code(), Some(1));
}
