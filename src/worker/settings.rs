//! The gateway's own variables (the Redis ones are [`crate::Config`]'s),
//! read and checked once per request from the Worker env.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `ORIGIN_URL` | none (gateway routes answer 503) | the origin the gateway fronts, `http(s)://host[:port][/base]` |
//! | `CACHE_PREFIXES` | none | comma-separated path prefixes whose GETs are cached, e.g. `/static/,/api/public/` |
//! | `CACHE_TTL_SECONDS` | `60` | how long a cached origin response stays fresh when the origin sends neither `s-maxage` nor `max-age` (1 s to 30 days) |
//! | `L1_TTL_SECONDS` | `5` | longest life of a copy in the location's Cache API (0 to 300; `0` turns L1 off); also the bound on how long a purge takes to reach every location |
//! | `RATELIMIT_LIMIT` | `100` | requests per window per client IP or API key; `0` turns limiting off |
//! | `RATELIMIT_WINDOW` | `60s` | the fixed window, as @upstash/ratelimit writes it (`10s`, `1m`...) |
//! | `DEFAULT_WORKSPACE` | none (requests must send `X-Workspace`) | the workspace of requests without `X-Workspace` |
//! | `SESSION_SECRET` | random per isolate outside production | HMAC key of session cookies; required in production, 32+ bytes |
//! | `ADMIN_TOKEN` | none (admin routes answer 403) | bearer token of the admin routes |
//! | `LOG_LEVEL` | `info` | console log level (`debug` prints one line per Redis command) |
//!
//! Must not: put a value in a problem's reason (only what is wrong with it).

use ::worker::{Env, Url};

use super::state::lookup;
use crate::ratelimit::parse_duration;

/// Longest cache TTL accepted, in seconds (30 days).
const MAX_TTL_SECONDS: u64 = 30 * 24 * 3600;

/// `L1_TTL_SECONDS` when unset: short, because it bounds how long a purge
/// takes to reach other locations.
const DEFAULT_L1_TTL_MS: u64 = 5_000;

/// Longest `L1_TTL_SECONDS` accepted.
const MAX_L1_TTL_SECONDS: u64 = 300;

/// Shortest `SESSION_SECRET` accepted in production, in bytes.
pub(super) const MIN_SECRET_BYTES: usize = 32;

/// The gateway variables, checked.
#[derive(Debug, Clone)]
pub(super) struct Settings {
    /// `ORIGIN_URL` without a trailing slash.
    pub origin: Option<String>,
    /// `CACHE_PREFIXES`, each starting with `/`.
    pub cache_prefixes: Vec<String>,
    /// `CACHE_TTL_SECONDS` in milliseconds.
    pub cache_ttl_ms: u64,
    /// `L1_TTL_SECONDS` in milliseconds (0: no L1).
    pub l1_ttl_ms: u64,
    /// `RATELIMIT_LIMIT` (0: off).
    pub rate_limit: u64,
    /// `RATELIMIT_WINDOW` as written (already checked).
    pub rate_window: String,
    /// `DEFAULT_WORKSPACE`, already checked.
    pub default_workspace: Option<String>,
    /// `SESSION_SECRET`.
    pub session_secret: Option<String>,
    /// `ADMIN_TOKEN`, when set and not empty.
    pub admin_token: Option<String>,
}

/// `(variable, reason)` for each variable at fault.
pub(super) type Problems = Vec<(String, String)>;

impl Settings {
    /// Reads and checks every variable; all problems at once when any.
    pub(super) fn from_env(env: &Env, production: bool) -> Result<Self, Problems> {
        let get = |name: &str| lookup(env, name).filter(|v| !v.trim().is_empty());
        let mut problems = Problems::new();
        let mut fault = |variable: &str, reason: &str| {
            problems.push((variable.to_owned(), reason.to_owned()));
        };

        let origin = get("ORIGIN_URL").and_then(|raw| match Url::parse(raw.trim()) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
                Some(raw.trim().trim_end_matches('/').to_owned())
            }
            _ => {
                fault("ORIGIN_URL", "must be an http:// or https:// URL");
                None
            }
        });
        let cache_prefixes: Vec<String> = get("CACHE_PREFIXES")
            .map(|raw| {
                raw.split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        if cache_prefixes.iter().any(|p| !p.starts_with('/')) {
            fault("CACHE_PREFIXES", "every prefix must start with /");
        }
        let cache_ttl_ms = match get("CACHE_TTL_SECONDS").map(|v| v.trim().parse::<u64>()) {
            None => 60_000,
            Some(Ok(s)) if (1..=MAX_TTL_SECONDS).contains(&s) => s * 1000,
            Some(_) => {
                fault("CACHE_TTL_SECONDS", "must be an integer from 1 to 2592000");
                60_000
            }
        };
        let l1_ttl_ms = match get("L1_TTL_SECONDS").map(|v| v.trim().parse::<u64>()) {
            None => DEFAULT_L1_TTL_MS,
            Some(Ok(s)) if s <= MAX_L1_TTL_SECONDS => s * 1000,
            Some(_) => {
                fault("L1_TTL_SECONDS", "must be an integer from 0 to 300");
                DEFAULT_L1_TTL_MS
            }
        };
        let rate_limit = match get("RATELIMIT_LIMIT").map(|v| v.trim().parse::<u64>()) {
            None => 100,
            Some(Ok(n)) => n,
            Some(Err(_)) => {
                fault("RATELIMIT_LIMIT", "must be a non-negative integer");
                100
            }
        };
        let rate_window =
            get("RATELIMIT_WINDOW").map_or_else(|| "60s".to_owned(), |w| w.trim().to_owned());
        if parse_duration(&rate_window).is_err() {
            fault(
                "RATELIMIT_WINDOW",
                "must be <integer><unit> with unit ms, s, m, h or d",
            );
        }
        let default_workspace = get("DEFAULT_WORKSPACE").map(|w| w.trim().to_owned());
        if default_workspace
            .as_deref()
            .is_some_and(|w| crate::Namespace::workspace(w).is_err())
        {
            fault("DEFAULT_WORKSPACE", "must be 1 to 64 of A-Z a-z 0-9 _ -");
        }
        let session_secret = get("SESSION_SECRET");
        if production
            && session_secret
                .as_ref()
                .is_none_or(|s| s.len() < MIN_SECRET_BYTES)
        {
            fault(
                "SESSION_SECRET",
                "required in production, at least 32 bytes (wrangler secret put SESSION_SECRET)",
            );
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Self {
            origin,
            cache_prefixes,
            cache_ttl_ms,
            l1_ttl_ms,
            rate_limit,
            rate_window,
            default_workspace,
            session_secret,
            admin_token: get("ADMIN_TOKEN"),
        })
    }

    /// Whether a GET of `path` is served through the cache.
    pub(super) fn caches(&self, path: &str) -> bool {
        self.cache_prefixes
            .iter()
            .any(|p| path.starts_with(p.as_str()))
    }
}
