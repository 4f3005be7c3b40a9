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
//! | GET | `/api/v1/admin/redis-metrics` | [`admin::redis_metrics`] (admin token): sums over every isolate |
//! | GET | `/dashboard`, `/metrics.json` | [`admin::dashboard_page`] (asks for the admin token), [`admin::dashboard_data`] (admin token) |
//! | POST | `/api/v1/admin/cache/purge` | [`purge::purge`] (admin token; in the request's workspace) |
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
//! | GET | under `CACHE_PREFIXES` | [`cache::get`]: L1 (Cache API), L2 (Redis) or the origin; `X-Cache` `HIT`/`MISS`/`STALE`, `X-Cache-Tier` |
//! | any | anything else | [`proxy::forward`] to the origin, uncached (`X-Cache: BYPASS`) |
//!
//! After every answer the isolate counts its status class and schedules
//! its metrics report in the background ([`metrics::schedule`]).

mod admin;
mod cache;
mod cache_entry;
mod health;
mod metrics;
mod proxy;
mod purge;
mod ratelimit;
mod reply;
mod session;
mod settings;
mod state;
mod workspace;

use std::rc::Rc;

use ::worker::{event, Context, Env, Method, Request, Response, Result};

use metrics::Counter;
use settings::Settings;
use state::Isolate;

/// The ops routes, for the 405 of a wrong method.
const OPS_ROUTES: [&str; 7] = [
    "/health/redis",
    "/api/v1/health/redis",
    "/readyz",
    "/api/v1/admin/redis-metrics",
    "/api/v1/admin/cache/purge",
    "/dashboard",
    "/metrics.json",
];

/// Handles one request: logging and configuration first, then the routes;
/// afterwards the answer is counted and this isolate's report scheduled.
#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    crate::transport::init_console(state::lookup(&env, "LOG_LEVEL").as_deref());
    let (isolate, settings) = match Isolate::load(&env) {
        Ok(loaded) => loaded,
        Err(refusal) => return refusal.response(),
    };
    let response = route(req, &isolate, &settings, &ctx).await?;
    if let Some(class) = Counter::of_status(response.status_code()) {
        isolate.reporting.count(class);
    }
    metrics::schedule(&isolate, &ctx);
    Ok(response)
}

async fn route(
    req: Request,
    isolate: &Rc<Isolate>,
    settings: &Settings,
    ctx: &Context,
) -> Result<Response> {
    let path = req.path();
    let refused = || admin::refusal(&req, settings);
    match (req.method(), path.as_str()) {
        (Method::Get, "/health/redis" | "/api/v1/health/redis") => health::redis(isolate).await,
        (Method::Get, "/readyz") => health::ready(isolate).await,
        (Method::Get, "/api/v1/admin/redis-metrics") => match refused()? {
            Some(refused) => Ok(refused),
            None => admin::redis_metrics(&req, isolate).await,
        },
        (Method::Get, "/dashboard") => admin::dashboard_page(settings),
        (Method::Get, "/metrics.json") => match refused()? {
            Some(refused) => Ok(refused),
            None => admin::dashboard_data(&req, isolate).await,
        },
        (Method::Post, "/api/v1/admin/cache/purge") => {
            if let Some(refusal) = refused()? {
                return Ok(refusal);
            }
            match workspace::scoped(&req, &isolate.client, settings)? {
                Ok((client, id)) => purge::purge(req, &client, &id, settings, isolate).await,
                Err(refused) => Ok(refused),
            }
        }
        (_, p) if OPS_ROUTES.contains(&p) => reply::error(405, "method not allowed"),
        _ => gateway(req, isolate, settings, ctx).await,
    }
}

/// Workspace, rate limit, then the session API or the origin.
async fn gateway(
    mut req: Request,
    isolate: &Rc<Isolate>,
    settings: &Settings,
    ctx: &Context,
) -> Result<Response> {
    let (client, workspace) = match workspace::scoped(&req, &isolate.client, settings)? {
        Ok(scoped) => scoped,
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
                let lookup = cache::Lookup::of(
                    &req,
                    client,
                    workspace,
                    origin,
                    settings,
                    Rc::clone(isolate),
                )?;
                cache::get(lookup, ctx).await?
            }
            Some(origin) => {
                isolate.reporting.count(Counter::Bypass);
                let response = proxy::forward(&mut req, origin).await?;
                response.headers().set("X-Cache", "BYPASS")?;
                response.headers().set("X-Cache-Tier", "origin")?;
                response
            }
        },
    };
    ratelimit::annotate(response, &allowed)
}
