//! Workspace ids: what may follow `ws:` in a prefix.
//!
//! The id is part of every key of a tenant, so it is checked, never
//! rewritten: `[A-Za-z0-9_-]`, 1 to 64 characters. Neither `:` nor glob
//! characters can appear, so one workspace's prefix is never a prefix of
//! another's keys (`ws:4:` vs `ws:42:` differ at the colon).

use crate::error::{Error, NamespaceRefusal, Result};

/// The longest workspace id accepted.
pub const MAX_WORKSPACE_ID_LEN: usize = 64;

/// Checks a workspace id; the error never contains the id.
pub(crate) fn validate(id: &str) -> Result<()> {
    let ok = (1..=MAX_WORKSPACE_ID_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::namespace(None, NamespaceRefusal::InvalidWorkspaceId))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_the_documented_alphabet() {
        for good in ["42", "a", "A-b_9", &"x".repeat(64)] {
            assert!(validate(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "a:b",
            "a*",
            "a b",
            "é",
            "a/b",
            "ws:1",
            "a\n",
            "[x]",
            &"x".repeat(65),
        ] {
            let err = validate(bad).unwrap_err();
            assert_eq!(
                err.namespace_refusal(),
                Some(NamespaceRefusal::InvalidWorkspaceId)
            );
            if !bad.is_empty() {
                assert!(!err.to_string().contains(bad), "{err}");
            }
        }
    }
}
