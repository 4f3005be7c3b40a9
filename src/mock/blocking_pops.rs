//! The blocking pops (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN,
//! BZPOPMAX, BZMPOP), answered at once: what Redis replies when there is
//! data, and nil (Redis's timed-out reply) when there is none. Arguments
//! and the timeout are checked as Redis checks them, with its error texts.
//!
//! Must not: wait. The engine is synchronous; waiting until data arrives
//! is the caller's (edgestash-server's `--memory` backend runs the command
//! again after each change; the in-process transport refuses to pretend).
//! Inside MULTI, Redis does not block either, so there these are exact.

use super::ctx::{bulk, parse_float, Ctx, Reply};
use super::lists::{lmpop_checked, move_one, pop_end, End, List};
use super::sorted_sets::{pop, score_bulk, zmpop_checked};
use super::zset::SortedSet;
use super::Registration;
use crate::protocol::Value;

pub(super) const COMMANDS: &[Registration] = &[
    ("blpop", blpop),
    ("brpop", brpop),
    ("blmove", blmove),
    ("brpoplpush", brpoplpush),
    ("blmpop", blmpop),
    ("bzpopmin", bzpopmin),
    ("bzpopmax", bzpopmax),
    ("bzmpop", bzmpop),
];

/// Checks a timeout in seconds as Redis 7.0's `getTimeoutFromObjectOrReply`:
/// a long double, times 1000, truncated to a C `long long`. A value beyond
/// its range converts to the most negative one on x86, hence "negative"
/// for `1e300`; `-0.5` ms truncates to 0 and is accepted (wait for ever).
fn check_timeout(arg: &[u8]) -> Result<(), String> {
    let seconds = parse_float(arg)
        .ok()
        .filter(|s| !s.is_nan())
        .ok_or_else(|| "ERR timeout is not a float or out of range".to_owned())?;
    let ms = (seconds * 1000.0).trunc();
    if !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&ms) || ms < 0.0 {
        return Err("ERR timeout is negative".to_owned());
    }
    Ok(())
}

/// The keys before the trailing timeout, once the timeout checks out.
fn keys_then_timeout(args: &[Vec<u8>]) -> Result<&[Vec<u8>], String> {
    let (timeout, keys) = args
        .split_last()
        .ok_or_else(|| "ERR syntax error".to_owned())?;
    check_timeout(timeout)?;
    Ok(keys)
}

fn blpop(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    list_pop(ctx, args, End::Left)
}

fn brpop(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    list_pop(ctx, args, End::Right)
}

/// BLPOP / BRPOP: `[key, element]` from the first non-empty list.
fn list_pop(ctx: &mut Ctx<'_>, args: &[Vec<u8>], end: End) -> Reply {
    for key in keys_then_timeout(args)? {
        let Some(list) = ctx.read_mut::<List>(key)? else {
            continue;
        };
        let Some(item) = pop_end(list, end) else {
            continue;
        };
        ctx.db.drop_if_empty(key);
        return Ok(Value::Array(vec![bulk(key.clone()), bulk(item)]));
    }
    Ok(Value::Nil)
}

fn blmove(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (source, destination) = (a.arg()?, a.arg()?);
    let from = End::parse(a.arg()?)?;
    let to = End::parse(a.arg()?)?;
    check_timeout(a.arg()?)?;
    move_one(ctx, source, destination, from, to)
}

fn brpoplpush(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (source, destination, timeout) = (a.arg()?, a.arg()?, a.arg()?);
    check_timeout(timeout)?;
    move_one(ctx, source, destination, End::Right, End::Left)
}

fn blmpop(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let timeout = a.arg()?;
    lmpop_checked(ctx, a.rest(), || check_timeout(timeout))
}

fn bzpopmin(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    sorted_set_pop(ctx, args, false)
}

fn bzpopmax(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    sorted_set_pop(ctx, args, true)
}

/// BZPOPMIN / BZPOPMAX: `[key, member, score]` from the first non-empty set.
fn sorted_set_pop(ctx: &mut Ctx<'_>, args: &[Vec<u8>], max: bool) -> Reply {
    for key in keys_then_timeout(args)? {
        if ctx.read::<SortedSet>(key)?.is_none() {
            continue;
        }
        if let Some((member, score)) = pop(ctx, key, max, 1)?.into_iter().next() {
            return Ok(Value::Array(vec![
                bulk(key.clone()),
                bulk(member),
                score_bulk(score),
            ]));
        }
    }
    Ok(Value::Nil)
}

fn bzmpop(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let timeout = a.arg()?;
    zmpop_checked(ctx, a.rest(), || check_timeout(timeout))
}

#[cfg(test)]
mod tests {
    use crate::mock::test_support::{engine, run};
    use crate::protocol::Value;

    #[crate::unit_test]
    fn pops_answer_at_once_with_data_and_nil_without() {
        let e = engine();
        assert_eq!(run(&e, &["RPUSH", "l", "a", "b"]), Ok(Value::Int(2)));
        assert_eq!(
            run(&e, &["ZADD", "z", "1", "m", "2", "n"]),
            Ok(Value::Int(2))
        );
        let b = |s: &str| Value::Bytes(s.as_bytes().to_vec());
        assert_eq!(
            run(&e, &["BLPOP", "none", "l", "0"]),
            Ok(Value::Array(vec![b("l"), b("a")]))
        );
        assert_eq!(run(&e, &["BRPOPLPUSH", "l", "d", "1.5"]), Ok(b("b")));
        assert_eq!(run(&e, &["BLPOP", "l", "0"]), Ok(Value::Nil));
        assert_eq!(
            run(&e, &["BZPOPMAX", "z", "0"]),
            Ok(Value::Array(vec![b("z"), b("n"), b("2")]))
        );
        assert_eq!(
            run(&e, &["BZMPOP", "0", "1", "none", "MIN"]),
            Ok(Value::Nil)
        );
    }

    #[crate::unit_test]
    fn timeouts_are_checked_as_redis_checks_them() {
        let e = engine();
        let err = |parts: &[&str]| run(&e, parts).unwrap_err();
        assert_eq!(
            err(&["BLPOP", "l", "x"]),
            "ERR timeout is not a float or out of range"
        );
        assert_eq!(err(&["BLPOP", "l", "-1"]), "ERR timeout is negative");
        assert_eq!(err(&["BZPOPMIN", "z", "1e300"]), "ERR timeout is negative");
        assert_eq!(run(&e, &["BLPOP", "l", "-0.0005"]), Ok(Value::Nil));
        assert_eq!(
            err(&["BLMOVE", "a", "b", "UP", "LEFT", "0"]),
            "ERR syntax error"
        );
        assert_eq!(run(&e, &["SET", "s", "v"]), Ok(Value::Okay));
        assert!(err(&["BLPOP", "s", "0"]).starts_with("WRONGTYPE"));
    }
}
