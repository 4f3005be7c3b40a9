//! The Cloudflare Worker entry (feature `worker`, wasm32 only): an edge
//! gateway in front of `ORIGIN_URL`, with its state in Redis.
//!
//! Owns: the `#[event(fetch)]` handler and the route table, the one place
//! that says which path runs what. Configuration comes from the Worker env:
//! Redis through [`Config::from_lookup`](crate::Config::from_lookup), so the
//! Worker obeys exactly the rules of every other entry point, and the
//! gateway's own variables through `settings` (its table lists them). An
//! invalid configuration answers 503 on every route, naming each variable
//! at fault (never its value). Must not: talk to Redis except through
//! [`Client`](crate::Client), or put a secret or a stored value in a log
//! line or an error body.
//!
//! Operations routes (no workspace, not rate limited):
//!
//! | method | path | handler |
//! |---|---|---|
//! | GET | `/health/redis`, `/api/v1/health/redis` | [`health::redis`] |
//! | GET | `/readyz` | [`health::ready`] |
//! | GET | `/api/v1/admin/redis-metrics` | [`admin::redis_metrics`] (admin token) |
//! | GET | `/dashboard`, `/metrics.json` | [`admin::dashboard_page`], [`admin::dashboard_data`] (admin token) |
//!
//! Gateway routes, in the request's workspace (`X-Workspace` or
//! `DEFAULT_WORKSPACE`, see [`workspace`]) and rate limited per client
//! ([`ratelimit`]; its headers on every answer, 429 when refused):
//!
//! | method | path | handler |
//! |---|---|---|
//! | POST | `/session/login` | [`session::login`] |
//! | GET | `/session/me` | [`session::me`] |
//! | POST | `/session/logout` | [`session::logout`] |
//! | GET | under `CACHE_PREFIXES` | [`cache::get`]: from Redis (`X-Cache: HIT`) or the origin (`MISS`) |
//! | any | anything else | [`proxy::forward`] to the origin, uncached (`X-Cache: BYPASS`) |

mod admin;
mod cache;
mod health;
mod proxy;
mod ratelimit;
mod reply;
mod session;
mod settings;
mod state;
mod workspace;

use ::worker::{event, Context, Env, Method, Request, Response, Result};

use settings::Settings;
use state::Isolate;

/// Handles one request: logging and configuration first, then the routes.
#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    crate::transport::init_console(state::lookup(&env, "LOG_LEVEL").as_deref());
    let (isolate, settings) = match Isolate::load(&env) {
        Ok(loaded) => loaded,
        Err(refusal) => return refusal.response(),
    };
    let path = req.path();
    match (req.method(), path.as_str()) {
        (Method::Get, "/health/redis" | "/api/v1/health/redis") => health::redis(&isolate).await,
        (Method::Get, "/readyz") => health::ready(&isolate).await,
        (Method::Get, "/api/v1/admin/redis-metrics") => {
            admin::guarded(&req, &settings, || admin::redis_metrics(&isolate))
        }
        (Method::Get, "/dashboard") => admin::guarded(&req, &settings, admin::dashboard_page),
        (Method::Get, "/metrics.json") => {
            admin::guarded(&req, &settings, || admin::dashboard_data(&isolate))
        }
        (
            _,
            "/health/redis"
            | "/api/v1/health/redis"
            | "/readyz"
            | "/api/v1/admin/redis-metrics"
            | "/dashboard"
            | "/metrics.json",
        ) => reply::error(405, "method not allowed"),
        _ => gateway(req, &isolate, &settings).await,
    }
}

/// Workspace, rate limit, then the session API or the origin.
async fn gateway(mut req: Request, isolate: &Isolate, settings: &Settings) -> Result<Response> {
    let client = match workspace::scoped(&req, &isolate.client, settings)? {
        Ok(client) => client,
        Err(refused) => return Ok(refused),
    };
    let allowed = match ratelimit::check(&req, &client, settings).await? {
        ratelimit::Verdict::Allow(headers) => headers,
        ratelimit::Verdict::Refuse(response) => return Ok(response),
    };
    let path = req.path();
    let response = match (req.method(), path.as_str()) {
        (Method::Post, "/session/login") => session::login(req, &client, settings).await?,
        (Method::Get, "/session/me") => session::me(&req, &client, settings).await?,
        (Method::Post, "/session/logout") => session::logout(&req, &client, settings).await?,
        (_, "/session/login" | "/session/me" | "/session/logout") => {
            reply::error(405, "method not allowed")?
        }
        (method, path) => match &settings.origin {
            None => reply::error(503, "no origin configured: set ORIGIN_URL")?,
            Some(origin) if method == Method::Get && settings.caches(path) => {
                cache::get(&req, &client, origin, settings.cache_ttl_ms).await?
            }
            Some(origin) => {
                let response = proxy::forward(&mut req, origin).await?;
                response.headers().set("X-Cache", "BYPASS")?;
                response
            }
        },
    };
    ratelimit::annotate(response, &allowed)
}
