//! The capture time as JSON text (`"2024-05-01T12:00:00.123456Z"`), written
//! digit by digit instead of through `fmt` (once per message object).

use crate::capture::time::{civil_from_days, Precision};
use crate::capture::Timestamp;

/// `t` as a JSON string: exactly `"` + its `Display` text + `"`.
#[cfg(test)]
fn time_json(t: &Timestamp) -> String {
    let mut s = String::new();
    push_time_json(t, &mut s);
    s
}

/// `t` as a JSON string (exactly `"` + its `Display` text + `"`),
/// appended to `s` (no allocation of its own).
pub(super) fn push_time_json(t: &Timestamp, s: &mut String) {
    let days = t.secs.div_euclid(86_400);
    let sod = t.secs.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    let y = match u32::try_from(y) {
        Ok(y) if y <= 9999 && t.nanos < 1_000_000_000 => y,
        _ => {
            s.push_str(&format!("\"{t}\""));
            return;
        }
    };
    let (frac, digits) = match t.precision {
        Precision::Micro => (t.nanos / 1000, 6),
        Precision::Nano => (t.nanos, 9),
    };
    let sod = sod as u32;
    s.reserve(32);
    s.push('"');
    push_digits(s, y, 4);
    s.push('-');
    push_digits(s, mo, 2);
    s.push('-');
    push_digits(s, d, 2);
    s.push('T');
    push_digits(s, sod / 3600, 2);
    s.push(':');
    push_digits(s, sod / 60 % 60, 2);
    s.push(':');
    push_digits(s, sod % 60, 2);
    s.push('.');
    push_digits(s, frac, digits);
    s.push_str("Z\"");
}

/// The last `n` decimal digits of `v` (zero-padded).
fn push_digits(s: &mut String, v: u32, n: u32) {
    let mut p = 10u32.pow(n.saturating_sub(1));
    while p > 0 {
        s.push(char::from(b'0' + (v / p % 10) as u8));
        p /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same text as `Display` (which `--json` printed before), over
    /// dates from before 1970 to past 9999, both precisions.
    #[test]
    fn time_json_matches_display() {
        let mut secs: i64 = -70_000_000_000;
        while secs < 300_000_000_000 {
            for nanos in [0, 1, 999, 1000, 123_456_789, 999_999_999] {
                for precision in [Precision::Micro, Precision::Nano] {
                    let t = Timestamp {
                        secs,
                        nanos,
                        precision,
                    };
                    assert_eq!(time_json(&t), format!("\"{t}\""), "{t:?}");
                }
            }
            secs += 7_777_777 + secs.rem_euclid(86_399);
        }
    }
}
