//! C's `%.<p>g` for Lua numbers: Redis formats a number argument of
//! `redis.call` with 17 significant digits, cjson with 14.
//!
//! Must not: be used for replies (those go through `ctx::format_float`).

/// `printf("%.{precision}g", v)`.
pub fn format_g(v: f64, precision: usize) -> String {
    if v.is_nan() {
        return if v.is_sign_negative() { "-nan" } else { "nan" }.to_owned();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let p = precision.max(1);
    // The exponent after rounding to p digits decides the style, as in C.
    let sci = format!("{:.*e}", p - 1, v);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let p = i64::try_from(p).unwrap_or(17);
    if exp < -4 || exp >= p {
        let mantissa = strip_zeros(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        let decimals = usize::try_from(p - 1 - exp).unwrap_or(0);
        strip_zeros(&format!("{v:.decimals$}")).to_owned()
    }
}

/// Drops trailing fractional zeros and a trailing point.
fn strip_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::format_g;

    #[test]
    fn matches_printf() {
        assert_eq!(format_g(1.5, 17), "1.5");
        assert_eq!(format_g(3.0, 17), "3");
        assert_eq!(format_g(0.1, 17), "0.10000000000000001");
        assert_eq!(format_g(1e14, 14), "1e+14");
        assert_eq!(format_g(123456.0, 14), "123456");
        assert_eq!(format_g(0.0001, 14), "0.0001");
        assert_eq!(format_g(0.00001, 14), "1e-05");
        assert_eq!(format_g(-2.5e20, 17), "-2.5e+20");
        assert_eq!(format_g(1e16, 17), "10000000000000000");
    }
}
