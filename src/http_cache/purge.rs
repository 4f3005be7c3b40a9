//! Purge requests and cache tags: what `POST /api/v1/admin/cache/purge`
//! accepts, what an origin's `Cache-Tag` header contributes, and the keys
//! both resolve to.
//!
//! Owns: the limits (at most [`MAX_PURGE_ITEMS`] paths or tags per
//! request, [`MAX_TAGS`] tags per response, tags of 1 to
//! [`MAX_TAG_BYTES`] visible ASCII bytes) and the key layout under the
//! gateway's namespace: `gw:cache:origin:<sha256(path?query)>:<variant>`
//! for entries, `gw:cache:tag:<sha256(tag)>` for the set of entry keys
//! carrying a tag. Hashing keeps caller-chosen text out of key names.
//! Must not: do I/O.

use sha2::{Digest, Sha256};

use super::policy::ENCODING_VARIANTS;

/// Most paths or tags in one purge request.
pub const MAX_PURGE_ITEMS: usize = 100;
/// Most tags kept from one response's `Cache-Tag`.
pub const MAX_TAGS: usize = 32;
/// Longest tag, in bytes (Cloudflare's limit).
pub const MAX_TAG_BYTES: usize = 1024;

/// Why a purge request was refused (never echoes the input).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PurgeError {
    /// The body is not `{"paths": [...]}` or `{"tags": [...]}`.
    #[error(
        "expected a JSON body {{\"paths\": [...]}} or {{\"tags\": [...]}} with at least one item"
    )]
    Shape,
    /// More than [`MAX_PURGE_ITEMS`].
    #[error("at most 100 paths and 100 tags per purge")]
    TooMany,
    /// A path that does not start with `/`.
    #[error("every path must start with /")]
    Path,
    /// A tag that is empty, too long or not visible ASCII.
    #[error("every tag must be 1 to 1024 visible ASCII characters")]
    Tag,
}

/// A checked purge request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purge {
    /// Paths (with their query, if any) whose entries go, in every variant.
    pub paths: Vec<String>,
    /// Tags whose entries go.
    pub tags: Vec<String>,
}

impl Purge {
    /// Parses and checks a request body.
    pub fn parse(body: &[u8]) -> Result<Self, PurgeError> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Body {
            #[serde(default)]
            paths: Vec<String>,
            #[serde(default)]
            tags: Vec<String>,
        }
        let body: Body = serde_json::from_slice(body).map_err(|_| PurgeError::Shape)?;
        if body.paths.is_empty() && body.tags.is_empty() {
            return Err(PurgeError::Shape);
        }
        if body.paths.len() > MAX_PURGE_ITEMS || body.tags.len() > MAX_PURGE_ITEMS {
            return Err(PurgeError::TooMany);
        }
        if body.paths.iter().any(|p| !p.starts_with('/')) {
            return Err(PurgeError::Path);
        }
        if !body.tags.iter().all(|t| is_tag(t)) {
            return Err(PurgeError::Tag);
        }
        Ok(Self {
            paths: body.paths,
            tags: body.tags,
        })
    }

    /// Every entry key the paths name (all encoding variants).
    pub fn path_keys(&self) -> Vec<String> {
        self.paths
            .iter()
            .flat_map(|p| ENCODING_VARIANTS.iter().map(move |v| entry_key(p, v)))
            .collect()
    }
}

/// The tags of a `Cache-Tag` value: comma-separated, trimmed, valid ones
/// only, at most [`MAX_TAGS`], no duplicates.
pub fn response_tags(header: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in header.split(',').map(str::trim).filter(|t| is_tag(t)) {
        if tags.len() == MAX_TAGS {
            break;
        }
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
    tags
}

fn is_tag(tag: &str) -> bool {
    (1..=MAX_TAG_BYTES).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_graphic())
}

fn sha256_hex(text: &str) -> String {
    crate::scripts::to_hex(&Sha256::digest(text.as_bytes()))
}

/// The key of one entry: `gw:cache:origin:<sha256(target)>:<variant>`,
/// where `target` is the path and query as the origin is asked.
pub fn entry_key(target: &str, variant: &str) -> String {
    format!("gw:cache:origin:{}:{variant}", sha256_hex(target))
}

/// The key of the set of entry keys tagged `tag`.
pub fn tag_key(tag: &str) -> String {
    format!("gw:cache:tag:{}", sha256_hex(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_paths_or_tags() {
        let p = Purge::parse(br#"{"paths":["/static/a","/static/b?v=1"]}"#).unwrap();
        assert_eq!(p.paths.len(), 2);
        assert_eq!(p.path_keys().len(), 6, "three variants each");
        assert!(p.path_keys()[0].starts_with("gw:cache:origin:"));
        assert!(p.path_keys()[0].ends_with(":br"));
        let p = Purge::parse(br#"{"tags":["product-1"]}"#).unwrap();
        assert_eq!(p.tags, ["product-1"]);
        for (body, err) in [
            (&b"{}"[..], PurgeError::Shape),
            (b"not json", PurgeError::Shape),
            (br#"{"paths":[]}"#, PurgeError::Shape),
            (br#"{"keys":["a"]}"#, PurgeError::Shape),
            (br#"{"paths":["static/a"]}"#, PurgeError::Path),
            (br#"{"tags":["two words"]}"#, PurgeError::Tag),
            (br#"{"tags":[""]}"#, PurgeError::Tag),
        ] {
            assert_eq!(Purge::parse(body), Err(err));
        }
        let many = serde_json::json!({ "tags": vec!["t"; MAX_PURGE_ITEMS + 1] }).to_string();
        assert_eq!(Purge::parse(many.as_bytes()), Err(PurgeError::TooMany));
        assert!(!PurgeError::Tag.to_string().contains("two words"));
    }

    #[test]
    fn response_tags_are_checked_and_bounded() {
        assert_eq!(response_tags(" a, b ,,a, bad tag, c"), ["a", "b", "c"]);
        let long = (0..40)
            .map(|i| format!("t{i}"))
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(response_tags(&long).len(), MAX_TAGS);
        assert_eq!(tag_key("a"), tag_key("a"));
        assert_ne!(tag_key("a"), tag_key("b"));
        assert_ne!(entry_key("/a", "br"), entry_key("/a", "gzip"));
    }
}
