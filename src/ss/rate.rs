//! ss's rates with `-n` (`misc/ss.c`: `sprint_bw`, which prints `%.0f`
//! when numeric output is asked for) written from an integer rather than
//! through float formatting.

/// Below this, every `f64` converts to `u128` exactly once rounded.
const U128_LIMIT: f64 = 340_282_366_920_938_463_463_374_607_431_768_211_456.0; // 2^128

/// Append what C's `%.0f` (and Rust's `{x:.0}`) prints for `x`: the exact
/// binary value rounded to an integer, a tie going to the even neighbour.
/// Negative, non-finite and huge (≥ 2^128) values, which rates never are,
/// go through the formatter.
pub fn push_rounded(out: &mut String, x: f64) {
    if x.is_sign_negative() || x.is_nan() || x >= U128_LIMIT {
        use std::fmt::Write as _;
        let _ = write!(out, "{x:.0}");
        return;
    }
    // `round_ties_even` rounds the exact value; the result is an integer
    // below 2^128, so the conversion is exact.
    let n = x.round_ties_even() as u128;
    out.push_str(itoa::Buffer::new().format(n));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(x: f64) {
        let mut s = String::new();
        push_rounded(&mut s, x);
        assert_eq!(s, format!("{x:.0}"), "{x:e} (bits {:#x})", x.to_bits());
    }

    /// Ties (k + 0.5), quarters and eighths on a dense range, both sides of
    /// every integer.
    #[test]
    fn matches_format_on_halves_and_quarters() {
        for k in 0..2_000_000u32 {
            check(f64::from(k) / 2.0);
            check(f64::from(k) / 8.0);
        }
        for x in [0.5, 1.5, 2.5, 3.5, 0.49999999999999994, 0.5000000000000001] {
            check(x);
        }
    }

    /// Ties and neighbours where the float spacing reaches 0.5, 1 and 2
    /// (2^51..2^54), at the `u64` and `u128` ends, and any finite positive
    /// value (random bit patterns), zeros, infinities and NaN.
    #[test]
    fn matches_format_on_edges_and_random_values() {
        for e in [51, 52, 53, 54, 63, 64, 65, 100, 127] {
            let p = 2f64.powi(e);
            for d in -20i32..=20 {
                check(p + f64::from(d) * 0.5);
                check(p + f64::from(d) * 0.25);
                check(f64::from_bits(
                    p.to_bits().wrapping_add_signed(i64::from(d)),
                ));
            }
        }
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..1_000_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            // Exponents up to about 2^140 (past u128), all mantissas.
            let bits = seed & 0x000f_ffff_ffff_ffff | ((seed >> 52) % 1164) << 52;
            check(f64::from_bits(bits));
        }
        for x in [
            0.0,
            -0.0,
            -0.5,
            -2.5,
            f64::MIN_POSITIVE,
            U128_LIMIT,
            f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ] {
            check(x);
        }
    }

    /// The values ss prints: `cwnd * mss * 8e6 / rtt` (`send`) and bytes
    /// per second times 8 (`pacing_rate`, `delivery_rate`, bbr's `bw`).
    #[test]
    fn matches_format_on_rates() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..1_000_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let (cwnd, mss, rtt) = (
                seed as u32 % 100_000,
                (seed >> 32) as u32 % 70_000,
                1 + (seed >> 8) as u32 % 2_000_000,
            );
            check(f64::from(cwnd) * f64::from(mss) * 8_000_000.0 / f64::from(rtt));
            check((seed >> (seed % 64)) as f64 * 8.0);
        }
        check(u64::MAX as f64 * 8.0);
        check(f64::from(u32::MAX) * f64::from(u32::MAX) * 8_000_000.0);
    }
}
