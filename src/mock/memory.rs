//! MEMORY USAGE: how many bytes a key takes, estimated from the engine's
//! own layout (Redis's figure depends on its allocator and encodings, so
//! neither is byte-exact; both count the key, the value and per-element
//! overhead, and grow with the data).
//!
//! Owns: the estimate and MEMORY's subcommands. Must not: change data.

use super::args::ArgError;
use super::ctx::{arity_error, Ctx, Reply};
use super::db::Data;
use super::Registration;
use crate::protocol::Value;

pub(super) const COMMANDS: &[Registration] = &[("memory", memory)];

/// Bytes of bookkeeping per key (the table entry, the value's header).
const PER_KEY: usize = 48;
/// Bytes of bookkeeping per element of an aggregate.
const PER_ELEMENT: usize = 16;

/// `MEMORY USAGE key [SAMPLES n]`, `MEMORY PURGE`; other subcommands are
/// not the engine's to answer.
fn memory(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let sub = a.arg()?;
    if sub.eq_ignore_ascii_case(b"PURGE") {
        a.finish()?;
        return Ok(Value::Okay);
    }
    if !sub.eq_ignore_ascii_case(b"USAGE") {
        return Err(format!(
            "ERR unknown subcommand '{}'. Try MEMORY HELP.",
            String::from_utf8_lossy(sub)
        ));
    }
    let key = a.arg().map_err(|_| arity_error("memory|usage"))?;
    // SAMPLES only bounds how many elements Redis looks at; the engine
    // counts them all.
    if a.eat("SAMPLES") && a.int()? < 0 {
        return Err(ArgError::Syntax.into());
    }
    a.finish()?;
    Ok(match ctx.entry(key) {
        Some(e) => Value::Int(i64::try_from(estimate(key, &e.data)).unwrap_or(i64::MAX)),
        None => Value::Nil,
    })
}

/// The estimated bytes of `key` holding `data`.
fn estimate(key: &[u8], data: &Data) -> usize {
    let elements =
        |sizes: &mut dyn Iterator<Item = usize>| -> usize { sizes.map(|n| n + PER_ELEMENT).sum() };
    let value = match data {
        Data::Str(s) => s.len(),
        Data::List(l) => elements(&mut l.iter().map(Vec::len)),
        Data::Hash(h) => elements(&mut h.iter().map(|(f, v)| f.len() + v.len())),
        Data::Set(s) => elements(&mut s.iter().map(Vec::len)),
        Data::ZSet(z) => elements(&mut z.iter().map(|(m, _)| m.len() + 8)),
        Data::Stream(s) => elements(
            &mut s
                .entries
                .values()
                .map(|fields| fields.iter().map(|(f, v)| f.len() + v.len()).sum::<usize>() + 16),
        ),
    };
    PER_KEY + key.len() + value
}

#[cfg(test)]
mod tests {
    use crate::mock::test_support::{engine, run};
    use crate::protocol::Value;

    fn usage(e: &crate::mock::Engine, key: &str) -> i64 {
        match run(e, &["MEMORY", "USAGE", key]) {
            Ok(Value::Int(n)) => n,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn usage_grows_with_the_data_and_misses_are_nil() {
        let e = engine();
        assert_eq!(run(&e, &["MEMORY", "USAGE", "nosuch"]), Ok(Value::Nil));
        run(&e, &["SET", "s", "bar"]).unwrap();
        let small = usage(&e, "s");
        run(&e, &["SET", "s", &"x".repeat(1000)]).unwrap();
        assert!(usage(&e, "s") >= small + 997);
        for kind in [["RPUSH", "l"], ["SADD", "st"], ["HSET", "h"]] {
            run(&e, &[kind[0], kind[1], "a", "b"]).unwrap();
            let before = usage(&e, kind[1]);
            run(&e, &[kind[0], kind[1], "ccccc", "ddddd"]).unwrap();
            assert!(usage(&e, kind[1]) > before, "{kind:?}");
        }
        run(&e, &["ZADD", "z", "1", "m"]).unwrap();
        run(&e, &["XADD", "x", "*", "f", "v"]).unwrap();
        assert!(usage(&e, "z") > 48 && usage(&e, "x") > 48);
        assert!(matches!(
            run(&e, &["MEMORY", "USAGE", "s", "SAMPLES", "0"]),
            Ok(Value::Int(_))
        ));
    }

    #[test]
    fn errors_are_redis_texts() {
        let e = engine();
        assert_eq!(run(&e, &["MEMORY", "PURGE"]), Ok(Value::Okay));
        assert_eq!(
            run(&e, &["MEMORY", "USAGE"]),
            Err("ERR wrong number of arguments for 'memory|usage' command".to_owned())
        );
        assert_eq!(
            run(&e, &["MEMORY", "USAGE", "k", "SAMPLES", "x"]),
            Err("ERR value is not an integer or out of range".to_owned())
        );
        assert_eq!(
            run(&e, &["MEMORY", "USAGE", "k", "OTHER"]),
            Err("ERR syntax error".to_owned())
        );
        assert_eq!(
            run(&e, &["MEMORY", "NOSUCH"]),
            Err("ERR unknown subcommand 'NOSUCH'. Try MEMORY HELP.".to_owned())
        );
    }

    #[test]
    fn flushall_empties_the_keyspace_with_or_without_a_mode() {
        let e = engine();
        for mode in [None, Some("ASYNC"), Some("sync")] {
            run(&e, &["SET", "k", "v"]).unwrap();
            let mut cmd = vec!["FLUSHALL"];
            cmd.extend(mode);
            assert_eq!(run(&e, &cmd), Ok(Value::Okay));
            assert_eq!(run(&e, &["DBSIZE"]), Ok(Value::Int(0)));
        }
        assert_eq!(
            run(&e, &["FLUSHALL", "LATER"]),
            Err("ERR syntax error".to_owned())
        );
    }
}
