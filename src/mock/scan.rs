//! Keyspace iteration: KEYS and SCAN (MATCH, COUNT, TYPE).
//!
//! Owns: the SCAN cursor. Keys are visited in the order of a fixed 64-bit
//! hash of their bytes, and the cursor is the hash to resume from; a full
//! iteration therefore returns every key present throughout exactly once
//! (keys sharing a hash are always returned in the same batch), whatever is
//! added or removed meanwhile, and cursor 0 both starts and ends it. Redis
//! gives the same guarantee with reverse-binary bucket cursors; the cursor
//! values themselves differ and are opaque to clients.
//!
//! Must not: return expired keys; whole-keyspace commands purge first.

use super::ctx::{bulk, bulk_array, Ctx, Reply};
use super::glob;
use super::Registration;
use crate::protocol::Value;

pub(super) const COMMANDS: &[Registration] = &[("keys", keys), ("scan", scan)];

/// Keys matching the pattern, in no particular order (as Redis).
fn keys(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    ctx.db.purge_all_expired(ctx.now_ms);
    let pattern = ctx.args(args).arg()?;
    let all = pattern == b"*";
    Ok(bulk_array(
        ctx.db
            .keys()
            .filter(|k| all || glob::matches(pattern, k))
            .cloned()
            .collect::<Vec<_>>(),
    ))
}

/// The position of a key in SCAN order: FNV-1a followed by a 64-bit
/// finaliser, so similar keys spread out; stable across runs and targets.
pub(super) fn scan_hash(key: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in key {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

fn scan(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let cursor = a.cursor()?;
    let opts = a.scan_options(true)?;
    ctx.db.purge_all_expired(ctx.now_ms);
    let mut ahead: Vec<(u64, &Vec<u8>, &'static str)> = ctx
        .db
        .entries()
        .map(|(k, e)| (scan_hash(k), k, e.data.type_name()))
        .filter(|(h, _, _)| *h >= cursor)
        .collect();
    crate::sorting::sort_by(&mut ahead, |a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    // Take `count` keys, plus any that share the last one's hash, so the
    // next cursor (last hash + 1) skips nothing.
    let mut take = opts.count.min(ahead.len());
    if let Some(last) = take.checked_sub(1).and_then(|i| ahead.get(i)).map(|t| t.0) {
        while ahead.get(take).is_some_and(|t| t.0 == last) {
            take += 1;
        }
    }
    let next = match (
        ahead.get(take),
        take.checked_sub(1).and_then(|i| ahead.get(i)),
    ) {
        (Some(_), Some(last)) => last.0.checked_add(1).unwrap_or(0),
        _ => 0,
    };
    let batch: Vec<Vec<u8>> = ahead
        .iter()
        .take(take)
        .filter(|(_, k, t)| {
            opts.pattern.is_none_or(|p| glob::matches(p, k))
                && opts
                    .type_name
                    .is_none_or(|want| want.eq_ignore_ascii_case(t.as_bytes()))
        })
        .map(|(_, k, _)| (*k).clone())
        .collect();
    Ok(Value::Array(vec![
        bulk(next.to_string()),
        bulk_array(batch),
    ]))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::mock::keys::tests::{b, engine, run};
    use crate::protocol::Value;

    fn scan_all(e: &crate::mock::Engine, extra: &str) -> Vec<String> {
        let mut cursor = "0".to_owned();
        let mut out = Vec::new();
        let mut calls = 0;
        loop {
            let reply = run(e, &format!("SCAN {cursor}{extra}")).unwrap();
            let Value::Array(parts) = reply else { panic!() };
            let (Value::Bytes(c), Value::Array(keys)) = (&parts[0], &parts[1]) else {
                panic!()
            };
            for k in keys {
                let Value::Bytes(k) = k else { panic!() };
                out.push(String::from_utf8(k.clone()).unwrap());
            }
            cursor = String::from_utf8(c.clone()).unwrap();
            calls += 1;
            if cursor == "0" {
                break;
            }
        }
        assert!(calls > 1 || out.len() <= 10);
        out
    }

    #[crate::unit_test]
    fn full_iteration_returns_each_key_once() {
        let (e, _) = engine();
        for i in 0..95 {
            run(&e, &format!("SET key:{i} v")).unwrap();
        }
        run(&e, "RPUSH alist x").ok();
        let got = scan_all(&e, " COUNT 7");
        let set: BTreeSet<_> = got.iter().cloned().collect();
        assert_eq!(set.len(), got.len(), "no duplicates");
        assert!(set.len() >= 95);
        let matched = scan_all(&e, " MATCH key:1* COUNT 3");
        assert_eq!(matched.len(), 11);
        let typed = scan_all(&e, " TYPE STRING");
        assert_eq!(typed.len(), 95);
        assert!(scan_all(&e, " TYPE nosuchtype").is_empty());
    }

    #[crate::unit_test]
    fn keys_still_present_survive_changes_mid_iteration() {
        let (e, _) = engine();
        for i in 0..50 {
            run(&e, &format!("SET k{i} v")).unwrap();
        }
        let mut cursor = "0".to_owned();
        let mut seen = BTreeSet::new();
        let mut round = 0;
        loop {
            let Value::Array(parts) = run(&e, &format!("SCAN {cursor} COUNT 5")).unwrap() else {
                panic!()
            };
            let (Value::Bytes(c), Value::Array(keys)) = (&parts[0], &parts[1]) else {
                panic!()
            };
            for k in keys {
                let Value::Bytes(k) = k else { panic!() };
                seen.insert(String::from_utf8(k.clone()).unwrap());
            }
            // Churn: delete odd keys and add new ones as we go.
            run(&e, &format!("DEL k{}", 2 * round + 1)).unwrap();
            run(&e, &format!("SET new{round} v")).unwrap();
            round += 1;
            cursor = String::from_utf8(c.clone()).unwrap();
            if cursor == "0" {
                break;
            }
        }
        for i in (0..50).step_by(2) {
            assert!(seen.contains(&format!("k{i}")));
        }
    }

    #[crate::unit_test]
    fn errors_and_keys() {
        let (e, _) = engine();
        run(&e, "SET hello 1").unwrap();
        run(&e, "SET hallo 1").unwrap();
        run(&e, "SET world 1").unwrap();
        assert_eq!(run(&e, "SCAN x"), Err("ERR invalid cursor".into()));
        assert_eq!(run(&e, "SCAN 1x"), Err("ERR invalid cursor".into()));
        assert_eq!(
            run(&e, "SCAN 18446744073709551616"),
            Err("ERR invalid cursor".into())
        );
        assert!(run(&e, "SCAN -1").is_ok(), "strtoul wraps negatives");
        assert_eq!(run(&e, "SCAN 0 COUNT 0"), Err("ERR syntax error".into()));
        assert_eq!(run(&e, "SCAN 0 COUNT"), Err("ERR syntax error".into()));
        assert_eq!(
            run(&e, "SCAN 0 COUNT x"),
            Err("ERR value is not an integer or out of range".into())
        );
        let Value::Array(mut ks) = run(&e, "KEYS h?llo").unwrap() else {
            panic!()
        };
        ks.sort_by_key(|v| match v {
            Value::Bytes(k) => k.clone(),
            _ => Vec::new(),
        });
        assert_eq!(ks, vec![b("hallo"), b("hello")]);
    }
}
