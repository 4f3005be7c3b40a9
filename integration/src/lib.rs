//! Test harness: real processes on free loopback ports, stopped on drop.
//!
//! Owns: starting and stopping `redis-server` for tests, and converting its
//! replies into the engine's terms for differential tests (`compare`).
//! Must not: be used by library code; it exists for the integration suites
//! and benchmarks.

pub mod compare;
pub mod redis_server;

pub use compare::{reply_from_redis, run_on_redis, value_from_redis, CompareError};
pub use redis_server::RedisServer;
