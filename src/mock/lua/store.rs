//! The engine's script cache and function libraries: what SCRIPT and
//! FUNCTION manage, kept with the keyspace (FLUSHDB leaves it alone, as in
//! Redis).
//!
//! Owns: script bodies by SHA-1 and library metadata and code. The
//! interpreter (feature `lua`) lives here too, so a script's compiled form
//! is dropped exactly when its body is. Must not: run scripts (see `vm`).

use std::collections::HashMap;

use crate::mock::sorted_map::SortedMap;

/// One function a library registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionMeta {
    /// The optional description given to `register_function`.
    pub description: Option<Vec<u8>>,
    /// The flags, as given (FUNCTION LIST prints them).
    pub flags: Vec<String>,
    /// True when `no-writes` is among the flags.
    pub no_writes: bool,
}

/// A library loaded by FUNCTION LOAD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Library {
    /// The whole body, shebang included (FUNCTION LIST WITHCODE).
    pub code: Vec<u8>,
    /// Its functions by name.
    pub functions: SortedMap<String, FunctionMeta>,
}

/// Scripts and function libraries.
#[derive(Default)]
pub struct ScriptStore {
    /// Script bodies by SHA-1 (lower-case hex), from EVAL and SCRIPT LOAD.
    bodies: HashMap<String, Vec<u8>>,
    /// Libraries by name.
    pub libraries: SortedMap<String, Library>,
    /// The interpreter, created on first use; `None` while a script runs
    /// (the running script holds it).
    #[cfg(feature = "lua")]
    pub vm: Option<Box<super::vm::Vm>>,
}

impl std::fmt::Debug for ScriptStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScriptStore")
            .field("scripts", &self.bodies.len())
            .field("libraries", &self.libraries.len())
            .finish_non_exhaustive()
    }
}

impl ScriptStore {
    /// True when a script with this SHA-1 (lower-case hex) is cached.
    pub fn contains(&self, sha1: &str) -> bool {
        self.bodies.contains_key(sha1)
    }

    /// The body cached under `sha1`.
    pub fn body(&self, sha1: &str) -> Option<&[u8]> {
        self.bodies.get(sha1).map(Vec::as_slice)
    }

    /// Caches `body` under its SHA-1.
    pub fn insert(&mut self, sha1: String, body: &[u8]) {
        self.bodies.entry(sha1).or_insert_with(|| body.to_vec());
    }

    /// SCRIPT FLUSH: forgets every script (functions stay, as in Redis).
    pub fn flush_scripts(&mut self) {
        self.bodies.clear();
        #[cfg(feature = "lua")]
        if let Some(vm) = self.vm.as_mut() {
            vm.forget_scripts();
        }
    }

    /// The library that registered function `name`, and its metadata.
    pub fn function(&self, name: &str) -> Option<(&str, &FunctionMeta)> {
        self.libraries
            .iter()
            .find_map(|(lib, l)| l.functions.get(name).map(|m| (lib.as_str(), m)))
    }
}
