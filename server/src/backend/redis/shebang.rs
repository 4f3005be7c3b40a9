//! Serving scripts whose shebang names flags the backend's Redis does not
//! know: @upstash/ratelimit 2.x starts its scripts with
//! `#!lua flags=allow-key-locking`, which Redis before 7.4 refuses
//! (`Unexpected flag in script shebang`).
//!
//! Owns: the rewrite (unknown flags dropped from the shebang line, the rest
//! kept) and the SHA-1 bookkeeping that keeps the client's view intact:
//! `EVALSHA` of the original script's SHA-1 runs the rewritten script,
//! `SCRIPT LOAD` of the original answers the original's SHA-1, and
//! `SCRIPT EXISTS` of it asks about the rewritten one. The map fills as
//! scripts are seen (EVAL or SCRIPT LOAD); an EVALSHA of a script not yet
//! seen goes to Redis unchanged and gets NOSCRIPT, after which clients send
//! EVAL, as they do on any fresh Redis. Only EVAL*, EVALSHA* and SCRIPT
//! commands are looked at, and only when the backend needs the rewrite.
//! Must not: change a script's body beyond its first line.

use std::collections::HashMap;
use std::sync::RwLock;

use edgestash::scripts::sha1_hex;

/// Shebang flags and the Redis version (major, minor) that knows them.
const FLAG_SINCE: &[(&str, (u32, u32))] = &[
    ("no-writes", (7, 0)),
    ("allow-oom", (7, 0)),
    ("allow-stale", (7, 0)),
    ("no-cluster", (7, 0)),
    ("allow-cross-slot-keys", (7, 0)),
    ("allow-key-locking", (7, 4)),
];

/// The rewrite for one backend, with the SHA-1s seen so far.
#[derive(Debug)]
pub struct Shebang {
    /// Flags this backend does not know.
    unknown: Vec<&'static str>,
    /// Original script SHA-1 -> SHA-1 of the script as sent.
    sent: RwLock<HashMap<String, String>>,
}

/// A request after the rewrite: the commands to send, and the replies to
/// put back (`SCRIPT LOAD` answers the original's SHA-1).
#[derive(Debug, Default)]
pub struct Rewritten {
    /// The commands to send.
    pub cmds: Vec<Vec<Vec<u8>>>,
    /// (index, SHA-1 to answer) for each rewritten SCRIPT LOAD.
    pub load_replies: Vec<(usize, String)>,
}

/// Parses `redis_version:X.Y.Z` out of `INFO server`.
pub fn version(info: &str) -> Option<(u32, u32)> {
    let v = info
        .lines()
        .find_map(|l| l.trim().strip_prefix("redis_version:"))?;
    let mut parts = v.trim().split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

impl Shebang {
    /// The rewrite a Redis of `version` needs; `None` when it knows every
    /// flag (nothing to do, and no cost per request).
    pub fn for_version(version: (u32, u32)) -> Option<Self> {
        let unknown: Vec<&'static str> = FLAG_SINCE
            .iter()
            .filter(|(_, since)| version < *since)
            .map(|(f, _)| *f)
            .collect();
        (!unknown.is_empty()).then(|| Self {
            unknown,
            sent: RwLock::new(HashMap::new()),
        })
    }

    /// The script as sent: its shebang without the unknown flags; `None`
    /// when it needs no change.
    fn rewrite_body(&self, body: &[u8]) -> Option<Vec<u8>> {
        let line_end = body.iter().position(|b| *b == b'\n').unwrap_or(body.len());
        let line = std::str::from_utf8(&body[..line_end]).ok()?;
        let rest = line.strip_prefix("#!")?;
        let mut words = rest.split_whitespace();
        let engine = words.next()?;
        let mut kept_words = vec![engine.to_owned()];
        let mut changed = false;
        for w in words {
            match w.strip_prefix("flags=") {
                Some(flags) => {
                    let kept: Vec<&str> = flags
                        .split(',')
                        .filter(|f| {
                            let drop = self.unknown.contains(f);
                            changed |= drop;
                            !drop
                        })
                        .collect();
                    kept_words.push(format!("flags={}", kept.join(",")));
                }
                None => kept_words.push(w.to_owned()),
            }
        }
        if !changed {
            return None;
        }
        let mut out = format!("#!{}", kept_words.join(" ")).into_bytes();
        out.extend_from_slice(&body[line_end..]);
        Some(out)
    }

    /// Records `body`'s rewrite, returning the body to send (and its
    /// original SHA-1) when it changed.
    fn remember(&self, body: &[u8]) -> Option<(Vec<u8>, String)> {
        let sent = self.rewrite_body(body)?;
        let original = sha1_hex(body);
        if let Ok(mut map) = self.sent.write() {
            map.insert(original.clone(), sha1_hex(&sent));
        }
        Some((sent, original))
    }

    /// The SHA-1 to send for `sha` (the rewritten script's, if known).
    fn mapped(&self, sha: &[u8]) -> Option<Vec<u8>> {
        let key = std::str::from_utf8(sha).ok()?.to_ascii_lowercase();
        let map = self.sent.read().ok()?;
        map.get(&key).map(|s| s.clone().into_bytes())
    }

    /// The request to send; `None` when nothing in it concerns scripts (the
    /// common case: no copy).
    pub fn outgoing(&self, cmds: &[Vec<Vec<u8>>]) -> Option<Rewritten> {
        let is_script = |c: &Vec<Vec<u8>>| {
            c.first().is_some_and(|n| {
                [
                    &b"EVAL"[..],
                    b"EVAL_RO",
                    b"EVALSHA",
                    b"EVALSHA_RO",
                    b"SCRIPT",
                ]
                .iter()
                .any(|s| n.eq_ignore_ascii_case(s))
            })
        };
        if !cmds.iter().any(is_script) {
            return None;
        }
        let mut out = Rewritten {
            cmds: cmds.to_vec(),
            load_replies: Vec::new(),
        };
        for (i, c) in out.cmds.iter_mut().enumerate() {
            let name = c
                .first()
                .map(|n| n.to_ascii_uppercase())
                .unwrap_or_default();
            match name.as_slice() {
                b"EVAL" | b"EVAL_RO" => {
                    if let Some((sent, _)) = c.get(1).and_then(|b| self.remember(b)) {
                        c[1] = sent;
                    }
                }
                b"EVALSHA" | b"EVALSHA_RO" => {
                    if let Some(sha) = c.get(1).and_then(|s| self.mapped(s)) {
                        c[1] = sha;
                    }
                }
                b"SCRIPT" => {
                    let sub = c.get(1).map(|s| s.to_ascii_uppercase()).unwrap_or_default();
                    if sub == b"LOAD" {
                        if let Some((sent, original)) = c.get(2).and_then(|b| self.remember(b)) {
                            c[2] = sent;
                            out.load_replies.push((i, original));
                        }
                    } else if sub == b"EXISTS" {
                        for sha in c.iter_mut().skip(2) {
                            if let Some(m) = self.mapped(sha) {
                                *sha = m;
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn versions_and_flags() {
        assert_eq!(
            version("# Server\r\nredis_version:7.0.15\r\n"),
            Some((7, 0))
        );
        assert!(Shebang::for_version((7, 4)).is_none());
        let s = Shebang::for_version((7, 0)).unwrap();
        assert_eq!(
            s.rewrite_body(b"#!lua flags=allow-key-locking\nreturn 1"),
            Some(b"#!lua flags=\nreturn 1".to_vec())
        );
        assert_eq!(
            s.rewrite_body(b"#!lua flags=no-writes,allow-key-locking\nreturn 1"),
            Some(b"#!lua flags=no-writes\nreturn 1".to_vec())
        );
        assert_eq!(s.rewrite_body(b"#!lua flags=no-writes\nreturn 1"), None);
        assert_eq!(s.rewrite_body(b"return 1"), None);
    }

    #[test]
    fn shas_stay_the_originals() {
        let s = Shebang::for_version((7, 0)).unwrap();
        let body = "#!lua flags=allow-key-locking\nreturn 1";
        let original = sha1_hex(body.as_bytes());
        let sent = sha1_hex(b"#!lua flags=\nreturn 1");
        assert!(s.outgoing(&[parts(&["GET", "k"])]).is_none());
        let r = s
            .outgoing(&[
                parts(&["SCRIPT", "LOAD", body]),
                parts(&["EVALSHA", &original, "0"]),
            ])
            .unwrap();
        assert_eq!(r.load_replies, vec![(0, original.clone())]);
        assert_eq!(r.cmds[1][1], sent.as_bytes());
        let r = s
            .outgoing(&[parts(&["SCRIPT", "EXISTS", &original, "abc"])])
            .unwrap();
        assert_eq!(r.cmds[0][2], sent.as_bytes());
        assert_eq!(r.cmds[0][3], b"abc");
    }
}
