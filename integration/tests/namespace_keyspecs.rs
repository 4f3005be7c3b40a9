//! The namespace's key specs agree with Redis: for a representative command
//! line of every allowed command (the list comes from the spec table
//! itself, so a new entry without an example fails here), the arguments the
//! namespace prefixes as keys are exactly the keys `COMMAND GETKEYS` of a
//! real redis-server reports for the rewritten line. And every typed method
//! of `edgestash::commands` marks its keys where the spec puts them.

use std::cell::RefCell;
use std::error::Error as StdError;

use edgestash::namespace::{allowed_commands, Namespace, ScriptAllowList};
use edgestash::prelude::*;
use edgestash::protocol::ArgKind;
use edgestash_integration::RedisServer;

type TestResult<T = ()> = std::result::Result<T, Box<dyn StdError>>;

/// A script body without spaces, so example lines split on whitespace.
const BODY: &str = "return{KEYS[1],ARGV[1]}";

/// One or more representative lines per allowed command. `$BODY` and `$SHA`
/// stand for the registered test script.
const EXAMPLES: &[&str] = &[
    "APPEND k1 v",
    "BITCOUNT k1 0 -1",
    "BITFIELD k1 GET u8 0",
    "BITFIELD_RO k1 GET u8 0",
    "BITOP AND d1 k1 k2",
    "BITPOS k1 1",
    "BLMOVE k1 k2 LEFT RIGHT 0",
    "BLMPOP 0 2 k1 k2 LEFT COUNT 2",
    "BLPOP k1 k2 0",
    "BRPOP k1 k2 0",
    "BRPOPLPUSH k1 k2 0",
    "BZMPOP 0 2 k1 k2 MIN",
    "BZPOPMAX k1 k2 0",
    "BZPOPMIN k1 k2 0",
    "COPY k1 k2 REPLACE",
    "DECR k1",
    "DECRBY k1 2",
    "DEL k1 k2 k3",
    "ECHO hello",
    "EVAL $BODY 2 k1 k2 a1 a2",
    "EVALSHA $SHA 2 k1 k2 a1",
    "EVALSHA_RO $SHA 1 k1 a1",
    "EVAL_RO $BODY 1 k1 a1",
    "EXISTS k1 k2",
    "EXPIRE k1 10 NX",
    "EXPIREAT k1 10",
    "EXPIRETIME k1",
    "GEOADD k1 13.3 38.1 m1",
    "GEODIST k1 m1 m2 km",
    "GEOHASH k1 m1",
    "GEOPOS k1 m1",
    "GEORADIUS k1 15 37 200 km ASC",
    "GEORADIUS k1 15 37 200 km COUNT 3 STORE d1",
    "GEORADIUS k1 15 37 200 km STOREDIST d2",
    "GEORADIUSBYMEMBER k1 m1 200 km STORE d1",
    "GEORADIUSBYMEMBER_RO k1 m1 200 km WITHDIST",
    "GEORADIUS_RO k1 15 37 200 km",
    "GEOSEARCH k1 FROMMEMBER m1 BYRADIUS 10 km",
    "GEOSEARCHSTORE d1 k1 FROMMEMBER m1 BYRADIUS 10 km STOREDIST",
    "GET k1",
    "GETBIT k1 0",
    "GETDEL k1",
    "GETEX k1 EX 10",
    "GETRANGE k1 0 1",
    "GETSET k1 v",
    "HDEL k1 f1 f2",
    "HEXISTS k1 f1",
    "HGET k1 f1",
    "HGETALL k1",
    "HINCRBY k1 f1 1",
    "HINCRBYFLOAT k1 f1 1.5",
    "HKEYS k1",
    "HLEN k1",
    "HMGET k1 f1 f2",
    "HMSET k1 f1 v1",
    "HRANDFIELD k1 2",
    "HSCAN k1 0 MATCH f*",
    "HSET k1 f1 v1 f2 v2",
    "HSETNX k1 f1 v1",
    "HSTRLEN k1 f1",
    "HVALS k1",
    "INCR k1",
    "INCRBY k1 2",
    "INCRBYFLOAT k1 1.5",
    "KEYS k*",
    "LCS k1 k2",
    "LINDEX k1 0",
    "LINSERT k1 BEFORE p v",
    "LLEN k1",
    "LMOVE k1 k2 LEFT RIGHT",
    "LMPOP 2 k1 k2 LEFT COUNT 2",
    "LPOP k1",
    "LPOS k1 v",
    "LPUSH k1 a b",
    "LPUSHX k1 a",
    "LRANGE k1 0 -1",
    "LREM k1 0 v",
    "LSET k1 0 v",
    "LTRIM k1 0 1",
    "MGET k1 k2",
    "MSET k1 v1 k2 v2",
    "MSETNX k1 v1 k2 v2",
    "PERSIST k1",
    "PEXPIRE k1 100",
    "PEXPIREAT k1 100",
    "PEXPIRETIME k1",
    "PFADD k1 a b",
    "PFCOUNT k1 k2",
    "PFMERGE d1 k1 k2",
    "PING",
    "PSETEX k1 100 v",
    "PTTL k1",
    "PUBLISH ch1 msg",
    "RENAME k1 k2",
    "RENAMENX k1 k2",
    "RPOP k1 2",
    "RPOPLPUSH k1 k2",
    "RPUSH k1 a",
    "RPUSHX k1 a",
    "SADD k1 a",
    "SCAN 0",
    "SCAN 0 MATCH k* COUNT 10 TYPE string",
    "SCARD k1",
    "SCRIPT LOAD $BODY",
    "SCRIPT EXISTS $SHA",
    "SDIFF k1 k2",
    "SDIFFSTORE d1 k1 k2",
    "SET k1 v EX 10",
    "SETBIT k1 0 1",
    "SETEX k1 10 v",
    "SETNX k1 v",
    "SETRANGE k1 0 v",
    "SINTER k1 k2",
    "SINTERCARD 2 k1 k2 LIMIT 1",
    "SINTERSTORE d1 k1 k2",
    "SISMEMBER k1 a",
    "SMEMBERS k1",
    "SMISMEMBER k1 a b",
    "SMOVE k1 k2 a",
    "SORT k1 LIMIT 0 5 ALPHA STORE d1",
    "SORT k1 DESC",
    "SORT_RO k1 ALPHA",
    "SPOP k1",
    "SRANDMEMBER k1 2",
    "SREM k1 a",
    "SSCAN k1 0",
    "STRLEN k1",
    "SUBSTR k1 0 1",
    "SUNION k1 k2",
    "SUNIONSTORE d1 k1 k2",
    "TIME",
    "TOUCH k1 k2",
    "TTL k1",
    "TYPE k1",
    "UNLINK k1 k2",
    "WATCH k1 k2",
    "XACK k1 g1 0-1",
    "XADD k1 * f v",
    "XAUTOCLAIM k1 g1 c1 10 0",
    "XCLAIM k1 g1 c1 10 0-1",
    "XDEL k1 0-1",
    "XGROUP CREATE k1 g1 $ MKSTREAM",
    "XGROUP CREATECONSUMER k1 g1 c1",
    "XGROUP DELCONSUMER k1 g1 c1",
    "XGROUP DESTROY k1 g1",
    "XGROUP SETID k1 g1 $",
    "XINFO CONSUMERS k1 g1",
    "XINFO GROUPS k1",
    "XINFO STREAM k1",
    "XLEN k1",
    "XPENDING k1 g1",
    "XRANGE k1 - +",
    "XREAD COUNT 2 STREAMS k1 k2 0 0",
    "XREADGROUP GROUP g1 c1 COUNT 1 STREAMS k1 k2 > >",
    "XREVRANGE k1 + -",
    "XSETID k1 0-1",
    "XTRIM k1 MAXLEN 10",
    "ZADD k1 1 a",
    "ZCARD k1",
    "ZCOUNT k1 0 1",
    "ZDIFF 2 k1 k2",
    "ZDIFFSTORE d1 2 k1 k2",
    "ZINCRBY k1 1 a",
    "ZINTER 2 k1 k2 WEIGHTS 1 2",
    "ZINTERCARD 2 k1 k2",
    "ZINTERSTORE d1 2 k1 k2",
    "ZLEXCOUNT k1 - +",
    "ZMPOP 2 k1 k2 MIN",
    "ZMSCORE k1 a b",
    "ZPOPMAX k1",
    "ZPOPMIN k1",
    "ZRANDMEMBER k1",
    "ZRANGE k1 0 -1",
    "ZRANGEBYLEX k1 - +",
    "ZRANGEBYSCORE k1 0 1",
    "ZRANGESTORE d1 k1 0 -1",
    "ZRANK k1 a",
    "ZREM k1 a",
    "ZREMRANGEBYLEX k1 - +",
    "ZREMRANGEBYRANK k1 0 1",
    "ZREMRANGEBYSCORE k1 0 1",
    "ZREVRANGE k1 0 -1",
    "ZREVRANGEBYLEX k1 + -",
    "ZREVRANGEBYSCORE k1 1 0",
    "ZREVRANK k1 a",
    "ZSCAN k1 0",
    "ZSCORE k1 a",
    "ZUNION 2 k1 k2",
    "ZUNIONSTORE d1 2 k1 k2 WEIGHTS 1 2 AGGREGATE SUM",
];

fn namespace() -> TestResult<(Namespace, String)> {
    let mut scripts = ScriptAllowList::new();
    let sha = scripts.register(BODY.as_bytes());
    Ok((Namespace::workspace("t1")?.with_scripts(scripts), sha))
}

fn example_command(example: &str, sha: &str) -> Command {
    let mut words = example.split_whitespace().map(|w| match w {
        "$BODY" => BODY.as_bytes().to_vec(),
        "$SHA" => sha.as_bytes().to_vec(),
        other => other.as_bytes().to_vec(),
    });
    let name = words.next().unwrap_or_default();
    Command::from_parts(String::from_utf8_lossy(&name).into_owned(), words.collect())
}

/// The keys Redis finds in `command`; none for commands without keys.
fn redis_keys(conn: &mut redis::Connection, command: &Command) -> TestResult<Vec<Vec<u8>>> {
    // GETKEYS needs at least one argument after the name (arity -3): a
    // command line of just a name (PING, TIME) cannot carry a key.
    if command.args_slice().is_empty() {
        return Ok(Vec::new());
    }
    let mut getkeys = redis::cmd("COMMAND");
    getkeys.arg("GETKEYS");
    for part in command.to_parts() {
        getkeys.arg(part);
    }
    match getkeys.query::<Vec<Vec<u8>>>(conn) {
        Ok(keys) => Ok(keys),
        Err(e) if e.to_string().contains("no key arguments") => Ok(Vec::new()),
        Err(e) => Err(format!("GETKEYS failed: {e}").into()),
    }
}

/// Checks one command: scoped, the prefixed keys are Redis's keys.
fn check(
    conn: &mut redis::Connection,
    ns: &Namespace,
    command: Command,
    label: &str,
) -> TestResult {
    let scoped = ns
        .scope(command)
        .map_err(|e| format!("{label}: refused: {e}"))?;
    let args = scoped.command.args_slice();
    let mut ours: Vec<Vec<u8>> = scoped
        .key_positions
        .iter()
        .filter_map(|&i| args.get(i).map(|a| a.bytes.clone()))
        .collect();
    let mut theirs = redis_keys(conn, &scoped.command)?;
    ours.sort();
    theirs.sort();
    if ours != theirs {
        let show = |v: &[Vec<u8>]| {
            v.iter()
                .map(|k| String::from_utf8_lossy(k).into_owned())
                .collect::<Vec<_>>()
        };
        return Err(format!(
            "{label}: namespace prefixes {:?}, redis reports {:?}",
            show(&ours),
            show(&theirs)
        )
        .into());
    }
    for key in &theirs {
        if !key.starts_with(ns.prefix()) {
            return Err(format!("{label}: a key escaped the prefix").into());
        }
    }
    // Channels and patterns are prefixed too, and nothing else changes.
    for arg in args {
        if matches!(arg.kind, ArgKind::Channel | ArgKind::Pattern)
            && !arg.bytes.starts_with(ns.prefix())
        {
            return Err(format!("{label}: channel or pattern not prefixed").into());
        }
    }
    Ok(())
}

/// Allowed commands the CI's redis-server 7.0 lacks (RedisJSON, Upstash's
/// arrays), so `COMMAND GETKEYS` cannot answer for them: each line with the
/// keys the Redis or Upstash documentation says it names.
const NEWER_EXAMPLES: &[(&str, &[&str])] = &[
    ("ARCOUNT k1", &["k1"]),
    ("ARDEL k1 1 2", &["k1"]),
    ("ARDELRANGE k1 0 2 5 7", &["k1"]),
    ("ARGET k1 3", &["k1"]),
    ("ARGETRANGE k1 0 -1", &["k1"]),
    ("ARGREP k1 0 -1 EXACT k2 WITHVALUES", &["k1"]),
    ("ARINFO k1 FULL", &["k1"]),
    ("ARINSERT k1 v1 k2", &["k1"]),
    ("ARLASTITEMS k1 2 REV", &["k1"]),
    ("ARLEN k1", &["k1"]),
    ("ARMGET k1 1 2", &["k1"]),
    ("ARMSET k1 1 k2 2 v", &["k1"]),
    ("ARNEXT k1", &["k1"]),
    ("AROP k1 0 -1 MATCH k2", &["k1"]),
    ("ARRING k1 3 v", &["k1"]),
    ("ARSCAN k1 0 -1 LIMIT 10", &["k1"]),
    ("ARSEEK k1 4", &["k1"]),
    ("ARSET k1 0 v", &["k1"]),
    ("JSON.ARRAPPEND k1 $ 1", &["k1"]),
    ("JSON.ARRINDEX k1 $ 1", &["k1"]),
    ("JSON.ARRINSERT k1 $ 0 1", &["k1"]),
    ("JSON.ARRLEN k1 $", &["k1"]),
    ("JSON.ARRPOP k1 $ 0", &["k1"]),
    ("JSON.ARRTRIM k1 $ 0 1", &["k1"]),
    ("JSON.CLEAR k1 $", &["k1"]),
    ("JSON.DEL k1 $", &["k1"]),
    ("JSON.FORGET k1 $", &["k1"]),
    ("JSON.GET k1 $.a $.b", &["k1"]),
    ("JSON.MERGE k1 $ {}", &["k1"]),
    ("JSON.MGET k1 k2 k3 $", &["k1", "k2", "k3"]),
    ("JSON.MSET k1 $ 1 k2 $.a 2", &["k1", "k2"]),
    ("JSON.NUMINCRBY k1 $ 1", &["k1"]),
    ("JSON.NUMMULTBY k1 $ 2", &["k1"]),
    ("JSON.NUMPOWBY k1 $ 2", &["k1"]),
    ("JSON.OBJKEYS k1 $", &["k1"]),
    ("JSON.OBJLEN k1 $", &["k1"]),
    ("JSON.RESP k1 $", &["k1"]),
    ("JSON.SET k1 $ {} NX", &["k1"]),
    ("JSON.STRAPPEND k1 $ k2", &["k1"]),
    ("JSON.STRLEN k1 $", &["k1"]),
    ("JSON.TOGGLE k1 $", &["k1"]),
    ("JSON.TYPE k1 $", &["k1"]),
];

#[test]
fn every_allowed_command_has_an_example() {
    let lines = EXAMPLES.iter().chain(NEWER_EXAMPLES.iter().map(|(l, _)| l));
    let lines: Vec<String> = lines.map(|l| l.to_ascii_uppercase()).collect();
    let missing: Vec<String> = allowed_commands()
        .into_iter()
        .filter(|head| {
            !lines
                .iter()
                .any(|upper| *upper == *head || upper.starts_with(&format!("{head} ")))
        })
        .collect();
    assert!(missing.is_empty(), "add EXAMPLES for {missing:?}");
}

#[test]
fn newer_commands_prefix_exactly_their_documented_keys() -> TestResult {
    let (ns, sha) = namespace()?;
    for (line, keys) in NEWER_EXAMPLES {
        let scoped = ns.scope(example_command(line, &sha))?;
        let args = scoped.command.args_slice();
        let mut ours: Vec<String> = scoped
            .key_positions
            .iter()
            .filter_map(|&i| args.get(i))
            .map(|a| String::from_utf8_lossy(&a.bytes).into_owned())
            .collect();
        ours.sort();
        let expected: Vec<String> = keys.iter().map(|k| format!("ws:t1:{k}")).collect();
        assert_eq!(ours, expected, "{line}");
        // Only the keys are prefixed: "k2" as a value stays as it is.
        let prefixed = args
            .iter()
            .filter(|a| a.bytes.starts_with(ns.prefix()))
            .count();
        assert_eq!(prefixed, keys.len(), "{line}");
    }
    Ok(())
}

#[test]
fn key_specs_agree_with_command_getkeys() -> TestResult {
    let server = RedisServer::start()?;
    let mut conn = server.connection()?;
    let (ns, sha) = namespace()?;
    let mut failures = Vec::new();
    for example in EXAMPLES {
        if let Err(e) = check(&mut conn, &ns, example_command(example, &sha), example) {
            failures.push(e.to_string());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    Ok(())
}

/// Records the commands typed methods build, without sending them.
#[derive(Default)]
struct Recorder(RefCell<Vec<Command>>);

impl Commands for Recorder {
    type Reply<T: FromValue + Send + 'static> = ();

    fn command<T: FromValue + Send + 'static>(&self, command: Command) -> Self::Reply<T> {
        self.0.borrow_mut().push(command);
    }

    fn fail<T: FromValue + Send + 'static>(&self, _error: Error) -> Self::Reply<T> {}
}

/// Every typed method in src/commands/, called once. Add new methods here.
fn typed_commands() -> Vec<Command> {
    let r = Recorder::default();
    let opts = SetOptions::default().ex(10).nx();
    // keys.rs
    r.del(["a", "b"]);
    r.exists(["a", "b"]);
    r.expire("a", 10);
    r.pexpire("a", 10);
    r.ttl("a");
    r.pttl("a");
    // server.rs
    r.ping();
    r.echo("x");
    r.time();
    // strings.rs
    r.get("a");
    r.get_string("a");
    r.get_json::<u32>("a");
    r.set("a", "v");
    r.set_with("a", "v", opts);
    r.set_get("a", "v", opts);
    r.set_json("a", &[1, 2], opts);
    r.incr("a");
    r.incrby("a", 2);
    r.decr("a");
    r.decrby("a", 2);
    r.mget(["a", "b"]);
    r.mset([("a", "1"), ("b", "2")]);
    r.0.into_inner()
}

#[test]
fn typed_methods_mark_keys_where_the_specs_do() -> TestResult {
    let server = RedisServer::start()?;
    let mut conn = server.connection()?;
    let (ns, _) = namespace()?;
    for command in typed_commands() {
        let label = command.upper_name();
        let marked: Vec<usize> = command
            .args_slice()
            .iter()
            .enumerate()
            .filter(|(_, a)| a.kind == ArgKind::Key)
            .map(|(i, _)| i)
            .collect();
        let scoped = ns.scope(command.clone())?;
        assert_eq!(marked, scoped.key_positions, "{label}: marks vs spec");
        check(&mut conn, &ns, command, &label)?;
    }
    Ok(())
}
