//! The one HTTP handler: method, auth, body, parse, gate, run, frame.
//!
//! Owns: the order of those steps and the reply headers. Parsing and
//! framing are the library's ([`parse_request_bounded`],
//! [`HttpReply`]) so the server and the client's mock transport cannot drift
//! apart. Logs one line per request with the method, the path kind, the
//! command label, the status and the latency; never arguments, values or
//! tokens. The label is bounded: a command name only once the backend
//! accepted it as a command (`UNKNOWN` otherwise, `REFUSED` for refusals),
//! so junk names never become metric labels or log fields. A 401 carries
//! no `upstash-sync-token`. Must not: run commands itself (the backend does).

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use edgestash::protocol::request::parse_request_bounded;
use edgestash::protocol::response::HttpReply;
use edgestash::protocol::ParsedRequest;

use super::auth::authenticate;
use super::gate::gate;
use super::limits::{read_limited, BodyError, TOO_LARGE};
use super::{AppState, SYNC_TOKEN_HEADER};
use crate::backend::{Executed, UNAVAILABLE};

/// The server's only route: every method and path lands here.
pub async fn handle(State(state): State<Arc<AppState>>, request: Request) -> Response {
    // `/subscribe`, `/psubscribe` and `/monitor` stream; they are not commands.
    if let Some(parsed) = edgestash::protocol::pubsub::parse_stream_path(request.uri().path()) {
        return super::streams::serve(&state, request, parsed).await;
    }
    let started = Instant::now();
    let method = request.method().clone();
    let path_kind = path_kind(request.uri().path());
    // Saturating: a client may declare any Content-Length.
    let received = declared_length(request.headers())
        .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX))
        .saturating_add(request.uri().path().len());
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
    // A refused caller learns nothing about the server, not even the sync
    // token's progress.
    let sync = (reply.status != 401).then(|| state.sync.load(Ordering::SeqCst));
    respond(reply, sync)
}

/// The declared Content-Length, if it is a number.
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
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
    let caller = match authenticate(state, &parts) {
        Ok(c) => c,
        Err(refusal) => return (refusal, String::new()),
    };
    let query = parts.uri.query();
    let declared = declared_length(&parts.headers);
    // `Expect: 100-continue` over the limit: answer 413 before the body is
    // touched, so hyper never sends `100 Continue` and the client never
    // sends the body.
    let over =
        declared.is_some_and(|n| usize::try_from(n).map_or(true, |n| n > state.max_request_size));
    if over
        && parts
            .headers
            .get(header::EXPECT)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"))
    {
        return (HttpReply::error(413, TOO_LARGE), String::new());
    }
    let read = read_limited(body, state.max_request_size, declared);
    let Ok(read) = tokio::time::timeout(state.body_timeout, read).await else {
        return (
            HttpReply::error(408, "ERR request body timed out"),
            String::new(),
        );
    };
    let bytes = match read {
        Ok(b) => b,
        Err(BodyError::TooLarge) => return (HttpReply::error(400, TOO_LARGE), String::new()),
        Err(BodyError::Broken) => {
            return (
                HttpReply::error(400, "ERR failed to read the request body"),
                String::new(),
            )
        }
    };
    let parsed = match parse_request_bounded(
        parts.method.as_str(),
        parts.uri.path(),
        query,
        &bytes,
        state.limits.max_commands,
    ) {
        Ok(p) => p,
        Err(e) => return (HttpReply::error(e.status, &e.message), String::new()),
    };
    drop(bytes);
    let mut label = command_label(&parsed);
    let base64 = wants_base64(&parts.headers);
    let gated = gate(parsed, caller.identity, &state.policy);
    if gated.writes() {
        state.sync.fetch_add(1, Ordering::SeqCst);
    }
    let reply = match gated.run(caller.store).await {
        Ok(Executed::Single(outcome)) => {
            // Only a name the backend knows becomes a label: junk names
            // must not fill the metrics' label table.
            if let Err(text) = &outcome {
                if text.starts_with("ERR unknown command") {
                    "UNKNOWN".clone_into(&mut label);
                }
            }
            HttpReply::single(&outcome, base64)
        }
        Ok(Executed::Batch(outcomes)) => HttpReply::batch(&outcomes, base64),
        Ok(Executed::Discarded(text)) => {
            if !label.starts_with("MULTI[") {
                "REFUSED".clone_into(&mut label);
            }
            HttpReply::error(400, &text)
        }
        Err(_) => {
            if !label.starts_with("MULTI[") && !label.starts_with("PIPELINE[") {
                "UNKNOWN".clone_into(&mut label);
            }
            HttpReply::error(503, UNAVAILABLE)
        }
    };
    if reply.body.len() > state.limits.max_reply_size {
        tracing::warn!(
            limit = state.limits.max_reply_size,
            "reply over --max-reply-size refused"
        );
        return (HttpReply::error(400, REPLY_TOO_LARGE), label);
    }
    (reply, label)
}

/// The error text of a reply over `--max-reply-size`.
pub const REPLY_TOO_LARGE: &str = "ERR max response size exceeded";

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

/// Builds the HTTP response from a framed reply (`sync`: the sync token
/// header's value, `None` to leave it out).
fn respond(reply: HttpReply, sync: Option<u64>) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(sync) = sync {
        headers.insert(SYNC_TOKEN_HEADER, HeaderValue::from(sync));
    }
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
