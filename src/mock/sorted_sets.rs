//! Sorted set commands on single keys: ZADD, ZREM, scores, ranks, counts,
//! pops, ZRANDMEMBER and ZSCAN, with Redis 7.0's replies and error texts.
//!
//! Owns those commands and the helpers the other sorted-set files share
//! (typed lookups, score replies). Ranges live in [`super::sorted_sets_range`],
//! multi-key algebra in [`super::sorted_sets_store`]. Must not: change keys
//! of other types (WRONGTYPE instead).

use super::ctx::{bulk, is, ArgError, Ctx, Reply, WRONGTYPE};
use super::db::Data;
use super::sets::{random_indexes, scan_page};
use super::zset::{format_listpack_score, format_score, SortedSet};
use super::Registration;
use crate::protocol::Value;

pub(super) const COMMANDS: &[Registration] = &[
    ("zadd", zadd),
    ("zincrby", zincrby),
    ("zrem", zrem),
    ("zscore", zscore),
    ("zmscore", zmscore),
    ("zcard", zcard),
    ("zcount", zcount),
    ("zlexcount", zlexcount),
    ("zrank", zrank),
    ("zrevrank", zrevrank),
    ("zpopmin", zpopmin),
    ("zpopmax", zpopmax),
    ("zmpop", zmpop),
    ("zrandmember", zrandmember),
    ("zscan", zscan),
];

const NAN_SCORE: &str = "ERR resulting score is not a number (NaN)";

/// A score as a bulk reply, printed as redis-server 7.0 does.
pub(super) fn score_bulk(score: f64) -> Value {
    bulk(format_score(score))
}

/// Members (and their scores, flat, when `withscores`) as one array.
pub(super) fn pairs_reply<I>(items: I, withscores: bool) -> Value
where
    I: IntoIterator<Item = (Vec<u8>, f64)>,
{
    let mut out = Vec::new();
    for (m, s) in items {
        out.push(bulk(m));
        if withscores {
            out.push(score_bulk(s));
        }
    }
    Value::Array(out)
}

/// ZADD's option flags.
#[derive(Default)]
struct AddFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
    ch: bool,
    incr: bool,
}

fn zadd(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    zadd_generic(ctx, args, false)
}

fn zincrby(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    zadd_generic(ctx, args, true)
}

/// ZADD and ZINCRBY, parsed and applied exactly as zaddGenericCommand does.
fn zadd_generic(ctx: &mut Ctx<'_>, args: &[Vec<u8>], incr: bool) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let mut flags = AddFlags {
        incr,
        ..AddFlags::default()
    };
    while let Some(opt) = a.peek() {
        let flag = if is(opt, "nx") {
            &mut flags.nx
        } else if is(opt, "xx") {
            &mut flags.xx
        } else if is(opt, "ch") {
            &mut flags.ch
        } else if is(opt, "incr") {
            &mut flags.incr
        } else if is(opt, "gt") {
            &mut flags.gt
        } else if is(opt, "lt") {
            &mut flags.lt
        } else {
            break;
        };
        *flag = true;
        a.next_arg();
    }
    if a.is_empty() || a.len() % 2 != 0 {
        return Err(ArgError::Syntax.into());
    }
    if flags.nx && flags.xx {
        return Err("ERR XX and NX options at the same time are not compatible".to_owned());
    }
    if (flags.nx && (flags.gt || flags.lt)) || (flags.gt && flags.lt) {
        return Err("ERR GT, LT, and/or NX options at the same time are not compatible".to_owned());
    }
    if flags.incr && a.len() > 2 {
        return Err("ERR INCR option supports a single increment-element pair".to_owned());
    }
    let mut pairs = Vec::with_capacity(a.len() / 2);
    while !a.is_empty() {
        pairs.push((a.score()?, a.arg()?));
    }
    let no_op = || {
        if flags.incr {
            Value::Nil
        } else {
            Value::Int(0)
        }
    };
    match ctx.entry(key) {
        Some(e) if !matches!(e.data, Data::ZSet(_)) => return Err(WRONGTYPE.to_owned()),
        Some(_) => {}
        None if flags.xx => return Ok(no_op()),
        None => {
            let max_len = pairs.iter().map(|(_, m)| m.len()).max().unwrap_or(0);
            let z = SortedSet::with_hint(pairs.len(), max_len);
            ctx.db.insert(key.to_vec(), Data::ZSet(Box::new(z)), None);
        }
    }
    let Some(z) = ctx.read_mut::<SortedSet>(key)? else {
        return Ok(no_op());
    };
    let (mut added, mut updated, mut processed) = (0, 0, 0);
    let mut last = 0.0;
    let mut failure = None;
    for (score, member) in pairs {
        match z.score(member) {
            Some(cur) => {
                if flags.nx {
                    continue;
                }
                let new = if flags.incr { cur + score } else { score };
                if new.is_nan() {
                    failure = Some(NAN_SCORE.to_owned());
                    break;
                }
                if (flags.lt && new >= cur) || (flags.gt && new <= cur) {
                    continue;
                }
                processed += 1;
                last = new;
                if new != cur {
                    z.insert(member.to_vec(), new);
                    updated += 1;
                }
            }
            None => {
                if flags.xx {
                    continue;
                }
                z.insert(member.to_vec(), score);
                added += 1;
                processed += 1;
                last = score;
            }
        }
    }
    ctx.db.drop_if_empty(key);
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(if flags.incr {
        if processed > 0 {
            score_bulk(last)
        } else {
            Value::Nil
        }
    } else if flags.ch {
        Value::Int(added + updated)
    } else {
        Value::Int(added)
    })
}

fn zrem(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let members = a.rest();
    let Some(z) = ctx.read_mut::<SortedSet>(key)? else {
        return Ok(Value::Int(0));
    };
    let removed = members.iter().filter(|m| z.remove(m).is_some()).count();
    ctx.db.drop_if_empty(key);
    Ok(Value::Int(removed as i64))
}

fn zscore(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, member) = (a.arg()?, a.arg()?);
    let score = ctx.read::<SortedSet>(key)?.and_then(|z| z.score(member));
    Ok(score.map_or(Value::Nil, score_bulk))
}

fn zmscore(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let members = a.rest();
    let z = ctx.read::<SortedSet>(key)?;
    Ok(Value::Array(
        members
            .iter()
            .map(|m| z.and_then(|z| z.score(m)).map_or(Value::Nil, score_bulk))
            .collect(),
    ))
}

fn zcard(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    Ok(Value::Int(
        ctx.read::<SortedSet>(key)?.map_or(0, |z| z.len() as i64),
    ))
}

fn zcount(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, range) = (a.arg()?, a.score_range()?);
    let n = ctx
        .read::<SortedSet>(key)?
        .map_or(0, |z| z.range_by_score(&range, false).count());
    Ok(Value::Int(n as i64))
}

fn zlexcount(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, range) = (a.arg()?, a.lex_range()?);
    let n = ctx
        .read::<SortedSet>(key)?
        .map_or(0, |z| z.range_by_lex(&range, false).len());
    Ok(Value::Int(n as i64))
}

fn zrank(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, member) = (a.arg()?, a.arg()?);
    let rank = ctx.read::<SortedSet>(key)?.and_then(|z| z.rank(member));
    Ok(rank.map_or(Value::Nil, |r| Value::Int(r as i64)))
}

fn zrevrank(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, member) = (a.arg()?, a.arg()?);
    let rank = ctx
        .read::<SortedSet>(key)?
        .and_then(|z| z.rank(member).map(|r| z.len() - 1 - r));
    Ok(rank.map_or(Value::Nil, |r| Value::Int(r as i64)))
}

/// Pops up to `count` lowest (or highest when `max`) members of `key`.
pub(super) fn pop(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    max: bool,
    count: usize,
) -> Result<Vec<(Vec<u8>, f64)>, String> {
    let Some(z) = ctx.read_mut::<SortedSet>(key)? else {
        return Ok(Vec::new());
    };
    let n = count.min(z.len());
    let picked = if n == 0 {
        Vec::new()
    } else {
        z.range_by_rank(0, n - 1, max)
    };
    for (m, _) in &picked {
        z.remove(m);
    }
    ctx.db.drop_if_empty(key);
    Ok(picked)
}

fn zpop_command(ctx: &mut Ctx<'_>, args: &[Vec<u8>], max: bool) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let count = if a.has_last()? { a.non_negative()? } else { 1 };
    // Redis 7.0 type-checks the key before honouring a zero count.
    ctx.read::<SortedSet>(key)?;
    if count == 0 {
        return Ok(Value::Array(Vec::new()));
    }
    let popped = pop(ctx, key, max, count)?;
    Ok(pairs_reply(popped, true))
}

fn zpopmin(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    zpop_command(ctx, args, false)
}

fn zpopmax(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    zpop_command(ctx, args, true)
}

fn zmpop(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    zmpop_checked(ctx, args, || Ok(()))
}

/// ZMPOP, with `check` run once the arguments parse and before any key is
/// read: BZMPOP's timeout, which Redis checks exactly there.
pub(super) fn zmpop_checked(
    ctx: &mut Ctx<'_>,
    args: &[Vec<u8>],
    check: impl FnOnce() -> Result<(), String>,
) -> Reply {
    let mut a = ctx.args(args);
    let numkeys = a.numkeys()?;
    let keys = a.take(numkeys).ok_or(ArgError::Syntax)?;
    let max = if a.eat("min") {
        false
    } else if a.eat("max") {
        true
    } else {
        return Err(ArgError::Syntax.into());
    };
    let count = a.count_option()?.unwrap_or(1);
    check()?;
    for key in keys {
        if ctx.read::<SortedSet>(key)?.is_some() {
            let popped = pop(ctx, key, max, count)?;
            let pairs = popped
                .into_iter()
                .map(|(m, s)| Value::Array(vec![bulk(m), score_bulk(s)]))
                .collect();
            return Ok(Value::Array(vec![bulk(key.clone()), Value::Array(pairs)]));
        }
    }
    Ok(Value::Nil)
}

fn zrandmember(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    // The count is reported after the syntax check, as Redis does.
    let count = (!a.is_empty()).then(|| a.rand_count());
    let withscores = a.eat("withscores");
    a.finish()?;
    let Some(count) = count else {
        let Some(z) = ctx.read::<SortedSet>(key)? else {
            return Ok(Value::Nil);
        };
        let n = z.len();
        let pick = ctx.db.rng.below(n);
        let member = ctx
            .read::<SortedSet>(key)?
            .and_then(|z| z.iter().nth(pick).map(|(m, _)| m.to_vec()));
        return Ok(member.map_or(Value::Nil, bulk));
    };
    let count = count?;
    let Some(z) = ctx.read::<SortedSet>(key)? else {
        return Ok(Value::Array(Vec::new()));
    };
    let items: Vec<(Vec<u8>, f64)> = z.iter().map(|(m, s)| (m.to_vec(), s)).collect();
    if count == 0 {
        return Ok(Value::Array(Vec::new()));
    }
    let picks = random_indexes(ctx, items.len(), count)?;
    Ok(pairs_reply(
        picks.iter().filter_map(|&i| items.get(i).cloned()),
        withscores,
    ))
}

fn zscan(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, cursor) = (a.arg()?, a.cursor()?);
    // Read now, reported only for an existing sorted set (Redis's order).
    let options = a.scan_options(false);
    let Some(z) = ctx.read::<SortedSet>(key)? else {
        return Ok(Value::Array(vec![bulk("0"), Value::Array(Vec::new())]));
    };
    let whole = z.is_compact();
    let items: Vec<(Vec<u8>, f64)> = z.iter().map(|(m, s)| (m.to_vec(), s)).collect();
    let options = options?;
    let (next, page) = scan_page(items, whole, cursor, &options, |(m, _)| m.as_slice());
    // A listpack hands out the score text it stores, a skiplist prints it.
    let format = if whole {
        format_listpack_score
    } else {
        format_score
    };
    let mut out = Vec::with_capacity(page.len() * 2);
    for (m, s) in page {
        out.push(bulk(m));
        out.push(bulk(format(s)));
    }
    Ok(Value::Array(vec![
        bulk(next.to_string()),
        Value::Array(out),
    ]))
}

#[cfg(test)]
mod tests;
