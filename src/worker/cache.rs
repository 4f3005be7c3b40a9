//! The origin cache: GETs under `CACHE_PREFIXES` answered from Redis.
//!
//! Owns: what is cacheable (a 2xx other than 206, no `Set-Cookie`, no
//! `Cache-Control: private` or `no-store`, a body of at most 1 MiB), the
//! stored entry (status, content type, body as base64 in the library's
//! cache envelope, so bodies are binary-safe) and the `X-Cache` header:
//! `HIT` from Redis, `MISS` fetched from the origin (stored when
//! cacheable). Keys are `ws:<id>:gw:cache:origin:<sha256 of path?query>`,
//! through [`crate::cache::Cache`] (one GET per hit; one loader per key at
//! a time across isolates; within the library's grace period, 10 s past the
//! TTL, a stale entry is served as a `HIT` while one request reloads it).
//! The origin is asked with a plain GET of the path and query, without the
//! client's headers (no cookie, no `Authorization`), so a shared entry
//! never holds one client's answer.
//! Must not: store anything personal (see the rules above) or log paths.

use std::cell::Cell;
use std::sync::Arc;

use ::worker::{Fetch, Headers, Request, Response, Result};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::proxy;
use super::reply;
use crate::cache::{Cache, CacheError, CacheOptions};
use crate::clock::SystemClock;
use crate::Client;

/// Largest body stored, in bytes; bigger responses pass through uncached.
const MAX_BODY_BYTES: usize = 1 << 20;

/// One cached origin response.
#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    status: u16,
    content_type: Option<String>,
    /// The body, base64.
    body: String,
}

/// Why the loader did not produce an entry.
enum Uncached {
    /// The origin answered with something not to store: pass it on.
    Pass(Response),
    /// The origin could not be reached.
    Unreachable,
}

/// Serves a GET through the cache; `client` is workspace-scoped.
pub(super) async fn get(
    req: &Request,
    client: &Client,
    origin: &str,
    ttl_ms: u64,
) -> Result<Response> {
    let url = req.url()?;
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let cache = Cache::new(
        client.clone(),
        "gw",
        Arc::new(SystemClock),
        CacheOptions::default(),
    );
    let key = cache.key(
        "origin",
        &crate::scripts::to_hex(&Sha256::digest(target.as_bytes())),
    );
    let loaded = Cell::new(false);
    let outcome = cache
        .get_or_set(&key, ttl_ms, || {
            loaded.set(true);
            load(format!("{origin}{target}"))
        })
        .await;
    let label = if loaded.get() { "MISS" } else { "HIT" };
    match outcome {
        Ok(entry) => respond(&entry, label),
        Err(CacheError::Loader(Uncached::Pass(response))) => {
            let response = proxy::with_copied_headers(response);
            response.headers().set("X-Cache", "MISS")?;
            Ok(response)
        }
        Err(CacheError::Loader(Uncached::Unreachable)) => reply::error(502, "origin unreachable"),
        Err(CacheError::Redis(e)) => reply::redis_failure(&e),
        Err(_) => reply::error(502, "cached entry unreadable"),
    }
}

/// Fetches `url` from the origin and keeps it when cacheable.
async fn load(url: String) -> std::result::Result<Entry, Uncached> {
    let mut response = Fetch::Url(url.parse().map_err(|_| Uncached::Unreachable)?)
        .send()
        .await
        .map_err(|_| Uncached::Unreachable)?;
    let headers = response.headers();
    let status = response.status_code();
    let control = headers
        .get("Cache-Control")
        .ok()
        .flatten()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let cacheable = (200..300).contains(&status)
        && status != 206
        && !headers.has("Set-Cookie").unwrap_or(true)
        && !control.contains("private")
        && !control.contains("no-store");
    if !cacheable {
        return Err(Uncached::Pass(response));
    }
    let content_type = headers.get("Content-Type").ok().flatten();
    let body = response.bytes().await.map_err(|_| Uncached::Unreachable)?;
    if body.len() > MAX_BODY_BYTES {
        let copy = Headers::new();
        if let Some(ct) = &content_type {
            let _ = copy.set("Content-Type", ct);
        }
        let passed = Response::from_bytes(body).map_err(|_| Uncached::Unreachable)?;
        return Err(Uncached::Pass(
            passed.with_status(status).with_headers(copy),
        ));
    }
    Ok(Entry {
        status,
        content_type,
        body: STANDARD.encode(body),
    })
}

/// The entry as a response with `X-Cache: <label>`.
fn respond(entry: &Entry, label: &str) -> Result<Response> {
    let Ok(body) = STANDARD.decode(&entry.body) else {
        return reply::error(502, "cached entry unreadable");
    };
    let headers = Headers::new();
    if let Some(ct) = &entry.content_type {
        headers.set("Content-Type", ct)?;
    }
    headers.set("X-Cache", label)?;
    Ok(Response::from_bytes(body)?
        .with_status(entry.status)
        .with_headers(headers))
}
