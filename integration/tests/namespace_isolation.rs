//! Two workspaces drive random command sequences against a real
//! redis-server; afterwards every key carries its writer's prefix, and no
//! reply ever showed one workspace the other's data or key names.
//!
//! Both workspaces use the same key names (including names that look like
//! the other's prefix and glob metacharacters), so any missed prefix shows
//! up as a collision. Values carry their writer's marker, and every reply
//! is searched for the other workspace's marker.
//!
//! The commands go through [`Backend`]. Today [`DirectBackend`] applies
//! `edgestash::namespace::Namespace` itself and sends the rewritten lines
//! with the redis crate: the rewriting is what is under test. Once
//! edgestash-server exists, a backend over `edgestash::Client::workspace`
//! handles (HTTP through the server) plugs into the same [`run_case`].
//!
//! Cases: `PROPTEST_CASES` (default 24; CI has 2 cores).

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::error::Error as StdError;

use edgestash::namespace::Namespace;
use edgestash::{Command, Value};
use edgestash_integration::RedisServer;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

type TestResult<T = ()> = std::result::Result<T, Box<dyn StdError>>;

const WORKSPACES: [&str; 2] = ["a", "b"];
/// Each workspace's marker, part of every value and member it writes.
const MARKERS: [&str; 2] = ["<<A>>", "<<B>>"];
/// Key names both workspaces use: plain, look-alikes of the other's
/// prefix, and glob metacharacters.
const KEYS: &[&str] = &[
    "k0", "k1", "k2", "ws:a:k0", "ws:b:k1", "*", "[k]", "a\\b", "?",
];
/// Patterns for KEYS and SCAN MATCH.
const PATTERNS: &[&str] = &["*", "k*", "ws:*", "*k1*", "[k]*", "\\*", "?", "ws:b:*"];

/// What a workspace's command came back with: a reply, Redis's error text,
/// or a refusal of the namespace (which fails the test: every generated
/// command is allowed).
#[derive(Debug)]
enum Outcome {
    Reply(Value),
    RedisError(String),
}

/// Runs commands as one of two workspaces.
trait Backend {
    /// Runs one command as workspace `ws`; `Err` only for refusals and
    /// connection failures.
    fn exec(&mut self, ws: usize, command: Command) -> TestResult<Outcome>;
    /// Runs commands as one batch (`atomic`: MULTI/EXEC) as workspace `ws`.
    fn batch(
        &mut self,
        ws: usize,
        commands: Vec<Command>,
        atomic: bool,
    ) -> TestResult<Vec<Outcome>>;
}

/// The namespace applied here, the rewritten lines sent with the redis crate.
struct DirectBackend {
    conn: redis::Connection,
    namespaces: [Namespace; 2],
}

impl DirectBackend {
    fn new(conn: redis::Connection) -> TestResult<Self> {
        Ok(Self {
            conn,
            namespaces: [
                Namespace::workspace(WORKSPACES[0])?,
                Namespace::workspace(WORKSPACES[1])?,
            ],
        })
    }

    fn namespace(&self, ws: usize) -> TestResult<&Namespace> {
        self.namespaces
            .get(ws)
            .ok_or_else(|| "no such workspace".into())
    }
}

fn to_redis(command: &Command) -> redis::Cmd {
    let parts = command.to_parts();
    let mut cmd = redis::cmd(command.name());
    for part in parts.iter().skip(1) {
        cmd.arg(*part);
    }
    cmd
}

fn from_redis(value: redis::Value) -> Outcome {
    fn convert(value: redis::Value) -> Value {
        match value {
            redis::Value::Nil => Value::Nil,
            redis::Value::Int(n) => Value::Int(n),
            redis::Value::BulkString(b) => Value::Bytes(b),
            redis::Value::Okay => Value::Okay,
            redis::Value::SimpleString(s) if s == "OK" => Value::Okay,
            redis::Value::SimpleString(s) => Value::Bytes(s.into_bytes()),
            redis::Value::Array(items) | redis::Value::Set(items) => {
                Value::Array(items.into_iter().map(convert).collect())
            }
            other => Value::Bytes(format!("{other:?}").into_bytes()),
        }
    }
    match value {
        redis::Value::ServerError(e) => Outcome::RedisError(format!("{e:?}")),
        other => Outcome::Reply(convert(other)),
    }
}

impl Backend for DirectBackend {
    fn exec(&mut self, ws: usize, command: Command) -> TestResult<Outcome> {
        let ns = self.namespace(ws)?.clone();
        let scoped = ns.scope(command)?;
        match to_redis(&scoped.command).query::<redis::Value>(&mut self.conn) {
            Ok(value) => Ok(match from_redis(value) {
                Outcome::Reply(v) => Outcome::Reply(ns.unscope_reply(scoped.reply, v)),
                err => err,
            }),
            Err(e) if e.kind() == redis::ErrorKind::Io => Err(e.into()),
            Err(e) => Ok(Outcome::RedisError(e.to_string())),
        }
    }

    fn batch(
        &mut self,
        ws: usize,
        commands: Vec<Command>,
        atomic: bool,
    ) -> TestResult<Vec<Outcome>> {
        let ns = self.namespace(ws)?.clone();
        let scoped = commands
            .into_iter()
            .map(|c| ns.scope(c))
            .collect::<Result<Vec<_>, _>>()?;
        let mut pipe = redis::pipe();
        if atomic {
            pipe.atomic();
        }
        for s in &scoped {
            pipe.add_command(to_redis(&s.command));
        }
        let values = match pipe
            .ignore_errors()
            .query::<Vec<redis::RedisResult<redis::Value>>>(&mut self.conn)
        {
            Ok(values) => values,
            // A transaction discarded as a whole (EXECABORT).
            Err(e) if e.kind() != redis::ErrorKind::Io && atomic => {
                return Ok(scoped
                    .iter()
                    .map(|_| Outcome::RedisError(e.to_string()))
                    .collect())
            }
            Err(e) => return Err(e.into()),
        };
        Ok(values
            .into_iter()
            .zip(&scoped)
            .map(|(value, s)| match value.map(from_redis) {
                Ok(Outcome::Reply(v)) => Outcome::Reply(ns.unscope_reply(s.reply, v)),
                Ok(err) => err,
                Err(e) => Outcome::RedisError(e.to_string()),
            })
            .collect())
    }
}

/// One generated operation; values are suffixes, the marker is added when
/// the operation runs for a workspace.
#[derive(Debug, Clone)]
enum Op {
    Set(&'static str, u8),
    Get(&'static str),
    Incr(&'static str),
    MSet(Vec<(&'static str, u8)>),
    MGet(Vec<&'static str>),
    Del(Vec<&'static str>),
    Exists(Vec<&'static str>),
    Rename(&'static str, &'static str),
    Copy(&'static str, &'static str),
    Type(&'static str),
    Keys(&'static str),
    Scan(Option<&'static str>, u8),
    HSet(&'static str, u8, u8),
    HGetAll(&'static str),
    LPush(&'static str, u8),
    LRange(&'static str),
    LMove(&'static str, &'static str),
    LMPop(Vec<&'static str>),
    SAdd(&'static str, u8),
    SMembers(&'static str),
    SInterStore(&'static str, Vec<&'static str>),
    SUnion(Vec<&'static str>),
    ZAdd(&'static str, u8, u8),
    ZRange(&'static str),
    ZUnionStore(&'static str, Vec<&'static str>),
}

fn key() -> impl Strategy<Value = &'static str> {
    prop::sample::select(KEYS)
}

fn keys() -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(key(), 1..4)
}

fn op() -> impl Strategy<Value = Op> {
    let pattern = prop::sample::select(PATTERNS);
    prop_oneof![
        (key(), any::<u8>()).prop_map(|(k, v)| Op::Set(k, v)),
        key().prop_map(Op::Get),
        key().prop_map(Op::Incr),
        prop::collection::vec((key(), any::<u8>()), 1..4).prop_map(Op::MSet),
        keys().prop_map(Op::MGet),
        keys().prop_map(Op::Del),
        keys().prop_map(Op::Exists),
        (key(), key()).prop_map(|(a, b)| Op::Rename(a, b)),
        (key(), key()).prop_map(|(a, b)| Op::Copy(a, b)),
        key().prop_map(Op::Type),
        pattern.clone().prop_map(Op::Keys),
        (prop::option::of(pattern), 1u8..4).prop_map(|(p, c)| Op::Scan(p, c)),
        (key(), 0u8..4, any::<u8>()).prop_map(|(k, f, v)| Op::HSet(k, f, v)),
        key().prop_map(Op::HGetAll),
        (key(), any::<u8>()).prop_map(|(k, v)| Op::LPush(k, v)),
        key().prop_map(Op::LRange),
        (key(), key()).prop_map(|(a, b)| Op::LMove(a, b)),
        keys().prop_map(Op::LMPop),
        (key(), any::<u8>()).prop_map(|(k, v)| Op::SAdd(k, v)),
        key().prop_map(Op::SMembers),
        (key(), keys()).prop_map(|(d, ks)| Op::SInterStore(d, ks)),
        keys().prop_map(Op::SUnion),
        (key(), any::<u8>(), 0u8..8).prop_map(|(k, m, s)| Op::ZAdd(k, m, s)),
        key().prop_map(Op::ZRange),
        (key(), keys()).prop_map(|(d, ks)| Op::ZUnionStore(d, ks)),
    ]
}

/// A step: one workspace runs one op, or a batch of ops.
#[derive(Debug, Clone)]
enum Step {
    One(usize, Op),
    Batch(usize, Vec<Op>, bool),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..2usize, op()).prop_map(|(ws, op)| Step::One(ws, op)),
        1 => (0..2usize, prop::collection::vec(op(), 1..6), any::<bool>())
            .prop_map(|(ws, ops, atomic)| Step::Batch(ws, ops, atomic)),
    ]
}

fn value(ws: usize, n: u8) -> String {
    format!("{}{n}", MARKERS.get(ws).copied().unwrap_or("?"))
}

fn command(ws: usize, op: &Op) -> Command {
    let v = |n: u8| value(ws, n);
    let c = |name: &'static str| Command::new(name);
    match op {
        Op::Set(k, n) => c("SET").key(*k).arg(v(*n)),
        Op::Get(k) => c("GET").key(*k),
        Op::Incr(k) => c("INCR").key(*k),
        Op::MSet(pairs) => pairs
            .iter()
            .fold(c("MSET"), |cmd, (k, n)| cmd.key(*k).arg(v(*n))),
        Op::MGet(ks) => c("MGET").keys(ks),
        Op::Del(ks) => c("DEL").keys(ks),
        Op::Exists(ks) => c("EXISTS").keys(ks),
        // Unmarked: the spec alone must find the keys.
        Op::Rename(a, b) => {
            Command::from_parts("RENAME", vec![a.as_bytes().to_vec(), b.as_bytes().to_vec()])
        }
        Op::Copy(a, b) => c("COPY").key(*a).key(*b).arg("REPLACE"),
        Op::Type(k) => c("TYPE").key(*k),
        Op::Keys(p) => c("KEYS").pattern(*p),
        Op::Scan(..) => c("SCAN").arg("0"),
        Op::HSet(k, f, n) => c("HSET").key(*k).arg(v(*f)).arg(v(*n)),
        Op::HGetAll(k) => c("HGETALL").key(*k),
        Op::LPush(k, n) => c("LPUSH").key(*k).arg(v(*n)),
        Op::LRange(k) => c("LRANGE").key(*k).arg(0).arg(-1),
        Op::LMove(a, b) => c("LMOVE").key(*a).key(*b).arg("LEFT").arg("RIGHT"),
        Op::LMPop(ks) => c("LMPOP").arg(ks.len()).keys(ks).arg("LEFT"),
        Op::SAdd(k, n) => c("SADD").key(*k).arg(v(*n)),
        Op::SMembers(k) => c("SMEMBERS").key(*k),
        Op::SInterStore(d, ks) => c("SINTERSTORE").key(*d).keys(ks),
        Op::SUnion(ks) => {
            Command::from_parts("sunion", ks.iter().map(|k| k.as_bytes().to_vec()).collect())
        }
        Op::ZAdd(k, m, s) => c("ZADD").key(*k).arg(*s).arg(v(*m)),
        Op::ZRange(k) => c("ZRANGE").key(*k).arg(0).arg(-1).arg("WITHSCORES"),
        Op::ZUnionStore(d, ks) => c("ZUNIONSTORE").key(*d).arg(ks.len()).keys(ks),
    }
}

/// The bytes of every string in a value.
fn strings(value: &Value, out: &mut Vec<Vec<u8>>) {
    match value {
        Value::Bytes(b) => out.push(b.clone()),
        Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        _ => {}
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// The key names of workspace `ws` as it should see them, read directly.
fn own_keys(admin: &mut redis::Connection, ws: usize) -> TestResult<BTreeSet<Vec<u8>>> {
    let prefix = format!("ws:{}:", WORKSPACES.get(ws).copied().unwrap_or("?"));
    let all: Vec<Vec<u8>> = redis::cmd("KEYS").arg("*").query(admin)?;
    Ok(all
        .into_iter()
        .filter_map(|k| k.strip_prefix(prefix.as_bytes()).map(<[u8]>::to_vec))
        .collect())
}

/// Checks a reply of `ws` to `op`: no other workspace's marker, and key
/// names only of its own keys.
fn check_outcome(
    admin: &mut redis::Connection,
    ws: usize,
    op: &Op,
    outcome: &Outcome,
) -> TestResult {
    let other = MARKERS.get(1 - ws).copied().unwrap_or("?");
    let value = match outcome {
        Outcome::RedisError(text) => {
            if text.contains(other) {
                return Err(format!("{op:?}: error shows the other workspace's data").into());
            }
            return Ok(());
        }
        Outcome::Reply(v) => v,
    };
    let mut found = Vec::new();
    strings(value, &mut found);
    if found.iter().any(|s| contains(s, other)) {
        return Err(format!("{op:?} as {ws}: reply {value:?} shows the other's data").into());
    }
    match (op, value) {
        (Op::Keys(p), Value::Array(names)) => {
            let own = own_keys(admin, ws)?;
            let names: BTreeSet<Vec<u8>> = names
                .iter()
                .filter_map(|n| match n {
                    Value::Bytes(b) => Some(b.clone()),
                    _ => None,
                })
                .collect();
            if !names.is_subset(&own) || (*p == "*" && names != own) {
                return Err(format!("{op:?} as {ws}: listed {names:?}, own {own:?}").into());
            }
        }
        (Op::LMPop(ks), Value::Array(items)) => match items.first() {
            Some(Value::Bytes(name)) if ks.iter().any(|k| k.as_bytes() == name.as_slice()) => {}
            _ => return Err(format!("{op:?} as {ws}: popped from {items:?}").into()),
        },
        _ => {}
    }
    Ok(())
}

/// A full SCAN as workspace `ws`, page by page; the listed names must be
/// its own, and all of them when the pattern matches everything.
fn full_scan(
    backend: &mut dyn Backend,
    admin: &mut redis::Connection,
    ws: usize,
    pattern: Option<&str>,
    count: u8,
) -> TestResult {
    let mut cursor = b"0".to_vec();
    let mut seen = BTreeSet::new();
    for _ in 0..1000 {
        let mut cmd = Command::new("SCAN").arg(cursor.clone());
        if let Some(p) = pattern {
            cmd = cmd.arg("MATCH").pattern(p);
        }
        cmd = cmd.arg("COUNT").arg(count);
        let reply = match backend.exec(ws, cmd)? {
            Outcome::Reply(Value::Array(parts)) => parts,
            other => return Err(format!("SCAN as {ws}: {other:?}").into()),
        };
        match reply.as_slice() {
            [Value::Bytes(next), Value::Array(names)] => {
                for n in names {
                    if let Value::Bytes(b) = n {
                        seen.insert(b.clone());
                    }
                }
                cursor = next.clone();
            }
            _ => return Err(format!("SCAN as {ws}: shape {reply:?}").into()),
        }
        if cursor == b"0" {
            let own = own_keys(admin, ws)?;
            if !seen.is_subset(&own) || (matches!(pattern, None | Some("*")) && seen != own) {
                return Err(format!("SCAN {pattern:?} as {ws}: {seen:?} vs own {own:?}").into());
            }
            return Ok(());
        }
    }
    Err("SCAN did not finish".into())
}

/// After a case: every key is in a workspace, and holds only its data.
fn check_database(admin: &mut redis::Connection) -> TestResult {
    let all: Vec<Vec<u8>> = redis::cmd("KEYS").arg("*").query(admin)?;
    for key in all {
        let ws = WORKSPACES
            .iter()
            .position(|id| key.starts_with(format!("ws:{id}:").as_bytes()))
            .ok_or_else(|| {
                format!(
                    "key {:?} outside every workspace",
                    String::from_utf8_lossy(&key)
                )
            })?;
        let kind: String = redis::cmd("TYPE").arg(&key).query(admin)?;
        let content: Vec<Vec<u8>> = match kind.as_str() {
            "string" => vec![redis::cmd("GET").arg(&key).query(admin)?],
            "hash" => redis::cmd("HGETALL").arg(&key).query(admin)?,
            "list" => redis::cmd("LRANGE").arg(&key).arg(0).arg(-1).query(admin)?,
            "set" => redis::cmd("SMEMBERS").arg(&key).query(admin)?,
            "zset" => redis::cmd("ZRANGE").arg(&key).arg(0).arg(-1).query(admin)?,
            other => return Err(format!("unexpected type {other}").into()),
        };
        let other = MARKERS.get(1 - ws).copied().unwrap_or("?");
        if content.iter().any(|c| contains(c, other)) {
            return Err(format!("workspace {ws} holds the other's data").into());
        }
    }
    Ok(())
}

/// Runs one generated case on `backend`, checking as it goes.
fn run_case(
    backend: &mut dyn Backend,
    admin: &mut redis::Connection,
    steps: &[Step],
) -> TestResult {
    redis::cmd("FLUSHALL").query::<()>(admin)?;
    for step in steps {
        match step {
            Step::One(ws, Op::Scan(pattern, count)) => {
                full_scan(backend, admin, *ws, *pattern, *count)?;
            }
            Step::One(ws, op) => {
                let outcome = backend.exec(*ws, command(*ws, op))?;
                check_outcome(admin, *ws, op, &outcome)?;
            }
            Step::Batch(ws, ops, atomic) => {
                let commands = ops.iter().map(|op| command(*ws, op)).collect();
                let outcomes = backend.batch(*ws, commands, *atomic)?;
                if outcomes.len() != ops.len() {
                    return Err("batch lost replies".into());
                }
                for (op, outcome) in ops.iter().zip(&outcomes) {
                    // KEYS inside a batch ran before later ops of the batch:
                    // only the marker check applies.
                    if !matches!(op, Op::Keys(_) | Op::LMPop(_)) {
                        check_outcome(admin, *ws, op, outcome)?;
                    } else if let Outcome::Reply(v) = outcome {
                        let mut found = Vec::new();
                        strings(v, &mut found);
                        let other = MARKERS.get(1 - ws).copied().unwrap_or("?");
                        if found.iter().any(|s| contains(s, other)) {
                            return Err(format!("{op:?}: batch reply shows other data").into());
                        }
                    }
                }
            }
        }
    }
    check_database(admin)
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24)
}

#[test]
fn workspaces_never_see_each_other() -> TestResult {
    let server = RedisServer::start()?;
    // The runner takes a `Fn`: the connections live in cells.
    let admin = RefCell::new(server.connection()?);
    let backend = RefCell::new(DirectBackend::new(server.connection()?)?);
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&prop::collection::vec(step(), 1..40), |steps| {
            run_case(&mut *backend.borrow_mut(), &mut admin.borrow_mut(), &steps)
                .map_err(|e| TestCaseError::fail(e.to_string()))
        })
        .map_err(|e| e.to_string().into())
}

/// Every reply shape that names keys comes back without the prefix, on a
/// real redis-server.
#[test]
fn replies_naming_keys_are_unprefixed() -> TestResult {
    let server = RedisServer::start()?;
    let mut b = DirectBackend::new(server.connection()?)?;
    let line = |parts: &[&str]| {
        let (name, args) = parts.split_first().map_or(("", &[][..]), |(n, a)| (*n, a));
        Command::from_parts(
            name.to_owned(),
            args.iter().map(|a| a.as_bytes().to_vec()).collect(),
        )
    };
    let setup: &[&[&str]] = &[
        &["RPUSH", "l", "x", "y", "z", "w"],
        &["ZADD", "z", "1", "m", "2", "n", "3", "o"],
        &["XADD", "s", "1-1", "f", "v"],
        &["XGROUP", "CREATE", "s", "g", "0"],
    ];
    for parts in setup {
        b.exec(0, line(parts))?;
    }
    let bytes = |s: &str| Value::bytes(s);
    let expect: &[(&[&str], Value)] = &[
        (
            &["BLPOP", "none", "l", "1"],
            Value::Array(vec![bytes("l"), bytes("x")]),
        ),
        (
            &["BRPOP", "l", "1"],
            Value::Array(vec![bytes("l"), bytes("w")]),
        ),
        (
            &["LMPOP", "2", "none", "l", "LEFT"],
            Value::Array(vec![bytes("l"), Value::Array(vec![bytes("y")])]),
        ),
        (
            &["BLMPOP", "1", "1", "l", "LEFT"],
            Value::Array(vec![bytes("l"), Value::Array(vec![bytes("z")])]),
        ),
        (
            &["BZPOPMIN", "z", "1"],
            Value::Array(vec![bytes("z"), bytes("m"), bytes("1")]),
        ),
        (
            &["BZPOPMAX", "z", "1"],
            Value::Array(vec![bytes("z"), bytes("o"), bytes("3")]),
        ),
        (
            &["ZMPOP", "1", "z", "MIN"],
            Value::Array(vec![
                bytes("z"),
                Value::Array(vec![Value::Array(vec![bytes("n"), bytes("2")])]),
            ]),
        ),
        (&["BZMPOP", "0.01", "1", "z", "MIN"], Value::Nil),
        (&["KEYS", "*"], Value::Array(vec![bytes("s")])),
    ];
    for (parts, want) in expect {
        match b.exec(0, line(parts))? {
            Outcome::Reply(got) => assert_eq!(&got, want, "{parts:?}"),
            other => panic!("{parts:?}: {other:?}"),
        }
    }
    let entries = Value::Array(vec![Value::Array(vec![
        bytes("1-1"),
        Value::Array(vec![bytes("f"), bytes("v")]),
    ])]);
    for parts in [
        &["XREAD", "STREAMS", "s", "0"][..],
        &["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"],
    ] {
        match b.exec(0, line(parts))? {
            Outcome::Reply(got) => assert_eq!(
                got,
                Value::Array(vec![Value::Array(vec![bytes("s"), entries.clone()])]),
                "{parts:?}"
            ),
            other => panic!("{parts:?}: {other:?}"),
        }
    }
    // The other workspace sees none of it.
    match b.exec(1, line(&["KEYS", "*"]))? {
        Outcome::Reply(got) => assert_eq!(got, Value::Array(vec![])),
        other => panic!("{other:?}"),
    }
    Ok(())
}
