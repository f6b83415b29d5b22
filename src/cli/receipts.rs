//! `obole receipts verify FILE [--root HEX]`: a saved receipt checked offline, with no
//! database and no configuration (docs/TRANSPARENCY.md, "Checking a receipt").
//!
//! Exit codes: 0 the receipt holds; 1 it does not, and standard error says which check
//! failed; 2 the file cannot be read or is not a receipt's JSON (as clap's usage errors).

use std::path::Path;
use std::process::ExitCode;

use crate::domain::receipt::Receipt;

pub(super) fn verify(file: &Path, root: Option<&str>) -> ExitCode {
    let receipt = match read(file) {
        Ok(receipt) => receipt,
        Err(reason) => {
            eprintln!("obole: {reason}");
            return ExitCode::from(2);
        }
    };
    match receipt.check(root) {
        Ok(()) => {
            println!(
                "receipt verified: reader {}, month {}, leaf {} of {}, root {}{}",
                receipt.reader_id,
                receipt.month,
                receipt.index,
                receipt.tree_size,
                receipt.root,
                if root.is_some() {
                    " (the published root)"
                } else {
                    " (the receipt's own root: give --root to compare it with the published one)"
                }
            );
            ExitCode::SUCCESS
        }
        Err(reason) => {
            eprintln!("obole: the receipt does not hold: {reason}");
            ExitCode::FAILURE
        }
    }
}

fn read(file: &Path) -> Result<Receipt, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    serde_json::from_str(&text)
        .map_err(|e| format!("{} is not a receipt's JSON: {e}", file.display()))
}
