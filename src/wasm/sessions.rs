//! The session store's export: [`WasmSessions`], behind the facade's
//! `Sessions` class.
//!
//! Owns: reading the facade's options (timeouts as milliseconds or
//! duration strings, cookie attributes, the signing secret), checking them
//! with typed errors, and carrying sessions across as JSON text (the
//! payload is the application's JSON; the record around it is built here).
//! Must not: touch keys itself; the layout, atomicity and cookie signing
//! are [`crate::session`]'s.

use std::sync::Arc;

use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use super::convert::whole;
use super::error::{session_error, to_js_error};
use super::promise;
use super::WasmClient;
use crate::clock::{Clock, SystemClock};
use crate::ratelimit::parse_duration;
use crate::session::{
    CookieConfig, SameSite, Session, SessionConfig, SessionError, SessionId, SessionStore,
};
use crate::Error;

/// Shortest signing secret accepted, in bytes (HMAC-SHA-256's block of
/// security: 256 bits).
const MIN_SECRET_LEN: usize = 32;

/// A session as the facade sees it (the id is the bearer secret the caller
/// puts in the cookie).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Out<'a> {
    id: &'a str,
    user: Option<&'a str>,
    created_at: u64,
    expires_at: u64,
    data: &'a serde_json::Value,
}

/// The application's payload, kept as the JSON text it came as (validated,
/// never turned into a tree).
type Data = serde_json::Value;

fn to_json(session: &Session<Data>) -> Result<JsValue, JsValue> {
    let out = Out {
        id: session.id.as_str(),
        user: session.user.as_deref(),
        created_at: session.created_ms,
        expires_at: session.expires_ms,
        data: &session.data,
    };
    serde_json::to_string(&out)
        .map(|s| JsValue::from_str(&s))
        .map_err(|_| session_error(&SessionError::Json))
}

/// `options[name]`, `undefined` when absent.
fn field(options: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(options, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// A timeout: whole milliseconds or a duration string (`"30 m"`).
fn duration(what: &str, value: &JsValue, default: u64) -> Result<u64, Error> {
    if value.is_undefined() || value.is_null() {
        Ok(default)
    } else if let Some(text) = value.as_string() {
        parse_duration(&text).map_err(|e| Error::config(what, e.to_string()))
    } else if let Some(n) = value.as_f64() {
        whole(what, n)
    } else {
        Err(Error::config(
            what,
            "must be milliseconds or a duration string",
        ))
    }
}

/// An optional string option; anything but a string or absence is refused.
fn text(what: &str, value: &JsValue) -> Result<Option<String>, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let s = value
        .as_string()
        .ok_or_else(|| Error::config(what, "must be a string"))?;
    // Printable ASCII without the cookie separators that would let it
    // spill into another attribute.
    let ok = !s.is_empty() && s.bytes().all(|b| (0x21..0x7f).contains(&b) && b != b';');
    if ok {
        Ok(Some(s))
    } else {
        Err(Error::config(
            what,
            "must be printable ASCII without spaces or ';'",
        ))
    }
}

/// An optional boolean option (default `default`).
fn flag(what: &str, value: &JsValue, default: bool) -> Result<bool, Error> {
    if value.is_undefined() || value.is_null() {
        Ok(default)
    } else {
        value
            .as_bool()
            .ok_or_else(|| Error::config(what, "must be a boolean"))
    }
}

/// The cookie settings from `options.cookie`.
fn cookie_config(cookie: &JsValue) -> Result<CookieConfig, Error> {
    let mut config = CookieConfig::default();
    if cookie.is_undefined() || cookie.is_null() {
        return Ok(config);
    }
    if let Some(name) = text("sessions.cookie.name", &field(cookie, "name"))? {
        // RFC 6265 token: no separators.
        if name.bytes().any(|b| b"()<>@,;:\\\"/[]?={}".contains(&b)) {
            return Err(Error::config(
                "sessions.cookie.name",
                "must be a cookie token (no separators)",
            ));
        }
        config.name = name;
    }
    if let Some(path) = text("sessions.cookie.path", &field(cookie, "path"))? {
        config.path = path;
    }
    config.domain = text("sessions.cookie.domain", &field(cookie, "domain"))?;
    config.same_site = match text("sessions.cookie.sameSite", &field(cookie, "sameSite"))?
        .map(|s| s.to_ascii_lowercase())
        .as_deref()
    {
        None | Some("lax") => SameSite::Lax,
        Some("strict") => SameSite::Strict,
        Some("none") => SameSite::None,
        Some(_) => {
            return Err(Error::config(
                "sessions.cookie.sameSite",
                "must be lax, strict or none",
            ))
        }
    };
    config.secure = flag("sessions.cookie.secure", &field(cookie, "secure"), true)?;
    config.http_only = flag("sessions.cookie.httpOnly", &field(cookie, "httpOnly"), true)?;
    if config.same_site == SameSite::None && !config.secure {
        return Err(Error::config(
            "sessions.cookie.sameSite",
            "SameSite=None requires secure",
        ));
    }
    let secret = field(cookie, "secret");
    if !secret.is_undefined() && !secret.is_null() {
        let key = if let Some(s) = secret.as_string() {
            s.into_bytes()
        } else if let Some(bytes) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Uint8Array>(&secret) {
            bytes.to_vec()
        } else {
            return Err(Error::config(
                "sessions.cookie.secret",
                "must be a string or Uint8Array",
            ));
        };
        if key.len() < MIN_SECRET_LEN {
            return Err(Error::config(
                "sessions.cookie.secret",
                "must be at least 32 bytes",
            ));
        }
        config = config.signed(&key);
    }
    Ok(config)
}

/// A Unix-millisecond timestamp handed back by the facade.
fn stamp(what: &str, n: f64) -> Result<u64, JsValue> {
    if n == 0.0 {
        return Ok(0);
    }
    whole(what, n).map_err(|e| to_js_error(&e))
}

fn parse_id(id: &str) -> Result<SessionId, JsValue> {
    SessionId::parse(id).map_err(|e| session_error(&e))
}

fn parse_data(json: &str) -> Result<Data, JsValue> {
    serde_json::from_str(json).map_err(|_| session_error(&SessionError::Json))
}

/// Sessions stored through one client (scoped to its workspace, if any).
#[wasm_bindgen]
pub struct WasmSessions {
    store: SessionStore,
    cookie: CookieConfig,
}

#[wasm_bindgen]
impl WasmSessions {
    /// A store over `client` with `options`: `idleTimeout` and
    /// `absoluteTimeout` (ms or `"30 m"`; defaults 30 minutes and 12
    /// hours) and `cookie` (`name`, `path`, `domain`, `sameSite`, `secure`,
    /// `httpOnly`, `secret` of 32+ bytes to sign values). Throws a
    /// `config` error naming the option, never its value.
    #[wasm_bindgen(constructor)]
    pub fn new(client: &WasmClient, options: &JsValue) -> Result<WasmSessions, JsValue> {
        let build = || -> Result<WasmSessions, Error> {
            let defaults = SessionConfig::default();
            let config = SessionConfig {
                idle_ms: duration(
                    "sessions.idleTimeout",
                    &field(options, "idleTimeout"),
                    defaults.idle_ms,
                )?,
                absolute_ms: duration(
                    "sessions.absoluteTimeout",
                    &field(options, "absoluteTimeout"),
                    defaults.absolute_ms,
                )?,
            };
            let cookie = cookie_config(&field(options, "cookie"))?;
            let store = SessionStore::new(client.client().clone(), config, Arc::new(SystemClock));
            Ok(WasmSessions { store, cookie })
        };
        build().map_err(|e| to_js_error(&e))
    }

    /// Creates a session for `user` (undefined: anonymous) holding the JSON
    /// text `data`; resolves to the session as JSON text.
    pub fn create(&self, user: Option<String>, data: &str) -> Result<js_sys::Promise, JsValue> {
        let data = parse_data(data)?;
        let store = self.store.clone();
        Ok(promise(async move {
            let session = store
                .create(user.as_deref(), &data)
                .await
                .map_err(|e| session_error(&e))?;
            to_json(&session)
        }))
    }

    /// Reads a session (sliding its idle timeout when `touch`); resolves to
    /// its JSON text, or null when it is gone. Throws on a malformed id.
    pub fn get(&self, id: &str, touch: bool) -> Result<js_sys::Promise, JsValue> {
        let id = parse_id(id)?;
        let store = self.store.clone();
        Ok(promise(async move {
            let found = if touch {
                store.get_and_touch::<Data>(&id).await
            } else {
                store.get::<Data>(&id).await
            }
            .map_err(|e| session_error(&e))?;
            match found {
                Some(session) => to_json(&session),
                None => Ok(JsValue::NULL),
            }
        }))
    }

    /// Slides the idle timeout; resolves to false when the session is gone.
    pub fn touch(&self, id: &str) -> Result<js_sys::Promise, JsValue> {
        let id = parse_id(id)?;
        let store = self.store.clone();
        Ok(promise(async move {
            let alive = store.touch(&id).await.map_err(|e| session_error(&e))?;
            Ok(JsValue::from_bool(alive))
        }))
    }

    /// Replaces the payload of a live session (as `create`/`get` returned
    /// it, with new `data`), keeping its lifetime; false when gone.
    pub fn update(
        &self,
        id: &str,
        user: Option<String>,
        created_at: f64,
        expires_at: f64,
        data: &str,
    ) -> Result<js_sys::Promise, JsValue> {
        let session = rebuild(id, user, created_at, expires_at, data)?;
        let store = self.store.clone();
        Ok(promise(async move {
            let ok = store
                .update(&session)
                .await
                .map_err(|e| session_error(&e))?;
            Ok(JsValue::from_bool(ok))
        }))
    }

    /// Gives a session a new id, ending the old one in the same
    /// transaction; resolves to the new session's JSON text, or null.
    pub fn regenerate(
        &self,
        id: &str,
        user: Option<String>,
        created_at: f64,
        expires_at: f64,
        data: &str,
    ) -> Result<js_sys::Promise, JsValue> {
        let session = rebuild(id, user, created_at, expires_at, data)?;
        let store = self.store.clone();
        Ok(promise(async move {
            match store
                .regenerate(&session)
                .await
                .map_err(|e| session_error(&e))?
            {
                Some(session) => to_json(&session),
                None => Ok(JsValue::NULL),
            }
        }))
    }

    /// Ends a session. With `known` the caller passes the session's `user`
    /// (one round trip); without, the owner is read first (two). Resolves
    /// to true when it was alive.
    pub fn destroy(
        &self,
        id: &str,
        user: Option<String>,
        known: bool,
    ) -> Result<js_sys::Promise, JsValue> {
        let id = parse_id(id)?;
        let store = self.store.clone();
        Ok(promise(async move {
            let alive = if known {
                let session = Session {
                    id,
                    user,
                    created_ms: 0,
                    expires_ms: 0,
                    data: (),
                };
                store.destroy(&session).await
            } else {
                store.destroy_id(&id).await
            }
            .map_err(|e| session_error(&e))?;
            Ok(JsValue::from_bool(alive))
        }))
    }

    /// Ends every session of `user`; resolves to how many were alive.
    #[wasm_bindgen(js_name = destroyUser)]
    pub fn destroy_user(&self, user: String) -> js_sys::Promise {
        let store = self.store.clone();
        promise(async move {
            let n = store
                .destroy_user(&user)
                .await
                .map_err(|e| session_error(&e))?;
            Ok(JsValue::from_f64(n as f64))
        })
    }

    /// The `Set-Cookie` value carrying session `id` (signed when a secret
    /// is set) until `expires_at` (Unix ms).
    #[wasm_bindgen(js_name = setCookie)]
    pub fn set_cookie(&self, id: &str, expires_at: f64) -> Result<String, JsValue> {
        let session = Session {
            id: parse_id(id)?,
            user: None,
            created_ms: 0,
            expires_ms: stamp("session.expiresAt", expires_at)?,
            data: (),
        };
        self.cookie
            .set_cookie(&session, SystemClock.now_ms())
            .map_err(|e| session_error(&e))
    }

    /// The `Set-Cookie` value that deletes the cookie.
    #[wasm_bindgen(js_name = clearCookie)]
    pub fn clear_cookie(&self) -> String {
        self.cookie.clear_cookie()
    }

    /// The session id in a request's `Cookie` header: undefined when the
    /// cookie is absent; throws (`bad_signature`, `malformed_id`) when it
    /// is present but forged or malformed.
    #[wasm_bindgen(js_name = idFromCookie)]
    pub fn id_from_cookie(&self, header: &str) -> Result<Option<String>, JsValue> {
        let id = self
            .cookie
            .id_from_header(header)
            .map_err(|e| session_error(&e))?;
        Ok(id.map(|id| id.as_str().to_owned()))
    }
}

/// A session as the facade hands it back (its fields, `data` as JSON
/// text), checked like every other argument.
fn rebuild(
    id: &str,
    user: Option<String>,
    created_at: f64,
    expires_at: f64,
    data: &str,
) -> Result<Session<Data>, JsValue> {
    Ok(Session {
        id: parse_id(id)?,
        user,
        created_ms: stamp("session.createdAt", created_at)?,
        expires_ms: stamp("session.expiresAt", expires_at)?,
        data: parse_data(data)?,
    })
}
