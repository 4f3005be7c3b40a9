//! Redis's glob matcher (`stringmatchlen` in util.c), for MATCH options.
//!
//! Owns: byte-exact glob semantics, including Redis's quirks: `[` ranges
//! compare C `char`s (signed, so bytes >= 0x80 sort below ASCII), an
//! unterminated `[` class matches like the class so far, and a trailing
//! `\` matches itself.
//!
//! Must not: allocate or recurse without bound on hostile patterns: the
//! "skip longer matches" short cut from Redis keeps `*` runs linear, and
//! nesting deeper than [`MAX_NESTING`] stars gives up (no match) instead of
//! overflowing the stack.

/// Deepest `*` recursion tried; deeper patterns do not match.
const MAX_NESTING: usize = 1000;

/// True when `string` matches the glob `pattern` (case-sensitive).
pub fn glob_match(pattern: &[u8], string: &[u8]) -> bool {
    let mut skip_longer = false;
    match_from(pattern, string, &mut skip_longer, 0)
}

/// Byte `i` of `p`, or 0 past its end (Redis reads the C string's NUL there).
fn at(p: &[u8], i: usize) -> u8 {
    p.get(i).copied().unwrap_or(0)
}

/// A byte as C's signed `char`, for range comparisons.
fn signed(b: u8) -> i16 {
    i16::from(b as i8)
}

fn match_from(pattern: &[u8], string: &[u8], skip_longer: &mut bool, depth: usize) -> bool {
    if depth > MAX_NESTING {
        return false;
    }
    let mut p = 0usize;
    let mut s = 0usize;
    while p < pattern.len() && s < string.len() {
        match at(pattern, p) {
            b'*' => {
                while p + 1 < pattern.len() && at(pattern, p + 1) == b'*' {
                    p += 1;
                }
                if p + 1 == pattern.len() {
                    return true;
                }
                while s < string.len() {
                    if match_from(&pattern[p + 1..], &string[s..], skip_longer, depth + 1) {
                        return true;
                    }
                    if *skip_longer {
                        return false;
                    }
                    s += 1;
                }
                *skip_longer = true;
                return false;
            }
            b'?' => s += 1,
            b'[' => {
                p += 1;
                let negate = at(pattern, p) == b'^';
                if negate {
                    p += 1;
                }
                let c = at(string, s);
                let mut matched = false;
                loop {
                    if at(pattern, p) == b'\\' && pattern.len().saturating_sub(p) >= 2 {
                        p += 1;
                        if at(pattern, p) == c {
                            matched = true;
                        }
                    } else if at(pattern, p) == b']' {
                        break;
                    } else if p >= pattern.len() {
                        // Unterminated class: step back so the outer loop ends.
                        p = p.saturating_sub(1);
                        break;
                    } else if pattern.len() - p >= 3 && at(pattern, p + 1) == b'-' {
                        let (mut lo, mut hi) = (signed(at(pattern, p)), signed(at(pattern, p + 2)));
                        if lo > hi {
                            std::mem::swap(&mut lo, &mut hi);
                        }
                        p += 2;
                        let ch = signed(c);
                        if ch >= lo && ch <= hi {
                            matched = true;
                        }
                    } else if at(pattern, p) == c {
                        matched = true;
                    }
                    p += 1;
                }
                if negate {
                    matched = !matched;
                }
                if !matched {
                    return false;
                }
                s += 1;
            }
            first => {
                let literal = if first == b'\\' && pattern.len() - p >= 2 {
                    p += 1;
                    at(pattern, p)
                } else {
                    first
                };
                if literal != at(string, s) {
                    return false;
                }
                s += 1;
            }
        }
        p += 1;
        if s == string.len() {
            while at(pattern, p) == b'*' && p < pattern.len() {
                p += 1;
            }
            break;
        }
    }
    p >= pattern.len() && s == string.len()
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn matches_like_redis() {
        let cases: &[(&str, &str, bool)] = &[
            // Redis quirk: a pattern never matches an empty string.
            ("*", "", false),
            ("*", "abc", true),
            ("a*", "abc", true),
            ("a*c", "abc", true),
            ("a*d", "abc", false),
            ("?", "a", true),
            ("?", "", false),
            ("a?c", "abc", true),
            ("[abc]", "b", true),
            ("[^abc]", "b", false),
            ("[^abc]", "d", true),
            ("[a-c]x", "bx", true),
            ("[c-a]x", "bx", true),
            ("[a-c]", "d", false),
            ("\\*", "*", true),
            ("\\*", "a", false),
            ("a\\", "a\\", true),
            ("[ab", "a", true),
            ("[\\]]", "]", true),
            ("h*llo", "hello", true),
            ("h*llo", "hllo", true),
            ("*a*b*c*", "xaybzc", true),
            ("*a*b*c*", "xaybz", false),
            ("", "", true),
            ("", "a", false),
            ("abc", "ab", false),
            ("ab", "abc", false),
            ("a**", "a", true),
        ];
        for (pattern, string, want) in cases {
            assert_eq!(
                glob_match(pattern.as_bytes(), string.as_bytes()),
                *want,
                "{pattern:?} vs {string:?}"
            );
        }
    }
}
