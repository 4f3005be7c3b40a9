//! Configuration: where Redis is, how to authenticate, and the fail-fast rules.
//!
//! Owns: reading settings from a lookup function (pure: environment, a Worker
//! `Env`, a test map all work the same), validating them, and keeping the token
//! out of every `Debug` and `Display`. Must not: perform I/O beyond the lookup,
//! or fall back silently (a bad value is an error naming the variable).
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `UPSTASH_REDIS_REST_URL` (aliases `UPSTASH_REDIS_URL`, `KV_REST_API_URL`) | REST endpoint | required unless mock |
//! | `UPSTASH_REDIS_REST_TOKEN` (aliases `UPSTASH_REDIS_TOKEN`, `KV_REST_API_TOKEN`) | bearer token | required unless mock |
//! | `MOCK_REDIS` | `true`/`false`/`1`/`0`: run on the in-memory engine | `false` |
//! | `APP_ENV` (aliases `NODE_ENV`, `ENVIRONMENT`) | `production`, `staging`, `development`, `test` | `development` |
//! | `REDIS_MAX_CONNECTIONS` | connection pool bound (native) | 50 |
//! | `REDIS_CONNECT_TIMEOUT_MS` / `REDIS_TIMEOUT_MS` | connect / whole-request timeouts | 5000 / 10000 |
//! | `REDIS_RETRY_MAX_ATTEMPTS` | attempts per request including the first | 10 |
//! | `REDIS_RETRY_WRITES` | also retry writes after an ambiguous failure | `false` |
//! | `REDIS_READ_YOUR_WRITES` | send the newest `upstash-sync-token` back | `true` |
//!
//! In production the URL and token are required, `MOCK_REDIS=true` is
//! refused and the URL must be `https`. Elsewhere `http` is accepted for
//! loopback hosts only.

use std::fmt;
use std::time::Duration;

use crate::error::{Error, Result};

const URL_VARS: [&str; 3] = [
    "UPSTASH_REDIS_REST_URL",
    "UPSTASH_REDIS_URL",
    "KV_REST_API_URL",
];
const TOKEN_VARS: [&str; 3] = [
    "UPSTASH_REDIS_REST_TOKEN",
    "UPSTASH_REDIS_TOKEN",
    "KV_REST_API_TOKEN",
];
const ENV_VARS: [&str; 3] = ["APP_ENV", "NODE_ENV", "ENVIRONMENT"];

/// A secret string (the REST token). Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// The deployment environment, which decides how strict validation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// Local development (the default).
    Development,
    /// Automated tests.
    Test,
    /// Staging or preview deployments: not production, but not local either.
    Staging,
    /// Production: mock mode refused, https and credentials required.
    Production,
}

impl Environment {
    /// Parses the value of `APP_ENV` and its aliases.
    pub fn parse(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().as_str() {
            "production" | "prod" => Some(Self::Production),
            "staging" | "stage" | "preview" => Some(Self::Staging),
            "development" | "dev" | "local" => Some(Self::Development),
            "test" | "testing" | "ci" => Some(Self::Test),
            _ => None,
        }
    }

    /// True in production.
    pub fn is_production(self) -> bool {
        self == Self::Production
    }
}

/// Where commands run: a Redis REST endpoint, or the in-memory engine.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mode {
    /// A REST endpoint (Upstash or edgestash-server).
    Redis {
        /// Base URL without a trailing slash.
        url: String,
        /// Bearer token.
        token: Secret,
    },
    /// The in-memory engine, selected explicitly with `MOCK_REDIS=true`.
    Mock,
}

/// How failed requests are retried.
///
/// By default a request is retried when it certainly did not reach the
/// server (connect failure), or when it failed in transit and every command
/// in it only reads. Writes that may have reached the server are retried
/// only with [`RetryPolicy::retry_writes`], because a retried INCR or LPUSH
/// could apply twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per request, the first included (1 disables retries).
    pub max_attempts: u32,
    /// Delay before the first retry; doubles on each further one.
    pub base_delay: Duration,
    /// Upper bound of any one delay.
    pub max_delay: Duration,
    /// Also retry writes after failures that may have reached the server.
    pub retry_writes: bool,
}

impl Default for RetryPolicy {
    /// 10 attempts, 50 ms doubling up to 3 s, writes not retried.
    fn default() -> Self {
        Self {
            max_attempts: 10,
            base_delay: Duration::from_millis(50),
            max_delay: Duration::from_secs(3),
            retry_writes: false,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Whether a request that failed with `error` on attempt number `attempt`
    /// (1 for the first) may be sent again.
    ///
    /// Only transient (transport) failures qualify, and only when a retry
    /// cannot apply a change twice: the request certainly never reached the
    /// server, or it only reads, or the caller opted in to retrying writes.
    pub fn allows_retry(&self, error: &Error, attempt: u32, read_only: bool) -> bool {
        attempt < self.max_attempts
            && error.is_transient()
            && (error.is_unsent() || read_only || self.retry_writes)
    }

    /// The delay before retry number `retry` (1 for the first retry).
    pub fn delay(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }
}

/// Everything a client needs, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// Where commands run.
    pub mode: Mode,
    /// The deployment environment.
    pub environment: Environment,
    /// Upper bound of open connections (native transport).
    pub max_connections: usize,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, connect included.
    pub request_timeout: Duration,
    /// Retries of failed requests.
    pub retry: RetryPolicy,
    /// Send the newest `upstash-sync-token` with each request.
    pub read_your_writes: bool,
}

impl Config {
    /// A configuration for a REST endpoint with default settings, validated
    /// as for development (http allowed on loopback only).
    pub fn new(url: &str, token: &str) -> Result<Self> {
        let mut c = Self::defaults(Mode::Mock, Environment::Development);
        c.mode = Mode::Redis {
            url: validate_url(URL_VARS[0], url.trim(), c.environment)?,
            token: validate_token(TOKEN_VARS[0], token.trim())?,
        };
        Ok(c)
    }

    /// A configuration for the in-memory engine in development.
    pub fn mock() -> Self {
        Self::defaults(Mode::Mock, Environment::Development)
    }

    fn defaults(mode: Mode, environment: Environment) -> Self {
        Self {
            mode,
            environment,
            max_connections: 50,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            read_your_writes: true,
        }
    }

    /// Reads and validates the configuration from the process environment.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads and validates the configuration from any lookup function.
    ///
    /// Pure: the same lookup always gives the same result, so every rule is
    /// testable without touching the process environment.
    pub fn from_lookup<F>(lookup: F) -> Result<Self>
    where
        F: Fn(&str) -> Option<String>,
    {
        let get = |names: &[&'static str]| -> Option<(&'static str, String)> {
            names.iter().find_map(|&n| {
                lookup(n)
                    .map(|v| v.trim().to_owned())
                    .filter(|v| !v.is_empty())
                    .map(|v| (n, v))
            })
        };

        let environment = match get(&ENV_VARS) {
            None => Environment::Development,
            Some((var, v)) => Environment::parse(&v).ok_or_else(|| {
                Error::config(var, "expected production, staging, development or test")
            })?,
        };
        let mock = match get(&["MOCK_REDIS"]) {
            None => false,
            Some((var, v)) => parse_bool(var, &v)?,
        };
        if mock && environment.is_production() {
            return Err(Error::config(
                "MOCK_REDIS",
                "mock mode is refused in production; unset MOCK_REDIS or set it to false",
            ));
        }

        let mode = if mock {
            Mode::Mock
        } else {
            let (url_var, url) = get(&URL_VARS).ok_or_else(|| {
                Error::config(
                    URL_VARS[0],
                    "missing (or set MOCK_REDIS=true for development)",
                )
            })?;
            let (token_var, token) =
                get(&TOKEN_VARS).ok_or_else(|| Error::config(TOKEN_VARS[0], "missing"))?;
            Mode::Redis {
                url: validate_url(url_var, &url, environment)?,
                token: validate_token(token_var, &token)?,
            }
        };

        let mut config = Self::defaults(mode, environment);
        if let Some((var, v)) = get(&["REDIS_MAX_CONNECTIONS"]) {
            config.max_connections = parse_number(var, &v, 1, 10_000)? as usize;
        }
        if let Some((var, v)) = get(&["REDIS_CONNECT_TIMEOUT_MS"]) {
            config.connect_timeout = Duration::from_millis(parse_number(var, &v, 1, 600_000)?);
        }
        if let Some((var, v)) = get(&["REDIS_TIMEOUT_MS"]) {
            config.request_timeout = Duration::from_millis(parse_number(var, &v, 1, 600_000)?);
        }
        if let Some((var, v)) = get(&["REDIS_RETRY_MAX_ATTEMPTS"]) {
            config.retry.max_attempts = parse_number(var, &v, 1, 100)? as u32;
        }
        if let Some((var, v)) = get(&["REDIS_RETRY_WRITES"]) {
            config.retry.retry_writes = parse_bool(var, &v)?;
        }
        if let Some((var, v)) = get(&["REDIS_READ_YOUR_WRITES"]) {
            config.read_your_writes = parse_bool(var, &v)?;
        }
        Ok(config)
    }

    /// True when the in-memory engine is selected.
    pub fn is_mock(&self) -> bool {
        self.mode == Mode::Mock
    }
}

/// `true`/`false`/`1`/`0` in any case; anything else is an error naming
/// `var` (a typo must not silently mean "off").
fn parse_bool(var: &str, v: &str) -> Result<bool> {
    match v.to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(Error::config(var, "expected true, false, 1 or 0")),
    }
}

/// A whole number within `min..=max`, or an error naming `var` and the range.
fn parse_number(var: &str, v: &str, min: u64, max: u64) -> Result<u64> {
    v.parse::<u64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| Error::config(var, format!("expected a whole number from {min} to {max}")))
}

/// The token as a [`Secret`], refused when empty or not a header value.
fn validate_token(var: &str, token: &str) -> Result<Secret> {
    if token.is_empty() {
        return Err(Error::config(var, "missing"));
    }
    // The token goes into an HTTP header: refuse what a header cannot carry.
    if !token.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Err(Error::config(
            var,
            "contains whitespace or non-printable characters",
        ));
    }
    Ok(Secret::new(token))
}

/// Checks the REST URL and returns it without a trailing slash.
fn validate_url(var: &str, url: &str, environment: Environment) -> Result<String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| Error::config(var, "not a URL (expected https://host)"))?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if rest[authority.len()..].contains(['?', '#']) {
        return Err(Error::config(var, "must not have a query or fragment"));
    }
    if authority.contains('@') {
        return Err(Error::config(
            var,
            "must not carry credentials; use the token variable",
        ));
    }
    let host = host_of(authority).ok_or_else(|| Error::config(var, "has no valid host"))?;
    match scheme.as_str() {
        "https" => {}
        "http" if environment.is_production() => {
            return Err(Error::config(var, "must use https in production"));
        }
        "http" if is_loopback(host) => {}
        "http" => {
            return Err(Error::config(
                var,
                "http is allowed only for loopback hosts; use https",
            ));
        }
        _ => {
            return Err(Error::config(
                var,
                "must be an https URL (the REST URL, not redis://)",
            ))
        }
    }
    Ok(format!("{scheme}://{}", rest.trim_end_matches('/')))
}

/// The host part of `host[:port]` or `[v6]:port`, if the port (when present) is valid.
fn host_of(authority: &str) -> Option<&str> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (host, port)
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok());
    (!host.is_empty() && port_ok).then_some(host)
}

/// True for `localhost` and loopback addresses: the only hosts plain
/// `http` is accepted for outside production.
fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests;
