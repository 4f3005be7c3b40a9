//! The scripts a workspace may run: an allow-list of SHA-1s.
//!
//! A Lua script can touch any key whatever its KEYS say, so a namespace
//! cannot make an arbitrary script safe. Only edgestash's own vetted
//! scripts (which touch nothing but their KEYS) are accepted: EVAL of a
//! body whose SHA-1 is listed, EVALSHA of a listed SHA-1, SCRIPT LOAD and
//! SCRIPT EXISTS of listed scripts. Everything else is refused.
//!
//! Script replies are not un-prefixed: a registered script that returns key
//! names returns them with the workspace prefix.

use sha1::{Digest, Sha1};

/// A set of script SHA-1s a namespace accepts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScriptAllowList {
    /// Sorted and without duplicates (a `Vec` rather than a `BTreeSet`:
    /// a handful of entries, and one less B-tree in the wasm builds).
    shas: Vec<[u8; 20]>,
}

impl ScriptAllowList {
    /// An empty list: no script may run.
    pub fn new() -> Self {
        Self::default()
    }

    /// edgestash's own vetted scripts, the list every workspace starts with.
    pub fn edgestash() -> Self {
        let mut list = Self::new();
        for script in crate::scripts::ALL {
            list.register(script.source.as_bytes());
        }
        list
    }

    /// Registers a script body and returns its SHA-1 as lower-case hex (the
    /// form EVALSHA takes). Register only scripts that access nothing but
    /// their KEYS: the namespace prefixes KEYS, never what a script computes.
    pub fn register(&mut self, body: &[u8]) -> String {
        let sha = sha1_of(body);
        if let Err(at) = self.shas.binary_search(&sha) {
            self.shas.insert(at, sha);
        }
        crate::scripts::to_hex(&sha)
    }

    /// Registers a script by its SHA-1 (40 hex digits, any case), for an
    /// operator's list of scripts whose bodies are not at hand. False (and
    /// nothing registered) when `sha` is not 40 hex digits.
    pub fn register_sha(&mut self, sha: &str) -> bool {
        let Some(sha) = parse_hex(sha.as_bytes()) else {
            return false;
        };
        if let Err(at) = self.shas.binary_search(&sha) {
            self.shas.insert(at, sha);
        }
        true
    }

    /// True when the SHA-1 of `body` is registered.
    pub fn allows_body(&self, body: &[u8]) -> bool {
        self.shas.binary_search(&sha1_of(body)).is_ok()
    }

    /// True when `sha` (40 hex digits, any case) is registered.
    pub fn allows_sha(&self, sha: &[u8]) -> bool {
        parse_hex(sha).is_some_and(|s| self.shas.binary_search(&s).is_ok())
    }

    /// How many scripts are registered.
    pub fn len(&self) -> usize {
        self.shas.len()
    }

    /// True when no script is registered.
    pub fn is_empty(&self) -> bool {
        self.shas.is_empty()
    }
}

fn sha1_of(body: &[u8]) -> [u8; 20] {
    Sha1::digest(body).into()
}

fn parse_hex(text: &[u8]) -> Option<[u8; 20]> {
    if text.len() != 40 {
        return None;
    }
    let mut out = [0u8; 20];
    for (slot, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let hi = char::from(*pair.first()?).to_digit(16)?;
        let lo = char::from(*pair.get(1)?).to_digit(16)?;
        *slot = u8::try_from(hi * 16 + lo).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_by_sha1() {
        let mut list = ScriptAllowList::new();
        assert!(list.is_empty());
        let sha = list.register(b"return 1");
        // redis-cli SCRIPT LOAD "return 1"
        assert_eq!(sha, "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
        assert!(list.allows_body(b"return 1"));
        assert!(!list.allows_body(b"return 2"));
        assert!(list.allows_sha(sha.as_bytes()));
        assert!(list.allows_sha(sha.to_ascii_uppercase().as_bytes()));
        assert!(!list.allows_sha(b"e0e1"));
        assert!(!list.allows_sha(&[b'g'; 40]));
        assert_eq!(list.len(), 1);
        let other = "A".repeat(40);
        assert!(list.register_sha(&other));
        assert!(list.register_sha(&other.to_ascii_lowercase()));
        assert!(list.allows_sha(other.as_bytes()));
        assert_eq!(list.len(), 2);
        assert!(!list.register_sha("abc"));
        assert!(!list.register_sha(&"z".repeat(40)));
        assert_eq!(list.len(), 2);
    }

    #[test]
    fn edgestash_lists_every_own_script() {
        assert_eq!(
            ScriptAllowList::edgestash().len(),
            crate::scripts::ALL.len()
        );
    }
}
