//! The Cloudflare Worker entry (feature `worker`, wasm32 only).
//!
//! Owns: the `#[event(fetch)]` handler and the route table, the one place
//! that says which path runs what. Configuration comes from the Worker env
//! through [`Config::from_lookup`](crate::Config::from_lookup), so the
//! Worker obeys exactly the rules of every other entry point. Must not: talk
//! to Redis except through [`Client`](crate::Client), or put a secret or a
//! stored value in a log line or an error body.
//!
//! Routes (more come later: cache in front of `ORIGIN_URL`, rate limiting,
//! sessions):
//!
//! | method | path | handler |
//! |---|---|---|
//! | GET | `/health/redis`, `/api/v1/health/redis` | [`health::redis`] |
//! | GET | `/readyz` | [`health::ready`] |
//! | GET | `/api/v1/admin/redis-metrics` | [`admin::metrics`] (bearer `ADMIN_TOKEN`) |
//! | GET, PUT | `/kv/<key>` (`ws` header or query) | [`kv::get`], [`kv::put`] |

mod admin;
mod health;
mod kv;
mod reply;
mod state;

use ::worker::{event, Context, Env, Method, Request, Response, Result};

use state::Isolate;

/// Handles one request: configuration first, then the route table.
#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let isolate = match Isolate::load(&env) {
        Ok(isolate) => isolate,
        Err(refusal) => return refusal.response(),
    };
    let path = req.path();
    match (req.method(), path.as_str()) {
        (Method::Get, "/health/redis" | "/api/v1/health/redis") => health::redis(&isolate).await,
        (Method::Get, "/readyz") => health::ready(&isolate).await,
        (Method::Get, "/api/v1/admin/redis-metrics") => admin::metrics(&req, &env, &isolate),
        (Method::Get, p) if p.starts_with("/kv/") => kv::get(&req, &isolate).await,
        (Method::Put, p) if p.starts_with("/kv/") => kv::put(req, &isolate).await,
        (
            _,
            "/health/redis" | "/api/v1/health/redis" | "/readyz" | "/api/v1/admin/redis-metrics",
        ) => reply::error(405, "method not allowed"),
        (_, p) if p.starts_with("/kv/") => reply::error(405, "method not allowed"),
        _ => reply::error(404, "no such route"),
    }
}
