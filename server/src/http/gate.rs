//! What may run: the REST refusal policy and the read-only permission,
//! applied to a parsed request before anything reaches the backend.
//!
//! Owns: deciding per command (pipeline: per slot; transaction: all or
//! nothing) and the NOPERM text. The refusal list itself lives in the
//! library ([`edgestash::protocol::rest_policy`]) so the mock transport
//! refuses the same commands. Must not: run commands.

use edgestash::mock::Reply;
use edgestash::protocol::rest_policy::refusal_of_allowing;
use edgestash::protocol::{is_read_only, ParsedRequest};
use edgestash::Value;

use edgestash::namespace::ScriptAllowList;

use super::auth::{Access, Identity};
use super::tenant_scripts;
use crate::backend::{Executed, Store, Unavailable, UNAVAILABLE};

/// The commands to send to the backend, and what to answer for the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gated {
    /// One command, allowed.
    Single(Vec<Vec<u8>>),
    /// One command answered here without the backend (`CLIENT SETINFO`).
    Answered(Reply),
    /// A pipeline: each slot either runs (`Ok`) or is already answered
    /// (`Err`: a refusal's error, or a local answer).
    Pipeline(Vec<Result<Vec<Vec<u8>>, Reply>>),
    /// A transaction, every command allowed.
    MultiExec(Vec<Vec<Vec<u8>>>),
    /// Refused as a whole, with this error text (single command or transaction).
    Refused(String),
}

/// The operator's choices the gate applies on top of the REST policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Server administration commands allowed over REST (upper case;
    /// `--allow-admin-commands`), see [`edgestash::protocol::rest_policy::is_admin_command`].
    pub admin_allowed: Vec<String>,
    /// The scripts `--token-map` tenants may run: edgestash's own and the
    /// operator's `--tenant-scripts` (see [`tenant_scripts`]).
    pub tenant_scripts: ScriptAllowList,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            admin_allowed: Vec::new(),
            tenant_scripts: ScriptAllowList::edgestash(),
        }
    }
}

/// What the gate answers for `parts` without the backend, if anything: a
/// refusal (`Err`), or a local answer for the harmless CLIENT subcommands
/// client libraries send at connect (a REST request has no connection of
/// its own, so there is nothing to set; Upstash answers them too).
fn decide(parts: &[Vec<u8>], who: Identity, policy: &Policy) -> Option<Reply> {
    if let Some(answer) = client_answer(parts) {
        return Some(answer);
    }
    let allowed: Vec<&str> = policy.admin_allowed.iter().map(String::as_str).collect();
    if let Some(text) = refusal_of_allowing(parts, &allowed) {
        return Some(Err(text));
    }
    if who.tenant.is_some() {
        if let Some(text) = tenant_scripts::refusal(parts, &policy.tenant_scripts) {
            return Some(Err(text.to_owned()));
        }
    }
    let access = who.access;
    let name = std::str::from_utf8(parts.first()?).unwrap_or("");
    if access == Access::ReadOnly && !is_read_only(name) {
        let name = parts
            .first()
            .map(|n| String::from_utf8_lossy(n))
            .unwrap_or_default();
        return Some(Err(noperm(&name)));
    }
    None
}

/// `CLIENT SETINFO|SETNAME ...` answer OK and `CLIENT GETNAME` nil: they
/// only concern a connection, which REST requests do not have.
fn client_answer(parts: &[Vec<u8>]) -> Option<Reply> {
    let (name, args) = parts.split_first()?;
    if !name.eq_ignore_ascii_case(b"CLIENT") {
        return None;
    }
    let sub = args.first()?;
    if sub.eq_ignore_ascii_case(b"SETINFO") && args.len() == 3
        || sub.eq_ignore_ascii_case(b"SETNAME") && args.len() == 2
    {
        Some(Ok(Value::Okay))
    } else if sub.eq_ignore_ascii_case(b"GETNAME") && args.len() == 1 {
        Some(Ok(Value::Nil))
    } else {
        None
    }
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

/// Applies the REST policy, the operator's `policy` and the permission of
/// `who` to a request.
pub fn gate(request: ParsedRequest, who: Identity, policy: &Policy) -> Gated {
    match request {
        ParsedRequest::Single(parts) => match decide(&parts, who, policy) {
            Some(Err(text)) => Gated::Refused(text),
            Some(answer) => Gated::Answered(answer),
            None => Gated::Single(parts),
        },
        ParsedRequest::Pipeline(cmds) => Gated::Pipeline(
            cmds.into_iter()
                .map(|c| match decide(&c, who, policy) {
                    Some(answer) => Err(answer),
                    None => Ok(c),
                })
                .collect(),
        ),
        // A transaction runs on Redis as a whole: a command answered here
        // could not keep its place in it, so it is refused like the others.
        ParsedRequest::MultiExec(cmds) => {
            let refused = cmds.iter().find_map(|c| match decide(c, who, policy) {
                Some(Err(text)) => Some(text),
                Some(Ok(_)) => Some(format!(
                    "ERR Command is not allowed in a transaction over REST: '{}'",
                    String::from_utf8_lossy(&c[0]).to_ascii_lowercase()
                )),
                None => None,
            });
            match refused {
                Some(text) => Gated::Refused(text),
                None => Gated::MultiExec(cmds),
            }
        }
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
            Self::Answered(reply) => Ok(Executed::Single(reply)),
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
                        Err(answer) => answer,
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
            Self::Refused(_) | Self::Answered(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request of the server's own token with `access`.
    fn token(access: Access) -> Identity {
        Identity {
            access,
            tenant: None,
        }
    }

    fn cmd(parts: &[&str]) -> Vec<Vec<u8>> {
        parts.iter().map(|p| p.as_bytes().to_vec()).collect()
    }

    #[test]
    fn read_only_token_refuses_writes() {
        assert_eq!(
            gate(
                ParsedRequest::Single(cmd(&["SET", "k", "v"])),
                token(Access::ReadOnly),
                &Policy::default()
            ),
            Gated::Refused(
                "NOPERM this user has no permissions to run the 'set' command".to_owned()
            )
        );
        assert_eq!(
            gate(
                ParsedRequest::Single(cmd(&["get", "k"])),
                token(Access::ReadOnly),
                &Policy::default()
            ),
            Gated::Single(cmd(&["get", "k"]))
        );
        let g = gate(
            ParsedRequest::Pipeline(vec![cmd(&["GET", "k"]), cmd(&["INCR", "k"])]),
            token(Access::ReadOnly),
            &Policy::default(),
        );
        assert!(matches!(&g, Gated::Pipeline(s) if s[0].is_ok() && s[1].is_err()));
        assert!(!g.writes());
        assert!(matches!(
            gate(
                ParsedRequest::MultiExec(vec![cmd(&["GET", "k"]), cmd(&["DEL", "k"])]),
                token(Access::ReadOnly),
                &Policy::default()
            ),
            Gated::Refused(t) if t.contains("'del'")
        ));
    }

    #[test]
    fn policy_applies_to_every_token() {
        assert!(matches!(
            gate(ParsedRequest::Single(cmd(&["WATCH", "k"])), token(Access::Full), &Policy::default()),
            Gated::Refused(t) if t == "ERR Command is not allowed over REST: 'watch'"
        ));
    }

    #[test]
    fn administration_and_client_setinfo() {
        let none = Policy::default();
        assert!(matches!(
            gate(ParsedRequest::Single(cmd(&["CONFIG", "SET", "x", "y"])), token(Access::Full), &none),
            Gated::Refused(t) if t.contains("'config'") && t.contains("--allow-admin-commands")
        ));
        let allowed = Policy {
            admin_allowed: vec!["CONFIG".to_owned()],
            ..Policy::default()
        };
        assert!(matches!(
            gate(
                ParsedRequest::Single(cmd(&["config", "GET", "x"])),
                token(Access::Full),
                &allowed
            ),
            Gated::Single(_)
        ));
        assert_eq!(
            gate(
                ParsedRequest::Single(cmd(&["CLIENT", "SETINFO", "LIB-NAME", "x"])),
                token(Access::ReadOnly),
                &none
            ),
            Gated::Answered(Ok(Value::Okay))
        );
        assert!(matches!(
            gate(
                ParsedRequest::Single(cmd(&["CLIENT", "KILL", "x"])),
                token(Access::Full),
                &none
            ),
            Gated::Refused(_)
        ));
        assert!(matches!(
            gate(
                ParsedRequest::MultiExec(vec![cmd(&["CLIENT", "SETNAME", "n"])]),
                token(Access::Full),
                &none
            ),
            Gated::Refused(_)
        ));
    }

    #[test]
    fn writes_are_detected() {
        assert!(gate(
            ParsedRequest::Single(cmd(&["SET", "k", "v"])),
            token(Access::Full),
            &Policy::default()
        )
        .writes());
        assert!(!gate(
            ParsedRequest::Single(cmd(&["GET", "k"])),
            token(Access::Full),
            &Policy::default()
        )
        .writes());
    }

    #[test]
    fn tenants_run_only_listed_scripts() {
        let policy = Policy::default();
        let tenant = Identity {
            access: Access::Full,
            tenant: Some(0),
        };
        let eval = || ParsedRequest::Single(cmd(&["EVAL", "while true do end", "0"]));
        assert!(
            matches!(gate(eval(), tenant, &policy), Gated::Refused(t) if t.contains("allow-listed"))
        );
        assert!(matches!(
            gate(eval(), token(Access::Full), &policy),
            Gated::Single(_)
        ));
        let mut listed = Policy::default();
        listed.tenant_scripts.register(b"while true do end");
        assert!(matches!(gate(eval(), tenant, &listed), Gated::Single(_)));
        let batch = gate(
            ParsedRequest::Pipeline(vec![cmd(&["GET", "k"]), cmd(&["SCRIPT", "FLUSH"])]),
            tenant,
            &listed,
        );
        assert!(matches!(&batch, Gated::Pipeline(s) if s[0].is_ok() && s[1].is_err()));
        assert!(matches!(
            gate(
                ParsedRequest::MultiExec(vec![cmd(&["FUNCTION", "FLUSH"])]),
                tenant,
                &listed
            ),
            Gated::Refused(_)
        ));
    }
}
