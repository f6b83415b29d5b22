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
//! Each sender thread opens a [`Session`]: a current-thread runtime and one connection, opened
//! at its first message and kept for the batch, then closed with QUIT. A connection that fails
//! is dropped and the next message opens another.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

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
/// How long the QUIT at the end of a session may take.
const QUIT_TIMEOUT: Duration = Duration::from_secs(2);

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
    credentials: Option<Credentials>,
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
            Some(password) => Some(Credentials::new(decode(url.username())?, decode(password)?)),
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

    /// A session for one sender thread; it connects at its first message.
    pub fn session(&self) -> io::Result<Session<'_>> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()?;
        Ok(Session {
            server: self,
            runtime,
            connection: None,
        })
    }

    /// Opens a connection: TCP with `TCP_NODELAY`, then TLS, the greeting and EHLO, STARTTLS
    /// and AUTH as the URL asks.
    async fn connect(&self) -> Result<AsyncSmtpConnection, String> {
        let tcp = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|e| format!("connecting to {}:{}: {e}", self.host, self.port))?;
        tcp.set_nodelay(true).map_err(|e| e.to_string())?;
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
        if let Some(credentials) = &self.credentials {
            connection
                .auth(DEFAULT_MECHANISMS, credentials)
                .await
                .map_err(|e| format!("AUTH: {e}"))?;
        }
        Ok(connection)
    }
}

/// One sender thread's connection to the server, and the runtime it lives on.
pub struct Session<'a> {
    server: &'a Server,
    runtime: Runtime,
    connection: Option<AsyncSmtpConnection>,
}

impl Session<'_> {
    /// Sends one message, connecting first if needed. After an error the connection is
    /// dropped (lettre closes it on any SMTP error), and the next message opens another.
    pub fn send(&mut self, envelope: &Envelope, message: &[u8]) -> Result<(), String> {
        let server = self.server;
        let slot = &mut self.connection;
        self.runtime.block_on(async {
            let connection = match slot {
                Some(connection) => connection,
                None => {
                    let opened = tokio::time::timeout(SMTP_TIMEOUT, server.connect())
                        .await
                        .map_err(|_| "the server did not answer in time".to_owned())??;
                    slot.insert(opened)
                }
            };
            let sent = tokio::time::timeout(SMTP_TIMEOUT, connection.send(envelope, message)).await;
            match sent {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(error)) => {
                    if connection.has_broken() {
                        *slot = None;
                    }
                    Err(error.to_string())
                }
                Err(_) => {
                    // Cut off mid-exchange: the connection's state is unknown.
                    *slot = None;
                    Err("the server did not accept the message in time".to_owned())
                }
            }
        })
    }
}

impl Drop for Session<'_> {
    /// Says goodbye (QUIT), so the server does not log a dropped connection.
    fn drop(&mut self) {
        if let Some(mut connection) = self.connection.take() {
            self.runtime.block_on(async {
                let _ = tokio::time::timeout(QUIT_TIMEOUT, connection.quit()).await;
            });
        }
    }
}

/// A TLS stream lettre can take: `AsyncTokioStream` asks for the peer's address too.
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
            Some(Credentials::new("me@example.org".into(), "p/ss".into()))
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
    fn unknown_forms_are_refused_and_the_password_is_never_shown() {
        for bad in ["http://h", "smtp://h?tls=always", "smtp:///no-host", "h:25"] {
            assert!(Server::parse(bad).is_err(), "{bad}");
        }
        let server = Server::parse("smtp://u:secret@h").expect("parses");
        assert!(!format!("{server:?}").contains("secret"));
    }
}
