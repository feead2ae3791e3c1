//! Which error to use where:
//! - `domain` returns its own typed errors (e.g. `FieldError`s for a form).
//! - Server functions return `AppError`; it crosses the wire as JSON so the page can show
//!   the right message, and it carries the HTTP status the response gets.
//! - Causes (D1, KV, Queue failures) are logged on the server with a reference the merchant
//!   sees; the cause itself never reaches the browser.

use domain::FieldError;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please correct the highlighted fields. Nothing was saved.")]
    Invalid(Vec<FieldError>),
    #[error("Your session has expired. Reload Stock Sentry from your Shopify admin.")]
    Unauthorized,
    #[error("{0} was not found.")]
    NotFound(String),
    /// The thing changed under the request (e.g. a recalculation moved an alert on).
    #[error("{0}")]
    Conflict(String),
    #[error("Too many requests. Please wait {0} seconds and try again.")]
    RateLimited(u64),
    #[error("Shopify did not answer as expected: {0}")]
    Upstream(String),
    /// Something passing holds the resource (another caller renewing the shop's token):
    /// the same call succeeds shortly, so jobs retry it rather than fail.
    #[error("{0}")]
    Busy(String),
    #[error("Something went wrong on our side. Please try again (reference {0}).")]
    Internal(String),
    #[error("Stock Sentry could not be reached: {0}")]
    Transport(String),
    /// The request's arguments could not be read (a malformed form or body).
    #[error("The request could not be read: {0}")]
    Malformed(String),
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            Self::Invalid(_) => 422,
            Self::Malformed(_) => 400,
            Self::Unauthorized => 401,
            Self::NotFound(_) => 404,
            Self::Conflict(_) => 409,
            Self::RateLimited(_) => 429,
            Self::Upstream(_) => 502,
            Self::Busy(_) => 503,
            Self::Internal(_) | Self::Transport(_) => 500,
        }
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid(errs) => errs,
            _ => &[],
        }
    }
}

impl FromServerFnError for AppError {
    // Read from text in the browser, as every answer is (`api::codec`).
    type Encoder = crate::api::codec::JsonText;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Only the server decodes arguments: a bad request, not a failure on our side.
            ServerFnErrorErr::Args(m) => Self::Malformed(m),
            other => Self::Transport(other.to_string()),
        }
    }
}
