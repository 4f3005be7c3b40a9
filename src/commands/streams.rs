//! Stream commands: entries, ranges, reads, consumer groups.
//!
//! Must not: block. XREAD/XREADGROUP have no BLOCK option here: a blocking
//! read holds its REST request (edgestash-server and Upstash both wait), so
//! it needs a client timeout longer than the wait; send it as a `Command`.

use super::Commands;
use crate::protocol::{Command, FieldValues, ToArg, Value};

/// One stream entry: its ID and its fields (empty for an entry deleted
/// while pending, which Redis replies as nil).
pub type StreamEntry = (String, FieldValues);

/// The entries read from each stream, by key (`None`: nothing new).
pub type StreamReads = Option<Vec<(String, Vec<StreamEntry>)>>;

/// How XADD and XTRIM trim a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamTrim {
    /// `MAXLEN [~] n`: keep at most `n` entries (`approx`: whole nodes only).
    MaxLen {
        /// The bound.
        len: u64,
        /// `~`: Redis may keep a few more, which is cheaper.
        approx: bool,
    },
    /// `MINID [~] id`: drop entries below `id`.
    MinId {
        /// The lowest ID kept.
        id: String,
        /// `~`: Redis may keep a few more, which is cheaper.
        approx: bool,
    },
}

impl StreamTrim {
    fn append(&self, cmd: Command) -> Command {
        let (word, approx, bound) = match self {
            Self::MaxLen { len, approx } => ("MAXLEN", *approx, len.to_string()),
            Self::MinId { id, approx } => ("MINID", *approx, id.clone()),
        };
        cmd.arg(word).arg(if approx { "~" } else { "=" }).arg(bound)
    }
}

/// What XDELEX and XACKDEL do with the entries' references in consumer
/// groups' pending lists (Redis 8.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamDeleteRefs {
    /// KEEPREF: delete the entries, keep the references (the default).
    KeepRef,
    /// DELREF: delete the entries and every reference to them.
    DelRef,
    /// ACKED: delete only entries every group has acknowledged.
    Acked,
}

impl StreamDeleteRefs {
    fn word(self) -> &'static str {
        match self {
            Self::KeepRef => "KEEPREF",
            Self::DelRef => "DELREF",
            Self::Acked => "ACKED",
        }
    }
}

/// Appends `[KEEPREF|DELREF|ACKED] IDS numids id...`.
fn refs_and_ids<I: ToArg>(
    cmd: Command,
    refs: Option<StreamDeleteRefs>,
    ids: impl IntoIterator<Item = I>,
) -> Command {
    let cmd = match refs {
        Some(r) => cmd.arg(r.word()),
        None => cmd,
    };
    let ids: Vec<Vec<u8>> = ids.into_iter().map(|i| i.to_arg()).collect();
    cmd.arg("IDS").arg(ids.len()).args(ids)
}

fn streams_tail<K: ToArg, I: ToArg>(
    mut cmd: Command,
    streams: impl IntoIterator<Item = (K, I)>,
) -> Command {
    let (keys, ids): (Vec<Vec<u8>>, Vec<Vec<u8>>) = streams
        .into_iter()
        .map(|(k, i)| (k.to_arg(), i.to_arg()))
        .unzip();
    cmd = cmd.arg("STREAMS").keys(keys);
    cmd.args(ids)
}

/// XADD, XRANGE, XREADGROUP, XACK and friends.
pub trait StreamCommands: Commands {
    /// XADD: appends an entry (`id` `*` for an automatic one); returns its ID.
    fn xadd<F: ToArg, V: ToArg>(
        &self,
        key: impl ToArg,
        id: impl ToArg,
        fields: impl IntoIterator<Item = (F, V)>,
    ) -> Self::Reply<String> {
        self.xadd_trim(key, None, id, fields)
    }

    /// XADD with a trim applied after the append.
    fn xadd_trim<F: ToArg, V: ToArg>(
        &self,
        key: impl ToArg,
        trim: Option<StreamTrim>,
        id: impl ToArg,
        fields: impl IntoIterator<Item = (F, V)>,
    ) -> Self::Reply<String> {
        let mut cmd = Command::new("XADD").key(key);
        if let Some(t) = trim {
            cmd = t.append(cmd);
        }
        cmd = cmd.arg(id);
        for (f, v) in fields {
            cmd = cmd.arg(f).arg(v);
        }
        self.command(cmd)
    }

    /// XLEN: the number of entries.
    fn xlen(&self, key: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("XLEN").key(key))
    }

    /// XRANGE: entries from `start` to `end` (`-`, `+`, `(id` exclusive).
    fn xrange(
        &self,
        key: impl ToArg,
        start: impl ToArg,
        end: impl ToArg,
        count: Option<u64>,
    ) -> Self::Reply<Vec<StreamEntry>> {
        let mut cmd = Command::new("XRANGE").key(key).arg(start).arg(end);
        if let Some(n) = count {
            cmd = cmd.arg("COUNT").arg(n);
        }
        self.command(cmd)
    }

    /// XREVRANGE: entries from `end` down to `start`.
    fn xrevrange(
        &self,
        key: impl ToArg,
        end: impl ToArg,
        start: impl ToArg,
        count: Option<u64>,
    ) -> Self::Reply<Vec<StreamEntry>> {
        let mut cmd = Command::new("XREVRANGE").key(key).arg(end).arg(start);
        if let Some(n) = count {
            cmd = cmd.arg("COUNT").arg(n);
        }
        self.command(cmd)
    }

    /// XDEL: deletes entries; returns how many existed.
    fn xdel<I: ToArg>(
        &self,
        key: impl ToArg,
        ids: impl IntoIterator<Item = I>,
    ) -> Self::Reply<i64> {
        self.command(Command::new("XDEL").key(key).args(ids))
    }

    /// XDELEX (Redis 8.2): deletes entries, handling their consumer-group
    /// references as `refs` says; per ID -1 not found, 1 deleted, 2 kept
    /// (ACKED: not acknowledged by every group yet).
    fn xdelex<I: ToArg>(
        &self,
        key: impl ToArg,
        refs: Option<StreamDeleteRefs>,
        ids: impl IntoIterator<Item = I>,
    ) -> Self::Reply<Vec<i64>> {
        self.command(refs_and_ids(Command::new("XDELEX").key(key), refs, ids))
    }

    /// XTRIM: trims; returns how many entries went.
    fn xtrim(&self, key: impl ToArg, trim: StreamTrim) -> Self::Reply<i64> {
        self.command(trim.append(Command::new("XTRIM").key(key)))
    }

    /// XREAD: entries after each given ID (`$`: only newer than now).
    fn xread<K: ToArg, I: ToArg>(
        &self,
        count: Option<u64>,
        streams: impl IntoIterator<Item = (K, I)>,
    ) -> Self::Reply<StreamReads> {
        let mut cmd = Command::new("XREAD");
        if let Some(n) = count {
            cmd = cmd.arg("COUNT").arg(n);
        }
        self.command(streams_tail(cmd, streams))
    }

    /// XGROUP CREATE: a consumer group starting after `id` (`$`: new
    /// entries only); `mkstream` creates a missing stream.
    fn xgroup_create(
        &self,
        key: impl ToArg,
        group: impl ToArg,
        id: impl ToArg,
        mkstream: bool,
    ) -> Self::Reply<()> {
        let mut cmd = Command::new("XGROUP")
            .arg("CREATE")
            .key(key)
            .arg(group)
            .arg(id);
        if mkstream {
            cmd = cmd.arg("MKSTREAM");
        }
        self.command(cmd)
    }

    /// XGROUP CREATECONSUMER: true when the consumer was created.
    fn xgroup_createconsumer(
        &self,
        key: impl ToArg,
        group: impl ToArg,
        consumer: impl ToArg,
    ) -> Self::Reply<bool> {
        self.command(
            Command::new("XGROUP")
                .arg("CREATECONSUMER")
                .key(key)
                .arg(group)
                .arg(consumer),
        )
    }

    /// XGROUP DELCONSUMER: removes a consumer; returns how many entries it had pending.
    fn xgroup_delconsumer(
        &self,
        key: impl ToArg,
        group: impl ToArg,
        consumer: impl ToArg,
    ) -> Self::Reply<i64> {
        self.command(
            Command::new("XGROUP")
                .arg("DELCONSUMER")
                .key(key)
                .arg(group)
                .arg(consumer),
        )
    }

    /// XGROUP DESTROY: true when the group existed.
    fn xgroup_destroy(&self, key: impl ToArg, group: impl ToArg) -> Self::Reply<bool> {
        self.command(Command::new("XGROUP").arg("DESTROY").key(key).arg(group))
    }

    /// XGROUP SETID: moves the group's last delivered ID.
    fn xgroup_setid(&self, key: impl ToArg, group: impl ToArg, id: impl ToArg) -> Self::Reply<()> {
        self.command(
            Command::new("XGROUP")
                .arg("SETID")
                .key(key)
                .arg(group)
                .arg(id),
        )
    }

    /// XREADGROUP: as `consumer` of `group`, entries never delivered (`>`)
    /// or the consumer's own pending ones (an ID); `noack` skips the
    /// pending list.
    fn xreadgroup<K: ToArg, I: ToArg>(
        &self,
        group: impl ToArg,
        consumer: impl ToArg,
        count: Option<u64>,
        noack: bool,
        streams: impl IntoIterator<Item = (K, I)>,
    ) -> Self::Reply<StreamReads> {
        let mut cmd = Command::new("XREADGROUP")
            .arg("GROUP")
            .arg(group)
            .arg(consumer);
        if let Some(n) = count {
            cmd = cmd.arg("COUNT").arg(n);
        }
        if noack {
            cmd = cmd.arg("NOACK");
        }
        self.command(streams_tail(cmd, streams))
    }

    /// XACK: acknowledges entries; returns how many were pending.
    fn xack<I: ToArg>(
        &self,
        key: impl ToArg,
        group: impl ToArg,
        ids: impl IntoIterator<Item = I>,
    ) -> Self::Reply<i64> {
        self.command(Command::new("XACK").key(key).arg(group).args(ids))
    }

    /// XACKDEL (Redis 8.2): acknowledges entries for `group` and deletes
    /// them, handling other groups' references as `refs` says; per ID -1
    /// not pending in the group, 1 acknowledged and deleted, 2 acknowledged
    /// but kept (ACKED: other groups still hold it).
    fn xackdel<I: ToArg>(
        &self,
        key: impl ToArg,
        group: impl ToArg,
        refs: Option<StreamDeleteRefs>,
        ids: impl IntoIterator<Item = I>,
    ) -> Self::Reply<Vec<i64>> {
        let cmd = Command::new("XACKDEL").key(key).arg(group);
        self.command(refs_and_ids(cmd, refs, ids))
    }

    /// XPENDING summary: `[count, first, last, [[consumer, count]...]]`.
    fn xpending(&self, key: impl ToArg, group: impl ToArg) -> Self::Reply<Value> {
        self.command(Command::new("XPENDING").key(key).arg(group))
    }

    /// XPENDING extended: `[id, consumer, idle ms, deliveries]` per entry
    /// from `start` to `end`, at most `count`, idle for `min_idle_ms`.
    fn xpending_range(
        &self,
        key: impl ToArg,
        group: impl ToArg,
        min_idle_ms: Option<u64>,
        start: impl ToArg,
        end: impl ToArg,
        count: u64,
    ) -> Self::Reply<Value> {
        let mut cmd = Command::new("XPENDING").key(key).arg(group);
        if let Some(ms) = min_idle_ms {
            cmd = cmd.arg("IDLE").arg(ms);
        }
        self.command(cmd.arg(start).arg(end).arg(count))
    }

    /// XCLAIM: takes over pending entries idle for at least `min_idle_ms`.
    fn xclaim<I: ToArg>(
        &self,
        key: impl ToArg,
        group: impl ToArg,
        consumer: impl ToArg,
        min_idle_ms: u64,
        ids: impl IntoIterator<Item = I>,
    ) -> Self::Reply<Vec<StreamEntry>> {
        self.command(
            Command::new("XCLAIM")
                .key(key)
                .arg(group)
                .arg(consumer)
                .arg(min_idle_ms)
                .args(ids),
        )
    }

    /// XAUTOCLAIM: claims up to `count` idle entries from `start`; replies
    /// `[next start, entries, deleted ids]`.
    fn xautoclaim(
        &self,
        key: impl ToArg,
        group: impl ToArg,
        consumer: impl ToArg,
        min_idle_ms: u64,
        start: impl ToArg,
        count: Option<u64>,
    ) -> Self::Reply<Value> {
        let mut cmd = Command::new("XAUTOCLAIM")
            .key(key)
            .arg(group)
            .arg(consumer)
            .arg(min_idle_ms)
            .arg(start);
        if let Some(n) = count {
            cmd = cmd.arg("COUNT").arg(n);
        }
        self.command(cmd)
    }

    /// XSETID: sets the stream's last ID.
    fn xsetid(&self, key: impl ToArg, last_id: impl ToArg) -> Self::Reply<()> {
        self.command(Command::new("XSETID").key(key).arg(last_id))
    }
}

impl<C: Commands + ?Sized> StreamCommands for C {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::recorder::{assert_wire, Recorder};

    #[test]
    fn builds_deletions_with_refs() {
        let r = Recorder;
        assert_wire!(
            r.xdelex("s", None, ["1-0", "2-0"]),
            ["XDELEX", "@s", "IDS", "2", "1-0", "2-0"]
        );
        assert_wire!(
            r.xackdel("s", "g", None, ["1-0"]),
            ["XACKDEL", "@s", "g", "IDS", "1", "1-0"]
        );
        let refs = [
            (StreamDeleteRefs::KeepRef, "KEEPREF"),
            (StreamDeleteRefs::DelRef, "DELREF"),
            (StreamDeleteRefs::Acked, "ACKED"),
        ];
        for (mode, word) in refs {
            assert_wire!(
                r.xdelex("s", Some(mode), ["1-0"]),
                ["XDELEX", "@s", word, "IDS", "1", "1-0"]
            );
            assert_wire!(
                r.xackdel("s", "g", Some(mode), ["1-0", "2-0"]),
                ["XACKDEL", "@s", "g", word, "IDS", "2", "1-0", "2-0"]
            );
        }
    }
}
