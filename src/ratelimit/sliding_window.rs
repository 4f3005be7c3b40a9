//! Sliding window: the current window's counter plus the previous one's,
//! weighted by how much of the previous window still overlaps the last
//! `window_ms`; counters `<prefix>:<id>:<bucket>` as @upstash/ratelimit
//! stores them (current key TTL `2 * window + 1 s`).
//!
//! Bound (documented, tested): inside one window bucket at most `limit`
//! units are admitted, and the weighted sum `floor(prev * overlap) + cur`
//! never exceeds `limit` after an admission. Like every sliding-window
//! approximation, it assumes the previous window's requests were spread
//! evenly; any `window_ms` span can therefore see up to `2 * limit`
//! admissions in the worst case (all of the previous window's at its very
//! end, then the current window's).
//!
//! Unlike @upstash/ratelimit, a weighted request is admitted only when it
//! fits entirely, and a denied one writes nothing.

use std::sync::LazyLock;

use super::algorithm::{ints, window_decision, Algorithm, Call, Now, RemainingRead};
use super::decision::{Decision, Remaining};
use crate::commands::Script;
use crate::error::Result;

/// The sliding-window script, hashed once per process.
static SCRIPT: LazyLock<Script> =
    LazyLock::new(|| Script::new(crate::scripts::RATELIMIT_SLIDING_WINDOW.source));

/// A sliding-window limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlidingWindow {
    /// Units admitted per window.
    pub limit: u64,
    /// Window length, ms.
    pub window_ms: u64,
}

/// `floor(prev * (window - now % window) / window)`, exactly.
fn weighted(prev: u64, window: u64, now_ms: u64) -> u64 {
    let overlap = u128::from(window - now_ms % window);
    u64::try_from(u128::from(prev) * overlap / u128::from(window)).unwrap_or(u64::MAX)
}

impl SlidingWindow {
    /// The window number `now_ms` falls in, as @upstash/ratelimit counts it.
    fn bucket(&self, now_ms: u64) -> u64 {
        now_ms / self.window_ms
    }

    /// The earliest time a single unit fits again, given `used` (weighted
    /// previous + current) at `now`: the previous window's weight decays
    /// during this one, so that may come before `reset`.
    fn next_unit_at(&self, used: u64, prev: u64, now: u64, reset: u64) -> u64 {
        let w = u128::from(self.window_ms);
        let cur = used.saturating_sub(weighted(prev, self.window_ms, now));
        // Units the weighted previous counter may still take: a + 1 > 0.
        let Some(a) = self.limit.checked_sub(cur).and_then(|x| x.checked_sub(1)) else {
            return reset;
        };
        if prev == 0 {
            return reset;
        }
        // floor(prev * m / w) <= a  <=>  prev * m <= (a + 1) * w - 1, m = w - r
        let m_max = ((u128::from(a) + 1) * w - 1) / u128::from(prev);
        let r_min = w.saturating_sub(m_max);
        let start = u128::from(reset) - w;
        u64::try_from(start + r_min)
            .unwrap_or(reset)
            .clamp(now, reset)
    }
}

impl Algorithm for SlidingWindow {
    fn limit(&self) -> u64 {
        self.limit
    }

    /// The script call deciding `rate` units for `key` (`<prefix>:<id>`).
    fn call(&self, key: &str, now: Now, rate: i64) -> Call {
        let b = self.bucket(now.estimate());
        let (first, last) = match now {
            Now::Client(_) => (b.saturating_sub(1), b),
            Now::Redis(_) => (b.saturating_sub(2), b + 1),
        };
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

    /// The decision from `{allowed, used, bucket, now, prev}`, and until
    /// when the identifier is certainly refused (if it is).
    fn decide(&self, reply: &[i64], _rate: i64) -> Result<(Decision, Option<u64>)> {
        let [allowed, used, bucket, now, prev] = ints::<5>(reply)?;
        let [used, bucket, now, prev] =
            [used, bucket, now, prev].map(|v| u64::try_from(v).unwrap_or(0));
        let decision = window_decision(self.limit, self.window_ms, allowed, used, bucket);
        let reset = decision.reset;
        let blocked = (used >= self.limit).then(|| self.next_unit_at(used, prev, now, reset));
        Ok((decision, blocked))
    }

    /// Previous then current counter.
    fn remaining_read(&self, key: &str, now_ms: u64) -> RemainingRead {
        let b = self.bucket(now_ms);
        RemainingRead::Counters(vec![
            format!("{key}:{}", b.saturating_sub(1)),
            format!("{key}:{b}"),
        ])
    }

    /// [`Remaining`] from the counters read at `now_ms`.
    fn remaining(&self, counters: &[Option<i64>], now_ms: u64) -> Remaining {
        let get = |i: usize| {
            counters
                .get(i)
                .copied()
                .flatten()
                .and_then(|v| u64::try_from(v).ok())
                .unwrap_or(0)
        };
        let used = weighted(get(0), self.window_ms, now_ms).saturating_add(get(1));
        Remaining {
            remaining: self.limit.saturating_sub(used),
            limit: self.limit,
            reset: (self.bucket(now_ms) + 1).saturating_mul(self.window_ms),
        }
    }

    /// Every key that counts at `now`: previous, current and (clock skew) next.
    fn reset_keys(&self, key: &str, now: Now) -> Vec<String> {
        let b = self.bucket(now.estimate());
        (b.saturating_sub(2)..=b + 1)
            .map(|b| format!("{key}:{b}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_only_until_the_previous_window_has_decayed_enough() {
        let sw = SlidingWindow {
            limit: 10,
            window_ms: 10_000,
        };
        // 25 % into bucket 1: previous 10 weighs 7, current 3: full.
        let now = 12_500;
        let reply = [0, 10, 1, now, 10];
        let (d, blocked) = sw.decide(&reply, 1).unwrap();
        assert!(!d.success);
        assert_eq!(d.reset, 20_000);
        // floor(10 * (10000 - r) / 10000) <= 6 first holds at r = 3001.
        assert_eq!(blocked, Some(13_001));
        assert_eq!(weighted(10, 10_000, 13_000), 7);
        assert_eq!(weighted(10, 10_000, 13_001), 6);
        // Current window full on its own: until the window ends.
        let (_, blocked) = sw.decide(&[0, 10, 1, now, 0], 1).unwrap();
        assert_eq!(blocked, Some(20_000));
        // Something left: no block.
        let (_, blocked) = sw.decide(&[1, 9, 1, now, 0], 1).unwrap();
        assert_eq!(blocked, None);
    }
}
