//! Loads of 8 and 4 bytes of a byte string, little-endian, at any offset
//! (zero when the bytes are not all there): the word-at-a-time key
//! comparisons and scans of the JSON printer read names with them.

/// The `N` bytes of `s` at `at`, or zeros if `s` ends before `at + N`.
#[inline(always)]
fn bytes<const N: usize>(s: &[u8], at: usize) -> [u8; N] {
    let mut w = [0u8; N];
    if let Some(x) = s.get(at..at + N) {
        w.copy_from_slice(x);
    }
    w
}

/// The 8 bytes of `s` at `at`, or 0 if `s` ends before `at + 8`.
#[inline(always)]
pub(super) fn word(s: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes(s, at))
}

/// The 4 bytes of `s` at `at`, or 0 if `s` ends before `at + 4`.
#[inline(always)]
pub(super) fn half(s: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes(s, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_are_little_endian_and_zero_past_the_end() {
        let s = [1u8, 2, 3, 4, 5, 6, 7, 8, 9];
        assert_eq!(word(&s, 1), u64::from_le_bytes([2, 3, 4, 5, 6, 7, 8, 9]));
        assert_eq!(word(&s, 2), 0);
        assert_eq!(half(&s, 5), u32::from_le_bytes([6, 7, 8, 9]));
        assert_eq!(half(&s, 6), 0);
    }
}
