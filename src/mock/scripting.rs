//! EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT and PUBLISH in the engine.
//!
//! edgestash's own scripts ([`crate::scripts::ALL`]), recognised by SHA-1,
//! keep a native fast path ([`NATIVE`]). Any other script runs in the
//! engine's Lua ([`super::lua`], feature `lua`); a build without it answers
//! [`super::lua::NO_LUA`]. Redis's script cache semantics hold: EVALSHA of
//! a script not yet loaded answers NOSCRIPT, so clients' EVAL fallback is
//! exercised here exactly as against Redis.

use super::ctx::{bulk, is, ArgError, Args, Ctx, Reply, SYNTAX};
use super::lua::exec;
use super::Registration;
use crate::protocol::Value;
use crate::scripts::{self, ScriptSource};

/// A native equivalent of one script: `(ctx, KEYS, ARGV)`.
pub type NativeScript = fn(&mut Ctx<'_>, &[Vec<u8>], &[Vec<u8>]) -> Reply;

/// The native equivalents, one per entry of [`scripts::ALL`].
pub const NATIVE: &[(&ScriptSource, NativeScript)] = &[
    (
        &scripts::RATELIMIT_FIXED_WINDOW,
        super::ratelimit_scripts::fixed_window,
    ),
    (
        &scripts::RATELIMIT_SLIDING_WINDOW,
        super::ratelimit_scripts::sliding_window,
    ),
    (
        &scripts::RATELIMIT_TOKEN_BUCKET,
        super::ratelimit_scripts::token_bucket,
    ),
];

pub(super) const COMMANDS: &[Registration] = &[
    ("eval", eval),
    ("evalsha", evalsha),
    ("eval_ro", eval_ro),
    ("evalsha_ro", evalsha_ro),
    ("script", script),
    ("publish", publish),
];

const NOSCRIPT: &str = "NOSCRIPT No matching script. Please use EVAL.";

fn native(sha1: &str) -> Option<NativeScript> {
    NATIVE.iter().find(|(s, _)| s.sha1 == sha1).map(|(_, f)| *f)
}

/// KEYS and ARGV of a script call.
type KeysAndArgs<'a> = (&'a [Vec<u8>], &'a [Vec<u8>]);

/// Reads `numkeys key... arg...` (the rest of the arguments) with Redis's
/// checks and texts.
pub(super) fn split_keys<'a>(a: &mut Args<'a>) -> Result<KeysAndArgs<'a>, ArgError> {
    let n = a.int()?;
    if n < 0 {
        return Err(ArgError::Command("ERR Number of keys can't be negative"));
    }
    let n = usize::try_from(n).unwrap_or(usize::MAX);
    let keys = a.take(n).ok_or(ArgError::Command(
        "ERR Number of keys can't be greater than number of args",
    ))?;
    Ok((keys, a.rest()))
}

fn eval(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    eval_body(ctx, args, false)
}

fn eval_ro(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    eval_body(ctx, args, true)
}

fn evalsha(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    eval_sha(ctx, args, false)
}

fn evalsha_ro(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    eval_sha(ctx, args, true)
}

/// EVAL / EVAL_RO: the native fast path for edgestash's own scripts (which
/// write, so not under `_RO`), Lua for the rest.
fn eval_body(ctx: &mut Ctx<'_>, args: &[Vec<u8>], ro: bool) -> Reply {
    let mut a = ctx.args(args);
    let body = a.arg()?;
    let (keys, argv) = split_keys(&mut a)?;
    let sha1 = scripts::sha1_hex(body);
    match native(&sha1) {
        Some(run) if !ro => {
            ctx.db.scripts.insert(sha1, body);
            run(ctx, keys, argv)
        }
        _ => exec::eval(ctx, &sha1, body, keys, argv, ro),
    }
}

/// EVALSHA / EVALSHA_RO of a cached script.
fn eval_sha(ctx: &mut Ctx<'_>, args: &[Vec<u8>], ro: bool) -> Reply {
    let mut a = ctx.args(args);
    let sha1 = String::from_utf8_lossy(a.arg()?).to_ascii_lowercase();
    let (keys, argv) = split_keys(&mut a)?;
    let body = match ctx.db.scripts.body(&sha1) {
        Some(body) => body.to_vec(),
        None => return Err(NOSCRIPT.to_owned()),
    };
    match native(&sha1) {
        Some(run) if !ro => run(ctx, keys, argv),
        _ => exec::eval(ctx, &sha1, &body, keys, argv, ro),
    }
}

fn script(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let sub = a.arg()?;
    let rest = a.rest();
    match (sub.to_ascii_uppercase().as_slice(), rest) {
        (b"EXISTS", [_, ..]) => {
            let known = rest
                .iter()
                .map(|s| {
                    let sha1 = String::from_utf8_lossy(s).to_ascii_lowercase();
                    Value::Int(i64::from(ctx.db.scripts.contains(&sha1)))
                })
                .collect();
            Ok(Value::Array(known))
        }
        (b"LOAD", [body]) => {
            let sha1 = scripts::sha1_hex(body);
            if native(&sha1).is_some() {
                ctx.db.scripts.insert(sha1.clone(), body);
            } else {
                exec::load_script(ctx, &sha1, body)?;
            }
            Ok(bulk(sha1))
        }
        (b"FLUSH", [] | [_]) => {
            if let [mode] = rest {
                if !(is(mode, "SYNC") || is(mode, "ASYNC")) {
                    return Err(SYNTAX.to_owned());
                }
            }
            ctx.db.scripts.flush_scripts();
            Ok(Value::Okay)
        }
        // A script runs under the engine's lock, start to end: none is
        // ever running when another command arrives.
        (b"KILL", []) => Err("NOTBUSY No scripts in execution right now.".to_owned()),
        (b"EXISTS" | b"LOAD" | b"FLUSH" | b"KILL", _) => Err(format!(
            "ERR wrong number of arguments for 'script|{}' command",
            String::from_utf8_lossy(sub).to_ascii_lowercase()
        )),
        _ => Err(format!(
            "ERR unknown subcommand '{}'. Try SCRIPT HELP.",
            String::from_utf8_lossy(sub)
        )),
    }
}

/// PUBLISH: delivers to the engine's in-process subscriptions and answers
/// how many received it.
fn publish(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (channel, message) = (a.arg()?, a.arg()?);
    Ok(Value::Int(ctx.pubsub.publish(channel, message)))
}

#[cfg(test)]
mod tests {
    use crate::mock::test_support::run;
    use std::sync::Arc;

    use crate::clock::ManualClock;
    use crate::mock::Engine;
    use crate::protocol::Value;

    #[crate::unit_test]
    fn foreign_scripts_run_in_lua_or_are_refused_with_a_clear_error() {
        let e = Engine::new(Arc::new(ManualClock::new(0)));
        let reply = run(&e, &["EVAL", "return 1", "0"]);
        if cfg!(feature = "lua") {
            assert_eq!(reply, Ok(Value::Int(1)));
        } else {
            let err = reply.unwrap_err();
            assert!(err.contains("no Lua interpreter"), "{err}");
        }
        assert_eq!(
            run(
                &e,
                &["EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"]
            ),
            Err("NOSCRIPT No matching script. Please use EVAL.".to_owned())
        );
        assert_eq!(
            run(&e, &["EVAL", "return 1", "2", "k"]),
            Err("ERR Number of keys can't be greater than number of args".to_owned())
        );
        assert_eq!(
            run(&e, &["EVAL", "return 1", "-1"]),
            Err("ERR Number of keys can't be negative".to_owned())
        );
        assert_eq!(
            run(
                &e,
                &[
                    "SCRIPT",
                    "EXISTS",
                    "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"
                ]
            ),
            Ok(Value::Array(vec![Value::Int(i64::from(cfg!(
                feature = "lua"
            )))]))
        );
        assert_eq!(run(&e, &["PUBLISH", "ch", "m"]), Ok(Value::Int(0)));
        let _sub = e.subscribe(vec![b"ch".to_vec()], vec![b"c*".to_vec()]);
        assert_eq!(run(&e, &["PUBLISH", "ch", "m"]), Ok(Value::Int(2)));
    }
}
