//! The npm backend of the fetch transport: the host's global `fetch` (Node
//! 18+, Deno, browsers, Workers), driven by `send.js` in one call per
//! request.

use std::time::Duration;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{millis, Failure, Outgoing};
use crate::transport::WireResponse;

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/transport/fetch/send.js")]
extern "C" {
    /// A deadline `ms` from now, possibly shared with requests started just
    /// before; an opaque handle for `send` and `release`.
    fn arm(ms: f64) -> JsValue;
    /// Ends one request's share of a deadline.
    fn release(deadline: &JsValue);
    /// The exchange; see `send.js`.
    #[wasm_bindgen(js_name = send)]
    fn send_js(
        url: &str,
        authorization: &str,
        json: bool,
        sync_token: Option<&str>,
        body: &JsValue,
        deadline: &JsValue,
    ) -> js_sys::Promise;
}

/// One request's share of a deadline, released however the request ends
/// (also when the caller drops the future half-way).
struct Armed(JsValue);

impl Drop for Armed {
    fn drop(&mut self) {
        release(&self.0);
    }
}

/// Sends `outgoing` with the global `fetch`, aborted after `timeout`.
pub(super) async fn send(
    outgoing: &Outgoing<'_>,
    timeout: Duration,
) -> Result<WireResponse, Failure> {
    // A JSON body goes as a string: undici sends a string body straight
    // away, while bytes go through a ReadableStream (BENCHMARKS.md, "npm
    // package ops/s"). Binary bodies (the path form) stay bytes.
    let body: JsValue = match std::str::from_utf8(outgoing.body) {
        Ok(text) if outgoing.json => JsValue::from_str(text),
        _ => js_sys::Uint8Array::from(outgoing.body).into(),
    };
    let deadline = Armed(arm(millis(timeout)));
    let reply = JsFuture::from(send_js(
        &outgoing.url,
        outgoing.authorization,
        outgoing.json,
        outgoing.sync_token,
        &body,
        &deadline.0,
    ))
    .await
    .map_err(|reason| match reason.as_string().as_deref() {
        Some("timeout") => Failure::Timeout,
        Some("refused") => Failure::Refused,
        Some("redirect") => Failure::Redirect,
        _ => Failure::Other,
    })?;
    drop(deadline);
    let parts: js_sys::Array = reply.unchecked_into();
    let status = parts.get(0).as_f64().unwrap_or(0.0) as u16;
    Ok(WireResponse {
        status,
        sync_token: parts.get(1).as_string(),
        body: parts.get(2).unchecked_into::<js_sys::Uint8Array>().to_vec(),
    })
}
