//! The native transport: reqwest over rustls, with a bounded number of
//! requests in flight.

use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use tokio::sync::Semaphore;

use std::time::Duration;

use super::stream::{refused, ByteStream, Source};
use super::WireResponse;
use crate::config::{Config, Mode};
use crate::error::{Error, Result, TransportErrorKind};
use crate::protocol::WireRequest;

const SYNC_TOKEN: &str = "upstash-sync-token";

/// HTTPS to an Upstash-compatible endpoint.
///
/// reqwest bounds only idle connections, so a semaphore bounds the requests
/// in flight, and with them the open connections, to `max_connections`.
/// Subscriptions use a client of their own: they last as long as the caller
/// keeps them, so they neither take a permit (fifty subscriptions would
/// otherwise starve every command) nor obey the request timeout; their
/// response headers must come within the request timeout, then each chunk
/// within the subscription's idle timeout.
#[derive(Debug)]
pub struct HttpTransport {
    client: reqwest::Client,
    streams: reqwest::Client,
    request_timeout: Duration,
    base_url: String,
    permits: Arc<Semaphore>,
}

impl HttpTransport {
    /// Builds the HTTP client: bearer token, base64 replies, timeouts, pool bound.
    pub fn new(config: &Config) -> Result<Self> {
        let Mode::Redis { url, token } = &config.mode else {
            return Err(Error::config(
                "MOCK_REDIS",
                "the HTTP transport needs a REST URL",
            ));
        };
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
            .map_err(|_| Error::config("UPSTASH_REDIS_REST_TOKEN", "not a valid header value"))?;
        auth.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, auth);
        headers.insert("Upstash-Encoding", HeaderValue::from_static("base64"));
        let base = || {
            reqwest::Client::builder()
                .default_headers(headers.clone())
                .connect_timeout(config.connect_timeout)
        };
        let built = |b: reqwest::ClientBuilder| {
            b.build().map_err(|_| {
                Error::config(
                    "UPSTASH_REDIS_REST_URL",
                    "the HTTP client could not be built",
                )
            })
        };
        let streams = built(base())?;
        let client = built(
            base()
                .timeout(config.request_timeout)
                .pool_max_idle_per_host(config.max_connections),
        )?;
        Ok(Self {
            client,
            streams,
            request_timeout: config.request_timeout,
            base_url: url.clone(),
            permits: Arc::new(Semaphore::new(config.max_connections)),
        })
    }

    /// Sends one request and reads the whole reply.
    pub async fn send(
        &self,
        request: &WireRequest,
        sync_token: Option<&str>,
    ) -> Result<WireResponse> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| transport_error(TransportErrorKind::Connect))?;
        let url = format!("{}{}", self.base_url, request.path);
        let content_type = if request.json_body {
            "application/json"
        } else {
            "application/octet-stream"
        };
        let mut builder = self
            .client
            .post(url)
            .header(CONTENT_TYPE, content_type)
            .body(request.body.clone());
        if let Some(token) = sync_token {
            builder = builder.header(SYNC_TOKEN, token);
        }
        let response = builder.send().await.map_err(classify)?;
        let status = response.status().as_u16();
        let sync_token = response
            .headers()
            .get(SYNC_TOKEN)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.bytes().await.map_err(classify)?.to_vec();
        Ok(WireResponse {
            status,
            body,
            sync_token,
        })
    }
}

impl HttpTransport {
    /// Opens a streaming request (`path` from
    /// [`crate::protocol::pubsub::stream_path`]); returns once the server
    /// accepted it, with the body still to read.
    pub async fn open_stream(&self, path: &str, idle: Duration) -> Result<ByteStream> {
        let sent = self
            .streams
            .post(format!("{}{}", self.base_url, path))
            .header(ACCEPT, "text/event-stream")
            .header(crate::protocol::pubsub::STREAM_ENCODING_HEADER, "base64")
            .send();
        let response = tokio::time::timeout(self.request_timeout, sent)
            .await
            .map_err(|_| transport_error(TransportErrorKind::Timeout))?
            .map_err(classify)?;
        let status = response.status().as_u16();
        if status != 200 {
            let body = response.bytes().await.map_err(classify)?;
            return Err(refused(status, &body));
        }
        let base64 = response
            .headers()
            .get(crate::protocol::pubsub::ENCODING_HEADER)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"base64"));
        Ok(ByteStream {
            base64,
            idle,
            source: Source::Http(response),
        })
    }
}

fn transport_error(kind: TransportErrorKind) -> Error {
    Error::Transport {
        command: None,
        kind,
    }
}

/// Maps reqwest's error to a kind. reqwest's own message can contain the URL,
/// so it is never kept.
pub(super) fn classify(e: reqwest::Error) -> Error {
    let kind = if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Io
    };
    transport_error(kind)
}

#[cfg(test)]
mod tests {
    /// Cargo.toml pins `idna_adapter` to its 1.0 stub (no Unicode tables;
    /// README, "Configuration"): ASCII and punycode hosts parse, a Unicode
    /// host is refused. `url` is the parser both reqwest and `worker::Fetch`
    /// use, so this is the limitation the Worker and native builds share.
    #[test]
    fn hosts_must_be_ascii_or_punycode() {
        assert!(reqwest::Url::parse("https://eu1-example.upstash.io/get/k").is_ok());
        assert!(reqwest::Url::parse("https://xn--bcher-kva.example/").is_ok());
        assert!(reqwest::Url::parse("https://b\u{fc}cher.example/").is_err());
    }
}
