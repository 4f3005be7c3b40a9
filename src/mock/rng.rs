//! The engine's random numbers, for commands that pick at random
//! (HRANDFIELD and, later, SRANDMEMBER, SPOP, ZRANDMEMBER, RANDOMKEY).
//!
//! Owns: one small PCG generator per keyspace with a fixed seed, so an
//! engine's picks are reproducible and no entropy source (`getrandom`) is
//! needed on wasm32. `oorandom` is a dependency-free, `no_std` PCG crate made
//! for exactly this (seeded, deterministic), so nothing is hand-rolled.
//!
//! Must not: be used where unpredictability matters (tokens, ids).

/// A seeded pseudo-random generator.
#[derive(Debug, Clone)]
pub struct EngineRng(oorandom::Rand64);

/// Fixed seed: every new engine draws the same sequence.
const SEED: u128 = 0x6564_6765_7374_6173_6800_0000_0000_0001;

impl Default for EngineRng {
    fn default() -> Self {
        Self(oorandom::Rand64::new(SEED))
    }
}

impl EngineRng {
    /// A uniform index in `0..len`; 0 when `len` is 0.
    pub fn index(&mut self, len: usize) -> usize {
        if len == 0 {
            return 0;
        }
        let picked = self.0.rand_range(0..len as u64);
        usize::try_from(picked).unwrap_or(0)
    }
}
