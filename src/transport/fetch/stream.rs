//! Streaming `fetch` for subscriptions: the response body read through its
//! `ReadableStream`, chunk by chunk, on every wasm32 host (Workers, Node,
//! Deno, browsers all have the global `fetch` and body streams).
//!
//! Owns: opening the request with an `AbortController` and aborting it
//! when the stream is dropped, so unsubscribing ends the HTTP request on
//! the host too. Deadlines: the response headers within the request
//! timeout, then each chunk within the subscription's idle timeout (the
//! server sends keepalives), so a dead connection becomes a timeout error instead
//! of a stall. Otherwise a subscription lasts as long as its owner keeps it.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use std::time::Duration;

use super::timer::Watchdog;
use super::{error, Failure};
use crate::error::{Error, Result, StreamErrorKind, TransportErrorKind};

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch_for_stream(request: &web_sys::Request) -> js_sys::Promise;
}

/// An open streaming response.
#[derive(Debug)]
pub struct FetchStream {
    reader: web_sys::ReadableStreamDefaultReader,
    controller: web_sys::AbortController,
}

/// What the server answered to the request.
pub(super) enum Opened {
    /// 200: the body streams; `base64` when the fields are base64.
    Stream(FetchStream, bool),
    /// Anything else, with the whole (error) body.
    Refused(u16, Vec<u8>),
}

/// Sends the streaming request; the answer's headers must come within `timeout`.
pub(super) async fn open(
    url: &str,
    headers: &[(&str, &str)],
    timeout: Duration,
) -> Result<Opened, Failure> {
    let controller = web_sys::AbortController::new().map_err(|_| Failure::Refused)?;
    let _watchdog = Watchdog::arm(&controller, timeout);
    let h = web_sys::Headers::new().map_err(|_| Failure::Refused)?;
    for (name, value) in headers {
        h.set(name, value).map_err(|_| Failure::Refused)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&h);
    init.set_signal(Some(&controller.signal()));
    let request =
        web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| Failure::Refused)?;
    let response: web_sys::Response = JsFuture::from(global_fetch_for_stream(&request))
        .await
        .map_err(|_| Failure::Other)?
        .dyn_into()
        .map_err(|_| Failure::Other)?;
    let status = response.status();
    if status != 200 {
        let buffer = response.array_buffer().map_err(|_| Failure::Other)?;
        let buffer = JsFuture::from(buffer).await.map_err(|_| Failure::Other)?;
        return Ok(Opened::Refused(
            status,
            js_sys::Uint8Array::new(&buffer).to_vec(),
        ));
    }
    let base64 = response
        .headers()
        .get(crate::protocol::pubsub::ENCODING_HEADER)
        .ok()
        .flatten()
        .is_some_and(|v| v.eq_ignore_ascii_case("base64"));
    let body = response.body().ok_or(Failure::Other)?;
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    Ok(Opened::Stream(FetchStream { reader, controller }, base64))
}

impl FetchStream {
    /// The next chunk of the body within `idle`; `None` when it ended.
    pub async fn next_chunk(&mut self, idle: Duration) -> Option<Result<Vec<u8>>> {
        let watchdog = Watchdog::arm(&self.controller, idle);
        let read = JsFuture::from(self.reader.read()).await;
        let timed_out = watchdog.fired();
        drop(watchdog);
        let result = match read {
            Ok(r) => r,
            Err(_) if timed_out => return Some(Err(error(TransportErrorKind::Timeout))),
            Err(_) => return Some(Err(error(TransportErrorKind::Io))),
        };
        let done = js_sys::Reflect::get(&result, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return None;
        }
        match js_sys::Reflect::get(&result, &JsValue::from_str("value")) {
            Ok(value) if value.is_instance_of::<js_sys::Uint8Array>() => {
                Some(Ok(value.unchecked_into::<js_sys::Uint8Array>().to_vec()))
            }
            _ => Some(Err(Error::Stream {
                reason: StreamErrorKind::Malformed("body chunk is not bytes"),
            })),
        }
    }
}

impl Drop for FetchStream {
    fn drop(&mut self) {
        // Ends the HTTP request; the pending read (if any) rejects, unobserved.
        self.controller.abort();
    }
}
