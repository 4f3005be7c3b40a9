//! The allow-list: which commands may run in a workspace, where their keys
//! are, and which replies carry key names.
//!
//! A command missing from [`TABLE`] is refused on a namespaced client: the
//! namespace cannot prove where its keys are, so it must not guess. Shapes
//! follow Redis's own key specs (`COMMAND INFO`); the integration test
//! `namespace_keyspecs` checks every entry against `COMMAND GETKEYS` of a
//! real redis-server.

/// Where a command's keys (or channels, or patterns) are among its arguments.
///
/// Positions count the arguments after the command name from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeySpec {
    /// No key arguments (PING, ECHO, TIME).
    NoKeys,
    /// Keys from `first` to `last` every `step`, Redis's legacy
    /// (first, last, step) triple; a negative `last` counts from the end,
    /// -1 being the last argument.
    Range {
        first: usize,
        last: isize,
        step: usize,
    },
    /// A key count at `count_at`, followed by that many keys; `dest` is a key
    /// before the count (ZUNIONSTORE dest numkeys key...).
    NumKeys {
        dest: Option<usize>,
        count_at: usize,
    },
    /// XREAD / XREADGROUP: after the first `STREAMS` at or after `from`, the
    /// first half of the remaining arguments are keys, the rest IDs.
    Streams { from: usize },
    /// GEORADIUS / GEORADIUSBYMEMBER: the key at 0 and the argument after
    /// every STORE / STOREDIST from position 4 on (as Redis's getkeys scans).
    GeoRadius,
    /// SORT / SORT_RO: the key at 0 and the STORE destination; BY and GET
    /// read other keys by pattern and are refused.
    Sort,
    /// COPY source destination: the DB option would leave the database and
    /// is refused.
    Copy,
    /// PUBLISH: the channel at 0.
    Channel,
    /// KEYS: the pattern at 0.
    KeysPattern,
    /// SCAN cursor [MATCH p] [COUNT n] [TYPE t]: every MATCH pattern, and a
    /// MATCH added when there is none.
    Scan,
    /// EVAL / EVAL_RO: a registered script body at 0, keys by count at 1.
    EvalBody,
    /// EVALSHA / EVALSHA_RO: a registered SHA-1 at 0, keys by count at 1.
    EvalSha,
    /// SCRIPT LOAD of a registered body, SCRIPT EXISTS of registered SHA-1s.
    Script,
    /// A container command (XGROUP, XINFO): allowed subcommands and their
    /// specs, positions counted from the subcommand (at 0).
    Subcommands(&'static [(&'static str, KeySpec)]),
}

/// Which parts of a reply are key names, to strip the prefix from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReplyKeys {
    /// The reply carries no key names.
    None,
    /// An array of key names (KEYS); names outside the namespace are dropped.
    KeyList,
    /// `[cursor, [key...]]` (SCAN); names outside the namespace are dropped.
    Scan,
    /// An array whose first element is a key name, or nil (BLPOP, BZPOPMIN,
    /// LMPOP, ZMPOP and their blocking forms).
    FirstElement,
    /// An array of `[key, entries]` pairs, or nil (XREAD, XREADGROUP).
    StreamPairs,
}

/// One allowed command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The command name in upper case.
    pub name: &'static str,
    /// Where its keys are.
    pub keys: KeySpec,
    /// Which reply parts are key names.
    pub reply: ReplyKeys,
}

const fn e(name: &'static str, keys: KeySpec) -> Entry {
    Entry {
        name,
        keys,
        reply: ReplyKeys::None,
    }
}

const fn r(name: &'static str, keys: KeySpec, reply: ReplyKeys) -> Entry {
    Entry { name, keys, reply }
}

/// The key at 0 only.
const FIRST: KeySpec = KeySpec::Range {
    first: 0,
    last: 0,
    step: 1,
};
/// Keys at 0 and 1.
const TWO: KeySpec = KeySpec::Range {
    first: 0,
    last: 1,
    step: 1,
};
/// Every argument is a key.
const ALL: KeySpec = KeySpec::Range {
    first: 0,
    last: -1,
    step: 1,
};
/// Every argument but the last (a timeout) is a key.
const ALL_BUT_LAST: KeySpec = KeySpec::Range {
    first: 0,
    last: -2,
    step: 1,
};
/// Key/value pairs: every other argument from 0.
const PAIRS: KeySpec = KeySpec::Range {
    first: 0,
    last: -1,
    step: 2,
};
/// The key after a subcommand (XGROUP CREATE key ...).
const AFTER_SUB: KeySpec = KeySpec::Range {
    first: 1,
    last: 1,
    step: 1,
};
/// numkeys key... at 0.
const COUNTED: KeySpec = KeySpec::NumKeys {
    dest: None,
    count_at: 0,
};
/// timeout numkeys key... (BLMPOP, BZMPOP).
const COUNTED_AFTER_TIMEOUT: KeySpec = KeySpec::NumKeys {
    dest: None,
    count_at: 1,
};
/// destination numkeys key... (ZUNIONSTORE).
const DEST_COUNTED: KeySpec = KeySpec::NumKeys {
    dest: Some(0),
    count_at: 1,
};

const XGROUP: &[(&str, KeySpec)] = &[
    ("CREATE", AFTER_SUB),
    ("CREATECONSUMER", AFTER_SUB),
    ("DELCONSUMER", AFTER_SUB),
    ("DESTROY", AFTER_SUB),
    ("SETID", AFTER_SUB),
];

const XINFO: &[(&str, KeySpec)] = &[
    ("CONSUMERS", AFTER_SUB),
    ("GROUPS", AFTER_SUB),
    ("STREAM", AFTER_SUB),
];

/// Every command a workspace may run, sorted by name (a unit test keeps it so).
pub(crate) const TABLE: &[Entry] = &[
    e("APPEND", FIRST),
    e("BITCOUNT", FIRST),
    e("BITFIELD", FIRST),
    e("BITFIELD_RO", FIRST),
    e(
        "BITOP",
        KeySpec::Range {
            first: 1,
            last: -1,
            step: 1,
        },
    ),
    e("BITPOS", FIRST),
    r("BLMOVE", TWO, ReplyKeys::None),
    r("BLMPOP", COUNTED_AFTER_TIMEOUT, ReplyKeys::FirstElement),
    r("BLPOP", ALL_BUT_LAST, ReplyKeys::FirstElement),
    r("BRPOP", ALL_BUT_LAST, ReplyKeys::FirstElement),
    e("BRPOPLPUSH", TWO),
    r("BZMPOP", COUNTED_AFTER_TIMEOUT, ReplyKeys::FirstElement),
    r("BZPOPMAX", ALL_BUT_LAST, ReplyKeys::FirstElement),
    r("BZPOPMIN", ALL_BUT_LAST, ReplyKeys::FirstElement),
    e("COPY", KeySpec::Copy),
    e("DECR", FIRST),
    e("DECRBY", FIRST),
    e("DEL", ALL),
    e("ECHO", KeySpec::NoKeys),
    e("EVAL", KeySpec::EvalBody),
    e("EVALSHA", KeySpec::EvalSha),
    e("EVALSHA_RO", KeySpec::EvalSha),
    e("EVAL_RO", KeySpec::EvalBody),
    e("EXISTS", ALL),
    e("EXPIRE", FIRST),
    e("EXPIREAT", FIRST),
    e("EXPIRETIME", FIRST),
    e("GEOADD", FIRST),
    e("GEODIST", FIRST),
    e("GEOHASH", FIRST),
    e("GEOPOS", FIRST),
    e("GEORADIUS", KeySpec::GeoRadius),
    e("GEORADIUSBYMEMBER", KeySpec::GeoRadius),
    e("GEORADIUSBYMEMBER_RO", FIRST),
    e("GEORADIUS_RO", FIRST),
    e("GEOSEARCH", FIRST),
    e("GEOSEARCHSTORE", TWO),
    e("GET", FIRST),
    e("GETBIT", FIRST),
    e("GETDEL", FIRST),
    e("GETEX", FIRST),
    e("GETRANGE", FIRST),
    e("GETSET", FIRST),
    e("HDEL", FIRST),
    e("HEXISTS", FIRST),
    e("HGET", FIRST),
    e("HGETALL", FIRST),
    e("HINCRBY", FIRST),
    e("HINCRBYFLOAT", FIRST),
    e("HKEYS", FIRST),
    e("HLEN", FIRST),
    e("HMGET", FIRST),
    e("HMSET", FIRST),
    e("HRANDFIELD", FIRST),
    e("HSCAN", FIRST),
    e("HSET", FIRST),
    e("HSETNX", FIRST),
    e("HSTRLEN", FIRST),
    e("HVALS", FIRST),
    e("INCR", FIRST),
    e("INCRBY", FIRST),
    e("INCRBYFLOAT", FIRST),
    r("KEYS", KeySpec::KeysPattern, ReplyKeys::KeyList),
    e("LCS", TWO),
    e("LINDEX", FIRST),
    e("LINSERT", FIRST),
    e("LLEN", FIRST),
    e("LMOVE", TWO),
    r("LMPOP", COUNTED, ReplyKeys::FirstElement),
    e("LPOP", FIRST),
    e("LPOS", FIRST),
    e("LPUSH", FIRST),
    e("LPUSHX", FIRST),
    e("LRANGE", FIRST),
    e("LREM", FIRST),
    e("LSET", FIRST),
    e("LTRIM", FIRST),
    e("MGET", ALL),
    e("MSET", PAIRS),
    e("MSETNX", PAIRS),
    e("PERSIST", FIRST),
    e("PEXPIRE", FIRST),
    e("PEXPIREAT", FIRST),
    e("PEXPIRETIME", FIRST),
    e("PFADD", FIRST),
    e("PFCOUNT", ALL),
    e("PFMERGE", ALL),
    e("PING", KeySpec::NoKeys),
    e("PSETEX", FIRST),
    e("PTTL", FIRST),
    e("PUBLISH", KeySpec::Channel),
    e("RENAME", TWO),
    e("RENAMENX", TWO),
    e("RPOP", FIRST),
    e("RPOPLPUSH", TWO),
    e("RPUSH", FIRST),
    e("RPUSHX", FIRST),
    e("SADD", FIRST),
    r("SCAN", KeySpec::Scan, ReplyKeys::Scan),
    e("SCARD", FIRST),
    e("SCRIPT", KeySpec::Script),
    e("SDIFF", ALL),
    e("SDIFFSTORE", ALL),
    e("SET", FIRST),
    e("SETBIT", FIRST),
    e("SETEX", FIRST),
    e("SETNX", FIRST),
    e("SETRANGE", FIRST),
    e("SINTER", ALL),
    e("SINTERCARD", COUNTED),
    e("SINTERSTORE", ALL),
    e("SISMEMBER", FIRST),
    e("SMEMBERS", FIRST),
    e("SMISMEMBER", FIRST),
    e("SMOVE", TWO),
    e("SORT", KeySpec::Sort),
    e("SORT_RO", KeySpec::Sort),
    e("SPOP", FIRST),
    e("SRANDMEMBER", FIRST),
    e("SREM", FIRST),
    e("SSCAN", FIRST),
    e("STRLEN", FIRST),
    e("SUBSTR", FIRST),
    e("SUNION", ALL),
    e("SUNIONSTORE", ALL),
    e("TIME", KeySpec::NoKeys),
    e("TOUCH", ALL),
    e("TTL", FIRST),
    e("TYPE", FIRST),
    e("UNLINK", ALL),
    e("WATCH", ALL),
    e("XACK", FIRST),
    e("XADD", FIRST),
    e("XAUTOCLAIM", FIRST),
    e("XCLAIM", FIRST),
    e("XDEL", FIRST),
    e("XGROUP", KeySpec::Subcommands(XGROUP)),
    e("XINFO", KeySpec::Subcommands(XINFO)),
    e("XLEN", FIRST),
    e("XPENDING", FIRST),
    e("XRANGE", FIRST),
    r(
        "XREAD",
        KeySpec::Streams { from: 0 },
        ReplyKeys::StreamPairs,
    ),
    r(
        "XREADGROUP",
        KeySpec::Streams { from: 3 },
        ReplyKeys::StreamPairs,
    ),
    e("XREVRANGE", FIRST),
    e("XSETID", FIRST),
    e("XTRIM", FIRST),
    e("ZADD", FIRST),
    e("ZCARD", FIRST),
    e("ZCOUNT", FIRST),
    e("ZDIFF", COUNTED),
    e("ZDIFFSTORE", DEST_COUNTED),
    e("ZINCRBY", FIRST),
    e("ZINTER", COUNTED),
    e("ZINTERCARD", COUNTED),
    e("ZINTERSTORE", DEST_COUNTED),
    e("ZLEXCOUNT", FIRST),
    r("ZMPOP", COUNTED, ReplyKeys::FirstElement),
    e("ZMSCORE", FIRST),
    e("ZPOPMAX", FIRST),
    e("ZPOPMIN", FIRST),
    e("ZRANDMEMBER", FIRST),
    e("ZRANGE", FIRST),
    e("ZRANGEBYLEX", FIRST),
    e("ZRANGEBYSCORE", FIRST),
    e("ZRANGESTORE", TWO),
    e("ZRANK", FIRST),
    e("ZREM", FIRST),
    e("ZREMRANGEBYLEX", FIRST),
    e("ZREMRANGEBYRANK", FIRST),
    e("ZREMRANGEBYSCORE", FIRST),
    e("ZREVRANGE", FIRST),
    e("ZREVRANGEBYLEX", FIRST),
    e("ZREVRANGEBYSCORE", FIRST),
    e("ZREVRANK", FIRST),
    e("ZSCAN", FIRST),
    e("ZSCORE", FIRST),
    e("ZUNION", COUNTED),
    e("ZUNIONSTORE", DEST_COUNTED),
];

/// Commands that reach beyond one workspace (the whole database, the
/// server, other connections, arbitrary code). They are refused anyway for
/// lack of a key spec; naming them gives a clearer refusal.
const FORBIDDEN: &[&str] = &[
    "ACL",
    "BGREWRITEAOF",
    "BGSAVE",
    "CLIENT",
    "CLUSTER",
    "COMMAND",
    "CONFIG",
    "DBSIZE",
    "DEBUG",
    "DUMP",
    "FAILOVER",
    "FCALL",
    "FCALL_RO",
    "FLUSHALL",
    "FLUSHDB",
    "FUNCTION",
    "INFO",
    "LASTSAVE",
    "LATENCY",
    "MEMORY",
    "MIGRATE",
    "MODULE",
    "MONITOR",
    "MOVE",
    "OBJECT",
    "PSUBSCRIBE",
    "PSYNC",
    "PUBSUB",
    "RANDOMKEY",
    "REPLICAOF",
    "RESTORE",
    "SAVE",
    "SELECT",
    "SHUTDOWN",
    "SLAVEOF",
    "SLOWLOG",
    "SUBSCRIBE",
    "SWAPDB",
    "SYNC",
];

/// The entry for an upper-case command name.
pub(crate) fn lookup(upper_name: &str) -> Option<&'static Entry> {
    TABLE
        .binary_search_by(|entry| entry.name.cmp(upper_name))
        .ok()
        .and_then(|i| TABLE.get(i))
}

/// True for commands refused because they reach beyond one workspace.
pub(crate) fn is_forbidden(upper_name: &str) -> bool {
    FORBIDDEN.binary_search(&upper_name).is_ok()
}

/// Every allowed command line head: `GET`, and `XGROUP CREATE` for
/// subcommands. For tests that must cover the whole allow-list.
pub fn allowed_commands() -> Vec<String> {
    let mut out = Vec::new();
    for entry in TABLE {
        match entry.keys {
            KeySpec::Subcommands(subs) => {
                out.extend(subs.iter().map(|(sub, _)| format!("{} {sub}", entry.name)));
            }
            KeySpec::Script => {
                out.push(format!("{} LOAD", entry.name));
                out.push(format!("{} EXISTS", entry.name));
            }
            _ => out.push(entry.name.to_owned()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_unique() {
        for pair in TABLE.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} / {}",
                pair[0].name,
                pair[1].name
            );
        }
        for pair in FORBIDDEN.windows(2) {
            assert!(pair[0] < pair[1], "{} / {}", pair[0], pair[1]);
        }
        for entry in TABLE {
            assert!(
                !is_forbidden(entry.name),
                "{} both allowed and forbidden",
                entry.name
            );
            assert_eq!(entry.name, entry.name.to_ascii_uppercase());
        }
        for sub in [XGROUP, XINFO] {
            for pair in sub.windows(2) {
                assert!(pair[0].0 < pair[1].0);
            }
        }
    }

    #[test]
    fn looks_up_by_upper_name() {
        assert_eq!(lookup("GET").map(|e| e.keys), Some(FIRST));
        assert!(lookup("FLUSHALL").is_none());
        assert!(is_forbidden("FLUSHALL"));
        assert!(allowed_commands().contains(&"XGROUP CREATE".to_owned()));
        assert!(allowed_commands().contains(&"SCRIPT LOAD".to_owned()));
    }
}
