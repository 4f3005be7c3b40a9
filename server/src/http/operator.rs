//! The operator's routes: `/healthz`, `/readyz`, `/metrics`,
//! `/metrics.json` and `/dashboard`.
//!
//! | route | token | answers |
//! |---|---|---|
//! | `GET /healthz` | none | 200 `{"status":"ok","mode","latency_ms"}` when the backend answers a PING (`degraded` when slower than 600 ms), 503 `unhealthy` with `reason` when it does not |
//! | `GET /readyz` | none | 200 `{"ready":true}` when the backend answers a PING now, 503 with `reason` otherwise |
//! | `GET /metrics` | admin | Prometheus text (see [`super::metrics`]) |
//! | `GET /metrics.json` | admin | the dashboard's JSON (the library's shared [`dashboard::DashboardData`] shape) |
//! | `GET /dashboard` | none (404 without an admin token) | the live HTML dashboard, which asks for the admin token and sends it to `/metrics.json` as a bearer token |
//!
//! `mode` is `redis` or `memory`. The embedded engine reports `ok`, not
//! `degraded` as the library's mock mode does: for this server it is the
//! backend the operator chose, not a fallback.
//!
//! The admin token (`--admin-token` / `EDGESTASH_ADMIN_TOKEN`) is sent as
//! `Authorization: Bearer <token>`, never in a URL (proxy logs, history).
//! Without an admin token configured the admin routes answer 404, as if
//! they did not exist: nothing about the server leaks by default.
//!
//! Must not: log or echo tokens; the health routes must stay cheap (one
//! PING bounded by a short timeout) because orchestrators poll them.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use edgestash::clock::Stopwatch;
use edgestash::health::{HealthReport, HealthStatus, DEFAULT_SLOW_PING_MS};
use edgestash::metrics::dashboard;
use subtle::ConstantTimeEq;

use super::metrics::RedisInfo;
use super::AppState;

fn reply(status: u16, content_type: &'static str, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn json(status: u16, value: &serde_json::Value) -> Response {
    reply(status, "application/json", value.to_string())
}

/// The backend's health from one PING, in the library's report shape.
async fn health_report(state: &AppState) -> HealthReport {
    let watch = Stopwatch::start();
    let outcome = state.store.ping().await;
    let latency_ms = watch.elapsed_us() / 1000;
    let mode = match state.store.kind() {
        "redis" => "redis",
        _ => "memory",
    };
    let (status, reason) = match outcome {
        Err(reason) => (HealthStatus::Unhealthy, Some(reason)),
        Ok(()) if latency_ms > DEFAULT_SLOW_PING_MS => (HealthStatus::Degraded, Some("slow")),
        Ok(()) => (HealthStatus::Ok, None),
    };
    HealthReport {
        status,
        mode,
        latency_ms,
        reason,
        detail: None,
    }
}

/// `GET /healthz`: liveness plus a backend PING.
pub async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    let report = health_report(&state).await;
    json(
        report.http_status(),
        &serde_json::to_value(&report).unwrap_or_default(),
    )
}

/// `GET /readyz`: 503 until (and whenever) the backend does not answer.
pub async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    match state.store.ping().await {
        Ok(()) => json(
            200,
            &serde_json::json!({ "ready": true, "mode": state.store.kind() }),
        ),
        Err(reason) => json(
            503,
            &serde_json::json!({ "ready": false, "mode": state.store.kind(), "reason": reason }),
        ),
    }
}

/// Whether the request carries the admin token as a bearer token; `None`
/// when no admin token is configured (the routes then do not exist).
fn admin(state: &AppState, request: &Request) -> Option<bool> {
    let expected = state.admin_token.as_deref()?;
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    Some(given.is_some_and(|g| bool::from(g.as_bytes().ct_eq(expected.as_bytes()))))
}

/// Runs `f` for an admin, 401 for a wrong or missing token, 404 without an
/// admin token configured.
async fn admin_only<F, Fut>(state: Arc<AppState>, request: Request, f: F) -> Response
where
    F: FnOnce(Arc<AppState>) -> Fut,
    Fut: std::future::Future<Output = Response>,
{
    match admin(&state, &request) {
        None => reply(404, "text/plain", "not found\n".to_owned()),
        Some(false) => reply(401, "text/plain", "admin token required\n".to_owned()),
        Some(true) => f(state).await,
    }
}

async fn redis_info(state: &AppState) -> Option<RedisInfo> {
    state.store.info().await.map(|t| RedisInfo::parse(&t))
}

/// `GET /metrics`: Prometheus text exposition.
pub async fn metrics(State(state): State<Arc<AppState>>, request: Request) -> Response {
    admin_only(state, request, |state| async move {
        let info = redis_info(&state).await;
        reply(
            200,
            "text/plain; version=0.0.4",
            state.metrics.to_prometheus(info.as_ref()),
        )
    })
    .await
}

/// `GET /metrics.json`: what the dashboard polls.
pub async fn metrics_json(State(state): State<Arc<AppState>>, request: Request) -> Response {
    admin_only(state, request, |state| async move {
        let info = redis_info(&state).await;
        json(
            200,
            &state.metrics.to_json(state.store.kind(), info.as_ref()),
        )
    })
    .await
}

/// `GET /dashboard`: the library's page with uPlot inlined (no CDN), the
/// same one the Worker serves, with its Content-Security-Policy. It holds
/// no secret, so it needs no token (it asks for one); 404 without an admin
/// token configured.
pub async fn dashboard(State(state): State<Arc<AppState>>) -> Response {
    if state.admin_token.is_none() {
        return reply(404, "text/plain", "not found\n".to_owned());
    }
    let mut response = reply(200, "text/html; charset=utf-8", dashboard::page());
    for (name, value) in dashboard::page_headers() {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}
