//! What a running server needs to know: where to listen, what to serve from,
//! which tokens to accept and how large a request may be.
//!
//! Owns: the validated configuration, built by the CLI ([`cli`]) or
//! directly by tests. Must not: read the environment (the CLI does that).

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use edgestash::namespace::ScriptAllowList;

use crate::error::ServerError;

pub mod cli;
pub mod limits;
pub mod tenant_scripts;
pub mod token_map;

pub use limits::{
    HttpLimits, PubSubLimits, RequestLimits, DEFAULT_BODY_TIMEOUT, DEFAULT_DRAIN_TIMEOUT,
    DEFAULT_HEADER_TIMEOUT, DEFAULT_KEEPALIVE, DEFAULT_MAX_COMMANDS, DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_REPLY_SIZE, DEFAULT_MAX_SUBSCRIBERS,
};
pub use token_map::TenantToken;

/// Upstash's request size limit, and the default here: 10 MiB.
pub const DEFAULT_MAX_REQUEST_SIZE: usize = 10 * 1024 * 1024;

/// The default listen address: loopback only, never all interfaces unless asked.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8079";

/// Where commands run.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// A real redis-server at this URL
    /// (`redis[s]://[[user]:password@]host:port[/db]`).
    Redis(String),
    /// The primary that Redis Sentinel names, followed across failovers.
    Sentinel(SentinelBackend),
    /// A Redis Cluster: commands are routed by hash slot.
    Cluster(ClusterBackend),
    /// The embedded engine: no Redis needed, data lives in this process.
    Memory,
}

/// `--sentinel host:port,... --master-name NAME`: where the sentinels are
/// and how to talk to the primary they name.
#[derive(Clone, PartialEq, Eq)]
pub struct SentinelBackend {
    /// The sentinels, `host:port` each.
    pub sentinels: Vec<String>,
    /// The name the sentinels monitor the primary under.
    pub master_name: String,
    /// A URL whose scheme (TLS), user, password and database apply to the
    /// primary; its host and port are ignored (the sentinels name them).
    /// `None`: plain TCP, no password, database 0.
    pub redis_url: Option<String>,
    /// The password of the sentinels themselves (their `requirepass`).
    pub sentinel_password: Option<String>,
}

/// `--cluster host:port,...`: seed nodes of a Redis Cluster.
#[derive(Clone, PartialEq, Eq)]
pub struct ClusterBackend {
    /// Some of the cluster's nodes, `host:port` each; the rest are found
    /// through them.
    pub nodes: Vec<String>,
    /// A URL whose scheme (TLS), user and password apply to every node;
    /// its host and port are ignored and its database must be 0 (Cluster
    /// has only database 0). `None`: plain TCP, no password.
    pub redis_url: Option<String>,
}

/// TLS files for `rediss://` connections: PEM files read at start-up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedisTls {
    /// CA bundle to trust instead of the system's roots (a private CA).
    pub ca_file: Option<PathBuf>,
    /// Client certificate chain, for servers that require mutual TLS.
    pub client_cert: Option<PathBuf>,
    /// The client certificate's private key.
    pub client_key: Option<PathBuf>,
}

impl RedisTls {
    /// Whether any TLS file is set.
    pub fn is_set(&self) -> bool {
        self.ca_file.is_some() || self.client_cert.is_some() || self.client_key.is_some()
    }
}

impl fmt::Debug for Backend {
    // URLs and passwords are never printed; addresses and names are.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Redis(_) => f.write_str("Redis(<url redacted>)"),
            Self::Sentinel(s) => f
                .debug_struct("Sentinel")
                .field("sentinels", &s.sentinels)
                .field("master_name", &s.master_name)
                .field("redis_url", &s.redis_url.as_ref().map(|_| "<redacted>"))
                .field(
                    "sentinel_password",
                    &s.sentinel_password.as_ref().map(|_| "<redacted>"),
                )
                .finish(),
            Self::Cluster(c) => f
                .debug_struct("Cluster")
                .field("nodes", &c.nodes)
                .field("redis_url", &c.redis_url.as_ref().map(|_| "<redacted>"))
                .finish(),
            Self::Memory => f.write_str("Memory"),
        }
    }
}

/// The whole configuration of one server.
#[derive(Clone)]
pub struct ServerConfig {
    /// The address to bind; port 0 picks a free port (see [`crate::RunningServer::local_addr`]).
    pub listen: SocketAddr,
    /// Where commands run.
    pub backend: Backend,
    /// The token that may run every command.
    pub token: String,
    /// A token that may run read-only commands only.
    pub read_only_token: Option<String>,
    /// The largest request body accepted, in bytes.
    pub max_request_size: usize,
    /// The token for `/metrics`, `/metrics.json` and `/dashboard`; when
    /// unset those answer 404 (the health endpoints need no token).
    pub admin_token: Option<String>,
    /// The streaming routes' subscriber limit and keepalive interval.
    pub pubsub: PubSubLimits,
    /// Bounds on one request's work (commands, reply size).
    pub limits: RequestLimits,
    /// Server administration commands allowed over REST (upper case;
    /// `--allow-admin-commands`); empty by default: all refused.
    pub allow_admin_commands: Vec<String>,
    /// HTTP connection limits and timeouts.
    pub http: HttpLimits,
    /// Tokens whose requests run on Redis as an ACL user (see
    /// [`token_map`]); Redis backend only.
    pub token_map: Vec<TenantToken>,
    /// The scripts `token_map` tenants may run: edgestash's own, plus the
    /// SHA-1s of `--tenant-scripts` (see [`tenant_scripts`]).
    pub tenant_scripts: ScriptAllowList,
    /// TLS files for `rediss://` connections (Redis, Sentinel and Cluster
    /// backends).
    pub redis_tls: RedisTls,
}

impl ServerConfig {
    /// A configuration with the defaults: loopback port 0 (any free port),
    /// the embedded engine, 10 MiB requests, no read-only token.
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            backend: Backend::Memory,
            token: token.into(),
            read_only_token: None,
            max_request_size: DEFAULT_MAX_REQUEST_SIZE,
            admin_token: None,
            pubsub: PubSubLimits::default(),
            limits: RequestLimits::default(),
            allow_admin_commands: Vec::new(),
            http: HttpLimits::default(),
            token_map: Vec::new(),
            tenant_scripts: ScriptAllowList::edgestash(),
            redis_tls: RedisTls::default(),
        }
    }

    /// Refuses what serving cannot work with (an empty token or read-only
    /// token); shared by [`crate::start`] and [`crate::check::check`] so the
    /// pre-flight check fails exactly when serving would.
    pub fn validate(&self) -> Result<(), ServerError> {
        if self.token.is_empty() {
            return Err(ServerError::Config(
                "the token is empty: pass --token or set EDGESTASH_TOKEN".to_owned(),
            ));
        }
        if self.read_only_token.as_deref() == Some("") {
            return Err(ServerError::Config(
                "the read-only token is empty: pass a value to --read-only-token or unset EDGESTASH_READ_ONLY_TOKEN".to_owned(),
            ));
        }
        for name in &self.allow_admin_commands {
            if !edgestash::protocol::rest_policy::is_admin_command(name) {
                let known: Vec<&str> = edgestash::catalog::all()
                    .iter()
                    .filter(|c| c.rest == edgestash::catalog::Rest::Admin)
                    .map(|c| c.name)
                    .collect();
                return Err(ServerError::Config(format!(
                    "--allow-admin-commands: {name} is not a server administration command (known: {})",
                    known.join(",")
                )));
            }
        }
        if self.limits.max_commands == 0 || self.limits.max_reply_size == 0 {
            return Err(ServerError::Config(
                "--max-commands and --max-reply-size must be at least 1".to_owned(),
            ));
        }
        for t in &self.token_map {
            if t.token == self.token || self.read_only_token.as_deref() == Some(t.token.as_str()) {
                return Err(ServerError::Config(format!(
                    "a --token-map token of user {} equals --token or --read-only-token: tenant tokens must be distinct",
                    t.user
                )));
            }
        }
        Ok(())
    }
}

impl fmt::Debug for ServerConfig {
    // Tokens are secrets: only whether they are set is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerConfig")
            .field("listen", &self.listen)
            .field("backend", &self.backend)
            .field("token", &"<redacted>")
            .field(
                "read_only_token",
                &self.read_only_token.as_ref().map(|_| "<redacted>"),
            )
            .field("max_request_size", &self.max_request_size)
            .field(
                "admin_token",
                &self.admin_token.as_ref().map(|_| "<redacted>"),
            )
            .field("pubsub", &self.pubsub)
            .field("limits", &self.limits)
            .field("allow_admin_commands", &self.allow_admin_commands)
            .field("http", &self.http)
            .field("token_map", &self.token_map)
            .field("redis_tls", &self.redis_tls)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let mut c = ServerConfig::new("s3cret");
        c.read_only_token = Some("r0token".to_owned());
        c.admin_token = Some("adm1n".to_owned());
        c.backend = Backend::Redis("redis://:hunter2@localhost:6379".to_owned());
        let text = format!("{c:?}");
        assert!(!text.contains("s3cret"));
        assert!(!text.contains("r0token"));
        assert!(!text.contains("adm1n"));
        assert!(!text.contains("hunter2"));
        c.backend = Backend::Sentinel(SentinelBackend {
            sentinels: vec!["10.0.0.1:26379".to_owned()],
            master_name: "mymaster".to_owned(),
            redis_url: Some("redis://:hunter2@x/2".to_owned()),
            sentinel_password: Some("s3ntinel".to_owned()),
        });
        let text = format!("{c:?}");
        assert!(text.contains("10.0.0.1:26379") && text.contains("mymaster"));
        assert!(!text.contains("hunter2") && !text.contains("s3ntinel"));
        c.backend = Backend::Cluster(ClusterBackend {
            nodes: vec!["10.0.0.2:7000".to_owned()],
            redis_url: Some("rediss://u:hunter2@x".to_owned()),
        });
        let text = format!("{c:?}");
        assert!(text.contains("10.0.0.2:7000") && !text.contains("hunter2"));
    }
}
