//! The live dashboard: one HTML page and the one JSON shape it polls, shared
//! by edgestash-server (`/dashboard`, `/metrics.json`) and the Worker (the
//! same routes).
//!
//! Owns: the page (`assets/dashboard/dashboard.html` with the vendored uPlot
//! inlined, see `scripts/vendor-uplot.sh`; no CDN at run time) and
//! [`DashboardData`], built from a [`MetricsSnapshot`]. Each host fills in
//! what only it knows: the server its HTTP status classes and Redis `INFO`
//! gauges, the Worker the sums over its isolates for the last intervals
//! ([`Window`], see [`super::cluster`]) and its alert verdicts.
//!
//! Must not: carry keys, values or tokens (only counters, as the snapshot),
//! or check the admin token (each host does, before serving either).

use std::collections::BTreeMap;

use super::alerts::Alert;
use super::{LatencySummary, MetricsSnapshot, BOUNDS_US};

const PAGE: &str = include_str!("../../assets/dashboard/dashboard.html");
const UPLOT_JS: &str = include_str!("../../assets/dashboard/uPlot.iife.min.js");
const UPLOT_CSS: &str = include_str!("../../assets/dashboard/uPlot.min.css");

/// The dashboard page with uPlot inlined. It polls `metrics.json` next to
/// itself (passing on its own `?token=`), once a second.
pub fn page() -> String {
    PAGE.replacen("{{CSS}}", UPLOT_CSS, 1)
        .replacen("{{JS}}", UPLOT_JS, 1)
}

/// Hit and miss counters of whatever cache the host reports on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CacheCounts {
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that were not.
    pub misses: u64,
    /// Which cache, as shown on the chart (`"Redis keyspace"`,
    /// `"edgestash cache"`).
    pub source: &'static str,
}

/// The latency histogram with its bucket bounds, so the page can take
/// percentiles of each interval from two readings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LatencyBuckets {
    /// Upper bounds in microseconds ([`BOUNDS_US`]).
    pub bounds_us: &'static [u64],
    /// Per-bucket counts; the last is the overflow bucket.
    pub buckets: Vec<u64>,
}

/// What `/metrics.json` answers: cumulative counters (the page computes
/// rates between two readings).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DashboardData {
    /// Who answers: `"edgestash-server"` or `"worker"` (the page's title).
    pub source: &'static str,
    /// The backend: `redis`, `memory` or `mock`.
    pub backend: String,
    /// Requests timed by the histogram (server: HTTP requests answered;
    /// Worker: requests sent to Redis).
    pub requests: u64,
    /// Failed requests (server: 4xx and 5xx answers; Worker: client errors).
    pub errors: u64,
    /// Requests by command name.
    pub commands: BTreeMap<String, u64>,
    /// Latency percentiles over the whole run, in milliseconds.
    pub latency_ms: LatencySummary,
    /// The raw histogram.
    pub latency: LatencyBuckets,
    /// Cache hits and misses, when the host has a cache to report on.
    pub cache: Option<CacheCounts>,
    /// Responses by HTTP status class (`"2xx"`...), when the host counts them.
    pub responses: Option<BTreeMap<String, u64>>,
    /// Redis `INFO` gauges (`used_memory`...), when backed by redis-server.
    pub redis: Option<BTreeMap<String, u64>>,
    /// When the numbers are sums over many reporters for a recent window
    /// (the Worker's isolates) rather than one process's counters since it
    /// started: the page then charts them as they are, not as differences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<Window>,
    /// The alert conditions as evaluated by the host, when it evaluates them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alerts: Option<Vec<Alert>>,
}

/// The window a host's numbers cover, and who reported in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Window {
    /// Reporters (isolates) that wrote in the window.
    pub isolates: usize,
    /// Intervals summed.
    pub intervals: u64,
    /// Length of one interval, ms.
    pub interval_ms: u64,
    /// How many milliseconds the window spans (the rates' denominator).
    pub span_ms: u64,
}

impl DashboardData {
    /// The shape filled from a snapshot: requests, errors (every kind),
    /// commands, latency, and the snapshot's own cache counters
    /// (`edgestash cache`). Hosts overwrite the fields they know better.
    pub fn from_snapshot(source: &'static str, backend: &str, s: &MetricsSnapshot) -> Self {
        Self {
            source,
            backend: backend.to_owned(),
            requests: s.latency.count,
            errors: s.errors.values().sum(),
            commands: s.commands.clone(),
            latency_ms: s.latency_ms.clone(),
            latency: LatencyBuckets {
                bounds_us: &BOUNDS_US,
                buckets: s.latency.buckets.clone(),
            },
            cache: Some(CacheCounts {
                hits: s.cache_hits,
                misses: s.cache_misses,
                source: "edgestash cache",
            }),
            responses: None,
            redis: None,
            window: None,
            alerts: None,
        }
    }

    /// The data as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Metrics;

    #[test]
    fn page_inlines_uplot_and_data_follows_the_snapshot() {
        let page = page();
        assert!(page.contains("uPlot") && page.contains("metrics.json"));
        assert!(!page.contains("{{JS}}") && !page.contains("{{CSS}}"));
        assert!(!page.contains("<script src="), "no CDN");

        let m = Metrics::default();
        m.record_command("GET");
        m.record_request(120, 10, 20);
        m.record_request(900, 10, 20);
        m.record_error("transport");
        m.record_cache(true);
        m.record_cache(false);
        m.record_cache(true);
        let json = DashboardData::from_snapshot("worker", "mock", &m.snapshot()).to_json();
        assert_eq!(json["source"], "worker");
        assert_eq!(json["backend"], "mock");
        assert_eq!(json["requests"], 2);
        assert_eq!(json["errors"], 1);
        assert_eq!(json["commands"]["GET"], 1);
        assert_eq!(json["cache"]["hits"], 2);
        assert_eq!(json["cache"]["misses"], 1);
        assert_eq!(
            json["latency"]["bounds_us"].as_array().map(Vec::len),
            Some(BOUNDS_US.len())
        );
        assert_eq!(
            json["latency"]["buckets"].as_array().map(Vec::len),
            Some(BOUNDS_US.len() + 1)
        );
        assert!(json["redis"].is_null() && json["responses"].is_null());
        assert!(json.get("window").is_none() && json.get("alerts").is_none());
    }
}
