//! Stripe webhook events, parsed into what Obole acts on. Pure: the signature is checked
//! before (`security::stripe_signature`), the effects are applied after (`card_payments`).

use serde_json::Value;

/// One verified event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripeEvent {
    /// `evt_…`: each is applied once.
    pub id: String,
    /// The event type, such as `payment_intent.succeeded`.
    pub kind: String,
    pub body: EventBody,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventBody {
    /// The payment went through: credit the funds.
    PaymentSucceeded {
        intent: String,
        amount: i64,
        currency: String,
    },
    /// An attempt failed; the payer may try again with the same intent.
    PaymentFailed {
        intent: String,
        message: Option<String>,
    },
    PaymentCanceled {
        intent: String,
    },
    /// A charge was refunded; `amount_refunded` is the total so far (minor units).
    ChargeRefunded {
        intent: String,
        amount_refunded: i64,
        currency: String,
    },
    /// A chargeback began (`charge.dispute.created`), changed (`charge.dispute.updated`), took
    /// the money (`charge.dispute.funds_withdrawn`) or ended (`charge.dispute.closed`, with
    /// Stripe's final `status`); `amount` in minor units.
    Dispute {
        dispute: String,
        intent: String,
        amount: i64,
        currency: String,
        /// `None` while open; the closing status (`won`, `lost`, …) once closed.
        closed_status: Option<String>,
        /// Stripe's `status` while open: `warning_*` for an inquiry (no money moved yet).
        status: Option<String>,
        /// `charge.dispute.funds_withdrawn`: the bank took the money, whatever the status.
        funds_withdrawn: bool,
        reason: Option<String>,
    },
    /// Anything else: acknowledged, not acted on.
    Ignored,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a Stripe event Obole understands")]
pub struct MalformedEvent;

/// Parses the raw body of a (verified) webhook.
pub fn parse(raw: &[u8]) -> Result<StripeEvent, MalformedEvent> {
    let value: Value = serde_json::from_slice(raw).map_err(|_| MalformedEvent)?;
    let text = |v: &Value| v.as_str().map(str::to_owned);
    let id = text(&value["id"]).ok_or(MalformedEvent)?;
    let kind = text(&value["type"]).ok_or(MalformedEvent)?;
    let object = &value["data"]["object"];
    let intent_id = || text(&object["id"]).ok_or(MalformedEvent);
    let body = match kind.as_str() {
        "payment_intent.succeeded" => EventBody::PaymentSucceeded {
            intent: intent_id()?,
            amount: object["amount"].as_i64().ok_or(MalformedEvent)?,
            currency: text(&object["currency"]).ok_or(MalformedEvent)?,
        },
        "payment_intent.payment_failed" => EventBody::PaymentFailed {
            intent: intent_id()?,
            message: text(&object["last_payment_error"]["message"]),
        },
        "payment_intent.canceled" => EventBody::PaymentCanceled {
            intent: intent_id()?,
        },
        "charge.refunded" => match text(&object["payment_intent"]) {
            Some(intent) => EventBody::ChargeRefunded {
                intent,
                amount_refunded: object["amount_refunded"].as_i64().ok_or(MalformedEvent)?,
                currency: text(&object["currency"]).ok_or(MalformedEvent)?,
            },
            // A charge made outside a PaymentIntent is none of Obole's.
            None => EventBody::Ignored,
        },
        "charge.dispute.created"
        | "charge.dispute.updated"
        | "charge.dispute.funds_withdrawn"
        | "charge.dispute.closed" => {
            match text(&object["payment_intent"]) {
                Some(intent) => EventBody::Dispute {
                    dispute: intent_id()?,
                    intent,
                    amount: object["amount"].as_i64().ok_or(MalformedEvent)?,
                    currency: text(&object["currency"]).ok_or(MalformedEvent)?,
                    closed_status: if kind == "charge.dispute.closed" {
                        Some(text(&object["status"]).ok_or(MalformedEvent)?)
                    } else {
                        None
                    },
                    status: text(&object["status"]),
                    funds_withdrawn: kind == "charge.dispute.funds_withdrawn",
                    reason: text(&object["reason"]),
                },
                // A dispute of a charge made outside a PaymentIntent is none of Obole's.
                None => EventBody::Ignored,
            }
        }
        _ => EventBody::Ignored,
    };
    Ok(StripeEvent { id, kind, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_events_obole_acts_on() {
        let succeeded = br#"{"id":"evt_1","type":"payment_intent.succeeded",
            "data":{"object":{"id":"pi_1","amount":1000,"currency":"eur"}}}"#;
        assert_eq!(
            parse(succeeded).map(|e| e.body),
            Ok(EventBody::PaymentSucceeded {
                intent: "pi_1".into(),
                amount: 1000,
                currency: "eur".into()
            })
        );
        let refunded = br#"{"id":"evt_2","type":"charge.refunded","data":{"object":
            {"id":"ch_1","payment_intent":"pi_1","amount_refunded":400,"currency":"eur"}}}"#;
        assert!(matches!(
            parse(refunded).map(|e| e.body),
            Ok(EventBody::ChargeRefunded {
                amount_refunded: 400,
                ..
            })
        ));
        let dispute = br#"{"id":"evt_4","type":"charge.dispute.closed","data":{"object":
            {"id":"dp_1","payment_intent":"pi_1","amount":700,"currency":"eur","status":"lost"}}}"#;
        assert_eq!(
            parse(dispute).map(|e| e.body),
            Ok(EventBody::Dispute {
                dispute: "dp_1".into(),
                intent: "pi_1".into(),
                amount: 700,
                currency: "eur".into(),
                closed_status: Some("lost".into()),
                status: Some("lost".into()),
                funds_withdrawn: false,
                reason: None,
            })
        );
        let other = br#"{"id":"evt_3","type":"customer.created","data":{"object":{}}}"#;
        assert_eq!(parse(other).map(|e| e.body), Ok(EventBody::Ignored));
    }

    #[test]
    fn refuses_what_lacks_the_fields_it_needs() {
        for bad in [
            &b"not json"[..],
            br#"{"type":"payment_intent.succeeded"}"#,
            br#"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","currency":"eur"}}}"#,
        ] {
            assert_eq!(parse(bad), Err(MalformedEvent));
        }
    }
}
