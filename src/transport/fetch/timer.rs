//! `setTimeout` for wasm32 hosts: retry sleeps, and the [`Watchdog`] that
//! aborts a request (the Workers backend's) or a subscription read that
//! takes too long.
//!
//! Bound to the global functions directly (not `window.setTimeout`), so the
//! same code runs in Workers, Node, Deno and browsers.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::millis;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// A timer that aborts `controller` after a timeout; cleared on drop, so a
/// request or read that finished in time leaves no pending timeout behind
/// (Node would otherwise stay alive for it; Workers count them).
pub(super) struct Watchdog {
    timer: JsValue,
    fired: Rc<Cell<bool>>,
    // Kept alive until the timer is cleared: the host calls into it.
    _callback: Closure<dyn FnMut()>,
}

impl Watchdog {
    /// Starts the timer.
    pub(super) fn arm(controller: &web_sys::AbortController, timeout: Duration) -> Self {
        let fired = Rc::new(Cell::new(false));
        let callback = {
            let controller = controller.clone();
            let fired = Rc::clone(&fired);
            Closure::<dyn FnMut()>::new(move || {
                fired.set(true);
                controller.abort();
            })
        };
        let timer = set_timeout(callback.as_ref().unchecked_ref(), millis(timeout));
        Self {
            timer,
            fired,
            _callback: callback,
        }
    }

    /// True once the timeout passed (and the controller was aborted).
    pub(super) fn fired(&self) -> bool {
        self.fired.get()
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
    }
}

/// Resolves after `duration`.
pub(crate) async fn sleep(duration: Duration) {
    let ms = millis(duration);
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        set_timeout(&resolve, ms);
    });
    // The promise only ever resolves.
    let _ = JsFuture::from(promise).await;
}
