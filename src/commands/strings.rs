//! String commands: GET/SET and counters, with an explicit JSON view.

use super::Commands;
use crate::error::Error;
use crate::protocol::{Command, Json, ToArg};

/// When a SET takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SetCondition {
    /// NX: only if the key does not exist.
    IfAbsent,
    /// XX: only if the key exists.
    IfPresent,
}

/// The expiry a SET gives its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SetExpiry {
    /// EX: seconds from now.
    Seconds(u64),
    /// PX: milliseconds from now.
    Millis(u64),
    /// EXAT: a Unix time in seconds.
    AtSeconds(u64),
    /// PXAT: a Unix time in milliseconds.
    AtMillis(u64),
    /// KEEPTTL: keep the key's current time to live.
    KeepTtl,
}

/// Options of SET, built with `SetOptions::default().ex(10).nx()`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SetOptions {
    /// Expiry, if any.
    pub expiry: Option<SetExpiry>,
    /// Condition, if any.
    pub condition: Option<SetCondition>,
}

impl SetOptions {
    /// EX seconds.
    pub fn ex(mut self, seconds: u64) -> Self {
        self.expiry = Some(SetExpiry::Seconds(seconds));
        self
    }
    /// PX milliseconds.
    pub fn px(mut self, millis: u64) -> Self {
        self.expiry = Some(SetExpiry::Millis(millis));
        self
    }
    /// EXAT Unix seconds.
    pub fn exat(mut self, unix_seconds: u64) -> Self {
        self.expiry = Some(SetExpiry::AtSeconds(unix_seconds));
        self
    }
    /// PXAT Unix milliseconds.
    pub fn pxat(mut self, unix_millis: u64) -> Self {
        self.expiry = Some(SetExpiry::AtMillis(unix_millis));
        self
    }
    /// KEEPTTL.
    pub fn keep_ttl(mut self) -> Self {
        self.expiry = Some(SetExpiry::KeepTtl);
        self
    }
    /// NX: only set a missing key.
    pub fn nx(mut self) -> Self {
        self.condition = Some(SetCondition::IfAbsent);
        self
    }
    /// XX: only set an existing key.
    pub fn xx(mut self) -> Self {
        self.condition = Some(SetCondition::IfPresent);
        self
    }

    fn apply(&self, mut cmd: Command) -> Command {
        cmd = match self.condition {
            Some(SetCondition::IfAbsent) => cmd.arg("NX"),
            Some(SetCondition::IfPresent) => cmd.arg("XX"),
            None => cmd,
        };
        match self.expiry {
            Some(expiry) => expiry.apply(cmd),
            None => cmd,
        }
    }
}

impl SetExpiry {
    /// Appends EX/PX/EXAT/PXAT with its time, or KEEPTTL (SET, HSETEX).
    pub(crate) fn apply(self, cmd: Command) -> Command {
        match self {
            Self::Seconds(n) => cmd.arg("EX").arg(n),
            Self::Millis(n) => cmd.arg("PX").arg(n),
            Self::AtSeconds(n) => cmd.arg("EXAT").arg(n),
            Self::AtMillis(n) => cmd.arg("PXAT").arg(n),
            Self::KeepTtl => cmd.arg("KEEPTTL"),
        }
    }
}

/// The expiry GETEX gives its key (or takes away).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GetExExpiry {
    /// EX: seconds from now.
    Seconds(u64),
    /// PX: milliseconds from now.
    Millis(u64),
    /// EXAT: a Unix time in seconds.
    AtSeconds(u64),
    /// PXAT: a Unix time in milliseconds.
    AtMillis(u64),
    /// PERSIST: remove the time to live.
    Persist,
}

impl GetExExpiry {
    /// Appends EX/PX/EXAT/PXAT with its time, or PERSIST (GETEX, HGETEX).
    pub(crate) fn apply(self, cmd: Command) -> Command {
        let timed = match self {
            Self::Seconds(n) => SetExpiry::Seconds(n),
            Self::Millis(n) => SetExpiry::Millis(n),
            Self::AtSeconds(n) => SetExpiry::AtSeconds(n),
            Self::AtMillis(n) => SetExpiry::AtMillis(n),
            Self::Persist => return cmd.arg("PERSIST"),
        };
        timed.apply(cmd)
    }
}

/// GET, SET, counters, ranges, MGET/MSET, and JSON views.
pub trait StringCommands: Commands {
    /// GET: the value as bytes, or `None` when the key does not exist.
    fn get(&self, key: impl ToArg) -> Self::Reply<Option<Vec<u8>>> {
        self.command(Command::new("GET").key(key))
    }

    /// GET as strict UTF-8: a non-UTF-8 value is an error, never replaced.
    fn get_string(&self, key: impl ToArg) -> Self::Reply<Option<String>> {
        self.command(Command::new("GET").key(key))
    }

    /// GET decoded from JSON with serde: the explicit opt-in for typed values.
    fn get_json<T>(&self, key: impl ToArg) -> Self::Reply<Option<Json<T>>>
    where
        T: serde::de::DeserializeOwned + Send + 'static,
    {
        self.command(Command::new("GET").key(key))
    }

    /// SET with no options.
    fn set(&self, key: impl ToArg, value: impl ToArg) -> Self::Reply<()> {
        self.command(Command::new("SET").key(key).arg(value))
    }

    /// SET with options; true when the value was written, false when an
    /// NX/XX condition stopped it.
    fn set_with(
        &self,
        key: impl ToArg,
        value: impl ToArg,
        options: SetOptions,
    ) -> Self::Reply<bool> {
        self.command(options.apply(Command::new("SET").key(key).arg(value)))
    }

    /// SET ... GET: writes (subject to the options) and returns the old value.
    fn set_get(
        &self,
        key: impl ToArg,
        value: impl ToArg,
        options: SetOptions,
    ) -> Self::Reply<Option<Vec<u8>>> {
        self.command(
            options
                .apply(Command::new("SET").key(key).arg(value))
                .arg("GET"),
        )
    }

    /// SET of a value encoded as JSON with serde.
    fn set_json<T: serde::Serialize + ?Sized>(
        &self,
        key: impl ToArg,
        value: &T,
        options: SetOptions,
    ) -> Self::Reply<bool> {
        match serde_json::to_vec(value) {
            Ok(json) => self.set_with(key, json, options),
            Err(_) => self.fail(Error::invalid_request(
                Some("SET"),
                "the value does not serialize to JSON",
            )),
        }
    }

    /// INCR: adds 1 and returns the new value.
    fn incr(&self, key: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("INCR").key(key))
    }

    /// INCRBY: adds `by` and returns the new value.
    fn incrby(&self, key: impl ToArg, by: i64) -> Self::Reply<i64> {
        self.command(Command::new("INCRBY").key(key).arg(by))
    }

    /// DECR: subtracts 1 and returns the new value.
    fn decr(&self, key: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("DECR").key(key))
    }

    /// DECRBY: subtracts `by` and returns the new value.
    fn decrby(&self, key: impl ToArg, by: i64) -> Self::Reply<i64> {
        self.command(Command::new("DECRBY").key(key).arg(by))
    }

    /// MGET: the values of several keys, `None` for missing ones.
    fn mget<K: ToArg>(
        &self,
        keys: impl IntoIterator<Item = K>,
    ) -> Self::Reply<Vec<Option<Vec<u8>>>> {
        self.command(Command::new("MGET").keys(keys))
    }

    /// MSET: writes several key/value pairs at once.
    fn mset<K: ToArg, V: ToArg>(&self, pairs: impl IntoIterator<Item = (K, V)>) -> Self::Reply<()> {
        let mut cmd = Command::new("MSET");
        for (k, v) in pairs {
            cmd = cmd.key(k).arg(v);
        }
        self.command(cmd)
    }

    /// MSETNX: writes all pairs only if none of the keys exists; true when written.
    fn msetnx<K: ToArg, V: ToArg>(
        &self,
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self::Reply<bool> {
        let mut cmd = Command::new("MSETNX");
        for (k, v) in pairs {
            cmd = cmd.key(k).arg(v);
        }
        self.command(cmd)
    }

    /// SETNX: sets a missing key; true when written.
    fn setnx(&self, key: impl ToArg, value: impl ToArg) -> Self::Reply<bool> {
        self.command(Command::new("SETNX").key(key).arg(value))
    }

    /// SETEX: sets the value with a time to live in seconds.
    fn setex(&self, key: impl ToArg, seconds: u64, value: impl ToArg) -> Self::Reply<()> {
        self.command(Command::new("SETEX").key(key).arg(seconds).arg(value))
    }

    /// PSETEX: sets the value with a time to live in milliseconds.
    fn psetex(&self, key: impl ToArg, millis: u64, value: impl ToArg) -> Self::Reply<()> {
        self.command(Command::new("PSETEX").key(key).arg(millis).arg(value))
    }

    /// GETSET: sets the value and returns the old one (deprecated in Redis
    /// for `SET ... GET`, which [`StringCommands::set_get`] sends).
    fn getset(&self, key: impl ToArg, value: impl ToArg) -> Self::Reply<Option<Vec<u8>>> {
        self.command(Command::new("GETSET").key(key).arg(value))
    }

    /// GETDEL: returns the value and deletes the key.
    fn getdel(&self, key: impl ToArg) -> Self::Reply<Option<Vec<u8>>> {
        self.command(Command::new("GETDEL").key(key))
    }

    /// GETEX: returns the value and changes its expiry.
    fn getex(&self, key: impl ToArg, expiry: GetExExpiry) -> Self::Reply<Option<Vec<u8>>> {
        self.command(expiry.apply(Command::new("GETEX").key(key)))
    }

    /// APPEND: appends to the value (creating it); returns the new length.
    fn append(&self, key: impl ToArg, value: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("APPEND").key(key).arg(value))
    }

    /// STRLEN: the value's length in bytes; 0 for a missing key.
    fn strlen(&self, key: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("STRLEN").key(key))
    }

    /// GETRANGE: the bytes from `start` to `end`, both inclusive; negative
    /// offsets count from the end.
    fn getrange(&self, key: impl ToArg, start: i64, end: i64) -> Self::Reply<Vec<u8>> {
        self.command(Command::new("GETRANGE").key(key).arg(start).arg(end))
    }

    /// SETRANGE: overwrites from `offset` (zero-padding as needed); returns the new length.
    fn setrange(&self, key: impl ToArg, offset: u64, value: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("SETRANGE").key(key).arg(offset).arg(value))
    }

    /// INCRBYFLOAT: adds `by` and returns the new value.
    fn incrbyfloat(&self, key: impl ToArg, by: f64) -> Self::Reply<f64> {
        self.command(Command::new("INCRBYFLOAT").key(key).arg(by))
    }
}

impl<C: Commands + ?Sized> StringCommands for C {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::recorder::{assert_wire, Recorder};

    #[test]
    fn builds_string_commands() {
        let r = Recorder;
        assert_wire!(r.get("k"), ["GET", "@k"]);
        assert_wire!(
            r.set_with("k", "v", SetOptions::default().nx().px(5)),
            ["SET", "@k", "v", "NX", "PX", "5"]
        );
        assert_wire!(
            r.set_get("k", "v", SetOptions::default().keep_ttl()),
            ["SET", "@k", "v", "KEEPTTL", "GET"]
        );
        assert_wire!(r.setnx("k", "v"), ["SETNX", "@k", "v"]);
        assert_wire!(r.setex("k", 10, "v"), ["SETEX", "@k", "10", "v"]);
        assert_wire!(r.psetex("k", 10, "v"), ["PSETEX", "@k", "10", "v"]);
        assert_wire!(r.getset("k", "v"), ["GETSET", "@k", "v"]);
        assert_wire!(r.getdel("k"), ["GETDEL", "@k"]);
        assert_wire!(
            r.getex("k", GetExExpiry::Seconds(3)),
            ["GETEX", "@k", "EX", "3"]
        );
        assert_wire!(
            r.getex("k", GetExExpiry::AtMillis(3)),
            ["GETEX", "@k", "PXAT", "3"]
        );
        assert_wire!(
            r.getex("k", GetExExpiry::Persist),
            ["GETEX", "@k", "PERSIST"]
        );
        assert_wire!(r.append("k", "v"), ["APPEND", "@k", "v"]);
        assert_wire!(r.strlen("k"), ["STRLEN", "@k"]);
        assert_wire!(r.getrange("k", 0, -1), ["GETRANGE", "@k", "0", "-1"]);
        assert_wire!(r.setrange("k", 4, "v"), ["SETRANGE", "@k", "4", "v"]);
        assert_wire!(r.incrbyfloat("k", 1.5), ["INCRBYFLOAT", "@k", "1.5"]);
        assert_wire!(
            r.msetnx([("a", "1"), ("b", "2")]),
            ["MSETNX", "@a", "1", "@b", "2"]
        );
        assert_wire!(r.mset([("a", "1")]), ["MSET", "@a", "1"]);
        assert_wire!(r.mget(["a", "b"]), ["MGET", "@a", "@b"]);
        assert_wire!(r.decrby("k", 2), ["DECRBY", "@k", "2"]);
    }
}
