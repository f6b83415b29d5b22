//! Starting the test peers that `tests/run.sh` installs: each test starts its own on a free
//! port and stops it (killing the process) when it ends. Without the peer a test is skipped,
//! except under CI, where a missing peer is a failure.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A peer process, killed when dropped.
pub struct Peer {
    pub port: u16,
    child: Child,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The program an environment variable names, or `None` (with a note) outside CI.
pub fn program(variable: &str, what: &str) -> Option<String> {
    match std::env::var(variable) {
        Ok(path) => Some(path),
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but {variable} is not: run the suite through tests/run.sh"
            );
            eprintln!("skipped: no {variable} (tests/run.sh installs {what})");
            None
        }
    }
}

/// Starts `command` and waits (at most 30 s) until `ready_path` answers on its port.
pub async fn start(mut command: Command, port: u16, ready_path: &str) -> Peer {
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the peer");
    let peer = Peer { port, child };
    let url = format!("http://127.0.0.1:{port}{ready_path}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if reqwest::get(&url).await.is_ok() {
            return peer;
        }
        assert!(Instant::now() < deadline, "{url} did not answer");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
