//! An inet_diag reply (`struct inet_diag_msg` and its `INET_DIAG_*`
//! attributes, `<linux/inet_diag.h>`) as the whole `nlwire ss --json`
//! object, written from the reply's bytes in one pass: the keys in byte
//! order as fixed texts, each value read at its offset, no walk, no key
//! matched or reordered; `INET_DIAG_INFO` by [`TcpJson`]. It writes what
//! the general path ([`super::json::JsonWriter`] walking the reply) writes,
//! for the replies it takes: `AF_INET` (the three unused words of each
//! address zero) or `AF_INET6`; each attribute at most once, without flags,
//! one of `INET_DIAG_BBRINFO`, `INET_DIAG_CGROUP_ID`, `INET_DIAG_CONG`,
//! `INET_DIAG_INFO` (as `tcp_info`, see [`TcpJson::fits`]),
//! `INET_DIAG_MARK`, `INET_DIAG_SHUTDOWN` and `INET_DIAG_SOCKOPT` (only
//! with the bytes of the text kept from the last walk of one), each of the
//! exact size of its payload. Anything else is refused and walked.

use nlwire::families::sock_diag::{
    cookie_of, AddressFamily, InetDiagTimer, InetResponse, TcpInfoView, TcpState,
    INET_DIAG_BBRINFO, INET_DIAG_CGROUP_ID, INET_DIAG_CONG, INET_DIAG_INFO, INET_DIAG_MARK,
    INET_DIAG_SHUTDOWN, INET_DIAG_SOCKOPT,
};
use nlwire::payload::NulStr;
use nlwire::value::{ipv6_value, Value};

use super::json_bytes::{put_enum, put_int, put_netid, put_shutdown, put_value, u32_at};
use super::json_memo::ByteTexts;
use super::json_tcp::TcpJson;

/// `AF_INET`, `AF_INET6`.
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;

/// The payload of each attribute taken, in the order of their keys; `None` when
/// the reply is not one [`write`] takes (`sockopt`: the bytes whose text
/// is kept).
fn attrs_of<'a>(m: &InetResponse<'a>, sockopt: Option<[u8; 2]>) -> Option<[Option<&'a [u8]>; 7]> {
    let mut seen: [Option<&'a [u8]>; 7] = [None; 7];
    for a in m.attrs().raw() {
        let a = a.ok()?;
        if a.flags != 0 {
            return None;
        }
        let p = a.payload;
        let (slot, fits) = match a.kind {
            INET_DIAG_BBRINFO => (0, p.len() == 20),
            INET_DIAG_CGROUP_ID => (1, p.len() == 8),
            INET_DIAG_CONG => (2, true),
            INET_DIAG_INFO => (3, TcpJson::fits(&TcpInfoView::new(p))),
            INET_DIAG_MARK => (4, p.len() == 4),
            INET_DIAG_SHUTDOWN => (5, p.len() == 1),
            INET_DIAG_SOCKOPT => (6, sockopt.is_some_and(|s| s.as_slice() == p)),
            _ => return None,
        };
        let slot = seen.get_mut(slot)?;
        if !fits || slot.is_some() {
            return None;
        }
        *slot = Some(p);
    }
    Some(seen)
}

/// The texts of the header's enums, by value, and room for other values' text.
#[derive(Debug, Default)]
pub(super) struct Texts {
    scratch: String,
    family: ByteTexts,
    state: ByteTexts,
    timer: ByteTexts,
    /// The last `INET_DIAG_CONG` payload and its text (nearly every
    /// socket has the same).
    cong: (Vec<u8>, Vec<u8>),
}

/// The 16 bytes of an address slot (`__be32[4]`, its words read) as sent.
fn slot_bytes(words: [u32; 4]) -> [u8; 16] {
    let mut b = [0u8; 16];
    for (d, w) in b.chunks_exact_mut(4).zip(words) {
        d.copy_from_slice(&w.to_be_bytes());
    }
    b
}

/// An address slot as the walk gives it for `family` ([`AF_INET`], the
/// unused words checked zero by the caller, or [`AF_INET6`]).
fn put_addr(b: &[u8; 16], family: u8, out: &mut Vec<u8>, scratch: &mut String) {
    if family == AF_INET {
        // `"a.b.c.d"`, as the general writer writes an `Ipv4Addr`.
        let mut num = itoa::Buffer::new();
        let mut sep = b'"';
        for &x in b.iter().take(4) {
            out.push(sep);
            put_int(u64::from(x), &mut num, out);
            sep = b'.';
        }
        out.push(b'"');
    } else {
        put_value(&ipv6_value(b), out, scratch);
    }
}

/// `m` as one line of JSON (newline included) appended to `out`, with
/// `netid` and, when given, `users` (a JSON value) as keys; `sockopt`: the
/// `INET_DIAG_SOCKOPT` bytes and text kept. False (nothing written) when
/// `m` is not a reply this writer takes.
pub(super) fn write(
    m: &InetResponse<'_>,
    tcp: &mut TcpJson,
    texts: &mut Texts,
    sockopt: Option<([u8; 2], &str)>,
    netid: &str,
    users: Option<&str>,
    out: &mut Vec<u8>,
) -> bool {
    let h = m.header;
    let family = h.idiag_family;
    if family != AF_INET && family != AF_INET6 {
        return false;
    }
    let Some(a) = attrs_of(m, sockopt.map(|s| s.0)) else {
        return false;
    };
    let (src, dst) = (
        slot_bytes(h.id.idiag_src.map(|w| w.get())),
        slot_bytes(h.id.idiag_dst.map(|w| w.get())),
    );
    if family == AF_INET && (src.get(4..) != Some(&[0; 12]) || dst.get(4..) != Some(&[0; 12])) {
        return false;
    }
    let mut num = itoa::Buffer::new();
    out.reserve(4096);
    // Keys in byte order: the attributes (upper case) first.
    let mut sep = b'{';
    let [bbr, cgroup, cong, info, mark, shutdown, opt] = a;
    if let Some(p) = bbr {
        out.push(sep);
        out.extend_from_slice(b"\"INET_DIAG_BBRINFO\":{\"bbr_bw_hi\":");
        put_int(u32_at(p, 4), &mut num, out);
        out.extend_from_slice(b",\"bbr_bw_lo\":");
        put_int(u32_at(p, 0), &mut num, out);
        out.extend_from_slice(b",\"bbr_cwnd_gain\":");
        put_int(u32_at(p, 16), &mut num, out);
        out.extend_from_slice(b",\"bbr_min_rtt\":");
        put_int(u32_at(p, 8), &mut num, out);
        out.extend_from_slice(b",\"bbr_pacing_gain\":");
        put_int(u32_at(p, 12), &mut num, out);
        out.push(b'}');
        sep = b',';
    }
    if let Some(p) = cgroup {
        out.push(sep);
        out.extend_from_slice(b"\"INET_DIAG_CGROUP_ID\":");
        let n = <[u8; 8]>::try_from(p).map_or(0, u64::from_ne_bytes);
        put_int(n, &mut num, out);
        sep = b',';
    }
    if let Some(p) = cong {
        out.push(sep);
        out.extend_from_slice(b"\"INET_DIAG_CONG\":");
        let (bytes, text) = &mut texts.cong;
        if bytes.as_slice() != p || text.is_empty() {
            text.clear();
            put_value(&Value::Str(NulStr(p).to_bytes()), text, &mut texts.scratch);
            bytes.clear();
            bytes.extend_from_slice(p);
        }
        out.extend_from_slice(text);
        sep = b',';
    }
    if let Some(p) = info {
        out.push(sep);
        out.extend_from_slice(b"\"INET_DIAG_INFO\":");
        tcp.write_bytes(&TcpInfoView::new(p), out);
        sep = b',';
    }
    if let Some(p) = mark {
        out.push(sep);
        out.extend_from_slice(b"\"INET_DIAG_MARK\":");
        put_int(u32_at(p, 0), &mut num, out);
        sep = b',';
    }
    if let Some(p) = shutdown {
        out.push(sep);
        out.extend_from_slice(b"\"INET_DIAG_SHUTDOWN\":");
        put_shutdown(p, out, &mut texts.scratch);
        sep = b',';
    }
    if let (Some(_), Some((_, text))) = (opt, sockopt) {
        out.push(sep);
        out.extend_from_slice(b"\"INET_DIAG_SOCKOPT\":");
        out.extend_from_slice(text.as_bytes());
        sep = b',';
    }
    let id = &h.id;
    out.push(sep);
    out.extend_from_slice(b"\"idiag_cookie\":");
    put_int(cookie_of(&id.idiag_cookie), &mut num, out);
    out.extend_from_slice(b",\"idiag_dport\":");
    put_int(u64::from(id.idiag_dport.get()), &mut num, out);
    out.extend_from_slice(b",\"idiag_dst\":");
    put_addr(&dst, family, out, &mut texts.scratch);
    out.extend_from_slice(b",\"idiag_expires\":");
    put_int(u64::from(h.idiag_expires.get()), &mut num, out);
    out.extend_from_slice(b",\"idiag_family\":");
    put_enum::<AddressFamily>(&mut texts.family, family, out);
    out.extend_from_slice(b",\"idiag_if\":");
    put_int(u64::from(id.idiag_if.get()), &mut num, out);
    out.extend_from_slice(b",\"idiag_inode\":");
    put_int(u64::from(h.idiag_inode.get()), &mut num, out);
    out.extend_from_slice(b",\"idiag_retrans\":");
    put_int(u64::from(h.idiag_retrans), &mut num, out);
    out.extend_from_slice(b",\"idiag_rqueue\":");
    put_int(u64::from(h.idiag_rqueue.get()), &mut num, out);
    out.extend_from_slice(b",\"idiag_sport\":");
    put_int(u64::from(id.idiag_sport.get()), &mut num, out);
    out.extend_from_slice(b",\"idiag_src\":");
    put_addr(&src, family, out, &mut texts.scratch);
    out.extend_from_slice(b",\"idiag_state\":");
    put_enum::<TcpState>(&mut texts.state, h.idiag_state, out);
    out.extend_from_slice(b",\"idiag_timer\":");
    put_enum::<InetDiagTimer>(&mut texts.timer, h.idiag_timer, out);
    out.extend_from_slice(b",\"idiag_uid\":");
    put_int(u64::from(h.idiag_uid.get()), &mut num, out);
    out.extend_from_slice(b",\"idiag_wqueue\":");
    put_int(u64::from(h.idiag_wqueue.get()), &mut num, out);
    out.extend_from_slice(b",\"netid\":");
    put_netid(netid, out, &mut texts.scratch);
    if let Some(u) = users {
        out.extend_from_slice(b",\"users\":");
        out.extend_from_slice(u.as_bytes());
    }
    out.extend_from_slice(b"}\n");
    true
}

#[cfg(test)]
mod tests {
    use super::super::json::JsonWriter;
    use super::super::json_bytes::test_reply;
    use super::super::query::{Netid, Sock};
    use super::*;

    /// A header with every byte from `seed` (a pattern), family, state and
    /// timer as given.
    fn head(seed: u8, family: u8, state: u8, timer: u8) -> [u8; 72] {
        let mut h = [0u8; 72];
        for (i, b) in h.iter_mut().enumerate() {
            *b = match seed {
                0 => 0,
                1 => 0xff,
                _ => (i as u8).wrapping_mul(seed).wrapping_add(7),
            };
        }
        h[..3].copy_from_slice(&[family, state, timer]);
        h
    }

    #[test]
    fn ipv4_as_the_general_writer_writes_it() {
        let mut scratch = String::new();
        for a in [
            [0u8; 4],
            [127, 0, 0, 1],
            [255; 4],
            [10, 99, 100, 9],
            [1, 22, 203, 0],
        ] {
            let mut b = [0u8; 16];
            b[..4].copy_from_slice(&a);
            let mut out = Vec::new();
            put_addr(&b, AF_INET, &mut out, &mut scratch);
            let mut want = Vec::new();
            put_value(&nlwire::value::ipv4_value(&a), &mut want, &mut scratch);
            assert_eq!(out, want);
        }
    }

    #[test]
    fn inet_reply_from_its_bytes_matches_the_walk() {
        let (mut fast, mut walk) = (JsonWriter::new(), JsonWriter::new());
        walk.walk_only = true;
        let mut taken = 0;
        let mut check = |msg: &[u8], users: Option<&str>, fast: &mut JsonWriter| {
            let s = Sock {
                netid: Netid::Tcp,
                msg: msg.to_vec(),
            };
            let before = fast.from_bytes;
            let (mut a, mut b) = (String::new(), String::new());
            fast.socket(&s, users, &mut a);
            walk.socket(&s, users, &mut b);
            assert_eq!(a, b);
            taken += fast.from_bytes - before;
        };
        let info: Vec<u8> = (0..=255u8).cycle().take(300).collect();
        let numbers = [0u64, 1, 9, 10, 0xff, 0x1_0000, u64::MAX];
        for (i, &n) in numbers.iter().enumerate() {
            let bytes8 = n.to_ne_bytes();
            let bbr: Vec<u8> = (0..20).map(|j| bytes8[j % 8] ^ (j as u8)).collect();
            let sockopt = [n as u8, (n >> 8) as u8];
            let cong: [&[u8]; 4] = [b"bbr\0", b"cubic", b"", b"x\"\xff\0y"];
            let shut = [n as u8];
            let mut v4 = head(0, AF_INET, 1, 0);
            v4[8..12].copy_from_slice(&[127, 0, 0, 1]);
            let heads = [
                v4,
                head(0, AF_INET6, 10, 1),
                head(2, AF_INET, 1, 2),
                head(3, AF_INET6, 0, 255),
                head(1, AF_INET6, 255, 5),
                head(5, 1, 1, 0),
            ];
            for (k, h) in heads.iter().enumerate() {
                let all: Vec<(u16, &[u8])> = vec![
                    (INET_DIAG_SOCKOPT, &sockopt),
                    (INET_DIAG_MARK, &bytes8[..4]),
                    (INET_DIAG_INFO, &info[..[0, 1, 104, 232, 248, 260][k % 6]]),
                    (INET_DIAG_CONG, cong[i % 4]),
                    (INET_DIAG_SHUTDOWN, &shut),
                    (INET_DIAG_BBRINFO, &bbr),
                    (INET_DIAG_CGROUP_ID, &bytes8),
                ];
                let sets: Vec<Vec<(u16, &[u8])>> = vec![
                    vec![],
                    all.clone(),
                    all.iter().rev().copied().collect(),
                    // Refused: walked.
                    vec![(INET_DIAG_MARK, &bytes8)],
                    vec![(INET_DIAG_BBRINFO, &bbr[..16])],
                    vec![(INET_DIAG_CGROUP_ID, &bytes8[..4])],
                    vec![(INET_DIAG_SHUTDOWN, &bytes8[..2])],
                    vec![(INET_DIAG_INFO, &info)],
                    vec![(INET_DIAG_INFO, &info[..8]), (INET_DIAG_INFO, &info[..8])],
                    vec![(INET_DIAG_CONG | 0x4000, b"bbr\0")],
                    vec![(INET_DIAG_INFO, &info[..8]), (10, &[6])],
                    vec![(5, &[1])],
                ];
                for set in &sets {
                    let msg = test_reply(h, set);
                    for users in [None, Some("[{\"pid\":1}]")] {
                        check(&msg, users, &mut fast);
                    }
                    for cut in 16..msg.len() {
                        let mut c = msg[..cut].to_vec();
                        let len = u32::try_from(cut).unwrap();
                        c[..4].copy_from_slice(&len.to_ne_bytes());
                        check(&c, None, &mut fast);
                    }
                }
            }
        }
        assert!(taken > 1000, "{taken}");
        assert_eq!(walk.from_bytes, 0);
    }
}
