//! The server's own metrics: requests by command and status class, their
//! latency, and gauges read from Redis's `INFO` when backed by redis-server.
//!
//! Owns: what is counted per request and the two readings of it, Prometheus
//! text ([`ServerMetrics::to_prometheus`]) and the dashboard's JSON
//! ([`ServerMetrics::to_json`]). The counters and the histogram are the
//! library's ([`edgestash::metrics::Metrics`]), so the client and the server
//! expose latency with the same buckets and names.
//!
//! Must not: record keys, values or tokens; labels are command names
//! (bounded by the library), `PIPELINE`/`MULTI`, and status classes.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use std::collections::BTreeMap;

use edgestash::metrics::dashboard::{CacheCounts, DashboardData};
use edgestash::metrics::{prometheus, Metrics, MetricsSnapshot};

/// The `INFO` fields exposed as gauges, with their metric names.
pub const INFO_GAUGES: [(&str, &str, &str); 5] = [
    (
        "used_memory",
        "edgestash_redis_used_memory_bytes",
        "Bytes Redis has allocated (INFO used_memory).",
    ),
    (
        "connected_clients",
        "edgestash_redis_connected_clients",
        "Client connections to Redis (INFO connected_clients).",
    ),
    (
        "keyspace_hits",
        "edgestash_redis_keyspace_hits",
        "Successful key lookups since Redis started (INFO keyspace_hits).",
    ),
    (
        "keyspace_misses",
        "edgestash_redis_keyspace_misses",
        "Failed key lookups since Redis started (INFO keyspace_misses).",
    ),
    (
        "evicted_keys",
        "edgestash_redis_evicted_keys",
        "Keys evicted for maxmemory since Redis started (INFO evicted_keys).",
    ),
];

const CLASSES: [&str; 5] = ["1xx", "2xx", "3xx", "4xx", "5xx"];

/// Counters of one server.
#[derive(Debug, Default)]
pub struct ServerMetrics {
    requests: Metrics,
    classes: [AtomicU64; 5],
}

/// The `INFO` numbers of [`INFO_GAUGES`] that Redis reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedisInfo {
    /// `(field, value)` in [`INFO_GAUGES`] order; absent fields are left out.
    pub gauges: Vec<(&'static str, u64)>,
}

impl RedisInfo {
    /// Picks the gauges out of `INFO`'s `field:value` lines.
    pub fn parse(text: &str) -> Self {
        let gauges = INFO_GAUGES
            .iter()
            .filter_map(|(field, _, _)| {
                text.lines()
                    .filter_map(|l| l.trim_end().split_once(':'))
                    .find(|(k, _)| k == field)
                    .and_then(|(_, v)| v.parse::<u64>().ok())
                    .map(|v| (*field, v))
            })
            .collect();
        Self { gauges }
    }

    /// One field's value.
    pub fn get(&self, field: &str) -> Option<u64> {
        self.gauges
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| *v)
    }
}

impl ServerMetrics {
    /// Records one answered request: `label` is the command name, `PIPELINE`
    /// or `MULTI` (anything else counts under `OTHER`, via the library).
    pub fn record(&self, label: &str, status: u16, micros: u64, received: usize, sent: usize) {
        self.requests.record_command(label);
        self.requests.record_request(micros, received, sent);
        let class = usize::from(status / 100).saturating_sub(1);
        if let Some(c) = self.classes.get(class) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The library's snapshot of the request counters and latency.
    pub fn snapshot(&self) -> MetricsSnapshot {
        self.requests.snapshot()
    }

    fn classes(&self) -> Vec<(&'static str, u64)> {
        CLASSES
            .iter()
            .zip(&self.classes)
            .map(|(k, c)| (*k, c.load(Ordering::Relaxed)))
            .collect()
    }

    /// Prometheus text exposition 0.0.4: requests by command
    /// (`edgestash_server_requests_total{command}`), responses by status
    /// class, the latency histogram, bytes, and the Redis gauges when given.
    pub fn to_prometheus(&self, info: Option<&RedisInfo>) -> String {
        let s = self.snapshot();
        let mut out = String::with_capacity(4096);
        let head = prometheus::header;
        let name = "edgestash_server_requests_total";
        head(&mut out, name, "counter", "Requests answered, by command.");
        for (command, n) in &s.commands {
            // The library keeps command labels to [A-Za-z0-9_| ]: nothing to escape.
            let _ = writeln!(out, "{name}{{command=\"{command}\"}} {n}");
        }
        let name = "edgestash_server_responses_total";
        head(
            &mut out,
            name,
            "counter",
            "Responses, by HTTP status class.",
        );
        for (class, n) in self.classes() {
            let _ = writeln!(out, "{name}{{class=\"{class}\"}} {n}");
        }
        prometheus::histogram(
            &mut out,
            "edgestash_server_request_duration_seconds",
            "Request latency, first byte in to reply framed.",
            &s.latency,
        );
        for (name, help, v) in [
            (
                "edgestash_server_received_bytes_total",
                "Request body and path bytes.",
                s.bytes_sent,
            ),
            (
                "edgestash_server_sent_bytes_total",
                "Reply body bytes.",
                s.bytes_received,
            ),
        ] {
            head(&mut out, name, "counter", help);
            let _ = writeln!(out, "{name} {v}");
        }
        if let Some(info) = info {
            for (field, name, help) in INFO_GAUGES {
                if let Some(v) = info.get(field) {
                    head(&mut out, name, "gauge", help);
                    let _ = writeln!(out, "{name} {v}");
                }
            }
        }
        out
    }

    /// The dashboard's JSON, in the library's shared shape
    /// ([`DashboardData`]): the request histogram and commands, errors as
    /// 4xx and 5xx answers, responses by status class, and the Redis gauges
    /// with the keyspace hits and misses as the cache counts.
    pub fn to_json(&self, backend: &str, info: Option<&RedisInfo>) -> serde_json::Value {
        let s = self.snapshot();
        let classes: BTreeMap<String, u64> = self
            .classes()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let mut data = DashboardData::from_snapshot("edgestash-server", backend, &s);
        data.errors =
            classes.get("4xx").copied().unwrap_or(0) + classes.get("5xx").copied().unwrap_or(0);
        data.responses = Some(classes);
        data.cache = info.and_then(|i| {
            Some(CacheCounts {
                hits: i.get("keyspace_hits")?,
                misses: i.get("keyspace_misses")?,
                source: "Redis keyspace",
            })
        });
        data.redis = info.map(|i| {
            i.gauges
                .iter()
                .map(|(k, v)| ((*k).to_owned(), *v))
                .collect()
        });
        data.to_json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_parses_back() {
        let m = ServerMetrics::default();
        m.record("GET", 200, 120, 10, 20);
        m.record("SET", 200, 900, 10, 20);
        m.record("PIPELINE", 400, 5_000, 10, 20);
        m.record("GET", 503, 70, 10, 20);
        let info = RedisInfo::parse(
            "# Memory\r\nused_memory:1048576\r\nused_memory_human:1.00M\r\n# Stats\r\nkeyspace_hits:7\r\nkeyspace_misses:3\r\nevicted_keys:0\r\nconnected_clients:2\r\n",
        );
        assert_eq!(info.get("used_memory"), Some(1_048_576));
        assert_eq!(info.get("keyspace_hits"), Some(7));
        let text = m.to_prometheus(Some(&info));
        let scrape = prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_owned())))
            .expect("valid exposition");
        let value = |name: &str, label: Option<(&str, &str)>| {
            scrape
                .samples
                .iter()
                .find(|s| s.metric == name && label.is_none_or(|(k, v)| s.labels.get(k) == Some(v)))
                .map(|s| s.value.clone())
        };
        assert!(matches!(
            value("edgestash_server_requests_total", Some(("command", "GET"))),
            Some(prometheus_parse::Value::Counter(v)) if v == 2.0
        ));
        assert!(matches!(
            value("edgestash_server_responses_total", Some(("class", "2xx"))),
            Some(prometheus_parse::Value::Counter(v)) if v == 2.0
        ));
        assert!(matches!(
            value("edgestash_server_responses_total", Some(("class", "5xx"))),
            Some(prometheus_parse::Value::Counter(v)) if v == 1.0
        ));
        assert!(matches!(
            value("edgestash_redis_used_memory_bytes", None),
            Some(prometheus_parse::Value::Gauge(v)) if v == 1_048_576.0
        ));
        assert!(matches!(
            value("edgestash_redis_keyspace_misses", None),
            Some(prometheus_parse::Value::Gauge(v)) if v == 3.0
        ));
        match value("edgestash_server_request_duration_seconds", None) {
            Some(prometheus_parse::Value::Histogram(buckets)) => {
                let inf = buckets
                    .iter()
                    .find(|b| b.less_than == f64::INFINITY)
                    .map(|b| b.count);
                assert_eq!(inf, Some(4.0));
                let small = buckets
                    .iter()
                    .find(|b| (b.less_than - 0.0002).abs() < 1e-9)
                    .map(|b| b.count);
                assert_eq!(small, Some(2.0), "70 and 120 µs are under 200 µs");
            }
            other => panic!("no histogram: {other:?}"),
        }
        let json = m.to_json("redis", Some(&info));
        assert_eq!(json["requests"], 4);
        assert_eq!(json["responses"]["4xx"], 1);
        assert_eq!(json["redis"]["used_memory"], 1_048_576);
        assert_eq!(json["errors"], 2, "one 4xx and one 5xx");
        assert_eq!(json["cache"]["hits"], 7);
        assert_eq!(json["source"], "edgestash-server");
        assert!(m.to_prometheus(None).find("edgestash_redis_").is_none());
    }
}
