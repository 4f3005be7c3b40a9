//! The session API: `POST /session/login`, `GET /session/me`,
//! `POST /session/logout`, on the library's [`SessionStore`] in the
//! request's workspace.
//!
//! Owns: the JSON shapes and the cookie: `sid`, signed with HMAC-SHA-256
//! under `SESSION_SECRET`, `Secure; HttpOnly; SameSite=Lax; Path=/`.
//! Production refuses to start without a secret (see the settings); outside
//! production a missing secret is replaced by 32 random bytes per isolate,
//! so cookies stop verifying when the isolate is replaced (fine for
//! development, and said once in the console).
//!
//! Must not: log or echo a session id, a cookie or the secret; a bad or
//! foreign cookie is simply not a session (401), with no detail.

use std::sync::Arc;

use ::worker::{Request, Response, Result};

use super::reply;
use super::settings::Settings;
use crate::clock::{Clock, SystemClock};
use crate::session::{CookieConfig, SessionConfig, SessionError, SessionStore};
use crate::Client;

/// Longest user name accepted, in bytes.
const MAX_USER_BYTES: usize = 128;

thread_local! {
    static DEV_KEY: std::cell::OnceCell<Option<Vec<u8>>> = const { std::cell::OnceCell::new() };
}

/// What a session holds besides its user: nothing yet.
type Data = serde_json::Value;

fn cookie_config(settings: &Settings) -> Option<CookieConfig> {
    let key = match &settings.session_secret {
        Some(secret) => secret.as_bytes().to_vec(),
        None => DEV_KEY.with(|k| {
            k.get_or_init(|| {
                tracing::warn!("SESSION_SECRET is not set: session cookies are signed with a random per-isolate key");
                let mut key = vec![0u8; 32];
                getrandom::fill(&mut key).ok().map(|()| key)
            })
            .clone()
        })?,
    };
    Some(CookieConfig::default().signed(&key))
}

fn store(client: &Client) -> SessionStore {
    SessionStore::new(
        client.clone(),
        SessionConfig::default(),
        Arc::new(SystemClock),
    )
}

fn failure(error: SessionError) -> Result<Response> {
    match error {
        SessionError::Redis(e) => reply::redis_failure(&e),
        _ => reply::error(500, "session store failed"),
    }
}

#[derive(serde::Deserialize)]
struct Login {
    user: String,
}

/// `POST /session/login` with `{"user": "<name>"}`: creates a session and
/// sets its cookie. 400 for a body without a usable user name.
pub(super) async fn login(
    mut req: Request,
    client: &Client,
    settings: &Settings,
) -> Result<Response> {
    let Some(cookies) = cookie_config(settings) else {
        return reply::error(500, "no random source for a session key");
    };
    let user = match req.json::<Login>().await {
        Ok(Login { user }) if is_user_name(&user) => user,
        _ => {
            return reply::error(
                400,
                "expected a JSON body {\"user\": \"<1 to 128 printable characters>\"}",
            )
        }
    };
    let session = match store(client).create(Some(&user), &Data::Null).await {
        Ok(session) => session,
        Err(e) => return failure(e),
    };
    let set_cookie = match cookies.set_cookie(&session, SystemClock.now_ms()) {
        Ok(value) => value,
        Err(e) => return failure(e),
    };
    let response = reply::json(
        200,
        &serde_json::json!({ "user": session.user, "expires_ms": session.expires_ms }),
    )?;
    response.headers().set("Set-Cookie", &set_cookie)?;
    response.headers().set("Cache-Control", "no-store")?;
    Ok(response)
}

/// `GET /session/me`: the signed-in user (and slides the idle timeout), or
/// 401 without a live session.
pub(super) async fn me(req: &Request, client: &Client, settings: &Settings) -> Result<Response> {
    let Some(cookies) = cookie_config(settings) else {
        return reply::error(500, "no random source for a session key");
    };
    let header = req.headers().get("Cookie")?.unwrap_or_default();
    let Ok(Some(id)) = cookies.id_from_header(&header) else {
        return reply::error(401, "no session");
    };
    match store(client).get_and_touch::<Data>(&id).await {
        Ok(Some(session)) => reply::json(
            200,
            &serde_json::json!({
                "user": session.user,
                "created_ms": session.created_ms,
                "expires_ms": session.expires_ms,
            }),
        ),
        Ok(None) => reply::error(401, "no session"),
        Err(e) => failure(e),
    }
}

/// `POST /session/logout`: destroys the session (if any) and clears the
/// cookie; 200 either way.
pub(super) async fn logout(
    req: &Request,
    client: &Client,
    settings: &Settings,
) -> Result<Response> {
    let Some(cookies) = cookie_config(settings) else {
        return reply::error(500, "no random source for a session key");
    };
    let header = req.headers().get("Cookie")?.unwrap_or_default();
    let destroyed = match cookies.id_from_header(&header) {
        Ok(Some(id)) => match store(client).destroy_id(&id).await {
            Ok(found) => found,
            Err(e) => return failure(e),
        },
        _ => false,
    };
    let response = reply::json(
        200,
        &serde_json::json!({ "ok": true, "destroyed": destroyed }),
    )?;
    response
        .headers()
        .set("Set-Cookie", &cookies.clear_cookie())?;
    Ok(response)
}

/// 1 to 128 bytes, no control characters.
fn is_user_name(user: &str) -> bool {
    (1..=MAX_USER_BYTES).contains(&user.len()) && !user.chars().any(char::is_control)
}
