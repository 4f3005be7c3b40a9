//! A list-backed work queue with visibility timeouts and a dead-letter list.
//!
//! Owns: five keys under the client's namespace for queue `<name>`:
//! `queue:<name>` (ready, LPUSH in, LMOVE out of the right end, so FIFO),
//! `queue:<name>:processing` (in flight), `queue:<name>:deadlines` (sorted
//! set: in-flight item to its visibility deadline in ms),
//! `queue:<name>:attempts` (hash: item id to deliveries) and
//! `queue:<name>:dead`. Items are JSON `{"id", "payload"}` with a random
//! id, so each stored element is unique and can be removed by value.
//!
//! Delivery is at least once. An item moves atomically from ready to
//! processing (LMOVE), so a consumer dying at any point leaves it in
//! processing, never nowhere: [`WorkQueue::requeue_expired`] puts items
//! whose deadline passed (or that never got one because the consumer died
//! right after LMOVE) back at the head of the queue, or into the
//! dead-letter list after `max_attempts` deliveries. Deadlines use the
//! injected clock, so tests drive them with a ManualClock even on Redis.
//!
//! Must not: know the transport or the engine (layer L6), or log payloads.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::clock::SharedClock;
use crate::commands::{HashCommands, ListCommands, ListEnd, SortedSetCommands, ZAddOptions};
use crate::error::Error;

/// What can go wrong with a queue.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QueueError {
    /// A payload did not (de)serialize as JSON.
    #[error("queue item is not valid JSON for this type")]
    Json,
    /// The platform's random source failed.
    #[error("random source unavailable")]
    Random,
    /// Redis or the transport failed.
    #[error(transparent)]
    Redis(#[from] Error),
}

/// Visibility timeout and retry limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueOptions {
    /// How long a dequeued item stays invisible before it may be re-queued.
    pub visibility_ms: u64,
    /// Deliveries after which an unacknowledged item goes to the dead-letter list.
    pub max_attempts: u32,
}

impl Default for QueueOptions {
    /// 30 s visibility, 5 attempts.
    fn default() -> Self {
        Self {
            visibility_ms: 30_000,
            max_attempts: 5,
        }
    }
}

/// A stored element: the random id makes every element unique, so LREM
/// removes exactly this delivery and the hashes can be keyed by it.
#[derive(Serialize, Deserialize)]
struct Item<T> {
    id: String,
    payload: T,
}

/// Just the id of a stored element, read without parsing its payload
/// (requeueing must work whatever the payload type).
#[derive(Deserialize)]
struct ItemId {
    id: String,
}

/// One dequeued item: acknowledge it with [`WorkQueue::ack`] when done.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery<T> {
    /// The item's id (random, assigned at enqueue).
    pub id: String,
    /// The payload.
    pub payload: T,
    /// Which delivery this is (1 for the first).
    pub attempt: u32,
    raw: Vec<u8>,
}

/// What [`WorkQueue::requeue_expired`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Requeued {
    /// Items put back at the head of the queue.
    pub requeued: u64,
    /// Items moved to the dead-letter list.
    pub dead: u64,
}

/// A named work queue.
#[derive(Debug, Clone)]
pub struct WorkQueue {
    client: Client,
    clock: SharedClock,
    options: QueueOptions,
    ready: String,
    processing: String,
    deadlines: String,
    attempts: String,
    dead: String,
}

/// A deadline as a sorted-set score.
fn score(ms: u64) -> f64 {
    // Millisecond timestamps stay far below 2^53, exact in an f64.
    ms as f64
}

impl WorkQueue {
    /// Queue `name` through `client`, with deadlines read from `clock`.
    pub fn new(client: Client, name: &str, clock: SharedClock, options: QueueOptions) -> Self {
        let ready = format!("queue:{name}");
        Self {
            processing: format!("{ready}:processing"),
            deadlines: format!("{ready}:deadlines"),
            attempts: format!("{ready}:attempts"),
            dead: format!("{ready}:dead"),
            ready,
            client,
            clock,
            options,
        }
    }

    /// Adds an item at the tail; returns its id.
    pub async fn enqueue<T: Serialize>(&self, payload: &T) -> Result<String, QueueError> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|_| QueueError::Random)?;
        let id = crate::scripts::to_hex(&bytes);
        let raw = serde_json::to_vec(&Item {
            id: id.clone(),
            payload,
        })
        .map_err(|_| QueueError::Json)?;
        self.client.lpush(&self.ready, [raw]).await?;
        Ok(id)
    }

    /// Takes the oldest ready item, invisible to others for the visibility
    /// timeout. Two round trips: LMOVE, then the deadline and attempt count
    /// (an item whose consumer dies between them gets its deadline from
    /// [`WorkQueue::requeue_expired`]).
    pub async fn dequeue<T: DeserializeOwned>(&self) -> Result<Option<Delivery<T>>, QueueError> {
        let moved = self
            .client
            .lmove(&self.ready, &self.processing, ListEnd::Right, ListEnd::Left)
            .await?;
        let Some(raw) = moved else {
            return Ok(None);
        };
        let item: Item<T> = serde_json::from_slice(&raw).map_err(|_| QueueError::Json)?;
        let deadline = self
            .clock
            .now_ms()
            .saturating_add(self.options.visibility_ms);
        let tx = self.client.multi();
        let _ = tx.zadd(&self.deadlines, [(score(deadline), &raw)]);
        let attempt = tx.hincrby(&self.attempts, &item.id, 1);
        let mut results = tx.exec().await?;
        let attempt = u32::try_from(results.take(attempt)?).unwrap_or(u32::MAX);
        Ok(Some(Delivery {
            id: item.id,
            payload: item.payload,
            attempt,
            raw,
        }))
    }

    /// Marks an item done. False when it was no longer in flight (its
    /// visibility timeout passed and it was re-queued).
    pub async fn ack<T>(&self, delivery: &Delivery<T>) -> Result<bool, QueueError> {
        let tx = self.client.multi();
        let removed = tx.lrem(&self.processing, 1, &delivery.raw);
        let _ = tx.zrem(&self.deadlines, [&delivery.raw]);
        let _ = tx.hdel(&self.attempts, [&delivery.id]);
        let mut results = tx.exec().await?;
        Ok(results.take(removed)? == 1)
    }

    /// Puts in-flight items whose visibility deadline passed back at the
    /// head of the queue, or into the dead-letter list once they were
    /// delivered `max_attempts` times. Safe to run from several instances:
    /// removing an item's deadline (ZREM answers 1 once) elects the one that
    /// moves it, and the move itself is one transaction.
    pub async fn requeue_expired(&self) -> Result<Requeued, QueueError> {
        let mut report = Requeued::default();
        let in_flight = self.client.lrange(&self.processing, 0, -1).await?;
        if in_flight.is_empty() {
            return Ok(report);
        }
        let deadlines = self.client.zmscore(&self.deadlines, &in_flight).await?;
        let now = self.clock.now_ms();
        for (raw, deadline) in in_flight.iter().zip(deadlines) {
            let Some(deadline) = deadline else {
                // Its consumer died between LMOVE and recording the
                // deadline: give it one now (NX: never move a real one).
                let later = now.saturating_add(self.options.visibility_ms);
                let options = ZAddOptions::default().nx();
                self.client
                    .zadd_with(&self.deadlines, options, [(score(later), raw)])
                    .await?;
                continue;
            };
            if deadline > score(now) {
                continue;
            }
            let id = serde_json::from_slice::<ItemId>(raw)
                .map(|i| i.id)
                .unwrap_or_default();
            let tx = self.client.multi();
            let claimed = tx.zrem(&self.deadlines, [raw]);
            let attempts = tx.hget(&self.attempts, &id);
            let mut results = tx.exec().await?;
            if results.take(claimed)? != 1 {
                continue;
            }
            let attempts: u64 = results
                .take(attempts)?
                .and_then(|a| String::from_utf8(a).ok())
                .and_then(|a| a.parse().ok())
                .unwrap_or(0);
            let to_dead = attempts >= u64::from(self.options.max_attempts);
            let tx = self.client.multi();
            let removed = tx.lrem(&self.processing, 1, raw);
            if to_dead {
                let _ = tx.lpush(&self.dead, [raw]);
                let _ = tx.hdel(&self.attempts, [&id]);
            } else {
                // The right end is where dequeue takes from: retry first.
                let _ = tx.rpush(&self.ready, [raw]);
            }
            let mut results = tx.exec().await?;
            if results.take(removed)? == 1 {
                if to_dead {
                    report.dead += 1;
                } else {
                    report.requeued += 1;
                }
            } else {
                // Acknowledged after we claimed it: take the copy back.
                let target = if to_dead { &self.dead } else { &self.ready };
                let count = if to_dead { 1 } else { -1 };
                self.client.lrem(target, count, raw).await?;
            }
        }
        Ok(report)
    }

    /// Items waiting to be dequeued.
    pub async fn len(&self) -> Result<u64, QueueError> {
        Ok(u64::try_from(self.client.llen(&self.ready).await?).unwrap_or(0))
    }

    /// True when no item waits to be dequeued.
    pub async fn is_empty(&self) -> Result<bool, QueueError> {
        Ok(self.len().await? == 0)
    }

    /// Items dequeued and not yet acknowledged or re-queued.
    pub async fn in_flight(&self) -> Result<u64, QueueError> {
        Ok(u64::try_from(self.client.llen(&self.processing).await?).unwrap_or(0))
    }

    /// The dead-letter items' payloads, oldest last.
    pub async fn dead_letters<T: DeserializeOwned>(&self) -> Result<Vec<T>, QueueError> {
        let raws = self.client.lrange(&self.dead, 0, -1).await?;
        raws.iter()
            .map(|r| {
                serde_json::from_slice::<Item<T>>(r)
                    .map(|i| i.payload)
                    .map_err(|_| QueueError::Json)
            })
            .collect()
    }
}
