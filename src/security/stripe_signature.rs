//! Verifies the `Stripe-Signature` header of a webhook (issue 7): `t=<unix time>` and one or
//! more `v1=<hex HMAC-SHA256>` of `"<t>.<raw body>"` under the endpoint's secret (several
//! while the secret is being rolled). Pure: the handler passes the raw bytes it received, the
//! secret and the current time, and credits nothing unless this says yes.

use hmac::{Hmac, Mac as _};
use sha2::Sha256;
use subtle::ConstantTimeEq as _;

/// How far the signed time may be from now, either way (Stripe's own default).
pub const TOLERANCE_SECONDS: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the Stripe-Signature header has no timestamp")]
    NoTimestamp,
    #[error("the Stripe-Signature header has no v1 signature")]
    NoSignature,
    #[error("the signed timestamp is more than {TOLERANCE_SECONDS} s away from now")]
    OutsideTolerance,
    #[error("no signature matches the body")]
    Mismatch,
}

/// Checks `header` against `raw_body`; returns the signed timestamp when one `v1` signature
/// matches and the timestamp is within [`TOLERANCE_SECONDS`] of `now` (unix seconds).
pub fn verify(
    header: &str,
    raw_body: &[u8],
    secret: &str,
    now: i64,
) -> Result<i64, SignatureError> {
    let mut timestamp: Option<(&str, i64)> = None;
    let mut signatures: Vec<&str> = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => {
                let parsed = value
                    .parse::<i64>()
                    .map_err(|_| SignatureError::NoTimestamp)?;
                timestamp = Some((value, parsed));
            }
            Some(("v1", value)) => signatures.push(value),
            // Other schemes (v0 in test mode) are not trusted.
            _ => {}
        }
    }
    let (signed_text, signed_at) = timestamp.ok_or(SignatureError::NoTimestamp)?;
    if signatures.is_empty() {
        return Err(SignatureError::NoSignature);
    }
    if now.abs_diff(signed_at) > TOLERANCE_SECONDS.unsigned_abs() {
        return Err(SignatureError::OutsideTolerance);
    }
    let expected = expected_hex(secret, signed_text, raw_body);
    // Constant time per candidate, so that timing tells nothing of how much of a forged
    // signature was right.
    let matched = signatures
        .iter()
        .fold(subtle::Choice::from(0), |found, candidate| {
            found | expected.as_bytes().ct_eq(candidate.as_bytes())
        });
    if bool::from(matched) {
        Ok(signed_at)
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The hex HMAC-SHA256 of `"<t>.<body>"` under `secret`.
fn expected_hex(secret: &str, signed_text: &str, raw_body: &[u8]) -> String {
    // HMAC takes keys of any length, so this never fails; were it to, nothing would match.
    let Ok(mut mac) = <Hmac<Sha256>>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(signed_text.as_bytes());
    mac.update(b".");
    mac.update(raw_body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Vectors computed outside this code, with Python's `hmac` module:
    // hmac.new(secret, b"1763720000." + BODY, hashlib.sha256).hexdigest()
    const SECRET: &str = "whsec_test_secret";
    const BODY: &[u8] = br#"{"id":"evt_1","type":"payment_intent.succeeded"}"#;
    const SIGNED_AT: i64 = 1_763_720_000;
    const GOOD: &str = "af1ba477fbe7262330f142154d13d507a293baa30872477243cc06a783265838";
    /// The same body and time signed with another secret (`whsec_other`).
    const OTHER_SECRET: &str = "55a95a38ba8fe050633884aaf253be573b020d9fcdf5e963e6ceecd5f5d5266d";

    fn header(signatures: &[&str]) -> String {
        let mut header = format!("t={SIGNED_AT}");
        for signature in signatures {
            header.push_str(&format!(",v1={signature}"));
        }
        header
    }

    #[test]
    fn a_good_signature_is_accepted_among_several() {
        assert_eq!(
            verify(&header(&[GOOD]), BODY, SECRET, SIGNED_AT),
            Ok(SIGNED_AT)
        );
        // Secrets being rolled: the old and the new signature both come.
        assert_eq!(
            verify(
                &header(&[OTHER_SECRET, GOOD]),
                BODY,
                SECRET,
                SIGNED_AT + 300
            ),
            Ok(SIGNED_AT)
        );
        let with_v0 = format!("t={SIGNED_AT},v0=deadbeef,v1={GOOD}");
        assert_eq!(
            verify(&with_v0, BODY, SECRET, SIGNED_AT - 300),
            Ok(SIGNED_AT)
        );
    }

    #[test]
    fn a_modified_body_a_wrong_secret_or_an_old_timestamp_is_refused() {
        let mut modified = BODY.to_vec();
        if let Some(byte) = modified.last_mut() {
            *byte = b' ';
        }
        assert_eq!(
            verify(&header(&[GOOD]), &modified, SECRET, SIGNED_AT),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(&header(&[GOOD]), BODY, "whsec_other", SIGNED_AT),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(&header(&[OTHER_SECRET]), BODY, SECRET, SIGNED_AT),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(&header(&[GOOD]), BODY, SECRET, SIGNED_AT + 301),
            Err(SignatureError::OutsideTolerance)
        );
        assert_eq!(
            verify(&header(&[GOOD]), BODY, SECRET, SIGNED_AT - 301),
            Err(SignatureError::OutsideTolerance)
        );
        // The timestamp is part of what is signed: another one does not match.
        let moved = format!("t={},v1={GOOD}", SIGNED_AT + 1);
        assert_eq!(
            verify(&moved, BODY, SECRET, SIGNED_AT),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn malformed_headers_are_refused() {
        assert_eq!(
            verify(&format!("v1={GOOD}"), BODY, SECRET, SIGNED_AT),
            Err(SignatureError::NoTimestamp)
        );
        assert_eq!(
            verify(&format!("t=soon,v1={GOOD}"), BODY, SECRET, SIGNED_AT),
            Err(SignatureError::NoTimestamp)
        );
        assert_eq!(
            verify(&header(&[]), BODY, SECRET, SIGNED_AT),
            Err(SignatureError::NoSignature)
        );
        assert_eq!(
            verify("", BODY, SECRET, SIGNED_AT),
            Err(SignatureError::NoTimestamp)
        );
        assert_eq!(
            verify(&header(&[&GOOD[..63]]), BODY, SECRET, SIGNED_AT),
            Err(SignatureError::Mismatch)
        );
    }
}
