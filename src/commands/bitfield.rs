//! The BITFIELD builder: integer fields of any width inside a string value.

use crate::protocol::Command;

/// The type of one BITFIELD field: signed (`i1`..`i64`) or unsigned
/// (`u1`..`u63`) with its width in bits. Redis refuses other widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BitFieldType {
    /// `i<bits>`: a signed integer.
    Signed(u8),
    /// `u<bits>`: an unsigned integer.
    Unsigned(u8),
}

impl BitFieldType {
    fn text(self) -> String {
        match self {
            Self::Signed(bits) => format!("i{bits}"),
            Self::Unsigned(bits) => format!("u{bits}"),
        }
    }
}

/// Where one BITFIELD field starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BitOffset {
    /// A bit offset.
    Bit(u64),
    /// `#n`: the n-th field of the type's width (offset n × width).
    Field(u64),
}

impl BitOffset {
    fn text(self) -> String {
        match self {
            Self::Bit(n) => n.to_string(),
            Self::Field(n) => format!("#{n}"),
        }
    }
}

/// What BITFIELD does when a SET or INCRBY leaves the type's range; applies
/// to the operations after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BitFieldOverflow {
    /// WRAP: wrap around (the Redis default).
    Wrap,
    /// SAT: saturate at the minimum or maximum.
    Sat,
    /// FAIL: do nothing and reply nil for that operation.
    Fail,
}

impl BitFieldOverflow {
    fn word(self) -> &'static str {
        match self {
            Self::Wrap => "WRAP",
            Self::Sat => "SAT",
            Self::Fail => "FAIL",
        }
    }
}

/// One BITFIELD operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BitFieldOp {
    Get(BitFieldType, BitOffset),
    Set(BitFieldType, BitOffset, i64),
    IncrBy(BitFieldType, BitOffset, i64),
    Overflow(BitFieldOverflow),
}

/// BITFIELD's operations, in order:
/// `BitField::new().set(BitFieldType::Unsigned(8), BitOffset::Bit(0), 200).get(..)`.
/// Every GET, SET and INCRBY adds one item to the reply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BitField {
    ops: Vec<BitFieldOp>,
}

impl BitField {
    /// No operations yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// GET type offset: the field's value.
    pub fn get(mut self, ty: BitFieldType, offset: BitOffset) -> Self {
        self.ops.push(BitFieldOp::Get(ty, offset));
        self
    }

    /// SET type offset value: writes the field; replies its old value.
    pub fn set(mut self, ty: BitFieldType, offset: BitOffset, value: i64) -> Self {
        self.ops.push(BitFieldOp::Set(ty, offset, value));
        self
    }

    /// INCRBY type offset increment: adds to the field; replies the new value.
    pub fn incrby(mut self, ty: BitFieldType, offset: BitOffset, by: i64) -> Self {
        self.ops.push(BitFieldOp::IncrBy(ty, offset, by));
        self
    }

    /// OVERFLOW WRAP|SAT|FAIL for the SET and INCRBY operations after it.
    pub fn overflow(mut self, mode: BitFieldOverflow) -> Self {
        self.ops.push(BitFieldOp::Overflow(mode));
        self
    }

    pub(crate) fn apply(&self, mut cmd: Command) -> Command {
        for op in &self.ops {
            cmd = match *op {
                BitFieldOp::Get(ty, at) => cmd.arg("GET").arg(ty.text()).arg(at.text()),
                BitFieldOp::Set(ty, at, value) => {
                    cmd.arg("SET").arg(ty.text()).arg(at.text()).arg(value)
                }
                BitFieldOp::IncrBy(ty, at, by) => {
                    cmd.arg("INCRBY").arg(ty.text()).arg(at.text()).arg(by)
                }
                BitFieldOp::Overflow(mode) => cmd.arg("OVERFLOW").arg(mode.word()),
            };
        }
        cmd
    }
}
