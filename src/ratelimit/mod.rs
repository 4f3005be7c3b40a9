//! Rate limiting on Redis, exact and atomic, sharing state with
//! @upstash/ratelimit 2.2.0 for the same prefix and identifier.
//!
//! Owns (layer L6): the three algorithms ([`fixed_window`],
//! [`sliding_window`], [`token_bucket`]), each decision being ONE script
//! call ([`Script`]: EVALSHA, EVAL on NOSCRIPT) so one HTTP round trip, or
//! one pipeline for several limits ([`Ratelimit::limit_all`]); the
//! [`cached_fixed_window`] variant that answers hot identifiers from local
//! counters and reconciles them with Redis on the next call that needs it
//! (its bound across instances: `limit + (N - 1) * batch` per window; never
//! over `limit` in one instance's view); the bounded [`block_cache`] that
//! answers known-blocked identifiers with no call at all; the timeout
//! policy; and the HTTP 429 helpers ([`headers`]).
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

pub mod block_cache;
pub mod cached_fixed_window;
pub mod decision;
pub mod duration;
pub mod fixed_window;
pub mod headers;
mod lru;
pub mod sliding_window;
pub mod token_bucket;

use std::future::Future;
use std::sync::Arc;

pub use block_cache::BlockCache;
pub use cached_fixed_window::{CachedFixedWindow, LocalCounters};
pub use decision::{Decision, Reason, Remaining, TimeoutPolicy};
pub use duration::{parse_duration, DurationError};
pub use fixed_window::FixedWindow;
pub use sliding_window::SlidingWindow;
pub use token_bucket::TokenBucket;

use crate::client::Client;
use crate::clock::{SharedClock, SystemClock};
use crate::commands::{HashCommands, KeyCommands, StringCommands};
use crate::commands::{Script, ScriptingCommands};
use crate::error::{Error, Result, TransportErrorKind};
use crate::metrics::RateLimitOutcome;

/// @upstash/ratelimit's default key prefix.
pub const DEFAULT_PREFIX: &str = "@upstash/ratelimit";

/// Identifiers the block cache holds unless told otherwise.
pub const DEFAULT_BLOCK_CACHE_SIZE: usize = 10_000;

/// Largest limit, rate or token count: Lua numbers are exact below 2^53.
const MAX_COUNT: u64 = 1 << 53;

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
    fn estimate(self) -> u64 {
        match self {
            Self::Client(ms) | Self::Redis(ms) => ms,
        }
    }

    fn arg(self) -> String {
        match self {
            Self::Client(ms) => ms.to_string(),
            Self::Redis(_) => String::new(),
        }
    }
}

/// One script call: which script, KEYS and ARGV.
#[derive(Debug)]
pub(crate) struct Call {
    script: &'static Script,
    keys: Vec<String>,
    args: Vec<String>,
}

impl Call {
    /// The call of a windowed script (fixed or sliding): one key per bucket
    /// in `buckets`, and the ARGV both scripts share.
    fn windowed(
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

/// The first `N` integers of a script reply, or an unexpected-reply error.
fn ints<const N: usize>(reply: &[i64]) -> Result<[i64; N]> {
    reply
        .get(..N)
        .and_then(|s| <[i64; N]>::try_from(s).ok())
        .ok_or_else(|| Error::UnexpectedReply {
            command: Some("EVALSHA".to_owned()),
            expected: "a rate-limit script reply of integers",
            got: "a shorter array",
        })
}

/// The algorithm and its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Algorithm {
    /// See [`FixedWindow`].
    FixedWindow(FixedWindow),
    /// See [`SlidingWindow`].
    SlidingWindow(SlidingWindow),
    /// See [`TokenBucket`].
    TokenBucket(TokenBucket),
    /// See [`CachedFixedWindow`].
    CachedFixedWindow(CachedFixedWindow),
}

impl Algorithm {
    fn limit(&self) -> u64 {
        match self {
            Self::FixedWindow(a) => a.limit,
            Self::SlidingWindow(a) => a.limit,
            Self::TokenBucket(a) => a.max_tokens,
            Self::CachedFixedWindow(a) => a.window.limit,
        }
    }

    fn call(&self, key: &str, now: Now, rate: i64) -> Call {
        match self {
            Self::FixedWindow(a) => a.call(key, now, rate),
            Self::SlidingWindow(a) => a.call(key, now, rate),
            Self::TokenBucket(a) => a.call(key, now, rate),
            Self::CachedFixedWindow(a) => a.window.call(key, now, rate),
        }
    }

    fn decide(&self, reply: &[i64], rate: i64) -> Result<(Decision, Option<u64>)> {
        match self {
            Self::FixedWindow(a) => a.decide(reply),
            Self::SlidingWindow(a) => a.decide(reply),
            Self::TokenBucket(a) => a.decide(reply, rate),
            Self::CachedFixedWindow(a) => a.window.decide(reply),
        }
    }
}

/// Builds a [`Ratelimit`]; [`RatelimitBuilder::build`] fails unless a
/// timeout policy was chosen with [`RatelimitBuilder::on_timeout`].
#[derive(Debug, Clone)]
#[must_use]
pub struct RatelimitBuilder {
    algorithm: Algorithm,
    prefix: String,
    clock: SharedClock,
    redis_time: bool,
    timeout: Option<TimeoutPolicy>,
    cache_size: usize,
    local_size: usize,
}

fn count(name: &str, n: u64) -> Result<u64> {
    if n == 0 || n > MAX_COUNT {
        return Err(Error::config(name, "must be between 1 and 2^53"));
    }
    Ok(n)
}

fn window(name: &str, text: &str) -> Result<u64> {
    parse_duration(text).map_err(|e| Error::config(name, e.to_string()))
}

impl RatelimitBuilder {
    fn new(algorithm: Algorithm) -> Self {
        Self {
            algorithm,
            prefix: DEFAULT_PREFIX.to_owned(),
            clock: Arc::new(SystemClock),
            redis_time: false,
            timeout: None,
            cache_size: DEFAULT_BLOCK_CACHE_SIZE,
            local_size: DEFAULT_BLOCK_CACHE_SIZE,
        }
    }

    /// Key prefix (default [`DEFAULT_PREFIX`], as @upstash/ratelimit): keys
    /// are `<prefix>:<identifier>[:<bucket>]`.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The clock whose time is sent to the scripts (default: the system
    /// clock). Inject a [`ManualClock`](crate::clock::ManualClock) in tests.
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = clock;
        self.redis_time = false;
        self
    }

    /// Let Redis's `TIME`, read inside the script, decide instead of the
    /// local clock (immune to skewed callers; the local clock then only
    /// picks which bucket keys to name, and must be within one window).
    pub fn redis_time(mut self) -> Self {
        self.redis_time = true;
        self
    }

    /// What to answer when Redis times out. Required: see [`TimeoutPolicy`].
    pub fn on_timeout(mut self, policy: TimeoutPolicy) -> Self {
        self.timeout = Some(policy);
        self
    }

    /// Identifiers the in-memory block cache holds (LRU); 0 disables it.
    pub fn block_cache(mut self, capacity: usize) -> Self {
        self.cache_size = capacity;
        self
    }

    /// For [`Ratelimit::cached_fixed_window`]: sync with Redis after at
    /// most `batch` units admitted locally (0: every call) or `interval`
    /// (`"1s"`...) since the last sync, whichever comes first. Ignored by
    /// the other algorithms.
    pub fn reconcile_every(mut self, batch: u64, interval: &str) -> Result<Self> {
        if let Algorithm::CachedFixedWindow(a) = &mut self.algorithm {
            if batch > MAX_COUNT {
                return Err(Error::config("ratelimit.batch", "must be at most 2^53"));
            }
            a.batch = batch;
            a.interval_ms = window("ratelimit.reconcile_interval", interval)?;
        }
        Ok(self)
    }

    /// For [`Ratelimit::cached_fixed_window`]: identifiers whose local
    /// counters are held (LRU; default [`DEFAULT_BLOCK_CACHE_SIZE`]; 0
    /// makes every call sync).
    pub fn local_cache(mut self, capacity: usize) -> Self {
        self.local_size = capacity;
        self
    }

    /// The limiter, sending its scripts through `client`.
    pub fn build(self, client: &Client) -> Result<Ratelimit> {
        let timeout = self.timeout.ok_or_else(|| {
            Error::config(
                "ratelimit.on_timeout",
                "choose TimeoutPolicy::FailOpen or TimeoutPolicy::FailClosed explicitly",
            )
        })?;
        Ok(Ratelimit {
            client: client.clone(),
            algorithm: self.algorithm,
            prefix: self.prefix,
            clock: self.clock,
            redis_time: self.redis_time,
            timeout,
            cache: (self.cache_size > 0).then(|| Arc::new(BlockCache::new(self.cache_size))),
            local: matches!(self.algorithm, Algorithm::CachedFixedWindow(_))
                .then(|| Arc::new(LocalCounters::new(self.local_size))),
        })
    }
}

/// A configured rate limit. Cheap to clone (clones share the block cache).
#[derive(Debug, Clone)]
pub struct Ratelimit {
    client: Client,
    algorithm: Algorithm,
    prefix: String,
    clock: SharedClock,
    redis_time: bool,
    timeout: TimeoutPolicy,
    cache: Option<Arc<BlockCache>>,
    local: Option<Arc<LocalCounters>>,
}

/// How one request of a batch is answered.
enum Plan {
    Done(Decision),
    /// The call, and the locally admitted units it carries (cached window).
    Send(Call, u64),
}

impl Ratelimit {
    /// `limit` units per `window` (`"10s"`, `"1 m"`...), counted per window.
    pub fn fixed_window(limit: u64, window_text: &str) -> Result<RatelimitBuilder> {
        Ok(RatelimitBuilder::new(Algorithm::FixedWindow(FixedWindow {
            limit: count("ratelimit.limit", limit)?,
            window_ms: window("ratelimit.window", window_text)?,
        })))
    }

    /// `limit` units per `window` like [`Ratelimit::fixed_window`] (same
    /// keys), but hot identifiers are mostly answered from a local counter
    /// reconciled with Redis every 10 units or 1 s by default
    /// ([`RatelimitBuilder::reconcile_every`]); see [`CachedFixedWindow`]
    /// for its bounds.
    pub fn cached_fixed_window(limit: u64, window_text: &str) -> Result<RatelimitBuilder> {
        Ok(RatelimitBuilder::new(Algorithm::CachedFixedWindow(
            CachedFixedWindow {
                window: FixedWindow {
                    limit: count("ratelimit.limit", limit)?,
                    window_ms: window("ratelimit.window", window_text)?,
                },
                batch: 10,
                interval_ms: 1_000,
            },
        )))
    }

    /// `limit` units per sliding `window`; see [`SlidingWindow`] for its bound.
    pub fn sliding_window(limit: u64, window_text: &str) -> Result<RatelimitBuilder> {
        Ok(RatelimitBuilder::new(Algorithm::SlidingWindow(
            SlidingWindow {
                limit: count("ratelimit.limit", limit)?,
                window_ms: window("ratelimit.window", window_text)?,
            },
        )))
    }

    /// A bucket of `max_tokens`, refilled by `refill_rate` every `interval`.
    pub fn token_bucket(
        refill_rate: u64,
        interval: &str,
        max_tokens: u64,
    ) -> Result<RatelimitBuilder> {
        Ok(RatelimitBuilder::new(Algorithm::TokenBucket(TokenBucket {
            refill_rate: count("ratelimit.refill_rate", refill_rate)?,
            interval_ms: window("ratelimit.interval", interval)?,
            max_tokens: count("ratelimit.max_tokens", max_tokens)?,
        })))
    }

    /// The algorithm and its parameters.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The timeout policy chosen at construction.
    pub fn timeout_policy(&self) -> TimeoutPolicy {
        self.timeout
    }

    /// The Redis key of `identifier` without bucket: `<prefix>:<identifier>`.
    pub fn key(&self, identifier: &str) -> String {
        format!("{}:{identifier}", self.prefix)
    }

    fn now(&self) -> Now {
        let ms = self.clock.now_ms();
        if self.redis_time {
            Now::Redis(ms)
        } else {
            Now::Client(ms)
        }
    }

    fn record(&self, outcome: RateLimitOutcome) {
        self.client.metrics().record_ratelimit(outcome);
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

    /// Writes `owed` units admitted locally that a denied sync did not
    /// record: the fixed-window script with no limit (so it sets the TTL).
    async fn record_owed(&self, identifier: &str, owed: u64) -> Result<()> {
        let Algorithm::CachedFixedWindow(a) = &self.algorithm else {
            return Ok(());
        };
        if owed == 0 {
            return Ok(());
        }
        let unlimited = FixedWindow {
            limit: MAX_COUNT,
            ..a.window
        };
        let rate = i64::try_from(owed).unwrap_or(i64::MAX);
        let call = unlimited.call(&self.key(identifier), self.now(), rate);
        let reply = call
            .script
            .run::<Vec<i64>, _, _>(&self.client, &call.keys, &call.args)
            .await?;
        let [_, used, bucket, _] = ints::<4>(&reply)?;
        if let Some(local) = &self.local {
            local.synced(
                identifier,
                u64::try_from(bucket).unwrap_or(0),
                u64::try_from(used).unwrap_or(0),
                self.clock.now_ms(),
                false,
            );
        }
        Ok(())
    }

    fn plan(&self, identifier: &str, rate: i64) -> Result<Plan> {
        if rate.unsigned_abs() > MAX_COUNT {
            return Err(Error::invalid_request(None, "rate-limit rate beyond 2^53"));
        }
        let now = self.now();
        if rate > 0 {
            if let Some(until) = self
                .cache
                .as_ref()
                .and_then(|c| c.blocked_until(identifier, now.estimate()))
            {
                self.record(RateLimitOutcome::CacheBlocked);
                return Ok(Plan::Done(Decision {
                    success: false,
                    limit: self.algorithm.limit(),
                    remaining: 0,
                    reset: until,
                    reason: Reason::CacheBlock,
                }));
            }
        }
        let mut taken = 0;
        if let (Some(local), Algorithm::CachedFixedWindow(a)) = (&self.local, &self.algorithm) {
            match local.step(a, identifier, now.estimate(), rate) {
                cached_fixed_window::Step::Admit { remaining, reset } => {
                    self.record(RateLimitOutcome::Allowed);
                    return Ok(Plan::Done(Decision {
                        success: true,
                        limit: a.window.limit,
                        remaining,
                        reset,
                        reason: Reason::None,
                    }));
                }
                cached_fixed_window::Step::Deny { reset } => {
                    self.record(RateLimitOutcome::CacheBlocked);
                    return Ok(Plan::Done(Decision {
                        success: false,
                        limit: a.window.limit,
                        remaining: 0,
                        reset,
                        reason: Reason::CacheBlock,
                    }));
                }
                cached_fixed_window::Step::Sync { taken: t } => taken = t,
            }
        }
        let units = i64::try_from(taken).unwrap_or(i64::MAX);
        Ok(Plan::Send(
            self.algorithm
                .call(&self.key(identifier), now, rate.saturating_add(units)),
            taken,
        ))
    }

    /// The decision from a script reply, and (cached window) the locally
    /// admitted units a denial left unrecorded, owed to Redis.
    fn conclude(
        &self,
        identifier: &str,
        rate: i64,
        taken: u64,
        reply: Result<Vec<i64>>,
    ) -> Result<(Decision, u64)> {
        if reply.is_err() {
            if let Some(local) = &self.local {
                local.failed(identifier);
            }
        }
        let reply = match reply {
            Ok(reply) => reply,
            Err(Error::Transport {
                kind: TransportErrorKind::Timeout,
                ..
            }) => {
                self.record(RateLimitOutcome::Timeout);
                return Ok((
                    Decision {
                        success: self.timeout == TimeoutPolicy::FailOpen,
                        limit: self.algorithm.limit(),
                        remaining: 0,
                        reset: self.clock.now_ms(),
                        reason: Reason::Timeout(self.timeout),
                    },
                    0,
                ));
            }
            Err(e) => return Err(e),
        };
        let (decision, blocked) = self.algorithm.decide(&reply, rate)?;
        let mut owed = 0;
        if let Some(local) = &self.local {
            let [allowed, used, bucket, _] = ints::<4>(&reply)?;
            let used = u64::try_from(used).unwrap_or(0);
            if allowed == 0 {
                owed = taken;
            }
            // After a denial, `used` excludes what is owed; count it here.
            local.synced(
                identifier,
                u64::try_from(bucket).unwrap_or(0),
                used.saturating_add(owed),
                self.clock.now_ms(),
                rate < 0,
            );
        }
        if let Some(cache) = &self.cache {
            match blocked {
                Some(until) => cache.block(identifier, until),
                None if rate < 0 => cache.unblock(identifier),
                None => {}
            }
        }
        self.record(if decision.success {
            RateLimitOutcome::Allowed
        } else {
            RateLimitOutcome::Denied
        });
        Ok((decision, owed))
    }

    /// Decides several limits in ONE round trip (one pipeline of EVALSHA;
    /// the very first time a server lacks a script, a second pipeline
    /// re-sends just those with EVAL). Cache-blocked requests are answered
    /// locally. All limiters must use the same Redis; the first one's client
    /// sends. Each request has weight 1.
    pub async fn limit_all(requests: &[(&Ratelimit, &str)]) -> Result<Vec<Decision>> {
        let Some((first, _)) = requests.first() else {
            return Ok(Vec::new());
        };
        let client = &first.client;
        let mut plans = Vec::with_capacity(requests.len());
        for (limiter, id) in requests {
            plans.push(limiter.plan(id, 1)?);
        }
        let mut replies: Vec<Option<Result<Vec<i64>>>> = plans.iter().map(|_| None).collect();
        let mut evalsha = true;
        for _ in 0..2 {
            let pending: Vec<usize> = plans
                .iter()
                .enumerate()
                .filter(|(i, p)| {
                    matches!(p, Plan::Send(..))
                        && replies.get(*i).is_none_or(|r| {
                            r.as_ref()
                                .is_none_or(|r| matches!(r, Err(e) if e.is_noscript()))
                        })
                })
                .map(|(i, _)| i)
                .collect();
            if pending.is_empty() {
                break;
            }
            let batch = client.pipeline();
            let slots: Vec<_> = pending
                .iter()
                .filter_map(|&i| match plans.get(i) {
                    Some(Plan::Send(call, _)) if evalsha => Some(batch.evalsha::<Vec<i64>, _, _>(
                        call.script.sha1(),
                        &call.keys,
                        &call.args,
                    )),
                    Some(Plan::Send(call, _)) => Some(
                        call.script
                            .eval_on::<_, Vec<i64>, _, _>(&batch, &call.keys, &call.args),
                    ),
                    _ => None,
                })
                .collect();
            match batch.exec_each().await {
                Ok(mut results) => {
                    for (i, slot) in pending.iter().zip(slots) {
                        if let Some(r) = replies.get_mut(*i) {
                            *r = Some(results.take(slot));
                        }
                    }
                }
                Err(e) => {
                    for i in &pending {
                        if let Some(r) = replies.get_mut(*i) {
                            *r = Some(Err(e.clone()));
                        }
                    }
                    break;
                }
            }
            evalsha = false;
        }
        let mut decisions = Vec::with_capacity(plans.len());
        for ((plan, reply), (limiter, id)) in plans.into_iter().zip(replies).zip(requests) {
            decisions.push(match plan {
                Plan::Done(d) => d,
                Plan::Send(_, taken) => {
                    let (d, owed) = limiter.conclude(
                        id,
                        1,
                        taken,
                        reply.unwrap_or_else(|| {
                            Err(Error::UnexpectedReply {
                                command: Some("PIPELINE".to_owned()),
                                expected: "a reply per command",
                                got: "fewer replies",
                            })
                        }),
                    )?;
                    // Rare (a denial carrying locally admitted units).
                    limiter.record_owed(id, owed).await?;
                    d
                }
            });
        }
        Ok(decisions)
    }

    /// How much of the limit `identifier` has left now, without changing
    /// anything (one read command: MGET or HMGET). "Now" is the limiter's
    /// clock, also with [`RatelimitBuilder::redis_time`].
    pub async fn get_remaining(&self, identifier: &str) -> Result<Remaining> {
        let key = self.key(identifier);
        let now = self.clock.now_ms();
        let parse = |v: Option<Vec<u8>>| {
            v.and_then(|b| String::from_utf8(b).ok())
                .and_then(|s| s.trim().parse::<i64>().ok())
        };
        Ok(match &self.algorithm {
            Algorithm::FixedWindow(a)
            | Algorithm::CachedFixedWindow(CachedFixedWindow { window: a, .. }) => {
                let keys = a.remaining_keys(&key, now);
                let used = self.client.mget(&keys).await?;
                a.remaining(&used.into_iter().map(parse).collect::<Vec<_>>(), now)
            }
            Algorithm::SlidingWindow(a) => {
                let keys = a.remaining_keys(&key, now);
                let used = self.client.mget(&keys).await?;
                a.remaining(&used.into_iter().map(parse).collect::<Vec<_>>(), now)
            }
            Algorithm::TokenBucket(a) => {
                let keys = a.remaining_keys(&key);
                let k = keys.first().cloned().unwrap_or_default();
                let fields = self.client.hmget(k, ["refilledAt", "tokens"]).await?;
                a.remaining(&fields.into_iter().map(parse).collect::<Vec<_>>(), now)
            }
        })
    }

    /// Forgets `identifier`'s usage: one DEL of the keys that can count
    /// now (never a keyspace scan), and its block-cache entry.
    pub async fn reset(&self, identifier: &str) -> Result<()> {
        if let Some(cache) = &self.cache {
            cache.unblock(identifier);
        }
        if let Some(local) = &self.local {
            local.forget(identifier);
        }
        let key = self.key(identifier);
        let now = self.now();
        let keys = match &self.algorithm {
            Algorithm::FixedWindow(a)
            | Algorithm::CachedFixedWindow(CachedFixedWindow { window: a, .. }) => {
                a.reset_keys(&key, now)
            }
            Algorithm::SlidingWindow(a) => a.reset_keys(&key, now),
            Algorithm::TokenBucket(a) => a.reset_keys(&key),
        };
        self.client.del(&keys).await?;
        Ok(())
    }

    /// Like [`Ratelimit::limit`], but when denied waits (with `sleep`, given
    /// milliseconds) until the reset and tries again, for at most
    /// `timeout_ms` by the limiter's clock. Returns the last decision.
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
        let deadline = self.clock.now_ms().saturating_add(timeout_ms);
        loop {
            let decision = self.limit(identifier).await?;
            let now = self.clock.now_ms();
            if decision.success || decision.reset > deadline || now >= deadline {
                return Ok(decision);
            }
            sleep(decision.reset.saturating_sub(now).max(1)).await;
        }
    }

    /// [`Ratelimit::block_until_ready_with`] sleeping on the tokio timer
    /// (native targets; on wasm32 pass the host's timer to the `_with` form).
    #[cfg(not(target_arch = "wasm32"))]
    pub async fn block_until_ready(
        &self,
        identifier: &str,
        timeout: std::time::Duration,
    ) -> Result<Decision> {
        let ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        self.block_until_ready_with(identifier, ms, |ms| {
            tokio::time::sleep(std::time::Duration::from_millis(ms))
        })
        .await
    }
}
