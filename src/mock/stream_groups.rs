//! Consumer-group stream commands: XGROUP XREADGROUP XACK XPENDING XCLAIM
//! XAUTOCLAIM XINFO, with Redis 7.0's replies and texts.
//!
//! Owns: argument parsing, delivery and claiming rules. Must not: block
//! (XREADGROUP BLOCK answers at once, as a timed-out read; waiting is
//! edgestash-server's, see `protocol::blocking`).
//!
//! Layout: this file registers the commands and holds the texts they share;
//! `groups` is XGROUP (groups and consumers), `read` XREADGROUP and XACK
//! (delivery), `pending` XPENDING, XCLAIM and XAUTOCLAIM (the pending
//! entries list), `info` XINFO.

mod groups;
mod info;
mod pending;
mod read;

use super::Registration;
use crate::protocol::Value;

pub(super) const COMMANDS: &[Registration] = &[
    ("xgroup", groups::xgroup),
    ("xreadgroup", read::xreadgroup),
    ("xack", read::xack),
    ("xpending", pending::xpending),
    ("xclaim", pending::xclaim),
    ("xautoclaim", pending::xautoclaim),
    ("xinfo", info::xinfo),
];

fn int(n: impl TryInto<i64>) -> Value {
    Value::Int(n.try_into().unwrap_or(i64::MAX))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn nogroup(key: &[u8], group: &[u8]) -> String {
    format!(
        "NOGROUP No such consumer group '{}' for key name '{}'",
        text(group),
        text(key)
    )
}
