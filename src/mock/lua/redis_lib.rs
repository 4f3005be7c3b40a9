//! The parts of the `redis` table that need no keyspace: `sha1hex`,
//! `error_reply`, `status_reply`, `log`, `setresp`, replication no-ops and
//! constants; and Redis's deterministic `math.random`.
//!
//! Must not: run commands (`redis.call`/`pcall` are `vm`'s, bound per run).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use mlua::{Lua, Table, Value as LuaValue};

use super::convert::field_table;

/// Redis's `lrand48` (48-bit LCG) state: seeded once, so an engine's
/// sequence is reproducible. (redis-server 7.0 continues one sequence
/// across scripts from a seed of its own: exact values differ.)
#[derive(Debug, Clone, Default)]
pub struct Rand48(Arc<AtomicU64>);

const A: u64 = 0x5_DEEC_E66D;
const C: u64 = 0xB;
const MASK: u64 = (1 << 48) - 1;

impl Rand48 {
    /// `redisSrand48(seed)`.
    pub fn seed(&self, seed: u32) {
        self.0
            .store((u64::from(seed) << 16) | 0x330E, Ordering::Relaxed);
    }

    /// `redisLrand48()`: the next 31-bit value.
    fn next(&self) -> u64 {
        let x = self.0.load(Ordering::Relaxed);
        let x = A.wrapping_mul(x).wrapping_add(C) & MASK;
        self.0.store(x, Ordering::Relaxed);
        x >> 17
    }
}

/// Redis's `math.random([m [, n]])`.
fn random(rand: &Rand48, m: Option<f64>, n: Option<f64>) -> mlua::Result<f64> {
    const MAX: f64 = 2_147_483_647.0;
    let r = (rand.next() as f64 % MAX) / MAX;
    match (m, n) {
        (None, _) => Ok(r),
        (Some(m), None) if m >= 1.0 => Ok((r * m).floor() + 1.0),
        (Some(l), Some(u)) if l <= u => Ok((r * (u - l + 1.0)).floor() + l),
        _ => Err(mlua::Error::RuntimeError(
            "bad argument #1 to 'random' (interval is empty)".to_owned(),
        )),
    }
}

/// Replaces `math.random` and `math.randomseed` with Redis's versions.
pub fn install_random(lua: &Lua, math: &Table, rand: &Rand48) -> mlua::Result<()> {
    let r = rand.clone();
    math.raw_set(
        "random",
        lua.create_function(move |_, (m, n): (Option<f64>, Option<f64>)| random(&r, m, n))?,
    )?;
    let r = rand.clone();
    math.raw_set(
        "randomseed",
        lua.create_function(move |_, seed: f64| {
            r.seed(seed as i64 as u32);
            Ok(())
        })?,
    )?;
    Ok(())
}

/// A `{field = s}` reply table from a string argument.
fn reply_table(lua: &Lua, field: &'static str, v: LuaValue) -> mlua::Result<Table> {
    match v {
        LuaValue::String(s) => field_table(lua, field, &s.as_bytes()),
        _ => Err(mlua::Error::RuntimeError(
            "wrong number or type of arguments".to_owned(),
        )),
    }
}

/// The `redis` table without `call`/`pcall`; `full` adds what only runs
/// inside scripts (the load-time table of a function library gets less).
pub fn redis_table(lua: &Lua, full: bool) -> mlua::Result<Table> {
    let redis = lua.create_table()?;
    redis.raw_set(
        "log",
        lua.create_function(|_, (level, msg): (i64, mlua::MultiValue)| {
            tracing::debug!(level, parts = msg.len(), "redis.log from a script");
            Ok(())
        })?,
    )?;
    for (name, level) in [
        ("LOG_DEBUG", 0),
        ("LOG_VERBOSE", 1),
        ("LOG_NOTICE", 2),
        ("LOG_WARNING", 3),
    ] {
        redis.raw_set(name, level)?;
    }
    redis.raw_set("REDIS_VERSION", "7.0.15")?;
    redis.raw_set("REDIS_VERSION_NUM", 0x07_00_0f)?;
    redis.raw_set(
        "setresp",
        lua.create_function(|_, v: i64| match v {
            2 => Ok(()),
            3 => Err(mlua::Error::RuntimeError(
                "RESP3 is not supported by the embedded engine's scripts".to_owned(),
            )),
            _ => Err(mlua::Error::RuntimeError(
                "RESP version must be 2 or 3.".to_owned(),
            )),
        })?,
    )?;
    if !full {
        return Ok(redis);
    }
    redis.raw_set(
        "sha1hex",
        lua.create_function(|lua, s: mlua::String| {
            lua.create_string(crate::scripts::sha1_hex(&s.as_bytes()))
        })?,
    )?;
    redis.raw_set(
        "error_reply",
        lua.create_function(|lua, v: LuaValue| reply_table(lua, "err", v))?,
    )?;
    redis.raw_set(
        "status_reply",
        lua.create_function(|lua, v: LuaValue| reply_table(lua, "ok", v))?,
    )?;
    // Effects replication is the only mode in Redis 7: these are no-ops.
    redis.raw_set("replicate_commands", lua.create_function(|_, ()| Ok(true))?)?;
    redis.raw_set("set_repl", lua.create_function(|_, _: i64| Ok(()))?)?;
    redis.raw_set("breakpoint", lua.create_function(|_, ()| Ok(false))?)?;
    redis.raw_set(
        "debug",
        lua.create_function(|_, _: mlua::MultiValue| Ok(()))?,
    )?;
    for (name, v) in [
        ("REPL_NONE", 0),
        ("REPL_AOF", 1),
        ("REPL_SLAVE", 2),
        ("REPL_REPLICA", 2),
        ("REPL_ALL", 3),
    ] {
        redis.raw_set(name, v)?;
    }
    Ok(redis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_is_reproducible_and_in_range() {
        let (a, b) = (Rand48::default(), Rand48::default());
        a.seed(0);
        b.seed(0);
        for _ in 0..100 {
            let x = random(&a, Some(1.0), Some(6.0)).unwrap();
            assert_eq!(x, random(&b, Some(1.0), Some(6.0)).unwrap());
            assert!((1.0..=6.0).contains(&x) && x.fract() == 0.0);
        }
    }
}
