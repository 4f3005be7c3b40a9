//! Counters and a latency histogram for one client, without globals.
//!
//! Owns: what is counted (commands by name, errors by kind, retries, bytes,
//! cache hits and misses, rate-limit outcomes, sessions, mock activations,
//! request latency) and the two ways to read it: a serde-serialisable
//! [`MetricsSnapshot`] (JSON) and Prometheus text exposition; plus the
//! live [`dashboard`] page and the JSON shape it polls, shared by
//! edgestash-server and the Worker; the sum over many reporters
//! ([`cluster`], the Worker's isolates) and the alert conditions evaluated
//! in process ([`alerts`]).
//!
//! Must not: hold keys, values or tokens. Labels are command names (bounded:
//! see [`MAX_COMMAND_LABELS`]), error kinds and outcome words only.
//! Recording is an atomic add or one short uncontended lock, so it stays far
//! below a microsecond (see BENCHMARKS.md).

pub mod alerts;
pub mod cluster;
pub mod dashboard;
mod histogram;
pub mod prometheus;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

pub use histogram::{Histogram, HistogramSnapshot, BOUNDS_US};

/// Most distinct command labels kept; further names count under `OTHER`, so
/// a caller sending arbitrary command names cannot grow the label set.
pub const MAX_COMMAND_LABELS: usize = 200;

const ERROR_KINDS: [&str; 9] = [
    "config",
    "auth",
    "permission",
    "redis",
    "limit",
    "transport",
    "protocol",
    "unexpected_reply",
    "invalid_request",
];

/// What a rate-limit decision came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RateLimitOutcome {
    /// Allowed by Redis.
    Allowed,
    /// Denied by Redis.
    Denied,
    /// Denied from the local block cache, with no Redis call.
    CacheBlocked,
    /// Redis did not answer in time; the caller's policy decided.
    Timeout,
}

impl RateLimitOutcome {
    const ALL: [Self; 4] = [
        Self::Allowed,
        Self::Denied,
        Self::CacheBlocked,
        Self::Timeout,
    ];

    /// The label value used in exposition.
    pub fn label(self) -> &'static str {
        match self {
            Self::Allowed => "allowed",
            Self::Denied => "denied",
            Self::CacheBlocked => "cache_blocked",
            Self::Timeout => "timeout",
        }
    }
}

/// The live counters of one client (shared by its clones).
#[derive(Debug, Default)]
pub struct Metrics {
    commands: Mutex<BTreeMap<String, u64>>,
    errors: [AtomicU64; ERROR_KINDS.len()],
    retries: AtomicU64,
    latency: Histogram,
    bytes_sent: AtomicU64,
    bytes_received: AtomicU64,
    cache_hits: AtomicU64,
    cache_misses: AtomicU64,
    ratelimit: [AtomicU64; 4],
    sessions_created: AtomicU64,
    sessions_destroyed: AtomicU64,
    mock_activations: AtomicU64,
}

fn bump(counter: &AtomicU64, by: u64) {
    counter.fetch_add(by, Ordering::Relaxed);
}

impl Metrics {
    /// Counts one command by its (upper-case) name.
    pub fn record_command(&self, name: &str) {
        let mut map = self.commands.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = map.get_mut(name) {
            *n += 1;
            return;
        }
        let label = if map.len() < MAX_COMMAND_LABELS && is_label_safe(name) {
            name
        } else {
            "OTHER"
        };
        *map.entry(label.to_owned()).or_default() += 1;
    }

    /// Counts an error by its kind label ([`crate::Error::kind_label`]).
    pub fn record_error(&self, kind: &str) {
        if let Some(i) = ERROR_KINDS.iter().position(|k| *k == kind) {
            bump(&self.errors[i], 1);
        }
    }

    /// Counts one retry.
    pub fn record_retry(&self) {
        bump(&self.retries, 1);
    }

    /// Records one request's duration and payload sizes.
    pub fn record_request(&self, micros: u64, sent: usize, received: usize) {
        self.latency.record(micros);
        bump(&self.bytes_sent, sent as u64);
        bump(&self.bytes_received, received as u64);
    }

    /// Counts a cache hit (true) or miss (false).
    pub fn record_cache(&self, hit: bool) {
        bump(
            if hit {
                &self.cache_hits
            } else {
                &self.cache_misses
            },
            1,
        );
    }

    /// Counts one rate-limit decision.
    pub fn record_ratelimit(&self, outcome: RateLimitOutcome) {
        let i = RateLimitOutcome::ALL
            .iter()
            .position(|o| *o == outcome)
            .unwrap_or(0);
        bump(&self.ratelimit[i], 1);
    }

    /// Counts a session created (true) or destroyed (false).
    pub fn record_session(&self, created: bool) {
        bump(
            if created {
                &self.sessions_created
            } else {
                &self.sessions_destroyed
            },
            1,
        );
    }

    /// Counts one activation of mock mode.
    pub fn record_mock_activation(&self) {
        bump(&self.mock_activations, 1);
    }

    /// A consistent-enough copy of every counter (each read is atomic; the
    /// set is not taken under one lock, as with any scrape).
    pub fn snapshot(&self) -> MetricsSnapshot {
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let latency = self.latency.snapshot();
        let hits = load(&self.cache_hits);
        let misses = load(&self.cache_misses);
        MetricsSnapshot {
            commands: self
                .commands
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
            errors: ERROR_KINDS
                .iter()
                .zip(&self.errors)
                .map(|(k, c)| ((*k).to_owned(), load(c)))
                .collect(),
            retries: load(&self.retries),
            latency_ms: LatencySummary {
                p50: latency.quantile_us(0.50).map(|u| u / 1000.0),
                p95: latency.quantile_us(0.95).map(|u| u / 1000.0),
                p99: latency.quantile_us(0.99).map(|u| u / 1000.0),
            },
            latency,
            bytes_sent: load(&self.bytes_sent),
            bytes_received: load(&self.bytes_received),
            cache_hits: hits,
            cache_misses: misses,
            cache_hit_rate: (hits + misses > 0).then(|| hits as f64 / (hits + misses) as f64),
            ratelimit: RateLimitOutcome::ALL
                .iter()
                .zip(&self.ratelimit)
                .map(|(o, c)| (o.label().to_owned(), load(c)))
                .collect(),
            sessions_created: load(&self.sessions_created),
            sessions_destroyed: load(&self.sessions_destroyed),
            mock_activations: load(&self.mock_activations),
        }
    }
}

/// Command names become label values: keep them to what Redis names look like.
fn is_label_safe(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 32
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'|' || b == b' ')
}

/// p50/p95/p99 request latency in milliseconds (`None` before any request).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LatencySummary {
    /// Median.
    pub p50: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
    /// 99th percentile.
    pub p99: Option<f64>,
}

/// Every counter at one moment; serialises to JSON with serde.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MetricsSnapshot {
    /// Commands sent, by name.
    pub commands: BTreeMap<String, u64>,
    /// Errors by kind.
    pub errors: BTreeMap<String, u64>,
    /// Requests sent again after a transient failure.
    pub retries: u64,
    /// Latency percentiles in milliseconds.
    pub latency_ms: LatencySummary,
    /// The raw latency histogram.
    pub latency: HistogramSnapshot,
    /// Request payload bytes (command names and arguments).
    pub bytes_sent: u64,
    /// Reply body bytes.
    pub bytes_received: u64,
    /// Cache hits.
    pub cache_hits: u64,
    /// Cache misses.
    pub cache_misses: u64,
    /// hits / (hits + misses), when there was any lookup.
    pub cache_hit_rate: Option<f64>,
    /// Rate-limit decisions by outcome.
    pub ratelimit: BTreeMap<String, u64>,
    /// Sessions created.
    pub sessions_created: u64,
    /// Sessions destroyed.
    pub sessions_destroyed: u64,
    /// Times mock mode was activated.
    pub mock_activations: u64,
}

impl MetricsSnapshot {
    /// The snapshot as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }

    /// The snapshot in Prometheus text exposition format 0.0.4.
    pub fn to_prometheus(&self) -> String {
        prometheus::render(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_bounds_labels() {
        let m = Metrics::default();
        m.record_command("GET");
        m.record_command("GET");
        m.record_command("bad\"label\n");
        for i in 0..MAX_COMMAND_LABELS + 5 {
            m.record_command(&format!("C{i}"));
        }
        m.record_error("redis");
        m.record_error("not-a-kind");
        m.record_cache(true);
        m.record_cache(false);
        m.record_cache(true);
        m.record_ratelimit(RateLimitOutcome::CacheBlocked);
        let s = m.snapshot();
        assert_eq!(s.commands["GET"], 2);
        assert!(s.commands.len() <= MAX_COMMAND_LABELS + 1);
        assert!(s.commands["OTHER"] >= 1);
        assert!(!s.commands.keys().any(|k| k.contains('"')));
        assert_eq!(s.errors["redis"], 1);
        assert_eq!(s.cache_hit_rate, Some(2.0 / 3.0));
        assert_eq!(s.ratelimit["cache_blocked"], 1);
        assert!(s.to_json().contains("\"cache_hits\":2"));
    }
}
