//! Where composed messages go: an SMTP server (`OBOLE_SMTP_URL`, `smtp.rs`), one connection
//! per sender thread kept between batches, or files under the data folder's `mail/` when none
//! is configured (a laptop needs no mail server).

use std::path::{Path, PathBuf};

use lettre::message::{Mailbox, MultiPart, header::MessageId};
use lettre::{FileTransport, Message, Transport as _};

use super::compose::{Composed, MailError};
use super::smtp;
use crate::config::Settings;

pub use smtp::SMTP_TIMEOUT;

pub enum Transport {
    Smtp(smtp::Pool),
    Files(PathBuf),
}

/// One sender thread's way out: an SMTP connection kept for the batch, or the mail folder.
pub enum Session<'a> {
    Smtp(smtp::Session<'a>),
    Files(&'a Path),
}

impl Transport {
    pub fn from_settings(settings: &Settings) -> Result<Transport, MailError> {
        match &settings.smtp_url {
            Some(url) => {
                let server = smtp::Server::parse(url.expose())
                    .map_err(|e| MailError::Transport(format!("OBOLE_SMTP_URL: {e}")))?;
                if let Some(warning) = server.warning() {
                    tracing::warn!("{warning}");
                }
                if settings.smtp_ca_file.is_some() && !server.uses_tls() {
                    tracing::warn!("OBOLE_SMTP_CA_FILE is set but OBOLE_SMTP_URL uses no TLS");
                }
                let server = match &settings.smtp_ca_file {
                    Some(path) => {
                        let failed = |e: String| {
                            MailError::Transport(format!(
                                "OBOLE_SMTP_CA_FILE ({}): {e}",
                                path.display()
                            ))
                        };
                        let pem = std::fs::read(path).map_err(|e| failed(e.to_string()))?;
                        server.trusting(&pem).map_err(failed)?
                    }
                    None => server,
                };
                let senders = usize::try_from(settings.mail_senders).unwrap_or(1);
                Ok(Transport::Smtp(smtp::Pool::new(server, senders)))
            }
            None => Ok(Transport::Files(settings.data_dir.join("mail"))),
        }
    }

    /// The session of sender thread `index` (for SMTP, that thread's connection, kept between
    /// batches).
    pub fn session(&self, index: usize) -> Result<Session<'_>, MailError> {
        match self {
            Transport::Smtp(pool) => pool
                .session(index)
                .map(Session::Smtp)
                .map_err(|e| MailError::Transport(format!("starting an SMTP session: {e}"))),
            Transport::Files(folder) => Ok(Session::Files(folder)),
        }
    }
}

impl Session<'_> {
    /// Hands the message over; an error means it was not accepted and should be retried.
    /// `message_id` is derived from the outbox row, so a retry carries the same Message-ID.
    pub fn send(
        &mut self,
        from: &Mailbox,
        composed: &Composed,
        message_id: &str,
    ) -> Result<(), MailError> {
        let to = Mailbox::new(
            Some(composed.to_name.clone()).filter(|name| !name.is_empty()),
            composed
                .to_address
                .parse()
                .map_err(|e| MailError::Address(format!("{e}")))?,
        );
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(composed.subject.clone())
            .header(MessageId::from(message_id.to_owned()))
            .multipart(MultiPart::alternative_plain_html(
                composed.text.clone(),
                composed.html.clone(),
            ))
            .map_err(|e| MailError::Transport(format!("building the message: {e}")))?;
        match self {
            Session::Smtp(session) => session
                .send(message.envelope(), &message.formatted())
                .map_err(|e| MailError::Transport(format!("SMTP: {e}"))),
            Session::Files(folder) => {
                let folder: &Path = folder;
                std::fs::create_dir_all(folder)
                    .map_err(|e| MailError::Transport(format!("{}: {e}", folder.display())))?;
                let id = FileTransport::new(folder)
                    .send(&message)
                    .map_err(|e| MailError::Transport(format!("{}: {e}", folder.display())))?;
                tracing::info!(
                    to = %composed.to_address,
                    subject = %composed.subject,
                    file = %folder.join(format!("{id}.eml")).display(),
                    "mail written to a file (OBOLE_SMTP_URL is not set)"
                );
                Ok(())
            }
        }
    }
}
