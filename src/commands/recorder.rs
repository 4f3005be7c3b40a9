//! A test-only [`Commands`] that records the command a typed method builds,
//! so unit tests can check the exact wire parts and which arguments are keys.

use super::Commands;
use crate::error::Error;
use crate::protocol::{ArgKind, Command, FromValue};

/// Returns every command instead of sending it.
pub(crate) struct Recorder;

impl Commands for Recorder {
    type Reply<T: FromValue + Send + 'static> = Result<Command, Error>;

    fn command<T: FromValue + Send + 'static>(&self, command: Command) -> Self::Reply<T> {
        Ok(command)
    }

    fn fail<T: FromValue + Send + 'static>(&self, error: Error) -> Self::Reply<T> {
        Err(error)
    }
}

/// The command as text, name first: keys as `@k`, channels as `#c`,
/// patterns as `~p`, values as they are.
pub(crate) fn render(command: Result<Command, Error>) -> Vec<String> {
    let command = match command {
        Ok(c) => c,
        Err(e) => return vec![format!("error: {e}")],
    };
    std::iter::once(command.name().to_owned())
        .chain(command.args_slice().iter().map(|a| {
            let text = String::from_utf8_lossy(&a.bytes);
            match a.kind {
                ArgKind::Key => format!("@{text}"),
                ArgKind::Channel => format!("#{text}"),
                ArgKind::Pattern => format!("~{text}"),
                _ => text.into_owned(),
            }
        }))
        .collect()
}

/// Asserts that `command` renders as `expected` (see [`render`]).
macro_rules! assert_wire {
    ($command:expr, [$($part:expr),* $(,)?]) => {
        assert_eq!(
            $crate::commands::recorder::render($command),
            vec![$(String::from($part)),*]
        )
    };
}
pub(crate) use assert_wire;
