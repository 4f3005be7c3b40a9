//! One stored origin response, and its two homes: Redis (L2, JSON with the
//! body as base64, so bodies are binary-safe) and the location's Cache API
//! (L1, a plain response with the entry's freshness in private headers).
//!
//! Owns: which origin headers are kept (content type and language, the
//! caching headers and validators; never `Set-Cookie`, `Cache-Tag` or
//! `Content-Encoding`: workerd hands over bodies decoded), the L1 URL of a
//! key, the L1 lifetime (the shorter of `L1_TTL_SECONDS` and what is left
//! of the freshness) and the `X-Cache` / `X-Cache-Tier` headers.
//! Must not: decide what is stored (that is [`crate::http_cache`]).

use ::worker::{Cache, Headers, Response, Result};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use crate::http_cache::Timeline;

/// Origin headers kept with an entry and sent with it.
const KEPT_HEADERS: [&str; 8] = [
    "content-type",
    "content-language",
    "content-disposition",
    "cache-control",
    "etag",
    "last-modified",
    "expires",
    "vary",
];

/// L1 copies carry the entry's freshness and the origin's `Cache-Control`
/// in these (the Cache API needs its own `Cache-Control` to keep them).
const FRESH_UNTIL: &str = "x-edgestash-fresh-until";
const STORED_AT: &str = "x-edgestash-stored";
const ORIGIN_CACHE_CONTROL: &str = "x-edgestash-cache-control";

/// Which tier answered, for `X-Cache-Tier`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tier {
    /// The location's Cache API.
    L1,
    /// Redis.
    L2,
    /// Redis, after the origin confirmed it with a 304.
    Revalidated,
    /// The origin.
    Origin,
}

impl Tier {
    fn label(self) -> &'static str {
        match self {
            Self::L1 => "L1",
            Self::L2 => "L2",
            Self::Revalidated => "L2-revalidated",
            Self::Origin => "origin",
        }
    }
}

/// Sets `X-Cache` (`HIT`, `MISS`, `STALE`, `BYPASS`) and `X-Cache-Tier`.
pub(super) fn label(response: &Response, cache: &str, tier: Tier) -> Result<()> {
    response.headers().set("X-Cache", cache)?;
    response.headers().set("X-Cache-Tier", tier.label())
}

/// One stored origin response.
#[derive(serde::Serialize, serde::Deserialize, Clone)]
pub(super) struct Entry {
    pub status: u16,
    /// Kept headers, lower-case names.
    pub headers: Vec<(String, String)>,
    /// The body, base64.
    pub body: String,
    pub timeline: Timeline,
    /// The origin's `Cache-Tag`s (for purges by tag).
    #[serde(default)]
    pub tags: Vec<String>,
}

impl Entry {
    /// An entry from an origin response's headers and body.
    pub fn new(status: u16, origin: &Headers, body: &[u8], timeline: Timeline) -> Self {
        let headers = KEPT_HEADERS
            .iter()
            .filter_map(|name| {
                origin
                    .get(name)
                    .ok()
                    .flatten()
                    .map(|v| ((*name).to_owned(), v))
            })
            .collect();
        Self {
            status,
            headers,
            body: STANDARD.encode(body),
            timeline,
            tags: Vec::new(),
        }
    }

    /// One kept header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the origin gave a validator to revalidate with.
    pub fn has_validator(&self) -> bool {
        self.header("etag").is_some() || self.header("last-modified").is_some()
    }

    /// Takes the caching headers of a 304 (RFC 9111 §4.3.4: the stored
    /// response is updated with the new headers).
    pub fn refresh_headers(&mut self, not_modified: &Headers) {
        for name in ["cache-control", "etag", "last-modified", "expires"] {
            if let Ok(Some(value)) = not_modified.get(name) {
                match self.headers.iter_mut().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = value,
                    None => self.headers.push((name.to_owned(), value)),
                }
            }
        }
    }

    /// The body bytes (`None` when the stored text is not base64).
    pub fn body_bytes(&self) -> Option<Vec<u8>> {
        STANDARD.decode(&self.body).ok()
    }

    /// The response for a client, labelled, with `Age`.
    pub fn respond(&self, now_ms: u64, cache: &str, tier: Tier) -> Result<Option<Response>> {
        let Some(body) = self.body_bytes() else {
            return Ok(None);
        };
        let headers = Headers::new();
        for (name, value) in &self.headers {
            headers.set(name, value)?;
        }
        headers.set("Age", &self.timeline.age_seconds(now_ms).to_string())?;
        let response = Response::from_bytes(body)?
            .with_status(self.status)
            .with_headers(headers);
        label(&response, cache, tier)?;
        Ok(Some(response))
    }

    /// Puts a copy in the location's cache under `url` for at most
    /// `l1_ttl_ms` and never past freshness; nothing when less than a
    /// second of freshness is left.
    pub async fn put_l1(&self, url: &str, l1_ttl_ms: u64, now_ms: u64) -> Result<()> {
        let seconds = l1_ttl_ms.min(self.timeline.fresh_ms(now_ms)) / 1000;
        let Some(body) = self.body_bytes().filter(|_| seconds > 0) else {
            return Ok(());
        };
        let headers = Headers::new();
        for (name, value) in &self.headers {
            match name.as_str() {
                "cache-control" => headers.set(ORIGIN_CACHE_CONTROL, value)?,
                "expires" | "vary" => {}
                _ => headers.set(name, value)?,
            }
        }
        headers.set("Cache-Control", &format!("public, max-age={seconds}"))?;
        headers.set(FRESH_UNTIL, &self.timeline.fresh_until_ms.to_string())?;
        headers.set(STORED_AT, &self.timeline.stored_ms.to_string())?;
        let copy = Response::from_bytes(body)?
            .with_status(self.status)
            .with_headers(headers);
        Cache::default().put(url, copy).await
    }
}

/// The L1 copy under `url` as a client response, when one is there and
/// still fresh by the entry's own clock.
pub(super) async fn get_l1(url: &str, now_ms: u64) -> Result<Option<Response>> {
    let Some(cached) = Cache::default().get(url, false).await? else {
        return Ok(None);
    };
    let number = |name| -> Option<u64> { cached.headers().get(name).ok().flatten()?.parse().ok() };
    let (Some(fresh_until), Some(stored)) = (number(FRESH_UNTIL), number(STORED_AT)) else {
        return Ok(None);
    };
    if fresh_until <= now_ms {
        return Ok(None);
    }
    let headers = Headers::new();
    for (name, value) in cached.headers().entries() {
        match name.as_str() {
            FRESH_UNTIL | STORED_AT | "cache-control" | "age" | "cf-cache-status" => {}
            ORIGIN_CACHE_CONTROL => headers.set("Cache-Control", &value)?,
            _ => headers.append(&name, &value)?,
        }
    }
    headers.set("Age", &(now_ms.saturating_sub(stored) / 1000).to_string())?;
    let response = cached.with_headers(headers);
    label(&response, "HIT", Tier::L1)?;
    Ok(Some(response))
}

/// Removes this location's L1 copy under `url` (other locations' copies
/// expire within `L1_TTL_SECONDS`).
pub(super) async fn delete_l1(url: &str) -> Result<()> {
    Cache::default().delete(url, false).await.map(|_| ())
}

/// The L1 URL of an entry key in a workspace: a name only this Worker
/// uses (`.invalid` never resolves, so nothing else can collide with it).
pub(super) fn l1_url(workspace: &str, key: &str) -> String {
    format!(
        "https://l1.edgestash.invalid/{workspace}/{}",
        key.replace(':', "/")
    )
}
