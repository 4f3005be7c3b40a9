//! The alert conditions of deploy/edgestash-alerts.rules.yml, evaluated in
//! process for hosts that no Prometheus scrapes (the Worker): the same
//! names and thresholds, as JSON a synthetic monitor can read.
//!
//! Owns: the thresholds ([`SLOW_PING_MS`], [`MIN_HIT_RATE`],
//! [`MAX_ERROR_RATE`], [`MIN_SAMPLE`]) and the verdict per alert. Must
//! not: do I/O (callers pass what they measured).

use crate::health::{HealthReport, HealthStatus};

/// A PING slower than this is the `EdgestashRedisSlowPing` condition.
pub const SLOW_PING_MS: u64 = crate::health::DEFAULT_SLOW_PING_MS;
/// A cache hit rate under this (over the window read) is `EdgestashLowHitRate`.
pub const MIN_HIT_RATE: f64 = 0.6;
/// A share of 5xx answers above this is `EdgestashHighErrorRate`.
pub const MAX_ERROR_RATE: f64 = 0.05;
/// Rates are judged only over at least this many events.
pub const MIN_SAMPLE: u64 = 20;

/// One alert's verdict.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Alert {
    /// The Prometheus alert name (`EdgestashRedisDown`...).
    pub name: &'static str,
    /// Whether its condition holds now.
    pub firing: bool,
    /// `critical` or `warning`, as in the rules file.
    pub severity: &'static str,
    /// What was seen (numbers only, never a key or value).
    pub detail: String,
}

/// What a host measured, for [`evaluate`].
#[derive(Debug, Clone, Default)]
pub struct Observations<'a> {
    /// A health check just made.
    pub health: Option<&'a HealthReport>,
    /// Whether the host is ready (has seen Redis answer).
    pub ready: Option<bool>,
    /// Cache hits and misses over the window.
    pub cache: Option<(u64, u64)>,
    /// Server-error answers and all answers over the window.
    pub responses: Option<(u64, u64)>,
}

/// The alerts whose inputs were observed, each firing or not.
pub fn evaluate(o: &Observations<'_>) -> Vec<Alert> {
    let mut alerts = Vec::new();
    let mut push = |name, firing, severity, detail: String| {
        alerts.push(Alert {
            name,
            firing,
            severity,
            detail,
        });
    };
    if let Some(h) = o.health {
        push(
            "EdgestashRedisDown",
            h.status == HealthStatus::Unhealthy,
            "critical",
            format!("health {}", h.status.label()),
        );
        push(
            "EdgestashRedisSlowPing",
            h.status != HealthStatus::Unhealthy && h.latency_ms > SLOW_PING_MS,
            "warning",
            format!("PING {} ms (threshold {SLOW_PING_MS} ms)", h.latency_ms),
        );
        push(
            "EdgestashMockModeActive",
            h.mode == "mock" || h.mode == "memory",
            "warning",
            format!("mode {}", h.mode),
        );
    }
    if let Some(ready) = o.ready {
        push(
            "EdgestashNotReady",
            !ready,
            "critical",
            format!("ready {ready}"),
        );
    }
    if let Some((hits, misses)) = o.cache {
        let lookups = hits + misses;
        let rate = (lookups > 0).then(|| hits as f64 / lookups as f64);
        push(
            "EdgestashLowHitRate",
            lookups >= MIN_SAMPLE && rate.is_some_and(|r| r < MIN_HIT_RATE),
            "warning",
            format!("{hits} hits of {lookups} lookups"),
        );
    }
    if let Some((errors, total)) = o.responses {
        push(
            "EdgestashHighErrorRate",
            total >= MIN_SAMPLE && errors as f64 > MAX_ERROR_RATE * total as f64,
            "critical",
            format!("{errors} server errors of {total} answers"),
        );
    }
    alerts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(status: HealthStatus, mode: &'static str, latency_ms: u64) -> HealthReport {
        HealthReport {
            status,
            mode,
            latency_ms,
            reason: None,
            detail: None,
        }
    }

    fn firing(alerts: &[Alert]) -> Vec<&'static str> {
        alerts.iter().filter(|a| a.firing).map(|a| a.name).collect()
    }

    #[test]
    fn each_condition_fires_alone() {
        let ok = report(HealthStatus::Ok, "redis", 3);
        let quiet = Observations {
            health: Some(&ok),
            ready: Some(true),
            cache: Some((80, 20)),
            responses: Some((1, 100)),
        };
        assert_eq!(evaluate(&quiet).len(), 6);
        assert!(firing(&evaluate(&quiet)).is_empty());

        let down = report(HealthStatus::Unhealthy, "redis", 0);
        let slow = report(HealthStatus::Degraded, "redis", 900);
        let mock = report(HealthStatus::Degraded, "mock", 0);
        for (h, name) in [
            (&down, "EdgestashRedisDown"),
            (&slow, "EdgestashRedisSlowPing"),
            (&mock, "EdgestashMockModeActive"),
        ] {
            let o = Observations {
                health: Some(h),
                ..quiet.clone()
            };
            assert_eq!(firing(&evaluate(&o)), [name]);
        }
        let cases = [
            (
                Observations {
                    ready: Some(false),
                    ..quiet.clone()
                },
                "EdgestashNotReady",
            ),
            (
                Observations {
                    cache: Some((50, 50)),
                    ..quiet.clone()
                },
                "EdgestashLowHitRate",
            ),
            (
                Observations {
                    responses: Some((6, 100)),
                    ..quiet.clone()
                },
                "EdgestashHighErrorRate",
            ),
        ];
        for (o, name) in cases {
            assert_eq!(firing(&evaluate(&o)), [name]);
        }
        let small = Observations {
            cache: Some((0, 5)),
            responses: Some((5, 5)),
            ..quiet
        };
        assert!(firing(&evaluate(&small)).is_empty(), "too few events");
    }
}
