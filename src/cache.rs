//! A typed cache-aside over one (normally workspace-scoped) client.
//!
//! Owns: the key layout `<namespace>:cache:<entity>:<id>`, the stored
//! envelope (JSON `{"fresh_until": ms, "value": ...}`, kept in Redis for
//! the TTL plus a grace period so a stale value can be served while one
//! caller reloads), and stampede protection: one loader per key at a time
//! across instances, elected by `SET <key>:lock NX PX`; the others serve
//! stale within the grace period or wait a bounded time for the winner.
//!
//! A hit is one GET. Must not: know the transport or engine (layer L6), or
//! log keys or values.

use std::future::Future;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::clock::SharedClock;
use crate::commands::{KeyCommands, SetOptions, StringCommands};
use crate::error::Error;

/// What can go wrong in [`Cache::get_or_set`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CacheError<E> {
    /// The loader failed; its error, untouched. Nothing was cached.
    #[error("cache loader failed")]
    Loader(E),
    /// A value did not (de)serialize as JSON.
    #[error("cached value is not valid JSON for this type")]
    Json,
    /// Redis or the transport failed.
    #[error(transparent)]
    Redis(#[from] Error),
}

/// Stampede and staleness settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheOptions {
    /// How long after expiry a stale value may still be served while one
    /// caller reloads it.
    pub grace_ms: u64,
    /// Lifetime of a loader lock: a crashed loader's lock expires after it.
    pub lock_ms: u64,
    /// How many times a caller that lost the lock re-reads before loading
    /// itself (bounded waiting; 0 loads at once).
    pub wait_attempts: u32,
    /// Pause between those re-reads.
    pub wait_interval_ms: u64,
}

impl Default for CacheOptions {
    /// 10 s grace, 5 s locks, up to 20 waits of 25 ms.
    fn default() -> Self {
        Self {
            grace_ms: 10_000,
            lock_ms: 5_000,
            wait_attempts: 20,
            wait_interval_ms: 25,
        }
    }
}

/// What is stored under a cache key: the value and until when it is fresh.
/// The key lives `grace_ms` longer than that, so a stale value can still
/// be served while one caller reloads it.
#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    fresh_until: u64,
    value: T,
}

/// A cache-aside under one namespace string.
#[derive(Debug, Clone)]
pub struct Cache {
    client: Client,
    namespace: String,
    clock: SharedClock,
    options: CacheOptions,
}

/// A future that is pending once: lets a loader on the same executor run
/// between re-reads when the transport does not really sleep (the engine).
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            std::task::Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    }
}

impl Cache {
    /// A cache writing through `client`, naming keys `<namespace>:cache:...`,
    /// reading freshness from `clock`.
    pub fn new(
        client: Client,
        namespace: impl Into<String>,
        clock: SharedClock,
        options: CacheOptions,
    ) -> Self {
        Self {
            client,
            namespace: namespace.into(),
            clock,
            options,
        }
    }

    /// The key of `entity` `id`: `<namespace>:cache:<entity>:<id>`.
    pub fn key(&self, entity: &str, id: &str) -> String {
        format!("{}:cache:{entity}:{id}", self.namespace)
    }

    /// Drops a cached value (after the source changed).
    pub async fn invalidate(&self, key: &str) -> Result<bool, Error> {
        Ok(self.client.del([key]).await? > 0)
    }

    /// The cached value of `key`, or the loader's, stored for `ttl_ms`.
    ///
    /// Fresh hit: one GET. Stale (within the grace period): the caller that
    /// wins the lock reloads, others get the stale value. Miss: the winner
    /// loads; the others re-read a bounded number of times, then load
    /// themselves rather than fail. A loader error is returned as
    /// [`CacheError::Loader`] and the lock released.
    pub async fn get_or_set<T, E, F, Fut>(
        &self,
        key: &str,
        ttl_ms: u64,
        loader: F,
    ) -> Result<T, CacheError<E>>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let metrics = self.client.metrics();
        let stale = match self.read::<T, E>(key).await? {
            Some(env) if env.fresh_until > self.clock.now_ms() => {
                metrics.record_cache(true);
                return Ok(env.value);
            }
            other => other,
        };
        let lock = format!("{key}:lock");
        let options = SetOptions::default().nx().px(self.options.lock_ms);
        if self.client.set_with(&lock, "1", options).await? {
            // Another loader may have stored the value and released its
            // lock between our read and our lock: read once more, or the
            // same value is loaded twice.
            if let Some(env) = self.read::<T, E>(key).await? {
                if env.fresh_until > self.clock.now_ms() {
                    self.client.del([&lock]).await?;
                    metrics.record_cache(true);
                    return Ok(env.value);
                }
            }
            metrics.record_cache(stale.is_some());
            return self.load_and_release(key, &lock, ttl_ms, loader).await;
        }
        if let Some(env) = stale {
            metrics.record_cache(true);
            return Ok(env.value);
        }
        metrics.record_cache(false);
        for _ in 0..self.options.wait_attempts {
            self.client
                .sleep(Duration::from_millis(self.options.wait_interval_ms))
                .await;
            YieldOnce(false).await;
            if let Some(env) = self.read::<T, E>(key).await? {
                return Ok(env.value);
            }
        }
        let value = loader().await.map_err(CacheError::Loader)?;
        self.store(key, ttl_ms, &value).await?;
        Ok(value)
    }

    /// One GET: the stored envelope, if any. An entry that is not our JSON
    /// is an error, never a miss (it would be overwritten silently).
    async fn read<T: DeserializeOwned, E>(
        &self,
        key: &str,
    ) -> Result<Option<Envelope<T>>, CacheError<E>> {
        match self.client.get(key).await? {
            Some(body) => serde_json::from_slice(&body)
                .map(Some)
                .map_err(|_| CacheError::Json),
            None => Ok(None),
        }
    }

    /// One SET with PX = TTL + grace: Redis expires the entry, no sweeper.
    async fn store<T: Serialize, E>(
        &self,
        key: &str,
        ttl_ms: u64,
        value: &T,
    ) -> Result<(), CacheError<E>> {
        let env = Envelope {
            fresh_until: self.clock.now_ms().saturating_add(ttl_ms),
            value,
        };
        let body = serde_json::to_vec(&env).map_err(|_| CacheError::Json)?;
        let px = ttl_ms.saturating_add(self.options.grace_ms);
        self.client
            .set_with(key, body, SetOptions::default().px(px))
            .await?;
        Ok(())
    }

    /// Runs the loader as the lock's winner, stores its value and releases
    /// the lock whether the loader failed or not (while the lock is still
    /// ours), so a failing loader does not hold the key's reload back until
    /// the lock expires.
    async fn load_and_release<T, E, F, Fut>(
        &self,
        key: &str,
        lock: &str,
        ttl_ms: u64,
        loader: F,
    ) -> Result<T, CacheError<E>>
    where
        T: Serialize,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let started = self.clock.now_ms();
        let loaded = loader().await;
        let stored = match &loaded {
            Ok(value) => self.store(key, ttl_ms, value).await,
            Err(_) => Ok(()),
        };
        // Release only while the lock is certainly still ours (it has not
        // expired by our clock); after that it expires on its own and may
        // already belong to another loader.
        if self.clock.now_ms().saturating_sub(started) < self.options.lock_ms {
            self.client.del([lock]).await?;
        }
        stored?;
        loaded.map_err(CacheError::Loader)
    }
}
