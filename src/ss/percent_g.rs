//! C's `%g` (six significant digits, as `printf(3)` describes it) of a
//! number known exactly as a decimal: `digits × 10^-scale`. ss prints bbr's
//! gains (`bbr_pacing_gain / 256.0`, exact in binary and so in decimal) this
//! way; writing them from integers avoids a float conversion per socket.
//! Ties round to even, as glibc does for an exact value.

/// Significant digits of `%g` without a precision.
const P: u32 = 6;

/// `%g` of `digits × 10^-scale` appended to `s` (`scale` at most 19).
pub fn push_g_exact(s: &mut String, digits: u64, scale: u32) {
    if digits == 0 {
        s.push('0');
        return;
    }
    let nd = digits.ilog10() + 1;
    // Round to P significant digits: `q` has P digits (or fewer when the
    // number has fewer), `exp` is the decimal exponent of its first digit.
    let mut exp = i64::from(nd) - 1 - i64::from(scale);
    let mut q = digits;
    let mut kept = nd;
    if nd > P {
        let drop = 10u64.pow(nd - P);
        let (d, r) = (digits / drop, digits % drop);
        let half = drop / 2;
        q = if r > half || (r == half && d % 2 == 1) {
            d + 1
        } else {
            d
        };
        kept = P;
        if q == 10u64.pow(P) {
            q /= 10;
            exp += 1;
        }
    }
    // Trailing zeros are not printed.
    while q % 10 == 0 && kept > 1 {
        q /= 10;
        kept -= 1;
    }
    let mut num = itoa::Buffer::new();
    let text = num.format(q);
    if exp < -4 || exp >= i64::from(P) {
        let (first, rest) = text.split_at(1);
        s.push_str(first);
        if !rest.is_empty() {
            s.push('.');
            s.push_str(rest);
        }
        s.push_str(if exp < 0 { "e-" } else { "e+" });
        let e = exp.unsigned_abs();
        if e < 10 {
            s.push('0');
        }
        s.push_str(itoa::Buffer::new().format(e));
    } else if exp < 0 {
        s.push_str("0.");
        for _ in 1..exp.unsigned_abs() {
            s.push('0');
        }
        s.push_str(text);
    } else {
        // `exp + 1` digits before the point, zeros added when fewer kept.
        let int = usize::try_from(exp).unwrap_or(0) + 1;
        if text.len() <= int {
            s.push_str(text);
            for _ in text.len()..int {
                s.push('0');
            }
        } else {
            let (a, b) = text.split_at(int);
            s.push_str(a);
            s.push('.');
            s.push_str(b);
        }
    }
}

/// `%g` of `n / 256.0` (exact: `n × 390625 × 10^-8`).
pub fn push_g_256ths(s: &mut String, n: u32) {
    push_g_exact(s, u64::from(n) * 390_625, 8);
}

#[cfg(test)]
mod tests {
    use super::super::columns::fmt_g;
    use super::*;

    fn g(digits: u64, scale: u32) -> String {
        let mut s = String::new();
        push_g_exact(&mut s, digits, scale);
        s
    }

    /// Every 256th below 2^20 (the gains ss sees are about 256..1024), and
    /// a spread of u32 values, as `fmt_g(n / 256.0)` writes them: ties,
    /// carries to the next power of ten, the exponent form.
    #[test]
    fn gains_match_percent_g() {
        let mut values: Vec<u32> = (0..1 << 20).collect();
        values.extend((0..400_000u32).map(|i| i.wrapping_mul(2_654_435_761)));
        values.extend([u32::MAX, u32::MAX - 1, 255_999_872, 256_000_000, 25_599_999]);
        for n in values {
            let mut s = String::new();
            push_g_256ths(&mut s, n);
            assert_eq!(s, fmt_g(f64::from(n) / 256.0), "{n}");
        }
    }

    /// Exact decimals of every scale, against the float formatter where the
    /// float is the decimal exactly (small integers, halves, quarters).
    #[test]
    fn exact_decimals_match_percent_g() {
        for d in (0..3_000_000u64)
            .step_by(7)
            .chain([999_999, 999_9995, 1_000_000, 123_456_789])
        {
            assert_eq!(g(d, 0), fmt_g(d as f64), "{d}");
        }
        for d in 0..200_000u64 {
            assert_eq!(g(d * 5, 1), fmt_g(d as f64 / 2.0), "{d}/2");
            assert_eq!(g(d * 25, 2), fmt_g(d as f64 / 4.0), "{d}/4");
        }
        // Small numbers: the exponent form below 1e-4.
        assert_eq!(g(1, 5), "1e-05");
        assert_eq!(g(1, 4), "0.0001");
        assert_eq!(g(12_345_675, 12), "1.23457e-05");
        assert_eq!(g(1_234_565, 0), "1.23456e+06");
        assert_eq!(g(1_234_575, 0), "1.23458e+06");
        assert_eq!(g(9_999_995, 0), "1e+07");
        assert_eq!(g(u64::MAX, 19), "1.84467");
    }
}
