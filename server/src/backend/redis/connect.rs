//! Connecting to Redis, whatever the topology: one server (`redis://`,
//! `rediss://`), the primary Sentinel names, or a Cluster.
//!
//! Owns: turning a [`Backend`] plus the TLS files ([`RedisTls`]) into a
//! live [`Link`], and every start-up failure as a typed [`ConnectError`]
//! whose text says what to fix. Must not: put a URL, a password or a file's
//! contents in an error or a log (file paths are fine: the operator chose
//! them), or run commands for requests (the backend does).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use ::redis::cluster::ClusterClientBuilder;
use ::redis::{
    Client, ClientTlsConfig, ConnectionAddr, ConnectionInfo, ErrorKind, IntoConnectionInfo,
    RedisError, TlsCertificates,
};
use thiserror::Error;

use super::sentinel::SentinelLink;
use crate::config::{Backend, ClusterBackend, RedisTls, SentinelBackend};
use crate::error::ServerError;

/// How long a command may take before the request answers 503.
pub(crate) const RESPONSE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long connecting to Redis may take.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Reconnect attempts behind one failed request before giving up on it.
const RECONNECT_RETRIES: usize = 2;

/// Why the Redis backend could not be set up. Texts name the flag to fix
/// and never carry a URL, a password or key material.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectError {
    /// The backend is not a Redis one (the in-memory engine).
    #[error("the configured backend is not Redis: nothing to connect to")]
    NotRedis,
    /// The URL does not parse.
    #[error("the Redis URL is not valid (expected redis://[[user]:password@]host:port[/db], or rediss:// for TLS)")]
    InvalidUrl,
    /// A TLS file was given but the URL is not `rediss://`.
    #[error("{flag} needs a rediss:// URL (the connection to Redis is not TLS)")]
    TlsFileWithoutTls {
        /// The flag that was set.
        flag: &'static str,
    },
    /// Only one of the client certificate and its key was given.
    #[error("--redis-client-cert and --redis-client-key go together: set both or neither")]
    ClientCertWithoutKey,
    /// A TLS file could not be read.
    #[error("cannot read the {flag} file {path}: {reason}")]
    UnreadableFile {
        /// The flag naming the file.
        flag: &'static str,
        /// The path given.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// A TLS file holds no usable PEM certificate or key.
    #[error("the {flag} file {path} holds no usable PEM {what}")]
    BadPem {
        /// The flag naming the file.
        flag: &'static str,
        /// The path given.
        path: PathBuf,
        /// What was expected in it.
        what: &'static str,
    },
    /// The server's certificate did not verify.
    #[error("TLS: Redis's certificate is not trusted (is --redis-ca-file the CA that signed it, and does the certificate name the URL's host?)")]
    CertificateNotTrusted,
    /// Redis requires a client certificate and none was given.
    #[error("TLS: Redis requires a client certificate (mutual TLS): set --redis-client-cert and --redis-client-key")]
    ClientCertificateRequired,
    /// The TLS handshake failed for another reason.
    #[error("TLS handshake with Redis failed (does the server speak TLS on that port, and does it require a client certificate: --redis-client-cert?)")]
    TlsHandshake,
    /// Nothing listens at the address.
    #[error("connection refused (is redis-server running and listening on that host and port?)")]
    Refused,
    /// No answer in time.
    #[error("timed out (is the host reachable?)")]
    TimedOut,
    /// The connection was closed during set-up.
    #[error("connection dropped (is it a Redis server, and does it expect TLS: rediss://?)")]
    Dropped,
    /// Another I/O failure.
    #[error("I/O error (unknown host or unreachable network?)")]
    Io,
    /// The user name or password was refused.
    #[error("authentication failed (check the user name and password in the Redis URL)")]
    Auth,
    /// Redis answered the set-up (SELECT, HELLO...) with an error.
    #[error("Redis refused the connection set-up: {0} (check the URL's database number and the user's permissions)")]
    Refusal(String),
    /// A `--sentinel` or `--cluster` address is not `host:port`.
    #[error("{flag} address number {index} is not host:port")]
    BadAddress {
        /// The flag.
        flag: &'static str,
        /// 1-based position in the list.
        index: usize,
    },
    /// `--sentinel` or `--cluster` was given an empty list.
    #[error("{flag} needs at least one host:port")]
    NoAddresses {
        /// The flag.
        flag: &'static str,
    },
    /// No sentinel names a usable primary under the master name.
    #[error("no sentinel names a reachable primary called {master_name} (check --master-name, and that the sentinels monitor it)")]
    NoPrimary {
        /// The `--master-name` given.
        master_name: String,
    },
    /// The sentinels or the primary they name refused the credentials.
    #[error("authentication failed with the sentinels or the primary (check --sentinel-password for the sentinels, and the user and password in --redis for the primary)")]
    SentinelAuth,
    /// No sentinel answered, or the primary one named did not.
    #[error("cannot reach the sentinels or the primary they name (check the --sentinel addresses, and that the primary is up): {0}")]
    SentinelUnreachable(Box<ConnectError>),
    /// A Cluster URL template selects a database other than 0.
    #[error("Redis Cluster has only database 0: remove the /db from the --redis URL")]
    ClusterDatabase,
    /// The cluster could not be reached or is not serving all slots.
    #[error("cannot reach the Redis Cluster: {0}")]
    Cluster(String),
}

impl From<ConnectError> for ServerError {
    fn from(e: ConnectError) -> Self {
        match e {
            ConnectError::InvalidUrl
            | ConnectError::NotRedis
            | ConnectError::TlsFileWithoutTls { .. }
            | ConnectError::ClientCertWithoutKey
            | ConnectError::UnreadableFile { .. }
            | ConnectError::BadPem { .. }
            | ConnectError::BadAddress { .. }
            | ConnectError::NoAddresses { .. }
            | ConnectError::ClusterDatabase => ServerError::Config(e.to_string()),
            other => ServerError::Backend(other.to_string()),
        }
    }
}

/// A live connection to the configured topology.
#[derive(Clone)]
pub enum Link {
    /// One server.
    Single(Arc<SingleLink>),
    /// The primary Sentinel names.
    Sentinel(Arc<SentinelLink>),
    /// A Redis Cluster.
    Cluster(::redis::cluster_async::ClusterConnection),
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
        Backend::Cluster(c) => connect_cluster(c, tls, user).await.map(Link::Cluster),
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

/// Reads the TLS files; `None` when none is set. A file set for a
/// non-TLS connection is an error rather than silently unused.
pub fn certificates(tls: &RedisTls, is_tls: bool) -> Result<Option<TlsCertificates>, ConnectError> {
    if !tls.is_set() {
        return Ok(None);
    }
    if !is_tls {
        let flag = if tls.ca_file.is_some() {
            "--redis-ca-file"
        } else {
            "--redis-client-cert"
        };
        return Err(ConnectError::TlsFileWithoutTls { flag });
    }
    let root_cert = match &tls.ca_file {
        None => None,
        Some(path) => Some(read_pem(
            "--redis-ca-file",
            path,
            "CERTIFICATE",
            "CA certificate",
        )?),
    };
    let client_tls = match (&tls.client_cert, &tls.client_key) {
        (None, None) => None,
        (Some(cert), Some(key)) => Some(ClientTlsConfig {
            client_cert: read_pem("--redis-client-cert", cert, "CERTIFICATE", "certificate")?,
            client_key: read_pem("--redis-client-key", key, "PRIVATE KEY", "private key")?,
        }),
        _ => return Err(ConnectError::ClientCertWithoutKey),
    };
    Ok(Some(TlsCertificates {
        client_tls,
        root_cert,
    }))
}

/// Reads a PEM file and checks it has a block whose label contains `label`
/// (so `-----BEGIN EC PRIVATE KEY-----` counts as a private key).
fn read_pem(
    flag: &'static str,
    path: &Path,
    label: &str,
    what: &'static str,
) -> Result<Vec<u8>, ConnectError> {
    let bytes = std::fs::read(path).map_err(|e| ConnectError::UnreadableFile {
        flag,
        path: path.to_owned(),
        reason: e.kind().to_string(),
    })?;
    let text = String::from_utf8_lossy(&bytes);
    let has_block = text
        .lines()
        .any(|l| l.starts_with("-----BEGIN ") && l.contains(label));
    if !has_block {
        return Err(ConnectError::BadPem {
            flag,
            path: path.to_owned(),
            what,
        });
    }
    Ok(bytes)
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
) -> Result<::redis::cluster_async::ClusterConnection, ConnectError> {
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
    client
        .get_async_connection()
        .await
        .map_err(|e| ConnectError::Cluster(classify(&e).to_string()))
}

/// Turns a redis-rs error met while connecting into a [`ConnectError`]
/// without its text (which may carry an address or more).
pub fn classify(e: &RedisError) -> ConnectError {
    if e.is_connection_refusal() {
        return ConnectError::Refused;
    }
    if e.is_timeout() {
        return ConnectError::TimedOut;
    }
    if matches!(e.kind(), ErrorKind::AuthenticationFailed)
        || e.code()
            .is_some_and(|c| matches!(c, "NOAUTH" | "WRONGPASS" | "NOPERM"))
    {
        return ConnectError::Auth;
    }
    if e.is_io_error() {
        // rustls's reasons travel as the I/O error's text; only these
        // fixed words are looked at, nothing of it is repeated.
        let text = e.to_string().to_ascii_lowercase();
        // "received fatal alert: CertificateRequired": Redis refused us
        // (no or a bad client certificate). "invalid peer certificate:
        // UnknownIssuer": we refused Redis's certificate.
        if text.contains("certificaterequired") {
            return ConnectError::ClientCertificateRequired;
        }
        if text.contains("alert") {
            return ConnectError::TlsHandshake;
        }
        if text.contains("invalid peer certificate") || text.contains("unknownissuer") {
            return ConnectError::CertificateNotTrusted;
        }
        if text.contains("tls") || text.contains("handshake") {
            return ConnectError::TlsHandshake;
        }
        if e.is_connection_dropped() {
            return ConnectError::Dropped;
        }
        return ConnectError::Io;
    }
    if e.is_connection_dropped() {
        return ConnectError::Dropped;
    }
    match e.code() {
        // A Redis error reply's code and detail are Redis's words about the
        // set-up command (SELECT's "DB index is out of range"), not ours.
        Some(code) => ConnectError::Refusal(match e.detail() {
            Some(d) => format!("{code} {d}"),
            None => code.to_owned(),
        }),
        None => ConnectError::Refusal("unexpected reply".to_owned()),
    }
}

#[cfg(test)]
mod tests;
