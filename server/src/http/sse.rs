//! Serving one server-sent-events stream: a task pumps frames from a feed
//! (a Redis subscription, a Redis MONITOR, or the engine's in-process
//! subscription) into a bounded channel that is the HTTP response body.
//!
//! Owns: keepalive comments, the per-stream bound (a client that does not
//! read falls [`QUEUE`] frames behind and is cut off rather than buffered
//! without limit), and teardown: the pump ends, dropping the feed and with
//! it the dedicated Redis connection, as soon as the HTTP client goes away
//! (the body is dropped), the server shuts down, or the feed ends (Redis
//! went away: the client then sees the stream end and reports it).
//! Must not: authenticate or open the feed (see [`super::streams`] and
//! [`crate::backend::feed`]).

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use edgestash::protocol::pubsub::encode;
use edgestash::protocol::sse::{encode_event, KEEPALIVE};
use futures_core::Stream;
use tokio::sync::{mpsc, watch};

use crate::backend::feed::{Feed, FeedItem};

/// Frames one stream may have waiting for a slow client.
pub const QUEUE: usize = 1024;

/// A response body fed by the pump.
struct Chunks(mpsc::Receiver<Bytes>);

impl Stream for Chunks {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|o| o.map(Ok))
    }
}

/// Starts pumping `feed` after the `first` frames (the subscription
/// confirmations); returns the response body. `guard` is held until the
/// pump ends (it frees the subscriber slot).
pub fn start<G: Send + 'static>(
    mut feed: Feed,
    first: Vec<Bytes>,
    base64: bool,
    keepalive: Duration,
    mut shutdown: watch::Receiver<bool>,
    guard: G,
) -> Body {
    let (tx, rx) = mpsc::channel::<Bytes>(QUEUE.max(first.len() + 1));
    for frame in first {
        // Cannot fail: the channel has room for all of them.
        let _ = tx.try_send(frame);
    }
    tokio::spawn(async move {
        let _guard = guard;
        if *shutdown.borrow_and_update() {
            return;
        }
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + keepalive, keepalive);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tx.closed() => break,
                _ = shutdown.changed() => break,
                _ = tick.tick() => match tx.try_send(Bytes::from_static(KEEPALIVE)) {
                    // A full queue already proves the connection is busy.
                    Ok(()) | Err(mpsc::error::TrySendError::Full(_)) => {}
                    Err(mpsc::error::TrySendError::Closed(_)) => break,
                },
                item = feed.next() => match item.map(|i| frame(i, base64)) {
                    None => {
                        tracing::info!("stream feed ended (backend closed it or the subscriber lagged)");
                        break;
                    }
                    Some(frame) => match tx.try_send(frame) {
                        Ok(()) => {}
                        Err(mpsc::error::TrySendError::Full(_)) => {
                            tracing::warn!(queued = QUEUE, "subscriber too slow: stream closed");
                            break;
                        }
                        Err(mpsc::error::TrySendError::Closed(_)) => break,
                    },
                },
            }
        }
        // Dropping `feed` here closes the dedicated Redis connection.
    });
    Body::from_stream(Chunks(rx))
}

/// One feed item as an SSE frame.
fn frame(item: FeedItem, base64: bool) -> Bytes {
    Bytes::from(match item {
        FeedItem::Event(event) => encode(&event, base64),
        FeedItem::Line(line) => encode_event(&line),
    })
}
