//! The streaming routes: `/subscribe/<channel>...`,
//! `/psubscribe/<pattern>...` and `/monitor`, as server-sent events.
//!
//! Owns: who may stream and the subscriber limit; the feed itself is
//! opened by [`crate::backend::feed`] on the caller's store (a tenant's
//! ACL user's, so Redis's channel ACLs apply). Access rules: any valid
//! token may subscribe (subscribing reads; a read-only token included);
//! `/monitor` shows every command with its arguments, so it needs the
//! full-access token (read-only and tenant tokens get NOPERM). Past `max_subscribers` concurrent
//! streams the answer is 429 with `ERR max number of subscribers reached`.
//! Must not: frame or pump the stream (see [`super::sse`]).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use edgestash::protocol::pubsub::{encode, PubSubEvent, StreamKind, STREAM_ENCODING_HEADER};
use edgestash::protocol::response::HttpReply;
use tokio::sync::watch;

use super::auth::{authenticate, Access};
use super::sse;
use super::AppState;
use crate::backend::feed::{self, FeedError};
use crate::backend::UNAVAILABLE;
use crate::config::PubSubLimits;

/// The text of the 429 reply past the limit.
pub const TOO_MANY: &str = "ERR max number of subscribers reached";

/// The text of the 429 reply past one token's share.
pub const TOO_MANY_FOR_TOKEN: &str = "ERR max number of subscribers reached for this token";

/// The live state of the streaming routes.
#[derive(Debug)]
pub struct Streams {
    limits: PubSubLimits,
    active: Arc<AtomicUsize>,
    /// Streams open per token: 0 the full-access token, 1 the read-only
    /// token, 2 + i the tenant user `i` (fixed at start-up, so no lock).
    per_token: Arc<[AtomicUsize]>,
    /// One token's share (see [`PubSubLimits::per_token`]).
    share: usize,
    shutdown: watch::Receiver<bool>,
}

impl Streams {
    /// Streams under `limits` for the server's two tokens and `tenants`
    /// tenant users (`several`: more than one token is configured), all
    /// ended when `shutdown` turns true.
    pub fn new(
        limits: PubSubLimits,
        tenants: usize,
        several: bool,
        shutdown: watch::Receiver<bool>,
    ) -> Self {
        Self {
            share: limits.per_token(several),
            limits,
            active: Arc::new(AtomicUsize::new(0)),
            per_token: (0..tenants + 2).map(|_| AtomicUsize::new(0)).collect(),
            shutdown,
        }
    }

    /// Streams open now.
    pub fn active(&self) -> usize {
        self.active.load(Ordering::SeqCst)
    }

    /// A place under the global limit and under `who`'s share.
    fn acquire(&self, who: usize) -> Result<Slot, &'static str> {
        let slot = Slot {
            total: self.active.clone(),
            per_token: self.per_token.clone(),
            who,
        };
        let before = self.active.fetch_add(1, Ordering::SeqCst);
        let mine = match self.per_token.get(who) {
            Some(n) => n.fetch_add(1, Ordering::SeqCst),
            None => usize::MAX,
        };
        // Dropping `slot` gives back both counts whatever happens below.
        if before >= self.limits.max_subscribers {
            Err(TOO_MANY)
        } else if mine >= self.share {
            Err(TOO_MANY_FOR_TOKEN)
        } else {
            Ok(slot)
        }
    }
}

/// Which per-token counter an identity uses (see [`Streams::per_token`]).
fn token_index(identity: super::auth::Identity) -> usize {
    match (identity.tenant, identity.access) {
        (Some(i), _) => i.saturating_add(2),
        (None, Access::Full) => 0,
        (None, Access::ReadOnly) => 1,
    }
}

/// One stream's place under the limits; freed on drop.
struct Slot {
    total: Arc<AtomicUsize>,
    per_token: Arc<[AtomicUsize]>,
    who: usize,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.total.fetch_sub(1, Ordering::SeqCst);
        if let Some(n) = self.per_token.get(self.who) {
            n.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Serves a streaming request whose path was parsed as `kind` with `targets`.
///
/// Counted in the server's metrics like a command (`SUBSCRIBE`,
/// `PSUBSCRIBE`, `MONITOR`), with the time it took to open the stream.
pub async fn serve(
    state: &AppState,
    request: Request,
    parsed: edgestash::protocol::pubsub::ParsedStream,
) -> Response {
    let started = std::time::Instant::now();
    let received = request.uri().path().len();
    let label = match &parsed {
        Ok((StreamKind::PSubscribe, _)) => "PSUBSCRIBE",
        Ok((StreamKind::Monitor, _)) => "MONITOR",
        _ => "SUBSCRIBE",
    };
    let response = open_stream(state, request, parsed).await;
    let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    let status = response.status().as_u16();
    tracing::info!(
        command = label,
        status,
        latency_us = micros,
        "stream request"
    );
    state.metrics.record(label, status, micros, received, 0);
    response
}

async fn open_stream(
    state: &AppState,
    request: Request,
    parsed: edgestash::protocol::pubsub::ParsedStream,
) -> Response {
    let (parts, _body) = request.into_parts();
    if !matches!(parts.method, Method::GET | Method::POST) {
        return reply(HttpReply::error(405, "ERR method not allowed"));
    }
    let caller = match authenticate(state, &parts) {
        Ok(c) => c,
        Err(refusal) => return reply(refusal),
    };
    let identity = caller.identity;
    let (kind, targets) = match parsed {
        Ok(p) => p,
        Err(e) => return reply(HttpReply::error(400, &format!("ERR {}", e.0))),
    };
    if kind == StreamKind::Monitor && (identity.access != Access::Full || identity.tenant.is_some())
    {
        return reply(HttpReply::error(
            400,
            "NOPERM this user has no permissions to run the 'monitor' command",
        ));
    }
    // Only edgestash's own opt-in selects base64 fields: the official SDKs
    // send `Upstash-Encoding: base64` on every request and read the stream
    // as Upstash's plain text, so that header must not change it.
    let base64 = parts
        .headers
        .get(STREAM_ENCODING_HEADER)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"base64"));
    let slot = match state.streams.acquire(token_index(identity)) {
        Ok(slot) => slot,
        Err(text) => {
            tracing::warn!(
                limit = state.streams.limits.max_subscribers,
                per_token = state.streams.share,
                "stream refused: subscriber limit"
            );
            return reply(HttpReply::error(429, text));
        }
    };
    // Linear de-duplication keeping the first occurrence's order.
    let mut seen = std::collections::HashSet::with_capacity(targets.len());
    let unique: Vec<Vec<u8>> = targets
        .into_iter()
        .filter(|t| seen.insert(t.clone()))
        .collect();
    drop(seen);
    let feed = match feed::open(caller.store, kind, &unique).await {
        Ok(feed) => feed,
        Err(e) => return reply(refusal(&e)),
    };
    let first = unique
        .into_iter()
        .zip(1i64..)
        .map(|(t, count)| {
            let event = match kind {
                StreamKind::PSubscribe => PubSubEvent::PSubscribe { pattern: t, count },
                _ => PubSubEvent::Subscribe { channel: t, count },
            };
            Bytes::from(encode(&event, base64))
        })
        .collect();
    let body = sse::start(
        feed,
        first,
        base64,
        state.streams.limits.keepalive,
        state.streams.shutdown.clone(),
        slot,
    );
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // Tells nginx-style proxies not to buffer the stream.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    if base64 {
        headers.insert(STREAM_ENCODING_HEADER, HeaderValue::from_static("base64"));
    }
    response
}

/// The reply for a feed that could not be opened: Redis's refusal of a
/// tenant's channel (NOPERM) as a 400, anything else as unavailable.
fn refusal(e: &FeedError) -> HttpReply {
    match e {
        FeedError::NoPerm => HttpReply::error(
            400,
            "NOPERM this user has no permissions to access one of the channels used as arguments",
        ),
        FeedError::Refused(code) => {
            HttpReply::error(400, &format!("{code} subscription refused by Redis"))
        }
        _ => HttpReply::error(503, UNAVAILABLE),
    }
}

fn reply(r: HttpReply) -> Response {
    let mut response = Response::new(Body::from(r.body));
    *response.status_mut() =
        StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_bounded_and_freed_on_drop() {
        let (_tx, rx) = watch::channel(false);
        let streams = Streams::new(
            PubSubLimits {
                max_subscribers: 3,
                max_subscribers_per_token: Some(2),
                ..PubSubLimits::default()
            },
            1,
            true,
            rx,
        );
        let a = streams.acquire(0);
        let b = streams.acquire(0);
        assert!(a.is_ok() && b.is_ok());
        assert_eq!(streams.acquire(0).err(), Some(TOO_MANY_FOR_TOKEN));
        assert_eq!(streams.active(), 2);
        let c = streams.acquire(2);
        assert!(c.is_ok());
        assert_eq!(streams.acquire(1).err(), Some(TOO_MANY));
        drop(a);
        assert_eq!(streams.active(), 2);
        assert!(streams.acquire(0).is_ok());
        assert_eq!(streams.active(), 2);
    }
}
