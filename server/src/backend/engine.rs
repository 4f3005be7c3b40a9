//! The embedded engine as a backend (`--memory`): data lives in this process
//! and is gone when it stops.
//!
//! The engine answers byte for byte as Redis does; this file hands it the
//! commands and makes blocking commands wait. Engine calls are short and
//! synchronous under the engine's own lock, so they run inline on the
//! request's task. A blocking command (BLPOP, XREAD ... BLOCK, see
//! `edgestash::protocol::blocking`) runs at once; when it finds nothing (a
//! nil reply), it waits for the next request to run commands, runs again,
//! and so on until it gets data, an error, or its timeout. XREAD's `$` is
//! pinned to the stream's last ID before the first run, so entries added
//! while it waits are new to it, as in Redis. Waiters wake in no particular
//! order (Redis serves the longest waiter first); dropping the request
//! stops the wait.
//!
//! Must not: hold the engine's lock across an await.

use std::sync::Arc;

use edgestash::clock::SystemClock;
use edgestash::mock::{Engine, Reply};
use edgestash::protocol::blocking::{blocking_wait, Wait};
use edgestash::Value;
use tokio::sync::Notify;
use tokio::time::Instant;

/// The embedded engine, shared by all requests.
#[derive(Debug, Clone)]
pub struct MemoryStore {
    engine: Arc<Engine>,
    /// Woken after every request that ran commands: what blocked commands
    /// wait for before they look again.
    changed: Arc<Notify>,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryStore {
    /// An empty engine on the system clock.
    pub fn new() -> Self {
        Self {
            engine: Arc::new(Engine::new(Arc::new(SystemClock))),
            changed: Arc::new(Notify::new()),
        }
    }

    /// Runs commands one after another, each with its own outcome; a
    /// blocking one waits (see the module docs) before the next runs.
    pub async fn pipeline(&self, cmds: &[Vec<Vec<u8>>]) -> Vec<Reply> {
        let waits: Vec<Option<Wait>> = cmds.iter().map(|c| blocking_wait(c)).collect();
        if waits.iter().all(Option::is_none) {
            let replies = self.engine.execute_pipeline(cmds);
            self.changed.notify_waiters();
            return replies;
        }
        let mut replies = Vec::with_capacity(cmds.len());
        for (cmd, wait) in cmds.iter().zip(waits) {
            replies.push(match wait {
                Some(wait) => self.wait_for(cmd, wait).await,
                None => self.execute(cmd),
            });
        }
        replies
    }

    /// Runs commands as one transaction; `Err` when it was discarded.
    /// Blocking commands do not block inside a transaction, as in Redis.
    pub fn multi_exec(&self, cmds: &[Vec<Vec<u8>>]) -> Result<Vec<Reply>, String> {
        let outcome = self.engine.execute_multi(cmds);
        self.changed.notify_waiters();
        outcome
    }

    /// One command, then the waiters are told.
    fn execute(&self, cmd: &[Vec<u8>]) -> Reply {
        let reply = self.engine.execute(cmd);
        self.changed.notify_waiters();
        reply
    }

    /// Runs blocking `cmd` until it answers something other than nil, or
    /// `wait` runs out (then the nil, Redis's timed-out reply).
    async fn wait_for(&self, cmd: &[Vec<u8>], wait: Wait) -> Reply {
        let deadline = match wait {
            Wait::For(d) => Some(Instant::now() + d),
            _ => None,
        };
        let cmd = self.pin_new_entry_ids(cmd);
        loop {
            // Registered before the command runs, so a change between the
            // run and the wait is not missed.
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let reply = self.engine.execute(&cmd);
            if !matches!(reply, Ok(Value::Nil)) || wait == Wait::Invalid {
                // Only a command that found something may have changed
                // data: waking the others on a nil would make waiters on
                // empty keys wake each other without end.
                self.changed.notify_waiters();
                return reply;
            }
            match deadline {
                Some(at) => {
                    if tokio::time::timeout_at(at, changed).await.is_err() {
                        return reply;
                    }
                }
                None => changed.await,
            }
        }
    }

    /// `cmd` with XREAD's `$` IDs replaced by each stream's last ID now (0-0
    /// for a stream that does not exist yet): re-run after a change, `$`
    /// would skip the entry it waits for.
    fn pin_new_entry_ids(&self, cmd: &[Vec<u8>]) -> Vec<Vec<u8>> {
        let mut cmd = cmd.to_vec();
        let is_xread = cmd
            .first()
            .is_some_and(|n| n.eq_ignore_ascii_case(b"XREAD"));
        let streams = cmd.iter().position(|a| a.eq_ignore_ascii_case(b"STREAMS"));
        let (true, Some(at)) = (is_xread, streams) else {
            return cmd;
        };
        let pairs = cmd.len() - at - 1;
        if pairs % 2 != 0 {
            return cmd; // the engine answers the syntax error
        }
        for i in 0..pairs / 2 {
            let (key, id) = (at + 1 + i, at + 1 + pairs / 2 + i);
            if cmd[id] == b"$" {
                cmd[id] = self.last_id(&cmd[key]);
            }
        }
        cmd
    }

    /// The last ID of stream `key` (`last-generated-id`), 0-0 when absent.
    fn last_id(&self, key: &[u8]) -> Vec<u8> {
        let info = self
            .engine
            .execute(&[b"XINFO".to_vec(), b"STREAM".to_vec(), key.to_vec()]);
        let Ok(Value::Array(fields)) = info else {
            return b"0-0".to_vec();
        };
        fields
            .chunks(2)
            .find_map(|pair| match pair {
                [Value::Bytes(name), Value::Bytes(id)] if name == b"last-generated-id" => {
                    Some(id.clone())
                }
                _ => None,
            })
            .unwrap_or_else(|| b"0-0".to_vec())
    }

    /// The engine, for its in-process pub/sub (see [`crate::backend::feed`]).
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// PING on the engine: always answers while the process runs.
    pub fn ping(&self) -> bool {
        self.engine
            .execute_pipeline(&[vec![b"PING".to_vec()]])
            .first()
            .is_some_and(Result::is_ok)
    }
}
