//! Operator endpoints behind the admin token (`ADMIN_TOKEN`):
//! `GET /api/v1/admin/redis-metrics` (the client's metrics snapshot),
//! `GET /dashboard` (the live page, shared with edgestash-server) and
//! `GET /metrics.json` (what the page polls, in the library's
//! [`DashboardData`] shape).
//!
//! The token is sent as `Authorization: Bearer <token>` or, from a
//! browser, `?token=<token>`. Without `ADMIN_TOKEN` the routes answer 403
//! (off); with a wrong or missing token, 401. Must not: echo a token.

use ::worker::{Request, Response, Result};
use subtle::ConstantTimeEq;

use super::reply;
use super::settings::Settings;
use super::state::Isolate;
use crate::metrics::dashboard::{self, DashboardData};

/// Runs `serve` for a request carrying the admin token; else 403 or 401.
pub(super) fn guarded(
    req: &Request,
    settings: &Settings,
    serve: impl FnOnce() -> Result<Response>,
) -> Result<Response> {
    let Some(expected) = settings.admin_token.as_deref() else {
        return reply::error(403, "admin endpoints are disabled: ADMIN_TOKEN is not set");
    };
    if given_token(req)?
        .is_some_and(|given| bool::from(given.as_bytes().ct_eq(expected.as_bytes())))
    {
        return serve();
    }
    let response = reply::error(401, "missing or wrong admin token")?;
    response.headers().set("WWW-Authenticate", "Bearer")?;
    Ok(response)
}

/// The bearer token, else the `token` query parameter.
fn given_token(req: &Request) -> Result<Option<String>> {
    if let Some(bearer) = req
        .headers()
        .get("Authorization")?
        .and_then(|h| h.strip_prefix("Bearer ").map(str::to_owned))
    {
        return Ok(Some(bearer));
    }
    Ok(req
        .url()?
        .query_pairs()
        .find(|(name, _)| name == "token")
        .map(|(_, v)| v.into_owned()))
}

fn no_store(response: Response, content_type: &str) -> Result<Response> {
    response.headers().set("Content-Type", content_type)?;
    response.headers().set("Cache-Control", "no-store")?;
    Ok(response)
}

/// The client's metrics snapshot as JSON.
pub(super) fn redis_metrics(isolate: &Isolate) -> Result<Response> {
    no_store(
        Response::ok(isolate.client.metrics().snapshot().to_json())?,
        "application/json",
    )
}

/// The dashboard page.
pub(super) fn dashboard_page() -> Result<Response> {
    no_store(Response::ok(dashboard::page())?, "text/html; charset=utf-8")
}

/// The dashboard's data: the client's counters (requests are Redis
/// requests; the cache is the gateway's origin cache).
pub(super) fn dashboard_data(isolate: &Isolate) -> Result<Response> {
    let snapshot = isolate.client.metrics().snapshot();
    let data = DashboardData::from_snapshot("worker", isolate.client.mode_label(), &snapshot);
    no_store(
        Response::ok(data.to_json().to_string())?,
        "application/json",
    )
}
