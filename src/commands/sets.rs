//! Set commands: membership, random picks, and set algebra across keys.

use super::scan::MemberScanOptions;
use super::Commands;
use crate::protocol::{Command, ScanPage, ToArg};

/// SADD, SMEMBERS, SINTER, SSCAN and friends.
pub trait SetCommands: Commands {
    /// SADD: adds members; returns how many were new.
    fn sadd<M: ToArg>(
        &self,
        key: impl ToArg,
        members: impl IntoIterator<Item = M>,
    ) -> Self::Reply<i64> {
        self.command(Command::new("SADD").key(key).args(members))
    }

    /// SREM: removes members; returns how many were there.
    fn srem<M: ToArg>(
        &self,
        key: impl ToArg,
        members: impl IntoIterator<Item = M>,
    ) -> Self::Reply<i64> {
        self.command(Command::new("SREM").key(key).args(members))
    }

    /// SMEMBERS: every member, in no particular order.
    fn smembers(&self, key: impl ToArg) -> Self::Reply<Vec<Vec<u8>>> {
        self.command(Command::new("SMEMBERS").key(key))
    }

    /// SISMEMBER: whether `member` is in the set.
    fn sismember(&self, key: impl ToArg, member: impl ToArg) -> Self::Reply<bool> {
        self.command(Command::new("SISMEMBER").key(key).arg(member))
    }

    /// SMISMEMBER: membership of each of `members`, in order.
    fn smismember<M: ToArg>(
        &self,
        key: impl ToArg,
        members: impl IntoIterator<Item = M>,
    ) -> Self::Reply<Vec<bool>> {
        self.command(Command::new("SMISMEMBER").key(key).args(members))
    }

    /// SCARD: how many members.
    fn scard(&self, key: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("SCARD").key(key))
    }

    /// SPOP: removes and returns a random member.
    fn spop(&self, key: impl ToArg) -> Self::Reply<Option<Vec<u8>>> {
        self.command(Command::new("SPOP").key(key))
    }

    /// SPOP count: removes and returns up to `count` random members.
    fn spop_count(&self, key: impl ToArg, count: u64) -> Self::Reply<Vec<Vec<u8>>> {
        self.command(Command::new("SPOP").key(key).arg(count))
    }

    /// SRANDMEMBER: a random member, left in place.
    fn srandmember(&self, key: impl ToArg) -> Self::Reply<Option<Vec<u8>>> {
        self.command(Command::new("SRANDMEMBER").key(key))
    }

    /// SRANDMEMBER count: distinct members when `count` is positive, `-count`
    /// members that may repeat when it is negative.
    fn srandmember_count(&self, key: impl ToArg, count: i64) -> Self::Reply<Vec<Vec<u8>>> {
        self.command(Command::new("SRANDMEMBER").key(key).arg(count))
    }

    /// SMOVE: moves `member` from `source` to `destination`; true when it was in `source`.
    fn smove(
        &self,
        source: impl ToArg,
        destination: impl ToArg,
        member: impl ToArg,
    ) -> Self::Reply<bool> {
        self.command(
            Command::new("SMOVE")
                .key(source)
                .key(destination)
                .arg(member),
        )
    }

    /// SINTER: the members in every one of `keys`.
    fn sinter<K: ToArg>(&self, keys: impl IntoIterator<Item = K>) -> Self::Reply<Vec<Vec<u8>>> {
        self.command(Command::new("SINTER").keys(keys))
    }

    /// SINTERSTORE: stores SINTER in `destination`; returns its size.
    fn sinterstore<K: ToArg>(
        &self,
        destination: impl ToArg,
        keys: impl IntoIterator<Item = K>,
    ) -> Self::Reply<i64> {
        self.command(Command::new("SINTERSTORE").key(destination).keys(keys))
    }

    /// SINTERCARD: the size of the intersection, counting no further than
    /// `limit` when given.
    fn sintercard<K: ToArg>(
        &self,
        keys: impl IntoIterator<Item = K>,
        limit: Option<u64>,
    ) -> Self::Reply<i64> {
        let keys: Vec<Vec<u8>> = keys.into_iter().map(|k| k.to_arg()).collect();
        let cmd = Command::new("SINTERCARD").arg(keys.len()).keys(keys);
        self.command(match limit {
            Some(n) => cmd.arg("LIMIT").arg(n),
            None => cmd,
        })
    }

    /// SUNION: the members in any of `keys`.
    fn sunion<K: ToArg>(&self, keys: impl IntoIterator<Item = K>) -> Self::Reply<Vec<Vec<u8>>> {
        self.command(Command::new("SUNION").keys(keys))
    }

    /// SUNIONSTORE: stores SUNION in `destination`; returns its size.
    fn sunionstore<K: ToArg>(
        &self,
        destination: impl ToArg,
        keys: impl IntoIterator<Item = K>,
    ) -> Self::Reply<i64> {
        self.command(Command::new("SUNIONSTORE").key(destination).keys(keys))
    }

    /// SDIFF: the members of the first key that are in none of the others.
    fn sdiff<K: ToArg>(&self, keys: impl IntoIterator<Item = K>) -> Self::Reply<Vec<Vec<u8>>> {
        self.command(Command::new("SDIFF").keys(keys))
    }

    /// SDIFFSTORE: stores SDIFF in `destination`; returns its size.
    fn sdiffstore<K: ToArg>(
        &self,
        destination: impl ToArg,
        keys: impl IntoIterator<Item = K>,
    ) -> Self::Reply<i64> {
        self.command(Command::new("SDIFFSTORE").key(destination).keys(keys))
    }

    /// SSCAN: one page of members from `cursor` (start with 0).
    fn sscan(
        &self,
        key: impl ToArg,
        cursor: u64,
        options: &MemberScanOptions,
    ) -> Self::Reply<ScanPage<Vec<Vec<u8>>>> {
        self.command(options.apply(Command::new("SSCAN").key(key).arg(cursor)))
    }
}

impl<C: Commands + ?Sized> SetCommands for C {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::recorder::{assert_wire, Recorder};

    #[test]
    fn builds_set_commands() {
        let r = Recorder;
        assert_wire!(r.sadd("s", ["a", "b"]), ["SADD", "@s", "a", "b"]);
        assert_wire!(r.srem("s", ["a"]), ["SREM", "@s", "a"]);
        assert_wire!(r.smembers("s"), ["SMEMBERS", "@s"]);
        assert_wire!(r.sismember("s", "a"), ["SISMEMBER", "@s", "a"]);
        assert_wire!(
            r.smismember("s", ["a", "b"]),
            ["SMISMEMBER", "@s", "a", "b"]
        );
        assert_wire!(r.scard("s"), ["SCARD", "@s"]);
        assert_wire!(r.spop("s"), ["SPOP", "@s"]);
        assert_wire!(r.spop_count("s", 2), ["SPOP", "@s", "2"]);
        assert_wire!(r.srandmember("s"), ["SRANDMEMBER", "@s"]);
        assert_wire!(r.srandmember_count("s", -2), ["SRANDMEMBER", "@s", "-2"]);
        assert_wire!(r.smove("s", "t", "a"), ["SMOVE", "@s", "@t", "a"]);
        assert_wire!(r.sinter(["s", "t"]), ["SINTER", "@s", "@t"]);
        assert_wire!(
            r.sinterstore("d", ["s", "t"]),
            ["SINTERSTORE", "@d", "@s", "@t"]
        );
        assert_wire!(
            r.sintercard(["s", "t"], Some(5)),
            ["SINTERCARD", "2", "@s", "@t", "LIMIT", "5"]
        );
        assert_wire!(r.sintercard(["s"], None), ["SINTERCARD", "1", "@s"]);
        assert_wire!(r.sunion(["s", "t"]), ["SUNION", "@s", "@t"]);
        assert_wire!(r.sunionstore("d", ["s"]), ["SUNIONSTORE", "@d", "@s"]);
        assert_wire!(r.sdiff(["s", "t"]), ["SDIFF", "@s", "@t"]);
        assert_wire!(r.sdiffstore("d", ["s"]), ["SDIFFSTORE", "@d", "@s"]);
        assert_wire!(
            r.sscan("s", 3, &MemberScanOptions::default().count(2)),
            ["SSCAN", "@s", "3", "COUNT", "2"]
        );
    }
}
