//! The least-recently-used map both in-process rate-limit caches
//! ([`super::BlockCache`] and the cached fixed window's counters) keep
//! their per-identifier state in, bounded by a capacity.
//!
//! Owns: recency order and eviction. Must not: lock (its owners wrap it in
//! a mutex) or know what the values mean.

use std::collections::{BTreeMap, HashMap};

/// Values per identifier, the least recently used evicted first.
#[derive(Debug)]
pub(super) struct Lru<V> {
    /// identifier -> (value, last-use stamp)
    entries: HashMap<String, (V, u64)>,
    /// last-use stamp -> identifier, oldest first
    order: BTreeMap<u64, String>,
    next_stamp: u64,
}

impl<V> Default for Lru<V> {
    fn default() -> Self {
        Self {
            entries: HashMap::new(),
            order: BTreeMap::new(),
            next_stamp: 0,
        }
    }
}

impl<V> Lru<V> {
    /// The value of `id`, without changing its recency.
    pub(super) fn peek(&self, id: &str) -> Option<&V> {
        self.entries.get(id).map(|(v, _)| v)
    }

    /// Marks `id` as just used.
    pub(super) fn touch(&mut self, id: &str) {
        let stamp = self.next_stamp;
        if let Some((_, old)) = self.entries.get_mut(id) {
            self.next_stamp += 1;
            self.order.remove(old);
            *old = stamp;
            self.order.insert(stamp, id.to_owned());
        }
    }

    /// Takes `id`'s value out.
    pub(super) fn remove(&mut self, id: &str) -> Option<V> {
        let (value, stamp) = self.entries.remove(id)?;
        self.order.remove(&stamp);
        Some(value)
    }

    /// Stores `value` for `id` as the most recently used, evicting the
    /// least recently used while `capacity` is reached (0 stores nothing).
    pub(super) fn put(&mut self, id: &str, value: V, capacity: usize) {
        self.remove(id);
        if capacity == 0 {
            return;
        }
        while self.entries.len() >= capacity {
            let Some((_, oldest)) = self.order.pop_first() else {
                break;
            };
            self.entries.remove(&oldest);
        }
        let stamp = self.next_stamp;
        self.next_stamp += 1;
        self.entries.insert(id.to_owned(), (value, stamp));
        self.order.insert(stamp, id.to_owned());
    }

    /// How many identifiers are held.
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }
}
