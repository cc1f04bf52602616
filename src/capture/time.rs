//! Capture timestamps, printed as UTC ISO-8601 without a date-time crate.

use std::fmt;

/// How many fractional digits a timestamp carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Precision {
    /// Microseconds (classic pcap, pcapng `if_tsresol` ≤ 6).
    Micro,
    /// Nanoseconds (nanosecond pcap, pcapng `if_tsresol` > 6).
    Nano,
}

/// A packet's capture time: seconds since the Unix epoch (UTC) and
/// nanoseconds within the second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Timestamp {
    /// Whole seconds since 1970-01-01T00:00:00Z (may be negative).
    pub secs: i64,
    /// Nanoseconds, `0..1_000_000_000`.
    pub nanos: u32,
    /// Digits to show.
    pub precision: Precision,
}

impl Timestamp {
    /// A timestamp from seconds and a fraction counted in `units_per_sec`
    /// (pcapng `if_tsresol`: 10^n or 2^n). `frac` must be below `units_per_sec`.
    pub fn from_units(secs: i64, frac: u64, units_per_sec: u64) -> Timestamp {
        let units = units_per_sec.max(1);
        let nanos = (u128::from(frac) * 1_000_000_000 / u128::from(units)) as u32;
        Timestamp {
            secs,
            nanos: nanos.min(999_999_999),
            precision: if units <= 1_000_000 {
                Precision::Micro
            } else {
                Precision::Nano
            },
        }
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day)
/// (Howard Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32; // [1, 12]
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl fmt::Display for Timestamp {
    /// `2024-05-01T12:00:00.123456Z` (or 9 fractional digits).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.secs.div_euclid(86_400);
        let sod = self.secs.rem_euclid(86_400);
        let (y, mo, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}",
            sod / 3600,
            sod / 60 % 60,
            sod % 60
        )?;
        match self.precision {
            Precision::Micro => write!(f, ".{:06}Z", self.nanos / 1000),
            Precision::Nano => write!(f, ".{:09}Z", self.nanos),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(secs: i64, nanos: u32, precision: Precision) -> String {
        Timestamp {
            secs,
            nanos,
            precision,
        }
        .to_string()
    }

    #[test]
    fn epoch_and_known_dates() {
        assert_eq!(ts(0, 0, Precision::Micro), "1970-01-01T00:00:00.000000Z");
        // `date -u -d @1700000000`: Tue Nov 14 22:13:20 UTC 2023
        assert_eq!(
            ts(1_700_000_000, 123_456_789, Precision::Micro),
            "2023-11-14T22:13:20.123456Z"
        );
        assert_eq!(
            ts(1_700_000_000, 123_456_789, Precision::Nano),
            "2023-11-14T22:13:20.123456789Z"
        );
        // Leap day: 2024-02-29T00:00:00Z = 1709164800.
        assert_eq!(
            ts(1_709_164_800, 0, Precision::Micro),
            "2024-02-29T00:00:00.000000Z"
        );
        // Before the epoch.
        assert_eq!(ts(-1, 0, Precision::Micro), "1969-12-31T23:59:59.000000Z");
        // u32::MAX seconds: 2106-02-07T06:28:15Z.
        assert_eq!(
            ts(4_294_967_295, 0, Precision::Micro),
            "2106-02-07T06:28:15.000000Z"
        );
    }

    #[test]
    fn units_of_any_resolution() {
        let t = Timestamp::from_units(5, 250, 1000);
        assert_eq!((t.nanos, t.precision), (250_000_000, Precision::Micro));
        let t = Timestamp::from_units(5, 1 << 29, 1 << 30);
        assert_eq!((t.nanos, t.precision), (500_000_000, Precision::Nano));
    }
}
