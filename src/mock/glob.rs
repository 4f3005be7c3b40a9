//! Redis's glob matcher (`stringmatchlen`) for SSCAN/ZSCAN `MATCH`.
//!
//! Owns: matching bytes against a pattern with `*`, `?`, `[...]` (ranges,
//! `^` negation) and `\` escapes, exactly as Redis does. Must not: allocate
//! per call or recurse without bound on hostile patterns (stars collapse).
//!
//! Private to the set/sorted-set scans; the keys family may share one later.

/// True when `s` matches the glob `pattern`.
pub fn matches(pattern: &[u8], s: &[u8]) -> bool {
    matches_at(pattern, s, 0)
}

fn matches_at(mut p: &[u8], mut s: &[u8], depth: usize) -> bool {
    // Redis bounds nesting the same way (it gives up past a depth).
    if depth > 1000 {
        return false;
    }
    while let Some(&c) = p.first() {
        match c {
            b'*' => {
                while p.len() > 1 && p.get(1) == Some(&b'*') {
                    p = &p[1..];
                }
                if p.len() == 1 {
                    return true;
                }
                for i in 0..=s.len() {
                    if matches_at(&p[1..], &s[i..], depth + 1) {
                        return true;
                    }
                }
                return false;
            }
            b'?' => {
                if s.is_empty() {
                    return false;
                }
                s = &s[1..];
            }
            b'[' => {
                let Some(&ch) = s.first() else {
                    return false;
                };
                p = &p[1..];
                let negate = p.first() == Some(&b'^');
                if negate {
                    p = &p[1..];
                }
                let mut matched = false;
                loop {
                    match p {
                        [b'\\', esc, ..] if p.len() >= 2 => {
                            if *esc == ch {
                                matched = true;
                            }
                            p = &p[2..];
                        }
                        [b']', ..] => break,
                        [] => {
                            // Unterminated class: Redis treats the end as ']'.
                            break;
                        }
                        [lo, b'-', hi, ..] if p.len() >= 3 => {
                            let (a, b) = if lo <= hi { (*lo, *hi) } else { (*hi, *lo) };
                            if ch >= a && ch <= b {
                                matched = true;
                            }
                            p = &p[3..];
                        }
                        [x, ..] => {
                            if *x == ch {
                                matched = true;
                            }
                            p = &p[1..];
                        }
                    }
                }
                if negate {
                    matched = !matched;
                }
                if !matched {
                    return false;
                }
                s = &s[1..];
                if p.is_empty() {
                    return s.is_empty();
                }
            }
            b'\\' if p.len() >= 2 => {
                p = &p[1..];
                if s.first() != p.first() {
                    return false;
                }
                s = &s[1..];
            }
            _ => {
                if s.first() != Some(&c) {
                    return false;
                }
                s = &s[1..];
            }
        }
        p = &p[1..];
        if s.is_empty() {
            return p.iter().all(|&b| b == b'*');
        }
    }
    s.is_empty()
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn globs_like_redis() {
        assert!(matches(b"*", b""));
        assert!(matches(b"a*", b"abc"));
        assert!(!matches(b"a*", b"bc"));
        assert!(matches(b"h?llo", b"hello"));
        assert!(matches(b"h[ae]llo", b"hallo"));
        assert!(!matches(b"h[^e]llo", b"hello"));
        assert!(matches(b"h[a-b]llo", b"hbllo"));
        assert!(matches(b"h\\*llo", b"h*llo"));
        assert!(!matches(b"h\\*llo", b"hello"));
        assert!(matches(b"*b*", b"abc"));
        assert!(!matches(b"abc", b"ab"));
        assert!(matches(b"m1*", b"m12"));
    }
}
