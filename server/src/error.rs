//! Why the server could not start or stop. Request-level failures are replies
//! (see [`crate::http`]), never these.
//!
//! Texts never carry the token or the Redis URL (it may hold a password).

use thiserror::Error;

/// A failure to configure, start or run the server.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ServerError {
    /// The configuration is incomplete or contradictory; the text says which flag to fix.
    #[error("configuration error: {0}")]
    Config(String),
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The backend could not be reached at start-up (the URL is not repeated: it may hold a password).
    #[error("cannot connect to the Redis backend: {0}")]
    Backend(String),
    /// The HTTP server stopped with an I/O error.
    #[error("server error: {0}")]
    Serve(#[from] std::io::Error),
}
