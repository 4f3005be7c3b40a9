//! Who is asking: the bearer token (header or `_token` query parameter)
//! compared in constant time against the configured tokens.
//!
//! Owns: token extraction and comparison. Must not: log or echo tokens.

use subtle::ConstantTimeEq;

/// What a request may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Every command.
    Full,
    /// Read-only commands only ([`edgestash::protocol::is_read_only`]).
    ReadOnly,
}

/// The text of the 401 reply.
pub const WRONGPASS: &str = "WRONGPASS invalid or missing auth token";

/// The configured tokens.
#[derive(Clone)]
pub struct Tokens {
    full: Vec<u8>,
    read_only: Option<Vec<u8>>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokens(<redacted>)")
    }
}

impl Tokens {
    /// Accepts `full` for everything and `read_only`, when set, for reads.
    pub fn new(full: &str, read_only: Option<&str>) -> Self {
        Self {
            full: full.as_bytes().to_vec(),
            read_only: read_only.map(|t| t.as_bytes().to_vec()),
        }
    }

    /// The access of a request carrying `authorization` (the header value)
    /// and `query` (the raw query string); `None` when neither holds a valid token.
    ///
    /// Both candidates are compared against both tokens without early exit,
    /// so timing reveals nothing about which part matched.
    pub fn check(&self, authorization: Option<&[u8]>, query: Option<&str>) -> Option<Access> {
        let from_header = authorization.and_then(bearer);
        let from_query = query.and_then(query_token);
        let mut full = false;
        let mut read_only = false;
        for candidate in [from_header.as_deref(), from_query.as_deref()]
            .into_iter()
            .flatten()
        {
            full |= bool::from(candidate.ct_eq(&self.full));
            if let Some(ro) = &self.read_only {
                read_only |= bool::from(candidate.ct_eq(ro));
            }
        }
        if full {
            Some(Access::Full)
        } else if read_only {
            Some(Access::ReadOnly)
        } else {
            None
        }
    }
}

/// The token of `Bearer <token>` (scheme in any case).
fn bearer(header: &[u8]) -> Option<Vec<u8>> {
    let (scheme, rest) = header.split_at_checked(7)?;
    scheme
        .eq_ignore_ascii_case(b"bearer ")
        .then(|| rest.trim_ascii().to_vec())
}

/// The percent-decoded value of the `_token` query parameter.
fn query_token(query: &str) -> Option<Vec<u8>> {
    query.split('&').find_map(|pair| {
        let value = pair.strip_prefix("_token=")?;
        Some(percent_encoding::percent_decode_str(value).collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_query_tokens() {
        let t = Tokens::new("full", Some("ro"));
        assert_eq!(t.check(Some(b"Bearer full"), None), Some(Access::Full));
        assert_eq!(t.check(Some(b"bearer ro"), None), Some(Access::ReadOnly));
        assert_eq!(t.check(None, Some("a=1&_token=full")), Some(Access::Full));
        assert_eq!(t.check(None, Some("_token=ro")), Some(Access::ReadOnly));
        assert_eq!(t.check(Some(b"Bearer nope"), Some("_token=")), None);
        assert_eq!(t.check(Some(b"Basic full"), None), None);
        assert_eq!(t.check(Some(b"Bearer"), None), None);
        assert_eq!(t.check(None, None), None);
        let only_full = Tokens::new("full", None);
        assert_eq!(only_full.check(Some(b"Bearer "), None), None);
    }
}
