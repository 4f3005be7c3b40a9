//! What every rate-limit algorithm provides: the [`Algorithm`] trait, and
//! the plain data it speaks in ([`Now`], [`Call`], [`RemainingRead`],
//! [`LocalAnswer`]).
//!
//! Owns: the contract between [`Ratelimit`](super::Ratelimit), which runs
//! the one flow shared by every algorithm (block cache, script call,
//! timeout policy, metrics), and the algorithms, which know their keys,
//! their script's arguments and how to read its reply. Must not: do I/O
//! (the limiter sends what the algorithm describes).

use std::fmt::Debug;

use super::decision::{Decision, Reason, Remaining};
use crate::commands::Script;
use crate::error::{Error, Result};

/// Where "now" comes from for one call.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Now {
    /// The limiter's clock, sent to the script.
    Client(u64),
    /// Redis's `TIME`, read inside the script; the value is the local
    /// estimate used to pick which bucket keys to name.
    Redis(u64),
}

impl Now {
    /// The local clock's reading, whoever decides.
    pub(crate) fn estimate(self) -> u64 {
        match self {
            Self::Client(ms) | Self::Redis(ms) => ms,
        }
    }

    /// The script's `now` argument: empty tells the script to read `TIME`.
    pub(crate) fn arg(self) -> String {
        match self {
            Self::Client(ms) => ms.to_string(),
            Self::Redis(_) => String::new(),
        }
    }
}

/// One script call: which script, KEYS and ARGV.
#[derive(Debug)]
pub(crate) struct Call {
    pub(crate) script: &'static Script,
    pub(crate) keys: Vec<String>,
    pub(crate) args: Vec<String>,
}

impl Call {
    /// The call of a windowed script (fixed or sliding): one key per bucket
    /// in `buckets`, and the ARGV both scripts share.
    pub(crate) fn windowed(
        script: &'static Script,
        key: &str,
        buckets: std::ops::RangeInclusive<u64>,
        now: Now,
        window_ms: u64,
        limit: u64,
        rate: i64,
    ) -> Self {
        Self {
            script,
            args: vec![
                now.arg(),
                buckets.start().to_string(),
                window_ms.to_string(),
                limit.to_string(),
                rate.to_string(),
            ],
            keys: buckets.map(|b| format!("{key}:{b}")).collect(),
        }
    }
}

/// The one read command [`Ratelimit::get_remaining`](super::Ratelimit::get_remaining)
/// sends: each value is parsed as an integer (absent or not a number:
/// `None`) and handed to [`Algorithm::remaining`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RemainingRead {
    /// MGET of these counters.
    Counters(Vec<String>),
    /// HMGET of these fields of one hash.
    Fields(String, &'static [&'static str]),
}

/// What an algorithm answers before asking Redis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LocalAnswer {
    /// Decided locally, no call (the cached window's admissions and
    /// denials). Counted as allowed, or as cache-blocked when refused.
    Decided(Decision),
    /// Ask Redis, carrying `taken` units admitted locally since the last
    /// sync (0 for algorithms without local state).
    Ask { taken: u64 },
}

/// One rate-limit algorithm: its script, its keys and how to read the
/// script's reply. Implemented by [`FixedWindow`](super::FixedWindow),
/// [`SlidingWindow`](super::SlidingWindow), [`TokenBucket`](super::TokenBucket)
/// and the cached window, a wrapper over the fixed window that overrides
/// the local hooks (the methods with a default).
///
/// Keys are derived from `key`, `<prefix>:<identifier>`; "now" is the
/// limiter's clock in Unix milliseconds.
pub(crate) trait Algorithm: Debug + Send + Sync {
    /// The limit decisions report: units per window, or the bucket size.
    fn limit(&self) -> u64;

    /// The script call deciding `rate` units for `key` at `now`.
    fn call(&self, key: &str, now: Now, rate: i64) -> Call;

    /// The decision from the script's integer reply for a call of weight
    /// `rate`, and until when the identifier is certainly refused (if it
    /// is), for the block cache.
    fn decide(&self, reply: &[i64], rate: i64) -> Result<(Decision, Option<u64>)>;

    /// The read that reports what is left of the limit at `now_ms`.
    fn remaining_read(&self, key: &str, now_ms: u64) -> RemainingRead;

    /// What is left of the limit, from the values [`Algorithm::remaining_read`]
    /// named, read at `now_ms`.
    fn remaining(&self, values: &[Option<i64>], now_ms: u64) -> Remaining;

    /// Every key a call at `now` may have written and that still counts.
    fn reset_keys(&self, key: &str, now: Now) -> Vec<String>;

    /// Answers `rate` units for `id` without Redis when local state allows.
    fn answer_locally(&self, _id: &str, _now_ms: u64, _rate: i64) -> LocalAnswer {
        LocalAnswer::Ask { taken: 0 }
    }

    /// Takes Redis's `reply` to a call of weight `rate` that carried
    /// `taken` locally admitted units (`None`: the call failed). Returns
    /// the units a denial left unrecorded, owed to Redis.
    fn synced(
        &self,
        _id: &str,
        _reply: Option<&[i64]>,
        _taken: u64,
        _rate: i64,
        _now_ms: u64,
    ) -> Result<u64> {
        Ok(0)
    }

    /// The call recording `owed` units without a limit check, if this
    /// algorithm can owe any.
    fn owed_call(&self, _key: &str, _now: Now, _owed: u64) -> Option<Call> {
        None
    }

    /// Takes Redis's reply to the [`Algorithm::owed_call`].
    fn owed_recorded(&self, _id: &str, _reply: &[i64], _now_ms: u64) -> Result<()> {
        Ok(())
    }

    /// Forgets local state about `id` (after a reset).
    fn forget(&self, _id: &str) {}
}

/// The decision of a windowed script (fixed or sliding) that answered
/// `allowed` with the counter at `used` in window `bucket`: a denial
/// reports nothing left; the reset is the window's end.
pub(crate) fn window_decision(
    limit: u64,
    window_ms: u64,
    allowed: i64,
    used: u64,
    bucket: u64,
) -> Decision {
    let success = allowed == 1;
    Decision {
        success,
        limit,
        remaining: if success {
            limit.saturating_sub(used)
        } else {
            0
        },
        reset: bucket.saturating_add(1).saturating_mul(window_ms),
        reason: Reason::None,
    }
}

/// The first `N` integers of a script reply, or an unexpected-reply error.
pub(crate) fn ints<const N: usize>(reply: &[i64]) -> Result<[i64; N]> {
    reply
        .get(..N)
        .and_then(|s| <[i64; N]>::try_from(s).ok())
        .ok_or_else(|| Error::UnexpectedReply {
            command: Some("EVALSHA".to_owned()),
            expected: "a rate-limit script reply of integers",
            got: "a shorter array",
        })
}
