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
//! Imports flow one way: [`http`] uses [`backend`], which uses [`config`].
//!
//! - [`config`]: the validated configuration; [`config::cli`] builds it
//!   from flags and env, [`config::token_map`] reads `--token-map`.
//! - [`backend`]: where commands run: [`backend::engine`] (the embedded
//!   engine), [`backend::redis`] with [`backend::redis::connect`] (URL, TLS
//!   files, typed start-up errors), [`backend::redis::sentinel`] and
//!   [`backend::redis::cluster`], [`backend::redis::shebang`] (script
//!   flags older Redis lacks); [`backend::feed`] opens pub/sub feeds.
//! - [`http`]: the accept loop under the connection cap and timeouts
//!   ([`http::serve`]), routing, the one auth extractor, limits, the REST
//!   route, the streaming routes as server-sent events, metrics and
//!   operator routes.
//! - [`check`]: the pre-flight `edgestash-server check` (backend answers PONG).

pub mod backend;
pub mod check;
pub mod config;
pub mod error;
pub mod http;

use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{
    Backend, ClusterBackend, PubSubLimits, RedisTls, SentinelBackend, ServerConfig, TenantToken,
    DEFAULT_LISTEN, DEFAULT_MAX_REQUEST_SIZE,
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
    let state = Arc::new(http::AppState {
        store,
        tokens: http::auth::Tokens::new(&config.token, config.read_only_token.as_deref())
            .with_tenants(tenant_tokens),
        tenants,
        max_request_size: config.max_request_size,
        limits: config.limits,
        policy: http::gate::Policy {
            admin_allowed: config.allow_admin_commands.clone(),
            tenant_scripts: config.tenant_scripts.clone(),
        },
        body_timeout: config.http.body_timeout,
        sync: AtomicU64::new(0),
        metrics: http::metrics::ServerMetrics::default(),
        admin_token: config.admin_token.clone(),
        streams: http::streams::Streams::new(
            config.pubsub,
            config.token_map.len(),
            config.read_only_token.is_some() || !config.token_map.is_empty(),
            streams_ending,
        ),
    });
    let http_limits = config.http;
    let app = http::router(state);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        http::serve::serve(listener, app, http_limits, async move {
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
