//! Reading a request body under the size limit without buffering more than it.
//!
//! Owns: the limit. A body over the limit is read on and thrown away (up to
//! a bound) instead of being dropped mid-stream: a server that answers and
//! closes while the client is still sending makes the client see a
//! connection reset instead of the `ERR max request size exceeded` reply.
//! Must not: keep more than `limit` bytes in memory.

use axum::body::Body;
use http_body_util::BodyExt;

/// The error text of an over-limit request (Upstash's).
pub const TOO_LARGE: &str = "ERR max request size exceeded";

/// How many bytes past the limit are drained before giving up on the client.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Larger than the limit.
    TooLarge,
    /// The client broke off or sent a malformed body.
    Broken,
}

/// Reads the whole body if it is at most `limit` bytes.
///
/// `declared` is the Content-Length, when given: a body declared too large
/// is refused without keeping any of it.
pub async fn read_limited(
    body: Body,
    limit: usize,
    declared: Option<u64>,
) -> Result<Vec<u8>, BodyError> {
    let too_large_declared =
        declared.is_some_and(|n| usize::try_from(n).map_or(true, |n| n > limit));
    let mut body = body;
    let mut kept = Vec::new();
    let mut seen: usize = 0;
    let mut over = too_large_declared;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return Err(if over {
                BodyError::TooLarge
            } else {
                BodyError::Broken
            });
        };
        let Ok(data) = frame.into_data() else {
            continue; // trailers carry no arguments
        };
        seen = seen.saturating_add(data.len());
        if seen > limit {
            over = true;
            kept = Vec::new();
        }
        if over {
            if seen > limit.saturating_add(DRAIN_LIMIT) {
                break;
            }
        } else {
            kept.extend_from_slice(&data);
        }
    }
    if over {
        Err(BodyError::TooLarge)
    } else {
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn limits() {
        assert_eq!(
            read_limited(Body::from("hello"), 5, None).await,
            Ok(b"hello".to_vec())
        );
        assert_eq!(
            read_limited(Body::from("hello!"), 5, None).await,
            Err(BodyError::TooLarge)
        );
        assert_eq!(
            read_limited(Body::from("hi"), 5, Some(100)).await,
            Err(BodyError::TooLarge)
        );
    }
}
