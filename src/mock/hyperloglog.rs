//! HyperLogLog commands: PFADD PFCOUNT PFMERGE, counted exactly.
//!
//! Owns: a private string representation of a "HyperLogLog": a magic header
//! then the sorted, distinct 64-bit hashes of the members added. As in
//! Redis the value is a string (TYPE says `string`), but its bytes differ
//! from Redis's sparse/dense HLL encodings.
//!
//! Where replies may differ from redis-server 7.0 (documented, not faked):
//! - PFCOUNT is the exact number of distinct members (up to 64-bit hash
//!   collisions, negligible). Redis estimates; its estimate equals the exact
//!   count for small sets (checked up to 100 members in the comparison
//!   test), and differs by a small relative error above a few hundred
//!   (0.81% standard error).
//! - PFADD returns 1 when a member is new; Redis returns 1 only when a
//!   register changed, so for large sets it can return 0 for a new member.
//! - GET/STRLEN/GETRANGE of the key show the private bytes, and a real
//!   Redis HLL written with SET is not understood (reported as an invalid
//!   HyperLogLog, as Redis reports a corrupt header).
//! - PFDEBUG and PFSELFTEST are not provided.

use super::ctx::{Ctx, Reply, WRONGTYPE};
use super::db::{Data, Entry};
use super::scan::scan_hash;
use super::Registration;
use crate::protocol::Value;

/// Redis's error for a string that is not a HyperLogLog.
const NOT_HLL: &str = "WRONGTYPE Key is not a valid HyperLogLog string value.";

/// Starts like Redis's header ("HYLL") but with an encoding byte Redis never
/// uses, so neither side mistakes the other's bytes for its own.
const MAGIC: &[u8] = b"HYLL\xffedgestash-exact\n";

pub(super) const COMMANDS: &[Registration] =
    &[("pfadd", pfadd), ("pfcount", pfcount), ("pfmerge", pfmerge)];

/// Decodes the member hashes; `None` when the bytes are not ours.
fn decode(bytes: &[u8]) -> Option<Vec<u64>> {
    let body = bytes.strip_prefix(MAGIC)?;
    if body.len() % 8 != 0 {
        return None;
    }
    Some(
        body.chunks_exact(8)
            .map(|c| {
                let mut b = [0u8; 8];
                b.copy_from_slice(c);
                u64::from_be_bytes(b)
            })
            .collect(),
    )
}

fn encode(hashes: &[u64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(MAGIC.len() + hashes.len() * 8);
    out.extend_from_slice(MAGIC);
    for h in hashes {
        out.extend_from_slice(&h.to_be_bytes());
    }
    out
}

/// The hashes at `key`: `Ok(None)` when missing, Redis's errors otherwise.
fn load(ctx: &mut Ctx<'_>, key: &[u8]) -> Result<Option<Vec<u64>>, String> {
    match ctx.entry(key) {
        None => Ok(None),
        Some(Entry {
            data: Data::Str(s), ..
        }) => decode(s).map(Some).ok_or_else(|| NOT_HLL.to_owned()),
        Some(_) => Err(WRONGTYPE.to_owned()),
    }
}

/// Writes the hashes back in place, keeping any TTL, or creates the key.
fn save(ctx: &mut Ctx<'_>, key: &[u8], hashes: &[u64]) {
    let bytes = encode(hashes);
    match ctx.entry_mut(key) {
        Some(e) => e.data = Data::Str(bytes),
        None => ctx.db.insert(key.to_vec(), Data::Str(bytes), None),
    }
}

fn union(into: &mut Vec<u64>, more: &[u64]) {
    into.extend_from_slice(more);
    crate::sorting::sort(into);
    into.dedup();
}

fn pfadd(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let members = a.rest();
    let (mut hashes, created) = match load(ctx, key)? {
        Some(h) => (h, false),
        None => (Vec::new(), true),
    };
    let before = hashes.len();
    let added: Vec<u64> = members.iter().map(|m| scan_hash(m)).collect();
    union(&mut hashes, &added);
    let changed = created || hashes.len() != before;
    if changed {
        save(ctx, key, &hashes);
    }
    Ok(Value::Int(i64::from(changed)))
}

fn pfcount(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut all = Vec::new();
    for key in args {
        if let Some(h) = load(ctx, key)? {
            union(&mut all, &h);
        }
    }
    Ok(Value::Int(i64::try_from(all.len()).unwrap_or(i64::MAX)))
}

fn pfmerge(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    // The destination is also the first source.
    let destination = ctx.args(args).arg()?;
    let mut all = Vec::new();
    for key in args {
        if let Some(h) = load(ctx, key)? {
            union(&mut all, &h);
        }
    }
    save(ctx, destination, &all);
    Ok(Value::Okay)
}

#[cfg(test)]
mod tests {
    use crate::mock::keys::tests::{b, engine, run};
    use crate::protocol::Value;

    #[crate::unit_test]
    fn add_count_merge() {
        let (e, _) = engine();
        assert_eq!(run(&e, "PFADD h a b c"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "PFADD h a"), Ok(Value::Int(0)));
        assert_eq!(run(&e, "PFADD g"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "PFADD g"), Ok(Value::Int(0)));
        assert_eq!(run(&e, "PFADD g c d"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "PFCOUNT h"), Ok(Value::Int(3)));
        assert_eq!(run(&e, "PFCOUNT h g nope"), Ok(Value::Int(4)));
        assert_eq!(run(&e, "PFMERGE d h g"), Ok(Value::Okay));
        assert_eq!(run(&e, "PFCOUNT d"), Ok(Value::Int(4)));
        assert_eq!(run(&e, "TYPE d"), Ok(b("string")));
        run(&e, "SET s abc").unwrap();
        let not_hll = Err("WRONGTYPE Key is not a valid HyperLogLog string value.".into());
        assert_eq!(run(&e, "PFADD s a"), not_hll);
        assert_eq!(run(&e, "PFCOUNT s"), not_hll);
        assert_eq!(run(&e, "PFMERGE d s"), not_hll);
    }
}
