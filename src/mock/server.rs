//! Server commands the REST protocol allows: PING, ECHO, TIME, DBSIZE,
//! FLUSHDB and FLUSHALL (one database: the same).

use super::ctx::{arity_error, bulk, bulk_array, is, Ctx, Reply, SYNTAX};
use super::Registration;
use crate::protocol::Value;

pub(super) const COMMANDS: &[Registration] = &[
    ("ping", ping),
    ("echo", echo),
    ("time", time),
    ("dbsize", dbsize),
    ("flushdb", flushdb),
    ("flushall", flushdb),
];

fn ping(_: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    match args {
        [] => Ok(bulk("PONG")),
        [message] => Ok(bulk(message.clone())),
        _ => Err(arity_error("ping")),
    }
}

fn echo(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let message = ctx.args(args).arg()?;
    Ok(bulk(message.to_vec()))
}

fn time(ctx: &mut Ctx<'_>, _: &[Vec<u8>]) -> Reply {
    let secs = ctx.now_ms / 1000;
    let micros = (ctx.now_ms % 1000) * 1000;
    Ok(bulk_array([secs.to_string(), micros.to_string()]))
}

fn dbsize(ctx: &mut Ctx<'_>, _: &[Vec<u8>]) -> Reply {
    ctx.db.purge_all_expired(ctx.now_ms);
    Ok(Value::Int(i64::try_from(ctx.db.len()).unwrap_or(i64::MAX)))
}

fn flushdb(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    match args {
        [] => {}
        [mode] if is(mode, "SYNC") || is(mode, "ASYNC") => {}
        _ => return Err(SYNTAX.to_owned()),
    }
    ctx.db.clear();
    Ok(Value::Okay)
}
