//! The sorted set: members ordered by (score, member), with score lookup,
//! range queries by rank, score and lex, and Redis's score text.
//!
//! Owns the data structure and the pure parsing/formatting rules of scores
//! and ranges. Must not: know about keys, replies or commands.
//!
//! Layout: this file is the set itself; the range types and their parsing
//! are in `zset/range.rs`, a score's text (parse and print) in
//! `zset/score_text.rs`, both re-exported here.
//!
//! Redis keeps small sorted sets as a listpack and big ones as a skiplist;
//! the only visible difference is that a listpack stores `-0` as `0`. The
//! `compact` flag tracks which encoding Redis would use so scores print the
//! same.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::ops::Bound;

mod range;
mod score_text;

pub use range::{LexBound, LexRange, ScoreBound, ScoreRange};
pub use score_text::{format_listpack_score, format_score, parse_score};

/// Redis's `zset-max-listpack-entries` default.
pub const LISTPACK_MAX_ENTRIES: usize = 128;
/// Redis's `zset-max-listpack-value` default (bytes of one member).
pub const LISTPACK_MAX_VALUE: usize = 64;

/// A score with the order Redis uses: numeric, `-0 == 0`, never NaN.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score(pub f64);

impl Eq for Score {}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Score {
    fn cmp(&self, other: &Self) -> Ordering {
        // Scores are never NaN, so partial_cmp always answers; -0 equals 0
        // as in Redis's skiplist comparisons.
        self.0.partial_cmp(&other.0).unwrap_or(Ordering::Equal)
    }
}

/// Members with scores, iterable in Redis order: by score, then by member bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct SortedSet {
    scores: HashMap<Vec<u8>, f64>,
    order: BTreeSet<(Score, Vec<u8>)>,
    /// True while Redis would keep this set as a listpack.
    compact: bool,
}

impl Default for SortedSet {
    fn default() -> Self {
        Self {
            scores: HashMap::new(),
            order: BTreeSet::new(),
            compact: true,
        }
    }
}

/// The smallest double above `f` (f64::next_up needs a newer Rust).
fn next_up(f: f64) -> f64 {
    if f.is_nan() || f == f64::INFINITY {
        return f;
    }
    if f == 0.0 {
        return f64::from_bits(1);
    }
    let bits = f.to_bits();
    if f > 0.0 {
        f64::from_bits(bits + 1)
    } else {
        f64::from_bits(bits - 1)
    }
}

impl SortedSet {
    /// An empty set encoded as Redis's zsetTypeCreate would for `size_hint`
    /// members of at most `max_len` bytes.
    pub fn with_hint(size_hint: usize, max_len: usize) -> Self {
        Self {
            compact: size_hint <= LISTPACK_MAX_ENTRIES && max_len <= LISTPACK_MAX_VALUE,
            ..Self::default()
        }
    }

    /// Re-encodes as a listpack when small enough, as Redis does for the
    /// results of ZUNIONSTORE and friends (a listpack stores -0 as 0).
    pub fn compact_if_small(&mut self) {
        if self.compact || self.len() > LISTPACK_MAX_ENTRIES {
            return;
        }
        if self.scores.keys().any(|m| m.len() > LISTPACK_MAX_VALUE) {
            return;
        }
        self.compact = true;
        let negative_zeros: Vec<Vec<u8>> = self
            .scores
            .iter()
            .filter(|(_, s)| **s == 0.0 && s.is_sign_negative())
            .map(|(m, _)| m.clone())
            .collect();
        for m in negative_zeros {
            self.insert(m, 0.0);
        }
    }

    /// Sets `member`'s score; returns the previous one.
    pub fn insert(&mut self, member: Vec<u8>, score: f64) -> Option<f64> {
        if self.compact
            && (member.len() > LISTPACK_MAX_VALUE
                || (self.len() >= LISTPACK_MAX_ENTRIES && !self.scores.contains_key(&member)))
        {
            self.compact = false;
        }
        // A listpack stores the score as text via an integer when it can,
        // which turns -0 into 0.
        let score = if self.compact && score == 0.0 {
            0.0
        } else {
            score
        };
        let old = self.scores.insert(member.clone(), score);
        if let Some(old) = old {
            self.order.remove(&(Score(old), member.clone()));
        }
        self.order.insert((Score(score), member));
        old
    }

    /// Removes `member`; returns its score.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let score = self.scores.remove(member)?;
        self.order.remove(&(Score(score), member.to_vec()));
        Some(score)
    }

    /// `member`'s score.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.scores.get(member).copied()
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.scores.len()
    }

    /// True when there are no members.
    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    /// True while Redis would keep this set as a listpack (SCAN returns it whole).
    pub fn is_compact(&self) -> bool {
        self.compact
    }

    /// Members in ascending (score, member) order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&[u8], f64)> {
        self.order.iter().map(|(s, m)| (m.as_slice(), s.0))
    }

    /// 0-based rank of `member` in ascending order.
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        let score = self.score(member)?;
        Some(self.order.range(..(Score(score), member.to_vec())).count())
    }

    /// Members with rank in `start..=end` (already clamped to the set),
    /// ascending or from the top when `rev`.
    pub fn range_by_rank(&self, start: usize, end: usize, rev: bool) -> Vec<(Vec<u8>, f64)> {
        let take = end.saturating_sub(start) + 1;
        let pick = |(s, m): &(Score, Vec<u8>)| (m.clone(), s.0);
        if rev {
            self.order
                .iter()
                .rev()
                .skip(start)
                .take(take)
                .map(pick)
                .collect()
        } else {
            self.order.iter().skip(start).take(take).map(pick).collect()
        }
    }

    /// Members whose score is in `range`, ascending (or descending when `rev`).
    pub fn range_by_score(
        &self,
        range: &ScoreRange,
        rev: bool,
    ) -> Box<dyn Iterator<Item = (&[u8], f64)> + '_> {
        fn pick((s, m): &(Score, Vec<u8>)) -> (&[u8], f64) {
            (m.as_slice(), s.0)
        }
        if rev {
            let upper = if range.max.value == f64::INFINITY && !range.max.exclusive {
                Bound::Unbounded
            } else {
                let top = if range.max.exclusive {
                    range.max.value
                } else {
                    next_up(range.max.value)
                };
                Bound::Excluded((Score(top), Vec::new()))
            };
            let r = *range;
            Box::new(
                self.order
                    .range((Bound::Unbounded, upper))
                    .rev()
                    .take_while(move |(s, _)| r.above_min(s.0))
                    .map(pick),
            )
        } else {
            let r = *range;
            Box::new(
                self.order
                    .range((
                        Bound::Included((Score(range.min.value), Vec::new())),
                        Bound::Unbounded,
                    ))
                    .skip_while(move |(s, _)| !r.above_min(s.0))
                    .take_while(move |(s, _)| r.below_max(s.0))
                    .map(pick),
            )
        }
    }

    /// Members in the lex `range`, ascending (or descending when `rev`).
    ///
    /// As in Redis this assumes equal scores; with mixed scores it walks in
    /// score order from the first member past `min` until one is past `max`.
    pub fn range_by_lex(&self, range: &LexRange, rev: bool) -> Vec<(Vec<u8>, f64)> {
        let pick = |(s, m): &(Score, Vec<u8>)| (m.clone(), s.0);
        let same_score = match (self.order.first(), self.order.last()) {
            (Some(a), Some(b)) => a.0 == b.0,
            _ => return Vec::new(),
        };
        if rev {
            self.order
                .iter()
                .rev()
                .skip_while(|(_, m)| !range.lte_max(m))
                .take_while(|(_, m)| range.gte_min(m))
                .map(pick)
                .collect()
        } else if same_score {
            let score = self.order.first().map(|(s, _)| *s).unwrap_or(Score(0.0));
            let start = match &range.min {
                LexBound::Inclusive(b) | LexBound::Exclusive(b) => (score, b.clone()),
                _ => (score, Vec::new()),
            };
            self.order
                .range((Bound::Included(start), Bound::Unbounded))
                .skip_while(|(_, m)| !range.gte_min(m))
                .take_while(|(_, m)| range.lte_max(m))
                .map(pick)
                .collect()
        } else {
            self.order
                .iter()
                .skip_while(|(_, m)| !range.gte_min(m))
                .take_while(|(_, m)| range.lte_max(m))
                .map(pick)
                .collect()
        }
    }
}

#[cfg(test)]
mod tests;
