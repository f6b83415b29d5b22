//! The web layer's one error type and the one place that maps errors to HTTP.
//!
//! Every user-facing failure has a stable [`ErrorCode`]; the code is the API's `error.code`
//! and, prefixed with `error-`, the translation key of its message. Handlers return
//! [`AppError`]; the `localize_errors` middleware (`web/localize_errors.rs`) then renders it in the request's language,
//! as the contract's JSON object under `/api/` and as an HTML page elsewhere.

use actix_web::HttpResponse;
use actix_web::ResponseError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};

use crate::domain::Locale;
use crate::i18n;

mod conversions;

macro_rules! error_codes {
    ($($variant:ident = $code:literal => $status:ident,)*) => {
        /// Stable, user-facing error codes (API `error.code` and translation keys).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ErrorCode { $($variant,)* }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code,)* }
            }

            pub fn status(self) -> StatusCode {
                match self { $(ErrorCode::$variant => StatusCode::$status,)* }
            }
        }
    };
}

error_codes! {
    BadRequest = "bad_request" => BAD_REQUEST,
    InvalidJson = "invalid_json" => BAD_REQUEST,
    InvalidForm = "invalid_form" => BAD_REQUEST,
    InvalidEmail = "invalid_email" => UNPROCESSABLE_ENTITY,
    InvalidPassword = "invalid_password" => UNPROCESSABLE_ENTITY,
    InvalidDisplayName = "invalid_display_name" => UNPROCESSABLE_ENTITY,
    InvalidLocale = "invalid_locale" => UNPROCESSABLE_ENTITY,
    EmailTaken = "email_taken" => CONFLICT,
    InvalidCredentials = "invalid_credentials" => UNAUTHORIZED,
    Unauthorized = "unauthorized" => UNAUTHORIZED,
    CsrfFailed = "csrf_failed" => FORBIDDEN,
    NotFound = "not_found" => NOT_FOUND,
    MethodNotAllowed = "method_not_allowed" => METHOD_NOT_ALLOWED,
    PayloadTooLarge = "payload_too_large" => PAYLOAD_TOO_LARGE,
    Forbidden = "forbidden" => FORBIDDEN,
    InvalidAmount = "invalid_amount" => UNPROCESSABLE_ENTITY,
    BudgetBelowMinimum = "budget_below_minimum" => UNPROCESSABLE_ENTITY,
    BudgetAboveMaximum = "budget_above_maximum" => UNPROCESSABLE_ENTITY,
    VoucherNotFound = "voucher_not_found" => NOT_FOUND,
    VoucherUsed = "voucher_used" => CONFLICT,
    InvalidVoucherBatch = "invalid_voucher_batch" => UNPROCESSABLE_ENTITY,
    InvalidIdempotencyKey = "invalid_idempotency_key" => BAD_REQUEST,
    IdempotencyKeyReused = "idempotency_key_reused" => UNPROCESSABLE_ENTITY,
    InvalidUrl = "invalid_url" => UNPROCESSABLE_ENTITY,
    InvalidTitle = "invalid_title" => UNPROCESSABLE_ENTITY,
    InvalidDescription = "invalid_description" => UNPROCESSABLE_ENTITY,
    InvalidCategory = "invalid_category" => UNPROCESSABLE_ENTITY,
    InvalidLanguage = "invalid_language" => UNPROCESSABLE_ENTITY,
    InvalidQuery = "invalid_query" => UNPROCESSABLE_ENTITY,
    InvalidMonth = "invalid_month" => UNPROCESSABLE_ENTITY,
    InvalidYear = "invalid_year" => UNPROCESSABLE_ENTITY,
    ThingExists = "thing_exists" => CONFLICT,
    UrlLocked = "url_locked" => CONFLICT,
    AlreadyClicked = "already_clicked" => CONFLICT,
    OwnThing = "own_thing" => FORBIDDEN,
    NotYourThing = "not_your_thing" => FORBIDDEN,
    InsufficientFunds = "insufficient_funds" => PAYMENT_REQUIRED,
    NoBudget = "no_budget" => UNPROCESSABLE_ENTITY,
    NoClick = "no_click" => NOT_FOUND,
    MonthClosed = "month_closed" => CONFLICT,
    InvalidIban = "invalid_iban" => UNPROCESSABLE_ENTITY,
    InvalidHolder = "invalid_holder" => UNPROCESSABLE_ENTITY,
    PayoutBelowMinimum = "payout_below_minimum" => UNPROCESSABLE_ENTITY,
    PayoutAboveRevenue = "payout_above_revenue" => UNPROCESSABLE_ENTITY,
    PayoutWaiting = "payout_waiting" => CONFLICT,
    PayoutDecided = "payout_decided" => CONFLICT,
    OwnPayout = "own_payout" => FORBIDDEN,
    PayoutInBatch = "payout_in_batch" => CONFLICT,
    NoPayoutWaiting = "no_payout_waiting" => CONFLICT,
    SepaNotConfigured = "sepa_not_configured" => CONFLICT,
    BatchCancelled = "batch_cancelled" => CONFLICT,
    InvalidReference = "invalid_reference" => UNPROCESSABLE_ENTITY,
    EmailNotVerified = "email_not_verified" => FORBIDDEN,
    InvalidToken = "invalid_token" => BAD_REQUEST,
    TopUpBelowMinimum = "top_up_below_minimum" => UNPROCESSABLE_ENTITY,
    TopUpAboveMaximum = "top_up_above_maximum" => UNPROCESSABLE_ENTITY,
    CardPaymentsUnavailable = "card_payments_unavailable" => NOT_FOUND,
    PaymentProviderFailed = "payment_provider_failed" => BAD_GATEWAY,
    WebhookSignatureInvalid = "webhook_signature_invalid" => BAD_REQUEST,
    WebhookInvalid = "webhook_invalid" => BAD_REQUEST,
    WebhookMismatch = "webhook_mismatch" => BAD_REQUEST,
    OauthProviderUnknown = "oauth_provider_unknown" => NOT_FOUND,
    OauthStateMismatch = "oauth_state_mismatch" => BAD_REQUEST,
    OauthDenied = "oauth_denied" => BAD_REQUEST,
    OauthFailed = "oauth_failed" => BAD_REQUEST,
    OauthIdentityTaken = "oauth_identity_taken" => CONFLICT,
    InvalidCode = "invalid_code" => UNPROCESSABLE_ENTITY,
    SignUpOver = "sign_up_over" => GONE,
    LastLogInMethod = "last_log_in_method" => CONFLICT,
    InvalidHandle = "invalid_handle" => UNPROCESSABLE_ENTITY,
    HandleTaken = "handle_taken" => CONFLICT,
    InvalidPublicName = "invalid_public_name" => UNPROCESSABLE_ENTITY,
    InvalidProfileDescription = "invalid_profile_description" => UNPROCESSABLE_ENTITY,
    InvalidLinks = "invalid_links" => UNPROCESSABLE_ENTITY,
    VerificationFailed = "verification_failed" => UNPROCESSABLE_ENTITY,
    SiteNotPublic = "site_not_public" => UNPROCESSABLE_ENTITY,
    NoSuchUser = "no_such_user" => NOT_FOUND,
    RateLimited = "rate_limited" => TOO_MANY_REQUESTS,
    InternalError = "internal_error" => INTERNAL_SERVER_ERROR,
    Unavailable = "unavailable" => SERVICE_UNAVAILABLE,
    // Visible clicks and notes (supporters).
    InvalidNote = "invalid_note" => UNPROCESSABLE_ENTITY,
    InvalidVisibility = "invalid_visibility" => UNPROCESSABLE_ENTITY,
    // Subscriptions (issue 22).
    AlreadySubscribed = "already_subscribed" => CONFLICT,
    // Account deletion (docs/PRIVACY.md).
    RevenueLeft = "revenue_left" => CONFLICT,
    FundsChoiceRequired = "funds_choice_required" => UNPROCESSABLE_ENTITY,
    InvalidFundsChoice = "invalid_funds_choice" => UNPROCESSABLE_ENTITY,
    NoCharity = "no_charity" => UNPROCESSABLE_ENTITY,
    // Issue 22, the idle month to charity (`no_charity` above, shared with deletion).
    InvalidUnspent = "invalid_unspent" => UNPROCESSABLE_ENTITY,
    // Transparency: a month without a published head, a reader without a leaf in it.
    NotSettled = "not_settled" => NOT_FOUND,
    NoReceipt = "no_receipt" => NOT_FOUND,
}

impl ErrorCode {
    /// The translation key of the message.
    pub fn message_key(self) -> String {
        format!("error-{}", self.as_str())
    }

    pub fn message(self, locale: Locale) -> String {
        i18n::text(locale, &self.message_key())
    }

    /// The code of an error response that carries none (actix's own 404 and 405).
    pub(super) fn for_status(status: StatusCode) -> ErrorCode {
        ErrorCode::ALL
            .iter()
            .copied()
            .find(|code| code.status() == status)
            .unwrap_or(if status.is_server_error() {
                ErrorCode::InternalError
            } else {
                ErrorCode::BadRequest
            })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A failure the user can act on; its code says which.
    #[error("{}", .0.as_str())]
    User(ErrorCode),
    /// Too many attempts; the client may retry after this many seconds.
    #[error("rate limited for {0} s")]
    RateLimited(u64),
    /// Anything unexpected. The chain is logged; the client sees `internal_error` only.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::User(code) => *code,
            AppError::RateLimited(_) => ErrorCode::RateLimited,
            AppError::Internal(_) => ErrorCode::InternalError,
        }
    }
}

impl From<ErrorCode> for AppError {
    fn from(code: ErrorCode) -> Self {
        AppError::User(code)
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Internal(anyhow::Error::new(e).context("database query failed"))
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        AppError::Internal(anyhow::Error::new(e).context("no database connection available"))
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(anyhow::Error::new(e).context("blocking task failed"))
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.code().status()
    }

    /// An English JSON body; `localize_errors` replaces it with the request's language and,
    /// outside the API, with an HTML page.
    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(e) = self {
            tracing::error!(error = format!("{e:#}"), "request failed");
        }
        let mut response = json_body(self.code(), Locale::En);
        if let AppError::RateLimited(seconds) = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(*seconds));
        }
        response
    }
}

/// The contract's error object: `{"error": {"code": "…", "message": "…"}}`.
pub fn json_body(code: ErrorCode, locale: Locale) -> HttpResponse {
    HttpResponse::build(code.status()).json(serde_json::json!({
        "error": { "code": code.as_str(), "message": code.message(locale) }
    }))
}
