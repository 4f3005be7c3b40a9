//! Which commands the REST protocol refuses, whatever answers it.
//!
//! Owns: applying the catalogue's REST policy (`crate::catalog::Rest`)
//! to commands Upstash does not run over REST, shared by
//! `edgestash-server` and the mock transport (`src/mock/rest.rs`) so both
//! refuse exactly the same things. A REST request is one round trip with no
//! connection of its own, so commands that hold or change connection state
//! make no sense there: WATCH and hand-made MULTI/EXEC (transactions go
//! through `/multi-exec`), subscriptions and MONITOR (they have their own
//! streaming endpoints), connection commands other than PING and ECHO, WAIT
//! and SHUTDOWN. Blocking commands (BLPOP, XREAD ... BLOCK) do run, as on
//! Upstash: [`super::blocking`] says which and for how long, and a server
//! gives each its own Redis connection.
//!
//! Server administration (CONFIG, REPLICAOF, MIGRATE, MODULE, SAVE...) is
//! refused by default too: Upstash does not offer it.
//!
//! Must not: do I/O, or put argument values in the error text (the text
//! names the command only).

/// Why `name` may not run over REST, as the error text to reply; `None`
/// when it may. The arguments never matter: a command blocks or not by its
/// arguments (XREAD's BLOCK), but blocking commands run.
///
/// The policy is the command's catalogue record ([`Rest`]); server
/// administration ([`Rest::Admin`]) is refused too, as by default. A
/// command unknown to the catalogue passes, for the backend to run or to
/// call unknown.
///
/// The text is Upstash's, naming the command in lower case:
/// `ERR Command is not allowed over REST: 'watch'`.
pub fn refusal(name: &str) -> Option<String> {
    refusal_allowing(name, &[])
}

/// [`refusal`], except that the administration commands named in
/// `allowed_admin` (any case) run: an operator's explicit choice.
pub fn refusal_allowing(name: &str, allowed_admin: &[&str]) -> Option<String> {
    let record = catalog::lookup(name.as_bytes())?;
    let refused = match record.rest {
        Rest::Refused => true,
        Rest::Admin => !allowed_admin.iter().any(|a| a.eq_ignore_ascii_case(name)),
        _ => false,
    };
    refused.then(|| {
        let why = if record.rest == Rest::Admin {
            " (server administration; see --allow-admin-commands)"
        } else {
            ""
        };
        format!(
            "ERR Command is not allowed over REST: '{}'{why}",
            name.to_ascii_lowercase()
        )
    })
}

/// Whether `name` is a server administration command ([`Rest::Admin`]): the
/// only kind an operator may allow over REST.
pub fn is_admin_command(name: &str) -> bool {
    catalog::lookup(name.as_bytes()).is_some_and(|r| r.rest == Rest::Admin)
}

/// [`refusal_allowing`] for a command as parsed from a request, name first
/// (see [`refusal_of`]).
pub fn refusal_of_allowing(parts: &[Vec<u8>], allowed_admin: &[&str]) -> Option<String> {
    let name = std::str::from_utf8(parts.first()?).ok()?;
    refusal_allowing(name, allowed_admin)
}

/// [`refusal`] for a command as parsed from a request, name first.
///
/// A name that is not UTF-8 is never on the list, so it is allowed here and
/// left to the backend to call unknown.
pub fn refusal_of(parts: &[Vec<u8>]) -> Option<String> {
    refusal_of_allowing(parts, &[])
}

use crate::catalog::{self, Rest};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administration_is_refused_unless_allowed_by_name() {
        for name in [
            "config",
            "REPLICAOF",
            "migrate",
            "debug",
            "swapdb",
            "bgsave",
        ] {
            assert!(refusal(name).is_some(), "{name}");
        }
        assert_eq!(refusal_allowing("CONFIG", &["config"]), None);
        assert!(refusal_allowing("SHUTDOWN", &["shutdown"]).is_some());
        assert_eq!(refusal("NOSUCH"), None);
    }

    #[test]
    fn transaction_pubsub_and_connection_commands_are_refused() {
        for name in [
            "wait",
            "watch",
            "UNWATCH",
            "multi",
            "exec",
            "discard",
            "subscribe",
            "psubscribe",
            "ssubscribe",
            "unsubscribe",
            "punsubscribe",
            "monitor",
            "auth",
            "hello",
            "select",
            "quit",
            "reset",
            "client",
            "shutdown",
        ] {
            assert_eq!(
                refusal(name),
                Some(format!(
                    "ERR Command is not allowed over REST: '{}'",
                    name.to_ascii_lowercase()
                )),
                "{name}"
            );
        }
    }

    #[test]
    fn ordinary_commands_pass() {
        for name in [
            "GET", "set", "PING", "echo", "eval", "lpop", "publish", "xadd",
        ] {
            assert_eq!(refusal(name), None, "{name}");
        }
    }

    #[test]
    fn blocking_commands_run_as_on_upstash() {
        for name in [
            "blpop",
            "BRPOP",
            "BLMOVE",
            "bzpopmin",
            "BZMPOP",
            "brpoplpush",
        ] {
            assert_eq!(refusal(name), None, "{name}");
        }
        assert_eq!(refusal("xread"), None);
        assert_eq!(refusal("XREADGROUP"), None);
    }

    #[test]
    fn the_text_never_carries_arguments() {
        let text = refusal_of(&[b"WATCH".to_vec(), b"secret-key".to_vec()]).unwrap_or_default();
        assert!(text.starts_with("ERR Command is not allowed over REST"));
        assert!(!text.contains("secret"));
    }

    #[test]
    fn parsed_commands_are_checked_by_their_first_part() {
        assert!(refusal_of(&[b"WATCH".to_vec(), b"k".to_vec()]).is_some());
        assert_eq!(refusal_of(&[b"GET".to_vec()]), None);
        assert_eq!(refusal_of(&[vec![0xff]]), None);
        assert_eq!(refusal_of(&[]), None);
    }
}
