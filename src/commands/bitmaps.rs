//! Bitmap commands: single bits and population counts over string values.

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

/// SETBIT, GETBIT, BITCOUNT.
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
        let cmd = Command::new("BITCOUNT").key(key).arg(start).arg(end);
        self.command(match unit {
            BitUnit::Byte => cmd.arg("BYTE"),
            BitUnit::Bit => cmd.arg("BIT"),
        })
    }
}

impl<C: Commands + ?Sized> BitmapCommands for C {}

#[cfg(test)]
mod tests {
    use super::*;
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
    }
}
