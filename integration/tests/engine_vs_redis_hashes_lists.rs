//! The embedded engine against a real redis-server: the HASH and LIST
//! families must answer a fixed script of commands (errors, binary data and
//! edge indexes included) exactly as Redis 7 does.
//!
//! Replies are compared exactly, except where Redis promises no order
//! (HGETALL, HKEYS, HVALS, HSCAN: compared as multisets) and where it picks
//! at random (HRANDFIELD: same shape, and every pick a real field/value).

use std::collections::{HashMap, HashSet};
use std::error::Error;
use std::sync::Arc;

use edgestash::clock::ManualClock;
use edgestash::mock::Engine;
use edgestash::Value;
use edgestash_integration::RedisServer;
use redis::ConnectionLike;

type TestResult<T = ()> = Result<T, Box<dyn Error>>;

/// One command per line; words split on spaces. `""` is an empty argument,
/// `\xNN` a raw byte and `\s` a space inside a word.
const SCRIPT: &str = r#"
HSET h a 1 b 2 c 3
HSET h a 10 d 4
HSET h
HSET h a
HSET h a 1 b
HMSET h e 5 f 6
HMSET h e
HSETNX h a x
HSETNX h z 26
HGET h a
HGET h missing
HGET nokey a
HMGET h a missing z
HMGET nokey a b
HGETALL h
HGETALL nokey
HKEYS h
HVALS h
HKEYS nokey
HLEN h
HLEN nokey
HSTRLEN h a
HSTRLEN h missing
HSTRLEN nokey a
HEXISTS h a
HEXISTS h missing
HEXISTS nokey a
HDEL h a a missing b
HDEL nokey a
HDEL h
HINCRBY h n 5
HINCRBY h n -12
HINCRBY h n 1.5
HINCRBY h n ""
HINCRBY h n 9223372036854775808
HINCRBY h n +1
HINCRBY h n 01
HSET h big 9223372036854775807 small -9223372036854775808 txt abc sp \s1 fl 1.0
HINCRBY h big 1
HINCRBY h big 0
HINCRBY h small -1
HINCRBY h txt 1
HINCRBY h sp 1
HINCRBY h fl 1
HINCRBY nokey2 f -9223372036854775808
HINCRBYFLOAT fh x 0.1
HINCRBYFLOAT fh x 0.2
HINCRBYFLOAT fh x -0.3
HINCRBYFLOAT fh y 1e20
HINCRBYFLOAT fh y 1.5
HINCRBYFLOAT fh y2 1e400
HINCRBYFLOAT fh y3 -1e-30
HINCRBYFLOAT fh y4 1.5e-5
HINCRBYFLOAT fh y5 1.23456789012345678
HINCRBYFLOAT fh y6 0x1p-3
HINCRBYFLOAT fh y7 0x10
HINCRBYFLOAT fh y8 .5
HINCRBYFLOAT fh y9 5.
HINCRBYFLOAT fh y10 1E2
HINCRBYFLOAT fh y11 +1
HINCRBYFLOAT fh y12 0x1p-18
HINCRBYFLOAT fh y13 0x3p-18
HINCRBYFLOAT fh y14 3.0000000000000000001
HINCRBYFLOAT fh y15 123456789012345678901234567890
HINCRBYFLOAT fh y16 -0
HINCRBYFLOAT fh y17 1e-4950
HINCRBYFLOAT h big 1
HINCRBYFLOAT h fl 2.5
HINCRBYFLOAT h txt 1
HINCRBYFLOAT h sp 1
HINCRBYFLOAT fh x inf
HINCRBYFLOAT fh x -Infinity
HINCRBYFLOAT fh x nan
HINCRBYFLOAT fh x ""
HINCRBYFLOAT fh x abc
HINCRBYFLOAT fh x \s1
HINCRBYFLOAT fh x 1\s
HINCRBYFLOAT fh x 1e5000
HINCRBYFLOAT fh x 1e-5000
HINCRBYFLOAT fh x 0e-5000
HINCRBYFLOAT fh x 0x
HINCRBYFLOAT fh x 1e
HINCRBYFLOAT fh x 1_0
HINCRBYFLOAT fh x 1\x00abc
HSET h inf inf nan nan
HINCRBYFLOAT h inf 1
HINCRBYFLOAT h nan 1
HGET fh x
HGETALL fh
HGETALL h
HSET bin \x00\xff \xfe\x00 \x80 \x81\x82
HGET bin \x00\xff
HGETALL bin
HSTRLEN bin \x00\xff
HDEL bin \x00\xff \x80
LLEN bin
HSET empty "" ""
HGET empty ""
HSTRLEN empty ""
HGETALL empty
HRANDFIELD nokey
HRANDFIELD nokey 0
HRANDFIELD nokey 5
HRANDFIELD nokey -5 WITHVALUES
HRANDFIELD nokey x
HRANDFIELD nokey 5 WITHVALUE
HRANDFIELD h
HRANDFIELD h 0
HRANDFIELD h 0 WITHVALUES
HRANDFIELD h 3
HRANDFIELD h 100
HRANDFIELD h 100 WITHVALUES
HRANDFIELD h -5
HRANDFIELD h -5 WITHVALUES
HRANDFIELD h 5 withvalues x
HRANDFIELD h 5 foo
HRANDFIELD h x withvalue
HRANDFIELD h -9223372036854775808
HRANDFIELD h 9223372036854775807
HRANDFIELD h -4611686018427387904 WITHVALUES
HRANDFIELD h 4611686018427387904 WITHVALUES
HRANDFIELD h 4611686018427387903 WITHVALUES
HSCAN nokey 0
HSCAN nokey x
HSCAN nokey 0 COUNT 0
HSCAN nokey ""
HSCAN h 0
HSCAN h ""
HSCAN h -1
HSCAN h +3
HSCAN h 18446744073709551615
HSCAN h 18446744073709551616
HSCAN h -
HSCAN h 1.5
HSCAN h \s1
HSCAN h 0 COUNT 0
HSCAN h 0 COUNT -1
HSCAN h 0 COUNT x
HSCAN h 0 COUNT 1
HSCAN h 0 count 1 COUNT 2
HSCAN h 0 MATCH
HSCAN h 0 MATCH s*
HSCAN h 0 MATCH ?
HSCAN h 0 MATCH [a-c]
HSCAN h 0 MATCH [^a-c]*
HSCAN h 0 MATCH *[lg]
HSCAN h 0 MATCH *
HSCAN h 0 MATCH ** COUNT 100
HSCAN h 0 MATCH [
HSCAN h 0 MATCH i\nf
HSCAN h 0 MATCH a MATCH s*
HSCAN h 0 TYPE string
HSCAN h 0 NOVALUES
HSCAN empty 0 MATCH **
HSCAN bin 0 MATCH \x81*
SET str v
HSET str a 1
HGET str a
HMGET str a
HGETALL str
HKEYS str
HVALS str
HLEN str
HSTRLEN str a
HEXISTS str a
HDEL str a
HSETNX str a 1
HINCRBY str a 1
HINCRBY str a x
HINCRBYFLOAT str a 1
HINCRBYFLOAT str a x
HRANDFIELD str
HRANDFIELD str 1
HRANDFIELD str x
HSCAN str 0
HSCAN str x
HMSET str a 1
LPUSH l a b c
RPUSH l d e
LPUSH l
LRANGE l 0 -1
LRANGE l 1 2
LRANGE l -2 -1
LRANGE l -100 100
LRANGE l 5 10
LRANGE l 3 1
LRANGE l -1 -2
LRANGE l 0 0
LRANGE l 9223372036854775807 -9223372036854775808
LRANGE l -9223372036854775808 9223372036854775807
LRANGE l x 1
LRANGE l 1 x
LRANGE nokey 0 -1
LRANGE nokey x 1
LLEN l
LLEN nokey
LINDEX l 0
LINDEX l -1
LINDEX l 4
LINDEX l 5
LINDEX l -5
LINDEX l -6
LINDEX l x
LINDEX nokey x
LINDEX nokey 0
LINDEX l 9223372036854775807
LINDEX l -9223372036854775808
LSET l 0 A
LSET l -1 E
LSET l 5 X
LSET l -6 X
LSET l x X
LSET nokey 0 X
LSET nokey x X
LRANGE l 0 -1
LPUSHX l p
RPUSHX l q r
LPUSHX nokey a
RPUSHX nokey a b
LPUSHX l
HLEN nokey
LINSERT l BEFORE b X
LINSERT l after b Y
LINSERT l AFTER zz Y
LINSERT l middle b Y
LINSERT nokey BEFORE a b
LINSERT nokey middle a b
LRANGE l 0 -1
LPOP l
RPOP l
LPOP l 2
RPOP l 2
LPOP l 0
RPOP l 0
LPOP l -1
LPOP l x
LPOP l 1 2
LPOP nokey
LPOP nokey 0
LPOP nokey 5
RPOP nokey 0
LPOP nokey -1
LRANGE l 0 -1
LPOP l 100
HLEN l
LPOP l
LPOP l 1
RPUSH r a b a c a b a
LREM r 2 a
LRANGE r 0 -1
LREM r -1 a
LRANGE r 0 -1
LREM r 0 b
LRANGE r 0 -1
LREM r 0 zz
LREM r x a
LREM nokey 0 a
LREM nokey x a
LREM r 0 a
LREM r 0 c
HLEN r
RPUSH t 0 1 2 3 4 5 6 7 8 9
LTRIM t 1 -2
LRANGE t 0 -1
LTRIM t -3 100
LRANGE t 0 -1
LTRIM t x 1
LTRIM t 0 x
LTRIM nokey 0 1
LTRIM nokey x 1
LTRIM t 2 1
HLEN t
RPUSH p a b c 1 2 3 c c
LPOS p c
LPOS p c RANK 1
LPOS p c RANK 2
LPOS p c RANK 4
LPOS p c RANK -1
LPOS p c RANK -2
LPOS p c RANK -9223372036854775808
LPOS p c RANK -9223372036854775808 COUNT 0
LPOS p c RANK 9223372036854775807
LPOS p c COUNT 0
LPOS p c COUNT 1
LPOS p c COUNT 2
LPOS p c COUNT 100
LPOS p c COUNT 0 RANK 2
LPOS p c COUNT 2 RANK -1
LPOS p a COUNT 0 MAXLEN 1
LPOS p c COUNT 0 MAXLEN 1
LPOS p c COUNT 0 MAXLEN 3
LPOS p c COUNT 0 MAXLEN 3 RANK -1
LPOS p c MAXLEN 0
LPOS p c COUNT 1 COUNT 2
LPOS p zz
LPOS p zz COUNT 0
LPOS nokey c
LPOS nokey c COUNT 0
LPOS nokey c RANK 0
LPOS p c RANK 0
LPOS p c RANK x
LPOS p c RANK
LPOS p c COUNT -1
LPOS p c COUNT x
LPOS p c COUNT 9223372036854775808
LPOS p c MAXLEN -1
LPOS p c MAXLEN x
LPOS p c foo 1
LPOS p c foo
RPUSH m a b c
LMOVE m m LEFT RIGHT
LRANGE m 0 -1
LMOVE m m right left
LRANGE m 0 -1
RPOPLPUSH m m
LRANGE m 0 -1
LMOVE m d LEFT LEFT
LMOVE m d RIGHT RIGHT
LRANGE d 0 -1
LMOVE m d middle LEFT
LMOVE m d LEFT middle
LMOVE nokey d LEFT LEFT
LMOVE nokey str LEFT LEFT
LMOVE m str LEFT LEFT
LMOVE str m LEFT LEFT
RPOPLPUSH nokey str
RPOPLPUSH m str
RPOPLPUSH str m
RPOPLPUSH m d
HLEN m
LRANGE d 0 -1
RPUSH one x
LMOVE one one LEFT LEFT
LRANGE one 0 -1
RPOPLPUSH one other
HLEN one
LRANGE other 0 -1
RPUSH mp1 a b c
RPUSH mp2 d e
LMPOP 1 mp1 LEFT
LMPOP 2 nokey mp1 RIGHT
LMPOP 2 nokey mp2 RIGHT COUNT 5
HLEN mp2
LMPOP 2 nokey mp2 LEFT
LMPOP 3 nokey mp2 mp1 left count 10
HLEN mp1
LMPOP 0 mp1 LEFT
LMPOP -1 mp1 LEFT
LMPOP x mp1 LEFT
LMPOP 2 mp1 LEFT
LMPOP 9223372036854775807 mp1 LEFT
LMPOP 1 mp1
LMPOP 1 mp1 middle
LMPOP 1 mp1 LEFT COUNT
LMPOP 1 mp1 LEFT COUNT 0
LMPOP 1 mp1 LEFT COUNT -1
LMPOP 1 mp1 LEFT COUNT x
LMPOP 1 mp1 LEFT COUNT x foo
LMPOP 1 mp1 LEFT COUNT 1 COUNT 1
LMPOP 1 mp1 LEFT foo
LMPOP 2 str mp1 LEFT
LMPOP 2 nokey str LEFT
LMPOP 1
LPUSH str a
RPUSH str a
LPUSHX str a
RPUSHX str a
LPOP str
RPOP str 1
LLEN str
LRANGE str 0 -1
LRANGE str x 1
LINDEX str 0
LINDEX str x
LSET str 0 a
LSET str x a
LINSERT str BEFORE a b
LINSERT str middle a b
LREM str 0 a
LREM str x a
LTRIM str 0 1
LTRIM str x 1
LPOS str a
LPOS str a RANK 0
LPUSH h a
LPUSH l2 \x00 \xff\xfe ""
LRANGE l2 0 -1
LPOS l2 ""
LPOS l2 \x00
LREM l2 0 ""
LINSERT l2 BEFORE \xff\xfe \x01
LRANGE l2 0 -1
LSET l2 0 \x80\x80
LINDEX l2 0
LMPOP 1 l2 RIGHT COUNT 9223372036854775807
"#;

/// Decodes one word of [`SCRIPT`].
fn decode(word: &str) -> TestResult<Vec<u8>> {
    if word == "\"\"" {
        return Ok(Vec::new());
    }
    let bytes = word.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'\\' && bytes.get(i + 1) == Some(&b'x') {
            let hex = word.get(i + 2..i + 4).ok_or("short \\x escape")?;
            out.push(u8::from_str_radix(hex, 16)?);
            i += 4;
        } else if b == b'\\' && bytes.get(i + 1) == Some(&b's') {
            out.push(b' ');
            i += 2;
        } else {
            out.push(b);
            i += 1;
        }
    }
    Ok(out)
}

fn script() -> TestResult<Vec<Vec<Vec<u8>>>> {
    SCRIPT
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(' ').map(decode).collect())
        .collect()
}

/// A redis-rs reply as the engine's `Value`, errors as their full text.
fn from_redis(v: redis::Value) -> TestResult<Result<Value, String>> {
    Ok(Ok(match v {
        redis::Value::Nil => Value::Nil,
        redis::Value::Int(i) => Value::Int(i),
        redis::Value::BulkString(b) => Value::Bytes(b),
        redis::Value::SimpleString(s) => Value::Bytes(s.into_bytes()),
        redis::Value::Okay => Value::Okay,
        redis::Value::Array(items) => {
            let mut out = Vec::new();
            for item in items {
                match from_redis(item)? {
                    Ok(v) => out.push(v),
                    Err(e) => return Err(format!("nested error {e}").into()),
                }
            }
            Value::Array(out)
        }
        redis::Value::ServerError(e) => {
            return Ok(Err(match e.details() {
                Some(d) => format!("{} {d}", e.code()),
                None => e.code().to_owned(),
            }))
        }
        other => return Err(format!("unexpected RESP2 reply {other:?}").into()),
    }))
}

fn query(conn: &mut redis::Connection, parts: &[Vec<u8>]) -> TestResult<Result<Value, String>> {
    let (name, args) = parts.split_first().ok_or("empty command")?;
    let mut cmd = redis::cmd(std::str::from_utf8(name)?);
    for a in args {
        cmd.arg(a.as_slice());
    }
    from_redis(conn.req_command(&cmd)?)
}

fn upper_name(parts: &[Vec<u8>]) -> String {
    parts
        .first()
        .map(|n| String::from_utf8_lossy(n).to_ascii_uppercase())
        .unwrap_or_default()
}

/// A multiset view of an array, for replies in no promised order.
fn items(v: &Value) -> Option<Vec<Value>> {
    let Value::Array(items) = v else { return None };
    let mut sorted = items.clone();
    sorted.sort_by_key(|i| format!("{i:?}"));
    Some(sorted)
}

/// Field/value pairs of a flat array, sorted.
fn pairs(v: &Value) -> Option<Vec<(Value, Value)>> {
    let Value::Array(items) = v else { return None };
    let mut out: Vec<(Value, Value)> = items
        .chunks(2)
        .map(|c| (c[0].clone(), c.get(1).cloned().unwrap_or(Value::Nil)))
        .collect();
    out.sort_by_key(|p| format!("{p:?}"));
    Some(out)
}

/// Compares one reply pair under the rules of the command.
fn same(
    parts: &[Vec<u8>],
    engine: &Result<Value, String>,
    redis: &Result<Value, String>,
    hash_now: &HashMap<Vec<u8>, Vec<u8>>,
) -> bool {
    let (Ok(e), Ok(r)) = (engine, redis) else {
        return engine == redis;
    };
    match upper_name(parts).as_str() {
        "HGETALL" => pairs(e) == pairs(r),
        "HKEYS" | "HVALS" => items(e) == items(r),
        "HSCAN" => match (e, r) {
            (Value::Array(e), Value::Array(r)) if e.len() == 2 && r.len() == 2 => {
                e[0] == r[0] && pairs(&e[1]) == pairs(&r[1])
            }
            _ => false,
        },
        "HRANDFIELD" => randfield_ok(parts, e, r, hash_now),
        _ => e == r,
    }
}

/// HRANDFIELD: same shape as Redis, and every pick a real field (and its value).
fn randfield_ok(parts: &[Vec<u8>], e: &Value, r: &Value, hash: &HashMap<Vec<u8>, Vec<u8>>) -> bool {
    let with_values = parts.len() == 4;
    match (e, r) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bytes(f), Value::Bytes(_)) => hash.contains_key(f),
        (Value::Array(ea), Value::Array(ra)) => {
            if ea.len() != ra.len() {
                return false;
            }
            let positive = parts
                .get(2)
                .and_then(|c| std::str::from_utf8(c).ok())
                .and_then(|c| c.parse::<i64>().ok())
                .is_some_and(|c| c > 0);
            if positive {
                // Distinct picks, as Redis promises for a positive count.
                let fields: HashSet<String> = ea
                    .iter()
                    .step_by(if with_values { 2 } else { 1 })
                    .map(|f| format!("{f:?}"))
                    .collect();
                if fields.len() * if with_values { 2 } else { 1 } != ea.len() {
                    return false;
                }
            }
            if with_values {
                ea.chunks(2).all(|c| match c {
                    [Value::Bytes(f), Value::Bytes(v)] => hash.get(f) == Some(v),
                    _ => false,
                })
            } else {
                ea.iter()
                    .all(|f| matches!(f, Value::Bytes(f) if hash.contains_key(f)))
            }
        }
        _ => false,
    }
}

/// The hash at the command's key in Redis (empty when none), for HRANDFIELD checks.
fn redis_hash(
    conn: &mut redis::Connection,
    parts: &[Vec<u8>],
) -> TestResult<HashMap<Vec<u8>, Vec<u8>>> {
    let Some(key) = parts.get(1) else {
        return Ok(HashMap::new());
    };
    let reply = query(conn, &[b"HGETALL".to_vec(), key.clone()])?;
    let mut out = HashMap::new();
    if let Ok(Value::Array(items)) = reply {
        for c in items.chunks(2) {
            if let [Value::Bytes(f), Value::Bytes(v)] = c {
                out.insert(f.clone(), v.clone());
            }
        }
    }
    Ok(out)
}

/// A reply as short readable text for failure messages.
fn brief(reply: &Result<Value, String>) -> String {
    fn one(v: &Value) -> String {
        match v {
            Value::Bytes(b) if b.len() > 40 => {
                format!(
                    "{:?}..({} bytes)",
                    String::from_utf8_lossy(&b[..40]),
                    b.len()
                )
            }
            Value::Bytes(b) => format!("{:?}", String::from_utf8_lossy(b)),
            Value::Array(items) => {
                format!("[{}]", items.iter().map(one).collect::<Vec<_>>().join(", "))
            }
            other => format!("{other:?}"),
        }
    }
    match reply {
        Ok(v) => one(v),
        Err(e) => format!("error {e:?}"),
    }
}

fn show(parts: &[Vec<u8>]) -> String {
    parts
        .iter()
        .map(|p| format!("{:?}", String::from_utf8_lossy(p)))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn engine_matches_redis_on_hash_and_list_script() -> TestResult {
    let server = RedisServer::start()?;
    let mut conn = server.connection()?;
    let engine = Engine::new(Arc::new(ManualClock::new(1_700_000_000_000)));
    let commands = script()?;
    assert!(
        commands.len() > 300,
        "script has {} commands",
        commands.len()
    );
    let mut mismatches = Vec::new();
    for parts in &commands {
        let hash_now = if upper_name(parts) == "HRANDFIELD" {
            redis_hash(&mut conn, parts)?
        } else {
            HashMap::new()
        };
        let from_redis = query(&mut conn, parts)?;
        let from_engine = engine.execute(parts);
        if !same(parts, &from_engine, &from_redis, &hash_now) {
            mismatches.push(format!(
                "{}\n   redis:  {}\n   engine: {}",
                show(parts),
                brief(&from_redis),
                brief(&from_engine)
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} replies differ:\n{}",
        mismatches.len(),
        commands.len(),
        mismatches.join("\n")
    );
    Ok(())
}

/// A hash too big for Redis's listpack is scanned in pages: walking the
/// cursor to 0 must return every field on both sides, MATCH included.
#[test]
fn hscan_full_iteration_matches_redis_on_a_big_hash() -> TestResult {
    let server = RedisServer::start()?;
    let mut conn = server.connection()?;
    let engine = Engine::new(Arc::new(ManualClock::new(1_700_000_000_000)));
    let mut hset = vec![b"HSET".to_vec(), b"big".to_vec()];
    for i in 0..500 {
        hset.push(format!("f{i}").into_bytes());
        hset.push(format!("v{i}").into_bytes());
    }
    assert_eq!(query(&mut conn, &hset)?, Ok(Value::Int(500)));
    assert_eq!(engine.execute(&hset), Ok(Value::Int(500)));
    for options in [
        vec![],
        vec!["COUNT", "3"],
        vec!["MATCH", "f1*", "COUNT", "50"],
    ] {
        let from_redis = scan_all(|p| query(&mut conn, p), &options)?;
        let from_engine = scan_all(|p| Ok(engine.execute(p)), &options)?;
        assert_eq!(from_engine, from_redis, "HSCAN with {options:?}");
        assert!(!from_redis.is_empty());
    }
    Ok(())
}

/// Every field/value pair an HSCAN walk of `big` returns.
fn scan_all(
    mut run: impl FnMut(&[Vec<u8>]) -> TestResult<Result<Value, String>>,
    options: &[&str],
) -> TestResult<HashSet<(Vec<u8>, Vec<u8>)>> {
    let mut cursor = b"0".to_vec();
    let mut seen = HashSet::new();
    for _ in 0..10_000 {
        let mut parts = vec![b"HSCAN".to_vec(), b"big".to_vec(), cursor.clone()];
        parts.extend(options.iter().map(|o| o.as_bytes().to_vec()));
        let Ok(Value::Array(reply)) = run(&parts)? else {
            return Err("HSCAN failed".into());
        };
        let [Value::Bytes(next), Value::Array(items)] = reply.as_slice() else {
            return Err("bad HSCAN reply shape".into());
        };
        for c in items.chunks(2) {
            if let [Value::Bytes(f), Value::Bytes(v)] = c {
                seen.insert((f.clone(), v.clone()));
            }
        }
        if next.as_slice() == b"0" {
            return Ok(seen);
        }
        cursor = next.clone();
    }
    Err("HSCAN never returned cursor 0".into())
}
