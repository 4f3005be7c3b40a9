//! The behaviour suite: what every typed command must do, written once as
//! async functions over a [`Client`], and run on every backend (the embedded
//! engine, and edgestash-server in front of a real redis-server).
//!
//! Owns: the expected Redis semantics, family by family. Each family uses
//! its own key prefix so families (and backends) never see each other's
//! keys. Must not: panic (this is library code of the test crate; failures
//! are values, so one run reports every failing check), or know which
//! backend it runs on.
//!
//! A backend runner picks the [`Family`]s its backend implements and calls
//! [`run`]; switching a family on for a backend is adding it to that list.

mod basic;
mod bitmaps;
mod hashes;
mod hyperloglog;
mod keys;
mod lists;
mod scripting;
mod server;
mod sets;
mod sorted_sets;
mod strings;

use std::fmt;

use edgestash::Client;

/// A failed check: where, and what differed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(pub String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

impl From<edgestash::Error> for Failure {
    fn from(e: edgestash::Error) -> Self {
        Self(format!("command failed: {e}"))
    }
}

/// What a family's run returns.
pub type Outcome = Result<(), Failure>;

/// Fails the family with `file:line` when the two sides differ.
macro_rules! ensure_eq {
    ($left:expr, $right:expr $(,)?) => {{
        let (left, right) = (&$left, &$right);
        if left != right {
            return Err($crate::behaviour::Failure(format!(
                "{}:{}: `{}` was {:?}, expected {:?}",
                file!(),
                line!(),
                stringify!($left),
                left,
                right
            )));
        }
    }};
}
/// Fails the family with `file:line` when the condition is false.
macro_rules! ensure {
    ($cond:expr $(,)?) => {{
        if !$cond {
            return Err($crate::behaviour::Failure(format!(
                "{}:{}: `{}` is false",
                file!(),
                line!(),
                stringify!($cond)
            )));
        }
    }};
}
/// Fails unless the result is a Redis error reply of the given kind
/// (`ERR`, `WRONGTYPE`, ...).
macro_rules! ensure_redis_err {
    ($result:expr, $kind:expr $(,)?) => {{
        match $result {
            Err(ref e) if e.redis_kind() == Some($kind) => {}
            ref other => {
                return Err($crate::behaviour::Failure(format!(
                    "{}:{}: `{}` was {:?}, expected a {} error",
                    file!(),
                    line!(),
                    stringify!($result),
                    other,
                    $kind
                )))
            }
        }
    }};
}
pub(crate) use {ensure, ensure_eq, ensure_redis_err};

/// A group of checks, by Redis family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Family {
    /// GET/SET/INCR/DEL, PING/ECHO/TIME/DBSIZE, pipelines and transactions:
    /// what every backend has.
    Basic,
    /// The rest of the string commands.
    Strings,
    /// SETBIT, GETBIT, BITCOUNT.
    Bitmaps,
    /// PFADD, PFCOUNT, PFMERGE.
    HyperLogLog,
    /// Expiry, renaming, TYPE, KEYS/SCAN and the other key commands.
    Keys,
    /// Hashes.
    Hashes,
    /// Lists.
    Lists,
    /// Sets.
    Sets,
    /// Sorted sets.
    SortedSets,
    /// EVAL, EVALSHA, SCRIPT, `Script` and PUBLISH.
    Scripting,
    /// FLUSHDB and RANDOMKEY on an empty database: wipes every key, so it
    /// runs last and only on a database of its own.
    Server,
}

impl Family {
    /// Every family, in the order [`run`] should take them (`Server` last).
    pub const ALL: &'static [Family] = &[
        Family::Basic,
        Family::Strings,
        Family::Bitmaps,
        Family::HyperLogLog,
        Family::Keys,
        Family::Hashes,
        Family::Lists,
        Family::Sets,
        Family::SortedSets,
        Family::Scripting,
        Family::Server,
    ];

    /// A short name, also the family's key prefix.
    pub fn name(self) -> &'static str {
        match self {
            Self::Basic => "basic",
            Self::Strings => "strings",
            Self::Bitmaps => "bitmaps",
            Self::HyperLogLog => "hll",
            Self::Keys => "keys",
            Self::Hashes => "hashes",
            Self::Lists => "lists",
            Self::Sets => "sets",
            Self::SortedSets => "zsets",
            Self::Scripting => "scripting",
            Self::Server => "server",
        }
    }

    async fn run(self, c: &Client, prefix: &str) -> Outcome {
        match self {
            Self::Basic => basic::run(c, prefix).await,
            Self::Strings => strings::run(c, prefix).await,
            Self::Bitmaps => bitmaps::run(c, prefix).await,
            Self::HyperLogLog => hyperloglog::run(c, prefix).await,
            Self::Keys => keys::run(c, prefix).await,
            Self::Hashes => hashes::run(c, prefix).await,
            Self::Lists => lists::run(c, prefix).await,
            Self::Sets => sets::run(c, prefix).await,
            Self::SortedSets => sorted_sets::run(c, prefix).await,
            Self::Scripting => scripting::run(c, prefix).await,
            Self::Server => server::run(c, prefix).await,
        }
    }
}

/// Runs `families` in order on `client`, each under the key prefix
/// `<run_id>:<family>:`, and reports every family that failed (not only
/// the first). `run_id` keeps runs that share a database apart.
pub async fn run(client: &Client, families: &[Family], run_id: &str) -> Result<(), Failure> {
    let mut failures = Vec::new();
    for family in families {
        let prefix = format!("{run_id}:{}:", family.name());
        if let Err(f) = family.run(client, &prefix).await {
            failures.push(format!("[{}] {f}", family.name()));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(Failure(failures.join("\n")))
    }
}

/// `prefix` + `name`, as a key.
pub(crate) fn key(prefix: &str, name: &str) -> String {
    format!("{prefix}{name}")
}

/// Owned bytes of a string, for comparing replies.
pub(crate) fn b(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// Owned bytes of several strings.
pub(crate) fn bs(items: &[&str]) -> Vec<Vec<u8>> {
    items.iter().map(|s| b(s)).collect()
}

/// Sorts a reply whose order Redis does not define (SMEMBERS, KEYS...).
pub(crate) fn sorted(mut v: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    v.sort();
    v
}
