//! A demo key-value route: `GET|PUT /kv/<key>` inside a workspace.
//!
//! The workspace comes from the `ws` header or `?ws=` and prefixes every key
//! as `ws:<id>:<key>`. The namespace module being built elsewhere will take
//! over the prefixing; until then it is done here, and only here.

use ::worker::{Request, Response, Result};

use super::reply;
use super::state::Isolate;
use crate::commands::StringCommands;

/// Longest key accepted after the `/kv/` prefix, in bytes.
const MAX_KEY_BYTES: usize = 512;

/// The stored value as `application/octet-stream`, or 404.
pub(super) async fn get(req: &Request, isolate: &Isolate) -> Result<Response> {
    let key = match namespaced_key(req) {
        Ok(key) => key,
        Err(message) => return reply::error(400, message),
    };
    match isolate.client.get(key).await {
        Ok(Some(value)) => {
            let headers = ::worker::Headers::new();
            headers.set("Content-Type", "application/octet-stream")?;
            Ok(Response::from_bytes(value)?.with_headers(headers))
        }
        Ok(None) => reply::error(404, "no such key"),
        Err(e) => reply::redis_failure(&e),
    }
}

/// Stores the request body under the key.
pub(super) async fn put(mut req: Request, isolate: &Isolate) -> Result<Response> {
    let key = match namespaced_key(&req) {
        Ok(key) => key,
        Err(message) => return reply::error(400, message),
    };
    let value = req.bytes().await?;
    match isolate.client.set(key, value).await {
        Ok(()) => reply::json(200, &serde_json::json!({ "ok": true })),
        Err(e) => reply::redis_failure(&e),
    }
}

/// `ws:<id>:<key>`, or why the request is refused.
fn namespaced_key(req: &Request) -> std::result::Result<Vec<u8>, &'static str> {
    let ws = workspace(req).ok_or("missing workspace: send a ws header or ?ws=")?;
    if !is_workspace_id(&ws) {
        return Err("invalid workspace: expected 1 to 64 of A-Z a-z 0-9 _ -");
    }
    let path = req.path();
    let raw = path.strip_prefix("/kv/").unwrap_or("");
    let key: Vec<u8> = percent_encoding::percent_decode_str(raw).collect();
    if key.is_empty() || key.len() > MAX_KEY_BYTES {
        return Err("invalid key: expected 1 to 512 bytes after /kv/");
    }
    let mut full = format!("ws:{ws}:").into_bytes();
    full.extend_from_slice(&key);
    Ok(full)
}

fn workspace(req: &Request) -> Option<String> {
    if let Ok(Some(ws)) = req.headers().get("ws") {
        return Some(ws);
    }
    let url = req.url().ok()?;
    url.query_pairs()
        .find(|(name, _)| name == "ws")
        .map(|(_, v)| v.into_owned())
}

/// `[A-Za-z0-9_-]{1,64}`.
fn is_workspace_id(ws: &str) -> bool {
    (1..=64).contains(&ws.len())
        && ws
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}
