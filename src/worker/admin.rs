//! Operator endpoints behind the admin token (`ADMIN_TOKEN`):
//! `GET /api/v1/admin/redis-metrics` (the metrics snapshot summed over
//! every isolate for the last intervals, `?intervals=1..60`, default 6 of
//! 10 s, with the number of isolates that reported and the alert
//! verdicts), `GET /dashboard` (the live page, shared with
//! edgestash-server), `GET /metrics.json` (what the page polls, in the
//! library's [`DashboardData`] shape, the same sums) and
//! `POST /api/v1/admin/cache/purge` (see [`super::purge`]).
//!
//! The token is sent as `Authorization: Bearer <token>`, never in a URL
//! (the dashboard page asks for it and sends it so). Without `ADMIN_TOKEN`
//! the routes answer 403 (off); with a wrong or missing token, 401; the
//! page itself holds no secret and needs none. Must not: echo a token.

use ::worker::{Request, Response, Result};
use subtle::ConstantTimeEq;

use super::metrics;
use super::reply;
use super::settings::Settings;
use super::state::Isolate;
use crate::health::{Health, HealthOptions};
use crate::metrics::alerts::{self, Alert, Observations};
use crate::metrics::cluster::{self, ClusterTotals};
use crate::metrics::dashboard::{self, CacheCounts, DashboardData, Window};
use crate::metrics::MetricsSnapshot;

/// The 403 text while the admin routes are off.
const DISABLED: &str = "admin endpoints are disabled: ADMIN_TOKEN is not set";

/// `None` for a request carrying the admin token; else the 403 (admin
/// routes off) or 401 to answer.
pub(super) fn refusal(req: &Request, settings: &Settings) -> Result<Option<Response>> {
    let Some(expected) = settings.admin_token.as_deref() else {
        return reply::error(403, DISABLED).map(Some);
    };
    if given_token(req)?
        .is_some_and(|given| bool::from(given.as_bytes().ct_eq(expected.as_bytes())))
    {
        return Ok(None);
    }
    let response = reply::error(401, "missing or wrong admin token")?;
    response.headers().set("WWW-Authenticate", "Bearer")?;
    Ok(Some(response))
}

/// The bearer token.
fn given_token(req: &Request) -> Result<Option<String>> {
    Ok(req
        .headers()
        .get("Authorization")?
        .and_then(|h| h.strip_prefix("Bearer ").map(str::to_owned)))
}

fn no_store(response: Response, content_type: &str) -> Result<Response> {
    response.headers().set("Content-Type", content_type)?;
    response.headers().set("Cache-Control", "no-store")?;
    Ok(response)
}

/// How many intervals a read covers: `?intervals=N` (1 to 60), else 6.
fn intervals(req: &Request) -> Result<u64> {
    Ok(req
        .url()?
        .query_pairs()
        .find(|(name, _)| name == "intervals")
        .and_then(|(_, v)| v.parse::<u64>().ok())
        .map_or(cluster::DEFAULT_INTERVALS, |n| {
            n.clamp(1, cluster::MAX_INTERVALS)
        }))
}

/// What both metrics routes report: the sums over every isolate, the
/// window, and the alert verdicts (one PING for the health ones).
struct Reading {
    snapshot: MetricsSnapshot,
    totals: ClusterTotals,
    window: Window,
    alerts: Vec<Alert>,
}

async fn reading(
    req: &Request,
    isolate: &Isolate,
) -> Result<std::result::Result<Reading, Response>> {
    let (totals, span_ms) = match metrics::read_totals(isolate, intervals(req)?).await {
        Ok(read) => read,
        Err(e) => return Ok(Err(reply::redis_failure(&e)?)),
    };
    let health = Health::check(&isolate.client, &HealthOptions::default()).await;
    if health.http_status() == 200 {
        isolate.ready.set(true);
    }
    let t = &totals.totals;
    let server_errors = t.get("status.5xx");
    let answers: u64 = t.with_prefix("status.").values().sum();
    let alerts = alerts::evaluate(&Observations {
        health: Some(&health),
        ready: Some(isolate.ready.get()),
        cache: Some((t.get("cache_hits"), t.get("cache_misses"))),
        responses: Some((server_errors, answers)),
    });
    let window = Window {
        isolates: totals.reporters,
        intervals: totals.intervals,
        interval_ms: cluster::INTERVAL_MS,
        span_ms,
    };
    Ok(Ok(Reading {
        snapshot: t.to_snapshot(),
        totals,
        window,
        alerts,
    }))
}

/// The metrics snapshot summed over every isolate for the window, in the
/// library's snapshot shape, plus `window` (isolates that reported,
/// intervals, span), `edge` (cache tiers), `responses` (by status class),
/// `alerts` and this isolate's id.
pub(super) async fn redis_metrics(req: &Request, isolate: &Isolate) -> Result<Response> {
    let r = match reading(req, isolate).await? {
        Ok(r) => r,
        Err(refused) => return Ok(refused),
    };
    let mut json = serde_json::to_value(&r.snapshot).unwrap_or_default();
    if let Some(object) = json.as_object_mut() {
        object.insert("window".into(), serde_json::json!(r.window));
        object.insert("isolates".into(), r.window.isolates.into());
        object.insert(
            "edge".into(),
            serde_json::json!(r.totals.totals.with_prefix("edge.")),
        );
        object.insert(
            "responses".into(),
            serde_json::json!(r.totals.totals.with_prefix("status.")),
        );
        object.insert("alerts".into(), serde_json::json!(r.alerts));
        object.insert("isolate".into(), isolate.reporting.id().into());
    }
    no_store(Response::ok(json.to_string())?, "application/json")
}

/// The dashboard page with its Content-Security-Policy; 403 while the
/// admin routes are off (no `ADMIN_TOKEN`).
pub(super) fn dashboard_page(settings: &Settings) -> Result<Response> {
    if settings.admin_token.is_none() {
        return reply::error(403, DISABLED);
    }
    let response = no_store(Response::ok(dashboard::page())?, "text/html; charset=utf-8")?;
    for (name, value) in dashboard::page_headers() {
        response.headers().set(name, &value)?;
    }
    Ok(response)
}

/// The dashboard's data: sums over every isolate for the window (requests
/// are Redis requests; the cache is the gateway's, all tiers), with the
/// window and the alert verdicts.
pub(super) async fn dashboard_data(req: &Request, isolate: &Isolate) -> Result<Response> {
    let r = match reading(req, isolate).await? {
        Ok(r) => r,
        Err(refused) => return Ok(refused),
    };
    let mut data = DashboardData::from_snapshot("worker", isolate.client.mode_label(), &r.snapshot);
    data.cache = Some(CacheCounts {
        hits: r.snapshot.cache_hits,
        misses: r.snapshot.cache_misses,
        source: "edge cache (L1 + L2)",
    });
    data.responses = Some(r.totals.totals.with_prefix("status."));
    data.window = Some(r.window);
    data.alerts = Some(r.alerts);
    no_store(
        Response::ok(data.to_json().to_string())?,
        "application/json",
    )
}
