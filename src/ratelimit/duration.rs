//! Window and interval durations written as @upstash/ratelimit writes them:
//! `"10s"`, `"10 s"`, `"250ms"`, `"1m"`, `"1h"`, `"1d"`.
//!
//! Owns: parsing those strings into whole milliseconds. Must not: accept
//! anything ambiguous (fractions, other units, zero): a typo in a limit
//! must fail at construction, not silently mean something else.

/// Why a duration string was refused. Never contains the input itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DurationError {
    /// Not `<digits><optional space><unit>`.
    #[error("duration must be <integer> <unit> with unit ms, s, m, h or d")]
    Format,
    /// Zero length: a window must last at least 1 ms.
    #[error("duration must be at least 1 ms")]
    Zero,
    /// Longer than fits in milliseconds (or than Lua counts exactly, 2^53).
    #[error("duration is too long")]
    TooLong,
}

/// Largest duration accepted: Lua numbers are exact only below 2^53.
const MAX_MS: u64 = 1 << 53;

/// Parses `"<n>ms|s|m|h|d"` (one optional space before the unit) into ms.
pub fn parse_duration(text: &str) -> Result<u64, DurationError> {
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or(DurationError::Format)?;
    let (digits, rest) = text.split_at(digits_end);
    let unit = rest.strip_prefix(' ').unwrap_or(rest);
    let multiplier: u64 = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(DurationError::Format),
    };
    if digits.is_empty() {
        return Err(DurationError::Format);
    }
    let n: u64 = digits.parse().map_err(|_| DurationError::TooLong)?;
    let ms = n.checked_mul(multiplier).ok_or(DurationError::TooLong)?;
    match ms {
        0 => Err(DurationError::Zero),
        ms if ms > MAX_MS => Err(DurationError::TooLong),
        ms => Ok(ms),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_with_or_without_a_space() {
        assert_eq!(parse_duration("10s"), Ok(10_000));
        assert_eq!(parse_duration("10 s"), Ok(10_000));
        assert_eq!(parse_duration("250ms"), Ok(250));
        assert_eq!(parse_duration("250 ms"), Ok(250));
        assert_eq!(parse_duration("2m"), Ok(120_000));
        assert_eq!(parse_duration("1h"), Ok(3_600_000));
        assert_eq!(parse_duration("1d"), Ok(86_400_000));
    }

    #[test]
    fn refuses_anything_else_with_a_typed_error() {
        for bad in [
            "", "s", "10", "10x", "10  s", " 10s", "1.5s", "-1s", "10S", "10sec", "10s ",
        ] {
            assert_eq!(parse_duration(bad), Err(DurationError::Format), "{bad:?}");
        }
        assert_eq!(parse_duration("0s"), Err(DurationError::Zero));
        assert_eq!(
            parse_duration("99999999999999999999d"),
            Err(DurationError::TooLong)
        );
        assert_eq!(parse_duration("999999999999d"), Err(DurationError::TooLong));
    }
}
