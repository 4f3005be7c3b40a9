//! Whether an origin response may be stored by a shared cache, and for how
//! long it is fresh, may be served stale and is kept.
//!
//! Owns: the storability rules (status, `no-store`, `private`,
//! `Set-Cookie`, `Vary`) and the [`Timeline`] of a stored entry. Must not:
//! do I/O or know where entries live.

use super::cache_control::CacheControl;

/// Longest freshness lifetime honoured (30 days): beyond it an origin's
/// value is capped.
pub const MAX_TTL_MS: u64 = 30 * 24 * 3600 * 1000;

/// How long past its staleness windows an entry with a validator (`ETag`
/// or `Last-Modified`) is kept so that a 304 can refresh it without a body:
/// one more freshness lifetime, at least this.
pub const MIN_REVALIDATION_KEEP_MS: u64 = 60_000;

/// Why a response is not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotStored {
    /// A status a shared cache does not keep here (only 2xx but 206).
    Status,
    /// `Cache-Control: no-store`.
    NoStore,
    /// `Cache-Control: private`.
    Private,
    /// A `Set-Cookie` header: the answer is someone's.
    SetCookie,
    /// `Vary` on something other than `Accept-Encoding` (or `*`).
    Vary,
    /// Fresh for 0 s and nothing to revalidate with.
    NoFreshness,
}

/// What the origin's headers say about one response.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResponseFacts<'a> {
    /// HTTP status.
    pub status: u16,
    /// `Cache-Control`, when sent.
    pub cache_control: Option<&'a str>,
    /// `Vary`, when sent.
    pub vary: Option<&'a str>,
    /// Whether `Set-Cookie` was sent.
    pub set_cookie: bool,
    /// Whether `ETag` or `Last-Modified` was sent.
    pub has_validator: bool,
}

/// When a stored entry is fresh, may be served stale, and expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Timeline {
    /// Stored (or last revalidated) at, ms since the epoch.
    pub stored_ms: u64,
    /// Fresh until, ms.
    pub fresh_until_ms: u64,
    /// Served stale while one refresh runs in the background until, ms.
    pub swr_until_ms: u64,
    /// Served stale when the origin fails until, ms.
    pub sie_until_ms: u64,
    /// Kept (for stale serving and revalidation) until, ms.
    pub keep_until_ms: u64,
}

/// How an entry may be used at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Usability {
    /// Serve it.
    Fresh,
    /// Serve it (`STALE`) and refresh it in the background.
    StaleWhileRevalidate,
    /// Ask the origin first (conditionally when it has a validator); serve
    /// it only if the origin fails within `stale-if-error`.
    MustRevalidate,
}

/// The freshness rules of one response: `Ok(timeline)` when it may be
/// stored at `now_ms`, else why not. `default_ttl_ms` applies when the
/// origin gave neither `s-maxage` nor `max-age`.
pub fn decide(
    facts: &ResponseFacts<'_>,
    default_ttl_ms: u64,
    now_ms: u64,
) -> Result<Timeline, NotStored> {
    if !(200..300).contains(&facts.status) || facts.status == 206 {
        return Err(NotStored::Status);
    }
    let cc = CacheControl::parse(facts.cache_control.unwrap_or_default());
    if cc.no_store {
        return Err(NotStored::NoStore);
    }
    if cc.private {
        return Err(NotStored::Private);
    }
    if facts.set_cookie {
        return Err(NotStored::SetCookie);
    }
    if facts.vary.is_some_and(|v| !vary_is_supported(v)) {
        return Err(NotStored::Vary);
    }
    let ttl_ms = if cc.no_cache {
        0
    } else {
        cc.shared_max_age()
            .map_or(default_ttl_ms, |s| s.saturating_mul(1000))
            .min(MAX_TTL_MS)
    };
    if ttl_ms == 0 && !facts.has_validator {
        return Err(NotStored::NoFreshness);
    }
    let stale = |window: Option<u64>| {
        if cc.must_revalidate {
            0
        } else {
            window.unwrap_or(0).saturating_mul(1000).min(MAX_TTL_MS)
        }
    };
    Ok(Timeline::new(
        now_ms,
        ttl_ms,
        stale(cc.stale_while_revalidate),
        stale(cc.stale_if_error),
        facts.has_validator,
    ))
}

impl Timeline {
    /// The timeline of an entry stored at `now_ms`.
    pub fn new(now_ms: u64, ttl_ms: u64, swr_ms: u64, sie_ms: u64, has_validator: bool) -> Self {
        let fresh_until_ms = now_ms.saturating_add(ttl_ms);
        let swr_until_ms = fresh_until_ms.saturating_add(swr_ms);
        let sie_until_ms = fresh_until_ms.saturating_add(sie_ms);
        let revalidation = if has_validator {
            ttl_ms.max(MIN_REVALIDATION_KEEP_MS)
        } else {
            0
        };
        let keep_until_ms = swr_until_ms
            .max(sie_until_ms)
            .max(fresh_until_ms.saturating_add(revalidation));
        Self {
            stored_ms: now_ms,
            fresh_until_ms,
            swr_until_ms,
            sie_until_ms,
            keep_until_ms,
        }
    }

    /// How the entry may be used at `now_ms`.
    pub fn usability(&self, now_ms: u64) -> Usability {
        if now_ms < self.fresh_until_ms {
            Usability::Fresh
        } else if now_ms < self.swr_until_ms {
            Usability::StaleWhileRevalidate
        } else {
            Usability::MustRevalidate
        }
    }

    /// Whether a stale copy may answer for a failed origin at `now_ms`.
    pub fn serves_on_error(&self, now_ms: u64) -> bool {
        now_ms < self.sie_until_ms
    }

    /// Milliseconds left to keep the entry (the store's expiry), at least 1.
    pub fn keep_ms(&self, now_ms: u64) -> u64 {
        self.keep_until_ms.saturating_sub(now_ms).max(1)
    }

    /// Milliseconds of freshness left at `now_ms` (0 when stale).
    pub fn fresh_ms(&self, now_ms: u64) -> u64 {
        self.fresh_until_ms.saturating_sub(now_ms)
    }

    /// The entry's age in whole seconds at `now_ms` (the `Age` header).
    pub fn age_seconds(&self, now_ms: u64) -> u64 {
        now_ms.saturating_sub(self.stored_ms) / 1000
    }
}

/// Whether a `Vary` value names nothing but `Accept-Encoding` (which the
/// cache keys on itself, see [`encoding_variant`]).
pub fn vary_is_supported(vary: &str) -> bool {
    vary.split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .all(|f| f.eq_ignore_ascii_case("accept-encoding"))
}

/// The cache variant of a request's `Accept-Encoding`: `br`, `gzip` or
/// `identity`, the best the client accepts (a coding with `q=0` is
/// refused). Keying on these three instead of the raw header keeps the
/// variants few while never giving a client a coding it did not ask for.
pub fn encoding_variant(accept_encoding: Option<&str>) -> &'static str {
    let accepts = |coding: &str| {
        accept_encoding.unwrap_or_default().split(',').any(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case(coding) || name == "*") && !refused
        })
    };
    if accepts("br") {
        "br"
    } else if accepts("gzip") {
        "gzip"
    } else {
        "identity"
    }
}

/// The variants [`encoding_variant`] can return (a purge removes them all).
pub const ENCODING_VARIANTS: [&str; 3] = ["br", "gzip", "identity"];

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(cc: &str) -> ResponseFacts<'_> {
        ResponseFacts {
            status: 200,
            cache_control: Some(cc),
            ..ResponseFacts::default()
        }
    }

    #[test]
    fn s_maxage_then_max_age_then_the_default() {
        let t = decide(&facts("max-age=10, s-maxage=30"), 60_000, 1_000).unwrap();
        assert_eq!(t.fresh_until_ms, 31_000);
        assert_eq!(t.keep_until_ms, 31_000, "no validator, no stale window");
        let t = decide(&facts("max-age=10"), 60_000, 0).unwrap();
        assert_eq!(t.fresh_until_ms, 10_000);
        let t = decide(&facts("public"), 60_000, 0).unwrap();
        assert_eq!(t.fresh_until_ms, 60_000);
        let t = decide(&facts("max-age=999999999"), 60_000, 0).unwrap();
        assert_eq!(t.fresh_until_ms, MAX_TTL_MS);
    }

    #[test]
    fn never_stores_what_is_not_shared() {
        assert_eq!(decide(&facts("no-store"), 1, 0), Err(NotStored::NoStore));
        assert_eq!(
            decide(&facts("private, max-age=60"), 1, 0),
            Err(NotStored::Private)
        );
        let mut f = facts("max-age=60");
        f.set_cookie = true;
        assert_eq!(decide(&f, 1, 0), Err(NotStored::SetCookie));
        for status in [206, 301, 404, 500] {
            f = facts("max-age=60");
            f.status = status;
            assert_eq!(decide(&f, 1, 0), Err(NotStored::Status), "{status}");
        }
        f = facts("max-age=60");
        f.vary = Some("Accept-Encoding, Cookie");
        assert_eq!(decide(&f, 1, 0), Err(NotStored::Vary));
        f.vary = Some("*");
        assert_eq!(decide(&f, 1, 0), Err(NotStored::Vary));
        f.vary = Some("accept-encoding");
        assert!(decide(&f, 1, 0).is_ok());
    }

    #[test]
    fn zero_freshness_needs_a_validator() {
        assert_eq!(
            decide(&facts("no-cache"), 60_000, 0),
            Err(NotStored::NoFreshness)
        );
        let mut f = facts("max-age=0");
        f.has_validator = true;
        let t = decide(&f, 60_000, 5_000).unwrap();
        assert_eq!(t.usability(5_000), Usability::MustRevalidate);
        assert_eq!(t.keep_until_ms, 5_000 + MIN_REVALIDATION_KEEP_MS);
    }

    #[test]
    fn stale_windows() {
        let mut f = facts("max-age=10, stale-while-revalidate=5, stale-if-error=100");
        f.has_validator = true;
        let t = decide(&f, 60_000, 0).unwrap();
        assert_eq!(t.usability(9_999), Usability::Fresh);
        assert_eq!(t.usability(10_000), Usability::StaleWhileRevalidate);
        assert_eq!(t.usability(15_000), Usability::MustRevalidate);
        assert!(t.serves_on_error(109_999) && !t.serves_on_error(110_000));
        assert_eq!(t.keep_until_ms, 110_000);
        assert_eq!(t.keep_ms(200_000), 1);
        assert_eq!(t.fresh_ms(4_000), 6_000);
        assert_eq!(t.age_seconds(4_500), 4);
        let t = decide(
            &facts("max-age=10, stale-while-revalidate=5, must-revalidate"),
            1,
            0,
        )
        .unwrap();
        assert_eq!(t.usability(10_000), Usability::MustRevalidate);
        assert!(!t.serves_on_error(10_000));
    }

    #[test]
    fn accept_encoding_variants() {
        assert_eq!(encoding_variant(None), "identity");
        assert_eq!(encoding_variant(Some("gzip, deflate, br")), "br");
        assert_eq!(encoding_variant(Some("gzip;q=0.5, br;q=0")), "gzip");
        assert_eq!(encoding_variant(Some("GZIP")), "gzip");
        assert_eq!(encoding_variant(Some("*")), "br");
        assert_eq!(encoding_variant(Some("deflate")), "identity");
        assert!(ENCODING_VARIANTS.contains(&encoding_variant(Some("x"))));
    }
}
