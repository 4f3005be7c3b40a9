//! The command catalogue agrees with Redis itself: every record's arity,
//! flags and key specs equal `COMMAND INFO` of a real redis-server, its
//! family equals `COMMAND DOCS`' group, every command of that server (and
//! every subcommand of the containers the catalogue splits) has a record,
//! and on sample command lines the keys the catalogue's specs find equal
//! `COMMAND GETKEYS`. Records of commands newer than the server
//! (`since` > 7.0: hash-field expiry, 8.x) are checked against the key
//! specs of the Redis documentation instead (`DOCUMENTED`).

use std::collections::BTreeSet;
use std::error::Error as StdError;

use edgestash::catalog::{self, Begin, Command, Family, Find, KeyFlags, KeySpec};
use edgestash_integration::RedisServer;
use redis::Value;

type TestResult<T = ()> = std::result::Result<T, Box<dyn StdError>>;

/// Records newer than Redis 7.0, as the Redis documentation (the
/// `src/commands/*.json` of redis/redis) gives them: name, arity, flags,
/// key specs in `render` form.
const DOCUMENTED: &[(&str, i8, &str, &str)] = &[
    (
        "HEXPIRE",
        -6,
        "denyoom fast write",
        "RW update @1 range(0,1,0)",
    ),
    (
        "HEXPIREAT",
        -6,
        "denyoom fast write",
        "RW update @1 range(0,1,0)",
    ),
    (
        "HEXPIRETIME",
        -5,
        "fast readonly",
        "RO access @1 range(0,1,0)",
    ),
    (
        "HGETDEL",
        -5,
        "fast write",
        "RW access delete @1 range(0,1,0)",
    ),
    (
        "HGETEX",
        -5,
        "fast write",
        "RW access update @1 range(0,1,0)",
    ),
    ("HPERSIST", -5, "fast write", "RW update @1 range(0,1,0)"),
    (
        "HPEXPIRE",
        -6,
        "denyoom fast write",
        "RW update @1 range(0,1,0)",
    ),
    (
        "HPEXPIREAT",
        -6,
        "denyoom fast write",
        "RW update @1 range(0,1,0)",
    ),
    (
        "HPEXPIRETIME",
        -5,
        "fast readonly",
        "RO access @1 range(0,1,0)",
    ),
    ("HPTTL", -5, "fast readonly", "RO access @1 range(0,1,0)"),
    (
        "HSETEX",
        -6,
        "denyoom fast write",
        "RW update @1 range(0,1,0)",
    ),
    ("HTTL", -5, "fast readonly", "RO access @1 range(0,1,0)"),
    ("WAITAOF", 4, "noscript", ""),
    (
        "XACKDEL",
        -6,
        "fast write",
        "RW update delete @1 range(0,1,0)",
    ),
    ("XDELEX", -5, "fast write", "RW delete @1 range(0,1,0)"),
    // Upstash's arrays (no Redis has them): one key first, per @upstash/redis
    // 1.39's signatures; `readonly` for those that only read.
    ("ARCOUNT", -2, "readonly", "RO access @1 range(0,1,0)"),
    ("ARDEL", -2, "write", "RW access update @1 range(0,1,0)"),
    (
        "ARDELRANGE",
        -2,
        "write",
        "RW access update @1 range(0,1,0)",
    ),
    ("ARGET", -2, "readonly", "RO access @1 range(0,1,0)"),
    ("ARGETRANGE", -2, "readonly", "RO access @1 range(0,1,0)"),
    ("ARGREP", -2, "readonly", "RO access @1 range(0,1,0)"),
    ("ARINFO", -2, "readonly", "RO access @1 range(0,1,0)"),
    ("ARINSERT", -2, "write", "RW access update @1 range(0,1,0)"),
    ("ARLASTITEMS", -2, "readonly", "RO access @1 range(0,1,0)"),
    ("ARLEN", -2, "readonly", "RO access @1 range(0,1,0)"),
    ("ARMGET", -2, "readonly", "RO access @1 range(0,1,0)"),
    ("ARMSET", -2, "write", "RW access update @1 range(0,1,0)"),
    ("ARNEXT", -2, "write", "RW access update @1 range(0,1,0)"),
    ("AROP", -2, "readonly", "RO access @1 range(0,1,0)"),
    ("ARRING", -2, "write", "RW access update @1 range(0,1,0)"),
    ("ARSCAN", -2, "readonly", "RO access @1 range(0,1,0)"),
    ("ARSEEK", -2, "write", "RW access update @1 range(0,1,0)"),
    ("ARSET", -2, "write", "RW access update @1 range(0,1,0)"),
    // RedisJSON's registration (redis_json/src/lib.rs of RedisJSON/RedisJSON:
    // arity -1 and the `module` flag as for every module command, one key
    // range from index 1 with Redis's full-access flags), except JSON.MGET
    // (keys: every argument but the last, per its documented syntax).
    (
        "JSON.ARRAPPEND",
        -1,
        "denyoom module write",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.ARRINDEX",
        -1,
        "module readonly",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.ARRINSERT",
        -1,
        "denyoom module write",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.ARRLEN",
        -1,
        "module readonly",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.ARRPOP",
        -1,
        "module write",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.ARRTRIM",
        -1,
        "module write",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.CLEAR",
        -1,
        "module write",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.DEL",
        -1,
        "module write",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.FORGET",
        -1,
        "module write",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.GET",
        -1,
        "module readonly",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.MERGE",
        -1,
        "denyoom module write",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.MGET",
        -1,
        "module readonly",
        "RW access update @1 range(-2,1,0)",
    ),
    (
        "JSON.MSET",
        -1,
        "denyoom module write",
        "RW access update @1 range(-1,3,0)",
    ),
    (
        "JSON.NUMINCRBY",
        -1,
        "module write",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.NUMMULTBY",
        -1,
        "module write",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.NUMPOWBY",
        -1,
        "module write",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.OBJKEYS",
        -1,
        "module readonly",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.OBJLEN",
        -1,
        "module readonly",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.RESP",
        -1,
        "module readonly",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.SET",
        -1,
        "denyoom module write",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.STRAPPEND",
        -1,
        "denyoom module write",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.STRLEN",
        -1,
        "module readonly",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.TOGGLE",
        -1,
        "denyoom module write",
        "RW access update @1 range(0,1,0)",
    ),
    (
        "JSON.TYPE",
        -1,
        "module readonly",
        "RW access update @1 range(0,1,0)",
    ),
];

/// Sample command lines: `COMMAND GETKEYS` must name exactly the keys the
/// catalogue's key specs find. One or more per key-spec shape.
const SAMPLES: &[&str] = &[
    "GET k1",
    "SET k1 v EX 10",
    "HINCRBYFLOAT k1 f 1.5",
    "DEL k1 k2 k3",
    "MSET k1 v1 k2 v2",
    "MSETNX k1 v1 k2 v2",
    "BLPOP k1 k2 0",
    "BZPOPMIN k1 k2 0",
    "LMOVE k1 k2 LEFT RIGHT",
    "BLMOVE k1 k2 LEFT RIGHT 0",
    "RPOPLPUSH k1 k2",
    "RENAME k1 k2",
    "COPY k1 k2",
    "SMOVE k1 k2 m",
    "LCS k1 k2",
    "BITOP AND d k1 k2",
    "PFMERGE d k1 k2",
    "SINTERSTORE d k1 k2",
    "ZUNIONSTORE d 2 k1 k2 WEIGHTS 1 2",
    "ZINTERSTORE d 1 k1",
    "ZDIFFSTORE d 2 k1 k2",
    "ZUNION 2 k1 k2",
    "ZINTERCARD 2 k1 k2 LIMIT 1",
    "SINTERCARD 2 k1 k2",
    "LMPOP 2 k1 k2 LEFT",
    "BLMPOP 0 2 k1 k2 LEFT COUNT 2",
    "BZMPOP 0 2 k1 k2 MIN",
    "ZMPOP 1 k1 MIN",
    "ZRANGESTORE d k1 0 -1",
    "GEOSEARCHSTORE d k1 FROMMEMBER m BYRADIUS 1 km",
    "GEORADIUS k1 0 0 1 km STORE d",
    "GEORADIUS k1 0 0 1 km STOREDIST d",
    "GEORADIUSBYMEMBER k1 m 1 km STORE d",
    "EVAL s 2 k1 k2 a",
    "EVALSHA 0123456789012345678901234567890123456789 1 k1",
    "EVAL_RO s 0",
    "FCALL f 2 k1 k2 a",
    "XREAD COUNT 1 STREAMS k1 k2 0 0",
    "XREADGROUP GROUP g c STREAMS k1 >",
    "XADD k1 * f v",
    "XGROUP CREATE k1 g $",
    "XINFO STREAM k1",
    "OBJECT ENCODING k1",
    "MEMORY USAGE k1",
    "SORT k1",
    "WATCH k1 k2",
    "EXISTS k1 k2",
    "TOUCH k1 k2",
    "PFCOUNT k1 k2",
    "SUNION k1 k2",
    "GETEX k1 PERSIST",
    "SETRANGE k1 0 v",
    "HSET k1 f v",
    "ZADD k1 1 m",
    "XAUTOCLAIM k1 g c 0 0",
    "BITFIELD_RO k1 GET u8 0",
    "RESTORE k1 0 x",
    "DUMP k1",
    "MOVE k1 1",
];

/// A reply flattened to what the comparison needs.
#[derive(Debug, Clone, PartialEq)]
enum V {
    S(String),
    I(i64),
    A(Vec<V>),
    Nil,
}

fn v(value: Value) -> V {
    match value {
        Value::BulkString(b) => V::S(String::from_utf8_lossy(&b).into_owned()),
        Value::SimpleString(s) => V::S(s),
        Value::Int(i) => V::I(i),
        Value::Array(items) | Value::Set(items) => V::A(items.into_iter().map(v).collect()),
        Value::Map(pairs) => V::A(pairs.into_iter().flat_map(|(a, b)| [v(a), v(b)]).collect()),
        _ => V::Nil,
    }
}

impl V {
    fn arr(&self) -> &[V] {
        match self {
            V::A(a) => a,
            _ => &[],
        }
    }
    fn str(&self) -> &str {
        match self {
            V::S(s) => s,
            _ => "",
        }
    }
    fn int(&self) -> i64 {
        match self {
            V::I(i) => *i,
            _ => i64::MIN,
        }
    }
    /// The value after `key` in a flat key/value array.
    fn get(&self, key: &str) -> &V {
        let a = self.arr();
        a.iter()
            .position(|x| x.str() == key)
            .and_then(|i| a.get(i + 1))
            .unwrap_or(&V::Nil)
    }
}

fn words(items: &[V]) -> String {
    let mut w: Vec<&str> = items.iter().map(V::str).collect();
    w.sort();
    w.join(" ")
}

/// One key spec as text: `RW access @1 range(0,1,0)`, `RO kw(STREAMS,1)
/// range(-1,1,2)`, `RO ? ?` for unknown parts; flags in Redis's order.
fn render(spec: &KeySpec) -> String {
    let flags: Vec<&str> = KeyFlags::NAMES
        .iter()
        .filter(|(f, _)| spec.flags.has(*f))
        .map(|(_, n)| *n)
        .collect();
    let begin = match spec.begin {
        Begin::Index(i) => format!("@{i}"),
        Begin::Keyword { word, from } => format!("kw({word},{from})"),
        _ => "?".to_owned(),
    };
    let find = match spec.find {
        Find::Range { last, step, limit } => format!("range({last},{step},{limit})"),
        Find::KeyNum {
            count_at,
            first,
            step,
        } => format!("keynum({count_at},{first},{step})"),
        _ => "?".to_owned(),
    };
    format!("{} {begin} {find}", flags.join(" "))
}

fn render_redis(spec: &V) -> String {
    let mut flags: Vec<&str> = spec.get("flags").arr().iter().map(V::str).collect();
    let order = |f: &&str| KeyFlags::NAMES.iter().position(|(_, n)| n == f);
    flags.sort_by_key(order);
    let b = spec.get("begin_search");
    let begin = match b.get("type").str() {
        "index" => format!("@{}", b.get("spec").get("index").int()),
        "keyword" => {
            let s = b.get("spec");
            format!(
                "kw({},{})",
                s.get("keyword").str(),
                s.get("startfrom").int()
            )
        }
        _ => "?".to_owned(),
    };
    let f = spec.get("find_keys");
    let s = f.get("spec");
    let find = match f.get("type").str() {
        "range" => format!(
            "range({},{},{})",
            s.get("lastkey").int(),
            s.get("keystep").int(),
            s.get("limit").int()
        ),
        "keynum" => format!(
            "keynum({},{},{})",
            s.get("keynumidx").int(),
            s.get("firstkey").int(),
            s.get("keystep").int()
        ),
        _ => "?".to_owned(),
    };
    format!("{} {begin} {find}", flags.join(" "))
}

fn flag_words(c: &Command) -> String {
    let mut w: Vec<&str> = catalog::Flags::NAMES
        .iter()
        .filter(|(f, _)| c.flags.has(*f))
        .map(|(_, n)| *n)
        .collect();
    w.sort();
    w.join(" ")
}

fn group(f: Family) -> &'static str {
    match f {
        Family::Strings => "string",
        Family::Bitmaps => "bitmap",
        Family::HyperLogLog => "hyperloglog",
        Family::Keys => "generic",
        Family::Hashes => "hash",
        Family::Lists => "list",
        Family::Sets => "set",
        Family::SortedSets => "sorted-set",
        Family::PubSub => "pubsub",
        Family::Scripting => "scripting",
        Family::Server => "server",
        Family::Connection => "connection",
        Family::Geo => "geo",
        Family::Streams => "stream",
        Family::Transactions => "transactions",
        Family::Cluster => "cluster",
        _ => "?",
    }
}

/// Every difference between one record and Redis's view of it.
fn differences(c: &Command, info: &V, docs: &V) -> Vec<String> {
    let mut out = Vec::new();
    let name = c.name;
    let info = info.arr();
    if info.is_empty() {
        return vec![format!("{name}: unknown to redis-server")];
    }
    if info.get(1).map(V::int) != Some(i64::from(c.arity)) {
        out.push(format!(
            "{name}: arity {} != Redis {:?}",
            c.arity,
            info.get(1)
        ));
    }
    let redis_flags = words(info.get(2).map(V::arr).unwrap_or_default());
    if redis_flags != flag_words(c) {
        out.push(format!(
            "{name}: flags [{}] != Redis [{redis_flags}]",
            flag_words(c)
        ));
    }
    let ours: Vec<String> = c.keys.iter().map(render).collect();
    let theirs: Vec<String> = info
        .get(8)
        .map(V::arr)
        .unwrap_or_default()
        .iter()
        .map(render_redis)
        .collect();
    if ours != theirs {
        out.push(format!("{name}: key specs {ours:?} != Redis {theirs:?}"));
    }
    let subs = !info.get(9).map(V::arr).unwrap_or_default().is_empty();
    let split = catalog::all().iter().any(|r| {
        r.name
            .strip_prefix(name)
            .is_some_and(|s| s.starts_with('|'))
    });
    if c.is_container() != subs && (split || !subs) {
        out.push(format!(
            "{name}: container {} != Redis {subs}",
            c.is_container()
        ));
    }
    if docs.get("group").str() != group(c.family) {
        out.push(format!(
            "{name}: family {:?} != Redis group {:?}",
            c.family,
            docs.get("group")
        ));
    }
    out
}

fn lower(c: &Command) -> String {
    c.name.to_ascii_lowercase()
}

#[test]
fn every_record_matches_command_info_and_docs() -> TestResult {
    let server = RedisServer::start()?;
    let mut con = redis::Client::open(server.url())?.get_connection()?;
    let mut problems = Vec::new();
    for c in catalog::all() {
        let info: V = v(redis::cmd("COMMAND")
            .arg("INFO")
            .arg(lower(c))
            .query(&mut con)?);
        let info = info.arr().first().cloned().unwrap_or(V::Nil);
        if c.since > 700 {
            if info != V::Nil {
                problems.push(format!(
                    "{}: since {} but this Redis has it",
                    c.name, c.since
                ));
            }
            match DOCUMENTED.iter().find(|d| d.0 == c.name) {
                Some((_, arity, flags, keys)) => {
                    let ours: Vec<String> = c.keys.iter().map(render).collect();
                    if c.arity != *arity || flag_words(c) != *flags || ours.join("; ") != *keys {
                        problems.push(format!(
                            "{}: {} [{}] {:?} != documented {arity} [{flags}] {keys:?}",
                            c.name,
                            c.arity,
                            flag_words(c),
                            ours
                        ));
                    }
                }
                None => problems.push(format!(
                    "{}: newer than Redis 7.0, not documented here",
                    c.name
                )),
            }
            continue;
        }
        let (top, sub) = c.name.split_once('|').unwrap_or((c.name, ""));
        let docs: V = v(redis::cmd("COMMAND")
            .arg("DOCS")
            .arg(top.to_ascii_lowercase())
            .query(&mut con)?);
        let mut doc = docs.get(&top.to_ascii_lowercase()).clone();
        if !sub.is_empty() {
            doc = doc.get("subcommands").get(&lower(c)).clone();
        }
        problems.extend(differences(c, &info, &doc));
    }
    // Every command of this server, and every subcommand of a container the
    // catalogue splits, has a record.
    let list: V = v(redis::cmd("COMMAND").query(&mut con)?);
    for entry in list.arr() {
        let name = entry
            .arr()
            .first()
            .map(V::str)
            .unwrap_or_default()
            .to_ascii_uppercase();
        let Some(record) = catalog::lookup(name.as_bytes()) else {
            problems.push(format!("{name}: no record"));
            continue;
        };
        let split = catalog::all()
            .iter()
            .any(|r| r.name.starts_with(&format!("{}|", record.name)));
        if split {
            for sub in entry.arr().get(9).map(V::arr).unwrap_or_default() {
                let sub = sub.arr().first().map(V::str).unwrap_or_default();
                if catalog::lookup(sub.as_bytes()).is_none() {
                    problems.push(format!("{sub}: no record"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "catalogue != Redis:\n{}",
        problems.join("\n")
    );
    Ok(())
}

#[test]
fn key_specs_find_what_command_getkeys_finds() -> TestResult {
    let server = RedisServer::start()?;
    let mut con = redis::Client::open(server.url())?.get_connection()?;
    let mut problems = Vec::new();
    let mut covered = BTreeSet::new();
    for line in SAMPLES {
        let parts: Vec<&str> = line.split(' ').collect();
        let Some(record) = catalog::resolve(&parts) else {
            problems.push(format!("{line}: no record"));
            continue;
        };
        covered.insert(record.name);
        let ours: Vec<&str> = catalog::key_positions(record.keys, &parts)
            .map_err(|e| format!("{line}: {e}"))?
            .into_iter()
            .filter_map(|i| parts.get(i).copied())
            .collect();
        let theirs: Vec<String> = match redis::cmd("COMMAND")
            .arg("GETKEYS")
            .arg(&parts)
            .query::<Vec<String>>(&mut con)
        {
            Ok(keys) => keys,
            // Redis answers an error for a command without keys.
            Err(e) if e.to_string().contains("no key arguments") => Vec::new(),
            Err(e) => return Err(format!("{line}: {e}").into()),
        };
        if ours != theirs {
            problems.push(format!("{line}: catalogue {ours:?} != GETKEYS {theirs:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        covered.len() >= 50,
        "samples cover {} commands",
        covered.len()
    );
    Ok(())
}
