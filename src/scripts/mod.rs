//! edgestash's own Lua scripts: their sources (the `.lua` files beside this
//! module) and SHA-1s, in one registry.
//!
//! Owns: the list of vetted scripts. The rate limiter and sessions send them
//! (EVALSHA, EVAL on NOSCRIPT); the namespace allows exactly these; the
//! embedded engine recognises them by SHA-1 and runs a native equivalent.
//! Pure: no I/O, no `cfg(target_arch)`.
//!
//! Must not: hold a script that touches keys other than its KEYS[] (the
//! namespace prefixes KEYS, never keys a script computes).

/// One vetted script.
#[derive(Debug, PartialEq, Eq)]
pub struct ScriptSource {
    /// A short name for logs and errors (never the body).
    pub name: &'static str,
    /// The Lua source, as sent with EVAL.
    pub source: &'static str,
    /// Its SHA-1 in lower-case hex, as EVALSHA takes it (checked by a test).
    pub sha1: &'static str,
}

/// Rate limiter, fixed window (see `src/ratelimit/fixed_window.rs`).
pub const RATELIMIT_FIXED_WINDOW: ScriptSource = ScriptSource {
    name: "ratelimit_fixed_window",
    source: include_str!("ratelimit_fixed_window.lua"),
    sha1: "bacc90a45fb57f8283d6dff72ebaafcaeaf9b2f0",
};

/// Rate limiter, sliding window (see `src/ratelimit/sliding_window.rs`).
pub const RATELIMIT_SLIDING_WINDOW: ScriptSource = ScriptSource {
    name: "ratelimit_sliding_window",
    source: include_str!("ratelimit_sliding_window.lua"),
    sha1: "640c71f4456bbafdf7c9a033695996fb4837a4ee",
};

/// Rate limiter, token bucket (see `src/ratelimit/token_bucket.rs`).
pub const RATELIMIT_TOKEN_BUCKET: ScriptSource = ScriptSource {
    name: "ratelimit_token_bucket",
    source: include_str!("ratelimit_token_bucket.lua"),
    sha1: "36f8e74c879a91d3b24214d3dbe34cdca8e27cb7",
};

/// Every script edgestash sends. Add new scripts here.
pub const ALL: &[&ScriptSource] = &[
    &RATELIMIT_FIXED_WINDOW,
    &RATELIMIT_SLIDING_WINDOW,
    &RATELIMIT_TOKEN_BUCKET,
];

/// The script with this SHA-1 (hex, any case), if it is one of ours.
pub fn by_sha1(sha1: &[u8]) -> Option<&'static ScriptSource> {
    ALL.iter()
        .copied()
        .find(|s| s.sha1.as_bytes().eq_ignore_ascii_case(sha1))
}

/// The SHA-1 of `body` in lower-case hex: how Redis names scripts.
pub fn sha1_hex(body: &[u8]) -> String {
    use sha1::Digest;
    to_hex(&sha1::Sha1::digest(body))
}

/// Bytes as lower-case hex.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        hex.push(char::from(DIGITS[usize::from(b >> 4)]));
        hex.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_sha1s_match_the_sources() {
        for s in ALL {
            assert_eq!(sha1_hex(s.source.as_bytes()), s.sha1, "{}", s.name);
            assert_eq!(by_sha1(s.sha1.to_uppercase().as_bytes()), Some(*s));
        }
        assert_eq!(
            sha1_hex(b"return 1"),
            "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"
        );
    }
}
