//! Upstash's arrays (`AR*`): sparse arrays of values addressed by index,
//! a data type only Upstash has (no Redis does, and neither does the
//! embedded engine or edgestash-server over Redis: there these commands
//! answer Redis's unknown-command error). Every command names one key
//! first, which the namespace prefixes like any other.
//!
//! Indexes come back as [`ArIndex`]: Upstash may answer them as integers or
//! as decimal text (they can exceed what a JavaScript number holds).

use super::Commands;
use crate::protocol::{Command, FromValue, Pairs, ToArg, Value};
use crate::Error;

/// An array index or length as Upstash answers it (integer or decimal text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArIndex(pub u64);

impl FromValue for ArIndex {
    fn from_value(value: Value) -> Result<Self, Error> {
        let n = match &value {
            Value::Int(n) => u64::try_from(*n).ok(),
            Value::Bytes(b) => std::str::from_utf8(b).ok().and_then(|s| s.parse().ok()),
            _ => None,
        };
        n.map(ArIndex).ok_or(Error::UnexpectedReply {
            command: None,
            expected: "an array index",
            got: value.type_name(),
        })
    }
}

/// One ARGREP predicate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArGrepPredicate {
    /// EXACT: the value equals these bytes.
    Exact(Vec<u8>),
    /// MATCH: the value contains these bytes.
    Match(Vec<u8>),
    /// GLOB: the value matches this glob pattern.
    Glob(Vec<u8>),
    /// RE: the value matches this regular expression.
    Re(Vec<u8>),
}

/// How ARGREP combines several predicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArCombine {
    /// Every predicate holds.
    And,
    /// Any predicate holds.
    Or,
}

/// ARGREP's predicates and options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArGrep {
    /// The predicates, at least one.
    pub predicates: Vec<ArGrepPredicate>,
    /// AND or OR, when there are several.
    pub combine: Option<ArCombine>,
    /// NOCASE: compare ignoring case.
    pub no_case: bool,
    /// LIMIT: at most this many matches.
    pub limit: Option<u64>,
}

impl ArGrep {
    /// Appends the predicates and options (WITHVALUES when `with_values`).
    fn apply(&self, mut cmd: Command, with_values: bool) -> Command {
        for p in &self.predicates {
            cmd = match p {
                ArGrepPredicate::Exact(v) => cmd.arg("EXACT").arg(v.as_slice()),
                ArGrepPredicate::Match(v) => cmd.arg("MATCH").arg(v.as_slice()),
                ArGrepPredicate::Glob(v) => cmd.arg("GLOB").arg(v.as_slice()),
                ArGrepPredicate::Re(v) => cmd.arg("RE").arg(v.as_slice()),
            };
        }
        cmd = match self.combine {
            Some(ArCombine::And) => cmd.arg("AND"),
            Some(ArCombine::Or) => cmd.arg("OR"),
            None => cmd,
        };
        if self.no_case {
            cmd = cmd.arg("NOCASE");
        }
        if with_values {
            cmd = cmd.arg("WITHVALUES");
        }
        match self.limit {
            Some(n) => cmd.arg("LIMIT").arg(n),
            None => cmd,
        }
    }
}

/// AROP's operation over a range.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArOp {
    /// SUM of the numeric values.
    Sum,
    /// MIN of the numeric values.
    Min,
    /// MAX of the numeric values.
    Max,
    /// Bitwise AND of the integer values.
    And,
    /// Bitwise OR of the integer values.
    Or,
    /// Bitwise XOR of the integer values.
    Xor,
    /// USED: how many slots hold a value.
    Used,
    /// MATCH: how many values equal these bytes.
    Match(Vec<u8>),
}

impl ArOp {
    fn apply(&self, cmd: Command) -> Command {
        match self {
            Self::Sum => cmd.arg("SUM"),
            Self::Min => cmd.arg("MIN"),
            Self::Max => cmd.arg("MAX"),
            Self::And => cmd.arg("AND"),
            Self::Or => cmd.arg("OR"),
            Self::Xor => cmd.arg("XOR"),
            Self::Used => cmd.arg("USED"),
            Self::Match(v) => cmd.arg("MATCH").arg(v.as_slice()),
        }
    }
}

/// `name key arg...` for the AR* commands that take plain arguments.
fn array_command<A: ToArg>(
    name: &'static str,
    key: impl ToArg,
    args: impl IntoIterator<Item = A>,
) -> Command {
    Command::new(name).key(key).args(args)
}

/// Upstash's array commands (Upstash only).
pub trait ArrayCommands: Commands {
    /// ARCOUNT: how many slots hold a value.
    fn arcount(&self, key: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("ARCOUNT").key(key))
    }

    /// ARDEL: clears the slots at `indexes`; how many held a value.
    fn ardel<I: ToArg>(
        &self,
        key: impl ToArg,
        indexes: impl IntoIterator<Item = I>,
    ) -> Self::Reply<i64> {
        self.command(array_command("ARDEL", key, indexes))
    }

    /// ARDELRANGE: clears every slot in each `(start, end)` range; how many
    /// held a value.
    fn ardelrange<I: ToArg>(
        &self,
        key: impl ToArg,
        ranges: impl IntoIterator<Item = (I, I)>,
    ) -> Self::Reply<i64> {
        let flat = ranges
            .into_iter()
            .flat_map(|(s, e)| [s.to_arg(), e.to_arg()]);
        self.command(array_command("ARDELRANGE", key, flat))
    }

    /// ARGET: the value at `index`, `None` for an empty slot.
    fn arget(&self, key: impl ToArg, index: impl ToArg) -> Self::Reply<Option<Vec<u8>>> {
        self.command(Command::new("ARGET").key(key).arg(index))
    }

    /// ARGETRANGE: the slots from `start` to `end`, `None` where empty.
    fn argetrange(
        &self,
        key: impl ToArg,
        start: impl ToArg,
        end: impl ToArg,
    ) -> Self::Reply<Vec<Option<Vec<u8>>>> {
        self.command(Command::new("ARGETRANGE").key(key).arg(start).arg(end))
    }

    /// ARGREP: the indexes from `start` to `end` whose values satisfy `grep`.
    fn argrep(
        &self,
        key: impl ToArg,
        start: impl ToArg,
        end: impl ToArg,
        grep: &ArGrep,
    ) -> Self::Reply<Vec<ArIndex>> {
        let cmd = Command::new("ARGREP").key(key).arg(start).arg(end);
        self.command(grep.apply(cmd, false))
    }

    /// ARGREP ... WITHVALUES: the matching `(index, value)` pairs.
    fn argrep_with_values(
        &self,
        key: impl ToArg,
        start: impl ToArg,
        end: impl ToArg,
        grep: &ArGrep,
    ) -> Self::Reply<Vec<(ArIndex, Vec<u8>)>> {
        let cmd = Command::new("ARGREP").key(key).arg(start).arg(end);
        self.command(grep.apply(cmd, true))
    }

    /// ARINFO (FULL when `full`): the array's layout as field/value pairs
    /// (`len`, `count`, `slice-size`, `next-insert-index`...).
    fn arinfo(&self, key: impl ToArg, full: bool) -> Self::Reply<Pairs<String, Value>> {
        let cmd = Command::new("ARINFO").key(key);
        self.command(if full { cmd.arg("FULL") } else { cmd })
    }

    /// ARINSERT: appends `values` at the next insert index; the index after
    /// the last one written.
    fn arinsert<V: ToArg>(
        &self,
        key: impl ToArg,
        values: impl IntoIterator<Item = V>,
    ) -> Self::Reply<ArIndex> {
        self.command(array_command("ARINSERT", key, values))
    }

    /// ARLASTITEMS: the last `count` values (REV: newest first).
    fn arlastitems(
        &self,
        key: impl ToArg,
        count: u64,
        rev: bool,
    ) -> Self::Reply<Vec<Option<Vec<u8>>>> {
        let cmd = Command::new("ARLASTITEMS").key(key).arg(count);
        self.command(if rev { cmd.arg("REV") } else { cmd })
    }

    /// ARLEN: one past the highest index in use.
    fn arlen(&self, key: impl ToArg) -> Self::Reply<ArIndex> {
        self.command(Command::new("ARLEN").key(key))
    }

    /// ARMGET: the values at `indexes`, `None` where empty.
    fn armget<I: ToArg>(
        &self,
        key: impl ToArg,
        indexes: impl IntoIterator<Item = I>,
    ) -> Self::Reply<Vec<Option<Vec<u8>>>> {
        self.command(array_command("ARMGET", key, indexes))
    }

    /// ARMSET: sets each `(index, value)`; how many slots were written.
    fn armset<I: ToArg, V: ToArg>(
        &self,
        key: impl ToArg,
        pairs: impl IntoIterator<Item = (I, V)>,
    ) -> Self::Reply<i64> {
        let flat = pairs
            .into_iter()
            .flat_map(|(i, v)| [i.to_arg(), v.to_arg()]);
        self.command(array_command("ARMSET", key, flat))
    }

    /// ARNEXT: the next insert index, `None` when there is none.
    fn arnext(&self, key: impl ToArg) -> Self::Reply<Option<ArIndex>> {
        self.command(Command::new("ARNEXT").key(key))
    }

    /// AROP: `op` over the slots from `start` to `end`; `None` when no slot
    /// counts.
    fn arop(
        &self,
        key: impl ToArg,
        start: impl ToArg,
        end: impl ToArg,
        op: &ArOp,
    ) -> Self::Reply<Option<f64>> {
        self.command(op.apply(Command::new("AROP").key(key).arg(start).arg(end)))
    }

    /// ARRING: appends `values` to a ring of `size` slots (the oldest are
    /// overwritten); the next insert index.
    fn arring<V: ToArg>(
        &self,
        key: impl ToArg,
        size: u64,
        values: impl IntoIterator<Item = V>,
    ) -> Self::Reply<ArIndex> {
        self.command(Command::new("ARRING").key(key).arg(size).args(values))
    }

    /// ARSCAN: the `(index, value)` pairs of the filled slots from `start`
    /// to `end`, at most `limit` of them.
    fn arscan(
        &self,
        key: impl ToArg,
        start: impl ToArg,
        end: impl ToArg,
        limit: Option<u64>,
    ) -> Self::Reply<Vec<(ArIndex, Vec<u8>)>> {
        let cmd = Command::new("ARSCAN").key(key).arg(start).arg(end);
        self.command(match limit {
            Some(n) => cmd.arg("LIMIT").arg(n),
            None => cmd,
        })
    }

    /// ARSEEK: moves the next insert index to `index`; whether it moved.
    fn arseek(&self, key: impl ToArg, index: impl ToArg) -> Self::Reply<bool> {
        self.command(Command::new("ARSEEK").key(key).arg(index))
    }

    /// ARSET: writes `values` from `index` on; how many slots were written.
    fn arset<V: ToArg>(
        &self,
        key: impl ToArg,
        index: impl ToArg,
        values: impl IntoIterator<Item = V>,
    ) -> Self::Reply<i64> {
        self.command(Command::new("ARSET").key(key).arg(index).args(values))
    }
}

impl<C: Commands + ?Sized> ArrayCommands for C {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::recorder::{assert_wire, Recorder};

    #[test]
    fn builds_array_commands() {
        let r = Recorder;
        assert_wire!(r.arcount("a"), ["ARCOUNT", "@a"]);
        assert_wire!(r.ardel("a", [1, 2]), ["ARDEL", "@a", "1", "2"]);
        assert_wire!(
            r.ardelrange("a", [(0, 2), (5, 7)]),
            ["ARDELRANGE", "@a", "0", "2", "5", "7"]
        );
        assert_wire!(r.arget("a", 3), ["ARGET", "@a", "3"]);
        assert_wire!(r.argetrange("a", 0, -1), ["ARGETRANGE", "@a", "0", "-1"]);
        let grep = ArGrep {
            predicates: vec![
                ArGrepPredicate::Exact(b"x".to_vec()),
                ArGrepPredicate::Match(b"m".to_vec()),
                ArGrepPredicate::Glob(b"a*".to_vec()),
                ArGrepPredicate::Re(b"^b".to_vec()),
            ],
            combine: Some(ArCombine::Or),
            no_case: true,
            limit: Some(5),
        };
        assert_wire!(
            r.argrep_with_values("a", 0, -1, &grep),
            [
                "ARGREP",
                "@a",
                "0",
                "-1",
                "EXACT",
                "x",
                "MATCH",
                "m",
                "GLOB",
                "a*",
                "RE",
                "^b",
                "OR",
                "NOCASE",
                "WITHVALUES",
                "LIMIT",
                "5"
            ]
        );
        let one = ArGrep {
            predicates: vec![ArGrepPredicate::Exact(b"x".to_vec())],
            combine: Some(ArCombine::And),
            ..ArGrep::default()
        };
        assert_wire!(
            r.argrep("a", 0, 9, &one),
            ["ARGREP", "@a", "0", "9", "EXACT", "x", "AND"]
        );
        assert_wire!(r.arinfo("a", true), ["ARINFO", "@a", "FULL"]);
        assert_wire!(r.arinfo("a", false), ["ARINFO", "@a"]);
        assert_wire!(r.arinsert("a", ["x", "y"]), ["ARINSERT", "@a", "x", "y"]);
        assert_wire!(
            r.arlastitems("a", 2, true),
            ["ARLASTITEMS", "@a", "2", "REV"]
        );
        assert_wire!(r.arlastitems("a", 2, false), ["ARLASTITEMS", "@a", "2"]);
        assert_wire!(r.arlen("a"), ["ARLEN", "@a"]);
        assert_wire!(r.armget("a", [1, 4]), ["ARMGET", "@a", "1", "4"]);
        assert_wire!(
            r.armset("a", [(1, "x"), (5, "y")]),
            ["ARMSET", "@a", "1", "x", "5", "y"]
        );
        assert_wire!(r.arnext("a"), ["ARNEXT", "@a"]);
        assert_wire!(
            r.arop("a", 0, -1, &ArOp::Sum),
            ["AROP", "@a", "0", "-1", "SUM"]
        );
        assert_wire!(
            r.arop("a", 0, -1, &ArOp::Match(b"v".to_vec())),
            ["AROP", "@a", "0", "-1", "MATCH", "v"]
        );
        for (op, word) in [
            (ArOp::Min, "MIN"),
            (ArOp::Max, "MAX"),
            (ArOp::And, "AND"),
            (ArOp::Or, "OR"),
            (ArOp::Xor, "XOR"),
            (ArOp::Used, "USED"),
        ] {
            assert_wire!(r.arop("a", 1, 2, &op), ["AROP", "@a", "1", "2", word]);
        }
        assert_wire!(r.arring("a", 3, ["x"]), ["ARRING", "@a", "3", "x"]);
        assert_wire!(
            r.arscan("a", 0, -1, Some(10)),
            ["ARSCAN", "@a", "0", "-1", "LIMIT", "10"]
        );
        assert_wire!(r.arscan("a", 0, -1, None), ["ARSCAN", "@a", "0", "-1"]);
        assert_wire!(r.arseek("a", 4), ["ARSEEK", "@a", "4"]);
        assert_wire!(r.arset("a", 0, ["x", "y"]), ["ARSET", "@a", "0", "x", "y"]);
    }

    #[test]
    fn indexes_read_as_integers_or_decimal_text() {
        assert_eq!(ArIndex::from_value(Value::Int(7)).ok(), Some(ArIndex(7)));
        let big = Value::Bytes(b"18446744073709551615".to_vec());
        assert_eq!(ArIndex::from_value(big).ok(), Some(ArIndex(u64::MAX)));
        assert!(ArIndex::from_value(Value::Int(-1)).is_err());
        assert!(ArIndex::from_value(Value::Bytes(b"x".to_vec())).is_err());
        let pairs = Value::Array(vec![Value::Array(vec![
            Value::Int(3),
            Value::Bytes(b"v".to_vec()),
        ])]);
        let got: Option<Vec<(ArIndex, Vec<u8>)>> = FromValue::from_value(pairs).ok();
        assert_eq!(got, Some(vec![(ArIndex(3), b"v".to_vec())]));
    }
}
