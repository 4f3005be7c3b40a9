//! Cached fixed window: a [`FixedWindow`] whose hot identifiers are mostly
//! answered from a local counter, reconciled with Redis on the next call
//! that needs Redis anyway (like @upstash/ratelimit's `cachedFixedWindow`,
//! but bounded, without background tasks, and never leaving a key without
//! a TTL).
//!
//! Owns: the per-identifier local state ([`LocalCounters`], a bounded LRU)
//! and the rule deciding locally or syncing. Redis keys, data layout and
//! the script are exactly [`FixedWindow`]'s, so both limiters (and
//! @upstash/ratelimit's fixed window) share one budget; every write goes
//! through that script, which gives a key without TTL one.
//!
//! The rule, per identifier, with `known` the counter Redis last reported
//! (it includes every unit this instance flushed) and `pending` the units
//! admitted locally since:
//! - no state for the current window, a refund, the reconcile interval
//!   passed, or `pending + rate > batch`: **sync**, one script call of
//!   weight `pending + rate` (flush and decide in one round trip). When
//!   that is denied and `pending > 0`, a second call records the pending
//!   units (already admitted) without a limit check: the one case costing
//!   two round trips, at most once per identifier per window per instance.
//! - `known + pending + rate <= limit`: **admit locally**, `pending += rate`.
//! - otherwise, with nothing pending: **deny locally** until the window ends.
//!
//! Bounds. One instance never admits more than `limit` in a window from its
//! own view: every local admission checks `known + pending + rate <= limit`
//! and every sync is checked by Redis against the shared counter plus the
//! pending units. Across `N` instances, each one can hold at most `batch`
//! admitted units that Redis has not seen, so a window admits at most
//! `limit + (N - 1) * batch` units in total (exactly `limit` with N = 1 or
//! `batch` = 0, which syncs every call). Units still pending when their
//! window ends are dropped: they no longer count for a fixed window.
//!
//! As an `Algorithm` it is a wrapper (`Cached`): the fixed window's
//! script, keys and decisions, plus the local hooks answered from
//! [`LocalCounters`].
//!
//! Must not: spawn tasks or use timers (it runs on wasm32), grow without
//! bound, or write keys other than the fixed window's.

use std::sync::{Mutex, MutexGuard};

use super::algorithm::{ints, Algorithm, Call, LocalAnswer, Now, RemainingRead};
use super::decision::{Decision, Reason, Remaining};
use super::fixed_window::FixedWindow;
use super::lru::Lru;
use crate::error::Result;

/// A cached fixed-window limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CachedFixedWindow {
    /// The shared limit, keys and script.
    pub window: FixedWindow,
    /// Units one instance may admit locally between two syncs.
    pub batch: u64,
    /// Longest time (ms) the local state answers without a sync.
    pub interval_ms: u64,
}

/// What the local state knows of one identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Local {
    bucket: u64,
    known: u64,
    pending: u64,
    synced_at: u64,
}

/// How one call is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// Admitted locally; units left in this instance's view.
    Admit { remaining: u64, reset: u64 },
    /// Denied locally until `reset`.
    Deny { reset: u64 },
    /// Ask Redis with weight `taken + rate`; `taken` pending units were
    /// moved out of the local state and are owed to Redis.
    Sync { taken: u64 },
}

/// Local counters for at most `capacity` identifiers (least recently used
/// evicted; an evicted identifier simply syncs on its next call).
#[derive(Debug)]
pub struct LocalCounters {
    capacity: usize,
    inner: Mutex<Lru<Local>>,
}

impl LocalCounters {
    /// Counters for at most `capacity` identifiers (0: every call syncs).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            inner: Mutex::new(Lru::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Lru<Local>> {
        // Plain data; a panic elsewhere cannot leave it torn.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many identifiers are held.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when none is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets `id` (after a reset).
    pub fn forget(&self, id: &str) {
        self.lock().remove(id);
    }

    /// Decides `rate` units for `id` at `now_ms` locally, or says to sync.
    pub(super) fn step(&self, a: &CachedFixedWindow, id: &str, now_ms: u64, rate: i64) -> Step {
        let w = &a.window;
        let bucket = now_ms / w.window_ms;
        let reset = bucket.saturating_add(1).saturating_mul(w.window_ms);
        let mut lru = self.lock();
        let Some(mut l) = lru.remove(id).filter(|l| l.bucket == bucket) else {
            return Step::Sync { taken: 0 };
        };
        let units = u64::try_from(rate).unwrap_or(0);
        let used = l.known.saturating_add(l.pending);
        let step = if rate <= 0 {
            None
        } else if used.saturating_add(units) > w.limit {
            (l.pending == 0).then_some(Step::Deny { reset })
        } else if now_ms < l.synced_at.saturating_add(a.interval_ms)
            && l.pending.saturating_add(units) <= a.batch
        {
            l.pending += units;
            Some(Step::Admit {
                remaining: w.limit - used - units,
                reset,
            })
        } else {
            None
        };
        let step = step.unwrap_or_else(|| {
            // The pending units travel with the sync; until it answers they
            // still count here (as known), so nothing is admitted twice.
            let taken = l.pending;
            l.known = used;
            l.pending = 0;
            Step::Sync { taken }
        });
        lru.put(id, l, self.capacity);
        step
    }

    /// Records what Redis answered a sync made at `now_ms`: the counter
    /// after it (`used`), in `bucket`. Units admitted locally while the
    /// sync was in flight stay pending. Unless `exact` (a refund), the
    /// known count never goes down within a window: a reply overtaken by
    /// a concurrent sync of this instance would otherwise forget units it
    /// carried (others' refunds are thus seen only by the next window).
    pub(super) fn synced(&self, id: &str, bucket: u64, used: u64, now_ms: u64, exact: bool) {
        let mut lru = self.lock();
        let old = lru.remove(id).filter(|l| l.bucket == bucket);
        let known = match old {
            Some(l) if !exact => l.known.max(used),
            _ => used,
        };
        lru.put(
            id,
            Local {
                bucket,
                known,
                pending: old.map_or(0, |l| l.pending),
                synced_at: now_ms,
            },
            self.capacity,
        );
    }

    /// A sync failed (e.g. timed out): drop the state so the next call
    /// syncs; the units it carried may or may not have been counted.
    pub(super) fn failed(&self, id: &str) {
        self.lock().remove(id);
    }
}

/// The cached window as the limiter runs it: [`CachedFixedWindow`]'s
/// parameters and the local counters they govern.
#[derive(Debug)]
pub(super) struct Cached {
    params: CachedFixedWindow,
    local: LocalCounters,
}

impl Cached {
    /// The wrapper, holding local counters for at most `capacity` identifiers.
    pub(super) fn new(params: CachedFixedWindow, capacity: usize) -> Self {
        Self {
            params,
            local: LocalCounters::new(capacity),
        }
    }
}

impl Algorithm for Cached {
    fn limit(&self) -> u64 {
        self.params.window.limit
    }

    fn call(&self, key: &str, now: Now, rate: i64) -> Call {
        self.params.window.call(key, now, rate)
    }

    fn decide(&self, reply: &[i64], rate: i64) -> Result<(Decision, Option<u64>)> {
        self.params.window.decide(reply, rate)
    }

    fn remaining_read(&self, key: &str, now_ms: u64) -> RemainingRead {
        self.params.window.remaining_read(key, now_ms)
    }

    fn remaining(&self, values: &[Option<i64>], now_ms: u64) -> Remaining {
        self.params.window.remaining(values, now_ms)
    }

    fn reset_keys(&self, key: &str, now: Now) -> Vec<String> {
        self.params.window.reset_keys(key, now)
    }

    fn answer_locally(&self, id: &str, now_ms: u64, rate: i64) -> LocalAnswer {
        let limit = self.params.window.limit;
        match self.local.step(&self.params, id, now_ms, rate) {
            Step::Admit { remaining, reset } => LocalAnswer::Decided(Decision {
                success: true,
                limit,
                remaining,
                reset,
                reason: Reason::None,
            }),
            Step::Deny { reset } => LocalAnswer::Decided(Decision {
                success: false,
                limit,
                remaining: 0,
                reset,
                reason: Reason::CacheBlock,
            }),
            Step::Sync { taken } => LocalAnswer::Ask { taken },
        }
    }

    fn synced(
        &self,
        id: &str,
        reply: Option<&[i64]>,
        taken: u64,
        rate: i64,
        now_ms: u64,
    ) -> Result<u64> {
        let Some(reply) = reply else {
            self.local.failed(id);
            return Ok(0);
        };
        let [allowed, used, bucket, _] = ints::<4>(reply)?;
        let used = u64::try_from(used).unwrap_or(0);
        let owed = if allowed == 0 { taken } else { 0 };
        // After a denial, `used` excludes what is owed; count it here.
        self.local.synced(
            id,
            u64::try_from(bucket).unwrap_or(0),
            used.saturating_add(owed),
            now_ms,
            rate < 0,
        );
        Ok(owed)
    }

    /// The fixed-window script with no limit (so it also sets the TTL).
    fn owed_call(&self, key: &str, now: Now, owed: u64) -> Option<Call> {
        let unlimited = FixedWindow {
            limit: super::MAX_COUNT,
            ..self.params.window
        };
        Some(unlimited.call(key, now, i64::try_from(owed).unwrap_or(i64::MAX)))
    }

    fn owed_recorded(&self, id: &str, reply: &[i64], now_ms: u64) -> Result<()> {
        let [_, used, bucket, _] = ints::<4>(reply)?;
        self.local.synced(
            id,
            u64::try_from(bucket).unwrap_or(0),
            u64::try_from(used).unwrap_or(0),
            now_ms,
            false,
        );
        Ok(())
    }

    fn forget(&self, id: &str) {
        self.local.forget(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: CachedFixedWindow = CachedFixedWindow {
        window: FixedWindow {
            limit: 5,
            window_ms: 1_000,
        },
        batch: 2,
        interval_ms: 500,
    };

    #[test]
    fn syncs_then_admits_locally_within_batch_interval_and_limit() {
        let c = LocalCounters::new(10);
        assert_eq!(c.step(&A, "a", 0, 1), Step::Sync { taken: 0 });
        c.synced("a", 0, 1, 0, false);
        assert!(matches!(
            c.step(&A, "a", 1, 1),
            Step::Admit { remaining: 3, .. }
        ));
        assert!(matches!(
            c.step(&A, "a", 2, 1),
            Step::Admit { remaining: 2, .. }
        ));
        // The batch is spent: the next call carries both pending units.
        assert_eq!(c.step(&A, "a", 3, 1), Step::Sync { taken: 2 });
        c.synced("a", 0, 4, 3, false);
        assert!(matches!(
            c.step(&A, "a", 4, 1),
            Step::Admit { remaining: 0, .. }
        ));
        // Full with a unit pending: sync to record it.
        assert_eq!(c.step(&A, "a", 5, 1), Step::Sync { taken: 1 });
        c.synced("a", 0, 5, 5, false);
        assert_eq!(c.step(&A, "a", 6, 1), Step::Deny { reset: 1_000 });
        // The interval passed: sync even with room.
        c.synced("a", 0, 1, 10, true);
        assert_eq!(c.step(&A, "a", 510, 1), Step::Sync { taken: 0 });
        // A new window starts from Redis again.
        assert_eq!(c.step(&A, "a", 1_000, 1), Step::Sync { taken: 0 });
        // Refunds always sync.
        c.synced("a", 1, 1, 1_000, false);
        assert_eq!(c.step(&A, "a", 1_001, -1), Step::Sync { taken: 0 });
    }

    #[test]
    fn holds_at_most_capacity_identifiers() {
        let c = LocalCounters::new(2);
        for id in ["a", "b", "c"] {
            c.synced(id, 0, 1, 0, false);
        }
        assert_eq!(c.len(), 2);
        assert_eq!(c.step(&A, "a", 1, 1), Step::Sync { taken: 0 });
        c.forget("b");
        c.forget("c");
        c.forget("a");
        assert!(c.is_empty());
        let none = LocalCounters::new(0);
        none.synced("a", 0, 1, 0, false);
        assert!(none.is_empty());
    }
}
