//! Health and readiness of the Redis behind a client, shared by every
//! target (the Cloudflare Worker's `/health/redis` and `/readyz`, native
//! services, edgestash-server's `/healthz` and `/readyz`).
//!
//! Owns: the rules that turn one PING (its outcome and measured latency),
//! the mode and the environment into a [`HealthReport`] or a
//! [`ReadinessReport`], and the HTTP status each maps to. Layer L6: it uses
//! the client (L4) and nothing above it.
//!
//! Must not: retry (a probe of an unreachable Redis must answer within one
//! request timeout, not after the whole backoff: it uses
//! [`Client::exec_once`]), put secrets or argument values in reasons, or
//! keep state (a caller that wants "once ready, stay ready" keeps the flag).
//!
//! The rules:
//!
//! | situation | status | HTTP |
//! |---|---|---|
//! | PING answered within the threshold | `ok` | 200 |
//! | PING slower than the threshold (default 600 ms) | `degraded` | 200 |
//! | mock mode outside production | `degraded` | 200 |
//! | PING failed: unreachable (`transport`), wrong token (`auth`), ... | `unhealthy` | 503 |
//! | invalid configuration (`config`) | `unhealthy` | 503 |
//! | mock mode in production (`mock_in_production`) | `unhealthy` | 503 |
//!
//! `degraded` answers 200 on purpose: the service still works, so a load
//! balancer must keep sending traffic; dashboards and alerts read `status`.

use crate::client::Client;
use crate::clock::Stopwatch;
use crate::error::Error;
use crate::protocol::Command;

/// The reason given when mock mode runs in production.
pub const MOCK_IN_PRODUCTION: &str = "mock_in_production";

/// The default latency above which a PING makes the health `degraded`.
pub const DEFAULT_SLOW_PING_MS: u64 = 600;

/// The overall verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    /// Redis answered in time.
    Ok,
    /// Working, but slow or on the in-memory engine.
    Degraded,
    /// Not usable: unreachable, refused, or misconfigured.
    Unhealthy,
}

impl HealthStatus {
    /// `ok`, `degraded` or `unhealthy`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Degraded => "degraded",
            Self::Unhealthy => "unhealthy",
        }
    }
}

/// Knobs of a health check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HealthOptions {
    /// A PING slower than this (milliseconds) makes the health `degraded`.
    pub slow_ping_ms: u64,
}

impl Default for HealthOptions {
    /// [`DEFAULT_SLOW_PING_MS`].
    fn default() -> Self {
        Self {
            slow_ping_ms: DEFAULT_SLOW_PING_MS,
        }
    }
}

/// The outcome of one health check; serialises to the Worker's JSON shape
/// `{"status","mode","latency_ms"}` plus `reason` and `detail` when set.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HealthReport {
    /// The verdict.
    pub status: HealthStatus,
    /// `redis` or `mock`.
    pub mode: &'static str,
    /// How long the PING took, in milliseconds (0 when none was sent).
    pub latency_ms: u64,
    /// Why the status is not `ok`: an error kind (`transport`, `auth`,
    /// `config`...), `slow`, `mock` or [`MOCK_IN_PRODUCTION`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    /// The error's message when the PING failed (never holds secrets or
    /// argument values: see the crate's error rules).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl HealthReport {
    /// 200 for `ok` and `degraded`, 503 for `unhealthy`.
    pub fn http_status(&self) -> u16 {
        match self.status {
            HealthStatus::Ok | HealthStatus::Degraded => 200,
            HealthStatus::Unhealthy => 503,
        }
    }

    /// The report for a configuration that could not be loaded.
    pub fn invalid_config(error: &Error) -> Self {
        Self {
            status: HealthStatus::Unhealthy,
            mode: "redis",
            latency_ms: 0,
            reason: Some(error.kind_label()),
            detail: Some(error.to_string()),
        }
    }

    /// The report as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

/// Whether traffic may be sent: Redis answered a PING (and the mode is
/// allowed in this environment).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReadinessReport {
    /// True when ready.
    pub ready: bool,
    /// `redis` or `mock`.
    pub mode: &'static str,
    /// Why not ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
}

impl ReadinessReport {
    /// 200 when ready, 503 otherwise.
    pub fn http_status(&self) -> u16 {
        if self.ready {
            200
        } else {
            503
        }
    }

    /// The report as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

/// Health and readiness checks of a [`Client`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Health;

impl Health {
    /// PINGs once (no retries) and judges the outcome.
    pub async fn check(client: &Client, options: &HealthOptions) -> HealthReport {
        let watch = Stopwatch::start();
        let outcome = client.exec_once(Command::new("PING")).await;
        let latency_ms = watch.elapsed_us() / 1000;
        Self::judge(client, outcome.err().as_ref(), latency_ms, options)
    }

    /// The rules, without I/O: `error` is the PING's failure, if it failed.
    pub fn judge(
        client: &Client,
        error: Option<&Error>,
        latency_ms: u64,
        options: &HealthOptions,
    ) -> HealthReport {
        let mode = client.mode_label();
        let mock = client.config().is_mock();
        let production = client.config().environment.is_production();
        let (status, reason, detail) = match error {
            _ if mock && production => (HealthStatus::Unhealthy, Some(MOCK_IN_PRODUCTION), None),
            Some(e) => (
                HealthStatus::Unhealthy,
                Some(e.kind_label()),
                Some(e.to_string()),
            ),
            None if latency_ms > options.slow_ping_ms => {
                (HealthStatus::Degraded, Some("slow"), None)
            }
            None if mock => (HealthStatus::Degraded, Some("mock"), None),
            None => (HealthStatus::Ok, None, None),
        };
        HealthReport {
            status,
            mode,
            latency_ms,
            reason,
            detail,
        }
    }

    /// PINGs once (no retries): ready when it answers, never for mock mode
    /// in production.
    pub async fn readiness(client: &Client) -> ReadinessReport {
        let mode = client.mode_label();
        if client.config().is_mock() && client.config().environment.is_production() {
            return ReadinessReport {
                ready: false,
                mode,
                reason: Some(MOCK_IN_PRODUCTION),
            };
        }
        match client.exec_once(Command::new("PING")).await {
            Ok(_) => ReadinessReport {
                ready: true,
                mode,
                reason: None,
            },
            Err(e) => ReadinessReport {
                ready: false,
                mode,
                reason: Some(e.kind_label()),
            },
        }
    }
}

impl Client {
    /// [`Health::check`] with the default options.
    pub async fn health(&self) -> HealthReport {
        Health::check(self, &HealthOptions::default()).await
    }

    /// [`Health::readiness`].
    pub async fn readiness(&self) -> ReadinessReport {
        Health::readiness(self).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Environment;
    use crate::Config;

    #[tokio::test]
    async fn mock_outside_production_is_degraded_and_ready() {
        let client = Client::new(Config::mock()).unwrap();
        let report = client.health().await;
        assert_eq!(report.status, HealthStatus::Degraded);
        assert_eq!(report.mode, "mock");
        assert_eq!(report.reason, Some("mock"));
        assert_eq!(report.http_status(), 200);
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(json["status"], "degraded");
        assert_eq!(json["mode"], "mock");
        assert!(json["latency_ms"].is_u64());
        let ready = client.readiness().await;
        assert!(ready.ready);
        assert_eq!(ready.http_status(), 200);
    }

    #[tokio::test]
    async fn mock_in_production_is_unhealthy_and_never_ready() {
        // Config::from_lookup refuses this; a hand-built Config can still get here.
        let mut config = Config::mock();
        config.environment = Environment::Production;
        let client = Client::new(config).unwrap();
        let report = client.health().await;
        assert_eq!(report.status, HealthStatus::Unhealthy);
        assert_eq!(report.reason, Some(MOCK_IN_PRODUCTION));
        assert_eq!(report.http_status(), 503);
        let ready = client.readiness().await;
        assert!(!ready.ready);
        assert_eq!(ready.http_status(), 503);
    }

    #[test]
    fn judge_rules() {
        let client = Client::new(Config::new("https://example.invalid", "t").unwrap()).unwrap();
        let options = HealthOptions { slow_ping_ms: 100 };
        let ok = Health::judge(&client, None, 100, &options);
        assert_eq!((ok.status, ok.reason), (HealthStatus::Ok, None));
        assert!(!ok.to_json().contains("reason"));
        let slow = Health::judge(&client, None, 101, &options);
        assert_eq!(
            (slow.status, slow.reason, slow.http_status()),
            (HealthStatus::Degraded, Some("slow"), 200)
        );
        let auth = Health::judge(&client, Some(&Error::Auth { command: None }), 3, &options);
        assert_eq!(
            (auth.status, auth.reason, auth.http_status()),
            (HealthStatus::Unhealthy, Some("auth"), 503)
        );
        let bad = Config::from_lookup(|_| None).unwrap_err();
        let invalid = HealthReport::invalid_config(&bad);
        assert_eq!(invalid.reason, Some("config"));
        assert_eq!(invalid.http_status(), 503);
    }

    #[test]
    fn mock_in_production_is_refused_at_startup() {
        let e = Config::from_lookup(|name| match name {
            "MOCK_REDIS" => Some("true".to_owned()),
            "APP_ENV" => Some("production".to_owned()),
            _ => None,
        })
        .unwrap_err();
        assert_eq!(e.kind_label(), "config");
    }
}
