//! `redis.call` / `redis.pcall`: one command of a script, dispatched through
//! the engine's command table with Redis's checks and texts for scripts.
//!
//! Must not: bypass the command table, or let a script run script or
//! transaction commands (Redis refuses them from scripts too).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::catalog::Flags;
use crate::mock::ctx::{Ctx, Reply};
use crate::mock::{command_table, CommandSpec};

/// The engine's command table, built once for all scripts.
fn table() -> &'static HashMap<&'static str, CommandSpec> {
    static TABLE: OnceLock<HashMap<&'static str, CommandSpec>> = OnceLock::new();
    TABLE.get_or_init(command_table)
}

/// Runs one command of a script; the flag says whether a text reply is a
/// status. `read_only`: EVAL_RO, FCALL_RO or a `no-writes` script.
pub fn dispatch(ctx: &mut Ctx<'_>, parts: &[Vec<u8>], read_only: bool) -> (Reply, bool) {
    let Some(name) = parts.first() else {
        return (
            Err("ERR Please specify at least one argument for this redis lib call".to_owned()),
            false,
        );
    };
    let lower = String::from_utf8_lossy(name).to_ascii_lowercase();
    let Some(spec) = table().get(lower.as_str()).copied() else {
        return (
            Err("ERR Unknown Redis command called from script".to_owned()),
            false,
        );
    };
    if !spec.record.arity_accepts(parts.len()) {
        return (
            Err("ERR Wrong number of args calling Redis command from script".to_owned()),
            false,
        );
    }
    // Redis's own rules: `noscript` commands are refused, and read-only
    // scripts refuse `write` commands (the catalogue's Redis flags).
    if spec.record.flags.has(Flags::NOSCRIPT) {
        return (
            Err("ERR This Redis command is not allowed from script".to_owned()),
            false,
        );
    }
    if read_only && spec.record.flags.has(Flags::WRITE) {
        return (
            Err("ERR Write commands are not allowed from read-only scripts.".to_owned()),
            false,
        );
    }
    let mut inner = Ctx {
        db: &mut *ctx.db,
        pubsub: ctx.pubsub,
        now_ms: ctx.now_ms,
        name: spec.name,
    };
    let reply = (spec.handler)(&mut inner, &parts[1..]);
    // PING with a message answers it as a bulk string, not a status.
    let status =
        spec.record.flags.has(Flags::STATUS_REPLY) && !(spec.name == "ping" && parts.len() > 1);
    (reply, status)
}
