//! The npm facade's methods, one entry per method of `@upstash/redis` 1.39's
//! `Redis` class that edgestash's npm package has, keyed by the command it
//! sends. `js/src/command_shapes.js` (how each method builds its command and
//! shapes its reply) and `js/src/command_methods.d.ts` (its TypeScript
//! declaration) are generated from this table (`catalog::generated`), and
//! `docs/COVERAGE.md` counts the npm package from it (test-only: the wasm
//! build carries none of it).
//!
//! An entry: `m(method, words sent, argument spec, TypeScript signature)`,
//! then `.reply(shape)` (default `json`), `.doc(text)` and `.overload(doc,
//! signature)` for a second TypeScript signature. A method named
//! `group.name` lives in a group (`redis.json.get`). The words sent must
//! resolve to a catalogue record (a test checks it).
//!
//! The argument spec, one token per JavaScript argument (interpreted by
//! `js/src/command_table.js`):
//! - `key` one argument as is; `?key` optional (omitted when undefined);
//! - `$value` a data value (automatic-deserialization encoding applies),
//!   `?$value` optional;
//! - `keys...` the rest (one array argument is spread), `$vals...` as data;
//! - `keys[]` one array argument, spread; `$vals[]` as data;
//! - `#keys` one array, sent as its length then its items (EVAL's numkeys);
//! - `{kv}` an object as field/data-value pairs, `?{kv}` optional;
//! - `@name` the option builder `name` of `js/src/command_options.js` for one
//!   argument, `@name...` for the remaining arguments;
//! - `=WORD` a literal word, no JavaScript argument;
//! - `>name` the chained builder `name` of `js/src/command_options.js`
//!   (`CHAINS`): the method returns it, and its `exec()` sends the command
//!   with the subcommands called on it (`bitfield(key).get(..).exec()`).
//!
//! Reply shapes are `command_table.js`'s `REPLIES` (used with automatic
//! deserialization on; off, replies are returned as Redis sent them).
//!
//! Must not: describe members that are not commands (`subscribe`,
//! `createScript`, `pipeline`...): those live in `js/src/redis.js` and
//! `js/src/index.d.ts`.

/// One npm method.
pub(super) struct Method {
    /// The JavaScript name (`hincrbyfloat`, `json.get`).
    pub name: &'static str,
    /// The command's words, lower case (`script load`).
    pub words: &'static str,
    /// The argument spec (module docs).
    pub spec: &'static str,
    /// The reply shape.
    pub reply: &'static str,
    /// The TypeScript signature after the name (`(key: string): Out<M, number>`).
    pub ts: &'static str,
    /// The declaration's doc comment, or "".
    pub doc: &'static str,
    /// A second TypeScript signature and its doc, or "".
    pub overload: (&'static str, &'static str),
}

const fn m(
    name: &'static str,
    words: &'static str,
    spec: &'static str,
    ts: &'static str,
) -> Method {
    Method {
        name,
        words,
        spec,
        reply: "json",
        ts,
        doc: "",
        overload: ("", ""),
    }
}

impl Method {
    const fn reply(mut self, shape: &'static str) -> Self {
        self.reply = shape;
        self
    }

    const fn doc(mut self, text: &'static str) -> Self {
        self.doc = text;
        self
    }

    const fn overload(mut self, doc: &'static str, ts: &'static str) -> Self {
        self.overload = (doc, ts);
        self
    }
}

/// The doc comment of each method group's object.
pub(super) const GROUPS: &[(&str, &str)] = &[
    ("functions", "FUNCTION and FCALL (Redis 7 functions)."),
    (
        "json",
        "RedisJSON commands, sent as they are (the server needs the module, built into Redis 8).",
    ),
];

/// Every method, by family.
#[rustfmt::skip]
pub(super) const METHODS: &[Method] = &[
    // Strings
    m("get", "get", "key", "<TData = unknown>(key: string): Out<M, TData | null>"),
    m("set", "set", "key $value ?@set", r#"<TData = unknown>(key: string, value: TData, options?: SetOptions): Out<M, "OK" | TData | null>"#),
    m("setnx", "setnx", "key $value", "<TData = unknown>(key: string, value: TData): Out<M, number>"),
    m("setex", "setex", "key ttl $value", r#"<TData = unknown>(key: string, ttl: number, value: TData): Out<M, "OK">"#),
    m("psetex", "psetex", "key ttl $value", "<TData = unknown>(key: string, ttl: number, value: TData): Out<M, string>"),
    m("getset", "getset", "key $value", "<TData = unknown>(key: string, value: TData): Out<M, TData | null>"),
    m("getdel", "getdel", "key", "<TData = unknown>(key: string): Out<M, TData | null>"),
    m("getex", "getex", "key ?@getex", "<TData = unknown>(key: string, options?: { ex?: number; px?: number; exat?: number; pxat?: number; persist?: boolean }): Out<M, TData | null>"),
    m("getrange", "getrange", "key start end", "(key: string, start: number, end: number): Out<M, string>"),
    m("setrange", "setrange", "key offset value", "(key: string, offset: number, value: string): Out<M, number>"),
    m("append", "append", "key value", "(key: string, value: string): Out<M, number>"),
    m("strlen", "strlen", "key", "(key: string): Out<M, number>"),
    m("incr", "incr", "key", "(key: string): Out<M, number>"),
    m("incrby", "incrby", "key increment", "(key: string, increment: number | bigint): Out<M, number>"),
    m("incrbyfloat", "incrbyfloat", "key increment", "(key: string, increment: number): Out<M, number>"),
    m("decr", "decr", "key", "(key: string): Out<M, number>"),
    m("decrby", "decrby", "key decrement", "(key: string, decrement: number | bigint): Out<M, number>"),
    m("mget", "mget", "keys...", "<TData extends unknown[] = unknown[]>(...keys: string[] | [string[]]): Out<M, TData>"),
    m("mset", "mset", "{kv}", r#"<TData = unknown>(kv: Record<string, TData>): Out<M, "OK">"#),
    m("msetnx", "msetnx", "{kv}", "<TData = unknown>(kv: Record<string, TData>): Out<M, number>"),
    // Bitmaps
    m("getbit", "getbit", "key offset", "(key: string, offset: number): Out<M, 0 | 1>"),
    m("setbit", "setbit", "key offset value", "(key: string, offset: number, value: 0 | 1): Out<M, 0 | 1>"),
    m("bitcount", "bitcount", "key @range...", "(key: string, start?: number, end?: number): Out<M, number>"),
    m("bitpos", "bitpos", "key bit ?start ?end", "(key: string, bit: 0 | 1, start?: number, end?: number): Out<M, number>"),
    m("bitfield", "bitfield", "key >bitfield", "(key: string): BitField<Out<M, (number | null)[]>>").doc("BITFIELD as a chain: `bitfield(key).get(type, offset).set(type, offset, value).incrby(type, offset, by).overflow(mode).exec()`."),
    m("bitop", "bitop", "operation destination sources...", r#"(operation: "and" | "or" | "xor" | "not" | "diff" | "diff1" | "andor" | "one", destination: string, ...sources: string[]): Out<M, number>"#),
    // HyperLogLog
    m("pfadd", "pfadd", "key $elements...", "<TData = unknown>(key: string, ...elements: TData[]): Out<M, number>"),
    m("pfcount", "pfcount", "keys...", "(...keys: string[]): Out<M, number>"),
    m("pfmerge", "pfmerge", "destination sources...", r#"(destination: string, ...sources: string[]): Out<M, "OK">"#),
    // Keys
    m("randomkey", "randomkey", "", "(): Out<M, string | null>"),
    m("del", "del", "keys...", "(...keys: string[]): Out<M, number>"),
    m("unlink", "unlink", "keys...", "(...keys: string[]): Out<M, number>"),
    m("exists", "exists", "keys...", "(...keys: string[]): Out<M, number>"),
    m("touch", "touch", "keys...", "(...keys: string[]): Out<M, number>"),
    m("expire", "expire", "key seconds ?@expireFlag", "(key: string, seconds: number, option?: ExpireOption): Out<M, 0 | 1>"),
    m("pexpire", "pexpire", "key milliseconds ?@expireFlag", "(key: string, milliseconds: number, option?: ExpireOption): Out<M, 0 | 1>"),
    m("expireat", "expireat", "key unix ?@expireFlag", "(key: string, unix: number, option?: ExpireOption): Out<M, 0 | 1>"),
    m("pexpireat", "pexpireat", "key unix ?@expireFlag", "(key: string, unix: number, option?: ExpireOption): Out<M, 0 | 1>"),
    m("persist", "persist", "key", "(key: string): Out<M, 0 | 1>"),
    m("ttl", "ttl", "key", "(key: string): Out<M, number>"),
    m("pttl", "pttl", "key", "(key: string): Out<M, number>"),
    m("type", "type", "key", "(key: string): Out<M, string>").reply("text"),
    m("rename", "rename", "source destination", r#"(source: string, destination: string): Out<M, "OK">"#),
    m("renamenx", "renamenx", "source destination", "(source: string, destination: string): Out<M, 0 | 1>"),
    m("keys", "keys", "pattern", "(pattern: string): Out<M, string[]>"),
    m("scan", "scan", "cursor ?@scan", "(cursor: string | number, options?: ScanOptions): Out<M, [string, string[]]>").reply("scan"),
    m("dump", "dump", "key", "(key: string): Out<M, string | null>").reply("text"),
    m("copy", "copy", "source destination ?@copy", r#"(source: string, destination: string, options?: { replace?: boolean }): Out<M, "COPIED" | "NOT_COPIED">"#).reply("copied"),
    // Hashes
    m("hset", "hset", "key {kv}", "<TData = unknown>(key: string, kv: Record<string, TData>): Out<M, number>"),
    m("hmset", "hmset", "key {kv}", r#"<TData = unknown>(key: string, kv: Record<string, TData>): Out<M, "OK">"#),
    m("hsetnx", "hsetnx", "key field $value", "<TData = unknown>(key: string, field: string, value: TData): Out<M, 0 | 1>"),
    m("hget", "hget", "key field", "<TData = unknown>(key: string, field: string): Out<M, TData | null>"),
    m("hmget", "hmget", "key fields...", "<TData extends Record<string, unknown> = Record<string, unknown>>(key: string, ...fields: string[]): Out<M, TData | null>").reply("hmget").doc("`{ field: value }` for the fields asked (null when all are missing)."),
    m("hgetdel", "hgetdel", "key @fields...", "<TData extends Record<string, unknown> = Record<string, unknown>>(key: string, ...fields: (string | number)[]): Out<M, TData | null>").reply("hmget").doc("HGETDEL (Redis 8.0): the fields' values as an object (null when all are missing), then deletes them."),
    m("hgetex", "hgetex", "key @hgetex @fields...", "<TData extends Record<string, unknown> = Record<string, unknown>>(key: string, options: { ex: number } | { px: number } | { exat: number } | { pxat: number } | { persist: true }, ...fields: (string | number)[]): Out<M, TData | null>").reply("hgetex").doc("HGETEX (Redis 8.0): the fields' values as an object, setting (or removing) their expiry."),
    m("hsetex", "hsetex", "key @hsetex...", "<TData = unknown>(key: string, options: { conditional?: \"FNX\" | \"fnx\" | \"FXX\" | \"fxx\"; expiration?: { ex: number } | { px: number } | { exat: number } | { pxat: number } | { keepttl: true } | Record<string, never> }, kv: Record<string, TData>): Out<M, number>").doc("HSETEX (Redis 8.0): sets fields with an expiry; 1 when set, 0 when a condition failed."),
    m("hgetall", "hgetall", "key", "<TData extends Record<string, unknown> = Record<string, unknown>>(key: string): Out<M, TData | null>").reply("hash").doc("The hash as an object, or null."),
    m("hdel", "hdel", "key fields...", "(key: string, ...fields: string[]): Out<M, number>"),
    m("hexists", "hexists", "key field", "(key: string, field: string): Out<M, number>"),
    m("hincrby", "hincrby", "key field increment", "(key: string, field: string, increment: number | bigint): Out<M, number>"),
    m("hincrbyfloat", "hincrbyfloat", "key field increment", "(key: string, field: string, increment: number): Out<M, number>"),
    m("hkeys", "hkeys", "key", "(key: string): Out<M, string[]>"),
    m("hvals", "hvals", "key", "<TData extends unknown[] = unknown[]>(key: string): Out<M, TData>"),
    m("hlen", "hlen", "key", "(key: string): Out<M, number>"),
    m("hstrlen", "hstrlen", "key field", "(key: string, field: string): Out<M, number>"),
    m("hscan", "hscan", "key cursor ?@scan", "(key: string, cursor: string | number, options?: ScanOptions): Out<M, [string, (string | number)[]]>").reply("scan"),
    m("hexpire", "hexpire", "key @hexpire...", "(key: string, fields: string | number | (string | number)[], seconds: number, option?: ExpireOption): Out<M, (-2 | 0 | 1 | 2)[]>"),
    m("hpexpire", "hpexpire", "key @hexpire...", "(key: string, fields: string | number | (string | number)[], milliseconds: number, option?: ExpireOption): Out<M, (-2 | 0 | 1 | 2)[]>"),
    m("hexpireat", "hexpireat", "key @hexpire...", "(key: string, fields: string | number | (string | number)[], unix: number, option?: ExpireOption): Out<M, (-2 | 0 | 1 | 2)[]>"),
    m("hpexpireat", "hpexpireat", "key @hexpire...", "(key: string, fields: string | number | (string | number)[], unix: number, option?: ExpireOption): Out<M, (-2 | 0 | 1 | 2)[]>"),
    m("httl", "httl", "key @hfields", "(key: string, fields: string | number | (string | number)[]): Out<M, number[]>"),
    m("hpttl", "hpttl", "key @hfields", "(key: string, fields: string | number | (string | number)[]): Out<M, number[]>"),
    m("hexpiretime", "hexpiretime", "key @hfields", "(key: string, fields: string | number | (string | number)[]): Out<M, number[]>"),
    m("hpexpiretime", "hpexpiretime", "key @hfields", "(key: string, fields: string | number | (string | number)[]): Out<M, number[]>"),
    m("hpersist", "hpersist", "key @hfields", "(key: string, fields: string | number | (string | number)[]): Out<M, (-2 | -1 | 1)[]>"),
    m("hrandfield", "hrandfield", "key @hrandfield...", "<TData = unknown>(key: string, count?: number, withValues?: boolean): Out<M, TData>").reply("hrandfield"),
    // Lists
    m("lpush", "lpush", "key $elements...", "<TData = unknown>(key: string, ...elements: TData[]): Out<M, number>"),
    m("rpush", "rpush", "key $elements...", "<TData = unknown>(key: string, ...elements: TData[]): Out<M, number>"),
    m("lpushx", "lpushx", "key $elements...", "<TData = unknown>(key: string, ...elements: TData[]): Out<M, number>"),
    m("rpushx", "rpushx", "key $elements...", "<TData = unknown>(key: string, ...elements: TData[]): Out<M, number>"),
    m("lpop", "lpop", "key ?count", "<TData = unknown>(key: string, count?: number): Out<M, TData | null>"),
    m("rpop", "rpop", "key ?count", "<TData = unknown>(key: string, count?: number): Out<M, TData | null>"),
    m("lrange", "lrange", "key start stop", "<TResult = string>(key: string, start: number, end: number): Out<M, TResult[]>"),
    m("llen", "llen", "key", "(key: string): Out<M, number>"),
    m("lindex", "lindex", "key index", "<TData = unknown>(key: string, index: number): Out<M, TData | null>"),
    m("lset", "lset", "key index $value", r#"<TData = unknown>(key: string, index: number, value: TData): Out<M, "OK">"#),
    m("lrem", "lrem", "key count $value", "<TData = unknown>(key: string, count: number, value: TData): Out<M, number>"),
    m("ltrim", "ltrim", "key start stop", r#"(key: string, start: number, end: number): Out<M, "OK">"#),
    m("linsert", "linsert", "key direction $pivot $value", r#"<TData = unknown>(key: string, direction: "before" | "after", pivot: TData, value: TData): Out<M, number>"#),
    m("lpos", "lpos", "key $element ?@lpos", "<TData = number>(key: string, element: unknown, options?: { rank?: number; count?: number; maxLen?: number }): Out<M, TData>"),
    m("lmove", "lmove", "source destination whereFrom whereTo", r#"<TData = unknown>(source: string, destination: string, whereFrom: "left" | "right", whereTo: "left" | "right"): Out<M, TData>"#),
    m("rpoplpush", "rpoplpush", "source destination", "<TData = unknown>(source: string, destination: string): Out<M, TData | null>"),
    m("lmpop", "lmpop", "numkeys keys[] direction ?@count", r#"<TValues = unknown>(numkeys: number, keys: string[], direction: "LEFT" | "RIGHT", count?: number): Out<M, [string, TValues[]] | null>"#),
    // Sets
    m("sadd", "sadd", "key $members...", "<TData = unknown>(key: string, member: TData, ...members: TData[]): Out<M, number>"),
    m("srem", "srem", "key $members...", "<TData = unknown>(key: string, ...members: TData[]): Out<M, number>"),
    m("smembers", "smembers", "key", "<TData extends unknown[] = string[]>(key: string): Out<M, TData>"),
    m("sismember", "sismember", "key $member", "<TData = unknown>(key: string, member: TData): Out<M, 0 | 1>"),
    m("smismember", "smismember", "key $members[]", "<TMembers extends unknown[]>(key: string, members: TMembers): Out<M, (0 | 1)[]>"),
    m("scard", "scard", "key", "(key: string): Out<M, number>"),
    m("spop", "spop", "key ?count", "<TData = unknown>(key: string, count?: number): Out<M, TData | null>"),
    m("srandmember", "srandmember", "key ?count", "<TData = unknown>(key: string, count?: number): Out<M, TData | null>"),
    m("smove", "smove", "source destination $member", "<TData = unknown>(source: string, destination: string, member: TData): Out<M, 0 | 1>"),
    m("sdiff", "sdiff", "keys...", "(...keys: string[]): Out<M, unknown[]>"),
    m("sdiffstore", "sdiffstore", "destination keys...", "(destination: string, ...keys: string[]): Out<M, number>"),
    m("sinter", "sinter", "keys...", "(...keys: string[]): Out<M, unknown[]>"),
    m("sinterstore", "sinterstore", "destination keys...", "(destination: string, ...keys: string[]): Out<M, number>"),
    m("sunion", "sunion", "keys...", "(...keys: string[]): Out<M, unknown[]>"),
    m("sunionstore", "sunionstore", "destination keys...", "(destination: string, ...keys: string[]): Out<M, number>"),
    m("sscan", "sscan", "key cursor ?@scan", "(key: string, cursor: string | number, options?: ScanOptions): Out<M, [string, (string | number)[]]>").reply("scan"),
    m("sintercard", "sintercard", "#keys ?@limit", "(keys: string[], options?: { limit?: number }): Out<M, number>"),
    // SortedSets
    m("zadd", "zadd", "key @zadd...", "<TData = unknown>(key: string, scoreMember: ScoreMember<TData>, ...scoreMembers: ScoreMember<TData>[]): Out<M, number | null>").overload("With ZADD's options first, as in @upstash/redis.", "<TData = unknown>(key: string, options: ZAddOptions, ...scoreMembers: ScoreMember<TData>[]): Out<M, number | null>"),
    m("zscore", "zscore", "key $member", "<TData = unknown>(key: string, member: TData): Out<M, number | null>"),
    m("zmscore", "zmscore", "key $members[]", "(key: string, members: unknown[]): Out<M, (number | null)[] | null>"),
    m("zrem", "zrem", "key $members...", "<TData = unknown>(key: string, ...members: TData[]): Out<M, number>"),
    m("zcard", "zcard", "key", "(key: string): Out<M, number>"),
    m("zcount", "zcount", "key min max", "(key: string, min: number | string, max: number | string): Out<M, number>"),
    m("zincrby", "zincrby", "key increment $member", "<TData = unknown>(key: string, increment: number, member: TData): Out<M, number>"),
    m("zrange", "zrange", "key min max ?@zrange", "<TData extends unknown[] = unknown[]>(key: string, min: number | string, max: number | string, options?: ZRangeOptions): Out<M, TData>"),
    m("zrank", "zrank", "key $member", "<TData = unknown>(key: string, member: TData): Out<M, number | null>"),
    m("zrevrank", "zrevrank", "key $member", "<TData = unknown>(key: string, member: TData): Out<M, number | null>"),
    m("zpopmin", "zpopmin", "key ?count", "<TData = unknown>(key: string, count?: number): Out<M, TData[]>"),
    m("zpopmax", "zpopmax", "key ?count", "<TData = unknown>(key: string, count?: number): Out<M, TData[]>"),
    m("zlexcount", "zlexcount", "key min max", "(key: string, min: string, max: string): Out<M, number>"),
    m("zremrangebylex", "zremrangebylex", "key min max", "(key: string, min: string, max: string): Out<M, number>"),
    m("zremrangebyrank", "zremrangebyrank", "key start stop", "(key: string, start: number, stop: number): Out<M, number>"),
    m("zremrangebyscore", "zremrangebyscore", "key min max", "(key: string, min: number | string, max: number | string): Out<M, number>"),
    m("zunionstore", "zunionstore", "destination @zcombine...", r#"(destination: string, numKeys: number, keys: string | string[], options?: { weights?: number[]; weight?: number; aggregate?: "sum" | "min" | "max" }): Out<M, number>"#),
    m("zinterstore", "zinterstore", "destination @zcombine...", r#"(destination: string, numKeys: number, keys: string | string[], options?: { weights?: number[]; weight?: number; aggregate?: "sum" | "min" | "max" }): Out<M, number>"#),
    m("zunion", "zunion", "@zcombine...", r#"(numKeys: number, keys: string | string[], options?: { weights?: number[]; weight?: number; aggregate?: "sum" | "min" | "max"; withScores?: boolean }): Out<M, unknown[]>"#),
    m("zinter", "zinter", "@zcombine...", r#"(numKeys: number, keys: string | string[], options?: { weights?: number[]; weight?: number; aggregate?: "sum" | "min" | "max"; withScores?: boolean }): Out<M, unknown[]>"#),
    m("zdiffstore", "zdiffstore", "destination numkeys keys...", "(destination: string, numkeys: number, ...keys: string[]): Out<M, number>"),
    m("zscan", "zscan", "key cursor ?@scan", "(key: string, cursor: string | number, options?: ScanOptions): Out<M, [string, (string | number)[]]>").reply("scan"),
    // PubSub
    m("publish", "publish", "channel $message", "<TMessage = unknown>(channel: string, message: TMessage): Out<M, number>").doc("How many subscribers received it (in a workspace: the workspace's channel, so only that workspace's subscribers)."),
    // Scripting
    m("eval", "eval", "script #keys ?args[]", "<TArgs extends unknown[] = unknown[], TData = unknown>(script: string, keys: string[], args: TArgs): Out<M, TData>"),
    m("evalRo", "eval_ro", "script #keys ?args[]", "<TArgs extends unknown[] = unknown[], TData = unknown>(script: string, keys: string[], args: TArgs): Out<M, TData>"),
    m("evalsha", "evalsha", "sha #keys ?args[]", "<TArgs extends unknown[] = unknown[], TData = unknown>(sha1: string, keys: string[], args: TArgs): Out<M, TData>"),
    m("evalshaRo", "evalsha_ro", "sha #keys ?args[]", "<TArgs extends unknown[] = unknown[], TData = unknown>(sha1: string, keys: string[], args: TArgs): Out<M, TData>"),
    m("scriptLoad", "script load", "script", "(script: string): Out<M, string>").reply("text"),
    m("scriptExists", "script exists", "hashes...", "(...hashes: string[]): Out<M, number[]>"),
    m("scriptFlush", "script flush", "", r#"(): Out<M, "OK">"#),
    m("functions.load", "function load", "@functionLoad", "(args: { code: string; replace?: boolean }): Out<M, string>"),
    m("functions.list", "function list", "@functionList", "(args?: { libraryName?: string; withCode?: boolean }): Out<M, { libraryName: string; engine: string; functions: { name: string; description?: string; flags: string[] }[]; libraryCode?: string }[]>").reply("functionList"),
    m("functions.stats", "function stats", "", "(): Out<M, { engines: Record<string, { librariesCount: number; functionsCount: number }> }>").reply("functionStats"),
    m("functions.delete", "function delete", "libraryName", r#"(libraryName: string): Out<M, "OK">"#),
    m("functions.flush", "function flush", "", r#"(): Out<M, "OK">"#),
    m("functions.call", "fcall", "functionName #keys ?args[]", "<TData = unknown>(functionName: string, keys?: string[], args?: string[]): Out<M, TData>"),
    m("functions.callRo", "fcall_ro", "functionName #keys ?args[]", "<TData = unknown>(functionName: string, keys?: string[], args?: string[]): Out<M, TData>"),
    // Server
    m("time", "time", "", "(): Out<M, [number, number]>"),
    m("dbsize", "dbsize", "", "(): Out<M, number>"),
    m("flushall", "flushall", "?@flush", r#"(args?: [{ async?: boolean }?]): Out<M, "OK">"#),
    m("flushdb", "flushdb", "?@flush", r#"(opts?: { async?: boolean }): Out<M, "OK">"#),
    // Connection
    m("ping", "ping", "?message[]", "(message?: Arg | [Arg]): Out<M, string>").reply("text").doc("`ping()`, `ping([message])` as @upstash/redis (or `ping(message)`)."),
    m("echo", "echo", "message", "(message: Arg): Out<M, string>"),
    m("clientSetinfo", "client setinfo", "attribute value", r#"(attribute: "LIB-NAME" | "LIB-VER" | "lib-name" | "lib-ver", value: string): Out<M, "OK">"#),
    // Geo
    m("geoadd", "geoadd", "key @geoadd...", "<TData = unknown>(key: string, ...members: ({ longitude: number; latitude: number; member: TData } | { nx?: boolean; xx?: boolean; ch?: boolean })[]): Out<M, number | null>"),
    m("geodist", "geodist", "key $member1 $member2 @unit", r#"<TData = unknown>(key: string, member1: TData, member2: TData, unit?: "M" | "KM" | "FT" | "MI"): Out<M, number | null>"#),
    m("geohash", "geohash", "key $members...", "<TData = unknown>(key: string, ...members: TData[] | [TData[]]): Out<M, (string | null)[]>"),
    m("geopos", "geopos", "key $members...", "<TData = unknown>(key: string, ...members: TData[] | [TData[]]): Out<M, { lng: number; lat: number }[]>").reply("geopos").doc("`{ lng, lat }` per member found."),
    m("geosearch", "geosearch", "key @geosearch...", r#"<TData = unknown>(key: string, center: { type: "FROMMEMBER" | "frommember"; member: TData } | { type: "FROMLONLAT" | "fromlonlat"; coordinate: { lon: number; lat: number } }, shape: { type: "BYRADIUS" | "byradius"; radius: number; radiusType: "M" | "KM" | "FT" | "MI" } | { type: "BYBOX" | "bybox"; rect: { width: number; height: number }; rectType: "M" | "KM" | "FT" | "MI" }, order: "ASC" | "DESC" | "asc" | "desc", options?: { count?: { limit: number; any?: boolean }; withCoord?: boolean; withDist?: boolean; withHash?: boolean }): Out<M, { member: TData; dist?: number; hash?: string; coord?: { long: number; lat: number } }[]>"#).reply("geosearch").doc("`{ member, dist?, hash?, coord? }` per match."),
    m("geosearchstore", "geosearchstore", "destination key @geosearchstore...", r#"<TData = unknown>(destination: string, key: string, center: { type: "FROMMEMBER" | "frommember"; member: TData } | { type: "FROMLONLAT" | "fromlonlat"; coordinate: { lon: number; lat: number } }, shape: { type: "BYRADIUS" | "byradius"; radius: number; radiusType: "M" | "KM" | "FT" | "MI" } | { type: "BYBOX" | "bybox"; rect: { width: number; height: number }; rectType: "M" | "KM" | "FT" | "MI" }, order: "ASC" | "DESC" | "asc" | "desc", options?: { count?: { limit: number; any?: boolean }; storeDist?: boolean }): Out<M, number>"#),
    // Streams
    m("xadd", "xadd", "key @xadd...", r#"(key: string, id: string, entries: Record<string, unknown>, options?: { nomkStream?: boolean; trim?: { type: "MAXLEN" | "MINID"; comparison: "~" | "="; threshold: number | string; limit?: number } }): Out<M, string>"#),
    m("xlen", "xlen", "key", "(key: string): Out<M, number>"),
    m("xdel", "xdel", "key ids...", "(key: string, ...ids: string[] | [string[]]): Out<M, number>"),
    m("xdelex", "xdelex", "key ?@streamRef @ids...", r#"(key: string, option?: "KEEPREF" | "keepref" | "DELREF" | "delref" | "ACKED" | "acked", ...ids: string[]): Out<M, number[]>"#).doc("XDELEX (Redis 8.2)."),
    m("xtrim", "xtrim", "key @xtrim", r#"(key: string, options: { strategy: "MAXLEN" | "MINID"; threshold: number | string; exactness?: "~" | "="; limit?: number }): Out<M, number>"#),
    m("xrange", "xrange", "key start end ?@count", "<TData extends Record<string, Record<string, unknown>> = Record<string, Record<string, unknown>>>(key: string, start: string, end: string, count?: number): Out<M, TData>").reply("stream").doc("`{ id: { field: value } }`."),
    m("xrevrange", "xrevrange", "key end start ?@count", "<TData extends Record<string, Record<string, unknown>> = Record<string, Record<string, unknown>>>(key: string, end: string, start: string, count?: number): Out<M, TData>").reply("stream"),
    m("xack", "xack", "key group ids[]", "(key: string, group: string, id: string | string[]): Out<M, number>"),
    m("xackdel", "xackdel", "key group @streamRef @ids...", r#"(key: string, group: string, option: "KEEPREF" | "keepref" | "DELREF" | "delref" | "ACKED" | "acked", ...ids: string[]): Out<M, number[]>"#).doc("XACKDEL (Redis 8.2)."),
    m("xgroup", "xgroup", "@xgroup...", r#"(key: string, options: { type: "CREATE" | "SETID"; group: string; id: string; options?: { MKSTREAM?: boolean; ENTRIESREAD?: number } } | { type: "CREATECONSUMER" | "DELCONSUMER"; group: string; consumer: string } | { type: "DESTROY"; group: string }): Out<M, unknown>"#),
    m("xread", "xread", "@xread...", "(key: string | string[], id: string | string[], options?: { count?: number; blockMS?: number }): Out<M, unknown[]>"),
    m("xreadgroup", "xreadgroup", "=GROUP group consumer @xreadgroup...", "(group: string, consumer: string, key: string | string[], id: string | string[], options?: { count?: number; blockMS?: number; NOACK?: boolean }): Out<M, unknown[]>"),
    m("xpending", "xpending", "key group @xpending...", "(key: string, group: string, start: string, end: string, count: number, options?: { idleTime?: number; consumer?: string | string[] }): Out<M, unknown[]>"),
    m("xclaim", "xclaim", "key group consumer minIdleTime @xclaim...", "(key: string, group: string, consumer: string, minIdleTime: number, id: string | string[], options?: { idleMS?: number; timeMS?: number; retryCount?: number; force?: boolean; justId?: boolean; lastId?: number }): Out<M, unknown[]>"),
    m("xautoclaim", "xautoclaim", "key group consumer minIdleTime start ?@xautoclaim", "(key: string, group: string, consumer: string, minIdleTime: number, start: string, options?: { count?: number; justId?: boolean }): Out<M, unknown[]>"),
    m("xinfo", "xinfo", "@xinfo...", r#"(key: string, options: { type: "GROUPS" } | { type: "CONSUMERS"; group: string }): Out<M, unknown[]>"#),
    // Json
    m("json.get", "json.get", "key @jsonGet...", "<TData = unknown>(key: string, ...pathOrOptions: (string | { indent?: string; newline?: string; space?: string })[]): Out<M, TData | null>"),
    m("json.set", "json.set", "key path value ?@nxxx", r#"<TData = unknown>(key: string, path: string, value: TData, options?: { nx: true } | { xx: true }): Out<M, "OK" | null>"#),
    m("json.mget", "json.mget", "keys[] path", "<TData = unknown>(keys: string[], path: string): Out<M, TData>"),
    m("json.mset", "json.mset", "@jsonMset...", "(...entries: { key: string; path: string; value: unknown }[] | [{ key: string; path: string; value: unknown }[]]): Out<M, \"OK\" | null>"),
    m("json.del", "json.del", "key ?path", "(key: string, path?: string): Out<M, number>"),
    m("json.forget", "json.forget", "key ?path", "(key: string, path?: string): Out<M, number>"),
    m("json.clear", "json.clear", "key ?path", "(key: string, path?: string): Out<M, number>"),
    m("json.type", "json.type", "key ?path", "(key: string, path?: string): Out<M, string[]>"),
    m("json.toggle", "json.toggle", "key path", "(key: string, path: string): Out<M, number[]>"),
    m("json.strlen", "json.strlen", "key ?path", "(key: string, path?: string): Out<M, (number | null)[]>"),
    m("json.strappend", "json.strappend", "key path value", "(key: string, path: string, value: string): Out<M, (number | null)[]>"),
    m("json.objkeys", "json.objkeys", "key ?path", "(key: string, path?: string): Out<M, (string[] | null)[]>"),
    m("json.objlen", "json.objlen", "key ?path", "(key: string, path?: string): Out<M, (number | null)[]>"),
    m("json.resp", "json.resp", "key ?path", "(key: string, path?: string): Out<M, unknown>"),
    m("json.arrlen", "json.arrlen", "key ?path", "(key: string, path?: string): Out<M, (number | null)[]>"),
    m("json.arrappend", "json.arrappend", "key path values...", "(key: string, path: string, ...values: unknown[]): Out<M, (number | null)[]>"),
    m("json.arrinsert", "json.arrinsert", "key path index values...", "(key: string, path: string, index: number, ...values: unknown[]): Out<M, (number | null)[]>"),
    m("json.arrindex", "json.arrindex", "key path value ?start ?stop", "(key: string, path: string, value: unknown, start?: number, stop?: number): Out<M, (number | null)[]>"),
    m("json.arrpop", "json.arrpop", "key ?path ?index", "<TData = unknown>(key: string, path?: string, index?: number): Out<M, (TData | null)[]>"),
    m("json.arrtrim", "json.arrtrim", "key ?path ?start ?stop", "(key: string, path?: string, start?: number, stop?: number): Out<M, (number | null)[]>"),
    m("json.numincrby", "json.numincrby", "key path value", "(key: string, path: string, value: number): Out<M, (number | null)[]>"),
    m("json.nummultby", "json.nummultby", "key path value", "(key: string, path: string, value: number): Out<M, (number | null)[]>"),
    m("json.merge", "json.merge", "key path value", r#"(key: string, path: string, value: unknown): Out<M, "OK" | null>"#),
    // Arrays
    m("arcount", "arcount", "key", "(key: string): Out<M, number>").doc("ARCOUNT (Upstash arrays, as all `ar*`: Upstash only)."),
    m("ardel", "ardel", "key indexes...", "(key: string, ...indexes: (number | string)[]): Out<M, number>"),
    m("ardelrange", "ardelrange", "key @ranges...", "(key: string, ...ranges: [start: number | string, end: number | string][]): Out<M, number>"),
    m("arget", "arget", "key index", "<TData = string>(key: string, index: number | string): Out<M, TData | null>"),
    m("argetrange", "argetrange", "key start end", "<TData = string>(key: string, start: number | string, end: number | string): Out<M, (TData | null)[]>"),
    m("argrep", "argrep", "key start end @arGrep", r#"<TData = string>(key: string, start: number | string, end: number | string, options: { predicates: ({ exact: string } | { match: string } | { glob: string } | { re: string })[]; combine?: "AND" | "OR" | "and" | "or"; noCase?: boolean; withValues?: boolean; limit?: number }): Out<M, string[] | [string, TData][]>"#).reply("arGrep"),
    m("arinfo", "arinfo", "key @arInfo", "(key: string, options?: { full?: boolean }): Out<M, { len: string; count: number; sliceSize: number; slices: number; directorySize: number; superDirEntries: number; nextInsertIndex: string; denseSlices?: number; sparseSlices?: number; avgDenseSize?: number; avgDenseFill?: number; avgSparseSize?: number }>").reply("arInfo"),
    m("arinsert", "arinsert", "key $values...", "<TData = string>(key: string, ...values: TData[]): Out<M, string>").reply("string"),
    m("arlastitems", "arlastitems", "key count @rev", "<TData = string>(key: string, count: number, options?: { rev?: boolean }): Out<M, (TData | null)[]>"),
    m("arlen", "arlen", "key", "(key: string): Out<M, string>").reply("string"),
    m("armget", "armget", "key indexes...", "<TData = string>(key: string, ...indexes: (number | string)[]): Out<M, (TData | null)[]>"),
    m("armset", "armset", "key @arMset", "<TData = string>(key: string, values: Record<number | string, TData> | [number | string, TData][]): Out<M, number>"),
    m("arnext", "arnext", "key", "(key: string): Out<M, string | null>").reply("stringOrNull"),
    m("arop", "arop", "key start end @arOp", r#"<TData = string>(key: string, start: number | string, end: number | string, operation: "SUM" | "MIN" | "MAX" | "AND" | "OR" | "XOR" | "USED" | "sum" | "min" | "max" | "and" | "or" | "xor" | "used" | { match: TData }): Out<M, number | null>"#).reply("numberOrNull"),
    m("arring", "arring", "key size $values...", "<TData = string>(key: string, size: number, ...values: TData[]): Out<M, string>").reply("string"),
    m("arscan", "arscan", "key start end @arScan", "<TData = string>(key: string, start: number | string, end: number | string, options?: { limit?: number }): Out<M, [string, TData][]>").reply("arScan"),
    m("arseek", "arseek", "key index", "(key: string, index: number | string): Out<M, 0 | 1>"),
    m("arset", "arset", "key index $values...", "<TData = string>(key: string, index: number | string, ...values: TData[]): Out<M, number>"),
];
