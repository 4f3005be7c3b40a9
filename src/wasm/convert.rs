//! JavaScript values to [`Command`]s and [`Value`]s back to JavaScript.
//!
//! Owns: the argument forms the facade hands over (strings and
//! `Uint8Array`s) and the reply forms it asked for ([`Decode`]). Must not:
//! guess types (a bulk string is a string or bytes as asked, never parsed
//! JSON) or lose integer precision (beyond 2^53 an integer becomes a decimal
//! string or a `BigInt`, as asked).

use wasm_bindgen::{JsCast, JsValue};

use super::error::{to_js_error, type_error};
use crate::protocol::Slot;
use crate::{Command, Value};

/// Largest integer a JavaScript number holds exactly (2^53 - 1).
const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// How replies are handed to JavaScript, chosen per call.
#[derive(Debug, Clone, Copy)]
pub(super) struct Decode {
    /// Bulk strings as `Uint8Array` instead of UTF-8 strings.
    bytes: bool,
    /// Integers beyond 2^53 as `BigInt` instead of decimal strings.
    bigint: bool,
}

impl Decode {
    /// `flags`: 1 = bytes, 2 = BigInt.
    pub(super) fn from_flags(flags: u32) -> Self {
        Self {
            bytes: flags & 1 != 0,
            bigint: flags & 2 != 0,
        }
    }
}

/// One entry of a batch: its reply, or an `Error` object for a command that
/// failed alone. A reply that cannot take the asked form (not UTF-8) is
/// that entry's error, not the whole batch's: the other commands ran.
pub(super) fn slot_to_js(slot: Slot, decode: Decode) -> JsValue {
    match slot {
        Ok(value) => to_js(value, decode).unwrap_or_else(|e| e),
        Err(e) => to_js_error(&e),
    }
}

/// `["SET", "k", Uint8Array]` to a command; arguments must be strings or
/// `Uint8Array`s (the facade turns numbers and objects into strings).
pub(super) fn to_command(parts: &js_sys::Array) -> Result<Command, JsValue> {
    let name = parts
        .get(0)
        .as_string()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| type_error("a command starts with its name as a string"))?;
    let mut args = Vec::with_capacity(parts.length().saturating_sub(1) as usize);
    for part in parts.iter().skip(1) {
        if let Some(s) = part.as_string() {
            args.push(s.into_bytes());
        } else if let Some(bytes) = part.dyn_ref::<js_sys::Uint8Array>() {
            args.push(bytes.to_vec());
        } else {
            return Err(type_error("arguments must be strings or Uint8Array"));
        }
    }
    Ok(Command::from_parts(name, args))
}

/// Commands from their parts concatenated in `text`, as `sizes` describes
/// them: per command its number of parts, then each part's length in
/// UTF-16 code units. The name must be non-empty.
pub(super) fn commands_from_flat(text: &str, sizes: &[u32]) -> Result<Vec<Command>, JsValue> {
    let malformed = || type_error("a flat batch's sizes do not match its text");
    let mut rest = text;
    let mut sizes = sizes.iter().map(|&n| n as usize);
    let mut commands = Vec::new();
    while let Some(count) = sizes.next() {
        // Bounded by what is left, whatever `count` claims.
        let mut parts = Vec::with_capacity(count.min(sizes.len()));
        for _ in 0..count {
            let units = sizes.next().ok_or_else(malformed)?;
            let (part, tail) = split_utf16(rest, units).ok_or_else(malformed)?;
            parts.push(part);
            rest = tail;
        }
        let mut parts = parts.into_iter();
        let name = parts
            .next()
            .filter(|n| !n.is_empty())
            .ok_or_else(|| type_error("a command starts with its name as a string"))?;
        commands.push(Command::from_parts(
            name.to_owned(),
            parts.map(|p| p.as_bytes().to_vec()).collect(),
        ));
    }
    if rest.is_empty() {
        Ok(commands)
    } else {
        Err(malformed())
    }
}

/// `text` split after its first `units` UTF-16 code units; `None` when it
/// is shorter or the split would fall inside a character.
fn split_utf16(text: &str, units: usize) -> Option<(&str, &str)> {
    // ASCII, the usual case: one unit per byte.
    if text.as_bytes().iter().take(units).all(u8::is_ascii) {
        return (units <= text.len()).then(|| text.split_at(units));
    }
    let mut counted = 0;
    for (at, c) in text.char_indices() {
        if counted == units {
            return Some(text.split_at(at));
        }
        counted += c.len_utf16();
        if counted > units {
            return None;
        }
    }
    (counted == units).then_some((text, ""))
}

/// A reply value as JavaScript: null, a string or bytes, a number (or a
/// decimal string / `BigInt` beyond 2^53), or an array of those.
pub(super) fn to_js(value: Value, decode: Decode) -> Result<JsValue, JsValue> {
    Ok(match value {
        Value::Nil => JsValue::NULL,
        Value::Okay => JsValue::from_str("OK"),
        Value::Int(n) if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&n) => {
            JsValue::from_f64(n as f64)
        }
        Value::Int(n) if decode.bigint => js_sys::BigInt::from(n).into(),
        Value::Int(n) => JsValue::from_str(&n.to_string()),
        Value::Bytes(b) if decode.bytes => js_sys::Uint8Array::from(b.as_slice()).into(),
        Value::Bytes(b) => match String::from_utf8(b) {
            Ok(s) => JsValue::from_str(&s),
            Err(_) => {
                return Err(type_error(
                    "reply is not valid UTF-8; ask for bytes with { encoding: \"bytes\" }",
                ))
            }
        },
        Value::Array(items) => {
            let out = js_sys::Array::new();
            for item in items {
                out.push(&to_js(item, decode)?);
            }
            out.into()
        }
    })
}

/// A JavaScript number that must be a whole count in `1..=2^53`, as a
/// `u64`; `what` names the setting in the error (never the value).
pub(super) fn whole(what: &str, n: f64) -> Result<u64, crate::Error> {
    const MAX: f64 = 9_007_199_254_740_992.0; // 2^53
    if n.is_finite() && n.fract() == 0.0 && (1.0..=MAX).contains(&n) {
        // Exact: an integral f64 within 2^53.
        Ok(n as u64)
    } else {
        Err(crate::Error::config(
            what,
            "must be a whole number between 1 and 2^53",
        ))
    }
}
