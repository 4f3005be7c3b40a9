//! Connecting to Redis, whatever the topology: one server (`redis://`,
//! `rediss://`), the primary Sentinel names, or a Cluster.
//!
//! Owns: turning a [`Backend`] plus the TLS files ([`RedisTls`]) into a
//! live [`Link`], and every start-up failure as a typed [`ConnectError`]
//! whose text says what to fix. Must not: put a URL, a password or a file's
//! contents in an error or a log (file paths are fine: the operator chose
//! them), or run commands for requests (the backend does).
//!
//! Layout: this file connects; the errors and their classification are in
//! `connect/error.rs`, reading the TLS files in `connect/tls.rs`, both
//! re-exported here.

use std::sync::Arc;
use std::time::Duration;

use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use ::redis::cluster::ClusterClientBuilder;
use ::redis::{Client, ConnectionAddr, ConnectionInfo, IntoConnectionInfo};

use super::sentinel::SentinelLink;
use crate::config::{Backend, ClusterBackend, RedisTls, SentinelBackend};

mod error;
mod tls;

pub use error::{classify, ConnectError};
pub use tls::certificates;

/// How long a command may take before the request answers 503.
pub(crate) const RESPONSE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long connecting to Redis may take.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Reconnect attempts behind one failed request before giving up on it.
const RECONNECT_RETRIES: usize = 2;

/// A live connection to the configured topology.
#[derive(Clone)]
pub enum Link {
    /// One server.
    Single(Arc<SingleLink>),
    /// The primary Sentinel names.
    Sentinel(Arc<SentinelLink>),
    /// A Redis Cluster.
    Cluster(Arc<ClusterLink>),
}

/// A Redis Cluster: the slot-routing connection, and a client per seed node
/// for connections of their own (pub/sub streams: classic SUBSCRIBE and
/// PUBLISH are cluster-wide, so any node serves them).
pub struct ClusterLink {
    /// Commands, routed by slot.
    pub routed: ::redis::cluster_async::ClusterConnection,
    /// One client per `--cluster` node, in the order given.
    pub nodes: Vec<Client>,
    /// The node the next stream opens on (round robin, so streams spread
    /// over the nodes and one that is down costs a retry, not the feature).
    pub next: std::sync::atomic::AtomicUsize,
}

/// One server: the shared auto-reconnecting connection, and the client
/// that opens a transaction's own connection.
pub struct SingleLink {
    /// Opens dedicated connections.
    pub client: Client,
    /// Singles and pipelines.
    pub shared: ConnectionManager,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Single(_) => "Link::Single(<url redacted>)",
            Self::Sentinel(_) => "Link::Sentinel",
            Self::Cluster(_) => "Link::Cluster",
        })
    }
}

/// Connects to `backend` (not [`Backend::Memory`]); `user` overrides the
/// URL's user name and password (a `--token-map` ACL user). Fails at
/// start-up when Redis is not reachable, so a mistake is reported at once
/// instead of on the first request.
pub async fn connect(
    backend: &Backend,
    tls: &RedisTls,
    user: Option<(&str, &str)>,
) -> Result<Link, ConnectError> {
    match backend {
        Backend::Redis(url) => {
            let client = client(url, tls, user)?;
            let config = ConnectionManagerConfig::new()
                .set_number_of_retries(RECONNECT_RETRIES)
                .set_connection_timeout(Some(CONNECT_TIMEOUT))
                .set_response_timeout(Some(RESPONSE_TIMEOUT))
                .set_max_delay(Duration::from_secs(1));
            let shared = ConnectionManager::new_with_config(client.clone(), config)
                .await
                .map_err(|e| classify(&e))?;
            Ok(Link::Single(Arc::new(SingleLink { client, shared })))
        }
        Backend::Sentinel(s) => connect_sentinel(s, tls, user).await.map(Link::Sentinel),
        Backend::Cluster(c) => connect_cluster(c, tls, user)
            .await
            .map(|link| Link::Cluster(Arc::new(link))),
        // The memory backend (and any future non-Redis one) has nothing
        // to connect to; callers route it elsewhere.
        _ => Err(ConnectError::NotRedis),
    }
}

/// A client for one server's `url`, with the TLS files and `user`.
pub fn client(
    url: &str,
    tls: &RedisTls,
    user: Option<(&str, &str)>,
) -> Result<Client, ConnectError> {
    let info = with_user(parse(url)?, user);
    let is_tls = matches!(info.addr(), ConnectionAddr::TcpTls { .. });
    match certificates(tls, is_tls)? {
        Some(certs) => Client::build_with_tls(info, certs).map_err(|_| ConnectError::InvalidUrl),
        None => Client::open(info).map_err(|_| ConnectError::InvalidUrl),
    }
}

/// Parses a URL without letting its text reach an error.
fn parse(url: &str) -> Result<ConnectionInfo, ConnectError> {
    url.into_connection_info()
        .map_err(|_| ConnectError::InvalidUrl)
}

/// Replaces the user name and password when `user` is given.
fn with_user(info: ConnectionInfo, user: Option<(&str, &str)>) -> ConnectionInfo {
    match user {
        None => info,
        Some((name, password)) => {
            let settings = info
                .redis_settings()
                .clone()
                .set_username(name)
                .set_password(password);
            info.set_redis_settings(settings)
        }
    }
}

/// Splits `host:port` (`[v6]:port` too).
pub fn host_port(
    flag: &'static str,
    index: usize,
    addr: &str,
) -> Result<(String, u16), ConnectError> {
    let bad = || ConnectError::BadAddress { flag, index };
    let (host, port) = addr.trim().rsplit_once(':').ok_or_else(bad)?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err(bad());
    }
    let port = port.parse::<u16>().map_err(|_| bad())?;
    Ok((host.to_owned(), port))
}

/// The parts of an optional URL template that apply to every server: TLS,
/// user, password and database (host and port are ignored).
pub(crate) struct Template {
    /// Whether to speak TLS.
    pub tls: bool,
    /// ACL user name.
    pub username: Option<String>,
    /// Password.
    pub password: Option<String>,
    /// Database index.
    pub db: i64,
}

impl Template {
    /// From `--redis` when given with `--sentinel` or `--cluster`.
    pub(crate) fn parse(
        url: Option<&str>,
        user: Option<(&str, &str)>,
    ) -> Result<Self, ConnectError> {
        let Some(url) = url else {
            return Ok(Self {
                tls: false,
                username: user.map(|u| u.0.to_owned()),
                password: user.map(|u| u.1.to_owned()),
                db: 0,
            });
        };
        let info = with_user(parse(url)?, user);
        let settings = info.redis_settings();
        Ok(Self {
            tls: matches!(info.addr(), ConnectionAddr::TcpTls { .. }),
            username: settings.username().map(str::to_owned),
            password: settings.password().map(str::to_owned),
            db: settings.db(),
        })
    }
}

async fn connect_sentinel(
    s: &SentinelBackend,
    tls: &RedisTls,
    user: Option<(&str, &str)>,
) -> Result<Arc<SentinelLink>, ConnectError> {
    if s.sentinels.is_empty() {
        return Err(ConnectError::NoAddresses { flag: "--sentinel" });
    }
    let addrs = s
        .sentinels
        .iter()
        .enumerate()
        .map(|(i, a)| host_port("--sentinel", i + 1, a))
        .collect::<Result<Vec<_>, _>>()?;
    let template = Template::parse(s.redis_url.as_deref(), user)?;
    let certs = certificates(tls, template.tls)?;
    SentinelLink::connect(
        addrs,
        &s.master_name,
        template,
        certs,
        s.sentinel_password.as_deref(),
    )
    .await
}

async fn connect_cluster(
    c: &ClusterBackend,
    tls: &RedisTls,
    user: Option<(&str, &str)>,
) -> Result<ClusterLink, ConnectError> {
    if c.nodes.is_empty() {
        return Err(ConnectError::NoAddresses { flag: "--cluster" });
    }
    let template = Template::parse(c.redis_url.as_deref(), user)?;
    if template.db != 0 {
        return Err(ConnectError::ClusterDatabase);
    }
    let nodes = c
        .nodes
        .iter()
        .enumerate()
        .map(|(i, a)| {
            host_port("--cluster", i + 1, a).map(|(host, port)| {
                if template.tls {
                    ConnectionAddr::TcpTls {
                        host,
                        port,
                        insecure: false,
                        tls_params: None,
                    }
                } else {
                    ConnectionAddr::Tcp(host, port)
                }
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let node_clients = nodes
        .iter()
        .map(|addr| node_client(addr.clone(), &template, tls))
        .collect::<Result<Vec<_>, _>>()?;
    let mut builder = ClusterClientBuilder::new(nodes)
        .connection_timeout(CONNECT_TIMEOUT)
        .response_timeout(RESPONSE_TIMEOUT)
        .retries(2);
    if let Some(name) = &template.username {
        builder = builder.username(name);
    }
    if let Some(password) = &template.password {
        builder = builder.password(password);
    }
    if template.tls {
        builder = builder.tls(::redis::TlsMode::Secure);
    }
    if let Some(certs) = certificates(tls, template.tls)? {
        builder = builder.certs(certs);
    }
    let client = builder
        .build()
        .map_err(|_| ConnectError::Cluster("the node list or URL is not usable".to_owned()))?;
    let routed = client
        .get_async_connection()
        .await
        .map_err(|e| ConnectError::Cluster(classify(&e).to_string()))?;
    Ok(ClusterLink {
        routed,
        nodes: node_clients,
        next: std::sync::atomic::AtomicUsize::new(0),
    })
}

/// A client for one cluster node at `addr`, with the template's user,
/// password and TLS files.
fn node_client(
    addr: ConnectionAddr,
    template: &Template,
    tls: &RedisTls,
) -> Result<Client, ConnectError> {
    let mut settings = ::redis::RedisConnectionInfo::default();
    if let Some(name) = &template.username {
        settings = settings.set_username(name);
    }
    if let Some(password) = &template.password {
        settings = settings.set_password(password);
    }
    let info = addr
        .into_connection_info()
        .map_err(|_| ConnectError::InvalidUrl)?
        .set_redis_settings(settings);
    match certificates(tls, template.tls)? {
        Some(certs) => Client::build_with_tls(info, certs).map_err(|_| ConnectError::InvalidUrl),
        None => Client::open(info).map_err(|_| ConnectError::InvalidUrl),
    }
}

#[cfg(test)]
mod tests;
