//! Consumer-group stream commands: XGROUP XREADGROUP XACK XPENDING XCLAIM
//! XAUTOCLAIM XINFO, with Redis 7.0's replies and texts.
//!
//! Owns: argument parsing, delivery and claiming rules. Must not: block
//! (XREADGROUP BLOCK answers at once, as a timed-out read; waiting is
//! edgestash-server's, see `protocol::blocking`).

use std::collections::BTreeMap;

use super::ctx::{bulk, is, parse_int, Ctx, Reply, SYNTAX};
use super::db::Data;
use super::stream::{parse_id, Fields, Group, Stream, StreamId};
use super::streams::{entry_reply, parse_read};
use super::Registration;
use crate::protocol::Value;

pub(super) const COMMANDS: &[Registration] = &[
    ("xgroup", xgroup),
    ("xreadgroup", xreadgroup),
    ("xack", xack),
    ("xpending", xpending),
    ("xclaim", xclaim),
    ("xautoclaim", xautoclaim),
    ("xinfo", xinfo),
];

fn int(n: impl TryInto<i64>) -> Value {
    Value::Int(n.try_into().unwrap_or(i64::MAX))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn nogroup(key: &[u8], group: &[u8]) -> String {
    format!(
        "NOGROUP No such consumer group '{}' for key name '{}'",
        text(group),
        text(key)
    )
}

/// The group `group` of the stream at `key`, or Redis's NOGROUP error.
fn group_mut<'c>(
    ctx: &'c mut Ctx<'_>,
    key: &[u8],
    group: &[u8],
) -> Result<(&'c mut Group, u64), String> {
    let now = ctx.now_ms;
    let stream = ctx.read_mut::<Box<Stream>>(key)?;
    stream
        .and_then(|s| s.groups.get_mut(group))
        .map(|g| (g, now))
        .ok_or_else(|| nogroup(key, group))
}

fn sub_arity(sub: &[u8]) -> String {
    format!(
        "ERR wrong number of arguments for 'xgroup|{}' command",
        text(sub).to_ascii_lowercase()
    )
}

/// `$` or an ID, against the stream's last ID.
fn group_id(stream: &Stream, arg: &[u8]) -> Result<StreamId, String> {
    if arg == b"$" {
        Ok(stream.last_id)
    } else {
        parse_id(arg, 0)
    }
}

fn entries_read_opt(args: &[Vec<u8>]) -> Result<Option<u64>, String> {
    match args {
        [] => Ok(None),
        [w, n] if is(w, "ENTRIESREAD") => {
            let n = parse_int(n)?;
            if n < 0 && n != -1 {
                return Err("ERR value for ENTRIESREAD must be positive or -1".to_owned());
            }
            Ok(u64::try_from(n).ok())
        }
        _ => Err(SYNTAX.to_owned()),
    }
}

/// XGROUP's error for a missing stream.
const NO_KEY: &str = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.";

fn xgroup(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let sub = &args[0];
    let need = |n: usize, max: usize| {
        if args.len() < n || args.len() > max {
            Err(sub_arity(sub))
        } else {
            Ok(())
        }
    };
    let known = [
        "CREATE",
        "SETID",
        "DESTROY",
        "CREATECONSUMER",
        "DELCONSUMER",
    ];
    if known.iter().any(|k| is(sub, k))
        && !is(sub, "CREATE")
        && args.len() >= 2
        && ctx.read::<Box<Stream>>(&args[1])?.is_none()
    {
        if args.len() < 3 {
            return Err(sub_arity(sub));
        }
        return Err(NO_KEY.to_owned());
    }
    if is(sub, "CREATE") {
        need(4, 7)?;
        let (key, name) = (&args[1], &args[2]);
        let mut mkstream = false;
        let mut rest = &args[4..];
        if let Some(first) = rest.first() {
            if is(first, "MKSTREAM") {
                mkstream = true;
                rest = &rest[1..];
            }
        }
        let entries_read = entries_read_opt(rest)?;
        if ctx.read::<Box<Stream>>(key)?.is_none() {
            if !mkstream {
                return Err("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.".to_owned());
            }
            if args[3].as_slice() != b"$" {
                parse_id(&args[3], 0)?;
            }
            ctx.db
                .insert(key.clone(), Data::Stream(Box::default()), None);
        }
        let stream = ctx.write::<Box<Stream>>(key)?;
        let last_id = group_id(stream, &args[3])?;
        if stream.groups.contains_key(name.as_slice()) {
            return Err("BUSYGROUP Consumer Group name already exists".to_owned());
        }
        stream.groups.insert(
            name.clone(),
            Group {
                last_id,
                entries_read,
                ..Group::default()
            },
        );
        Ok(Value::Okay)
    } else if is(sub, "SETID") {
        need(4, 6)?;
        let entries_read = entries_read_opt(&args[4..])?;
        let Some(stream) = ctx.read_mut::<Box<Stream>>(&args[1])? else {
            return Err("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.".to_owned());
        };
        let last_id = group_id(stream, &args[3])?;
        let estimate = stream.entries_read_at(last_id);
        let group = stream
            .groups
            .get_mut(args[2].as_slice())
            .ok_or_else(|| nogroup(&args[1], &args[2]))?;
        group.last_id = last_id;
        group.entries_read = entries_read.or(estimate);
        Ok(Value::Okay)
    } else if is(sub, "DESTROY") {
        need(3, 3)?;
        let Some(stream) = ctx.read_mut::<Box<Stream>>(&args[1])? else {
            return Err("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.".to_owned());
        };
        Ok(int(i64::from(
            stream.groups.remove(args[2].as_slice()).is_some(),
        )))
    } else if is(sub, "CREATECONSUMER") {
        need(4, 4)?;
        let (group, now) = group_mut(ctx, &args[1], &args[2])?;
        let (_, created) = group.consumer(&args[3], now);
        Ok(int(i64::from(created)))
    } else if is(sub, "DELCONSUMER") {
        need(4, 4)?;
        let (group, _) = group_mut(ctx, &args[1], &args[2])?;
        let name = args[3].as_slice();
        if group.consumers.remove(name).is_none() {
            return Ok(int(0));
        }
        let before = group.pending.len();
        group.pending.retain(|_, p| p.consumer != name);
        Ok(int(before - group.pending.len()))
    } else {
        Err(format!(
            "ERR unknown subcommand '{}'. Try XGROUP HELP.",
            text(sub)
        ))
    }
}

fn xreadgroup(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    if !is(&args[0], "GROUP") {
        return Err(SYNTAX.to_owned());
    }
    let (group_name, consumer) = (&args[1], &args[2]);
    let read = parse_read(&args[3..], true, "xreadgroup")?;
    let now = ctx.now_ms;
    // Every stream and group must exist before anything is read.
    for (key, id) in &read.streams {
        if *id != b">" {
            parse_id(id, 0)?;
        }
        let exists = ctx
            .read::<Box<Stream>>(key)?
            .is_some_and(|s| s.groups.contains_key(group_name.as_slice()));
        if !exists {
            return Err(format!(
                "NOGROUP No such key '{}' or consumer group '{}' in XREADGROUP with GROUP option",
                text(key),
                text(group_name)
            ));
        }
    }
    let mut out = Vec::new();
    for (key, id) in &read.streams {
        let Some(stream) = ctx.read_mut::<Box<Stream>>(key)? else {
            continue;
        };
        let counters = super::stream::Counters::of(stream);
        let Stream {
            entries, groups, ..
        } = &mut **stream;
        let Some(group) = groups.get_mut(group_name.as_slice()) else {
            continue;
        };
        let take = read.count.unwrap_or(usize::MAX);
        let items: Vec<Value> = if *id == b">" {
            let Some(from) = group.last_id.next() else {
                continue;
            };
            let ids: Vec<StreamId> = entries
                .range(from..)
                .take(take)
                .map(|(id, _)| *id)
                .collect();
            group.consumer(consumer, now).0.seen_at = now;
            for id in &ids {
                group.last_id = *id;
                group.entries_read = match group.entries_read {
                    Some(n) => Some(n + 1),
                    None => counters.entries_read_at(*id),
                };
                if !read.noack {
                    group.assign(*id, consumer, now, 1);
                }
            }
            ids.iter()
                .map(|id| entry_reply(*id, entries.get(id)))
                .collect()
        } else {
            let start = parse_id(id, 0)?;
            let (c, _) = group.consumer(consumer, now);
            c.seen_at = now;
            let ids: Vec<StreamId> = group
                .owned_by(consumer, start)
                .map(|(id, _)| *id)
                .filter(|id| *id > start || start == StreamId::default())
                .take(take)
                .collect();
            for id in &ids {
                if let Some(p) = group.pending.get_mut(id) {
                    p.delivered_at = now;
                    p.deliveries += 1;
                }
            }
            ids.iter()
                .map(|id| entry_reply(*id, entries.get(id)))
                .collect()
        };
        if *id != b">" || !items.is_empty() {
            out.push(Value::Array(vec![bulk(key.to_vec()), Value::Array(items)]));
        }
    }
    Ok(if out.is_empty() {
        Value::Nil
    } else {
        Value::Array(out)
    })
}

fn xack(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    // As Redis: no key or no group acknowledges nothing, before the IDs
    // are even parsed.
    let Some(group) = ctx
        .read_mut::<Box<Stream>>(&args[0])?
        .and_then(|s| s.groups.get_mut(args[1].as_slice()))
    else {
        return Ok(int(0));
    };
    let ids = args[2..]
        .iter()
        .map(|a| parse_id(a, 0))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(int(ids.into_iter().filter(|id| group.ack(*id)).count()))
}

fn xpending(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let (key, name) = (&args[0], &args[1]);
    let mut rest = &args[2..];
    let mut min_idle = None;
    if rest.first().is_some_and(|a| is(a, "IDLE")) {
        let v = rest.get(1).ok_or_else(|| SYNTAX.to_owned())?;
        min_idle = Some(parse_int(v)?.max(0) as u64);
        rest = &rest[2..];
        if rest.is_empty() {
            return Err(SYNTAX.to_owned());
        }
    }
    if !rest.is_empty() && !(3..=4).contains(&rest.len()) {
        return Err(SYNTAX.to_owned());
    }
    let extended = if rest.is_empty() {
        None
    } else {
        let start = bound(&rest[0], 0, true)?;
        let end = bound(&rest[1], u64::MAX, false)?;
        let count = parse_int(&rest[2])?;
        Some((start, end, count.max(0) as usize, rest.get(3)))
    };
    let now = ctx.now_ms;
    let missing = || {
        format!(
            "NOGROUP No such key '{}' or consumer group '{}'",
            text(key),
            text(name)
        )
    };
    let Some(stream) = ctx.read::<Box<Stream>>(key)? else {
        return Err(missing());
    };
    let Some(group) = stream.groups.get(name.as_slice()) else {
        return Err(missing());
    };
    let Some((start, end, count, consumer)) = extended else {
        if group.pending.is_empty() {
            return Ok(Value::Array(vec![
                int(0),
                Value::Nil,
                Value::Nil,
                Value::Nil,
            ]));
        }
        let first = group
            .pending
            .keys()
            .next()
            .map_or(Value::Nil, |id| bulk(id.text()));
        let last = group
            .pending
            .keys()
            .next_back()
            .map_or(Value::Nil, |id| bulk(id.text()));
        let owners = group
            .consumers
            .keys()
            .map(|n| (n, group.owned_count(n)))
            .filter(|(_, owned)| *owned > 0)
            .map(|(n, owned)| Value::Array(vec![bulk(n.clone()), bulk(owned.to_string())]))
            .collect();
        return Ok(Value::Array(vec![
            int(group.pending.len()),
            first,
            last,
            Value::Array(owners),
        ]));
    };
    let (Some(start), Some(end)) = (start, end) else {
        return Ok(Value::Array(vec![]));
    };
    if start > end {
        return Ok(Value::Array(vec![]));
    }
    let items = group
        .pending
        .range(start..=end)
        .filter(|(_, p)| consumer.is_none_or(|c| p.consumer == *c))
        .filter(|(_, p)| min_idle.is_none_or(|m| now.saturating_sub(p.delivered_at) >= m))
        .take(count)
        .map(|(id, p)| {
            Value::Array(vec![
                bulk(id.text()),
                bulk(p.consumer.clone()),
                int(now.saturating_sub(p.delivered_at)),
                int(p.deliveries),
            ])
        })
        .collect();
    Ok(Value::Array(items))
}

/// A range bound as XPENDING takes it (`-`, `+`, `(id`, id).
fn bound(arg: &[u8], missing_seq: u64, start: bool) -> Result<Option<StreamId>, String> {
    match arg {
        b"-" => Ok(Some(StreamId::default())),
        b"+" => Ok(Some(StreamId::MAX)),
        [b'(', rest @ ..] => {
            let id = parse_id(rest, missing_seq)?;
            Ok(if start { id.next() } else { id.prev() })
        }
        _ => parse_id(arg, missing_seq).map(Some),
    }
}

fn min_idle(arg: &[u8]) -> Result<u64, String> {
    let n =
        parse_int(arg).map_err(|_| "ERR Invalid min-idle-time argument for XCLAIM".to_owned())?;
    Ok(n.max(0) as u64)
}

fn xclaim(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let (key, name, consumer) = (&args[0], &args[1], &args[2]);
    let min = min_idle(&args[3])?;
    let mut ids = Vec::new();
    let mut i = 4;
    while i < args.len() {
        match parse_id(&args[i], 0) {
            Ok(id) => ids.push(id),
            Err(_) => break,
        }
        i += 1;
    }
    let now = ctx.now_ms;
    let (mut idle, mut time, mut retry, mut force, mut justid) = (None, None, None, false, false);
    let mut lastid = None;
    while i < args.len() {
        let a = &args[i];
        let val = |i: usize| args.get(i + 1).ok_or_else(|| SYNTAX.to_owned());
        if is(a, "IDLE") {
            idle = Some(parse_int(val(i)?)?.max(0) as u64);
            i += 2;
        } else if is(a, "TIME") {
            time = Some(parse_int(val(i)?)?.max(0) as u64);
            i += 2;
        } else if is(a, "RETRYCOUNT") {
            retry = Some(parse_int(val(i)?)?.max(0) as u64);
            i += 2;
        } else if is(a, "FORCE") {
            force = true;
            i += 1;
        } else if is(a, "JUSTID") {
            justid = true;
            i += 1;
        } else if is(a, "LASTID") {
            lastid = Some(parse_id(val(i)?, 0)?);
            i += 2;
        } else {
            return Err(format!("ERR Unrecognized XCLAIM option '{}'", text(a)));
        }
    }
    let delivered_at = match (idle, time) {
        (Some(idle), _) => now.saturating_sub(idle),
        (None, Some(t)) => t,
        (None, None) => now,
    };
    let (entries, group) = claim_target(ctx, key, name)?;
    if let Some(l) = lastid {
        if l > group.last_id {
            group.last_id = l;
        }
    }
    group.consumer(consumer, now).0.seen_at = now;
    let mut out = Vec::new();
    for id in ids {
        let pending = group.pending.get(&id).cloned();
        let pending = match pending {
            Some(p) => p,
            None if force && entries.contains_key(&id) => super::stream::Pending {
                consumer: consumer.to_vec(),
                delivered_at: now,
                deliveries: 0,
            },
            None => continue,
        };
        if !entries.contains_key(&id) {
            // Deleted entries leave the pending list and are not returned.
            group.ack(id);
            continue;
        }
        if min > 0 && now.saturating_sub(pending.delivered_at) < min {
            continue;
        }
        let deliveries = retry.unwrap_or(if justid {
            pending.deliveries
        } else {
            pending.deliveries + 1
        });
        group.assign(id, consumer, delivered_at, deliveries);
        out.push(if justid {
            bulk(id.text())
        } else {
            entry_reply(id, entries.get(&id))
        });
    }
    Ok(Value::Array(out))
}

fn xautoclaim(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let (key, name, consumer) = (&args[0], &args[1], &args[2]);
    let min = min_idle(&args[3])?;
    let start = bound(&args[4], 0, true)?
        .ok_or_else(|| "ERR invalid start ID for the interval".to_owned())?;
    let mut count = 100usize;
    let mut justid = false;
    let mut i = 5;
    while i < args.len() {
        if is(&args[i], "COUNT") {
            let n = parse_int(args.get(i + 1).ok_or_else(|| SYNTAX.to_owned())?)?;
            if !(1..=i64::MAX / 10).contains(&n) {
                return Err("ERR COUNT must be > 0".to_owned());
            }
            count = usize::try_from(n).unwrap_or(usize::MAX);
            i += 2;
        } else if is(&args[i], "JUSTID") {
            justid = true;
            i += 1;
        } else {
            return Err(SYNTAX.to_owned());
        }
    }
    let now = ctx.now_ms;
    let (entries, group) = claim_target(ctx, key, name)?;
    group.consumer(consumer, now).0.seen_at = now;
    // Redis scans at most count*10 pending entries per call.
    let mut attempts = count.saturating_mul(10);
    let mut claimed = Vec::new();
    let mut deleted = Vec::new();
    let mut next = StreamId::default();
    let candidates: Vec<StreamId> = group.pending.range(start..).map(|(id, _)| *id).collect();
    let mut iter = candidates.into_iter();
    loop {
        if attempts == 0 || claimed.len() >= count {
            next = iter.next().unwrap_or_default();
            break;
        }
        let Some(id) = iter.next() else { break };
        attempts -= 1;
        if !entries.contains_key(&id) {
            group.ack(id);
            deleted.push(bulk(id.text()));
            continue;
        }
        let Some(p) = group.pending.get(&id) else {
            continue;
        };
        if min > 0 && now.saturating_sub(p.delivered_at) < min {
            continue;
        }
        let deliveries = if justid {
            p.deliveries
        } else {
            p.deliveries + 1
        };
        group.assign(id, consumer, now, deliveries);
        claimed.push(if justid {
            bulk(id.text())
        } else {
            entry_reply(id, entries.get(&id))
        });
    }
    Ok(Value::Array(vec![
        bulk(next.text()),
        Value::Array(claimed),
        Value::Array(deleted),
    ]))
}

fn xinfo(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let sub = &args[0];
    let arity = |n: usize| {
        if args.len() != n {
            Err(format!(
                "ERR wrong number of arguments for 'xinfo|{}' command",
                text(sub).to_ascii_lowercase()
            ))
        } else {
            Ok(())
        }
    };
    if !(is(sub, "STREAM") || is(sub, "GROUPS") || is(sub, "CONSUMERS")) {
        return Err(format!(
            "ERR unknown subcommand '{}'. Try XINFO HELP.",
            text(sub)
        ));
    }
    if is(sub, "STREAM") && args.len() > 2 {
        return Err("ERR the embedded engine does not support XINFO STREAM FULL".to_owned());
    }
    arity(if is(sub, "CONSUMERS") { 3 } else { 2 })?;
    let now = ctx.now_ms;
    let Some(stream) = ctx.read::<Box<Stream>>(&args[1])? else {
        return Err("ERR no such key".to_owned());
    };
    if is(sub, "STREAM") {
        let entry = |e: Option<(&StreamId, &super::stream::Fields)>| {
            e.map_or(Value::Nil, |(id, f)| entry_reply(*id, Some(f)))
        };
        let nodes = stream
            .entries
            .len()
            .div_ceil(super::stream::NODE_ENTRIES)
            .max(1);
        return Ok(Value::Array(vec![
            bulk("length"),
            int(stream.entries.len()),
            bulk("radix-tree-keys"),
            int(stream.entries.len().div_ceil(super::stream::NODE_ENTRIES)),
            bulk("radix-tree-nodes"),
            int(nodes + 1),
            bulk("last-generated-id"),
            bulk(stream.last_id.text()),
            bulk("max-deleted-entry-id"),
            bulk(stream.max_deleted.text()),
            bulk("entries-added"),
            int(stream.entries_added),
            bulk("recorded-first-entry-id"),
            bulk(stream.first_id().unwrap_or_default().text()),
            bulk("groups"),
            int(stream.groups.len()),
            bulk("first-entry"),
            entry(stream.entries.iter().next()),
            bulk("last-entry"),
            entry(stream.entries.iter().next_back()),
        ]));
    }
    if is(sub, "GROUPS") {
        let groups = stream
            .groups
            .iter()
            .map(|(name, g)| {
                let read = g.entries_read.or_else(|| stream.entries_read_at(g.last_id));
                let lag = read.map_or(Value::Nil, |r| int(stream.entries_added.saturating_sub(r)));
                let read = g.entries_read;
                Value::Array(vec![
                    bulk("name"),
                    bulk(name.clone()),
                    bulk("consumers"),
                    int(g.consumers.len()),
                    bulk("pending"),
                    int(g.pending.len()),
                    bulk("last-delivered-id"),
                    bulk(g.last_id.text()),
                    bulk("entries-read"),
                    read.map_or(Value::Nil, int),
                    bulk("lag"),
                    lag,
                ])
            })
            .collect();
        return Ok(Value::Array(groups));
    }
    let group = stream
        .groups
        .get(args[2].as_slice())
        .ok_or_else(|| nogroup(&args[1], &args[2]))?;
    let consumers = group
        .consumers
        .iter()
        .map(|(name, c)| {
            Value::Array(vec![
                bulk("name"),
                bulk(name.clone()),
                bulk("pending"),
                int(group.owned_count(name)),
                bulk("idle"),
                int(now.saturating_sub(c.seen_at)),
            ])
        })
        .collect();
    Ok(Value::Array(consumers))
}

/// XCLAIM's and XAUTOCLAIM's error for a missing stream or group.
/// XCLAIM's and XAUTOCLAIM's target: the stream's entries and the group,
/// or Redis's NOGROUP text for either missing.
fn claim_target<'c>(
    ctx: &'c mut Ctx<'_>,
    key: &[u8],
    name: &[u8],
) -> Result<(&'c BTreeMap<StreamId, Fields>, &'c mut Group), String> {
    let stream = ctx
        .read_mut::<Box<Stream>>(key)?
        .ok_or_else(|| claim_missing(key, name))?;
    let Stream {
        entries, groups, ..
    } = &mut **stream;
    let group = groups
        .get_mut(name)
        .ok_or_else(|| claim_missing(key, name))?;
    Ok((entries, group))
}

fn claim_missing(key: &[u8], group: &[u8]) -> String {
    format!(
        "NOGROUP No such key '{}' or consumer group '{}'",
        text(key),
        text(group)
    )
}
