//! HSCAN's cursor, options and paging.
//!
//! Owns: Redis's rules for the cursor argument (`strtoul`: sign allowed,
//! empty means 0), the MATCH/COUNT options of the hash SCAN, and a stable
//! iteration order that keeps SCAN's promise: a full iteration returns every
//! field present from start to end, even if the hash changes in between.
//!
//! Paging: a small hash (what Redis keeps as a listpack: at most 128 fields,
//! none and no value over 64 bytes) is answered whole with cursor 0, as Redis
//! does. A larger one is walked in order of a fixed 64-bit hash of each
//! field; the cursor is the hash where the next page starts, so fields added
//! or removed meanwhile never shift the others. Redis keeps a hash in its
//! big encoding once it has grown; this engine judges by the current size.
//!
//! Must not: decide anything about keys (SCAN lives with the key commands).

use std::collections::HashMap;

use super::ctx::{is, parse_int, SYNTAX};
use super::glob::matches as glob_match;

/// Redis's `hash-max-listpack-entries` default.
const LISTPACK_MAX_ENTRIES: usize = 128;
/// Redis's `hash-max-listpack-value` default.
const LISTPACK_MAX_VALUE: usize = 64;
/// COUNT when none is given.
const DEFAULT_COUNT: usize = 10;

/// The options after the cursor.
#[derive(Debug, Default)]
pub struct ScanOptions {
    /// The MATCH glob; `None` also for `*`, which matches everything.
    pub pattern: Option<Vec<u8>>,
    /// The COUNT hint.
    pub count: usize,
}

impl ScanOptions {
    /// Parses `MATCH pattern` / `COUNT n` (repeats allowed, last wins) with
    /// Redis's errors: a non-integer count is NOT_INTEGER, below 1 is a
    /// syntax error, anything else (TYPE included) a syntax error.
    pub fn parse(args: &[Vec<u8>]) -> Result<Self, String> {
        let mut options = Self {
            pattern: None,
            count: DEFAULT_COUNT,
        };
        let mut rest = args;
        while let Some((word, after)) = rest.split_first() {
            let Some((value, after)) = after.split_first() else {
                return Err(SYNTAX.to_owned());
            };
            if is(word, "count") {
                let n = parse_int(value)?;
                if n < 1 {
                    return Err(SYNTAX.to_owned());
                }
                options.count = usize::try_from(n).unwrap_or(usize::MAX);
            } else if is(word, "match") {
                options.pattern = (value.as_slice() != b"*").then(|| value.clone());
            } else {
                return Err(SYNTAX.to_owned());
            }
            rest = after;
        }
        Ok(options)
    }

    fn matches(&self, field: &[u8]) -> bool {
        self.pattern.as_deref().is_none_or(|p| glob_match(p, field))
    }
}

pub(super) use super::args::parse_cursor;

/// A field and its value.
pub type Pair = (Vec<u8>, Vec<u8>);

/// One HSCAN page: the next cursor (0 when done) and the field/value pairs.
pub fn hscan_page(
    hash: &HashMap<Vec<u8>, Vec<u8>>,
    cursor: u64,
    options: &ScanOptions,
) -> (u64, Vec<Pair>) {
    let small = hash.len() <= LISTPACK_MAX_ENTRIES
        && hash
            .iter()
            .all(|(f, v)| f.len() <= LISTPACK_MAX_VALUE && v.len() <= LISTPACK_MAX_VALUE);
    if small {
        let items = hash
            .iter()
            .filter(|(f, _)| options.matches(f))
            .map(|(f, v)| (f.clone(), v.clone()))
            .collect();
        return (0, items);
    }
    let mut ordered: Vec<(u64, &Vec<u8>, &Vec<u8>)> = hash
        .iter()
        .map(|(f, v)| (fnv1a(f), f, v))
        .filter(|(h, _, _)| *h >= cursor)
        .collect();
    crate::sorting::sort(&mut ordered);
    let mut last_hash = None;
    let mut items = Vec::new();
    for (taken, (h, f, v)) in ordered.into_iter().enumerate() {
        // Never split fields sharing a hash across pages: the cursor could
        // not tell them apart. Past the first page, h > 0, so a returned
        // cursor is never the 0 that means "done".
        if taken >= options.count && last_hash != Some(h) {
            return (h, items);
        }
        last_hash = Some(h);
        if options.matches(f) {
            items.push((f.clone(), v.clone()));
        }
    }
    (0, items)
}

/// FNV-1a, 64 bits: a fixed, seedless hash so cursors stay valid across calls.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[crate::unit_test]
    fn cursor_parses_like_strtoul() {
        assert_eq!(parse_cursor(b""), Ok(0));
        assert_eq!(parse_cursor(b"0"), Ok(0));
        assert_eq!(parse_cursor(b"+3"), Ok(3));
        assert_eq!(parse_cursor(b"-1"), Ok(u64::MAX));
        assert_eq!(parse_cursor(b"18446744073709551615"), Ok(u64::MAX));
        for bad in [
            &b"18446744073709551616"[..],
            b"-",
            b"x",
            b" 1",
            b"1 ",
            b"1.5",
        ] {
            assert_eq!(
                parse_cursor(bad).map_err(String::from),
                Err("ERR invalid cursor".to_owned())
            );
        }
    }

    #[crate::unit_test]
    fn pages_of_a_big_hash_cover_it_once_each() {
        let hash: HashMap<Vec<u8>, Vec<u8>> = (0..200)
            .map(|i| (format!("k{i}").into_bytes(), b"v".to_vec()))
            .collect();
        let options = ScanOptions::parse(&[b"COUNT".to_vec(), b"9".to_vec()]).unwrap();
        let mut cursor = 0;
        let mut seen = Vec::new();
        loop {
            let (next, items) = hscan_page(&hash, cursor, &options);
            assert!(items.len() <= 9 || next == 0);
            seen.extend(items.into_iter().map(|(f, _)| f));
            if next == 0 {
                break;
            }
            cursor = next;
        }
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 200);
    }
}
