//! Liveness of Redis (`/health/redis`) and readiness (`/readyz`).
//!
//! The rules are the library's ([`crate::health`]), shared with every other
//! target; this file only keeps the isolate's "once ready, stay ready" flag
//! and frames the reports.

use ::worker::{Response, Result};

use super::reply;
use super::state::Isolate;
use crate::health::{Health, HealthOptions};

/// PING (once, no retries): 200 `ok` or `degraded` (mock mode outside
/// production, or a slow PING), 503 `unhealthy` with the reason when Redis
/// cannot be reached. JSON: `{"status","mode","latency_ms"}`, plus `reason`
/// and `detail` when not ok.
pub(super) async fn redis(isolate: &Isolate) -> Result<Response> {
    let report = Health::check(&isolate.client, &HealthOptions::default()).await;
    if report.http_status() == 200 {
        isolate.ready.set(true);
    }
    reply::json(
        report.http_status(),
        &serde_json::to_value(&report).unwrap_or_default(),
    )
}

/// 200 once a PING has succeeded in this isolate (trying one now if none
/// has), 503 before. Production with mock mode never gets here: the
/// configuration is refused first.
pub(super) async fn ready(isolate: &Isolate) -> Result<Response> {
    if isolate.ready.get() {
        return reply::json(
            200,
            &serde_json::json!({ "ready": true, "mode": isolate.client.mode_label() }),
        );
    }
    let report = Health::readiness(&isolate.client).await;
    if report.ready {
        isolate.ready.set(true);
    }
    reply::json(
        report.http_status(),
        &serde_json::to_value(&report).unwrap_or_default(),
    )
}
