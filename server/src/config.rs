//! What a running server needs to know: where to listen, what to serve from,
//! which tokens to accept and how large a request may be.
//!
//! Owns: the validated configuration, built by the CLI ([`crate::cli`]) or
//! directly by tests. Must not: read the environment (the CLI does that).

use std::fmt;
use std::net::SocketAddr;

use crate::error::ServerError;

/// Upstash's request size limit, and the default here: 10 MiB.
pub const DEFAULT_MAX_REQUEST_SIZE: usize = 10 * 1024 * 1024;

/// The default listen address: loopback only, never all interfaces unless asked.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8079";

/// Where commands run.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// A real redis-server at this URL (`redis://[:password@]host:port[/db]`).
    Redis(String),
    /// The embedded engine: no Redis needed, data lives in this process.
    Memory,
}

impl fmt::Debug for Backend {
    // The URL may carry a password, so it is never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Redis(_) => f.write_str("Redis(<url redacted>)"),
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
    pub pubsub: crate::pubsub::PubSubLimits,
    /// Tokens whose requests run on Redis as an ACL user (see
    /// [`crate::token_map`]); Redis backend only.
    pub token_map: Vec<crate::token_map::TenantToken>,
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
            pubsub: crate::pubsub::PubSubLimits::default(),
            token_map: Vec::new(),
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
            .field("token_map", &self.token_map)
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
    }
}
