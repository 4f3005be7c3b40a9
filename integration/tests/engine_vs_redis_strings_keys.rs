//! The embedded engine against a real redis-server 7: the STRING, bitmap,
//! HyperLogLog, KEY and SERVER families, one fixed script of commands run on
//! both, replies compared exactly (error texts included).
//!
//! Replies that legitimately vary are compared by a weaker rule, named per
//! command: KEYS order (compared sorted), remaining TTLs (both positive),
//! RANDOMKEY/TIME (same shape). SCAN is compared by full iterations.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use edgestash::clock::ManualClock;
use edgestash::mock::{Engine, Reply};
use edgestash::Value;
use edgestash_integration::{run_on_redis, RedisServer};

/// How two replies are compared.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// Byte for byte.
    Exact,
    /// Arrays compared as sorted lists (KEYS).
    Unordered,
    /// Both positive integers (remaining TTLs that depend on wall time).
    Positive,
    /// Both succeed with the same reply type (random picks, TIME).
    Shape,
}

fn parts(line: &str) -> Vec<Vec<u8>> {
    line.split(' ').map(|w| w.as_bytes().to_vec()).collect()
}

fn sorted(reply: Reply) -> Reply {
    reply.map(|v| match v {
        Value::Array(mut items) => {
            items.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
            Value::Array(items)
        }
        other => other,
    })
}

fn same_shape(a: &Reply, b: &Reply) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => std::mem::discriminant(x) == std::mem::discriminant(y),
        _ => false,
    }
}

/// Runs every command on both and collects the mismatches.
fn compare(
    engine: &Engine,
    conn: &mut redis::Connection,
    script: &[(Rule, Vec<Vec<u8>>)],
) -> Vec<String> {
    let mut mismatches = Vec::new();
    for (rule, cmd) in script {
        let ours = engine.execute(cmd);
        let theirs = run_on_redis(conn, cmd).unwrap();
        let ok = match rule {
            Rule::Exact => ours == theirs,
            Rule::Unordered => sorted(ours.clone()) == sorted(theirs.clone()),
            Rule::Positive => {
                matches!((&ours, &theirs), (Ok(Value::Int(a)), Ok(Value::Int(b))) if *a > 0 && *b > 0)
            }
            Rule::Shape => same_shape(&ours, &theirs),
        };
        if !ok {
            let shown: Vec<String> = cmd
                .iter()
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .collect();
            mismatches.push(format!(
                "{:?} [{rule:?}]\n  engine: {ours:?}\n  redis:  {theirs:?}",
                shown.join(" ")
            ));
        }
    }
    mismatches
}

fn setup() -> (RedisServer, redis::Connection, Engine) {
    let server = RedisServer::start().unwrap();
    let conn = server.connection().unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let engine = Engine::new(Arc::new(ManualClock::new(now)));
    (server, conn, engine)
}

fn script_of(lines: &[&str]) -> Vec<(Rule, Vec<Vec<u8>>)> {
    lines
        .iter()
        .map(|line| {
            let (rule, rest) = match line.split_once(' ') {
                Some(("~", rest)) => (Rule::Unordered, rest),
                Some(("+", rest)) => (Rule::Positive, rest),
                Some(("?", rest)) => (Rule::Shape, rest),
                _ => (Rule::Exact, *line),
            };
            (rule, parts(rest))
        })
        .collect()
}

const STRINGS: &[&str] = &[
    "GET missing",
    "SET k v",
    "GET k",
    "SET k v2 NX",
    "SET k v3 XX",
    "GET k",
    "SET n1 v XX",
    "SET n1 v NX",
    "SET k v4 GET",
    "SET k v5 NX GET",
    "SET nk v NX GET",
    "SET nk2 v XX GET",
    "SET k v6 XX GET EX 100",
    "+ TTL k",
    "SET k v7 KEEPTTL",
    "+ TTL k",
    "SET k v8",
    "TTL k",
    "SET k v EX 100 EX 200",
    "+ TTL k",
    "SET k v PX 100000",
    "+ PTTL k",
    "SET k v EXAT 4102444800",
    "EXPIRETIME k",
    "SET k v PXAT 4102444800123",
    "PEXPIRETIME k",
    "SET k v EXAT 1",
    "GET k",
    "SET k v PXAT 1",
    "EXISTS k",
    "SET k v NX XX",
    "SET k v XX NX",
    "SET k v EX 10 PX 10",
    "SET k v PX 10 EXAT 10",
    "SET k v EX 10 KEEPTTL",
    "SET k v KEEPTTL PX 10",
    "SET k v EX",
    "SET k v EX 0",
    "SET k v EX -1",
    "SET k v PX 0",
    "SET k v EXAT 0",
    "SET k v PXAT -5",
    "SET k v EX abc",
    "SET k v EX 1.5",
    "SET k v EX 9223372036854775",
    "SET k v EX 9223372036854775807",
    "SET k v PX 9223372036854775807",
    "SET k v PXAT 9223372036854775807",
    "SET k v PERSIST",
    "SET k v FOO",
    "SET k v nx",
    "set k v ex 100 get",
    "SET k",
    "GET k extra",
    "SETNX sn 1",
    "SETNX sn 2",
    "GET sn",
    "SETEX se 100 v",
    "+ TTL se",
    "SETEX se 0 v",
    "SETEX se -10 v",
    "SETEX se x v",
    "PSETEX pse 100000 v",
    "+ PTTL pse",
    "PSETEX pse 0 v",
    "GETSET gs 1",
    "GETSET gs 2",
    "GETDEL gs",
    "GETDEL gs",
    "SET ge v",
    "GETEX ge",
    "GETEX ge EX 100",
    "+ TTL ge",
    "GETEX ge PERSIST",
    "TTL ge",
    "GETEX ge PX 100000",
    "GETEX ge EXAT 4102444800",
    "EXPIRETIME ge",
    "GETEX ge PXAT 4102444800999",
    "PEXPIRETIME ge",
    "GETEX ge EX 0",
    "GETEX ge EX 10 PERSIST",
    "GETEX ge PERSIST EX 10",
    "GETEX ge NX",
    "GETEX ge GET",
    "GETEX ge KEEPTTL",
    "GETEX ge FOO",
    "GETEX missing EX 10",
    "GETEX ge EXAT 1",
    "EXISTS ge",
    "MSET m1 a m2 b m3 c",
    "MGET m1 m2 missing m3",
    "MSET m1",
    "MSET m1 a m2",
    "MSETNX m1 x m9 y",
    "MSETNX m8 x m9 y",
    "MGET m8 m9",
    "MSETNX m7",
    "APPEND ap Hello",
    "APPEND ap World",
    "GET ap",
    "STRLEN ap",
    "STRLEN missing",
    "GETRANGE ap 0 4",
    "GETRANGE ap -5 -1",
    "GETRANGE ap -1 -5",
    "GETRANGE ap 5 3",
    "GETRANGE ap 0 -1",
    "GETRANGE ap -100 100",
    "GETRANGE ap 100 200",
    "GETRANGE ap 0 9223372036854775807",
    "GETRANGE ap -9223372036854775808 -1",
    "GETRANGE missing 0 -1",
    "GETRANGE ap x 1",
    "SETRANGE ap 5 Redis",
    "GET ap",
    "SETRANGE sr 3 abc",
    "GET sr",
    "SETRANGE sr2 3 ",
    "EXISTS sr2",
    "SETRANGE ap 0 ",
    "SETRANGE ap -1 x",
    "SETRANGE ap 536870911 ab",
    "SETRANGE ap 536870911 a",
    "DEL ap",
    "SETRANGE ap x y",
    "INCR c",
    "INCR c",
    "INCRBY c 10",
    "INCRBY c -20",
    "DECR c",
    "DECRBY c 5",
    "DECRBY c -5",
    "INCRBY c x",
    "INCRBY c 1.5",
    "INCRBY c +1",
    "INCRBY c 01",
    "SET c 9223372036854775806",
    "INCR c",
    "INCR c",
    "SET c -9223372036854775807",
    "DECR c",
    "DECR c",
    "DECRBY c -9223372036854775808",
    "DECRBY c 9223372036854775807",
    "INCRBY c -9223372036854775808",
    "SET c abc",
    "INCR c",
    "SET c 1.0",
    "INCR c",
    "SET c 007",
    "INCR c",
    "SET c -0",
    "INCR c",
    "SET c 12",
    "PEXPIRE c 100000",
    "INCR c",
    "+ PTTL c",
    "APPEND c 3",
    "+ PTTL c",
    "SETRANGE c 0 9",
    "+ PTTL c",
    "GET c",
    "INCRBYFLOAT f 0.1",
    "INCRBYFLOAT f 0.2",
    "INCRBYFLOAT f 0.3",
    "INCRBYFLOAT f -0.6",
    "INCRBYFLOAT f 1e20",
    "INCRBYFLOAT f -1e20",
    "INCRBYFLOAT f 3.0e3",
    "INCRBYFLOAT f 10.5",
    "INCRBYFLOAT f 5.0e3",
    "INCRBYFLOAT f 2.0e2",
    "INCRBYFLOAT f 1.23456789012345678901",
    "INCRBYFLOAT f -1e-7",
    "INCRBYFLOAT f 0x10",
    "INCRBYFLOAT f 0x1p-3",
    "INCRBYFLOAT f 1e300",
    "INCRBYFLOAT f 1e4000",
    "INCRBYFLOAT f -1e4000",
    "INCRBYFLOAT f 1e5000",
    "INCRBYFLOAT f 1e-5000",
    "INCRBYFLOAT f inf",
    "INCRBYFLOAT f -inf",
    "INCRBYFLOAT f nan",
    "INCRBYFLOAT f abc",
    "INCRBYFLOAT f 1e",
    "INCRBYFLOAT f .5",
    "INCRBYFLOAT f 5.",
    "INCRBYFLOAT f +1.5",
    "INCRBYFLOAT f 1E2",
    "INCRBYFLOAT f2 3",
    "INCRBYFLOAT f2 -3",
    "INCRBYFLOAT f2 0.0000001",
    "INCRBYFLOAT f2 -0.0000001",
    "INCRBYFLOAT f3 1e-18",
    "INCRBYFLOAT f3 123456789.123456789",
    "INCRBYFLOAT f3 0.1",
    "INCRBYFLOAT f4 1.7976931348623157e308",
    "INCRBYFLOAT f4 1.7976931348623157e308",
    "SET fs 1.5",
    "INCRBYFLOAT fs 1",
    "SET fs abc",
    "INCRBYFLOAT fs 1",
    "INCRBYFLOAT c 1",
    "SETBIT b 7 1",
    "SETBIT b 7 1",
    "GET b",
    "GETBIT b 7",
    "GETBIT b 6",
    "GETBIT b 1000",
    "GETBIT missing 3",
    "SETBIT b 100 1",
    "STRLEN b",
    "SETBIT b 7 0",
    "SETBIT b 7 2",
    "SETBIT b 7 -1",
    "SETBIT b 7 x",
    "SETBIT b -1 1",
    "SETBIT b x 1",
    "SETBIT b 4294967296 1",
    "SETBIT b 4294967295 0",
    "GETBIT b 4294967296",
    "GETBIT b -1",
    "SET bc foobar",
    "BITCOUNT bc",
    "BITCOUNT bc 0 0",
    "BITCOUNT bc 1 1",
    "BITCOUNT bc 1 1 BYTE",
    "BITCOUNT bc 5 30 BIT",
    "BITCOUNT bc 5 30 bit",
    "BITCOUNT bc 0 -1 BIT",
    "BITCOUNT bc -3 -1 BIT",
    "BITCOUNT bc 7 7 BIT",
    "BITCOUNT bc 40 100 BIT",
    "BITCOUNT bc -1 -2",
    "BITCOUNT bc -1 -2 foo",
    "BITCOUNT bc 0 1 foo",
    "BITCOUNT bc 0",
    "BITCOUNT bc 0 1 BIT x",
    "BITCOUNT bc x 1",
    "BITCOUNT bc -100 -1",
    "BITCOUNT bc 100 200",
    "BITCOUNT missing",
    "BITCOUNT missing 0",
    "PFADD h a b c",
    "PFADD h a",
    "PFADD h",
    "PFADD h2",
    "PFADD h2",
    "PFADD h2 c d e",
    "PFCOUNT h",
    "PFCOUNT h h2",
    "PFCOUNT h h2 missing",
    "PFCOUNT missing",
    "PFMERGE hm h h2",
    "PFCOUNT hm",
    "PFMERGE hm2",
    "PFCOUNT hm2",
    "TYPE hm",
    "PFADD k a",
    "PFCOUNT k",
    "PFMERGE hm k",
    "PFMERGE k",
    "PFADD",
];

#[test]
fn strings_bitmaps_hll_match_redis() {
    let (_server, mut conn, engine) = setup();
    let mut script = script_of(STRINGS);
    // A list, for WRONGTYPE replies across the families.
    for line in [
        "RPUSH wl a",
        "GET wl",
        "SET wl v GET",
        "GETSET wl v",
        "GETDEL wl",
        "GETEX wl",
        "MGET wl k",
        "APPEND wl x",
        "STRLEN wl",
        "GETRANGE wl 0 1",
        "SETRANGE wl 0 x",
        "SETRANGE wl 0 ",
        "INCR wl",
        "INCRBY wl x",
        "INCRBYFLOAT wl 1",
        "SETBIT wl 0 1",
        "GETBIT wl 0",
        "BITCOUNT wl",
        "PFADD wl a",
        "PFCOUNT wl",
        "PFMERGE wl",
        "SET wl v",
        "TYPE wl",
    ] {
        if engine.supports("rpush") || !line.starts_with("RPUSH") {
            script.push((Rule::Exact, parts(line)));
        }
    }
    // Binary keys and values.
    let bin_key = b"bin\x00\xff\r\nkey".to_vec();
    let bin_val = (0u8..=255).collect::<Vec<u8>>();
    for cmd in [
        vec![b"SET".to_vec(), bin_key.clone(), bin_val.clone()],
        vec![b"GET".to_vec(), bin_key.clone()],
        vec![b"APPEND".to_vec(), bin_key.clone(), b"\x00\x00".to_vec()],
        vec![b"STRLEN".to_vec(), bin_key.clone()],
        vec![
            b"GETRANGE".to_vec(),
            bin_key.clone(),
            b"250".to_vec(),
            b"-1".to_vec(),
        ],
        vec![b"BITCOUNT".to_vec(), bin_key.clone()],
        vec![
            b"SETRANGE".to_vec(),
            bin_key.clone(),
            b"1".to_vec(),
            b"\xfe\x00".to_vec(),
        ],
        vec![b"GETDEL".to_vec(), bin_key.clone()],
        vec![
            b"MSET".to_vec(),
            b"\xff".to_vec(),
            b"\x00".to_vec(),
            b"".to_vec(),
            b"empty key".to_vec(),
        ],
        vec![b"MGET".to_vec(), b"\xff".to_vec(), b"".to_vec()],
        vec![b"SET".to_vec(), b"e".to_vec(), b"".to_vec()],
        vec![b"GET".to_vec(), b"e".to_vec()],
        vec![b"STRLEN".to_vec(), b"e".to_vec()],
        vec![
            b"BITCOUNT".to_vec(),
            b"e".to_vec(),
            b"0".to_vec(),
            b"-1".to_vec(),
        ],
        vec![
            b"GETRANGE".to_vec(),
            b"e".to_vec(),
            b"0".to_vec(),
            b"-1".to_vec(),
        ],
        vec![b"INCRBYFLOAT".to_vec(), b"e".to_vec(), b"1".to_vec()],
        vec![b"INCR".to_vec(), b"e".to_vec()],
    ] {
        script.push((Rule::Exact, cmd));
    }
    let mismatches = compare(&engine, &mut conn, &script);
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

const KEYS: &[&str] = &[
    "SET a 1",
    "SET b 2",
    "SET c 3",
    "EXISTS a b c d a",
    "TOUCH a d",
    "TYPE a",
    "TYPE d",
    "DEL a d a",
    "UNLINK b b",
    "EXISTS a b",
    "DEL",
    "EXISTS",
    "SET r1 v",
    "EXPIREAT r1 4102444800",
    "RENAME r1 r2",
    "EXISTS r1",
    "EXPIRETIME r2",
    "RENAME r1 r2",
    "RENAME r2 r2",
    "RENAMENX r2 r2",
    "RENAMENX r1 r3",
    "SET r3 x",
    "RENAMENX r2 r3",
    "RENAMENX r2 r4",
    "GET r4",
    "RENAME r4 r3",
    "GET r3",
    "EXPIRETIME r3",
    "RENAME r3",
    "COPY r3 r5",
    "GET r5",
    "EXPIRETIME r5",
    "COPY r3 r5",
    "COPY r3 r5 REPLACE",
    "COPY r3 r5 replace",
    "COPY missing r6",
    "COPY r3 r3",
    "COPY r3 r3 REPLACE",
    "COPY r3 r6 DB 0",
    "COPY r3 r6 DB x",
    "COPY r3 r6 DB 99999999999",
    "COPY r3 r6 DB",
    "COPY r3 r6 FOO",
    "COPY r3 r6 REPLACE FOO",
    "SET e1 v",
    "TTL e1",
    "PTTL e1",
    "TTL nokey",
    "PTTL nokey",
    "EXPIRETIME e1",
    "PEXPIRETIME e1",
    "EXPIRETIME nokey",
    "PEXPIRETIME nokey",
    "EXPIRE e1 100",
    "+ TTL e1",
    "EXPIRE e1 100 NX",
    "EXPIRE e1 200 XX",
    "EXPIRE e1 100 GT",
    "EXPIRE e1 300 GT",
    "EXPIRE e1 400 LT",
    "EXPIRE e1 50 LT",
    "EXPIRE e1 50 xx lt",
    "EXPIRE e1 50 lt xx",
    "EXPIRE e1 50 NX XX",
    "EXPIRE e1 50 NX GT",
    "EXPIRE e1 50 NX LT",
    "EXPIRE e1 50 GT LT",
    "EXPIRE e1 50 FOO",
    "EXPIRE e1 abc FOO",
    "EXPIRE e1 abc",
    "EXPIRE e1 1.5",
    "EXPIRE e1 9223372036854775",
    "EXPIRE e1 9223372036854775807",
    "EXPIRE e1 -9223372036854775808",
    "PEXPIRE e1 9223372036854775807",
    "PEXPIREAT e1 9223372036854775807",
    "EXPIREAT e1 9223372036854775807",
    "PERSIST e1",
    "PERSIST e1",
    "PERSIST nokey",
    "TTL e1",
    "EXPIRE e1 100 XX",
    "EXPIRE e1 100 GT",
    "EXPIRE e1 100 LT",
    "PEXPIRE e1 100000 NX",
    "+ PTTL e1",
    "EXPIREAT e1 4102444800",
    "EXPIRETIME e1",
    "PEXPIRETIME e1",
    "PEXPIREAT e1 4102444800555",
    "EXPIRETIME e1",
    "PEXPIRETIME e1",
    "EXPIREAT e1 4102444801 GT",
    "EXPIREAT e1 4102444700 GT",
    "PEXPIREAT e1 4102444800499",
    "EXPIRETIME e1",
    "PEXPIREAT e1 4102444800500",
    "EXPIRETIME e1",
    "EXPIREAT nokey 4102444800",
    "EXPIRE nokey 10",
    "EXPIRE e1 0",
    "EXISTS e1",
    "SET e2 v",
    "EXPIRE e2 -5",
    "EXISTS e2",
    "SET e3 v",
    "PEXPIRE e3 -1 LT",
    "EXISTS e3",
    "SET e4 v",
    "EXPIREAT e4 1",
    "EXISTS e4",
    "SET e5 v",
    "EXPIRE e5 -1 GT",
    "EXPIRE e5 -1 NX",
    "EXISTS e5",
    "EXPIRE",
    "TTL",
    "SET e6 v EX 100",
    "SET e6 v2",
    "TTL e6",
    "SET e7 v EX 100",
    "GETSET e7 v",
    "TTL e7",
    "FLUSHDB",
    "DBSIZE",
    "RANDOMKEY",
    "MSET hello 1 hallo 1 hxllo 1 hllo 1 heeeello 1 world 1 w*rld 1 w?rld 1 a[b 1 a\\b 1 ]x 1 -x 1 ^x 1 Hello 1",
    "DBSIZE",
    "? RANDOMKEY",
    "~ KEYS *",
    "~ KEYS h?llo",
    "~ KEYS h*llo",
    "~ KEYS h[ae]llo",
    "~ KEYS h[^e]llo",
    "~ KEYS h[a-b]llo",
    "~ KEYS h[b-a]llo",
    "~ KEYS h[a-]llo",
    "~ KEYS h[-a]llo",
    "~ KEYS H*",
    "~ KEYS w\\*rld",
    "~ KEYS w\\?rld",
    "~ KEYS w[*]rld",
    "~ KEYS a[[]b",
    "~ KEYS a\\\\b",
    "~ KEYS a\\b",
    "~ KEYS a[\\\\]b",
    "~ KEYS []]x",
    "~ KEYS [\\]]x",
    "~ KEYS [\\-]x",
    "~ KEYS [-]x",
    "~ KEYS [^]x",
    "~ KEYS [\\^]x",
    "~ KEYS [x^]x",
    "~ KEYS h[el",
    "~ KEYS h[",
    "~ KEYS [",
    "~ KEYS \\",
    "~ KEYS ?",
    "~ KEYS ??",
    "~ KEYS *o",
    "~ KEYS *l*o",
    "~ KEYS **o**",
    "~ KEYS *?",
    "~ KEYS nomatch*",
    "~ KEYS",
    "~ KEYS * *",
    "PING",
    "PING hello",
    "PING a b",
    "ECHO hi",
    "ECHO",
    "? TIME",
    "TIME x",
    "DBSIZE x",
    "FLUSHDB FOO",
    "FLUSHDB SYNC x",
    "FLUSHDB ASYNC",
    "DBSIZE",
    "FLUSHDB sync",
    "SCAN x",
    "SCAN -1",
    "SCAN +0",
    "SCAN 1x",
    "SCAN -",
    "SCAN 18446744073709551615",
    "SCAN 18446744073709551616",
    "COPY r3 r6 DB -1",
    "COPY r3 r6 DB 2147483648",
    "SCAN 0 COUNT 0",
    "SCAN 0 COUNT -1",
    "SCAN 0 COUNT x",
    "SCAN 0 COUNT",
    "SCAN 0 MATCH",
    "SCAN 0 TYPE",
    "SCAN 0 FOO bar",
    "SCAN 0",
    "SCAN 0 MATCH * COUNT 5 TYPE string",
];

#[test]
fn keys_server_match_redis() {
    let (_server, mut conn, engine) = setup();
    let script = script_of(KEYS);
    let mut mismatches = compare(&engine, &mut conn, &script);
    // High bytes in patterns and keys: C compares them as signed chars.
    let hi = vec![
        (
            Rule::Exact,
            vec![
                b"MSET".to_vec(),
                b"\x80".to_vec(),
                b"1".to_vec(),
                b"\xff".to_vec(),
                b"1".to_vec(),
                b"a".to_vec(),
                b"1".to_vec(),
                b"\x01".to_vec(),
                b"1".to_vec(),
            ],
        ),
        (
            Rule::Unordered,
            vec![b"KEYS".to_vec(), b"[\x01-\xff]".to_vec()],
        ),
        (
            Rule::Unordered,
            vec![b"KEYS".to_vec(), b"[\x80-a]".to_vec()],
        ),
        (
            Rule::Unordered,
            vec![b"KEYS".to_vec(), b"[a-\x80]".to_vec()],
        ),
        (Rule::Unordered, vec![b"KEYS".to_vec(), b"[^\x80]".to_vec()]),
        (Rule::Unordered, vec![b"KEYS".to_vec(), b"?".to_vec()]),
        (Rule::Unordered, vec![b"KEYS".to_vec(), b"\xff*".to_vec()]),
    ];
    mismatches.extend(compare(&engine, &mut conn, &hi));
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

fn scan_all(mut step: impl FnMut(&str) -> Reply, extra: &str) -> BTreeSet<Vec<u8>> {
    let mut cursor = "0".to_owned();
    let mut out = BTreeSet::new();
    loop {
        let Ok(Value::Array(reply)) = step(&format!("SCAN {cursor}{extra}")) else {
            panic!("SCAN failed");
        };
        let [Value::Bytes(next), Value::Array(keys)] = reply.as_slice() else {
            panic!("SCAN reply shape");
        };
        for k in keys {
            let Value::Bytes(k) = k else {
                panic!("key shape")
            };
            out.insert(k.clone());
        }
        cursor = String::from_utf8(next.clone()).unwrap();
        if cursor == "0" {
            return out;
        }
    }
}

#[test]
fn scan_iterations_return_the_same_keys() {
    let (_server, mut conn, engine) = setup();
    let mut setup_cmds = Vec::new();
    for i in 0..300 {
        setup_cmds.push(format!("SET key:{i} v"));
    }
    for i in 0..20 {
        setup_cmds.push(format!("PFADD hll:{i} a"));
    }
    for line in &setup_cmds {
        let cmd = parts(line);
        engine.execute(&cmd).unwrap();
        run_on_redis(&mut conn, &cmd).unwrap().unwrap();
    }
    for extra in [
        "",
        " COUNT 1",
        " COUNT 7",
        " COUNT 1000",
        " MATCH key:1*",
        " MATCH key:1* COUNT 3",
        " MATCH hll:?",
        " TYPE string",
        " TYPE STRING COUNT 2",
        " TYPE list",
        " TYPE nosuchtype",
        " MATCH nomatch",
    ] {
        let ours = scan_all(|l| engine.execute(&parts(l)), extra);
        let theirs = scan_all(|l| run_on_redis(&mut conn, &parts(l)).unwrap(), extra);
        assert_eq!(ours, theirs, "SCAN{extra}");
    }
}

#[test]
fn small_hyperloglog_counts_match_redis() {
    let (_server, mut conn, engine) = setup();
    let mut members = vec![b"PFADD".to_vec(), b"h".to_vec()];
    for i in 0..100 {
        members.truncate(2);
        members.push(format!("member-{i}").into_bytes());
        let ours = engine.execute(&members);
        let theirs = run_on_redis(&mut conn, &members).unwrap();
        assert_eq!(ours, theirs, "PFADD after {i}");
        let count = parts("PFCOUNT h");
        assert_eq!(
            engine.execute(&count),
            run_on_redis(&mut conn, &count).unwrap(),
            "PFCOUNT after {i}"
        );
    }
}
