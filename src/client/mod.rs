//! The client: configuration, transport, read-your-writes and retries in one
//! handle, and the batches (pipelines, transactions) built from it.
//!
//! Owns: the single path every request takes (`send_with_retry`), so policy
//! (retries, sync token, and later namespacing and metrics) lives in one
//! place. Must not: know the platform (the transport does) or the shape of
//! individual commands (the commands module does; the namespace knows
//! where their keys are).
//!
//! A workspace handle ([`Client::workspace`]) passes every command through
//! its [`Namespace`] in [`Client::scope`], on the way to `send_with_retry`,
//! and every reply back through it; [`Client::unscoped`] is the one,
//! deliberately named, way around it.

use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::clock::Stopwatch;
use crate::commands::Commands;
use crate::config::{Config, RetryPolicy};
use crate::error::{Error, Result};
use crate::metrics::Metrics;
use crate::mock::Engine;
use crate::namespace::{Namespace, ReplyKeys};
use crate::protocol::pubsub::StreamKind;
use crate::protocol::{
    decode_multi_exec, decode_pipeline, decode_single, encode_batch, encode_single, is_read_only,
    Command, Endpoint, FromValue, Slot, Value, WireRequest,
};
use crate::pubsub::{SubscribeOptions, Subscription};
use crate::transport::{BoxFuture, MockTransport, Transport, WireResponse};

/// A handle to Redis over the REST protocol. Cheap to clone; clones share
/// the connection pool and the read-your-writes token.
///
/// A handle may be scoped to a workspace ([`Client::workspace`]): it then
/// shares the connection and token with its parent but every command it
/// sends, alone, in a pipeline or in a transaction, is confined to the
/// workspace's keys.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
    namespace: Option<Arc<Namespace>>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    transport: Transport,
    sync: SyncToken,
    metrics: Metrics,
}

impl Client {
    /// Builds a client from a validated configuration.
    pub fn new(config: Config) -> Result<Self> {
        let transport = Transport::from_config(&config)?;
        Ok(Self::with_transport(config, transport))
    }

    /// A client on the embedded engine `engine`, e.g. one driven by a
    /// [`ManualClock`](crate::clock::ManualClock) in tests, or shared with
    /// other clients. Validation of `MOCK_REDIS` does not apply: the caller
    /// chose the engine explicitly.
    pub fn with_engine(engine: Arc<Engine>) -> Self {
        Self::with_transport(Config::mock(), Transport::Mock(MockTransport::new(engine)))
    }

    fn with_transport(config: Config, transport: Transport) -> Self {
        let metrics = Metrics::default();
        if matches!(transport, Transport::Mock(_)) {
            metrics.record_mock_activation();
            tracing::warn!(
                "mock mode: commands run on the in-memory engine (MOCK_REDIS); nothing is persisted or shared"
            );
        }
        Self {
            inner: Arc::new(Inner {
                sync: SyncToken::new(config.read_your_writes),
                config,
                transport,
                metrics,
            }),
            namespace: None,
        }
    }

    /// A handle confined to workspace `id` (keys prefixed `ws:<id>:`),
    /// sharing this client's connection, configuration and read-your-writes
    /// token. Commands without a key spec, whole-database and server
    /// commands, and unregistered scripts are refused with
    /// [`Error::Namespace`] before anything is sent.
    ///
    /// Fails for an invalid id, and on a handle that is already scoped: a
    /// workspace must not be able to switch to another one.
    pub fn workspace(&self, id: &str) -> Result<Self> {
        self.with_namespace(Namespace::workspace(id)?)
    }

    /// Like [`Client::workspace`] with a namespace built by the caller (e.g.
    /// with its own script allow-list).
    pub fn with_namespace(&self, namespace: Namespace) -> Result<Self> {
        if self.namespace.is_some() {
            return Err(Error::namespace(
                None,
                crate::error::NamespaceRefusal::AlreadyScoped,
            ));
        }
        Ok(Self {
            inner: self.inner.clone(),
            namespace: Some(Arc::new(namespace)),
        })
    }

    /// ESCAPE HATCH: a handle on the whole database, without the workspace
    /// namespace, sharing the connection and token. For admin code only;
    /// every call is worth a look in review.
    pub fn unscoped(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            namespace: None,
        }
    }

    /// The namespace this handle is confined to, if any.
    pub fn namespace(&self) -> Option<&Namespace> {
        self.namespace.as_deref()
    }

    /// The one place commands enter the namespace: rewritten (or refused)
    /// here, and their replies un-prefixed by [`Client::unscope`].
    fn scope(&self, command: Command) -> Result<(Command, ReplyKeys)> {
        match &self.namespace {
            None => Ok((command, ReplyKeys::None)),
            Some(ns) => ns.scope(command).map(|s| (s.command, s.reply)),
        }
    }

    fn unscope(&self, reply: ReplyKeys, value: Value) -> Value {
        match &self.namespace {
            Some(ns) => ns.unscope_reply(reply, value),
            None => value,
        }
    }

    /// The live counters of this client and its clones.
    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// Builds a client from the environment (see [`Config::from_lookup`]).
    pub fn from_env() -> Result<Self> {
        Self::new(Config::from_env()?)
    }

    /// The configuration this client was built with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// `redis` or `mock`: where commands run.
    pub fn mode_label(&self) -> &'static str {
        self.inner.transport.mode_label()
    }

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

    async fn open_stream<T: AsRef<[u8]>>(
        &self,
        kind: StreamKind,
        targets: impl IntoIterator<Item = T>,
        options: SubscribeOptions,
    ) -> Result<Subscription> {
        let name = kind.segment().to_ascii_uppercase();
        let metrics = &self.inner.metrics;
        metrics.record_command(&name);
        let targets = targets.into_iter().map(|t| t.as_ref().to_vec()).collect();
        crate::pubsub::open(
            &self.inner.transport,
            self.namespace.clone(),
            kind,
            targets,
            options,
        )
        .await
        .map_err(|e| {
            metrics.record_error(e.kind_label());
            e.with_command(&name)
        })
    }

    /// Runs one command and returns its raw reply.
    pub async fn exec(&self, command: Command) -> Result<Value> {
        let name = command.upper_name();
        let metrics = &self.inner.metrics;
        metrics.record_command(&name);
        let outcome = match self.scope(command) {
            Ok((command, reply)) => match encode_single(&command) {
                Ok(request) => self
                    .send_with_retry(&request, &name, is_read_only(&name), |resp| {
                        decode_single(resp.status, &resp.body, &name)
                    })
                    .await
                    .map(|value| self.unscope(reply, value)),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        outcome.map_err(|e| {
            metrics.record_error(e.kind_label());
            e.with_command(&name)
        })
    }

    /// Runs one command once, without retries, whatever the configured
    /// policy: for probes (health and readiness), which must answer within
    /// one request timeout instead of the whole backoff. Counted in the
    /// metrics like any command; not passed through the namespace (a probe
    /// is a server command).
    pub async fn exec_once(&self, command: Command) -> Result<Value> {
        let name = command.upper_name();
        let metrics = &self.inner.metrics;
        metrics.record_command(&name);
        let outcome = match encode_single(&command) {
            Ok(request) => {
                self.send_with_policy(&request, &name, true, RetryPolicy::none(), |resp| {
                    decode_single(resp.status, &resp.body, &name)
                })
                .await
            }
            Err(e) => Err(e),
        };
        outcome.map_err(|e| {
            metrics.record_error(e.kind_label());
            e.with_command(&name)
        })
    }

    /// Runs one command and converts its reply to `T`.
    pub async fn exec_as<T: FromValue>(&self, command: Command) -> Result<T> {
        let name = command.upper_name();
        let value = self.exec(command).await?;
        T::from_value(value).map_err(|e| e.with_command(&name))
    }

    /// Starts a pipeline: commands sent together to `/pipeline`, not atomic.
    pub fn pipeline(&self) -> Batch {
        Batch::new(self.clone(), Endpoint::Pipeline)
    }

    /// Starts a transaction: commands sent together to `/multi-exec` and run
    /// in one MULTI/EXEC.
    pub fn multi(&self) -> Batch {
        Batch::new(self.clone(), Endpoint::MultiExec)
    }

    /// The newest read-your-writes token seen, to carry consistency to
    /// another client with [`Client::set_sync_token`].
    pub fn sync_token(&self) -> Option<String> {
        self.inner.sync.get()
    }

    /// Waits `duration` with the platform's timer (no wait on the embedded
    /// engine, whose state only changes through commands): for helpers
    /// such as the cache that poll briefly instead of failing.
    pub async fn sleep(&self, duration: std::time::Duration) {
        self.inner.transport.sleep(duration).await;
    }

    /// Sets the read-your-writes token (it only moves forward).
    pub fn set_sync_token(&self, token: &str) {
        self.inner.sync.observe(Some(token));
    }

    /// Sends a request, retrying per the policy, and decodes the reply.
    ///
    /// A failure is retried when it is transient and either certainly did not
    /// reach the server, or every command only reads, or writes may be retried.
    ///
    /// Logs the label (command name, `PIPELINE` or `MULTI`), outcome and
    /// timing at debug level; never arguments, values or the token.
    async fn send_with_retry<T>(
        &self,
        request: &WireRequest,
        label: &str,
        read_only: bool,
        decode: impl Fn(&WireResponse) -> Result<T>,
    ) -> Result<T> {
        let policy = self.inner.config.retry;
        self.send_with_policy(request, label, read_only, policy, decode)
            .await
    }

    /// [`Client::send_with_retry`] with an explicit retry policy.
    async fn send_with_policy<T>(
        &self,
        request: &WireRequest,
        label: &str,
        read_only: bool,
        policy: RetryPolicy,
        decode: impl Fn(&WireResponse) -> Result<T>,
    ) -> Result<T> {
        let inner = &self.inner;
        let mut attempt = 1;
        loop {
            let token = inner.sync.get();
            let watch = Stopwatch::start();
            let outcome = match inner.transport.send(request, token.as_deref()).await {
                Ok(resp) => {
                    inner.sync.observe(resp.sync_token.as_deref());
                    let decoded = decode(&resp);
                    let micros = watch.elapsed_us();
                    inner.metrics.record_request(
                        micros,
                        request.body.len() + request.path.len(),
                        resp.body.len(),
                    );
                    tracing::debug!(
                        command = label,
                        status = resp.status,
                        micros,
                        ok = decoded.is_ok(),
                        "edgestash request"
                    );
                    decoded
                }
                Err(e) => Err(e),
            };
            match outcome {
                Err(e) if policy.allows_retry(&e, attempt, read_only) => {
                    tracing::debug!(
                        command = label,
                        attempt,
                        error = e.kind_label(),
                        "edgestash retry"
                    );
                    inner.metrics.record_retry();
                    inner.transport.sleep(policy.delay(attempt)).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// Runs `commands` as one batch; returns their upper-case names (for
    /// [`Results`]) and one slot per command. Takes the commands by value:
    /// scoping moves them instead of copying every argument.
    async fn exec_batch(
        &self,
        commands: Vec<Command>,
        endpoint: Endpoint,
    ) -> Result<(Vec<String>, Vec<Slot>)> {
        if commands.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let names: Vec<String> = commands.iter().map(Command::upper_name).collect();
        let metrics = &self.inner.metrics;
        names.iter().for_each(|n| metrics.record_command(n));
        let mut scoped = Vec::with_capacity(commands.len());
        let mut replies = Vec::with_capacity(commands.len());
        for (command, name) in commands.into_iter().zip(&names) {
            // One refused command stops the whole batch before sending.
            let (command, reply) = self.scope(command).map_err(|e| {
                metrics.record_error(e.kind_label());
                e.with_command(name)
            })?;
            scoped.push(command);
            replies.push(reply);
        }
        let request = encode_batch(&scoped, endpoint)?;
        let read_only = names.iter().all(|n| is_read_only(n));
        let label = match endpoint {
            Endpoint::MultiExec => "MULTI",
            _ => "PIPELINE",
        };
        let outcome = self
            .send_with_retry(&request, label, read_only, |resp| match endpoint {
                Endpoint::MultiExec => decode_multi_exec(resp.status, &resp.body, &names),
                _ => decode_pipeline(resp.status, &resp.body, &names),
            })
            .await;
        match &outcome {
            Ok(slots) => slots
                .iter()
                .filter_map(|s| s.as_ref().err())
                .for_each(|e| metrics.record_error(e.kind_label())),
            Err(e) => metrics.record_error(e.kind_label()),
        }
        let slots = outcome.map_err(|e| e.with_command(label))?;
        let slots = slots
            .into_iter()
            .zip(replies)
            .map(|(slot, reply)| slot.map(|value| self.unscope(reply, value)))
            .collect();
        Ok((names, slots))
    }
}

impl Commands for Client {
    type Reply<T: FromValue + Send + 'static> = BoxFuture<'static, Result<T>>;

    fn command<T: FromValue + Send + 'static>(&self, command: Command) -> Self::Reply<T> {
        let client = self.clone();
        Box::pin(async move { client.exec_as::<T>(command).await })
    }

    fn fail<T: FromValue + Send + 'static>(&self, error: Error) -> Self::Reply<T> {
        Box::pin(async move { Err(error) })
    }
}

/// The newest `upstash-sync-token`, kept monotonic under concurrent requests.
#[derive(Debug)]
struct SyncToken {
    enabled: bool,
    latest: Mutex<Option<String>>,
}

impl SyncToken {
    fn new(enabled: bool) -> Self {
        Self {
            enabled,
            latest: Mutex::new(None),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<String>> {
        // A poisoned lock only means another thread panicked mid-update of a
        // plain string; the value is still a valid token.
        self.latest.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn get(&self) -> Option<String> {
        if self.enabled {
            self.lock().clone()
        } else {
            None
        }
    }

    /// Keeps `token` if it is newer than the one held. Replies of concurrent
    /// requests arrive in any order, so an older token must never replace a
    /// newer one.
    fn observe(&self, token: Option<&str>) {
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return;
        };
        if !self.enabled {
            return;
        }
        let mut held = self.lock();
        if held.as_deref().is_none_or(|h| is_newer(token, h)) {
            *held = Some(token.to_owned());
        }
    }
}

/// Orders sync tokens: numerically when both are numbers, else by length
/// then bytes (which is numeric order for unpadded digit strings too).
fn is_newer(candidate: &str, held: &str) -> bool {
    match (candidate.parse::<u128>(), held.parse::<u128>()) {
        (Ok(c), Ok(h)) => c > h,
        _ => (candidate.len(), candidate) > (held.len(), held),
    }
}

/// Commands collected for one `/pipeline` or `/multi-exec` request.
///
/// Typed methods queue a command and hand back a [`SlotRef`] that picks its
/// typed result out of the [`Results`] after `exec`. Commands keep their
/// submission order.
#[derive(Debug)]
pub struct Batch {
    client: Client,
    endpoint: Endpoint,
    commands: Mutex<Queue>,
}

/// The queued commands, and the first error found while queueing (which
/// stops the whole batch before anything is sent).
#[derive(Debug, Default)]
struct Queue {
    commands: Vec<Command>,
    refused: Option<Error>,
}

impl Batch {
    fn new(client: Client, endpoint: Endpoint) -> Self {
        Self {
            client,
            endpoint,
            commands: Mutex::new(Queue::default()),
        }
    }

    fn queue(&self) -> MutexGuard<'_, Queue> {
        self.commands.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a raw command; its reply is a [`Value`].
    pub fn add(&self, command: Command) -> SlotRef<Value> {
        self.command(command)
    }

    /// How many commands are queued.
    pub fn len(&self) -> usize {
        self.queue().commands.len()
    }

    /// True when nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sends the batch and fails with the first command error, if any.
    ///
    /// For a transaction discarded as a whole, the error is the server's.
    pub async fn exec(self) -> Result<Results> {
        let results = self.exec_each().await?;
        if let Some(Err(e)) = results.slots.iter().flatten().find(|s| s.is_err()) {
            return Err(e.clone());
        }
        Ok(results)
    }

    /// Sends the batch and keeps each command's own outcome: a failing command
    /// fails only its slot. The call itself fails only when the request
    /// failed, or a transaction was discarded as a whole.
    pub async fn exec_each(self) -> Result<Results> {
        let Queue { commands, refused } = std::mem::take(&mut *self.queue());
        if let Some(e) = refused {
            return Err(e);
        }
        let (names, slots) = self.client.exec_batch(commands, self.endpoint).await?;
        Ok(Results {
            names,
            slots: slots.into_iter().map(Some).collect(),
        })
    }
}

impl Commands for Batch {
    type Reply<T: FromValue + Send + 'static> = SlotRef<T>;

    fn command<T: FromValue + Send + 'static>(&self, command: Command) -> Self::Reply<T> {
        let mut queue = self.queue();
        queue.commands.push(command);
        SlotRef {
            index: queue.commands.len() - 1,
            _type: PhantomData,
        }
    }

    fn fail<T: FromValue + Send + 'static>(&self, error: Error) -> Self::Reply<T> {
        let mut queue = self.queue();
        queue.refused.get_or_insert(error);
        SlotRef {
            index: usize::MAX,
            _type: PhantomData,
        }
    }
}

/// Where a queued command's result will be, and its type.
#[derive(Debug)]
pub struct SlotRef<T> {
    index: usize,
    _type: PhantomData<fn() -> T>,
}

impl<T> SlotRef<T> {
    /// The command's position in its batch.
    pub fn index(&self) -> usize {
        self.index
    }
}

/// The outcomes of a batch, in submission order.
#[derive(Debug)]
pub struct Results {
    names: Vec<String>,
    slots: Vec<Option<Slot>>,
}

impl Results {
    /// Takes one command's typed result. Each slot can be taken once.
    pub fn take<T: FromValue>(&mut self, slot: SlotRef<T>) -> Result<T> {
        let name = self.names.get(slot.index).cloned().unwrap_or_default();
        let value = self
            .slots
            .get_mut(slot.index)
            .and_then(Option::take)
            .ok_or_else(|| {
                Error::invalid_request(
                    Some(&name),
                    "result slot already taken or not in this batch",
                )
            })??;
        T::from_value(value).map_err(|e| e.with_command(&name))
    }

    /// All outcomes as raw values, in order (taken slots are left out).
    pub fn into_slots(self) -> Vec<Slot> {
        self.slots.into_iter().flatten().collect()
    }

    /// How many commands the batch had.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True for an empty batch.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

// Native futures must be Send so they run on multi-threaded runtimes.
#[cfg(not(target_arch = "wasm32"))]
const _: fn() = || {
    fn assert_send<T: Send>(_: T) {}
    fn check(c: &Client) {
        assert_send(c.exec(Command::new("PING")));
        assert_send(c.pipeline().exec());
    }
    let _ = check;
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::commands::{KeyCommands, StringCommands};
    use crate::error::NamespaceRefusal;

    fn engine_client() -> Client {
        Client::with_engine(Arc::new(Engine::new(Arc::new(ManualClock::new(0)))))
    }

    #[tokio::test]
    async fn workspaces_share_the_engine_but_not_keys() {
        let root = engine_client();
        let a = root.workspace("a").unwrap();
        let b = root.workspace("b").unwrap();
        a.set("k", "from-a").await.unwrap();
        b.set("k", "from-b").await.unwrap();
        assert_eq!(a.get_string("k").await.unwrap().as_deref(), Some("from-a"));
        assert_eq!(b.get_string("k").await.unwrap().as_deref(), Some("from-b"));
        let admin = a.unscoped();
        assert_eq!(
            admin.get_string("ws:a:k").await.unwrap().as_deref(),
            Some("from-a")
        );
        assert_eq!(admin.get_string("k").await.unwrap(), None);
        assert_eq!(b.del(["k"]).await.unwrap(), 1);
        assert_eq!(a.get_string("k").await.unwrap().as_deref(), Some("from-a"));
    }

    #[tokio::test]
    async fn batches_are_scoped_and_refusals_stop_them_before_sending() {
        let root = engine_client();
        let a = root.workspace("a").unwrap();
        for batch in [a.pipeline(), a.multi()] {
            let set = batch.set("p", "1");
            let get = batch.get_string("p");
            let mut results = batch.exec().await.unwrap();
            results.take(set).unwrap();
            assert_eq!(results.take(get).unwrap().as_deref(), Some("1"));
        }
        assert_eq!(
            root.get_string("ws:a:p").await.unwrap().as_deref(),
            Some("1")
        );

        let batch = a.pipeline();
        let _ = batch.set("q", "1");
        let _ = batch.add(Command::new("FLUSHALL"));
        let err = batch.exec().await.unwrap_err();
        assert_eq!(err.namespace_refusal(), Some(NamespaceRefusal::Forbidden));
        assert_eq!(
            root.get_string("ws:a:q").await.unwrap(),
            None,
            "nothing sent"
        );

        let err = a.exec(Command::new("FLUSHALL")).await.unwrap_err();
        assert_eq!(err.namespace_refusal(), Some(NamespaceRefusal::Forbidden));
        assert_eq!(
            root.get_string("ws:a:p").await.unwrap().as_deref(),
            Some("1")
        );
    }

    #[test]
    fn a_workspace_cannot_switch_workspace() {
        let root = engine_client();
        let a = root.workspace("a").unwrap();
        assert_eq!(
            a.workspace("b").unwrap_err().namespace_refusal(),
            Some(NamespaceRefusal::AlreadyScoped)
        );
        assert_eq!(
            root.workspace("a:b").unwrap_err().namespace_refusal(),
            Some(NamespaceRefusal::InvalidWorkspaceId)
        );
        assert!(a.unscoped().namespace().is_none());
        assert_eq!(a.namespace().map(Namespace::prefix), Some(&b"ws:a:"[..]));
    }

    #[test]
    fn sync_token_only_moves_forward() {
        let s = SyncToken::new(true);
        s.observe(Some("10"));
        s.observe(Some("9"));
        assert_eq!(s.get().as_deref(), Some("10"));
        s.observe(Some("11"));
        s.observe(Some(""));
        s.observe(None);
        assert_eq!(s.get().as_deref(), Some("11"));
        let off = SyncToken::new(false);
        off.observe(Some("5"));
        assert_eq!(off.get(), None);
        assert!(is_newer("b", "a"));
        assert!(is_newer("aa", "b"));
    }
}
