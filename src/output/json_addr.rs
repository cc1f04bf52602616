//! IPv6 addresses written straight into a [`Sink`] without `core::fmt`
//! (`--json` prints two per inet socket; `fmt` took ~500 instructions for
//! each).

use std::net::Ipv6Addr;

use super::super::{numfmt, Sink};

/// `a` as `Ipv6Addr`'s `Display` writes it (RFC 5952: groups in lower-case
/// hex without leading zeros, the first longest run of two or more zero
/// groups as `::`; an IPv4-mapped address as `::ffff:a.b.c.d`).
pub(super) fn put_ipv6(a: Ipv6Addr, s: &mut (impl Sink + ?Sized)) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    if let Some(v4) = a.to_ipv4_mapped() {
        s.put("::ffff:");
        numfmt::put_ipv4(v4, s);
        return;
    }
    let seg = a.segments();
    // The first longest run of zero groups.
    let (mut zero_at, mut zero_len, mut run) = (0, 0, 0);
    for (i, &g) in seg.iter().enumerate() {
        run = if g == 0 { run + 1 } else { 0 };
        if run > zero_len {
            (zero_at, zero_len) = (i + 1 - run, run);
        }
    }
    if zero_len < 2 {
        zero_at = seg.len();
    }
    // At most 39 characters ("1:…" eight groups of four, or fewer with `::`).
    let mut buf = [0u8; 40];
    let mut n = 0;
    let mut push = |d: u8| {
        if let Some(slot) = buf.get_mut(n) {
            *slot = d;
        }
        n += 1;
    };
    for (i, &g) in seg.iter().enumerate() {
        if i >= zero_at && i < zero_at + zero_len {
            // The run: `::` in place of its first group, nothing for the rest.
            if i == zero_at {
                push(b':');
                push(b':');
            }
            continue;
        }
        if i > 0 && i != zero_at + zero_len {
            push(b':');
        }
        let mut started = false;
        for shift in [12, 8, 4, 0] {
            let d = usize::from(g >> shift & 0xf);
            if d != 0 || started || shift == 0 {
                started = true;
                push(HEX[d]);
            }
        }
    }
    s.put_ascii(buf.get(..n).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::super::{value_json, Value};
    use super::*;

    /// An IPv6 address is written as `Display` writes it (and quoted in
    /// JSON): every placement of runs of zero groups (each group zero or
    /// not, of one to four hex digits), IPv4-mapped and -compatible
    /// addresses, and a spread of whole addresses.
    #[test]
    fn ipv6_is_written_as_display_writes_it() {
        let mut addrs = Vec::new();
        let groups = [0x1u16, 0xab, 0xf00, 0xbeef];
        for mask in 0..=255u32 {
            let mut seg = [0u16; 8];
            for (k, g) in seg.iter_mut().enumerate() {
                if mask >> k & 1 == 1 {
                    *g = groups[(k + mask as usize) % 4];
                }
            }
            addrs.push(std::net::Ipv6Addr::from(seg));
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            x
        };
        for _ in 0..10_000 {
            let (hi, lo, zeros) = (next(), next(), next() >> 32);
            let mut seg =
                std::net::Ipv6Addr::from(u128::from(hi) << 64 | u128::from(lo)).segments();
            // Zero groups (runs of zeros are what is interesting).
            for (k, g) in seg.iter_mut().enumerate() {
                if zeros >> k & 1 == 1 {
                    *g = 0;
                }
                if zeros >> (k + 8) & 1 == 1 {
                    *g &= 0xf;
                }
            }
            addrs.push(std::net::Ipv6Addr::from(seg));
        }
        addrs.extend([
            std::net::Ipv6Addr::UNSPECIFIED,
            std::net::Ipv6Addr::LOCALHOST,
            "::ffff:192.0.2.1".parse().unwrap(),
            "::192.0.2.1".parse().unwrap(),
            "1:0:0:1:0:0:0:1".parse().unwrap(),
            "1:0:0:0:1:0:0:0".parse().unwrap(),
            "0:0:1:0:0:1:0:0".parse().unwrap(),
            "fe80::1".parse().unwrap(),
        ]);
        for a in addrs {
            let mut got = String::new();
            put_ipv6(a, &mut got);
            assert_eq!(got, a.to_string());
            assert_eq!(value_json(&Value::Ipv6(a)), format!("\"{a}\""));
        }
    }
}
