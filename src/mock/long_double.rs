//! Redis's `long double` numbers, as HINCRBYFLOAT (and INCRBYFLOAT) use them.
//!
//! Owns: parsing a float argument exactly as Redis's `string2ld` does
//! (`strtold` over the whole string), adding with x87 80-bit extended
//! precision, and printing as `ld2string(.., LD_STR_HUMAN)` does (`%.17Lf`
//! with trailing zeros trimmed). With plain `f64` the engine would answer
//! `0.30000000000000004` to 0.1 + 0.2 where Redis answers `0.3`, and reject
//! `1e400`, which Redis accepts: the replies must be Redis's, byte for byte.
//!
//! The arithmetic comes from `rustc_apfloat` (the Rust port of LLVM's
//! APFloat, kept by the Rust project): correctly rounded decimal parsing and
//! addition in the x87 format, in pure Rust, so it also runs on wasm32.
//! Printing is done here, exactly, because `%.17Lf` needs the full decimal
//! expansion of the binary value (`float_text::exact`) and glibc's
//! round-half-even on it.
//!
//! Must not: know about commands or keys.

use rustc_apfloat::ieee::X87DoubleExtended;
use rustc_apfloat::{Float, Round, Status};

use crate::float_text::exact::exact_decimal;

/// Redis's `MAX_LONG_DOUBLE_CHARS`: longer inputs are rejected.
const MAX_LONG_DOUBLE_CHARS: usize = 5 * 1024;

/// One x87 `long double` value.
#[derive(Clone, Copy, Debug)]
pub struct LongDouble(X87DoubleExtended);

impl LongDouble {
    /// Zero, the value of a missing field.
    pub fn zero() -> Self {
        Self(X87DoubleExtended::ZERO)
    }

    /// Parses as Redis's `string2ld`: the whole input must be one `strtold`
    /// number (decimal, hex, `inf`), without leading space; NaN, overflow and
    /// underflow to zero are rejected.
    pub fn parse(input: &[u8]) -> Option<Self> {
        if input.is_empty() || input.len() >= MAX_LONG_DOUBLE_CHARS {
            return None;
        }
        // strtold stops at a NUL byte, and Redis then sees that it did not
        // consume the whole input.
        if input.contains(&0) {
            return None;
        }
        let text = std::str::from_utf8(input).ok()?;
        let (negative, body) = match text.as_bytes().first() {
            Some(b'-') => (true, text.get(1..)?),
            Some(b'+') => (false, text.get(1..)?),
            _ => (false, text),
        };
        let magnitude = if is_infinity(body) {
            X87DoubleExtended::INFINITY
        } else {
            parse_finite(body)?
        };
        Some(Self(if negative { -magnitude } else { magnitude }))
    }

    /// True for an infinity (NaN cannot be produced by parse or add of finite values).
    pub fn is_infinite(self) -> bool {
        self.0.is_infinite() || self.0.is_nan()
    }

    /// The sum, rounded to nearest-even as the FPU does.
    pub fn add(self, other: Self) -> Self {
        Self(self.0.add_r(other.0, Round::NearestTiesToEven).value)
    }

    /// The text Redis stores and replies: `%.17Lf`, trailing zeros and a
    /// trailing dot removed, `-0` printed as `0`.
    pub fn to_redis_string(self) -> Vec<u8> {
        if self.0.is_infinite() {
            // Never stored (Redis rejects infinite results); kept total.
            return if self.0.is_negative() {
                b"-inf".to_vec()
            } else {
                b"inf".to_vec()
            };
        }
        let bits = self.0.to_bits();
        let negative = (bits >> 79) & 1 == 1;
        let mantissa = (bits & u128::from(u64::MAX)) as u64;
        let biased = ((bits >> 64) & 0x7fff) as i64;
        // value = mantissa * 2^exp2; the x87 format stores the integer bit.
        let exp2 = if biased == 0 { 1 } else { biased } - 16383 - 63;
        let (int_part, frac) = exact_decimal(mantissa, exp2);
        let mut text = round_fixed(&int_part, &frac, 17);
        while text.last() == Some(&b'0') {
            text.pop();
        }
        if text.last() == Some(&b'.') {
            text.pop();
        }
        if negative && text != b"0" {
            text.insert(0, b'-');
        }
        text
    }
}

/// `inf` or `infinity` in any case, as strtold reads them.
fn is_infinity(body: &str) -> bool {
    body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity")
}

/// Parses an unsigned decimal or hex number that strtold would consume whole.
fn parse_finite(body: &str) -> Option<X87DoubleExtended> {
    let hex = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X"));
    let apfloat_text = match hex {
        Some(rest) => {
            if !is_number(rest, |b| b.is_ascii_hexdigit(), b"pP") {
                return None;
            }
            // APFloat insists on a binary exponent; strtold does not.
            if rest.contains(['p', 'P']) {
                format!("0x{rest}")
            } else {
                format!("0x{rest}p0")
            }
        }
        None => {
            if !is_number(body, |b| b.is_ascii_digit(), b"eE") {
                return None;
            }
            body.to_owned()
        }
    };
    let parsed = X87DoubleExtended::from_str_r(&apfloat_text, Round::NearestTiesToEven).ok()?;
    let value = parsed.value;
    // strtold reports ERANGE for overflow to infinity and underflow to zero;
    // Redis rejects both (a tiny nonzero subnormal is kept).
    if value.is_infinite() || value.is_nan() {
        return None;
    }
    if value.is_zero()
        && parsed
            .status
            .intersects(Status::INEXACT | Status::UNDERFLOW)
    {
        return None;
    }
    Some(value)
}

/// `digits [. digits] [exp [+-] decimal-digits]` with at least one digit in
/// the mantissa, in `digit`'s alphabet: the full-match grammar of strtold.
fn is_number(s: &str, digit: fn(&u8) -> bool, exp_marks: &[u8]) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut mantissa_digits = 0;
    while bytes.get(i).is_some_and(digit) {
        i += 1;
        mantissa_digits += 1;
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        while bytes.get(i).is_some_and(digit) {
            i += 1;
            mantissa_digits += 1;
        }
    }
    if mantissa_digits == 0 {
        return false;
    }
    if bytes.get(i).is_some_and(|b| exp_marks.contains(b)) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == bytes.len()
}

/// `int.frac` rounded half-to-even to `places` fraction digits, as glibc's
/// printf does in the default rounding mode.
fn round_fixed(int_part: &[u8], frac: &[u8], places: usize) -> Vec<u8> {
    let mut kept: Vec<u8> = int_part.to_vec();
    let int_len = kept.len();
    kept.extend(frac.iter().take(places));
    kept.resize(int_len + places, b'0');
    let rest = frac.get(places..).unwrap_or_default();
    let round_up = match rest.split_first() {
        Some((&first, tail)) => {
            let last_odd = kept.last().is_some_and(|d| (d - b'0') % 2 == 1);
            first > b'5' || (first == b'5' && (tail.iter().any(|&d| d != b'0') || last_odd))
        }
        None => false,
    };
    let mut int_len = int_len;
    if round_up {
        let mut carry = true;
        for d in kept.iter_mut().rev() {
            if *d == b'9' {
                *d = b'0';
            } else {
                *d += 1;
                carry = false;
                break;
            }
        }
        if carry {
            kept.insert(0, b'1');
            int_len += 1;
        }
    }
    let mut out = kept[..int_len].to_vec();
    out.push(b'.');
    out.extend_from_slice(&kept[int_len..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(a: &str, b: &str) -> String {
        let a = LongDouble::parse(a.as_bytes()).unwrap();
        let b = LongDouble::parse(b.as_bytes()).unwrap();
        String::from_utf8(a.add(b).to_redis_string()).unwrap()
    }

    fn show(a: &str) -> String {
        String::from_utf8(LongDouble::parse(a.as_bytes()).unwrap().to_redis_string()).unwrap()
    }

    // Expected texts were read from redis-server 7.0.15 (HINCRBYFLOAT).
    #[crate::unit_test]
    fn sums_print_as_redis() {
        assert_eq!(sum("0.1", "0.2"), "0.3");
        assert_eq!(sum("0", "1e20"), "100000000000000000000");
        assert_eq!(sum("-0.1", "0.1"), "0");
        assert_eq!(sum("0", "-1e-30"), "0");
        assert_eq!(sum("0", "1.5e-5"), "0.000015");
        assert_eq!(sum("0", "1.23456789012345678"), "1.23456789012345678");
        assert_eq!(sum("9223372036854775807", "1"), "9223372036854775808");
        assert_eq!(
            sum("0", "123456789012345678901234567890"),
            "123456789012345678899921813504"
        );
        assert_eq!(sum("3.5", "5.0e3"), "5003.5");
    }

    #[crate::unit_test]
    fn parses_what_strtold_parses() {
        assert_eq!(show("0x1p-3"), "0.125");
        assert_eq!(show("0x10"), "16");
        assert_eq!(show("0x.8"), "0.5");
        assert_eq!(show(".5"), "0.5");
        assert_eq!(show("5."), "5");
        assert_eq!(show("+1"), "1");
        assert_eq!(show("1E2"), "100");
        assert_eq!(show("0e-5000"), "0");
        assert_eq!(show("1e-4950"), "0");
        assert!(show("1e400").starts_with("10000000000000000000281880683947586514"));
        assert!(LongDouble::parse(b"inf").unwrap().is_infinite());
        assert!(LongDouble::parse(b"-Infinity").unwrap().is_infinite());
        for bad in [
            "", " 1", "1 ", "nan", "1_0", "0x", "1e", "e5", ".", "1e-5000", "1e5000", "abc", "--1",
            "0x1p",
        ] {
            assert!(LongDouble::parse(bad.as_bytes()).is_none(), "{bad:?}");
        }
    }

    #[crate::unit_test]
    fn rounds_half_to_even_at_17_places() {
        // 2^-18 = 0.000003814697265625 has 18 decimals, ending in a tie.
        assert_eq!(show("0x1p-18"), "0.00000381469726562");
        // 3 * 2^-18 = 0.000011444091796875: tie after an odd digit rounds up.
        assert_eq!(show("0x3p-18"), "0.00001144409179688");
    }
}
