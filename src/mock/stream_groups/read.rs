//! XREADGROUP and XACK: delivering entries to a group's consumers and
//! acknowledging them.
//!
//! Owns: what a read hands out (new entries with `>`, or the consumer's own
//! pending history) and how that moves the group's last ID and pending list.
//! Must not: block (XREADGROUP BLOCK answers at once, as a timed-out read;
//! waiting is edgestash-server's, see `protocol::blocking`), or inspect or
//! transfer pending entries (`pending`).

use super::{int, text};
use crate::mock::ctx::{bulk, is, Ctx, Reply, SYNTAX};
use crate::mock::stream::{parse_id, Counters, Stream, StreamId};
use crate::mock::streams::{entry_reply, parse_read};
use crate::protocol::Value;

pub(super) fn xreadgroup(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
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
        let counters = Counters::of(stream);
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

pub(super) fn xack(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
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
