//! `setTimeout` for wasm32 hosts: request deadlines and retry sleeps.
//!
//! Bound to the global functions directly (not `window.setTimeout`), so the
//! same code runs in Workers, Node, Deno and browsers.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

fn millis(duration: Duration) -> f64 {
    // setTimeout's bound is 2^31-1 ms; longer waits would fire at once.
    duration.as_millis().min(2_147_483_647) as f64
}

/// An `AbortSignal` that fires after a timeout, and the timer behind it.
///
/// Dropping the deadline clears the timer, so a finished request leaves no
/// pending timeout behind (Workers count those against the request).
pub(crate) struct Deadline {
    controller: web_sys::AbortController,
    timer: JsValue,
    fired: Rc<Cell<bool>>,
    // Kept alive until the timer is cleared: the host calls into it.
    _callback: Closure<dyn FnMut()>,
}

impl Deadline {
    /// Starts the timer.
    pub(crate) fn arm(timeout: Duration) -> Result<Self, JsValue> {
        let controller = web_sys::AbortController::new()?;
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
        Ok(Self {
            controller,
            timer,
            fired,
            _callback: callback,
        })
    }

    /// The signal to hand to `fetch`.
    pub(crate) fn signal(&self) -> web_sys::AbortSignal {
        self.controller.signal()
    }

    /// True once the timeout has passed (and the request was aborted).
    pub(crate) fn fired(&self) -> bool {
        self.fired.get()
    }
}

impl Drop for Deadline {
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
