//! Publishing to pub/sub channels. (Subscribing is a stream over
//! server-sent events, not a command, and lives elsewhere.)

use super::Commands;
use crate::protocol::{Command, ToArg};

/// PUBLISH.
pub trait PubSubCommands: Commands {
    /// PUBLISH: sends `message` on `channel`; returns how many subscribers
    /// received it.
    fn publish(&self, channel: impl ToArg, message: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("PUBLISH").channel(channel).arg(message))
    }
}

impl<C: Commands + ?Sized> PubSubCommands for C {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::recorder::{assert_wire, Recorder};

    #[test]
    fn builds_publish() {
        assert_wire!(Recorder.publish("news", "hi"), ["PUBLISH", "#news", "hi"]);
    }
}
