//! Pub/sub and MONITOR feeds: where a stream's events come from.
//!
//! Owns: opening a feed on a store (over Redis, a dedicated pub/sub or
//! MONITOR connection per stream, opened as the store's ACL user so Redis's
//! channel ACLs apply; over the engine, its in-process pub/sub) and reading
//! its next event. Must not: frame events as server-sent events or decide
//! who may stream (both are [`crate::http`]'s).

use std::future::poll_fn;
use std::pin::Pin;
use std::time::Duration;

use edgestash::mock::pubsub::{EngineMonitor, EngineSubscription};
use edgestash::protocol::pubsub::{PubSubEvent, StreamKind};
use futures_core::Stream;

use crate::backend::Store;

/// How long opening a Redis pub/sub connection and subscribing may take.
const OPEN_TIMEOUT: Duration = Duration::from_secs(5);
/// Channels or patterns per SUBSCRIBE / PSUBSCRIBE sent to Redis.
const SUBSCRIBE_BATCH: usize = 1024;

/// Where a stream's events come from.
pub enum Feed {
    /// A dedicated Redis pub/sub connection.
    Redis(Pin<Box<dyn Stream<Item = ::redis::Msg> + Send>>),
    /// A dedicated Redis MONITOR connection, one line per command.
    Monitor(Pin<Box<dyn Stream<Item = String> + Send>>),
    /// The engine's in-process subscription (`--memory`).
    Memory(EngineSubscription),
    /// The engine's in-process monitor (`--memory`).
    MemoryMonitor(EngineMonitor),
}

/// One item of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedItem {
    /// A pub/sub event.
    Event(PubSubEvent),
    /// A MONITOR line.
    Line(Vec<u8>),
}

/// Why a feed could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FeedError {
    /// Redis's ACL refused a channel or pattern of the store's user.
    NoPerm,
    /// Redis refused the subscription with this error code.
    Refused(String),
    /// Redis could not be reached (or did not answer in time).
    Unavailable,
}

impl Feed {
    /// The next item; `None` when the feed ended (Redis went away, or the
    /// engine's subscriber lagged).
    pub async fn next(&mut self) -> Option<FeedItem> {
        match self {
            Self::Redis(s) => {
                let msg = poll_fn(|cx| s.as_mut().poll_next(cx)).await?;
                let channel: Vec<u8> = msg.get_channel().ok()?;
                let payload = msg.get_payload_bytes().to_vec();
                Some(FeedItem::Event(if msg.from_pattern() {
                    PubSubEvent::PMessage {
                        pattern: msg.get_pattern().ok()?,
                        channel,
                        payload,
                    }
                } else {
                    PubSubEvent::Message { channel, payload }
                }))
            }
            Self::Monitor(s) => {
                let line = poll_fn(|cx| s.as_mut().poll_next(cx)).await?;
                Some(FeedItem::Line(line.into_bytes()))
            }
            // The engine's subscription opens with its own subscribe
            // confirmations; the HTTP layer sends the stream's (as for
            // Redis, whose message stream carries none), so skip them here.
            Self::Memory(sub) => loop {
                match sub.next().await?.ok()? {
                    PubSubEvent::Subscribe { .. } | PubSubEvent::PSubscribe { .. } => continue,
                    event => return Some(FeedItem::Event(event)),
                }
            },
            Self::MemoryMonitor(m) => m.next().await?.ok().map(FeedItem::Line),
        }
    }
}

/// Opens the feed of one stream of `kind` on `targets` (channels or
/// patterns, already de-duplicated).
pub async fn open(store: &Store, kind: StreamKind, targets: &[Vec<u8>]) -> Result<Feed, FeedError> {
    match store {
        Store::Memory(m) => {
            let (channels, patterns) = match kind {
                StreamKind::Subscribe => (targets.to_vec(), Vec::new()),
                StreamKind::PSubscribe => (Vec::new(), targets.to_vec()),
                _ => return Ok(Feed::MemoryMonitor(m.engine().monitor())),
            };
            Ok(Feed::Memory(m.engine().subscribe(channels, patterns)))
        }
        Store::Redis(r) => {
            let opened = tokio::time::timeout(OPEN_TIMEOUT, async move {
                let client = r.stream_client(kind).await?;
                match kind {
                    StreamKind::Monitor => {
                        let monitor = client.get_async_monitor().await?;
                        Ok(Feed::Monitor(Box::pin(monitor.into_on_message::<String>())))
                    }
                    _ => {
                        let mut pubsub = client.get_async_pubsub().await?;
                        // Many names per SUBSCRIBE: 16,000 channels cost a
                        // few round trips, not 16,000.
                        for chunk in targets.chunks(SUBSCRIBE_BATCH) {
                            let names: Vec<&[u8]> = chunk.iter().map(Vec::as_slice).collect();
                            if kind == StreamKind::PSubscribe {
                                pubsub.psubscribe(names.as_slice()).await?;
                            } else {
                                pubsub.subscribe(names.as_slice()).await?;
                            }
                        }
                        Ok(Feed::Redis(Box::pin(pubsub.into_on_message())))
                    }
                }
            })
            .await;
            match opened {
                Ok(Ok(feed)) => Ok(feed),
                Ok(Err(e)) => Err(refusal(&e)),
                Err(_) => {
                    tracing::warn!("opening a Redis subscription timed out");
                    Err(FeedError::Unavailable)
                }
            }
        }
    }
}

/// Classifies a Redis error while subscribing.
fn refusal(e: &::redis::RedisError) -> FeedError {
    match e.code() {
        Some("NOPERM") => FeedError::NoPerm,
        Some(code) if !e.is_io_error() => {
            tracing::warn!(code, "redis refused a subscription");
            FeedError::Refused(code.to_owned())
        }
        _ => {
            tracing::warn!("redis unavailable for a subscription");
            FeedError::Unavailable
        }
    }
}
