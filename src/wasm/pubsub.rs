//! Pub/sub for the npm package: `WasmClient.subscribe` / `psubscribe` and
//! the `WasmSubscription` they resolve to (feature `wasm`, wasm32 only).
//!
//! Owns: adapting [`Subscription`] to promises: `next()` resolves to
//! `{ channel, pattern, payload }` (`payload` a `Uint8Array`, exact bytes;
//! `channel`/`pattern` strings, lossy for non-UTF-8 names) or `null` once
//! the stream ended, and rejects once with the stream's error. `close()`
//! ends the HTTP request at once, even while a `next()` is pending (which
//! then resolves to `null`). Must not: parse SSE or events (the library
//! does).

use std::cell::RefCell;
use std::future::poll_fn;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Poll, Waker};

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::error::{to_js_error, type_error};
use super::promise;
use super::WasmClient;
use crate::protocol::pubsub::StreamKind;
use crate::pubsub::{Message, Stream, Subscription};

/// A live subscription, as the facade holds it.
#[wasm_bindgen]
pub struct WasmSubscription {
    inner: Rc<RefCell<Shared>>,
}

/// What `next()` and `close()` share: the subscription (taken out while a
/// `next()` reads it) and the waker of that read, so `close()` can end it.
#[derive(Default)]
struct Shared {
    sub: Option<Subscription>,
    closed: bool,
    reader: Option<Waker>,
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
            inner: Rc::new(RefCell::new(Shared {
                sub: Some(sub),
                ..Shared::default()
            })),
        }
    }

    /// The next message, `null` after the end or `close()`; one call at a
    /// time.
    pub fn next(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        promise(async move {
            let taken = {
                let mut shared = inner.borrow_mut();
                if shared.closed {
                    return Ok(JsValue::NULL);
                }
                shared.sub.take()
            };
            let Some(mut sub) = taken else {
                return Err(type_error("next() while another next() is pending"));
            };
            // `None` here: closed while waiting (the request ends as `sub`
            // drops); `Some(item)`: what the stream gave.
            let item = poll_fn(|cx| {
                {
                    let mut shared = inner.borrow_mut();
                    if shared.closed {
                        return Poll::Ready(None);
                    }
                    shared.reader = Some(cx.waker().clone());
                }
                Pin::new(&mut sub).poll_next(cx).map(Some)
            })
            .await;
            let Some(item) = item else {
                return Ok(JsValue::NULL);
            };
            {
                let mut shared = inner.borrow_mut();
                shared.reader = None;
                if !shared.closed {
                    shared.sub = Some(sub);
                }
            }
            match item {
                None => Ok(JsValue::NULL),
                Some(Err(e)) => Err(to_js_error(&e)),
                Some(Ok(m)) => message_to_js(&m),
            }
        })
    }

    /// Unsubscribes: the HTTP request ends now, and a pending `next()`
    /// resolves to `null`.
    pub fn close(&self) {
        let reader = {
            let mut shared = self.inner.borrow_mut();
            shared.closed = true;
            shared.sub = None;
            shared.reader.take()
        };
        if let Some(waker) = reader {
            waker.wake();
        }
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
