//! Expiry commands: EXPIRE PEXPIRE EXPIREAT PEXPIREAT (with NX XX GT LT),
//! TTL PTTL EXPIRETIME PEXPIRETIME PERSIST.
//!
//! Owns: reading and changing TTLs through `Db::set_expiry`. Must not: read a
//! clock of its own; "now" is `ctx.now_ms`.

use super::ctx::{is, parse_int, Ctx, Reply};
use super::Registration;
use crate::protocol::Value;

pub(super) const COMMANDS: &[Registration] = &[
    ("expire", expire),
    ("pexpire", pexpire),
    ("expireat", expireat),
    ("pexpireat", pexpireat),
    ("ttl", ttl),
    ("pttl", pttl),
    ("expiretime", expiretime),
    ("pexpiretime", pexpiretime),
    ("persist", persist),
];

/// "ERR invalid expire time in '<command>' command".
pub(super) fn invalid_expire(name: &str) -> String {
    format!("ERR invalid expire time in '{name}' command")
}

fn expire(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let now = i64::try_from(ctx.now_ms).unwrap_or(i64::MAX);
    expire_generic(ctx, args, now, true)
}

fn pexpire(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let now = i64::try_from(ctx.now_ms).unwrap_or(i64::MAX);
    expire_generic(ctx, args, now, false)
}

fn expireat(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    expire_generic(ctx, args, 0, true)
}

fn pexpireat(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    expire_generic(ctx, args, 0, false)
}

/// The NX/XX/GT/LT conditions of the EXPIRE family.
#[derive(Default)]
struct Conditions {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

fn parse_conditions(opts: &[Vec<u8>]) -> Result<Conditions, String> {
    let mut c = Conditions::default();
    for opt in opts {
        if is(opt, "nx") {
            c.nx = true;
        } else if is(opt, "xx") {
            c.xx = true;
        } else if is(opt, "gt") {
            c.gt = true;
        } else if is(opt, "lt") {
            c.lt = true;
        } else {
            return Err(format!(
                "ERR Unsupported option {}",
                String::from_utf8_lossy(opt)
            ));
        }
    }
    if c.nx && (c.xx || c.gt || c.lt) {
        return Err(
            "ERR NX and XX, GT or LT options at the same time are not compatible".to_owned(),
        );
    }
    if c.gt && c.lt {
        return Err("ERR GT and LT options at the same time are not compatible".to_owned());
    }
    Ok(c)
}

/// Redis's expireGenericCommand: options, then the time, then the key.
fn expire_generic(ctx: &mut Ctx<'_>, args: &[Vec<u8>], base: i64, seconds: bool) -> Reply {
    let mut a = ctx.args(args);
    let (key, when) = (a.arg()?, a.arg()?);
    let cond = parse_conditions(a.rest())?;
    let mut when = parse_int(when)?;
    if seconds {
        when = when
            .checked_mul(1000)
            .ok_or_else(|| invalid_expire(ctx.name))?;
    }
    let when = when
        .checked_add(base)
        .ok_or_else(|| invalid_expire(ctx.name))?;
    let Some(entry) = ctx.entry(key) else {
        return Ok(Value::Int(0));
    };
    // -1 stands for "no expiry", as in Redis's getExpire.
    let current = entry
        .expires_at
        .map_or(-1, |at| i64::try_from(at).unwrap_or(i64::MAX));
    let refused = (cond.nx && current != -1)
        || (cond.xx && current == -1)
        || (cond.gt && (when <= current || current == -1))
        || (cond.lt && current != -1 && when >= current);
    if refused {
        return Ok(Value::Int(0));
    }
    match u64::try_from(when) {
        Ok(at) if at > ctx.now_ms => {
            ctx.db.set_expiry(key, Some(at), ctx.now_ms);
        }
        _ => {
            ctx.db.remove(key);
        }
    }
    Ok(Value::Int(1))
}

/// The expiry of a live key: `Err(-2)` when missing, `Ok(None)` without TTL.
fn expiry_of(ctx: &mut Ctx<'_>, key: &[u8]) -> Result<Option<u64>, i64> {
    ctx.entry(key).map(|e| e.expires_at).ok_or(-2)
}

fn ttl_generic(ctx: &mut Ctx<'_>, key: &[u8], ms: bool) -> Reply {
    let n = match expiry_of(ctx, key) {
        Err(code) => code,
        Ok(None) => -1,
        Ok(Some(at)) => {
            let left = i64::try_from(at.saturating_sub(ctx.now_ms)).unwrap_or(i64::MAX);
            if ms {
                left
            } else {
                left.saturating_add(500) / 1000
            }
        }
    };
    Ok(Value::Int(n))
}

fn ttl(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    ttl_generic(ctx, key, false)
}

fn pttl(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    ttl_generic(ctx, key, true)
}

fn expiretime_generic(ctx: &mut Ctx<'_>, key: &[u8], ms: bool) -> Reply {
    let n = match expiry_of(ctx, key) {
        Err(code) => code,
        Ok(None) => -1,
        Ok(Some(at)) => {
            let at = i64::try_from(at).unwrap_or(i64::MAX);
            if ms {
                at
            } else {
                // Redis rounds to the nearest second here (TTL rounds too).
                at.saturating_add(500) / 1000
            }
        }
    };
    Ok(Value::Int(n))
}

fn expiretime(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    expiretime_generic(ctx, key, false)
}

fn pexpiretime(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    expiretime_generic(ctx, key, true)
}

fn persist(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    let had = matches!(expiry_of(ctx, key), Ok(Some(_)));
    if had {
        ctx.db.set_expiry(key, None, ctx.now_ms);
    }
    Ok(Value::Int(i64::from(had)))
}

#[cfg(test)]
mod tests {
    use crate::mock::keys::tests::{engine, run};
    use crate::protocol::Value;

    #[crate::unit_test]
    fn expire_sets_and_deletes() {
        let (e, clock) = engine();
        run(&e, "SET a 1").unwrap();
        assert_eq!(run(&e, "TTL a"), Ok(Value::Int(-1)));
        assert_eq!(run(&e, "TTL nope"), Ok(Value::Int(-2)));
        assert_eq!(run(&e, "EXPIRE a 10"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "TTL a"), Ok(Value::Int(10)));
        clock.advance(1_400);
        assert_eq!(run(&e, "TTL a"), Ok(Value::Int(9)), "rounded as Redis");
        assert_eq!(run(&e, "PTTL a"), Ok(Value::Int(8_600)));
        assert_eq!(run(&e, "EXPIRE a 0"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "EXISTS a"), Ok(Value::Int(0)));
        assert_eq!(run(&e, "EXPIRE a 10"), Ok(Value::Int(0)));
        run(&e, "SET b 1").unwrap();
        assert_eq!(run(&e, "PEXPIRE b -1"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "EXISTS b"), Ok(Value::Int(0)));
    }

    #[crate::unit_test]
    fn expireat_and_expiretime() {
        let (e, clock) = engine();
        let now = clock_now(&clock);
        run(&e, "SET a 1").unwrap();
        let at = now / 1000 + 100;
        assert_eq!(run(&e, &format!("EXPIREAT a {at}")), Ok(Value::Int(1)));
        assert_eq!(run(&e, "EXPIRETIME a"), Ok(Value::Int(at as i64)));
        assert_eq!(run(&e, "PEXPIRETIME a"), Ok(Value::Int(at as i64 * 1000)));
        assert_eq!(run(&e, "PEXPIRETIME b"), Ok(Value::Int(-2)));
        assert_eq!(run(&e, "PERSIST a"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "PERSIST a"), Ok(Value::Int(0)));
        assert_eq!(run(&e, "EXPIRETIME a"), Ok(Value::Int(-1)));
        assert_eq!(run(&e, "PEXPIREAT a 5"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "EXISTS a"), Ok(Value::Int(0)));
    }

    fn clock_now(c: &crate::clock::ManualClock) -> u64 {
        use crate::clock::Clock;
        c.now_ms()
    }

    #[crate::unit_test]
    fn conditions() {
        let (e, _) = engine();
        run(&e, "SET a 1").unwrap();
        assert_eq!(run(&e, "EXPIRE a 10 XX"), Ok(Value::Int(0)));
        assert_eq!(run(&e, "EXPIRE a 10 GT"), Ok(Value::Int(0)));
        assert_eq!(run(&e, "EXPIRE a 10 LT"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "EXPIRE a 20 NX"), Ok(Value::Int(0)));
        assert_eq!(run(&e, "EXPIRE a 20 LT"), Ok(Value::Int(0)));
        assert_eq!(run(&e, "EXPIRE a 20 GT"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "EXPIRE a 5 xx lt"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "TTL a"), Ok(Value::Int(5)));
        assert_eq!(
            run(&e, "EXPIRE a 5 NX XX"),
            Err("ERR NX and XX, GT or LT options at the same time are not compatible".into())
        );
        assert_eq!(
            run(&e, "EXPIRE a 5 GT LT"),
            Err("ERR GT and LT options at the same time are not compatible".into())
        );
        assert_eq!(
            run(&e, "EXPIRE a 5 foo"),
            Err("ERR Unsupported option foo".into())
        );
        assert_eq!(
            run(&e, "EXPIRE a x foo"),
            Err("ERR Unsupported option foo".into()),
            "options are checked before the time"
        );
        assert_eq!(
            run(&e, "EXPIRE a 9223372036854775807"),
            Err("ERR invalid expire time in 'expire' command".into())
        );
        assert_eq!(
            run(&e, "PEXPIRE a 9223372036854775807"),
            Err("ERR invalid expire time in 'pexpire' command".into())
        );
        assert_eq!(
            run(&e, "EXPIRE a 1.5"),
            Err("ERR value is not an integer or out of range".into())
        );
    }
}
