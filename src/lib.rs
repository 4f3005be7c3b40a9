//! # edgestash
//!
//! A Redis-over-HTTP client for the Upstash REST protocol (Redis commands as
//! JSON over HTTPS with a bearer token), built to run natively, in Cloudflare
//! Workers and as an npm package compiled to WebAssembly, from one codebase.
//!
//! ```no_run
//! # async fn demo() -> edgestash::Result<()> {
//! use edgestash::prelude::*;
//!
//! let client = Client::from_env()?; // UPSTASH_REDIS_REST_URL / _TOKEN, or MOCK_REDIS=true
//! client.set("greeting", "hello").await?;
//! let v: Option<String> = client.get_string("greeting").await?;
//! # Ok(()) }
//! ```
//!
//! ## Layout
//!
//! Lower layers never import higher ones (see docs/ARCHITECTURE.md, which
//! also follows one request through these modules):
//!
//! - L0 [`error`], [`clock`], [`config`], [`metrics`] (with the shared
//!   dashboard page and its JSON), [`logging`] (tracing events as log
//!   lines, for hosts without a subscriber): leaves.
//! - L1 [`protocol`]: the wire contract; [`scripts`]: edgestash's own Lua
//!   scripts and their SHA-1s; `float_text`: f64 text without core's float
//!   formatting (a wasm size cut). Pure.
//! - L2 [`namespace`]: `ws:<id>:` tenant prefixes by per-command key specs,
//!   pure; applied by the client. [`mock`]: the embedded engine.
//!   [`tenant_acl`]: the server-side twin, a Redis ACL user per workspace
//!   provisioned through an admin client.
//! - L3 [`transport`]: with the entry points and [`clock`], the only code
//!   that knows the target (native HTTP, the host's `fetch` on wasm32, or
//!   the embedded engine); it also offers the platform's timer and console
//!   to the layers above without naming a target.
//! - L4 [`client`]: config + transport + namespace + read-your-writes +
//!   retries + metrics in one handle; `exec`, pipelines and transactions. [`pubsub`]: subscriptions as a stream of
//!   messages over the SSE endpoints.
//! - L5 [`commands`]: typed methods per Redis family, usable on the client,
//!   on pipelines and on transactions alike.
//! - L6 [`health`]: health and readiness from one PING, shared by the
//!   Worker, native services and edgestash-server. [`ratelimit`]: rate
//!   limits as one script call each, compatible with @upstash/ratelimit's
//!   stored data. [`session`], [`cache`], [`queue`]: sessions with cookies,
//!   typed cache-aside, work queues.
//! - Entry points (wasm32 only): `worker` (feature `worker`, the Cloudflare
//!   Worker: an edge gateway with an origin cache, rate limits and sessions
//!   in Redis, plus the ops routes and the dashboard) and `wasm` (feature
//!   `wasm`, the npm package's exports). Both log to the JavaScript console
//!   through `transport::init_console` and [`logging`]'s subscriber.

#![warn(missing_docs)]

pub mod cache;
pub mod catalog;
pub mod client;
pub mod clock;
pub mod commands;
pub mod config;
pub mod error;
mod float_text;
pub mod health;
pub mod http_cache;
pub mod logging;
pub mod metrics;
pub mod mock;
pub mod namespace;
pub mod protocol;
pub mod pubsub;
pub mod queue;
pub mod ratelimit;
pub mod scripts;
pub mod session;
mod sorting;
pub mod tenant_acl;
pub mod transport;
#[cfg(all(feature = "wasm", target_arch = "wasm32"))]
pub mod wasm;
#[cfg(all(feature = "worker", target_arch = "wasm32"))]
mod worker;

pub use client::{Batch, Client, Results, SlotRef};
pub use config::{Config, Environment, Mode, RetryPolicy};
pub use error::{Error, NamespaceRefusal, Result, StreamErrorKind, TransportErrorKind};
pub use health::{Health, HealthOptions, HealthReport, HealthStatus, ReadinessReport};
pub use namespace::Namespace;
pub use protocol::{
    Command, FieldValues, FromValue, Json, KeyType, Pairs, ScanPage, ScoredMembers, Value,
};
#[cfg(test)]
pub(crate) use transport::unit_test;

/// Everything needed to use the client: `use edgestash::prelude::*;`.
pub mod prelude {
    pub use crate::client::{Batch, Client, Results, SlotRef};
    pub use crate::commands::*;
    pub use crate::config::Config;
    pub use crate::error::{Error, Result};
    pub use crate::protocol::{
        Command, FieldValues, FromValue, Json, KeyType, Pairs, ScanPage, ScoredMembers, Value,
    };
}
