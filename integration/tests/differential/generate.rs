//! The command generator: universes of keys and arguments, and a table of
//! small generators ([`FAMILIES`]), each turning random numbers into one
//! kind of command line.

use proptest::prelude::*;

/// Blocking timeouts in seconds: short waits and Redis's three errors.
const TIMEOUTS: &[&str] = &["0.01", "0.01", "0.01", "x", "-1", "1e300"];
const KEYS: &[&str] = &["k1", "k2", "k3", "s", "h", "l", "t", "z"];
const HLL_KEYS: &[&str] = &["h1", "h2"];
const HLL_OR_KEYS: &[&str] = &["h1", "h2", "k1", "s"];
/// Keys the lex-range commands read: Redis leaves a lex range over
/// different scores unspecified (its answer then depends on the encoding), so
/// these keys only ever get members with score 0 (see their writers in [`FAMILIES`]).
const LEX_KEYS: &[&str] = &["z1", "z2"];
const FIELDS: &[&str] = &["f1", "f2", "f3", "1"];
/// Stream keys, plus one that usually holds another type.
const STREAM_KEYS: &[&str] = &["x1", "x1", "x2", "k1"];
/// Explicit, partial and invalid IDs (never `*`: its time is the server's).
const STREAM_IDS: &[&str] = &[
    "1-1", "1-2", "2-0", "3", "3-5", "5-*", "7-*", "0-0", "0-1", "10", "x", "1-x",
];
const RANGE_IDS: &[&str] = &["-", "+", "0", "1-1", "(1-1", "2", "3-5", "(10", "5", "x"];
const GROUPS: &[&str] = &["g1", "g1", "g2"];
const CONSUMERS: &[&str] = &["c1", "c2", "c3"];
/// Scripts of the differential: calls, pcall, conversions, errors, flags.
const SCRIPTS: &[&str] = &[
    "return redis.call('GET', KEYS[1])",
    "return redis.call('SET', KEYS[1], ARGV[1])",
    "return redis.call('INCR', KEYS[1])",
    "return redis.pcall('INCR', KEYS[1])",
    "local r = redis.pcall('LPUSH', KEYS[1], ARGV[1])\nif type(r) == 'table' and r.err then return 'caught: ' .. r.err end\nreturn r",
    "return {redis.call('EXISTS', KEYS[1]), ARGV[1], 3.7, -2.5, 'x', false, 'after'}",
    "return redis.call('HLEN', KEYS[1])",
    "error('boom')",
    "return redis.call('nosuch', KEYS[1])",
    "return cjson.encode({redis.call('TYPE', KEYS[1]).ok, #ARGV})",
    "return redis.status_reply('DONE')",
    "return redis.error_reply('MY failure')",
    "#!lua flags=no-writes\nreturn redis.call('SET', KEYS[1], 'x')",
    "#!lua flags=no-writes\nreturn redis.call('STRLEN', KEYS[1])",
    "return bit.band(tonumber(ARGV[1]) or 0, 6)",
    "return y",
    "retur 1",
    "local ok, e = pcall(redis.call, 'INCR', KEYS[1])\nif ok then return e end\nreturn e.err",
    "return redis.call('SET', KEYS[1])",
    "return {ok = 'fine'}",
    "#!lua flags=bogus\nreturn 1",
    "return redis.call('XADD', KEYS[1], '9-*', 'f', ARGV[1])",
];
const MEMBERS: &[&str] = &["a", "b", "c", "d", "1", "2"];
const VALUES: &[&str] = &[
    "v",
    "1",
    "-7",
    "2.5",
    "",
    "abc",
    "10",
    "9223372036854775807",
];
const INTS: &[&str] = &[
    "0", "1", "-1", "2", "-2", "3", "5", "-100", "100", "x", "1.5",
];
const COUNTS: &[&str] = &["0", "1", "2", "3", "10", "-1", "-3", "x"];
const FLOATS: &[&str] = &[
    "0",
    "1.5",
    "-2",
    "3e2",
    "0.1",
    "inf",
    "x",
    "10",
    "1e308",
    "-0",
    "5e-3",
    "0x10",
    " 1",
    "1.",
    "17976931348623157e292",
];
const SCORES: &[&str] = &[
    "0",
    "1",
    "-1",
    "2.5",
    "3",
    "inf",
    "-inf",
    "nan",
    "x",
    "1e2",
    "0.1",
    "-0",
    "(1",
    "1e400",
    "123456789.123456789",
];
const MIN_SCORES: &[&str] = &["-inf", "0", "(1", "1", "2.5", "+inf", "x", "(x"];
const MAX_SCORES: &[&str] = &["+inf", "3", "(3", "1", "-inf", "2.5"];
const LEX_MIN: &[&str] = &["-", "[a", "(b", "[1", "+", "x"];
const LEX_MAX: &[&str] = &["+", "[c", "(d", "[2", "-"];
const PATTERNS: &[&str] = &["*", "k*", "k[12]", "?1", "f*", "*3", "[a-c]", "nomatch"];
/// Relative TTLs: long enough that nothing expires during a run, plus invalid ones.
const SECS: &[&str] = &["100000", "200000", "0", "-5", "x"];
const MILLIS: &[&str] = &["100000000", "300000000", "0", "-5", "x"];
/// Absolute times, resolved against the case start by `resolve` (main.rs).
const AT_SECS: &[&str] = &["@past_s", "@fut1_s", "@fut2_s", "1", "x"];
const AT_MILLIS: &[&str] = &["@past_ms", "@fut1_ms", "@fut2_ms", "1", "x"];

/// Reads choices from the random parameters one after another.
struct Pick<'a> {
    params: &'a [u16],
    at: usize,
    /// The keys this command's family mostly uses; see [`Family`].
    home: &'static [&'static str],
}

impl Pick<'_> {
    fn n(&mut self, bound: usize) -> usize {
        let v = self.params.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        usize::from(v) % bound.max(1)
    }
    fn of(&mut self, items: &[&str]) -> String {
        let i = self.n(items.len());
        item(items, i)
    }
    fn key(&mut self) -> String {
        if self.n(5) == 0 {
            self.of(KEYS)
        } else {
            self.of(self.home)
        }
    }
    fn keys(&mut self, min: usize) -> Vec<String> {
        let n = min + self.n(3);
        (0..n).map(|_| self.key()).collect()
    }
    fn flag(&mut self) -> bool {
        self.n(2) == 0
    }
    fn many(&mut self, items: &[&str], min: usize) -> Vec<String> {
        let n = min + self.n(3);
        (0..n).map(|_| self.of(items)).collect()
    }
}

/// Builds one command line from the random choices in a [`Pick`].
type Gen = fn(&mut Pick) -> Vec<String>;

/// One command family: the keys it mostly uses, and its generators, each
/// with its weight (how many of the [`slots`] select it).
///
/// Each family mostly works on a key of its own and one shared with another
/// family, so values grow to interesting sizes, while one command in five
/// still picks any key (WRONGTYPE, cross-type RENAME/COPY/DEL).
struct Family {
    home: &'static [&'static str],
    gens: &'static [(u16, Gen)],
    /// Whether its commands are sometimes cut to the bare name or replaced
    /// by an unknown one (streams and scripts have their own error cases).
    mangled: bool,
}

fn s(x: &str) -> String {
    x.to_owned()
}

/// Every generator, in selector order: the first weight's worth of
/// selectors picks the first generator, and so on.
const FAMILIES: &[Family] = &[
    // Strings and bitmaps: their own key `s`, and `k1` shared with sets.
    Family {
        home: &["s", "s", "k1"],
        mangled: true,
        gens: &[
            (2, |p| vec![s("SET"), p.key(), p.of(VALUES)]),
            (1, |p| {
                let mut c = vec![s("SET"), p.key(), p.of(VALUES)];
                for _ in 0..p.n(3) {
                    match p.n(9) {
                        0 => c.push(s("NX")),
                        1 => c.push(s("XX")),
                        2 => c.push(s("GET")),
                        3 => c.push(s("KEEPTTL")),
                        4 => c.extend([s("EX"), p.of(SECS)]),
                        5 => c.extend([s("PX"), p.of(MILLIS)]),
                        6 => c.extend([s("EXAT"), p.of(AT_SECS)]),
                        7 => c.extend([s("PXAT"), p.of(AT_MILLIS)]),
                        _ => c.push(s("BOGUS")),
                    }
                }
                c
            }),
            (2, |p| vec![s("GET"), p.key()]),
            (1, |p| {
                let mut c = vec![s("GETEX"), p.key()];
                match p.n(7) {
                    0 => c.push(s("PERSIST")),
                    1 => c.extend([s("EX"), p.of(SECS)]),
                    2 => c.extend([s("PX"), p.of(MILLIS)]),
                    3 => c.extend([s("EXAT"), p.of(AT_SECS)]),
                    4 => c.extend([s("PXAT"), p.of(AT_MILLIS)]),
                    5 => c.push(s("EX")),
                    _ => {}
                }
                c
            }),
            (1, |p| vec![s("GETDEL"), p.key()]),
            (1, |p| vec![s("GETSET"), p.key(), p.of(VALUES)]),
            (1, |p| vec![s("SETNX"), p.key(), p.of(VALUES)]),
            (1, |p| vec![s("SETEX"), p.key(), p.of(SECS), p.of(VALUES)]),
            (1, |p| {
                vec![s("PSETEX"), p.key(), p.of(MILLIS), p.of(VALUES)]
            }),
            (1, |p| [vec![s("MGET")], p.keys(1)].concat()),
            (1, |p| {
                let name = if p.flag() { "MSET" } else { "MSETNX" };
                let mut c = vec![s(name)];
                for _ in 0..1 + p.n(3) {
                    c.extend([p.key(), p.of(VALUES)]);
                }
                if p.n(6) == 0 {
                    c.pop();
                }
                c
            }),
            (1, |p| vec![s("APPEND"), p.key(), p.of(VALUES)]),
            (1, |p| vec![s("STRLEN"), p.key()]),
            (1, |p| vec![s("GETRANGE"), p.key(), p.of(INTS), p.of(INTS)]),
            (1, |p| vec![s("SUBSTR"), p.key(), p.of(INTS), p.of(INTS)]),
            (1, |p| {
                vec![
                    s("SETRANGE"),
                    p.key(),
                    p.of(&["0", "1", "3", "-1", "x", "20", "536870912"]),
                    p.of(VALUES),
                ]
            }),
            (1, |p| vec![s(["INCR", "DECR"][p.n(2)]), p.key()]),
            (1, |p| {
                vec![s(["INCRBY", "DECRBY"][p.n(2)]), p.key(), p.of(INTS)]
            }),
            (1, |p| vec![s("INCRBYFLOAT"), p.key(), p.of(FLOATS)]),
            (1, |p| {
                vec![
                    s("SETBIT"),
                    p.key(),
                    p.of(&["0", "1", "7", "13", "-1", "x", "4294967296", "100"]),
                    p.of(&["0", "1", "1", "2"]),
                ]
            }),
            (1, |p| {
                vec![
                    s("GETBIT"),
                    p.key(),
                    p.of(&["0", "1", "7", "13", "100", "-1"]),
                ]
            }),
            (1, |p| {
                let mut c = vec![s("BITCOUNT"), p.key()];
                match p.n(4) {
                    0 => {}
                    1 => c.extend([p.of(INTS), p.of(INTS)]),
                    2 => c.extend([p.of(INTS), p.of(INTS), p.of(&["BYTE", "BIT", "bogus"])]),
                    _ => c.push(p.of(INTS)),
                }
                c
            }),
            (1, |p| {
                let mut c = vec![
                    s("BITPOS"),
                    p.key(),
                    p.of(&["0", "1", "1", "0", "0", "1", "2", "x"]),
                ];
                let n = p.n(6);
                c.extend((0..n.min(2)).map(|_| p.of(INTS)));
                if n >= 3 {
                    c.push(p.of(&["BYTE", "BIT", "bit", "bogus"]));
                }
                if n == 5 {
                    c.push(p.of(INTS));
                }
                c
            }),
            (1, |p| {
                // One in four is Redis 8.2's (a syntax error in 7.0) or unknown.
                let op = p.of(&[
                    "AND", "OR", "XOR", "NOT", "AND", "OR", "XOR", "NOT", "and", "or", "xor",
                    "not", "Not", "oR", "aNd", "DIFF", "DIFF1", "ANDOR", "ONE", "bogus",
                ]);
                let mut c = vec![s("BITOP"), op.clone(), p.key()];
                let n = if op.eq_ignore_ascii_case("not") && p.n(4) != 0 {
                    1
                } else {
                    1 + p.n(3)
                };
                for _ in 0..n {
                    c.push(if p.n(6) == 0 { s("missing") } else { p.key() });
                }
                c
            }),
            (2, |p| bitfield_command(p, "BITFIELD", 3)),
            (1, |p| bitfield_command(p, "BITFIELD_RO", 15)),
        ],
    },
    // Keys, server and scripting: any key.
    Family {
        home: KEYS,
        mangled: true,
        gens: &[
            (2, |p| {
                [
                    vec![s(["DEL", "UNLINK", "EXISTS", "TOUCH"][p.n(4)])],
                    p.keys(1),
                ]
                .concat()
            }),
            (1, |p| vec![s("TYPE"), p.key()]),
            (1, |p| {
                vec![s(["RENAME", "RENAMENX"][p.n(2)]), p.key(), p.key()]
            }),
            (1, |p| {
                let mut c = vec![s("COPY"), p.key(), p.key()];
                match p.n(4) {
                    0 => c.push(s("REPLACE")),
                    1 => c.extend([s("DB"), s("0")]),
                    2 => c.push(s("BOGUS")),
                    _ => {}
                }
                c
            }),
            (2, |p| {
                // Relative: NX/XX only (see the module docs on GT/LT).
                let (name, amount) = if p.flag() {
                    ("EXPIRE", p.of(SECS))
                } else {
                    ("PEXPIRE", p.of(MILLIS))
                };
                let mut c = vec![s(name), p.key(), amount];
                match p.n(4) {
                    0 => c.push(s("NX")),
                    1 => c.push(s("XX")),
                    2 => c.push(s("BOGUS")),
                    _ => {}
                }
                c
            }),
            (2, |p| {
                let (name, at) = if p.flag() {
                    ("EXPIREAT", p.of(AT_SECS))
                } else {
                    ("PEXPIREAT", p.of(AT_MILLIS))
                };
                let mut c = vec![s(name), p.key(), at];
                for _ in 0..p.n(3) {
                    c.push(p.of(&["NX", "XX", "GT", "LT", "gt"]));
                }
                c
            }),
            (1, |p| {
                vec![
                    s(["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"][p.n(4)]),
                    p.key(),
                ]
            }),
            (1, |p| vec![s("PERSIST"), p.key()]),
            (1, |p| vec![s("KEYS"), p.of(PATTERNS)]),
            // scripts, so only the cache misses are comparable)
            (1, |p| match p.n(12) {
                0 => vec![s("DBSIZE")],
                1 => vec![s("RANDOMKEY")],
                2 => vec![s("PING")],
                3 => vec![s("TIME")],
                4 => vec![s("PING"), p.of(VALUES)],
                5 => vec![s("ECHO"), p.of(VALUES)],
                6 => vec![s("PUBLISH"), s("chan"), p.of(VALUES)],
                7 => vec![
                    s("EVALSHA"),
                    s("ffffffffffffffffffffffffffffffffffffffff"),
                    s("0"),
                ],
                8 => vec![
                    s("SCRIPT"),
                    s("EXISTS"),
                    s("ffffffffffffffffffffffffffffffffffffffff"),
                ],
                9 => vec![s("FLUSHDB")],
                10 => vec![s("PING"), s("a"), s("b")],
                _ => vec![s("DBSIZE"), s("extra")],
            }),
            (1, |p| {
                let mut c = vec![s("SCAN"), s("0"), s("COUNT"), s("1000")];
                if p.flag() {
                    c.extend([s("MATCH"), p.of(PATTERNS)]);
                }
                if p.n(3) == 0 {
                    c.extend([
                        s("TYPE"),
                        p.of(&["string", "list", "hash", "set", "zset", "nope"]),
                    ]);
                }
                c
            }),
        ],
    },
    // Hashes: `h`, and `k2` shared with sorted sets.
    Family {
        home: &["h", "h", "k2"],
        mangled: true,
        gens: &[
            (2, |p| {
                let mut c = vec![s(["HSET", "HMSET"][p.n(2)]), p.key()];
                for _ in 0..1 + p.n(3) {
                    c.extend([p.of(FIELDS), p.of(VALUES)]);
                }
                if p.n(8) == 0 {
                    c.pop();
                }
                c
            }),
            (1, |p| {
                vec![s("HSETNX"), p.key(), p.of(FIELDS), p.of(VALUES)]
            }),
            (1, |p| {
                vec![
                    s(["HGET", "HEXISTS", "HSTRLEN"][p.n(3)]),
                    p.key(),
                    p.of(FIELDS),
                ]
            }),
            (1, |p| {
                [
                    vec![s(["HMGET", "HDEL"][p.n(2)]), p.key()],
                    p.many(FIELDS, 1),
                ]
                .concat()
            }),
            (1, |p| {
                vec![s(["HGETALL", "HKEYS", "HVALS", "HLEN"][p.n(4)]), p.key()]
            }),
            (1, |p| vec![s("HINCRBY"), p.key(), p.of(FIELDS), p.of(INTS)]),
            (1, |p| {
                vec![s("HINCRBYFLOAT"), p.key(), p.of(FIELDS), p.of(FLOATS)]
            }),
            (1, |p| {
                let mut c = vec![s("HRANDFIELD"), p.key()];
                if p.flag() {
                    c.push(p.of(COUNTS));
                    if p.flag() {
                        c.push(p.of(&["WITHVALUES", "BOGUS"]));
                    }
                }
                c
            }),
            (1, |p| {
                let mut c = vec![s("HSCAN"), p.key(), s("0"), s("COUNT"), s("1000")];
                if p.flag() {
                    c.extend([s("MATCH"), p.of(PATTERNS)]);
                }
                c
            }),
        ],
    },
    // Lists: `l`, and `k3`.
    Family {
        home: &["l", "l", "k3"],
        mangled: true,
        gens: &[
            (2, |p| {
                [
                    vec![s(["LPUSH", "RPUSH", "LPUSHX", "RPUSHX"][p.n(4)]), p.key()],
                    p.many(MEMBERS, 1),
                ]
                .concat()
            }),
            (1, |p| {
                let mut c = vec![s(["LPOP", "RPOP"][p.n(2)]), p.key()];
                if p.flag() {
                    c.push(p.of(COUNTS));
                }
                c
            }),
            (1, |p| vec![s("LLEN"), p.key()]),
            (1, |p| vec![s("LRANGE"), p.key(), p.of(INTS), p.of(INTS)]),
            (1, |p| vec![s("LINDEX"), p.key(), p.of(INTS)]),
            (1, |p| vec![s("LSET"), p.key(), p.of(INTS), p.of(MEMBERS)]),
            (1, |p| {
                vec![
                    s("LINSERT"),
                    p.key(),
                    p.of(&["BEFORE", "AFTER", "after", "MIDDLE"]),
                    p.of(MEMBERS),
                    p.of(MEMBERS),
                ]
            }),
            (1, |p| vec![s("LREM"), p.key(), p.of(INTS), p.of(MEMBERS)]),
            (1, |p| vec![s("LTRIM"), p.key(), p.of(INTS), p.of(INTS)]),
            (1, |p| {
                let mut c = vec![s("LPOS"), p.key(), p.of(MEMBERS)];
                for _ in 0..p.n(3) {
                    match p.n(4) {
                        0 => c.extend([s("RANK"), p.of(INTS)]),
                        1 => c.extend([s("COUNT"), p.of(COUNTS)]),
                        2 => c.extend([s("MAXLEN"), p.of(COUNTS)]),
                        _ => c.push(s("BOGUS")),
                    }
                }
                c
            }),
            (1, |p| {
                let ends = ["LEFT", "RIGHT", "left", "UP"];
                vec![
                    s("LMOVE"),
                    p.key(),
                    p.key(),
                    s(ends[p.n(4)]),
                    s(ends[p.n(4)]),
                ]
            }),
            (1, |p| vec![s("RPOPLPUSH"), p.key(), p.key()]),
            // Blocking pops: never a timeout of 0 (Redis would wait for
            // ever on an empty list); 10 ms answers nil as the engine does.
            (1, |p| {
                let mut c = vec![s(["BLPOP", "BRPOP"][p.n(2)])];
                c.extend(p.keys(1));
                c.push(p.of(TIMEOUTS));
                c
            }),
            (1, |p| {
                let ends = ["LEFT", "RIGHT", "UP"];
                vec![
                    s("BLMOVE"),
                    p.key(),
                    p.key(),
                    s(ends[p.n(3)]),
                    s(ends[p.n(3)]),
                    p.of(TIMEOUTS),
                ]
            }),
            (1, |p| {
                vec![s("BRPOPLPUSH"), p.key(), p.key(), p.of(TIMEOUTS)]
            }),
            (1, |p| {
                let keys = p.keys(1);
                let mut c = vec![s("BLMPOP"), p.of(TIMEOUTS), keys.len().to_string()];
                c.extend(keys);
                c.push(p.of(&["LEFT", "RIGHT"]));
                if p.flag() {
                    c.extend([s("COUNT"), p.of(COUNTS)]);
                }
                c
            }),
            (1, |p| {
                let keys = p.keys(1);
                let mut c = vec![s("LMPOP"), keys.len().to_string()];
                if p.n(8) == 0 {
                    c = vec![s("LMPOP"), p.of(&["0", "x", "9"])];
                }
                c.extend(keys);
                c.push(p.of(&["LEFT", "RIGHT", "MIDDLE"]));
                if p.flag() {
                    c.extend([s("COUNT"), p.of(COUNTS)]);
                }
                c
            }),
        ],
    },
    // Sets: `t`, and `k1` shared with strings.
    Family {
        home: &["t", "t", "k1"],
        mangled: true,
        gens: &[
            (2, |p| {
                [
                    vec![s(["SADD", "SREM"][p.n(2)]), p.key()],
                    p.many(MEMBERS, 1),
                ]
                .concat()
            }),
            (1, |p| vec![s(["SMEMBERS", "SCARD"][p.n(2)]), p.key()]),
            (1, |p| vec![s("SISMEMBER"), p.key(), p.of(MEMBERS)]),
            (1, |p| {
                [vec![s("SMISMEMBER"), p.key()], p.many(MEMBERS, 1)].concat()
            }),
            (1, |p| vec![s("SPOP"), p.key(), s(["1000", "5000"][p.n(2)])]),
            (1, |p| {
                let mut c = vec![s("SRANDMEMBER"), p.key()];
                if p.flag() {
                    c.push(p.of(COUNTS));
                }
                c
            }),
            (1, |p| vec![s("SMOVE"), p.key(), p.key(), p.of(MEMBERS)]),
            (1, |p| {
                [vec![s(["SINTER", "SUNION", "SDIFF"][p.n(3)])], p.keys(1)].concat()
            }),
            (1, |p| {
                [
                    vec![
                        s(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"][p.n(3)]),
                        p.key(),
                    ],
                    p.keys(1),
                ]
                .concat()
            }),
            (1, |p| {
                let keys = p.keys(1);
                let mut c = vec![s("SINTERCARD"), keys.len().to_string()];
                c.extend(keys);
                if p.flag() {
                    c.extend([s("LIMIT"), p.of(COUNTS)]);
                }
                c
            }),
            (1, |p| {
                let mut c = vec![s("SSCAN"), p.key(), s("0"), s("COUNT"), s("1000")];
                if p.flag() {
                    c.extend([s("MATCH"), p.of(PATTERNS)]);
                }
                c
            }),
        ],
    },
    // Sorted sets (and HyperLogLogs on their own keys): `z`, and `k2` shared with hashes.
    Family {
        home: &["z", "z", "k2"],
        mangled: true,
        gens: &[
            (3, |p| {
                let mut c = vec![s("ZADD"), p.key()];
                for _ in 0..p.n(3) {
                    c.push(p.of(&["NX", "XX", "GT", "LT", "CH", "INCR"]));
                }
                for _ in 0..1 + p.n(2) {
                    c.extend([p.of(SCORES), p.of(MEMBERS)]);
                }
                c
            }),
            (1, |p| {
                vec![s("ZINCRBY"), p.key(), p.of(SCORES), p.of(MEMBERS)]
            }),
            (1, |p| {
                [vec![s("ZREM"), p.key()], p.many(MEMBERS, 1)].concat()
            }),
            (1, |p| {
                vec![
                    s(["ZSCORE", "ZRANK", "ZREVRANK"][p.n(3)]),
                    p.key(),
                    p.of(MEMBERS),
                ]
            }),
            (1, |p| {
                [vec![s("ZMSCORE"), p.key()], p.many(MEMBERS, 1)].concat()
            }),
            (1, |p| vec![s("ZCARD"), p.key()]),
            (1, |p| {
                vec![s("ZCOUNT"), p.key(), p.of(MIN_SCORES), p.of(MAX_SCORES)]
            }),
            (1, |p| {
                vec![s("ZLEXCOUNT"), p.of(LEX_KEYS), p.of(LEX_MIN), p.of(LEX_MAX)]
            }),
            (1, |p| {
                let mut c = vec![s(["ZPOPMIN", "ZPOPMAX"][p.n(2)]), p.key()];
                if p.flag() {
                    c.push(p.of(COUNTS));
                }
                c
            }),
            (1, |p| {
                let mut c = vec![s(["BZPOPMIN", "BZPOPMAX"][p.n(2)])];
                c.extend(p.keys(1));
                c.push(p.of(TIMEOUTS));
                c
            }),
            (1, |p| {
                let keys = p.keys(1);
                let mut c = vec![s("BZMPOP"), p.of(TIMEOUTS), keys.len().to_string()];
                c.extend(keys);
                c.push(p.of(&["MIN", "MAX"]));
                c
            }),
            (1, |p| {
                let keys = p.keys(1);
                let mut c = vec![s("ZMPOP"), keys.len().to_string()];
                c.extend(keys);
                c.push(p.of(&["MIN", "MAX", "MID"]));
                if p.flag() {
                    c.extend([s("COUNT"), p.of(COUNTS)]);
                }
                c
            }),
            (1, |p| {
                let mut c = vec![s("ZRANDMEMBER"), p.key()];
                if p.flag() {
                    c.push(p.of(COUNTS));
                    if p.flag() {
                        c.push(s("WITHSCORES"));
                    }
                }
                c
            }),
            (2, |p| {
                let form = p.n(3);
                let (name, dest) = if p.n(4) == 0 {
                    ("ZRANGESTORE", Some(p.key()))
                } else {
                    ("ZRANGE", None)
                };
                let mut c = vec![s(name)];
                c.extend(dest);
                match form {
                    0 => c.extend([p.key(), p.of(INTS), p.of(INTS)]),
                    1 => c.extend([p.key(), p.of(MIN_SCORES), p.of(MAX_SCORES), s("BYSCORE")]),
                    _ => c.extend([p.of(LEX_KEYS), p.of(LEX_MIN), p.of(LEX_MAX), s("BYLEX")]),
                }
                for _ in 0..p.n(3) {
                    match p.n(4) {
                        0 => c.push(s("REV")),
                        1 => c.extend([s("LIMIT"), p.of(INTS), p.of(COUNTS)]),
                        2 => c.push(s("WITHSCORES")),
                        _ => c.push(s("BOGUS")),
                    }
                }
                c
            }),
            (1, |p| {
                let mut c = vec![
                    s(["ZREVRANGE", "ZRANGE"][p.n(2)]),
                    p.key(),
                    p.of(INTS),
                    p.of(INTS),
                ];
                if p.flag() {
                    c.push(s("WITHSCORES"));
                }
                c
            }),
            (1, |p| {
                let rev = p.flag();
                let name = if rev {
                    "ZREVRANGEBYSCORE"
                } else {
                    "ZRANGEBYSCORE"
                };
                let (a, b) = (p.of(MIN_SCORES), p.of(MAX_SCORES));
                let mut c = if rev {
                    vec![s(name), p.key(), b, a]
                } else {
                    vec![s(name), p.key(), a, b]
                };
                if p.flag() {
                    c.push(s("WITHSCORES"));
                }
                if p.flag() {
                    c.extend([s("LIMIT"), p.of(INTS), p.of(COUNTS)]);
                }
                c
            }),
            (1, |p| {
                let rev = p.flag();
                let name = if rev { "ZREVRANGEBYLEX" } else { "ZRANGEBYLEX" };
                let (a, b) = (p.of(LEX_MIN), p.of(LEX_MAX));
                let mut c = if rev {
                    vec![s(name), p.of(LEX_KEYS), b, a]
                } else {
                    vec![s(name), p.of(LEX_KEYS), a, b]
                };
                if p.flag() {
                    c.extend([s("LIMIT"), p.of(INTS), p.of(COUNTS)]);
                }
                c
            }),
            (1, |p| match p.n(3) {
                0 => vec![s("ZREMRANGEBYRANK"), p.key(), p.of(INTS), p.of(INTS)],
                1 => vec![
                    s("ZREMRANGEBYSCORE"),
                    p.key(),
                    p.of(MIN_SCORES),
                    p.of(MAX_SCORES),
                ],
                _ => vec![
                    s("ZREMRANGEBYLEX"),
                    p.of(LEX_KEYS),
                    p.of(LEX_MIN),
                    p.of(LEX_MAX),
                ],
            }),
            (2, |p| {
                let kind = p.n(3);
                let store = p.flag();
                let base = ["ZUNION", "ZINTER", "ZDIFF"][kind];
                let keys = p.keys(1);
                let mut c = if store {
                    vec![format!("{base}STORE"), p.key()]
                } else {
                    vec![s(base)]
                };
                c.push(keys.len().to_string());
                c.extend(keys.iter().cloned());
                if kind != 2 {
                    if p.flag() {
                        c.push(s("WEIGHTS"));
                        for _ in 0..keys.len() {
                            c.push(p.of(&["1", "2", "-1", "0.5", "x"]));
                        }
                    }
                    if p.flag() {
                        c.extend([s("AGGREGATE"), p.of(&["SUM", "MIN", "MAX", "AVG"])]);
                    }
                }
                if !store && p.flag() {
                    c.push(s("WITHSCORES"));
                }
                c
            }),
            (1, |p| {
                let keys = p.keys(1);
                let mut c = vec![s("ZINTERCARD"), keys.len().to_string()];
                c.extend(keys);
                if p.flag() {
                    c.extend([s("LIMIT"), p.of(COUNTS)]);
                }
                c
            }),
            (1, |p| match p.n(4) {
                0 => {
                    let mut c = vec![s("ZSCAN"), p.key(), s("0"), s("COUNT"), s("1000")];
                    if p.flag() {
                        c.extend([s("MATCH"), p.of(PATTERNS)]);
                    }
                    c
                }
                // HyperLogLogs live on their own keys: the engine's HLL string
                // encoding is its own (counts match, bytes do not), so string
                // commands must never read one. PFCOUNT/PFMERGE may still read
                // ordinary keys, for their type errors.
                1 => [vec![s("PFADD"), p.of(HLL_KEYS)], p.many(MEMBERS, 0)].concat(),
                2 => [vec![s("PFCOUNT")], p.many(HLL_OR_KEYS, 1)].concat(),
                _ => [vec![s("PFMERGE"), p.of(HLL_KEYS)], p.many(HLL_OR_KEYS, 0)].concat(),
            }),
            // Writers of the lex-range keys: equal scores only, plus now and
            // then another type for WRONGTYPE.
            (1, |p| match p.n(8) {
                0 => vec![s("SADD"), p.of(LEX_KEYS), p.of(MEMBERS)],
                1 => vec![s("DEL"), p.of(LEX_KEYS)],
                2 => [vec![s("ZREM"), p.of(LEX_KEYS)], p.many(MEMBERS, 1)].concat(),
                3 => vec![
                    s("ZRANGE"),
                    p.of(LEX_KEYS),
                    s("0"),
                    s("-1"),
                    s("WITHSCORES"),
                ],
                _ => {
                    let mut c = vec![s("ZADD"), p.of(LEX_KEYS)];
                    if p.n(3) == 0 {
                        c.push(p.of(&["NX", "XX", "CH"]));
                    }
                    for _ in 0..1 + p.n(3) {
                        c.extend([s("0"), p.of(MEMBERS)]);
                    }
                    c
                }
            }),
        ],
    },
    // Bulk writers: past Redis's small-encoding limits (128 entries), so its hashtable/skiplist paths are compared too.
    Family {
        home: KEYS,
        mangled: true,
        gens: &[(1, |p| {
            let n = 120 + p.n(40);
            let key = p.key();
            match p.n(4) {
                0 => [
                    vec![s("SADD"), key],
                    (0..n).map(|i| format!("m{i}")).collect(),
                ]
                .concat(),
                1 => {
                    let mut c = vec![s("HSET"), key];
                    c.extend((0..n).flat_map(|i| [format!("f{i}"), i.to_string()]));
                    c
                }
                2 => {
                    let mut c = vec![s("ZADD"), key];
                    c.extend((0..n).flat_map(|i| [(i % 17).to_string(), format!("m{i}")]));
                    c
                }
                _ => [
                    vec![s("RPUSH"), key],
                    (0..n).map(|i| format!("m{}", i % 9)).collect(),
                ]
                .concat(),
            }
        })],
    },
    // Streams with explicit IDs and consumer groups (no idle times: those are clocks').
    Family {
        home: STREAM_KEYS,
        mangled: false,
        gens: &[(1, stream_command)],
    },
    // Lua: calls, pcall, conversions, errors, flags, EVALSHA of cached or uncached scripts.
    Family {
        home: KEYS,
        mangled: false,
        gens: &[(1, script_command)],
    },
];

/// How many selectors there are: the sum of the weights.
fn slots() -> u16 {
    FAMILIES.iter().flat_map(|f| f.gens).map(|(w, _)| w).sum()
}

/// Builds one command from a selector and random parameters.
fn build(sel: u16, params: &[u16]) -> Vec<String> {
    let mut slot = sel % slots();
    let (home, mangled, gen) = FAMILIES
        .iter()
        .flat_map(|f| f.gens.iter().map(move |g| (f.home, f.mangled, g)))
        .find_map(|(home, mangled, &(weight, gen))| {
            if slot < weight {
                Some((home, mangled, gen))
            } else {
                slot -= weight;
                None
            }
        })
        .unwrap_or((KEYS, false, |_| Vec::new()));
    let mut p = Pick {
        params,
        at: 0,
        home,
    };
    let mut c = gen(&mut p);
    if !mangled {
        return c;
    }
    // Now and then an arity error or an unknown command.
    if p.n(60) == 0 {
        c.truncate(1);
    }
    if p.n(200) == 0 {
        c = vec![s("NOSUCHCMD"), p.key()];
    }
    c
}

/// BITFIELD field types: every width class, the widest of each sign, and
/// (one in seven) Redis's type errors: u64, i0, upper case.
const BITFIELD_TYPES: &[&str] = &[
    "i8", "u8", "i1", "u1", "i3", "u4", "i5", "u7", "i16", "u16", "i32", "u32", "i64", "u63", "i8",
    "u8", "i64", "u63", "u64", "i0", "I8",
];
/// Bit offsets (`#N`: the N-th field), none far enough to make either side
/// allocate much, plus (one in five) invalid ones.
const BITFIELD_OFFSETS: &[&str] = &[
    "0",
    "0",
    "1",
    "2",
    "5",
    "7",
    "8",
    "13",
    "16",
    "100",
    "#0",
    "#0",
    "#1",
    "#2",
    "#3",
    "#5",
    "-1",
    "x",
    "#",
    "4294967296",
];
const BITFIELD_VALUES: &[&str] = &[
    "0",
    "1",
    "-1",
    "5",
    "100",
    "-100",
    "300",
    "-300",
    "x",
    "9223372036854775807",
    "-9223372036854775808",
];

/// BITFIELD or BITFIELD_RO (`name`) with up to three subcommands, each a
/// GET `gets` times in `gets + 5`, else a SET, an INCRBY, an OVERFLOW, a SET
/// lacking its value, or an unknown word. At most three random choices per
/// subcommand (type and offset share one), so a command never runs out of
/// them (16 per command, and `build` reads two more).
fn bitfield_command(p: &mut Pick<'_>, name: &str, gets: usize) -> Vec<String> {
    const MODES: &[&str] = &["WRAP", "SAT", "FAIL", "fail", "bogus"];
    let mut c = vec![s(name), p.key()];
    // Half the time an OVERFLOW first, so the writes after it see its mode.
    if let Some(mode) = MODES.get(p.n(2 * MODES.len())) {
        c.extend([s("OVERFLOW"), s(mode)]);
    }
    // No subcommand one time in nine, else one to three.
    for _ in 0..p.n(9).div_ceil(3) {
        let kind = p.n(gets + 5).saturating_sub(gets.saturating_sub(1));
        if kind == 4 {
            c.extend([s("OVERFLOW"), p.of(MODES)]);
            continue;
        }
        if kind == 5 {
            c.push(s("BOGUS"));
            continue;
        }
        c.push(s(["GET", "SET", "incrby", "SET"][kind]));
        let i = p.n(BITFIELD_TYPES.len() * BITFIELD_OFFSETS.len());
        c.push(item(BITFIELD_TYPES, i % BITFIELD_TYPES.len()));
        c.push(item(BITFIELD_OFFSETS, i / BITFIELD_TYPES.len()));
        if kind == 1 || kind == 2 {
            c.push(p.of(BITFIELD_VALUES));
        }
    }
    c
}

/// `items[i]`, or the empty string past the end.
fn item(items: &[&str], i: usize) -> String {
    items.get(i).copied().unwrap_or("").to_owned()
}

/// A stream command of the differential.
fn stream_command(p: &mut Pick<'_>) -> Vec<String> {
    let key = p.of(STREAM_KEYS);
    match p.n(20) {
        0..=4 => {
            let mut c = vec![s("XADD"), key];
            match p.n(6) {
                0 => c.extend([s("MAXLEN"), p.of(&["=", "~"]), p.of(&["0", "1", "2", "5"])]),
                1 => c.extend([s("MINID"), p.of(&["=", "~"]), p.of(STREAM_IDS)]),
                2 => c.push(s("NOMKSTREAM")),
                3 => c.extend([
                    s("MAXLEN"),
                    s("~"),
                    s("1"),
                    s("LIMIT"),
                    p.of(&["0", "1", "5"]),
                ]),
                _ => {}
            }
            c.push(p.of(STREAM_IDS));
            c.extend([p.of(FIELDS), p.of(VALUES)]);
            if p.n(4) == 0 {
                c.extend([p.of(FIELDS), p.of(VALUES)]);
            }
            c
        }
        5 => vec![s("XLEN"), key],
        6 => {
            let mut c = vec![
                s(p.of(&["XRANGE", "XREVRANGE"]).as_str()),
                key,
                p.of(RANGE_IDS),
                p.of(RANGE_IDS),
            ];
            if p.flag() {
                c.extend([s("COUNT"), p.of(COUNTS)]);
            }
            c
        }
        7 => [vec![s("XDEL"), key], p.many(STREAM_IDS, 1)].concat(),
        8 => {
            let (word, bound) = if p.flag() {
                ("MAXLEN", p.of(&["0", "1", "3"]))
            } else {
                ("MINID", p.of(STREAM_IDS))
            };
            vec![s("XTRIM"), key, s(word), p.of(&["=", "~"]), bound]
        }
        9 => {
            let mut c = vec![s("XREAD")];
            if p.flag() {
                c.extend([s("COUNT"), p.of(COUNTS)]);
            }
            c.extend([s("STREAMS"), key, p.of(&["0", "1-1", "$", "3", "x"])]);
            c
        }
        10 => {
            let mut c = vec![
                s("XGROUP"),
                s("CREATE"),
                key,
                p.of(GROUPS),
                p.of(&["0", "$", "1-1", "x"]),
            ];
            if p.flag() {
                c.push(s("MKSTREAM"));
            }
            c
        }
        11 | 12 => {
            let mut c = vec![s("XREADGROUP"), s("GROUP"), p.of(GROUPS), p.of(CONSUMERS)];
            if p.flag() {
                c.extend([s("COUNT"), p.of(&["1", "2", "0"])]);
            }
            if p.n(4) == 0 {
                c.push(s("NOACK"));
            }
            c.extend([s("STREAMS"), key, p.of(&[">", ">", "0", "1-2"])]);
            c
        }
        13 => [vec![s("XACK"), key, p.of(GROUPS)], p.many(STREAM_IDS, 1)].concat(),
        14 => vec![s("XPENDING"), key, p.of(GROUPS)],
        15 => {
            let mut c = [
                vec![s("XCLAIM"), key, p.of(GROUPS), p.of(CONSUMERS), s("0")],
                p.many(&["1-1", "1-2", "2-0", "3-0", "3-5", "5-0"], 1),
            ]
            .concat();
            c.push(s("JUSTID"));
            c
        }
        16 => {
            let mut c = vec![
                s("XAUTOCLAIM"),
                key,
                p.of(GROUPS),
                p.of(CONSUMERS),
                s("0"),
                p.of(&["0", "0-0", "2", "(1-1"]),
            ];
            if p.flag() {
                c.extend([s("COUNT"), p.of(&["1", "2", "0"])]);
            }
            if p.flag() {
                c.push(s("JUSTID"));
            }
            c
        }
        17 => match p.n(5) {
            0 => vec![s("XGROUP"), s("DESTROY"), key, p.of(GROUPS)],
            1 => vec![
                s("XGROUP"),
                s("CREATECONSUMER"),
                key,
                p.of(GROUPS),
                p.of(CONSUMERS),
            ],
            2 => vec![
                s("XGROUP"),
                s("DELCONSUMER"),
                key,
                p.of(GROUPS),
                p.of(CONSUMERS),
            ],
            3 => vec![
                s("XGROUP"),
                s("SETID"),
                key,
                p.of(GROUPS),
                p.of(&["0", "$", "2-0"]),
            ],
            _ => vec![s("XINFO"), s("GROUPS"), key],
        },
        18 => vec![s("XSETID"), key, p.of(&["10-0", "3-5", "0-1", "20"])],
        _ => vec![s("TYPE"), key],
    }
}

/// A script command of the differential: EVAL, EVAL_RO, EVALSHA (of a
/// script that may or may not be cached yet), SCRIPT EXISTS.
fn script_command(p: &mut Pick<'_>) -> Vec<String> {
    let body = p.of(SCRIPTS);
    let key = p.key();
    let arg = p.of(VALUES);
    match p.n(8) {
        0..=3 => vec![s("EVAL"), body, s("1"), key, arg],
        4 => vec![s("EVAL_RO"), body, s("1"), key, arg],
        5 => vec![
            s("EVALSHA"),
            edgestash::scripts::sha1_hex(body.as_bytes()),
            s("1"),
            key,
            arg,
        ],
        6 => vec![
            s("EVALSHA_RO"),
            edgestash::scripts::sha1_hex(body.as_bytes()),
            s("1"),
            key,
            arg,
        ],
        _ => vec![
            s("SCRIPT"),
            s("EXISTS"),
            edgestash::scripts::sha1_hex(body.as_bytes()),
        ],
    }
}

/// One command as its text parts; Debug prints it as a command line.
#[derive(Clone)]
pub struct Cmd(pub Vec<String>);

impl std::fmt::Debug for Cmd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let words: Vec<String> = self
            .0
            .iter()
            .map(|w| {
                if w.is_empty() || w.contains(' ') {
                    format!("{w:?}")
                } else {
                    w.clone()
                }
            })
            .collect();
        write!(f, "{}", words.join(" "))
    }
}

/// One step of a sequence: a single command or a MULTI batch.
#[derive(Clone)]
pub enum Step {
    One(Cmd),
    Multi(Vec<Cmd>),
}

impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::One(c) => write!(f, "{c:?}"),
            Self::Multi(cs) => {
                let inner: Vec<String> = cs.iter().map(|c| format!("{c:?}")).collect();
                write!(f, "MULTI [{}] EXEC", inner.join("; "))
            }
        }
    }
}

fn cmd_strategy() -> impl Strategy<Value = Cmd> {
    (any::<u16>(), prop::collection::vec(any::<u16>(), 16))
        .prop_map(|(sel, params)| Cmd(build(sel, &params)))
}

pub fn step_strategy() -> impl Strategy<Value = Step> {
    prop_oneof![
        30 => cmd_strategy().prop_map(Step::One),
        1 => prop::collection::vec(cmd_strategy(), 1..6).prop_map(Step::Multi),
    ]
}

#[test]
fn the_table_keeps_112_selectors() {
    // The selector space the generators were tuned on (98, plus one each for
    // streams and scripts, plus six blocking pops, SUBSTR, BITPOS, BITOP, two
    // for BITFIELD, one for BITFIELD_RO): changing it changes every family's
    // share.
    assert_eq!(slots(), 112);
}
