//! Token bucket: `max_tokens` tokens, `refill_rate` more every `interval_ms`
//! (whole intervals only, counted from `refilledAt`), in the hash
//! `<prefix>:<id>` with fields `refilledAt` and `tokens`, as
//! @upstash/ratelimit stores it.
//!
//! Unlike @upstash/ratelimit: a refund never lifts tokens above the
//! maximum (theirs does, and then leaves the key without a TTL), a denied
//! weighted request consumes nothing, and every write sets the TTL to the
//! time until the bucket would be full again (at least one interval).

use std::sync::LazyLock;

use super::algorithm::{ints, Algorithm, Call, Now, RemainingRead};
use super::decision::{Decision, Reason, Remaining};
use crate::commands::Script;
use crate::error::Result;

/// The token-bucket script, hashed once per process.
static SCRIPT: LazyLock<Script> =
    LazyLock::new(|| Script::new(crate::scripts::RATELIMIT_TOKEN_BUCKET.source));

/// A token-bucket limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenBucket {
    /// Tokens added per interval.
    pub refill_rate: u64,
    /// Interval length, ms.
    pub interval_ms: u64,
    /// Bucket size (and the starting level).
    pub max_tokens: u64,
}

impl TokenBucket {
    /// When `missing` tokens will have been refilled, counting from `refilled_at`.
    fn refilled_by(&self, refilled_at: u64, missing: u64) -> u64 {
        let intervals = missing.div_ceil(self.refill_rate).max(1);
        refilled_at.saturating_add(intervals.saturating_mul(self.interval_ms))
    }
}

impl Algorithm for TokenBucket {
    fn limit(&self) -> u64 {
        self.max_tokens
    }

    /// The script call deciding `rate` tokens for `key` (`<prefix>:<id>`).
    fn call(&self, key: &str, now: Now, rate: i64) -> Call {
        Call {
            script: &SCRIPT,
            keys: vec![key.to_owned()],
            args: vec![
                now.arg(),
                self.max_tokens.to_string(),
                self.interval_ms.to_string(),
                self.refill_rate.to_string(),
                rate.to_string(),
            ],
        }
    }

    /// The decision for `rate` from `{allowed, tokens, refilledAt, now}`,
    /// and until when the identifier is certainly refused (if it is).
    fn decide(&self, reply: &[i64], rate: i64) -> Result<(Decision, Option<u64>)> {
        let [allowed, tokens, refilled_at, _now] = ints::<4>(reply)?;
        let refilled_at = u64::try_from(refilled_at).unwrap_or(0);
        let left = u64::try_from(tokens).unwrap_or(0);
        let success = allowed == 1;
        let reset = if success {
            refilled_at.saturating_add(self.interval_ms)
        } else {
            // The refill that lets this request's rate through.
            let missing = rate.saturating_sub(tokens).max(1);
            self.refilled_by(refilled_at, u64::try_from(missing).unwrap_or(u64::MAX))
        };
        let decision = Decision {
            success,
            limit: self.max_tokens,
            remaining: if success { left } else { 0 },
            reset,
            reason: Reason::None,
        };
        // Empty: nothing but a refund gets through before the next refill
        // (tokens may be negative if an older client overdrew the bucket).
        let blocked = (tokens <= 0).then(|| {
            let missing = u64::try_from(1 - tokens).unwrap_or(u64::MAX);
            self.refilled_by(refilled_at, missing)
        });
        Ok((decision, blocked))
    }

    /// The hash's `refilledAt` and `tokens`.
    fn remaining_read(&self, key: &str, _now_ms: u64) -> RemainingRead {
        RemainingRead::Fields(key.to_owned(), &["refilledAt", "tokens"])
    }

    /// [`Remaining`] from `refilledAt` and `tokens` read at `now_ms`,
    /// with the refills due by then applied (as the script would).
    fn remaining(&self, fields: &[Option<i64>], now_ms: u64) -> Remaining {
        let stored = fields
            .first()
            .copied()
            .flatten()
            .zip(fields.get(1).copied().flatten());
        let (mut refilled_at, mut tokens) = match stored {
            Some((at, tokens)) => (u64::try_from(at).unwrap_or(0), tokens),
            None => (now_ms, i64::try_from(self.max_tokens).unwrap_or(i64::MAX)),
        };
        if now_ms >= refilled_at.saturating_add(self.interval_ms) {
            let n = (now_ms - refilled_at) / self.interval_ms;
            let add = i64::try_from(n.saturating_mul(self.refill_rate)).unwrap_or(i64::MAX);
            let max = i64::try_from(self.max_tokens).unwrap_or(i64::MAX);
            tokens = tokens.saturating_add(add).min(max);
            refilled_at += n * self.interval_ms;
        }
        Remaining {
            remaining: u64::try_from(tokens).unwrap_or(0).min(self.max_tokens),
            limit: self.max_tokens,
            reset: refilled_at.saturating_add(self.interval_ms),
        }
    }

    /// The one key there is.
    fn reset_keys(&self, key: &str, _now: Now) -> Vec<String> {
        vec![key.to_owned()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_is_the_refill_that_lets_the_rate_through() {
        let tb = TokenBucket {
            refill_rate: 2,
            interval_ms: 1_000,
            max_tokens: 5,
        };
        // Denied 5 with 0 left: ceil(5 / 2) = 3 intervals after refilledAt.
        let (d, blocked) = tb.decide(&[0, 0, 10_000, 10_500], 5).unwrap();
        assert_eq!((d.success, d.reset, blocked), (false, 13_000, Some(11_000)));
        // Denied 3 with 2 left: not blocked for smaller requests.
        let (d, blocked) = tb.decide(&[0, 2, 10_000, 10_500], 3).unwrap();
        assert_eq!((d.reset, blocked), (11_000, None));
        // Overdrawn by an older client: -3 needs 2 intervals to reach 1.
        let (_, blocked) = tb.decide(&[0, -3, 10_000, 10_500], 1).unwrap();
        assert_eq!(blocked, Some(12_000));
        let r = tb.remaining(&[Some(10_000), Some(1)], 12_999);
        assert_eq!((r.remaining, r.reset), (5, 13_000));
        let r = tb.remaining(&[None, None], 7);
        assert_eq!((r.remaining, r.reset), (5, 1_007));
    }
}
