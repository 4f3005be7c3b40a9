//! The sorted set: members ordered by (score, member), with score lookup,
//! range queries by rank, score and lex, and Redis's score text.
//!
//! Owns the data structure and the pure parsing/formatting rules of scores
//! and ranges. Must not: know about keys, replies or commands.
//!
//! Redis keeps small sorted sets as a listpack and big ones as a skiplist;
//! the only visible difference is that a listpack stores `-0` as `0`. The
//! `compact` flag tracks which encoding Redis would use so scores print the
//! same.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::ops::Bound;

use crate::float_text::exact;

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

/// One end of a score range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreBound {
    /// The score.
    pub value: f64,
    /// True for `(value`: the bound itself is outside.
    pub exclusive: bool,
}

/// A score range `min..max` as ZRANGEBYSCORE takes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreRange {
    /// Lower end.
    pub min: ScoreBound,
    /// Upper end.
    pub max: ScoreBound,
}

impl ScoreRange {
    /// Parses `min` and `max` as Redis's zslParseRange does.
    pub fn parse(min: &[u8], max: &[u8]) -> Option<Self> {
        Some(Self {
            min: parse_score_bound(min)?,
            max: parse_score_bound(max)?,
        })
    }

    fn above_min(&self, s: f64) -> bool {
        if self.min.exclusive {
            s > self.min.value
        } else {
            s >= self.min.value
        }
    }

    fn below_max(&self, s: f64) -> bool {
        if self.max.exclusive {
            s < self.max.value
        } else {
            s <= self.max.value
        }
    }
}

/// One end of a lex range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexBound {
    /// `-`: below every member.
    Min,
    /// `+`: above every member.
    Max,
    /// `[m`: m included.
    Inclusive(Vec<u8>),
    /// `(m`: m excluded.
    Exclusive(Vec<u8>),
}

/// A lex range as ZRANGEBYLEX takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexRange {
    /// Lower end.
    pub min: LexBound,
    /// Upper end.
    pub max: LexBound,
}

impl LexRange {
    /// Parses `min` and `max` as Redis's zslParseLexRange does.
    pub fn parse(min: &[u8], max: &[u8]) -> Option<Self> {
        Some(Self {
            min: parse_lex_bound(min)?,
            max: parse_lex_bound(max)?,
        })
    }

    fn gte_min(&self, m: &[u8]) -> bool {
        match &self.min {
            LexBound::Min => true,
            LexBound::Max => false,
            LexBound::Inclusive(b) => m >= b.as_slice(),
            LexBound::Exclusive(b) => m > b.as_slice(),
        }
    }

    fn lte_max(&self, m: &[u8]) -> bool {
        match &self.max {
            LexBound::Min => false,
            LexBound::Max => true,
            LexBound::Inclusive(b) => m <= b.as_slice(),
            LexBound::Exclusive(b) => m < b.as_slice(),
        }
    }
}

fn parse_lex_bound(arg: &[u8]) -> Option<LexBound> {
    match arg {
        b"+" => Some(LexBound::Max),
        b"-" => Some(LexBound::Min),
        [b'[', rest @ ..] => Some(LexBound::Inclusive(rest.to_vec())),
        [b'(', rest @ ..] => Some(LexBound::Exclusive(rest.to_vec())),
        _ => None,
    }
}

/// A range bound parsed like C `strtod` on the whole text (as zslParseRange
/// does): leading spaces allowed, empty text is 0, NaN rejected.
fn parse_score_bound(arg: &[u8]) -> Option<ScoreBound> {
    let (exclusive, text) = match arg {
        [b'(', rest @ ..] => (true, rest),
        _ => (false, arg),
    };
    let text = std::str::from_utf8(text).ok()?;
    let text = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let value = if text.is_empty() {
        0.0
    } else {
        strtod_full(text)?
    };
    Some(ScoreBound { value, exclusive })
}

/// Parses what C `strtod` accepts in full (decimal and inf/infinity forms).
fn strtod_full(text: &str) -> Option<f64> {
    let body = text.trim_start_matches(['+', '-']);
    if text.len() - body.len() > 1 {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(if text.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        let v = parse_hex_float(hex)?;
        return Some(if text.starts_with('-') { -v } else { v });
    }
    if !body.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    crate::float_text::parse(text).filter(|f| !f.is_nan())
}

/// C99 hex float digits after `0x`: `h[.h][p[+-]d]`.
fn parse_hex_float(hex: &str) -> Option<f64> {
    let (mant, exp) = match hex.find(['p', 'P']) {
        Some(i) => (&hex[..i], hex[i + 1..].parse::<i32>().ok()?),
        None => (hex, 0),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut v = 0.0f64;
    for c in int.chars() {
        v = v * 16.0 + f64::from(c.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for c in frac.chars() {
        v += f64::from(c.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    Some(v * 2f64.powi(exp))
}

/// Parses a score argument as Redis's getDoubleFromObject does: no spaces,
/// no NaN, and no overflow to infinity or underflow to zero (ERANGE).
pub fn parse_score(arg: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(arg).ok()?;
    if text.is_empty() || text.starts_with(|c: char| c.is_ascii_whitespace()) {
        return None;
    }
    let value = strtod_full(text)?;
    let lower = text.to_ascii_lowercase();
    let literal_inf = lower.ends_with("inf") || lower.ends_with("infinity");
    if value.is_infinite() && !literal_inf {
        return None;
    }
    let mantissa = lower.split('e').next().unwrap_or("");
    if value == 0.0 && mantissa.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        return None;
    }
    Some(value)
}

/// Formats a score as redis-server 7.0 replies it: `%.17g`, `inf`, `-inf`.
pub fn format_score(f: f64) -> Vec<u8> {
    if f.is_infinite() {
        return if f > 0.0 {
            b"inf".to_vec()
        } else {
            b"-inf".to_vec()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            b"-0".to_vec()
        } else {
            b"0".to_vec()
        };
    }
    // 17 significant digits, correctly rounded (half to even, as glibc and
    // std's `{:.16e}`), then %g's layout rules.
    let (mantissa, exp2) = exact::decompose(f);
    let (digits, k) = exact::significant(mantissa, exp2);
    let (digits, k) = exact::round_digits(&digits, k, 17);
    let exp = k - 1;
    let negative = f.is_sign_negative();
    let digits: String = digits.iter().map(|&d| char::from(d)).collect();
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if !(-4..17).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        let rest = rest.trim_end_matches('0');
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.abs()));
    } else if exp >= 0 {
        let point = usize::try_from(exp + 1).unwrap_or(1);
        let (int, frac) = digits.split_at(point.min(digits.len()));
        out.push_str(int);
        let frac = frac.trim_end_matches('0');
        if !frac.is_empty() {
            out.push('.');
            out.push_str(frac);
        }
    } else {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(digits.trim_end_matches('0'));
    }
    out.into_bytes()
}

/// Formats a score as a listpack stores it (what ZSCAN of a small set
/// returns): integral values within ±2^62 as integers, others as
/// [`format_score`].
pub fn format_listpack_score(f: f64) -> Vec<u8> {
    const LIMIT: f64 = (i64::MAX / 2) as f64;
    if (-LIMIT..=LIMIT).contains(&f) && f == f.trunc() {
        // In range and integral, so the cast is exact.
        return (f as i64).to_string().into_bytes();
    }
    format_score(f)
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
