//! Whether a string needs escaping in JSON: a byte `"`, `\` or below 0x20
//! (RFC 8259 §7); bytes from 0x7f up (UTF-8 of non-ASCII) are written as
//! they are. Checked eight bytes at a time, as kernel names (`tcpi_rtt`,
//! `INET_DIAG_INFO`) never need an escape and are checked once per key.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = ONES * 0x80;

/// Bytes of `w` that are zero (as a whole: nonzero exactly when one is).
fn zero(w: u64) -> u64 {
    w.wrapping_sub(ONES) & !w & HIGH
}

/// Nonzero exactly when a byte of `w` is escaped.
fn special(w: u64) -> u64 {
    (w.wrapping_sub(ONES * 0x20) & !w & HIGH)
        | zero(w ^ (ONES * u64::from(b'"')))
        | zero(w ^ (ONES * u64::from(b'\\')))
}

/// `true` when no byte of `b` is escaped by [`super::put_json_str`].
pub(super) fn plain(b: &[u8]) -> bool {
    let mut chunks = b.chunks_exact(8);
    let mut bad = 0;
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        bad |= special(u64::from_le_bytes(w));
    }
    // The rest padded with a byte that is not escaped.
    let rest = chunks.remainder();
    let mut w = [b'a'; 8];
    if let Some(d) = w.get_mut(..rest.len()) {
        d.copy_from_slice(rest);
    }
    bad |= special(u64::from_le_bytes(w));
    bad == 0
}

#[cfg(test)]
mod tests {
    use super::plain;

    /// Every byte that JSON escapes is found at every place of strings of
    /// every length up to 40 (whole words and the padded rest); non-ASCII
    /// and 0x7f are not.
    #[test]
    fn plain_finds_every_escaped_byte_at_every_place() {
        for len in 1..40 {
            for at in 0..len {
                for c in 0u8..=0xff {
                    let mut b = vec![b'k'; len];
                    b[at] = c;
                    let escaped = c < 0x20 || c == b'"' || c == b'\\';
                    assert_eq!(plain(&b), !escaped, "len {len} at {at} byte {c:#x}");
                }
            }
        }
        assert!(plain(b""));
        assert!(plain("tcpi_rcv_ssthresh\u{e9}\u{10ffff}".as_bytes()));
    }
}
