//! The JavaScript console as a log sink, for the wasm32 entry points (the
//! Worker and the npm package): [`crate::logging`]'s line subscriber,
//! installed once, writing to `console.error` / `warn` / `info` / `log`.

use tracing::Level;

use crate::logging::{install, parse_level};

/// Installs the console subscriber once: `level` as [`parse_level`] reads
/// it, `info` when absent or not a level (so mock mode's one warning shows
/// and per-command lines need `debug`).
pub fn init_console(level: Option<&str>) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let max = level.and_then(parse_level).unwrap_or(Level::INFO);
        install(max, console_sink);
    });
}

fn console_sink(level: Level, line: &str) {
    let line = wasm_bindgen::JsValue::from_str(line);
    match level {
        Level::ERROR => web_sys::console::error_1(&line),
        Level::WARN => web_sys::console::warn_1(&line),
        Level::INFO => web_sys::console::info_1(&line),
        _ => web_sys::console::log_1(&line),
    }
}
