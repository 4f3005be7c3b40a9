//! Key commands.

use super::ctx::{Ctx, Reply};
use super::CommandSpec;
use crate::protocol::Value;

pub(super) const COMMANDS: &[CommandSpec] = &[CommandSpec {
    name: "del",
    arity: -2,
    handler: del,
}];

fn del(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut n = 0;
    for key in args {
        if ctx.entry(key).is_some() {
            ctx.db.remove(key);
            n += 1;
        }
    }
    Ok(Value::Int(n))
}
