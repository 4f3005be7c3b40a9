//! The client: one handle bundling configuration, transport,
//! read-your-writes and retries, and the batches built from it.
//!
//! Layout, one job per file:
//! - `mod.rs`: [`Client`] itself: construction, workspace scoping (every
//!   command passes through its [`Namespace`] in `Client::scope` on the way
//!   out, every reply through `Client::unscope` on the way back;
//!   [`Client::unscoped`] is the one, deliberately named, way around it),
//!   and single commands ([`Client::exec`], [`Client::exec_once`]).
//! - `send.rs`: the send loop every request takes (sync token, timing,
//!   metrics, retries) and the one error epilogue (`Client::failed`).
//! - `batch.rs`: [`Batch`] (pipelines and transactions), [`SlotRef`],
//!   [`Results`].
//! - `sync_token.rs`: the monotonic read-your-writes token.
//! - `subscribe.rs`: SUBSCRIBE / PSUBSCRIBE entry points.
//!
//! Must not: know the platform (the transport does), the shape of
//! individual commands (the commands module does) or where their keys are
//! (the namespace does).

mod batch;
mod send;
mod subscribe;
mod sync_token;

use std::sync::Arc;

pub use batch::{Batch, Results, SlotRef};

use crate::commands::Commands;
use crate::config::{Config, RetryPolicy};
use crate::error::{Error, Result};
use crate::metrics::Metrics;
use crate::mock::Engine;
use crate::namespace::{Namespace, ReplyKeys};
use crate::protocol::{
    decode_single, encode_single, is_read_only, Command, Endpoint, FromValue, Value,
};
use crate::transport::{BoxFuture, MaybeSend, MockTransport, Transport};
use sync_token::SyncToken;

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

/// What every clone and workspace handle of one client shares.
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

    /// The one constructor: announces mock mode once, loudly (a warning and
    /// a metric), since nothing it stores is persisted or shared.
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

    /// Strips the workspace prefix from the key names in a reply (KEYS,
    /// SCAN, ...), as [`Client::scope`] said where they are.
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

    /// Runs one command and returns its raw reply.
    pub async fn exec(&self, command: Command) -> Result<Value> {
        let name = command.upper_name();
        self.metrics().record_command(&name);
        let outcome = async {
            let (command, reply) = self.scope(command)?;
            let request = encode_single(&command)?;
            let value = self
                .send_with_retry(&request, &name, is_read_only(&name), |resp| {
                    decode_single(resp.status, &resp.body, &name)
                })
                .await?;
            Ok(self.unscope(reply, value))
        };
        outcome.await.map_err(|e| self.failed(&name, e))
    }

    /// Runs one command once, without retries, whatever the configured
    /// policy: for probes (health and readiness), which must answer within
    /// one request timeout instead of the whole backoff. Counted in the
    /// metrics like any command; not passed through the namespace (a probe
    /// is a server command).
    pub async fn exec_once(&self, command: Command) -> Result<Value> {
        let name = command.upper_name();
        self.metrics().record_command(&name);
        let outcome = async {
            let request = encode_single(&command)?;
            self.send_with_policy(&request, &name, true, RetryPolicy::none(), |resp| {
                decode_single(resp.status, &resp.body, &name)
            })
            .await
        };
        outcome.await.map_err(|e| self.failed(&name, e))
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

    /// Waits `duration` of wall-clock time on the platform's timer, even on
    /// the embedded engine (unlike [`Client::sleep`]): for waits on time
    /// itself, such as a rate-limit window ending. Fails only on a wasm32
    /// build without a host timer (no feature `worker` or `wasm`).
    pub(crate) async fn wait_for(&self, duration: std::time::Duration) -> Result<()> {
        crate::transport::platform_sleep(duration).await
    }

    /// Sets the read-your-writes token (it only moves forward).
    pub fn set_sync_token(&self, token: &str) {
        self.inner.sync.observe(Some(token));
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

// Native futures must be Send so they run on multi-threaded runtimes.
// Checked at compile time, on every target: `MaybeSend` is `Send` natively.
const _: fn() = || {
    fn assert_send<T: MaybeSend>(_: T) {}
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
}
