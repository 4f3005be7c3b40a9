//! Bit commands on strings: SETBIT GETBIT BITCOUNT BITPOS (with BYTE|BIT
//! ranges) and BITOP (AND OR XOR NOT). BITFIELD lives in `bitfield`.
//!
//! Owns: bit addressing as Redis does it (bit 0 is the most significant bit
//! of byte 0) and the 512MB bound on offsets. SETBIT keeps the key's TTL;
//! BITOP replaces its destination (any type, TTL dropped) or deletes it when
//! the result is empty.

use super::ctx::{is, parse_int, ArgError, Ctx, Reply};
use super::db::{Data, Entry};
use super::strings::MAX_STRING;
use super::Registration;
use crate::protocol::Value;

pub(super) const COMMANDS: &[Registration] = &[
    ("setbit", setbit),
    ("getbit", getbit),
    ("bitcount", bitcount),
    ("bitpos", bitpos),
    ("bitop", bitop),
];

/// Redis's error for a bit offset that is not an integer, is negative or
/// reaches past 512MB.
pub(super) const BAD_OFFSET: ArgError =
    ArgError::Command("ERR bit offset is not an integer or out of range");

/// BITPOS's error for a bit other than 0 or 1.
const BAD_BIT: ArgError = ArgError::Command("ERR The bit argument must be 1 or 0.");

/// BITOP NOT's error for zero or several sources.
const NOT_ONE_SOURCE: ArgError =
    ArgError::Command("ERR BITOP NOT must be called with a single source key.");

/// A bit offset as Redis's getBitOffsetFromArgument accepts it. With
/// `field_bits` (BITFIELD), `#N` means the N-th field of that width, the
/// product wrapping as Redis's `long long` does before the range check.
pub(super) fn bit_offset(arg: &[u8], field_bits: Option<u32>) -> Result<u64, ArgError> {
    let (digits, scale) = match (arg.strip_prefix(b"#"), field_bits) {
        (Some(n), Some(bits)) => (n, i64::from(bits)),
        _ => (arg, 1),
    };
    parse_int(digits)
        .ok()
        .and_then(|n| u64::try_from(n.wrapping_mul(scale)).ok())
        .filter(|n| (n >> 3) < MAX_STRING)
        .ok_or(BAD_OFFSET)
}

fn setbit(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (key, offset, bit) = (a.arg()?, a.arg()?, a.arg()?);
    let offset = bit_offset(offset, None)?;
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
    let offset = bit_offset(a.arg()?, None)?;
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

/// Redis's bitposCommand: a missing key answers before the range is read
/// (an endless run of zeros: 0 for bit 0, -1 for bit 1), then the key's
/// type, the argument count, start, the unit and end, in that order.
fn bitpos(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let bit = match a.int()? {
        0 => false,
        1 => true,
        _ => return Err(BAD_BIT.into()),
    };
    let range = a.rest();
    let Some(s) = ctx.get_str(key)? else {
        return Ok(Value::Int(if bit { -1 } else { 0 }));
    };
    let len = i64::try_from(s.len()).unwrap_or(i64::MAX);
    // The range in bits, both ends included, and whether end was given.
    let (first, last, end_given) = match range {
        [] => (0, len * 8 - 1, false),
        [start, rest @ ..] if rest.len() <= 2 => {
            let start = parse_int(start)?;
            let is_bit = match rest.get(1) {
                None => false,
                Some(unit) if is(unit, "bit") => true,
                Some(unit) if is(unit, "byte") => false,
                Some(_) => return Err(ArgError::Syntax.into()),
            };
            let total = if is_bit { len << 3 } else { len };
            let end = match rest.first() {
                Some(end) => parse_int(end)?,
                None => total - 1,
            };
            let clamp = |n: i64| if n < 0 { (n + total).max(0) } else { n };
            let (start, end) = (clamp(start), clamp(end).min(total - 1));
            if start > end {
                return Ok(Value::Int(-1));
            }
            if is_bit {
                (start, end, true)
            } else {
                (start * 8, end * 8 + 7, !rest.is_empty())
            }
        }
        _ => return Err(ArgError::Syntax.into()),
    };
    if first > last {
        return Ok(Value::Int(-1));
    }
    Ok(Value::Int(match first_bit(s, first, last, bit) {
        Some(pos) => pos,
        // Without an explicit end Redis reads the string as padded with
        // zeros, so the first clear bit is the one just past the range.
        None if !bit && !end_given => last + 1,
        None => -1,
    }))
}

/// The position of the first bit equal to `bit` among bits `first..=last`
/// of `s` (all within it), skipping whole bytes that cannot hold it.
fn first_bit(s: &[u8], first: i64, last: i64, bit: bool) -> Option<i64> {
    let skip = if bit { 0 } else { 0xff };
    let mut pos = first;
    while pos <= last {
        let byte = usize::try_from(pos >> 3)
            .ok()
            .and_then(|i| s.get(i))
            .copied()?;
        if pos & 7 == 0 && pos + 7 <= last && byte == skip {
            pos += 8;
            continue;
        }
        if (byte & (0x80u8 >> (pos & 7)) != 0) == bit {
            return Some(pos);
        }
        pos += 1;
    }
    None
}

/// BITOP's operations in Redis 7.0 (8.2's DIFF, DIFF1, ANDOR and ONE are
/// its syntax error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BitOp {
    And,
    Or,
    Xor,
    Not,
}

impl BitOp {
    fn parse(word: &[u8]) -> Option<Self> {
        [
            ("and", Self::And),
            ("or", Self::Or),
            ("xor", Self::Xor),
            ("not", Self::Not),
        ]
        .into_iter()
        .find_map(|(name, op)| is(word, name).then_some(op))
    }

    fn apply(self, acc: u8, byte: u8) -> u8 {
        match self {
            Self::And => acc & byte,
            Self::Or => acc | byte,
            Self::Xor => acc ^ byte,
            Self::Not => !byte,
        }
    }
}

/// Redis's bitopCommand: the operation, NOT's single source, then every
/// source's type before anything is written. A missing source is an empty
/// string; the result is as long as the longest source, shorter ones read
/// as zeros past their end.
fn bitop(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    let mut a = ctx.args(args);
    let (op, dest) = (a.arg()?, a.arg()?);
    let op = BitOp::parse(op).ok_or(ArgError::Syntax)?;
    let sources = a.rest();
    if op == BitOp::Not && sources.len() != 1 {
        return Err(NOT_ONE_SOURCE.into());
    }
    let mut out: Vec<u8> = Vec::new();
    for (i, key) in sources.iter().enumerate() {
        let src = ctx.get_str(key)?.map(Vec::as_slice).unwrap_or_default();
        if i == 0 && op != BitOp::Not {
            out = src.to_vec();
            continue;
        }
        if out.len() < src.len() {
            out.resize(src.len(), 0);
        }
        for (j, acc) in out.iter_mut().enumerate() {
            *acc = op.apply(*acc, src.get(j).copied().unwrap_or(0));
        }
    }
    let len = i64::try_from(out.len()).unwrap_or(i64::MAX);
    if out.is_empty() {
        ctx.db.remove(dest);
    } else {
        ctx.db.insert(dest.to_vec(), Data::Str(out), None);
    }
    Ok(Value::Int(len))
}

#[cfg(test)]
mod tests;
