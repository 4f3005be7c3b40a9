//! The embedded engine behind `MOCK_REDIS=true` and `edgestash-server --memory`.
//!
//! Owns: an in-memory keyspace that answers Redis commands byte for byte as
//! Redis 7 does (same replies, same error texts), with time from the injected
//! clock and expiry that is lazy (on access) plus bounded active sampling on
//! each command. No background threads, so it runs unchanged on wasm32.
//!
//! Must not: know about HTTP transports or namespaces. The REST framing lives
//! in [`rest`], which the mock transport and edgestash-server share, so the
//! engine is reached through exactly the envelope rules real endpoints use.
//!
//! Layout: [`db`] holds the keyspace, [`ctx`] what a handler sees, and one
//! file per command family lists its handlers by name in a `COMMANDS` table
//! of [`Registration`]s, added to `families()`. Everything else about a
//! command (arity, flags, keys) is its record in [`crate::catalog`]: a
//! handler whose name has no record is a bug (a unit test catches it), and a
//! catalogued command with no handler answers Redis's unknown-command error.

mod args;
pub mod ctx;
pub mod db;
pub mod rest;
pub mod zset;

mod bitfield;
mod bitmaps;
mod blocking_pops;
mod counters;
mod expire;
mod functions;
mod glob;
mod hashes;
mod hscan;
mod hyperloglog;
mod keys;
mod kind;
mod lists;
mod long_double;
pub mod lua;
mod memory;
pub mod pubsub;
mod ratelimit_scripts;
mod rng;
mod scan;
pub mod scripting;
mod server;
mod sets;
mod sorted_map;
mod sorted_sets;
mod sorted_sets_range;
mod sorted_sets_store;
mod stream;
mod stream_groups;
mod streams;
mod strings;
#[cfg(test)]
mod test_support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::catalog::{self, Command};
use crate::clock::SharedClock;
pub use ctx::Reply;
use ctx::{arity_error, Ctx};
use db::Db;

/// How many expired keys one command may drop besides the ones it touches.
const ACTIVE_EXPIRY_PER_COMMAND: usize = 20;

/// Runs one command; `args` excludes the name.
pub type Handler = fn(&mut Ctx<'_>, &[Vec<u8>]) -> Reply;

/// A handler registered under its command's lower-case name, as Redis
/// prints it in errors. The name must have a record in [`crate::catalog`].
pub type Registration = (&'static str, Handler);

/// A command the engine runs: its catalogue record and its handler.
#[derive(Clone, Copy)]
pub(crate) struct CommandSpec {
    pub(crate) name: &'static str,
    pub(crate) record: &'static Command,
    pub(crate) handler: Handler,
}

/// Every registered handler with its catalogue record, by lower-case name.
///
/// A name without a record cannot run (its arity is unknown); the unit
/// test `every_handler_has_a_record` keeps that from happening.
pub(crate) fn command_table() -> HashMap<&'static str, CommandSpec> {
    families()
        .into_iter()
        .flatten()
        .filter_map(|&(name, handler)| {
            let record = catalog::lookup(name.as_bytes())?;
            Some((
                name,
                CommandSpec {
                    name,
                    record,
                    handler,
                },
            ))
        })
        .collect()
}

/// Every family's table. A new family (a new file with a `COMMANDS` table
/// of [`Registration`]s) registers by being listed here.
fn families() -> [&'static [Registration]; 21] {
    [
        bitfield::COMMANDS,
        bitmaps::COMMANDS,
        blocking_pops::COMMANDS,
        counters::COMMANDS,
        expire::COMMANDS,
        functions::COMMANDS,
        hashes::COMMANDS,
        hyperloglog::COMMANDS,
        keys::COMMANDS,
        lists::COMMANDS,
        memory::COMMANDS,
        scan::COMMANDS,
        scripting::COMMANDS,
        server::COMMANDS,
        sets::COMMANDS,
        sorted_sets::COMMANDS,
        sorted_sets_range::COMMANDS,
        sorted_sets_store::COMMANDS,
        stream_groups::COMMANDS,
        streams::COMMANDS,
        strings::COMMANDS,
    ]
}

/// The in-memory Redis.
pub struct Engine {
    db: Mutex<Db>,
    clock: SharedClock,
    commands: HashMap<&'static str, CommandSpec>,
    pubsub: Arc<pubsub::Broker>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("commands", &self.commands.len())
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// An empty engine reading time from `clock`.
    pub fn new(clock: SharedClock) -> Self {
        let commands = command_table();
        Self {
            db: Mutex::new(Db::default()),
            clock,
            commands,
            pubsub: Arc::new(pubsub::Broker::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Db> {
        // A handler never panics (library code denies it), so a poisoned lock
        // can only come from a panic elsewhere while holding it; the keyspace
        // is still consistent at command granularity.
        self.db.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Looks up a command and checks its arity; the error is Redis's text.
    fn resolve(&self, parts: &[Vec<u8>]) -> Result<CommandSpec, String> {
        let Some(name) = parts.first() else {
            return Err("ERR empty command".to_owned());
        };
        // Lower-cased on the stack: no allocation per command. A name longer
        // than any command, or not UTF-8, is simply unknown.
        let mut buf = [0u8; 32];
        let lower = buf
            .get_mut(..name.len())
            .map(|dst| {
                dst.copy_from_slice(name);
                dst.make_ascii_lowercase();
                &*dst
            })
            .and_then(|dst| std::str::from_utf8(dst).ok());
        let Some(spec) = lower.and_then(|l| self.commands.get(l).copied()) else {
            return Err(unknown_command(name, &parts[1..]));
        };
        if !spec.record.arity_accepts(parts.len()) {
            return Err(arity_error(spec.name));
        }
        Ok(spec)
    }

    /// Runs `parts` (name first) with `spec`, feeding monitors first.
    fn run(&self, db: &mut Db, spec: CommandSpec, parts: &[Vec<u8>]) -> Reply {
        let now_ms = self.clock.now_ms();
        if self.pubsub.is_monitored() {
            self.pubsub
                .feed_monitors(&pubsub::monitor_line(now_ms, "memory", parts));
        }
        let args = parts.get(1..).unwrap_or_default();
        db.purge_expired(now_ms, ACTIVE_EXPIRY_PER_COMMAND);
        let mut ctx = Ctx {
            db,
            pubsub: &self.pubsub,
            now_ms,
            name: spec.name,
        };
        (spec.handler)(&mut ctx, args)
    }

    /// Runs one command (name first) and returns its reply.
    pub fn execute(&self, parts: &[Vec<u8>]) -> Reply {
        let spec = self.resolve(parts)?;
        let mut db = self.lock();
        self.run(&mut db, spec, parts)
    }

    /// Runs commands one after another, each with its own outcome (a pipeline).
    pub fn execute_pipeline(&self, commands: &[Vec<Vec<u8>>]) -> Vec<Reply> {
        commands.iter().map(|c| self.execute(c)).collect()
    }

    /// Runs commands as one MULTI/EXEC.
    ///
    /// As in Redis, a command that cannot be queued (unknown, wrong arity)
    /// discards the whole transaction with `EXECABORT`; otherwise all run
    /// under one lock, nothing interleaves, and a run-time error stays in its
    /// slot while the others still apply.
    pub fn execute_multi(&self, commands: &[Vec<Vec<u8>>]) -> Result<Vec<Reply>, String> {
        let specs = commands
            .iter()
            .map(|c| self.resolve(c))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| {
                "EXECABORT Transaction discarded because of previous errors.".to_owned()
            })?;
        let mut db = self.lock();
        Ok(specs
            .into_iter()
            .zip(commands)
            .map(|(spec, c)| self.run(&mut db, spec, c))
            .collect())
    }

    /// True when the engine implements `name` (any case).
    pub fn supports(&self, name: &str) -> bool {
        self.commands
            .contains_key(name.to_ascii_lowercase().as_str())
    }

    /// Subscribes in this process to `channels` and `patterns`: what
    /// PUBLISH on this engine delivers to (see [`pubsub`]).
    pub fn subscribe(
        &self,
        channels: Vec<Vec<u8>>,
        patterns: Vec<Vec<u8>>,
    ) -> pubsub::EngineSubscription {
        self.pubsub.subscribe(channels, patterns)
    }

    /// Receives one line per command this engine runs, as Redis's MONITOR
    /// prints it (client shown as `memory`).
    pub fn monitor(&self) -> pubsub::EngineMonitor {
        self.pubsub.monitor()
    }

    /// The number of live in-process subscriptions.
    pub fn subscriptions(&self) -> usize {
        self.pubsub.subscriptions()
    }

    /// The engine's current time, in Unix milliseconds.
    pub fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }
}

/// Redis's text for an unknown command, quoting the name and up to the first
/// arguments exactly as redis-server 7 does.
fn unknown_command(name: &[u8], args: &[Vec<u8>]) -> String {
    let mut text = format!(
        "ERR unknown command '{}', with args beginning with: ",
        String::from_utf8_lossy(name)
    );
    for a in args.iter().take(20) {
        text.push('\'');
        text.push_str(&String::from_utf8_lossy(a));
        text.push_str("' ");
    }
    text
}

#[cfg(test)]
mod registry_tests {
    use super::*;

    #[test]
    fn every_handler_has_a_record() {
        for (name, _) in families().into_iter().flatten() {
            let record = catalog::lookup(name.as_bytes());
            assert!(record.is_some(), "{name} has no catalogue record");
            assert_eq!(record.map(Command::lower_name).as_deref(), Some(*name));
        }
    }

    #[test]
    fn a_catalogued_command_without_handler_is_unknown() {
        let engine = super::test_support::engine();
        let reply = engine.execute(&[b"GEOADD".to_vec(), b"g".to_vec()]);
        assert_eq!(
            reply,
            Err("ERR unknown command 'GEOADD', with args beginning with: 'g' ".to_owned())
        );
        assert_eq!(
            engine.execute(&[b"hincrbyfloat".to_vec()]),
            Err("ERR wrong number of arguments for 'hincrbyfloat' command".to_owned())
        );
    }
}
