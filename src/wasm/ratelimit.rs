//! The rate limiter's exports: [`WasmLimiter`] (an algorithm and its
//! parameters, checked when the facade's `Ratelimit.slidingWindow(...)`
//! and friends are called) and [`WasmRatelimit`] (a limiter bound to a
//! client, behind the facade's `Ratelimit` class).
//!
//! Owns: turning JavaScript numbers into the library's counts and rates
//! (whole numbers only, typed errors otherwise) and decisions into a packed
//! `Float64Array` the facade unpacks. Must not: decide anything itself; the
//! algorithms, keys (compatible with @upstash/ratelimit), block cache and
//! timeout policy are [`crate::ratelimit`]'s.

use std::time::Duration;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::convert::whole;
use super::error::to_js_error;
use super::promise;
use super::WasmClient;
use crate::ratelimit::{Decision, Ratelimit, RatelimitBuilder, Reason, TimeoutPolicy};
use crate::Error;

/// An algorithm with its parameters, validated at construction.
#[wasm_bindgen]
pub struct WasmLimiter {
    builder: RatelimitBuilder,
}

#[wasm_bindgen]
impl WasmLimiter {
    /// `kind` is `fixedWindow`, `slidingWindow`, `cachedFixedWindow` (with
    /// `a` = the limit) or `tokenBucket` (`a` = refill rate, `c` = bucket
    /// size); `window` is a duration as @upstash/ratelimit writes it
    /// (`"10 s"`, `"500ms"`, `"1 h"`...). Throws a `config` error.
    #[wasm_bindgen(constructor)]
    pub fn new(kind: &str, a: f64, window: &str, c: f64) -> Result<WasmLimiter, JsValue> {
        let build = || match kind {
            "fixedWindow" => Ratelimit::fixed_window(whole("ratelimit.tokens", a)?, window),
            "slidingWindow" => Ratelimit::sliding_window(whole("ratelimit.tokens", a)?, window),
            "cachedFixedWindow" => {
                Ratelimit::cached_fixed_window(whole("ratelimit.tokens", a)?, window)
            }
            "tokenBucket" => Ratelimit::token_bucket(
                whole("ratelimit.refillRate", a)?,
                window,
                whole("ratelimit.maxTokens", c)?,
            ),
            _ => Err(Error::config("ratelimit.limiter", "unknown algorithm")),
        };
        let builder = build().map_err(|e| to_js_error(&e))?;
        Ok(Self { builder })
    }
}

/// A limiter bound to a client (and so to its workspace, if any).
#[wasm_bindgen]
pub struct WasmRatelimit {
    limiter: Ratelimit,
}

/// `Decision` as `[success, limit, remaining, reset, reason]` with reason
/// 0 (Redis decided), 1 (timeout policy) or 2 (block cache).
fn packed(d: &Decision) -> JsValue {
    let reason = match d.reason {
        Reason::Timeout(_) => 1.0,
        Reason::CacheBlock => 2.0,
        Reason::None => 0.0,
    };
    let out = [
        if d.success { 1.0 } else { 0.0 },
        d.limit as f64,
        d.remaining as f64,
        d.reset as f64,
        reason,
    ];
    js_sys::Float64Array::from(&out[..]).into()
}

/// A request weight: a whole number within ±2^53 (negative refunds).
fn rate_of(rate: f64) -> Result<i64, JsValue> {
    const MAX: f64 = 9_007_199_254_740_992.0; // 2^53
    if rate.is_finite() && rate.fract() == 0.0 && rate.abs() <= MAX {
        Ok(rate as i64)
    } else {
        Err(to_js_error(&Error::config(
            "ratelimit.rate",
            "must be a whole number within 2^53",
        )))
    }
}

#[wasm_bindgen]
impl WasmRatelimit {
    /// Binds `limiter` to `client`. `prefix`: key prefix (default
    /// `@upstash/ratelimit`); `cache_size`: identifiers the block cache (and
    /// a cached window's local counters) hold, 0 disables the block cache;
    /// `fail_closed`: deny instead of allow when Redis times out.
    #[wasm_bindgen(constructor)]
    pub fn new(
        client: &WasmClient,
        limiter: &WasmLimiter,
        prefix: Option<String>,
        cache_size: u32,
        fail_closed: bool,
    ) -> Result<WasmRatelimit, JsValue> {
        let mut builder = limiter.builder.clone();
        if let Some(prefix) = prefix {
            builder = builder.prefix(prefix);
        }
        let size = usize::try_from(cache_size).unwrap_or(usize::MAX);
        let policy = if fail_closed {
            TimeoutPolicy::FailClosed
        } else {
            TimeoutPolicy::FailOpen
        };
        let limiter = builder
            .block_cache(size)
            .local_cache(size.max(1))
            .on_timeout(policy)
            .build(client.client())
            .map_err(|e| to_js_error(&e))?;
        Ok(Self { limiter })
    }

    /// Decides one request of weight `rate` (one script call, or none when
    /// answered from the block cache or a cached window's local counter).
    /// Resolves to the packed decision.
    pub fn limit(&self, identifier: String, rate: f64) -> Result<js_sys::Promise, JsValue> {
        let rate = rate_of(rate)?;
        let limiter = self.limiter.clone();
        Ok(promise(async move {
            let d = limiter
                .limit_rate(&identifier, rate)
                .await
                .map_err(|e| to_js_error(&e))?;
            Ok(packed(&d))
        }))
    }

    /// Like `limit`, but while denied waits (the host's `setTimeout`) until
    /// the reset and tries again, for at most `timeout_ms`.
    #[wasm_bindgen(js_name = blockUntilReady)]
    pub fn block_until_ready(
        &self,
        identifier: String,
        timeout_ms: f64,
    ) -> Result<js_sys::Promise, JsValue> {
        let timeout =
            whole("ratelimit.blockUntilReady.timeout", timeout_ms).map_err(|e| to_js_error(&e))?;
        let limiter = self.limiter.clone();
        Ok(promise(async move {
            let d = limiter
                .block_until_ready(&identifier, Duration::from_millis(timeout))
                .await
                .map_err(|e| to_js_error(&e))?;
            Ok(packed(&d))
        }))
    }

    /// What is left for `identifier`, changing nothing (one read command):
    /// resolves to `[remaining, limit, reset]`.
    pub fn remaining(&self, identifier: String) -> js_sys::Promise {
        let limiter = self.limiter.clone();
        promise(async move {
            let r = limiter
                .get_remaining(&identifier)
                .await
                .map_err(|e| to_js_error(&e))?;
            let out = [r.remaining as f64, r.limit as f64, r.reset as f64];
            Ok(js_sys::Float64Array::from(&out[..]).into())
        })
    }

    /// Forgets `identifier`'s usage (one DEL of the keys that count now).
    pub fn reset(&self, identifier: String) -> js_sys::Promise {
        let limiter = self.limiter.clone();
        promise(async move {
            limiter
                .reset(&identifier)
                .await
                .map_err(|e| to_js_error(&e))?;
            Ok(JsValue::UNDEFINED)
        })
    }
}
