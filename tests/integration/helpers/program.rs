//! Running the project's own binaries, as an operator would.

use std::process::Command;

/// `program` (a `CARGO_BIN_EXE_*` path) with no `OBOLE_*` variable inherited from the test
/// run, and quiet logs: each test sets only what it means.
pub fn program(path: &str) -> Command {
    let mut command = Command::new(path);
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("OBOLE_")) {
        command.env_remove(name);
    }
    command.env("OBOLE_LOG", "warn");
    command
}
