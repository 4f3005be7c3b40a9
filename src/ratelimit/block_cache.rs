//! A bounded, least-recently-used map of identifiers known to be refused
//! until some time, so a blocked caller costs no Redis call.
//!
//! Owns: remembering "blocked until T" for at most `capacity` identifiers.
//! Hand-written (a map plus an order index, ~60 lines) rather than a crate:
//! it needs expiry-on-read and nothing else, and the library must keep
//! building for wasm32 with few dependencies. Must not: grow without bound
//! (@upstash/ratelimit's cache does), or do I/O.

use std::sync::{Mutex, MutexGuard};

use super::lru::Lru;

/// Identifiers blocked until a time, at most `capacity` of them.
#[derive(Debug)]
pub struct BlockCache {
    capacity: usize,
    inner: Mutex<Lru<u64>>,
}

impl BlockCache {
    /// A cache holding at most `capacity` identifiers (0 holds none).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            inner: Mutex::new(Lru::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Lru<u64>> {
        // Entries are plain data; a panic elsewhere cannot leave them torn.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// When `id` is blocked at `now_ms`, the time the block ends.
    pub fn blocked_until(&self, id: &str, now_ms: u64) -> Option<u64> {
        let mut lru = self.lock();
        match lru.peek(id).copied() {
            Some(until) if until > now_ms => {
                lru.touch(id);
                Some(until)
            }
            Some(_) => {
                lru.remove(id);
                None
            }
            None => None,
        }
    }

    /// Blocks `id` until `until_ms`, evicting the least recently used
    /// identifier when full.
    pub fn block(&self, id: &str, until_ms: u64) {
        if self.capacity == 0 {
            return;
        }
        self.lock().put(id, until_ms, self.capacity);
    }

    /// Forgets `id` (after a refund or a reset).
    pub fn unblock(&self, id: &str) {
        self.lock().remove(id);
    }

    /// How many identifiers are held.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when none is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_until_the_time_then_forgets() {
        let c = BlockCache::new(10);
        c.block("a", 100);
        assert_eq!(c.blocked_until("a", 99), Some(100));
        assert_eq!(c.blocked_until("a", 100), None);
        assert!(c.is_empty());
        c.block("b", 100);
        c.unblock("b");
        assert_eq!(c.blocked_until("b", 0), None);
    }

    #[test]
    fn evicts_the_least_recently_used_when_full() {
        let c = BlockCache::new(2);
        c.block("a", 100);
        c.block("b", 100);
        assert_eq!(c.blocked_until("a", 0), Some(100)); // a is now newer than b
        c.block("c", 100);
        assert_eq!(c.len(), 2);
        assert_eq!(c.blocked_until("b", 0), None);
        assert_eq!(c.blocked_until("a", 0), Some(100));
        assert_eq!(c.blocked_until("c", 0), Some(100));
        let none = BlockCache::new(0);
        none.block("a", 100);
        assert!(none.is_empty());
    }
}
