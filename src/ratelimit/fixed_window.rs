//! Fixed window: at most `limit` units per window of `window_ms`, counted in
//! the string `<prefix>:<id>:<bucket>` (`bucket = floor(now / window)`), as
//! @upstash/ratelimit stores it.
//!
//! Unlike @upstash/ratelimit, a denied request adds nothing to the counter
//! (theirs adds and then compares, so denied weighted requests overshoot),
//! a refund never drives the counter below zero, and a counter found
//! without a TTL gets one. Both libraries admit while `counter <= limit`,
//! so they share one budget.
//!
//! Must not: send anything but the one script call per decision.

use std::sync::LazyLock;

use super::algorithm::{ints, window_decision, Algorithm, Call, Now, RemainingRead};
use super::decision::{Decision, Remaining};
use crate::commands::Script;
use crate::error::Result;

/// The fixed-window script, hashed once per process.
static SCRIPT: LazyLock<Script> =
    LazyLock::new(|| Script::new(crate::scripts::RATELIMIT_FIXED_WINDOW.source));

/// A fixed-window limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedWindow {
    /// Units admitted per window.
    pub limit: u64,
    /// Window length, ms.
    pub window_ms: u64,
}

impl FixedWindow {
    /// The window number `now_ms` falls in, as @upstash/ratelimit counts it.
    fn bucket(&self, now_ms: u64) -> u64 {
        now_ms / self.window_ms
    }

    /// The buckets whose keys a call names: the current one, or (Redis time)
    /// one either side of the local estimate, since Redis picks.
    fn buckets(&self, now: Now) -> (u64, u64) {
        let b = self.bucket(now.estimate());
        match now {
            Now::Client(_) => (b, b),
            Now::Redis(_) => (b.saturating_sub(1), b + 1),
        }
    }
}

impl Algorithm for FixedWindow {
    fn limit(&self) -> u64 {
        self.limit
    }

    /// The script call deciding `rate` units for `key` (`<prefix>:<id>`).
    fn call(&self, key: &str, now: Now, rate: i64) -> Call {
        let (first, last) = self.buckets(now);
        Call::windowed(
            &SCRIPT,
            key,
            first..=last,
            now,
            self.window_ms,
            self.limit,
            rate,
        )
    }

    /// The decision from the script's reply `{allowed, used, bucket, now}`,
    /// and until when the identifier is certainly refused (if it is).
    fn decide(&self, reply: &[i64], _rate: i64) -> Result<(Decision, Option<u64>)> {
        let [allowed, used, bucket, _now] = ints::<4>(reply)?;
        let [used, bucket] = [used, bucket].map(|v| u64::try_from(v).unwrap_or(0));
        let decision = window_decision(self.limit, self.window_ms, allowed, used, bucket);
        // Full: nothing but a refund gets through before the window ends.
        let blocked = (used >= self.limit).then_some(decision.reset);
        Ok((decision, blocked))
    }

    /// The current counter.
    fn remaining_read(&self, key: &str, now_ms: u64) -> RemainingRead {
        RemainingRead::Counters(vec![format!("{key}:{}", self.bucket(now_ms))])
    }

    /// [`Remaining`] from the counter read at `now_ms`.
    fn remaining(&self, used: &[Option<i64>], now_ms: u64) -> Remaining {
        let used = used.first().copied().flatten().unwrap_or(0);
        Remaining {
            remaining: self.limit.saturating_sub(u64::try_from(used).unwrap_or(0)),
            limit: self.limit,
            reset: (self.bucket(now_ms) + 1).saturating_mul(self.window_ms),
        }
    }

    /// Every key a call at `now` may have written and that still counts.
    fn reset_keys(&self, key: &str, now: Now) -> Vec<String> {
        let b = self.bucket(now.estimate());
        (b.saturating_sub(1)..=b + 1)
            .map(|b| format!("{key}:{b}"))
            .collect()
    }
}
