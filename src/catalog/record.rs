//! One catalogue record and its parts: flags, family, REST policy and
//! namespace class, with the `const fn` builders the table is written in.

use super::key_spec::KeySpec;

/// Redis's command flags (`COMMAND INFO`'s third field) as bits, plus one
/// edgestash bits ([`Flags::SAFE_READ`], [`Flags::STATUS_REPLY`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flags(pub u32);

macro_rules! flag_names {
    ($($name:ident = $bit:expr, $text:literal;)*) => {
        impl Flags {
            $(
                #[doc = concat!("Redis's `", $text, "` flag.")]
                pub const $name: Flags = Flags(1 << $bit);
            )*
            /// Every Redis flag with its `COMMAND INFO` spelling.
            pub const NAMES: &'static [(Flags, &'static str)] = &[$((Flags::$name, $text)),*];
        }

        /// The flags as plain bits, so the table can `|` them in constants.
        // Every Redis flag is named, also those no record uses yet.
        #[allow(dead_code)]
        pub(super) mod bit {
            $(pub const $name: u32 = 1 << $bit;)*
            pub const NONE: u32 = 0;
            pub const SAFE_READ: u32 = 1 << 31;
            pub const STATUS_REPLY: u32 = 1 << 30;
        }
    };
}

flag_names! {
    WRITE = 0, "write";
    READONLY = 1, "readonly";
    DENYOOM = 2, "denyoom";
    MODULE = 3, "module";
    ADMIN = 4, "admin";
    PUBSUB = 5, "pubsub";
    NOSCRIPT = 6, "noscript";
    BLOCKING = 7, "blocking";
    LOADING = 8, "loading";
    STALE = 9, "stale";
    SKIP_MONITOR = 10, "skip_monitor";
    SKIP_SLOWLOG = 11, "skip_slowlog";
    ASKING = 12, "asking";
    FAST = 13, "fast";
    NO_AUTH = 14, "no_auth";
    MAY_REPLICATE = 15, "may_replicate";
    SENTINEL = 16, "sentinel";
    ONLY_SENTINEL = 17, "only_sentinel";
    NO_MANDATORY_KEYS = 18, "no_mandatory_keys";
    PROTECTED = 19, "protected";
    MODULE_NO_CLUSTER = 20, "module_no_cluster";
    NO_ASYNC_LOADING = 21, "no_async_loading";
    NO_MULTI = 22, "no_multi";
    MOVABLEKEYS = 23, "movablekeys";
    ALLOW_BUSY = 24, "allow_busy";
}

impl Flags {
    /// No flag.
    pub const NONE: Flags = Flags(0);
    /// edgestash's own bit, not Redis's: a keyless command that changes
    /// nothing (PING, ECHO, TIME), so it counts as a read for retries and
    /// read-only tokens although Redis does not flag it `readonly`.
    pub const SAFE_READ: Flags = Flags(1 << 31);
    /// edgestash's own bit, not Redis's: its text reply is a status (simple
    /// string) other than `OK` (TYPE's `string`, PING's `PONG`), which a
    /// Lua script sees as `{ok = ...}` rather than a string. The engine's
    /// replies do not carry the difference, so the script bridge reads it
    /// here.
    pub const STATUS_REPLY: Flags = Flags(1 << 30);

    /// True when every bit of `other` is set.
    pub const fn has(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    /// The Redis flags only (without edgestash's bits).
    pub const fn redis(self) -> Flags {
        Flags(self.0 & !(Flags::SAFE_READ.0 | Flags::STATUS_REPLY.0))
    }
}

impl std::ops::BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

/// The command family (Redis's documentation group), which also orders
/// `docs/COVERAGE.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Family {
    /// Strings.
    Strings,
    /// Bitmaps and bit fields.
    Bitmaps,
    /// HyperLogLog.
    HyperLogLog,
    /// Generic key commands.
    Keys,
    /// Hashes (and hash-field expiry).
    Hashes,
    /// Lists.
    Lists,
    /// Sets.
    Sets,
    /// Sorted sets.
    SortedSets,
    /// Publish/subscribe.
    PubSub,
    /// Lua scripts and functions.
    Scripting,
    /// Server administration and introspection.
    Server,
    /// Connection management.
    Connection,
    /// Geospatial indexes.
    Geo,
    /// Streams.
    Streams,
    /// RedisJSON (`JSON.*`): a module in Redis before 8.0, built in since.
    Json,
    /// MULTI/EXEC and WATCH.
    Transactions,
    /// Upstash's own array type (`AR*`): Upstash only, no Redis has it.
    Arrays,
    /// Cluster management.
    Cluster,
}

/// What the REST surface does with a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rest {
    /// Runs (a read-only token still needs a read-only command).
    Allowed,
    /// Never runs over REST: transactions by hand, subscriptions,
    /// connection state, replication handshakes, WAIT, SHUTDOWN.
    Refused,
    /// Runs and blocks (BLPOP, BZPOPMIN, BLMOVE...): as on Upstash, the
    /// request is held until data arrives or the command's timeout passes,
    /// so a server must give it a Redis connection of its own.
    Blocks,
    /// Runs, and blocks only with a `BLOCK` option (XREAD, XREADGROUP).
    BlocksWithOption,
    /// Server administration: refused by default; an operator may allow it.
    Admin,
}

/// How a namespaced client treats a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Namespace {
    /// Allowed; its keys are where its key specs say (a container: where
    /// its subcommand's record says).
    Derive,
    /// Refused: it reaches beyond one workspace (the whole database, the
    /// server, other connections, arbitrary code).
    Forbidden,
    /// Refused: no proof of where its keys are.
    Unproven,
    /// SORT / SORT_RO: the key and the STORE destination; BY and GET refused.
    Sort,
    /// COPY: both keys; the DB option refused.
    Copy,
    /// GEORADIUS / GEORADIUSBYMEMBER: the key and every STORE / STOREDIST.
    GeoRadius,
    /// PUBLISH: the channel at 0.
    Channel,
    /// KEYS: the pattern at 0.
    Pattern,
    /// SCAN: every MATCH pattern, and a MATCH added when there is none.
    Scan,
    /// EVAL / EVAL_RO: only a registered script body.
    EvalBody,
    /// EVALSHA / EVALSHA_RO: only a registered SHA-1.
    EvalSha,
    /// SCRIPT: LOAD of a registered body, EXISTS of registered SHA-1s.
    Script,
}

/// Which parts of a reply are key names, for a namespace to strip its
/// prefix from.
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

/// One command: everything edgestash knows about it.
#[derive(Debug, Clone, Copy)]
pub struct Command {
    /// Upper-case name; a container's subcommand is `XGROUP|CREATE`.
    pub name: &'static str,
    /// Redis arity: `n` exactly n parts (name included), `-n` at least n.
    pub arity: i8,
    /// Redis's flags.
    pub flags: Flags,
    /// Redis's key specs, in `COMMAND INFO` order.
    pub keys: &'static [KeySpec],
    /// The family.
    pub family: Family,
    /// The REST policy.
    pub rest: Rest,
    /// The namespace class.
    pub namespace: Namespace,
    /// Which reply parts are key names.
    pub reply_keys: ReplyKeys,
    /// The Redis version that added it as `major * 100 + minor` when newer
    /// than 7.0 (the Redis CI runs), else 0; [`Command::UPSTASH_ONLY`] for
    /// a command only Upstash has.
    pub since: u16,
    /// Whether `@upstash/redis` has a method sending it (named as the
    /// command in camel case: `evalRo`, `scriptLoad`), for
    /// `docs/COVERAGE.md`.
    #[cfg(test)]
    pub upstash: bool,
}

impl Command {
    /// The `since` of a command only Upstash has (no Redis version does).
    pub const UPSTASH_ONLY: u16 = u16::MAX;

    /// True when Redis checks `parts` (name included) passes this arity.
    pub fn arity_accepts(&self, parts: usize) -> bool {
        let n = i64::try_from(parts).unwrap_or(i64::MAX);
        let a = i64::from(self.arity);
        if a >= 0 {
            n == a
        } else {
            n >= -a
        }
    }

    /// True when it never changes data: Redis's `readonly` flag, or
    /// edgestash's [`Flags::SAFE_READ`].
    pub fn is_read_only(&self) -> bool {
        self.flags.has(Flags::READONLY) || self.flags.has(Flags::SAFE_READ)
    }

    /// True for a container whose subcommands have records of their own.
    pub fn is_container(&self) -> bool {
        self.arity == -2 && self.flags == Flags::NONE && self.keys.is_empty()
    }

    /// The lower-case name Redis prints in errors (`xgroup|create`).
    pub fn lower_name(&self) -> String {
        self.name.to_ascii_lowercase()
    }

    // Builders for the table: the defaults, then one method per exception.

    /// REST policy other than [`Rest::Allowed`].
    pub(super) const fn rest(mut self, rest: Rest) -> Self {
        self.rest = rest;
        self
    }

    /// Namespace class other than the default (derived when it has keys,
    /// else unproven).
    pub(super) const fn ns(mut self, ns: Namespace) -> Self {
        self.namespace = ns;
        self
    }

    /// Reply key names for the namespace.
    pub(super) const fn reply(mut self, reply: ReplyKeys) -> Self {
        self.reply_keys = reply;
        self
    }

    /// Added after Redis 7.0.
    pub(super) const fn since(mut self, version: u16) -> Self {
        self.since = version;
        self
    }

    /// `@upstash/redis` has a method for it.
    #[allow(unused_mut)]
    pub(super) const fn up(mut self) -> Self {
        #[cfg(test)]
        {
            self.upstash = true;
        }
        self
    }
}

/// A record with the defaults: allowed over REST, namespace derived from
/// its key specs when it has some (refused as unproven when it has none).
pub(super) const fn c(
    name: &'static str,
    arity: i8,
    flags: u32,
    family: Family,
    keys: &'static [KeySpec],
) -> Command {
    Command {
        name,
        arity,
        flags: Flags(flags),
        keys,
        family,
        rest: Rest::Allowed,
        namespace: if keys.is_empty() {
            Namespace::Unproven
        } else {
            Namespace::Derive
        },
        reply_keys: ReplyKeys::None,
        since: 0,
        #[cfg(test)]
        upstash: false,
    }
}
