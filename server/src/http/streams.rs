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
use edgestash::protocol::pubsub::{encode, PubSubEvent, StreamKind, ENCODING_HEADER};
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

/// The live state of the streaming routes.
#[derive(Debug)]
pub struct Streams {
    limits: PubSubLimits,
    active: Arc<AtomicUsize>,
    shutdown: watch::Receiver<bool>,
}

impl Streams {
    /// Streams under `limits`, all ended when `shutdown` turns true.
    pub fn new(limits: PubSubLimits, shutdown: watch::Receiver<bool>) -> Self {
        Self {
            limits,
            active: Arc::new(AtomicUsize::new(0)),
            shutdown,
        }
    }

    /// Streams open now.
    pub fn active(&self) -> usize {
        self.active.load(Ordering::SeqCst)
    }

    fn acquire(&self) -> Option<Slot> {
        let before = self.active.fetch_add(1, Ordering::SeqCst);
        let slot = Slot(self.active.clone());
        (before < self.limits.max_subscribers).then_some(slot)
    }
}

/// One stream's place under the limit; freed on drop.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
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
    let base64 = parts
        .headers
        .get(ENCODING_HEADER)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"base64"));
    let Some(slot) = state.streams.acquire() else {
        tracing::warn!(
            limit = state.streams.limits.max_subscribers,
            "stream refused: subscriber limit"
        );
        return reply(HttpReply::error(429, TOO_MANY));
    };
    let mut unique: Vec<Vec<u8>> = Vec::with_capacity(targets.len());
    for t in targets {
        if !unique.contains(&t) {
            unique.push(t);
        }
    }
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
        headers.insert(ENCODING_HEADER, HeaderValue::from_static("base64"));
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
                max_subscribers: 2,
                ..PubSubLimits::default()
            },
            rx,
        );
        let a = streams.acquire();
        let b = streams.acquire();
        assert!(a.is_some() && b.is_some());
        assert!(streams.acquire().is_none());
        assert_eq!(streams.active(), 2);
        drop(a);
        assert_eq!(streams.active(), 1);
        assert!(streams.acquire().is_some());
        assert_eq!(streams.active(), 1);
    }
}
