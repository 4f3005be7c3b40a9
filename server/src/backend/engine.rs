//! The embedded engine as a backend (`--memory`): data lives in this process
//! and is gone when it stops.
//!
//! The engine answers byte for byte as Redis does; this file only hands it
//! the commands. Engine calls are short and synchronous under the engine's
//! own lock, so they run inline on the request's task.

use std::sync::Arc;

use edgestash::clock::SystemClock;
use edgestash::mock::{Engine, Reply};

/// The embedded engine, shared by all requests.
#[derive(Debug, Clone)]
pub struct MemoryStore {
    engine: Arc<Engine>,
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
        }
    }

    /// Runs commands one after another, each with its own outcome.
    pub fn pipeline(&self, cmds: &[Vec<Vec<u8>>]) -> Vec<Reply> {
        self.engine.execute_pipeline(cmds)
    }

    /// Runs commands as one transaction; `Err` when it was discarded.
    pub fn multi_exec(&self, cmds: &[Vec<Vec<u8>>]) -> Result<Vec<Reply>, String> {
        self.engine.execute_multi(cmds)
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
