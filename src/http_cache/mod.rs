//! HTTP caching rules for a shared cache, as pure functions: the Worker
//! gateway's tiered cache (src/worker/cache.rs) applies them, and so can
//! any other host.
//!
//! Owns: reading `Cache-Control` ([`cache_control`]), whether and how long
//! a response is stored, `Vary` and the `Accept-Encoding` variant
//! ([`policy`]), purge requests, `Cache-Tag` and the key layout
//! ([`purge`]). Must not: do I/O, read a clock (callers pass `now`), or
//! know the Worker.

pub mod cache_control;
pub mod policy;
pub mod purge;

pub use cache_control::CacheControl;
pub use policy::{decide, encoding_variant, NotStored, ResponseFacts, Timeline, Usability};
pub use purge::{entry_key, response_tags, tag_key, Purge, PurgeError};
