//! What lives across requests in one isolate: the client (and with it the
//! mock engine and the metrics) and whether a PING has succeeded.
//!
//! An isolate runs one request at a time on one thread, so a thread-local
//! is the whole store. The client is rebuilt only when the configuration
//! read from the env changes, so in mock mode one engine serves every
//! request of the isolate.

use std::cell::RefCell;
use std::rc::Rc;

use ::worker::{Env, Response, Result};

use super::reply;
use crate::{Client, Config, Environment, Error};

thread_local! {
    static CURRENT: RefCell<Option<Rc<Isolate>>> = const { RefCell::new(None) };
}

/// The client of this isolate and its readiness.
pub(super) struct Isolate {
    /// The configuration the client was built from.
    pub config: Config,
    /// The client; clones share engine, metrics and sync token.
    pub client: Client,
    /// Set once a PING has succeeded; never reset (readiness, not liveness).
    pub ready: std::cell::Cell<bool>,
}

/// Why the Worker refuses to serve: the configuration is invalid.
pub(super) struct Refusal {
    problems: Vec<(String, String)>,
    production: bool,
}

impl Refusal {
    /// 503 naming every variable at fault and why (never a value).
    pub(super) fn response(&self) -> Result<Response> {
        let problems: Vec<_> = self
            .problems
            .iter()
            .map(|(variable, reason)| serde_json::json!({ "variable": variable, "reason": reason }))
            .collect();
        let names: Vec<_> = self.problems.iter().map(|(v, _)| v.as_str()).collect();
        reply::json(
            503,
            &serde_json::json!({
                "status": "unhealthy",
                "reason": "invalid configuration",
                "environment": if self.production { "production" } else { "other" },
                "variables": names,
                "problems": problems,
            }),
        )
    }
}

/// Reads a binding: secrets and vars are both plain strings to the Worker.
pub(super) fn lookup(env: &Env, name: &str) -> Option<String> {
    env.secret(name)
        .or_else(|_| env.var(name))
        .ok()
        .map(|v| v.to_string())
}

impl Isolate {
    /// The isolate's client for the current env, building it when the
    /// configuration is new; or the refusal when it is invalid.
    pub(super) fn load(env: &Env) -> std::result::Result<Rc<Self>, Refusal> {
        let config = Config::from_lookup(|name| lookup(env, name)).map_err(|e| refusal(env, e))?;
        let cached = CURRENT.with(|c| c.borrow().as_ref().filter(|i| i.config == config).cloned());
        if let Some(isolate) = cached {
            return Ok(isolate);
        }
        let client = Client::new(config.clone()).map_err(|e| refusal(env, e))?;
        let isolate = Rc::new(Self {
            config,
            client,
            ready: std::cell::Cell::new(false),
        });
        CURRENT.with(|c| *c.borrow_mut() = Some(Rc::clone(&isolate)));
        Ok(isolate)
    }
}

/// Collects every configuration problem, not only the first: after each
/// error the variable at fault is answered as if it were fine and the rules
/// run again. The stand-in values never leave this function.
fn refusal(env: &Env, first: Error) -> Refusal {
    let production = ["APP_ENV", "NODE_ENV", "ENVIRONMENT"]
        .iter()
        .find_map(|name| lookup(env, name))
        .and_then(|v| Environment::parse(v.trim()))
        .is_some_and(Environment::is_production);
    let mut fixed: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    let mut error = Some(first);
    while let Some(Error::Config { variable, reason }) = error.take() {
        if fixed.contains(&variable) || problems.len() >= 8 {
            break;
        }
        problems.push((variable.clone(), reason));
        fixed.push(variable);
        error =
            Config::from_lookup(|name| stand_in(name, &fixed).or_else(|| lookup(env, name))).err();
    }
    Refusal {
        problems,
        production,
    }
}

fn stand_in(name: &str, fixed: &[String]) -> Option<String> {
    if !fixed.iter().any(|f| f == name) {
        return None;
    }
    Some(
        match name {
            "MOCK_REDIS" => "false",
            n if n.ends_with("URL") => "https://stand-in.invalid",
            n if n.ends_with("TOKEN") => "stand-in",
            "APP_ENV" | "NODE_ENV" | "ENVIRONMENT" => "production",
            _ => return None,
        }
        .to_owned(),
    )
}
