//! The command line: flags, their environment variables, and the rules
//! between them, turned into a [`ServerConfig`].
//!
//! Owns: flag names, env names and their precedence. Must not: print
//! tokens (clap is told to hide env values in `--help`) or start anything.

use std::net::SocketAddr;

use clap::{Parser, Subcommand};

use crate::config::{
    Backend, ClusterBackend, RedisTls, SentinelBackend, ServerConfig, DEFAULT_LISTEN,
    DEFAULT_MAX_REQUEST_SIZE,
};
use crate::error::ServerError;

/// The environment variable tried for the token when `--token` and
/// `EDGESTASH_TOKEN` are both absent: the name Upstash's SDKs read.
pub const TOKEN_FALLBACK_ENV: &str = "UPSTASH_REDIS_REST_TOKEN";

/// `edgestash-server`: an Upstash-compatible REST endpoint over Redis or memory.
#[derive(Debug, Clone, Parser)]
#[command(name = "edgestash-server", version, about)]
pub struct Cli {
    /// What to do; without one, serve.
    #[command(subcommand)]
    pub mode: Option<Mode>,

    /// Address to listen on. Loopback by default; use 0.0.0.0:PORT only on purpose.
    #[arg(global = true, long, env = "EDGESTASH_LISTEN", default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,

    /// Redis URL to serve from: `redis://[[user]:password@]host:port[/db]`, or
    /// rediss:// for TLS. With --sentinel or --cluster, only its scheme,
    /// user, password and database are used.
    #[arg(
        global = true,
        long = "redis",
        env = "EDGESTASH_REDIS_URL",
        hide_env_values = true
    )]
    pub redis: Option<String>,

    /// PEM CA bundle to verify Redis's TLS certificate with (rediss://),
    /// instead of the system's roots.
    #[arg(global = true, long, env = "EDGESTASH_REDIS_CA_FILE")]
    pub redis_ca_file: Option<std::path::PathBuf>,

    /// PEM client certificate for Redis servers that require mutual TLS
    /// (with --redis-client-key).
    #[arg(global = true, long, env = "EDGESTASH_REDIS_CLIENT_CERT")]
    pub redis_client_cert: Option<std::path::PathBuf>,

    /// PEM private key of --redis-client-cert.
    #[arg(global = true, long, env = "EDGESTASH_REDIS_CLIENT_KEY")]
    pub redis_client_key: Option<std::path::PathBuf>,

    /// Redis Sentinel addresses (host:port,...): serve from the primary they
    /// name for --master-name, following failovers.
    #[arg(global = true, long, env = "EDGESTASH_SENTINEL", value_delimiter = ',')]
    pub sentinel: Vec<String>,

    /// The name the sentinels monitor the primary under (with --sentinel).
    #[arg(global = true, long, env = "EDGESTASH_MASTER_NAME")]
    pub master_name: Option<String>,

    /// Password of the sentinels themselves (with --sentinel).
    #[arg(
        global = true,
        long,
        env = "EDGESTASH_SENTINEL_PASSWORD",
        hide_env_values = true
    )]
    pub sentinel_password: Option<String>,

    /// Redis Cluster seed nodes (host:port,...): commands are routed by slot.
    #[arg(global = true, long, env = "EDGESTASH_CLUSTER", value_delimiter = ',')]
    pub cluster: Vec<String>,

    /// Serve from the embedded in-memory engine (the default without --redis).
    #[arg(global = true, long, env = "EDGESTASH_MEMORY")]
    pub memory: bool,

    /// The REST token clients must send (also UPSTASH_REDIS_REST_TOKEN).
    #[arg(global = true, long, env = "EDGESTASH_TOKEN", hide_env_values = true)]
    pub token: Option<String>,

    /// A second token that may run read-only commands only.
    #[arg(
        global = true,
        long,
        env = "EDGESTASH_READ_ONLY_TOKEN",
        hide_env_values = true
    )]
    pub read_only_token: Option<String>,

    /// Largest request body in bytes (Upstash's default: 10 MiB).
    #[arg(global = true, long, env = "EDGESTASH_MAX_REQUEST_SIZE", default_value_t = DEFAULT_MAX_REQUEST_SIZE)]
    pub max_request_size: usize,

    /// Token for /metrics, /metrics.json and /dashboard (404 when unset).
    #[arg(long, env = "EDGESTASH_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,

    /// File of `token=acl-user:password` lines: requests with such a token
    /// run on Redis as that ACL user (Redis backend only).
    #[arg(long, env = "EDGESTASH_TOKEN_MAP")]
    pub token_map: Option<std::path::PathBuf>,

    /// File of script SHA-1s (one a line, `#` comments) that --token-map
    /// tenants may run besides edgestash's own; any other EVAL, EVALSHA or
    /// SCRIPT LOAD, and SCRIPT FLUSH/KILL and FUNCTION LOAD/DELETE/FLUSH/
    /// RESTORE, are refused to tenants (NOPERM).
    #[arg(long, env = "EDGESTASH_TENANT_SCRIPTS")]
    pub tenant_scripts: Option<std::path::PathBuf>,

    /// Concurrent /subscribe, /psubscribe and /monitor streams (each holds
    /// a Redis connection); past it they answer 429 (0 turns streaming off).
    #[arg(global = true, long, env = "EDGESTASH_MAX_SUBSCRIBERS", default_value_t = crate::config::DEFAULT_MAX_SUBSCRIBERS)]
    pub max_subscribers: usize,

    /// Concurrent streams of one token (the full-access token, the
    /// read-only token, each --token-map user); default: half of
    /// --max-subscribers when a read-only token or a token map is set, so
    /// one token cannot take every slot (all of it with a single token).
    #[arg(global = true, long, env = "EDGESTASH_MAX_SUBSCRIBERS_PER_TOKEN")]
    pub max_subscribers_per_token: Option<usize>,

    /// Commands in one /pipeline or /multi-exec; more is refused (400)
    /// before anything runs.
    #[arg(global = true, long, env = "EDGESTASH_MAX_COMMANDS", default_value_t = crate::config::DEFAULT_MAX_COMMANDS)]
    pub max_commands: usize,

    /// Largest reply body in bytes (default 64 MiB); a larger reply is
    /// replaced by `ERR max response size exceeded` (400).
    #[arg(global = true, long, env = "EDGESTASH_MAX_REPLY_SIZE", default_value_t = crate::config::DEFAULT_MAX_REPLY_SIZE)]
    pub max_reply_size: usize,

    /// Server administration commands to allow over REST, comma-separated
    /// (default: none; CONFIG, REPLICAOF, MIGRATE, MODULE, DEBUG, SAVE,
    /// SWAPDB, ACL... are refused; see deploy/RUNBOOK.md for the list).
    #[arg(
        global = true,
        long,
        env = "EDGESTASH_ALLOW_ADMIN_COMMANDS",
        value_delimiter = ','
    )]
    pub allow_admin_commands: Vec<String>,

    /// Open HTTP connections at once; past it new connections are closed.
    #[arg(global = true, long, env = "EDGESTASH_MAX_CONNECTIONS", default_value_t = crate::config::DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,

    /// Seconds a client has to send a request's headers; also how long a
    /// keep-alive connection may sit idle.
    #[arg(global = true, long, env = "EDGESTASH_HEADER_TIMEOUT", default_value_t = crate::config::DEFAULT_HEADER_TIMEOUT.as_secs())]
    pub header_timeout: u64,

    /// Seconds a client has to send a request's body (408 after).
    #[arg(global = true, long, env = "EDGESTASH_BODY_TIMEOUT", default_value_t = crate::config::DEFAULT_BODY_TIMEOUT.as_secs())]
    pub body_timeout: u64,

    /// Seconds open connections get to finish on SIGTERM before they are closed.
    #[arg(global = true, long, env = "EDGESTASH_DRAIN_TIMEOUT", default_value_t = crate::config::DEFAULT_DRAIN_TIMEOUT.as_secs())]
    pub drain_timeout: u64,
}

/// What the binary does besides serving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum Mode {
    /// Check the configuration and that the backend answers (Redis: PING
    /// answers PONG), print one OK line and exit; exit non-zero with the
    /// reason otherwise. Takes the same flags and environment as serving,
    /// for deploy scripts and systemd's ExecStartPre=.
    Check,
}

impl Cli {
    /// Applies the rules between flags; `fallback` looks up
    /// [`TOKEN_FALLBACK_ENV`] (injected so tests need not touch the process env).
    pub fn into_config(
        self,
        fallback: impl Fn(&str) -> Option<String>,
    ) -> Result<ServerConfig, ServerError> {
        let backend = self.backend()?;
        let redis_tls = RedisTls {
            ca_file: self.redis_ca_file,
            client_cert: self.redis_client_cert,
            client_key: self.redis_client_key,
        };
        if redis_tls.is_set() && backend == Backend::Memory {
            return Err(ServerError::Config(
                "--redis-ca-file, --redis-client-cert and --redis-client-key need a Redis backend (--redis rediss://..., --sentinel or --cluster)".to_owned(),
            ));
        }
        let token = self
            .token
            .or_else(|| fallback(TOKEN_FALLBACK_ENV))
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ServerError::Config(format!(
                    "a token is required: pass --token or set EDGESTASH_TOKEN (or {TOKEN_FALLBACK_ENV})"
                ))
            })?;
        if self.max_request_size == 0 {
            return Err(ServerError::Config(
                "--max-request-size (EDGESTASH_MAX_REQUEST_SIZE) must be positive".to_owned(),
            ));
        }
        let token_map = match &self.token_map {
            None => Vec::new(),
            Some(path) => crate::config::token_map::parse(&read_file(
                path,
                "--token-map (EDGESTASH_TOKEN_MAP)",
            )?)?,
        };
        let tenant_scripts = match &self.tenant_scripts {
            None => edgestash::namespace::ScriptAllowList::edgestash(),
            Some(path) => crate::config::tenant_scripts::parse(&read_file(
                path,
                "--tenant-scripts (EDGESTASH_TENANT_SCRIPTS)",
            )?)?,
        };
        Ok(ServerConfig {
            listen: self.listen,
            backend,
            token,
            read_only_token: self.read_only_token,
            max_request_size: self.max_request_size,
            admin_token: self.admin_token.filter(|t| !t.is_empty()),
            pubsub: crate::config::PubSubLimits {
                max_subscribers: self.max_subscribers,
                max_subscribers_per_token: self.max_subscribers_per_token,
                ..Default::default()
            },
            limits: crate::config::RequestLimits {
                max_commands: self.max_commands,
                max_reply_size: self.max_reply_size,
            },
            allow_admin_commands: self
                .allow_admin_commands
                .iter()
                .map(|n| n.trim().to_ascii_uppercase())
                .filter(|n| !n.is_empty())
                .collect(),
            http: crate::config::HttpLimits {
                max_connections: self.max_connections.max(1),
                header_timeout: std::time::Duration::from_secs(self.header_timeout.max(1)),
                body_timeout: std::time::Duration::from_secs(self.body_timeout.max(1)),
                drain_timeout: std::time::Duration::from_secs(self.drain_timeout),
            },
            token_map,
            tenant_scripts,
            redis_tls,
        })
    }

    /// The backend from --redis, --sentinel, --cluster and --memory.
    fn backend(&self) -> Result<Backend, ServerError> {
        let conflict = |a: &str, b: &str| {
            Err(ServerError::Config(format!(
                "{a} and {b} exclude each other: pick one"
            )))
        };
        let sentinel = !self.sentinel.is_empty();
        let cluster = !self.cluster.is_empty();
        if self.memory && (self.redis.is_some() || sentinel || cluster) {
            let other = if sentinel {
                "--sentinel"
            } else if cluster {
                "--cluster"
            } else {
                "--redis (EDGESTASH_REDIS_URL)"
            };
            return conflict(other, "--memory (EDGESTASH_MEMORY)");
        }
        if sentinel && cluster {
            return conflict(
                "--sentinel (EDGESTASH_SENTINEL)",
                "--cluster (EDGESTASH_CLUSTER)",
            );
        }
        if !sentinel && (self.master_name.is_some() || self.sentinel_password.is_some()) {
            return Err(ServerError::Config(
                "--master-name and --sentinel-password go with --sentinel".to_owned(),
            ));
        }
        if sentinel {
            let Some(master_name) = self.master_name.clone().filter(|m| !m.is_empty()) else {
                return Err(ServerError::Config(
                    "--sentinel needs --master-name (EDGESTASH_MASTER_NAME): the name the sentinels monitor the primary under".to_owned(),
                ));
            };
            return Ok(Backend::Sentinel(SentinelBackend {
                sentinels: self.sentinel.clone(),
                master_name,
                redis_url: self.redis.clone(),
                sentinel_password: self.sentinel_password.clone(),
            }));
        }
        if cluster {
            return Ok(Backend::Cluster(ClusterBackend {
                nodes: self.cluster.clone(),
                redis_url: self.redis.clone(),
            }));
        }
        Ok(match &self.redis {
            Some(url) => Backend::Redis(url.clone()),
            None => Backend::Memory,
        })
    }
}

/// The text of the file a flag names; the error names the flag and the
/// path, never the file's content.
fn read_file(path: &std::path::Path, flag: &str) -> Result<String, ServerError> {
    std::fs::read_to_string(path).map_err(|e| {
        ServerError::Config(format!(
            "cannot read the {flag} file {}: {}",
            path.display(),
            e.kind()
        ))
    })
}

#[cfg(test)]
mod tests;
