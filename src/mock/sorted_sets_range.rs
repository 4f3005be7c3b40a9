//! Sorted set ranges: ZRANGE (BYSCORE, BYLEX, REV, LIMIT, WITHSCORES), its
//! legacy forms, ZRANGESTORE and ZREMRANGEBY*, as Redis 7.0's
//! zrangeGenericCommand parses and answers them.
//!
//! Must not: change keys other than ZRANGESTORE's destination and the
//! ZREMRANGE* source.

use super::ctx::{is, parse_int, ArgError, Args, Ctx, Reply};
use super::db::Data;

use super::sorted_sets::pairs_reply;
use super::zset::{LexRange, ScoreRange, SortedSet};
use super::Registration;
use crate::protocol::Value;

pub(super) const COMMANDS: &[Registration] = &[
    ("zrange", zrange),
    ("zrangestore", zrangestore),
    ("zrevrange", zrevrange),
    ("zrangebyscore", zrangebyscore),
    ("zrevrangebyscore", zrevrangebyscore),
    ("zrangebylex", zrangebylex),
    ("zrevrangebylex", zrevrangebylex),
    ("zremrangebyrank", zremrangebyrank),
    ("zremrangebyscore", zremrangebyscore),
    ("zremrangebylex", zremrangebylex),
];

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Auto,
    Rank,
    Score,
    Lex,
}

/// The parsed range and options of one ZRANGE-like call.
enum Range {
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

fn zrange(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let a = ctx.args(args);
    range_generic(ctx, a, None, Kind::Auto, None)
}

fn zrangestore(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let dst = a.arg()?;
    range_generic(ctx, a, Some(dst), Kind::Auto, None)
}

fn zrevrange(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let a = ctx.args(args);
    range_generic(ctx, a, None, Kind::Rank, Some(true))
}

fn zrangebyscore(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let a = ctx.args(args);
    range_generic(ctx, a, None, Kind::Score, Some(false))
}

fn zrevrangebyscore(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let a = ctx.args(args);
    range_generic(ctx, a, None, Kind::Score, Some(true))
}

fn zrangebylex(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let a = ctx.args(args);
    range_generic(ctx, a, None, Kind::Lex, Some(false))
}

fn zrevrangebylex(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let a = ctx.args(args);
    range_generic(ctx, a, None, Kind::Lex, Some(true))
}

/// `a` = src, min, max, options. `kind`/`rev` preset by the legacy
/// commands; an option repeating a preset one is a syntax error, as in Redis.
fn range_generic(
    ctx: &mut Ctx<'_>,
    mut a: Args<'_>,
    dst: Option<&[u8]>,
    mut kind: Kind,
    mut rev: Option<bool>,
) -> Reply {
    let (src, min, max) = (a.arg()?, a.arg()?, a.arg()?);
    let mut withscores = false;
    let (mut offset, mut limit) = (0i64, -1i64);
    while let Some(opt) = a.next_arg() {
        if dst.is_none() && is(opt, "withscores") {
            withscores = true;
        } else if is(opt, "limit") && a.len() >= 2 {
            offset = a.int()?;
            limit = a.int()?;
        } else if rev.is_none() && is(opt, "rev") {
            rev = Some(true);
        } else if kind == Kind::Auto && is(opt, "bylex") {
            kind = Kind::Lex;
        } else if kind == Kind::Auto && is(opt, "byscore") {
            kind = Kind::Score;
        } else {
            return Err(ArgError::Syntax.into());
        }
    }
    let rev = rev.unwrap_or(false);
    if kind == Kind::Auto {
        kind = Kind::Rank;
    }
    if limit != -1 && kind == Kind::Rank {
        return Err(
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
                .to_owned(),
        );
    }
    if withscores && kind == Kind::Lex {
        return Err(
            "ERR syntax error, WITHSCORES not supported in combination with BYLEX".to_owned(),
        );
    }
    let (mut lo, mut hi) = (min, max);
    if rev && kind != Kind::Rank {
        std::mem::swap(&mut lo, &mut hi);
    }
    let range = match kind {
        Kind::Score => Range::Score(ScoreRange::parse(lo, hi).ok_or(ArgError::ScoreRange)?),
        Kind::Lex => Range::Lex(LexRange::parse(lo, hi).ok_or(ArgError::LexRange)?),
        _ => Range::Rank(parse_int(lo)?, parse_int(hi)?),
    };
    let Some(z) = ctx.read::<SortedSet>(src)? else {
        return match dst {
            Some(d) => store(ctx, d, Vec::new(), 0),
            None => Ok(Value::Array(Vec::new())),
        };
    };
    let (items, hint) = match &range {
        Range::Rank(start, end) => {
            let items = match clamp_rank(*start, *end, z.len()) {
                Some((s, e)) => z.range_by_rank(s, e, rev),
                None => Vec::new(),
            };
            let hint = items.len();
            (items, hint)
        }
        Range::Score(r) => {
            let it = z.range_by_score(r, rev).map(|(m, s)| (m.to_vec(), s));
            (apply_limit(it, offset, limit), 0)
        }
        Range::Lex(r) => (
            apply_limit(z.range_by_lex(r, rev).into_iter(), offset, limit),
            0,
        ),
    };
    match dst {
        Some(d) => store(ctx, d, items, hint),
        None => Ok(pairs_reply(items, withscores)),
    }
}

/// Redis's rank sanitising: negative from the end, clamped; None when empty.
fn clamp_rank(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    let llen = i64::try_from(len).unwrap_or(i64::MAX);
    let mut start = if start < 0 {
        llen.saturating_add(start)
    } else {
        start
    };
    let mut end = if end < 0 {
        llen.saturating_add(end)
    } else {
        end
    };
    if start < 0 {
        start = 0;
    }
    if start > end || start >= llen {
        return None;
    }
    if end >= llen {
        end = llen - 1;
    }
    Some((usize::try_from(start).ok()?, usize::try_from(end).ok()?))
}

/// LIMIT offset count: a negative offset yields nothing, a negative count all.
fn apply_limit<I>(items: I, offset: i64, limit: i64) -> Vec<(Vec<u8>, f64)>
where
    I: Iterator<Item = (Vec<u8>, f64)>,
{
    if offset < 0 {
        return Vec::new();
    }
    let skipped = items.skip(usize::try_from(offset).unwrap_or(usize::MAX));
    match usize::try_from(limit) {
        Ok(n) => skipped.take(n).collect(),
        Err(_) => skipped.collect(),
    }
}

/// ZRANGESTORE's write: the result replaces `dst` (deleted when empty).
fn store(ctx: &mut Ctx<'_>, dst: &[u8], items: Vec<(Vec<u8>, f64)>, hint: usize) -> Reply {
    let n = items.len() as i64;
    if items.is_empty() {
        ctx.db.remove(dst);
        return Ok(Value::Int(0));
    }
    let mut z = SortedSet::with_hint(hint, 0);
    for (m, s) in items {
        z.insert(m, s);
    }
    ctx.db.insert(dst.to_vec(), Data::ZSet(Box::new(z)), None);
    Ok(Value::Int(n))
}

/// Removes `members` from `key`, dropping it when empty; replies the count.
fn remove_all(ctx: &mut Ctx<'_>, key: &[u8], members: Vec<Vec<u8>>) -> Reply {
    let Some(z) = ctx.read_mut::<SortedSet>(key)? else {
        return Ok(Value::Int(0));
    };
    for m in &members {
        z.remove(m);
    }
    ctx.db.drop_if_empty(key);
    Ok(Value::Int(members.len() as i64))
}

fn zremrangebyrank(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, start, end) = (a.arg()?, a.int()?, a.int()?);
    let Some(z) = ctx.read::<SortedSet>(key)? else {
        return Ok(Value::Int(0));
    };
    let members = match clamp_rank(start, end, z.len()) {
        Some((s, e)) => z
            .range_by_rank(s, e, false)
            .into_iter()
            .map(|(m, _)| m)
            .collect(),
        None => Vec::new(),
    };
    remove_all(ctx, key, members)
}

fn zremrangebyscore(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, range) = (a.arg()?, a.score_range()?);
    let Some(z) = ctx.read::<SortedSet>(key)? else {
        return Ok(Value::Int(0));
    };
    let members = z
        .range_by_score(&range, false)
        .map(|(m, _)| m.to_vec())
        .collect();
    remove_all(ctx, key, members)
}

fn zremrangebylex(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, range) = (a.arg()?, a.lex_range()?);
    let Some(z) = ctx.read::<SortedSet>(key)? else {
        return Ok(Value::Int(0));
    };
    let members = z
        .range_by_lex(&range, false)
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    remove_all(ctx, key, members)
}

#[cfg(test)]
mod tests {
    use crate::mock::test_support::{arr, engine, run};
    use crate::mock::Engine;
    use crate::protocol::Value;

    /// An engine holding the sorted set `z`: a=1, b=2, c=2, d=3.
    fn seeded() -> Engine {
        let e = engine();
        run(&e, &["ZADD", "z", "1", "a", "2", "b", "2", "c", "3", "d"]).unwrap();
        e
    }

    #[crate::unit_test]
    fn by_rank_score_and_lex() {
        let e = seeded();
        assert_eq!(
            run(&e, &["ZRANGE", "z", "0", "-1"]),
            Ok(arr(&["a", "b", "c", "d"]))
        );
        assert_eq!(
            run(&e, &["ZRANGE", "z", "0", "1", "REV", "WITHSCORES"]),
            Ok(arr(&["d", "3", "c", "2"]))
        );
        assert_eq!(
            run(
                &e,
                &["ZRANGE", "z", "(1", "+inf", "BYSCORE", "LIMIT", "1", "2"]
            ),
            Ok(arr(&["c", "d"]))
        );
        assert_eq!(
            run(&e, &["ZREVRANGEBYSCORE", "z", "2", "-inf"]),
            Ok(arr(&["c", "b", "a"]))
        );
        assert_eq!(
            run(&e, &["ZRANGEBYLEX", "z", "-", "(c"]),
            Ok(arr(&["a", "b"]))
        );
        assert_eq!(
            run(&e, &["ZRANGE", "z", "0", "1", "LIMIT", "0", "1"]),
            Err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX".to_owned())
        );
        assert_eq!(
            run(&e, &["ZRANGE", "z", "x", "1", "BYSCORE"]),
            Err("ERR min or max is not a float".to_owned())
        );
        assert_eq!(
            run(&e, &["ZRANGE", "z", "a", "b", "BYLEX"]),
            Err("ERR min or max not valid string range item".to_owned())
        );
    }

    #[crate::unit_test]
    fn store_and_remove_ranges() {
        let e = seeded();
        assert_eq!(
            run(&e, &["ZRANGESTORE", "d", "z", "1", "2"]),
            Ok(Value::Int(2))
        );
        assert_eq!(run(&e, &["ZRANGE", "d", "0", "-1"]), Ok(arr(&["b", "c"])));
        assert_eq!(
            run(&e, &["ZRANGESTORE", "d", "nokey", "0", "-1"]),
            Ok(Value::Int(0))
        );
        assert_eq!(run(&e, &["ZCARD", "d"]), Ok(Value::Int(0)));
        assert_eq!(
            run(&e, &["ZREMRANGEBYSCORE", "z", "2", "2"]),
            Ok(Value::Int(2))
        );
        assert_eq!(
            run(&e, &["ZREMRANGEBYRANK", "z", "0", "0"]),
            Ok(Value::Int(1))
        );
        assert_eq!(
            run(&e, &["ZREMRANGEBYLEX", "z", "-", "+"]),
            Ok(Value::Int(1))
        );
        assert_eq!(run(&e, &["ZCARD", "z"]), Ok(Value::Int(0)));
    }
}
