//! Streaming responses: the body of a `/subscribe`, `/psubscribe` or
//! `/monitor` request, chunk by chunk, as it arrives.
//!
//! Owns: the per-platform byte source behind a subscription (a reqwest
//! response on native targets, a `fetch` body reader on wasm32, the
//! engine's in-process subscription for the mock transport, framed as the
//! server would frame it). Dropping a [`ByteStream`] ends the HTTP request
//! (native: the connection is closed; wasm: the fetch is aborted), which is
//! how a subscription is cancelled. Must not: parse SSE or pub/sub events
//! (the protocol layer does).

use std::time::Duration;

use crate::error::{Error, Result, StreamErrorKind, TransportErrorKind};
use crate::mock::pubsub::EngineSubscription;
use crate::protocol::decode_single;
use crate::protocol::pubsub::encode;

/// The default for how long a stream may stay silent before it counts as
/// dead ([`crate::pubsub::SubscribeOptions::idle_timeout`]): four times
/// edgestash-server's keepalive interval, so a live but quiet channel never
/// trips it while a connection lost without a FIN or RST surfaces as a
/// timeout error instead of a stall.
pub const STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// The error for a streaming request the server did not accept: its
/// Upstash error envelope classified as for commands (401 is
/// [`Error::Auth`], `ERR max ...` a [`Error::Limit`]...).
pub(crate) fn refused(status: u16, body: &[u8]) -> Error {
    match decode_single(status, body, "SUBSCRIBE") {
        Err(e) => e,
        Ok(_) => Error::Transport {
            command: Some("SUBSCRIBE".to_owned()),
            kind: TransportErrorKind::Status(status),
        },
    }
}

/// The body of a streaming response.
#[derive(Debug)]
pub struct ByteStream {
    /// True when the server answered with base64 fields
    /// (`Upstash-Encoding: base64` echoed in the response).
    pub base64: bool,
    /// How long one chunk may take before the stream fails with a timeout.
    pub(crate) idle: Duration,
    pub(crate) source: Source,
}

#[derive(Debug)]
pub(crate) enum Source {
    #[cfg(not(target_arch = "wasm32"))]
    Http(reqwest::Response),
    #[cfg(all(target_arch = "wasm32", any(feature = "worker", feature = "wasm")))]
    Fetch(super::fetch::FetchStream),
    Mock(EngineSubscription),
}

impl ByteStream {
    /// The next chunk: `None` when the body ended.
    pub async fn next_chunk(&mut self) -> Option<Result<Vec<u8>>> {
        match &mut self.source {
            #[cfg(not(target_arch = "wasm32"))]
            Source::Http(response) => match tokio::time::timeout(self.idle, response.chunk()).await
            {
                Ok(Ok(Some(bytes))) => Some(Ok(bytes.to_vec())),
                Ok(Ok(None)) => None,
                Ok(Err(e)) => Some(Err(super::http::classify(e))),
                Err(_elapsed) => Some(Err(Error::Transport {
                    command: None,
                    kind: TransportErrorKind::Timeout,
                })),
            },
            #[cfg(all(target_arch = "wasm32", any(feature = "worker", feature = "wasm")))]
            Source::Fetch(stream) => stream.next_chunk(self.idle).await,
            Source::Mock(sub) => match sub.next().await {
                Some(Ok(event)) => Some(Ok(encode(&event, self.base64))),
                Some(Err(_lagged)) => Some(Err(Error::Stream {
                    reason: StreamErrorKind::Lagged,
                })),
                None => None,
            },
        }
    }
}
