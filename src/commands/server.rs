//! Connection and server commands that the REST protocol allows.

use super::Commands;
use crate::protocol::{Command, ToArg};

/// How FLUSHALL frees memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FlushMode {
    /// SYNC: before replying.
    Sync,
    /// ASYNC: in the background, after replying.
    Async,
}

/// CLIENT SETINFO's attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientInfo {
    /// LIB-NAME: the client library's name.
    LibName,
    /// LIB-VER: the client library's version.
    LibVer,
}

/// PING, ECHO, TIME, DBSIZE, FLUSHALL, CLIENT SETINFO.
pub trait ServerCommands: Commands {
    /// PING: answers `PONG`; the cheapest round trip.
    fn ping(&self) -> Self::Reply<String> {
        self.command(Command::new("PING"))
    }

    /// ECHO: returns `message` unchanged.
    fn echo(&self, message: impl ToArg) -> Self::Reply<Vec<u8>> {
        self.command(Command::new("ECHO").arg(message))
    }

    /// TIME: the server's clock as (seconds, microseconds), both as decimal text.
    fn time(&self) -> Self::Reply<(String, String)> {
        self.command(Command::new("TIME"))
    }

    /// DBSIZE: how many keys the database holds.
    fn dbsize(&self) -> Self::Reply<i64> {
        self.command(Command::new("DBSIZE"))
    }

    /// FLUSHALL: deletes every key of every database; `mode` chooses SYNC
    /// or ASYNC (the server's `lazyfree-lazy-user-flush` decides without).
    fn flushall(&self, mode: Option<FlushMode>) -> Self::Reply<()> {
        let cmd = Command::new("FLUSHALL");
        self.command(match mode {
            Some(FlushMode::Sync) => cmd.arg("SYNC"),
            Some(FlushMode::Async) => cmd.arg("ASYNC"),
            None => cmd,
        })
    }

    /// CLIENT SETINFO: names the client library for CLIENT LIST, as client
    /// libraries do at connect. A REST request has no connection of its
    /// own, so Upstash and edgestash-server answer OK and keep nothing.
    fn client_setinfo(&self, attribute: ClientInfo, value: impl ToArg) -> Self::Reply<()> {
        let attribute = match attribute {
            ClientInfo::LibName => "LIB-NAME",
            ClientInfo::LibVer => "LIB-VER",
        };
        self.command(
            Command::new("CLIENT")
                .arg("SETINFO")
                .arg(attribute)
                .arg(value),
        )
    }
}

impl<C: Commands + ?Sized> ServerCommands for C {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::recorder::{assert_wire, Recorder};

    #[test]
    fn builds_server_commands() {
        let r = Recorder;
        assert_wire!(r.ping(), ["PING"]);
        assert_wire!(r.echo("x"), ["ECHO", "x"]);
        assert_wire!(r.time(), ["TIME"]);
        assert_wire!(r.dbsize(), ["DBSIZE"]);
        assert_wire!(r.flushall(None), ["FLUSHALL"]);
        assert_wire!(r.flushall(Some(FlushMode::Sync)), ["FLUSHALL", "SYNC"]);
        assert_wire!(r.flushall(Some(FlushMode::Async)), ["FLUSHALL", "ASYNC"]);
        assert_wire!(
            r.client_setinfo(ClientInfo::LibName, "edgestash"),
            ["CLIENT", "SETINFO", "LIB-NAME", "edgestash"]
        );
        assert_wire!(
            r.client_setinfo(ClientInfo::LibVer, "0.1"),
            ["CLIENT", "SETINFO", "LIB-VER", "0.1"]
        );
    }
}
