//! [`RatelimitBuilder`]: the options of a limiter, checked once, turned
//! into a [`Ratelimit`] by [`RatelimitBuilder::build`].
//!
//! Owns: option validation (counts up to 2^53, durations, the required
//! timeout policy). Must not: do I/O.

use std::sync::Arc;

use super::algorithm::Algorithm;
use super::cached_fixed_window::{Cached, CachedFixedWindow};
use super::duration::parse_duration;
use super::MAX_COUNT;
use super::{BlockCache, Ratelimit, TimeoutPolicy, DEFAULT_BLOCK_CACHE_SIZE, DEFAULT_PREFIX};
use crate::client::Client;
use crate::clock::{SharedClock, SystemClock};
use crate::error::{Error, Result};

/// The algorithm a builder will hand the limiter: the cached window is
/// built last, once its local options are known.
#[derive(Debug, Clone)]
pub(super) enum Chosen {
    /// Fixed window, sliding window or token bucket, as is.
    Plain(Arc<dyn Algorithm>),
    /// The cached wrapper over a fixed window, with its parameters so far.
    Cached(CachedFixedWindow),
}

/// Builds a [`Ratelimit`]; [`RatelimitBuilder::build`] fails unless a
/// timeout policy was chosen with [`RatelimitBuilder::on_timeout`].
#[derive(Debug, Clone)]
#[must_use]
pub struct RatelimitBuilder {
    algorithm: Chosen,
    prefix: String,
    clock: SharedClock,
    redis_time: bool,
    timeout: Option<TimeoutPolicy>,
    cache_size: usize,
    local_size: usize,
}

/// `n` as a limit, rate or token count: Lua numbers are exact below 2^53.
pub(super) fn count(name: &str, n: u64) -> Result<u64> {
    if n == 0 || n > MAX_COUNT {
        return Err(Error::config(name, "must be between 1 and 2^53"));
    }
    Ok(n)
}

/// `text` (`"10s"`, `"1 m"`...) as milliseconds.
pub(super) fn window(name: &str, text: &str) -> Result<u64> {
    parse_duration(text).map_err(|e| Error::config(name, e.to_string()))
}

impl RatelimitBuilder {
    pub(super) fn new(algorithm: Chosen) -> Self {
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
        if let Chosen::Cached(a) = &mut self.algorithm {
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
        let algorithm = match self.algorithm {
            Chosen::Plain(a) => a,
            Chosen::Cached(params) => Arc::new(Cached::new(params, self.local_size)),
        };
        Ok(Ratelimit {
            client: client.clone(),
            algorithm,
            prefix: self.prefix,
            clock: self.clock,
            redis_time: self.redis_time,
            timeout,
            cache: (self.cache_size > 0).then(|| Arc::new(BlockCache::new(self.cache_size))),
        })
    }
}
