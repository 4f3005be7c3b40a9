//! Connection and server commands that the REST protocol allows.

use super::Commands;
use crate::protocol::{Command, ToArg};

/// PING, ECHO, TIME.
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
}

impl<C: Commands + ?Sized> ServerCommands for C {}
