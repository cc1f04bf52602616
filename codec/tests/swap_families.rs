//! Byte-order conversion of the built-in families' messages (moved out of
//! `codec/src/swap.rs`, which names no family): each case is the same
//! message written by a little-endian and a big-endian host.

use nlwire::swap::*;

/// `(foreign, host)`: the same bytes written by a host of the other
/// order and by this one.
fn pair<'a>(le: &'a [u8], be: &'a [u8]) -> (&'a [u8], &'a [u8]) {
    if ByteOrder::HOST == ByteOrder::Little {
        (be, le)
    } else {
        (le, be)
    }
}

fn check(family: u16, le: &[u8], be: &[u8]) {
    assert_eq!(le.len(), be.len());
    let (foreign, host) = pair(le, be);
    let mut buf = [0xa5u8; 256];
    let b = &mut buf[..foreign.len()];
    b.copy_from_slice(foreign);
    assert_eq!(detect_order(foreign), ByteOrder::HOST.other());
    assert_eq!(detect_order(host), ByteOrder::HOST);
    swap_message(family, b);
    assert_eq!(&*b, host);
}

/// RTM_NEWLINK with `ifinfomsg` and `IFLA_MTU` 256 (a host-order `u32`,
/// declared since rtnetlink is generated from `rt-link.yaml`: converted).
#[rustfmt::skip]
const NEWLINK_LE: [u8; 40] = [
    40, 0, 0, 0,  16, 0,  2, 0,  1, 0, 0, 0,  0x39, 0x30, 0, 0,
    0, 0,  4, 3,  1, 0, 0, 0,  0x49, 0, 1, 0,  0, 0, 0, 0,
    8, 0,  4, 0,  0x00, 0x01, 0x00, 0x00,
];
#[rustfmt::skip]
const NEWLINK_BE: [u8; 40] = [
    0, 0, 0, 40,  0, 16,  0, 2,  0, 0, 0, 1,  0, 0, 0x30, 0x39,
    0, 0,  3, 4,  0, 0, 0, 1,  0, 1, 0, 0x49,  0, 0, 0, 0,
    0, 8,  0, 4,  0x00, 0x00, 0x01, 0x00,
];

#[test]
fn rtnetlink_header_and_attribute_headers() {
    check(0, &NEWLINK_LE, &NEWLINK_BE);
}

/// NLMSG_ERROR -EINVAL for an RTM_GETLINK request (20 bytes, echoed in
/// full: rtgenmsg of 4 bytes), with NLMSGERR_ATTR_MSG "bad" and
/// NLMSGERR_ATTR_OFFS 16, then an NLMSG_DONE with an int.
#[rustfmt::skip]
const ERROR_LE: [u8; 76] = [
    // nlmsghdr: len 56, NLMSG_ERROR, NLM_F_ACK_TLVS
    56, 0, 0, 0,  2, 0,  0x00, 0x02,  7, 0, 0, 0,  0xd2, 0x04, 0, 0,
    // error -22
    0xea, 0xff, 0xff, 0xff,
    // echoed nlmsghdr: len 20, RTM_GETLINK, REQUEST|ACK
    20, 0, 0, 0,  18, 0,  5, 0,  7, 0, 0, 0,  0xd2, 0x04, 0, 0,
    // echoed payload: rtgenmsg (no swap)
    2, 0, 0, 0,
    // NLMSGERR_ATTR_MSG "bad\0"
    8, 0,  1, 0,  b'b', b'a', b'd', 0,
    // NLMSGERR_ATTR_OFFS 16
    8, 0,  2, 0,  16, 0, 0, 0,
    // NLMSG_DONE, int 0
    20, 0, 0, 0,  3, 0,  2, 0,  8, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,
];
#[rustfmt::skip]
const ERROR_BE: [u8; 76] = [
    0, 0, 0, 56,  0, 2,  0x02, 0x00,  0, 0, 0, 7,  0, 0, 0x04, 0xd2,
    0xff, 0xff, 0xff, 0xea,
    0, 0, 0, 20,  0, 18,  0, 5,  0, 0, 0, 7,  0, 0, 0x04, 0xd2,
    2, 0, 0, 0,
    0, 8,  0, 1,  b'b', b'a', b'd', 0,
    0, 8,  0, 2,  0, 0, 0, 16,
    0, 0, 0, 20,  0, 3,  0, 2,  0, 0, 0, 8,  0, 0, 0, 0,  0, 0, 0, 0,
];

#[test]
fn error_with_echo_and_extended_ack_then_done() {
    check(0, &ERROR_LE, &ERROR_BE);
}

/// Generic netlink controller: CTRL_CMD_GETFAMILY with
/// CTRL_ATTR_FAMILY_ID (u16, known: swapped) and CTRL_ATTR_FAMILY_NAME.
#[rustfmt::skip]
const GENL_LE: [u8; 36] = [
    36, 0, 0, 0,  16, 0,  1, 0,  1, 0, 0, 0,  0, 0, 0, 0,
    3, 1, 0x34, 0x12,
    6, 0,  1, 0,  0x1c, 0, 0, 0,
    8, 0,  2, 0,  b'n', b'l', b'8', 0,
];
#[rustfmt::skip]
const GENL_BE: [u8; 36] = [
    0, 0, 0, 36,  0, 16,  0, 1,  0, 0, 0, 1,  0, 0, 0, 0,
    3, 1, 0x12, 0x34,
    0, 6,  0, 1,  0, 0x1c, 0, 0,
    0, 8,  0, 2,  b'n', b'l', b'8', 0,
];

#[test]
fn genetlink_controller() {
    check(16, &GENL_LE, &GENL_BE);
}

/// Writes the same message for a little- and a big-endian host: host
/// order fields differ, network-order fields and bytes do not.
struct Twin {
    le: [u8; 128],
    be: [u8; 128],
}

impl Twin {
    fn new() -> Self {
        Twin {
            le: [0; 128],
            be: [0; 128],
        }
    }
    /// A host-order field of `n` bytes.
    fn host(&mut self, at: usize, n: usize, v: u64) -> &mut Self {
        self.le[at..at + n].copy_from_slice(&v.to_le_bytes()[..n]);
        self.be[at..at + n].copy_from_slice(&v.to_be_bytes()[8 - n..]);
        self
    }
    /// Bytes that do not depend on the host (u8, __be16, addresses).
    fn bytes(&mut self, at: usize, b: &[u8]) -> &mut Self {
        self.le[at..at + b.len()].copy_from_slice(b);
        self.be[at..at + b.len()].copy_from_slice(b);
        self
    }
    fn nlmsghdr(&mut self, len: u32, typ: u16, flags: u16) -> &mut Self {
        self.host(0, 4, len.into())
            .host(4, 2, typ.into())
            .host(6, 2, flags.into())
            .host(8, 4, 0x0102_0304)
            .host(12, 4, 0x0a0b_0c0d)
    }
}

/// `SOCK_DIAG_BY_FAMILY` dump request for AF_INET with bytecode
/// `sport >= 1000` then `src 127.0.0.0/8:8080`.
#[test]
fn sock_diag_request_with_bytecode() {
    let mut t = Twin::new();
    t.nlmsghdr(100, 20, 0x301)
        .bytes(16, &[2, 6, 0xff, 0]) // family, protocol, idiag_ext, pad
        .host(20, 4, 0x0000_0fff) // idiag_states
        .bytes(24, &[0x1f, 0x90, 0x00, 0x50]) // idiag_sport, idiag_dport (__be16)
        .bytes(28, &[127, 0, 0, 1]) // idiag_src[0]
        .host(60, 4, 7) // idiag_if
        .host(64, 4, 0x1122_3344) // idiag_cookie[0]
        .host(68, 4, 0x5566_7788) // idiag_cookie[1]
        .host(72, 2, 28) // nla_len
        .host(74, 2, 1) // INET_DIAG_REQ_BYTECODE
        .bytes(76, &[2, 8]) // INET_DIAG_BC_S_GE, yes 8
        .host(78, 2, 12) // no
        .host(82, 2, 1000) // the port, in the next op's `no`
        .bytes(84, &[7, 16]) // INET_DIAG_BC_S_COND, yes 16
        .host(86, 2, 20) // no
        .bytes(88, &[2, 8, 0xaa, 0xbb]) // AF_INET, /8, padding
        .host(92, 4, 8080) // port
        .bytes(96, &[127, 0, 0, 1]); // __be32 addr
    check(4, &t.le[..100], &t.be[..100]);
}

/// An inet_diag reply: `inet_diag_msg`, `INET_DIAG_MEMINFO`,
/// `INET_DIAG_CONG`.
#[test]
fn sock_diag_inet_reply() {
    let mut t = Twin::new();
    t.nlmsghdr(116, 20, 0x2)
        .bytes(16, &[10, 1, 0, 0]) // family, state, timer, retrans
        .bytes(20, &[0x1f, 0x90, 0xc3, 0x50]) // ports (__be16)
        .bytes(24, &[0xfe, 0x80, 0, 0, 0, 0, 0, 1]) // idiag_src
        .host(56, 4, 3) // idiag_if
        .host(60, 4, 0x1234_5678) // idiag_cookie
        .host(64, 4, 0x9abc_def0)
        .host(68, 4, 1001) // idiag_expires
        .host(72, 4, 1002) // idiag_rqueue
        .host(76, 4, 1003) // idiag_wqueue
        .host(80, 4, 1004) // idiag_uid
        .host(84, 4, 1005) // idiag_inode
        .host(88, 2, 20) // nla_len
        .host(90, 2, 1) // INET_DIAG_MEMINFO
        .host(92, 4, 11)
        .host(96, 4, 12)
        .host(100, 4, 13)
        .host(104, 4, 14)
        .host(108, 2, 8) // nla_len
        .host(110, 2, 4) // INET_DIAG_CONG
        .bytes(112, b"bbr\0");
    check(4, &t.le[..116], &t.be[..116]);
}

/// A unix_diag reply: `unix_diag_msg` and `UNIX_DIAG_PEER`.
#[test]
fn sock_diag_unix_reply() {
    let mut t = Twin::new();
    t.nlmsghdr(48, 20, 0x2)
        .bytes(16, &[1, 1, 7, 0]) // family, type, state, pad
        .host(20, 4, 0x0001_0203) // udiag_ino
        .host(24, 4, 0x0405_0607) // udiag_cookie
        .host(28, 4, 0x0809_0a0b)
        .host(32, 2, 8) // nla_len
        .host(34, 2, 2) // UNIX_DIAG_PEER
        .host(36, 4, 0x0c0d_0e0f)
        .host(40, 2, 5) // nla_len
        .host(42, 2, 6) // UNIX_DIAG_SHUTDOWN
        .bytes(44, &[3, 0, 0, 0]);
    check(4, &t.le[..48], &t.be[..48]);
}

#[test]
fn broken_length_swaps_the_header_and_stops() {
    let (foreign, _) = pair(&NEWLINK_LE, &NEWLINK_BE);
    let mut b = [0u8; 40];
    b.copy_from_slice(foreign);
    // Declare 64 bytes in a 40-byte buffer.
    if ByteOrder::HOST == ByteOrder::Little {
        b[3] = 64;
    } else {
        b[0] = 64;
    }
    swap_message(0, &mut b);
    assert_eq!(u32::from_ne_bytes([b[0], b[1], b[2], b[3]]), 64);
    assert_eq!(u16::from_ne_bytes([b[4], b[5]]), 16);
    // The body was left alone.
    assert_eq!(&b[16..], &foreign[16..]);
}

#[test]
fn any_prefix_never_panics() {
    for src in [
        &NEWLINK_BE[..],
        &ERROR_BE[..],
        &GENL_BE[..],
        &NEWLINK_LE[..],
    ] {
        for n in 0..=src.len() {
            let mut b = [0u8; 80];
            b[..n].copy_from_slice(&src[..n]);
            for fam in [0, 4, 16, 99] {
                let mut c = b;
                swap_message(fam, &mut c[..n]);
            }
            let _ = detect_order(&b[..n]);
        }
    }
}

#[test]
fn ties_prefer_the_host() {
    // Too short for any message: neither order fits.
    assert_eq!(detect_order(&[1, 2, 3]), ByteOrder::HOST);
    assert_eq!(detect_order(&[]), ByteOrder::HOST);
    // 0x10000010 read either way is past the end.
    assert_eq!(
        detect_order(&[0x10, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        ByteOrder::HOST
    );
}

/// RTM_NEWLINK of a VLAN: `IFLA_LINKINFO` holding `IFLA_INFO_KIND` "vlan"
/// and `IFLA_INFO_DATA`, a sub-message selected by that string: the VLAN
/// attributes inside (`IFLA_VLAN_ID` 5) convert as `linkinfo-vlan-attrs`.
#[rustfmt::skip]
const VLAN_LE: [u8; 60] = [
    60, 0, 0, 0,  16, 0,  0, 0,  0, 0, 0, 0,  0, 0, 0, 0,
    0, 0,  1, 0,  3, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,
    28, 0,  18, 0,
      9, 0,  1, 0,  b'v', b'l', b'a', b'n',  0, 0, 0, 0,
      12, 0,  2, 0,
        6, 0,  1, 0,  5, 0,  0, 0,
];
#[rustfmt::skip]
const VLAN_BE: [u8; 60] = [
    0, 0, 0, 60,  0, 16,  0, 0,  0, 0, 0, 0,  0, 0, 0, 0,
    0, 0,  0, 1,  0, 0, 0, 3,  0, 0, 0, 0,  0, 0, 0, 0,
    0, 28,  0, 18,
      0, 9,  0, 1,  b'v', b'l', b'a', b'n',  0, 0, 0, 0,
      0, 12,  0, 2,
        0, 6,  0, 1,  0, 5,  0, 0,
];

#[test]
fn a_sub_message_selected_by_a_string_converts_by_its_variant() {
    check(0, &VLAN_LE, &VLAN_BE);
}
