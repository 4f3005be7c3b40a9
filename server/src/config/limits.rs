//! The numeric limits an operator can tune: streaming routes today, and the
//! per-request bounds. Every default here is documented in `--help` and
//! deploy/RUNBOOK.md.
//!
//! Owns: the limits' types and defaults. Must not: enforce them (the HTTP
//! layer does).

use std::time::Duration;

/// The default limit on concurrent streams (each holds a Redis connection).
pub const DEFAULT_MAX_SUBSCRIBERS: usize = 1000;
/// The default interval between keepalive comments.
pub const DEFAULT_KEEPALIVE: Duration = Duration::from_secs(15);

/// The configuration of the streaming routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PubSubLimits {
    /// Concurrent streams (subscribe, psubscribe and monitor together).
    pub max_subscribers: usize,
    /// Concurrent streams of one token (each tenant token's user, the
    /// full-access token, the read-only token); `None`: half of
    /// `max_subscribers` (at least 1) when the server has more than one
    /// token, so one token cannot take every slot; all of them with a
    /// single token.
    pub max_subscribers_per_token: Option<usize>,
    /// The interval between `: keepalive` comments on an idle stream.
    pub keepalive: Duration,
}

impl Default for PubSubLimits {
    fn default() -> Self {
        Self {
            max_subscribers: DEFAULT_MAX_SUBSCRIBERS,
            max_subscribers_per_token: None,
            keepalive: DEFAULT_KEEPALIVE,
        }
    }
}

impl PubSubLimits {
    /// One token's share of the streams when the server has `several`
    /// tokens (or just one).
    pub fn per_token(&self, several: bool) -> usize {
        self.max_subscribers_per_token.unwrap_or(if several {
            (self.max_subscribers / 2).max(1)
        } else {
            self.max_subscribers
        })
    }
}

/// The default bound on commands in one `/pipeline` or `/multi-exec`.
pub const DEFAULT_MAX_COMMANDS: usize = 10_000;
/// The default bound on one reply's JSON body: 64 MiB.
pub const DEFAULT_MAX_REPLY_SIZE: usize = 64 * 1024 * 1024;

/// Bounds on the work of one request, so one request cannot hold the
/// server's memory hostage (the body size is [`crate::ServerConfig::max_request_size`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLimits {
    /// Commands in one `/pipeline` or `/multi-exec`; more is refused (400)
    /// before any argument is copied.
    pub max_commands: usize,
    /// The largest reply body sent; a larger one is replaced by the error
    /// `ERR max response size exceeded` (400). Redis's reply is still read
    /// whole first: this bounds what the server frames and sends, and
    /// with `max_commands` and the body limit, what one request makes it
    /// hold.
    pub max_reply_size: usize,
}

impl Default for RequestLimits {
    fn default() -> Self {
        Self {
            max_commands: DEFAULT_MAX_COMMANDS,
            max_reply_size: DEFAULT_MAX_REPLY_SIZE,
        }
    }
}

/// The default cap on open HTTP connections.
pub const DEFAULT_MAX_CONNECTIONS: usize = 4096;
/// The default time a client has to send a request's headers; also how
/// long a keep-alive connection may sit idle between requests.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The default time a client has to send a request's body.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// The default time in-flight requests get to finish on shutdown.
pub const DEFAULT_DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// HTTP connection limits and timeouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpLimits {
    /// Open connections at once; past it, new connections are closed at
    /// once (streams count too).
    pub max_connections: usize,
    /// Time to send a request's headers (and the idle limit of a
    /// keep-alive connection between requests).
    pub header_timeout: Duration,
    /// Time to send a request's body; past it the answer is 408.
    pub body_timeout: Duration,
    /// On shutdown, how long open connections get to finish before they
    /// are closed.
    pub drain_timeout: Duration,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            max_connections: DEFAULT_MAX_CONNECTIONS,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            drain_timeout: DEFAULT_DRAIN_TIMEOUT,
        }
    }
}
