//! The x87 80-bit `long double` arithmetic INCRBYFLOAT performs, emulated
//! exactly: parsing as glibc's `strtold`, one rounded addition, and printing
//! as `%.17Lf` with trailing zeros removed (Redis's `ld2string`, human mode).
//!
//! Why not `f64`: Redis computes in 64-bit-mantissa long doubles, so
//! `0.1 + 0.2` prints `0.3` there but `0.30000000000000004` in `f64`, and
//! values up to ~1.19e4932 stay finite. Replies must match byte for byte, so
//! this module keeps values as exact `mantissa * 2^exp` and rounds with big
//! integers (num-bigint: pure Rust, builds for wasm32) exactly where the
//! hardware would.
//!
//! Must not: accept what Redis's string2ld rejects (spaces, trailing bytes,
//! NaN, overflow, underflow to zero).

use num_bigint::BigUint;

/// Bits in the x87 extended mantissa (explicit integer bit included).
const MANT_BITS: u64 = 64;
/// Largest binary exponent of a finite value's leading bit, plus one.
const MAX_TOP: i64 = 16384;
/// Exponent of the smallest subnormal's unit (2^-16445).
const MIN_UNIT_EXP: i64 = -16445;
/// Redis rejects float arguments this long or longer (MAX_LONG_DOUBLE_CHARS).
const MAX_CHARS: usize = 5 * 1024;

/// A finite or infinite extended-precision value: `(-1)^neg * mant * 2^exp`.
#[derive(Debug, Clone, PartialEq)]
pub enum LongDouble {
    /// A finite value (zero has `mant == 0`; the sign of zero is kept).
    Finite {
        /// Sign.
        neg: bool,
        /// At most 64 significant bits.
        mant: u64,
        /// Binary exponent of the mantissa's unit bit.
        exp: i64,
    },
    /// Positive or negative infinity.
    Inf {
        /// Sign.
        neg: bool,
    },
}

/// What a finite rounding produced.
enum Rounded {
    Value(u64, i64),
    Overflow,
}

/// Rounds `num / den * 2^scale` (num, den > 0) to the nearest long double,
/// ties to even, including gradual underflow.
fn round_ratio(num: &BigUint, den: &BigUint, scale: i64) -> Rounded {
    // Choose k so the quotient has at least 66 bits: 64 kept, one rounding
    // bit, the rest (and the remainder) sticky.
    let k = MANT_BITS as i64 + 2 - (num.bits() as i64 - den.bits() as i64);
    let (q, r) = if k >= 0 {
        let n = num << (k as usize);
        (&n / den, &n % den)
    } else {
        let d = den << ((-k) as usize);
        (num / &d, num % &d)
    };
    // value = q * 2^(scale - k) (+ remainder); drop `extra` low bits.
    let unit = scale - k;
    let mut extra = q.bits() as i64 - MANT_BITS as i64;
    // Subnormals: the unit may not go below 2^-16445.
    if unit + extra < MIN_UNIT_EXP {
        extra = MIN_UNIT_EXP - unit;
    }
    let (mut mant, exp) = if extra <= 0 {
        (q.clone(), unit)
    } else {
        let e = extra as u64;
        let kept = &q >> e;
        let half = q.bit(e - 1);
        let below =
            (&q & ((BigUint::from(1u32) << (e - 1)) - 1u32)) != BigUint::ZERO || r != BigUint::ZERO;
        let odd = kept.bit(0);
        let mut m = kept;
        if half && (below || odd) {
            m += 1u32;
        }
        (m, unit + extra)
    };
    let mut exp = exp;
    if mant.bits() > MANT_BITS {
        mant >>= 1u32;
        exp += 1;
    }
    if mant.bits() as i64 + exp > MAX_TOP {
        return Rounded::Overflow;
    }
    let m = mant.iter_u64_digits().next().unwrap_or(0);
    Rounded::Value(m, exp)
}

impl LongDouble {
    /// Parses as Redis's string2ld: glibc `strtold` over the whole argument.
    pub fn parse(s: &[u8]) -> Option<Self> {
        if s.is_empty() || s.len() >= MAX_CHARS {
            return None;
        }
        let (neg, body) = match s.first() {
            Some(b'-') => (true, s.get(1..)?),
            Some(b'+') => (false, s.get(1..)?),
            _ => (false, s),
        };
        if body.eq_ignore_ascii_case(b"inf") || body.eq_ignore_ascii_case(b"infinity") {
            return Some(Self::Inf { neg });
        }
        let (num, den, scale) = if body.len() > 2 && body[..2].eq_ignore_ascii_case(b"0x") {
            parse_hex(&body[2..])?
        } else {
            parse_decimal(body)?
        };
        if num == BigUint::ZERO {
            return Some(Self::Finite {
                neg,
                mant: 0,
                exp: 0,
            });
        }
        match round_ratio(&num, &den, scale) {
            Rounded::Overflow => None,
            // Underflow to zero is an error (ERANGE with a zero result).
            Rounded::Value(0, _) => None,
            Rounded::Value(mant, exp) => Some(Self::Finite { neg, mant, exp }),
        }
    }

    /// True for infinities.
    pub fn is_infinite(&self) -> bool {
        matches!(self, Self::Inf { .. })
    }

    /// The sum, rounded once as the FPU does; NaN (inf + -inf) is `None`.
    pub fn add(&self, other: &Self) -> Option<Self> {
        match (self, other) {
            (Self::Inf { neg: a }, Self::Inf { neg: b }) if a != b => None,
            (Self::Inf { neg }, _) | (_, Self::Inf { neg }) => Some(Self::Inf { neg: *neg }),
            (
                Self::Finite {
                    neg: an,
                    mant: am,
                    exp: ae,
                },
                Self::Finite {
                    neg: bn,
                    mant: bm,
                    exp: be,
                },
            ) => {
                if *am == 0 && *bm == 0 {
                    // -0 + -0 = -0; any other zero sum is +0.
                    return Some(Self::Finite {
                        neg: *an && *bn,
                        mant: 0,
                        exp: 0,
                    });
                }
                let base = (*ae).min(*be);
                let a = BigUint::from(*am) << ((ae - base) as usize);
                let b = BigUint::from(*bm) << ((be - base) as usize);
                let (neg, sum) = if an == bn {
                    (*an, a + b)
                } else if a >= b {
                    (*an, a - b)
                } else {
                    (*bn, b - a)
                };
                if sum == BigUint::ZERO {
                    return Some(Self::Finite {
                        neg: false,
                        mant: 0,
                        exp: 0,
                    });
                }
                Some(match round_ratio(&sum, &BigUint::from(1u32), base) {
                    Rounded::Overflow => Self::Inf { neg },
                    Rounded::Value(mant, exp) => Self::Finite { neg, mant, exp },
                })
            }
        }
    }

    /// Formats as Redis's ld2string(LD_STR_HUMAN): `%.17Lf`, trailing
    /// zeros and a bare point removed, `-0` shown as `0`.
    pub fn to_human(&self) -> Vec<u8> {
        let (neg, mant, exp) = match self {
            Self::Inf { neg: true } => return b"-inf".to_vec(),
            Self::Inf { neg: false } => return b"inf".to_vec(),
            Self::Finite { neg, mant, exp } => (*neg, *mant, *exp),
        };
        let scaled = BigUint::from(mant) * BigUint::from(10u32).pow(17);
        let fixed = if exp >= 0 {
            scaled << (exp as usize)
        } else {
            let shift = (-exp) as u64;
            let q = &scaled >> shift;
            let half = scaled.bit(shift - 1);
            let below = shift > 1
                && (&scaled & ((BigUint::from(1u32) << (shift - 1)) - 1u32)) != BigUint::ZERO;
            if half && (below || q.bit(0)) {
                q + 1u32
            } else {
                q
            }
        };
        let mut digits = fixed.to_str_radix(10);
        while digits.len() < 18 {
            digits.insert(0, '0');
        }
        let point = digits.len() - 17;
        let mut out = String::with_capacity(digits.len() + 2);
        if neg {
            out.push('-');
        }
        out.push_str(&digits[..point]);
        out.push('.');
        out.push_str(&digits[point..]);
        let trimmed = out.trim_end_matches('0').trim_end_matches('.');
        if trimmed == "-0" {
            return b"0".to_vec();
        }
        trimmed.as_bytes().to_vec()
    }
}

/// Decimal digits with an optional point and exponent: `num / den * 2^0`.
fn parse_decimal(body: &[u8]) -> Option<(BigUint, BigUint, i64)> {
    let (mantissa, exponent) = match body.iter().position(|&c| c == b'e' || c == b'E') {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int_part, frac_part) = match mantissa.iter().position(|&c| c == b'.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, &[][..]),
    };
    if int_part.len() + frac_part.len() == 0
        || !int_part.iter().chain(frac_part).all(u8::is_ascii_digit)
    {
        return None;
    }
    let exp10: i64 = match exponent {
        None => 0,
        Some(e) => {
            let digits = e
                .strip_prefix(b"+")
                .or_else(|| e.strip_prefix(b"-"))
                .unwrap_or(e);
            if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            // Beyond any long double either way; the exact size no longer matters.
            let magnitude: i64 = std::str::from_utf8(digits)
                .ok()?
                .parse()
                .unwrap_or(1_000_000);
            let magnitude = magnitude.min(1_000_000);
            if e.first() == Some(&b'-') {
                -magnitude
            } else {
                magnitude
            }
        }
    };
    let all: Vec<u8> = int_part.iter().chain(frac_part).copied().collect();
    let num = BigUint::parse_bytes(&all, 10)?;
    if num == BigUint::ZERO {
        return Some((num, BigUint::from(1u32), 0));
    }
    let e = exp10 - frac_part.len() as i64;
    let magnitude = e + all.len() as i64;
    if magnitude > 4934 {
        return Some((BigUint::from(1u32), BigUint::from(1u32), MAX_TOP + 1));
    }
    if magnitude < -4952 {
        return Some((BigUint::from(1u32), BigUint::from(1u32), MIN_UNIT_EXP - 2));
    }
    let ten = BigUint::from(10u32);
    Some(if e >= 0 {
        (num * ten.pow(e as u32), BigUint::from(1u32), 0)
    } else {
        (num, ten.pow((-e) as u32), 0)
    })
}

/// C99 hex floats: hex digits, optional point, optional `p` binary exponent.
fn parse_hex(body: &[u8]) -> Option<(BigUint, BigUint, i64)> {
    let (mantissa, exponent) = match body.iter().position(|&c| c == b'p' || c == b'P') {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int_part, frac_part) = match mantissa.iter().position(|&c| c == b'.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, &[][..]),
    };
    if int_part.len() + frac_part.len() == 0
        || !int_part.iter().chain(frac_part).all(u8::is_ascii_hexdigit)
    {
        return None;
    }
    let exp2: i64 = match exponent {
        None => 0,
        Some(e) => {
            let digits = e
                .strip_prefix(b"+")
                .or_else(|| e.strip_prefix(b"-"))
                .unwrap_or(e);
            if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let m: i64 = std::str::from_utf8(digits)
                .ok()?
                .parse()
                .unwrap_or(1_000_000);
            let m = m.min(1_000_000);
            if e.first() == Some(&b'-') {
                -m
            } else {
                m
            }
        }
    };
    let all: Vec<u8> = int_part.iter().chain(frac_part).copied().collect();
    let num = BigUint::parse_bytes(&all, 16)?;
    Some((num, BigUint::from(1u32), exp2 - 4 * frac_part.len() as i64))
}

#[cfg(test)]
mod tests {
    use super::LongDouble;

    fn add(a: &str, b: &str) -> String {
        let x = LongDouble::parse(a.as_bytes()).unwrap();
        let y = LongDouble::parse(b.as_bytes()).unwrap();
        String::from_utf8(x.add(&y).unwrap().to_human()).unwrap()
    }

    #[test]
    fn sums_as_redis_prints_them() {
        // Expected values come from redis-server 7.0 INCRBYFLOAT.
        assert_eq!(add("0.1", "0.2"), "0.3");
        assert_eq!(add("0", "1e20"), "100000000000000000000");
        assert_eq!(add("0", "3.0e3"), "3000");
        assert_eq!(add("3000", "0x10"), "3016");
        assert_eq!(add("0", "1e-30"), "0");
        assert_eq!(add("10.5", "0.1"), "10.6");
        assert_eq!(add("5.0e3", "2.0e2"), "5200");
        assert_eq!(add("-1", "0.5"), "-0.5");
        assert_eq!(add("1", "-1"), "0");
    }

    #[test]
    fn rejects_what_redis_rejects() {
        for bad in [
            "", " 1", "1 ", "abc", "1e", "nan", "1e5000", "1e-5000", "--1", ".",
        ] {
            assert!(LongDouble::parse(bad.as_bytes()).is_none(), "{bad}");
        }
        assert!(LongDouble::parse(b"inf").unwrap().is_infinite());
        assert!(LongDouble::parse(b"1e4000").is_some());
    }
}
