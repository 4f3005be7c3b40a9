//! The engine's own pub/sub: PUBLISH delivers to subscriptions held in this
//! process (the client's mock transport and `edgestash-server --memory`),
//! and MONITOR lines go to in-process monitors.
//!
//! Owns: who is subscribed to what, matching patterns with Redis's glob,
//! PUBLISH's receiver count (one per subscribed channel match plus one per
//! matching pattern, as Redis counts), and a bounded queue per
//! subscription: a subscriber that falls [`MAX_QUEUED`] events behind is
//! cut off with [`Lagged`], as Redis drops a pub/sub client past its output
//! buffer limit, instead of growing without bound. Dropping an
//! [`EngineSubscription`] (or an [`EngineMonitor`]) unsubscribes it.
//!
//! Must not: block (publish runs under the engine's lock) or know about
//! HTTP or SSE. Works on every target: the queue wakes its reader through a
//! plain [`Waker`], no runtime needed.

use std::collections::VecDeque;
use std::future::poll_fn;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use super::glob;
use crate::protocol::pubsub::PubSubEvent;

/// Events one subscription may have waiting before it is cut off.
pub const MAX_QUEUED: usize = 10_000;

/// The subscriber fell [`MAX_QUEUED`] events behind and was unsubscribed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lagged;

/// Every subscription of one engine.
#[derive(Debug, Default)]
pub struct Broker {
    state: Mutex<BrokerState>,
    /// Live monitors, read without the lock on every command.
    monitoring: AtomicUsize,
}

#[derive(Debug, Default)]
struct BrokerState {
    next_id: u64,
    subs: Vec<Sub>,
    monitors: Vec<(u64, Arc<Queue<Vec<u8>>>)>,
}

#[derive(Debug)]
struct Sub {
    id: u64,
    channels: Vec<Vec<u8>>,
    patterns: Vec<Vec<u8>>,
    queue: Arc<Queue<PubSubEvent>>,
}

#[derive(Debug)]
struct Queue<T> {
    state: Mutex<QueueState<T>>,
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Self {
            state: Mutex::new(QueueState {
                items: VecDeque::new(),
                waker: None,
                lagged: false,
                finished: false,
            }),
        }
    }
}

#[derive(Debug)]
struct QueueState<T> {
    items: VecDeque<T>,
    waker: Option<Waker>,
    lagged: bool,
    finished: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing panics while holding these locks; recover the data if it did.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl<T> Queue<T> {
    fn push(&self, event: T) {
        let mut q = lock(&self.state);
        if q.lagged {
            return;
        }
        if q.items.len() >= MAX_QUEUED {
            q.lagged = true;
            q.items.clear();
        } else {
            q.items.push_back(event);
        }
        if let Some(w) = q.waker.take() {
            w.wake();
        }
    }
}

impl Broker {
    /// Subscribes to `channels` and `patterns` (each list deduplicated, as
    /// Redis ignores a repeated subscription); the returned subscription
    /// starts with one `subscribe`/`psubscribe` event per entry.
    pub fn subscribe(
        self: &Arc<Self>,
        channels: Vec<Vec<u8>>,
        patterns: Vec<Vec<u8>>,
    ) -> EngineSubscription {
        let dedup = |list: Vec<Vec<u8>>| {
            let mut out: Vec<Vec<u8>> = Vec::with_capacity(list.len());
            for item in list {
                if !out.contains(&item) {
                    out.push(item);
                }
            }
            out
        };
        let (channels, patterns) = (dedup(channels), dedup(patterns));
        let queue = Arc::new(Queue::default());
        let mut count = 0i64;
        for channel in &channels {
            count += 1;
            queue.push(PubSubEvent::Subscribe {
                channel: channel.clone(),
                count,
            });
        }
        for pattern in &patterns {
            count += 1;
            queue.push(PubSubEvent::PSubscribe {
                pattern: pattern.clone(),
                count,
            });
        }
        let mut state = lock(&self.state);
        let id = state.next_id;
        state.next_id += 1;
        state.subs.push(Sub {
            id,
            channels,
            patterns,
            queue: queue.clone(),
        });
        Receiver {
            broker: self.clone(),
            id,
            queue,
        }
    }

    /// Starts receiving one line per command run on the engine
    /// ([`Broker::feed_monitors`]), as MONITOR does.
    pub fn monitor(self: &Arc<Self>) -> EngineMonitor {
        let queue = Arc::new(Queue::default());
        let mut state = lock(&self.state);
        let id = state.next_id;
        state.next_id += 1;
        state.monitors.push((id, queue.clone()));
        self.monitoring
            .store(state.monitors.len(), Ordering::SeqCst);
        Receiver {
            broker: self.clone(),
            id,
            queue,
        }
    }

    /// True when someone monitors: only then is a line formatted.
    pub fn is_monitored(&self) -> bool {
        self.monitoring.load(Ordering::Relaxed) > 0
    }

    /// Hands `line` to every monitor.
    pub fn feed_monitors(&self, line: &[u8]) {
        for (_, queue) in &lock(&self.state).monitors {
            queue.push(line.to_vec());
        }
    }

    fn detach(&self, id: u64) {
        let mut state = lock(&self.state);
        state.subs.retain(|s| s.id != id);
        state.monitors.retain(|(m, _)| *m != id);
        self.monitoring
            .store(state.monitors.len(), Ordering::SeqCst);
    }

    /// Delivers `payload` on `channel`; returns the receiver count PUBLISH
    /// answers.
    pub fn publish(&self, channel: &[u8], payload: &[u8]) -> i64 {
        let state = lock(&self.state);
        let mut receivers = 0;
        for sub in &state.subs {
            if sub.channels.iter().any(|c| c == channel) {
                receivers += 1;
                sub.queue.push(PubSubEvent::Message {
                    channel: channel.to_vec(),
                    payload: payload.to_vec(),
                });
            }
            for pattern in &sub.patterns {
                if glob::matches(pattern, channel) {
                    receivers += 1;
                    sub.queue.push(PubSubEvent::PMessage {
                        pattern: pattern.clone(),
                        channel: channel.to_vec(),
                        payload: payload.to_vec(),
                    });
                }
            }
        }
        receivers
    }

    /// Live subscriptions (for tests and metrics).
    pub fn subscriptions(&self) -> usize {
        lock(&self.state).subs.len()
    }
}

/// One in-process subscription or monitor; dropping it unsubscribes.
#[derive(Debug)]
pub struct Receiver<T> {
    broker: Arc<Broker>,
    id: u64,
    queue: Arc<Queue<T>>,
}

/// An in-process subscription: pub/sub events.
pub type EngineSubscription = Receiver<PubSubEvent>;

/// An in-process monitor: one line per command, as Redis prints them.
pub type EngineMonitor = Receiver<Vec<u8>>;

impl<T> Receiver<T> {
    /// The next event: `Some(Err(Lagged))` once if the subscriber fell too
    /// far behind, then `None` for good.
    pub fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, Lagged>>> {
        let mut q = lock(&self.queue.state);
        if q.finished {
            return Poll::Ready(None);
        }
        if q.lagged {
            q.finished = true;
            q.items.clear();
            drop(q);
            self.broker.detach(self.id);
            return Poll::Ready(Some(Err(Lagged)));
        }
        if let Some(event) = q.items.pop_front() {
            return Poll::Ready(Some(Ok(event)));
        }
        q.waker = Some(cx.waker().clone());
        Poll::Pending
    }

    /// Waits for the next item (see [`Receiver::poll_next`]).
    pub async fn next(&mut self) -> Option<Result<T, Lagged>> {
        poll_fn(|cx| self.poll_next(cx)).await
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        self.broker.detach(self.id);
    }
}

/// A MONITOR line as Redis 7 prints it: `<secs>.<micros> [0 <client>]`
/// and each argument quoted with Redis's escaping (`sdscatrepr`).
pub fn monitor_line(now_ms: u64, client: &str, parts: &[Vec<u8>]) -> Vec<u8> {
    let mut out = format!(
        "{}.{:06} [0 {client}]",
        now_ms / 1000,
        (now_ms % 1000) * 1000
    )
    .into_bytes();
    for part in parts {
        out.extend_from_slice(b" \"");
        for &b in part {
            match b {
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'"' => out.extend_from_slice(b"\\\""),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0x07 => out.extend_from_slice(b"\\a"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x20..=0x7e => out.push(b),
                _ => out.extend_from_slice(format!("\\x{b:02x}").as_bytes()),
            }
        }
        out.push(b'"');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poll<T>(sub: &mut Receiver<T>) -> Poll<Option<Result<T, Lagged>>> {
        sub.poll_next(&mut Context::from_waker(Waker::noop()))
    }

    fn msg(channel: &str, payload: &str) -> PubSubEvent {
        PubSubEvent::Message {
            channel: channel.as_bytes().to_vec(),
            payload: payload.as_bytes().to_vec(),
        }
    }

    #[test]
    fn delivers_and_counts_like_redis() {
        let broker = Arc::new(Broker::default());
        let mut a = broker.subscribe(vec![b"news".to_vec(), b"news".to_vec()], vec![]);
        let mut b = broker.subscribe(vec![], vec![b"n*".to_vec(), b"*s".to_vec()]);
        assert_eq!(broker.publish(b"news", b"hi"), 3);
        assert_eq!(broker.publish(b"other", b"x"), 0);
        assert_eq!(
            poll(&mut a),
            Poll::Ready(Some(Ok(PubSubEvent::Subscribe {
                channel: b"news".to_vec(),
                count: 1
            })))
        );
        assert_eq!(poll(&mut a), Poll::Ready(Some(Ok(msg("news", "hi")))));
        assert_eq!(poll(&mut a), Poll::Pending);
        assert!(matches!(
            poll(&mut b),
            Poll::Ready(Some(Ok(PubSubEvent::PSubscribe { count: 1, .. })))
        ));
        assert!(matches!(
            poll(&mut b),
            Poll::Ready(Some(Ok(PubSubEvent::PSubscribe { count: 2, .. })))
        ));
        assert!(matches!(
            poll(&mut b),
            Poll::Ready(Some(Ok(PubSubEvent::PMessage { pattern, .. }))) if pattern == b"n*"
        ));
        assert!(matches!(
            poll(&mut b),
            Poll::Ready(Some(Ok(PubSubEvent::PMessage { pattern, .. }))) if pattern == b"*s"
        ));
        drop(a);
        assert_eq!(broker.subscriptions(), 1);
        assert_eq!(broker.publish(b"news", b"again"), 2);
    }

    #[test]
    fn monitors_get_redis_formatted_lines_until_dropped() {
        let broker = Arc::new(Broker::default());
        assert!(!broker.is_monitored());
        let mut m = broker.monitor();
        assert!(broker.is_monitored());
        let line = monitor_line(
            1_700_000_000_123,
            "memory",
            &[b"SET".to_vec(), b"k\"\\\n\x01".to_vec()],
        );
        assert_eq!(
            String::from_utf8(line.clone()).unwrap(),
            r#"1700000000.123000 [0 memory] "SET" "k\"\\\n\x01""#
        );
        broker.feed_monitors(&line);
        assert_eq!(poll(&mut m), Poll::Ready(Some(Ok(line))));
        drop(m);
        assert!(!broker.is_monitored());
    }

    #[test]
    fn a_slow_subscriber_is_cut_off_once() {
        let broker = Arc::new(Broker::default());
        let mut s = broker.subscribe(vec![b"c".to_vec()], vec![]);
        for _ in 0..=MAX_QUEUED {
            broker.publish(b"c", b"m");
        }
        assert_eq!(poll(&mut s), Poll::Ready(Some(Err(Lagged))));
        assert_eq!(poll(&mut s), Poll::Ready(None));
        assert_eq!(poll(&mut s), Poll::Ready(None));
        assert_eq!(broker.subscriptions(), 0);
        assert_eq!(broker.publish(b"c", b"m"), 0);
    }
}
