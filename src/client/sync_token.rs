//! Read-your-writes: the newest `upstash-sync-token` a client has seen.
//!
//! Owns: keeping the token monotonic when replies of concurrent requests
//! arrive out of order. Must not: send or read headers (the transport
//! does), or decide when a token is sent (the send loop does).

use std::sync::{Mutex, MutexGuard};

/// The newest `upstash-sync-token`, kept monotonic under concurrent requests.
#[derive(Debug)]
pub(super) struct SyncToken {
    enabled: bool,
    latest: Mutex<Option<String>>,
}

impl SyncToken {
    /// A token holder; when `enabled` is false it holds nothing and
    /// [`SyncToken::get`] always answers `None` (read-your-writes off).
    pub(super) fn new(enabled: bool) -> Self {
        Self {
            enabled,
            latest: Mutex::new(None),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<String>> {
        // A poisoned lock only means another thread panicked mid-update of a
        // plain string; the value is still a valid token.
        self.latest.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The token to send with the next request, if any.
    pub(super) fn get(&self) -> Option<String> {
        if self.enabled {
            self.lock().clone()
        } else {
            None
        }
    }

    /// Keeps `token` if it is newer than the one held. Replies of concurrent
    /// requests arrive in any order, so an older token must never replace a
    /// newer one.
    pub(super) fn observe(&self, token: Option<&str>) {
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return;
        };
        if !self.enabled {
            return;
        }
        let mut held = self.lock();
        if held.as_deref().is_none_or(|h| is_newer(token, h)) {
            *held = Some(token.to_owned());
        }
    }
}

/// Orders sync tokens: numerically when both are numbers, else by length
/// then bytes (which is numeric order for unpadded digit strings too).
fn is_newer(candidate: &str, held: &str) -> bool {
    match (candidate.parse::<u128>(), held.parse::<u128>()) {
        (Ok(c), Ok(h)) => c > h,
        _ => (candidate.len(), candidate) > (held.len(), held),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_token_only_moves_forward() {
        let s = SyncToken::new(true);
        s.observe(Some("10"));
        s.observe(Some("9"));
        assert_eq!(s.get().as_deref(), Some("10"));
        s.observe(Some("11"));
        s.observe(Some(""));
        s.observe(None);
        assert_eq!(s.get().as_deref(), Some("11"));
        let off = SyncToken::new(false);
        off.observe(Some("5"));
        assert_eq!(off.get(), None);
        assert!(is_newer("b", "a"));
        assert!(is_newer("aa", "b"));
    }
}
