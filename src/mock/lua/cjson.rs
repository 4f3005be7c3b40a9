//! The `cjson` library as Redis loads it (lua-cjson 2.1 defaults):
//! `encode`, `decode`, `null`, on serde_json for parsing.
//!
//! Behaviour kept: numbers as `%.14g`, `/` escaped as `\/`, tables with only
//! positive integer keys as arrays (holes as null, excessively sparse ones
//! refused), an empty table as `{}`, nesting limited to 1000. Gaps: the
//! configuration functions (`encode_keep_buffer`, `decode_max_depth`, ...)
//! are accepted and ignored; decode error texts name the position but not
//! always lua-cjson's exact wording.

use mlua::{Lua, Table, Value as LuaValue};

use super::number_text::format_g;

const MAX_DEPTH: usize = 1000;

fn err(text: String) -> mlua::Error {
    mlua::Error::RuntimeError(text)
}

fn encode_string(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    for &b in s {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'/' => out.extend_from_slice(b"\\/"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            b if b < 0x20 || b == 0x7f => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
            b => out.push(b),
        }
    }
    out.push(b'"');
}

fn encode_number(out: &mut Vec<u8>, n: f64) -> mlua::Result<()> {
    if !n.is_finite() {
        return Err(err(
            "Cannot serialise number: must not be NaN or Inf".to_owned()
        ));
    }
    out.extend_from_slice(format_g(n, 14).as_bytes());
    Ok(())
}

/// The array length of `t` when every key is a positive integer, `None`
/// for an object.
fn array_len(t: &Table) -> mlua::Result<Option<usize>> {
    let mut max = 0usize;
    let mut count = 0usize;
    for pair in t.clone().pairs::<LuaValue, LuaValue>() {
        let (k, _) = pair?;
        let n = match k {
            LuaValue::Number(n) if n >= 1.0 && n.fract() == 0.0 => n as usize,
            LuaValue::Integer(i) if i >= 1 => usize::try_from(i).unwrap_or(usize::MAX),
            _ => return Ok(None),
        };
        max = max.max(n);
        count += 1;
    }
    if max > 10 && max > count * 2 {
        return Err(err(
            "Cannot serialise table: excessively sparse array".to_owned()
        ));
    }
    Ok(Some(max))
}

fn encode(out: &mut Vec<u8>, v: &LuaValue, depth: usize) -> mlua::Result<()> {
    match v {
        LuaValue::Nil => out.extend_from_slice(b"null"),
        LuaValue::LightUserData(p) if p.0.is_null() => out.extend_from_slice(b"null"),
        LuaValue::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        LuaValue::Integer(i) => encode_number(out, *i as f64)?,
        LuaValue::Number(n) => encode_number(out, *n)?,
        LuaValue::String(s) => encode_string(out, &s.as_bytes()),
        LuaValue::Table(t) => {
            if depth >= MAX_DEPTH {
                return Err(err(format!(
                    "Cannot serialise, excessive nesting ({})",
                    depth + 1
                )));
            }
            match array_len(t)? {
                Some(len) if len > 0 => {
                    out.push(b'[');
                    for i in 1..=len {
                        if i > 1 {
                            out.push(b',');
                        }
                        encode(out, &t.raw_get::<LuaValue>(i)?, depth + 1)?;
                    }
                    out.push(b']');
                }
                _ => {
                    out.push(b'{');
                    let mut first = true;
                    for pair in t.clone().pairs::<LuaValue, LuaValue>() {
                        let (k, v) = pair?;
                        if !first {
                            out.push(b',');
                        }
                        first = false;
                        match &k {
                            LuaValue::String(s) => encode_string(out, &s.as_bytes()),
                            LuaValue::Number(n) => encode_string(out, format_g(*n, 14).as_bytes()),
                            LuaValue::Integer(i) => {
                                encode_string(out, format_g(*i as f64, 14).as_bytes())
                            }
                            _ => {
                                return Err(err(
                                    "Cannot serialise table: table key must be a number or string"
                                        .to_owned(),
                                ))
                            }
                        }
                        out.push(b':');
                        encode(out, &v, depth + 1)?;
                    }
                    out.push(b'}');
                }
            }
        }
        other => {
            return Err(err(format!(
                "Cannot serialise {}: type not supported",
                other.type_name()
            )))
        }
    }
    Ok(())
}

fn decode(lua: &Lua, v: serde_json::Value) -> mlua::Result<LuaValue> {
    Ok(match v {
        serde_json::Value::Null => LuaValue::NULL,
        serde_json::Value::Bool(b) => LuaValue::Boolean(b),
        serde_json::Value::Number(n) => LuaValue::Number(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => LuaValue::String(lua.create_string(s)?),
        serde_json::Value::Array(items) => {
            let t = lua.create_table_with_capacity(items.len(), 0)?;
            for (i, item) in items.into_iter().enumerate() {
                t.raw_set(i + 1, decode(lua, item)?)?;
            }
            LuaValue::Table(t)
        }
        serde_json::Value::Object(map) => {
            let t = lua.create_table_with_capacity(0, map.len())?;
            for (k, v) in map {
                t.raw_set(k, decode(lua, v)?)?;
            }
            LuaValue::Table(t)
        }
    })
}

/// The `cjson` table.
pub fn library(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set(
        "encode",
        lua.create_function(|lua, v: LuaValue| {
            let mut out = Vec::new();
            encode(&mut out, &v, 0)?;
            lua.create_string(out)
        })?,
    )?;
    t.raw_set(
        "decode",
        lua.create_function(|lua, s: mlua::String| {
            let parsed: serde_json::Value = serde_json::from_slice(&s.as_bytes()).map_err(|e| {
                err(format!(
                    "Expected value but found invalid token at character {}",
                    e.column()
                ))
            })?;
            decode(lua, parsed)
        })?,
    )?;
    t.raw_set("null", LuaValue::NULL)?;
    for name in [
        "encode_keep_buffer",
        "encode_max_depth",
        "decode_max_depth",
        "encode_number_precision",
        "encode_sparse_array",
        "encode_invalid_numbers",
        "decode_invalid_numbers",
    ] {
        t.raw_set(name, lua.create_function(|_, _: mlua::MultiValue| Ok(()))?)?;
    }
    Ok(t)
}
