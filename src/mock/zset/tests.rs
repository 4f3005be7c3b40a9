use super::*;

#[crate::unit_test]
fn formats_like_printf_17g() {
    let cases: &[(f64, &str)] = &[
        (1.1, "1.1000000000000001"),
        (0.1 + 0.2, "0.30000000000000004"),
        (3.0, "3"),
        (1e20, "1e+20"),
        (1e16, "10000000000000000"),
        (1e17, "1e+17"),
        (0.0001, "0.0001"),
        (0.00001, "1.0000000000000001e-05"),
        (-2.5, "-2.5"),
        (1.5e300, "1.5000000000000001e+300"),
        (123456789012345678.0, "1.2345678901234568e+17"),
        (-0.0, "-0"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
        (5e-324, "4.9406564584124654e-324"),
    ];
    for (f, want) in cases {
        assert_eq!(String::from_utf8(format_score(*f)).unwrap(), *want, "{f}");
    }
}

/// The implementation before `float_text` (std's `{:.16e}`, then %g's
/// layout), kept as the reference.
fn format_score_with_std(f: f64) -> String {
    if f.is_infinite() || f == 0.0 {
        return String::from_utf8(format_score(f)).unwrap();
    }
    let sci = format!("{:.16e}", f);
    let (mantissa, exp) = sci.split_once('e').unwrap();
    let exp: i32 = exp.parse().unwrap();
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::new();
    if mantissa.starts_with('-') {
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
        out.push_str(&format!(
            "e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        ));
    } else if exp >= 0 {
        let (int, frac) = digits.split_at((exp as usize + 1).min(digits.len()));
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
    out
}

#[crate::unit_test]
fn formats_scores_as_std_exact_digits_did() {
    // 1234567890123456.25 and .75 have 18 significant digits ending in
    // 5: ties, to even.
    for f in [
        1234567890123456.0 + 0.25,
        1234567890123456.0 + 0.75,
        0.1,
        2.5,
        1e-5,
        1e22,
        1e23,
    ] {
        assert_eq!(
            String::from_utf8(format_score(f)).unwrap(),
            format_score_with_std(f)
        );
    }
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for i in 0..20_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let f = match i % 3 {
            0 => f64::from_bits(state),
            1 => (state % 2_000_000_000) as f64 / 1000.0 - 1e6,
            _ => f64::from_bits(state & 0x800f_ffff_ffff_ffff | ((state >> 52) % 120 + 960) << 52),
        };
        if f.is_nan() {
            continue;
        }
        assert_eq!(
            String::from_utf8(format_score(f)).unwrap(),
            format_score_with_std(f),
            "{:#x}",
            f.to_bits()
        );
    }
}

#[crate::unit_test]
fn parses_scores_like_redis() {
    assert_eq!(parse_score(b"1.5"), Some(1.5));
    assert_eq!(parse_score(b"-inf"), Some(f64::NEG_INFINITY));
    assert_eq!(parse_score(b"+Infinity"), Some(f64::INFINITY));
    assert_eq!(parse_score(b"nan"), None);
    assert_eq!(parse_score(b" 1"), None);
    assert_eq!(parse_score(b"1e400"), None);
    assert_eq!(parse_score(b"abc"), None);
    assert_eq!(parse_score(b""), None);
}

#[crate::unit_test]
fn ranges_by_score_and_lex() {
    let mut z = SortedSet::default();
    for (m, s) in [("a", 1.0), ("b", 2.0), ("c", 2.0), ("d", 3.0)] {
        z.insert(m.as_bytes().to_vec(), s);
    }
    let r = ScoreRange::parse(b"(1", b"2").unwrap();
    let got: Vec<_> = z
        .range_by_score(&r, false)
        .map(|(m, _)| m.to_vec())
        .collect();
    assert_eq!(got, vec![b"b".to_vec(), b"c".to_vec()]);
    let r = ScoreRange::parse(b"3", b"(1").unwrap();
    let got: Vec<_> = z
        .range_by_score(
            &ScoreRange {
                min: r.max,
                max: r.min,
            },
            true,
        )
        .map(|(m, _)| m.to_vec())
        .collect();
    assert_eq!(got, vec![b"d".to_vec(), b"c".to_vec(), b"b".to_vec()]);
    let l = LexRange::parse(b"-", b"+").unwrap();
    assert_eq!(z.range_by_lex(&l, false).len(), 4);
}
