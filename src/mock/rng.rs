//! A small deterministic pseudo-random generator for RANDOMKEY, HRANDFIELD,
//! SPOP, SRANDMEMBER and ZRANDMEMBER.
//!
//! Owns: picking indexes. Must not: read entropy from the system (no
//! getrandom: the engine also runs on wasm32 and tests want repeatable runs).

/// SplitMix64: tiny, fast, good enough statistical quality for picking members.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Default for Rng {
    fn default() -> Self {
        Self::new(0x5EED_0FED_6E57_A5A5)
    }
}

impl Rng {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let n64 = n as u64;
        usize::try_from(self.next_u64() % n64).unwrap_or(0)
    }

    /// `k` distinct indexes of `0..n` (all of them when `k >= n`), in random order.
    pub fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        let k = k.min(n);
        for i in 0..k {
            let j = i + self.below(n - i);
            all.swap(i, j);
        }
        all.truncate(k);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[crate::unit_test]
    fn distinct_picks_are_distinct_and_in_range() {
        let mut rng = Rng::default();
        let mut picks = rng.distinct(10, 7);
        picks.sort_unstable();
        picks.dedup();
        assert_eq!(picks.len(), 7);
        assert!(picks.iter().all(|&i| i < 10));
        assert_eq!(rng.distinct(3, 9).len(), 3);
        assert!((0..100).all(|_| rng.below(5) < 5));
    }
}
