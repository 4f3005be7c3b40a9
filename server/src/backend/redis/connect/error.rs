//! Why connecting to Redis failed: [`ConnectError`], its texts, its mapping
//! to a [`ServerError`], and [`classify`], which turns a redis-rs error met
//! while connecting into one.
//!
//! Owns: every start-up failure as a typed error whose text says what to
//! fix. Must not: carry a URL, a password, key material or a redis-rs
//! error's text (it may hold an address); only fixed words of it are looked
//! at.

use std::path::PathBuf;

use ::redis::{ErrorKind, RedisError};
use thiserror::Error;

use crate::error::ServerError;

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
