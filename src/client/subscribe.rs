//! Subscriptions from a client handle: SUBSCRIBE and PSUBSCRIBE over the
//! Upstash SSE endpoints, confined to the handle's workspace if it has one.
//!
//! Owns: the client-side entry (metrics, error epilogue). Must not: parse
//! events or hold the stream (see [`crate::pubsub`]).

use crate::error::Result;
use crate::protocol::pubsub::StreamKind;
use crate::pubsub::{SubscribeOptions, Subscription};

use super::Client;

impl Client {
    /// Subscribes to `channels` (SUBSCRIBE over the Upstash SSE endpoint);
    /// returns once every channel is confirmed, as a stream of messages.
    /// On a workspace handle the channels are the workspace's own. Drop
    /// the subscription to unsubscribe. See [`crate::pubsub`] for the
    /// failure model (an error item, then the end; no silent stall).
    pub async fn subscribe<C: AsRef<[u8]>>(
        &self,
        channels: impl IntoIterator<Item = C>,
    ) -> Result<Subscription> {
        self.subscribe_with(channels, SubscribeOptions::default())
            .await
    }

    /// [`Client::subscribe`] with options (the line bound).
    pub async fn subscribe_with<C: AsRef<[u8]>>(
        &self,
        channels: impl IntoIterator<Item = C>,
        options: SubscribeOptions,
    ) -> Result<Subscription> {
        self.open_stream(StreamKind::Subscribe, channels, options)
            .await
    }

    /// Subscribes to channels matching the glob `patterns` (PSUBSCRIBE);
    /// messages carry the pattern that matched. On a workspace handle the
    /// patterns match only the workspace's channels.
    pub async fn psubscribe<P: AsRef<[u8]>>(
        &self,
        patterns: impl IntoIterator<Item = P>,
    ) -> Result<Subscription> {
        self.psubscribe_with(patterns, SubscribeOptions::default())
            .await
    }

    /// [`Client::psubscribe`] with options (the line bound).
    pub async fn psubscribe_with<P: AsRef<[u8]>>(
        &self,
        patterns: impl IntoIterator<Item = P>,
        options: SubscribeOptions,
    ) -> Result<Subscription> {
        self.open_stream(StreamKind::PSubscribe, patterns, options)
            .await
    }

    /// Both kinds of subscription: counted like a command, opened by
    /// [`crate::pubsub::open`] with this handle's namespace.
    async fn open_stream<T: AsRef<[u8]>>(
        &self,
        kind: StreamKind,
        targets: impl IntoIterator<Item = T>,
        options: SubscribeOptions,
    ) -> Result<Subscription> {
        let name = kind.segment().to_ascii_uppercase();
        self.metrics().record_command(&name);
        let targets = targets.into_iter().map(|t| t.as_ref().to_vec()).collect();
        crate::pubsub::open(
            &self.inner.transport,
            self.namespace.clone(),
            kind,
            targets,
            options,
        )
        .await
        .map_err(|e| self.failed(&name, e))
    }
}
