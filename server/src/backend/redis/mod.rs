//! A real Redis as the backend: one server, the primary Sentinel names
//! ([`sentinel`]), or a Cluster ([`cluster`]);
//! connecting is [`connect`]'s job.
//!
//! Owns: talking RESP2 to Redis and mapping its replies to the protocol's
//! [`Value`]. On one server, singles and pipelines share one multiplexed
//! `ConnectionManager` (auto-reconnect, so the server recovers by itself
//! when Redis comes back). Each `/multi-exec` opens a connection of its own (`dedicated.rs`)
//! for MULTI/EXEC and drops it afterwards: a transaction never shares a
//! connection, so no other request can land between its MULTI and EXEC, a
//! failed transaction can never leave a pooled connection in MULTI state,
//! and there is no stale pooled connection to discover after Redis restarts.
//! Measured (release build, loopback, 2-core machine, 2 commands per batch):
//! `/pipeline` ~135 µs per request, `/multi-exec` ~215-235 µs; a redis-rs
//! connect + PING costs ~270 µs against ~85 µs for a PING on an open
//! connection. So the fresh connection adds roughly 90 µs to a transaction,
//! paid only on `/multi-exec`, the rare path. A pool would save that but
//! could hand out a connection that died with a Redis restart, and retrying
//! on another one is unsafe (the commands may have run); revisit if
//! transactions become hot.
//!
//! A request with a blocking command (BLPOP, XREAD ... BLOCK, see
//! `edgestash::protocol::blocking`) runs on a connection of its own as
//! well, with no response timeout: Redis holds it until data arrives or the
//! command's own timeout passes, as Upstash holds the REST request, and the
//! shared connection is never stalled. The connection closes when the
//! request ends, also when the client goes away mid-wait (Redis then drops
//! the blocked client). How many can wait at once is bounded by the HTTP
//! connection cap (`--max-connections`): each holds one HTTP connection.
//! Over a Cluster, blocking commands answer an error in their slots (a
//! dedicated connection would have to follow the slot's owner; documented
//! limit). Pub/sub streams open on the `--cluster` nodes in turn.
//!
//! Must not: put the URL in errors or logs (it may hold a password), or
//! retry a request that may have run (a retried INCR applies twice).

use std::time::Duration;

use ::redis::aio::ConnectionLike;
use ::redis::{Client, Cmd, Pipeline, RedisError, Value as RValue};
use edgestash::mock::Reply;
use edgestash::protocol::blocking::blocks;
use edgestash::protocol::pubsub::StreamKind;
use edgestash::Value;

use crate::backend::Unavailable;
use crate::config::{Backend, RedisTls};
use crate::error::ServerError;
use connect::Link;
use dedicated::{dedicated_multi_exec, dedicated_pipeline};
use sentinel::SentinelLink;

pub mod cluster;
pub mod connect;
mod dedicated;
pub mod sentinel;
pub mod shebang;

use std::sync::Arc;

use shebang::Shebang;

/// How long a health probe or an INFO for the metrics may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// The reply of a blocking command over a Cluster.
const CLUSTER_BLOCKING: &str =
    "ERR blocking commands are not supported by edgestash-server over Redis Cluster";

/// Redis's text for a discarded transaction.
const EXECABORT: &str = "EXECABORT Transaction discarded because of previous errors.";

/// A connected Redis: one server, the primary Sentinel names, or a Cluster.
#[derive(Clone)]
pub struct RedisStore {
    link: Link,
    /// The shebang-flag rewrite this Redis needs (before 7.4), see [`shebang`].
    shebang: Option<Arc<Shebang>>,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RedisStore(<url redacted>)")
    }
}

impl RedisStore {
    /// Connects to `backend` (a Redis URL, Sentinel or Cluster) with the
    /// TLS files; fails when Redis is not reachable at start-up, so a
    /// mistake is reported at once instead of on the first request.
    pub async fn connect(backend: &Backend, tls: &RedisTls) -> Result<Self, ServerError> {
        let link = connect::connect(backend, tls, None).await?;
        Ok(Self::with_link(link).await)
    }

    /// Connects as ACL user `user` (AUTH user password on every
    /// connection, including reconnects and `/multi-exec`'s own), for the
    /// requests of tenant tokens. Fails at start-up when the user cannot
    /// authenticate; the error names the user, never the password.
    pub async fn connect_as(
        backend: &Backend,
        tls: &RedisTls,
        user: &str,
        password: &str,
    ) -> Result<Self, ServerError> {
        match connect::connect(backend, tls, Some((user, password))).await {
            Ok(link) => Ok(Self::with_link(link).await),
            Err(e) => Err(match ServerError::from(e) {
                ServerError::Backend(why) => {
                    ServerError::Backend(format!("as token-map user {user}: {why}"))
                }
                other => other,
            }),
        }
    }

    /// The store over `link`, with the script rewrite its Redis version
    /// needs (asked with `INFO server`; unknown: no rewrite).
    async fn with_link(link: Link) -> Self {
        let mut store = Self {
            link,
            shebang: None,
        };
        let info = match tokio::time::timeout(PROBE_TIMEOUT, store.probe("INFO")).await {
            Ok(Ok(RValue::BulkString(b))) => String::from_utf8(b).ok(),
            Ok(Ok(RValue::VerbatimString { text, .. })) => Some(text),
            _ => None,
        };
        let version = info.as_deref().and_then(shebang::version);
        store.shebang = version.and_then(Shebang::for_version).map(Arc::new);
        if store.shebang.is_some() {
            // Debug: `check` prints exactly one line on stdout.
            tracing::debug!(
                ?version,
                "redis predates some script shebang flags: they are rewritten"
            );
        }
        store
    }

    /// Runs commands as one pipeline on the shared connection: not atomic,
    /// each command with its own outcome. On a Cluster, consecutive
    /// same-slot commands travel together (see [`cluster`]).
    pub async fn pipeline(&self, cmds: &[Vec<Vec<u8>>]) -> Result<Vec<Reply>, Unavailable> {
        let blocking = cmds.iter().any(|c| blocks(c));
        if blocking && matches!(self.link, Link::Cluster(_)) {
            return self.pipeline_refusing_blocking(cmds).await;
        }
        let rewritten = self.shebang.as_ref().and_then(|s| s.outgoing(cmds));
        let cmds = rewritten.as_ref().map_or(cmds, |r| r.cmds.as_slice());
        let items = match &self.link {
            Link::Single(one) if blocking => dedicated_pipeline(&one.client, cmds).await?,
            Link::Single(one) => query_pipeline(&mut one.shared.clone(), cmds).await?,
            Link::Sentinel(s) if blocking => {
                let (generation, client) = s.client().await.map_err(unavailable)?;
                let items = dedicated_pipeline(&client, cmds).await;
                follow_failover(s, generation, &items);
                items?
            }
            Link::Sentinel(s) => {
                let (generation, mut conn) = s.shared().await.map_err(unavailable)?;
                let items = query_pipeline(&mut conn, cmds).await;
                follow_failover(s, generation, &items);
                items?
            }
            Link::Cluster(c) => {
                let items = cluster::pipeline(&mut c.routed.clone(), cmds)
                    .await
                    .map_err(unavailable)?;
                expect_len(items, cmds.len())?
            }
        };
        let mut replies: Vec<Reply> = items.into_iter().map(to_reply).collect();
        restore_loads(&mut replies, rewritten.as_ref());
        Ok(replies)
    }

    /// [`Self::pipeline`] over a Cluster for commands some of which block:
    /// those answer [`CLUSTER_BLOCKING`] in their slots, the others run.
    async fn pipeline_refusing_blocking(
        &self,
        cmds: &[Vec<Vec<u8>>],
    ) -> Result<Vec<Reply>, Unavailable> {
        let runnable: Vec<Vec<Vec<u8>>> = cmds.iter().filter(|c| !blocks(c)).cloned().collect();
        let mut ran = if runnable.is_empty() {
            Vec::new().into_iter()
        } else {
            Box::pin(self.pipeline(&runnable)).await?.into_iter()
        };
        Ok(cmds
            .iter()
            .map(|c| match blocks(c) {
                true => Err(CLUSTER_BLOCKING.to_owned()),
                false => ran.next().unwrap_or(Err(super::UNAVAILABLE.to_owned())),
            })
            .collect())
    }

    /// Runs commands as one MULTI/EXEC on a connection of its own (on a
    /// Cluster: on the slot owner's connection, in one write).
    ///
    /// The outer `Err` means Redis could not be reached; the inner one that
    /// the transaction was discarded (EXECABORT: a command could not be
    /// queued; CROSSSLOT on a Cluster), with Redis's text.
    pub async fn multi_exec(
        &self,
        cmds: &[Vec<Vec<u8>>],
    ) -> Result<Result<Vec<Reply>, String>, Unavailable> {
        let rewritten = self.shebang.as_ref().and_then(|s| s.outgoing(cmds));
        let cmds = rewritten.as_ref().map_or(cmds, |r| r.cmds.as_slice());
        let items = match &self.link {
            Link::Single(one) => dedicated_multi_exec(&one.client, cmds).await?,
            Link::Sentinel(s) => {
                let (generation, client) = s.client().await.map_err(unavailable)?;
                let items = dedicated_multi_exec(&client, cmds).await;
                follow_failover(s, generation, &items);
                items?
            }
            Link::Cluster(c) => match cluster::multi_exec(&mut c.routed.clone(), cmds).await {
                Err(crossslot) => return Ok(Err(crossslot)),
                Ok(items) => expect_len(items.map_err(unavailable)?, cmds.len() + 2)?,
            },
        };
        let mut outcome = exec_outcome(items, cmds.len());
        if let Ok(replies) = &mut outcome {
            restore_loads(replies, rewritten.as_ref());
        }
        Ok(outcome)
    }

    /// One command on the shared connection, for probes.
    async fn probe(&self, name: &str) -> Result<RValue, RedisError> {
        let cmd = Cmd::new().arg(name).to_owned();
        match &self.link {
            Link::Single(one) => cmd.query_async(&mut one.shared.clone()).await,
            Link::Sentinel(s) => {
                let (generation, mut conn) = s.shared().await?;
                let reply = cmd.query_async(&mut conn).await;
                if reply.is_err() {
                    s.forget(generation);
                }
                reply
            }
            // PING goes to every primary (all must answer); INFO to one node.
            Link::Cluster(c) if name == "PING" => c.routed.clone().req_packed_command(&cmd).await,
            Link::Cluster(c) => {
                c.routed
                    .clone()
                    .route_command(
                        cmd,
                        ::redis::cluster_routing::RoutingInfo::SingleNode(
                            ::redis::cluster_routing::SingleNodeRoutingInfo::Random,
                        ),
                    )
                    .await
            }
        }
    }
}

impl RedisStore {
    /// A client for connections of their own (pub/sub and MONITOR
    /// streams, see [`crate::backend::feed`]), as this store's user. Async and
    /// fallible so that topologies which must look up their primary first
    /// fit behind the same call. Over a Cluster, pub/sub streams open on the
    /// nodes in turn (classic pub/sub is cluster-wide); MONITOR is refused
    /// there, since one node sees only its own commands.
    pub async fn stream_client(&self, kind: StreamKind) -> Result<Client, RedisError> {
        match &self.link {
            Link::Single(one) => Ok(one.client.clone()),
            Link::Sentinel(s) => s.client().await.map(|(_, c)| c),
            Link::Cluster(_) if kind == StreamKind::Monitor => Err(RedisError::from((
                ::redis::ErrorKind::Client,
                "MONITOR over Redis Cluster is not supported",
            ))),
            Link::Cluster(c) => {
                let turn = c.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                c.nodes
                    .get(turn % c.nodes.len().max(1))
                    .cloned()
                    .ok_or_else(|| {
                        RedisError::from((::redis::ErrorKind::Client, "no cluster node"))
                    })
            }
        }
    }

    /// PINGs on the shared connection, bounded by a short probe timeout so a
    /// health probe answers quickly while Redis is down; the error is a
    /// short reason without addresses or credentials.
    pub async fn ping(&self) -> Result<(), &'static str> {
        match tokio::time::timeout(PROBE_TIMEOUT, self.probe("PING")).await {
            Err(_) => Err("timed out"),
            Ok(Err(e))
                if e.code()
                    .is_some_and(|c| matches!(c, "NOAUTH" | "WRONGPASS")) =>
            {
                Err("auth")
            }
            Ok(Err(e)) => Err(describe(&e)),
            Ok(Ok(RValue::ServerError(e))) if e.code() == "NOAUTH" || e.code() == "WRONGPASS" => {
                Err("auth")
            }
            Ok(Ok(RValue::ServerError(_))) => Err("error reply"),
            Ok(Ok(_)) => Ok(()),
        }
    }

    /// `INFO` (memory, clients, stats sections), for the metrics gauges;
    /// `None` when Redis does not answer within the probe timeout.
    pub async fn info(&self) -> Option<String> {
        match tokio::time::timeout(PROBE_TIMEOUT, self.probe("INFO")).await {
            Ok(Ok(RValue::BulkString(b))) => String::from_utf8(b).ok(),
            Ok(Ok(RValue::VerbatimString { text, .. })) => Some(text),
            Ok(Ok(RValue::SimpleString(s))) => Some(s),
            _ => None,
        }
    }
}

/// Sends `cmds` as one pipeline; error replies stay in their slots.
async fn query_pipeline(
    conn: &mut impl ConnectionLike,
    cmds: &[Vec<Vec<u8>>],
) -> Result<Vec<RValue>, Unavailable> {
    let mut pipe = Pipeline::new();
    // Error replies come back as values in their slots instead of
    // failing the whole pipeline.
    pipe.ignore_errors();
    for c in cmds {
        pipe.add_command(build(c));
    }
    let reply = pipe
        .query_async::<RValue>(conn)
        .await
        .map_err(unavailable)?;
    expect_items(reply, cmds.len())
}

/// After a request on the Sentinel primary of `generation`: a failure, or a
/// READONLY reply (the primary was demoted), makes the next request ask the
/// sentinels again. The reply itself is returned as it is: the request may
/// have run, so it is never retried here.
fn follow_failover(s: &SentinelLink, generation: u64, items: &Result<Vec<RValue>, Unavailable>) {
    let demoted = |v: &RValue| matches!(v, RValue::ServerError(e) if e.code() == "READONLY");
    let stale = match items {
        Err(_) => true,
        Ok(items) => items
            .iter()
            .any(|v| demoted(v) || matches!(v, RValue::Array(inner) if inner.iter().any(demoted))),
    };
    if stale {
        s.forget(generation);
    }
}

/// Puts back the original SHA-1 as the reply of each rewritten SCRIPT LOAD.
fn restore_loads(replies: &mut [Reply], rewritten: Option<&shebang::Rewritten>) {
    for (i, sha) in rewritten.map_or(&[][..], |r| r.load_replies.as_slice()) {
        if let Some(slot @ Ok(_)) = replies.get_mut(*i) {
            *slot = Ok(Value::Bytes(sha.clone().into_bytes()));
        }
    }
}

/// The outcome of a transaction from its raw replies (MULTI's, one per
/// command as queued, EXEC's). A discarded transaction names its cause:
/// the first command Redis refused to queue.
fn exec_outcome(items: Vec<RValue>, expected: usize) -> Result<Vec<Reply>, String> {
    let cause = items.iter().skip(1).take(expected).find_map(|v| match v {
        RValue::ServerError(e) => Some(error_text(e)),
        _ => None,
    });
    match items.into_iter().last() {
        Some(RValue::ServerError(e)) if e.code() == "EXECABORT" => Err(match cause {
            Some(cause) => format!("{} Cause: {cause}", error_text(&e)),
            None => error_text(&e),
        }),
        // Run-time errors (INCR on a string) are nested in EXEC's array and
        // stay in their slots; the other commands ran.
        Some(RValue::Array(results)) if results.len() == expected => {
            Ok(results.into_iter().map(to_reply).collect())
        }
        Some(RValue::ServerError(e)) => Err(error_text(&e)),
        // A nil EXEC means a WATCHed key changed; WATCH is refused over REST,
        // so this is only reachable if Redis misbehaves.
        _ => Err(EXECABORT.to_owned()),
    }
}

/// Checks a pipeline reply has one item per command.
fn expect_items(reply: RValue, n: usize) -> Result<Vec<RValue>, Unavailable> {
    match reply {
        RValue::Array(items) => expect_len(items, n),
        _ => {
            tracing::warn!("redis pipeline reply had an unexpected shape");
            Err(Unavailable)
        }
    }
}

/// Checks there is one item per command.
fn expect_len(items: Vec<RValue>, n: usize) -> Result<Vec<RValue>, Unavailable> {
    if items.len() == n {
        Ok(items)
    } else {
        tracing::warn!("redis pipeline reply had an unexpected length");
        Err(Unavailable)
    }
}

/// A command from its parts, name first, byte for byte.
pub(crate) fn build(parts: &[Vec<u8>]) -> Cmd {
    let mut cmd = Cmd::new();
    for p in parts {
        cmd.arg(p.as_slice());
    }
    cmd
}

/// One slot's outcome: a value, or Redis's full error text.
fn to_reply(v: RValue) -> Reply {
    match v {
        RValue::ServerError(e) => Err(error_text(&e)),
        other => to_value(other),
    }
}

/// Maps a RESP2 reply to the protocol's value. Every status except `OK`
/// becomes bytes, as Upstash base64-encodes them.
fn to_value(v: RValue) -> Reply {
    match v {
        RValue::Nil => Ok(Value::Nil),
        RValue::Int(n) => Ok(Value::Int(n)),
        RValue::Okay => Ok(Value::Okay),
        RValue::BulkString(b) => Ok(Value::Bytes(b)),
        RValue::SimpleString(s) => Ok(Value::Bytes(s.into_bytes())),
        RValue::Array(items) => items
            .into_iter()
            .map(to_value)
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        RValue::ServerError(e) => Err(error_text(&e)),
        // RESP3-only types: this server speaks RESP2, so they cannot occur;
        // if one does, say so instead of inventing a mapping.
        _ => Err("ERR reply type not supported over REST".to_owned()),
    }
}

/// Redis's error line as it was sent: redis-rs splits it at the first space
/// into code and detail, so joining them with one space restores it.
fn error_text(e: &::redis::ServerError) -> String {
    match e.details() {
        Some(detail) => format!("{} {detail}", e.code()),
        None => e.code().to_owned(),
    }
}

/// Logs why Redis could not be reached (never the URL) and returns the 503 marker.
fn unavailable(e: RedisError) -> Unavailable {
    tracing::warn!(reason = describe(&e), "redis backend unavailable");
    Unavailable
}

/// A short reason without addresses or credentials.
fn describe(e: &RedisError) -> &'static str {
    if e.is_connection_refusal() {
        "connection refused"
    } else if e.is_timeout() {
        "timed out"
    } else if e.is_connection_dropped() {
        "connection dropped"
    } else if e.is_io_error() {
        "I/O error"
    } else {
        "protocol or authentication error"
    }
}

#[cfg(test)]
mod tests;
