//! Score and lex ranges as ZRANGEBYSCORE and ZRANGEBYLEX take them: their
//! parsing (Redis's zslParseRange and zslParseLexRange) and the tests of a
//! score or member against either end.
//!
//! Owns: the range types and their bounds. Must not: walk a set (the
//! [`SortedSet`](super::SortedSet) range methods do) or know about
//! replies or commands.

use super::score_text::strtod_full;

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

    pub(super) fn above_min(&self, s: f64) -> bool {
        if self.min.exclusive {
            s > self.min.value
        } else {
            s >= self.min.value
        }
    }

    pub(super) fn below_max(&self, s: f64) -> bool {
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

    pub(super) fn gte_min(&self, m: &[u8]) -> bool {
        match &self.min {
            LexBound::Min => true,
            LexBound::Max => false,
            LexBound::Inclusive(b) => m >= b.as_slice(),
            LexBound::Exclusive(b) => m > b.as_slice(),
        }
    }

    pub(super) fn lte_max(&self, m: &[u8]) -> bool {
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
