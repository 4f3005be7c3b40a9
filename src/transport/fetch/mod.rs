//! The wasm32 transport: HTTP through the JavaScript `fetch` of the host
//! (Cloudflare Workers, Node 18+, Deno, browsers).
//!
//! Owns: what every request carries (bearer token, content type, base64
//! replies, the read-your-writes token), the deadline (an `AbortController`
//! fired by `setTimeout`), the retry sleep, and the mapping of failures to
//! [`TransportErrorKind`]. The one call that differs by host is behind
//! [`backend`]: `worker::Fetch` with feature `worker`
//! (`fetch_worker.rs`), the global `fetch` with feature `wasm`
//! (`fetch_js.rs`). Must not: interpret replies or retry.

// Subscriptions: the global `fetch` with a streamed body, on both hosts.
mod stream;
pub use stream::FetchStream;

#[cfg(feature = "worker")]
#[path = "fetch_worker.rs"]
mod backend;
#[cfg(all(feature = "wasm", not(feature = "worker")))]
#[path = "fetch_js.rs"]
mod backend;
mod timer;

#[cfg(feature = "wasm")]
pub(crate) use timer::sleep as host_sleep;

use std::time::Duration;

use super::WireResponse;
use crate::config::{Config, Mode, Secret};
use crate::error::{Error, Result, TransportErrorKind};
use crate::protocol::WireRequest;

/// The read-your-writes header, as the official SDKs send it.
const SYNC_TOKEN: &str = "upstash-sync-token";

/// One request, ready for the host's `fetch`.
pub(crate) struct Outgoing<'a> {
    /// Absolute URL.
    pub url: String,
    /// Header names and values, in sending order.
    pub headers: Vec<(&'static str, &'a str)>,
    /// The body bytes.
    pub body: &'a [u8],
    /// True when the body is JSON text (`application/json`); the npm
    /// backend sends it as a string (`worker::Fetch` takes bytes either way).
    #[cfg_attr(feature = "worker", allow(dead_code))]
    pub json: bool,
}

/// Why the host's `fetch` failed, as far as it can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The connection was refused or the name did not resolve: the request
    /// certainly did not reach the server.
    Refused,
    /// Anything else: the request may have reached the server.
    Other,
}

/// HTTPS (or loopback HTTP) to an Upstash-compatible endpoint via `fetch`.
#[derive(Debug)]
pub struct FetchTransport {
    base_url: String,
    token: Secret,
    timeout: Duration,
}

impl FetchTransport {
    /// Takes the endpoint, token and request timeout from `config`.
    ///
    /// `fetch` has no separate connect timeout, so the whole request is
    /// bounded by `REDIS_TIMEOUT_MS`.
    pub fn new(config: &Config) -> Result<Self> {
        let Mode::Redis { url, token } = &config.mode else {
            return Err(Error::config(
                "MOCK_REDIS",
                "the fetch transport needs a REST URL",
            ));
        };
        Ok(Self {
            base_url: url.clone(),
            token: token.clone(),
            timeout: config.request_timeout,
        })
    }

    /// Sends one request and reads the whole reply, within the timeout.
    pub async fn send(
        &self,
        request: &WireRequest,
        sync_token: Option<&str>,
    ) -> Result<WireResponse> {
        let authorization = format!("Bearer {}", self.token.expose());
        let content_type = if request.json_body {
            "application/json"
        } else {
            "application/octet-stream"
        };
        let mut headers = vec![
            ("Authorization", authorization.as_str()),
            ("Content-Type", content_type),
            ("Upstash-Encoding", "base64"),
        ];
        if let Some(token) = sync_token {
            headers.push((SYNC_TOKEN, token));
        }
        let outgoing = Outgoing {
            url: format!("{}{}", self.base_url, request.path),
            headers,
            body: &request.body,
            json: request.json_body,
        };
        let deadline =
            timer::Deadline::arm(self.timeout).map_err(|_| error(TransportErrorKind::Io))?;
        let outcome = backend::send(&outgoing, deadline.signal()).await;
        let timed_out = deadline.fired();
        drop(deadline);
        outcome.map_err(|failure| {
            error(match failure {
                _ if timed_out => TransportErrorKind::Timeout,
                Failure::Refused => TransportErrorKind::Connect,
                Failure::Other => TransportErrorKind::Io,
            })
        })
    }

    /// Opens a streaming request; returns once the server accepted it.
    pub async fn open_stream(&self, path: &str, idle: Duration) -> Result<super::ByteStream> {
        let authorization = format!("Bearer {}", self.token.expose());
        let headers = [
            ("Authorization", authorization.as_str()),
            ("Accept", "text/event-stream"),
            ("Upstash-Encoding", "base64"),
        ];
        let url = format!("{}{}", self.base_url, path);
        match stream::open(&url, &headers, self.timeout).await {
            Ok(stream::Opened::Stream(s, base64)) => Ok(super::ByteStream {
                base64,
                idle,
                source: super::stream::Source::Fetch(s),
            }),
            Ok(stream::Opened::Refused(status, body)) => Err(super::stream::refused(status, &body)),
            Err(Failure::Refused) => Err(error(TransportErrorKind::Connect)),
            Err(Failure::Other) => Err(error(TransportErrorKind::Io)),
        }
    }

    /// Waits with the host's `setTimeout`.
    pub async fn sleep(&self, duration: Duration) {
        timer::sleep(duration).await;
    }
}

fn error(kind: TransportErrorKind) -> Error {
    Error::Transport {
        command: None,
        kind,
    }
}
