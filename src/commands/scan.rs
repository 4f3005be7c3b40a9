//! Options of the cursor commands: SCAN over keys, and HSCAN, SSCAN, ZSCAN
//! over the members of one key.
//!
//! They are two types on purpose: SCAN's MATCH is a pattern over key names
//! (marked as a pattern, so a namespace layer can scope it) and SCAN alone
//! has TYPE; the member scans' MATCH is over fields or members, a plain value.

use crate::protocol::{Command, KeyType, ToArg};

/// Options of SCAN: `ScanOptions::default().pattern("user:*").count(100)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanOptions {
    /// MATCH: a glob pattern over key names.
    pub pattern: Option<Vec<u8>>,
    /// COUNT: a hint of how much work one call does.
    pub count: Option<u64>,
    /// TYPE: only keys of this type.
    pub key_type: Option<KeyType>,
}

impl ScanOptions {
    /// MATCH: only keys matching the glob `pattern`.
    pub fn pattern(mut self, pattern: impl ToArg) -> Self {
        self.pattern = Some(pattern.to_arg());
        self
    }
    /// COUNT: how many keys one call looks at, roughly.
    pub fn count(mut self, count: u64) -> Self {
        self.count = Some(count);
        self
    }
    /// TYPE: only keys of `key_type`.
    pub fn key_type(mut self, key_type: KeyType) -> Self {
        self.key_type = Some(key_type);
        self
    }

    pub(crate) fn apply(&self, mut cmd: Command) -> Command {
        if let Some(p) = &self.pattern {
            cmd = cmd.arg("MATCH").pattern(p);
        }
        if let Some(n) = self.count {
            cmd = cmd.arg("COUNT").arg(n);
        }
        if let Some(t) = &self.key_type {
            cmd = cmd.arg("TYPE").arg(t.as_str());
        }
        cmd
    }
}

/// Options of HSCAN, SSCAN and ZSCAN: `MemberScanOptions::default().pattern("a*")`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberScanOptions {
    /// MATCH: a glob pattern over fields or members (not key names).
    pub pattern: Option<Vec<u8>>,
    /// COUNT: a hint of how much work one call does.
    pub count: Option<u64>,
}

impl MemberScanOptions {
    /// MATCH: only fields or members matching the glob `pattern`.
    pub fn pattern(mut self, pattern: impl ToArg) -> Self {
        self.pattern = Some(pattern.to_arg());
        self
    }
    /// COUNT: how many elements one call looks at, roughly.
    pub fn count(mut self, count: u64) -> Self {
        self.count = Some(count);
        self
    }

    pub(crate) fn apply(&self, mut cmd: Command) -> Command {
        if let Some(p) = &self.pattern {
            // Members are data, not key names: a namespace must not touch them.
            cmd = cmd.arg("MATCH").arg(p);
        }
        if let Some(n) = self.count {
            cmd = cmd.arg("COUNT").arg(n);
        }
        cmd
    }
}
