//! The embedded engine against a real redis-server 7.0 for the SET and
//! SORTED SET families: one fixed script of commands runs on both and every
//! reply must match exactly, except where Redis promises no order (then the
//! items are compared as multisets) or picks at random (then only the shape).

use std::sync::Arc;

use edgestash::clock::ManualClock;
use edgestash::mock::Engine;
use edgestash::protocol::Value;
use edgestash_integration::RedisServer;

/// How a reply is compared.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// Byte for byte.
    Exact,
    /// A top-level array whose order Redis does not promise.
    Unordered,
    /// A flat member/score array whose pair order Redis does not promise.
    Pairs,
    /// SSCAN/ZSCAN: same cursor, page compared as a multiset.
    Scan,
    /// Random picks: same kind and array length only.
    Shape,
}

/// A local redis::Value → edgestash::Value converter (a shared one is coming).
fn convert(v: redis::Value) -> Result<Value, String> {
    Ok(match v {
        redis::Value::Nil => Value::Nil,
        redis::Value::Int(i) => Value::Int(i),
        redis::Value::BulkString(b) => Value::Bytes(b),
        redis::Value::SimpleString(s) => Value::Bytes(s.into_bytes()),
        redis::Value::Okay => Value::Okay,
        redis::Value::Array(items) | redis::Value::Set(items) => {
            Value::Array(items.into_iter().map(convert).collect::<Result<_, _>>()?)
        }
        redis::Value::ServerError(e) => {
            return Err(error_text(&redis::RedisError::from(e)));
        }
        other => return Err(format!("unexpected RESP3 reply {other:?}")),
    })
}

fn error_text(e: &redis::RedisError) -> String {
    match (e.code(), e.detail()) {
        (Some(code), Some(detail)) => format!("{code} {detail}"),
        (Some(code), None) => code.to_owned(),
        _ => e.to_string(),
    }
}

/// Decodes one script token: `\xHH` escapes, `""` for the empty string.
fn token(t: &str) -> Vec<u8> {
    if t == "\"\"" {
        return Vec::new();
    }
    let bytes = t.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'x') && i + 3 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 2..i + 4]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn sort_key(v: &Value) -> String {
    format!("{v:?}")
}

fn normalise(mode: Mode, name: &str, reply: Result<Value, String>) -> Result<Value, String> {
    let scan_chunk = if name == "ZSCAN" { 2 } else { 1 };
    let v = reply?;
    Ok(match (mode, v) {
        (Mode::Unordered, Value::Array(mut items)) => {
            items.sort_by_key(sort_key);
            Value::Array(items)
        }
        (Mode::Pairs, Value::Array(items)) => {
            let mut pairs: Vec<Value> = items.chunks(2).map(|c| Value::Array(c.to_vec())).collect();
            pairs.sort_by_key(sort_key);
            Value::Array(pairs)
        }
        (Mode::Scan, Value::Array(mut parts)) if parts.len() == 2 => {
            if let Some(Value::Array(page)) = parts.pop() {
                let mut pairs: Vec<Value> = page
                    .chunks(scan_chunk)
                    .map(|c| Value::Array(c.to_vec()))
                    .collect();
                pairs.sort_by_key(sort_key);
                parts.push(Value::Array(pairs));
            }
            Value::Array(parts)
        }
        (Mode::Shape, Value::Array(items)) => Value::Int(items.len() as i64),
        (Mode::Shape, Value::Bytes(_)) => Value::Bytes(b"<bulk>".to_vec()),
        (_, v) => v,
    })
}

/// The hand-written part of the script: `MODE command args...` per line.
/// Modes: `=` exact, `u` unordered, `p` pairs, `s` scan, `~` shape.
const SCRIPT: &str = r#"
= SADD s1 a b c d e
= SADD s1 a f
= SADD s2 c d e f g h
= SADD s3 1 2 3 100 -5
= SADD s3 2
= SADD bin \x00 \xff a\x00b ""
= SCARD bin
= SISMEMBER bin \x00
= SISMEMBER bin ""
= SISMEMBER bin \x01
= SMISMEMBER bin \x00 x ""
= SMISMEMBER nokey a b
= SCARD s1
= SCARD nokey
u SMEMBERS s1
u SMEMBERS s3
u SMEMBERS bin
u SMEMBERS nokey
= SREM s1 a zz
= SREM nokey a
= SET str hello
= SADD str a
= SREM str a
= SMEMBERS str
= SCARD str
= SISMEMBER str a
= SMISMEMBER str a
u SINTER s1 s2
u SINTER s1 nokey
u SINTER s1
= SINTER s1 str
= SINTER nokey str
u SUNION s1 s2 s3
u SUNION nokey
= SUNION s1 str
u SDIFF s1 s2
u SDIFF s2 s1 s3
u SDIFF nokey s1
= SDIFF nokey str
= SINTERSTORE dst s1 s2
u SMEMBERS dst
= SINTERSTORE dst s1 nokey
= EXISTS dst
= SUNIONSTORE dst s1 s2
u SMEMBERS dst
= SDIFFSTORE dst s2 s1
u SMEMBERS dst
= SDIFFSTORE dst s1 s1
= SCARD dst
= SUNIONSTORE str2 s1
= SET str2 x
= SUNIONSTORE str2 s1
= SCARD str2
= SINTERSTORE dst s1 str
= SINTERCARD 2 s1 s2
= SINTERCARD 2 s1 s2 LIMIT 2
= SINTERCARD 2 s1 s2 LIMIT 0
= SINTERCARD 2 s1 s2 limit 1 LIMIT 5
= SINTERCARD 1 nokey
= SINTERCARD 0 s1
= SINTERCARD -1 s1
= SINTERCARD x s1
= SINTERCARD 3 s1 s2
= SINTERCARD 1 s1 LIMIT -1
= SINTERCARD 1 s1 LIMIT x
= SINTERCARD 1 s1 LIMIT
= SINTERCARD 1 s1 FOO 1
= SINTERCARD 2 s1 str
= SMOVE s1 s4 b
= SMOVE s1 s4 b
= SMOVE nokey s4 b
= SMOVE nokey str b
= SMOVE s1 str c
= SMOVE str s1 c
= SMOVE s1 s1 c
= SMOVE s1 s1 zz
= SMOVE s4 s1 b
= EXISTS s4
u SMEMBERS s1
= SADD one only
= SPOP one
= SPOP one
= EXISTS one
= SPOP nokey
= SPOP nokey 3
= SPOP s1 0
= SPOP s1 -1
= SPOP s1 x
= SPOP s1 1 2
= SPOP str
= SPOP str 1
= SADD popme a b c
u SPOP popme 3
= EXISTS popme
= SADD popme a b c
u SPOP popme 10
= EXISTS popme
= SADD popme a b c d e
~ SPOP popme 2
= SCARD popme
~ SPOP popme
= SCARD popme
= DEL popme
~ SRANDMEMBER s2
= SRANDMEMBER nokey
= SRANDMEMBER nokey 5
= SRANDMEMBER s2 0
u SRANDMEMBER s2 100
u SRANDMEMBER s2 6
~ SRANDMEMBER s2 3
~ SRANDMEMBER s2 -10
~ SRANDMEMBER s2 -1
= SRANDMEMBER s2 x
= SRANDMEMBER s2 -9223372036854775808
= SRANDMEMBER s2 1 2
= SRANDMEMBER str
= SRANDMEMBER str 1
= SCARD s2
s SSCAN s3 0
s SSCAN s2 0
s SSCAN s2 0 COUNT 100
s SSCAN s2 0 MATCH *g*
s SSCAN s2 0 match [cd] count 50
s SSCAN nokey 0
s SSCAN nokey 0 COUNT 0
= SSCAN s2 x
= SSCAN s2 0 COUNT 0
= SSCAN s2 0 COUNT x
= SSCAN s2 0 MATCH
= SSCAN s2 0 TYPE set
= SSCAN str 0
= SADD
= SADD s1
= SCARD
= SINTERCARD 1
= ZADD z 1 a 2 b 3 c
= ZADD z 1 a
= ZADD z CH 10 a 2 b
= ZADD z NX 100 a 4 d
= ZADD z XX 5 d 5 e
= ZADD z XX CH 6 d 6 e
= ZADD z GT 5 d
= ZADD z GT CH 7 d 1 f
= ZADD z LT CH 7 d 0 b
= ZADD z XX GT CH 1 a 20 a
= ZADD z xx lt ch 1 a
= ZADD z INCR 2.5 a
= ZADD z NX INCR 2.5 a
= ZADD z XX INCR 1 nosuch
= ZADD z GT INCR -1 a
= ZADD z LT INCR -1 a
= ZADD z INCR 1 newone
= ZADD z NX XX 1 a
= ZADD z GT LT 1 a
= ZADD z GT NX 1 a
= ZADD z LT NX 1 a
= ZADD z NX XX GT 1 a
= ZADD z INCR 1 a 2 b
= ZADD z 1 a 2
= ZADD z NX 1
= ZADD z INCR 1
= ZADD z x a
= ZADD z nan a
= ZADD z 1e400 a
= ZADD z "" a
= ZADD z 1e-400 a
= ZADD z 0x10 hex
= ZADD z .5 half 5. five +3 plus3 -inf minf +inf pinf
= ZADD z " 1" a
= ZADD z 1 ""
= ZADD str 1 a
= ZADD nokey XX 1 a
= EXISTS nokey
= ZADD nokey XX INCR 1 a
= ZRANGE z 0 -1 WITHSCORES
= ZCARD z
= ZCARD nokey
= ZCARD str
= ZSCORE z a
= ZSCORE z nosuch
= ZSCORE nokey a
= ZSCORE str a
= ZMSCORE z a nosuch b
= ZMSCORE nokey a b
= ZMSCORE str a
= ZADD fmt 1.1 a 0.1 b 1e20 c -0 d 3 e 123456789012345678 f 1e16 g 1e17 h 0.0001 i 0.00001 j 1.5e300 k -2.5 l 5e-324 m
= ZRANGE fmt 0 -1 WITHSCORES
= ZINCRBY fmt 0.2 b
= ZINCRBY fmt -0 d
= ZINCRBY fmt 0 d
= ZINCRBY fmt 1e308 k
= ZINCRBY fmt 1e308 k
= ZINCRBY fmt 1e308 k
= ZINCRBY fmt -inf k
= ZINCRBY fmt inf k
= ZINCRBY fmt x k
= ZINCRBY fmt nan k
= ZINCRBY str 1 a
= ZINCRBY newz 3 m
= ZSCORE fmt d
= ZADD negz -0 x
= ZSCORE negz x
= ZADD negz -0 y 0 z -1 w
= ZRANGE negz 0 -1 WITHSCORES
= ZREM z a nosuch
= ZREM z a
= ZREM nokey a
= ZREM str a
= ZADD tie 1 b 1 a 1 c 1 \x00 1 \xff 1 "" 0 z 2 y
= ZRANGE tie 0 -1 WITHSCORES
= ZRANK tie a
= ZRANK tie \xff
= ZRANK tie nosuch
= ZRANK nokey a
= ZRANK str a
= ZREVRANK tie a
= ZREVRANK tie y
= ZREVRANK tie nosuch
= ZADD lex 0 a 0 b 0 c 0 d 0 e 0 f 0 g 0 aa 0 ab 0 \x00 0 ""
= ZRANGEBYLEX lex - +
= ZRANGEBYLEX lex [b [d
= ZRANGEBYLEX lex (b [d
= ZRANGEBYLEX lex (b (d
= ZRANGEBYLEX lex [a (b
= ZRANGEBYLEX lex - [b
= ZRANGEBYLEX lex [d +
= ZRANGEBYLEX lex [d [b
= ZRANGEBYLEX lex (d (d
= ZRANGEBYLEX lex [d [d
= ZRANGEBYLEX lex + -
= ZRANGEBYLEX lex - + LIMIT 2 3
= ZRANGEBYLEX lex - + LIMIT -1 3
= ZRANGEBYLEX lex - + LIMIT 2 -1
= ZRANGEBYLEX lex - + LIMIT 2 0
= ZRANGEBYLEX lex [ [\xff
= ZRANGEBYLEX lex ( +
= ZRANGEBYLEX lex a b
= ZRANGEBYLEX lex -a +
= ZRANGEBYLEX lex - + WITHSCORES
= ZRANGEBYLEX lex - + BYSCORE
= ZRANGEBYLEX lex - + LIMIT 1
= ZREVRANGEBYLEX lex + -
= ZREVRANGEBYLEX lex [d [b
= ZREVRANGEBYLEX lex (d - LIMIT 1 2
= ZREVRANGEBYLEX lex - +
= ZRANGE lex [b [d BYLEX
= ZRANGE lex [d [b BYLEX REV
= ZRANGE lex [b [d BYLEX REV
= ZRANGE lex - + BYLEX LIMIT 1 1
= ZRANGE lex - + BYLEX WITHSCORES
= ZLEXCOUNT lex - +
= ZLEXCOUNT lex [b (d
= ZLEXCOUNT lex x y
= ZLEXCOUNT nokey - +
= ZLEXCOUNT str - +
= ZADD sc 1 a 2 b 2 c 3 d 4 e 5 f -inf g inf h 2.5 i
= ZRANGEBYSCORE sc -inf +inf
= ZRANGEBYSCORE sc -inf +inf WITHSCORES
= ZRANGEBYSCORE sc 2 3
= ZRANGEBYSCORE sc (2 3
= ZRANGEBYSCORE sc (2 (3
= ZRANGEBYSCORE sc 2 (3
= ZRANGEBYSCORE sc 3 2
= ZRANGEBYSCORE sc (inf +inf
= ZRANGEBYSCORE sc inf inf
= ZRANGEBYSCORE sc -inf (-inf
= ZRANGEBYSCORE sc "" 2
= ZRANGEBYSCORE sc ( 2
= ZRANGEBYSCORE sc 0x1 3
= ZRANGEBYSCORE sc -inf +inf LIMIT 1 3
= ZRANGEBYSCORE sc -inf +inf LIMIT 1 3 WITHSCORES
= ZRANGEBYSCORE sc -inf +inf WITHSCORES LIMIT 1 3
= ZRANGEBYSCORE sc -inf +inf LIMIT 100 3
= ZRANGEBYSCORE sc -inf +inf LIMIT -1 3
= ZRANGEBYSCORE sc -inf +inf LIMIT 0 -5
= ZRANGEBYSCORE sc -inf +inf LIMIT 0 0
= ZRANGEBYSCORE sc -inf +inf LIMIT x 0
= ZRANGEBYSCORE sc -inf +inf LIMIT 0
= ZRANGEBYSCORE sc -inf +inf FOO
= ZRANGEBYSCORE sc a b
= ZRANGEBYSCORE sc (a 1
= ZRANGEBYSCORE sc 1 nan
= ZRANGEBYSCORE sc -inf +inf BYLEX
= ZRANGEBYSCORE sc -inf +inf REV
= ZREVRANGEBYSCORE sc +inf -inf
= ZREVRANGEBYSCORE sc 3 2 WITHSCORES
= ZREVRANGEBYSCORE sc (3 (2
= ZREVRANGEBYSCORE sc 2 3
= ZREVRANGEBYSCORE sc +inf -inf LIMIT 2 2
= ZRANGE sc 0 -1
= ZRANGE sc 0 -1 WITHSCORES
= ZRANGE sc 2 4
= ZRANGE sc -3 -1
= ZRANGE sc -100 100
= ZRANGE sc 5 2
= ZRANGE sc 100 200
= ZRANGE sc 0 0 REV
= ZRANGE sc 0 2 REV WITHSCORES
= ZRANGE sc (2 5 BYSCORE
= ZRANGE sc 5 (2 BYSCORE REV
= ZRANGE sc (2 5 BYSCORE REV
= ZRANGE sc -inf +inf BYSCORE LIMIT 2 2 WITHSCORES
= ZRANGE sc +inf -inf BYSCORE REV LIMIT 1 2
= ZRANGE sc 0 -1 LIMIT 0 1
= ZRANGE sc 0 -1 LIMIT 0 -1
= ZRANGE sc 0 -1 REV REV
= ZRANGE sc 0 -1 BYSCORE BYLEX
= ZRANGE sc a b
= ZRANGE sc 0 1 BYSCORE LIMIT 0 x
= ZRANGE nokey 0 -1
= ZRANGE str 0 -1
= ZRANGE str x y
= ZREVRANGE sc 0 2
= ZREVRANGE sc 0 -1 WITHSCORES
= ZREVRANGE sc 0 -1 REV
= ZREVRANGE sc 0 -1 LIMIT 0 1
= ZREVRANGE nokey 0 1
= ZCOUNT sc -inf +inf
= ZCOUNT sc (2 3
= ZCOUNT sc 3 2
= ZCOUNT sc x 2
= ZCOUNT nokey 0 1
= ZCOUNT str 0 1
= ZRANGESTORE rs sc 0 2
= ZRANGE rs 0 -1 WITHSCORES
= ZRANGESTORE rs sc (2 +inf BYSCORE LIMIT 0 2
= ZRANGE rs 0 -1 WITHSCORES
= ZRANGESTORE rs sc [b [d BYLEX
= ZRANGESTORE rs lex [b [d BYLEX
= ZRANGE rs 0 -1
= ZRANGESTORE rs sc 0 -1 REV
= ZRANGE rs 0 -1
= ZRANGESTORE rs sc 10 20
= EXISTS rs
= ZRANGESTORE rs nokey 0 -1
= ZRANGESTORE str2 sc 0 0
= TYPE str2
= ZRANGESTORE rs sc 0 -1 WITHSCORES
= ZRANGESTORE rs str 0 -1
= ZRANGESTORE rs sc 0 -1 LIMIT 0 1
= ZADD pop 1 a 2 b 3 c 4 d 5 e
= ZPOPMIN pop
= ZPOPMAX pop
= ZPOPMIN pop 2
= ZPOPMAX pop 0
= ZPOPMIN pop -1
= ZPOPMIN pop x
= ZPOPMIN pop 1 2
= ZPOPMAX pop 10
= EXISTS pop
= ZPOPMIN pop
= ZPOPMIN pop 3
= ZPOPMIN str
= ZPOPMIN str 0
= ZADD mp 1 a 2 b 3 c
= ZMPOP 1 mp MIN
= ZMPOP 2 nokey mp MAX COUNT 10
= ZMPOP 1 mp MIN
= ZMPOP 2 nokey mp min
= ZADD mp 1 a 2 b 3 c
= ZMPOP 2 str mp MIN
= ZMPOP 2 mp str MIN
= ZMPOP 0 mp MIN
= ZMPOP -1 mp MIN
= ZMPOP x mp MIN
= ZMPOP 5 mp MIN
= ZMPOP 1 mp FOO
= ZMPOP 1 mp MIN COUNT
= ZMPOP 1 mp MIN COUNT 0
= ZMPOP 1 mp MIN COUNT -1
= ZMPOP 1 mp MIN COUNT x
= ZMPOP 1 mp MIN COUNT 1 COUNT 1
= ZMPOP 1 mp MAX count 1
= ZMPOP 1 mp
~ ZRANDMEMBER sc
= ZRANDMEMBER nokey
= ZRANDMEMBER nokey 3
= ZRANDMEMBER nokey 3 WITHSCORES
= ZRANDMEMBER sc 0
= ZRANDMEMBER sc 0 WITHSCORES
u ZRANDMEMBER sc 100
p ZRANDMEMBER sc 100 WITHSCORES
p ZRANDMEMBER sc 9 withscores
~ ZRANDMEMBER sc 3
~ ZRANDMEMBER sc -20
~ ZRANDMEMBER sc -20 WITHSCORES
= ZRANDMEMBER sc 1 FOO
= ZRANDMEMBER sc 1 WITHSCORES x
= ZRANDMEMBER sc x
= ZRANDMEMBER sc -9223372036854775808
= ZRANDMEMBER str
= ZRANDMEMBER str 1
= ZRANDMEMBER fmt 1 WITHSCORES x
p ZRANDMEMBER fmt 100 WITHSCORES
s ZSCAN sc 0
s ZSCAN sc 0 MATCH [a-c]
s ZSCAN sc 0 COUNT 1
s ZSCAN fmt 0
s ZSCAN nokey 0
= ZSCAN sc x
= ZSCAN sc 0 COUNT 0
= ZSCAN sc 0 FOO bar
= ZSCAN str 0
= ZADD za 1 a 2 b 3 c
= ZADD zb 10 b 20 c 30 d
= SADD sa a b x
= ZUNION 2 za zb
= ZUNION 2 za zb WITHSCORES
= ZUNION 3 za zb sa WITHSCORES
= ZUNION 2 za zb WEIGHTS 2 3 WITHSCORES
= ZUNION 2 za zb WEIGHTS 2 -1 AGGREGATE MIN WITHSCORES
= ZUNION 2 za zb AGGREGATE MAX WITHSCORES
= ZUNION 2 za zb aggregate sum withscores
= ZUNION 2 za nokey WITHSCORES
= ZUNION 1 nokey
= ZUNION 2 za str
= ZUNION 2 nokey str
= ZUNION 0 za
= ZUNION -1 za
= ZUNION x za
= ZUNION 3 za zb
= ZUNION 2 za zb WEIGHTS 1
= ZUNION 2 za zb WEIGHTS 1 x
= ZUNION 2 za zb WEIGHTS 1 nan
= ZUNION 2 za zb AGGREGATE
= ZUNION 2 za zb AGGREGATE avg
= ZUNION 2 za zb FOO
= ZUNION 2 za zb WITHSCORES WITHSCORES
= ZINTER 2 za zb WITHSCORES
= ZINTER 3 za zb sa WITHSCORES
= ZINTER 2 za sa WEIGHTS 1 5 AGGREGATE MAX WITHSCORES
= ZINTER 2 za nokey
= ZINTER 2 za za WITHSCORES
= ZINTER 2 nokey str
= ZINTER 1 za WEIGHTS 0.5 WITHSCORES
= ZDIFF 2 za zb
= ZDIFF 2 za zb WITHSCORES
= ZDIFF 3 za zb sa WITHSCORES
= ZDIFF 1 nokey
= ZDIFF 2 nokey za
= ZDIFF 2 za za
= ZDIFF 2 za zb WEIGHTS 1 1
= ZDIFF 2 za zb AGGREGATE SUM
= ZDIFF 2 nokey str
= ZDIFF 1 sa WITHSCORES
= ZUNIONSTORE zd 2 za zb
= ZRANGE zd 0 -1 WITHSCORES
= ZUNIONSTORE zd 2 za zb WEIGHTS 1 2 AGGREGATE MIN
= ZRANGE zd 0 -1 WITHSCORES
= ZUNIONSTORE zd 2 za zb WITHSCORES
= ZINTERSTORE zd 2 za zb
= ZRANGE zd 0 -1 WITHSCORES
= ZINTERSTORE zd 2 za nokey
= EXISTS zd
= ZDIFFSTORE zd 2 za zb
= ZRANGE zd 0 -1 WITHSCORES
= ZDIFFSTORE zd 2 za za
= EXISTS zd
= ZUNIONSTORE str2 1 za
= TYPE str2
= ZUNIONSTORE zd 0 za
= ZINTERSTORE zd 0 za
= ZDIFFSTORE zd 0 za
= ZUNIONSTORE zd 1 str
= ZADD infs inf a -inf b 1 c
= ZADD infs2 -inf a inf b 2 c
= ZUNION 2 infs infs2 WITHSCORES
= ZINTER 2 infs infs2 WITHSCORES
= ZUNION 2 infs infs2 WEIGHTS 0 1 WITHSCORES
= ZUNION 2 infs infs2 WEIGHTS -0 -0 WITHSCORES
= ZUNIONSTORE negd 2 infs infs2 WEIGHTS -0 -0
= ZRANGE negd 0 -1 WITHSCORES
= ZINTERCARD 2 za zb
= ZINTERCARD 2 za zb LIMIT 1
= ZINTERCARD 2 za zb LIMIT 0
= ZINTERCARD 3 za zb sa
= ZINTERCARD 2 za nokey
= ZINTERCARD 1 za WEIGHTS 2
= ZINTERCARD 1 za AGGREGATE MAX
= ZINTERCARD 0 za
= ZINTERCARD -1 za
= ZINTERCARD x za
= ZINTERCARD 3 za
= ZINTERCARD 1 za LIMIT -1
= ZINTERCARD 1 za LIMIT x
= ZINTERCARD 1 za WITHSCORES
= ZINTERCARD 1 str
= ZADD rem 1 a 2 b 3 c 4 d 5 e 6 f
= ZREMRANGEBYRANK rem 0 0
= ZREMRANGEBYRANK rem -2 -1
= ZREMRANGEBYRANK rem 5 1
= ZREMRANGEBYRANK rem x 1
= ZREMRANGEBYRANK nokey 0 -1
= ZREMRANGEBYRANK str 0 -1
= ZRANGE rem 0 -1 WITHSCORES
= ZREMRANGEBYSCORE rem (2 3
= ZREMRANGEBYSCORE rem x 3
= ZREMRANGEBYSCORE nokey 0 1
= ZRANGE rem 0 -1 WITHSCORES
= ZREMRANGEBYSCORE rem -inf +inf
= EXISTS rem
= ZADD reml 0 a 0 b 0 c 0 d
= ZREMRANGEBYLEX reml (a [c
= ZREMRANGEBYLEX reml x y
= ZREMRANGEBYLEX nokey - +
= ZRANGE reml 0 -1
= ZREMRANGEBYLEX reml - +
= EXISTS reml
= ZADD
= ZADD z 1
= ZRANGE z 0
= ZRANGESTORE d z 0
= ZUNIONSTORE d 1
= ZINTERCARD 1
= ZMPOP 1 z
= ZSCAN z
"#;

/// Generated part: many range queries over one fixed set, in every form.
fn generated() -> Vec<(Mode, Vec<Vec<u8>>)> {
    let mut out = Vec::new();
    let mut push = |parts: Vec<String>| {
        out.push((
            Mode::Exact,
            parts.into_iter().map(String::into_bytes).collect(),
        ));
    };
    let bounds = [
        "-inf", "+inf", "0", "1", "(1", "2", "(2", "2.5", "(3", "5", "(5", "100",
    ];
    for min in bounds {
        for max in ["+inf", "2", "(3", "5", "-inf"] {
            push(vec![
                "ZRANGEBYSCORE".into(),
                "sc".into(),
                min.into(),
                max.into(),
                "WITHSCORES".into(),
            ]);
            push(vec![
                "ZREVRANGEBYSCORE".into(),
                "sc".into(),
                max.into(),
                min.into(),
            ]);
            push(vec!["ZCOUNT".into(), "sc".into(), min.into(), max.into()]);
        }
    }
    let lex = [
        "-", "+", "[a", "(a", "[aa", "(ab", "[c", "(e", "[\u{7f}", "[zz",
    ];
    for min in lex {
        for max in ["+", "[c", "(d", "-", "[ab"] {
            push(vec![
                "ZRANGEBYLEX".into(),
                "lex".into(),
                min.into(),
                max.into(),
            ]);
            push(vec![
                "ZLEXCOUNT".into(),
                "lex".into(),
                min.into(),
                max.into(),
            ]);
        }
    }
    for start in ["-20", "-3", "-1", "0", "1", "4", "8", "9", "50"] {
        for stop in ["-20", "-2", "-1", "0", "3", "8", "100"] {
            push(vec![
                "ZRANGE".into(),
                "sc".into(),
                start.into(),
                stop.into(),
                "WITHSCORES".into(),
            ]);
            push(vec![
                "ZREVRANGE".into(),
                "sc".into(),
                start.into(),
                stop.into(),
            ]);
        }
    }
    // A set big enough to be a skiplist in Redis (keeps -0, scans in pages).
    let mut big = vec!["ZADD".to_owned(), "big".to_owned()];
    for i in 0..140 {
        big.push(format!("{}", i % 7));
        big.push(format!("m{i:03}"));
    }
    big.push("-0".into());
    big.push("neg".into());
    push(big);
    push(vec!["ZSCORE".into(), "big".into(), "neg".into()]);
    push(vec![
        "ZRANGE".into(),
        "big".into(),
        "0".into(),
        "30".into(),
        "WITHSCORES".into(),
    ]);
    push(vec![
        "ZRANGE".into(),
        "big".into(),
        "(3".into(),
        "5".into(),
        "BYSCORE".into(),
        "LIMIT".into(),
        "5".into(),
        "10".into(),
    ]);
    push(vec!["ZRANK".into(), "big".into(), "m100".into()]);
    push(vec![
        "ZINCRBY".into(),
        "big".into(),
        "-0".into(),
        "neg".into(),
    ]);
    push(vec![
        "ZUNION".into(),
        "1".into(),
        "big".into(),
        "WEIGHTS".into(),
        "-1".into(),
        "WITHSCORES".into(),
    ]);
    push(vec![
        "ZUNIONSTORE".into(),
        "bigcopy".into(),
        "1".into(),
        "big".into(),
        "WEIGHTS".into(),
        "-1".into(),
    ]);
    push(vec![
        "ZRANGE".into(),
        "bigcopy".into(),
        "0".into(),
        "-1".into(),
        "WITHSCORES".into(),
    ]);
    push(vec![
        "ZREMRANGEBYRANK".into(),
        "big".into(),
        "0".into(),
        "20".into(),
    ]);
    push(vec![
        "ZRANGESTORE".into(),
        "small".into(),
        "big".into(),
        "0".into(),
        "5".into(),
    ]);
    push(vec![
        "ZADD".into(),
        "small".into(),
        "-0".into(),
        "nz".into(),
    ]);
    push(vec!["ZSCORE".into(), "small".into(), "nz".into()]);
    // A long member makes even a small set a skiplist.
    let long = "x".repeat(70);
    push(vec![
        "ZADD".into(),
        "longm".into(),
        "-0".into(),
        long.clone(),
    ]);
    push(vec!["ZSCORE".into(), "longm".into(), long]);
    push(vec!["ZADD".into(), "grow".into(), "-0".into(), "a".into()]);
    push(vec![
        "ZADD".into(),
        "grow".into(),
        "1".into(),
        "y".repeat(65),
    ]);
    push(vec!["ZADD".into(), "grow".into(), "-0".into(), "b".into()]);
    push(vec![
        "ZRANGE".into(),
        "grow".into(),
        "0".into(),
        "-1".into(),
        "WITHSCORES".into(),
    ]);
    out
}

fn script() -> Vec<(Mode, Vec<Vec<u8>>)> {
    let mut out = Vec::new();
    for line in SCRIPT.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (mode, rest) = line.split_once(' ').unwrap();
        let mode = match mode {
            "=" => Mode::Exact,
            "u" => Mode::Unordered,
            "p" => Mode::Pairs,
            "s" => Mode::Scan,
            "~" => Mode::Shape,
            other => panic!("bad mode {other}"),
        };
        let parts = rest.split_whitespace().map(token).collect();
        out.push((mode, parts));
    }
    out.extend(generated());
    out
}

#[test]
fn sets_and_sorted_sets_match_redis() {
    let server = RedisServer::start().unwrap();
    let mut conn = server.connection().unwrap();
    let engine = Engine::new(Arc::new(ManualClock::new(1_700_000_000_000)));
    let commands = script();
    assert!(
        commands.len() > 500,
        "script has {} commands",
        commands.len()
    );
    let mut failures = Vec::new();
    let mut compared = 0;
    for (mode, parts) in &commands {
        // The engine under test may lack keyspace commands owned elsewhere.
        let name = String::from_utf8_lossy(&parts[0]).to_ascii_uppercase();
        let mut cmd = redis::cmd(&name);
        for p in &parts[1..] {
            cmd.arg(p.as_slice());
        }
        let want = cmd
            .query::<redis::Value>(&mut conn)
            .map_err(|e| error_text(&e))
            .and_then(convert);
        if !engine.supports(&name) {
            continue;
        }
        compared += 1;
        let got = engine.execute(parts);
        let (want, got) = (normalise(*mode, &name, want), normalise(*mode, &name, got));
        if want != got {
            failures.push(format!(
                "{mode:?} {}\n  redis:  {want:?}\n  engine: {got:?}",
                parts
                    .iter()
                    .map(|p| String::from_utf8_lossy(p).into_owned())
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
    }
    assert!(compared > 500, "only {compared} commands compared");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
