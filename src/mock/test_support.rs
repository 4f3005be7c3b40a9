//! Helpers the engine's unit tests share: an engine on a fixed clock and
//! short ways to write commands and expected replies.

use std::sync::Arc;

use crate::clock::ManualClock;
use crate::mock::Engine;
use crate::protocol::Value;

/// An empty engine whose clock stands still at a fixed 2023 instant.
pub fn engine() -> Engine {
    Engine::new(Arc::new(ManualClock::new(1_700_000_000_000)))
}

/// Runs one command given as text parts.
pub fn run(e: &Engine, parts: &[&str]) -> Result<Value, String> {
    let parts: Vec<Vec<u8>> = parts.iter().map(|p| p.as_bytes().to_vec()).collect();
    e.execute(&parts)
}

/// A bulk string reply.
pub fn b(s: &str) -> Value {
    Value::Bytes(s.as_bytes().to_vec())
}

/// An array reply of bulk strings.
pub fn arr(items: &[&str]) -> Value {
    Value::Array(items.iter().map(|s| b(s)).collect())
}
