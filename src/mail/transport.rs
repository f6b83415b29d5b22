//! Where composed messages go: an SMTP server (`OBOLE_SMTP_URL`) through a pool of connections
//! that the sender threads share, or files under the data folder's `mail/` when none is
//! configured (a laptop needs no mail server).

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart, header::MessageId};
use lettre::transport::smtp::PoolConfig;
use lettre::{FileTransport, Message, SmtpTransport, Transport as _};

use super::compose::{Composed, MailError};
use crate::config::Settings;

pub enum Transport {
    Smtp(Box<SmtpTransport>),
    Files(PathBuf),
}

/// Long enough for a slow server, short enough that a dead one does not hold the worker.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(15);
/// How long an unused SMTP connection stays open (servers close idle ones after a few minutes).
const SMTP_IDLE: Duration = Duration::from_secs(30);

impl Transport {
    pub fn from_settings(settings: &Settings) -> Result<Transport, MailError> {
        match &settings.smtp_url {
            Some(url) => {
                // One connection per sender thread, kept open between messages (a new
                // connection and greeting a message was the worker's main cost); the pool
                // tests a parked connection before reusing it, so a restarted server is met
                // with a fresh one.
                let pool = PoolConfig::new()
                    .max_size(settings.mail_senders)
                    .idle_timeout(SMTP_IDLE);
                let smtp = SmtpTransport::from_url(url.expose())
                    .map_err(|e| MailError::Transport(format!("OBOLE_SMTP_URL: {e}")))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .pool_config(pool)
                    .build();
                Ok(Transport::Smtp(Box::new(smtp)))
            }
            None => Ok(Transport::Files(settings.data_dir.join("mail"))),
        }
    }

    /// Hands the message over; an error means it was not accepted and should be retried.
    /// `message_id` is derived from the outbox row, so a retry carries the same Message-ID.
    pub fn send(
        &self,
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
            Transport::Smtp(smtp) => smtp
                .send(&message)
                .map(|_| ())
                .map_err(|e| MailError::Transport(format!("SMTP: {e}"))),
            Transport::Files(folder) => {
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
