//! The npm backend of the fetch transport: the host's global `fetch`
//! (Node 18+, Deno, browsers, Workers), through web-sys types.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{Failure, Outgoing, SYNC_TOKEN};
use crate::transport::WireResponse;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    // The global `fetch`, not `window.fetch`: Node and Workers have no window.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> js_sys::Promise;
}

/// Error codes (Node's `error.cause.code`) that mean no connection was made.
const REFUSED_CODES: [&str; 4] = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"];

/// Sends `outgoing` with the global `fetch`, aborted by `signal`.
pub(super) async fn send(
    outgoing: &Outgoing<'_>,
    signal: web_sys::AbortSignal,
) -> Result<WireResponse, Failure> {
    let headers = web_sys::Headers::new().map_err(|_| Failure::Refused)?;
    for (name, value) in &outgoing.headers {
        headers.set(name, value).map_err(|_| Failure::Refused)?;
    }
    let body = js_sys::Uint8Array::from(outgoing.body);
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&body);
    init.set_signal(Some(&signal));
    // An invalid URL or header fails here, before anything is sent.
    let request = web_sys::Request::new_with_str_and_init(&outgoing.url, &init)
        .map_err(|_| Failure::Refused)?;
    let response: web_sys::Response = JsFuture::from(global_fetch(&request))
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
