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
            Some(SetExpiry::Seconds(n)) => cmd.arg("EX").arg(n),
            Some(SetExpiry::Millis(n)) => cmd.arg("PX").arg(n),
            Some(SetExpiry::AtSeconds(n)) => cmd.arg("EXAT").arg(n),
            Some(SetExpiry::AtMillis(n)) => cmd.arg("PXAT").arg(n),
            Some(SetExpiry::KeepTtl) => cmd.arg("KEEPTTL"),
            None => cmd,
        }
    }
}

/// GET, SET, counters, MGET/MSET, and JSON views.
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
}

impl<C: Commands + ?Sized> StringCommands for C {}
