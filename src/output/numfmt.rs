//! Numbers and addresses written straight into a [`Sink`], without
//! `core::fmt` or a heap string: the text tree prints hundreds of thousands
//! of them, and the formatting machinery (plus a `String` per value) was a
//! fifth of `nlwire decode`'s time. Each writes exactly what the `std`
//! formatting it replaces writes (the tests compare them).

use std::net::Ipv4Addr;

use super::Sink;

/// `n` in lower-case hex after `0x`, zero-padded to at least `min_digits`
/// digits: `{n:#06x}` is `min_digits = 4`, `{n:#x}` is `min_digits = 1`.
pub fn put_hex_u64(n: u64, min_digits: usize, s: &mut (impl Sink + ?Sized)) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    // "0x" and at most 16 digits.
    let mut buf = [b'0'; 18];
    let mut i = buf.len();
    let mut rest = n;
    loop {
        i -= 1;
        buf[i] = DIGITS[(rest & 0xf) as usize];
        rest >>= 4;
        if rest == 0 {
            break;
        }
    }
    // The digits are at buf[i..]; pad with the '0's already there.
    let start = buf.len().saturating_sub(min_digits.clamp(1, 16)).min(i);
    buf[start - 2] = b'0';
    buf[start - 1] = b'x';
    s.put_ascii(&buf[start - 2..]);
}

/// A dotted quad, as `Ipv4Addr`'s `Display` writes it (`a.b.c.d`).
pub fn put_ipv4(a: Ipv4Addr, s: &mut (impl Sink + ?Sized)) {
    // At most "255.255.255.255".
    let mut buf = [0u8; 15];
    let mut n = 0;
    for (k, octet) in a.octets().into_iter().enumerate() {
        if k > 0 {
            buf[n] = b'.';
            n += 1;
        }
        if octet >= 100 {
            buf[n] = b'0' + octet / 100;
            n += 1;
        }
        if octet >= 10 {
            buf[n] = b'0' + octet / 10 % 10;
            n += 1;
        }
        buf[n] = b'0' + octet % 10;
        n += 1;
    }
    s.put_ascii(&buf[..n]);
}

/// "00" to "99", two bytes each.
const PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// The end of a `name: value` line whose value is a decimal number:
/// `": "`, `-` if `negative`, the digits of `magnitude`, `"\n"`, in one
/// piece (three writes of a few bytes each cost more than the digits).
pub fn put_number_line(magnitude: u64, negative: bool, s: &mut (impl Sink + ?Sized)) {
    let mut block = [0u8; 32];
    let n = number_line_block(magnitude, negative, &mut block);
    s.put_ascii(block.get(..n).unwrap_or_default());
}

/// The end of a `name: value` line whose value is a decimal number, as
/// [`put_number_line`] writes it, at the start of a 32-byte block, and its
/// length (the rest of the block is left as it was).
#[inline(always)]
pub fn number_line_block(magnitude: u64, negative: bool, out: &mut [u8; 32]) -> usize {
    // Most counters are one digit (often 0): four bytes, no scratch.
    if magnitude < 10 && !negative {
        out[..4].copy_from_slice(&[b':', b' ', b'0' + magnitude as u8, b'\n']);
        return 4;
    }
    // Built to end at byte 31 of a scratch block, then moved to the start
    // of `out` as one piece of 24 (at most ": ", a sign, 20 digits, "\n").
    let mut buf = [0u8; 56];
    let mut i = 31;
    buf[i] = b'\n';
    let mut rest = magnitude;
    while rest >= 100 {
        let pair = (rest % 100) as usize * 2;
        rest /= 100;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if rest >= 10 {
        let pair = rest as usize * 2;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    } else {
        i -= 1;
        buf[i] = b'0' + rest as u8;
    }
    if negative {
        i -= 1;
        buf[i] = b'-';
    }
    buf[i - 2] = b':';
    buf[i - 1] = b' ';
    let start = i - 2;
    out[..24].copy_from_slice(&buf[start..start + 24]);
    32 - start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(n: u64, min: usize) -> String {
        let mut s = String::new();
        put_hex_u64(n, min, &mut s);
        s
    }

    #[test]
    fn hex_matches_std() {
        let samples = [
            0u64,
            1,
            0xf,
            0x10,
            0x301,
            0xffff,
            0x1_0000,
            0xdead_beef,
            u64::from(u32::MAX),
            1 << 63,
            u64::MAX,
        ];
        for n in samples {
            assert_eq!(hex(n, 4), format!("{n:#06x}"), "{n}");
            assert_eq!(hex(n, 1), format!("{n:#x}"), "{n}");
        }
        for shift in 0..64 {
            let n = (1u64 << shift) | 0x5;
            assert_eq!(hex(n, 4), format!("{n:#06x}"));
            assert_eq!(hex(n, 1), format!("{n:#x}"));
        }
    }

    #[test]
    fn ipv4_matches_std() {
        for o in [0u8, 1, 9, 10, 42, 99, 100, 109, 199, 200, 250, 255] {
            for a in [
                Ipv4Addr::new(o, 0, 0, 0),
                Ipv4Addr::new(127, o, 0, 1),
                Ipv4Addr::new(o, o, o, o),
                Ipv4Addr::new(10, 20, o, 255),
            ] {
                let mut s = String::new();
                put_ipv4(a, &mut s);
                assert_eq!(s, a.to_string());
            }
        }
    }

    #[test]
    fn number_lines_match_std() {
        let line = |n: u64, neg: bool| {
            let mut s = String::new();
            put_number_line(n, neg, &mut s);
            s
        };
        for n in [
            0u64,
            1,
            9,
            10,
            99,
            100,
            12345,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            assert_eq!(line(n, false), format!(": {n}\n"));
        }
        for n in [-1i64, -9, -10, -22, -100_000, -i64::MAX, i64::MIN] {
            assert_eq!(line(n.unsigned_abs(), true), format!(": {n}\n"));
        }
    }

    #[test]
    fn number_blocks_match_std() {
        for (n, neg) in [
            (0u64, false),
            (9, false),
            (0, true),
            (7, true),
            (10, false),
            (99, true),
            (12345, false),
            (u64::MAX, false),
            (i64::MIN.unsigned_abs(), true),
        ] {
            let mut block = [b'?'; 32];
            let len = number_line_block(n, neg, &mut block);
            let want = format!(": {}{n}\n", if neg { "-" } else { "" });
            assert_eq!(std::str::from_utf8(&block[..len]).unwrap(), want);
        }
    }
}
