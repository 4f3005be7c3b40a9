//! One sort routine for the whole crate, to keep the wasm builds small.
//!
//! Every `slice::sort*` call is its own monomorphized driftsort or ipnsort
//! (3-4 KB of wasm each; the npm `.wasm` carried eight). These helpers sort
//! a vector of indices with a `dyn` comparator instead, so the crate links a
//! single sort instantiation, then move the elements into that order with a
//! small generic permutation. The sort is stable, so it can stand in for
//! `sort_unstable*` as well (any order of equal elements is a valid
//! unstable order). This module must not grow other utilities.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp` (what [`slice::sort_by`] does).
pub(crate) fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_order(v.len(), &|a, b| match (v.get(a), v.get(b)) {
        (Some(x), Some(y)) => cmp(x, y),
        // Unreachable: indices come from 0..v.len().
        _ => a.cmp(&b),
    });
    permute(v, order);
}

/// Sorts `v` stably by the key `f` returns (what [`slice::sort_by_key`] does).
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut [T], f: impl Fn(&T) -> K) {
    sort_by(v, |a, b| f(a).cmp(&f(b)));
}

/// Sorts `v` in ascending order (what [`slice::sort`] does).
pub(crate) fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The order that sorts `len` elements compared through `cmp`: the one
/// non-generic sort the crate instantiates.
#[inline(never)]
fn sorted_order(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Rearranges `v` so that position `k` holds the element that was at
/// `order[k]`, following each cycle of the permutation with swaps.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start || from == at {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_std_sorts_and_is_stable() {
        let mut seed = 7u64;
        for len in [0usize, 1, 2, 3, 10, 33, 200, 1000] {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (((seed >> 33) % 7) as u8, i)
                })
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |p| p.0);
            let mut std_sorted = items.clone();
            std_sorted.sort_by_key(|p| p.0);
            assert_eq!(ours, std_sorted, "stable by key, len {len}");
            let mut ours = items.clone();
            sort(&mut ours);
            let mut std_sorted = items;
            std_sorted.sort();
            assert_eq!(ours, std_sorted, "total order, len {len}");
        }
    }
}
