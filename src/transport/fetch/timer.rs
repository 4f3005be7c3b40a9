//! `setTimeout` for wasm32 hosts: request deadlines and retry sleeps.
//!
//! Bound to the global functions directly (not `window.setTimeout`), so the
//! same code runs in Workers, Node, Deno and browsers.

use std::cell::{Cell, RefCell};
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

/// Longest a deadline may fire early so that requests started close
/// together can share one `AbortSignal` (1/64 of the timeout, at most 16 ms).
fn slack_ms(timeout_ms: f64) -> f64 {
    (timeout_ms / 64.0).min(16.0)
}

/// Requests sharing one signal at most: undici warns past 1500 listeners.
const MAX_SHARERS: usize = 1000;

/// One `AbortController` and the timer that aborts it, shared by the
/// requests that started within [`slack_ms`] of it (Node's `fetch` spends
/// about as long wiring a fresh signal into a request as the rest of the
/// client does; BENCHMARKS.md, "npm package ops/s").
struct Shared {
    /// The controller's signal, read once: every sharer hands it to
    /// `fetch`, and reading it is a call into the host each time. (The
    /// controller itself lives on in the timer callback.)
    signal: web_sys::AbortSignal,
    timer: JsValue,
    fired: Rc<Cell<bool>>,
    started_ms: f64,
    timeout_ms: f64,
    sharers: Cell<usize>,
    // Kept alive until the timer is cleared: the host calls into it.
    _callback: Closure<dyn FnMut()>,
}

thread_local! {
    /// The signal new requests may join (wasm32 is single-threaded).
    static CURRENT: RefCell<Option<Rc<Shared>>> = const { RefCell::new(None) };
}

impl Shared {
    fn start(timeout_ms: f64, now_ms: f64) -> Result<Self, JsValue> {
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
        let timer = set_timeout(callback.as_ref().unchecked_ref(), timeout_ms);
        let signal = controller.signal();
        Ok(Self {
            signal,
            timer,
            fired,
            started_ms: now_ms,
            timeout_ms,
            sharers: Cell::new(1),
            _callback: callback,
        })
    }

    fn joinable(&self, timeout_ms: f64, now_ms: f64) -> bool {
        self.timeout_ms == timeout_ms
            && !self.fired.get()
            && self.sharers.get() < MAX_SHARERS
            && (self.started_ms..=self.started_ms + slack_ms(timeout_ms)).contains(&now_ms)
    }
}

/// An `AbortSignal` that fires after a timeout (at most [`slack_ms`]
/// early), and the timer behind it.
///
/// Dropping the last deadline sharing a signal clears its timer, so
/// finished requests leave no pending timeout behind (Workers count those
/// against the request).
pub(crate) struct Deadline {
    shared: Rc<Shared>,
}

impl Deadline {
    /// Starts a timer, or joins the one a request started just before.
    pub(crate) fn arm(timeout: Duration) -> Result<Self, JsValue> {
        let timeout_ms = millis(timeout);
        let now_ms = js_sys::Date::now();
        CURRENT.with(|current| {
            let mut current = current.borrow_mut();
            if let Some(shared) = current.as_ref().filter(|s| s.joinable(timeout_ms, now_ms)) {
                shared.sharers.set(shared.sharers.get() + 1);
                return Ok(Self {
                    shared: Rc::clone(shared),
                });
            }
            let shared = Rc::new(Shared::start(timeout_ms, now_ms)?);
            *current = Some(Rc::clone(&shared));
            Ok(Self { shared })
        })
    }

    /// The signal to hand to `fetch`.
    pub(crate) fn signal(&self) -> web_sys::AbortSignal {
        self.shared.signal.clone()
    }

    /// True once the timeout has passed (and the request was aborted).
    pub(crate) fn fired(&self) -> bool {
        self.shared.fired.get()
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        let left = self.shared.sharers.get().saturating_sub(1);
        self.shared.sharers.set(left);
        if left == 0 {
            clear_timeout(&self.shared.timer);
            CURRENT.with(|current| {
                let mut current = current.borrow_mut();
                if current
                    .as_ref()
                    .is_some_and(|c| Rc::ptr_eq(c, &self.shared))
                {
                    *current = None;
                }
            });
        }
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
