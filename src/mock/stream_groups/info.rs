//! XINFO: what a stream, its groups and a group's consumers look like.
//!
//! Owns: XINFO STREAM, GROUPS and CONSUMERS replies, field by field as
//! Redis 7.0 prints them. Must not: change anything (it only reads), or
//! answer XINFO STREAM FULL (refused with an error).

use super::{int, nogroup, text};
use crate::mock::ctx::{bulk, is, Ctx, Reply};
use crate::mock::stream::{Fields, Stream, StreamId, NODE_ENTRIES};
use crate::mock::streams::entry_reply;
use crate::protocol::Value;

pub(super) fn xinfo(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
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
        let entry = |e: Option<(&StreamId, &Fields)>| {
            e.map_or(Value::Nil, |(id, f)| entry_reply(*id, Some(f)))
        };
        let nodes = stream.entries.len().div_ceil(NODE_ENTRIES).max(1);
        return Ok(Value::Array(vec![
            bulk("length"),
            int(stream.entries.len()),
            bulk("radix-tree-keys"),
            int(stream.entries.len().div_ceil(NODE_ENTRIES)),
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
