//! Native equivalents of the rate limiter's Lua scripts
//! (`src/scripts/ratelimit_*.lua`), for the embedded engine.
//!
//! Owns: the same reads, writes, TTLs and replies as the Lua sources, step
//! for step, on valid arguments (the differential test in
//! `integration/tests/ratelimit_scripts.rs` checks them against real Redis).
//! Lua computes in doubles; every quantity here stays an exact integer below
//! 2^53, where floor/ceil of a double quotient equals the exact integer one,
//! so i128 arithmetic gives the same answers. Must not: touch keys other than
//! KEYS[].

use std::collections::HashMap;

use super::ctx::{Ctx, Reply, NOT_INTEGER, WRONGTYPE};
use super::db::Data;
use crate::protocol::Value;

const SKEW: &str = "ERR edgestash ratelimit: clock skew of more than one window";
/// What Lua reports for arithmetic on a non-number (close enough: the
/// limiter never sends such arguments).
const BAD_ARG: &str = "ERR edgestash ratelimit: argument is not a number";

fn num(arg: Option<&Vec<u8>>) -> Result<i128, String> {
    arg.and_then(|a| std::str::from_utf8(a).ok())
        .and_then(|s| s.trim().parse::<i128>().ok())
        .ok_or_else(|| BAD_ARG.to_owned())
}

/// ARGV[1]: the caller's time, or Redis's own (`TIME`) when not a number.
fn now(ctx: &Ctx<'_>, argv: &[Vec<u8>]) -> i128 {
    argv.first()
        .and_then(|a| std::str::from_utf8(a).ok())
        .and_then(|s| s.trim().parse::<i128>().ok())
        .unwrap_or_else(|| i128::from(ctx.now_ms))
}

/// `tonumber(redis.call("GET", key) or "0")`.
fn counter(ctx: &mut Ctx<'_>, key: &[u8]) -> Result<i128, String> {
    match ctx.get_str(key)? {
        None => Ok(0),
        Some(v) => std::str::from_utf8(v)
            .ok()
            .and_then(|s| s.parse::<i128>().ok())
            .ok_or_else(|| BAD_ARG.to_owned()),
    }
}

/// `INCRBY key delta` (keeps the TTL, creates the key when missing).
fn incr_by(ctx: &mut Ctx<'_>, key: &[u8], to: i128) -> Result<(), String> {
    let value = ctx.write::<Vec<u8>>(key)?;
    if i64::try_from(to).is_err() {
        return Err(NOT_INTEGER.to_owned());
    }
    *value = to.to_string().into_bytes();
    Ok(())
}

/// `if PTTL key == -1 then PEXPIRE key ttl end`.
fn expire_if_persistent(ctx: &mut Ctx<'_>, key: &[u8], ttl: i128) {
    let persistent = matches!(ctx.entry(key), Some(e) if e.expires_at.is_none());
    if persistent {
        pexpire(ctx, key, ttl);
    }
}

fn pexpire(ctx: &mut Ctx<'_>, key: &[u8], ttl: i128) {
    let at = i128::from(ctx.now_ms).saturating_add(ttl).max(0);
    let at = u64::try_from(at).unwrap_or(u64::MAX);
    ctx.db.set_expiry(key, Some(at), ctx.now_ms);
}

fn ints<const N: usize>(items: [i128; N]) -> Value {
    Value::Array(
        items
            .iter()
            .map(|&i| Value::Int(i64::try_from(i).unwrap_or(i64::MAX)))
            .collect(),
    )
}

/// Window bucket of `now`, and the index (0-based) of its key in KEYS.
fn bucket_index(
    now: i128,
    window: i128,
    first: i128,
    min: i128,
    len: usize,
) -> Result<(i128, usize), String> {
    if window <= 0 {
        return Err(BAD_ARG.to_owned());
    }
    let bucket = now.div_euclid(window);
    let i = bucket - first;
    if i < min || i >= i128::try_from(len).unwrap_or(i128::MAX) {
        return Err(SKEW.to_owned());
    }
    Ok((bucket, usize::try_from(i).map_err(|_| SKEW.to_owned())?))
}

/// Native `ratelimit_fixed_window.lua`.
pub fn fixed_window(ctx: &mut Ctx<'_>, keys: &[Vec<u8>], argv: &[Vec<u8>]) -> Reply {
    let now = now(ctx, argv);
    let window = num(argv.get(2))?;
    let limit = num(argv.get(3))?;
    let rate = num(argv.get(4))?;
    let (bucket, i) = bucket_index(now, window, num(argv.get(1))?, 0, keys.len())?;
    let key = keys.get(i).ok_or_else(|| SKEW.to_owned())?;
    let used = counter(ctx, key)?;
    if rate > 0 && used + rate > limit {
        return Ok(ints([0, used, bucket, now]));
    }
    let after = (used + rate).max(0);
    if after != used {
        incr_by(ctx, key, after)?;
    }
    expire_if_persistent(ctx, key, window);
    Ok(ints([1, after, bucket, now]))
}

/// Native `ratelimit_sliding_window.lua`.
pub fn sliding_window(ctx: &mut Ctx<'_>, keys: &[Vec<u8>], argv: &[Vec<u8>]) -> Reply {
    let now = now(ctx, argv);
    let window = num(argv.get(2))?;
    let limit = num(argv.get(3))?;
    let rate = num(argv.get(4))?;
    let (bucket, i) = bucket_index(now, window, num(argv.get(1))?, 1, keys.len())?;
    let (Some(prev_key), Some(key)) = (keys.get(i - 1), keys.get(i)) else {
        return Err(SKEW.to_owned());
    };
    let cur = counter(ctx, key)?;
    let prev = counter(ctx, prev_key)?;
    let weighted = (prev * (window - now.rem_euclid(window))).div_euclid(window);
    if rate > 0 && weighted + cur + rate > limit {
        return Ok(ints([0, weighted + cur, bucket, now, prev]));
    }
    let after = (cur + rate).max(0);
    if after != cur {
        incr_by(ctx, key, after)?;
    }
    expire_if_persistent(ctx, key, window * 2 + 1000);
    Ok(ints([1, weighted + after, bucket, now, prev]))
}

/// Native `ratelimit_token_bucket.lua`.
pub fn token_bucket(ctx: &mut Ctx<'_>, keys: &[Vec<u8>], argv: &[Vec<u8>]) -> Reply {
    let now = now(ctx, argv);
    let max = num(argv.get(1))?;
    let interval = num(argv.get(2))?;
    let refill = num(argv.get(3))?;
    let rate = num(argv.get(4))?;
    if interval <= 0 || refill <= 0 {
        return Err(BAD_ARG.to_owned());
    }
    let key = keys.first().ok_or_else(|| BAD_ARG.to_owned())?;
    let stored = match ctx.entry(key) {
        None => None,
        Some(e) => match &e.data {
            Data::Hash(h) => {
                let field = |name: &[u8]| {
                    h.get(name)
                        .and_then(|v| std::str::from_utf8(v).ok())
                        .and_then(|s| s.trim().parse::<i128>().ok())
                };
                field(b"refilledAt").zip(field(b"tokens"))
            }
            _ => return Err(WRONGTYPE.to_owned()),
        },
    };
    let (mut refilled_at, mut tokens) = stored.unwrap_or((now, max));
    if now >= refilled_at + interval {
        let n = (now - refilled_at).div_euclid(interval);
        tokens = max.min(tokens + n * refill);
        refilled_at += n * interval;
    }
    if rate > 0 && tokens < rate {
        return Ok(ints([0, tokens, refilled_at, now]));
    }
    let left = max.min(tokens - rate);
    let hash = ctx.write::<HashMap<Vec<u8>, Vec<u8>>>(key)?;
    hash.insert(b"refilledAt".to_vec(), refilled_at.to_string().into_bytes());
    hash.insert(b"tokens".to_vec(), left.to_string().into_bytes());
    let refills = (max - left + refill - 1).div_euclid(refill).max(1);
    pexpire(ctx, key, refills * interval);
    Ok(ints([1, left, refilled_at, now]))
}
