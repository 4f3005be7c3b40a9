//! # edgestash-server
//!
//! An Upstash-compatible REST server: the Upstash REST protocol (see
//! docs/PROTOCOL.md) over a real redis-server or over edgestash's embedded engine.
//! It is what users run locally instead of a hosted database, and what
//! edgestash's own integration tests run against.
//!
//! ```no_run
//! # async fn demo() -> Result<(), edgestash_server::ServerError> {
//! use edgestash_server::{start, Backend, ServerConfig};
//!
//! let mut config = ServerConfig::new("my-token");
//! config.backend = Backend::Redis("redis://127.0.0.1:6379".to_owned());
//! let server = start(config).await?;
//! println!("listening on {}", server.url());
//! server.shutdown().await?;
//! # Ok(()) }
//! ```
//!
//! ## Layout
//!
//! - [`config`]: the validated configuration; [`cli`] builds it from flags and env.
//! - [`check`]: the pre-flight `edgestash-server check` (backend answers PONG).
//! - [`auth`]: tokens, compared in constant time; [`token_map`]: tokens
//!   that run as a Redis ACL user (`--token-map`).
//! - [`body`]: reading bodies under the size limit.
//! - [`gate`]: the REST refusal policy and the read-only permission.
//! - [`backend`], [`backend_redis`], [`backend_memory`]: where commands run.
//! - [`redis_connect`]: connecting to Redis (URL, TLS files, typed
//!   start-up errors) for every topology; [`redis_sentinel`]: the primary
//!   Sentinel names, followed across failovers; [`redis_cluster`]: slot
//!   routing of singles, pipelines and transactions on a Cluster.
//! - [`handler`]: the REST route tying them together.
//! - [`pubsub`], [`sse`]: `/subscribe`, `/psubscribe` and `/monitor` as
//!   server-sent events, one dedicated Redis connection per stream.
//! - [`observe`], [`observe_http`]: the server's metrics, and the operator's
//!   routes `/healthz`, `/readyz`, `/metrics`, `/metrics.json`, `/dashboard`.
//!
//! Parsing requests and framing replies are the library's
//! (`edgestash::protocol`), shared with the client's mock transport.

pub mod auth;
pub mod backend;
pub mod backend_memory;
pub mod backend_redis;
pub mod body;
pub mod check;
pub mod cli;
pub mod config;
pub mod error;
pub mod gate;
pub mod handler;
pub mod observe;
pub mod observe_http;
pub mod redis_cluster;
pub mod redis_connect;
pub mod redis_sentinel;
pub mod token_map;

// The streaming routes.
pub mod pubsub;
pub mod sse;

use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{
    Backend, ClusterBackend, RedisTls, SentinelBackend, ServerConfig, DEFAULT_LISTEN,
    DEFAULT_MAX_REQUEST_SIZE,
};
pub use error::ServerError;

/// A server accepting requests; stop it with [`RunningServer::shutdown`].
///
/// Dropping it without calling `shutdown` also stops it (the task notices
/// the closed channel), but without waiting for in-flight requests.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), ServerError>>,
}

impl RunningServer {
    /// The address actually bound (the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`: the REST URL to give clients.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits.
    pub async fn shutdown(mut self) -> Result<(), ServerError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.wait().await
    }

    /// Waits until the server stops (after [`RunningServer::shutdown`] from
    /// elsewhere, or an I/O error).
    pub async fn wait(&mut self) -> Result<(), ServerError> {
        match (&mut self.task).await {
            Ok(result) => result,
            Err(_) => Err(ServerError::Serve(std::io::Error::other(
                "the server task ended abnormally",
            ))),
        }
    }
}

/// Validates the configuration, connects the backend, binds and starts serving.
///
/// Returns once the socket is bound, so the address is known and requests
/// can be sent at once. Fails when the token is empty, the backend cannot
/// be reached or the address cannot be bound.
pub async fn start(config: ServerConfig) -> Result<RunningServer, ServerError> {
    config.validate()?;
    let store = backend::Store::connect(&config.backend, &config.redis_tls).await?;
    let (tenants, tenant_tokens) =
        backend::Store::connect_tenants(&config.backend, &config.redis_tls, &config.token_map)
            .await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, backend = store.kind(), max_request_size = config.max_request_size, "edgestash-server listening");
    // Streams never end by themselves: shutdown tells them to, so the
    // graceful shutdown below does not wait on them forever.
    let (end_streams, streams_ending) = tokio::sync::watch::channel(false);
    let state = Arc::new(handler::AppState {
        store,
        tokens: auth::Tokens::new(&config.token, config.read_only_token.as_deref())
            .with_tenants(tenant_tokens),
        tenants,
        max_request_size: config.max_request_size,
        sync: AtomicU64::new(0),
        metrics: observe::ServerMetrics::default(),
        admin_token: config.admin_token.clone(),
        streams: pubsub::Streams::new(config.pubsub, streams_ending),
    });
    // Only GET on these paths; every other method and path is the REST
    // protocol's (a command named HEALTHZ does not exist in Redis).
    let app = axum::Router::new()
        .route("/healthz", axum::routing::get(observe_http::healthz))
        .route("/readyz", axum::routing::get(observe_http::readyz))
        .route("/metrics", axum::routing::get(observe_http::metrics))
        .route(
            "/metrics.json",
            axum::routing::get(observe_http::metrics_json),
        )
        .route("/dashboard", axum::routing::get(observe_http::dashboard))
        .fallback(handler::handle)
        .with_state(state);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
                let _ = end_streams.send(true);
            })
            .await
            .map_err(ServerError::Serve)
    });
    Ok(RunningServer {
        addr,
        stop: Some(stop),
        task,
    })
}
