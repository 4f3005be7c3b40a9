//! Reading a command's arguments: one cursor type and the scalar parsers,
//! each failing with a typed error whose text is Redis's own.
//!
//! Owns: every argument error text the engine shares (arity, syntax,
//! not-an-integer, not-a-float, out of range, invalid cursor), written once.
//! Handlers parse first (through [`Args`]), then apply.
//!
//! Must not: touch the keyspace.

use super::zset::{parse_score, LexRange, ScoreRange};
use crate::protocol::value::parse_redis_float;

/// Redis's error for a malformed option list.
pub const SYNTAX: &str = "ERR syntax error";
/// Redis's error for an argument that must be an integer.
pub const NOT_INTEGER: &str = "ERR value is not an integer or out of range";
/// Redis's error for an argument that must be a float.
pub const NOT_FLOAT: &str = "ERR value is not a valid float";

/// A malformed argument list, displayed as Redis's error text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ArgError {
    /// Too few or too many arguments for the command (its lower-case name).
    #[error("ERR wrong number of arguments for '{0}' command")]
    Arity(String),
    /// An unknown option, or an option in the wrong place.
    #[error("{}", SYNTAX)]
    Syntax,
    /// Not an integer, or outside `i64`.
    #[error("{}", NOT_INTEGER)]
    NotInteger,
    /// Not a float (NaN included).
    #[error("{}", NOT_FLOAT)]
    NotFloat,
    /// A count below zero where Redis wants a positive one.
    #[error("ERR value is out of range, must be positive")]
    NotPositive,
    /// An integer outside the bounds a command accepts
    /// (`getRangeLongFromObjectOrReply` without a message).
    #[error("ERR value is out of range, value must between {0} and {1}")]
    OutOfRange(i64, i64),
    /// A `numkeys` below 1 (LMPOP, ZMPOP, SINTERCARD and their kin).
    #[error("ERR numkeys should be greater than 0")]
    NumkeysNotPositive,
    /// A `COUNT` below 1 (LMPOP, ZMPOP).
    #[error("ERR count should be greater than 0")]
    CountNotPositive,
    /// A negative `LIMIT` (SINTERCARD, ZINTERCARD).
    #[error("ERR LIMIT can't be negative")]
    LimitNegative,
    /// A score range whose bounds are not floats (ZCOUNT, ZRANGE BYSCORE...).
    #[error("ERR min or max is not a float")]
    ScoreRange,
    /// A lex range whose bounds are not `[`, `(`, `-` or `+` items.
    #[error("ERR min or max not valid string range item")]
    LexRange,
    /// A SCAN-family cursor that is not an unsigned 64-bit number.
    #[error("ERR invalid cursor")]
    InvalidCursor,
    /// A text only one command uses (kept with that command).
    #[error("{0}")]
    Command(&'static str),
}

impl From<ArgError> for String {
    fn from(e: ArgError) -> String {
        e.to_string()
    }
}

/// What SRANDMEMBER, ZRANDMEMBER and HRANDFIELD answer for a count of
/// `i64::MIN` (Redis cannot negate it) or one asking for too many picks.
pub const RAND_COUNT_RANGE: ArgError = ArgError::OutOfRange(-i64::MAX, i64::MAX);

/// The `MATCH` / `COUNT` (and, for SCAN, `TYPE`) options of the SCAN family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanOptions<'a> {
    /// The MATCH glob; `None` also for `*`, which matches everything.
    pub pattern: Option<&'a [u8]>,
    /// The COUNT hint (10 when not given).
    pub count: usize,
    /// SCAN's TYPE filter.
    pub type_name: Option<&'a [u8]>,
}

/// Two arguments that go together: a field and its value, a key and its value.
pub type Pair<'a> = (&'a [u8], &'a [u8]);

/// A cursor over one command's arguments (the name excluded).
#[derive(Debug, Clone)]
pub struct Args<'a> {
    name: &'a str,
    rest: &'a [Vec<u8>],
}

impl<'a> Args<'a> {
    /// A cursor at the first argument of command `name` (lower case, for
    /// the arity error).
    pub fn new(name: &'a str, args: &'a [Vec<u8>]) -> Self {
        Self { name, rest: args }
    }

    /// The next argument; the arity error when there is none.
    pub fn arg(&mut self) -> Result<&'a [u8], ArgError> {
        self.next_arg()
            .ok_or_else(|| ArgError::Arity(self.name.to_owned()))
    }

    /// The next argument, if any (an optional one).
    pub fn next_arg(&mut self) -> Option<&'a [u8]> {
        let (first, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(first)
    }

    /// The next argument, not consumed.
    pub fn peek(&self) -> Option<&'a [u8]> {
        self.rest.first().map(Vec::as_slice)
    }

    /// The next `n` arguments; `None` (nothing consumed) when fewer are left.
    pub fn take(&mut self, n: usize) -> Option<&'a [Vec<u8>]> {
        let taken = self.rest.get(..n)?;
        self.rest = self.rest.get(n..).unwrap_or_default();
        Some(taken)
    }

    /// The next argument as an integer.
    pub fn int(&mut self) -> Result<i64, ArgError> {
        parse_int(self.arg()?)
    }

    /// The next argument as a float.
    pub fn float(&mut self) -> Result<f64, ArgError> {
        parse_float(self.arg()?)
    }

    /// The next argument as a sorted-set score (`strtod` rules).
    pub fn score(&mut self) -> Result<f64, ArgError> {
        parse_score(self.arg()?).ok_or(ArgError::NotFloat)
    }

    /// The next argument as a SCAN-family cursor.
    pub fn cursor(&mut self) -> Result<u64, ArgError> {
        parse_cursor(self.arg()?)
    }

    /// The next argument as an integer within `min..=max`; `error` replaces
    /// both the not-an-integer and the out-of-range text when given.
    pub fn ranged(&mut self, min: i64, max: i64, error: Option<ArgError>) -> Result<i64, ArgError> {
        parse_ranged(self.arg()?, min, max, error)
    }

    /// The next argument as SRANDMEMBER's, ZRANDMEMBER's or HRANDFIELD's
    /// count: any integer but `i64::MIN`, which Redis cannot negate.
    pub fn rand_count(&mut self) -> Result<i64, ArgError> {
        match self.int()? {
            i64::MIN => Err(RAND_COUNT_RANGE),
            n => Ok(n),
        }
    }

    /// The next argument as a `LIMIT` of at least 0 (0: no limit).
    pub fn limit(&mut self) -> Result<usize, ArgError> {
        let n = self.ranged(0, i64::MAX, Some(ArgError::LimitNegative))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    /// The next two arguments as a score range (`min max`).
    pub fn score_range(&mut self) -> Result<ScoreRange, ArgError> {
        let (min, max) = (self.arg()?, self.arg()?);
        ScoreRange::parse(min, max).ok_or(ArgError::ScoreRange)
    }

    /// The next two arguments as a lex range (`min max`).
    pub fn lex_range(&mut self) -> Result<LexRange, ArgError> {
        let (min, max) = (self.arg()?, self.arg()?);
        LexRange::parse(min, max).ok_or(ArgError::LexRange)
    }

    /// The next argument as a count of at least 0 (SPOP, LPOP, ZPOPMIN...).
    pub fn non_negative(&mut self) -> Result<usize, ArgError> {
        let n = self.ranged(0, i64::MAX, Some(ArgError::NotPositive))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    /// The next argument as a `numkeys` of at least 1.
    pub fn numkeys(&mut self) -> Result<usize, ArgError> {
        let n = self.ranged(1, i64::MAX, Some(ArgError::NumkeysNotPositive))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    /// Consumes the next argument when it is `word` (any case).
    pub fn eat(&mut self, word: &str) -> bool {
        match self.rest.split_first() {
            Some((first, rest)) if first.eq_ignore_ascii_case(word.as_bytes()) => {
                self.rest = rest;
                true
            }
            _ => false,
        }
    }

    /// What is left as field/value (or key/value) pairs; the arity error
    /// when nothing or an odd number is left.
    pub fn pairs(&mut self) -> Result<Vec<Pair<'a>>, ArgError> {
        if self.rest.is_empty() || self.rest.len() % 2 != 0 {
            return Err(ArgError::Arity(self.name.to_owned()));
        }
        Ok(self
            .rest()
            .chunks_exact(2)
            .filter_map(|p| match p {
                [a, b] => Some((a.as_slice(), b.as_slice())),
                _ => None,
            })
            .collect())
    }

    /// LMPOP's and ZMPOP's trailing `[COUNT n]`: at most once, `n` at
    /// least 1; anything else is a syntax error.
    pub fn count_option(&mut self) -> Result<Option<usize>, ArgError> {
        let mut count = None;
        while !self.is_empty() {
            if count.is_some() || !self.eat("count") || self.is_empty() {
                return Err(ArgError::Syntax);
            }
            let n = self.ranged(1, i64::MAX, Some(ArgError::CountNotPositive))?;
            count = Some(usize::try_from(n).unwrap_or(usize::MAX));
        }
        Ok(count)
    }

    /// The SCAN family's options as Redis's `scanGenericCommand` reads
    /// them (repeats allowed, the last wins): an option without its value
    /// or an unknown one is a syntax error, and so is a COUNT below 1; TYPE
    /// only when `with_type` (SCAN).
    pub fn scan_options(&mut self, with_type: bool) -> Result<ScanOptions<'a>, ArgError> {
        let mut o = ScanOptions {
            pattern: None,
            count: 10,
            type_name: None,
        };
        while let Some(word) = self.next_arg() {
            let value = self.next_arg().ok_or(ArgError::Syntax)?;
            if word.eq_ignore_ascii_case(b"count") {
                let n = parse_int(value)?;
                if n < 1 {
                    return Err(ArgError::Syntax);
                }
                o.count = usize::try_from(n).unwrap_or(usize::MAX);
            } else if word.eq_ignore_ascii_case(b"match") {
                o.pattern = (value != b"*").then_some(value);
            } else if with_type && word.eq_ignore_ascii_case(b"type") {
                o.type_name = Some(value);
            } else {
                return Err(ArgError::Syntax);
            }
        }
        Ok(o)
    }

    /// True when exactly one (optional, final) argument is left, false when
    /// none is; the syntax error when more are.
    pub fn has_last(&self) -> Result<bool, ArgError> {
        match self.rest.len() {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(ArgError::Syntax),
        }
    }

    /// What is left, consumed.
    pub fn rest(&mut self) -> &'a [Vec<u8>] {
        std::mem::take(&mut self.rest)
    }

    /// How many arguments are left.
    pub fn len(&self) -> usize {
        self.rest.len()
    }

    /// True when every argument was read.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The syntax error when arguments are left over.
    pub fn finish(&self) -> Result<(), ArgError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(ArgError::Syntax)
        }
    }
}

/// Parses an integer within `min..=max` as Redis's
/// `getRangeLongFromObjectOrReply` does: with `error`, every failure (not a
/// number or out of range) is that error.
pub fn parse_ranged(
    arg: &[u8],
    min: i64,
    max: i64,
    error: Option<ArgError>,
) -> Result<i64, ArgError> {
    match parse_int(arg) {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        Ok(_) => Err(error.unwrap_or(ArgError::OutOfRange(min, max))),
        Err(e) => Err(error.unwrap_or(e)),
    }
}

/// Parses an integer argument strictly, as Redis's `string2ll` does (no
/// spaces, no '+', no leading zeros).
pub fn parse_int(arg: &[u8]) -> Result<i64, ArgError> {
    std::str::from_utf8(arg)
        .ok()
        .filter(|s| {
            !s.starts_with('+') && !(s.len() > 1 && (s.starts_with('0') || s.starts_with("-0")))
        })
        .and_then(|s| s.parse::<i64>().ok())
        .ok_or(ArgError::NotInteger)
}

/// Parses a float argument as Redis does (`inf`, `-inf`, no NaN, no
/// surrounding spaces).
pub fn parse_float(arg: &[u8]) -> Result<f64, ArgError> {
    std::str::from_utf8(arg)
        .ok()
        .filter(|s| {
            !s.is_empty()
                && !s.starts_with(char::is_whitespace)
                && !s.ends_with(char::is_whitespace)
        })
        .and_then(parse_redis_float)
        .ok_or(ArgError::NotFloat)
}

/// Parses a SCAN / SSCAN / HSCAN / ZSCAN cursor as Redis 7's
/// `parseScanCursorOrReply` (`strtoul`) does: an optional sign, decimal
/// digits that fit in 64 bits, a negative value wrapping; the empty string
/// is cursor 0 (checked against redis-server 7.0.15 for all four commands).
pub fn parse_cursor(arg: &[u8]) -> Result<u64, ArgError> {
    let (negative, digits) = match arg.first() {
        None => return Ok(0),
        Some(b'-') => (true, arg.get(1..).unwrap_or_default()),
        Some(b'+') => (false, arg.get(1..).unwrap_or_default()),
        Some(_) => (false, arg),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(ArgError::InvalidCursor);
    }
    let magnitude = std::str::from_utf8(digits)
        .ok()
        .and_then(|d| d.parse::<u64>().ok())
        .ok_or(ArgError::InvalidCursor)?;
    Ok(if negative {
        magnitude.wrapping_neg()
    } else {
        magnitude
    })
}

#[cfg(test)]
mod tests;
