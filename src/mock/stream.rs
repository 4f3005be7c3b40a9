//! The stream value type: entries by ID, consumer groups with their
//! pending entries lists, and the ID arithmetic Redis applies.
//!
//! Owns: the data and its invariants (IDs strictly increasing, every
//! pending entry owned by a consumer of its group). Must not:
//! parse commands or produce replies (see `streams` and `stream_groups`).

use std::collections::BTreeMap;

use super::sorted_map::SortedMap;

/// A stream entry ID: milliseconds and sequence number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamId {
    /// Milliseconds part.
    pub ms: u64,
    /// Sequence part.
    pub seq: u64,
}

impl StreamId {
    /// The largest ID.
    pub const MAX: Self = Self {
        ms: u64::MAX,
        seq: u64::MAX,
    };

    /// `ms-seq`.
    pub fn text(self) -> Vec<u8> {
        format!("{}-{}", self.ms, self.seq).into_bytes()
    }

    /// The next ID, or `None` after the largest.
    pub fn next(self) -> Option<Self> {
        match self.seq.checked_add(1) {
            Some(seq) => Some(Self { ms: self.ms, seq }),
            None => self.ms.checked_add(1).map(|ms| Self { ms, seq: 0 }),
        }
    }

    /// The previous ID, or `None` before 0-0.
    pub fn prev(self) -> Option<Self> {
        match self.seq.checked_sub(1) {
            Some(seq) => Some(Self { ms: self.ms, seq }),
            None => self.ms.checked_sub(1).map(|ms| Self { ms, seq: u64::MAX }),
        }
    }
}

/// Redis's error for an unparsable ID.
pub const INVALID_ID: &str = "ERR Invalid stream ID specified as stream command argument";

/// Parses `ms[-seq]`; `missing_seq` is the sequence when none is given.
pub fn parse_id(arg: &[u8], missing_seq: u64) -> Result<StreamId, String> {
    let bad = || INVALID_ID.to_owned();
    let text = std::str::from_utf8(arg).map_err(|_| bad())?;
    let num = |s: &str| -> Result<u64, String> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        s.parse().map_err(|_| bad())
    };
    match text.split_once('-') {
        None => Ok(StreamId {
            ms: num(text)?,
            seq: missing_seq,
        }),
        Some((ms, seq)) => Ok(StreamId {
            ms: num(ms)?,
            seq: num(seq)?,
        }),
    }
}

/// A field/value list of one entry.
pub type Fields = Vec<(Vec<u8>, Vec<u8>)>;

/// One delivered, not yet acknowledged entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// The consumer that owns it.
    pub consumer: Vec<u8>,
    /// When it was last delivered (Unix ms).
    pub delivered_at: u64,
    /// How many times it was delivered.
    pub deliveries: u64,
}

/// A consumer of a group. The entries it owns are those of the group's
/// pending list that name it (`Group::owned_by`): one list, so the two can
/// never disagree.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Consumer {
    /// When it last read or claimed (Unix ms).
    pub seen_at: u64,
}

/// A consumer group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Group {
    /// The last ID delivered to the group.
    pub last_id: StreamId,
    /// Entries read by the group, when known (Redis 7 lag tracking).
    pub entries_read: Option<u64>,
    /// Pending entries by ID.
    pub pending: BTreeMap<StreamId, Pending>,
    /// Consumers by name.
    pub consumers: SortedMap<Vec<u8>, Consumer>,
}

impl Group {
    /// The consumer `name`, created when missing (seen now); true when created.
    pub fn consumer(&mut self, name: &[u8], now_ms: u64) -> (&mut Consumer, bool) {
        self.consumers
            .get_or_insert_with(name, || Consumer { seen_at: now_ms })
    }

    /// The pending entries `consumer` owns, in ID order, from `start` on.
    pub fn owned_by<'a>(
        &'a self,
        consumer: &'a [u8],
        start: StreamId,
    ) -> impl Iterator<Item = (&'a StreamId, &'a Pending)> + 'a {
        self.pending
            .range(start..)
            .filter(move |(_, p)| p.consumer == consumer)
    }

    /// How many pending entries `consumer` owns.
    pub fn owned_count(&self, consumer: &[u8]) -> usize {
        self.owned_by(consumer, StreamId::default()).count()
    }

    /// Drops `id` from the pending list.
    pub fn ack(&mut self, id: StreamId) -> bool {
        self.pending.remove(&id).is_some()
    }

    /// Gives pending `id` to `consumer` (creating it) at `now_ms`.
    pub fn assign(&mut self, id: StreamId, consumer: &[u8], delivered_at: u64, deliveries: u64) {
        self.pending.insert(
            id,
            Pending {
                consumer: consumer.to_vec(),
                delivered_at,
                deliveries,
            },
        );
        self.consumer(consumer, delivered_at);
    }
}

/// A stream.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stream {
    /// Entries by ID.
    pub entries: BTreeMap<StreamId, Fields>,
    /// The last ID ever added (or set by XSETID).
    pub last_id: StreamId,
    /// The largest ID ever deleted.
    pub max_deleted: StreamId,
    /// Entries ever added.
    pub entries_added: u64,
    /// Consumer groups by name.
    pub groups: SortedMap<Vec<u8>, Group>,
}

/// How XADD and XTRIM trim.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trim {
    /// Keep at most this many entries.
    MaxLen(u64),
    /// Drop entries below this ID.
    MinId(StreamId),
}

/// Entries per radix-tree node: Redis's `stream-node-max-entries`. `~`
/// trimming removes whole nodes only; the engine takes the first node to be
/// the first (up to) this many entries, which is exact while a stream has
/// had no more than this many entries and close beyond.
pub const NODE_ENTRIES: usize = 100;

impl Stream {
    /// The ID `*` generates at `now_ms`, or `None` when exhausted.
    pub fn auto_id(&self, now_ms: u64) -> Option<StreamId> {
        if now_ms > self.last_id.ms {
            Some(StreamId { ms: now_ms, seq: 0 })
        } else {
            self.last_id.next()
        }
    }

    /// Appends an entry; the caller checked that `id` is above `last_id`.
    pub fn append(&mut self, id: StreamId, fields: Fields) {
        self.entries.insert(id, fields);
        self.last_id = id;
        self.entries_added += 1;
    }

    /// Deletes `id`; true when it existed.
    pub fn delete(&mut self, id: StreamId) -> bool {
        if self.entries.remove(&id).is_none() {
            return false;
        }
        if id > self.max_deleted {
            self.max_deleted = id;
        }
        true
    }

    /// Trims by `trim`; `approx` for `~` (whole nodes only), `limit` the
    /// most entries removed (0: no limit). Returns how many went.
    pub fn trim(&mut self, trim: Trim, approx: bool, limit: u64) -> u64 {
        let over = |s: &Self, first: StreamId| match trim {
            Trim::MaxLen(n) => s.entries.len() as u64 > n,
            Trim::MinId(min) => first < min,
        };
        let mut removed = 0u64;
        while let Some(&first) = self.entries.keys().next() {
            if !over(self, first) {
                break;
            }
            if approx {
                // A whole node must go, and fit the bound after going.
                let node: Vec<StreamId> = self.entries.keys().take(NODE_ENTRIES).copied().collect();
                let fits = match trim {
                    Trim::MaxLen(n) => (self.entries.len() - node.len()) as u64 >= n,
                    Trim::MinId(min) => node.last().is_some_and(|last| *last < min),
                };
                if !fits || (limit > 0 && removed + node.len() as u64 > limit) {
                    break;
                }
                removed += node.len() as u64;
                for id in node {
                    self.delete(id);
                }
            } else {
                self.delete(first);
                removed += 1;
            }
        }
        removed
    }

    /// The first entry's ID.
    pub fn first_id(&self) -> Option<StreamId> {
        self.entries.keys().next().copied()
    }

    /// Redis 7's lag estimate inputs: entries read by a group whose last
    /// delivered ID is `last` when no entry was deleted past it.
    pub fn entries_read_at(&self, last: StreamId) -> Option<u64> {
        Counters::of(self).entries_read_at(last)
    }
}

/// The counters Redis's lag estimate reads, copied out so a group can be
/// updated while they are consulted.
#[derive(Debug, Clone, Copy)]
pub struct Counters {
    entries_added: u64,
    last_id: StreamId,
    max_deleted: StreamId,
    first: Option<StreamId>,
    len: u64,
}

impl Counters {
    /// The counters of `s`.
    pub fn of(s: &Stream) -> Self {
        Self {
            entries_added: s.entries_added,
            last_id: s.last_id,
            max_deleted: s.max_deleted,
            first: s.first_id(),
            len: s.entries.len() as u64,
        }
    }

    /// Entries read by a group whose last delivered ID is `last`, when
    /// that can be known (no deletion in between).
    pub fn entries_read_at(&self, last: StreamId) -> Option<u64> {
        if self.entries_added == 0 {
            return Some(0);
        }
        if last >= self.last_id {
            return Some(self.entries_added);
        }
        let first = self.first?;
        if (self.max_deleted == StreamId::default() || self.max_deleted < first) && last < first {
            return Some(self.entries_added - self.len);
        }
        None
    }
}
