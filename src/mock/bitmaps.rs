//! Bit commands on strings: SETBIT GETBIT BITCOUNT (with BYTE|BIT ranges).
//!
//! Owns: bit addressing as Redis does it (bit 0 is the most significant bit
//! of byte 0) and the 512MB bound on offsets. SETBIT keeps the key's TTL.

use super::ctx::{is, parse_int, ArgError, Ctx, Reply};
use super::db::{Data, Entry};
use super::strings::MAX_STRING;
use super::Registration;
use crate::protocol::Value;

pub(super) const COMMANDS: &[Registration] = &[
    ("setbit", setbit),
    ("getbit", getbit),
    ("bitcount", bitcount),
];

/// A bit offset as Redis's getBitOffsetFromArgument accepts it.
fn bit_offset(arg: &[u8]) -> Result<u64, String> {
    parse_int(arg)
        .ok()
        .and_then(|n| u64::try_from(n).ok())
        .filter(|n| (n >> 3) < MAX_STRING)
        .ok_or_else(|| "ERR bit offset is not an integer or out of range".to_owned())
}

fn setbit(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, offset, bit) = (a.arg()?, a.arg()?, a.arg()?);
    let offset = bit_offset(offset)?;
    let on = match parse_int(bit) {
        Ok(0) => false,
        Ok(1) => true,
        _ => return Err("ERR bit is not an integer or out of range".to_owned()),
    };
    let exists = ctx.get_str(key)?.is_some();
    if !exists {
        ctx.db.insert(key.to_vec(), Data::Str(Vec::new()), None);
    }
    let byte = usize::try_from(offset >> 3).unwrap_or(usize::MAX);
    let mask = 0x80u8 >> (offset & 7);
    let Some(Entry {
        data: Data::Str(s), ..
    }) = ctx.entry_mut(key)
    else {
        return Ok(Value::Int(0));
    };
    if s.len() <= byte {
        s.resize(byte + 1, 0);
    }
    let Some(slot) = s.get_mut(byte) else {
        return Ok(Value::Int(0));
    };
    let old = *slot & mask != 0;
    if on {
        *slot |= mask;
    } else {
        *slot &= !mask;
    }
    Ok(Value::Int(i64::from(old)))
}

fn getbit(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let offset = bit_offset(a.arg()?)?;
    let Some(s) = ctx.get_str(key)? else {
        return Ok(Value::Int(0));
    };
    let byte = usize::try_from(offset >> 3).unwrap_or(usize::MAX);
    let bit = s
        .get(byte)
        .is_some_and(|b| b & (0x80u8 >> (offset & 7)) != 0);
    Ok(Value::Int(i64::from(bit)))
}

/// Redis's bitcountCommand, step by step (the order of its checks shows in
/// which error wins: the key's type, then the range, then the unit).
fn bitcount(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    // Read now, reported only once the key is known to hold a string.
    let range = match a.rest() {
        [] => Ok(None),
        [start, end] => Ok(Some((start, end, None))),
        [start, end, unit] => Ok(Some((start, end, Some(unit)))),
        _ => Err(ArgError::Syntax),
    };
    let Some(s) = ctx.get_str(key)? else {
        return Ok(Value::Int(0));
    };
    let len = i64::try_from(s.len()).unwrap_or(i64::MAX);
    let (mut start, mut end);
    let (mut first_mask, mut last_mask) = (0u8, 0u8);
    match range? {
        Some((from, to, unit)) => {
            start = parse_int(from)?;
            end = parse_int(to)?;
            if start < 0 && end < 0 && start > end {
                return Ok(Value::Int(0));
            }
            let is_bit = match unit {
                None => false,
                Some(unit) if is(unit, "bit") => true,
                Some(unit) if is(unit, "byte") => false,
                Some(_) => return Err(ArgError::Syntax.into()),
            };
            let total = if is_bit { len << 3 } else { len };
            if start < 0 {
                start += total;
            }
            if end < 0 {
                end += total;
            }
            start = start.max(0);
            end = end.max(0);
            if end >= total {
                end = total - 1;
            }
            if is_bit && start <= end {
                first_mask = !((1u16 << (8 - (start & 7))) - 1) as u8;
                last_mask = ((1u16 << (7 - (end & 7))) - 1) as u8;
                start >>= 3;
                end >>= 3;
            }
        }
        None => {
            start = 0;
            end = len - 1;
        }
    }
    if start > end {
        return Ok(Value::Int(0));
    }
    let (from, to) = (
        usize::try_from(start).unwrap_or(0),
        usize::try_from(end).unwrap_or(0),
    );
    let bytes = s.get(from..=to).unwrap_or_default();
    let mut count: u64 = bytes.iter().map(|b| u64::from(b.count_ones())).sum();
    let first = bytes.first().copied().unwrap_or(0) & first_mask;
    let last = bytes.last().copied().unwrap_or(0) & last_mask;
    count -= u64::from(first.count_ones()) + u64::from(last.count_ones());
    Ok(Value::Int(i64::try_from(count).unwrap_or(i64::MAX)))
}

#[cfg(test)]
mod tests {
    use crate::mock::keys::tests::{engine, run};
    use crate::protocol::Value;

    #[crate::unit_test]
    fn set_and_get_bits() {
        let (e, _) = engine();
        assert_eq!(run(&e, "SETBIT k 7 1"), Ok(Value::Int(0)));
        assert_eq!(run(&e, "SETBIT k 7 1"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "GET k"), Ok(Value::Bytes(vec![1])));
        assert_eq!(run(&e, "GETBIT k 7"), Ok(Value::Int(1)));
        assert_eq!(run(&e, "GETBIT k 100"), Ok(Value::Int(0)));
        assert_eq!(run(&e, "SETBIT k 7 0"), Ok(Value::Int(1)));
        assert_eq!(
            run(&e, "SETBIT k 7 2"),
            Err("ERR bit is not an integer or out of range".into())
        );
        assert_eq!(
            run(&e, "SETBIT k 4294967296 1"),
            Err("ERR bit offset is not an integer or out of range".into())
        );
        assert_eq!(
            run(&e, "GETBIT k -1"),
            Err("ERR bit offset is not an integer or out of range".into())
        );
    }

    #[crate::unit_test]
    fn counts() {
        let (e, _) = engine();
        run(&e, "SET k foobar").unwrap();
        assert_eq!(run(&e, "BITCOUNT k"), Ok(Value::Int(26)));
        assert_eq!(run(&e, "BITCOUNT k 0 0"), Ok(Value::Int(4)));
        assert_eq!(run(&e, "BITCOUNT k 1 1"), Ok(Value::Int(6)));
        assert_eq!(run(&e, "BITCOUNT k 1 1 BYTE"), Ok(Value::Int(6)));
        assert_eq!(run(&e, "BITCOUNT k 5 30 BIT"), Ok(Value::Int(17)));
        assert_eq!(run(&e, "BITCOUNT k -1 -2 foo"), Ok(Value::Int(0)));
        assert_eq!(
            run(&e, "BITCOUNT k 0 1 foo"),
            Err("ERR syntax error".into())
        );
        assert_eq!(run(&e, "BITCOUNT k 0"), Err("ERR syntax error".into()));
        assert_eq!(run(&e, "BITCOUNT nope 0"), Ok(Value::Int(0)));
    }
}
