//! `POST /api/v1/admin/cache/purge` (admin token): removes cached origin
//! responses by path (`{"paths": ["/static/a", "/b?v=1"]}`, every encoding
//! variant) or by the origin's `Cache-Tag` (`{"tags": ["product-1"]}`), in
//! the request's workspace (`X-Workspace`, else `DEFAULT_WORKSPACE`).
//!
//! Owns: the purge's effect. Redis entries (L2) go at once, with one
//! `SMEMBERS` per tag and one `DEL`, all in one pipeline each; this
//! location's L1 copies are deleted too; other locations' L1 copies
//! expire within `L1_TTL_SECONDS` (the documented bound: L1 copies are
//! never kept longer). The answer says how many Redis keys went and that
//! bound. Must not: echo paths or tags (caller input) in errors.

use ::worker::{Request, Response, Result};

use super::cache_entry;
use super::metrics::Counter;
use super::reply;
use super::settings::Settings;
use super::state::Isolate;
use crate::commands::{KeyCommands, SetCommands};
use crate::http_cache::{self, Purge};
use crate::Client;

/// Purges; `client` is workspace-scoped, `workspace` its id.
pub(super) async fn purge(
    mut req: Request,
    client: &Client,
    workspace: &str,
    settings: &Settings,
    isolate: &Isolate,
) -> Result<Response> {
    let body = req.bytes().await?;
    let purge = match Purge::parse(&body) {
        Ok(purge) => purge,
        Err(e) => return reply::error(400, &e.to_string()),
    };
    isolate.reporting.count(Counter::Purge);
    let mut keys = purge.path_keys();
    let tag_keys: Vec<String> = purge.tags.iter().map(|t| http_cache::tag_key(t)).collect();
    if !tag_keys.is_empty() {
        let batch = client.pipeline();
        let slots: Vec<_> = tag_keys.iter().map(|k| batch.smembers(k)).collect();
        let mut results = match batch.exec().await {
            Ok(results) => results,
            Err(e) => return reply::redis_failure(&e),
        };
        for slot in slots {
            match results.take(slot) {
                Ok(members) => keys.extend(
                    members
                        .into_iter()
                        .filter_map(|m| String::from_utf8(m).ok())
                        .filter(|m| m.starts_with("gw:cache:origin:")),
                ),
                Err(e) => return reply::redis_failure(&e),
            }
        }
    }
    keys.sort();
    keys.dedup();
    let mut doomed: Vec<&str> = keys.iter().map(String::as_str).collect();
    doomed.extend(tag_keys.iter().map(String::as_str));
    let removed = match client.del(doomed).await {
        Ok(n) => n,
        Err(e) => return reply::redis_failure(&e),
    };
    if settings.l1_ttl_ms > 0 {
        for key in &keys {
            // This location's copy; a Cache API failure leaves the bound.
            let _ = cache_entry::delete_l1(&cache_entry::l1_url(workspace, key)).await;
        }
    }
    reply::json(
        200,
        &serde_json::json!({
            "purged": removed,
            "entries": keys.len(),
            "l1_bound_seconds": settings.l1_ttl_ms / 1000,
        }),
    )
}
