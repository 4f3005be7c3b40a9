//! The tiered origin cache: GETs under `CACHE_PREFIXES` answered by the
//! location's Cache API (L1), else Redis (L2, shared by every location),
//! else the origin.
//!
//! Owns: the request's path through the tiers and the origin's caching
//! headers as [`crate::http_cache`] reads them: `s-maxage`, then `max-age`,
//! then `CACHE_TTL_SECONDS` set the freshness; `no-store`, `private`,
//! `Set-Cookie`, a non-2xx (or 206) status and `Vary` on anything but
//! `Accept-Encoding` are never stored; the request's `Accept-Encoding`
//! picks one of three variants (`br`, `gzip`, `identity`), part of the key.
//! A stale entry within `stale-while-revalidate` is served (`STALE`) while
//! one request per key, across isolates, refreshes it in the background
//! (`ctx.wait_until`); past it, the origin is asked conditionally
//! (`If-None-Match` / `If-Modified-Since`) when the entry has a validator,
//! and a 304 refreshes the entry without a body (`HIT`, tier
//! `L2-revalidated`); when the origin fails, an entry within
//! `stale-if-error` is served (`STALE`). On a miss one loader per key at a
//! time asks the origin (a `SET NX PX` lock; the others re-read Redis
//! briefly, then ask themselves rather than fail).
//!
//! `X-Cache` says `HIT`, `MISS`, `STALE` (or `BYPASS`, set by the caller);
//! `X-Cache-Tier` says `L1`, `L2`, `L2-revalidated` or `origin`.
//!
//! L1 copies live at most `L1_TTL_SECONDS` (default 5) and never past the
//! entry's freshness; a purge removes the Redis entry at once and this
//! location's L1 copy, so every other location's L1 copy is gone within
//! `L1_TTL_SECONDS` (the documented bound).
//!
//! The origin is asked with a plain GET of the path and query (only the
//! variant's `Accept-Encoding` and the validators), never with the
//! client's cookies or `Authorization`, so a shared entry never holds one
//! client's answer. Must not: store anything personal or log paths.

use std::rc::Rc;
use std::time::Duration;

use ::worker::{Context, Fetch, Headers, Request, RequestInit, Response, Result};

use super::cache_entry::{self, Entry, Tier};
use super::metrics::Counter;
use super::proxy;
use super::reply;
use super::state::Isolate;
use crate::clock::{Clock, SystemClock};
use crate::commands::{KeyCommands, SetCommands, SetOptions, StringCommands};
use crate::http_cache::{self, ResponseFacts, Usability};
use crate::Client;

/// Largest body stored, in bytes; bigger responses pass through uncached.
const MAX_BODY_BYTES: usize = 1 << 20;
/// Lifetime of a loader's lock.
const LOCK_MS: u64 = 5_000;
/// A request that lost the lock re-reads Redis this often, this many times.
const WAIT_MS: u64 = 50;
const WAIT_ATTEMPTS: u32 = 20;
/// Tag sets outlive any entry they list (30 days plus a day).
const TAG_KEEP_MS: i64 = 31 * 24 * 3600 * 1000;

/// Everything a cached GET needs; owned, so background work can keep it.
#[derive(Clone)]
pub(super) struct Lookup {
    /// The workspace-scoped client.
    pub client: Client,
    /// The workspace id (part of the L1 URL).
    pub workspace: String,
    /// `ORIGIN_URL`.
    pub origin: String,
    /// Path and query, as the origin is asked.
    pub target: String,
    /// `br`, `gzip` or `identity`.
    pub variant: &'static str,
    /// `CACHE_TTL_SECONDS`, ms.
    pub default_ttl_ms: u64,
    /// `L1_TTL_SECONDS`, ms (0: no L1).
    pub l1_ttl_ms: u64,
    /// The isolate (its counters).
    pub isolate: Rc<Isolate>,
}

impl Lookup {
    /// The lookup of `req` (a GET) in `workspace`.
    pub fn of(
        req: &Request,
        client: Client,
        workspace: String,
        origin: &str,
        settings: &super::settings::Settings,
        isolate: Rc<Isolate>,
    ) -> Result<Self> {
        let url = req.url()?;
        let target = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        let variant =
            http_cache::encoding_variant(req.headers().get("Accept-Encoding")?.as_deref());
        Ok(Self {
            client,
            workspace,
            origin: origin.to_owned(),
            target,
            variant,
            default_ttl_ms: settings.cache_ttl_ms,
            l1_ttl_ms: settings.l1_ttl_ms,
            isolate,
        })
    }

    fn key(&self) -> String {
        http_cache::entry_key(&self.target, self.variant)
    }

    fn count(&self, counter: Counter) {
        self.isolate.reporting.count(counter);
    }

    fn hit(&self, counter: Counter) {
        self.count(counter);
        self.client.metrics().record_cache(true);
    }
}

/// Serves a GET through the tiers.
pub(super) async fn get(lookup: Lookup, ctx: &Context) -> Result<Response> {
    let now = SystemClock.now_ms();
    let key = lookup.key();
    let l1 = cache_entry::l1_url(&lookup.workspace, &key);
    if lookup.l1_ttl_ms > 0 {
        // An L1 failure is a miss there, never an error for the client.
        if let Ok(Some(response)) = cache_entry::get_l1(&l1, now).await {
            lookup.hit(Counter::L1Hit);
            return Ok(response);
        }
    }
    let stored = match read(&lookup.client, &key).await {
        Ok(stored) => stored,
        Err(e) => return reply::redis_failure(&e),
    };
    let Some(entry) = stored else {
        return miss(lookup, ctx, &key).await;
    };
    match entry.timeline.usability(now) {
        Usability::Fresh => {
            lookup.hit(Counter::L2Hit);
            put_l1_later(&lookup, ctx, &entry, &l1, now);
            serve(&entry, now, "HIT", Tier::L2)
        }
        Usability::StaleWhileRevalidate => {
            lookup.hit(Counter::Stale);
            let background = lookup.clone();
            let stale = entry.clone();
            ctx.wait_until(async move {
                let _ = refresh_in_background(background, stale).await;
            });
            serve(&entry, now, "STALE", Tier::L2)
        }
        Usability::MustRevalidate => revalidate(lookup, ctx, &key, entry).await,
    }
}

/// The entry under `key`, when there and readable.
async fn read(client: &Client, key: &str) -> crate::Result<Option<Entry>> {
    Ok(client
        .get(key)
        .await?
        .and_then(|body| serde_json::from_slice(&body).ok()))
}

fn serve(entry: &Entry, now: u64, cache: &str, tier: Tier) -> Result<Response> {
    match entry.respond(now, cache, tier)? {
        Some(response) => Ok(response),
        None => reply::error(502, "cached entry unreadable"),
    }
}

fn put_l1_later(lookup: &Lookup, ctx: &Context, entry: &Entry, l1: &str, now: u64) {
    if lookup.l1_ttl_ms == 0 || entry.timeline.fresh_ms(now) < 1000 {
        return;
    }
    let (entry, l1, ttl) = (entry.clone(), l1.to_owned(), lookup.l1_ttl_ms);
    ctx.wait_until(async move {
        let _ = entry.put_l1(&l1, ttl, now).await;
    });
}

/// What the origin said to one GET.
enum Fetched {
    /// A response to store: the entry (its body decoded).
    Storable(Entry),
    /// 304 to a conditional request.
    NotModified(Headers),
    /// Anything not to store: pass it on as it is.
    Pass(Response),
    /// The origin could not be reached.
    Unreachable,
}

/// Asks the origin for the target (conditionally when `validators`).
async fn fetch(lookup: &Lookup, validators: Option<&Entry>) -> Fetched {
    let headers = Headers::new();
    let _ = headers.set("Accept-Encoding", lookup.variant);
    if let Some(entry) = validators {
        if let Some(etag) = entry.header("etag") {
            let _ = headers.set("If-None-Match", etag);
        }
        if let Some(date) = entry.header("last-modified") {
            let _ = headers.set("If-Modified-Since", date);
        }
    }
    let mut init = RequestInit::new();
    init.with_headers(headers);
    let url = format!("{}{}", lookup.origin, lookup.target);
    let Ok(request) = Request::new_with_init(&url, &init) else {
        return Fetched::Unreachable;
    };
    let Ok(mut response) = Fetch::Request(request).send().await else {
        return Fetched::Unreachable;
    };
    let status = response.status_code();
    if status == 304 && validators.is_some() {
        return Fetched::NotModified(response.headers().clone());
    }
    let header = |name: &str| response.headers().get(name).ok().flatten();
    let (cache_control, vary) = (header("Cache-Control"), header("Vary"));
    let tags = header("Cache-Tag").map(|t| http_cache::response_tags(&t));
    let facts = ResponseFacts {
        status,
        cache_control: cache_control.as_deref(),
        vary: vary.as_deref(),
        set_cookie: response.headers().has("Set-Cookie").unwrap_or(true),
        has_validator: header("ETag").is_some() || header("Last-Modified").is_some(),
    };
    let Ok(timeline) = http_cache::decide(&facts, lookup.default_ttl_ms, SystemClock.now_ms())
    else {
        return Fetched::Pass(proxy::with_copied_headers(response));
    };
    let Ok(body) = response.bytes().await else {
        return Fetched::Unreachable;
    };
    let mut entry = Entry::new(status, response.headers(), &body, timeline);
    entry.tags = tags.unwrap_or_default();
    if body.len() > MAX_BODY_BYTES {
        return match entry.respond(SystemClock.now_ms(), "MISS", Tier::Origin) {
            Ok(Some(r)) => Fetched::Pass(r),
            _ => Fetched::Unreachable,
        };
    }
    Fetched::Storable(entry)
}

/// Stores `entry` under `key` for its keep time, and indexes its tags.
async fn store(client: &Client, key: &str, entry: &Entry) -> crate::Result<()> {
    let Ok(json) = serde_json::to_vec(entry) else {
        return Ok(());
    };
    let keep = entry.timeline.keep_ms(SystemClock.now_ms());
    let batch = client.pipeline();
    batch.set_with(key, json, SetOptions::default().px(keep));
    for tag in &entry.tags {
        let tag_key = http_cache::tag_key(tag);
        batch.sadd(&tag_key, [key]);
        batch.pexpire(&tag_key, TAG_KEEP_MS);
    }
    batch.exec().await.map(|_| ())
}

/// A miss: one loader per key asks the origin and stores what may be
/// stored; the others wait briefly for it.
async fn miss(lookup: Lookup, ctx: &Context, key: &str) -> Result<Response> {
    lookup.count(Counter::Miss);
    lookup.client.metrics().record_cache(false);
    let lock = format!("{key}:lock");
    let won = lookup
        .client
        .set_with(&lock, "1", SetOptions::default().nx().px(LOCK_MS))
        .await
        .unwrap_or(true);
    if !won {
        for _ in 0..WAIT_ATTEMPTS {
            lookup.client.sleep(Duration::from_millis(WAIT_MS)).await;
            if let Ok(Some(entry)) = read(&lookup.client, key).await {
                let now = SystemClock.now_ms();
                if entry.timeline.usability(now) == Usability::Fresh {
                    return serve(&entry, now, "HIT", Tier::L2);
                }
            }
        }
    }
    let fetched = fetch(&lookup, None).await;
    let response = from_origin(&lookup, ctx, key, fetched).await;
    if won {
        let _ = lookup.client.del([&lock]).await;
    }
    response
}

/// Stores and serves what the origin answered to an unconditional GET.
async fn from_origin(
    lookup: &Lookup,
    ctx: &Context,
    key: &str,
    fetched: Fetched,
) -> Result<Response> {
    match fetched {
        Fetched::Storable(entry) => {
            if let Err(e) = store(&lookup.client, key, &entry).await {
                return reply::redis_failure(&e);
            }
            lookup.count(Counter::Stored);
            let now = SystemClock.now_ms();
            let l1 = cache_entry::l1_url(&lookup.workspace, key);
            put_l1_later(lookup, ctx, &entry, &l1, now);
            serve(&entry, now, "MISS", Tier::Origin)
        }
        Fetched::Pass(response) => {
            lookup.count(Counter::NotStored);
            cache_entry::label(&response, "MISS", Tier::Origin)?;
            Ok(response)
        }
        Fetched::NotModified(_) | Fetched::Unreachable => {
            lookup.count(Counter::OriginError);
            reply::error(502, "origin unreachable")
        }
    }
}

/// A stale entry past `stale-while-revalidate`: ask the origin (with the
/// entry's validators); a 304 refreshes it, a failure serves it within
/// `stale-if-error`.
async fn revalidate(lookup: Lookup, ctx: &Context, key: &str, entry: Entry) -> Result<Response> {
    let fetched = fetch(&lookup, entry.has_validator().then_some(&entry)).await;
    let now = SystemClock.now_ms();
    match fetched {
        Fetched::NotModified(headers) => {
            let refreshed = refreshed(&lookup, entry, &headers, now);
            if let Err(e) = store(&lookup.client, key, &refreshed).await {
                return reply::redis_failure(&e);
            }
            lookup.hit(Counter::Revalidated);
            let l1 = cache_entry::l1_url(&lookup.workspace, key);
            put_l1_later(&lookup, ctx, &refreshed, &l1, now);
            serve(&refreshed, now, "HIT", Tier::Revalidated)
        }
        Fetched::Unreachable if entry.timeline.serves_on_error(now) => {
            lookup.hit(Counter::StaleOnError);
            serve(&entry, now, "STALE", Tier::L2)
        }
        Fetched::Pass(response)
            if response.status_code() >= 500 && entry.timeline.serves_on_error(now) =>
        {
            lookup.hit(Counter::StaleOnError);
            serve(&entry, now, "STALE", Tier::L2)
        }
        other => {
            lookup.count(Counter::Miss);
            lookup.client.metrics().record_cache(false);
            if matches!(other, Fetched::Pass(_)) {
                // The origin now says "do not store": drop the old entry.
                let _ = lookup.client.del([key]).await;
            }
            from_origin(&lookup, ctx, key, other).await
        }
    }
}

/// `entry` after a 304: the 304's caching headers, a new timeline from
/// them (or from the stored `Cache-Control` when the 304 sent none).
fn refreshed(lookup: &Lookup, mut entry: Entry, not_modified: &Headers, now: u64) -> Entry {
    entry.refresh_headers(not_modified);
    let facts = ResponseFacts {
        status: entry.status,
        cache_control: entry.header("cache-control"),
        vary: entry.header("vary"),
        set_cookie: false,
        has_validator: entry.has_validator(),
    };
    if let Ok(timeline) = http_cache::decide(&facts, lookup.default_ttl_ms, now) {
        entry.timeline = timeline;
    }
    entry
}

/// The background half of stale-while-revalidate: one refresher per key
/// across isolates (the loader lock), conditional when possible.
async fn refresh_in_background(lookup: Lookup, entry: Entry) -> crate::Result<()> {
    let key = lookup.key();
    let lock = format!("{key}:lock");
    if !lookup
        .client
        .set_with(&lock, "1", SetOptions::default().nx().px(LOCK_MS))
        .await?
    {
        return Ok(());
    }
    let fetched = fetch(&lookup, entry.has_validator().then_some(&entry)).await;
    let now = SystemClock.now_ms();
    let outcome = match fetched {
        Fetched::NotModified(headers) => {
            lookup.count(Counter::Revalidated);
            store(
                &lookup.client,
                &key,
                &refreshed(&lookup, entry, &headers, now),
            )
            .await
        }
        Fetched::Storable(fresh) => {
            lookup.count(Counter::Stored);
            store(&lookup.client, &key, &fresh).await
        }
        Fetched::Pass(response) if response.status_code() < 500 => {
            lookup.count(Counter::NotStored);
            lookup.client.del([&key]).await.map(|_| ())
        }
        Fetched::Pass(_) | Fetched::Unreachable => {
            lookup.count(Counter::OriginError);
            Ok(())
        }
    };
    lookup.client.del([&lock]).await?;
    outcome
}
