//! List commands, with Redis 7.0's replies, argument checks and error texts,
//! checked in Redis's order (most commands parse their numbers before they
//! look the key up, so a bad number wins over a missing key).
//!
//! Must not: keep empty lists (Redis deletes them) or block: the blocking
//! variants (BLPOP, BLMOVE, ...) are `blocking_pops`, answered at once.

use std::collections::VecDeque;

use super::ctx::{bulk, bulk_array, is, parse_int, ArgError, Args, Ctx, Reply};
use super::Registration;
use crate::protocol::Value;

pub(super) type List = VecDeque<Vec<u8>>;

pub(super) const COMMANDS: &[Registration] = &[
    ("lpush", lpush),
    ("rpush", rpush),
    ("lpushx", lpushx),
    ("rpushx", rpushx),
    ("lpop", lpop),
    ("rpop", rpop),
    ("llen", llen),
    ("lrange", lrange),
    ("lindex", lindex),
    ("lset", lset),
    ("linsert", linsert),
    ("lrem", lrem),
    ("ltrim", ltrim),
    ("lpos", lpos),
    ("lmove", lmove),
    ("rpoplpush", rpoplpush),
    ("lmpop", lmpop),
];

/// Which end of a list.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum End {
    Left,
    Right,
}

impl End {
    /// LEFT or RIGHT in any case; Redis's syntax error otherwise.
    pub(super) fn parse(arg: &[u8]) -> Result<Self, ArgError> {
        if is(arg, "left") {
            Ok(Self::Left)
        } else if is(arg, "right") {
            Ok(Self::Right)
        } else {
            Err(ArgError::Syntax)
        }
    }
}

pub(super) fn pop_end(list: &mut List, end: End) -> Option<Vec<u8>> {
    match end {
        End::Left => list.pop_front(),
        End::Right => list.pop_back(),
    }
}

fn push_end(list: &mut List, end: End, item: Vec<u8>) {
    match end {
        End::Left => list.push_front(item),
        End::Right => list.push_back(item),
    }
}

fn len_int(len: usize) -> Value {
    Value::Int(i64::try_from(len).unwrap_or(i64::MAX))
}

/// Normalises a possibly negative index; `None` when outside the list.
fn position(index: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let i = if index < 0 { len + index } else { index };
    if (0..len).contains(&i) {
        usize::try_from(i).ok()
    } else {
        None
    }
}

/// LRANGE/LTRIM's clamped `start..=end`, or `None` for an empty range.
fn span(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    let n = i64::try_from(len).ok()?;
    let start = if start < 0 { (n + start).max(0) } else { start };
    let end = if end < 0 { n + end } else { end };
    if start > end || start >= n {
        return None;
    }
    let end = end.min(n - 1);
    Some((usize::try_from(start).ok()?, usize::try_from(end).ok()?))
}

fn lpush(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    push(ctx, args, End::Left, false)
}

fn rpush(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    push(ctx, args, End::Right, false)
}

fn lpushx(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    push(ctx, args, End::Left, true)
}

fn rpushx(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    push(ctx, args, End::Right, true)
}

/// Pushes every element in order; with `only_existing` (the X variants) a
/// missing key stays missing and the reply is 0.
fn push(ctx: &mut Ctx<'_>, args: &[Vec<u8>], end: End, only_existing: bool) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let items = a.rest();
    let list = if only_existing {
        match ctx.read_mut::<List>(key)? {
            Some(l) => l,
            None => return Ok(Value::Int(0)),
        }
    } else {
        ctx.write::<List>(key)?
    };
    for item in items {
        push_end(list, end, item.clone());
    }
    Ok(len_int(list.len()))
}

fn lpop(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    pop(ctx, args, End::Left)
}

fn rpop(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    pop(ctx, args, End::Right)
}

/// LPOP/RPOP: one element (nil when missing), or with a count an array
/// (nil when missing, empty for count 0).
fn pop(ctx: &mut Ctx<'_>, args: &[Vec<u8>], end: End) -> Reply {
    if args.len() > 2 {
        return Err(ctx.arity_error());
    }
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let count = if a.is_empty() {
        None
    } else {
        Some(a.non_negative()?)
    };
    let Some(list) = ctx.read_mut::<List>(key)? else {
        return Ok(Value::Nil);
    };
    let reply = match count {
        None => pop_end(list, end).map_or(Value::Nil, bulk),
        Some(n) => {
            let n = n.min(list.len());
            bulk_array(
                (0..n)
                    .filter_map(|_| pop_end(list, end))
                    .collect::<Vec<_>>(),
            )
        }
    };
    ctx.db.drop_if_empty(key);
    Ok(reply)
}

fn llen(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = ctx.args(args).arg()?;
    Ok(len_int(ctx.read::<List>(key)?.map_or(0, VecDeque::len)))
}

fn lrange(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, start, end) = (a.arg()?, a.int()?, a.int()?);
    let Some(list) = ctx.read::<List>(key)? else {
        return Ok(Value::Array(Vec::new()));
    };
    Ok(match span(start, end, list.len()) {
        None => Value::Array(Vec::new()),
        Some((from, to)) => bulk_array(list.range(from..=to).cloned()),
    })
}

fn lindex(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    // Parsed now, reported only for an existing list (Redis's order).
    let index = parse_int(a.arg()?);
    let Some(list) = ctx.read::<List>(key)? else {
        return Ok(Value::Nil);
    };
    let index = index?;
    Ok(position(index, list.len())
        .and_then(|i| list.get(i))
        .map_or(Value::Nil, |v| bulk(v.clone())))
}

fn lset(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    // Parsed now, reported only for an existing list (Redis's order).
    let index = parse_int(a.arg()?);
    let element = a.arg()?;
    let Some(list) = ctx.read_mut::<List>(key)? else {
        return Err("ERR no such key".to_owned());
    };
    let index = index?;
    let slot = position(index, list.len())
        .and_then(|i| list.get_mut(i))
        .ok_or_else(|| "ERR index out of range".to_owned())?;
    *slot = element.to_vec();
    Ok(Value::Okay)
}

fn linsert(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let after = if a.eat("after") {
        true
    } else if a.eat("before") {
        false
    } else {
        return Err(ArgError::Syntax.into());
    };
    let (pivot, element) = (a.arg()?, a.arg()?);
    let Some(list) = ctx.read_mut::<List>(key)? else {
        return Ok(Value::Int(0));
    };
    let Some(at) = list.iter().position(|v| v == pivot) else {
        return Ok(Value::Int(-1));
    };
    list.insert(if after { at + 1 } else { at }, element.to_vec());
    Ok(len_int(list.len()))
}

fn lrem(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, count, element) = (a.arg()?, a.int()?, a.arg()?);
    let Some(list) = ctx.read_mut::<List>(key)? else {
        return Ok(Value::Int(0));
    };
    let limit = if count == 0 {
        usize::MAX
    } else {
        usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX)
    };
    let mut removed = 0usize;
    if count >= 0 {
        list.retain(|v| {
            if removed < limit && v.as_slice() == element {
                removed += 1;
                false
            } else {
                true
            }
        });
    } else {
        let mut i = list.len();
        while i > 0 && removed < limit {
            i -= 1;
            if list.get(i).is_some_and(|v| v.as_slice() == element) {
                list.remove(i);
                removed += 1;
            }
        }
    }
    ctx.db.drop_if_empty(key);
    Ok(len_int(removed))
}

fn ltrim(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, start, end) = (a.arg()?, a.int()?, a.int()?);
    let Some(list) = ctx.read_mut::<List>(key)? else {
        return Ok(Value::Okay);
    };
    match span(start, end, list.len()) {
        None => list.clear(),
        Some((from, to)) => {
            list.truncate(to + 1);
            list.drain(..from);
        }
    }
    ctx.db.drop_if_empty(key);
    Ok(Value::Okay)
}

/// LPOS's options.
struct PosOptions {
    rank: i64,
    count: Option<usize>,
    maxlen: usize,
}

impl PosOptions {
    fn parse(mut a: Args<'_>) -> Result<Self, ArgError> {
        let mut options = Self {
            rank: 1,
            count: None,
            maxlen: 0,
        };
        while let Some(word) = a.next_arg() {
            if a.is_empty() {
                return Err(ArgError::Syntax);
            }
            if is(word, "rank") {
                options.rank = a.int()?;
                if options.rank == 0 {
                    return Err(ArgError::Command("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"));
                }
            } else if is(word, "count") {
                options.count = Some(non_negative(&mut a, "ERR COUNT can't be negative")?);
            } else if is(word, "maxlen") {
                options.maxlen = non_negative(&mut a, "ERR MAXLEN can't be negative")?;
            } else {
                return Err(ArgError::Syntax);
            }
        }
        Ok(options)
    }
}

/// The next argument as an integer >= 0, with `error` both for non-integers
/// and negatives (as Redis's getPositiveLongFromObjectOrReply with a custom
/// message).
fn non_negative(a: &mut Args<'_>, error: &'static str) -> Result<usize, ArgError> {
    let n = a.ranged(0, i64::MAX, Some(ArgError::Command(error)))?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

fn lpos(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, element) = (a.arg()?, a.arg()?);
    let options = PosOptions::parse(a)?;
    let Some(list) = ctx.read::<List>(key)? else {
        return Ok(if options.count.is_some() {
            Value::Array(Vec::new())
        } else {
            Value::Nil
        });
    };
    let len = list.len();
    let from_tail = options.rank < 0;
    // Redis negates the rank; i64::MIN stays negative there, so every match
    // counts, as with rank -1.
    let skip = usize::try_from(options.rank.unsigned_abs().saturating_sub(1)).unwrap_or(usize::MAX);
    let skip = if options.rank == i64::MIN { 0 } else { skip };
    let scan = if options.maxlen == 0 {
        len
    } else {
        options.maxlen.min(len)
    };
    let mut matches = 0usize;
    let mut found = Vec::new();
    for step in 0..scan {
        let index = if from_tail { len - 1 - step } else { step };
        if list.get(index).is_none_or(|v| v.as_slice() != element) {
            continue;
        }
        matches += 1;
        if matches <= skip {
            continue;
        }
        found.push(Value::Int(i64::try_from(index).unwrap_or(i64::MAX)));
        match options.count {
            None => break,
            Some(c) if c != 0 && found.len() >= c => break,
            Some(_) => {}
        }
    }
    Ok(match options.count {
        Some(_) => Value::Array(found),
        None => found.into_iter().next().unwrap_or(Value::Nil),
    })
}

fn lmove(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (source, destination) = (a.arg()?, a.arg()?);
    let from = End::parse(a.arg()?)?;
    let to = End::parse(a.arg()?)?;
    move_one(ctx, source, destination, from, to)
}

fn rpoplpush(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (source, destination) = (a.arg()?, a.arg()?);
    move_one(ctx, source, destination, End::Right, End::Left)
}

/// Pops from `source` and pushes onto `destination` (possibly the same key:
/// a rotation). Nil when the source is missing, whatever the destination;
/// WRONGTYPE for a destination of another type before anything moves.
pub(super) fn move_one(
    ctx: &mut Ctx<'_>,
    source: &[u8],
    destination: &[u8],
    from: End,
    to: End,
) -> Reply {
    if ctx.read::<List>(source)?.is_none() {
        return Ok(Value::Nil);
    }
    ctx.read::<List>(destination)?;
    let Some(item) = ctx.read_mut::<List>(source)?.and_then(|l| pop_end(l, from)) else {
        return Ok(Value::Nil);
    };
    push_end(ctx.write::<List>(destination)?, to, item.clone());
    ctx.db.drop_if_empty(source);
    Ok(bulk(item))
}

fn lmpop(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    lmpop_checked(ctx, args, || Ok(()))
}

/// LMPOP, with `check` run once the arguments parse and before any key is
/// read: BLMPOP's timeout, which Redis checks exactly there.
pub(super) fn lmpop_checked(
    ctx: &mut Ctx<'_>,
    args: &[Vec<u8>],
    check: impl FnOnce() -> Result<(), String>,
) -> Reply {
    let mut a = ctx.args(args);
    let numkeys = a.numkeys()?;
    let keys = a.take(numkeys).ok_or(ArgError::Syntax)?;
    let end = End::parse(a.next_arg().ok_or(ArgError::Syntax)?)?;
    let count = a.count_option()?.unwrap_or(1);
    check()?;
    for key in keys {
        let Some(list) = ctx.read_mut::<List>(key)? else {
            continue;
        };
        let n = count.min(list.len());
        let popped: Vec<Vec<u8>> = (0..n).filter_map(|_| pop_end(list, end)).collect();
        ctx.db.drop_if_empty(key);
        return Ok(Value::Array(vec![bulk(key.clone()), bulk_array(popped)]));
    }
    Ok(Value::Nil)
}

#[cfg(test)]
mod tests;
