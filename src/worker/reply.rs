//! JSON and byte responses with the status and content type set once here.

use ::worker::{Response, Result};

/// A JSON response with `status`.
pub(super) fn json(status: u16, body: &serde_json::Value) -> Result<Response> {
    Ok(Response::from_json(body)?.with_status(status))
}

/// `{"error": message}` with `status`. `message` is fixed text, never input.
pub(super) fn error(status: u16, message: &str) -> Result<Response> {
    json(status, &serde_json::json!({ "error": message }))
}

/// The answer when Redis failed: the error's kind and its text (which never
/// holds argument values or secrets, see `crate::error`).
pub(super) fn redis_failure(error: &crate::Error) -> Result<Response> {
    json(
        502,
        &serde_json::json!({ "error": "redis", "kind": error.kind_label(), "detail": error.to_string() }),
    )
}
