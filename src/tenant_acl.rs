//! Server-side confinement of a workspace: a Redis ACL user per workspace,
//! as defence in depth behind the client-side [`crate::namespace`].
//!
//! The namespace prefixes keys in the client; a bug there, or a client that
//! skips it, would reach other tenants' keys. An ACL user `ws-<id>` limited
//! to keys and channels `ws:<id>:*` and to the namespace's allow-list makes
//! Redis itself answer `NOPERM` instead.
//!
//! Owns: building the `ACL SETUSER` line from the namespace's allow-list
//! (minus the commands an ACL key pattern cannot confine), asking Redis for
//! a password (`ACL GENPASS`) and, on Upstash only, for a REST token
//! (`ACL RESTTOKEN`). Must not: print, log or put in errors a password or
//! token; do any I/O other than through the given admin client.

use crate::client::Client;
use crate::config::Secret;
use crate::error::{Error, Result};
use crate::namespace::{allowed_commands, Namespace};
use crate::protocol::{Command, Value};

/// Commands of the namespace's allow-list a workspace ACL user never gets,
/// because a key pattern cannot confine them: KEYS and SCAN list every key
/// name in the database (ACL key patterns do not filter their replies), and
/// COPY's `DB` option writes into another database (ACL patterns are not
/// per database). A workspace client lists its keys through its own
/// namespace on an admin connection instead.
pub const DENIED_FOR_WORKSPACE_USERS: &[&str] = &["KEYS", "SCAN", "COPY"];

/// Commands the server itself sends on a workspace user's connection around
/// the client's commands (`/multi-exec` wraps them in MULTI/EXEC;
/// `/subscribe` and `/psubscribe` open a pub/sub connection as the user,
/// where the `&ws:<id>:*` channel rule confines them).
const TRANSPORT_COMMANDS: &[&str] = &["MULTI", "EXEC", "DISCARD", "SUBSCRIBE", "PSUBSCRIBE"];

/// How a workspace user is provisioned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AclOptions {
    /// Bits of the password `ACL GENPASS` generates; `None` uses Redis's
    /// default (256 bits, 64 hex characters).
    pub password_bits: Option<u32>,
}

impl AclOptions {
    /// The defaults: a 256-bit password.
    pub fn new() -> Self {
        Self::default()
    }
}

/// A provisioned workspace user: its name and its password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceUser {
    /// The ACL user name, `ws-<id>`.
    pub username: String,
    /// The password (Debug prints `<redacted>`).
    pub password: Secret,
}

/// The ACL user name of workspace `id`: `ws-<id>`.
pub fn workspace_username(id: &str) -> String {
    format!("ws-{id}")
}

/// The ACL rules (after `ACL SETUSER <user>`) that confine a user to
/// workspace `id`: `reset on >password ~ws:<id>:* &ws:<id>:* -@all +cmd...`.
///
/// The id is validated like [`Namespace::workspace`], so it holds no glob
/// metacharacters and cannot widen the pattern. The password is passed in
/// and is part of the returned rules: never print them.
pub fn setuser_rules(id: &str, password: &Secret) -> Result<Vec<String>> {
    let ns = Namespace::workspace(id)?;
    let prefix = String::from_utf8_lossy(ns.prefix()).into_owned();
    let mut rules = vec![
        "reset".to_owned(),
        "on".to_owned(),
        format!(">{}", password.expose()),
        format!("~{prefix}*"),
        format!("&{prefix}*"),
        "-@all".to_owned(),
    ];
    rules.extend(allowed_rules());
    Ok(rules)
}

/// `+cmd` / `+cmd|sub` for every allowed command Redis 7.0 has, minus
/// [`DENIED_FOR_WORKSPACE_USERS`], plus MULTI/EXEC/DISCARD. Newer commands
/// are left out (`ACL SETUSER` fails on a command the server does not
/// know): [`provision_workspace_user`] adds those the server has.
pub fn allowed_rules() -> Vec<String> {
    let mut out = workspace_rules(false);
    out.extend(
        TRANSPORT_COMMANDS
            .iter()
            .map(|c| format!("+{}", c.to_ascii_lowercase())),
    );
    crate::sorting::sort(&mut out);
    out.dedup();
    out
}

/// The rules [`allowed_rules`] leaves out: allowed commands newer than
/// Redis 7.0 (hash-field expiry, RedisJSON...), each with the name `COMMAND
/// INFO` takes, for provisioning to add those the server knows.
fn newer_rules() -> Vec<(String, String)> {
    workspace_rules(true)
        .into_iter()
        .map(|rule| {
            let name = rule.trim_start_matches('+').to_owned();
            (rule, name)
        })
        .collect()
}

/// `+cmd` rules of the allowed commands, of Redis 7.0's (`newer` false) or
/// of the later ones (`newer` true).
fn workspace_rules(newer: bool) -> Vec<String> {
    allowed_commands()
        .into_iter()
        .filter(|head| {
            let name = head.split(' ').next().unwrap_or_default();
            let since = crate::catalog::lookup(name.as_bytes()).map_or(0, |c| c.since);
            !DENIED_FOR_WORKSPACE_USERS.contains(&name) && (since > 0) == newer
        })
        .map(|head| format!("+{}", head.to_ascii_lowercase().replace(' ', "|")))
        .collect()
}

/// Creates (or resets) the ACL user of workspace `id` on the Redis behind
/// `admin` (a client whose token may run `ACL`), with a fresh password from
/// `ACL GENPASS`, and returns the user name and the password.
///
/// Errors: an invalid id is [`Error::Namespace`]; Redis refusing `ACL` is
/// [`Error::Permission`] or [`Error::Redis`]; a GENPASS reply that is not a
/// string is [`Error::UnexpectedReply`]. No error carries the password.
pub async fn provision_workspace_user(
    admin: &Client,
    id: &str,
    options: &AclOptions,
) -> Result<WorkspaceUser> {
    // Validate before asking Redis for anything.
    Namespace::workspace(id)?;
    let mut genpass = Command::new("ACL").arg("GENPASS");
    if let Some(bits) = options.password_bits {
        genpass = genpass.arg(bits.to_string());
    }
    let password = Secret::new(string_reply(admin.exec(genpass).await?, "ACL")?);
    let username = workspace_username(id);
    let mut setuser = Command::new("ACL").arg("SETUSER").arg(username.as_str());
    for rule in setuser_rules(id, &password)? {
        setuser = setuser.arg(rule);
    }
    for rule in known_newer_rules(admin).await {
        setuser = setuser.arg(rule);
    }
    admin.exec(setuser).await?;
    Ok(WorkspaceUser { username, password })
}

/// The [`newer_rules`] whose command the server behind `admin` knows (`COMMAND
/// INFO` answers it), so a workspace user on Redis 8 or Upstash may run
/// them. A server that refuses `COMMAND INFO` gets none of them: the user
/// still works, without the newer commands.
async fn known_newer_rules(admin: &Client) -> Vec<String> {
    let rules = newer_rules();
    if rules.is_empty() {
        return Vec::new();
    }
    let mut info = Command::new("COMMAND").arg("INFO");
    for (_, name) in &rules {
        info = info.arg(name.as_str());
    }
    match admin.exec(info).await {
        Ok(Value::Array(known)) if known.len() == rules.len() => rules
            .into_iter()
            .zip(known)
            .filter(|(_, k)| *k != Value::Nil)
            .map(|((rule, _), _)| rule)
            .collect(),
        _ => Vec::new(),
    }
}

/// `ACL RESTTOKEN <user> <password>`: a REST token for `user`, so a client
/// can use the workspace user over Upstash's REST API.
///
/// Upstash only: redis-server has no `ACL RESTTOKEN` (it answers an
/// `ERR unknown subcommand` error, returned as [`Error::Redis`]); with
/// edgestash-server, map a token to the user with `--token-map` instead.
pub async fn upstash_rest_token(admin: &Client, user: &str, password: &Secret) -> Result<Secret> {
    let cmd = Command::new("ACL")
        .arg("RESTTOKEN")
        .arg(user)
        .arg(password.expose());
    Ok(Secret::new(string_reply(admin.exec(cmd).await?, "ACL")?))
}

/// A string reply as UTF-8, or a typed error naming only its type.
fn string_reply(value: Value, command: &str) -> Result<String> {
    let got = match value {
        Value::Bytes(b) => {
            return String::from_utf8(b).map_err(|_| Error::UnexpectedReply {
                command: Some(command.to_owned()),
                expected: "a UTF-8 string",
                got: "non-UTF-8 bytes",
            })
        }
        Value::Nil => "nil",
        Value::Int(_) => "integer",
        Value::Array(_) => "array",
        _ => "other",
    };
    Err(Error::UnexpectedReply {
        command: Some(command.to_owned()),
        expected: "a string",
        got,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_confine_keys_channels_and_commands() {
        let rules = setuser_rules("A", &Secret::new("pw")).unwrap();
        assert_eq!(
            &rules[..6],
            ["reset", "on", ">pw", "~ws:A:*", "&ws:A:*", "-@all"]
        );
        assert!(rules.contains(&"+get".to_owned()));
        assert!(rules.contains(&"+xgroup|create".to_owned()));
        assert!(rules.contains(&"+script|load".to_owned()));
        assert!(rules.contains(&"+multi".to_owned()));
        assert!(rules.contains(&"+subscribe".to_owned()));
        assert!(rules.contains(&"+psubscribe".to_owned()));
        for denied in ["+keys", "+scan", "+copy", "+flushall", "+acl", "+config"] {
            assert!(!rules.contains(&denied.to_owned()), "{denied}");
        }
        // Commands newer than Redis 7.0 come only from provisioning, when
        // the server knows them.
        assert!(!rules.iter().any(|r| r.starts_with("+json.")));
        let newer = newer_rules();
        assert!(newer.contains(&("+json.get".to_owned(), "json.get".to_owned())));
        assert!(!newer.iter().any(|(r, _)| rules.contains(r)));
    }

    #[test]
    fn invalid_ids_are_refused() {
        assert!(setuser_rules("a*", &Secret::new("pw")).is_err());
        assert!(setuser_rules("", &Secret::new("pw")).is_err());
    }

    #[test]
    fn debug_hides_the_password() {
        let u = WorkspaceUser {
            username: "ws-a".to_owned(),
            password: Secret::new("hunter2"),
        };
        assert!(!format!("{u:?}").contains("hunter2"));
    }
}
