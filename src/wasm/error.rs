//! Errors handed to JavaScript: instances of the facade's `EdgestashError`
//! class (an `Error` subclass registered once by [`set_error_class`]) with
//! `kind` (the category: `redis`, `namespace`, `session`...), `code` (the
//! specific reason: `invalid_workspace_id`, `malformed_id`, `timeout`...)
//! and, for Redis errors, `redisKind` (`WRONGTYPE`...) and `redisMessage`
//! (the server's text, sanitised of quoted values).
//!
//! Owns: the mapping of [`Error`] and [`SessionError`] to those fields.
//! Must not: put anything in a message that the library's own `Display`
//! does not (no argument values, ids or tokens).

use std::cell::RefCell;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::error::{NamespaceRefusal, TransportErrorKind};
use crate::session::SessionError;
use crate::Error;

thread_local! {
    /// The facade's `EdgestashError` constructor (wasm32 is single-threaded).
    static ERROR_CLASS: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Registers the class every error is built with: called once by each
/// entry of the facade right after the module is instantiated, with a
/// constructor taking `(message, kind, code)`.
#[wasm_bindgen(js_name = setErrorClass)]
pub fn set_error_class(class: js_sys::Function) {
    ERROR_CLASS.with(|c| *c.borrow_mut() = Some(class));
}

/// An `EdgestashError` with `message`, `kind` and `code`; a plain `Error`
/// named `EdgestashError` when no class was registered.
pub(super) fn edgestash_error(message: &str, kind: &str, code: &str) -> JsValue {
    let args = js_sys::Array::of3(&message.into(), &kind.into(), &code.into());
    let built = ERROR_CLASS.with(|c| {
        c.borrow()
            .as_ref()
            .and_then(|class| js_sys::Reflect::construct(class, &args).ok())
    });
    built.unwrap_or_else(|| {
        let js = js_sys::Error::new(message);
        js.set_name("EdgestashError");
        let _ = js_sys::Reflect::set(&js, &"kind".into(), &kind.into());
        let _ = js_sys::Reflect::set(&js, &"code".into(), &code.into());
        js.into()
    })
}

/// The JavaScript form of a library error.
pub(super) fn to_js_error(error: &Error) -> JsValue {
    let js = edgestash_error(&error.to_string(), error.kind_label(), code(error));
    if let Error::Redis { kind, message, .. } = error {
        let _ = js_sys::Reflect::set(&js, &"redisKind".into(), &kind.as_str().into());
        // Redis's own text (`NOSCRIPT No matching script...`), already
        // sanitised of quoted values: @upstash/redis's messages carry it.
        let _ = js_sys::Reflect::set(&js, &"redisMessage".into(), &message.as_str().into());
    }
    js
}

/// The JavaScript form of a session error (`kind: "session"` unless Redis
/// or the transport failed).
pub(super) fn session_error(error: &SessionError) -> JsValue {
    let code = match error {
        SessionError::Redis(e) => return to_js_error(e),
        SessionError::MalformedId => "malformed_id",
        SessionError::BadSignature => "bad_signature",
        SessionError::Random => "random_unavailable",
        SessionError::IdCollision => "id_collision",
        SessionError::Json => "json",
    };
    edgestash_error(&error.to_string(), "session", code)
}

/// A `TypeError` for arguments of the wrong JavaScript type.
pub(super) fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// The specific reason, where the category has several.
fn code(error: &Error) -> &'static str {
    match error {
        Error::Namespace { reason, .. } => refusal_code(*reason),
        Error::Transport { kind, .. } => match kind {
            TransportErrorKind::Connect => "connect",
            TransportErrorKind::Timeout => "timeout",
            TransportErrorKind::Status(_) => "status",
            TransportErrorKind::Io => "io",
            TransportErrorKind::Redirect => "redirect",
        },
        other => other.kind_label(),
    }
}

fn refusal_code(reason: NamespaceRefusal) -> &'static str {
    match reason {
        NamespaceRefusal::InvalidWorkspaceId => "invalid_workspace_id",
        NamespaceRefusal::UnknownCommand => "unknown_command",
        NamespaceRefusal::Forbidden => "forbidden",
        NamespaceRefusal::ForbiddenOption => "forbidden_option",
        NamespaceRefusal::UnregisteredScript => "unregistered_script",
        NamespaceRefusal::MalformedArguments => "malformed_arguments",
        NamespaceRefusal::KeyMarkMismatch => "key_mark_mismatch",
        NamespaceRefusal::AlreadyScoped => "already_scoped",
    }
}
