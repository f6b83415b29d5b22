//! `JsonObject<T>`: a JSON body that must be an object. Serde would otherwise read a struct
//! from an array (`[]` gives every defaulted field), which would turn malformed input into a
//! misleading validation or credentials error instead of `invalid_json`.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;

use crate::web::error::{AppError, ErrorCode};

/// Bodies larger than this are refused before they are read.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub struct JsonObject<T>(pub T);

/// Parses raw bytes as a JSON object into `T` (for handlers that also need the raw body).
pub fn parse_object<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|_| AppError::User(ErrorCode::InvalidJson))?;
    if !value.is_object() {
        return Err(ErrorCode::InvalidJson.into());
    }
    serde_json::from_value(value).map_err(|_| AppError::User(ErrorCode::InvalidJson))
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonObject<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = web::Json::<serde_json::Value>::from_request(req, payload);
        Box::pin(async move {
            let value = json.await?.into_inner();
            if !value.is_object() {
                return Err(AppError::User(ErrorCode::InvalidJson).into());
            }
            serde_json::from_value(value)
                .map(JsonObject)
                .map_err(|_| AppError::User(ErrorCode::InvalidJson).into())
        })
    }
}
