//! Script errors as Redis 7 reports them: the error handler every script
//! runs under, and the final text (`<err> script: <name>, on
//! @user_script:<line>.`).
//!
//! Must not: decide whether something is an error; it only shapes one.

use mlua::{Lua, Table, Value as LuaValue};

use super::convert::field_table;

/// An error reply of a command that `redis.call` raises: the handler and
/// the `pcall` glue turn it back into Redis's `{err=...}` table.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CommandError(pub String);

/// The command error inside a Rust error, if it is one.
fn command_error(e: &mlua::Error) -> Option<&str> {
    match e {
        mlua::Error::CallbackError { cause, .. } => command_error(cause),
        mlua::Error::ExternalError(x) => x.downcast_ref::<CommandError>().map(|c| c.0.as_str()),
        _ => None,
    }
}

/// `pcall`'s view of an error, as Redis 7's `pcall` wrapper gives it: an
/// error table (or a raised command error) becomes its `err` string,
/// anything else stays as it is.
pub fn unwrap(lua: &Lua, err: LuaValue) -> mlua::Result<LuaValue> {
    match &err {
        LuaValue::Error(e) => match command_error(e) {
            Some(text) => Ok(LuaValue::String(lua.create_string(text)?)),
            None => Ok(err),
        },
        LuaValue::Table(t) => match t.raw_get::<LuaValue>("err")? {
            LuaValue::String(s) => Ok(LuaValue::String(s)),
            _ => Ok(err),
        },
        _ => Ok(err),
    }
}

/// The text of an error raised from Rust (a callback's `Err`).
fn rust_error_text(e: &mlua::Error) -> String {
    match e {
        mlua::Error::CallbackError { cause, .. } => rust_error_text(cause),
        mlua::Error::RuntimeError(m) => m.clone(),
        mlua::Error::ExternalError(x) => x.to_string(),
        other => other.to_string(),
    }
}

/// The `(source, line)` of the innermost frame that runs user code: the
/// position Redis's error handler reports (it skips C functions such as
/// `error` and, here, the engine's own Lua glue).
fn user_position(lua: &Lua) -> Option<(String, usize)> {
    (1..64).find_map(|level| {
        lua.inspect_stack(level, |d| {
            let source = d.source().source.map(|s| s.into_owned())?;
            source
                .starts_with("@user_")
                .then(|| (source, d.current_line().unwrap_or(0)))
        })
        .flatten()
    })
}

/// The `xpcall` handler: turns any error into a `{err=..., source=...,
/// line=...}` table, as Redis's `__redis__err__handler` does.
pub fn handler(lua: &Lua, err: LuaValue) -> mlua::Result<Table> {
    let table = match err {
        LuaValue::Table(t) => t,
        LuaValue::String(s) => {
            let mut text = b"ERR ".to_vec();
            text.extend_from_slice(&s.as_bytes());
            field_table(lua, "err", &text)?
        }
        LuaValue::Error(e) => match command_error(&e) {
            Some(text) => field_table(lua, "err", text.as_bytes())?,
            None => field_table(
                lua,
                "err",
                format!("ERR {}", rust_error_text(&e)).as_bytes(),
            )?,
        },
        other => {
            let text = lua
                .coerce_string(other)
                .ok()
                .flatten()
                .map(|s| s.as_bytes().to_vec())
                .unwrap_or_else(|| b"unknown error".to_vec());
            let mut full = b"ERR ".to_vec();
            full.extend_from_slice(&text);
            field_table(lua, "err", &full)?
        }
    };
    if table.raw_get::<LuaValue>("line")?.is_nil() {
        if let Some((source, line)) = user_position(lua) {
            table.raw_set("source", source)?;
            table.raw_set("line", line)?;
        }
    }
    Ok(table)
}

/// The reply text of an error that ended a script named `name` (the SHA-1
/// of an EVAL script, the function's name for FCALL).
pub fn final_text(err: &Table, name: &str) -> String {
    let text = match err.raw_get::<LuaValue>("err") {
        Ok(LuaValue::String(s)) => String::from_utf8_lossy(&s.as_bytes()).into_owned(),
        _ => "ERR unknown error".to_owned(),
    };
    let source = err.raw_get::<String>("source");
    let line = err.raw_get::<i64>("line");
    match (source, line) {
        (Ok(source), Ok(line)) => format!("{text} script: {name}, on {source}:{line}."),
        _ => text,
    }
}

/// The text of an error from Rust code around a script (conversion, VM).
pub fn vm_error(e: &mlua::Error) -> String {
    format!("ERR {}", rust_error_text(e))
}
