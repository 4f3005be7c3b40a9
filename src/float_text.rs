//! `f64` to and from text for the whole crate, with the exact results of
//! `str::parse::<f64>`, `{}` and `{:?}`, but without core's float tables,
//! to keep the wasm builds small.
//!
//! Owns: [`parse`] (what `text.parse::<f64>()` returns), [`display`] (what
//! `format!("{f}")` prints), [`debug`] (what `format!("{f:?}")` prints) and,
//! in [`exact`], the exact decimal expansion of binary floats. Why not
//! std's: `str::parse::<f64>` links a 10 KB table of powers of five (and
//! its Eisel-Lemire and slow paths), and `Display` for `f64` links Grisu
//! and Dragon (`flt2dec`); in the npm package's `.wasm` both duplicate what
//! is linked anyway: the x87 decimal parser of `rustc_apfloat` (the
//! engine's HINCRBYFLOAT) and `zmij`'s shortest round-trip digits
//! (serde_json's float writer). The results are std's, byte for byte; the
//! tests compare them on special values, ties and many random ones.
//!
//! A utility below the layers (like `sorting`): any module may use it.
//! Must not: know about Redis's float syntax (`inf`, `+inf`, strtod's hex
//! forms, `%.17g`): callers handle those; nor grow other utilities.

use std::cmp::Ordering;

use rustc_apfloat::ieee::X87DoubleExtended;
use rustc_apfloat::{Float, Round};

/// Exact powers of ten as `f64` (10^22 is the last one that is exact).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Parses `text` as `text.parse::<f64>().ok()` does: an optional sign, then
/// `inf`, `infinity` or `nan` in any case, or decimal digits with an
/// optional point and exponent (`1`, `1.`, `.5`, `2.5E-3`), correctly
/// rounded to nearest, ties to even.
pub fn parse(text: &str) -> Option<f64> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, text.get(1..)?),
        b'+' => (false, text.get(1..)?),
        _ => (false, text),
    };
    let magnitude = if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        f64::INFINITY
    } else if body.eq_ignore_ascii_case("nan") {
        f64::NAN
    } else {
        parse_decimal(body)?
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// The parts of a decimal number's text, as [`scan`] reads them.
struct Decimal {
    /// The digits as an integer, `None` when it does not fit `u64`.
    small: Option<u64>,
    /// The power of ten `small` is multiplied by, `None` when out of `i32`.
    exp10: Option<i32>,
}

/// `digits [. digits] [(e|E) [+-] digits]` with at least one mantissa
/// digit, unsigned: the number grammar of `str::parse::<f64>`.
fn scan(body: &str) -> Option<Decimal> {
    let bytes = body.as_bytes();
    let mut i = 0;
    let mut digits = 0usize;
    let mut small = Some(0u64);
    let mut frac_digits = 0i64;
    let mut seen_point = false;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_digit() {
            digits += 1;
            if seen_point {
                frac_digits += 1;
            }
            small = small
                .and_then(|n| n.checked_mul(10))
                .and_then(|n| n.checked_add(u64::from(b - b'0')));
        } else if b == b'.' && !seen_point {
            seen_point = true;
        } else {
            break;
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    let mut exp = 0i64;
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        let negative = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        while let Some(b) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
            exp = exp.saturating_mul(10).saturating_add(i64::from(b - b'0'));
            i += 1;
        }
        if i == start {
            return None;
        }
        if negative {
            exp = -exp;
        }
    }
    if i != bytes.len() {
        return None;
    }
    Some(Decimal {
        small,
        exp10: i32::try_from(exp.saturating_sub(frac_digits)).ok(),
    })
}

/// A validated unsigned decimal: exact `f64` arithmetic when the digits
/// fit 2^53 and the power of ten is exact (one rounding, so correctly
/// rounded); exact `u128` arithmetic for up to 19 digits and powers of ten
/// up to 10^19 either way (what `%.17g` texts such as `0.30000000000000004`
/// need); `rustc_apfloat` otherwise.
fn parse_decimal(body: &str) -> Option<f64> {
    let decimal = scan(body)?;
    if let (Some(n), Some(exp10)) = (decimal.small, decimal.exp10) {
        if n == 0 {
            return Some(0.0);
        }
        let power = usize::try_from(exp10.unsigned_abs()).unwrap_or(usize::MAX);
        if n <= 1 << 53 {
            // n converts exactly.
            let f = n as f64;
            match POW10.get(power) {
                Some(p) if exp10 >= 0 => return Some(f * p),
                Some(p) => return Some(f / p),
                None => {}
            }
        }
        if power <= 19 {
            return Some(parse_u128(n, exp10));
        }
    }
    Some(parse_slow(body))
}

/// `n * 10^exp10` for `|exp10| <= 19`, correctly rounded with `u128`
/// arithmetic: a product below 2^128, or a quotient with 62 to 64 bits
/// whose remainder settles a tie.
fn parse_u128(n: u64, exp10: i32) -> f64 {
    let power = 10u128.pow(exp10.unsigned_abs());
    if exp10 >= 0 {
        // Exact: n < 2^64 and 10^19 < 2^64.
        let product = u128::from(n) * power;
        let extra = (128 - product.leading_zeros()).saturating_sub(64);
        let top = (product >> extra) as u64;
        let lost = product & ((1u128 << extra) - 1);
        let exp2 = i32::try_from(extra).unwrap_or(0);
        return round_to_f64(top, exp2, || lost.cmp(&0));
    }
    // n * 2^s / 10^k with s chosen so that the quotient has 63 or 64 bits.
    let n_bits = 64 - n.leading_zeros();
    let d_bits = 128 - power.leading_zeros();
    let s = 63 + d_bits - n_bits;
    let scaled = u128::from(n) << s;
    let quotient = (scaled / power) as u64;
    let remainder = scaled % power;
    let exp2 = -i32::try_from(s).unwrap_or(0);
    round_to_f64(quotient, exp2, || remainder.cmp(&0))
}

/// Correct rounding through the x87 format: the decimal is rounded to
/// nearest at 64 bits, then to 53. The two roundings differ from one only
/// when the first lands exactly halfway between two `f64`s (a midpoint is
/// an x87 number, so nothing closer to the decimal lies between them);
/// then the decimal is compared with that midpoint exactly to pick the side. The x87
/// exponent range covers all `f64`s, subnormals included, as normal numbers.
fn parse_slow(body: &str) -> f64 {
    let Ok(parsed) = X87DoubleExtended::from_str_r(body, Round::NearestTiesToEven) else {
        // Unreachable: `scan` accepted the text, and apfloat accepts a
        // superset of that grammar.
        return f64::NAN;
    };
    let bits = parsed.value.to_bits();
    let biased = ((bits >> 64) & 0x7fff) as i32;
    if biased == 0x7fff {
        // Beyond the x87 range, so far beyond f64's.
        return f64::INFINITY;
    }
    let significand = (bits & u128::from(u64::MAX)) as u64;
    // value = significand * 2^exp2 (the x87 format stores the integer bit).
    let exp2 = biased.max(1) - 16383 - 63;
    // apfloat's value is correctly rounded, but its INEXACT flag is not
    // reliable (it can call a rounded result exact), so a tie is always
    // settled by the exact comparison.
    round_to_f64(significand, exp2, || compare_exact(body, significand, exp2))
}

/// How the decimal `body` (validated by [`scan`]) compares with
/// `significand * 2^exp2`, exactly.
fn compare_exact(body: &str, significand: u64, exp2: i32) -> Ordering {
    let (digits, k) = decimal_digits(body);
    let (binary, binary_k) = exact::significant(significand, i64::from(exp2));
    if digits.is_empty() {
        return Ordering::Less;
    }
    k.cmp(&i64::from(binary_k))
        .then_with(|| digits.as_slice().cmp(binary.as_slice()))
}

/// The significant digits of a decimal number's text (`digits [. digits]
/// [(e|E) [+-] digits]`, unsigned), without leading or trailing zeros, and
/// the exponent `k` with `value = 0.d1d2d3... * 10^k`.
fn decimal_digits(text: &str) -> (Vec<u8>, i64) {
    let (mantissa, exp) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i64>().unwrap_or(0)),
        None => (text, 0),
    };
    let point = mantissa.find('.').unwrap_or(mantissa.len());
    let mut digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    let leading = digits.iter().take_while(|&&d| d == b'0').count();
    digits.drain(..leading);
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    let k = i64::try_from(point)
        .unwrap_or(i64::MAX)
        .saturating_sub(i64::try_from(leading).unwrap_or(i64::MAX))
        .saturating_add(exp);
    (digits, k)
}

/// `significand * 2^exp2` (non-negative) rounded to the nearest `f64`;
/// when exactly halfway, `tie` tells how the true value compares with it
/// (Equal: ties to even).
fn round_to_f64(significand: u64, exp2: i32, tie: impl FnOnce() -> Ordering) -> f64 {
    if significand == 0 {
        return 0.0;
    }
    let zeros = significand.leading_zeros();
    let m = significand << zeros;
    // Now m is in [2^63, 2^64) and value = m * 2^e.
    let e = exp2 - zeros as i32;
    // Bits dropped: 11 for a normal result, more below 2^-1022 (the
    // subnormals' quantum is 2^-1074).
    let shift = (-1074 - e).max(11);
    if shift > 64 {
        // Below 2^-1075: rounds to zero.
        return 0.0;
    }
    let (mut q, rest, half) = if shift == 64 {
        (0, m, 1u64 << 63)
    } else {
        (m >> shift, m & ((1u64 << shift) - 1), 1u64 << (shift - 1))
    };
    let up = match rest.cmp(&half) {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => match tie() {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => q & 1 == 1,
        },
    };
    if up {
        q += 1;
    }
    if shift > 11 {
        // Subnormal (or, after a carry to 2^52, the smallest normal): the
        // bit pattern is the significand itself.
        return f64::from_bits(q);
    }
    // Normal: q in [2^52, 2^53], value = q * 2^(e + 11).
    let mut biased = e + 11 + 52 + 1023;
    if q == 1 << 53 {
        q >>= 1;
        biased += 1;
    }
    if biased >= 0x7ff {
        return f64::INFINITY;
    }
    let biased = u64::try_from(biased).unwrap_or(0);
    f64::from_bits((biased << 52) | (q & ((1u64 << 52) - 1)))
}

/// The shortest decimal digits that read back as `f` (finite, non-zero),
/// and the exponent `k` with `|f| = 0.d1d2d3... * 10^k`; between two
/// equally close shortest candidates, the upper one, as std picks (zmij
/// picks the even one).
fn shortest(f: f64) -> (Vec<u8>, i32) {
    let mut buffer = zmij::Buffer::new();
    let (mut digits, k) = decimal_digits(buffer.format_finite(f.abs()));
    // A finite f64's decimal exponent is within ±400.
    let k = i32::try_from(k).unwrap_or(0);
    if digits.last().is_some_and(|d| d % 2 == 0) && is_tie(f, &digits, k) {
        if let Some(last) = digits.last_mut() {
            // Even, so no carry.
            *last += 1;
        }
    }
    (digits, k)
}

/// True when `|f|` is exactly halfway between `0.digits * 10^k` and the
/// next number with as many digits: its exact expansion is `digits`
/// followed by a 5. Only a binary exponent in -25..=22 (after removing
/// trailing zero bits) leaves an expansion short enough (at most 18
/// significant digits) for that.
fn is_tie(f: f64, digits: &[u8], k: i32) -> bool {
    let (mantissa, exp2) = exact::decompose(f);
    let reduced = exp2 + i64::from(mantissa.trailing_zeros());
    if !(-25..=22).contains(&reduced) {
        return false;
    }
    let (exact_digits, exact_k) = exact::significant(mantissa, exp2);
    exact_k == k
        && exact_digits.len() == digits.len() + 1
        && exact_digits.starts_with(digits)
        && exact_digits.last() == Some(&b'5')
}

/// `0.d1d2... * 10^k` laid out without an exponent, with at least
/// `min_frac` fraction digits (std's `digits_to_dec_str`).
fn push_fixed(out: &mut String, digits: &[u8], k: i32, min_frac: usize) {
    let len = digits.len();
    let as_str = |d: &[u8]| d.iter().map(|&b| char::from(b)).collect::<String>();
    if k <= 0 {
        out.push_str("0.");
        let zeros = usize::try_from(-k).unwrap_or(0);
        out.extend(std::iter::repeat_n('0', zeros));
        out.push_str(&as_str(digits));
        let frac = zeros + len;
        out.extend(std::iter::repeat_n('0', min_frac.saturating_sub(frac)));
    } else {
        let k = usize::try_from(k).unwrap_or(0);
        if k < len {
            out.push_str(&as_str(&digits[..k]));
            out.push('.');
            out.push_str(&as_str(&digits[k..]));
            out.extend(std::iter::repeat_n('0', min_frac.saturating_sub(len - k)));
        } else {
            out.push_str(&as_str(digits));
            out.extend(std::iter::repeat_n('0', k - len));
            if min_frac > 0 {
                out.push('.');
                out.extend(std::iter::repeat_n('0', min_frac));
            }
        }
    }
}

/// The sign std prints: `-` for every negative value, `-0` included.
fn sign(f: f64) -> &'static str {
    if f.is_sign_negative() {
        "-"
    } else {
        ""
    }
}

/// What `format!("{f}")` prints: `NaN`, `inf`, `-inf`, otherwise the
/// shortest round-trip digits without an exponent (`1e21` is
/// `1000000000000000000000`, `1.0` is `1`, `-0.0` is `-0`).
pub fn display(f: f64) -> String {
    signed(f, "0", |out, digits, k| push_fixed(out, digits, k, 0))
}

/// What `format!("{f:?}")` prints: like [`display`] but with at least one
/// fraction digit (`1.0`), and in exponent form (`1e16`, `1.5e-7`) from
/// 1e16 up and below 1e-4.
pub fn debug(f: f64) -> String {
    signed(f, "0.0", |out, digits, k| {
        if (1e-4..1e16).contains(&f.abs()) {
            push_fixed(out, digits, k, 1);
            return;
        }
        if let Some((&first, rest)) = digits.split_first() {
            out.push(char::from(first));
            if !rest.is_empty() {
                out.push('.');
                out.extend(rest.iter().map(|&b| char::from(b)));
            }
        }
        out.push('e');
        out.push_str(&(k - 1).to_string());
    })
}

/// The layout both `Display` and `Debug` share: `NaN`, else the sign then
/// `inf`, `zero`, or the shortest digits (and their decimal exponent `k`)
/// written by `digits`.
fn signed(f: f64, zero: &str, digits: impl FnOnce(&mut String, &[u8], i32)) -> String {
    if f.is_nan() {
        return "NaN".to_owned();
    }
    let mut out = sign(f).to_owned();
    if f.is_infinite() {
        out.push_str("inf");
    } else if f == 0.0 {
        out.push_str(zero);
    } else {
        let (shortest_digits, k) = shortest(f);
        digits(&mut out, &shortest_digits, k);
    }
    out
}

pub(crate) mod exact;

#[cfg(test)]
mod tests;
