//! Set commands: SADD ... SSCAN, with Redis 7.0's replies and error texts.
//!
//! Owns the set family and the SCAN argument rules SSCAN and ZSCAN share.
//! Must not: touch other types except to answer WRONGTYPE or to overwrite a
//! destination key (the *STORE commands replace any type, as in Redis).

use std::collections::HashSet;

use super::ctx::{bulk, bulk_array, is, parse_int, Ctx, Reply, SYNTAX, WRONGTYPE};
use super::db::Data;
use super::glob;
use super::Registration;
use crate::protocol::Value;

/// A set's members.
type Set = HashSet<Vec<u8>>;

pub(super) const COMMANDS: &[Registration] = &[
    ("sadd", sadd),
    ("srem", srem),
    ("smembers", smembers),
    ("sismember", sismember),
    ("smismember", smismember),
    ("scard", scard),
    ("spop", spop),
    ("srandmember", srandmember),
    ("smove", smove),
    ("sinter", sinter),
    ("sinterstore", sinterstore),
    ("sintercard", sintercard),
    ("sunion", sunion),
    ("sunionstore", sunionstore),
    ("sdiff", sdiff),
    ("sdiffstore", sdiffstore),
    ("sscan", sscan),
];

/// Redis's `set-max-intset-entries`: integer sets this small scan in one call.
const INTSET_MAX_ENTRIES: usize = 512;

/// Redis's error for SPOP/ZPOPMIN counts below zero.
pub(super) const MUST_BE_POSITIVE: &str = "ERR value is out of range, must be positive";
/// Redis's error for SRANDMEMBER/ZRANDMEMBER counts of `i64::MIN`.
pub(super) const RAND_RANGE: &str =
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
/// Largest number of picks a negative random count may ask for; far past
/// any real use, it only keeps a hostile count from exhausting memory.
pub(super) const MAX_RANDOM_PICKS: u64 = 1 << 24;

/// Parses an integer within `min..=max` as Redis's
/// getRangeLongFromObjectOrReply does: with `msg`, every failure (not a
/// number or out of range) replies `msg`.
pub(super) fn parse_ranged(
    arg: &[u8],
    min: i64,
    max: i64,
    msg: Option<&str>,
) -> Result<i64, String> {
    let n = parse_int(arg).map_err(|e| msg.map_or_else(|| e.to_string(), |m| m.to_owned()))?;
    if n < min || n > max {
        return Err(msg.map_or_else(
            || format!("ERR value is out of range, value must between {min} and {max}"),
            |m| m.to_owned(),
        ));
    }
    Ok(n)
}

fn sadd(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let set = ctx.write::<Set>(&args[0])?;
    let added = args[1..].iter().filter(|m| set.insert(m.to_vec())).count();
    Ok(Value::Int(added as i64))
}

fn srem(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let Some(set) = ctx.read_mut::<Set>(&args[0])? else {
        return Ok(Value::Int(0));
    };
    let removed = args[1..]
        .iter()
        .filter(|m| set.remove(m.as_slice()))
        .count();
    ctx.db.drop_if_empty(&args[0]);
    Ok(Value::Int(removed as i64))
}

fn smembers(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let members = ctx
        .read::<Set>(&args[0])?
        .map(|s| s.iter().cloned().collect::<Vec<_>>());
    Ok(bulk_array(members.unwrap_or_default()))
}

fn sismember(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let found = ctx
        .read::<Set>(&args[0])?
        .is_some_and(|s| s.contains(&args[1]));
    Ok(Value::Int(i64::from(found)))
}

fn smismember(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let set = ctx.read::<Set>(&args[0])?;
    Ok(Value::Array(
        args[1..]
            .iter()
            .map(|m| Value::Int(i64::from(set.is_some_and(|s| s.contains(m)))))
            .collect(),
    ))
}

fn scard(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    Ok(Value::Int(
        ctx.read::<Set>(&args[0])?.map_or(0, |s| s.len() as i64),
    ))
}

fn spop(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    if args.len() > 2 {
        return Err(SYNTAX.to_owned());
    }
    let key = &args[0];
    let Some(count_arg) = args.get(1) else {
        let Some(set) = ctx.read::<Set>(key)? else {
            return Ok(Value::Nil);
        };
        let n = set.len();
        let pick = ctx.db.rng.below(n);
        let Some(set) = ctx.read_mut::<Set>(key)? else {
            return Ok(Value::Nil);
        };
        let member = set.iter().nth(pick).cloned();
        if let Some(m) = &member {
            set.remove(m);
        }
        ctx.db.drop_if_empty(key);
        return Ok(member.map_or(Value::Nil, bulk));
    };
    let count = parse_ranged(count_arg, 0, i64::MAX, Some(MUST_BE_POSITIVE))?;
    let Some(set) = ctx.read::<Set>(key)? else {
        return Ok(Value::Array(Vec::new()));
    };
    let n = set.len();
    let count = usize::try_from(count).unwrap_or(usize::MAX);
    if count == 0 {
        return Ok(Value::Array(Vec::new()));
    }
    if count >= n {
        let all: Vec<Vec<u8>> = set.iter().cloned().collect();
        ctx.db.remove(key);
        return Ok(bulk_array(all));
    }
    let picks = ctx.db.rng.distinct(n, count);
    let Some(set) = ctx.read_mut::<Set>(key)? else {
        return Ok(Value::Array(Vec::new()));
    };
    let members: Vec<Vec<u8>> = set.iter().cloned().collect();
    let chosen: Vec<Vec<u8>> = picks
        .iter()
        .filter_map(|&i| members.get(i).cloned())
        .collect();
    for m in &chosen {
        set.remove(m);
    }
    Ok(bulk_array(chosen))
}

/// Parses the count of SRANDMEMBER/ZRANDMEMBER: any i64 except `i64::MIN`.
pub(super) fn parse_rand_count(arg: &[u8]) -> Result<i64, String> {
    let n = parse_int(arg)?;
    if n == i64::MIN {
        return Err(RAND_RANGE.to_owned());
    }
    Ok(n)
}

/// Indexes into `0..n` for a random count: distinct for `count >= 0`,
/// with repeats for negative counts, as SRANDMEMBER/ZRANDMEMBER pick.
pub(super) fn random_indexes(
    ctx: &mut Ctx<'_>,
    n: usize,
    count: i64,
) -> Result<Vec<usize>, String> {
    if count >= 0 {
        let k = usize::try_from(count).unwrap_or(usize::MAX);
        if k >= n {
            return Ok((0..n).collect());
        }
        return Ok(ctx.db.rng.distinct(n, k));
    }
    let k = count.unsigned_abs();
    if k > MAX_RANDOM_PICKS {
        return Err(RAND_RANGE.to_owned());
    }
    Ok((0..k).map(|_| ctx.db.rng.below(n)).collect())
}

fn srandmember(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    if args.len() > 2 {
        return Err(SYNTAX.to_owned());
    }
    let key = &args[0];
    let Some(count_arg) = args.get(1) else {
        let Some(set) = ctx.read::<Set>(key)? else {
            return Ok(Value::Nil);
        };
        let n = set.len();
        let pick = ctx.db.rng.below(n);
        let member = ctx
            .read::<Set>(key)?
            .and_then(|s| s.iter().nth(pick).cloned());
        return Ok(member.map_or(Value::Nil, bulk));
    };
    let count = parse_rand_count(count_arg)?;
    let Some(set) = ctx.read::<Set>(key)? else {
        return Ok(Value::Array(Vec::new()));
    };
    let members: Vec<Vec<u8>> = set.iter().cloned().collect();
    if count == 0 {
        return Ok(Value::Array(Vec::new()));
    }
    let picks = random_indexes(ctx, members.len(), count)?;
    Ok(bulk_array(
        picks.iter().filter_map(|&i| members.get(i).cloned()),
    ))
}

fn smove(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let (src, dst, member) = (&args[0], &args[1], &args[2]);
    let src_exists = ctx.entry(src).is_some();
    let dst_wrong = ctx.read::<Set>(dst).is_err();
    if !src_exists {
        return Ok(Value::Int(0));
    }
    let Some(set) = ctx.read_mut::<Set>(src)? else {
        return Ok(Value::Int(0));
    };
    if dst_wrong {
        return Err(WRONGTYPE.to_owned());
    }
    if src == dst {
        return Ok(Value::Int(i64::from(set.contains(member))));
    }
    if !set.remove(member) {
        return Ok(Value::Int(0));
    }
    ctx.db.drop_if_empty(src);
    ctx.write::<Set>(dst)?.insert(member.clone());
    Ok(Value::Int(1))
}

/// The sets at `keys`, type-checked all first as Redis does (None = missing).
fn load_sets(ctx: &mut Ctx<'_>, keys: &[Vec<u8>]) -> Result<Vec<Option<HashSet<Vec<u8>>>>, String> {
    keys.iter()
        .map(|k| ctx.read::<Set>(k).map(|s| s.cloned()))
        .collect()
}

/// Members in every set (empty when any is missing), up to `limit` if set.
fn intersect(sets: &[Option<HashSet<Vec<u8>>>], limit: usize) -> Vec<Vec<u8>> {
    let mut present: Vec<&HashSet<Vec<u8>>> = Vec::new();
    for s in sets {
        match s {
            Some(s) => present.push(s),
            None => return Vec::new(),
        }
    }
    crate::sorting::sort_by_key(&mut present, |s| s.len());
    let Some((first, rest)) = present.split_first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in first.iter() {
        if rest.iter().all(|s| s.contains(m)) {
            out.push(m.clone());
            if limit > 0 && out.len() >= limit {
                break;
            }
        }
    }
    out
}

fn union(sets: &[Option<HashSet<Vec<u8>>>]) -> HashSet<Vec<u8>> {
    sets.iter()
        .flatten()
        .flat_map(|s| s.iter().cloned())
        .collect()
}

fn difference(sets: &[Option<HashSet<Vec<u8>>>]) -> HashSet<Vec<u8>> {
    let Some((Some(first), rest)) = sets.split_first() else {
        return HashSet::new();
    };
    first
        .iter()
        .filter(|m| !rest.iter().flatten().any(|s| s.contains(*m)))
        .cloned()
        .collect()
}

/// Replaces `dst` with `members` (deleting it when empty); replies the size.
fn store(ctx: &mut Ctx<'_>, dst: &[u8], members: HashSet<Vec<u8>>) -> Reply {
    let n = members.len() as i64;
    if members.is_empty() {
        ctx.db.remove(dst);
    } else {
        ctx.db.insert(dst.to_vec(), Data::Set(members), None);
    }
    Ok(Value::Int(n))
}

fn sinter(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let sets = load_sets(ctx, args)?;
    Ok(bulk_array(intersect(&sets, 0)))
}

fn sinterstore(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let sets = load_sets(ctx, &args[1..])?;
    let members = intersect(&sets, 0).into_iter().collect();
    store(ctx, &args[0], members)
}

fn sintercard(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let numkeys = parse_ranged(
        &args[0],
        1,
        i64::MAX,
        Some("ERR numkeys should be greater than 0"),
    )?;
    let numkeys = usize::try_from(numkeys).unwrap_or(usize::MAX);
    if numkeys > args.len() - 1 {
        return Err("ERR Number of keys can't be greater than number of args".to_owned());
    }
    let keys = &args[1..=numkeys];
    let mut limit = 0;
    let mut rest = &args[1 + numkeys..];
    while let Some((opt, tail)) = rest.split_first() {
        match tail.split_first() {
            Some((value, tail)) if is(opt, "limit") => {
                let l = parse_ranged(value, 0, i64::MAX, Some("ERR LIMIT can't be negative"))?;
                limit = usize::try_from(l).unwrap_or(usize::MAX);
                rest = tail;
            }
            _ => return Err(SYNTAX.to_owned()),
        }
    }
    let sets = load_sets(ctx, keys)?;
    Ok(Value::Int(intersect(&sets, limit).len() as i64))
}

fn sunion(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let sets = load_sets(ctx, args)?;
    Ok(bulk_array(union(&sets)))
}

fn sunionstore(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let sets = load_sets(ctx, &args[1..])?;
    store(ctx, &args[0], union(&sets))
}

fn sdiff(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let sets = load_sets(ctx, args)?;
    Ok(bulk_array(difference(&sets)))
}

fn sdiffstore(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let sets = load_sets(ctx, &args[1..])?;
    store(ctx, &args[0], difference(&sets))
}

/// The options of SSCAN/ZSCAN after the cursor.
pub(super) struct ScanArgs {
    /// Where to continue (0 starts over).
    pub cursor: u64,
    /// MATCH pattern, if any.
    pub pattern: Option<Vec<u8>>,
    /// COUNT hint (default 10).
    pub count: usize,
}

pub(super) use super::args::parse_cursor;

/// Parses `[MATCH pattern] [COUNT count]` as Redis's scanGenericCommand does.
pub(super) fn parse_scan_options(cursor: u64, opts: &[Vec<u8>]) -> Result<ScanArgs, String> {
    let mut args = ScanArgs {
        cursor,
        pattern: None,
        count: 10,
    };
    let mut rest = opts;
    while let Some((opt, tail)) = rest.split_first() {
        let Some((value, tail)) = tail.split_first() else {
            return Err(SYNTAX.to_owned());
        };
        if is(opt, "count") {
            let n = parse_int(value)?;
            if n < 1 {
                return Err(SYNTAX.to_owned());
            }
            args.count = usize::try_from(n).unwrap_or(usize::MAX);
        } else if is(opt, "match") {
            args.pattern = Some(value.clone());
        } else {
            return Err(SYNTAX.to_owned());
        }
        rest = tail;
    }
    Ok(args)
}

/// One SCAN page over `items` (already in a stable order): everything when
/// `whole` (Redis's compact encodings), else `count` items from the cursor.
/// Returns the next cursor and the page, MATCH applied to each item's key.
pub(super) fn scan_page<T>(
    items: Vec<T>,
    whole: bool,
    args: &ScanArgs,
    key_of: fn(&T) -> &[u8],
) -> (u64, Vec<T>) {
    let (next, page): (u64, Vec<T>) = if whole || items.len() <= args.count {
        if whole || args.cursor == 0 {
            (0, items)
        } else {
            (0, Vec::new())
        }
    } else {
        let start = usize::try_from(args.cursor).unwrap_or(usize::MAX);
        let end = start.saturating_add(args.count);
        let next = if end >= items.len() { 0 } else { end as u64 };
        (
            next,
            items.into_iter().skip(start).take(args.count).collect(),
        )
    };
    let page = match &args.pattern {
        Some(p) => page
            .into_iter()
            .filter(|t| glob::matches(p, key_of(t)))
            .collect(),
        None => page,
    };
    (next, page)
}

fn scan_reply(next: u64, items: Vec<Value>) -> Value {
    Value::Array(vec![bulk(next.to_string()), Value::Array(items)])
}

/// Redis's string2ll: the text Redis stores in an intset.
fn is_strict_int(m: &[u8]) -> bool {
    m.len() <= 20 && parse_int(m).is_ok()
}

fn sscan(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let cursor = parse_cursor(&args[1])?;
    let Some(set) = ctx.read::<Set>(&args[0])? else {
        return Ok(scan_reply(0, Vec::new()));
    };
    let mut members: Vec<Vec<u8>> = set.iter().cloned().collect();
    let scan = parse_scan_options(cursor, &args[2..])?;
    crate::sorting::sort(&mut members);
    let whole = members.len() <= INTSET_MAX_ENTRIES && members.iter().all(|m| is_strict_int(m));
    let (next, page) = scan_page(members, whole, &scan, |m| m.as_slice());
    Ok(scan_reply(next, page.into_iter().map(bulk).collect()))
}

#[cfg(test)]
mod tests;
