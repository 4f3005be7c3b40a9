//! Pub/sub for the npm package: `WasmClient.subscribe` / `psubscribe` and
//! the `WasmSubscription` they resolve to (feature `wasm`, wasm32 only).
//!
//! Owns: adapting [`Subscription`] to promises: `next()` resolves to
//! `{ channel, pattern, payload }` (`payload` a `Uint8Array`, exact bytes;
//! `channel`/`pattern` strings, lossy for non-UTF-8 names) or `null` once
//! the stream ended, and rejects once with the stream's error. `close()`
//! ends the HTTP request. Must not: parse SSE or events (the library does).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::error::{to_js_error, type_error};
use super::promise;
use super::WasmClient;
use crate::protocol::pubsub::StreamKind;
use crate::pubsub::{Message, Subscription};

/// A live subscription, as the facade holds it.
#[wasm_bindgen]
pub struct WasmSubscription {
    inner: Rc<RefCell<Option<Subscription>>>,
}

#[wasm_bindgen]
impl WasmClient {
    /// Subscribes to `channels` (strings); resolves once all are confirmed.
    pub fn subscribe(&self, channels: Vec<String>) -> js_sys::Promise {
        self.open(StreamKind::Subscribe, channels)
    }

    /// Subscribes to channels matching the glob `patterns` (strings).
    pub fn psubscribe(&self, patterns: Vec<String>) -> js_sys::Promise {
        self.open(StreamKind::PSubscribe, patterns)
    }
}

impl WasmClient {
    fn open(&self, kind: StreamKind, targets: Vec<String>) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move {
            let sub = match kind {
                StreamKind::PSubscribe => client.psubscribe(targets).await,
                _ => client.subscribe(targets).await,
            }
            .map_err(|e| to_js_error(&e))?;
            Ok(WasmSubscription::wrap(sub).into())
        })
    }
}

#[wasm_bindgen]
impl WasmSubscription {
    fn wrap(sub: Subscription) -> Self {
        Self {
            inner: Rc::new(RefCell::new(Some(sub))),
        }
    }

    /// The next message, `null` after the end; one call at a time.
    pub fn next(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        promise(async move {
            let taken = inner.borrow_mut().take();
            let Some(mut sub) = taken else {
                return Err(type_error(
                    "next() while another next() is pending, or after close()",
                ));
            };
            let item = sub.next().await;
            *inner.borrow_mut() = Some(sub);
            match item {
                None => Ok(JsValue::NULL),
                Some(Err(e)) => Err(to_js_error(&e)),
                Some(Ok(m)) => message_to_js(&m),
            }
        })
    }

    /// Unsubscribes: the HTTP request ends now.
    pub fn close(&self) {
        self.inner.borrow_mut().take();
    }
}

fn message_to_js(m: &Message) -> Result<JsValue, JsValue> {
    let out = js_sys::Object::new();
    let set = |name: &str, value: &JsValue| {
        js_sys::Reflect::set(&out, &JsValue::from_str(name), value).map(|_| ())
    };
    set(
        "channel",
        &JsValue::from_str(&String::from_utf8_lossy(&m.channel)),
    )?;
    let pattern = match &m.pattern {
        Some(p) => JsValue::from_str(&String::from_utf8_lossy(p)),
        None => JsValue::NULL,
    };
    set("pattern", &pattern)?;
    set(
        "payload",
        &js_sys::Uint8Array::from(m.payload.as_slice()).into(),
    )?;
    Ok(out.into())
}
