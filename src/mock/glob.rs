//! Glob matching exactly as Redis's `stringmatchlen` (util.c, 7.0): KEYS,
//! SCAN MATCH and, later, the other pattern-taking commands.
//!
//! Owns: the byte-level matcher, case-sensitive only (Redis's `nocase` is
//! never set by the commands the engine serves). Must not: allocate or
//! recurse without bound; a hostile pattern is user input.
//!
//! Why a port rather than a glob crate: Redis's rules have quirks no general
//! glob crate reproduces (an unclosed `[` matches as if closed, ranges may be
//! reversed, bytes compare as signed C `char`, `\` escapes inside classes),
//! and KEYS replies must match Redis byte for byte.

/// Deepest `*` nesting tried before giving up with "no match"; bounds the
/// recursion a pattern like `*a*a*a…` causes.
const MAX_NESTING: usize = 1000;

/// True when `string` matches the Redis glob `pattern`.
pub fn matches(pattern: &[u8], string: &[u8]) -> bool {
    let mut skip_longer = false;
    match_from(pattern, string, &mut skip_longer, 0)
}

/// Pattern byte at `i`, or 0 past the end: the C code reads the sds NUL
/// terminator there, and its comparisons rely on that.
fn at(p: &[u8], i: usize) -> u8 {
    p.get(i).copied().unwrap_or(0)
}

/// A byte as C's signed `char` on the platforms Redis ships for.
fn signed(b: u8) -> i32 {
    i32::from(b as i8)
}

fn match_from(pat: &[u8], s: &[u8], skip_longer: &mut bool, nesting: usize) -> bool {
    if nesting > MAX_NESTING {
        return false;
    }
    let mut p = 0usize; // index into pat; pattern length left = pat.len() - p
    let mut i = 0usize; // index into s
    while p < pat.len() && i < s.len() {
        match pat[p] {
            b'*' => {
                while p < pat.len() && at(pat, p + 1) == b'*' {
                    p += 1;
                }
                if pat.len() - p == 1 {
                    return true;
                }
                while i < s.len() {
                    if match_from(&pat[p + 1..], &s[i..], skip_longer, nesting + 1) {
                        return true;
                    }
                    if *skip_longer {
                        return false;
                    }
                    i += 1;
                }
                *skip_longer = true;
                return false;
            }
            b'?' => i += 1,
            b'[' => {
                p += 1;
                let not = at(pat, p) == b'^';
                if not {
                    p += 1;
                }
                let c = s[i];
                let mut matched = false;
                loop {
                    let left = pat.len().saturating_sub(p);
                    if at(pat, p) == b'\\' && left >= 2 {
                        p += 1;
                        if at(pat, p) == c {
                            matched = true;
                        }
                    } else if at(pat, p) == b']' {
                        break;
                    } else if left == 0 {
                        // Unclosed class: step back so the shared advance
                        // below lands exactly at the end.
                        p -= 1;
                        break;
                    } else if left >= 3 && at(pat, p + 1) == b'-' {
                        let (mut start, mut end) = (signed(at(pat, p)), signed(at(pat, p + 2)));
                        if start > end {
                            std::mem::swap(&mut start, &mut end);
                        }
                        p += 2;
                        let ch = signed(c);
                        if ch >= start && ch <= end {
                            matched = true;
                        }
                    } else if at(pat, p) == c {
                        matched = true;
                    }
                    p += 1;
                }
                if not {
                    matched = !matched;
                }
                if !matched {
                    return false;
                }
                i += 1;
            }
            b'\\' => {
                if pat.len() - p >= 2 {
                    p += 1;
                }
                if pat[p] != s[i] {
                    return false;
                }
                i += 1;
            }
            other => {
                if other != s[i] {
                    return false;
                }
                i += 1;
            }
        }
        p += 1;
        if i == s.len() {
            while at(pat, p) == b'*' && p < pat.len() {
                p += 1;
            }
            break;
        }
    }
    p >= pat.len() && i == s.len()
}

#[cfg(test)]
mod tests {
    use super::matches;

    fn m(p: &str, s: &str) -> bool {
        matches(p.as_bytes(), s.as_bytes())
    }

    #[crate::unit_test]
    fn stars_and_questions() {
        assert!(!m("*", ""), "stringmatchlen never matches an empty key");
        assert!(m("*", "abc"));
        assert!(m("a*", "a"));
        assert!(m("a*c", "abbbc"));
        assert!(!m("a*c", "abbbd"));
        assert!(m("h?llo", "hello"));
        assert!(!m("h?llo", "hllo"));
        assert!(m("**a**", "xax"));
        assert!(!m("", "a"));
        assert!(m("", ""));
        assert!(!m("?", ""));
    }

    #[crate::unit_test]
    fn classes() {
        assert!(m("h[ae]llo", "hallo"));
        assert!(!m("h[ae]llo", "hillo"));
        assert!(m("h[^e]llo", "hallo"));
        assert!(!m("h[^e]llo", "hello"));
        assert!(m("h[a-b]llo", "hbllo"));
        assert!(m("h[b-a]llo", "hallo"), "reversed ranges work");
        assert!(m("[\\]]", "]"));
        assert!(
            !m("[a-]", "-"),
            "a-] is a range up to ']' and the class stays open"
        );
        assert!(m("a[bc", "ab"), "an unclosed class matches as if closed");
        assert!(!m("a[", "a"));
    }

    #[crate::unit_test]
    fn escapes() {
        assert!(m("a\\*b", "a*b"));
        assert!(!m("a\\*b", "axb"));
        assert!(m("a\\", "a\\"), "a trailing backslash is literal");
        assert!(m("\\?", "?"));
    }

    #[crate::unit_test]
    fn signed_byte_ranges() {
        // In C, 0x80..0xff are negative chars: [\x01-\xff] swaps to
        // [\xff-\x01] = -1..1, which excludes 'a'.
        assert!(!matches(b"[\x01-\xff]", b"a"));
        assert!(matches(b"[\x01-\xff]", b"\x01"));
    }

    #[crate::unit_test]
    fn deep_patterns_end() {
        let p = "*a".repeat(5000);
        assert!(!matches(p.as_bytes(), "b".repeat(100).as_bytes()));
    }
}
