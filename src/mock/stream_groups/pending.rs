//! The pending entries list: inspecting it (XPENDING) and transferring
//! entries between consumers (XCLAIM, XAUTOCLAIM).
//!
//! Owns: XPENDING's summary and extended forms, the claiming rules (idle
//! times, delivery counts, FORCE, deleted entries leaving the list) and
//! their error texts. Must not: deliver new entries or manage groups and
//! consumers (`read`, `groups`).

use std::collections::BTreeMap;

use super::{int, text};
use crate::mock::ctx::{bulk, is, parse_int, Ctx, Reply, SYNTAX};
use crate::mock::stream::{parse_id, Fields, Group, Pending, Stream, StreamId};
use crate::mock::streams::entry_reply;
use crate::protocol::Value;

pub(super) fn xpending(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
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

pub(super) fn xclaim(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
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
            None if force && entries.contains_key(&id) => Pending {
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
        let claim = Claim {
            consumer,
            delivered_at,
            justid,
        };
        out.push(claim.take(
            group,
            entries,
            id,
            retry.unwrap_or(claim.deliveries(&pending)),
        ));
    }
    Ok(Value::Array(out))
}

pub(super) fn xautoclaim(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
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
        let claim = Claim {
            consumer,
            delivered_at: now,
            justid,
        };
        let deliveries = claim.deliveries(p);
        claimed.push(claim.take(group, entries, id, deliveries));
    }
    Ok(Value::Array(vec![
        bulk(next.text()),
        Value::Array(claimed),
        Value::Array(deleted),
    ]))
}

/// XCLAIM's and XAUTOCLAIM's target: the stream's entries and the group,
/// or Redis's NOGROUP text for either missing.
/// How XCLAIM and XAUTOCLAIM hand a pending entry to a consumer.
struct Claim<'a> {
    consumer: &'a [u8],
    delivered_at: u64,
    /// JUSTID: reply with the ID only, and leave the delivery count as is.
    justid: bool,
}

impl Claim<'_> {
    /// The delivery count after this claim.
    fn deliveries(&self, pending: &Pending) -> u64 {
        pending.deliveries + u64::from(!self.justid)
    }

    /// Assigns `id` to the consumer and returns its reply element.
    fn take(
        &self,
        group: &mut Group,
        entries: &BTreeMap<StreamId, Fields>,
        id: StreamId,
        deliveries: u64,
    ) -> Value {
        group.assign(id, self.consumer, self.delivered_at, deliveries);
        if self.justid {
            bulk(id.text())
        } else {
            entry_reply(id, entries.get(&id))
        }
    }
}

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

/// XCLAIM's and XAUTOCLAIM's error for a missing stream or group.
fn claim_missing(key: &[u8], group: &[u8]) -> String {
    format!(
        "NOGROUP No such key '{}' or consumer group '{}'",
        text(key),
        text(group)
    )
}
