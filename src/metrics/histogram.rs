//! A lock-free latency histogram with fixed exponential buckets.
//!
//! Owns: recording one latency (one atomic add per counter, no lock, so it
//! can sit on every request's path) and a consistent-enough snapshot for
//! exposition. Must not: allocate per observation or change its bucket
//! bounds at run time (snapshots of different processes are summed by
//! Prometheus, which needs identical `le` labels).

use std::sync::atomic::{AtomicU64, Ordering};

/// Upper bounds of the buckets in microseconds: 50 µs doubling up to about
/// 26 s, plus an overflow bucket. Fixed bounds keep recording to one atomic
/// add and make snapshots comparable across processes (Prometheus `le`).
pub const BOUNDS_US: [u64; 20] = [
    50, 100, 200, 400, 800, 1_600, 3_200, 6_400, 12_800, 25_600, 51_200, 102_400, 204_800, 409_600,
    819_200, 1_638_400, 3_276_800, 6_553_600, 13_107_200, 26_214_400,
];

/// Counts of observations per bucket, their sum and their number.
#[derive(Debug, Default)]
pub struct Histogram {
    buckets: [AtomicU64; BOUNDS_US.len() + 1],
    sum_us: AtomicU64,
    count: AtomicU64,
}

/// A point-in-time copy of a [`Histogram`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HistogramSnapshot {
    /// Per-bucket counts (not cumulative); the last is the overflow bucket.
    pub buckets: Vec<u64>,
    /// Sum of all observations in microseconds.
    pub sum_us: u64,
    /// Number of observations.
    pub count: u64,
}

impl Histogram {
    /// Records one observation.
    pub fn record(&self, micros: u64) {
        let index = BOUNDS_US.partition_point(|&b| b < micros);
        if let Some(bucket) = self.buckets.get(index) {
            bucket.fetch_add(1, Ordering::Relaxed);
        }
        self.sum_us.fetch_add(micros, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    /// Copies the current counts.
    pub fn snapshot(&self) -> HistogramSnapshot {
        HistogramSnapshot {
            buckets: self
                .buckets
                .iter()
                .map(|b| b.load(Ordering::Relaxed))
                .collect(),
            sum_us: self.sum_us.load(Ordering::Relaxed),
            count: self.count.load(Ordering::Relaxed),
        }
    }
}

impl HistogramSnapshot {
    /// Estimates the `q` quantile (0.0..=1.0) in microseconds by linear
    /// interpolation inside the bucket that holds it; `None` when empty.
    ///
    /// The overflow bucket has no upper bound, so a quantile that falls there
    /// reports the last finite bound: a lower bound of the truth.
    pub fn quantile_us(&self, q: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let rank = q.clamp(0.0, 1.0) * self.count as f64;
        let mut seen = 0u64;
        for (i, &n) in self.buckets.iter().enumerate() {
            if n == 0 {
                continue;
            }
            if (seen + n) as f64 >= rank {
                let lower = if i == 0 { 0 } else { BOUNDS_US[i - 1] } as f64;
                let Some(&upper) = BOUNDS_US.get(i) else {
                    return Some(lower);
                };
                let within = (rank - seen as f64) / n as f64;
                return Some(lower + (upper as f64 - lower) * within.clamp(0.0, 1.0));
            }
            seen += n;
        }
        BOUNDS_US.last().map(|&b| b as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_inclusive_upper_bounds() {
        let h = Histogram::default();
        h.record(50);
        h.record(51);
        h.record(0);
        h.record(u64::MAX / 4);
        let s = h.snapshot();
        assert_eq!(s.buckets[0], 2, "0 and 50 are <= 50");
        assert_eq!(s.buckets[1], 1, "51 is in (50, 100]");
        assert_eq!(s.buckets[BOUNDS_US.len()], 1, "overflow");
        assert_eq!(s.count, 4);
    }

    #[test]
    fn quantiles_interpolate_within_buckets() {
        let h = Histogram::default();
        assert_eq!(h.snapshot().quantile_us(0.5), None);
        for _ in 0..100 {
            h.record(150); // all in (100, 200]
        }
        let s = h.snapshot();
        let p50 = s.quantile_us(0.5).unwrap();
        assert!((100.0..=200.0).contains(&p50), "{p50}");
        assert!((s.quantile_us(0.99).unwrap() - 199.0).abs() < 1.0);
        for _ in 0..900 {
            h.record(10);
        }
        let s = h.snapshot();
        assert!(s.quantile_us(0.5).unwrap() <= 50.0);
        assert!(s.quantile_us(0.95).unwrap() > 100.0);
    }
}
