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

use base64::Engine as _;
use sha2::Digest as _;

use super::alerts::Alert;
use super::{LatencySummary, MetricsSnapshot, BOUNDS_US};

const PAGE: &str = include_str!("../../assets/dashboard/dashboard.html");
const UPLOT_JS: &str = include_str!("../../assets/dashboard/uPlot.iife.min.js");
const UPLOT_CSS: &str = include_str!("../../assets/dashboard/uPlot.min.css");

/// The dashboard page with uPlot inlined. It asks for the admin token once
/// (kept in the tab's sessionStorage) and polls `metrics.json` next to
/// itself once a second with it as a bearer token. The page holds no
/// secret: hosts serve it to anyone once an admin token is configured, and
/// guard `metrics.json`.
pub fn page() -> String {
    PAGE.replacen("{{CSS}}", UPLOT_CSS, 1)
        .replacen("{{JS}}", UPLOT_JS, 1)
}

/// The response headers every host serves [`page`] with: a strict
/// Content-Security-Policy that admits exactly the page's own inline scripts
/// and styles (by SHA-256), fetches only from its origin and cannot be
/// framed; no Referer; no MIME sniffing.
pub fn page_headers() -> [(&'static str, String); 3] {
    let page = page();
    let hashes = |tag: &str| -> String {
        let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
        let mut out = String::new();
        let mut rest = page.as_str();
        while let Some(start) = rest.find(&open) {
            let body = &rest[start + open.len()..];
            let Some(end) = body.find(&close) else { break };
            let digest = sha2::Sha256::digest(&body.as_bytes()[..end]);
            out.push_str(" 'sha256-");
            out.push_str(&base64::engine::general_purpose::STANDARD.encode(digest));
            out.push('\'');
            rest = &body[end..];
        }
        out
    };
    let csp = format!(
        "default-src 'none'; script-src{}; style-src{}; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        hashes("script"),
        hashes("style")
    );
    [
        ("Content-Security-Policy", csp),
        ("Referrer-Policy", "no-referrer".to_owned()),
        ("X-Content-Type-Options", "nosniff".to_owned()),
    ]
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
    fn the_policy_admits_exactly_the_inline_blocks_and_no_url_token() {
        let page = page();
        assert!(!page.contains("?token="), "the token never goes in a URL");
        let [(csp_name, csp), (referrer, no_referrer), _] = page_headers();
        assert_eq!(csp_name, "Content-Security-Policy");
        assert_eq!(
            (referrer, no_referrer.as_str()),
            ("Referrer-Policy", "no-referrer")
        );
        let count = |directive: &str| {
            csp.split(';')
                .find(|d| d.trim_start().starts_with(directive))
                .map_or(0, |d| d.matches("'sha256-").count())
        };
        assert_eq!(count("script-src"), page.matches("<script>").count());
        assert_eq!(count("style-src"), page.matches("<style>").count());
        assert_eq!(
            page.matches("<script").count(),
            2,
            "every script inline, none loaded"
        );
        let first_style = page
            .split("<style>")
            .nth(1)
            .and_then(|b| b.split("</style>").next());
        let digest = sha2::Sha256::digest(first_style.unwrap_or_default().as_bytes());
        let expected = base64::engine::general_purpose::STANDARD.encode(digest);
        assert!(csp.contains(&format!("'sha256-{expected}'")));
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    }

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
