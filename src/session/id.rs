//! Session ids: 256 random bits from the platform CSPRNG, written as 43
//! characters of unpadded base64url, and the SHA-256 under which a session
//! is stored (so the raw id, a bearer secret, never appears in a key).
//!
//! Must not: accept anything but the exact id shape; a malformed id is
//! refused here, before it can reach Redis.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::SessionError;

/// Random bytes in an id: 256 bits, twice the 128 OWASP asks for.
const ID_BYTES: usize = 32;
/// Characters of an id: unpadded base64url of its 32 random bytes.
pub const ID_LEN: usize = 43;

/// A session id: a bearer secret. `Debug` does not print it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionId(String);

impl std::fmt::Debug for SessionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionId(<redacted>)")
    }
}

impl SessionId {
    /// A fresh id from the OS CSPRNG (`crypto.getRandomValues` on wasm32).
    pub fn generate() -> Result<Self, SessionError> {
        let mut bytes = [0u8; ID_BYTES];
        getrandom::fill(&mut bytes).map_err(|_| SessionError::Random)?;
        Ok(Self(URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// Accepts exactly the shape [`SessionId::generate`] produces (43
    /// characters of `[A-Za-z0-9_-]` that decode to 32 bytes), so attacker
    /// input of any other shape never reaches Redis.
    pub fn parse(text: &str) -> Result<Self, SessionError> {
        let shaped = text.len() == ID_LEN
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        // Decoding also rejects non-canonical trailing bits.
        if !shaped || URL_SAFE_NO_PAD.decode(text).is_err() {
            return Err(SessionError::MalformedId);
        }
        Ok(Self(text.to_owned()))
    }

    /// The id as sent in a cookie.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// SHA-256 of the id in hex: the part of the Redis key that names it.
    pub fn key_hash(&self) -> String {
        crate::scripts::to_hex(&Sha256::digest(self.0.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_parse_and_differ() {
        let a = SessionId::generate().unwrap();
        let b = SessionId::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), ID_LEN);
        assert_eq!(SessionId::parse(a.as_str()).unwrap(), a);
        assert_eq!(a.key_hash().len(), 64);
        assert!(!a.key_hash().contains(a.as_str()));
        assert!(!format!("{a:?}").contains(a.as_str()));
    }

    #[test]
    fn malformed_ids_are_refused() {
        let good = SessionId::generate().unwrap();
        for bad in [
            "",
            "short",
            &format!("{}=", &good.as_str()[..42]),
            &format!("{}*", &good.as_str()[..42]),
            &format!("{}a", good.as_str()),
            "ws:1:*\r\nFLUSHALL\r\naaaaaaaaaaaaaaaaaaaaaaaaaa",
        ] {
            assert!(
                matches!(SessionId::parse(bad), Err(SessionError::MalformedId)),
                "{bad}"
            );
        }
    }
}
