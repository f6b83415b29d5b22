//! A real SMTP server for tests: maildev 2.2.1 (installed by `tests/run.sh`, which exports
//! `OBOLE_TEST_MAILDEV`), one per test on ports of its own, read through its HTTP API. Without
//! it a mail test is skipped, except under CI, where a missing server is a failure.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub struct MailServer {
    pub smtp_port: u16,
    web_port: u16,
    child: Child,
    _folder: tempfile::TempDir,
}

/// A port nobody listens on now (the server that will use it starts later).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The maildev program, or `None` (with a note) outside CI.
fn program() -> Option<String> {
    match std::env::var("OBOLE_TEST_MAILDEV") {
        Ok(path) => Some(path),
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but OBOLE_TEST_MAILDEV is not: run the suite through tests/run.sh"
            );
            eprintln!("skipped: no OBOLE_TEST_MAILDEV (tests/run.sh installs maildev)");
            None
        }
    }
}

impl MailServer {
    pub async fn start() -> Option<MailServer> {
        MailServer::launch(None, &[]).await
    }

    /// Starts on a given SMTP port: a test can point Obole at a port first and start the
    /// server later, as when a mail server comes back after an outage.
    pub async fn start_on(smtp_port: u16) -> Option<MailServer> {
        MailServer::launch(Some(smtp_port), &[]).await
    }

    /// Starts with TLS from the first byte (`smtps://`) and AUTH: a certificate made for
    /// 127.0.0.1 (`tls.cert`, `tls.key` in `folder`; `tls.cert` is its own authority), and the
    /// account `user`/`password`.
    pub async fn start_secure(folder: &Path, user: &str, password: &str) -> Option<MailServer> {
        program()?;
        make_certificate(folder);
        let cert = folder.join("tls.cert");
        let key = folder.join("tls.key");
        let args = [
            "--incoming-secure".as_ref(),
            "--incoming-cert".as_ref(),
            cert.as_os_str(),
            "--incoming-key".as_ref(),
            key.as_os_str(),
            "--incoming-user".as_ref(),
            user.as_ref(),
            "--incoming-pass".as_ref(),
            password.as_ref(),
        ];
        MailServer::launch(None, &args).await
    }

    /// Starts maildev, on `smtp_port` or a free one. A port found free can be taken before
    /// maildev binds it (the suite's own connections draw from the same range), and maildev
    /// then exits: it is started again on other ports (the SMTP port stays when it was
    /// given), up to three times, and the last failure says what maildev printed.
    async fn launch(smtp_port: Option<u16>, extra: &[&OsStr]) -> Option<MailServer> {
        let program = program()?;
        let mut attempt = 1;
        loop {
            let smtp_port = smtp_port.unwrap_or_else(free_port);
            match MailServer::try_launch(&program, smtp_port, extra).await {
                Ok(server) => return Some(server),
                Err(why) if attempt < 3 => {
                    eprintln!("maildev did not start ({why}); trying other ports");
                    attempt += 1;
                }
                Err(why) => panic!("maildev did not start: {why}"),
            }
        }
    }

    async fn try_launch(
        program: &str,
        smtp_port: u16,
        extra: &[&OsStr],
    ) -> Result<MailServer, String> {
        let web_port = free_port();
        let folder = tempfile::tempdir().expect("mail folder");
        let mail = folder.path().join("mail");
        std::fs::create_dir(&mail).expect("mail directory");
        let errors = folder.path().join("maildev.err");
        let child = Command::new(program)
            .args(["--ip", "127.0.0.1", "--smtp"])
            .arg(smtp_port.to_string())
            .arg("--web")
            .arg(web_port.to_string())
            .arg("--mail-directory")
            .arg(&mail)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&errors).expect("maildev's error file"))
            .spawn()
            .expect("start maildev");
        let mut server = MailServer {
            smtp_port,
            web_port,
            child,
            _folder: folder,
        };
        let smtp_ready = smtp_listening(&mut server.child);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if reqwest::get(server.api("/healthz")).await.is_ok()
                && smtp_ready.load(Ordering::Acquire)
            {
                return Ok(server);
            }
            // Dropping the server stops maildev if it still runs.
            if let Ok(Some(status)) = server.child.try_wait() {
                let printed = std::fs::read_to_string(&errors).unwrap_or_default();
                return Err(format!("it exited ({status}): {}", printed.trim()));
            }
            if Instant::now() >= deadline {
                return Err("not ready after 30 s".to_owned());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn api(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.web_port)
    }

    /// Every message received so far, as maildev describes them (`to`, `subject`, `text`,
    /// `html`, `headers`…).
    pub async fn messages(&self) -> Vec<serde_json::Value> {
        reqwest::get(self.api("/email"))
            .await
            .expect("maildev answers")
            .json()
            .await
            .expect("maildev JSON")
    }

    /// Waits until the messages to `address` satisfy `done`, for at most `seconds`.
    pub async fn wait_for(
        &self,
        seconds: u64,
        done: impl Fn(&[serde_json::Value]) -> bool,
    ) -> Vec<serde_json::Value> {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        loop {
            let messages = self.messages().await;
            if done(&messages) || Instant::now() >= deadline {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// The app, sending its mail to `port` and retrying failed mail after a second.
pub async fn app_mailing_to(port: u16) -> super::TestApp {
    super::app::spawn_app_with(&[
        ("OBOLE_SMTP_URL", &smtp_url(port)),
        ("OBOLE_MAIL_RETRY_SECONDS", "1"),
    ])
    .await
}

pub fn smtp_url(port: u16) -> String {
    format!("smtp://127.0.0.1:{port}")
}

/// Raised when maildev says its SMTP server listens. Its output is read to the end by a thread
/// of its own, so that it never blocks on a full pipe. (Connecting to the port to find out
/// would do for plain SMTP, but maildev with TLS exits when a connection closes before its
/// handshake.)
fn smtp_listening(child: &mut Child) -> Arc<AtomicBool> {
    let ready = Arc::new(AtomicBool::new(false));
    let stdout = child.stdout.take().expect("maildev's output");
    let flag = ready.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("SMTP Server running") {
                flag.store(true, Ordering::Release);
            }
        }
    });
    ready
}

/// A self-signed certificate for 127.0.0.1 and its key, `tls.cert` and `tls.key` in
/// `folder`, made with the openssl command (`tests/run.sh` installs it).
fn make_certificate(folder: &Path) {
    let status = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args([
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .arg("-keyout")
        .arg(folder.join("tls.key"))
        .arg("-out")
        .arg(folder.join("tls.cert"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the openssl command (apt-get install openssl)");
    assert!(status.success(), "openssl made no certificate");
}

/// The messages sent to `address`.
pub fn to<'a>(messages: &'a [serde_json::Value], address: &str) -> Vec<&'a serde_json::Value> {
    messages
        .iter()
        .filter(|m| {
            m["to"]
                .as_array()
                .is_some_and(|to| to.iter().any(|t| t["address"].as_str() == Some(address)))
        })
        .collect()
}

/// The first link in a message's text that starts with `prefix`.
pub fn link(message: &serde_json::Value, prefix: &str) -> Option<String> {
    let text = message["text"].as_str()?;
    let start = text.find(prefix)?;
    let rest = text.get(start..)?;
    Some(
        rest.split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned(),
    )
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
