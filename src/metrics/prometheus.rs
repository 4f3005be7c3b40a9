//! Prometheus text exposition (format 0.0.4) of a [`MetricsSnapshot`].
//!
//! Owns: metric names (`edgestash_*`), their help texts, label escaping and
//! the histogram layout in seconds; [`header`] and [`histogram`] are shared
//! with edgestash-server's own exposition so both read the same way. Must
//! not: read live counters (it renders a snapshot) or emit a label value
//! that is not a command name, an error kind or an outcome word.

use std::fmt::Write as _;

use super::{HistogramSnapshot, MetricsSnapshot, BOUNDS_US};

/// Escapes a label value as the exposition format requires.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Writes the `# HELP` and `# TYPE` lines of one metric family.
pub fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// Writes a latency histogram in seconds: cumulative `_bucket{le}` lines,
/// `+Inf`, `_sum` and `_count`. Shared by the client's and the server's exposition.
pub fn histogram(out: &mut String, name: &str, help: &str, h: &HistogramSnapshot) {
    header(out, name, "histogram", help);
    let mut cumulative = 0u64;
    for (bound, n) in BOUNDS_US.iter().zip(&h.buckets) {
        cumulative += n;
        let _ = writeln!(
            out,
            "{name}_bucket{{le=\"{}\"}} {cumulative}",
            *bound as f64 / 1e6
        );
    }
    let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {}", h.count);
    let _ = writeln!(out, "{name}_sum {}", h.sum_us as f64 / 1e6);
    let _ = writeln!(out, "{name}_count {}", h.count);
}

fn counter(out: &mut String, name: &str, help: &str, value: u64) {
    header(out, name, "counter", help);
    let _ = writeln!(out, "{name} {value}");
}

fn labelled<'a>(
    out: &mut String,
    name: &str,
    help: &str,
    label: &str,
    values: impl IntoIterator<Item = (&'a String, &'a u64)>,
) {
    header(out, name, "counter", help);
    for (k, v) in values {
        let _ = writeln!(out, "{name}{{{label}=\"{}\"}} {v}", escape(k));
    }
}

/// Renders every metric with `# HELP` and `# TYPE` lines.
pub(super) fn render(s: &MetricsSnapshot) -> String {
    let mut out = String::with_capacity(4096);
    labelled(
        &mut out,
        "edgestash_commands_total",
        "Commands sent, by command name.",
        "command",
        &s.commands,
    );
    labelled(
        &mut out,
        "edgestash_errors_total",
        "Failed commands and requests, by error kind.",
        "kind",
        &s.errors,
    );
    counter(
        &mut out,
        "edgestash_retries_total",
        "Requests sent again after a transient failure.",
        s.retries,
    );

    histogram(
        &mut out,
        "edgestash_request_duration_seconds",
        "Request latency, send to decoded reply.",
        &s.latency,
    );

    counter(
        &mut out,
        "edgestash_sent_bytes_total",
        "Request payload bytes.",
        s.bytes_sent,
    );
    counter(
        &mut out,
        "edgestash_received_bytes_total",
        "Reply body bytes.",
        s.bytes_received,
    );
    counter(
        &mut out,
        "edgestash_cache_hits_total",
        "Cache lookups answered from Redis.",
        s.cache_hits,
    );
    counter(
        &mut out,
        "edgestash_cache_misses_total",
        "Cache lookups that ran the loader.",
        s.cache_misses,
    );
    labelled(
        &mut out,
        "edgestash_ratelimit_decisions_total",
        "Rate-limit decisions, by outcome.",
        "outcome",
        &s.ratelimit,
    );
    counter(
        &mut out,
        "edgestash_sessions_created_total",
        "Sessions created.",
        s.sessions_created,
    );
    counter(
        &mut out,
        "edgestash_sessions_destroyed_total",
        "Sessions destroyed.",
        s.sessions_destroyed,
    );
    counter(
        &mut out,
        "edgestash_mock_activations_total",
        "Times mock mode (MOCK_REDIS) was activated.",
        s.mock_activations,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Metrics, RateLimitOutcome};

    /// Parses the exposition back with an independent parser from crates.io.
    #[test]
    fn exposition_parses_back() {
        let m = Metrics::default();
        m.record_command("GET");
        m.record_command("SET");
        m.record_command("SET");
        m.record_request(120, 10, 20);
        m.record_request(5_000, 1, 2);
        m.record_error("transport");
        m.record_ratelimit(RateLimitOutcome::Denied);
        let text = m.snapshot().to_prometheus();
        let lines = text.lines().map(|l| Ok(l.to_owned()));
        let scrape = prometheus_parse::Scrape::parse(lines).expect("valid exposition");
        let value = |name: &str, label: Option<(&str, &str)>| {
            scrape
                .samples
                .iter()
                .find(|s| s.metric == name && label.is_none_or(|(k, v)| s.labels.get(k) == Some(v)))
                .map(|s| s.value.clone())
        };
        assert!(matches!(
            value("edgestash_commands_total", Some(("command", "SET"))),
            Some(prometheus_parse::Value::Counter(v)) if v == 2.0
        ));
        assert!(matches!(
            value("edgestash_errors_total", Some(("kind", "transport"))),
            Some(prometheus_parse::Value::Counter(v)) if v == 1.0
        ));
        match value("edgestash_request_duration_seconds", None) {
            Some(prometheus_parse::Value::Histogram(buckets)) => {
                let inf = buckets
                    .iter()
                    .find(|b| b.less_than == f64::INFINITY)
                    .map(|b| b.count);
                assert_eq!(inf, Some(2.0));
                let small = buckets
                    .iter()
                    .find(|b| (b.less_than - 0.0002).abs() < 1e-9)
                    .map(|b| b.count);
                assert_eq!(small, Some(1.0), "120 µs is under 200 µs");
            }
            other => panic!("no histogram: {other:?}"),
        }
    }
}
