//! The HTTP face of the server: routing, the one auth extractor, request
//! limits, the REST route and the streaming routes.
//!
//! Owns: [`AppState`] (what every request shares), the router, and every
//! HTTP concern: [`auth`] (tokens and the [`auth::authenticate`] extractor),
//! [`serve`] (accepting connections under the cap and timeouts),
//! [`limits`] (bodies under the size limit), [`gate`] (the REST refusal
//! policy and read-only permission), [`rest`] (the REST route), [`streams`]
//! and [`sse`] (`/subscribe`, `/psubscribe`, `/monitor`), [`metrics`] and
//! [`operator`] (`/healthz`, `/readyz`, `/metrics`, `/dashboard`).
//! Must not: talk to Redis directly (the [`crate::backend`] does).
//!
//! Parsing requests and framing replies are the library's
//! (`edgestash::protocol`), shared with the client's mock transport.

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use crate::backend::Store;

pub mod auth;
pub mod gate;
pub mod limits;
pub mod metrics;
pub mod operator;
pub mod rest;
pub mod serve;
pub mod sse;
pub mod streams;
pub mod tenant_scripts;

/// The reply header carrying the read-your-writes token.
pub const SYNC_TOKEN_HEADER: &str = "upstash-sync-token";

/// What every request shares.
#[derive(Debug)]
pub struct AppState {
    /// Where commands run.
    pub store: Store,
    /// The accepted tokens.
    pub tokens: auth::Tokens,
    /// One store per ACL user of the token map, indexed by
    /// [`auth::Identity::tenant`].
    pub tenants: Vec<Store>,
    /// The largest body accepted.
    pub max_request_size: usize,
    /// The per-request work bounds.
    pub limits: crate::config::RequestLimits,
    /// The operator's additions to the REST policy.
    pub policy: gate::Policy,
    /// How long a request's body may take to arrive (408 after).
    pub body_timeout: std::time::Duration,
    /// The sync token: bumped by each request that may write. With one
    /// primary and no replicas, "caught up" always holds, so the number only
    /// has to be monotonic for clients that compare tokens.
    pub sync: AtomicU64,
    /// Requests by command and status class, and their latency.
    pub metrics: metrics::ServerMetrics,
    /// The token of the admin routes (`/metrics`, `/dashboard`); `None`
    /// hides them.
    pub admin_token: Option<String>,
    /// The streaming routes' limits and live count ([`streams`]).
    pub streams: streams::Streams,
}

/// The router: the operator's GET routes, and everything else to the REST
/// protocol (a command named HEALTHZ does not exist in Redis).
pub fn router(state: Arc<AppState>) -> axum::Router {
    use axum::routing::get;
    axum::Router::new()
        .route("/healthz", get(operator::healthz))
        .route("/readyz", get(operator::readyz))
        .route("/metrics", get(operator::metrics))
        .route("/metrics.json", get(operator::metrics_json))
        .route("/dashboard", get(operator::dashboard))
        .fallback(rest::handle)
        .with_state(state)
}
