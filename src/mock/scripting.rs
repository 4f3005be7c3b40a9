//! EVAL, EVALSHA, SCRIPT and PUBLISH in the engine.
//!
//! The engine has no Lua interpreter. It runs edgestash's own scripts
//! ([`crate::scripts::ALL`]), recognised by SHA-1, with a native equivalent
//! registered in [`NATIVE`], and refuses any other script with an error that
//! names the limitation. It keeps Redis's script cache semantics: EVALSHA of
//! a script not yet loaded answers NOSCRIPT, so clients' EVAL fallback is
//! exercised here exactly as against Redis.

use super::ctx::{bulk, is, parse_int, Ctx, Reply, SYNTAX};
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
    ("script", script),
    ("publish", publish),
];

const UNSUPPORTED: &str = "ERR the embedded engine (MOCK_REDIS) runs only edgestash's own scripts; this script is not one of them";
const NOSCRIPT: &str = "NOSCRIPT No matching script. Please use EVAL.";

fn native(sha1: &str) -> Option<NativeScript> {
    NATIVE.iter().find(|(s, _)| s.sha1 == sha1).map(|(_, f)| *f)
}

/// KEYS and ARGV of a script call.
type KeysAndArgs<'a> = (&'a [Vec<u8>], &'a [Vec<u8>]);

/// Splits `numkeys key... arg...` with Redis's checks and texts.
fn split_keys(args: &[Vec<u8>]) -> Result<KeysAndArgs<'_>, String> {
    let n = parse_int(&args[0])?;
    if n < 0 {
        return Err("ERR Number of keys can't be negative".to_owned());
    }
    let n = usize::try_from(n).unwrap_or(usize::MAX);
    if n > args.len() - 1 {
        return Err("ERR Number of keys can't be greater than number of args".to_owned());
    }
    Ok(args[1..].split_at(n))
}

fn eval(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let sha1 = scripts::sha1_hex(&args[0]);
    let (keys, argv) = split_keys(&args[1..])?;
    let run = native(&sha1).ok_or_else(|| UNSUPPORTED.to_owned())?;
    ctx.db.scripts.insert(sha1);
    run(ctx, keys, argv)
}

fn evalsha(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let sha1 = String::from_utf8_lossy(&args[0]).to_ascii_lowercase();
    let (keys, argv) = split_keys(&args[1..])?;
    if !ctx.db.scripts.contains(&sha1) {
        return Err(NOSCRIPT.to_owned());
    }
    let run = native(&sha1).ok_or_else(|| NOSCRIPT.to_owned())?;
    run(ctx, keys, argv)
}

fn script(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let sub = &args[0];
    if is(sub, "EXISTS") && args.len() >= 2 {
        let known = args[1..]
            .iter()
            .map(|s| {
                let sha1 = String::from_utf8_lossy(s).to_ascii_lowercase();
                Value::Int(i64::from(ctx.db.scripts.contains(&sha1)))
            })
            .collect();
        Ok(Value::Array(known))
    } else if is(sub, "LOAD") && args.len() == 2 {
        let sha1 = scripts::sha1_hex(&args[1]);
        if native(&sha1).is_none() {
            return Err(UNSUPPORTED.to_owned());
        }
        ctx.db.scripts.insert(sha1.clone());
        Ok(bulk(sha1))
    } else if is(sub, "FLUSH") && args.len() <= 2 {
        if let Some(mode) = args.get(1) {
            if !(is(mode, "SYNC") || is(mode, "ASYNC")) {
                return Err(SYNTAX.to_owned());
            }
        }
        ctx.db.scripts.clear();
        Ok(Value::Okay)
    } else if is(sub, "EXISTS") || is(sub, "LOAD") || is(sub, "FLUSH") {
        Err(format!(
            "ERR wrong number of arguments for 'script|{}' command",
            String::from_utf8_lossy(sub).to_ascii_lowercase()
        ))
    } else {
        Err(format!(
            "ERR unknown subcommand '{}'. Try SCRIPT HELP.",
            String::from_utf8_lossy(sub)
        ))
    }
}

/// PUBLISH: delivers to the engine's in-process subscriptions and answers
/// how many received it.
fn publish(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let (Some(channel), Some(message)) = (args.first(), args.get(1)) else {
        return Err("ERR wrong number of arguments for 'publish' command".to_owned());
    };
    Ok(Value::Int(ctx.pubsub.publish(channel, message)))
}

#[cfg(test)]
mod tests {
    use crate::mock::test_support::run;
    use std::sync::Arc;

    use crate::clock::ManualClock;
    use crate::mock::Engine;
    use crate::protocol::Value;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn foreign_scripts_are_refused_with_a_clear_error() {
        let e = Engine::new(Arc::new(ManualClock::new(0)));
        let err = run(&e, &["EVAL", "return 1", "0"]).unwrap_err();
        assert!(err.contains("only edgestash's own scripts"), "{err}");
        assert_eq!(
            run(
                &e,
                &["EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"]
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
            Ok(Value::Array(vec![Value::Int(0)]))
        );
        assert_eq!(run(&e, &["PUBLISH", "ch", "m"]), Ok(Value::Int(0)));
        let _sub = e.subscribe(vec![b"ch".to_vec()], vec![b"c*".to_vec()]);
        assert_eq!(run(&e, &["PUBLISH", "ch", "m"]), Ok(Value::Int(2)));
    }
}
