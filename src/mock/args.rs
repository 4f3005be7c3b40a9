//! Reading a command's arguments: one cursor type and the scalar parsers,
//! each failing with a typed error whose text is Redis's own.
//!
//! Owns: every argument error text the engine shares (arity, syntax,
//! not-an-integer, not-a-float, out of range, invalid cursor), written once.
//! Handlers parse first (through [`Args`]), then apply.
//!
//! Must not: touch the keyspace.

use crate::protocol::value::parse_redis_float;

/// A malformed argument list, displayed as Redis's error text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ArgError {
    /// Too few or too many arguments for the command (its lower-case name).
    #[error("ERR wrong number of arguments for '{0}' command")]
    Arity(String),
    /// An unknown option, or an option in the wrong place.
    #[error("ERR syntax error")]
    Syntax,
    /// Not an integer, or outside `i64`.
    #[error("ERR value is not an integer or out of range")]
    NotInteger,
    /// Not a float (NaN included).
    #[error("ERR value is not a valid float")]
    NotFloat,
    /// A count below zero where Redis wants a positive one.
    #[error("ERR value is out of range, must be positive")]
    NotPositive,
    /// A SCAN-family cursor that is not an unsigned 64-bit number.
    #[error("ERR invalid cursor")]
    InvalidCursor,
}

impl From<ArgError> for String {
    fn from(e: ArgError) -> String {
        e.to_string()
    }
}

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
        let (first, rest) = self
            .rest
            .split_first()
            .ok_or_else(|| ArgError::Arity(self.name.to_owned()))?;
        self.rest = rest;
        Ok(first)
    }

    /// The next argument as an integer.
    pub fn int(&mut self) -> Result<i64, ArgError> {
        parse_int(self.arg()?)
    }

    /// The next argument as a float.
    pub fn float(&mut self) -> Result<f64, ArgError> {
        parse_float(self.arg()?)
    }

    /// The next argument as a SCAN-family cursor.
    pub fn cursor(&mut self) -> Result<u64, ArgError> {
        parse_cursor(self.arg()?)
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

    /// What is left, consumed.
    pub fn rest(&mut self) -> &'a [Vec<u8>] {
        std::mem::take(&mut self.rest)
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
mod tests {
    use super::*;

    #[test]
    fn cursors_parse_as_redis_7() {
        for (text, want) in [
            ("", Ok(0)),
            ("00", Ok(0)),
            ("+5", Ok(5)),
            ("-1", Ok(u64::MAX)),
            ("18446744073709551615", Ok(u64::MAX)),
            ("-18446744073709551615", Ok(1)),
            ("+", Err(ArgError::InvalidCursor)),
            ("-", Err(ArgError::InvalidCursor)),
            (" 1", Err(ArgError::InvalidCursor)),
            ("1 ", Err(ArgError::InvalidCursor)),
            ("0x1", Err(ArgError::InvalidCursor)),
            ("+-1", Err(ArgError::InvalidCursor)),
            ("18446744073709551616", Err(ArgError::InvalidCursor)),
        ] {
            assert_eq!(parse_cursor(text.as_bytes()), want, "{text:?}");
        }
    }

    #[test]
    fn the_cursor_reads_in_order_with_redis_texts() {
        let raw: Vec<Vec<u8>> = ["k", "10", "1.5", "WITHSCORES", "x"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        let mut args = Args::new("cmd", &raw);
        assert_eq!(args.arg(), Ok(&b"k"[..]));
        assert_eq!(args.int(), Ok(10));
        assert_eq!(args.float(), Ok(1.5));
        assert!(!args.eat("LIMIT"));
        assert!(args.eat("withscores"));
        assert_eq!(
            args.finish().map_err(String::from),
            Err("ERR syntax error".to_owned())
        );
        assert_eq!(args.rest().len(), 1);
        assert!(args.is_empty());
        assert_eq!(
            args.arg().map_err(String::from),
            Err("ERR wrong number of arguments for 'cmd' command".to_owned())
        );
        assert_eq!(
            parse_int(b"01").map_err(String::from),
            Err("ERR value is not an integer or out of range".to_owned())
        );
        assert_eq!(
            parse_float(b" 1").map_err(String::from),
            Err("ERR value is not a valid float".to_owned())
        );
    }
}
