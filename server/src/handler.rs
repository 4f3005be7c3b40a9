//! The one HTTP handler: method, auth, body, parse, gate, run, frame.
//!
//! Owns: the order of those steps and the reply headers. Parsing and
//! framing are the library's ([`edgestash::protocol::parse_request`],
//! [`HttpReply`]) so the server and the client's mock transport cannot drift
//! apart. Logs one line per request with the method, the path kind, the
//! command name, the status and the latency; never arguments, values or
//! tokens. Must not: run commands itself (the backend does).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use edgestash::protocol::response::HttpReply;
use edgestash::protocol::{parse_request, ParsedRequest};

use crate::auth::{Tokens, WRONGPASS};
use crate::backend::{Executed, Store, UNAVAILABLE};
use crate::body::{read_limited, BodyError, TOO_LARGE};
use crate::gate::gate;

/// The reply header carrying the read-your-writes token.
pub const SYNC_TOKEN_HEADER: &str = "upstash-sync-token";

/// What every request shares.
#[derive(Debug)]
pub struct AppState {
    /// Where commands run.
    pub store: Store,
    /// The accepted tokens.
    pub tokens: Tokens,
    /// One store per ACL user of the token map, indexed by
    /// [`crate::auth::Identity::tenant`].
    pub tenants: Vec<Store>,
    /// The largest body accepted.
    pub max_request_size: usize,
    /// The sync token: bumped by each request that may write. With one
    /// primary and no replicas, "caught up" always holds, so the number only
    /// has to be monotonic for clients that compare tokens.
    pub sync: AtomicU64,
    /// Requests by command and status class, and their latency.
    pub metrics: crate::observe::ServerMetrics,
    /// The token of the admin routes (`/metrics`, `/dashboard`); `None`
    /// hides them.
    pub admin_token: Option<String>,
    /// The streaming routes' limits and live count ([`crate::pubsub`]).
    pub streams: crate::pubsub::Streams,
}

/// The server's only route: every method and path lands here.
pub async fn handle(State(state): State<Arc<AppState>>, request: Request) -> Response {
    // `/subscribe`, `/psubscribe` and `/monitor` stream; they are not commands.
    if let Some(parsed) = edgestash::protocol::pubsub::parse_stream_path(request.uri().path()) {
        return crate::pubsub::serve(&state, request, parsed).await;
    }
    let started = Instant::now();
    let method = request.method().clone();
    let path_kind = path_kind(request.uri().path());
    let received = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0)
        + request.uri().path().len();
    let (reply, command) = answer(&state, request).await;
    let latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    tracing::info!(
        method = %method,
        kind = path_kind,
        command = %command,
        status = reply.status,
        latency_us,
        "request"
    );
    state.metrics.record(
        metric_label(&command),
        reply.status,
        latency_us,
        received,
        reply.body.len(),
    );
    let sync = state.sync.load(Ordering::SeqCst);
    respond(reply, sync)
}

/// Runs every step; returns the reply and the command label for the log.
async fn answer(state: &AppState, request: Request) -> (HttpReply, String) {
    let (parts, body) = request.into_parts();
    if !matches!(
        parts.method,
        Method::HEAD | Method::GET | Method::POST | Method::PUT
    ) {
        return (
            HttpReply::error(405, "ERR method not allowed"),
            String::new(),
        );
    }
    // Auth comes before the body so an unauthenticated client cannot make
    // the server read megabytes.
    let query = parts.uri.query();
    let authorization = parts
        .headers
        .get(header::AUTHORIZATION)
        .map(HeaderValue::as_bytes);
    let Some(identity) = state.tokens.identify(authorization, query) else {
        return (HttpReply::error(401, WRONGPASS), String::new());
    };
    let access = identity.access;
    // A tenant runs only on its own ACL user's connection, never falling
    // back to the server's (that would lift the ACL).
    let store = match identity.tenant {
        None => &state.store,
        Some(i) => match state.tenants.get(i) {
            Some(s) => s,
            None => return (HttpReply::error(503, UNAVAILABLE), String::new()),
        },
    };
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let bytes = match read_limited(body, state.max_request_size, declared).await {
        Ok(b) => b,
        Err(BodyError::TooLarge) => return (HttpReply::error(400, TOO_LARGE), String::new()),
        Err(BodyError::Broken) => {
            return (
                HttpReply::error(400, "ERR failed to read the request body"),
                String::new(),
            )
        }
    };
    let parsed = match parse_request(parts.method.as_str(), parts.uri.path(), query, &bytes) {
        Ok(p) => p,
        Err(e) => return (HttpReply::error(e.status, &e.message), String::new()),
    };
    let label = command_label(&parsed);
    let base64 = wants_base64(&parts.headers);
    let gated = gate(parsed, access);
    if gated.writes() {
        state.sync.fetch_add(1, Ordering::SeqCst);
    }
    let reply = match store.run(gated).await {
        Ok(Executed::Single(outcome)) => HttpReply::single(&outcome, base64),
        Ok(Executed::Batch(outcomes)) => HttpReply::batch(&outcomes, base64),
        Ok(Executed::Discarded(text)) => HttpReply::error(400, &text),
        Err(_) => HttpReply::error(503, UNAVAILABLE),
    };
    (reply, label)
}

/// The metrics label of a log label: batches without their size (which
/// would make a label per size), refusals before parsing as `NONE`.
fn metric_label(command: &str) -> &str {
    match command {
        "" => "NONE",
        c if c.starts_with("PIPELINE[") => "PIPELINE",
        c if c.starts_with("MULTI[") => "MULTI",
        c => c,
    }
}

/// `Upstash-Encoding: base64` (any case) asks for base64 strings.
fn wants_base64(headers: &HeaderMap) -> bool {
    headers
        .get("upstash-encoding")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"base64"))
}

/// Builds the HTTP response from a framed reply.
fn respond(reply: HttpReply, sync: u64) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(SYNC_TOKEN_HEADER, HeaderValue::from(sync));
    response
}

/// Which form a path is, for the log (the path itself holds arguments).
fn path_kind(path: &str) -> &'static str {
    match path {
        "" | "/" => "body",
        "/pipeline" | "/pipeline/" => "pipeline",
        "/multi-exec" | "/multi-exec/" => "multi-exec",
        _ => "path",
    }
}

/// The command name for the log: upper case when it looks like a command
/// name, otherwise `?` (a garbage name could be an argument pasted by mistake).
fn command_label(parsed: &ParsedRequest) -> String {
    fn name(parts: &[Vec<u8>]) -> String {
        match parts.first() {
            Some(n)
                if !n.is_empty()
                    && n.len() <= 32
                    && n.iter()
                        .all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.') =>
            {
                String::from_utf8_lossy(n).to_ascii_uppercase()
            }
            _ => "?".to_owned(),
        }
    }
    match parsed {
        ParsedRequest::Single(parts) => name(parts),
        ParsedRequest::Pipeline(cmds) => format!("PIPELINE[{}]", cmds.len()),
        ParsedRequest::MultiExec(cmds) => format!("MULTI[{}]", cmds.len()),
        _ => "?".to_owned(),
    }
}
