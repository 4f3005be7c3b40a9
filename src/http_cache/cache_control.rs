//! `Cache-Control` as a shared cache reads it (RFC 9111 §5.2.2, plus the
//! RFC 5861 stale extensions).
//!
//! Owns: splitting the header into directives (commas inside quoted
//! strings do not split), case-insensitive names, and what an invalid
//! number means. Must not: decide storability (that is
//! [`super::policy`]).

/// The directives of a response's `Cache-Control` that a shared cache
/// acts on; everything else is ignored, as RFC 9111 requires.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheControl {
    /// `no-store`: never stored anywhere.
    pub no_store: bool,
    /// `no-cache` (with or without field names): stored, but revalidated
    /// before every use.
    pub no_cache: bool,
    /// `private` (with or without field names): for one user; a shared
    /// cache never stores it. Field-qualified `private="..."` is treated
    /// the same, the conservative reading.
    pub private: bool,
    /// `must-revalidate` or `proxy-revalidate`: never served stale.
    pub must_revalidate: bool,
    /// `max-age` in seconds.
    pub max_age: Option<u64>,
    /// `s-maxage` in seconds: wins over `max-age` in a shared cache.
    pub s_maxage: Option<u64>,
    /// `stale-while-revalidate` in seconds (RFC 5861).
    pub stale_while_revalidate: Option<u64>,
    /// `stale-if-error` in seconds (RFC 5861).
    pub stale_if_error: Option<u64>,
}

impl CacheControl {
    /// Parses one header value (several `Cache-Control` lines joined with
    /// `,` parse the same). Unknown directives are skipped. A duration that
    /// is not a non-negative integer counts as 0 (stale at once: RFC 9111
    /// §4.2.1 asks for the conservative reading); the first occurrence of a
    /// directive wins.
    pub fn parse(header: &str) -> Self {
        let mut cc = Self::default();
        for directive in split_directives(header) {
            let (name, value) = match directive.split_once('=') {
                Some((n, v)) => (n.trim(), Some(v.trim().trim_matches('"'))),
                None => (directive.trim(), None),
            };
            let seconds = || value.map_or(0, |v| v.parse::<u64>().unwrap_or(0));
            match name.to_ascii_lowercase().as_str() {
                "no-store" => cc.no_store = true,
                "no-cache" => cc.no_cache = true,
                "private" => cc.private = true,
                "must-revalidate" | "proxy-revalidate" => cc.must_revalidate = true,
                "max-age" => {
                    cc.max_age.get_or_insert_with(seconds);
                }
                "s-maxage" => {
                    cc.s_maxage.get_or_insert_with(seconds);
                }
                "stale-while-revalidate" => {
                    cc.stale_while_revalidate.get_or_insert_with(seconds);
                }
                "stale-if-error" => {
                    cc.stale_if_error.get_or_insert_with(seconds);
                }
                _ => {}
            }
        }
        cc
    }

    /// The freshness lifetime a shared cache uses: `s-maxage`, else
    /// `max-age`; `None` when the origin gave neither.
    pub fn shared_max_age(&self) -> Option<u64> {
        self.s_maxage.or(self.max_age)
    }
}

/// Splits at commas outside double quotes; empty pieces are dropped.
fn split_directives(header: &str) -> impl Iterator<Item = &str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    let mut escaped = false;
    for (i, b) in header.bytes().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if quoted => escaped = true,
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                pieces.push(&header[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    pieces.push(&header[start..]);
    pieces.into_iter().filter(|p| !p.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_shared_cache_directives() {
        let cc = CacheControl::parse(
            "public, Max-Age=60, s-maxage=300, stale-while-revalidate=30, stale-if-error=600",
        );
        assert_eq!(cc.max_age, Some(60));
        assert_eq!(cc.s_maxage, Some(300));
        assert_eq!(cc.shared_max_age(), Some(300), "s-maxage wins");
        assert_eq!(cc.stale_while_revalidate, Some(30));
        assert_eq!(cc.stale_if_error, Some(600));
        assert!(!cc.no_store && !cc.private && !cc.no_cache);
        assert_eq!(CacheControl::parse("max-age=5").shared_max_age(), Some(5));
        assert_eq!(CacheControl::parse("").shared_max_age(), None);
    }

    #[test]
    fn flags_and_quoted_field_lists() {
        let cc = CacheControl::parse(r#"private="Set-Cookie, X-A", NO-STORE"#);
        assert!(cc.private && cc.no_store);
        let cc = CacheControl::parse(r#"no-cache="a,b", max-age=10, proxy-revalidate"#);
        assert!(cc.no_cache && cc.must_revalidate);
        assert_eq!(
            cc.max_age,
            Some(10),
            "the comma inside quotes did not split"
        );
    }

    #[test]
    fn bad_numbers_are_stale_and_the_first_wins() {
        assert_eq!(CacheControl::parse("max-age=soon").max_age, Some(0));
        assert_eq!(CacheControl::parse("max-age=-1").max_age, Some(0));
        assert_eq!(CacheControl::parse("max-age").max_age, Some(0));
        assert_eq!(CacheControl::parse("max-age=\"7\"").max_age, Some(7));
        assert_eq!(CacheControl::parse("max-age=7, max-age=9").max_age, Some(7));
        assert_eq!(
            CacheControl::parse(" , ,max-age=3,, unknown=x").max_age,
            Some(3)
        );
    }
}
