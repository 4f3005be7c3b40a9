//! Rate limiting on Redis, exact and atomic, sharing state with
//! @upstash/ratelimit 2.2.0 for the same prefix and identifier.
//!
//! Owns (layer L6): the three algorithms ([`fixed_window`],
//! [`sliding_window`], [`token_bucket`]), each an `Algorithm` (its script,
//! keys and reading of the reply: `algorithm.rs`) and each decision being
//! ONE script call ([`Script`](crate::commands::Script): EVALSHA, EVAL on
//! NOSCRIPT) so one HTTP round trip, or one pipeline for several limits
//! ([`Ratelimit::limit_all`]); the [`cached_fixed_window`] wrapper that
//! answers hot identifiers from local counters and reconciles them with
//! Redis on the next call that needs it (its bound across instances:
//! `limit + (N - 1) * batch` per window; never over `limit` in one
//! instance's view); the bounded [`block_cache`] that answers
//! known-blocked identifiers with no call at all; the timeout policy; and
//! the HTTP 429 helpers ([`headers`]).
//!
//! Files: `mod.rs` the [`Ratelimit`] handle and its calls; `builder.rs`
//! the options; `flow.rs` the steps of one decision, the same for every
//! algorithm; `limit_all.rs` the batched form; `algorithm.rs` the trait.
//!
//! Must not: use the transport or the engine directly (only the client,
//! commands, scripts and clock), scan the keyspace (reset deletes the known
//! keys), or pick a timeout policy for the caller.
//!
//! ```no_run
//! # async fn demo(client: edgestash::Client) -> edgestash::Result<()> {
//! use edgestash::ratelimit::{Ratelimit, TimeoutPolicy};
//! let per_ip = Ratelimit::fixed_window(10, "10s")?
//!     .on_timeout(TimeoutPolicy::FailClosed)
//!     .build(&client)?;
//! let d = per_ip.limit("203.0.113.7").await?;
//! if !d.success { /* answer 429 with ratelimit::headers::too_many_requests(&d, now) */ }
//! # Ok(()) }
//! ```

mod algorithm;
pub mod block_cache;
mod builder;
pub mod cached_fixed_window;
pub mod decision;
pub mod duration;
pub mod fixed_window;
mod flow;
pub mod headers;
mod limit_all;
mod lru;
pub mod sliding_window;
pub mod token_bucket;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

pub use block_cache::BlockCache;
pub use builder::RatelimitBuilder;
pub use cached_fixed_window::{CachedFixedWindow, LocalCounters};
pub use decision::{Decision, Reason, Remaining, TimeoutPolicy};
pub use duration::{parse_duration, DurationError};
pub use fixed_window::FixedWindow;
pub use sliding_window::SlidingWindow;
pub use token_bucket::TokenBucket;

use algorithm::{Algorithm, Now, RemainingRead};
use builder::{count, window, Chosen};
use flow::Plan;

use crate::client::Client;
use crate::clock::SharedClock;
use crate::commands::{HashCommands, KeyCommands, StringCommands};
use crate::error::Result;

/// @upstash/ratelimit's default key prefix.
pub const DEFAULT_PREFIX: &str = "@upstash/ratelimit";

/// Identifiers the block cache holds unless told otherwise.
pub const DEFAULT_BLOCK_CACHE_SIZE: usize = 10_000;

/// Largest limit, rate or token count: Lua numbers are exact below 2^53.
const MAX_COUNT: u64 = 1 << 53;

/// A configured rate limit. Cheap to clone (clones share the block cache
/// and the cached window's local counters).
#[derive(Debug, Clone)]
pub struct Ratelimit {
    client: Client,
    algorithm: Arc<dyn Algorithm>,
    prefix: String,
    clock: SharedClock,
    redis_time: bool,
    timeout: TimeoutPolicy,
    cache: Option<Arc<BlockCache>>,
}

impl Ratelimit {
    /// `limit` units per `window` (`"10s"`, `"1 m"`...), counted per window.
    pub fn fixed_window(limit: u64, window_text: &str) -> Result<RatelimitBuilder> {
        Ok(RatelimitBuilder::new(Chosen::Plain(Arc::new(
            FixedWindow {
                limit: count("ratelimit.limit", limit)?,
                window_ms: window("ratelimit.window", window_text)?,
            },
        ))))
    }

    /// `limit` units per `window` like [`Ratelimit::fixed_window`] (same
    /// keys), but hot identifiers are mostly answered from a local counter
    /// reconciled with Redis every 10 units or 1 s by default
    /// ([`RatelimitBuilder::reconcile_every`]); see [`CachedFixedWindow`]
    /// for its bounds.
    pub fn cached_fixed_window(limit: u64, window_text: &str) -> Result<RatelimitBuilder> {
        Ok(RatelimitBuilder::new(Chosen::Cached(CachedFixedWindow {
            window: FixedWindow {
                limit: count("ratelimit.limit", limit)?,
                window_ms: window("ratelimit.window", window_text)?,
            },
            batch: 10,
            interval_ms: 1_000,
        })))
    }

    /// `limit` units per sliding `window`; see [`SlidingWindow`] for its bound.
    pub fn sliding_window(limit: u64, window_text: &str) -> Result<RatelimitBuilder> {
        Ok(RatelimitBuilder::new(Chosen::Plain(Arc::new(
            SlidingWindow {
                limit: count("ratelimit.limit", limit)?,
                window_ms: window("ratelimit.window", window_text)?,
            },
        ))))
    }

    /// A bucket of `max_tokens`, refilled by `refill_rate` every `interval`.
    pub fn token_bucket(
        refill_rate: u64,
        interval: &str,
        max_tokens: u64,
    ) -> Result<RatelimitBuilder> {
        Ok(RatelimitBuilder::new(Chosen::Plain(Arc::new(
            TokenBucket {
                refill_rate: count("ratelimit.refill_rate", refill_rate)?,
                interval_ms: window("ratelimit.interval", interval)?,
                max_tokens: count("ratelimit.max_tokens", max_tokens)?,
            },
        ))))
    }

    /// The timeout policy chosen at construction.
    pub fn timeout_policy(&self) -> TimeoutPolicy {
        self.timeout
    }

    /// The Redis key of `identifier` without bucket: `<prefix>:<identifier>`.
    pub fn key(&self, identifier: &str) -> String {
        format!("{}:{identifier}", self.prefix)
    }

    /// "Now" for one call: the limiter's clock, sent to the script or (with
    /// [`RatelimitBuilder::redis_time`]) only used to name bucket keys.
    fn now(&self) -> Now {
        let ms = self.clock.now_ms();
        if self.redis_time {
            Now::Redis(ms)
        } else {
            Now::Client(ms)
        }
    }

    /// Decides one request of weight 1 for `identifier`.
    pub async fn limit(&self, identifier: &str) -> Result<Decision> {
        self.limit_rate(identifier, 1).await
    }

    /// Decides a request of weight `rate`; a negative rate refunds units
    /// (never below an empty counter / above a full bucket). A denied
    /// request consumes nothing.
    pub async fn limit_rate(&self, identifier: &str, rate: i64) -> Result<Decision> {
        let (call, taken) = match self.plan(identifier, rate)? {
            Plan::Done(d) => return Ok(d),
            Plan::Send(call, taken) => (call, taken),
        };
        let reply = call
            .script
            .run::<Vec<i64>, _, _>(&self.client, &call.keys, &call.args)
            .await;
        let (decision, owed) = self.conclude(identifier, rate, taken, reply)?;
        self.record_owed(identifier, owed).await?;
        Ok(decision)
    }

    /// How much of the limit `identifier` has left now, without changing
    /// anything (one read command: MGET or HMGET). "Now" is the limiter's
    /// clock, also with [`RatelimitBuilder::redis_time`].
    pub async fn get_remaining(&self, identifier: &str) -> Result<Remaining> {
        let now = self.clock.now_ms();
        let values = match self.algorithm.remaining_read(&self.key(identifier), now) {
            RemainingRead::Counters(keys) => self.client.mget(&keys).await?,
            RemainingRead::Fields(key, fields) => self.client.hmget(key, fields).await?,
        };
        let parse = |v: Option<Vec<u8>>| {
            v.and_then(|b| String::from_utf8(b).ok())
                .and_then(|s| s.trim().parse::<i64>().ok())
        };
        let values: Vec<Option<i64>> = values.into_iter().map(parse).collect();
        Ok(self.algorithm.remaining(&values, now))
    }

    /// Forgets `identifier`'s usage: one DEL of the keys that can count
    /// now (never a keyspace scan), its block-cache entry and any local
    /// counter.
    pub async fn reset(&self, identifier: &str) -> Result<()> {
        if let Some(cache) = &self.cache {
            cache.unblock(identifier);
        }
        self.algorithm.forget(identifier);
        let keys = self.algorithm.reset_keys(&self.key(identifier), self.now());
        self.client.del(&keys).await?;
        Ok(())
    }

    /// Like [`Ratelimit::limit`], but when denied waits until the reset and
    /// tries again, for at most `timeout` by the limiter's clock; returns
    /// the last decision. Waits on the platform's timer (tokio natively,
    /// the host's `setTimeout` on wasm32), on every target and also with
    /// the embedded engine.
    pub async fn block_until_ready(&self, identifier: &str, timeout: Duration) -> Result<Decision> {
        let ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        self.wait_until_ready(identifier, ms, |ms| {
            self.client.wait_for(Duration::from_millis(ms))
        })
        .await
    }

    /// [`Ratelimit::block_until_ready`] waiting with `sleep` (given
    /// milliseconds) instead: e.g. a test moving a
    /// [`ManualClock`](crate::clock::ManualClock), or the caller's own
    /// runtime. `timeout_ms` is measured by the limiter's clock.
    pub async fn block_until_ready_with<F, Fut>(
        &self,
        identifier: &str,
        timeout_ms: u64,
        mut sleep: F,
    ) -> Result<Decision>
    where
        F: FnMut(u64) -> Fut,
        Fut: Future<Output = ()>,
    {
        self.wait_until_ready(identifier, timeout_ms, |ms| {
            let wait = sleep(ms);
            async move {
                wait.await;
                Ok(())
            }
        })
        .await
    }

    /// The retry loop of both `block_until_ready` forms: a sleep that can
    /// fail (no timer on this target) ends the wait with that error.
    async fn wait_until_ready<F, Fut>(
        &self,
        identifier: &str,
        timeout_ms: u64,
        mut sleep: F,
    ) -> Result<Decision>
    where
        F: FnMut(u64) -> Fut,
        Fut: Future<Output = Result<()>>,
    {
        let deadline = self.clock.now_ms().saturating_add(timeout_ms);
        loop {
            let decision = self.limit(identifier).await?;
            let now = self.clock.now_ms();
            if decision.success || decision.reset > deadline || now >= deadline {
                return Ok(decision);
            }
            sleep(decision.reset.saturating_sub(now).max(1)).await?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SystemClock;
    use crate::mock::Engine;

    /// `block_until_ready` waits on the platform's timer even on the
    /// embedded engine (whose `Client::sleep` does not wait): a denied
    /// identifier is admitted once the 100 ms window has passed, after one
    /// sleep rather than a busy loop.
    #[tokio::test]
    async fn block_until_ready_waits_for_the_next_window_on_the_engine() {
        let client = Client::with_engine(Arc::new(Engine::new(Arc::new(SystemClock))));
        let limiter = Ratelimit::fixed_window(1, "100ms")
            .unwrap()
            .on_timeout(TimeoutPolicy::FailClosed)
            .build(&client)
            .unwrap();
        // One unit per window: at most one success per window, so this
        // ends within two windows whatever the scheduling.
        let denied = loop {
            let d = limiter.limit("a").await.unwrap();
            if !d.success {
                break d;
            }
        };
        let decisions = || -> u64 { client.metrics().snapshot().ratelimit.values().sum() };
        let before = decisions();
        let ready = limiter
            .block_until_ready("a", Duration::from_secs(5))
            .await
            .unwrap();
        assert!(ready.success);
        assert!(ready.reset > denied.reset, "admitted in a later window");
        // It slept until the reset: one refusal, then the admission (a loop
        // that did not wait would have decided thousands of times).
        assert!(
            decisions() - before <= 3,
            "{} decisions",
            decisions() - before
        );
    }
}
