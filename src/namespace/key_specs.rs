//! The allow-list: which commands may run in a workspace, where their keys
//! are, and which replies carry key names, all derived from the command
//! catalogue ([`crate::catalog`]).
//!
//! A command is allowed when its record's namespace class says so: keys
//! where its Redis key specs put them ([`Namespace::Derive`]), or one of the
//! namespace's own rules for commands whose keys Redis's specs cannot
//! pin down (SORT, COPY, GEORADIUS, SCAN, KEYS, PUBLISH, EVAL*, SCRIPT). A
//! command that is unknown to the catalogue, or whose record does not allow
//! it, is refused: the namespace cannot prove where its keys are, so it
//! must not guess. The integration test `namespace_keyspecs` checks every
//! allowed command against `COMMAND GETKEYS` of a real redis-server.

pub use crate::catalog::ReplyKeys;
use crate::catalog::{self, Namespace};

/// Where a command's keys (or channels, or patterns) are among its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeySpec {
    /// Where the catalogue's key specs say (none: the command has no keys).
    Specs(&'static [catalog::KeySpec]),
    /// GEORADIUS / GEORADIUSBYMEMBER: the key at 0 and the argument after
    /// every STORE / STOREDIST from position 4 on (Redis's getkeys takes
    /// only the last one; prefixing all of them leaves none outside).
    GeoRadius,
    /// SORT / SORT_RO: the key at 0 and the STORE destination; BY and GET
    /// read other keys by pattern and are refused.
    Sort,
    /// COPY source destination: the DB option would leave the database and
    /// is refused.
    Copy,
    /// PUBLISH: the channel at 0.
    Channel,
    /// KEYS: the pattern at 0.
    KeysPattern,
    /// SCAN cursor [MATCH p] [COUNT n] [TYPE t]: every MATCH pattern, and a
    /// MATCH added when there is none.
    Scan,
    /// EVAL / EVAL_RO: a registered script body at 0, keys by count at 1.
    EvalBody,
    /// EVALSHA / EVALSHA_RO: a registered SHA-1 at 0, keys by count at 1.
    EvalSha,
    /// SCRIPT LOAD of a registered body, SCRIPT EXISTS of registered SHA-1s.
    Script,
    /// A container command (XGROUP, XINFO): the subcommand (at 0) picks
    /// the record, whose key specs count positions from the command name.
    Subcommands(&'static str),
}

/// One allowed command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Where its keys are.
    pub keys: KeySpec,
    /// Which reply parts are key names.
    pub reply: ReplyKeys,
}

/// The namespace's view of a record; `None` when it is refused.
fn entry(record: &'static catalog::Command) -> Option<Entry> {
    let keys = match record.namespace {
        Namespace::Derive if record.is_container() => KeySpec::Subcommands(record.name),
        Namespace::Derive => KeySpec::Specs(record.keys),
        Namespace::GeoRadius => KeySpec::GeoRadius,
        Namespace::Sort => KeySpec::Sort,
        Namespace::Copy => KeySpec::Copy,
        Namespace::Channel => KeySpec::Channel,
        Namespace::Pattern => KeySpec::KeysPattern,
        Namespace::Scan => KeySpec::Scan,
        Namespace::EvalBody => KeySpec::EvalBody,
        Namespace::EvalSha => KeySpec::EvalSha,
        Namespace::Script => KeySpec::Script,
        _ => return None,
    };
    Some(Entry {
        keys,
        reply: record.reply_keys,
    })
}

/// The entry for a command name (any case); `None` when refused.
pub(crate) fn lookup(name: &str) -> Option<Entry> {
    catalog::lookup(name.as_bytes()).and_then(entry)
}

/// The key specs of a container's subcommand (any case) when that
/// subcommand is allowed.
pub(crate) fn subcommand(container: &str, sub: &[u8]) -> Option<&'static [catalog::KeySpec]> {
    let record = catalog::resolve(&[container.as_bytes(), sub])?;
    let allowed = record.name.contains('|') && record.namespace == Namespace::Derive;
    allowed.then_some(record.keys)
}

/// True for commands refused because they reach beyond one workspace.
pub(crate) fn is_forbidden(name: &str) -> bool {
    catalog::lookup(name.as_bytes()).is_some_and(|c| c.namespace == Namespace::Forbidden)
}

/// Every allowed command line head: `GET`, and `XGROUP CREATE` for
/// subcommands. For tests that must cover the whole allow-list.
pub fn allowed_commands() -> Vec<String> {
    let mut out = Vec::new();
    for record in catalog::all() {
        let (head, sub) = record.name.split_once('|').unwrap_or((record.name, ""));
        let allowed = if sub.is_empty() {
            entry(record).is_some_and(|e| !matches!(e.keys, KeySpec::Subcommands(_)))
        } else {
            lookup(head).is_some_and(|e| matches!(e.keys, KeySpec::Subcommands(_)))
                && record.namespace == Namespace::Derive
        };
        match entry(record).map(|e| e.keys) {
            Some(KeySpec::Script) => {
                out.push(format!("{head} LOAD"));
                out.push(format!("{head} EXISTS"));
            }
            _ if allowed => out.push(record.name.replace('|', " ")),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_by_name() {
        assert!(matches!(lookup("GET").map(|e| e.keys), Some(KeySpec::Specs(s)) if s.len() == 1));
        assert_eq!(lookup("PING").map(|e| e.keys), Some(KeySpec::Specs(&[])));
        assert!(lookup("FLUSHALL").is_none());
        assert!(is_forbidden("FLUSHALL"));
        assert!(!is_forbidden("NOSUCH"));
        assert!(lookup("SPUBLISH").is_none());
        assert!(subcommand("XGROUP", b"create").is_some());
        assert!(subcommand("XGROUP", b"HELP").is_none());
        assert!(subcommand("XGROUP", b"nosuch").is_none());
        let all = allowed_commands();
        assert!(all.contains(&"XGROUP CREATE".to_owned()));
        assert!(all.contains(&"SCRIPT LOAD".to_owned()));
        assert!(all.contains(&"GET".to_owned()));
        assert!(!all.contains(&"XGROUP".to_owned()));
        assert!(!all.contains(&"XGROUP HELP".to_owned()));
        assert!(!all.contains(&"OBJECT ENCODING".to_owned()));
    }
}
