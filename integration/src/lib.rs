//! Test harness: real processes on free loopback ports, stopped on drop.
//!
//! Owns: starting and stopping `redis-server` (alone, with TLS
//! ([`tls`]), as a Sentinel topology ([`sentinel`]) or a Cluster
//! ([`cluster`])) and an in-process `edgestash-server` for tests, the
//! Jepsen-style list-append checker ([`list_append`]), the [`behaviour`] suite every backend runs,
//! and converting redis-server's replies into the engine's terms for
//! differential tests ([`compare`]). Must not: be used by library code; it
//! exists for the integration suites and benchmarks.

pub mod behaviour;
pub mod cluster;
pub mod compare;
pub mod edge_server;
pub mod list_append;
pub mod redis_server;
pub mod sentinel;
pub mod tls;

pub use compare::{reply_from_redis, run_on_redis, value_from_redis, CompareError};
pub use edge_server::EdgeServer;
pub use redis_server::RedisServer;
