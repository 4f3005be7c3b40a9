//! Hash commands, with Redis 7.0's replies, argument checks and error texts
//! (in Redis's order: argument parsing first where Redis parses first).
//!
//! Must not: keep empty hashes (Redis deletes them) or promise any field
//! order (Redis promises none either).

use std::collections::HashMap;

use super::ctx::{bulk, bulk_array, is, parse_int, Ctx, Reply, NOT_FLOAT, SYNTAX, WRONGTYPE};
use super::db::{Data, Entry};
use super::hscan::{hscan_page, parse_cursor, ScanOptions};
use super::long_double::LongDouble;
use super::Registration;
use crate::protocol::Value;

type Hash = HashMap<Vec<u8>, Vec<u8>>;

pub(super) const COMMANDS: &[Registration] = &[
    ("hset", hset),
    ("hmset", hmset),
    ("hsetnx", hsetnx),
    ("hget", hget),
    ("hmget", hmget),
    ("hgetall", hgetall),
    ("hdel", hdel),
    ("hexists", hexists),
    ("hincrby", hincrby),
    ("hincrbyfloat", hincrbyfloat),
    ("hkeys", hkeys),
    ("hvals", hvals),
    ("hlen", hlen),
    ("hstrlen", hstrlen),
    ("hrandfield", hrandfield),
    ("hscan", hscan),
];

fn hset(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let added = set_pairs(ctx, args)?;
    Ok(Value::Int(added))
}

fn hmset(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    set_pairs(ctx, args)?;
    Ok(Value::Okay)
}

/// Stores field/value pairs; the number of fields that were new.
fn set_pairs(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Result<i64, String> {
    let (key, pairs) = args.split_first().ok_or_else(|| ctx.arity_error())?;
    if pairs.is_empty() || pairs.len() % 2 != 0 {
        return Err(ctx.arity_error());
    }
    let hash = ctx.write::<Hash>(key)?;
    let mut added = 0;
    for pair in pairs.chunks_exact(2) {
        if let [field, value] = pair {
            if hash.insert(field.clone(), value.clone()).is_none() {
                added += 1;
            }
        }
    }
    Ok(added)
}

fn hsetnx(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let hash = ctx.write::<Hash>(&args[0])?;
    if hash.contains_key(&args[1]) {
        return Ok(Value::Int(0));
    }
    hash.insert(args[1].clone(), args[2].clone());
    Ok(Value::Int(1))
}

fn hget(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    Ok(ctx
        .read::<Hash>(&args[0])?
        .and_then(|h| h.get(&args[1]))
        .map_or(Value::Nil, |v| bulk(v.clone())))
}

fn hmget(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let hash = ctx.read::<Hash>(&args[0])?;
    Ok(Value::Array(
        args[1..]
            .iter()
            .map(|f| {
                hash.and_then(|h| h.get(f))
                    .map_or(Value::Nil, |v| bulk(v.clone()))
            })
            .collect(),
    ))
}

fn hgetall(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let hash = ctx.read::<Hash>(&args[0])?;
    Ok(bulk_array(
        hash.into_iter()
            .flatten()
            .flat_map(|(f, v)| [f.clone(), v.clone()]),
    ))
}

fn hkeys(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let hash = ctx.read::<Hash>(&args[0])?;
    Ok(bulk_array(hash.into_iter().flat_map(|h| h.keys().cloned())))
}

fn hvals(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let hash = ctx.read::<Hash>(&args[0])?;
    Ok(bulk_array(
        hash.into_iter().flat_map(|h| h.values().cloned()),
    ))
}

fn hlen(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let len = ctx.read::<Hash>(&args[0])?.map_or(0, HashMap::len);
    Ok(Value::Int(i64::try_from(len).unwrap_or(i64::MAX)))
}

fn hstrlen(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let len = ctx
        .read::<Hash>(&args[0])?
        .and_then(|h| h.get(&args[1]))
        .map_or(0, Vec::len);
    Ok(Value::Int(i64::try_from(len).unwrap_or(i64::MAX)))
}

fn hexists(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let found = ctx
        .read::<Hash>(&args[0])?
        .is_some_and(|h| h.contains_key(&args[1]));
    Ok(Value::Int(i64::from(found)))
}

fn hdel(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = &args[0];
    let removed = match ctx.entry_mut(key) {
        None => return Ok(Value::Int(0)),
        Some(Entry {
            data: Data::Hash(h),
            ..
        }) => args[1..].iter().filter(|f| h.remove(*f).is_some()).count(),
        Some(_) => return Err(WRONGTYPE.to_owned()),
    };
    ctx.db.drop_if_empty(key);
    Ok(Value::Int(i64::try_from(removed).unwrap_or(i64::MAX)))
}

fn hincrby(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, field, by) = (a.arg()?, a.arg()?, a.int()?);
    let current = match ctx.read::<Hash>(key)?.and_then(|h| h.get(field)) {
        Some(v) => parse_int(v).map_err(|_| "ERR hash value is not an integer".to_owned())?,
        None => 0,
    };
    let next = current
        .checked_add(by)
        .ok_or_else(|| "ERR increment or decrement would overflow".to_owned())?;
    ctx.write::<Hash>(key)?
        .insert(field.to_vec(), next.to_string().into_bytes());
    Ok(Value::Int(next))
}

fn hincrbyfloat(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let by = LongDouble::parse(&args[2]).ok_or_else(|| NOT_FLOAT.to_owned())?;
    if by.is_infinite() {
        return Err("ERR value is NaN or Infinity".to_owned());
    }
    let current = match ctx.read::<Hash>(&args[0])?.and_then(|h| h.get(&args[1])) {
        Some(v) => {
            LongDouble::parse(v).ok_or_else(|| "ERR hash value is not a float".to_owned())?
        }
        None => LongDouble::zero(),
    };
    let next = current.add(by);
    if next.is_infinite() {
        return Err("ERR increment would produce NaN or Infinity".to_owned());
    }
    let text = next.to_redis_string();
    ctx.write::<Hash>(&args[0])?
        .insert(args[1].clone(), text.clone());
    Ok(bulk(text))
}

/// Largest |count| HRANDFIELD takes with WITHVALUES (Redis: `LONG_MAX/2`).
const MAX_COUNT_WITH_VALUES: i64 = i64::MAX / 2;

fn hrandfield(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let key = &args[0];
    let Some(count_arg) = args.get(1) else {
        return random_field(ctx, key);
    };
    let count = parse_int(count_arg)?;
    if count == i64::MIN {
        return Err(format!(
            "ERR value is out of range, value must between {} and {}",
            -i64::MAX,
            i64::MAX
        ));
    }
    let with_values = match &args[2..] {
        [] => false,
        [word] if is(word, "withvalues") => true,
        _ => return Err(SYNTAX.to_owned()),
    };
    if with_values && !(-MAX_COUNT_WITH_VALUES..=MAX_COUNT_WITH_VALUES).contains(&count) {
        return Err("ERR value is out of range".to_owned());
    }
    let Some(hash) = ctx.read::<Hash>(key)? else {
        return Ok(Value::Array(Vec::new()));
    };
    let fields: Vec<(Vec<u8>, Vec<u8>)> =
        hash.iter().map(|(f, v)| (f.clone(), v.clone())).collect();
    let picks = pick(ctx, fields, count);
    Ok(bulk_array(picks.into_iter().flat_map(|(f, v)| {
        if with_values {
            vec![f, v]
        } else {
            vec![f]
        }
    })))
}

/// HRANDFIELD without a count: one field, or nil.
fn random_field(ctx: &mut Ctx<'_>, key: &[u8]) -> Reply {
    let Some(hash) = ctx.read::<Hash>(key)? else {
        return Ok(Value::Nil);
    };
    let fields: Vec<Vec<u8>> = hash.keys().cloned().collect();
    let i = ctx.db.rng.below(fields.len());
    Ok(fields.get(i).map_or(Value::Nil, |f| bulk(f.clone())))
}

/// Redis's count rules: positive picks distinct fields (all of them when
/// count reaches the size), negative picks |count| times with repeats.
fn pick(
    ctx: &mut Ctx<'_>,
    mut fields: Vec<(Vec<u8>, Vec<u8>)>,
    count: i64,
) -> Vec<(Vec<u8>, Vec<u8>)> {
    if count < 0 {
        let times = usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX);
        let mut out = Vec::new();
        for _ in 0..times {
            let i = ctx.db.rng.below(fields.len());
            if let Some(pair) = fields.get(i) {
                out.push(pair.clone());
            }
        }
        return out;
    }
    let wanted = usize::try_from(count).unwrap_or(usize::MAX);
    if wanted >= fields.len() {
        return fields;
    }
    // Partial Fisher-Yates: the first `wanted` slots become the sample.
    for slot in 0..wanted {
        let j = slot + ctx.db.rng.below(fields.len() - slot);
        fields.swap(slot, j);
    }
    fields.truncate(wanted);
    fields
}

fn hscan(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let cursor = parse_cursor(&args[1])?;
    let Some(hash) = ctx.read::<Hash>(&args[0])? else {
        return Ok(empty_scan());
    };
    let options = ScanOptions::parse(&args[2..])?;
    let (next, items) = hscan_page(hash, cursor, &options);
    Ok(Value::Array(vec![
        bulk(next.to_string()),
        bulk_array(items.into_iter().flat_map(|(f, v)| [f, v])),
    ]))
}

/// `["0", []]`, what SCAN-family commands answer for a missing key.
fn empty_scan() -> Value {
    Value::Array(vec![bulk("0"), Value::Array(Vec::new())])
}

#[cfg(test)]
mod tests {
    use crate::mock::test_support::{b, engine, run};
    use crate::protocol::Value;

    fn sorted(v: Value) -> Vec<Value> {
        let Value::Array(mut items) = v else {
            panic!("not an array: {v:?}")
        };
        items.sort_by_key(|i| match i {
            Value::Bytes(b) => b.clone(),
            other => format!("{other:?}").into_bytes(),
        });
        items
    }

    const WRONG: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";

    #[crate::unit_test]
    fn set_get_and_delete() {
        let e = engine();
        assert_eq!(
            run(&e, &["HSET", "h", "a", "1", "b", "2"]),
            Ok(Value::Int(2))
        );
        assert_eq!(
            run(&e, &["HSET", "h", "a", "9", "c", "3"]),
            Ok(Value::Int(1))
        );
        assert_eq!(run(&e, &["HMSET", "h", "d", "4"]), Ok(Value::Okay));
        assert_eq!(run(&e, &["HGET", "h", "a"]), Ok(b("9")));
        assert_eq!(run(&e, &["HGET", "h", "zz"]), Ok(Value::Nil));
        assert_eq!(
            run(&e, &["HMGET", "h", "a", "zz", "b"]),
            Ok(Value::Array(vec![b("9"), Value::Nil, b("2")]))
        );
        assert_eq!(run(&e, &["HSETNX", "h", "a", "x"]), Ok(Value::Int(0)));
        assert_eq!(run(&e, &["HSETNX", "h", "e", "x"]), Ok(Value::Int(1)));
        assert_eq!(run(&e, &["HLEN", "h"]), Ok(Value::Int(5)));
        assert_eq!(run(&e, &["HSTRLEN", "h", "e"]), Ok(Value::Int(1)));
        assert_eq!(run(&e, &["HEXISTS", "h", "e"]), Ok(Value::Int(1)));
        assert_eq!(
            run(&e, &["HDEL", "h", "a", "a", "zz", "b"]),
            Ok(Value::Int(2))
        );
        assert_eq!(
            sorted(run(&e, &["HKEYS", "h"]).unwrap()),
            vec![b("c"), b("d"), b("e")]
        );
        assert_eq!(run(&e, &["HDEL", "h", "c", "d", "e"]), Ok(Value::Int(3)));
        assert_eq!(run(&e, &["HLEN", "h"]), Ok(Value::Int(0)));
        assert_eq!(run(&e, &["HGETALL", "h"]), Ok(Value::Array(vec![])));
    }

    #[crate::unit_test]
    fn arity_and_type_errors() {
        let e = engine();
        assert_eq!(
            run(&e, &["HSET", "h", "a", "1", "b"]),
            Err("ERR wrong number of arguments for 'hset' command".into())
        );
        assert_eq!(
            run(&e, &["HMSET", "h", "a"]),
            Err("ERR wrong number of arguments for 'hmset' command".into())
        );
        run(&e, &["SET", "s", "x"]).unwrap();
        for cmd in [
            &["HGET", "s", "a"][..],
            &["HSET", "s", "a", "1"],
            &["HLEN", "s"],
            &["HGETALL", "s"],
            &["HDEL", "s", "a"],
            &["HRANDFIELD", "s"],
            &["HSCAN", "s", "0"],
            &["HINCRBY", "s", "a", "1"],
        ] {
            assert_eq!(run(&e, cmd), Err(WRONG.into()), "{cmd:?}");
        }
    }

    #[crate::unit_test]
    fn increments() {
        let e = engine();
        assert_eq!(run(&e, &["HINCRBY", "h", "n", "5"]), Ok(Value::Int(5)));
        assert_eq!(run(&e, &["HINCRBY", "h", "n", "-7"]), Ok(Value::Int(-2)));
        assert_eq!(
            run(&e, &["HINCRBY", "h", "n", "1.5"]),
            Err("ERR value is not an integer or out of range".into())
        );
        run(&e, &["HSET", "h", "s", "abc", "big", "9223372036854775807"]).unwrap();
        assert_eq!(
            run(&e, &["HINCRBY", "h", "s", "1"]),
            Err("ERR hash value is not an integer".into())
        );
        assert_eq!(
            run(&e, &["HINCRBY", "h", "big", "1"]),
            Err("ERR increment or decrement would overflow".into())
        );
        assert_eq!(run(&e, &["HINCRBYFLOAT", "h", "f", "0.1"]), Ok(b("0.1")));
        assert_eq!(run(&e, &["HINCRBYFLOAT", "h", "f", "0.2"]), Ok(b("0.3")));
        assert_eq!(
            run(&e, &["HINCRBYFLOAT", "h", "g", "1e20"]),
            Ok(b("100000000000000000000"))
        );
        assert_eq!(
            run(&e, &["HINCRBYFLOAT", "h", "big", "1"]),
            Ok(b("9223372036854775808"))
        );
        assert_eq!(
            run(&e, &["HINCRBYFLOAT", "h", "s", "1"]),
            Err("ERR hash value is not a float".into())
        );
        assert_eq!(
            run(&e, &["HINCRBYFLOAT", "h", "f", "inf"]),
            Err("ERR value is NaN or Infinity".into())
        );
        assert_eq!(
            run(&e, &["HINCRBYFLOAT", "h", "f", "x"]),
            Err("ERR value is not a valid float".into())
        );
        run(&e, &["HSET", "h", "i", "inf"]).unwrap();
        assert_eq!(
            run(&e, &["HINCRBYFLOAT", "h", "i", "1"]),
            Err("ERR increment would produce NaN or Infinity".into())
        );
    }

    #[crate::unit_test]
    fn randfield_shapes() {
        let e = engine();
        assert_eq!(run(&e, &["HRANDFIELD", "h"]), Ok(Value::Nil));
        assert_eq!(run(&e, &["HRANDFIELD", "h", "3"]), Ok(Value::Array(vec![])));
        run(&e, &["HSET", "h", "a", "1", "b", "2", "c", "3"]).unwrap();
        let one = run(&e, &["HRANDFIELD", "h"]).unwrap();
        assert!([b("a"), b("b"), b("c")].contains(&one));
        assert_eq!(run(&e, &["HRANDFIELD", "h", "0"]), Ok(Value::Array(vec![])));
        assert_eq!(
            sorted(run(&e, &["HRANDFIELD", "h", "10"]).unwrap()),
            vec![b("a"), b("b"), b("c")]
        );
        let two = sorted(run(&e, &["HRANDFIELD", "h", "2"]).unwrap());
        assert_eq!(two.len(), 2);
        assert_ne!(two[0], two[1]);
        let Value::Array(many) = run(&e, &["HRANDFIELD", "h", "-7", "WITHVALUES"]).unwrap() else {
            panic!()
        };
        assert_eq!(many.len(), 14);
        for pair in many.chunks(2) {
            let expected = match &pair[0] {
                Value::Bytes(f) if f == b"a" => b("1"),
                Value::Bytes(f) if f == b"b" => b("2"),
                _ => b("3"),
            };
            assert_eq!(pair[1], expected);
        }
        assert_eq!(
            run(&e, &["HRANDFIELD", "h", "1", "WITHVALUE"]),
            Err("ERR syntax error".into())
        );
        assert_eq!(
            run(&e, &["HRANDFIELD", "h", "-9223372036854775808"]),
            Err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807".into())
        );
        assert_eq!(
            run(
                &e,
                &["HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"]
            ),
            Err("ERR value is out of range".into())
        );
    }

    #[crate::unit_test]
    fn hscan_full_iteration_returns_every_field() {
        let e = engine();
        let mut expected = Vec::new();
        for i in 0..300 {
            let f = format!("field:{i}");
            run(&e, &["HSET", "big", &f, "v"]).unwrap();
            expected.push(f);
        }
        let mut seen = std::collections::HashSet::new();
        let mut cursor = "0".to_owned();
        let mut rounds = 0;
        loop {
            let Value::Array(reply) = run(&e, &["HSCAN", "big", &cursor, "COUNT", "7"]).unwrap()
            else {
                panic!()
            };
            let [Value::Bytes(next), Value::Array(items)] = &reply[..] else {
                panic!()
            };
            for pair in items.chunks(2) {
                if let Value::Bytes(f) = &pair[0] {
                    seen.insert(String::from_utf8(f.clone()).unwrap());
                }
            }
            cursor = String::from_utf8(next.clone()).unwrap();
            rounds += 1;
            if cursor == "0" {
                break;
            }
        }
        assert!(rounds > 10);
        assert_eq!(seen.len(), expected.len());
        let Value::Array(reply) = run(
            &e,
            &["HSCAN", "big", "0", "MATCH", "field:1?", "COUNT", "1000"],
        )
        .unwrap() else {
            panic!()
        };
        let Value::Array(items) = &reply[1] else {
            panic!()
        };
        assert_eq!(items.len(), 20);
    }

    #[crate::unit_test]
    fn hscan_small_hash_and_errors() {
        let e = engine();
        assert_eq!(
            run(&e, &["HSCAN", "nokey", "0", "COUNT", "0"]),
            Ok(Value::Array(vec![b("0"), Value::Array(vec![])]))
        );
        assert_eq!(
            run(&e, &["HSCAN", "nokey", "x"]),
            Err("ERR invalid cursor".into())
        );
        run(&e, &["HSET", "h", "a", "1", "b", "2"]).unwrap();
        assert_eq!(
            run(&e, &["HSCAN", "h", "0", "COUNT", "0"]),
            Err("ERR syntax error".into())
        );
        assert_eq!(
            run(&e, &["HSCAN", "h", "0", "COUNT", "x"]),
            Err("ERR value is not an integer or out of range".into())
        );
        assert_eq!(
            run(&e, &["HSCAN", "h", "0", "MATCH", "a"]),
            Ok(Value::Array(vec![
                b("0"),
                Value::Array(vec![b("a"), b("1")])
            ]))
        );
        let Value::Array(reply) = run(&e, &["HSCAN", "h", "-1", "COUNT", "1"]).unwrap() else {
            panic!()
        };
        assert_eq!(reply[0], b("0"));
        assert_eq!(sorted(reply[1].clone()).len(), 4);
    }
}
