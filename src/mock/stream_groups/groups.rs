//! XGROUP: creating, repositioning and destroying a stream's consumer
//! groups, and creating and deleting their consumers.
//!
//! Owns: XGROUP's subcommands, their argument checks and error texts.
//! Must not: deliver, acknowledge or claim entries (`read`, `pending`).

use super::{int, nogroup, text};
use crate::mock::ctx::{is, parse_int, Ctx, Reply, SYNTAX};
use crate::mock::db::Data;
use crate::mock::stream::{parse_id, Group, Stream, StreamId};
use crate::protocol::Value;

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

pub(super) fn xgroup(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
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
