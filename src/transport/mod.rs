//! Moving a [`WireRequest`] to an endpoint and its reply back.
//!
//! Owns: the one place that knows which platform edgestash runs on. The
//! closed enum [`Transport`] dispatches statically (no trait objects, no
//! `Send` forced on wasm futures). Native builds use reqwest (`http.rs`);
//! wasm32 builds with feature `worker` or `wasm` use the host's `fetch`
//! (`fetch/`). Must not: interpret replies (the client and the protocol
//! layer do that) or retry (the client's policy does).

#[cfg(all(target_arch = "wasm32", any(feature = "worker", feature = "wasm")))]
mod fetch;
#[cfg(not(target_arch = "wasm32"))]
mod http;
mod mock;
mod stream;

#[cfg(all(target_arch = "wasm32", any(feature = "worker", feature = "wasm")))]
pub use fetch::{init_console, FetchTransport};
#[cfg(not(target_arch = "wasm32"))]
pub use http::HttpTransport;
pub use mock::MockTransport;
pub use stream::{ByteStream, STREAM_IDLE_TIMEOUT};

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::clock::SystemClock;
use crate::config::{Config, Mode};
#[cfg(all(target_arch = "wasm32", not(any(feature = "worker", feature = "wasm"))))]
use crate::error::Error;
use crate::error::Result;
use crate::mock::Engine;
use crate::protocol::pubsub::{stream_path, StreamKind};
use crate::protocol::WireRequest;

/// A boxed future: `Send` on native targets, where multi-threaded runtimes
/// need it; not on wasm, where JavaScript promises are not `Send`.
#[cfg(not(target_arch = "wasm32"))]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
/// A boxed future: `Send` on native targets, where multi-threaded runtimes
/// need it; not on wasm, where JavaScript promises are not `Send`.
#[cfg(target_arch = "wasm32")]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// `Send` on native targets, where multi-threaded runtimes need it; every
/// type on wasm32. Lets code outside the transport state "Send where it
/// matters" without naming the target.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send> MaybeSend for T {}
/// `Send` on native targets, where multi-threaded runtimes need it; every
/// type on wasm32. Lets code outside the transport state "Send where it
/// matters" without naming the target.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T> MaybeSend for T {}

/// The unit-test attribute of code whose tests also run on wasm32 under
/// Node (`wasm-bindgen-test-runner`): `#[test]` natively,
/// `#[wasm_bindgen_test]` there. Use it as `#[crate::unit_test]`.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) use core::prelude::v1::test as unit_test;
/// The unit-test attribute of code whose tests also run on wasm32 under
/// Node (`wasm-bindgen-test-runner`): `#[test]` natively,
/// `#[wasm_bindgen_test]` there. Use it as `#[crate::unit_test]`.
#[cfg(all(test, target_arch = "wasm32"))]
pub(crate) use wasm_bindgen_test::wasm_bindgen_test as unit_test;

/// Waits `duration` on the platform's own timer, whatever the transport
/// (the embedded engine included, which [`Transport::sleep`] skips): for
/// callers that wait on wall-clock time (through the client, for
/// [`Ratelimit::block_until_ready`](crate::ratelimit::Ratelimit::block_until_ready)).
/// Fails on a wasm32 build without feature `worker` or `wasm`: it has no
/// timer to wait on.
pub async fn platform_sleep(duration: Duration) -> Result<()> {
    #[cfg(not(target_arch = "wasm32"))]
    tokio::time::sleep(duration).await;
    #[cfg(all(target_arch = "wasm32", any(feature = "worker", feature = "wasm")))]
    fetch::host_sleep(duration).await;
    #[cfg(all(target_arch = "wasm32", not(any(feature = "worker", feature = "wasm"))))]
    {
        let _ = duration;
        return Err(Error::invalid_request(
            None,
            "this wasm32 build has no timer; build with feature worker or wasm",
        ));
    }
    #[allow(unreachable_code)]
    Ok(())
}

/// An HTTP reply as the transport received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireResponse {
    /// HTTP status code.
    pub status: u16,
    /// The body, undecoded.
    pub body: Vec<u8>,
    /// The `upstash-sync-token` header, if the endpoint sent one.
    pub sync_token: Option<String>,
}

/// The ways edgestash reaches Redis.
#[derive(Debug)]
#[non_exhaustive]
pub enum Transport {
    /// HTTPS with reqwest (native targets).
    #[cfg(not(target_arch = "wasm32"))]
    Http(HttpTransport),
    /// The host's `fetch` (wasm32 with feature `worker` or `wasm`).
    #[cfg(all(target_arch = "wasm32", any(feature = "worker", feature = "wasm")))]
    Fetch(FetchTransport),
    /// The embedded engine (`MOCK_REDIS=true`).
    Mock(MockTransport),
}

impl Transport {
    /// Builds the transport the configuration asks for.
    pub fn from_config(config: &Config) -> Result<Self> {
        match &config.mode {
            #[cfg(not(target_arch = "wasm32"))]
            Mode::Redis { .. } => HttpTransport::new(config).map(Self::Http),
            #[cfg(all(target_arch = "wasm32", any(feature = "worker", feature = "wasm")))]
            Mode::Redis { .. } => FetchTransport::new(config).map(Self::Fetch),
            #[cfg(all(target_arch = "wasm32", not(any(feature = "worker", feature = "wasm"))))]
            Mode::Redis { .. } => Err(Error::config(
                "UPSTASH_REDIS_REST_URL",
                "this wasm build has no HTTP transport; build with feature worker or wasm",
            )),
            Mode::Mock => Ok(Self::Mock(MockTransport::new(Arc::new(Engine::new(
                Arc::new(SystemClock),
            ))))),
        }
    }

    /// Sends one request; `sync_token` is the read-your-writes token to send.
    pub async fn send(
        &self,
        request: &WireRequest,
        sync_token: Option<&str>,
    ) -> Result<WireResponse> {
        match self {
            #[cfg(not(target_arch = "wasm32"))]
            Self::Http(t) => t.send(request, sync_token).await,
            #[cfg(all(target_arch = "wasm32", any(feature = "worker", feature = "wasm")))]
            Self::Fetch(t) => t.send(request, sync_token).await,
            Self::Mock(t) => t.send(request, sync_token),
        }
    }

    /// Opens a streaming request (`/subscribe`, `/psubscribe`) for
    /// `targets`; returns once the endpoint accepted it. Dropping the
    /// stream ends the request.
    /// Each chunk must arrive within `idle`.
    pub async fn open_stream(
        &self,
        kind: StreamKind,
        targets: &[Vec<u8>],
        idle: Duration,
    ) -> Result<ByteStream> {
        let path = stream_path(kind, targets).map_err(|e| {
            crate::error::Error::invalid_request(Some(&kind.segment().to_ascii_uppercase()), e.0)
        })?;
        match self {
            #[cfg(not(target_arch = "wasm32"))]
            Self::Http(t) => t.open_stream(&path, idle).await,
            #[cfg(all(target_arch = "wasm32", any(feature = "worker", feature = "wasm")))]
            Self::Fetch(t) => t.open_stream(&path, idle).await,
            Self::Mock(t) => {
                let _ = path;
                t.open_stream(kind, targets, idle)
            }
        }
    }

    /// Waits between retries, with the platform's timer.
    pub async fn sleep(&self, duration: Duration) {
        match self {
            #[cfg(not(target_arch = "wasm32"))]
            Self::Http(_) => tokio::time::sleep(duration).await,
            #[cfg(all(target_arch = "wasm32", any(feature = "worker", feature = "wasm")))]
            Self::Fetch(t) => t.sleep(duration).await,
            // The engine never fails transiently, so nothing waits on it.
            Self::Mock(_) => {
                let _ = duration;
            }
        }
    }

    /// `redis` for a REST endpoint, `mock` for the in-memory engine.
    pub fn mode_label(&self) -> &'static str {
        match self {
            #[cfg(not(target_arch = "wasm32"))]
            Self::Http(_) => "redis",
            #[cfg(all(target_arch = "wasm32", any(feature = "worker", feature = "wasm")))]
            Self::Fetch(_) => "redis",
            Self::Mock(_) => "mock",
        }
    }
}
