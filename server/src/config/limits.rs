//! The numeric limits an operator can tune: streaming routes today, and the
//! per-request bounds. Every default here is documented in `--help` and
//! deploy/RUNBOOK.md.
//!
//! Owns: the limits' types and defaults. Must not: enforce them (the HTTP
//! layer does).

use std::time::Duration;

/// The default limit on concurrent streams (each holds a Redis connection).
pub const DEFAULT_MAX_SUBSCRIBERS: usize = 1000;
/// The default interval between keepalive comments.
pub const DEFAULT_KEEPALIVE: Duration = Duration::from_secs(15);

/// The configuration of the streaming routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PubSubLimits {
    /// Concurrent streams (subscribe, psubscribe and monitor together).
    pub max_subscribers: usize,

    /// The interval between `: keepalive` comments on an idle stream.
    pub keepalive: Duration,
}

impl Default for PubSubLimits {
    fn default() -> Self {
        Self {
            max_subscribers: DEFAULT_MAX_SUBSCRIBERS,
            keepalive: DEFAULT_KEEPALIVE,
        }
    }
}
