//! Which commands the REST protocol refuses, whatever answers it.
//!
//! Owns: applying the catalogue's REST policy (`crate::catalog::Rest`)
//! to commands Upstash does not run over REST, shared by
//! `edgestash-server` and the mock transport (`src/mock/rest.rs`) so both
//! refuse exactly the same things. A REST request is one round trip with no
//! connection of its own, so commands that block, hold or change connection
//! state make no sense there: blocking pops, WATCH and hand-made MULTI/EXEC
//! (transactions go through `/multi-exec`), subscriptions and MONITOR (they
//! have their own streaming endpoints), connection commands other than PING
//! and ECHO, and SHUTDOWN. On a server that multiplexes many clients over one
//! Redis connection they would also stall or corrupt everyone else's replies.
//!
//! Server administration (CONFIG, REPLICAOF, MIGRATE, MODULE, SAVE...) is
//! refused by default too: Upstash does not offer it.
//!
//! Must not: do I/O, or put argument values in the error text (the text
//! names the command only).

/// Why `name` with `args` (the arguments after the name) may not run over
/// REST, as the error text to reply; `None` when it may.
///
/// The policy is the command's catalogue record ([`Rest`]); server
/// administration ([`Rest::Admin`]) is refused too, as by default. A
/// command unknown to the catalogue passes, for the backend to run or to
/// call unknown.
///
/// The text is Upstash's, naming the command in lower case:
/// `ERR Command is not allowed over REST: 'blpop'`.
pub fn refusal<A: AsRef<[u8]>>(name: &str, args: &[A]) -> Option<String> {
    refusal_allowing(name, args, &[])
}

/// [`refusal`], except that the administration commands named in
/// `allowed_admin` (any case) run: an operator's explicit choice.
pub fn refusal_allowing<A: AsRef<[u8]>>(
    name: &str,
    args: &[A],
    allowed_admin: &[&str],
) -> Option<String> {
    let record = catalog::lookup(name.as_bytes())?;
    let refused = match record.rest {
        Rest::Refused => true,
        Rest::RefusedWithBlock => args
            .iter()
            .any(|a| a.as_ref().eq_ignore_ascii_case(b"BLOCK")),
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
    let (name, args) = parts.split_first()?;
    let name = std::str::from_utf8(name).ok()?;
    refusal_allowing(name, args, allowed_admin)
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
            assert!(refusal(name, NONE).is_some(), "{name}");
        }
        assert_eq!(refusal_allowing("CONFIG", &["GET", "x"], &["config"]), None);
        assert!(refusal_allowing("SHUTDOWN", NONE, &["shutdown"]).is_some());
        assert_eq!(refusal("NOSUCH", NONE), None);
    }

    const NONE: &[&[u8]] = &[];

    #[test]
    fn blocking_transaction_pubsub_and_connection_commands_are_refused() {
        for name in [
            "blpop",
            "BRPOP",
            "BrPopLPush",
            "BLMOVE",
            "blmpop",
            "bzpopmin",
            "BZPOPMAX",
            "bzmpop",
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
                refusal(name, NONE),
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
            assert_eq!(refusal(name, NONE), None, "{name}");
        }
    }

    #[test]
    fn xread_is_refused_only_with_block() {
        assert_eq!(refusal("XREAD", &["STREAMS", "s", "0"]), None);
        assert_eq!(
            refusal("xread", &["block", "0", "STREAMS", "s", "$"]),
            Some("ERR Command is not allowed over REST: 'xread'".to_owned())
        );
        assert!(refusal("XREADGROUP", &["GROUP", "g", "c", "BLOCK", "10"]).is_some());
    }

    #[test]
    fn the_text_never_carries_arguments() {
        let text = refusal("BLPOP", &["secret-key", "0"]).unwrap_or_default();
        assert!(!text.contains("secret"));
    }

    #[test]
    fn parsed_commands_are_checked_by_their_first_part() {
        assert!(refusal_of(&[b"BLPOP".to_vec(), b"k".to_vec()]).is_some());
        assert_eq!(refusal_of(&[b"GET".to_vec()]), None);
        assert_eq!(refusal_of(&[vec![0xff]]), None);
        assert_eq!(refusal_of(&[]), None);
    }
}
