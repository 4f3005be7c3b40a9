//! The in-memory transport: requests go through the same encoding, REST
//! parsing, envelope framing and decoding as HTTP, but to the embedded engine.

use std::sync::Arc;

use super::stream::{ByteStream, Source};
use super::WireResponse;
use crate::error::{Error, Result};
use crate::mock::{rest, Engine};
use crate::protocol::pubsub::StreamKind;
use crate::protocol::{parse_request, response::HttpReply, WireRequest};

/// Serves requests from an [`Engine`] in this process.
#[derive(Debug, Clone)]
pub struct MockTransport {
    engine: Arc<Engine>,
}

impl MockTransport {
    /// A transport over `engine` (share the `Arc` to inspect or seed it).
    pub fn new(engine: Arc<Engine>) -> Self {
        Self { engine }
    }

    /// The engine behind this transport.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// Parses the request exactly as a server would, runs it, frames the reply.
    ///
    /// The sync token is accepted and ignored: one in-process store has no
    /// replicas to catch up.
    pub fn send(&self, request: &WireRequest, _sync_token: Option<&str>) -> Result<WireResponse> {
        let (path, query) = match request.path.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (request.path.as_str(), None),
        };
        let reply = match parse_request("POST", path, query, &request.body) {
            Ok(parsed) => rest::handle(&self.engine, &parsed, true),
            Err(e) => HttpReply::error(e.status, &e.message),
        };
        Ok(WireResponse {
            status: reply.status,
            body: reply.body,
            sync_token: None,
        })
    }

    /// Subscribes on the engine's in-process pub/sub; the events are framed
    /// exactly as edgestash-server frames them (base64 fields), so the
    /// client's SSE and event parsing run here too.
    /// (`idle` is kept for symmetry: the engine cannot go silent by failure.)
    pub fn open_stream(
        &self,
        kind: StreamKind,
        targets: &[Vec<u8>],
        idle: std::time::Duration,
    ) -> Result<ByteStream> {
        let (channels, patterns) = match kind {
            StreamKind::Subscribe => (targets.to_vec(), Vec::new()),
            StreamKind::PSubscribe => (Vec::new(), targets.to_vec()),
            _ => {
                return Err(Error::invalid_request(
                    Some(kind.segment()),
                    "the embedded engine does not stream this endpoint",
                ))
            }
        };
        Ok(ByteStream {
            base64: true,
            idle,
            source: Source::Mock(self.engine.subscribe(channels, patterns)),
        })
    }
}
