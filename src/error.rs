//! The one error type of edgestash.
//!
//! Owns: the classification of every failure a caller can meet (configuration,
//! authentication, permission, Redis error replies, limits, transport,
//! protocol, unexpected reply types) and the rule that no message ever
//! contains a secret, an argument value or a script body.
//!
//! Must not: format anything the caller passed as an argument. Messages name
//! the command (`SET`), the environment variable (`UPSTASH_REDIS_REST_TOKEN`)
//! or the reply type, nothing more. Redis's own error text can quote
//! arguments (`unknown command 'x', with args beginning with: 'secret'`), so
//! it is sanitised before it is stored: see [`sanitize_server_message`].

use std::fmt;

/// Shorthand for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong between a caller and Redis.
///
/// Variants are distinct so callers can react to each kind: retry transport
/// failures, re-send a script on [`Error::is_noscript`], surface auth and
/// permission problems to operators, treat limits as quota events.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration is missing or invalid. Names the variable, never its value.
    #[error("invalid configuration: {variable}: {reason}")]
    Config {
        /// The environment variable or setting at fault.
        variable: String,
        /// Why it was refused.
        reason: String,
    },

    /// The endpoint refused the credentials (HTTP 401 or a `WRONGPASS` reply).
    #[error("authentication failed{}", for_command(command))]
    Auth {
        /// The command that was refused, when known.
        command: Option<String>,
    },

    /// The token is valid but may not run this command (`NOPERM`), e.g. a
    /// write sent with a read-only token.
    #[error("permission denied{}", for_command(command))]
    Permission {
        /// The command that was refused, when known.
        command: Option<String>,
    },

    /// Redis answered with an error reply (`ERR ...`, `WRONGTYPE ...`, `NOSCRIPT ...`).
    #[error("redis error{}: {message}", for_command(command))]
    Redis {
        /// The command that failed, when known.
        command: Option<String>,
        /// The error prefix as data: `ERR`, `WRONGTYPE`, `NOSCRIPT`, `EXECABORT`...
        kind: String,
        /// The server's message, sanitised of quoted argument values.
        message: String,
    },

    /// A size or quota limit of the endpoint (`ERR max ...`).
    #[error("limit exceeded{}: {message}", for_command(command))]
    Limit {
        /// The command that hit the limit, when known.
        command: Option<String>,
        /// The server's description of the limit, sanitised.
        message: String,
    },

    /// The request did not complete: connect failure, timeout, 5xx answer.
    #[error("transport error{}: {kind}", for_command(command))]
    Transport {
        /// The command (or `PIPELINE` / `MULTI`) being sent, when known.
        command: Option<String>,
        /// What failed.
        kind: TransportErrorKind,
    },

    /// The endpoint answered something that is not the Upstash protocol
    /// (non-JSON body, invalid base64, wrong envelope shape).
    #[error("protocol error: {reason}")]
    Protocol {
        /// What was wrong with the reply; never contains reply data.
        reason: String,
    },

    /// A reply had a valid shape but not the type the typed method expects.
    #[error(
        "unexpected reply{}: expected {expected}, got {got}",
        for_command(command)
    )]
    UnexpectedReply {
        /// The command whose reply did not fit, when known.
        command: Option<String>,
        /// What the caller asked for.
        expected: &'static str,
        /// What came back (a type name, never the value).
        got: &'static str,
    },

    /// A request edgestash refuses to send, e.g. a command the REST protocol
    /// does not support or an argument it cannot carry.
    #[error("invalid request{}: {reason}", for_command(command))]
    InvalidRequest {
        /// The command at fault, when known.
        command: Option<String>,
        /// Why it was refused.
        reason: String,
    },

    /// The namespace of a workspace-scoped client refused the command, or a
    /// workspace id is invalid. Refusals are checked before anything is
    /// sent, so a refused command never reached Redis.
    #[error("namespace refused the request{}: {reason}", for_command(command))]
    Namespace {
        /// The command at fault, when known.
        command: Option<String>,
        /// Why it was refused.
        reason: NamespaceRefusal,
    },

    /// A pub/sub subscription stream failed or ended. The stream yields this
    /// once and then ends; subscribe again to resume (messages published in
    /// between are lost, as with Redis pub/sub).
    #[error("subscription stream: {reason}")]
    Stream {
        /// What happened to the stream.
        reason: StreamErrorKind,
    },
}

/// Why a subscription stream stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamErrorKind {
    /// A line (or an event) was longer than the configured bound
    /// ([`crate::pubsub::SubscribeOptions::max_line_len`]).
    LineTooLong {
        /// The bound, in bytes.
        max: usize,
    },
    /// The server ended the stream (it stopped, or lost its Redis connection).
    Closed,
    /// An event was not the Upstash pub/sub format.
    Malformed(&'static str),
    /// The subscriber fell too far behind and the server cut it off.
    Lagged,
}

impl fmt::Display for StreamErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LineTooLong { max } => write!(f, "a line is longer than {max} bytes"),
            Self::Closed => f.write_str("the server closed the stream"),
            Self::Malformed(why) => write!(f, "malformed event: {why}"),
            Self::Lagged => f.write_str("the subscriber fell too far behind"),
        }
    }
}

/// Why a workspace namespace refused a request; never carries argument values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NamespaceRefusal {
    /// The workspace id is not 1 to 64 characters of `[A-Za-z0-9_-]`.
    InvalidWorkspaceId,
    /// The command has no key spec, so the namespace cannot tell its keys
    /// apart: only commands on the allow-list may run in a workspace.
    UnknownCommand,
    /// The command reaches beyond one workspace (FLUSHALL, CONFIG, RANDOMKEY...).
    Forbidden,
    /// An option of the command reaches beyond the workspace (SORT BY/GET, COPY DB).
    ForbiddenOption,
    /// A script that is not one of the registered, vetted scripts.
    UnregisteredScript,
    /// The arguments do not have the command's shape (missing arguments, a
    /// key count that is not a number or exceeds the arguments).
    MalformedArguments,
    /// A typed builder marked an argument as a key, channel or pattern where
    /// the command's key spec does not: a bug in edgestash, refused rather
    /// than guessed.
    KeyMarkMismatch,
    /// A workspace handle asked for another workspace: derive workspaces
    /// from the unscoped client instead.
    AlreadyScoped,
}

impl fmt::Display for NamespaceRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidWorkspaceId => {
                "invalid workspace id (1 to 64 characters of A-Z, a-z, 0-9, '_' or '-')"
            }
            Self::UnknownCommand => "command not allowed in a workspace (no key spec)",
            Self::Forbidden => "command not allowed in a workspace",
            Self::ForbiddenOption => "option not allowed in a workspace",
            Self::UnregisteredScript => "script is not registered for workspaces",
            Self::MalformedArguments => "arguments do not match the command's key spec",
            Self::KeyMarkMismatch => "argument marks disagree with the command's key spec",
            Self::AlreadyScoped => "a workspace handle cannot switch to another workspace",
        })
    }
}

/// What part of a request's journey failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be opened: the request certainly did not reach the server.
    Connect,
    /// The request or connect timeout passed.
    Timeout,
    /// The endpoint answered with this HTTP status (5xx, or another status
    /// with a body that is not the Upstash protocol).
    Status(u16),
    /// The connection failed after the request may have been sent.
    Io,
    /// The endpoint answered with a redirect, which is not followed: the
    /// REST URL must name the endpoint itself (the npm package on Node,
    /// Deno and browsers; see `src/transport/fetch/send.js`).
    Redirect,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Connect => f.write_str("could not connect"),
            Self::Timeout => f.write_str("timed out"),
            Self::Status(code) => write!(f, "HTTP status {code}"),
            Self::Io => f.write_str("connection failed"),
            Self::Redirect => f.write_str("answered with a redirect, which is not followed"),
        }
    }
}

/// ` (NAME)` after a message when the command is known, else nothing.
fn for_command(command: &Option<String>) -> String {
    match command {
        Some(name) => format!(" ({name})"),
        None => String::new(),
    }
}

impl Error {
    /// Builds the error for an error reply of Redis or of the REST endpoint,
    /// classified by its text: `WRONGPASS` is [`Error::Auth`], `NOPERM` is
    /// [`Error::Permission`], `ERR max ...` is [`Error::Limit`], anything else
    /// is [`Error::Redis`] with its prefix as `kind`.
    pub fn from_reply(command: Option<&str>, text: &str) -> Self {
        let (kind, rest) = split_prefix(text);
        let owned = command.map(str::to_owned);
        match kind {
            "WRONGPASS" => Self::Auth { command: owned },
            "NOPERM" => Self::Permission { command: owned },
            "ERR" if rest.starts_with("max ") => Self::Limit {
                command: owned,
                message: sanitize_server_message(text, command),
            },
            _ => Self::Redis {
                command: owned,
                kind: kind.to_owned(),
                message: sanitize_server_message(text, command),
            },
        }
    }

    /// True for a `NOSCRIPT` reply: the script must be re-sent with EVAL.
    pub fn is_noscript(&self) -> bool {
        matches!(self, Self::Redis { kind, .. } if kind == "NOSCRIPT")
    }

    /// The Redis error prefix (`ERR`, `WRONGTYPE`, ...) for Redis error replies.
    pub fn redis_kind(&self) -> Option<&str> {
        match self {
            Self::Redis { kind, .. } => Some(kind),
            _ => None,
        }
    }

    /// True when the failure certainly happened before the request reached
    /// the server, so a retry cannot apply a command twice.
    pub fn is_unsent(&self) -> bool {
        matches!(
            self,
            Self::Transport {
                kind: TransportErrorKind::Connect,
                ..
            }
        )
    }

    /// True for failures that may pass on their own (transport errors, but
    /// not a redirect, which repeats): the retry policy considers only these.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Transport { kind, .. } if *kind != TransportErrorKind::Redirect)
    }

    /// A short, stable label for metrics and logs (`auth`, `redis`, `transport`...).
    pub fn kind_label(&self) -> &'static str {
        match self {
            Self::Config { .. } => "config",
            Self::Auth { .. } => "auth",
            Self::Permission { .. } => "permission",
            Self::Redis { .. } => "redis",
            Self::Limit { .. } => "limit",
            Self::Transport { .. } => "transport",
            Self::Protocol { .. } => "protocol",
            Self::UnexpectedReply { .. } => "unexpected_reply",
            Self::InvalidRequest { .. } => "invalid_request",
            Self::Namespace { .. } => "namespace",
            Self::Stream { .. } => "stream",
        }
    }

    /// Attaches a command name to an error that does not have one yet.
    pub fn with_command(mut self, name: &str) -> Self {
        match &mut self {
            Self::Auth { command }
            | Self::Permission { command }
            | Self::Redis { command, .. }
            | Self::Limit { command, .. }
            | Self::Transport { command, .. }
            | Self::UnexpectedReply { command, .. }
            | Self::InvalidRequest { command, .. }
            | Self::Namespace { command, .. } => {
                if command.is_none() {
                    *command = Some(name.to_owned());
                }
            }
            Self::Config { .. } | Self::Protocol { .. } | Self::Stream { .. } => {}
        }
        self
    }

    /// A configuration error naming `variable` (never its value).
    pub(crate) fn config(variable: &str, reason: impl Into<String>) -> Self {
        Self::Config {
            variable: variable.to_owned(),
            reason: reason.into(),
        }
    }

    /// A reply that is not the Upstash protocol; `reason` must not quote it.
    pub(crate) fn protocol(reason: impl Into<String>) -> Self {
        Self::Protocol {
            reason: reason.into(),
        }
    }

    /// A refusal of the workspace namespace, before anything was sent.
    pub(crate) fn namespace(command: Option<&str>, reason: NamespaceRefusal) -> Self {
        Self::Namespace {
            command: command.map(str::to_owned),
            reason,
        }
    }

    /// The namespace's reason, for [`Error::Namespace`] errors.
    pub fn namespace_refusal(&self) -> Option<NamespaceRefusal> {
        match self {
            Self::Namespace { reason, .. } => Some(*reason),
            _ => None,
        }
    }

    /// A request edgestash refuses to send; `reason` must not quote arguments.
    pub(crate) fn invalid_request(command: Option<&str>, reason: impl Into<String>) -> Self {
        Self::InvalidRequest {
            command: command.map(str::to_owned),
            reason: reason.into(),
        }
    }
}

/// Splits `WRONGTYPE Operation ...` into the prefix and the rest. A message
/// without an upper-case prefix is reported with kind `ERR`.
fn split_prefix(text: &str) -> (&str, &str) {
    let first = text.split(' ').next().unwrap_or("");
    let is_prefix = !first.is_empty()
        && first
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if is_prefix {
        (first, text[first.len()..].trim_start())
    } else {
        ("ERR", text)
    }
}

/// Removes argument values that Redis quotes in its error texts.
///
/// Redis puts user data in single quotes (`unknown command 'x', with args
/// beginning with: 'a' 'b'`, `Unknown subcommand 'y'`). Every quoted segment
/// is replaced by `'…'` unless it is the command's own name, and the message
/// is cut to a bounded length so a reply cannot smuggle a large value into
/// logs.
pub fn sanitize_server_message(text: &str, command: Option<&str>) -> String {
    const MAX: usize = 200;
    let mut out = String::with_capacity(text.len().min(MAX));
    let mut rest = text;
    while let Some(start) = rest.find('\'') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('\'') {
            Some(end) => {
                let quoted = &after[..end];
                let is_command = command.is_some_and(|c| c.eq_ignore_ascii_case(quoted));
                out.push('\'');
                out.push_str(if is_command { quoted } else { "…" });
                out.push('\'');
                rest = &after[end + 1..];
            }
            None => {
                // An unbalanced quote: everything after it may be data.
                out.push_str("'…");
                rest = "";
            }
        }
    }
    out.push_str(rest);
    if out.len() > MAX {
        let mut cut = MAX;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_replies() {
        assert!(matches!(
            Error::from_reply(Some("GET"), "WRONGPASS invalid or missing auth token"),
            Error::Auth { .. }
        ));
        assert!(matches!(
            Error::from_reply(
                Some("SET"),
                "NOPERM this user has no permissions to run the 'set' command"
            ),
            Error::Permission { .. }
        ));
        assert!(matches!(
            Error::from_reply(None, "ERR max request size exceeded"),
            Error::Limit { .. }
        ));
        let e = Error::from_reply(Some("EVALSHA"), "NOSCRIPT No matching script.");
        assert!(e.is_noscript());
        assert_eq!(e.redis_kind(), Some("NOSCRIPT"));
        let e = Error::from_reply(Some("X"), "something odd");
        assert_eq!(e.redis_kind(), Some("ERR"));
    }

    #[test]
    fn never_echoes_quoted_arguments() {
        let e = Error::from_reply(
            Some("FOO"),
            "ERR unknown command 'foo', with args beginning with: 'hunter2' 'secret'",
        );
        let shown = e.to_string();
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("'foo'"), "{shown}");
        assert!(shown.contains("(FOO)"), "{shown}");
    }

    #[test]
    fn unbalanced_quote_hides_the_rest() {
        let s = sanitize_server_message("ERR bad 'value and more", None);
        assert_eq!(s, "ERR bad '…");
    }

    #[test]
    fn long_messages_are_bounded() {
        let long = format!("ERR {}", "é".repeat(500));
        assert!(sanitize_server_message(&long, None).len() <= 204);
    }
}
