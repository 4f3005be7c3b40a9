//! The keyspace: typed values, expiry times and the index that lets expired
//! keys be found without scanning.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use super::rng::Rng;
use super::zset::SortedSet;

/// A Redis value of one of the supported types.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    /// A string (also integers and floats stored as text).
    Str(Vec<u8>),
    /// A list.
    List(VecDeque<Vec<u8>>),
    /// A hash.
    Hash(HashMap<Vec<u8>, Vec<u8>>),
    /// A set.
    Set(HashSet<Vec<u8>>),
    /// A sorted set. Boxed: it is the largest variant, and every entry of
    /// the keyspace's table is as large as the largest variant, so boxing it
    /// keeps the table (and its cache misses on lookups) smaller.
    ZSet(Box<SortedSet>),
    /// A stream (boxed for the same reason).
    Stream(Box<super::stream::Stream>),
}

impl Data {
    /// The name TYPE reports.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Str(_) => "string",
            Self::List(_) => "list",
            Self::Hash(_) => "hash",
            Self::Set(_) => "set",
            Self::ZSet(_) => "zset",
            Self::Stream(_) => "stream",
        }
    }

    /// True for an empty aggregate, which Redis deletes instead of storing.
    pub fn is_empty_aggregate(&self) -> bool {
        match self {
            Self::Str(_) => false,
            Self::List(l) => l.is_empty(),
            Self::Hash(h) => h.is_empty(),
            Self::Set(s) => s.is_empty(),
            Self::ZSet(z) => z.is_empty(),
            // Redis keeps an empty stream (its IDs and groups live on).
            Self::Stream(_) => false,
        }
    }
}

/// A stored value and its absolute expiry time (Unix ms), if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The value.
    pub data: Data,
    /// When the key expires, in Unix milliseconds.
    pub expires_at: Option<u64>,
}

/// All keys of the one database the REST protocol exposes.
///
/// Expiry is lazy (a key past its time is removed when touched) plus active:
/// `expiring` orders keys by expiry time so the engine can drop a bounded
/// number of expired keys per command, and all of them before commands that
/// look at the whole keyspace, without scanning.
#[derive(Debug, Default)]
pub struct Db {
    map: HashMap<Vec<u8>, Entry>,
    expiring: BTreeSet<(u64, Vec<u8>)>,
    /// The engine's pseudo-random sequence (RANDOMKEY, HRANDFIELD, SPOP...):
    /// seeded, so an engine's picks are reproducible.
    pub rng: Rng,
    /// Scripts loaded by EVAL or SCRIPT LOAD and FUNCTION libraries. Like
    /// Redis's, FLUSHDB leaves them alone; SCRIPT/FUNCTION FLUSH empty them.
    pub scripts: super::lua::store::ScriptStore,
}

impl Db {
    /// Removes `key` if its time has passed; true if it was removed.
    fn expire_if_due(&mut self, key: &[u8], now_ms: u64) -> bool {
        // Most keys have no TTL: skip the lookup when none has one.
        if self.expiring.is_empty() {
            return false;
        }
        let due = match self.map.get(key) {
            Some(Entry {
                expires_at: Some(at),
                ..
            }) => *at <= now_ms,
            _ => false,
        };
        if due {
            self.remove(key);
        }
        due
    }

    /// The live entry of `key`.
    pub fn get(&mut self, key: &[u8], now_ms: u64) -> Option<&Entry> {
        self.expire_if_due(key, now_ms);
        self.map.get(key)
    }

    /// The live entry of `key`, mutable. Changing `expires_at` through this
    /// reference would desynchronise the index: use [`Db::set_expiry`].
    pub fn get_mut(&mut self, key: &[u8], now_ms: u64) -> Option<&mut Entry> {
        self.expire_if_due(key, now_ms);
        self.map.get_mut(key)
    }

    /// Stores `data` under `key` with the given expiry, replacing any old value.
    pub fn insert(&mut self, key: Vec<u8>, data: Data, expires_at: Option<u64>) {
        if let Some(at) = expires_at {
            self.expiring.insert((at, key.clone()));
        }
        // One hash of the key: the entry API finds the old value, if any.
        match self.map.entry(key) {
            std::collections::hash_map::Entry::Occupied(mut slot) => {
                if let Some(old) = slot.get().expires_at.filter(|old| Some(*old) != expires_at) {
                    self.expiring.remove(&(old, slot.key().clone()));
                }
                slot.insert(Entry { data, expires_at });
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(Entry { data, expires_at });
            }
        }
    }

    /// Removes `key`, returning its entry.
    pub fn remove(&mut self, key: &[u8]) -> Option<Entry> {
        let entry = self.map.remove(key)?;
        if let Some(at) = entry.expires_at {
            self.expiring.remove(&(at, key.to_vec()));
        }
        Some(entry)
    }

    /// Sets or clears the expiry of an existing key; false if it does not exist.
    pub fn set_expiry(&mut self, key: &[u8], expires_at: Option<u64>, now_ms: u64) -> bool {
        self.expire_if_due(key, now_ms);
        let Some(entry) = self.map.get_mut(key) else {
            return false;
        };
        if let Some(old) = entry.expires_at {
            self.expiring.remove(&(old, key.to_vec()));
        }
        entry.expires_at = expires_at;
        if let Some(at) = expires_at {
            self.expiring.insert((at, key.to_vec()));
        }
        true
    }

    /// Deletes the key when its aggregate became empty (Redis never keeps empty ones).
    pub fn drop_if_empty(&mut self, key: &[u8]) {
        if self
            .map
            .get(key)
            .is_some_and(|e| e.data.is_empty_aggregate())
        {
            self.remove(key);
        }
    }

    /// Drops up to `limit` expired keys (active expiry); returns how many.
    pub fn purge_expired(&mut self, now_ms: u64, limit: usize) -> usize {
        let mut dropped = 0;
        while dropped < limit {
            // Look before taking: no key is cloned while nothing is due.
            if self.expiring.first().is_none_or(|(at, _)| *at > now_ms) {
                break;
            }
            let Some((_, key)) = self.expiring.pop_first() else {
                break;
            };
            self.map.remove(&key);
            dropped += 1;
        }
        dropped
    }

    /// Drops every expired key: before DBSIZE, KEYS, SCAN, RANDOMKEY.
    pub fn purge_all_expired(&mut self, now_ms: u64) {
        self.purge_expired(now_ms, usize::MAX);
    }

    /// Number of keys (call [`Db::purge_all_expired`] first for a live count).
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when no key is stored.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// All keys, in no particular order (purge first for live keys only).
    pub fn keys(&self) -> impl Iterator<Item = &Vec<u8>> {
        self.map.keys()
    }

    /// Iterates over all entries, in no particular order (purge first for
    /// live keys only).
    pub fn entries(&self) -> impl Iterator<Item = (&Vec<u8>, &Entry)> {
        self.map.iter()
    }

    /// Removes every key.
    pub fn clear(&mut self) {
        self.map.clear();
        self.expiring.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Data {
        Data::Str(v.as_bytes().to_vec())
    }

    #[crate::unit_test]
    fn overwriting_keeps_the_expiry_index_in_step() {
        let mut db = Db::default();
        db.insert(b"a".to_vec(), s("1"), Some(100));
        db.insert(b"a".to_vec(), s("2"), Some(100));
        db.insert(b"a".to_vec(), s("3"), Some(200));
        assert_eq!(db.expiring.len(), 1);
        db.insert(b"a".to_vec(), s("4"), None);
        assert!(db.expiring.is_empty());
        db.insert(b"b".to_vec(), s("5"), Some(50));
        db.insert(b"c".to_vec(), s("6"), Some(500));
        // Nothing due: nothing dropped, and a key without TTL stays.
        assert_eq!(db.purge_expired(10, 20), 0);
        assert_eq!(db.purge_expired(300, 20), 1);
        assert_eq!(db.len(), 2);
        assert!(db.get(b"c", 600).is_none());
        assert!(db.get(b"a", 600).is_some());
        assert!(db.expiring.is_empty());
    }
}
