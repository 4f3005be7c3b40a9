//! The npm package's exports (feature `wasm`, wasm32 only), for the facade
//! in `js/src/`.
//!
//! Owns: adapting JavaScript values to the library's types and back, one
//! file per job: [`WasmClient`] here (commands, pipelines, workspaces),
//! `convert` (arguments and replies), `error` (the `EdgestashError` class),
//! `ratelimit` ([`WasmRatelimit`] over [`crate::ratelimit`]), `sessions`
//! ([`WasmSessions`] over [`crate::session`]) and `pubsub` (subscriptions
//! read from the fetch body stream). Thin on purpose:
//! configuration, retries, encoding, rate-limit algorithms and session
//! layout all stay in the library. Must not: guess types (a reply is a
//! string or a `Uint8Array` as the caller asked, never parsed JSON) or lose
//! integer precision (beyond 2^53 an integer becomes a string or a
//! `BigInt`, as asked).

mod convert;
mod error;
mod pubsub;
mod ratelimit;
mod sessions;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::future_to_promise;

use crate::{Client, Config};
use convert::{commands_from_flat, slot_to_js, to_command, to_js, Decode};
use error::{to_js_error, type_error};

pub use error::set_error_class;
pub use ratelimit::{WasmLimiter, WasmRatelimit};
pub use sessions::WasmSessions;

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
        crate::transport::init_console(lookup("LOG_LEVEL").as_deref());
        let config = Config::from_lookup(lookup).map_err(|e| to_js_error(&e))?;
        let client = Client::new(config).map_err(|e| to_js_error(&e))?;
        Ok(Self { client })
    }

    /// A client confined to workspace `id` (every key under `ws:<id>:`),
    /// sharing this one's connection settings and read-your-writes token.
    /// Throws an `EdgestashError` (`kind: "namespace"`, `code:
    /// "invalid_workspace_id"` or `"already_scoped"`) that never contains
    /// the id.
    pub fn workspace(&self, id: &str) -> Result<WasmClient, JsValue> {
        let client = self.client.workspace(id).map_err(|e| to_js_error(&e))?;
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
        Ok(promise(async move {
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
        let batch = self.new_batch(transaction);
        for command in commands.iter() {
            let parts = command
                .dyn_into::<js_sys::Array>()
                .map_err(|_| type_error("each queued command must be an array"))?;
            batch.add(to_command(&parts)?);
        }
        Ok(run_batch(batch, flags))
    }

    /// `batch` for string-only commands given flat: `text` is every part
    /// of every command concatenated, `sizes` per command its number of
    /// parts, then each part's length in UTF-16 units (JavaScript's
    /// `length`). One string and one array cross into wasm instead of one
    /// string per argument, most of a batched call's cost in the glue
    /// (BENCHMARKS.md, "npm request path in one call").
    #[wasm_bindgen(js_name = batchFlat)]
    pub fn batch_flat(
        &self,
        text: &str,
        sizes: &[u32],
        transaction: bool,
        flags: u32,
    ) -> Result<js_sys::Promise, JsValue> {
        let batch = self.new_batch(transaction);
        for command in commands_from_flat(text, sizes)? {
            batch.add(command);
        }
        Ok(run_batch(batch, flags))
    }

    /// The newest `upstash-sync-token` this client has seen (empty when
    /// none), @upstash/redis's `readYourWritesSyncToken`.
    #[wasm_bindgen(js_name = syncToken)]
    pub fn sync_token(&self) -> String {
        self.client.sync_token().unwrap_or_default()
    }

    /// Adopts `token` (another client's `syncToken()`), so this client's
    /// next requests observe that client's writes.
    #[wasm_bindgen(js_name = setSyncToken)]
    pub fn set_sync_token(&self, token: &str) {
        self.client.set_sync_token(token);
    }

    /// The client's metrics snapshot as a JSON string.
    pub fn metrics(&self) -> String {
        self.client.metrics().snapshot().to_json()
    }
}

/// The lowercase hex SHA-1 of `script`, as EVALSHA names it: for the
/// facade's `createScript`, whose `sha1` @upstash/redis fills in at once
/// (Web Crypto's digest would only resolve a task later).
#[wasm_bindgen(js_name = scriptSha1)]
pub fn script_sha1(script: &str) -> String {
    crate::scripts::sha1_hex(script.as_bytes())
}

/// Runs `future` as a JavaScript promise. Every async export goes through
/// here, so `future_to_promise` (its task, queue and resolve/reject glue) is
/// compiled once for one boxed future type instead of once per export: this
/// saves several KB of the npm .wasm (BENCHMARKS.md, "npm package and Worker
/// size cuts"). The cost is one allocation per call, next to a network
/// round trip.
fn promise(
    future: impl std::future::Future<Output = Result<JsValue, JsValue>> + 'static,
) -> js_sys::Promise {
    boxed_promise(Box::pin(future))
}

#[inline(never)]
fn boxed_promise(
    future: std::pin::Pin<Box<dyn std::future::Future<Output = Result<JsValue, JsValue>>>>,
) -> js_sys::Promise {
    future_to_promise(future)
}

impl WasmClient {
    /// The library client, for the rate limiter and session store exports.
    fn client(&self) -> &Client {
        &self.client
    }

    fn new_batch(&self, transaction: bool) -> crate::Batch {
        if transaction {
            self.client.multi()
        } else {
            self.client.pipeline()
        }
    }
}

/// Sends `batch`; resolves to one entry per command (see `batch`).
fn run_batch(batch: crate::Batch, flags: u32) -> js_sys::Promise {
    let decode = Decode::from_flags(flags);
    promise(async move {
        let results = batch.exec_each().await.map_err(|e| to_js_error(&e))?;
        let out = js_sys::Array::new();
        for slot in results.into_slots() {
            out.push(&slot_to_js(slot, decode));
        }
        Ok(out.into())
    })
}
