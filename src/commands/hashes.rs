//! Hash commands: fields and values under one key.

use std::collections::HashMap;

use super::scan::MemberScanOptions;
use super::Commands;
use crate::protocol::{Command, FieldValues, ScanPage, ToArg};

/// Appends `field value` for each pair.
pub(crate) fn field_values<F: ToArg, V: ToArg>(
    mut cmd: Command,
    pairs: impl IntoIterator<Item = (F, V)>,
) -> Command {
    for (f, v) in pairs {
        cmd = cmd.arg(f).arg(v);
    }
    cmd
}

/// HSET, HGET, HGETALL, HINCRBY, HSCAN and friends.
pub trait HashCommands: Commands {
    /// HSET: sets fields; returns how many fields were new.
    fn hset<F: ToArg, V: ToArg>(
        &self,
        key: impl ToArg,
        pairs: impl IntoIterator<Item = (F, V)>,
    ) -> Self::Reply<i64> {
        self.command(field_values(Command::new("HSET").key(key), pairs))
    }

    /// HMSET: sets fields like HSET (its older form); replies `OK`.
    fn hmset<F: ToArg, V: ToArg>(
        &self,
        key: impl ToArg,
        pairs: impl IntoIterator<Item = (F, V)>,
    ) -> Self::Reply<()> {
        self.command(field_values(Command::new("HMSET").key(key), pairs))
    }

    /// HSETNX: sets a field only if it is missing; true when written.
    fn hsetnx(&self, key: impl ToArg, field: impl ToArg, value: impl ToArg) -> Self::Reply<bool> {
        self.command(Command::new("HSETNX").key(key).arg(field).arg(value))
    }

    /// HGET: a field's value, or `None`.
    fn hget(&self, key: impl ToArg, field: impl ToArg) -> Self::Reply<Option<Vec<u8>>> {
        self.command(Command::new("HGET").key(key).arg(field))
    }

    /// HMGET: several fields' values, `None` for missing ones.
    fn hmget<F: ToArg>(
        &self,
        key: impl ToArg,
        fields: impl IntoIterator<Item = F>,
    ) -> Self::Reply<Vec<Option<Vec<u8>>>> {
        self.command(Command::new("HMGET").key(key).args(fields))
    }

    /// HGETALL: every field and value (empty for a missing key).
    fn hgetall(&self, key: impl ToArg) -> Self::Reply<HashMap<Vec<u8>, Vec<u8>>> {
        self.command(Command::new("HGETALL").key(key))
    }

    /// HDEL: removes fields; returns how many existed.
    fn hdel<F: ToArg>(
        &self,
        key: impl ToArg,
        fields: impl IntoIterator<Item = F>,
    ) -> Self::Reply<i64> {
        self.command(Command::new("HDEL").key(key).args(fields))
    }

    /// HEXISTS: whether the field exists.
    fn hexists(&self, key: impl ToArg, field: impl ToArg) -> Self::Reply<bool> {
        self.command(Command::new("HEXISTS").key(key).arg(field))
    }

    /// HINCRBY: adds `by` to an integer field; returns the new value.
    fn hincrby(&self, key: impl ToArg, field: impl ToArg, by: i64) -> Self::Reply<i64> {
        self.command(Command::new("HINCRBY").key(key).arg(field).arg(by))
    }

    /// HINCRBYFLOAT: adds `by` to a float field; returns the new value.
    fn hincrbyfloat(&self, key: impl ToArg, field: impl ToArg, by: f64) -> Self::Reply<f64> {
        self.command(Command::new("HINCRBYFLOAT").key(key).arg(field).arg(by))
    }

    /// HKEYS: every field name.
    fn hkeys(&self, key: impl ToArg) -> Self::Reply<Vec<Vec<u8>>> {
        self.command(Command::new("HKEYS").key(key))
    }

    /// HVALS: every value.
    fn hvals(&self, key: impl ToArg) -> Self::Reply<Vec<Vec<u8>>> {
        self.command(Command::new("HVALS").key(key))
    }

    /// HLEN: how many fields.
    fn hlen(&self, key: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("HLEN").key(key))
    }

    /// HSTRLEN: the length of a field's value in bytes (0 when missing).
    fn hstrlen(&self, key: impl ToArg, field: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("HSTRLEN").key(key).arg(field))
    }

    /// HRANDFIELD: one random field, or `None` for a missing key.
    fn hrandfield(&self, key: impl ToArg) -> Self::Reply<Option<Vec<u8>>> {
        self.command(Command::new("HRANDFIELD").key(key))
    }

    /// HRANDFIELD count: distinct random fields when `count` is positive, up
    /// to `-count` fields that may repeat when it is negative.
    fn hrandfield_count(&self, key: impl ToArg, count: i64) -> Self::Reply<Vec<Vec<u8>>> {
        self.command(Command::new("HRANDFIELD").key(key).arg(count))
    }

    /// HRANDFIELD count WITHVALUES: random fields with their values.
    fn hrandfield_with_values(&self, key: impl ToArg, count: i64) -> Self::Reply<FieldValues> {
        self.command(
            Command::new("HRANDFIELD")
                .key(key)
                .arg(count)
                .arg("WITHVALUES"),
        )
    }

    /// HSCAN: one page of (field, value) pairs from `cursor` (start with 0).
    fn hscan(
        &self,
        key: impl ToArg,
        cursor: u64,
        options: &MemberScanOptions,
    ) -> Self::Reply<ScanPage<FieldValues>> {
        self.command(options.apply(Command::new("HSCAN").key(key).arg(cursor)))
    }
}

impl<C: Commands + ?Sized> HashCommands for C {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::recorder::{assert_wire, Recorder};

    #[test]
    fn builds_hash_commands() {
        let r = Recorder;
        assert_wire!(
            r.hset("h", [("f", "1"), ("g", "2")]),
            ["HSET", "@h", "f", "1", "g", "2"]
        );
        assert_wire!(
            r.hmset("h", [("f", "1"), ("g", "2")]),
            ["HMSET", "@h", "f", "1", "g", "2"]
        );
        assert_wire!(r.hsetnx("h", "f", "v"), ["HSETNX", "@h", "f", "v"]);
        assert_wire!(r.hget("h", "f"), ["HGET", "@h", "f"]);
        assert_wire!(r.hmget("h", ["f", "g"]), ["HMGET", "@h", "f", "g"]);
        assert_wire!(r.hgetall("h"), ["HGETALL", "@h"]);
        assert_wire!(r.hdel("h", ["f"]), ["HDEL", "@h", "f"]);
        assert_wire!(r.hexists("h", "f"), ["HEXISTS", "@h", "f"]);
        assert_wire!(r.hincrby("h", "f", -2), ["HINCRBY", "@h", "f", "-2"]);
        assert_wire!(
            r.hincrbyfloat("h", "f", 0.5),
            ["HINCRBYFLOAT", "@h", "f", "0.5"]
        );
        assert_wire!(r.hkeys("h"), ["HKEYS", "@h"]);
        assert_wire!(r.hvals("h"), ["HVALS", "@h"]);
        assert_wire!(r.hlen("h"), ["HLEN", "@h"]);
        assert_wire!(r.hstrlen("h", "f"), ["HSTRLEN", "@h", "f"]);
        assert_wire!(r.hrandfield("h"), ["HRANDFIELD", "@h"]);
        assert_wire!(r.hrandfield_count("h", -3), ["HRANDFIELD", "@h", "-3"]);
        assert_wire!(
            r.hrandfield_with_values("h", 2),
            ["HRANDFIELD", "@h", "2", "WITHVALUES"]
        );
        assert_wire!(
            r.hscan("h", 0, &MemberScanOptions::default().pattern("f*").count(5)),
            ["HSCAN", "@h", "0", "MATCH", "f*", "COUNT", "5"]
        );
    }
}
