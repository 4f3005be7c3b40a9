//! HTTP helpers: what to answer a refused (or any limited) request with,
//! as plain data usable from the Worker and from any http-types server.
//!
//! Owns: header names and values and the 429 body. Must not: depend on an
//! HTTP crate (callers map the pairs onto their own response type).
//!
//! Headers, for a decision `d` at time `now_ms`:
//! - `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (IETF
//!   draft-ietf-httpapi-ratelimit-headers: reset is SECONDS UNTIL the
//!   reset, rounded up);
//! - `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset`
//!   (legacy, as GitHub and most APIs send them): reset is the UNIX TIME IN
//!   SECONDS of the reset, rounded up. Seconds rather than milliseconds
//!   because that is what existing clients of this header parse (GitHub,
//!   Twitter, the `ratelimit` npm middlewares); @upstash/ratelimit's own
//!   `reset` in ms stays available in the JSON body;
//! - `Retry-After` (refusals only): seconds until the reset, rounded up,
//!   at least 1 (RFC 9110 delta-seconds).

use super::decision::Decision;

/// A response description: status, headers and a small JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitedResponse {
    /// HTTP status: 429.
    pub status: u16,
    /// Header (name, value) pairs, in a stable order.
    pub headers: Vec<(&'static str, String)>,
    /// `{"error":"rate limited","limit":..,"remaining":..,"reset":<Unix ms>,"retryAfter":<s>}`.
    pub body: String,
}

/// Seconds from `now_ms` to `reset_ms`, rounded up (0 when past).
fn seconds_until(reset_ms: u64, now_ms: u64) -> u64 {
    reset_ms.saturating_sub(now_ms).div_ceil(1000)
}

/// The rate-limit headers for any response (allowed or not).
pub fn ratelimit_headers(d: &Decision, now_ms: u64) -> Vec<(&'static str, String)> {
    let until = seconds_until(d.reset, now_ms);
    vec![
        ("RateLimit-Limit", d.limit.to_string()),
        ("RateLimit-Remaining", d.remaining.to_string()),
        ("RateLimit-Reset", until.to_string()),
        ("X-RateLimit-Limit", d.limit.to_string()),
        ("X-RateLimit-Remaining", d.remaining.to_string()),
        ("X-RateLimit-Reset", d.reset.div_ceil(1000).to_string()),
    ]
}

/// The 429 answer for a refused decision: `Retry-After` plus
/// [`ratelimit_headers`], `Content-Type: application/json` and the body.
pub fn too_many_requests(d: &Decision, now_ms: u64) -> LimitedResponse {
    let retry_after = seconds_until(d.reset, now_ms).max(1);
    let mut headers = vec![
        ("Retry-After", retry_after.to_string()),
        ("Content-Type", "application/json".to_owned()),
    ];
    headers.extend(ratelimit_headers(d, now_ms));
    let body = serde_json::json!({
        "error": "rate limited",
        "limit": d.limit,
        "remaining": d.remaining,
        "reset": d.reset,
        "retryAfter": retry_after,
    })
    .to_string();
    LimitedResponse {
        status: 429,
        headers,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ratelimit::Reason;

    #[test]
    fn describes_a_429_with_rounded_up_seconds() {
        let d = Decision {
            success: false,
            limit: 10,
            remaining: 0,
            reset: 1_700_000_010_001,
            reason: Reason::None,
        };
        let r = too_many_requests(&d, 1_700_000_000_000);
        assert_eq!(r.status, 429);
        let get = |n: &str| {
            r.headers
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("Retry-After"), Some("11"));
        assert_eq!(get("RateLimit-Limit"), Some("10"));
        assert_eq!(get("RateLimit-Remaining"), Some("0"));
        assert_eq!(get("RateLimit-Reset"), Some("11"));
        assert_eq!(get("X-RateLimit-Reset"), Some("1700000011"));
        let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(body["reset"], 1_700_000_010_001u64);
        assert_eq!(body["retryAfter"], 11);
        // A reset already past still asks to wait 1 s.
        let r = too_many_requests(&d, 1_800_000_000_000);
        assert_eq!(r.headers[0], ("Retry-After", "1".to_owned()));
    }
}
