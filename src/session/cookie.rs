//! The session cookie: finding it in a `Cookie` header, building the
//! `Set-Cookie` that carries it, and optional HMAC-SHA-256 signing.
//!
//! Signing is defence in depth (ids are already 256 random bits): a signed
//! value is `<id>.<base64url tag>`, verified in constant time by the `hmac`
//! crate before the id is parsed. Must not: talk to Redis or log values.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::{Session, SessionError, SessionId};

/// The `SameSite` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SameSite {
    /// Sent on top-level navigations from other sites, not on their
    /// subrequests: the usual choice for a session.
    #[default]
    Lax,
    /// Never sent from another site.
    Strict,
    /// Always sent (requires `Secure`).
    None,
}

impl SameSite {
    fn word(self) -> &'static str {
        match self {
            Self::Lax => "Lax",
            Self::Strict => "Strict",
            Self::None => "None",
        }
    }
}

/// How the session cookie is named, scoped and (optionally) signed.
#[derive(Clone)]
pub struct CookieConfig {
    /// Cookie name.
    pub name: String,
    /// `Path` attribute.
    pub path: String,
    /// `Domain` attribute, if any.
    pub domain: Option<String>,
    /// `SameSite` attribute.
    pub same_site: SameSite,
    /// `Secure` attribute (keep it on outside local development).
    pub secure: bool,
    /// `HttpOnly` attribute (keep it on: scripts never need the id).
    pub http_only: bool,
    signing_key: Option<Vec<u8>>,
}

/// Hides the signing key.
impl std::fmt::Debug for CookieConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CookieConfig")
            .field("name", &self.name)
            .field("path", &self.path)
            .field("same_site", &self.same_site)
            .field("signed", &self.signing_key.is_some())
            .finish()
    }
}

impl Default for CookieConfig {
    /// `sid`, Path=/, HttpOnly, Secure, SameSite=Lax, unsigned.
    fn default() -> Self {
        Self {
            name: "sid".to_owned(),
            path: "/".to_owned(),
            domain: None,
            same_site: SameSite::Lax,
            secure: true,
            http_only: true,
            signing_key: None,
        }
    }
}

type HmacSha256 = Hmac<Sha256>;

impl CookieConfig {
    /// Signs cookie values with HMAC-SHA-256 under `key` (use 32+ random bytes).
    pub fn signed(mut self, key: &[u8]) -> Self {
        self.signing_key = Some(key.to_vec());
        self
    }

    fn mac(&self, key: &[u8], id: &str) -> Result<HmacSha256, SessionError> {
        let mut mac = HmacSha256::new_from_slice(key).map_err(|_| SessionError::BadSignature)?;
        mac.update(id.as_bytes());
        Ok(mac)
    }

    /// The cookie value for `id`: the id, plus its tag when signing.
    pub fn value(&self, id: &SessionId) -> Result<String, SessionError> {
        match &self.signing_key {
            None => Ok(id.as_str().to_owned()),
            Some(key) => {
                let tag = self.mac(key, id.as_str())?.finalize().into_bytes();
                Ok(format!("{}.{}", id.as_str(), URL_SAFE_NO_PAD.encode(tag)))
            }
        }
    }

    /// The session id in a cookie value: signature verified (constant
    /// time) when signing, shape checked always. Typed errors, no I/O.
    pub fn id_from_value(&self, value: &str) -> Result<SessionId, SessionError> {
        let Some(key) = &self.signing_key else {
            return SessionId::parse(value);
        };
        let (id, tag) = value.split_once('.').ok_or(SessionError::BadSignature)?;
        let tag = URL_SAFE_NO_PAD
            .decode(tag)
            .map_err(|_| SessionError::BadSignature)?;
        self.mac(key, id)?
            .verify_slice(&tag)
            .map_err(|_| SessionError::BadSignature)?;
        SessionId::parse(id)
    }

    /// The session id from a request's `Cookie` header: `Ok(None)` when the
    /// cookie is absent, an error when it is present but malformed or
    /// badly signed.
    pub fn id_from_header(&self, header: &str) -> Result<Option<SessionId>, SessionError> {
        parse_cookie_header(header, &self.name)
            .map(|v| self.id_from_value(v))
            .transpose()
    }

    fn attributes(&self, out: &mut String) {
        out.push_str("; Path=");
        out.push_str(&self.path);
        if let Some(domain) = &self.domain {
            out.push_str("; Domain=");
            out.push_str(domain);
        }
        if self.secure {
            out.push_str("; Secure");
        }
        if self.http_only {
            out.push_str("; HttpOnly");
        }
        out.push_str("; SameSite=");
        out.push_str(self.same_site.word());
    }

    /// A `Set-Cookie` value for `session`, living until its absolute
    /// lifetime ends (`Max-Age` and `Expires` both, counted from `now_ms`;
    /// the idle timeout is enforced server-side).
    pub fn set_cookie<T>(&self, session: &Session<T>, now_ms: u64) -> Result<String, SessionError> {
        let max_age = session.expires_ms.saturating_sub(now_ms) / 1000;
        let mut out = format!("{}={}", self.name, self.value(&session.id)?);
        out.push_str(&format!(
            "; Max-Age={max_age}; Expires={}",
            http_date(session.expires_ms / 1000)
        ));
        self.attributes(&mut out);
        Ok(out)
    }

    /// A `Set-Cookie` value that deletes the cookie (after logout).
    pub fn clear_cookie(&self) -> String {
        let mut out = format!(
            "{}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            self.name
        );
        self.attributes(&mut out);
        out
    }
}

/// The value of cookie `name` in a `Cookie` header (`a=1; b=2`), if present.
/// The first occurrence wins, as browsers send the most specific path first.
pub fn parse_cookie_header<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k.trim() == name).then(|| v.trim().trim_matches('"'))
    })
}

/// An IMF-fixdate (`Thu, 01 Jan 1970 00:00:00 GMT`) for Unix seconds.
fn http_date(unix_secs: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix_secs / 86_400;
    let secs = unix_secs % 86_400;
    // Howard Hinnant's civil_from_days, for days since 1970-01-01 >= 0.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    let weekday = DAYS.get((days % 7) as usize).copied().unwrap_or("Thu");
    let month_name = MONTHS.get((month - 1) as usize).copied().unwrap_or("Jan");
    format!(
        "{weekday}, {day:02} {month_name} {year} {:02}:{:02}:{:02} GMT",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(expires_ms: u64) -> Session<()> {
        Session {
            id: SessionId::generate().unwrap(),
            user: None,
            created_ms: 0,
            expires_ms,
            data: (),
        }
    }

    #[test]
    fn formats_http_dates() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(1_445_412_480), "Wed, 21 Oct 2015 07:28:00 GMT");
        assert_eq!(http_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
    }

    #[test]
    fn builds_set_cookie_matching_the_session() {
        let c = CookieConfig::default();
        let s = session(1_445_412_480_000);
        let header = c.set_cookie(&s, 1_445_412_480_000 - 3_600_000).unwrap();
        assert_eq!(
            header,
            format!(
                "sid={}; Max-Age=3600; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Path=/; Secure; HttpOnly; SameSite=Lax",
                s.id.as_str()
            )
        );
        let strict = CookieConfig {
            same_site: SameSite::Strict,
            domain: Some("example.com".into()),
            ..CookieConfig::default()
        };
        assert!(strict.clear_cookie().contains("Max-Age=0"));
        assert!(strict
            .clear_cookie()
            .ends_with("Domain=example.com; Secure; HttpOnly; SameSite=Strict"));
    }

    #[test]
    fn parses_cookie_headers_and_rejects_malformed_ids() {
        let c = CookieConfig::default();
        let id = SessionId::generate().unwrap();
        let header = format!("theme=dark; sid={}; other=1", id.as_str());
        assert_eq!(c.id_from_header(&header).unwrap(), Some(id));
        assert_eq!(c.id_from_header("theme=dark").unwrap(), None);
        assert!(matches!(
            c.id_from_header("sid=../../etc"),
            Err(SessionError::MalformedId)
        ));
        assert_eq!(parse_cookie_header("a=1;b=\"2\"", "b"), Some("2"));
    }

    #[test]
    fn signed_values_verify_and_tampering_fails() {
        let c = CookieConfig::default().signed(b"0123456789abcdef0123456789abcdef");
        let id = SessionId::generate().unwrap();
        let value = c.value(&id).unwrap();
        assert!(value.starts_with(id.as_str()));
        assert_eq!(c.id_from_value(&value).unwrap(), id);
        let other = SessionId::generate().unwrap();
        let (_, tag) = value.split_once('.').unwrap();
        for forged in [
            format!("{}.{tag}", other.as_str()),
            id.as_str().to_owned(),
            format!("{}.AAAA", id.as_str()),
            format!("{}.!!", id.as_str()),
        ] {
            assert!(
                matches!(c.id_from_value(&forged), Err(SessionError::BadSignature)),
                "{forged}"
            );
        }
        let wrong_key = CookieConfig::default().signed(b"another key");
        assert!(wrong_key.id_from_value(&value).is_err());
    }
}
