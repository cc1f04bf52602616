//! Numbers and addresses written straight into a [`Sink`], without
//! `core::fmt` or a heap string: the text tree prints hundreds of thousands
//! of them, and the formatting machinery (plus a `String` per value) was a
//! fifth of `nlwire decode`'s time. Each writes exactly what the `std`
//! formatting it replaces writes (the tests compare them).

use std::net::{Ipv4Addr, Ipv6Addr};

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

/// An IPv6 address, as `Ipv6Addr`'s `Display` writes it (RFC 5952: lower-case
/// hex groups, the first longest run of two or more zero groups as `::`, an
/// IPv4-mapped address as `::ffff:a.b.c.d`), built on the stack.
pub fn put_ipv6(a: Ipv6Addr, s: &mut (impl Sink + ?Sized)) {
    if let Some(v4) = a.to_ipv4_mapped() {
        s.put_ascii(b"::ffff:");
        return put_ipv4(v4, s);
    }
    let groups = a.segments();
    // The first longest run of zero groups.
    let (mut start, mut len) = (0, 0);
    let mut run = 0;
    for (i, &g) in groups.iter().enumerate() {
        if g == 0 {
            run += 1;
            if run > len {
                len = run;
                start = i + 1 - run;
            }
        } else {
            run = 0;
        }
    }
    if len < 2 {
        len = 0;
        start = groups.len();
    }
    // At most "ffff:" eight times.
    let mut buf = [0u8; 40];
    let mut n = 0;
    for (i, &g) in groups.iter().enumerate() {
        if i == start {
            // "::" in place of the run (the colon after it is skipped).
            buf[n] = b':';
            buf[n + 1] = b':';
            n += 2;
            continue;
        }
        if i > start && i < start + len {
            continue;
        }
        if n > 0 && buf[n - 1] != b':' {
            buf[n] = b':';
            n += 1;
        }
        n += hex_group(g, &mut buf[n..n + 4]);
    }
    s.put_ascii(&buf[..n]);
}

/// `g` in lower-case hex without leading zeros at the start of `out`; the
/// digit count.
#[inline(always)]
fn hex_group(g: u16, out: &mut [u8]) -> usize {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let digits = match g {
        0..=0xf => 1,
        0x10..=0xff => 2,
        0x100..=0xfff => 3,
        _ => 4,
    };
    for (k, b) in out.iter_mut().take(digits).enumerate() {
        *b = DIGITS[usize::from(g >> (4 * (digits - 1 - k)) & 0xf)];
    }
    digits
}

/// "00" to "99", two bytes each: the digits of a number below 100 at
/// twice its value (`ss --json` writes numbers with it too).
pub const PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// Write the decimal digits of `n` into `buf` to end just before `end`,
/// two at a time from the last (20 at most: `end` must be at least 20),
/// and return where they start.
#[inline(always)]
pub fn digits_before(n: u64, buf: &mut [u8], end: usize) -> usize {
    let mut i = end;
    let mut rest = n;
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
    i
}

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
    buf[31] = b'\n';
    let mut i = digits_before(magnitude, &mut buf, 31);
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

    #[test]
    fn ipv6_matches_std() {
        let mut samples: Vec<Ipv6Addr> = vec![
            Ipv6Addr::UNSPECIFIED,
            Ipv6Addr::LOCALHOST,
            "::ffff:127.0.0.1".parse().unwrap(),
            "::ffff:0.0.0.0".parse().unwrap(),
            "::127.0.0.1".parse().unwrap(),
            "64:ff9b::10.0.0.1".parse().unwrap(),
            "fe80::1:2:3:4".parse().unwrap(),
            "2001:db8:0:0:1:0:0:1".parse().unwrap(),
            "2001:0:0:1:0:0:0:1".parse().unwrap(),
            "1:0:2:0:3:0:4:0".parse().unwrap(),
            "0:1:0:0:0:0:0:0".parse().unwrap(),
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff".parse().unwrap(),
            "1::".parse().unwrap(),
            "::1:0:0:0:0:0".parse().unwrap(),
        ];
        // Every pattern of zero and non-zero groups, with values of 1 to 4
        // hex digits.
        for mask in 0u32..256 {
            let mut g = [0u16; 8];
            for (k, v) in g.iter_mut().enumerate() {
                if mask >> k & 1 == 1 {
                    *v = [0x1, 0xab, 0xf00, 0xbeef, 0x10, 0xfff][(k + mask as usize) % 6];
                }
            }
            samples.push(Ipv6Addr::from(g));
        }
        for a in samples {
            let mut s = String::new();
            put_ipv6(a, &mut s);
            assert_eq!(s, a.to_string());
        }
    }
}
