//! Which commands block, and for how long: what a server needs to hold a
//! REST request open. Upstash runs BLPOP, BZPOPMIN, BLMOVE, XREAD ... BLOCK
//! and the rest over REST, holding the request until data arrives or the
//! command's timeout passes; the official SDKs and the libraries on them
//! (@upstash/queue's `receiveMessage(ms)`) rely on it.
//!
//! Owns: reading the catalogue's `Rest::Blocks` / `Rest::BlocksWithOption`
//! and where each blocking command keeps its timeout. Must not: validate
//! the timeout (the backend answers a bad one with Redis's own error text)
//! or do I/O.

use std::time::Duration;

use crate::catalog::{self, Rest};

/// How long a blocking command may hold its request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Wait {
    /// Until data arrives: a timeout of 0.
    Forever,
    /// At most this long.
    For(Duration),
    /// The timeout does not parse: the backend answers Redis's error at
    /// once, so nothing waits.
    Invalid,
}

/// `Some` when the command in `parts` (name first) blocks, with how long it
/// may wait; `None` when it answers at once (every other command, and
/// XREAD / XREADGROUP without `BLOCK`).
pub fn blocking_wait(parts: &[Vec<u8>]) -> Option<Wait> {
    let (name, args) = parts.split_first()?;
    let record = catalog::lookup(name)?;
    match record.rest {
        Rest::Blocks => {
            // BLMPOP and BZMPOP take the timeout first; the others last.
            let first =
                name.eq_ignore_ascii_case(b"BLMPOP") || name.eq_ignore_ascii_case(b"BZMPOP");
            let timeout = if first { args.first() } else { args.last() };
            Some(timeout.map_or(Wait::Invalid, |t| seconds(t)))
        }
        Rest::BlocksWithOption => {
            // Options come before STREAMS; after it, "BLOCK" may be a key.
            let options = args
                .iter()
                .take_while(|a| !a.eq_ignore_ascii_case(b"STREAMS"));
            let mut options = options.skip_while(|a| !a.eq_ignore_ascii_case(b"BLOCK"));
            options.next()?;
            Some(options.next().map_or(Wait::Invalid, |t| millis(t)))
        }
        _ => None,
    }
}

/// True when the command in `parts` (name first) blocks.
pub fn blocks(parts: &[Vec<u8>]) -> bool {
    blocking_wait(parts).is_some()
}

/// A timeout in seconds, fractions allowed (BLPOP's), read as Redis 7.0
/// does: whole milliseconds, truncated, 0 for ever (so is `0.0004`).
fn seconds(text: &[u8]) -> Wait {
    let ms = std::str::from_utf8(text)
        .ok()
        .and_then(crate::float_text::parse)
        .map(|s| (s * 1000.0).trunc())
        .filter(|ms| (0.0..9.223_372_036_854_776e18).contains(ms));
    match ms {
        Some(0.0) => Wait::Forever,
        // In range: the filter above bounds it below 2^63.
        Some(ms) => Wait::For(Duration::from_millis(ms as u64)),
        None => Wait::Invalid,
    }
}

/// A timeout in whole milliseconds (XREAD's BLOCK).
fn millis(text: &[u8]) -> Wait {
    let parsed = std::str::from_utf8(text)
        .ok()
        .and_then(|t| t.parse::<u64>().ok());
    match parsed {
        Some(0) => Wait::Forever,
        Some(ms) => Wait::For(Duration::from_millis(ms)),
        None => Wait::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(parts: &[&str]) -> Vec<Vec<u8>> {
        parts.iter().map(|p| p.as_bytes().to_vec()).collect()
    }

    #[crate::unit_test]
    fn list_and_sorted_set_pops_wait_for_their_timeout_in_seconds() {
        let half = Wait::For(Duration::from_millis(500));
        assert_eq!(blocking_wait(&cmd(&["blpop", "a", "b", "0.5"])), Some(half));
        assert_eq!(
            blocking_wait(&cmd(&["BZPOPMIN", "z", "0"])),
            Some(Wait::Forever)
        );
        assert_eq!(
            blocking_wait(&cmd(&["BLMOVE", "a", "b", "LEFT", "RIGHT", "2"])),
            Some(Wait::For(Duration::from_secs(2)))
        );
        assert_eq!(
            blocking_wait(&cmd(&["blmpop", "0.5", "1", "k", "LEFT"])),
            Some(half)
        );
        assert_eq!(
            blocking_wait(&cmd(&["BZMPOP", "x", "1", "k", "MIN"])),
            Some(Wait::Invalid)
        );
        assert_eq!(
            blocking_wait(&cmd(&["BRPOP", "k", "-1"])),
            Some(Wait::Invalid)
        );
    }

    #[crate::unit_test]
    fn stream_reads_block_only_with_the_option_before_streams() {
        assert_eq!(blocking_wait(&cmd(&["XREAD", "STREAMS", "s", "0"])), None);
        assert_eq!(
            blocking_wait(&cmd(&[
                "xread", "count", "1", "block", "250", "STREAMS", "s", "$"
            ])),
            Some(Wait::For(Duration::from_millis(250)))
        );
        assert_eq!(
            blocking_wait(&cmd(&[
                "XREADGROUP",
                "GROUP",
                "g",
                "c",
                "BLOCK",
                "0",
                "STREAMS",
                "s",
                ">"
            ])),
            Some(Wait::Forever)
        );
        // A stream named BLOCK is a key, not the option.
        assert_eq!(
            blocking_wait(&cmd(&["XREAD", "STREAMS", "BLOCK", "0"])),
            None
        );
    }

    #[crate::unit_test]
    fn other_commands_do_not_block() {
        for parts in [
            cmd(&["GET", "k"]),
            cmd(&["LPOP", "k"]),
            cmd(&["NOSUCH"]),
            vec![],
        ] {
            assert!(!blocks(&parts));
        }
    }
}
