//! Redis's reply conversions between the engine's values and Lua's, both
//! ways, as Redis 7 does them in RESP2.
//!
//! Redis to Lua: integer -> number, bulk -> string, nil -> false, array ->
//! table, status -> `{ok=...}`, error -> `{err=...}`. Lua to Redis: number
//! -> integer (truncated), string -> bulk, true -> 1, false/nil -> nil,
//! `{err=...}` -> error, `{ok=...}` -> status, other tables -> array up to
//! the first nil. Must not: run commands.

use mlua::{Lua, Table, Value as LuaValue};

use crate::mock::ctx::Reply;
use crate::protocol::Value;

/// A table `{field = text}`.
pub fn field_table(lua: &Lua, field: &str, text: &[u8]) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(field, lua.create_string(text)?)?;
    Ok(t)
}

/// The Lua form of a command's reply; `status` marks a command whose text
/// reply is a status (TYPE, PING) rather than a bulk string.
pub fn reply_to_lua(lua: &Lua, reply: &Reply, status: bool) -> mlua::Result<LuaValue> {
    match reply {
        Ok(v) => value_to_lua(lua, v, status),
        Err(e) => Ok(LuaValue::Table(field_table(lua, "err", e.as_bytes())?)),
    }
}

fn value_to_lua(lua: &Lua, v: &Value, status: bool) -> mlua::Result<LuaValue> {
    Ok(match v {
        Value::Nil => LuaValue::Boolean(false),
        // Lua 5.1 numbers are doubles, as in Redis.
        Value::Int(i) => LuaValue::Number(*i as f64),
        Value::Bytes(b) if status => LuaValue::Table(field_table(lua, "ok", b)?),
        Value::Bytes(b) => LuaValue::String(lua.create_string(b)?),
        Value::Okay => LuaValue::Table(field_table(lua, "ok", b"OK")?),
        Value::Array(items) => {
            let t = lua.create_table_with_capacity(items.len(), 0)?;
            for (i, item) in items.iter().enumerate() {
                t.raw_set(i + 1, value_to_lua(lua, item, false)?)?;
            }
            LuaValue::Table(t)
        }
    })
}

/// The reply a script's return value stands for.
pub fn lua_to_reply(v: &LuaValue) -> Reply {
    match v {
        LuaValue::String(s) => Ok(Value::Bytes(s.as_bytes().to_vec())),
        LuaValue::Number(n) => Ok(Value::Int(truncate(*n))),
        LuaValue::Integer(i) => Ok(Value::Int(*i)),
        LuaValue::Boolean(true) => Ok(Value::Int(1)),
        LuaValue::Table(t) => table_to_reply(t),
        _ => Ok(Value::Nil),
    }
}

/// `(long long)` of a double, as Redis casts: toward zero, saturating.
fn truncate(n: f64) -> i64 {
    n as i64
}

fn table_to_reply(t: &Table) -> Reply {
    if let Ok(LuaValue::String(e)) = t.raw_get::<LuaValue>("err") {
        return Err(String::from_utf8_lossy(&e.as_bytes()).into_owned());
    }
    if let Ok(LuaValue::String(s)) = t.raw_get::<LuaValue>("ok") {
        let s = s.as_bytes();
        return Ok(if &*s == b"OK" {
            Value::Okay
        } else {
            Value::Bytes(s.to_vec())
        });
    }
    let mut items = Vec::new();
    for i in 1.. {
        let item = t.raw_get::<LuaValue>(i).unwrap_or(LuaValue::Nil);
        if item.is_nil() {
            break;
        }
        // Value has no error element: an error inside an array becomes the
        // reply's error (documented gap: Redis keeps it in place).
        items.push(lua_to_reply(&item)?);
    }
    Ok(Value::Array(items))
}
