//! IPv6 addresses in `--json`: written by the text tree's own writer
//! ([`numfmt::put_ipv6`](super::super::numfmt::put_ipv6), no `core::fmt`,
//! which took ~500 instructions for each of the two per inet socket) and
//! quoted. These tests hold the JSON side to `Ipv6Addr`'s `Display`.

mod tests {
    use super::super::super::numfmt::put_ipv6;
    use super::super::{value_json, Value};

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
