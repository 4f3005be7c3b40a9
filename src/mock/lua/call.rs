//! `redis.call` / `redis.pcall`: one command of a script, dispatched through
//! the engine's command table with Redis's checks and texts for scripts.
//!
//! Must not: bypass the command table, or let a script run script or
//! transaction commands (Redis refuses them from scripts too).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::mock::ctx::{Ctx, Reply};
use crate::mock::{families, CommandSpec};
use crate::protocol::read_only::is_read_only;

/// Commands Redis refuses inside a script.
const NOT_IN_SCRIPTS: &[&str] = &[
    "eval",
    "evalsha",
    "eval_ro",
    "evalsha_ro",
    "fcall",
    "fcall_ro",
    "script",
    "function",
    "multi",
    "exec",
    "discard",
    "watch",
    "unwatch",
    "subscribe",
    "psubscribe",
    "unsubscribe",
    "punsubscribe",
    "monitor",
];

/// Commands that only read but are missing from the REST read-only list
/// (which exists for retry decisions, not for scripts).
const ALSO_READS: &[&str] = &[
    "lcs",
    "substr",
    "xinfo",
    "xpending",
    "touch",
    "sort_ro",
    "bitfield_ro",
    "object",
    "publish",
    "georadius_ro",
    "georadiusbymember_ro",
];

/// Commands whose text reply is a status, which Lua sees as `{ok=...}`.
const STATUS_REPLIES: &[&str] = &["type", "ping"];

fn table() -> &'static HashMap<&'static str, &'static CommandSpec> {
    static TABLE: OnceLock<HashMap<&'static str, &'static CommandSpec>> = OnceLock::new();
    TABLE.get_or_init(|| {
        families()
            .into_iter()
            .flatten()
            .map(|s| (s.name, s))
            .collect()
    })
}

/// True when the command may change data (refused in read-only scripts).
fn writes(name: &str) -> bool {
    !(is_read_only(name) || ALSO_READS.contains(&name))
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
    let n = i32::try_from(parts.len()).unwrap_or(i32::MAX);
    let arity_ok = if spec.arity >= 0 {
        n == spec.arity
    } else {
        n >= -spec.arity
    };
    if !arity_ok {
        return (
            Err("ERR Wrong number of args calling Redis command from script".to_owned()),
            false,
        );
    }
    if NOT_IN_SCRIPTS.contains(&spec.name) {
        return (
            Err("ERR This Redis command is not allowed from script".to_owned()),
            false,
        );
    }
    if read_only && writes(spec.name) {
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
    let status =
        STATUS_REPLIES.contains(&spec.name) && parts.len() == 1 + usize::from(spec.name == "type");
    (reply, status)
}
