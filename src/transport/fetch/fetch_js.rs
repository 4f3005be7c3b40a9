//! The npm backend of the fetch transport: the host's global `fetch`
//! (Node 18+, Deno, browsers, Workers), through web-sys types.

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{Failure, Outgoing, SYNC_TOKEN};
use crate::transport::WireResponse;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    // The global `fetch`, not `window.fetch`: Node and Workers have no window.
    // Called with the URL and init, not a `Request`: building a `Request`
    // first makes undici build (and signal-link) a second one inside
    // `fetch`, a measurable share of a loopback call (BENCHMARKS.md, "npm
    // package ops/s").
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &web_sys::RequestInit) -> js_sys::Promise;
}

thread_local! {
    /// Header names and fixed values already turned into JavaScript
    /// strings: they repeat on every request, and each conversion is a
    /// UTF-8 decode in the host. Never the token (the Authorization value
    /// stays only in the client's `Secret`) nor a sync token. Bounded: at
    /// most [`MAX_CACHED`] entries.
    static STRINGS: RefCell<Vec<(String, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// Most distinct header strings kept (the transport sends about six).
const MAX_CACHED: usize = 32;

/// `text` as a JavaScript string, from [`STRINGS`] when seen before.
fn js_string(text: &str) -> JsValue {
    STRINGS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, value)) = cache.iter().find(|(t, _)| t == text) {
            return value.clone();
        }
        let value = JsValue::from_str(text);
        if cache.len() < MAX_CACHED {
            cache.push((text.to_owned(), value.clone()));
        }
        value
    })
}

/// Error codes (Node's `error.cause.code`) that mean no connection was made.
const REFUSED_CODES: [&str; 4] = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"];

/// Sends `outgoing` with the global `fetch`, aborted by `signal`.
pub(super) async fn send(
    outgoing: &Outgoing<'_>,
    signal: web_sys::AbortSignal,
) -> Result<WireResponse, Failure> {
    // A plain object: undici converts it several times faster than a
    // `Headers` instance (BENCHMARKS.md, "npm package ops/s").
    let headers = js_sys::Object::new();
    for (name, value) in &outgoing.headers {
        let value = if *name == SYNC_TOKEN || name.eq_ignore_ascii_case("authorization") {
            JsValue::from_str(value)
        } else {
            js_string(value)
        };
        js_sys::Reflect::set(&headers, &js_string(name), &value).map_err(|_| Failure::Refused)?;
    }
    // A JSON body goes as a string: undici sends a string body straight
    // away, while bytes go through a ReadableStream (BENCHMARKS.md, "npm
    // package ops/s"). Binary bodies (the path form) stay bytes.
    let body: JsValue = match std::str::from_utf8(outgoing.body) {
        Ok(text) if outgoing.json => JsValue::from_str(text),
        _ => js_sys::Uint8Array::from(outgoing.body).into(),
    };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&body);
    init.set_signal(Some(&signal));
    // The URL and token were validated with the config, so `fetch` cannot
    // refuse them; a rejection is about the connection.
    let response: web_sys::Response = JsFuture::from(global_fetch(&outgoing.url, &init))
        .await
        .map_err(|e| classify(&e))?
        .dyn_into()
        .map_err(|_| Failure::Other)?;
    let status = response.status();
    let sync_token = response.headers().get(SYNC_TOKEN).ok().flatten();
    let buffer = response.array_buffer().map_err(|_| Failure::Other)?;
    let buffer = JsFuture::from(buffer).await.map_err(|_| Failure::Other)?;
    Ok(WireResponse {
        status,
        body: js_sys::Uint8Array::new(&buffer).to_vec(),
        sync_token,
    })
}

/// Node (undici) rejects with `TypeError("fetch failed")` whose `cause.code`
/// says what happened; other hosts give no code, which counts as ambiguous.
fn classify(error: &JsValue) -> Failure {
    let code = js_sys::Reflect::get(error, &JsValue::from_str("cause"))
        .ok()
        .filter(|c| c.is_object())
        .and_then(|cause| js_sys::Reflect::get(&cause, &JsValue::from_str("code")).ok())
        .and_then(|c| c.as_string());
    match code {
        Some(code) if REFUSED_CODES.contains(&code.as_str()) => Failure::Refused,
        _ => Failure::Other,
    }
}
