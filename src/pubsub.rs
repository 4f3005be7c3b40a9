//! Subscriptions: [`Client::subscribe`](crate::Client::subscribe) and
//! [`Client::psubscribe`](crate::Client::psubscribe) as an async
//! [`Stream`] of [`Message`]s over the Upstash server-sent-events endpoints.
//!
//! Owns: turning a streaming response into messages: SSE framing under a
//! line bound ([`SubscribeOptions::max_line_len`]), the pub/sub event text
//! (the transports ask for base64 fields with edgestash's opt-in
//! `Edgestash-Stream-Encoding: base64`; edgestash-server echoes it and
//! payloads are then binary-safe, while Upstash ignores it and sends its
//! plain text, which is read as such),
//! waiting for the subscription confirmations before `subscribe` returns,
//! and the workspace namespace (channels and patterns prefixed on the way
//! out, the prefix stripped from received names).
//!
//! Failure model: the stream never stalls silently. When the connection
//! drops, the server stops or goes silent for longer than
//! [`SubscribeOptions::idle_timeout`] (60 s by default; the server sends
//! keepalives), or a line passes the bound, the stream yields
//! one `Err` and then ends. There is no automatic resubscribe: Redis
//! pub/sub keeps no history, so a silent reconnect would hide lost
//! messages; the caller decides (subscribe again, resync state).
//! Unsubscribing is dropping the [`Subscription`]: that ends the HTTP
//! request, and the server drops its Redis subscription.
//!
//! Must not: know the platform (the transport's [`ByteStream`] does).

use std::collections::VecDeque;
use std::future::poll_fn;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

pub use futures_core::Stream;

use crate::error::{Error, Result, StreamErrorKind};
use crate::namespace::Namespace;
use crate::protocol::pubsub::{parse, PubSubEvent, StreamKind};
use crate::protocol::sse::{SseDecoder, DEFAULT_MAX_LINE_LEN};
use crate::transport::{BoxFuture, ByteStream, Transport, STREAM_IDLE_TIMEOUT};

/// How a subscription reads its stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SubscribeOptions {
    /// The longest line (and event) accepted, in bytes; past it the stream
    /// fails with [`StreamErrorKind::LineTooLong`]. With base64 fields a
    /// message takes about 4/3 of its size plus the channel name.
    pub max_line_len: usize,
    /// How long the stream may stay silent (not even a keepalive) before it
    /// fails with a timeout error; keep it well above the server's
    /// keepalive interval (15 s for edgestash-server).
    pub idle_timeout: Duration,
}

impl Default for SubscribeOptions {
    fn default() -> Self {
        Self {
            max_line_len: DEFAULT_MAX_LINE_LEN,
            idle_timeout: STREAM_IDLE_TIMEOUT,
        }
    }
}

impl SubscribeOptions {
    /// Sets [`SubscribeOptions::max_line_len`].
    pub fn max_line_len(mut self, bytes: usize) -> Self {
        self.max_line_len = bytes;
        self
    }

    /// Sets [`SubscribeOptions::idle_timeout`].
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }
}

/// One published message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Message {
    /// The channel it was published on (without the workspace prefix).
    pub channel: Vec<u8>,
    /// For a pattern subscription, the pattern that matched (as given to
    /// [`Client::psubscribe`](crate::Client::psubscribe)).
    pub pattern: Option<Vec<u8>>,
    /// The published bytes, exactly.
    pub payload: Vec<u8>,
}

impl Message {
    /// The payload as UTF-8 text, if it is.
    pub fn payload_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.payload).ok()
    }

    /// The channel as UTF-8 text, if it is.
    pub fn channel_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.channel).ok()
    }
}

type Pending = BoxFuture<'static, (ByteStream, Option<Result<Vec<u8>>>)>;

/// A live subscription: a [`Stream`] of messages. Drop it to unsubscribe.
///
/// Also usable without stream combinators through [`Subscription::next`].
pub struct Subscription {
    source: Option<ByteStream>,
    reading: Option<Pending>,
    decoder: SseDecoder,
    events: VecDeque<Vec<u8>>,
    early: VecDeque<Message>,
    base64: bool,
    namespace: Option<Arc<Namespace>>,
    /// An error to report once the events before it are delivered.
    failed: Option<Error>,
    done: bool,
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// Opens a subscription and waits until the server confirmed every channel
/// or pattern, so a message published after this returns is delivered.
pub(crate) async fn open(
    transport: &Transport,
    namespace: Option<Arc<Namespace>>,
    kind: StreamKind,
    targets: Vec<Vec<u8>>,
    options: SubscribeOptions,
) -> Result<Subscription> {
    let label = match kind {
        StreamKind::PSubscribe => "PSUBSCRIBE",
        _ => "SUBSCRIBE",
    };
    let scoped: Vec<Vec<u8>> = match (&namespace, kind) {
        (Some(ns), StreamKind::PSubscribe) => targets.iter().map(|p| ns.scope_pattern(p)).collect(),
        (Some(ns), _) => targets.iter().map(|c| ns.scope_channel(c)).collect(),
        (None, _) => targets,
    };
    let mut unique = scoped.clone();
    crate::sorting::sort(&mut unique);
    unique.dedup();
    let source = transport
        .open_stream(kind, &scoped, options.idle_timeout)
        .await?;
    let mut sub = Subscription {
        base64: source.base64,
        source: Some(source),
        reading: None,
        decoder: SseDecoder::new(options.max_line_len),
        events: VecDeque::new(),
        early: VecDeque::new(),
        namespace,
        failed: None,
        done: false,
    };
    let mut confirmed: Vec<Vec<u8>> = Vec::with_capacity(unique.len());
    while confirmed.len() < unique.len() {
        match poll_fn(|cx| sub.poll_event(cx)).await {
            Some(Ok(PubSubEvent::Subscribe { channel: t, .. }))
            | Some(Ok(PubSubEvent::PSubscribe { pattern: t, .. })) => {
                if unique.contains(&t) && !confirmed.contains(&t) {
                    confirmed.push(t);
                }
            }
            Some(Ok(event)) => {
                if let Some(m) = sub.message(event) {
                    sub.early.push_back(m);
                }
            }
            Some(Err(e)) => return Err(e.with_command(label)),
            None => {
                return Err(Error::Stream {
                    reason: StreamErrorKind::Closed,
                })
            }
        }
    }
    Ok(sub)
}

impl Subscription {
    /// The next message; `None` after the stream ended (an `Err` comes first).
    pub async fn next(&mut self) -> Option<Result<Message>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Ends the stream for good: the HTTP request is dropped now.
    fn finish(&mut self) {
        self.done = true;
        self.reading = None;
        self.source = None;
        self.events.clear();
    }

    fn fail(&mut self, error: Error) -> Poll<Option<Result<PubSubEvent>>> {
        self.finish();
        Poll::Ready(Some(Err(error)))
    }

    /// The next raw event from the stream.
    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<PubSubEvent>>> {
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            while let Some(data) = self.events.pop_front() {
                match parse(&data, self.base64) {
                    Ok(Some(event)) => return Poll::Ready(Some(Ok(event))),
                    Ok(None) => continue,
                    Err(e) => {
                        return self.fail(Error::Stream {
                            reason: StreamErrorKind::Malformed(e.0),
                        })
                    }
                }
            }
            if let Some(e) = self.failed.take() {
                return self.fail(e);
            }
            if self.reading.is_none() {
                let Some(mut source) = self.source.take() else {
                    self.finish();
                    return Poll::Ready(None);
                };
                self.reading = Some(Box::pin(async move {
                    let chunk = source.next_chunk().await;
                    (source, chunk)
                }));
            }
            let Some(reading) = self.reading.as_mut() else {
                continue;
            };
            let (source, chunk) = match reading.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(out) => out,
            };
            self.reading = None;
            self.source = Some(source);
            match chunk {
                Some(Ok(bytes)) => {
                    let mut out = Vec::new();
                    let fed = self.decoder.feed(&bytes, &mut out);
                    self.events.extend(out);
                    if let Err(too_long) = fed {
                        // Events completed before the long line are
                        // delivered first; the request ends now.
                        self.source = None;
                        self.failed = Some(Error::Stream {
                            reason: StreamErrorKind::LineTooLong { max: too_long.max },
                        });
                    }
                }
                Some(Err(e)) => return self.fail(e),
                None => {
                    return self.fail(Error::Stream {
                        reason: StreamErrorKind::Closed,
                    })
                }
            }
        }
    }

    /// A message event as the caller sees it; `None` for confirmations and
    /// for names outside this handle's workspace.
    fn message(&self, event: PubSubEvent) -> Option<Message> {
        let (pattern, channel, payload) = match event {
            PubSubEvent::Message { channel, payload } => (None, channel, payload),
            PubSubEvent::PMessage {
                pattern,
                channel,
                payload,
            } => (Some(pattern), channel, payload),
            _ => return None,
        };
        match &self.namespace {
            None => Some(Message {
                channel,
                pattern,
                payload,
            }),
            Some(ns) => {
                let channel = ns.unscope_channel(&channel)?.to_vec();
                let pattern = match pattern {
                    Some(p) => Some(ns.unscope_pattern(&p)?.to_vec()),
                    None => None,
                };
                Some(Message {
                    channel,
                    pattern,
                    payload,
                })
            }
        }
    }
}

impl Stream for Subscription {
    type Item = Result<Message>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(m) = this.early.pop_front() {
            return Poll::Ready(Some(Ok(m)));
        }
        loop {
            match this.poll_event(cx) {
                Poll::Ready(Some(Ok(event))) => {
                    if let Some(m) = this.message(event) {
                        return Poll::Ready(Some(Ok(m)));
                    }
                }
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::commands::PubSubCommands;
    use crate::mock::Engine;
    use crate::Client;

    fn engine() -> Arc<Engine> {
        Arc::new(Engine::new(Arc::new(ManualClock::new(0))))
    }

    #[tokio::test]
    async fn messages_arrive_exactly_through_the_mock_transport() {
        let e = engine();
        let client = Client::with_engine(e.clone());
        let mut sub = client.subscribe(["news", "other"]).await.unwrap();
        let mut psub = client.psubscribe(["n*"]).await.unwrap();
        let payload: &[u8] = b"a,b\r\n\n\xff\0";
        assert_eq!(client.publish("news", payload).await.unwrap(), 2);
        let m = sub.next().await.unwrap().unwrap();
        assert_eq!(
            (m.channel.as_slice(), m.payload.as_slice()),
            (&b"news"[..], payload)
        );
        assert_eq!(m.pattern, None);
        let m = psub.next().await.unwrap().unwrap();
        assert_eq!(m.pattern.as_deref(), Some(&b"n*"[..]));
        assert_eq!(m.payload, payload);
        drop(sub);
        drop(psub);
        assert_eq!(e.subscriptions(), 0);
        assert_eq!(client.publish("news", "x").await.unwrap(), 0);
    }

    #[tokio::test]
    async fn workspaces_see_only_their_channels() {
        let e = engine();
        let root = Client::with_engine(e);
        let a = root.workspace("a").unwrap();
        let b = root.workspace("b").unwrap();
        let mut sa = a.subscribe(["ch"]).await.unwrap();
        let mut pa = a.psubscribe(["*"]).await.unwrap();
        assert_eq!(b.publish("ch", "for b").await.unwrap(), 0);
        assert_eq!(a.publish("ch", "for a").await.unwrap(), 2);
        let m = sa.next().await.unwrap().unwrap();
        assert_eq!(
            (m.channel_str(), m.payload_str()),
            (Some("ch"), Some("for a"))
        );
        let m = pa.next().await.unwrap().unwrap();
        assert_eq!(m.pattern.as_deref(), Some(&b"*"[..]));
        assert_eq!(
            (m.channel_str(), m.payload_str()),
            (Some("ch"), Some("for a"))
        );
    }

    #[tokio::test]
    async fn a_long_line_is_a_typed_error_then_the_end() {
        let client = Client::with_engine(engine());
        let mut sub = client
            .subscribe_with(["c"], SubscribeOptions::default().max_line_len(64))
            .await
            .unwrap();
        client.publish("c", "short").await.unwrap();
        client.publish("c", vec![b'x'; 100]).await.unwrap();
        assert_eq!(
            sub.next().await.unwrap().unwrap().payload_str(),
            Some("short")
        );
        assert_eq!(
            sub.next().await,
            Some(Err(Error::Stream {
                reason: StreamErrorKind::LineTooLong { max: 64 }
            }))
        );
        assert_eq!(sub.next().await, None);
    }

    #[tokio::test]
    async fn bad_names_are_refused_before_sending() {
        let client = Client::with_engine(engine());
        let none: [&str; 0] = [];
        assert!(matches!(
            client.subscribe(none).await,
            Err(Error::InvalidRequest { .. })
        ));
        assert!(matches!(
            client.subscribe([".."]).await,
            Err(Error::InvalidRequest { .. })
        ));
    }
}
