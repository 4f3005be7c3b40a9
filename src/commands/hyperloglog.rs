//! HyperLogLog commands: approximate distinct counts.

use super::Commands;
use crate::protocol::{Command, ToArg};

/// PFADD, PFCOUNT, PFMERGE.
pub trait HyperLogLogCommands: Commands {
    /// PFADD: adds elements; true when the estimate changed (or the key was created).
    fn pfadd<E: ToArg>(
        &self,
        key: impl ToArg,
        elements: impl IntoIterator<Item = E>,
    ) -> Self::Reply<bool> {
        self.command(Command::new("PFADD").key(key).args(elements))
    }

    /// PFCOUNT: the estimated number of distinct elements in the union of the keys.
    fn pfcount<K: ToArg>(&self, keys: impl IntoIterator<Item = K>) -> Self::Reply<i64> {
        self.command(Command::new("PFCOUNT").keys(keys))
    }

    /// PFMERGE: stores the union of `sources` (and `destination` itself) in `destination`.
    fn pfmerge<K: ToArg>(
        &self,
        destination: impl ToArg,
        sources: impl IntoIterator<Item = K>,
    ) -> Self::Reply<()> {
        self.command(Command::new("PFMERGE").key(destination).keys(sources))
    }
}

impl<C: Commands + ?Sized> HyperLogLogCommands for C {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::recorder::{assert_wire, Recorder};

    #[test]
    fn builds_hyperloglog_commands() {
        let r = Recorder;
        assert_wire!(r.pfadd("h", ["a", "b"]), ["PFADD", "@h", "a", "b"]);
        assert_wire!(r.pfcount(["h", "g"]), ["PFCOUNT", "@h", "@g"]);
        assert_wire!(r.pfmerge("d", ["h", "g"]), ["PFMERGE", "@d", "@h", "@g"]);
    }
}
