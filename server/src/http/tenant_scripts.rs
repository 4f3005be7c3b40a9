//! The scripts a `--token-map` tenant may run.
//!
//! A tenant's Redis ACL user confines its keys and channels, but a Lua
//! script or function runs on the one Redis every tenant shares: a busy
//! loop answers `BUSY` to all of them, and a tenant cannot `SCRIPT KILL`
//! it. So tenants run only allow-listed scripts: edgestash's own and the
//! SHA-1s the operator lists (`--tenant-scripts`), checked here on the
//! script as the tenant sent it (before any shebang rewriting). What is
//! shared by every tenant (`SCRIPT FLUSH`/`KILL`, loading, deleting or
//! restoring functions) is refused to them outright; calling functions the
//! operator loaded (`FCALL`) stays allowed.
//!
//! Owns: that decision and its texts. Must not: run commands, or apply to
//! the server's own tokens (they may run any script, as on Upstash).

use edgestash::namespace::ScriptAllowList;

/// Refused script: the text names the rule, never the script or its SHA-1.
const NOT_LISTED: &str = "NOPERM this token may run only allow-listed scripts (edgestash's own and the operator's --tenant-scripts)";

/// Refused shared state: scripts and functions every tenant shares.
const SHARED: &str =
    "NOPERM this token may not flush, kill, load or delete the scripts and functions every tenant shares";

/// The refusal of `parts` (name first) for a tenant, or `None` when it may
/// run (or is no script command at all). Malformed lines pass through, so
/// Redis answers their arity errors as usual.
pub fn refusal(parts: &[Vec<u8>], allowed: &ScriptAllowList) -> Option<&'static str> {
    let (name, args) = parts.split_first()?;
    let is = |word: &str| name.eq_ignore_ascii_case(word.as_bytes());
    let sub = |word: &str| {
        args.first()
            .is_some_and(|s| s.eq_ignore_ascii_case(word.as_bytes()))
    };
    let shared = is("SCRIPT") && ["FLUSH", "KILL", "DEBUG"].iter().any(|w| sub(w))
        || is("FUNCTION")
            && ["LOAD", "DELETE", "FLUSH", "RESTORE", "KILL"]
                .iter()
                .any(|w| sub(w));
    if shared {
        return Some(SHARED);
    }
    let listed = if is("EVAL") || is("EVAL_RO") {
        args.first().map(|body| allowed.allows_body(body))
    } else if is("EVALSHA") || is("EVALSHA_RO") {
        args.first().map(|sha| allowed.allows_sha(sha))
    } else if is("SCRIPT") && sub("LOAD") {
        args.get(1).map(|body| allowed.allows_body(body))
    } else {
        None
    };
    (listed == Some(false)).then_some(NOT_LISTED)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn only_listed_scripts_run_and_shared_state_stays_untouched() {
        let mut allowed = ScriptAllowList::edgestash();
        let sha = allowed.register("return 1".as_bytes());
        let own = edgestash::scripts::ALL[0].source;
        for ok in [
            line(&["eval", "return 1", "0"]),
            line(&["EVAL_RO", own, "1", "k"]),
            line(&["evalsha", &sha, "0"]),
            line(&["EVALSHA_RO", &sha.to_ascii_uppercase(), "0"]),
            line(&["script", "load", "return 1"]),
            line(&[
                "SCRIPT",
                "EXISTS",
                "0000000000000000000000000000000000000000",
            ]),
            line(&["FCALL", "f", "0"]),
            line(&["FUNCTION", "LIST"]),
            line(&["GET", "k"]),
            line(&["EVAL"]),
        ] {
            assert_eq!(refusal(&ok, &allowed), None, "{ok:?}");
        }
        for listed in [
            line(&["EVAL", "return 2", "0"]),
            line(&["eval_ro", "while true do end", "0"]),
            line(&["EVALSHA", &"0".repeat(40), "0"]),
            line(&["SCRIPT", "LOAD", "return 2"]),
        ] {
            assert_eq!(refusal(&listed, &allowed), Some(NOT_LISTED), "{listed:?}");
        }
        for shared in [
            line(&["SCRIPT", "FLUSH"]),
            line(&["script", "kill"]),
            line(&["FUNCTION", "LOAD", "#!lua name=x\n"]),
            line(&["function", "flush"]),
            line(&["FUNCTION", "DELETE", "lib"]),
            line(&["FUNCTION", "RESTORE", "payload"]),
        ] {
            assert_eq!(refusal(&shared, &allowed), Some(SHARED), "{shared:?}");
        }
        assert!(!NOT_LISTED.contains("return"));
    }
}
