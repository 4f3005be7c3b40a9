//! Which commands only read, so that retrying them can never apply a change twice.
//!
//! The answer is the command catalogue's ([`crate::catalog::Command::is_read_only`]:
//! Redis's `readonly` flag, plus PING, ECHO and TIME). A command unknown to
//! the catalogue counts as a write and is retried only when the caller opts
//! in to retrying writes.

/// True when `name` (any case) only reads data.
pub fn is_read_only(name: &str) -> bool {
    crate::catalog::lookup(name.as_bytes()).is_some_and(|c| c.is_read_only())
}

#[cfg(test)]
mod tests {
    #[test]
    fn classifies() {
        assert!(super::is_read_only("get"));
        assert!(super::is_read_only("PING"));
        assert!(super::is_read_only("evalsha_ro"));
        assert!(!super::is_read_only("INCR"));
        assert!(!super::is_read_only("EVAL"));
        assert!(!super::is_read_only("PUBLISH"));
        assert!(!super::is_read_only("NOSUCH"));
    }
}
