//! HSCAN's paging (its cursor and MATCH/COUNT options are read by
//! [`super::args::Args`]).
//!
//! Owns: a stable iteration order that keeps SCAN's promise: a full
//! iteration returns every field present from start to end, even if the
//! hash changes in between.
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

use super::args::ScanOptions;
use super::glob::matches as glob_match;

/// Redis's `hash-max-listpack-entries` default.
const LISTPACK_MAX_ENTRIES: usize = 128;
/// Redis's `hash-max-listpack-value` default.
const LISTPACK_MAX_VALUE: usize = 64;

/// A field and its value.
pub type Pair = (Vec<u8>, Vec<u8>);

/// One HSCAN page: the next cursor (0 when done) and the field/value pairs.
pub fn hscan_page(
    hash: &HashMap<Vec<u8>, Vec<u8>>,
    cursor: u64,
    options: &ScanOptions<'_>,
) -> (u64, Vec<Pair>) {
    let small = hash.len() <= LISTPACK_MAX_ENTRIES
        && hash
            .iter()
            .all(|(f, v)| f.len() <= LISTPACK_MAX_VALUE && v.len() <= LISTPACK_MAX_VALUE);
    if small {
        let items = hash
            .iter()
            .filter(|(f, _)| matches(options, f))
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
        if matches(options, f) {
            items.push((f.clone(), v.clone()));
        }
    }
    (0, items)
}

/// True when `field` passes the MATCH option.
fn matches(options: &ScanOptions<'_>, field: &[u8]) -> bool {
    options.pattern.is_none_or(|p| glob_match(p, field))
}

/// FNV-1a, 64 bits: a fixed, seedless hash so cursors stay valid across calls.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::super::args::{parse_cursor, Args};
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
        let raw = [b"COUNT".to_vec(), b"9".to_vec()];
        let options = Args::new("hscan", &raw).scan_options(false).unwrap();
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
