//! Metrics summed over many reporters (the Worker's isolates): each one
//! writes what it counted during an interval into a per-interval Redis
//! hash, one field per reporter; a reader sums the last intervals.
//!
//! Owns: the interval shape [`IntervalCounts`] (named counters plus the
//! latency histogram, flat so any counter can be added), the bookkeeping
//! of one reporter ([`Reporter`]: what to write when, so nothing is lost
//! or counted twice across interval boundaries), the key layout
//! `gw:metrics:<interval index>`, and the sum ([`ClusterTotals`]). Pure:
//! the caller does the I/O (one `HSET` + `PEXPIRE` per report, one
//! `HGETALL` per interval read).
//!
//! Must not: hold keys, values or tokens (counter names are fixed words,
//! command names and error kinds, as in [`super::Metrics`]).

use std::collections::BTreeMap;

use super::{HistogramSnapshot, LatencySummary, MetricsSnapshot, BOUNDS_US};

/// Length of one interval (one Redis hash), in milliseconds.
pub const INTERVAL_MS: u64 = 10_000;
/// Shortest time between two reports of one reporter, in milliseconds.
pub const REPORT_EVERY_MS: u64 = 5_000;
/// Intervals read by default (the last minute).
pub const DEFAULT_INTERVALS: u64 = 6;
/// Most intervals one read may ask for (ten minutes).
pub const MAX_INTERVALS: u64 = 60;
/// How long an interval's hash is kept: the longest read plus a margin.
pub const KEEP_MS: u64 = (MAX_INTERVALS + 2) * INTERVAL_MS;

/// What one reporter counted in one interval (or, cumulatively, since it
/// started): named counters and the latency histogram.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IntervalCounts {
    /// Counters by name (`requests`, `cmd.GET`, `err.redis`, `edge.l1_hit`...).
    #[serde(default, rename = "c")]
    pub counters: BTreeMap<String, u64>,
    /// Latency histogram buckets ([`BOUNDS_US`] plus overflow).
    #[serde(default, rename = "h")]
    pub latency: Vec<u64>,
    /// Sum of the latencies, microseconds.
    #[serde(default, rename = "s")]
    pub latency_sum_us: u64,
}

impl IntervalCounts {
    /// The cumulative counts of a client's snapshot plus `extra` counters
    /// (the host's own, e.g. the gateway's cache tiers).
    pub fn from_snapshot<'a>(
        s: &MetricsSnapshot,
        extra: impl IntoIterator<Item = (&'a str, u64)>,
    ) -> Self {
        let mut counters = BTreeMap::new();
        let mut put = |name: String, v: u64| {
            if v > 0 {
                counters.insert(name, v);
            }
        };
        put("requests".into(), s.latency.count);
        for (k, v) in &s.commands {
            put(format!("cmd.{k}"), *v);
        }
        for (k, v) in &s.errors {
            put(format!("err.{k}"), *v);
        }
        for (k, v) in &s.ratelimit {
            put(format!("rl.{k}"), *v);
        }
        for (name, v) in [
            ("retries", s.retries),
            ("bytes_sent", s.bytes_sent),
            ("bytes_received", s.bytes_received),
            ("cache_hits", s.cache_hits),
            ("cache_misses", s.cache_misses),
            ("sessions_created", s.sessions_created),
            ("sessions_destroyed", s.sessions_destroyed),
            ("mock_activations", s.mock_activations),
        ] {
            put(name.into(), v);
        }
        for (name, v) in extra {
            put(name.to_owned(), v);
        }
        Self {
            counters,
            latency: s.latency.buckets.clone(),
            latency_sum_us: s.latency.sum_us,
        }
    }

    /// `self - earlier`, counter by counter (never below zero).
    pub fn since(&self, earlier: &Self) -> Self {
        let counters = self
            .counters
            .iter()
            .map(|(k, v)| (k.clone(), v.saturating_sub(earlier.get(k))))
            .filter(|(_, v)| *v > 0)
            .collect();
        let latency = self
            .latency
            .iter()
            .enumerate()
            .map(|(i, v)| v.saturating_sub(earlier.latency.get(i).copied().unwrap_or(0)))
            .collect();
        Self {
            counters,
            latency,
            latency_sum_us: self.latency_sum_us.saturating_sub(earlier.latency_sum_us),
        }
    }

    /// Adds `other` into `self`.
    pub fn add(&mut self, other: &Self) {
        for (k, v) in &other.counters {
            *self.counters.entry(k.clone()).or_default() += v;
        }
        if self.latency.len() < other.latency.len() {
            self.latency.resize(other.latency.len(), 0);
        }
        for (mine, theirs) in self.latency.iter_mut().zip(&other.latency) {
            *mine += theirs;
        }
        self.latency_sum_us += other.latency_sum_us;
    }

    /// One counter (0 when absent).
    pub fn get(&self, name: &str) -> u64 {
        self.counters.get(name).copied().unwrap_or(0)
    }

    /// Counters whose names start with `prefix`, the prefix removed.
    pub fn with_prefix(&self, prefix: &str) -> BTreeMap<String, u64> {
        self.counters
            .iter()
            .filter_map(|(k, v)| k.strip_prefix(prefix).map(|n| (n.to_owned(), *v)))
            .collect()
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.counters.is_empty() && self.latency.iter().all(|n| *n == 0)
    }

    /// The counts in the library's snapshot shape (commands, errors, cache,
    /// rate limits, sessions, latency).
    pub fn to_snapshot(&self) -> MetricsSnapshot {
        let mut buckets = self.latency.clone();
        buckets.resize(BOUNDS_US.len() + 1, 0);
        let latency = HistogramSnapshot {
            count: buckets.iter().sum(),
            buckets,
            sum_us: self.latency_sum_us,
        };
        let quantile = |q| latency.quantile_us(q).map(|u| u / 1000.0);
        let hits = self.get("cache_hits");
        let misses = self.get("cache_misses");
        MetricsSnapshot {
            commands: self.with_prefix("cmd."),
            errors: self.with_prefix("err."),
            retries: self.get("retries"),
            latency_ms: LatencySummary {
                p50: quantile(0.50),
                p95: quantile(0.95),
                p99: quantile(0.99),
            },
            latency,
            bytes_sent: self.get("bytes_sent"),
            bytes_received: self.get("bytes_received"),
            cache_hits: hits,
            cache_misses: misses,
            cache_hit_rate: (hits + misses > 0).then(|| hits as f64 / (hits + misses) as f64),
            ratelimit: self.with_prefix("rl."),
            sessions_created: self.get("sessions_created"),
            sessions_destroyed: self.get("sessions_destroyed"),
            mock_activations: self.get("mock_activations"),
        }
    }
}

/// The key of interval `index` (`now_ms / INTERVAL_MS`).
pub fn interval_key(index: u64) -> String {
    format!("gw:metrics:{index}")
}

/// The interval holding `now_ms`.
pub fn interval_of(now_ms: u64) -> u64 {
    now_ms / INTERVAL_MS
}

/// The keys of the last `intervals` intervals up to the one holding
/// `now_ms`, oldest first.
pub fn window_keys(now_ms: u64, intervals: u64) -> Vec<String> {
    let last = interval_of(now_ms);
    let n = intervals.clamp(1, MAX_INTERVALS);
    (last.saturating_sub(n - 1)..=last)
        .map(interval_key)
        .collect()
}

/// One write a reporter owes: `HSET <key> <field> <value>` and
/// `PEXPIRE <key> <KEEP_MS>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The interval's hash.
    pub key: String,
    /// The reporter's id.
    pub field: String,
    /// Its counts for that interval so far, JSON.
    pub value: String,
}

/// The bookkeeping of one reporter. Within an interval each report
/// overwrites the reporter's field with everything counted since the
/// interval began; what was counted after the last report of an interval
/// goes to the next one, so nothing is lost or counted twice.
#[derive(Debug, Clone)]
pub struct Reporter {
    id: String,
    interval: Option<u64>,
    base: IntervalCounts,
    last: IntervalCounts,
    last_report_ms: Option<u64>,
}

impl Reporter {
    /// A reporter named `id` (unique per isolate; random).
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            interval: None,
            base: IntervalCounts::default(),
            last: IntervalCounts::default(),
            last_report_ms: None,
        }
    }

    /// The reporter's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Milliseconds until a report is allowed (0: now).
    pub fn wait_ms(&self, now_ms: u64) -> u64 {
        self.last_report_ms
            .map_or(0, |last| (last + REPORT_EVERY_MS).saturating_sub(now_ms))
    }

    /// The write owed at `now_ms` given the cumulative counts `current`,
    /// or `None` when nothing changed since the last report.
    pub fn report(&mut self, now_ms: u64, current: IntervalCounts) -> Option<Report> {
        if current == self.last && self.last_report_ms.is_some() {
            return None;
        }
        let interval = interval_of(now_ms);
        if self.interval != Some(interval) {
            self.base = std::mem::take(&mut self.last);
            self.interval = Some(interval);
        }
        let value = serde_json::to_string(&current.since(&self.base)).ok()?;
        self.last = current;
        self.last_report_ms = Some(now_ms);
        Some(Report {
            key: interval_key(interval),
            field: self.id.clone(),
            value,
        })
    }
}

/// The sum over every reporter of the intervals read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClusterTotals {
    /// How many distinct reporters wrote in the window.
    pub reporters: usize,
    /// How many intervals were read.
    pub intervals: u64,
    /// The sum.
    pub totals: IntervalCounts,
}

impl ClusterTotals {
    /// Sums the hashes of the intervals read (`field -> JSON` each);
    /// fields that do not parse are skipped.
    pub fn sum<'a, I, F>(intervals: I) -> Self
    where
        I: IntoIterator<Item = F>,
        F: IntoIterator<Item = (&'a [u8], &'a [u8])>,
    {
        let mut reporters = std::collections::BTreeSet::new();
        let mut totals = IntervalCounts::default();
        let mut n = 0;
        for hash in intervals {
            n += 1;
            for (field, value) in hash {
                if let Ok(counts) = serde_json::from_slice::<IntervalCounts>(value) {
                    totals.add(&counts);
                    reporters.insert(field.to_vec());
                }
            }
        }
        Self {
            reporters: reporters.len(),
            intervals: n,
            totals,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Metrics;

    fn counts(pairs: &[(&str, u64)]) -> IntervalCounts {
        IntervalCounts {
            counters: pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
            ..IntervalCounts::default()
        }
    }

    #[test]
    fn snapshot_round_trip() {
        let m = Metrics::default();
        m.record_command("GET");
        m.record_request(120, 5, 6);
        m.record_cache(true);
        m.record_error("redis");
        let c = IntervalCounts::from_snapshot(&m.snapshot(), [("edge.l1_hit", 3)]);
        assert_eq!(c.get("cmd.GET"), 1);
        assert_eq!(c.get("edge.l1_hit"), 3);
        let s = c.to_snapshot();
        assert_eq!(s.commands["GET"], 1);
        assert_eq!(s.errors["redis"], 1);
        assert_eq!(s.latency.count, 1);
        assert_eq!(s.cache_hit_rate, Some(1.0));
        assert!(s.latency_ms.p50.is_some());
    }

    #[test]
    fn reports_split_at_interval_boundaries_without_loss() {
        let mut r = Reporter::new("iso-1");
        assert_eq!(r.wait_ms(0), 0);
        let a = r.report(1_000, counts(&[("requests", 2)])).unwrap();
        assert_eq!(a.key, "gw:metrics:0");
        assert_eq!(r.wait_ms(2_000), 4_000);
        assert!(
            r.report(2_000, counts(&[("requests", 2)])).is_none(),
            "unchanged"
        );
        // Same interval: the field is overwritten with the interval's total.
        let b = r.report(6_000, counts(&[("requests", 5)])).unwrap();
        assert_eq!(b.key, a.key);
        assert!(b.value.contains("\"requests\":5"));
        // Next interval: only what came after the last report.
        let c = r.report(12_000, counts(&[("requests", 9)])).unwrap();
        assert_eq!(c.key, "gw:metrics:1");
        assert!(c.value.contains("\"requests\":4"), "{}", c.value);
        let total = ClusterTotals::sum([
            vec![(b"iso-1".as_slice(), b.value.as_bytes())],
            vec![(b"iso-1".as_slice(), c.value.as_bytes())],
        ]);
        assert_eq!(total.totals.get("requests"), 9);
        assert_eq!(total.reporters, 1);
    }

    #[test]
    fn sums_reporters_and_skips_garbage() {
        let x = serde_json::to_string(&IntervalCounts {
            latency: vec![1, 0, 2],
            latency_sum_us: 10,
            ..counts(&[("requests", 3)])
        })
        .unwrap();
        let y = serde_json::to_string(&counts(&[("requests", 4), ("cmd.GET", 1)])).unwrap();
        let t = ClusterTotals::sum([vec![
            (b"a".as_slice(), x.as_bytes()),
            (b"b".as_slice(), y.as_bytes()),
            (b"c".as_slice(), b"not json".as_slice()),
        ]]);
        assert_eq!(t.reporters, 2);
        assert_eq!(t.intervals, 1);
        assert_eq!(t.totals.get("requests"), 7);
        assert_eq!(t.totals.latency, vec![1, 0, 2]);
        assert_eq!(
            window_keys(25_000, 3),
            ["gw:metrics:0", "gw:metrics:1", "gw:metrics:2"]
        );
        assert_eq!(window_keys(5_000, 9), ["gw:metrics:0"]);
        assert_eq!(window_keys(5_000_000, 1_000).len() as u64, MAX_INTERVALS);
    }
}
