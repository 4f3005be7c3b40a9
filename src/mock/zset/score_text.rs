//! A score's text: parsing it as Redis does (C `strtod` rules, hex floats,
//! no NaN, no overflow or underflow) and printing it as redis-server 7.0
//! replies it (`%.17g`) or as a listpack stores it.
//!
//! Owns: the pure text rules of one score. Must not: know about ranges,
//! sets, keys, replies or commands.

use crate::float_text::exact;

/// Parses what C `strtod` accepts in full (decimal and inf/infinity forms).
pub(super) fn strtod_full(text: &str) -> Option<f64> {
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
