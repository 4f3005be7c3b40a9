//! Generic key commands: existence, deletion, renaming, expiry, iteration.

use super::scan::ScanOptions;
use super::Commands;
use crate::protocol::{Command, KeyType, ScanPage, ToArg};

/// When an EXPIRE-family command takes effect (Redis 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExpireCondition {
    /// NX: only if the key has no expiry.
    IfNoExpiry,
    /// XX: only if the key already has an expiry.
    IfHasExpiry,
    /// GT: only if the new expiry is later than the current one.
    IfGreater,
    /// LT: only if the new expiry is sooner than the current one.
    IfLess,
}

impl ExpireCondition {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Self::IfNoExpiry => "NX",
            Self::IfHasExpiry => "XX",
            Self::IfGreater => "GT",
            Self::IfLess => "LT",
        }
    }
}

fn expire_command(
    name: &'static str,
    key: impl ToArg,
    when: i64,
    condition: Option<ExpireCondition>,
) -> Command {
    let cmd = Command::new(name).key(key).arg(when);
    match condition {
        Some(c) => cmd.arg(c.word()),
        None => cmd,
    }
}

/// DEL, EXISTS, expiry, renaming, TYPE, KEYS/SCAN and friends.
pub trait KeyCommands: Commands {
    /// DEL: removes keys; returns how many existed.
    fn del<K: ToArg>(&self, keys: impl IntoIterator<Item = K>) -> Self::Reply<i64> {
        self.command(Command::new("DEL").keys(keys))
    }

    /// UNLINK: like DEL, but frees memory in the background.
    fn unlink<K: ToArg>(&self, keys: impl IntoIterator<Item = K>) -> Self::Reply<i64> {
        self.command(Command::new("UNLINK").keys(keys))
    }

    /// EXISTS: how many of the keys exist (a key named twice counts twice).
    fn exists<K: ToArg>(&self, keys: impl IntoIterator<Item = K>) -> Self::Reply<i64> {
        self.command(Command::new("EXISTS").keys(keys))
    }

    /// TOUCH: updates the last access time of keys; returns how many exist.
    fn touch<K: ToArg>(&self, keys: impl IntoIterator<Item = K>) -> Self::Reply<i64> {
        self.command(Command::new("TOUCH").keys(keys))
    }

    /// TYPE: the type of the value at `key` ([`KeyType::None`] when missing).
    fn key_type(&self, key: impl ToArg) -> Self::Reply<KeyType> {
        self.command(Command::new("TYPE").key(key))
    }

    /// RENAME: renames `key`, replacing `new_key`; an error when `key` is missing.
    fn rename(&self, key: impl ToArg, new_key: impl ToArg) -> Self::Reply<()> {
        self.command(Command::new("RENAME").key(key).key(new_key))
    }

    /// RENAMENX: renames only if `new_key` does not exist; true when renamed.
    fn renamenx(&self, key: impl ToArg, new_key: impl ToArg) -> Self::Reply<bool> {
        self.command(Command::new("RENAMENX").key(key).key(new_key))
    }

    /// COPY: copies the value (and expiry) of `source` to `destination`;
    /// with `replace`, overwrites an existing destination. True when copied.
    fn copy(
        &self,
        source: impl ToArg,
        destination: impl ToArg,
        replace: bool,
    ) -> Self::Reply<bool> {
        let cmd = Command::new("COPY").key(source).key(destination);
        self.command(if replace { cmd.arg("REPLACE") } else { cmd })
    }

    /// EXPIRE: sets a time to live in seconds; false if the key does not exist.
    fn expire(&self, key: impl ToArg, seconds: i64) -> Self::Reply<bool> {
        self.command(expire_command("EXPIRE", key, seconds, None))
    }

    /// EXPIRE with NX, XX, GT or LT; false when the key is missing or the
    /// condition stopped it.
    fn expire_with(
        &self,
        key: impl ToArg,
        seconds: i64,
        condition: ExpireCondition,
    ) -> Self::Reply<bool> {
        self.command(expire_command("EXPIRE", key, seconds, Some(condition)))
    }

    /// PEXPIRE: sets a time to live in milliseconds; false if the key does not exist.
    fn pexpire(&self, key: impl ToArg, millis: i64) -> Self::Reply<bool> {
        self.command(expire_command("PEXPIRE", key, millis, None))
    }

    /// PEXPIRE with NX, XX, GT or LT.
    fn pexpire_with(
        &self,
        key: impl ToArg,
        millis: i64,
        condition: ExpireCondition,
    ) -> Self::Reply<bool> {
        self.command(expire_command("PEXPIRE", key, millis, Some(condition)))
    }

    /// EXPIREAT: expires the key at a Unix time in seconds.
    fn expireat(&self, key: impl ToArg, unix_seconds: i64) -> Self::Reply<bool> {
        self.command(expire_command("EXPIREAT", key, unix_seconds, None))
    }

    /// EXPIREAT with NX, XX, GT or LT.
    fn expireat_with(
        &self,
        key: impl ToArg,
        unix_seconds: i64,
        condition: ExpireCondition,
    ) -> Self::Reply<bool> {
        self.command(expire_command(
            "EXPIREAT",
            key,
            unix_seconds,
            Some(condition),
        ))
    }

    /// PEXPIREAT: expires the key at a Unix time in milliseconds.
    fn pexpireat(&self, key: impl ToArg, unix_millis: i64) -> Self::Reply<bool> {
        self.command(expire_command("PEXPIREAT", key, unix_millis, None))
    }

    /// PEXPIREAT with NX, XX, GT or LT.
    fn pexpireat_with(
        &self,
        key: impl ToArg,
        unix_millis: i64,
        condition: ExpireCondition,
    ) -> Self::Reply<bool> {
        self.command(expire_command(
            "PEXPIREAT",
            key,
            unix_millis,
            Some(condition),
        ))
    }

    /// EXPIRETIME: the Unix time in seconds at which the key expires; -1
    /// without expiry, -2 when the key does not exist.
    fn expiretime(&self, key: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("EXPIRETIME").key(key))
    }

    /// PERSIST: removes the expiry; true when there was one.
    fn persist(&self, key: impl ToArg) -> Self::Reply<bool> {
        self.command(Command::new("PERSIST").key(key))
    }

    /// TTL: seconds to live; -1 without expiry, -2 when the key does not exist.
    fn ttl(&self, key: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("TTL").key(key))
    }

    /// PTTL: milliseconds to live; -1 without expiry, -2 when the key does not exist.
    fn pttl(&self, key: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("PTTL").key(key))
    }

    /// KEYS: every key matching the glob `pattern`. Walks the whole keyspace
    /// in one call: prefer [`KeyCommands::scan`] on large databases.
    fn keys(&self, pattern: impl ToArg) -> Self::Reply<Vec<Vec<u8>>> {
        self.command(Command::new("KEYS").pattern(pattern))
    }

    /// SCAN: one page of keys from `cursor` (start with 0; done when the
    /// returned cursor is 0). A key may appear on more than one page.
    fn scan(&self, cursor: u64, options: &ScanOptions) -> Self::Reply<ScanPage<Vec<Vec<u8>>>> {
        self.command(options.apply(Command::new("SCAN").arg(cursor)))
    }

    /// RANDOMKEY: a random key, or `None` in an empty database.
    fn randomkey(&self) -> Self::Reply<Option<Vec<u8>>> {
        self.command(Command::new("RANDOMKEY"))
    }

    /// FLUSHDB: deletes every key of the database.
    fn flushdb(&self) -> Self::Reply<()> {
        self.command(Command::new("FLUSHDB"))
    }
}

impl<C: Commands + ?Sized> KeyCommands for C {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::recorder::{assert_wire, Recorder};

    #[test]
    fn builds_key_commands() {
        let r = Recorder;
        assert_wire!(r.del(["a", "b"]), ["DEL", "@a", "@b"]);
        assert_wire!(r.unlink(["a"]), ["UNLINK", "@a"]);
        assert_wire!(r.exists(["a", "a"]), ["EXISTS", "@a", "@a"]);
        assert_wire!(r.touch(["a"]), ["TOUCH", "@a"]);
        assert_wire!(r.key_type("a"), ["TYPE", "@a"]);
        assert_wire!(r.rename("a", "b"), ["RENAME", "@a", "@b"]);
        assert_wire!(r.renamenx("a", "b"), ["RENAMENX", "@a", "@b"]);
        assert_wire!(r.copy("a", "b", false), ["COPY", "@a", "@b"]);
        assert_wire!(r.copy("a", "b", true), ["COPY", "@a", "@b", "REPLACE"]);
        assert_wire!(r.expire("a", 5), ["EXPIRE", "@a", "5"]);
        assert_wire!(
            r.expire_with("a", 5, ExpireCondition::IfNoExpiry),
            ["EXPIRE", "@a", "5", "NX"]
        );
        assert_wire!(
            r.pexpire_with("a", 5, ExpireCondition::IfHasExpiry),
            ["PEXPIRE", "@a", "5", "XX"]
        );
        assert_wire!(r.expireat("a", 9), ["EXPIREAT", "@a", "9"]);
        assert_wire!(
            r.expireat_with("a", 9, ExpireCondition::IfGreater),
            ["EXPIREAT", "@a", "9", "GT"]
        );
        assert_wire!(r.pexpireat("a", 9), ["PEXPIREAT", "@a", "9"]);
        assert_wire!(
            r.pexpireat_with("a", 9, ExpireCondition::IfLess),
            ["PEXPIREAT", "@a", "9", "LT"]
        );
        assert_wire!(r.expiretime("a"), ["EXPIRETIME", "@a"]);
        assert_wire!(r.persist("a"), ["PERSIST", "@a"]);
        assert_wire!(r.ttl("a"), ["TTL", "@a"]);
        assert_wire!(r.pttl("a"), ["PTTL", "@a"]);
        assert_wire!(r.keys("u:*"), ["KEYS", "~u:*"]);
        assert_wire!(r.scan(0, &ScanOptions::default()), ["SCAN", "0"]);
        assert_wire!(
            r.scan(
                7,
                &ScanOptions::default()
                    .pattern("u:*")
                    .count(10)
                    .key_type(KeyType::Hash)
            ),
            ["SCAN", "7", "MATCH", "~u:*", "COUNT", "10", "TYPE", "hash"]
        );
        assert_wire!(r.randomkey(), ["RANDOMKEY"]);
        assert_wire!(r.flushdb(), ["FLUSHDB"]);
    }
}
