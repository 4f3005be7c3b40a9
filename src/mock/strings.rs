//! String commands.

use super::ctx::{bulk, parse_int, Ctx, Reply, NOT_INTEGER};
use super::db::Data;
use super::CommandSpec;
use crate::protocol::Value;

pub(super) const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "get",
        arity: 2,
        handler: get,
    },
    CommandSpec {
        name: "set",
        arity: -3,
        handler: set,
    },
    CommandSpec {
        name: "incr",
        arity: 2,
        handler: incr,
    },
];

fn get(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    Ok(ctx
        .get_str(&args[0])?
        .map_or(Value::Nil, |s| bulk(s.clone())))
}

// TODO(engine helper): all SET options (NX XX GET EX PX EXAT PXAT KEEPTTL).
fn set(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    ctx.db
        .insert(args[0].clone(), Data::Str(args[1].clone()), None);
    Ok(Value::Okay)
}

fn incr(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    incr_by(ctx, &args[0], 1)
}

/// Adds `by` to the integer at `key`, keeping its TTL, as INCR/INCRBY/DECR* do.
fn incr_by(ctx: &mut Ctx<'_>, key: &[u8], by: i64) -> Reply {
    let current = match ctx.get_str(key)? {
        Some(s) => parse_int(s)?,
        None => 0,
    };
    let next = current
        .checked_add(by)
        .ok_or_else(|| "ERR increment or decrement would overflow".to_owned())?;
    match ctx.entry_mut(key) {
        Some(e) => e.data = Data::Str(next.to_string().into_bytes()),
        None => ctx
            .db
            .insert(key.to_vec(), Data::Str(next.to_string().into_bytes()), None),
    }
    let _ = NOT_INTEGER;
    Ok(Value::Int(next))
}
