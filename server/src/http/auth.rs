//! Who is asking: the bearer token (header or `_token` query parameter)
//! compared in constant time against the configured tokens, including the
//! tenant tokens of the token map (which run as a Redis ACL user).
//!
//! Owns: token extraction and comparison, and [`authenticate`]: the one
//! place a request becomes a [`Caller`] (its access and the store it runs
//! on; a tenant never falls back to the server's own connection, which
//! would lift its ACL). Every route that runs commands or streams goes
//! through it. Must not: log or echo tokens.

use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use edgestash::protocol::response::HttpReply;
use subtle::ConstantTimeEq;

use super::AppState;
use crate::backend::{Store, UNAVAILABLE};

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

/// Who a request is: its access, and for a tenant token, which ACL user
/// (an index into the server's tenant connections) it runs as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    /// What the request may do at the REST gate.
    pub access: Access,
    /// `Some(i)`: run on the connection of the `i`-th distinct ACL user;
    /// `None`: run on the server's own connection.
    pub tenant: Option<usize>,
}

/// The configured tokens.
#[derive(Clone)]
pub struct Tokens {
    full: Vec<u8>,
    read_only: Option<Vec<u8>>,
    /// Tenant tokens and the index of their ACL user.
    tenants: Vec<(Vec<u8>, usize)>,
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
            tenants: Vec::new(),
        }
    }

    /// Adds tenant tokens: each runs with full REST access as ACL user
    /// number `user` (Redis's ACL then decides per command and key).
    pub fn with_tenants(mut self, tenants: impl IntoIterator<Item = (String, usize)>) -> Self {
        self.tenants = tenants
            .into_iter()
            .map(|(t, user)| (t.into_bytes(), user))
            .collect();
        self
    }

    /// Who a request carrying `authorization` and `query` is; `None` when
    /// neither holds a valid token. The server's own tokens win over a
    /// tenant token that happens to be equal (start-up refuses that).
    ///
    /// Every candidate is compared against every token without early exit.
    pub fn identify(&self, authorization: Option<&[u8]>, query: Option<&str>) -> Option<Identity> {
        let from_header = authorization.and_then(bearer);
        let from_query = query.and_then(query_token);
        let mut tenant = None;
        for candidate in [from_header.as_deref(), from_query.as_deref()]
            .into_iter()
            .flatten()
        {
            for (token, user) in &self.tenants {
                if bool::from(candidate.ct_eq(token)) {
                    tenant = Some(*user);
                }
            }
        }
        match self.check(authorization, query) {
            Some(access) => Some(Identity {
                access,
                tenant: None,
            }),
            None => tenant.map(|user| Identity {
                access: Access::Full,
                tenant: Some(user),
            }),
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

/// An authenticated request: what it may do and where it runs.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    /// Who the request is.
    pub identity: Identity,
    /// The store its commands run on: the tenant's ACL user's for a tenant
    /// token, the server's own otherwise.
    pub store: &'a Store,
}

/// The auth extractor: the caller of a request with these `parts`, or the
/// reply refusing it (401 without a valid token; 503 if a tenant's store is
/// missing, which start-up rules out).
pub fn authenticate<'a>(state: &'a AppState, parts: &Parts) -> Result<Caller<'a>, HttpReply> {
    let authorization = parts
        .headers
        .get(header::AUTHORIZATION)
        .map(HeaderValue::as_bytes);
    let identity = state
        .tokens
        .identify(authorization, parts.uri.query())
        .ok_or_else(|| HttpReply::error(401, WRONGPASS))?;
    let store = match identity.tenant {
        None => &state.store,
        Some(i) => state
            .tenants
            .get(i)
            .ok_or_else(|| HttpReply::error(503, UNAVAILABLE))?,
    };
    Ok(Caller { identity, store })
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

    #[test]
    fn tenant_tokens_pick_their_user() {
        let t =
            Tokens::new("full", None).with_tenants([("ta".to_owned(), 0), ("tb".to_owned(), 1)]);
        let id = |h: &[u8]| t.identify(Some(h), None);
        assert_eq!(id(b"Bearer full").map(|i| i.tenant), Some(None));
        assert_eq!(id(b"Bearer ta").map(|i| i.tenant), Some(Some(0)));
        assert_eq!(
            id(b"Bearer tb"),
            Some(Identity {
                access: Access::Full,
                tenant: Some(1)
            })
        );
        assert_eq!(
            t.identify(None, Some("_token=tb")).map(|i| i.tenant),
            Some(Some(1))
        );
        assert_eq!(id(b"Bearer tc"), None);
        // Tenant tokens do not widen `check`, which knows only the server's tokens.
        assert_eq!(t.check(Some(b"Bearer ta"), None), None);
    }
}
