//! The typed arguments of sorted-set commands: score and lex bounds, range
//! queries, ZADD flags, and the WEIGHTS/AGGREGATE of unions and intersections.
//!
//! Owns: turning these into the exact words Redis expects (`(1.5`, `-inf`,
//! `[a`, `+`, `BYSCORE REV LIMIT 0 10`). Must not: send anything.

use crate::error::Error;
use crate::protocol::{Command, ToArg};

/// One end of a score range.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum ScoreBound {
    /// The score itself is included.
    Inclusive(f64),
    /// The score itself is excluded: `(score`.
    Exclusive(f64),
    /// `-inf`: no lower limit.
    NegInf,
    /// `+inf`: no upper limit.
    PosInf,
}

impl ToArg for ScoreBound {
    fn to_arg(&self) -> Vec<u8> {
        match self {
            Self::Inclusive(s) => s.to_arg(),
            Self::Exclusive(s) => {
                let mut out = b"(".to_vec();
                out.extend(s.to_arg());
                out
            }
            Self::NegInf => b"-inf".to_vec(),
            Self::PosInf => b"+inf".to_vec(),
        }
    }
}

/// One end of a lexicographic range (members compared as bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LexBound {
    /// `[member`: the member itself is included.
    Inclusive(Vec<u8>),
    /// `(member`: the member itself is excluded.
    Exclusive(Vec<u8>),
    /// `-`: before every member.
    Min,
    /// `+`: after every member.
    Max,
}

impl LexBound {
    /// `[member`.
    pub fn inclusive(member: impl ToArg) -> Self {
        Self::Inclusive(member.to_arg())
    }
    /// `(member`.
    pub fn exclusive(member: impl ToArg) -> Self {
        Self::Exclusive(member.to_arg())
    }
}

impl ToArg for LexBound {
    fn to_arg(&self) -> Vec<u8> {
        let (mark, member): (u8, &[u8]) = match self {
            Self::Inclusive(m) => (b'[', m),
            Self::Exclusive(m) => (b'(', m),
            Self::Min => return b"-".to_vec(),
            Self::Max => return b"+".to_vec(),
        };
        let mut out = Vec::with_capacity(member.len() + 1);
        out.push(mark);
        out.extend_from_slice(member);
        out
    }
}

/// LIMIT offset count of score and lex ranges (a negative count: all the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// How many matching members to skip.
    pub offset: i64,
    /// How many to return at most.
    pub count: i64,
}

impl Limit {
    pub(crate) fn apply(limit: Option<Self>, cmd: Command) -> Command {
        match limit {
            Some(l) => cmd.arg("LIMIT").arg(l.offset).arg(l.count),
            None => cmd,
        }
    }
}

/// What a ZRANGE selects by.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ZRangeBy {
    /// By rank: indexes from 0, negative ones from the end, both inclusive.
    Rank {
        /// First rank.
        start: i64,
        /// Last rank.
        stop: i64,
    },
    /// BYSCORE, between two score bounds.
    Score {
        /// The low end.
        min: ScoreBound,
        /// The high end.
        max: ScoreBound,
    },
    /// BYLEX, between two lex bounds (all members should share one score).
    Lex {
        /// The low end.
        min: LexBound,
        /// The high end.
        max: LexBound,
    },
}

/// A ZRANGE / ZRANGESTORE query: `ZRangeQuery::by_score(min, max).rev().limit(0, 10)`.
///
/// Bounds are always given low end first. With [`ZRangeQuery::rev`], Redis
/// wants score and lex bounds high end first; the query sends them so.
#[derive(Debug, Clone, PartialEq)]
pub struct ZRangeQuery {
    /// What to select by.
    pub by: ZRangeBy,
    /// REV: highest first.
    pub rev: bool,
    /// LIMIT (score and lex ranges only; Redis refuses it on rank ranges).
    pub limit: Option<Limit>,
}

impl ZRangeQuery {
    /// Members ranked `start` to `stop` (inclusive; negative from the end).
    pub fn by_rank(start: i64, stop: i64) -> Self {
        Self::new(ZRangeBy::Rank { start, stop })
    }
    /// BYSCORE: members with scores between `min` and `max`.
    pub fn by_score(min: ScoreBound, max: ScoreBound) -> Self {
        Self::new(ZRangeBy::Score { min, max })
    }
    /// BYLEX: members between `min` and `max` in byte order.
    pub fn by_lex(min: LexBound, max: LexBound) -> Self {
        Self::new(ZRangeBy::Lex { min, max })
    }
    fn new(by: ZRangeBy) -> Self {
        Self {
            by,
            rev: false,
            limit: None,
        }
    }
    /// REV: highest score (or last member) first.
    pub fn rev(mut self) -> Self {
        self.rev = true;
        self
    }
    /// LIMIT offset count.
    pub fn limit(mut self, offset: i64, count: i64) -> Self {
        self.limit = Some(Limit { offset, count });
        self
    }

    pub(crate) fn apply(&self, cmd: Command) -> Command {
        let cmd = match &self.by {
            ZRangeBy::Rank { start, stop } => cmd.arg(*start).arg(*stop),
            ZRangeBy::Score { min, max } if self.rev => cmd.arg(max).arg(min).arg("BYSCORE"),
            ZRangeBy::Score { min, max } => cmd.arg(min).arg(max).arg("BYSCORE"),
            ZRangeBy::Lex { min, max } if self.rev => cmd.arg(max).arg(min).arg("BYLEX"),
            ZRangeBy::Lex { min, max } => cmd.arg(min).arg(max).arg("BYLEX"),
        };
        let cmd = if self.rev { cmd.arg("REV") } else { cmd };
        Limit::apply(self.limit, cmd)
    }
}

/// NX / XX of ZADD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ZAddCondition {
    /// NX: only add new members.
    IfAbsent,
    /// XX: only update existing members.
    IfPresent,
}

/// GT / LT of ZADD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ZAddComparison {
    /// GT: only raise scores.
    Greater,
    /// LT: only lower scores.
    Less,
}

/// Flags of ZADD: `ZAddOptions::default().xx().gt().ch()`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ZAddOptions {
    /// NX or XX.
    pub condition: Option<ZAddCondition>,
    /// GT or LT.
    pub comparison: Option<ZAddComparison>,
    /// CH: count changed members, not only added ones.
    pub changed: bool,
}

impl ZAddOptions {
    /// NX: only add new members.
    pub fn nx(mut self) -> Self {
        self.condition = Some(ZAddCondition::IfAbsent);
        self
    }
    /// XX: only update existing members.
    pub fn xx(mut self) -> Self {
        self.condition = Some(ZAddCondition::IfPresent);
        self
    }
    /// GT: only raise scores (new members are still added).
    pub fn gt(mut self) -> Self {
        self.comparison = Some(ZAddComparison::Greater);
        self
    }
    /// LT: only lower scores (new members are still added).
    pub fn lt(mut self) -> Self {
        self.comparison = Some(ZAddComparison::Less);
        self
    }
    /// CH: the reply counts changed members too.
    pub fn ch(mut self) -> Self {
        self.changed = true;
        self
    }

    pub(crate) fn apply(&self, mut cmd: Command) -> Command {
        cmd = match self.condition {
            Some(ZAddCondition::IfAbsent) => cmd.arg("NX"),
            Some(ZAddCondition::IfPresent) => cmd.arg("XX"),
            None => cmd,
        };
        cmd = match self.comparison {
            Some(ZAddComparison::Greater) => cmd.arg("GT"),
            Some(ZAddComparison::Less) => cmd.arg("LT"),
            None => cmd,
        };
        if self.changed {
            cmd = cmd.arg("CH");
        }
        cmd
    }
}

/// How ZUNION/ZINTER combine the scores of a member found in several sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    /// SUM (the default).
    Sum,
    /// MIN.
    Min,
    /// MAX.
    Max,
}

/// WEIGHTS and AGGREGATE of ZUNION, ZINTER and their STORE forms:
/// `ZCombineOptions::default().weights([2.0, 1.0]).aggregate(Aggregate::Max)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ZCombineOptions {
    /// WEIGHTS: one multiplier per input key.
    pub weights: Option<Vec<f64>>,
    /// AGGREGATE.
    pub aggregate: Option<Aggregate>,
}

impl ZCombineOptions {
    /// WEIGHTS: one multiplier per input key, in key order.
    pub fn weights(mut self, weights: impl IntoIterator<Item = f64>) -> Self {
        self.weights = Some(weights.into_iter().collect());
        self
    }
    /// AGGREGATE SUM, MIN or MAX.
    pub fn aggregate(mut self, aggregate: Aggregate) -> Self {
        self.aggregate = Some(aggregate);
        self
    }

    /// Appends `numkeys key...` and the options to `cmd`. Refuses weights
    /// whose count differs from the keys' before anything is sent.
    pub(crate) fn apply<K: ToArg>(
        &self,
        cmd: Command,
        keys: impl IntoIterator<Item = K>,
    ) -> Result<Command, Error> {
        let keys: Vec<Vec<u8>> = keys.into_iter().map(|k| k.to_arg()).collect();
        let mut cmd = cmd.arg(keys.len());
        let name = cmd.upper_name();
        let key_count = keys.len();
        cmd = cmd.keys(keys);
        if let Some(w) = &self.weights {
            if w.len() != key_count {
                return Err(Error::invalid_request(
                    Some(&name),
                    "WEIGHTS needs exactly one weight per key",
                ));
            }
            cmd = cmd.arg("WEIGHTS").args(w.iter());
        }
        Ok(match self.aggregate {
            Some(Aggregate::Sum) => cmd.arg("AGGREGATE").arg("SUM"),
            Some(Aggregate::Min) => cmd.arg("AGGREGATE").arg("MIN"),
            Some(Aggregate::Max) => cmd.arg("AGGREGATE").arg("MAX"),
            None => cmd,
        })
    }
}

/// Which end ZMPOP pops from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreEnd {
    /// MIN: lowest scores first.
    Min,
    /// MAX: highest scores first.
    Max,
}

impl ScoreEnd {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Self::Min => "MIN",
            Self::Max => "MAX",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_render_as_redis_reads_them() {
        assert_eq!(ScoreBound::Inclusive(1.5).to_arg(), b"1.5");
        assert_eq!(ScoreBound::Exclusive(-2.0).to_arg(), b"(-2");
        assert_eq!(ScoreBound::NegInf.to_arg(), b"-inf");
        assert_eq!(ScoreBound::PosInf.to_arg(), b"+inf");
        assert_eq!(LexBound::inclusive("a").to_arg(), b"[a");
        assert_eq!(LexBound::exclusive("b").to_arg(), b"(b");
        assert_eq!(LexBound::Min.to_arg(), b"-");
        assert_eq!(LexBound::Max.to_arg(), b"+");
    }
}
