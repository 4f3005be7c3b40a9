//! What may run: the REST refusal policy and the read-only permission,
//! applied to a parsed request before anything reaches the backend.
//!
//! Owns: deciding per command (pipeline: per slot; transaction: all or
//! nothing) and the NOPERM text. The refusal list itself lives in the
//! library ([`edgestash::protocol::rest_policy`]) so the mock transport
//! refuses the same commands. Must not: run commands.

use edgestash::protocol::rest_policy::refusal_of;
use edgestash::protocol::{is_read_only, ParsedRequest};

use edgestash::mock::Reply;

use super::auth::Access;
use crate::backend::{Executed, Store, Unavailable, UNAVAILABLE};

/// The commands to send to the backend, and what to answer for the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gated {
    /// One command, allowed.
    Single(Vec<Vec<u8>>),
    /// A pipeline: each slot either runs (`Ok`) or already has its error.
    Pipeline(Vec<Result<Vec<Vec<u8>>, String>>),
    /// A transaction, every command allowed.
    MultiExec(Vec<Vec<Vec<u8>>>),
    /// Refused as a whole, with this error text (single command or transaction).
    Refused(String),
}

/// Why `access` may not run `parts`, if it may not.
fn deny(parts: &[Vec<u8>], access: Access) -> Option<String> {
    if let Some(text) = refusal_of(parts) {
        return Some(text);
    }
    if access == Access::ReadOnly {
        let name = parts
            .first()
            .map(|n| String::from_utf8_lossy(n))
            .unwrap_or_default();
        if !is_read_only(&name) {
            return Some(noperm(&name));
        }
    }
    None
}

/// Redis's text for a command the user's ACL does not allow.
fn noperm(name: &str) -> String {
    // The name is printed by Redis in lower case; it is the command, not an
    // argument, so it may appear in the text.
    format!(
        "NOPERM this user has no permissions to run the '{}' command",
        name.to_ascii_lowercase()
    )
}

/// Applies the policy and the permission to a request.
pub fn gate(request: ParsedRequest, access: Access) -> Gated {
    match request {
        ParsedRequest::Single(parts) => match deny(&parts, access) {
            Some(text) => Gated::Refused(text),
            None => Gated::Single(parts),
        },
        ParsedRequest::Pipeline(cmds) => Gated::Pipeline(
            cmds.into_iter()
                .map(|c| match deny(&c, access) {
                    Some(text) => Err(text),
                    None => Ok(c),
                })
                .collect(),
        ),
        ParsedRequest::MultiExec(cmds) => match cmds.iter().find_map(|c| deny(c, access)) {
            Some(text) => Gated::Refused(text),
            None => Gated::MultiExec(cmds),
        },
        // A request shape this server does not know is refused, not guessed at.
        _ => Gated::Refused("ERR unsupported request".to_owned()),
    }
}

impl Gated {
    /// Runs what the gate allowed on `store`; refused slots keep their
    /// error text in place.
    pub async fn run(self, store: &Store) -> Result<Executed, Unavailable> {
        match self {
            Self::Refused(text) => Ok(Executed::Discarded(text)),
            Self::Single(parts) => {
                let mut out = store.pipeline(std::slice::from_ref(&parts)).await?;
                Ok(Executed::Single(
                    out.pop().unwrap_or_else(|| Err(UNAVAILABLE.to_owned())),
                ))
            }
            Self::Pipeline(slots) => {
                let allowed: Vec<Vec<Vec<u8>>> = slots
                    .iter()
                    .filter_map(|s| s.as_ref().ok().cloned())
                    .collect();
                let mut ran = if allowed.is_empty() {
                    Vec::new()
                } else {
                    store.pipeline(&allowed).await?
                }
                .into_iter();
                let merged: Vec<Reply> = slots
                    .into_iter()
                    .map(|slot| match slot {
                        Err(text) => Err(text),
                        Ok(_) => ran
                            .next()
                            .unwrap_or_else(|| Err("ERR missing reply".to_owned())),
                    })
                    .collect();
                Ok(Executed::Batch(merged))
            }
            Self::MultiExec(cmds) => match store.multi_exec(&cmds).await? {
                Ok(outcomes) => Ok(Executed::Batch(outcomes)),
                Err(text) => Ok(Executed::Discarded(text)),
            },
        }
    }

    /// True when a command that may change data will run (the sync token moves).
    pub fn writes(&self) -> bool {
        let is_write = |c: &Vec<Vec<u8>>| {
            c.first()
                .is_some_and(|n| !is_read_only(&String::from_utf8_lossy(n)))
        };
        match self {
            Self::Single(c) => is_write(c),
            Self::Pipeline(slots) => slots.iter().flatten().any(is_write),
            Self::MultiExec(cmds) => cmds.iter().any(is_write),
            Self::Refused(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(parts: &[&str]) -> Vec<Vec<u8>> {
        parts.iter().map(|p| p.as_bytes().to_vec()).collect()
    }

    #[test]
    fn read_only_token_refuses_writes() {
        assert_eq!(
            gate(
                ParsedRequest::Single(cmd(&["SET", "k", "v"])),
                Access::ReadOnly
            ),
            Gated::Refused(
                "NOPERM this user has no permissions to run the 'set' command".to_owned()
            )
        );
        assert_eq!(
            gate(ParsedRequest::Single(cmd(&["get", "k"])), Access::ReadOnly),
            Gated::Single(cmd(&["get", "k"]))
        );
        let g = gate(
            ParsedRequest::Pipeline(vec![cmd(&["GET", "k"]), cmd(&["INCR", "k"])]),
            Access::ReadOnly,
        );
        assert!(matches!(&g, Gated::Pipeline(s) if s[0].is_ok() && s[1].is_err()));
        assert!(!g.writes());
        assert!(matches!(
            gate(
                ParsedRequest::MultiExec(vec![cmd(&["GET", "k"]), cmd(&["DEL", "k"])]),
                Access::ReadOnly
            ),
            Gated::Refused(t) if t.contains("'del'")
        ));
    }

    #[test]
    fn policy_applies_to_every_token() {
        assert!(matches!(
            gate(ParsedRequest::Single(cmd(&["BLPOP", "k", "0"])), Access::Full),
            Gated::Refused(t) if t == "ERR Command is not allowed over REST: 'blpop'"
        ));
    }

    #[test]
    fn writes_are_detected() {
        assert!(gate(ParsedRequest::Single(cmd(&["SET", "k", "v"])), Access::Full).writes());
        assert!(!gate(ParsedRequest::Single(cmd(&["GET", "k"])), Access::Full).writes());
    }
}
