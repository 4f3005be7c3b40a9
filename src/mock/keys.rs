//! Key commands that act on whole keys: DEL UNLINK EXISTS TYPE TOUCH RENAME
//! RENAMENX COPY RANDOMKEY.
//!
//! Owns: moving, copying and deleting keys with their TTLs. Must not: look
//! inside values (that is each type family's job). Expiry commands live in
//! `expire`, keyspace iteration (KEYS, SCAN) in `scan`.

use super::ctx::{bulk, ArgError, Ctx, Reply};
use super::Registration;
use crate::protocol::Value;

pub(super) const COMMANDS: &[Registration] = &[
    ("del", del),
    ("unlink", del),
    ("exists", exists),
    ("touch", exists),
    ("type", type_),
    ("rename", rename),
    ("renamenx", renamenx),
    ("copy", copy),
    ("randomkey", randomkey),
];

fn count(n: usize) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// DEL and UNLINK (the engine has no background freeing, so they are one).
fn del(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut n = 0;
    for key in args {
        if ctx.entry(key).is_some() {
            ctx.db.remove(key);
            n += 1;
        }
    }
    Ok(count(n))
}

/// EXISTS and TOUCH: live keys among the arguments, repeats counted again.
/// TOUCH only updates access times in Redis, which the engine does not keep.
fn exists(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    Ok(count(
        args.iter().filter(|k| ctx.entry(k).is_some()).count(),
    ))
}

fn type_(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    Ok(bulk(ctx.entry(key).map_or("none", |e| e.data.type_name())))
}

fn rename(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    rename_generic(ctx, args, false)
}

fn renamenx(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    rename_generic(ctx, args, true)
}

/// Moves `src` (value and TTL) to `dst`; as Redis's renameGenericCommand.
fn rename_generic(ctx: &mut Ctx<'_>, args: &[Vec<u8>], nx: bool) -> Reply {
    let mut a = ctx.args(args);
    let (src, dst) = (a.arg()?, a.arg()?);
    if ctx.entry(src).is_none() {
        return Err("ERR no such key".to_owned());
    }
    let done = if nx { Value::Int(1) } else { Value::Okay };
    if src == dst {
        return Ok(if nx { Value::Int(0) } else { Value::Okay });
    }
    if nx && ctx.entry(dst).is_some() {
        return Ok(Value::Int(0));
    }
    let Some(entry) = ctx.db.remove(src) else {
        return Err("ERR no such key".to_owned());
    };
    ctx.db.insert(dst.to_vec(), entry.data, entry.expires_at);
    Ok(done)
}

/// COPY source destination [DB db] [REPLACE].
///
/// The engine has one database, so it answers like a redis-server started
/// with `databases 1`: `DB 0` is the source database, any other index is
/// out of range.
fn copy(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (src, dst) = (a.arg()?, a.arg()?);
    let mut replace = false;
    while !a.is_empty() {
        if a.eat("replace") {
            replace = true;
        } else if a.len() >= 2 && a.eat("db") {
            let db = a.ranged(i32::MIN.into(), i32::MAX.into(), None)?;
            if db != 0 {
                return Err("ERR DB index is out of range".to_owned());
            }
        } else {
            return Err(ArgError::Syntax.into());
        }
    }
    if src == dst {
        return Err("ERR source and destination objects are the same".to_owned());
    }
    let Some(entry) = ctx.entry(src).cloned() else {
        return Ok(Value::Int(0));
    };
    if ctx.entry(dst).is_some() {
        if !replace {
            return Ok(Value::Int(0));
        }
        ctx.db.remove(dst);
    }
    ctx.db.insert(dst.to_vec(), entry.data, entry.expires_at);
    Ok(Value::Int(1))
}

fn randomkey(ctx: &mut Ctx<'_>, _: &[Vec<u8>]) -> Reply {
    ctx.db.purge_all_expired(ctx.now_ms);
    let n = ctx.db.len();
    if n == 0 {
        return Ok(Value::Nil);
    }
    let pick = usize::try_from(ctx.db.rng.next_u64() % n as u64).unwrap_or(0);
    Ok(ctx
        .db
        .keys()
        .nth(pick)
        .map_or(Value::Nil, |k| bulk(k.clone())))
}

#[cfg(test)]
pub(super) mod tests {
    use std::sync::Arc;

    use crate::clock::ManualClock;
    use crate::mock::Engine;
    use crate::protocol::Value;

    /// An engine on a manual clock at a fixed time, and the clock.
    pub fn engine() -> (Engine, ManualClock) {
        let clock = ManualClock::new(1_700_000_000_000);
        (Engine::new(Arc::new(clock.clone())), clock)
    }

    /// Runs a command given as space-separated words.
    pub fn run(e: &Engine, line: &str) -> Result<Value, String> {
        let parts: Vec<Vec<u8>> = line.split(' ').map(|w| w.as_bytes().to_vec()).collect();
        e.execute(&parts)
    }

    pub fn b(s: &str) -> Value {
        Value::Bytes(s.as_bytes().to_vec())
    }

    #[crate::unit_test]
    fn del_exists_touch_type() {
        let (e, _) = engine();
        run(&e, "SET a 1").unwrap();
        run(&e, "SET b 2").unwrap();
        assert_eq!(run(&e, "EXISTS a a b c"), Ok(Value::Int(3)));
        assert_eq!(run(&e, "TOUCH a c"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "TYPE a"), Ok(b("string")));
        assert_eq!(run(&e, "TYPE c"), Ok(b("none")));
        assert_eq!(run(&e, "DEL a a c"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "UNLINK b"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "EXISTS a b"), Ok(Value::Int(0)));
        assert_eq!(
            run(&e, "DEL"),
            Err("ERR wrong number of arguments for 'del' command".into())
        );
    }

    #[crate::unit_test]
    fn rename_moves_value_and_ttl() {
        let (e, clock) = engine();
        run(&e, "SET a 1 PX 5000").unwrap();
        run(&e, "SET b 2").unwrap();
        assert_eq!(run(&e, "RENAME a b"), Ok(Value::Okay));
        assert_eq!(run(&e, "PTTL b"), Ok(Value::Int(5000)));
        assert_eq!(run(&e, "EXISTS a"), Ok(Value::Int(0)));
        assert_eq!(run(&e, "RENAME a b"), Err("ERR no such key".into()));
        assert_eq!(run(&e, "RENAME b b"), Ok(Value::Okay));
        assert_eq!(run(&e, "RENAMENX b b"), Ok(Value::Int(0)));
        run(&e, "SET c 3").unwrap();
        assert_eq!(run(&e, "RENAMENX b c"), Ok(Value::Int(0)));
        assert_eq!(run(&e, "RENAMENX b d"), Ok(Value::Int(1)));
        clock.advance(5000);
        assert_eq!(run(&e, "GET d"), Ok(Value::Nil));
    }

    #[crate::unit_test]
    fn copy_options() {
        let (e, _) = engine();
        run(&e, "SET a 1 PX 5000").unwrap();
        run(&e, "SET b 2").unwrap();
        assert_eq!(run(&e, "COPY a b"), Ok(Value::Int(0)));
        assert_eq!(run(&e, "COPY a b REPLACE"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "GET b"), Ok(b("1")));
        assert_eq!(run(&e, "PTTL b"), Ok(Value::Int(5000)));
        assert_eq!(run(&e, "COPY x y"), Ok(Value::Int(0)));
        assert_eq!(
            run(&e, "COPY a a"),
            Err("ERR source and destination objects are the same".into())
        );
        assert_eq!(run(&e, "COPY a c DB 0"), Ok(Value::Int(1)));
        assert_eq!(
            run(&e, "COPY a d DB 1"),
            Err("ERR DB index is out of range".into())
        );
        assert_eq!(run(&e, "COPY a d FOO"), Err("ERR syntax error".into()));
        assert_eq!(run(&e, "COPY a d DB"), Err("ERR syntax error".into()));
    }

    #[crate::unit_test]
    fn randomkey_picks_a_live_key() {
        let (e, clock) = engine();
        assert_eq!(run(&e, "RANDOMKEY"), Ok(Value::Nil));
        run(&e, "SET a 1 PX 10").unwrap();
        run(&e, "SET b 1").unwrap();
        clock.advance(10);
        for _ in 0..5 {
            assert_eq!(run(&e, "RANDOMKEY"), Ok(b("b")));
        }
    }
}
