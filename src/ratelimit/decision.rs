//! What a rate-limit call answers: [`Decision`], why it was decided
//! ([`Reason`]) and what happens when Redis cannot be reached in time
//! ([`TimeoutPolicy`]).
//!
//! Owns: plain data, shaped like @upstash/ratelimit's response so callers
//! can port code. Must not: do I/O.

/// What to answer when Redis does not reply in time (the client's request
/// timeout, `REDIS_TIMEOUT_MS`, passed or the connection timed out).
///
/// There is no default: letting traffic through unmetered (fail open) and
/// refusing everyone (fail closed) are both outages of a kind, and the
/// caller must choose which one it can afford.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutPolicy {
    /// Allow the request (`success: true`, `reason: Timeout(FailOpen)`).
    FailOpen,
    /// Refuse the request (`success: false`, `reason: Timeout(FailClosed)`).
    FailClosed,
}

/// Why a decision is what it is, beyond Redis's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Reason {
    /// Redis decided.
    #[default]
    None,
    /// Redis timed out; the named policy decided.
    Timeout(TimeoutPolicy),
    /// Refused from the in-memory block cache, without calling Redis.
    CacheBlock,
}

impl Reason {
    /// The word @upstash/ratelimit uses (`timeout`, `cacheBlock`), or `None`.
    pub fn as_upstash(self) -> Option<&'static str> {
        match self {
            Self::None => None,
            Self::Timeout(_) => Some("timeout"),
            Self::CacheBlock => Some("cacheBlock"),
        }
    }
}

/// The answer to one rate-limit call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// True when the request may proceed.
    pub success: bool,
    /// The limit that applied (requests per window, or bucket size).
    pub limit: u64,
    /// How much of the limit is left after this request (0 when denied).
    pub remaining: u64,
    /// When the limit resets, in Unix milliseconds (the end of the window;
    /// for a token bucket, the next refill, or the refill that will let
    /// this request's rate through when it was denied).
    pub reset: u64,
    /// Why, beyond the counters.
    pub reason: Reason,
}

/// What [`crate::ratelimit::Ratelimit::get_remaining`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remaining {
    /// How much of the limit is left now.
    pub remaining: u64,
    /// The limit.
    pub limit: u64,
    /// When the limit resets, Unix milliseconds.
    pub reset: u64,
}
