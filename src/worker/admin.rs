//! Operator endpoints behind `Authorization: Bearer <ADMIN_TOKEN>`.

use ::worker::{Env, Headers, Request, Response, Result};
use subtle::ConstantTimeEq;

use super::reply;
use super::state::{lookup, Isolate};

/// The client's metrics snapshot as JSON; 401 without the admin token, 403
/// when no `ADMIN_TOKEN` is configured (the endpoint is then off).
pub(super) fn metrics(req: &Request, env: &Env, isolate: &Isolate) -> Result<Response> {
    let Some(expected) = lookup(env, "ADMIN_TOKEN").filter(|t| !t.is_empty()) else {
        return reply::error(403, "admin endpoints are disabled: ADMIN_TOKEN is not set");
    };
    let given = req.headers().get("Authorization")?.unwrap_or_default();
    if !bearer_matches(&given, &expected) {
        let headers = Headers::new();
        headers.set("WWW-Authenticate", "Bearer")?;
        return Ok(reply::error(401, "missing or wrong admin token")?.with_headers(headers));
    }
    let headers = Headers::new();
    headers.set("Content-Type", "application/json")?;
    headers.set("Cache-Control", "no-store")?;
    Ok(Response::ok(isolate.client.metrics().snapshot().to_json())?.with_headers(headers))
}

/// Compares in time independent of where the tokens differ, so the token
/// cannot be guessed byte by byte from response times.
fn bearer_matches(header: &str, expected: &str) -> bool {
    let given = header.strip_prefix("Bearer ").unwrap_or("");
    bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}
