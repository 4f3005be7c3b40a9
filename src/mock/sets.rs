//! Set commands: SADD ... SSCAN, with Redis 7.0's replies and error texts.
//!
//! Owns the set family and the SCAN paging SSCAN and ZSCAN share (their
//! arguments are read by [`super::args::Args`]).
//! Must not: touch other types except to answer WRONGTYPE or to overwrite a
//! destination key (the *STORE commands replace any type, as in Redis).

use std::collections::HashSet;

use super::args::{ScanOptions, RAND_COUNT_RANGE};
use super::ctx::{bulk, bulk_array, is, parse_int, ArgError, Ctx, Reply, WRONGTYPE};
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

/// Largest number of picks a negative random count may ask for; far past
/// any real use, it only keeps a hostile count from exhausting memory.
pub(super) const MAX_RANDOM_PICKS: u64 = 1 << 24;

fn sadd(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let members = a.rest();
    let set = ctx.write::<Set>(key)?;
    let added = members.iter().filter(|m| set.insert(m.to_vec())).count();
    Ok(Value::Int(added as i64))
}

fn srem(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let members = a.rest();
    let Some(set) = ctx.read_mut::<Set>(key)? else {
        return Ok(Value::Int(0));
    };
    let removed = members.iter().filter(|m| set.remove(m.as_slice())).count();
    ctx.db.drop_if_empty(key);
    Ok(Value::Int(removed as i64))
}

fn smembers(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    let members = ctx
        .read::<Set>(key)?
        .map(|s| s.iter().cloned().collect::<Vec<_>>());
    Ok(bulk_array(members.unwrap_or_default()))
}

fn sismember(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, member) = (a.arg()?, a.arg()?);
    let found = ctx.read::<Set>(key)?.is_some_and(|s| s.contains(member));
    Ok(Value::Int(i64::from(found)))
}

fn smismember(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let members = a.rest();
    let set = ctx.read::<Set>(key)?;
    Ok(Value::Array(
        members
            .iter()
            .map(|m| Value::Int(i64::from(set.is_some_and(|s| s.contains(m)))))
            .collect(),
    ))
}

fn scard(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    Ok(Value::Int(
        ctx.read::<Set>(key)?.map_or(0, |s| s.len() as i64),
    ))
}

fn spop(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    if !a.has_last()? {
        let Some(member) = random_member(ctx, key)? else {
            return Ok(Value::Nil);
        };
        if let Some(set) = ctx.read_mut::<Set>(key)? {
            set.remove(&member);
        }
        ctx.db.drop_if_empty(key);
        return Ok(bulk(member));
    }
    let count = a.non_negative()?;
    let Some(set) = ctx.read::<Set>(key)? else {
        return Ok(Value::Array(Vec::new()));
    };
    let n = set.len();
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

/// One member of the set at `key` picked at random (SPOP and SRANDMEMBER
/// without a count), `None` for a missing key.
fn random_member(ctx: &mut Ctx<'_>, key: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let Some(n) = ctx.read::<Set>(key)?.map(|s| s.len()) else {
        return Ok(None);
    };
    let pick = ctx.db.rng.below(n);
    Ok(ctx
        .read::<Set>(key)?
        .and_then(|s| s.iter().nth(pick).cloned()))
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
        return Err(RAND_COUNT_RANGE.into());
    }
    Ok((0..k).map(|_| ctx.db.rng.below(n)).collect())
}

fn srandmember(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    if !a.has_last()? {
        return Ok(random_member(ctx, key)?.map_or(Value::Nil, bulk));
    }
    let count = a.rand_count()?;
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
    let mut a = ctx.args(args);
    let (src, dst, member) = (a.arg()?, a.arg()?, a.arg()?);
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
    ctx.write::<Set>(dst)?.insert(member.to_vec());
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
    let (dst, keys) = destination_and_keys(ctx, args)?;
    let sets = load_sets(ctx, keys)?;
    let members = intersect(&sets, 0).into_iter().collect();
    store(ctx, dst, members)
}

/// A *STORE command's destination and its source keys.
fn destination_and_keys<'a>(
    ctx: &Ctx<'a>,
    args: &'a [Vec<u8>],
) -> Result<(&'a [u8], &'a [Vec<u8>]), ArgError> {
    let mut a = ctx.args(args);
    Ok((a.arg()?, a.rest()))
}

fn sintercard(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let numkeys = a.numkeys()?;
    let keys = a.take(numkeys).ok_or(ArgError::Command(
        "ERR Number of keys can't be greater than number of args",
    ))?;
    let mut limit = 0;
    while let Some(opt) = a.next_arg() {
        if !is(opt, "limit") || a.is_empty() {
            return Err(ArgError::Syntax.into());
        }
        limit = a.limit()?;
    }
    let sets = load_sets(ctx, keys)?;
    Ok(Value::Int(intersect(&sets, limit).len() as i64))
}

fn sunion(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let sets = load_sets(ctx, args)?;
    Ok(bulk_array(union(&sets)))
}

fn sunionstore(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let (dst, keys) = destination_and_keys(ctx, args)?;
    let sets = load_sets(ctx, keys)?;
    store(ctx, dst, union(&sets))
}

fn sdiff(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let sets = load_sets(ctx, args)?;
    Ok(bulk_array(difference(&sets)))
}

fn sdiffstore(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let (dst, keys) = destination_and_keys(ctx, args)?;
    let sets = load_sets(ctx, keys)?;
    store(ctx, dst, difference(&sets))
}

/// One SCAN page over `items` (already in a stable order): everything when
/// `whole` (Redis's compact encodings), else `count` items from the cursor.
/// Returns the next cursor and the page, MATCH applied to each item's key.
pub(super) fn scan_page<T>(
    items: Vec<T>,
    whole: bool,
    cursor: u64,
    options: &ScanOptions<'_>,
    key_of: fn(&T) -> &[u8],
) -> (u64, Vec<T>) {
    let (next, page): (u64, Vec<T>) = if whole || items.len() <= options.count {
        if whole || cursor == 0 {
            (0, items)
        } else {
            (0, Vec::new())
        }
    } else {
        let start = usize::try_from(cursor).unwrap_or(usize::MAX);
        let end = start.saturating_add(options.count);
        let next = if end >= items.len() { 0 } else { end as u64 };
        (
            next,
            items.into_iter().skip(start).take(options.count).collect(),
        )
    };
    let page = match options.pattern {
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
    let mut a = ctx.args(args);
    let (key, cursor) = (a.arg()?, a.cursor()?);
    // Read now, reported only for an existing set (Redis's order).
    let options = a.scan_options(false);
    let Some(set) = ctx.read::<Set>(key)? else {
        return Ok(scan_reply(0, Vec::new()));
    };
    let mut members: Vec<Vec<u8>> = set.iter().cloned().collect();
    let options = options?;
    crate::sorting::sort(&mut members);
    let whole = members.len() <= INTSET_MAX_ENTRIES && members.iter().all(|m| is_strict_int(m));
    let (next, page) = scan_page(members, whole, cursor, &options, |m| m.as_slice());
    Ok(scan_reply(next, page.into_iter().map(bulk).collect()))
}

#[cfg(test)]
mod tests;
