//! Stream commands without groups: XADD XLEN XRANGE XREVRANGE XDEL XTRIM
//! XREAD XSETID, with Redis 7.0's replies and texts.
//!
//! Owns: argument parsing and replies. Must not: block (XREAD BLOCK
//! answers at once, as a timed-out read; waiting is edgestash-server's, see
//! `protocol::blocking`).

use super::ctx::{arity_error, bulk, is, parse_int, Ctx, Reply, SYNTAX};
use super::stream::{parse_id, Fields, Stream, StreamId, Trim, INVALID_ID};
use super::Registration;
use crate::protocol::Value;

pub(super) const COMMANDS: &[Registration] = &[
    ("xadd", xadd),
    ("xlen", xlen),
    ("xrange", xrange),
    ("xrevrange", xrevrange),
    ("xdel", xdel),
    ("xtrim", xtrim),
    ("xread", xread),
    ("xsetid", xsetid),
];

/// One entry as Redis replies it: `[id, [field, value, ...]]`.
pub(super) fn entry_reply(id: StreamId, fields: Option<&Fields>) -> Value {
    let fields = fields.map_or(Value::Nil, |f| {
        Value::Array(
            f.iter()
                .flat_map(|(k, v)| [bulk(k.clone()), bulk(v.clone())])
                .collect(),
        )
    });
    Value::Array(vec![bulk(id.text()), fields])
}

/// A parsed `MAXLEN|MINID [=|~] threshold [LIMIT n]` clause.
struct TrimSpec {
    trim: Trim,
    approx: bool,
    limit: u64,
}

/// Parses a trim clause starting at `args[*i]` (the MAXLEN/MINID word).
fn parse_trim(args: &[Vec<u8>], i: &mut usize, spec: &mut Option<TrimSpec>) -> Result<(), String> {
    let word = &args[*i];
    let maxlen = is(word, "MAXLEN");
    *i += 1;
    let mut approx = false;
    if let Some(op) = args.get(*i) {
        if op.as_slice() == b"~" || op.as_slice() == b"=" {
            approx = op.as_slice() == b"~";
            *i += 1;
        }
    }
    let threshold = args.get(*i).ok_or_else(|| SYNTAX.to_owned())?;
    *i += 1;
    let trim = if maxlen {
        let n = parse_int(threshold)?;
        if n < 0 {
            return Err("ERR The MAXLEN argument must be >= 0.".to_owned());
        }
        Trim::MaxLen(n as u64)
    } else {
        Trim::MinId(parse_id(threshold, 0)?)
    };
    *spec = Some(TrimSpec {
        trim,
        approx,
        limit: 0,
    });
    Ok(())
}

/// Parses `LIMIT n` at `args[*i]`.
fn parse_limit(args: &[Vec<u8>], i: &mut usize) -> Result<u64, String> {
    let n = args.get(*i + 1).ok_or_else(|| SYNTAX.to_owned())?;
    *i += 2;
    let n = parse_int(n)?;
    if n < 0 {
        return Err("ERR The LIMIT argument must be >= 0.".to_owned());
    }
    Ok(n as u64)
}

/// Applies a trim with Redis's LIMIT rules (LIMIT only with `~`; `~`
/// without LIMIT removes at most 100 nodes' worth).
fn finish_trim(spec: Option<TrimSpec>, limit: Option<u64>) -> Result<Option<TrimSpec>, String> {
    match (spec, limit) {
        (None, Some(_)) => Err(
            "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"
                .to_owned(),
        ),
        (Some(s), Some(_)) if !s.approx => {
            Err("ERR syntax error, LIMIT cannot be used without the special ~ option".to_owned())
        }
        (Some(mut s), limit) => {
            s.limit = if s.approx {
                limit.unwrap_or(100 * super::stream::NODE_ENTRIES as u64)
            } else {
                0
            };
            Ok(Some(s))
        }
        (None, None) => Ok(None),
    }
}

/// The ID XADD was given: `*`, `ms-*` or explicit.
enum NewId {
    Auto,
    Ms(u64),
    Exact(StreamId),
}

fn parse_new_id(arg: &[u8]) -> Result<NewId, String> {
    if arg == b"*" {
        return Ok(NewId::Auto);
    }
    if let Some(ms) = arg.strip_suffix(b"-*") {
        let id = parse_id(ms, 0)?;
        if ms.contains(&b'-') {
            return Err(INVALID_ID.to_owned());
        }
        return Ok(NewId::Ms(id.ms));
    }
    parse_id(arg, 0).map(NewId::Exact)
}

fn xadd(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = &args[0];
    let mut i = 1;
    let mut nomkstream = false;
    let mut spec = None;
    let mut limit = None;
    while i < args.len() {
        let a = &args[i];
        if is(a, "NOMKSTREAM") {
            nomkstream = true;
            i += 1;
        } else if is(a, "MAXLEN") || is(a, "MINID") {
            parse_trim(args, &mut i, &mut spec)?;
        } else if is(a, "LIMIT") {
            limit = Some(parse_limit(args, &mut i)?);
        } else {
            break;
        }
    }
    let spec = finish_trim(spec, limit)?;
    let id_arg = args.get(i).ok_or_else(|| arity_error("xadd"))?;
    let pairs = &args[i + 1..];
    if pairs.is_empty() || pairs.len() % 2 != 0 {
        return Err(arity_error("xadd"));
    }
    let new_id = parse_new_id(id_arg)?;
    if let NewId::Exact(StreamId { ms: 0, seq: 0 }) = new_id {
        return Err("ERR The ID specified in XADD must be greater than 0-0".to_owned());
    }
    if ctx.read::<Box<Stream>>(key)?.is_none() {
        if nomkstream {
            return Ok(Value::Nil);
        }
        ctx.db
            .insert(key.clone(), super::db::Data::Stream(Box::default()), None);
    }
    let now = ctx.now_ms;
    let stream = ctx.write::<Box<Stream>>(key)?;
    let too_small = || {
        "ERR The ID specified in XADD is equal or smaller than the target stream top item"
            .to_owned()
    };
    let id = match new_id {
        NewId::Auto => stream.auto_id(now).ok_or_else(too_small)?,
        NewId::Ms(ms) if ms == stream.last_id.ms => stream
            .last_id
            .next()
            .filter(|n| n.ms == ms)
            .ok_or_else(too_small)?,
        NewId::Ms(ms) if ms > stream.last_id.ms => StreamId { ms, seq: 0 },
        NewId::Ms(_) => return Err(too_small()),
        NewId::Exact(id) if id > stream.last_id => id,
        NewId::Exact(_) => return Err(too_small()),
    };
    let fields = pairs
        .chunks(2)
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect();
    stream.append(id, fields);
    if let Some(s) = spec {
        stream.trim(s.trim, s.approx, s.limit);
    }
    Ok(bulk(id.text()))
}

fn xlen(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let n = ctx
        .read::<Box<Stream>>(&args[0])?
        .map_or(0, |s| s.entries.len());
    Ok(Value::Int(i64::try_from(n).unwrap_or(i64::MAX)))
}

/// A range bound: `-`, `+`, `(id` (exclusive) or an ID whose missing
/// sequence is `missing_seq`. `None` when an exclusive bound is empty.
fn parse_bound(arg: &[u8], missing_seq: u64, start: bool) -> Result<Option<StreamId>, String> {
    match arg {
        b"-" => Ok(Some(StreamId::default())),
        b"+" => Ok(Some(StreamId::MAX)),
        [b'(', rest @ ..] => {
            let id = parse_id(rest, missing_seq)?;
            let moved = if start { id.next() } else { id.prev() };
            match moved {
                Some(id) => Ok(Some(id)),
                None => Err(format!(
                    "ERR invalid {} ID for the interval",
                    if start { "start" } else { "end" }
                )),
            }
        }
        _ => parse_id(arg, missing_seq).map(Some),
    }
}

fn parse_count(args: &[Vec<u8>]) -> Result<Option<usize>, String> {
    match args {
        [] => Ok(None),
        [word, n] if is(word, "COUNT") => {
            let n = parse_int(n)?;
            Ok(Some(usize::try_from(n.max(0)).unwrap_or(0)))
        }
        _ => Err(SYNTAX.to_owned()),
    }
}

fn range(ctx: &mut Ctx<'_>, args: &[Vec<u8>], rev: bool) -> Reply {
    let (start, end) = if rev {
        (&args[2], &args[1])
    } else {
        (&args[1], &args[2])
    };
    let start = parse_bound(start, 0, true)?;
    let end = parse_bound(end, u64::MAX, false)?;
    let count = parse_count(&args[3..])?;
    // Redis's order: a missing key is an empty array, then COUNT <= 0 nil.
    let Some(stream) = ctx.read::<Box<Stream>>(&args[0])? else {
        return Ok(Value::Array(vec![]));
    };
    if count == Some(0) {
        return Ok(Value::Nil);
    }
    let (Some(start), Some(end)) = (start, end) else {
        return Ok(Value::Array(vec![]));
    };
    if start > end {
        return Ok(Value::Array(vec![]));
    }
    let it = stream.entries.range(start..=end);
    let take = count.unwrap_or(usize::MAX);
    let items: Vec<Value> = if rev {
        it.rev()
            .take(take)
            .map(|(id, f)| entry_reply(*id, Some(f)))
            .collect()
    } else {
        it.take(take)
            .map(|(id, f)| entry_reply(*id, Some(f)))
            .collect()
    };
    Ok(Value::Array(items))
}

fn xrange(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    range(ctx, args, false)
}

fn xrevrange(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    range(ctx, args, true)
}

fn xdel(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    // As Redis: a missing key deletes nothing, before the IDs are parsed.
    let Some(stream) = ctx.read_mut::<Box<Stream>>(&args[0])? else {
        return Ok(Value::Int(0));
    };
    let ids = args[1..]
        .iter()
        .map(|a| parse_id(a, 0))
        .collect::<Result<Vec<_>, _>>()?;
    let n = ids.into_iter().filter(|id| stream.delete(*id)).count();
    Ok(Value::Int(i64::try_from(n).unwrap_or(i64::MAX)))
}

fn xtrim(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut i = 1;
    let mut spec = None;
    let mut limit = None;
    while i < args.len() {
        let a = &args[i];
        if (is(a, "MAXLEN") || is(a, "MINID")) && spec.is_none() {
            parse_trim(args, &mut i, &mut spec)?;
        } else if is(a, "LIMIT") {
            limit = Some(parse_limit(args, &mut i)?);
        } else {
            return Err(SYNTAX.to_owned());
        }
    }
    let spec = finish_trim(spec, limit)?.ok_or_else(|| SYNTAX.to_owned())?;
    let Some(stream) = ctx.read_mut::<Box<Stream>>(&args[0])? else {
        return Ok(Value::Int(0));
    };
    let n = stream.trim(spec.trim, spec.approx, spec.limit);
    Ok(Value::Int(i64::try_from(n).unwrap_or(i64::MAX)))
}

/// The `[COUNT n] [BLOCK ms] [NOACK] STREAMS key... id...` tail shared by
/// XREAD and XREADGROUP.
pub(super) struct ReadArgs<'a> {
    /// COUNT, when given and positive.
    pub count: Option<usize>,
    /// NOACK (XREADGROUP only).
    pub noack: bool,
    /// The streams and their IDs.
    pub streams: Vec<(&'a [u8], &'a [u8])>,
}

pub(super) fn parse_read<'a>(
    args: &'a [Vec<u8>],
    group: bool,
    name: &str,
) -> Result<ReadArgs<'a>, String> {
    let mut count = None;
    let mut noack = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if is(a, "COUNT") {
            let n = parse_int(args.get(i + 1).ok_or_else(|| SYNTAX.to_owned())?)?;
            count = (n > 0).then(|| usize::try_from(n).unwrap_or(usize::MAX));
            i += 2;
        } else if is(a, "BLOCK") {
            let ms = parse_int(args.get(i + 1).ok_or_else(|| SYNTAX.to_owned())?)
                .map_err(|_| "ERR timeout is not an integer or out of range".to_owned())?;
            if ms < 0 {
                return Err("ERR timeout is negative".to_owned());
            }
            i += 2;
        } else if group && is(a, "NOACK") {
            noack = true;
            i += 1;
        } else if is(a, "STREAMS") {
            let rest = &args[i + 1..];
            if rest.is_empty() || rest.len() % 2 != 0 {
                return Err("ERR Unbalanced 'xread' list of streams: for each stream key an ID or '$' must be specified.".replace("xread", name));
            }
            let (keys, ids) = rest.split_at(rest.len() / 2);
            let streams = keys
                .iter()
                .zip(ids)
                .map(|(k, id)| (k.as_slice(), id.as_slice()))
                .collect();
            return Ok(ReadArgs {
                count,
                noack,
                streams,
            });
        } else {
            return Err(SYNTAX.to_owned());
        }
    }
    Err(SYNTAX.to_owned())
}

fn xread(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let read = parse_read(args, false, "xread")?;
    // IDs are resolved before any read, as Redis does ('$' = now's last).
    let mut starts = Vec::with_capacity(read.streams.len());
    for (key, id) in &read.streams {
        // The key's type is checked before its ID is parsed, as in Redis.
        let last = ctx.read::<Box<Stream>>(key)?.map(|s| s.last_id);
        let start = if *id == b"$" {
            last.unwrap_or_default()
        } else {
            parse_id(id, 0)?
        };
        starts.push(start);
    }
    let mut out = Vec::new();
    for ((key, _), start) in read.streams.iter().zip(starts) {
        let Some(stream) = ctx.read::<Box<Stream>>(key)? else {
            continue;
        };
        let Some(from) = start.next() else { continue };
        let items: Vec<Value> = stream
            .entries
            .range(from..)
            .take(read.count.unwrap_or(usize::MAX))
            .map(|(id, f)| entry_reply(*id, Some(f)))
            .collect();
        if !items.is_empty() {
            out.push(Value::Array(vec![bulk(key.to_vec()), Value::Array(items)]));
        }
    }
    Ok(if out.is_empty() {
        Value::Nil
    } else {
        Value::Array(out)
    })
}

fn xsetid(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let id = parse_id(&args[1], 0)?;
    let mut added = None;
    let mut max_deleted = None;
    let mut i = 2;
    while i < args.len() {
        let v = args.get(i + 1).ok_or_else(|| SYNTAX.to_owned())?;
        if is(&args[i], "ENTRIESADDED") {
            let n = parse_int(v)?;
            if n < 0 {
                return Err("ERR entries_added must be positive".to_owned());
            }
            added = Some(n as u64);
        } else if is(&args[i], "MAXDELETEDID") {
            max_deleted = Some(parse_id(v, 0)?);
        } else {
            return Err(SYNTAX.to_owned());
        }
        i += 2;
    }
    let Some(stream) = ctx.read_mut::<Box<Stream>>(&args[0])? else {
        return Err("ERR no such key".to_owned());
    };
    if let Some(md) = max_deleted {
        if id < md {
            return Err(
                "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"
                    .to_owned(),
            );
        }
    }
    if let Some(n) = added {
        if (stream.entries.len() as u64) > n {
            return Err("ERR The entries_added specified in XSETID is smaller than the target stream length".to_owned());
        }
    }
    if stream
        .entries
        .keys()
        .next_back()
        .is_some_and(|last| id < *last)
    {
        return Err(
            "ERR The ID specified in XSETID is smaller than the target stream top item".to_owned(),
        );
    }
    stream.last_id = id;
    if let Some(n) = added {
        stream.entries_added = n;
    }
    if let Some(md) = max_deleted {
        stream.max_deleted = md;
    }
    Ok(Value::Okay)
}
