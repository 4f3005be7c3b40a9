//! What lives across requests in one isolate: the client (and with it the
//! mock engine and the metrics), the gateway's counters and reporter, and
//! whether a PING has succeeded; and the
//! refusal to serve when the configuration (Redis or gateway) is invalid.
//!
//! An isolate runs one request at a time on one thread, so a thread-local
//! is the whole store. The client is rebuilt only when the configuration
//! read from the env changes, so in mock mode one engine serves every
//! request of the isolate.

use std::cell::RefCell;
use std::rc::Rc;

use ::worker::{Env, Response, Result};

use super::metrics::Reporting;
use super::reply;
use super::settings::{Problems, Settings};
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
    /// The gateway's counters and this isolate's reports into Redis.
    pub reporting: Reporting,
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
    /// configuration is new, and the gateway settings; or the refusal
    /// naming every variable at fault (Redis and gateway alike).
    pub(super) fn load(env: &Env) -> std::result::Result<(Rc<Self>, Settings), Refusal> {
        let production = is_production(env);
        let settings = Settings::from_env(env, production);
        let isolate = Config::from_lookup(|name| lookup(env, name))
            .and_then(Self::for_config)
            .map_err(|e| config_problems(env, e));
        match (isolate, settings) {
            (Ok(isolate), Ok(settings)) => Ok((isolate, settings)),
            (isolate, settings) => {
                let mut problems = isolate.err().unwrap_or_default();
                problems.extend(settings.err().unwrap_or_default());
                Err(Refusal {
                    problems,
                    production,
                })
            }
        }
    }

    fn for_config(config: Config) -> crate::Result<Rc<Self>> {
        let cached = CURRENT.with(|c| c.borrow().as_ref().filter(|i| i.config == config).cloned());
        if let Some(isolate) = cached {
            return Ok(isolate);
        }
        let client = Client::new(config.clone())?;
        let isolate = Rc::new(Self {
            config,
            client,
            ready: std::cell::Cell::new(false),
            reporting: Reporting::new(),
        });
        CURRENT.with(|c| *c.borrow_mut() = Some(Rc::clone(&isolate)));
        Ok(isolate)
    }
}

/// Whether `APP_ENV` (or `NODE_ENV`, `ENVIRONMENT`) names production.
fn is_production(env: &Env) -> bool {
    ["APP_ENV", "NODE_ENV", "ENVIRONMENT"]
        .iter()
        .find_map(|name| lookup(env, name))
        .and_then(|v| Environment::parse(v.trim()))
        .is_some_and(Environment::is_production)
}

/// Collects every configuration problem, not only the first: after each
/// error the variable at fault is answered as if it were fine and the rules
/// run again. The stand-in values never leave this function.
fn config_problems(env: &Env, first: Error) -> Problems {
    let mut fixed: Vec<String> = Vec::new();
    let mut problems = Problems::new();
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
    problems
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
