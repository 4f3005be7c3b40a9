//! The command catalogue: every per-command fact edgestash knows, in one
//! record per command (`table.rs`).
//!
//! Owns: each command's name, arity, Redis flags, key specs (as `COMMAND
//! INFO` gives them), family, REST policy and namespace class, and the
//! look-up by name. Every consumer reads it: the engine's dispatch and arity
//! check (`mock`), the namespace rewrite (`namespace::key_specs`), the
//! read-only and retry decisions (`protocol::read_only`), the REST policy
//! (`protocol::rest_policy`), the cluster router (edgestash-server),
//! `docs/COVERAGE.md` and `js/src/commands.js` (both generated from it by
//! `catalog::generated` tests). The integration test `catalog_vs_redis`
//! checks every record against a real redis-server.
//!
//! A command missing here is unknown everywhere: the engine answers Redis's
//! unknown-command error, the namespace refuses it, retries treat it as a
//! write, and the REST policy passes it to Redis.
//!
//! Must not: run commands or hold per-command facts anywhere else. Adding a
//! command is one entry in `table.rs` (docs/ARCHITECTURE.md, "Adding a
//! command").

#[cfg(test)]
mod generated;
#[cfg(test)]
mod js_shape;
mod key_spec;
mod record;
mod table;

pub use key_spec::{key_positions, Begin, Find, KeyFlags, KeySpec, MalformedKeys};
pub use record::{Command, Family, Flags, Namespace, ReplyKeys, Rest};

/// Every record, sorted by name (container subcommands as `XGROUP|CREATE`).
pub fn all() -> &'static [Command] {
    table::COMMANDS
}

/// The record of a command name in any case (`get`, `XGROUP|create`).
pub fn lookup(name: &[u8]) -> Option<&'static Command> {
    // Upper-cased on the stack: no allocation per command. A name longer
    // than any command is simply unknown.
    let mut buf = [0u8; 40];
    let upper = buf.get_mut(..name.len())?;
    upper.copy_from_slice(name);
    upper.make_ascii_uppercase();
    let upper = std::str::from_utf8(upper).ok()?;
    table::COMMANDS
        .binary_search_by(|c| c.name.cmp(upper))
        .ok()
        .and_then(|i| table::COMMANDS.get(i))
}

/// The record a command line (name first) runs: the subcommand's record for
/// a container with one (`XGROUP CREATE` is `XGROUP|CREATE`), else the
/// command's own. `None` for an unknown command.
pub fn resolve<A: AsRef<[u8]>>(parts: &[A]) -> Option<&'static Command> {
    let top = lookup(parts.first()?.as_ref())?;
    if !top.is_container() {
        return Some(top);
    }
    let sub = parts.get(1).map(AsRef::as_ref).and_then(|sub| {
        let mut name = [0u8; 40];
        let len = top.name.len() + 1 + sub.len();
        let dst = name.get_mut(..len)?;
        let (head, rest) = dst.split_at_mut(top.name.len());
        head.copy_from_slice(top.name.as_bytes());
        let (bar, tail) = rest.split_at_mut(1);
        bar.copy_from_slice(b"|");
        tail.copy_from_slice(sub);
        lookup(dst)
    });
    Some(sub.unwrap_or(top))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_unique_and_upper_case() {
        for pair in all().windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} / {}",
                pair[0].name,
                pair[1].name
            );
        }
        for c in all() {
            assert_eq!(c.name, c.name.to_ascii_uppercase());
            assert!(c.name.len() <= 40, "{}", c.name);
        }
    }

    #[test]
    fn looks_up_in_any_case_and_resolves_subcommands() {
        assert_eq!(lookup(b"hincrbyfloat").map(|c| c.arity), Some(4));
        assert!(lookup(b"NOSUCH").is_none());
        assert!(lookup(&[0xff]).is_none());
        assert!(lookup(&[b'a'; 64]).is_none());
        let create = resolve(&["xgroup", "create", "s", "g", "$"]).map(|c| c.name);
        assert_eq!(create, Some("XGROUP|CREATE"));
        assert_eq!(
            resolve(&["XGROUP", "nosuch"]).map(|c| c.name),
            Some("XGROUP")
        );
        assert_eq!(resolve(&["get", "k"]).map(|c| c.name), Some("GET"));
        assert!(resolve::<&str>(&[]).is_none());
    }
}
