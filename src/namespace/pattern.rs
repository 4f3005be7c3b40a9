//! Glob escaping: a prefix placed in front of a KEYS or SCAN MATCH pattern
//! must match only itself.
//!
//! Redis's glob (`stringmatchlen`) treats `* ? [ ] \` specially; each gets a
//! backslash so the prefix is literal. Workspace prefixes contain none of
//! them today; escaping keeps that true for any prefix.

/// The bytes of `prefix` with every glob metacharacter escaped.
pub(crate) fn escape_glob(prefix: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(prefix.len() + 4);
    for &b in prefix {
        if matches!(b, b'\\' | b'*' | b'?' | b'[' | b']') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_metacharacter() {
        assert_eq!(escape_glob(b"ws:42:"), b"ws:42:".to_vec());
        assert_eq!(escape_glob(br"a*b?c[d]e\f"), br"a\*b\?c\[d\]e\\f".to_vec());
        assert_eq!(escape_glob(b""), Vec::<u8>::new());
    }
}
