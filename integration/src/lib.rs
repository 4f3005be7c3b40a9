//! Test harness: real processes on free loopback ports, stopped on drop.
//!
//! Owns: starting and stopping `redis-server` and an in-process
//! `edgestash-server` for tests, and the [`behaviour`] suite every backend
//! runs. Must not: be used by library code; it exists for the integration
//! suites and benchmarks.

pub mod behaviour;
pub mod edge_server;
pub mod redis_server;

pub use edge_server::EdgeServer;
pub use redis_server::RedisServer;
