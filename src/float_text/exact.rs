//! The exact decimal expansion of a binary float, and rounding of decimal
//! digits: what `%.17g`, `%.17Lf` and the float parser's tie checks need.
//!
//! Owns: [`exact_decimal`] (every digit of `m * 2^e`), [`significant`]
//! (the same as significant digits and a decimal exponent) and
//! [`round_digits`] (round-half-even to a number of digits, as glibc's
//! printf and std's `{:.N}` do). Must not: pick a text layout.

/// The exact decimal expansion of `mantissa * 2^exp2`: integer digits
/// (at least "0") and all fraction digits (possibly none).
pub(crate) fn exact_decimal(mut mantissa: u64, mut exp2: i64) -> (Vec<u8>, Vec<u8>) {
    if mantissa == 0 {
        return (b"0".to_vec(), Vec::new());
    }
    let zeros = mantissa.trailing_zeros();
    mantissa >>= zeros;
    exp2 += i64::from(zeros);
    let mut n = BigDecimal::from_u64(mantissa);
    if exp2 >= 0 {
        n.mul_pow(2, 29, exp2.unsigned_abs());
        return (n.digits(), Vec::new());
    }
    // m / 2^k = m * 5^k / 10^k: the digits of m * 5^k with k after the point.
    let k = usize::try_from(exp2.unsigned_abs()).unwrap_or(usize::MAX);
    n.mul_pow(5, 13, exp2.unsigned_abs());
    let mut digits = n.digits();
    if digits.len() <= k {
        let mut padded = vec![b'0'; k + 1 - digits.len()];
        padded.extend_from_slice(&digits);
        digits = padded;
    }
    let frac = digits.split_off(digits.len() - k);
    (digits, frac)
}

/// The significand and binary exponent of a finite `f`: `|f| = m * 2^e`.
pub(crate) fn decompose(f: f64) -> (u64, i64) {
    let bits = f.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    }
}

/// `mantissa * 2^exp2` (non-zero) as significant digits `d1 d2 ...` (no
/// leading or trailing zeros) and `k` with value `0.d1d2... * 10^k`.
pub(crate) fn significant(mantissa: u64, exp2: i64) -> (Vec<u8>, i32) {
    let (int_part, frac) = exact_decimal(mantissa, exp2);
    let int_len = i32::try_from(int_part.len()).unwrap_or(i32::MAX);
    let mut digits = int_part;
    digits.extend_from_slice(&frac);
    let leading = digits.iter().take_while(|&&d| d == b'0').count();
    digits.drain(..leading);
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    (digits, int_len - i32::try_from(leading).unwrap_or(i32::MAX))
}

/// `0.d1d2... * 10^k` rounded half-to-even to `places` digits counted from
/// the first digit of `digits`; the result keeps exactly `places` digits
/// (zero-padded) and `k` grows by one when rounding carries (`999` to `100`).
pub(crate) fn round_digits(digits: &[u8], k: i32, places: usize) -> (Vec<u8>, i32) {
    let mut kept: Vec<u8> = digits.iter().take(places).copied().collect();
    kept.resize(places, b'0');
    let rest = digits.get(places..).unwrap_or_default();
    let round_up = match rest.split_first() {
        Some((&first, tail)) => {
            let last_odd = kept.last().is_some_and(|d| (d - b'0') % 2 == 1);
            first > b'5' || (first == b'5' && (tail.iter().any(|&d| d != b'0') || last_odd))
        }
        None => false,
    };
    if !round_up {
        return (kept, k);
    }
    for d in kept.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return (kept, k);
        }
    }
    // All nines: 0.999 rounds to 1.000, one more integer digit.
    kept.insert(0, b'1');
    kept.truncate(places);
    (kept, k + 1)
}

/// A non-negative integer in base 10^9 limbs, least significant first:
/// just enough big-number arithmetic to print a binary float exactly.
struct BigDecimal(Vec<u64>);

const LIMB: u64 = 1_000_000_000;

impl BigDecimal {
    fn from_u64(mut n: u64) -> Self {
        let mut limbs = Vec::new();
        while n > 0 {
            limbs.push(n % LIMB);
            n /= LIMB;
        }
        Self(limbs)
    }

    fn mul_small(&mut self, factor: u64) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let product = *limb * factor + carry;
            *limb = product % LIMB;
            carry = product / LIMB;
        }
        while carry > 0 {
            self.0.push(carry % LIMB);
            carry /= LIMB;
        }
    }

    /// Multiplies by `base^exp`, `base^chunk` at a time (`base^chunk` < 2^32
    /// keeps every limb product inside `u64`).
    fn mul_pow(&mut self, base: u64, chunk: u32, exp: u64) {
        let mut left = exp;
        let big = base.pow(chunk);
        while left >= u64::from(chunk) {
            self.mul_small(big);
            left -= u64::from(chunk);
        }
        if left > 0 {
            self.mul_small(base.pow(u32::try_from(left).unwrap_or(0)));
        }
    }

    fn digits(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut limbs = self.0.iter().rev();
        match limbs.next() {
            Some(top) => out.extend_from_slice(top.to_string().as_bytes()),
            None => return b"0".to_vec(),
        }
        for limb in limbs {
            let mut chunk = [b'0'; 9];
            let mut n = *limb;
            for d in chunk.iter_mut().rev() {
                *d = b'0' + (n % 10) as u8;
                n /= 10;
            }
            out.extend_from_slice(&chunk);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[crate::unit_test]
    fn expands_binary_fractions_exactly() {
        assert_eq!(exact_decimal(1, -3), (b"0".to_vec(), b"125".to_vec()));
        assert_eq!(exact_decimal(3, 2), (b"12".to_vec(), Vec::new()));
        assert_eq!(exact_decimal(0, 5), (b"0".to_vec(), Vec::new()));
        assert_eq!(significant(1, -3), (b"125".to_vec(), 0));
        assert_eq!(significant(5, 10), (b"512".to_vec(), 4));
        assert_eq!(significant(1, -10), (b"9765625".to_vec(), -3));
        let tenth = 0.1f64;
        let (digits, k) = significant(tenth.to_bits() & ((1 << 52) - 1) | (1 << 52), -56);
        assert_eq!(k, 0);
        assert!(digits.starts_with(b"1000000000000000055511151231257827"));
        for f in [0.1f64, 1e300, 5e-324, 123.456, 1e23] {
            let (digits, k) = exact_parts(f);
            let text = format!("0.{}e{k}", String::from_utf8(digits).unwrap());
            assert_eq!(text.parse::<f64>().unwrap(), f);
        }
    }

    fn exact_parts(f: f64) -> (Vec<u8>, i32) {
        let (m, e) = decompose(f);
        significant(m, e)
    }

    #[crate::unit_test]
    fn rounds_half_to_even() {
        assert_eq!(round_digits(b"125", 0, 2), (b"12".to_vec(), 0));
        assert_eq!(round_digits(b"135", 0, 2), (b"14".to_vec(), 0));
        assert_eq!(round_digits(b"1251", 0, 2), (b"13".to_vec(), 0));
        assert_eq!(round_digits(b"999", 3, 2), (b"10".to_vec(), 4));
        assert_eq!(round_digits(b"5", 1, 3), (b"500".to_vec(), 1));
    }
}
