//! Where commands run: a real redis-server or the embedded engine.
//!
//! Owns: running commands that already passed the gate and returning their
//! outcomes as [`Reply`]s (a value or Redis's error text), and opening
//! pub/sub feeds ([`feed`]). Must not: know about HTTP (framing replies,
//! tokens, what is allowed: all of that is [`crate::http`]'s); imports flow
//! from `http` to `backend` to `config`, never back.

use edgestash::mock::Reply;

use crate::config::{Backend, RedisTls, TenantToken};
use crate::error::ServerError;

pub mod engine;
pub mod feed;
pub mod redis;

pub use engine::MemoryStore;
pub use redis::RedisStore;

/// The text of the 503 reply when the backend cannot be reached.
pub const UNAVAILABLE: &str = "ERR backend unavailable";

/// The backend could not be reached, or broke off mid-request; nothing is
/// known about whether the commands ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unavailable;

/// What ran, ready to frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Executed {
    /// One command's outcome.
    Single(Reply),
    /// A pipeline's or a transaction's outcomes, in order.
    Batch(Vec<Reply>),
    /// The request was refused or the transaction discarded as a whole (400).
    Discarded(String),
}

/// A connected backend.
#[derive(Debug, Clone)]
pub enum Store {
    /// A real redis-server.
    Redis(RedisStore),
    /// The embedded engine.
    Memory(MemoryStore),
}

impl Store {
    /// Connects to the configured backend (`tls`: the files for
    /// `rediss://` connections).
    pub async fn connect(backend: &Backend, tls: &RedisTls) -> Result<Self, ServerError> {
        match backend {
            Backend::Memory => Ok(Self::Memory(MemoryStore::new())),
            redis => RedisStore::connect(redis, tls).await.map(Self::Redis),
        }
    }

    /// Connects one store per distinct ACL user of the token map and returns
    /// them with each token's index into them. The embedded engine has no
    /// ACLs, so a token map with the memory backend is a start-up error.
    pub async fn connect_tenants(
        backend: &Backend,
        tls: &RedisTls,
        map: &[TenantToken],
    ) -> Result<(Vec<Self>, Vec<(String, usize)>), ServerError> {
        if map.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        if *backend == Backend::Memory {
            return Err(ServerError::Config(
                "--token-map (EDGESTASH_TOKEN_MAP) needs the Redis backend (--redis): the in-memory engine has no ACL users".to_owned(),
            ));
        };
        // One connection per user, shared by all of its tokens; the first
        // line's password is the one used.
        let mut users: Vec<&str> = Vec::new();
        let mut stores = Vec::new();
        let mut tokens = Vec::with_capacity(map.len());
        for t in map {
            let index = match users.iter().position(|u| *u == t.user) {
                Some(i) => i,
                None => {
                    stores.push(Self::Redis(
                        RedisStore::connect_as(backend, tls, &t.user, &t.password).await?,
                    ));
                    users.push(&t.user);
                    users.len() - 1
                }
            };
            tokens.push((t.token.clone(), index));
        }
        Ok((stores, tokens))
    }

    /// A short name for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Redis(_) => "redis",
            Self::Memory(_) => "memory",
        }
    }

    /// PINGs the backend; the error is a short reason for `/healthz`.
    pub async fn ping(&self) -> Result<(), &'static str> {
        match self {
            Self::Redis(r) => r.ping().await,
            Self::Memory(m) if m.ping() => Ok(()),
            Self::Memory(_) => Err("engine did not answer"),
        }
    }

    /// Redis's `INFO` text; `None` for the engine or when Redis is down.
    pub async fn info(&self) -> Option<String> {
        match self {
            Self::Redis(r) => r.info().await,
            Self::Memory(_) => None,
        }
    }

    /// Runs commands one after another, each with its own outcome.
    pub async fn pipeline(&self, cmds: &[Vec<Vec<u8>>]) -> Result<Vec<Reply>, Unavailable> {
        match self {
            Self::Redis(r) => r.pipeline(cmds).await,
            Self::Memory(m) => Ok(m.pipeline(cmds).await),
        }
    }

    /// Runs commands as one transaction; the inner `Err` is the text of a
    /// discarded transaction.
    pub async fn multi_exec(
        &self,
        cmds: &[Vec<Vec<u8>>],
    ) -> Result<Result<Vec<Reply>, String>, Unavailable> {
        match self {
            Self::Redis(r) => r.multi_exec(cmds).await,
            Self::Memory(m) => Ok(m.multi_exec(cmds)),
        }
    }
}
