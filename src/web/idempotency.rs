//! `Idempotency-Key` for money-moving requests, the one mechanism they all use (voucher
//! redemption, payout requests, revenue into funds, on the API and on the pages): the first
//! response to a (user, key) is stored in the same transaction as the money it moved, and a
//! retry gets that response back (same status and body, `Idempotent-Replayed: true`) instead
//! of moving money again. A key reused for a different request is refused with
//! `idempotency_key_reused`. Card top-ups pass their key on to Stripe, which keeps it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::error::{AppError, ErrorCode};
use crate::db::DbConnection;
use crate::db::backend::write_transaction;
use crate::domain::UserId;
use crate::models::idempotency;

pub const HEADER: &str = "Idempotency-Key";

/// A validated key: 1 to 255 visible ASCII characters (as Stripe accepts).
#[derive(Debug, Clone)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(text: &str) -> Result<IdempotencyKey, AppError> {
        let ok = (1..=255).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_graphic());
        if ok {
            Ok(IdempotencyKey(text.to_owned()))
        } else {
            Err(ErrorCode::InvalidIdempotencyKey.into())
        }
    }

    /// The request's key, if it sent one.
    pub fn from_request(req: &HttpRequest) -> Result<Option<IdempotencyKey>, AppError> {
        match req.headers().get(HEADER) {
            None => Ok(None),
            Some(value) => {
                let text = value
                    .to_str()
                    .map_err(|_| AppError::User(ErrorCode::InvalidIdempotencyKey))?;
                IdempotencyKey::parse(text).map(Some)
            }
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What identifies "the same request": method, path and body. A JSON body counts by its
/// content (keys sorted, no spaces), so a retry that serialises the same object differently
/// is still the same request.
pub fn request_hash(req: &HttpRequest, body: &[u8]) -> String {
    let canonical = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .filter(serde_json::Value::is_object)
        .map(|value| value.to_string().into_bytes());
    let mut hasher = Sha256::new();
    hasher.update(req.method().as_str().as_bytes());
    hasher.update(b"\n");
    hasher.update(req.path().as_bytes());
    hasher.update(b"\n");
    hasher.update(canonical.as_deref().unwrap_or(body));
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A response ready to send, and whether it is a replay of an earlier one.
pub struct Outcome {
    pub status: StatusCode,
    pub body: String,
    pub replayed: bool,
}

impl Outcome {
    pub fn into_response(self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.content_type("application/json");
        if self.replayed {
            response.insert_header(("Idempotent-Replayed", "true"));
        }
        response.body(self.body)
    }
}

/// Either this request's work failed (and rolled back), or another request with the same
/// key won the race for it.
enum Failure {
    App(AppError),
    KeyTaken,
}

impl From<diesel::result::Error> for Failure {
    fn from(e: diesel::result::Error) -> Self {
        Failure::App(e.into())
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        Failure::App(e)
    }
}

/// Runs `work` at most once per (user, key), in one write transaction with the key's record.
/// Failed work stores nothing, so retrying a failed request runs it again.
pub fn once<W>(
    conn: &mut DbConnection,
    user: UserId,
    key: Option<&IdempotencyKey>,
    request_hash: &str,
    now: DateTime<Utc>,
    work: W,
) -> Result<Outcome, AppError>
where
    W: FnOnce(&mut DbConnection) -> Result<(StatusCode, serde_json::Value), AppError>,
{
    let Some(key) = key else {
        let (status, body) = write_transaction(conn, work)?;
        return Ok(Outcome {
            status,
            body: body.to_string(),
            replayed: false,
        });
    };
    let attempt = write_transaction(conn, |conn| -> Result<Outcome, Failure> {
        if let Some(stored) = idempotency::find(conn, user, key.as_str())? {
            return replay(stored, request_hash).map_err(Failure::App);
        }
        if !idempotency::claim(conn, user, key.as_str(), request_hash, now)? {
            return Err(Failure::KeyTaken);
        }
        let (status, body) = work(conn)?;
        let body = body.to_string();
        idempotency::complete(conn, user, key.as_str(), status.as_u16(), &body)?;
        Ok(Outcome {
            status,
            body,
            replayed: false,
        })
    });
    match attempt {
        Ok(outcome) => Ok(outcome),
        Err(Failure::App(error)) => Err(error),
        // The winner has committed by now (PostgreSQL made the claim wait for it).
        Err(Failure::KeyTaken) => match idempotency::find(conn, user, key.as_str())? {
            Some(stored) => replay(stored, request_hash),
            None => Err(AppError::Internal(anyhow::anyhow!(
                "idempotency key vanished"
            ))),
        },
    }
}

fn replay(stored: idempotency::StoredResponse, request_hash: &str) -> Result<Outcome, AppError> {
    if stored.request_hash != request_hash {
        return Err(ErrorCode::IdempotencyKeyReused.into());
    }
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    Ok(Outcome {
        status,
        body: stored.body,
        replayed: true,
    })
}
