//! Liveness of Redis (`/health/redis`) and readiness (`/readyz`).
//!
//! The rules are the library's ([`crate::health`]), shared with every other
//! target; this file only keeps the isolate's "once ready, stay ready" flag
//! and frames the reports.

use ::worker::{Response, Result};

use super::reply;
use super::state::Isolate;
use crate::health::{Health, HealthOptions};
use crate::metrics::alerts::{self, Observations};

/// PING (once, no retries): 200 `ok` or `degraded` (mock mode outside
/// production, or a slow PING), 503 `unhealthy` with the reason when Redis
/// cannot be reached. JSON: `{"status","mode","latency_ms","alerts"}`, plus
/// `reason` and `detail` when not ok. `alerts` are the verdicts of the
/// health alerts of deploy/edgestash-alerts.rules.yml (`EdgestashRedisDown`,
/// `EdgestashRedisSlowPing`, `EdgestashMockModeActive`,
/// `EdgestashNotReady`), for a synthetic monitor; the rate alerts are in
/// the admin metrics.
pub(super) async fn redis(isolate: &Isolate) -> Result<Response> {
    let report = Health::check(&isolate.client, &HealthOptions::default()).await;
    if report.http_status() == 200 {
        isolate.ready.set(true);
    }
    let alerts = alerts::evaluate(&Observations {
        health: Some(&report),
        ready: Some(isolate.ready.get()),
        ..Observations::default()
    });
    let mut json = serde_json::to_value(&report).unwrap_or_default();
    if let Some(object) = json.as_object_mut() {
        object.insert("alerts".into(), serde_json::json!(alerts));
    }
    reply::json(report.http_status(), &json)
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
