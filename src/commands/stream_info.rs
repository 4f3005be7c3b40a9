//! XINFO: what a stream, its consumer groups and their consumers look like,
//! read from Redis's key/value replies into typed descriptions.

use super::streams::StreamEntry;
use super::Commands;
use crate::error::Error;
use crate::protocol::{Command, FromValue, Pairs, ToArg, Value};

/// XINFO STREAM: one stream's description.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StreamInfo {
    /// How many entries the stream holds.
    pub length: i64,
    /// Keys of the stream's radix tree.
    pub radix_tree_keys: i64,
    /// Nodes of the stream's radix tree.
    pub radix_tree_nodes: i64,
    /// The ID of the newest entry ever added (deleted or not).
    pub last_generated_id: String,
    /// The highest ID ever deleted (Redis 7.0).
    pub max_deleted_entry_id: Option<String>,
    /// How many entries were ever added (Redis 7.0).
    pub entries_added: Option<i64>,
    /// The ID of the oldest entry still recorded (Redis 7.0).
    pub recorded_first_entry_id: Option<String>,
    /// How many consumer groups the stream has.
    pub groups: i64,
    /// The oldest entry, `None` for an empty stream.
    pub first_entry: Option<StreamEntry>,
    /// The newest entry, `None` for an empty stream.
    pub last_entry: Option<StreamEntry>,
}

/// XINFO GROUPS: one consumer group's description.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StreamGroupInfo {
    /// The group's name.
    pub name: String,
    /// How many consumers it has.
    pub consumers: i64,
    /// How many entries are delivered but not acknowledged.
    pub pending: i64,
    /// The ID of the last entry delivered to it.
    pub last_delivered_id: String,
    /// The logical read counter (Redis 7.0; `None` when unknown).
    pub entries_read: Option<i64>,
    /// Entries not yet delivered (Redis 7.0; `None` when unknown).
    pub lag: Option<i64>,
}

/// XINFO CONSUMERS: one consumer's description.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StreamConsumerInfo {
    /// The consumer's name.
    pub name: String,
    /// Entries delivered to it and not yet acknowledged.
    pub pending: i64,
    /// Milliseconds since it last interacted with the stream.
    pub idle_ms: i64,
    /// Milliseconds since its last successful read (Redis 7.2).
    pub inactive_ms: Option<i64>,
}

/// A key/value reply (`[name1, value1, ...]`), read field by field.
struct InfoMap(Vec<(String, Value)>);

impl InfoMap {
    fn read(value: Value) -> Result<Self, Error> {
        Pairs::<String, Value>::from_value(value).map(|p| Self(p.into_inner()))
    }

    /// The field `name`, `None` when the reply lacks it (an older server).
    fn optional<T: FromValue>(&mut self, name: &str) -> Result<Option<T>, Error> {
        match self.0.iter().position(|(k, _)| k == name) {
            Some(i) => Option::<T>::from_value(self.0.swap_remove(i).1),
            None => Ok(None),
        }
    }

    /// The field `name`, which every server sends.
    fn required<T: FromValue>(&mut self, name: &str) -> Result<T, Error> {
        self.optional(name)?.ok_or(Error::UnexpectedReply {
            command: None,
            expected: "XINFO reply with all its fields",
            got: "a reply missing one",
        })
    }
}

impl FromValue for StreamInfo {
    fn from_value(value: Value) -> Result<Self, Error> {
        let mut m = InfoMap::read(value)?;
        Ok(Self {
            length: m.required("length")?,
            radix_tree_keys: m.required("radix-tree-keys")?,
            radix_tree_nodes: m.required("radix-tree-nodes")?,
            last_generated_id: m.required("last-generated-id")?,
            max_deleted_entry_id: m.optional("max-deleted-entry-id")?,
            entries_added: m.optional("entries-added")?,
            recorded_first_entry_id: m.optional("recorded-first-entry-id")?,
            groups: m.required("groups")?,
            first_entry: m.optional("first-entry")?,
            last_entry: m.optional("last-entry")?,
        })
    }
}

impl FromValue for StreamGroupInfo {
    fn from_value(value: Value) -> Result<Self, Error> {
        let mut m = InfoMap::read(value)?;
        Ok(Self {
            name: m.required("name")?,
            consumers: m.required("consumers")?,
            pending: m.required("pending")?,
            last_delivered_id: m.required("last-delivered-id")?,
            entries_read: m.optional("entries-read")?,
            lag: m.optional("lag")?,
        })
    }
}

impl FromValue for StreamConsumerInfo {
    fn from_value(value: Value) -> Result<Self, Error> {
        let mut m = InfoMap::read(value)?;
        Ok(Self {
            name: m.required("name")?,
            pending: m.required("pending")?,
            idle_ms: m.required("idle")?,
            inactive_ms: m.optional("inactive")?,
        })
    }
}

/// `name sub`: a container command and its subcommand.
fn sub_command(name: &'static str, sub: &'static str) -> Command {
    Command::new(name).arg(sub)
}

/// XINFO STREAM, GROUPS and CONSUMERS.
pub trait StreamInfoCommands: Commands {
    /// XINFO STREAM: the stream's length, IDs, group count and first and
    /// last entries.
    fn xinfo_stream(&self, key: impl ToArg) -> Self::Reply<StreamInfo> {
        self.command(sub_command("XINFO", "STREAM").key(key))
    }

    /// XINFO STREAM FULL [COUNT n]: every entry (at most `count`; 0 for
    /// all, Redis's default 10 without), group, consumer and pending entry,
    /// as the nested reply Redis sends.
    fn xinfo_stream_full(&self, key: impl ToArg, count: Option<u64>) -> Self::Reply<Value> {
        let cmd = sub_command("XINFO", "STREAM").key(key).arg("FULL");
        self.command(match count {
            Some(n) => cmd.arg("COUNT").arg(n),
            None => cmd,
        })
    }

    /// XINFO GROUPS: one description per consumer group.
    fn xinfo_groups(&self, key: impl ToArg) -> Self::Reply<Vec<StreamGroupInfo>> {
        self.command(sub_command("XINFO", "GROUPS").key(key))
    }

    /// XINFO CONSUMERS: one description per consumer of `group`.
    fn xinfo_consumers(
        &self,
        key: impl ToArg,
        group: impl ToArg,
    ) -> Self::Reply<Vec<StreamConsumerInfo>> {
        self.command(sub_command("XINFO", "CONSUMERS").key(key).arg(group))
    }
}

impl<C: Commands + ?Sized> StreamInfoCommands for C {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::recorder::{assert_wire, Recorder};

    #[test]
    fn builds_xinfo() {
        let r = Recorder;
        assert_wire!(r.xinfo_stream("s"), ["XINFO", "STREAM", "@s"]);
        assert_wire!(
            r.xinfo_stream_full("s", None),
            ["XINFO", "STREAM", "@s", "FULL"]
        );
        assert_wire!(
            r.xinfo_stream_full("s", Some(0)),
            ["XINFO", "STREAM", "@s", "FULL", "COUNT", "0"]
        );
        assert_wire!(r.xinfo_groups("s"), ["XINFO", "GROUPS", "@s"]);
        assert_wire!(
            r.xinfo_consumers("s", "g"),
            ["XINFO", "CONSUMERS", "@s", "g"]
        );
    }

    fn map(pairs: Vec<(&str, Value)>) -> Value {
        Value::Array(
            pairs
                .into_iter()
                .flat_map(|(k, v)| [Value::bytes(k), v])
                .collect(),
        )
    }

    #[test]
    fn reads_xinfo_replies() {
        let group = map(vec![
            ("name", Value::bytes("g")),
            ("consumers", Value::Int(1)),
            ("pending", Value::Int(2)),
            ("last-delivered-id", Value::bytes("1-0")),
            ("entries-read", Value::Nil),
            ("lag", Value::Int(0)),
        ]);
        assert_eq!(
            StreamGroupInfo::from_value(group),
            Ok(StreamGroupInfo {
                name: "g".into(),
                consumers: 1,
                pending: 2,
                last_delivered_id: "1-0".into(),
                entries_read: None,
                lag: Some(0),
            })
        );
        // Redis 7.0 has no `inactive`.
        let consumer = map(vec![
            ("name", Value::bytes("c")),
            ("pending", Value::Int(0)),
            ("idle", Value::Int(5)),
        ]);
        assert_eq!(
            StreamConsumerInfo::from_value(consumer).map(|c| (c.idle_ms, c.inactive_ms)),
            Ok((5, None))
        );
        let missing = map(vec![("name", Value::bytes("c"))]);
        assert!(StreamConsumerInfo::from_value(missing).is_err());
        let empty = map(vec![
            ("length", Value::Int(0)),
            ("radix-tree-keys", Value::Int(0)),
            ("radix-tree-nodes", Value::Int(1)),
            ("last-generated-id", Value::bytes("0-0")),
            ("groups", Value::Int(0)),
            ("first-entry", Value::Nil),
            ("last-entry", Value::Nil),
        ]);
        let info = StreamInfo::from_value(empty);
        assert_eq!(
            info.map(|i| (i.length, i.first_entry, i.entries_added)),
            Ok((0, None, None))
        );
    }
}
