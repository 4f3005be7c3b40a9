//! Test harness: real processes on free loopback ports, stopped on drop.
//!
//! Owns: starting and stopping `redis-server` and an in-process
//! `edgestash-server` for tests, the [`behaviour`] suite every backend runs,
//! and converting redis-server's replies into the engine's terms for
//! differential tests ([`compare`]). Must not: be used by library code; it
//! exists for the integration suites and benchmarks.

pub mod behaviour;
pub mod compare;
pub mod edge_server;
pub mod redis_server;

pub use compare::{reply_from_redis, run_on_redis, value_from_redis, CompareError};
pub use edge_server::EdgeServer;
pub use redis_server::RedisServer;
