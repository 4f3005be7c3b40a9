//! The npm package's exports (feature `wasm`, wasm32 only), for the facade
//! in `js/src/`.
//!
//! Owns: adapting JavaScript values to [`Command`] and [`Value`] and back,
//! and [`Error`] to a JavaScript `Error`. Thin on purpose: configuration,
//! retries, encoding and decoding all stay in the library. Must not: guess
//! types (a reply is a string or a `Uint8Array` as the caller asked, never
//! parsed JSON) or lose integer precision (beyond 2^53 an integer becomes a
//! string or a `BigInt`, as asked).

mod pubsub;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::future_to_promise;

use crate::protocol::Slot;
use crate::{Client, Command, Config, Error, Value};

/// Largest integer a JavaScript number holds exactly (2^53 - 1).
const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// How replies are handed to JavaScript, chosen per call.
#[derive(Debug, Clone, Copy)]
struct Decode {
    /// Bulk strings as `Uint8Array` instead of UTF-8 strings.
    bytes: bool,
    /// Integers beyond 2^53 as `BigInt` instead of decimal strings.
    bigint: bool,
}

impl Decode {
    fn from_flags(flags: u32) -> Self {
        Self {
            bytes: flags & 1 != 0,
            bigint: flags & 2 != 0,
        }
    }
}

/// A client, as the facade's `Redis` class holds it.
#[wasm_bindgen]
pub struct WasmClient {
    client: Client,
}

#[wasm_bindgen]
impl WasmClient {
    /// Builds a client from an object of settings named like the
    /// environment variables (`UPSTASH_REDIS_REST_URL`, `MOCK_REDIS`, ...),
    /// validated by the same rules as every other entry point.
    #[wasm_bindgen(js_name = fromSettings)]
    pub fn from_settings(settings: &JsValue) -> Result<WasmClient, JsValue> {
        let lookup = |name: &str| {
            js_sys::Reflect::get(settings, &JsValue::from_str(name))
                .ok()
                .and_then(|v| v.as_string())
        };
        crate::logging::init_console(lookup("LOG_LEVEL").as_deref());
        let config = Config::from_lookup(lookup).map_err(|e| to_js_error(&e))?;
        let client = Client::new(config).map_err(|e| to_js_error(&e))?;
        Ok(Self { client })
    }

    /// `redis` or `mock`.
    pub fn mode(&self) -> String {
        self.client.mode_label().to_owned()
    }

    /// Runs one command given as an array of strings and `Uint8Array`s
    /// (name first). `flags`: 1 = bytes, 2 = BigInt.
    pub fn exec(&self, command: &js_sys::Array, flags: u32) -> Result<js_sys::Promise, JsValue> {
        let command = to_command(command)?;
        let client = self.client.clone();
        let decode = Decode::from_flags(flags);
        Ok(future_to_promise(async move {
            let value = client.exec(command).await.map_err(|e| to_js_error(&e))?;
            to_js(value, decode)
        }))
    }

    /// Runs a pipeline (or, with `transaction`, a MULTI/EXEC) of commands.
    /// Resolves to one entry per command: its reply, or an `Error` object
    /// for a command that failed alone. Rejects when the request failed or
    /// the transaction was discarded as a whole.
    pub fn batch(
        &self,
        commands: &js_sys::Array,
        transaction: bool,
        flags: u32,
    ) -> Result<js_sys::Promise, JsValue> {
        let batch = if transaction {
            self.client.multi()
        } else {
            self.client.pipeline()
        };
        for command in commands.iter() {
            let parts = command
                .dyn_into::<js_sys::Array>()
                .map_err(|_| type_error("each queued command must be an array"))?;
            batch.add(to_command(&parts)?);
        }
        let decode = Decode::from_flags(flags);
        Ok(future_to_promise(async move {
            let results = batch.exec_each().await.map_err(|e| to_js_error(&e))?;
            let out = js_sys::Array::new();
            for slot in results.into_slots() {
                out.push(&slot_to_js(slot, decode)?);
            }
            Ok(out.into())
        }))
    }

    /// The client's metrics snapshot as a JSON string.
    pub fn metrics(&self) -> String {
        self.client.metrics().snapshot().to_json()
    }
}

fn slot_to_js(slot: Slot, decode: Decode) -> Result<JsValue, JsValue> {
    match slot {
        Ok(value) => to_js(value, decode),
        Err(e) => Ok(to_js_error(&e)),
    }
}

/// `["SET", "k", Uint8Array]` to a command; arguments must be strings or
/// `Uint8Array`s (the facade turns numbers and objects into strings).
fn to_command(parts: &js_sys::Array) -> Result<Command, JsValue> {
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

fn to_js(value: Value, decode: Decode) -> Result<JsValue, JsValue> {
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

/// An `Error` named `EdgestashError` with `kind` (`auth`, `redis`,
/// `transport`...) and, for Redis errors, `redisKind` (`WRONGTYPE`...).
fn to_js_error(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name("EdgestashError");
    let _ = js_sys::Reflect::set(&js, &"kind".into(), &error.kind_label().into());
    if let Some(kind) = error.redis_kind() {
        let _ = js_sys::Reflect::set(&js, &"redisKind".into(), &kind.into());
    }
    js.into()
}

fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}
