//! BITFIELD and BITFIELD_RO: integers of 1 to 64 bits (unsigned ones up to
//! 63) read and written at any bit offset of a string.
//!
//! Owns: the subcommand list (GET, SET, INCRBY, OVERFLOW WRAP|SAT|FAIL),
//! read whole before the key is looked at, as Redis does (so a syntax, type
//! or integer error wins over WRONGTYPE), and the three overflow policies.
//! A call with a write grows the string with zeros up to the farthest bit any
//! of its writes reaches, creating the key if needed (even when every write
//! then fails under FAIL), and keeps its TTL.

use super::bitmaps::bit_offset;
use super::ctx::{is, parse_int, ArgError, Args, Ctx, Reply};
use super::Registration;
use crate::protocol::Value;

pub(super) const COMMANDS: &[Registration] =
    &[("bitfield", bitfield), ("bitfield_ro", bitfield_ro)];

/// Redis's error for a field type other than `i1`..`i64`, `u1`..`u63`.
const BAD_TYPE: ArgError = ArgError::Command(
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
);

/// Redis's error for an OVERFLOW other than WRAP, SAT or FAIL.
const BAD_OVERFLOW: ArgError = ArgError::Command("ERR Invalid OVERFLOW type specified");

/// BITFIELD_RO's error for a SET or INCRBY.
const READ_ONLY: ArgError = ArgError::Command("ERR BITFIELD_RO only supports the GET subcommand");

/// What a write that does not fit its field does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Overflow {
    /// Keeps the low bits (two's complement for signed fields): the default.
    Wrap,
    /// Stores the field's minimum or maximum.
    Sat,
    /// Writes nothing and answers nil.
    Fail,
}

/// One GET, SET or INCRBY.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Get,
    Set(i64),
    IncrBy(i64),
}

/// A field: its type (`i<bits>` or `u<bits>`), where it starts, and the
/// overflow policy in force when it was read.
#[derive(Debug, Clone, Copy)]
struct Field {
    action: Action,
    signed: bool,
    bits: u32,
    offset: u64,
    overflow: Overflow,
}

fn bitfield(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    run(ctx, args, false)
}

fn bitfield_ro(ctx: &mut Ctx<'_>, args: &[Vec<u8>]) -> Reply {
    run(ctx, args, true)
}

/// Redis's bitfieldGeneric: every subcommand parsed, then the key looked up
/// for reading (GETs only) or for writing (BITFIELD_RO refuses that first),
/// then the fields applied in order, each answering its integer or nil.
fn run(ctx: &mut Ctx<'_>, args: &[Vec<u8>], read_only: bool) -> Reply {
    let mut a = ctx.args(args);
    let key = a.arg()?;
    let fields = parse_fields(&mut a)?;
    let farthest = fields
        .iter()
        .filter(|f| f.action != Action::Get)
        .map(|f| f.offset + u64::from(f.bits) - 1)
        .max();
    let Some(farthest) = farthest else {
        let s = ctx.get_str(key)?.map(Vec::as_slice).unwrap_or_default();
        return Ok(Value::Array(
            fields.iter().map(|f| Value::Int(f.read(s))).collect(),
        ));
    };
    if read_only {
        return Err(READ_ONLY.into());
    }
    let s = ctx.write::<Vec<u8>>(key)?;
    let len = usize::try_from(farthest >> 3)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    if s.len() < len {
        s.resize(len, 0);
    }
    Ok(Value::Array(fields.iter().map(|f| f.apply(s)).collect()))
}

/// The subcommands after the key, as Redis checks them: the word with
/// enough arguments after it (else the syntax error), then the type, the
/// offset and, for SET and INCRBY, the integer.
fn parse_fields(a: &mut Args<'_>) -> Result<Vec<Field>, ArgError> {
    let mut overflow = Overflow::Wrap;
    let mut fields = Vec::new();
    while let Some(word) = a.next_arg() {
        let left = a.len();
        let with_value: Option<fn(i64) -> Action> = if is(word, "get") && left >= 2 {
            None
        } else if is(word, "set") && left >= 3 {
            Some(Action::Set)
        } else if is(word, "incrby") && left >= 3 {
            Some(Action::IncrBy)
        } else if is(word, "overflow") && left >= 1 {
            overflow = match a.arg()? {
                w if is(w, "wrap") => Overflow::Wrap,
                w if is(w, "sat") => Overflow::Sat,
                w if is(w, "fail") => Overflow::Fail,
                _ => return Err(BAD_OVERFLOW),
            };
            continue;
        } else {
            return Err(ArgError::Syntax);
        };
        let (signed, bits) = field_type(a.arg()?)?;
        let offset = bit_offset(a.arg()?, Some(bits))?;
        let action = match with_value {
            None => Action::Get,
            Some(make) => make(a.int()?),
        };
        fields.push(Field {
            action,
            signed,
            bits,
            offset,
            overflow,
        });
    }
    Ok(fields)
}

/// A field type: `i` (signed, 1 to 64 bits) or `u` (unsigned, 1 to 63
/// bits), lower case, then the width as a strict integer.
fn field_type(arg: &[u8]) -> Result<(bool, u32), ArgError> {
    let (signed, widest) = match arg.first() {
        Some(b'i') => (true, 64),
        Some(b'u') => (false, 63),
        _ => return Err(BAD_TYPE),
    };
    parse_int(arg.get(1..).unwrap_or_default())
        .ok()
        .filter(|n| (1..=widest).contains(n))
        .and_then(|n| u32::try_from(n).ok())
        .map(|bits| (signed, bits))
        .ok_or(BAD_TYPE)
}

impl Field {
    /// The field's value in `s`; bytes past its end read as zeros.
    fn read(&self, s: &[u8]) -> i64 {
        let raw = (0..u64::from(self.bits)).fold(0u64, |acc, i| {
            let at = self.offset + i;
            let byte = usize::try_from(at >> 3)
                .ok()
                .and_then(|b| s.get(b))
                .copied()
                .unwrap_or(0);
            (acc << 1) | u64::from((byte >> (7 - (at & 7))) & 1)
        });
        if self.signed && self.bits < 64 && (raw >> (self.bits - 1)) & 1 == 1 {
            (raw | (u64::MAX << self.bits)) as i64
        } else {
            raw as i64
        }
    }

    /// Stores the low `bits` bits of `value` (the string is long enough).
    fn write(&self, s: &mut [u8], value: i64) {
        for i in 0..u64::from(self.bits) {
            let at = self.offset + i;
            let on = ((value as u64) >> (u64::from(self.bits) - 1 - i)) & 1 == 1;
            let mask = 0x80u8 >> (at & 7);
            if let Some(byte) = usize::try_from(at >> 3).ok().and_then(|b| s.get_mut(b)) {
                if on {
                    *byte |= mask;
                } else {
                    *byte &= !mask;
                }
            }
        }
    }

    /// Runs the field on `s`: GET its value, SET's old value, INCRBY's new
    /// one, or nil when the write overflows under FAIL (nothing written).
    fn apply(&self, s: &mut [u8]) -> Value {
        let old = self.read(s);
        let (new, reply) = match self.action {
            Action::Get => return Value::Int(old),
            Action::Set(v) => (self.sum(v, 0), Some(old)),
            Action::IncrBy(by) => (self.sum(old, by), None),
        };
        match new {
            Some(new) => {
                self.write(s, new);
                Value::Int(reply.unwrap_or(new))
            }
            None => Value::Nil,
        }
    }

    /// `value + incr` as this field stores it under its overflow policy;
    /// `None` when it does not fit and the policy is FAIL. The bounds checks
    /// follow Redis's checkSignedBitfieldOverflow and
    /// checkUnsignedBitfieldOverflow, wrapping arithmetic included (an
    /// unsigned SET of a negative value overflows upwards).
    fn sum(&self, value: i64, incr: i64) -> Option<i64> {
        let bits = self.bits;
        let (overflow, min, max) = if self.signed {
            let max = if bits == 64 {
                i64::MAX
            } else {
                (1i64 << (bits - 1)) - 1
            };
            let min = -max - 1;
            let max_incr = (max as u64).wrapping_sub(value as u64) as i64;
            let min_incr = min.wrapping_sub(value);
            let up = value > max
                || (bits != 64 && incr > max_incr)
                || (value >= 0 && incr > 0 && incr > max_incr);
            let down = value < min
                || (bits != 64 && incr < min_incr)
                || (value < 0 && incr < 0 && incr < min_incr);
            (up.then_some(true).or(down.then_some(false)), min, max)
        } else {
            let (value, max) = (value as u64, (1u64 << bits) - 1);
            let max_incr = max.wrapping_sub(value) as i64;
            let min_incr = value.wrapping_neg() as i64;
            let up = value > max || (incr > 0 && incr > max_incr);
            let down = incr < 0 && incr < min_incr;
            (up.then_some(true).or(down.then_some(false)), 0, max as i64)
        };
        let wrapped = self.truncate(value.wrapping_add(incr));
        match (overflow, self.overflow) {
            (None, _) | (Some(_), Overflow::Wrap) => Some(wrapped),
            (Some(true), Overflow::Sat) => Some(max),
            (Some(false), Overflow::Sat) => Some(min),
            (Some(_), Overflow::Fail) => None,
        }
    }

    /// `n` cut to the field's width: sign-extended for a signed field, its
    /// low bits for an unsigned one.
    fn truncate(&self, n: i64) -> i64 {
        if self.bits == 64 {
            return n;
        }
        let high = u64::MAX << self.bits;
        let n = n as u64;
        if self.signed && (n >> (self.bits - 1)) & 1 == 1 {
            (n | high) as i64
        } else {
            (n & !high) as i64
        }
    }
}

#[cfg(test)]
mod tests;
