//! Log lines from the library's `tracing` events, for hosts without a
//! `tracing` subscriber of their own: the Worker and the npm package write
//! them to the JavaScript console.
//!
//! Owns (layer L0): [`LineSubscriber`], a minimal `tracing` subscriber that
//! formats each event as one line (`edgestash DEBUG edgestash request
//! command=GET status=200 micros=412 ok=true`) and hands it to a sink, and
//! [`install`], which sets it once per process or isolate. Only the fields
//! in [`FIELDS`] are printed (the command name, timing, status and error
//! kind); any other field is dropped, so an event that one day carried an
//! argument, value or token would still not reach the console. Spans are
//! accepted and ignored.
//!
//! Native programs keep using their own subscriber (`tracing-subscriber`);
//! nothing here runs unless a host installs it. The console sink itself is
//! target-specific and lives with the wasm32 transport
//! (`transport::init_console`, features `worker` and `wasm`); this module
//! must not name a target.

use std::fmt::{Debug, Write as _};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// The field names printed; every other field is dropped.
pub const FIELDS: [&str; 7] = [
    "message", "command", "status", "micros", "ok", "attempt", "error",
];

/// Where formatted lines go: the event's level and the line.
pub type Sink = fn(Level, &str);

/// A `tracing` subscriber that writes one line per event at or above its
/// level to a [`Sink`].
#[derive(Debug, Clone, Copy)]
pub struct LineSubscriber {
    max: Level,
    sink: Sink,
}

impl LineSubscriber {
    /// Events at `max` or more severe go to `sink`.
    pub fn new(max: Level, sink: Sink) -> Self {
        Self { max, sink }
    }
}

/// The level named by `text` (`error`, `warn`, `info`, `debug`, `trace`,
/// any case); `None` for anything else.
pub fn parse_level(text: &str) -> Option<Level> {
    text.trim().parse().ok()
}

/// Formats one event: `edgestash <LEVEL> <message> k=v ...`.
fn format_event(event: &Event<'_>) -> String {
    struct Line {
        message: String,
        fields: String,
    }
    impl Visit for Line {
        fn record_str(&mut self, field: &Field, value: &str) {
            self.record_debug(field, &format_args!("{value}"));
        }
        // tracing's default prints `{value:?}`; this is the same text
        // without linking std's float formatting.
        fn record_f64(&mut self, field: &Field, value: f64) {
            let text = crate::float_text::debug(value);
            self.record_debug(field, &format_args!("{text}"));
        }
        fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
            let name = field.name();
            if name == "message" {
                let _ = write!(self.message, "{value:?}");
            } else if FIELDS.contains(&name) {
                let _ = write!(self.fields, " {name}={value:?}");
            }
        }
    }
    let mut line = Line {
        message: String::new(),
        fields: String::new(),
    };
    event.record(&mut line);
    format!(
        "edgestash {} {}{}",
        event.metadata().level(),
        line.message,
        line.fields
    )
}

impl Subscriber for LineSubscriber {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= &self.max
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(self.max.into())
    }

    fn new_span(&self, _span: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _span: &Id, _values: &Record<'_>) {}

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        (self.sink)(*event.metadata().level(), &format_event(event));
    }

    fn enter(&self, _span: &Id) {}

    fn exit(&self, _span: &Id) {}
}

/// Makes a [`LineSubscriber`] the global default; true when this call set
/// it, false when a subscriber was already set (the first one stays, so
/// calling this on every request is cheap and harmless).
pub fn install(max: Level, sink: Sink) -> bool {
    tracing::subscriber::set_global_default(LineSubscriber::new(max, sink)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

    fn capture(level: Level, line: &str) {
        LINES
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(format!("[{level}] {line}"));
    }

    #[test]
    fn prints_allowed_fields_and_drops_the_rest() {
        let subscriber = LineSubscriber::new(Level::DEBUG, capture);
        tracing::subscriber::with_default(subscriber, || {
            tracing::debug!(
                command = "GET",
                status = 200u16,
                micros = 412u64,
                ok = true,
                key = "secret-key",
                value = "secret-value",
                "edgestash request"
            );
            tracing::trace!(command = "SET", "too verbose");
            tracing::warn!("mock mode: on");
            tracing::info!(
                micros = 0.1f64,
                status = 1e21f64,
                attempt = -0.0f64,
                "floats"
            );
            let _span = tracing::info_span!("ignored", token = "secret-token").entered();
        });
        let lines = LINES.lock().unwrap_or_else(|e| e.into_inner()).clone();
        assert_eq!(
            lines,
            [
                "[DEBUG] edgestash DEBUG edgestash request command=GET status=200 micros=412 ok=true",
                "[WARN] edgestash WARN mock mode: on",
                "[INFO] edgestash INFO floats micros=0.1 status=1e21 attempt=-0.0",
            ]
        );
        assert_eq!(parse_level("Debug"), Some(Level::DEBUG));
        assert_eq!(parse_level("loud"), None);
    }
}
