//! Liveness of Redis (`/health/redis`) and readiness (`/readyz`).

use ::worker::{Response, Result};

use super::reply;
use super::state::Isolate;
use crate::clock::Stopwatch;
use crate::commands::ServerCommands;

/// A PING slower than this makes the health `degraded`.
const SLOW_PING_MS: u64 = 600;

/// PING (once, no retries): 200 `ok` or `degraded` (mock mode outside production, or a slow
/// PING), 503 `unhealthy` with the reason when Redis cannot be reached.
pub(super) async fn redis(isolate: &Isolate) -> Result<Response> {
    let mode = isolate.client.mode_label();
    let watch = Stopwatch::start();
    let outcome = isolate.probe.ping().await;
    let latency_ms = watch.elapsed_us() / 1000;
    match outcome {
        Ok(_) => {
            isolate.ready.set(true);
            let mock_outside_production =
                isolate.is_mock() && !isolate.config.environment.is_production();
            let status = if mock_outside_production || latency_ms > SLOW_PING_MS {
                "degraded"
            } else {
                "ok"
            };
            reply::json(
                200,
                &serde_json::json!({ "status": status, "mode": mode, "latency_ms": latency_ms }),
            )
        }
        Err(e) => reply::json(
            503,
            &serde_json::json!({
                "status": "unhealthy",
                "mode": mode,
                "latency_ms": latency_ms,
                "reason": e.kind_label(),
                "detail": e.to_string(),
            }),
        ),
    }
}

/// 200 once a PING has succeeded in this isolate (trying one now if none
/// has), 503 before. Production with mock mode never gets here: the
/// configuration is refused first.
pub(super) async fn ready(isolate: &Isolate) -> Result<Response> {
    if !isolate.ready.get() {
        match isolate.probe.ping().await {
            Ok(_) => isolate.ready.set(true),
            Err(e) => {
                return reply::json(
                    503,
                    &serde_json::json!({ "ready": false, "reason": e.kind_label() }),
                )
            }
        }
    }
    reply::json(
        200,
        &serde_json::json!({ "ready": true, "mode": isolate.client.mode_label() }),
    )
}
