//! Bitmap commands: single bits, population counts, bit positions, bitwise
//! operations across keys and integer fields (BITFIELD) over string values.

use super::bitfield::BitField;
use super::Commands;
use crate::protocol::{Command, ToArg};

/// What BITCOUNT's range counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BitUnit {
    /// BYTE: offsets are byte indexes (the Redis default).
    Byte,
    /// BIT: offsets are bit indexes (Redis 7).
    Bit,
}

impl BitUnit {
    fn word(self) -> &'static str {
        match self {
            Self::Byte => "BYTE",
            Self::Bit => "BIT",
        }
    }
}

/// The operation of BITOP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BitOp {
    /// AND of every source.
    And,
    /// OR of every source.
    Or,
    /// XOR of every source.
    Xor,
    /// NOT of the one source.
    Not,
    /// DIFF (Redis 8.2): bits of the first source set in none of the others.
    Diff,
    /// DIFF1 (Redis 8.2): bits set in one or more of the other sources but
    /// not in the first.
    Diff1,
    /// ANDOR (Redis 8.2): bits of the first source set in at least one of
    /// the others.
    AndOr,
    /// ONE (Redis 8.2): bits set in exactly one source.
    One,
}

impl BitOp {
    fn word(self) -> &'static str {
        match self {
            Self::And => "AND",
            Self::Or => "OR",
            Self::Xor => "XOR",
            Self::Not => "NOT",
            Self::Diff => "DIFF",
            Self::Diff1 => "DIFF1",
            Self::AndOr => "ANDOR",
            Self::One => "ONE",
        }
    }
}

/// SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD.
pub trait BitmapCommands: Commands {
    /// SETBIT: sets the bit at `offset` and returns its previous value.
    fn setbit(&self, key: impl ToArg, offset: u64, bit: bool) -> Self::Reply<bool> {
        self.command(
            Command::new("SETBIT")
                .key(key)
                .arg(offset)
                .arg(u8::from(bit)),
        )
    }

    /// GETBIT: the bit at `offset` (false past the end or for a missing key).
    fn getbit(&self, key: impl ToArg, offset: u64) -> Self::Reply<bool> {
        self.command(Command::new("GETBIT").key(key).arg(offset))
    }

    /// BITCOUNT: how many bits are set in the whole value.
    fn bitcount(&self, key: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("BITCOUNT").key(key))
    }

    /// BITCOUNT start end [BYTE|BIT]: set bits between two inclusive offsets
    /// (negative ones count from the end).
    fn bitcount_range(
        &self,
        key: impl ToArg,
        start: i64,
        end: i64,
        unit: BitUnit,
    ) -> Self::Reply<i64> {
        self.command(
            Command::new("BITCOUNT")
                .key(key)
                .arg(start)
                .arg(end)
                .arg(unit.word()),
        )
    }

    /// BITPOS: the position of the first bit equal to `bit`; -1 when a
    /// clear bit is sought in an empty value or a set bit in one without any.
    fn bitpos(&self, key: impl ToArg, bit: bool) -> Self::Reply<i64> {
        self.command(Command::new("BITPOS").key(key).arg(u8::from(bit)))
    }

    /// BITPOS key bit start: the first `bit` from byte `start` on (negative
    /// counts from the end); -1 when there is none.
    fn bitpos_from(&self, key: impl ToArg, bit: bool, start: i64) -> Self::Reply<i64> {
        self.command(
            Command::new("BITPOS")
                .key(key)
                .arg(u8::from(bit))
                .arg(start),
        )
    }

    /// BITPOS key bit start end BYTE|BIT: the first `bit` between two
    /// inclusive offsets in `unit`s; -1 when there is none.
    fn bitpos_range(
        &self,
        key: impl ToArg,
        bit: bool,
        start: i64,
        end: i64,
        unit: BitUnit,
    ) -> Self::Reply<i64> {
        self.command(
            Command::new("BITPOS")
                .key(key)
                .arg(u8::from(bit))
                .arg(start)
                .arg(end)
                .arg(unit.word()),
        )
    }

    /// BITOP: combines the sources bitwise into `destination` (NOT takes
    /// one source); returns the length of the result in bytes.
    fn bitop<K: ToArg>(
        &self,
        operation: BitOp,
        destination: impl ToArg,
        sources: impl IntoIterator<Item = K>,
    ) -> Self::Reply<i64> {
        self.command(
            Command::new("BITOP")
                .arg(operation.word())
                .key(destination)
                .keys(sources),
        )
    }

    /// BITFIELD: runs the builder's operations in order; one reply item per
    /// GET, SET (the old value) and INCRBY (the new value), `None` where
    /// `OVERFLOW FAIL` stopped a write.
    fn bitfield(&self, key: impl ToArg, fields: &BitField) -> Self::Reply<Vec<Option<i64>>> {
        self.command(fields.apply(Command::new("BITFIELD").key(key)))
    }
}

impl<C: Commands + ?Sized> BitmapCommands for C {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::bitfield::{BitFieldOverflow, BitFieldType, BitOffset};
    use crate::commands::recorder::{assert_wire, Recorder};

    #[test]
    fn builds_bitmap_commands() {
        let r = Recorder;
        assert_wire!(r.setbit("k", 7, true), ["SETBIT", "@k", "7", "1"]);
        assert_wire!(r.setbit("k", 7, false), ["SETBIT", "@k", "7", "0"]);
        assert_wire!(r.getbit("k", 7), ["GETBIT", "@k", "7"]);
        assert_wire!(r.bitcount("k"), ["BITCOUNT", "@k"]);
        assert_wire!(
            r.bitcount_range("k", 0, -1, BitUnit::Bit),
            ["BITCOUNT", "@k", "0", "-1", "BIT"]
        );
        assert_wire!(
            r.bitcount_range("k", 1, 2, BitUnit::Byte),
            ["BITCOUNT", "@k", "1", "2", "BYTE"]
        );
    }

    #[test]
    fn builds_bitpos_and_bitop() {
        let r = Recorder;
        assert_wire!(r.bitpos("k", true), ["BITPOS", "@k", "1"]);
        assert_wire!(r.bitpos_from("k", false, -2), ["BITPOS", "@k", "0", "-2"]);
        assert_wire!(
            r.bitpos_range("k", true, 0, 9, BitUnit::Bit),
            ["BITPOS", "@k", "1", "0", "9", "BIT"]
        );
        assert_wire!(
            r.bitpos_range("k", true, 0, -1, BitUnit::Byte),
            ["BITPOS", "@k", "1", "0", "-1", "BYTE"]
        );
        let ops = [
            (BitOp::And, "AND"),
            (BitOp::Or, "OR"),
            (BitOp::Xor, "XOR"),
            (BitOp::Diff, "DIFF"),
            (BitOp::Diff1, "DIFF1"),
            (BitOp::AndOr, "ANDOR"),
            (BitOp::One, "ONE"),
        ];
        for (op, word) in ops {
            assert_wire!(
                r.bitop(op, "d", ["a", "b"]),
                ["BITOP", word, "@d", "@a", "@b"]
            );
        }
        assert_wire!(
            r.bitop(BitOp::Not, "d", ["a"]),
            ["BITOP", "NOT", "@d", "@a"]
        );
    }

    #[test]
    fn builds_bitfield() {
        let r = Recorder;
        let fields = BitField::new()
            .get(BitFieldType::Unsigned(8), BitOffset::Bit(0))
            .set(BitFieldType::Signed(5), BitOffset::Field(2), -3)
            .overflow(BitFieldOverflow::Sat)
            .incrby(BitFieldType::Unsigned(2), BitOffset::Bit(100), 1)
            .overflow(BitFieldOverflow::Fail)
            .incrby(BitFieldType::Signed(64), BitOffset::Field(0), -1)
            .overflow(BitFieldOverflow::Wrap);
        assert_wire!(
            r.bitfield("k", &fields),
            [
                "BITFIELD", "@k", "GET", "u8", "0", "SET", "i5", "#2", "-3", "OVERFLOW", "SAT",
                "INCRBY", "u2", "100", "1", "OVERFLOW", "FAIL", "INCRBY", "i64", "#0", "-1",
                "OVERFLOW", "WRAP"
            ]
        );
        assert_wire!(r.bitfield("k", &BitField::new()), ["BITFIELD", "@k"]);
    }
}
