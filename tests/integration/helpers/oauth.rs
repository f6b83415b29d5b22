//! A real OAuth2/OpenID Connect provider for tests: oauth2-mock-server 8 behind
//! `tests/tools/oauth-provider.mjs` (installed by `tests/run.sh`, which exports
//! `OBOLE_TEST_OAUTH_PROVIDER`, the script's path), one per test, on loopback.

use std::process::Command;

use serde_json::Value;

use super::mail::free_port;
use super::peers::{self, Peer};

pub struct OAuthProvider {
    peer: Peer,
}

impl OAuthProvider {
    pub async fn start() -> Option<OAuthProvider> {
        let script = peers::program("OBOLE_TEST_OAUTH_PROVIDER", "oauth2-mock-server")?;
        let port = free_port();
        let mut command = Command::new("node");
        command.arg(script).arg(port.to_string());
        let peer = peers::start(command, port, "/.well-known/openid-configuration").await;
        Some(OAuthProvider { peer })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.peer.port)
    }

    /// The settings that make this server Obole's `local` provider (`/auth/local`).
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("OBOLE_OAUTH_LOCAL_CLIENT_ID", "obole-test".into()),
            (
                "OBOLE_OAUTH_LOCAL_CLIENT_SECRET",
                "obole-test-secret".into(),
            ),
            ("OBOLE_OAUTH_LOCAL_AUTH_URL", self.url("/authorize")),
            ("OBOLE_OAUTH_LOCAL_TOKEN_URL", self.url("/token")),
            ("OBOLE_OAUTH_LOCAL_USERINFO_URL", self.url("/userinfo")),
        ]
    }

    /// Who the provider says signs in from now on.
    pub async fn will_say(&self, identity: Value) {
        let response = reqwest::Client::new()
            .put(self.url("/_identity"))
            .json(&identity)
            .send()
            .await
            .expect("set the identity");
        assert!(response.status().is_success());
    }
}
