//! [`parse`], [`display`] and [`debug`] against std's on special values,
//! boundaries, ties and pseudo-random inputs.

use super::*;

/// xorshift64*: reproducible inputs without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Any finite f64, from every binade (subnormals included).
    fn finite(&mut self) -> f64 {
        loop {
            let f = f64::from_bits(self.next());
            if f.is_finite() {
                return f;
            }
        }
    }

    /// An f64 of "ordinary" size: a few digits, some fraction.
    fn ordinary(&mut self) -> f64 {
        let n = self.below(2_000_000_000) as f64 - 1e9;
        n / POW10[self.below(12) as usize]
    }
}

fn same_parse(text: &str) {
    let want = text.parse::<f64>().ok();
    let got = parse(text);
    match (want, got) {
        (Some(w), Some(g)) if w.is_nan() => assert!(g.is_nan(), "{text:?}: {g:?}"),
        (Some(w), Some(g)) => assert_eq!(w.to_bits(), g.to_bits(), "{text:?}: {w:?} vs {g:?}"),
        (w, g) => assert_eq!(w.is_some(), g.is_some(), "{text:?}: {w:?} vs {g:?}"),
    }
}

fn same_text(f: f64) {
    assert_eq!(display(f), format!("{f}"), "display of {:#x}", f.to_bits());
    assert_eq!(debug(f), format!("{f:?}"), "debug of {:#x}", f.to_bits());
}

/// Decimal digits of `a + b` for two non-negative decimal texts with the
/// same number of fraction digits (as `{:.N}` prints them).
fn add_decimal(a: &str, b: &str) -> String {
    let width = a.len().max(b.len());
    let pad = |s: &str| format!("{s:0>width$}").into_bytes();
    let (a, b) = (pad(a), pad(b));
    let mut out = Vec::new();
    let mut carry = 0;
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if *x == b'.' {
            out.push(b'.');
            continue;
        }
        let s = (x - b'0') + (y - b'0') + carry;
        out.push(b'0' + s % 10);
        carry = s / 10;
    }
    if carry > 0 {
        out.push(b'1');
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

/// Decimal text of `s / 2`, one more fraction digit.
fn halve_decimal(s: &str) -> String {
    let mut out = String::new();
    let mut rest = 0;
    for c in s.chars().chain(std::iter::once('0')) {
        if c == '.' {
            out.push('.');
            continue;
        }
        let n = rest * 10 + c.to_digit(10).unwrap();
        out.push(char::from_digit(n / 2, 10).unwrap());
        rest = n % 2;
    }
    out
}

#[crate::unit_test]
fn parses_like_std_on_fixed_cases() {
    for text in [
        "0",
        "-0",
        "+0",
        "0.0",
        "00",
        "1",
        "-1",
        "+1",
        "1.",
        ".5",
        "-.5",
        "1.5",
        "1e5",
        "1E5",
        "1e+5",
        "1e-5",
        "1.e5",
        "0.1",
        "0.2",
        "0.3",
        "3.14159",
        "2.5E-3",
        "123456789012345678",
        "9007199254740992",
        "9007199254740993",
        "9007199254740995",
        "1e22",
        "1e23",
        "1e-22",
        "1e-23",
        "1e308",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "1e309",
        "2.2250738585072014e-308",
        "2.2250738585072011e-308",
        "4.9406564584124654e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "5e-324",
        "3e-324",
        "2e-324",
        "1e-400",
        "1e-99999999999",
        "1e99999999999",
        "0e99999999999",
        "0.000000000000000000000000000000001",
        "1.00000000000000000000000000",
        "100000000000000000000000000000000000000000000000000000000000",
        "inf",
        "-inf",
        "+inf",
        "Inf",
        "INF",
        "infinity",
        "-Infinity",
        "INFINITY",
        "nan",
        "NaN",
        "-nan",
        "+NAN",
        "",
        "+",
        "-",
        ".",
        "e",
        "e5",
        ".e5",
        "1e",
        "1e+",
        "1e-",
        "1..5",
        "1.5.",
        "--1",
        "+-1",
        " 1",
        "1 ",
        "1_0",
        "0x10",
        "1f",
        "infinit",
        "infinityy",
        "nana",
        "1e5.5",
        "١",
    ] {
        same_parse(text);
    }
}

#[crate::unit_test]
fn parses_like_std_on_printed_floats() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..20_000 {
        let f = rng.finite();
        same_parse(&format!("{f}"));
        same_parse(&format!("{f:e}"));
        same_parse(&format!("{f:.3e}"));
        same_parse(&format!("{f:.17e}"));
        same_parse(&format!("{f:.25e}"));
        let g = rng.ordinary();
        same_parse(&format!("{g}"));
        same_parse(&format!("{g:.20}"));
    }
}

#[crate::unit_test]
fn parses_like_std_on_random_digit_strings() {
    let mut rng = Rng(42);
    for _ in 0..20_000 {
        let len = 1 + rng.below(40) as usize;
        let mut text: String = (0..len)
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect();
        if rng.below(2) == 0 {
            text.insert(rng.below(len as u64 + 1) as usize, '.');
        }
        if rng.below(2) == 0 {
            let exp = rng.below(700) as i64 - 350;
            text.push_str(&format!("e{exp}"));
        }
        same_parse(&text);
    }
}

/// Exact midpoints between neighbouring doubles (ties: to even), and
/// texts just above and below them.
#[crate::unit_test]
fn parses_like_std_on_halfway_cases() {
    let mut rng = Rng(7);
    for i in 0..2_000 {
        let f = if i % 2 == 0 {
            rng.finite().abs()
        } else {
            rng.ordinary().abs()
        };
        let next = f64::from_bits(f.to_bits() + 1);
        if !next.is_finite() {
            continue;
        }
        let mid = halve_decimal(&add_decimal(
            &format!("{f:.1100}"),
            &format!("{next:.1100}"),
        ));
        let mid = mid.trim_end_matches('0');
        same_parse(mid);
        same_parse(&format!("{mid}0000000001"));
        // Just below: the last non-zero digit lowered, nines after it.
        let below = {
            let mut b = mid.as_bytes().to_vec();
            if let Some(last) = b.iter().rposition(|&d| d.is_ascii_digit() && d != b'0') {
                b[last] -= 1;
                b.extend_from_slice(b"999999");
            }
            String::from_utf8(b).unwrap()
        };
        same_parse(&below);
    }
}

/// 17 to 20 digits with small exponents (the `u128` path), including
/// exact midpoints `(2m + 1) * 2^j` and `(2m + 1) / 2^t` with m >= 2^52.
#[crate::unit_test]
fn parses_like_std_on_long_mantissas() {
    for text in [
        "4503599627370496.5",
        "4503599627370497.5",
        "4503599627370496.50000000000000001",
        "18014398509481986",
        "18014398509481990",
        "18446744073709551615",
        "18446744073709551616",
        "0.30000000000000004",
        "1.1000000000000001",
        "1.2345678901234567e+20",
        "9999999999999999999e19",
        "9999999999999999999e-19",
        "1000000000000000000e-19",
    ] {
        same_parse(text);
    }
    let mut rng = Rng(99);
    for _ in 0..20_000 {
        let n = rng.next() >> rng.below(11);
        let e = rng.below(39) as i64 - 19;
        same_parse(&format!("{n}e{e}"));
        let m = (1u64 << 52) + rng.below(1 << 52);
        let odd = u128::from(2 * m + 1);
        let j = rng.below(10) as u32;
        same_parse(&(odd << j).to_string());
        let t = 1 + rng.below(4) as u32;
        let digits = (odd * 5u128.pow(t)).to_string();
        let (int, frac) = digits.split_at(digits.len() - t as usize);
        same_parse(&format!("{int}.{frac}"));
    }
}

#[crate::unit_test]
fn prints_like_std_on_fixed_cases() {
    for f in [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.1,
        0.2,
        0.3,
        1.5,
        100.0,
        1e15,
        1e16,
        1e17,
        1e21,
        1e22,
        1e23,
        123456789012345680000.0,
        1e-4,
        0.00009999999999999999,
        1e-5,
        1e-7,
        1.5e-7,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        f64::EPSILON,
        5e-324,
        -5e-324,
        2.225073858507201e-308,
        9007199254740992.0,
        9007199254740993.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        std::f64::consts::PI,
        -std::f64::consts::E,
    ] {
        same_text(f);
    }
    for e in -1074..1024 {
        same_text(2f64.powi(e));
        same_text(-(2f64.powi(e)) * 3.0);
    }
    for e in -325..309 {
        same_text(format!("1e{e}").parse().unwrap());
    }
}

#[crate::unit_test]
fn prints_like_std_on_random_floats() {
    let mut rng = Rng(0x1234_5678);
    for _ in 0..100_000 {
        same_text(rng.finite());
        same_text(rng.ordinary());
        same_text(rng.below(1 << 53) as f64);
    }
}
