//! SMTP delivery on connections that set `TCP_NODELAY`.
//!
//! Why not lettre's `SmtpTransport`: lettre 0.11.23 leaves Nagle's algorithm on, and it writes
//! a message's body and the closing `\r\n.\r\n` as two writes. The second, five bytes long,
//! waits for the server to acknowledge the first, and servers delay that acknowledgement
//! (40 ms on Linux): every message stalled about 40 ms, so four sender threads sent 86
//! messages/s and the CPU sat idle (docs/PERFORMANCE.md, "mail at scale"). lettre's async
//! connection takes a stream opened by the caller (`connect_with_transport`), so only the
//! socket is ours; the SMTP dialogue, STARTTLS, AUTH and the message's encoding stay lettre's.
//! lettre has merged the same fix upstream (pull request 1159); once a release carries it,
//! this file can give way to `SmtpTransport` again.
//!
//! The [`Pool`] keeps one connection per sender thread between batches (lettre's own pool comes
//! with its transports only): sender `i` of a batch takes slot `i`, whose connection is reused
//! if it rested less than `IDLE_FOR`, after a NOOP if it rested more than `TEST_AFTER`. A slot
//! has its own current-thread runtime, because a tokio socket belongs to the runtime that
//! opened it. A connection that fails is dropped and the next message opens another.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{
    AsyncSmtpConnection, AsyncTokioStream, Certificate, TlsParameters,
};
use lettre::transport::smtp::extension::ClientId;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::runtime::Runtime;

/// Long enough for a slow server, short enough that a dead one does not hold the worker: the
/// bound on opening a connection (TLS and AUTH included), and on sending one message.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(15);
/// How long the QUIT of a connection that is closed may take.
const QUIT_TIMEOUT: Duration = Duration::from_secs(2);
/// A connection that rested longer is closed rather than reused (servers close idle
/// connections after a few minutes, some sooner).
const IDLE_FOR: Duration = Duration::from_secs(30);
/// A connection that rested longer is tested with NOOP before it carries a message, so that
/// one the server closed meanwhile costs a new connection, not a failed message.
const TEST_AFTER: Duration = Duration::from_secs(2);

/// How the connection is protected, from the URL (the forms lettre's `from_url` accepts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    /// `smtp://`: plain, for a relay on the same machine or network.
    Plain,
    /// `smtp://…?tls=required` or `?tls=opportunistic`: STARTTLS, which `required` insists on.
    StartTls { required: bool },
    /// `smtps://`: TLS from the first byte.
    Implicit,
}

/// The server of `OBOLE_SMTP_URL`.
pub struct Server {
    host: String,
    port: u16,
    security: Security,
    /// The user name and password of AUTH, if any.
    credentials: Option<(String, String)>,
    hello: ClientId,
    /// Certificates trusted besides the system's (`OBOLE_SMTP_CA_FILE`), one PEM block each.
    extra_roots: Vec<Vec<u8>>,
}

impl fmt::Debug for Server {
    /// Without the credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("authenticates", &self.credentials.is_some())
            .field("extra_roots", &self.extra_roots.len())
            .finish()
    }
}

impl Server {
    /// Reads `smtp://[user:password@]host[:port][/hello-name][?tls=required|opportunistic]`
    /// or `smtps://…`, with lettre's default ports (25, 587 with STARTTLS, 465 with TLS).
    pub fn parse(url: &str) -> Result<Server, String> {
        let url = url::Url::parse(url).map_err(|e| e.to_string())?;
        let host = url
            .host_str()
            .filter(|host| !host.is_empty())
            .ok_or("the URL has no host")?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let tls = url
            .query_pairs()
            .find(|(key, _)| key == "tls")
            .map(|(_, value)| value.into_owned());
        let (security, default_port) = match (url.scheme(), tls.as_deref()) {
            ("smtp", None) => (Security::Plain, 25),
            ("smtp", Some("required")) => (Security::StartTls { required: true }, 587),
            ("smtp", Some("opportunistic")) => (Security::StartTls { required: false }, 587),
            ("smtps", _) => (Security::Implicit, 465),
            (scheme, None) => return Err(format!("unknown scheme {scheme:?}")),
            (_, Some(tls)) => return Err(format!("unknown tls={tls:?}")),
        };
        let decode = |text: &str| {
            percent_encoding::percent_decode_str(text)
                .decode_utf8()
                .map(|text| text.into_owned())
                .map_err(|e| e.to_string())
        };
        let credentials = match url.password() {
            Some(password) => Some((decode(url.username())?, decode(password)?)),
            None => None,
        };
        let name = url.path().trim_matches('/');
        let hello = if name.is_empty() {
            ClientId::default()
        } else {
            ClientId::Domain(name.to_owned())
        };
        Ok(Server {
            host,
            port: url.port().unwrap_or(default_port),
            security,
            credentials,
            hello,
            extra_roots: Vec::new(),
        })
    }

    /// What an operator should hear at startup about this server's settings: a password that
    /// may cross the network in the clear.
    pub fn warning(&self) -> Option<&'static str> {
        let loopback = self.host == "localhost"
            || self
                .host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        let clear = matches!(
            self.security,
            Security::Plain | Security::StartTls { required: false }
        );
        (self.credentials.is_some() && clear && !loopback).then_some(
            "OBOLE_SMTP_URL has a password but does not require TLS: use smtps:// or \
             ?tls=required, or the password may cross the network in the clear",
        )
    }

    /// Whether the connection uses TLS at all (`OBOLE_SMTP_CA_FILE` is for nothing otherwise).
    pub fn uses_tls(&self) -> bool {
        self.security != Security::Plain
    }

    /// Trusts the certificates of a PEM file too (one or more `CERTIFICATE` blocks), for a
    /// server whose certificate comes from a private authority.
    pub fn trusting(mut self, pem: &[u8]) -> Result<Server, String> {
        let text = std::str::from_utf8(pem).map_err(|_| "not a PEM file".to_owned())?;
        const END: &str = "-----END CERTIFICATE-----";
        // native-tls reads one certificate per call: the file is cut after each block.
        let blocks: Vec<&str> = text
            .split_inclusive(END)
            .filter(|block| block.contains(END))
            .collect();
        if blocks.is_empty() {
            return Err("no certificate in the file".to_owned());
        }
        for block in blocks {
            native_tls::Certificate::from_pem(block.as_bytes()).map_err(|e| e.to_string())?;
            self.extra_roots.push(block.as_bytes().to_vec());
        }
        Ok(self)
    }

    /// Opens a connection: TCP with `TCP_NODELAY`, then TLS, the greeting and EHLO, STARTTLS
    /// and AUTH as the URL asks.
    async fn connect(&self) -> Result<AsyncSmtpConnection, String> {
        let tcp = self.open_tcp().await?;
        let opened = tokio::time::timeout(SMTP_TIMEOUT, self.converse(tcp));
        opened
            .await
            .map_err(|_| "the server did not answer in time".to_owned())?
            .map_err(|e| self.redact(&e))
    }

    /// The TCP connection, with `TCP_NODELAY`: each address the name resolves to is tried
    /// in turn, each for `SMTP_TIMEOUT` (as lettre did), so that an address that drops
    /// packets does not hide the next one.
    async fn open_tcp(&self) -> Result<TcpStream, String> {
        let failed =
            |e: &dyn fmt::Display| format!("connecting to {}:{}: {e}", self.host, self.port);
        let lookup = tokio::net::lookup_host((self.host.as_str(), self.port));
        let addresses = tokio::time::timeout(SMTP_TIMEOUT, lookup)
            .await
            .map_err(|_| failed(&"the name did not resolve in time"))?
            .map_err(|e| failed(&e))?;
        let mut last = failed(&"the name resolves to no address");
        for address in addresses {
            match tokio::time::timeout(SMTP_TIMEOUT, TcpStream::connect(address)).await {
                Ok(Ok(tcp)) => {
                    tcp.set_nodelay(true).map_err(|e| failed(&e))?;
                    return Ok(tcp);
                }
                Ok(Err(e)) => last = failed(&e),
                Err(_) => last = failed(&"no answer in time"),
            }
        }
        Err(last)
    }

    /// Error texts go to the outbox's `last_error` and the logs: a server that echoes what it
    /// was sent must not put the password there, plainly or in AUTH's base64.
    fn redact(&self, text: &str) -> String {
        use base64::Engine as _;
        let Some(credentials) = &self.credentials else {
            return text.to_owned();
        };
        let (user, password) = credentials;
        let base64 = base64::engine::general_purpose::STANDARD;
        let mut text = text.to_owned();
        for secret in [
            password.to_owned(),
            base64.encode(format!("\0{user}\0{password}")),
            base64.encode(password),
        ] {
            if !secret.is_empty() {
                text = text.replace(&secret, "[redacted]");
            }
        }
        text
    }

    /// TLS, the greeting and EHLO, STARTTLS and AUTH, on an open TCP connection.
    async fn converse(&self, tcp: TcpStream) -> Result<AsyncSmtpConnection, String> {
        let stream: Box<dyn AsyncTokioStream> = match self.security {
            Security::Implicit => {
                let mut builder = native_tls::TlsConnector::builder();
                builder.min_protocol_version(Some(native_tls::Protocol::Tlsv12));
                for pem in &self.extra_roots {
                    let root = native_tls::Certificate::from_pem(pem).map_err(|e| e.to_string())?;
                    builder.add_root_certificate(root);
                }
                let connector = builder.build().map_err(|e| e.to_string())?;
                let tls = tokio_native_tls::TlsConnector::from(connector)
                    .connect(&self.host, tcp)
                    .await
                    .map_err(|e| format!("TLS: {e}"))?;
                Box::new(TlsTcp(tls))
            }
            Security::Plain | Security::StartTls { .. } => Box::new(tcp),
        };
        let mut connection = AsyncSmtpConnection::connect_with_transport(stream, &self.hello)
            .await
            .map_err(|e| e.to_string())?;
        if let Security::StartTls { required } = self.security
            && (required || connection.can_starttls())
        {
            let mut parameters = TlsParameters::builder(self.host.clone());
            for pem in &self.extra_roots {
                parameters = parameters
                    .add_root_certificate(Certificate::from_pem(pem).map_err(|e| e.to_string())?);
            }
            let parameters = parameters.build().map_err(|e| e.to_string())?;
            connection
                .starttls(parameters, &self.hello)
                .await
                .map_err(|e| format!("STARTTLS: {e}"))?;
        }
        if let Some((user, password)) = &self.credentials {
            let credentials = Credentials::new(user.clone(), password.clone());
            connection
                .auth(DEFAULT_MECHANISMS, &credentials)
                .await
                .map_err(|e| format!("AUTH: {e}"))?;
        }
        Ok(connection)
    }
}

/// The connections kept between batches, one slot per sender thread.
pub struct Pool {
    server: Server,
    slots: Vec<Mutex<Slot>>,
}

#[derive(Default)]
struct Slot {
    runtime: Option<Runtime>,
    resting: Option<Resting>,
}

/// A connection between two messages, and since when.
struct Resting {
    connection: AsyncSmtpConnection,
    since: Instant,
}

impl Pool {
    pub fn new(server: Server, size: usize) -> Pool {
        Pool {
            server,
            slots: (0..size.max(1)).map(|_| Mutex::default()).collect(),
        }
    }

    /// The session of sender thread `index`: its slot, held until the session is dropped.
    pub fn session(&self, index: usize) -> io::Result<Session<'_>> {
        let slot = self
            .slots
            .get(index % self.slots.len())
            .ok_or_else(|| io::Error::other("no slot"))?;
        // A panic while the slot was held left it consistent: its connection is taken out
        // during each exchange and put back only after it.
        let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.runtime.is_none() {
            slot.runtime = Some(
                tokio::runtime::Builder::new_current_thread()
                    .enable_io()
                    .enable_time()
                    .build()?,
            );
        }
        Ok(Session {
            server: &self.server,
            slot,
        })
    }
}

/// One sender thread's use of its slot for a batch.
pub struct Session<'a> {
    server: &'a Server,
    slot: MutexGuard<'a, Slot>,
}

impl Session<'_> {
    /// Sends one message over the slot's connection, or a new one. After an error the
    /// connection is dropped if lettre closed it (it does on any SMTP error) or the exchange
    /// was cut off; the next message opens another.
    pub fn send(&mut self, envelope: &Envelope, message: &[u8]) -> Result<(), String> {
        let server = self.server;
        let Slot { runtime, resting } = &mut *self.slot;
        let runtime = runtime.as_ref().ok_or("the session has no runtime")?;
        runtime.block_on(async {
            let reused = match resting.take() {
                Some(old) if old.since.elapsed() > IDLE_FOR => {
                    quit(old.connection).await;
                    None
                }
                Some(mut old) if old.since.elapsed() > TEST_AFTER => {
                    let alive = tokio::time::timeout(QUIT_TIMEOUT, old.connection.test_connected());
                    alive.await.unwrap_or(false).then_some(old.connection)
                }
                Some(old) => Some(old.connection),
                None => None,
            };
            let mut connection = match reused {
                Some(connection) => connection,
                None => server.connect().await?,
            };
            let sent = tokio::time::timeout(SMTP_TIMEOUT, connection.send(envelope, message)).await;
            let outcome = match sent {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(error)) => Err(server.redact(&error.to_string())),
                // Cut off mid-exchange: the connection's state is unknown, it is dropped.
                Err(_) => return Err("the server did not accept the message in time".to_owned()),
            };
            if !connection.has_broken() {
                *resting = Some(Resting {
                    connection,
                    since: Instant::now(),
                });
            }
            outcome
        })
    }
}

/// Says goodbye, so that the server does not log a dropped connection.
async fn quit(mut connection: AsyncSmtpConnection) {
    let _ = tokio::time::timeout(QUIT_TIMEOUT, connection.quit()).await;
}

impl Drop for Slot {
    /// Closes the resting connection with QUIT, unless dropped inside an async context, where
    /// blocking is not allowed (the connection is then just dropped).
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            if let Some(old) = self.resting.take()
                && tokio::runtime::Handle::try_current().is_err()
            {
                runtime.block_on(quit(old.connection));
            }
            runtime.shutdown_background();
        }
    }
}

/// A TLS stream lettre can take: `AsyncTokioStream` asks for the peer's address too. lettre
/// sees it as a plain stream (`is_encrypted()` is false on `smtps://`): nothing here asks it,
/// and the implicit-TLS path never offers STARTTLS.
#[derive(Debug)]
struct TlsTcp(tokio_native_tls::TlsStream<TcpStream>);

impl AsyncTokioStream for TlsTcp {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.0.get_ref().get_ref().get_ref().peer_addr()
    }
}

impl AsyncRead for TlsTcp {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for TlsTcp {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_forms_of_the_docs_and_their_default_ports() {
        let plain = Server::parse("smtp://127.0.0.1:2525").expect("plain");
        assert_eq!((plain.port, plain.security), (2525, Security::Plain));
        assert!(plain.credentials.is_none());
        let relay = Server::parse("smtp://mail.example.org").expect("relay");
        assert_eq!((relay.host.as_str(), relay.port), ("mail.example.org", 25));
        let submission =
            Server::parse("smtp://me%40example.org:p%2Fss@mail.example.org?tls=required")
                .expect("submission");
        assert_eq!(submission.port, 587);
        assert_eq!(submission.security, Security::StartTls { required: true });
        assert_eq!(
            submission.credentials,
            Some(("me@example.org".into(), "p/ss".into()))
        );
        let opportunistic = Server::parse("smtp://h?tls=opportunistic").expect("opportunistic");
        assert_eq!(
            opportunistic.security,
            Security::StartTls { required: false }
        );
        let implicit = Server::parse("smtps://h/obole.example.org").expect("implicit");
        assert_eq!(
            (implicit.port, implicit.security),
            (465, Security::Implicit)
        );
        assert_eq!(implicit.hello, ClientId::Domain("obole.example.org".into()));
        let v6 = Server::parse("smtp://[::1]:2525").expect("v6");
        assert_eq!(v6.host, "::1");
    }

    #[test]
    fn a_password_without_required_tls_is_warned_about_unless_on_this_machine() {
        for warned in [
            "smtp://u:p@relay.example.org",
            "smtp://u:p@h?tls=opportunistic",
        ] {
            assert!(
                Server::parse(warned).expect(warned).warning().is_some(),
                "{warned}"
            );
        }
        for fine in [
            "smtp://relay.example.org",
            "smtp://u:p@127.0.0.1:25",
            "smtp://u:p@localhost",
            "smtp://u:p@h?tls=required",
            "smtps://u:p@h",
        ] {
            assert!(
                Server::parse(fine).expect(fine).warning().is_none(),
                "{fine}"
            );
        }
    }

    #[test]
    fn error_texts_never_hold_the_password_plain_or_in_base64() {
        let server = Server::parse("smtps://me:hunter2@h").expect("parses");
        let plain =
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "\0me\0hunter2");
        let echoed = format!("501 bad AUTH PLAIN {plain} for hunter2");
        let redacted = server.redact(&echoed);
        assert!(
            !redacted.contains("hunter2") && !redacted.contains(&plain),
            "{redacted}"
        );
        assert!(redacted.starts_with("501 bad AUTH PLAIN [redacted]"));
    }

    #[test]
    fn connections_are_opened_with_tcp_nodelay() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
        let port = listener.local_addr().expect("address").port();
        let server = Server::parse(&format!("smtp://127.0.0.1:{port}")).expect("parses");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let tcp = runtime.block_on(server.open_tcp()).expect("connects");
        assert!(tcp.nodelay().expect("reads the option"));
    }

    #[test]
    fn unknown_forms_are_refused_and_the_password_is_never_shown() {
        for bad in ["http://h", "smtp://h?tls=always", "smtp:///no-host", "h:25"] {
            assert!(Server::parse(bad).is_err(), "{bad}");
        }
        let server = Server::parse("smtp://u:secret@h").expect("parses");
        assert!(!format!("{server:?}").contains("secret"));
    }
}
