//! List commands: pushes, pops, ranges and moves between lists.

use super::Commands;
use crate::protocol::{Command, ToArg};

/// What LMPOP returns: the key popped from, and the elements.
pub type PoppedElements = (Vec<u8>, Vec<Vec<u8>>);

/// Which end of a list (LMOVE, LMPOP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListEnd {
    /// LEFT: the head.
    Left,
    /// RIGHT: the tail.
    Right,
}

impl ListEnd {
    fn word(self) -> &'static str {
        match self {
            Self::Left => "LEFT",
            Self::Right => "RIGHT",
        }
    }
}

/// Where LINSERT puts the element relative to the pivot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertPosition {
    /// BEFORE the pivot.
    Before,
    /// AFTER the pivot.
    After,
}

/// Options of LPOS: `LposOptions::default().rank(-1).maxlen(100)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LposOptions {
    /// RANK: the n-th match (negative: from the tail).
    pub rank: Option<i64>,
    /// MAXLEN: compare at most this many elements (0: all).
    pub maxlen: Option<u64>,
}

impl LposOptions {
    /// RANK: skip to the n-th match; negative counts from the tail.
    pub fn rank(mut self, rank: i64) -> Self {
        self.rank = Some(rank);
        self
    }
    /// MAXLEN: look at no more than `maxlen` elements.
    pub fn maxlen(mut self, maxlen: u64) -> Self {
        self.maxlen = Some(maxlen);
        self
    }

    fn apply(&self, mut cmd: Command) -> Command {
        if let Some(r) = self.rank {
            cmd = cmd.arg("RANK").arg(r);
        }
        if let Some(m) = self.maxlen {
            cmd = cmd.arg("MAXLEN").arg(m);
        }
        cmd
    }
}

/// LPUSH, LPOP, LRANGE, LMOVE, LMPOP and friends.
pub trait ListCommands: Commands {
    /// LPUSH: prepends elements (the last one ends up first); returns the new length.
    fn lpush<E: ToArg>(
        &self,
        key: impl ToArg,
        elements: impl IntoIterator<Item = E>,
    ) -> Self::Reply<i64> {
        self.command(Command::new("LPUSH").key(key).args(elements))
    }

    /// RPUSH: appends elements; returns the new length.
    fn rpush<E: ToArg>(
        &self,
        key: impl ToArg,
        elements: impl IntoIterator<Item = E>,
    ) -> Self::Reply<i64> {
        self.command(Command::new("RPUSH").key(key).args(elements))
    }

    /// LPUSHX: LPUSH only onto an existing list; 0 when the key is missing.
    fn lpushx<E: ToArg>(
        &self,
        key: impl ToArg,
        elements: impl IntoIterator<Item = E>,
    ) -> Self::Reply<i64> {
        self.command(Command::new("LPUSHX").key(key).args(elements))
    }

    /// RPUSHX: RPUSH only onto an existing list; 0 when the key is missing.
    fn rpushx<E: ToArg>(
        &self,
        key: impl ToArg,
        elements: impl IntoIterator<Item = E>,
    ) -> Self::Reply<i64> {
        self.command(Command::new("RPUSHX").key(key).args(elements))
    }

    /// LPOP: removes and returns the first element.
    fn lpop(&self, key: impl ToArg) -> Self::Reply<Option<Vec<u8>>> {
        self.command(Command::new("LPOP").key(key))
    }

    /// LPOP count: up to `count` elements from the head; `None` for a missing key.
    fn lpop_count(&self, key: impl ToArg, count: u64) -> Self::Reply<Option<Vec<Vec<u8>>>> {
        self.command(Command::new("LPOP").key(key).arg(count))
    }

    /// RPOP: removes and returns the last element.
    fn rpop(&self, key: impl ToArg) -> Self::Reply<Option<Vec<u8>>> {
        self.command(Command::new("RPOP").key(key))
    }

    /// RPOP count: up to `count` elements from the tail; `None` for a missing key.
    fn rpop_count(&self, key: impl ToArg, count: u64) -> Self::Reply<Option<Vec<Vec<u8>>>> {
        self.command(Command::new("RPOP").key(key).arg(count))
    }

    /// LLEN: the length (0 for a missing key).
    fn llen(&self, key: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("LLEN").key(key))
    }

    /// LRANGE: elements from `start` to `stop`, both inclusive; negative
    /// indexes count from the tail.
    fn lrange(&self, key: impl ToArg, start: i64, stop: i64) -> Self::Reply<Vec<Vec<u8>>> {
        self.command(Command::new("LRANGE").key(key).arg(start).arg(stop))
    }

    /// LINDEX: the element at `index`, or `None` out of range.
    fn lindex(&self, key: impl ToArg, index: i64) -> Self::Reply<Option<Vec<u8>>> {
        self.command(Command::new("LINDEX").key(key).arg(index))
    }

    /// LSET: replaces the element at `index`; an error out of range.
    fn lset(&self, key: impl ToArg, index: i64, element: impl ToArg) -> Self::Reply<()> {
        self.command(Command::new("LSET").key(key).arg(index).arg(element))
    }

    /// LINSERT: inserts next to the first `pivot`; returns the new length,
    /// -1 when the pivot is missing, 0 when the key is.
    fn linsert(
        &self,
        key: impl ToArg,
        position: InsertPosition,
        pivot: impl ToArg,
        element: impl ToArg,
    ) -> Self::Reply<i64> {
        let word = match position {
            InsertPosition::Before => "BEFORE",
            InsertPosition::After => "AFTER",
        };
        self.command(
            Command::new("LINSERT")
                .key(key)
                .arg(word)
                .arg(pivot)
                .arg(element),
        )
    }

    /// LREM: removes `count` occurrences (from the head when positive, from
    /// the tail when negative, all when 0); returns how many were removed.
    fn lrem(&self, key: impl ToArg, count: i64, element: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("LREM").key(key).arg(count).arg(element))
    }

    /// LTRIM: keeps only the elements from `start` to `stop`.
    fn ltrim(&self, key: impl ToArg, start: i64, stop: i64) -> Self::Reply<()> {
        self.command(Command::new("LTRIM").key(key).arg(start).arg(stop))
    }

    /// LPOS: the index of the first match (per the options), or `None`.
    fn lpos(
        &self,
        key: impl ToArg,
        element: impl ToArg,
        options: LposOptions,
    ) -> Self::Reply<Option<i64>> {
        self.command(options.apply(Command::new("LPOS").key(key).arg(element)))
    }

    /// LPOS ... COUNT: the indexes of up to `count` matches (0: all).
    fn lpos_count(
        &self,
        key: impl ToArg,
        element: impl ToArg,
        count: u64,
        options: LposOptions,
    ) -> Self::Reply<Vec<i64>> {
        let cmd = Command::new("LPOS")
            .key(key)
            .arg(element)
            .arg("COUNT")
            .arg(count);
        self.command(options.apply(cmd))
    }

    /// LMOVE: pops from one end of `source` and pushes onto one end of
    /// `destination`, atomically; returns the element moved.
    fn lmove(
        &self,
        source: impl ToArg,
        destination: impl ToArg,
        from: ListEnd,
        to: ListEnd,
    ) -> Self::Reply<Option<Vec<u8>>> {
        self.command(
            Command::new("LMOVE")
                .key(source)
                .key(destination)
                .arg(from.word())
                .arg(to.word()),
        )
    }

    /// RPOPLPUSH: LMOVE from the tail of `source` to the head of `destination`.
    fn rpoplpush(
        &self,
        source: impl ToArg,
        destination: impl ToArg,
    ) -> Self::Reply<Option<Vec<u8>>> {
        self.command(Command::new("RPOPLPUSH").key(source).key(destination))
    }

    /// LMPOP: pops up to `count` elements (1 when `None`) from the first
    /// non-empty list of `keys`; returns that key and the elements, or `None`
    /// when every list is empty.
    fn lmpop<K: ToArg>(
        &self,
        keys: impl IntoIterator<Item = K>,
        from: ListEnd,
        count: Option<u64>,
    ) -> Self::Reply<Option<PoppedElements>> {
        let keys: Vec<Vec<u8>> = keys.into_iter().map(|k| k.to_arg()).collect();
        let cmd = Command::new("LMPOP")
            .arg(keys.len())
            .keys(keys)
            .arg(from.word());
        self.command(match count {
            Some(n) => cmd.arg("COUNT").arg(n),
            None => cmd,
        })
    }
}

impl<C: Commands + ?Sized> ListCommands for C {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::recorder::{assert_wire, Recorder};

    #[test]
    fn builds_list_commands() {
        let r = Recorder;
        assert_wire!(r.lpush("l", ["a", "b"]), ["LPUSH", "@l", "a", "b"]);
        assert_wire!(r.rpush("l", ["a"]), ["RPUSH", "@l", "a"]);
        assert_wire!(r.lpushx("l", ["a"]), ["LPUSHX", "@l", "a"]);
        assert_wire!(r.rpushx("l", ["a"]), ["RPUSHX", "@l", "a"]);
        assert_wire!(r.lpop("l"), ["LPOP", "@l"]);
        assert_wire!(r.lpop_count("l", 2), ["LPOP", "@l", "2"]);
        assert_wire!(r.rpop("l"), ["RPOP", "@l"]);
        assert_wire!(r.rpop_count("l", 2), ["RPOP", "@l", "2"]);
        assert_wire!(r.llen("l"), ["LLEN", "@l"]);
        assert_wire!(r.lrange("l", 0, -1), ["LRANGE", "@l", "0", "-1"]);
        assert_wire!(r.lindex("l", -1), ["LINDEX", "@l", "-1"]);
        assert_wire!(r.lset("l", 0, "x"), ["LSET", "@l", "0", "x"]);
        assert_wire!(
            r.linsert("l", InsertPosition::After, "p", "x"),
            ["LINSERT", "@l", "AFTER", "p", "x"]
        );
        assert_wire!(r.lrem("l", -2, "x"), ["LREM", "@l", "-2", "x"]);
        assert_wire!(r.ltrim("l", 1, 3), ["LTRIM", "@l", "1", "3"]);
        assert_wire!(
            r.lpos("l", "x", LposOptions::default()),
            ["LPOS", "@l", "x"]
        );
        assert_wire!(
            r.lpos_count("l", "x", 0, LposOptions::default().rank(-1).maxlen(9)),
            ["LPOS", "@l", "x", "COUNT", "0", "RANK", "-1", "MAXLEN", "9"]
        );
        assert_wire!(
            r.lmove("a", "b", ListEnd::Left, ListEnd::Right),
            ["LMOVE", "@a", "@b", "LEFT", "RIGHT"]
        );
        assert_wire!(r.rpoplpush("a", "b"), ["RPOPLPUSH", "@a", "@b"]);
        assert_wire!(
            r.lmpop(["a", "b"], ListEnd::Right, Some(3)),
            ["LMPOP", "2", "@a", "@b", "RIGHT", "COUNT", "3"]
        );
        assert_wire!(
            r.lmpop(["a"], ListEnd::Left, None),
            ["LMPOP", "1", "@a", "LEFT"]
        );
    }
}
