//! Rate limiting of gateway requests per client: an API key when one is
//! sent (`X-API-Key`, or `Authorization: Bearer`), else the client IP
//! (`CF-Connecting-IP`).
//!
//! Owns: who the client is and the answer: a 429 from
//! [`crate::ratelimit::headers::too_many_requests`] (`Retry-After`,
//! `RateLimit-*`, `X-RateLimit-*`, JSON body) when refused, and the same
//! `RateLimit-*` headers for the allowed response. The limiter is the
//! library's fixed window (`RATELIMIT_LIMIT` per `RATELIMIT_WINDOW`, one
//! script call per request) on the workspace-scoped client, so counters are
//! per workspace. When Redis times out the request is let through
//! (fail open: the origin stays reachable when Redis is slow); any other
//! Redis failure answers 502.
//!
//! Must not: put an API key in a Redis key or a log (keys are identified by
//! the SHA-256 of the key).

use ::worker::{Headers, Request, Response, Result};
use sha2::{Digest, Sha256};

use super::reply;
use super::settings::Settings;
use crate::clock::{Clock, SystemClock};
use crate::ratelimit::headers::{ratelimit_headers, too_many_requests};
use crate::ratelimit::{Ratelimit, TimeoutPolicy};
use crate::Client;

/// Prefix of the gateway's limiter keys (inside the workspace).
const PREFIX: &str = "gw:ratelimit";

/// What the limiter said.
pub(super) enum Verdict {
    /// Allowed: add these headers to the response.
    Allow(Vec<(&'static str, String)>),
    /// Refused, or Redis failed: answer this instead.
    Refuse(Response),
}

/// The client's identifier: `key:<sha256>` for an API key, `ip:<address>`.
fn identify(req: &Request) -> Result<String> {
    let headers = req.headers();
    let key = headers.get("X-API-Key")?.or(headers
        .get("Authorization")?
        .and_then(|a| a.strip_prefix("Bearer ").map(str::to_owned)));
    if let Some(key) = key.filter(|k| !k.is_empty()) {
        return Ok(format!(
            "key:{}",
            crate::scripts::to_hex(&Sha256::digest(key.as_bytes()))
        ));
    }
    let ip = headers
        .get("CF-Connecting-IP")?
        .unwrap_or_else(|| "unknown".to_owned());
    Ok(format!("ip:{ip}"))
}

/// Decides one request; `client` is workspace-scoped.
pub(super) async fn check(req: &Request, client: &Client, settings: &Settings) -> Result<Verdict> {
    if settings.rate_limit == 0 {
        return Ok(Verdict::Allow(Vec::new()));
    }
    let limiter = match Ratelimit::fixed_window(settings.rate_limit, &settings.rate_window)
        .map(|b| {
            // A block cache would live for one request only: off.
            b.prefix(PREFIX)
                .on_timeout(TimeoutPolicy::FailOpen)
                .block_cache(0)
        })
        .and_then(|b| b.build(client))
    {
        Ok(limiter) => limiter,
        Err(e) => return Ok(Verdict::Refuse(reply::redis_failure(&e)?)),
    };
    let decision = match limiter.limit(&identify(req)?).await {
        Ok(decision) => decision,
        Err(e) => return Ok(Verdict::Refuse(reply::redis_failure(&e)?)),
    };
    let now = SystemClock.now_ms();
    if decision.success {
        return Ok(Verdict::Allow(ratelimit_headers(&decision, now)));
    }
    let refusal = too_many_requests(&decision, now);
    let headers = Headers::new();
    for (name, value) in &refusal.headers {
        headers.set(name, value)?;
    }
    Ok(Verdict::Refuse(
        Response::ok(refusal.body)?
            .with_status(refusal.status)
            .with_headers(headers),
    ))
}

/// Adds the allowed decision's headers to `response`.
pub(super) fn annotate(response: Response, headers: &[(&'static str, String)]) -> Result<Response> {
    for (name, value) in headers {
        response.headers().set(name, value)?;
    }
    Ok(response)
}
