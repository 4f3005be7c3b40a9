//! The wasm32 transport: HTTP through the JavaScript `fetch` of the host
//! (Cloudflare Workers, Node 18+, Deno, browsers).
//!
//! Owns: what every request carries (URL, bearer token, body, the
//! read-your-writes token; base64 replies are asked for by the backends),
//! the retry sleep, and the mapping of failures to [`TransportErrorKind`].
//! The exchange itself, with its deadline (an `AbortController` fired by
//! `setTimeout`), differs by host and is behind [`backend`]:
//! `worker::Fetch` with feature `worker` (`fetch_worker.rs`, a `timer.rs`
//! watchdog per request), the global `fetch` driven by `send.js` with
//! feature `wasm` (`fetch_js.rs`, deadlines shared by requests that start
//! together, which Node's `fetch` needs). Must not: interpret replies or retry.

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

mod console;

pub use console::init_console;
pub(crate) use timer::sleep as host_sleep;

use std::time::Duration;

use super::WireResponse;
use crate::config::{Config, Mode, Secret};
use crate::error::{Error, Result, TransportErrorKind};
use crate::protocol::WireRequest;

/// The read-your-writes header, as the official SDKs send it.
#[cfg(feature = "worker")]
const SYNC_TOKEN: &str = "upstash-sync-token";

/// One request, ready for the host's `fetch`.
pub(crate) struct Outgoing<'a> {
    /// Absolute URL.
    pub url: String,
    /// The `Authorization` header's value.
    pub authorization: &'a str,
    /// The read-your-writes token to send, if any.
    pub sync_token: Option<&'a str>,
    /// The body bytes.
    pub body: &'a [u8],
    /// True when the body is JSON text (`application/json`), false for the
    /// binary path form (`application/octet-stream`).
    pub json: bool,
}

impl Outgoing<'_> {
    /// The `Content-Type` header's value.
    #[cfg(feature = "worker")]
    fn content_type(&self) -> &'static str {
        if self.json {
            "application/json"
        } else {
            "application/octet-stream"
        }
    }
}

/// Why the host's `fetch` failed, as far as it can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The connection was refused or the name did not resolve: the request
    /// certainly did not reach the server.
    Refused,
    /// The deadline passed and the request was aborted.
    Timeout,
    /// The endpoint answered with a redirect, which is not followed.
    #[cfg_attr(feature = "worker", allow(dead_code))]
    Redirect,
    /// Anything else: the request may have reached the server.
    Other,
}

impl Failure {
    /// The error kind callers see.
    fn kind(self) -> TransportErrorKind {
        match self {
            Self::Refused => TransportErrorKind::Connect,
            Self::Timeout => TransportErrorKind::Timeout,
            Self::Redirect => TransportErrorKind::Redirect,
            Self::Other => TransportErrorKind::Io,
        }
    }
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
        let outgoing = Outgoing {
            url: format!("{}{}", self.base_url, request.path),
            authorization: &authorization,
            sync_token,
            body: &request.body,
            json: request.json_body,
        };
        backend::send(&outgoing, self.timeout)
            .await
            .map_err(|failure| error(failure.kind()))
    }

    /// Opens a streaming request; returns once the server accepted it.
    pub async fn open_stream(&self, path: &str, idle: Duration) -> Result<super::ByteStream> {
        let authorization = format!("Bearer {}", self.token.expose());
        let headers = [
            ("Authorization", authorization.as_str()),
            ("Accept", "text/event-stream"),
            ("Upstash-Encoding", "base64"),
            (crate::protocol::pubsub::STREAM_ENCODING_HEADER, "base64"),
        ];
        let url = format!("{}{}", self.base_url, path);
        match stream::open(&url, &headers, self.timeout).await {
            Ok(stream::Opened::Stream(s, base64)) => Ok(super::ByteStream {
                base64,
                idle,
                source: super::stream::Source::Fetch(s),
            }),
            Ok(stream::Opened::Refused(status, body)) => Err(super::stream::refused(status, &body)),
            Err(failure) => Err(error(failure.kind())),
        }
    }

    /// Waits with the host's `setTimeout`.
    pub async fn sleep(&self, duration: Duration) {
        timer::sleep(duration).await;
    }
}

/// `duration` in whole milliseconds for `setTimeout`, whose bound is
/// 2^31-1 ms (longer waits would fire at once).
fn millis(duration: Duration) -> f64 {
    duration.as_millis().min(2_147_483_647) as f64
}

fn error(kind: TransportErrorKind) -> Error {
    Error::Transport {
        command: None,
        kind,
    }
}
