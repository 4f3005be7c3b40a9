//! Generic key commands: existence, deletion, expiry.

use super::Commands;
use crate::protocol::{Command, ToArg};

/// DEL, EXISTS, EXPIRE, PEXPIRE, TTL, PTTL and friends.
pub trait KeyCommands: Commands {
    /// DEL: removes keys; returns how many existed.
    fn del<K: ToArg>(&self, keys: impl IntoIterator<Item = K>) -> Self::Reply<i64> {
        self.command(Command::new("DEL").keys(keys))
    }

    /// EXISTS: how many of the keys exist (a key named twice counts twice).
    fn exists<K: ToArg>(&self, keys: impl IntoIterator<Item = K>) -> Self::Reply<i64> {
        self.command(Command::new("EXISTS").keys(keys))
    }

    /// EXPIRE: sets a time to live in seconds; false if the key does not exist.
    fn expire(&self, key: impl ToArg, seconds: i64) -> Self::Reply<bool> {
        self.command(Command::new("EXPIRE").key(key).arg(seconds))
    }

    /// PEXPIRE: sets a time to live in milliseconds; false if the key does not exist.
    fn pexpire(&self, key: impl ToArg, millis: i64) -> Self::Reply<bool> {
        self.command(Command::new("PEXPIRE").key(key).arg(millis))
    }

    /// TTL: seconds to live; -1 without expiry, -2 when the key does not exist.
    fn ttl(&self, key: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("TTL").key(key))
    }

    /// PTTL: milliseconds to live; -1 without expiry, -2 when the key does not exist.
    fn pttl(&self, key: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("PTTL").key(key))
    }
}

impl<C: Commands + ?Sized> KeyCommands for C {}
