//! Netlink bytes from a host of the other byte order.
//!
//! Netlink carries host-order integers (`__u32 nlmsg_len`, `__u16 nla_len`,
//! `__u32 idiag_inode`, …) and a capture file does not record which order the
//! capturing host used (see [`crate::nlmon`]). [`detect_order`] guesses it
//! from the lengths, as the kernel's `NLMSG_OK` would judge them, and
//! [`swap_message`] converts a buffer of messages in the other order into this
//! host's order in place, so the ordinary zero-copy parsers can read it:
//!
//! * every `nlmsghdr`;
//! * `NLMSG_ERROR`: `error`, the echoed `nlmsghdr`, the echoed request's
//!   payload (as a message of the same family) and the extended-ACK TLVs;
//!   `NLMSG_DONE`: the `int` and its extended-ACK TLVs;
//! * every attribute header (`nla_len`, `nla_type`), and the payloads of
//!   attributes whose kind the family's declared set knows (through
//!   [`AttributeSet::swap_payload`](crate::netlink::AttributeSet::swap_payload), [`Payload::swap_order`](crate::payload::Payload::swap_order));
//! * every other message by its family's message table in the
//!   [`Registry`]: the body its row picks
//!   converts its fixed header through [`WireStruct::swap_order`] and its
//!   attributes through their declarations (sock_diag request bytecode
//!   command by command).
//!
//! Payloads the codec does not know (unknown attribute kinds, unknown
//! families) are left as captured: there is no telling which of their bytes
//! are integers. Network-order (`__be16`) fields are never touched.
//!
//! ```
//! use nlwire::swap::{detect_order, swap_message, ByteOrder};
//! // NLMSG_DONE (type 3) captured on a big-endian host.
//! let mut b = [0, 0, 0, 0x14, 0, 3, 0, 2, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0];
//! assert_eq!(detect_order(&b), ByteOrder::Big);
//! if ByteOrder::HOST != ByteOrder::Big {
//!     swap_message(4, &mut b);
//!     assert_eq!(u32::from_ne_bytes([b[0], b[1], b[2], b[3]]), 20);
//! }
//! ```

use byteorder::{ByteOrder as _, NativeEndian};

use crate::netlink::{
    nlmsg_align, swap_attr_stream, ExtAckAttr, NlMsgErrHdr, NlMsgHdr, NlMsgType, NLMSG_HDRLEN,
    NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_REQUEST,
};
use crate::registry::Registry;
use crate::wire::WireStruct;

/// The byte order of a buffer of netlink messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ByteOrder {
    /// Little-endian (x86, most ARM).
    Little,
    /// Big-endian (s390x, some PowerPC and MIPS).
    Big,
}

impl ByteOrder {
    /// This host's byte order.
    pub const HOST: ByteOrder = if cfg!(target_endian = "big") {
        ByteOrder::Big
    } else {
        ByteOrder::Little
    };

    /// The other order.
    pub const fn other(self) -> ByteOrder {
        match self {
            ByteOrder::Little => ByteOrder::Big,
            ByteOrder::Big => ByteOrder::Little,
        }
    }

    /// `"little"` or `"big"`.
    pub const fn name(self) -> &'static str {
        match self {
            ByteOrder::Little => "little",
            ByteOrder::Big => "big",
        }
    }

    fn read_u32(self, b: &[u8]) -> Option<u32> {
        let a: [u8; 4] = b.get(..4)?.try_into().ok()?;
        Some(match self {
            ByteOrder::Little => u32::from_le_bytes(a),
            ByteOrder::Big => u32::from_be_bytes(a),
        })
    }
}

/// How well the message lengths of a buffer read in one byte order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Fit {
    /// Every byte is covered by valid messages (the last may be unpadded).
    complete: bool,
    /// Bytes covered by valid messages.
    covered: usize,
}

fn fit(bytes: &[u8], order: ByteOrder) -> Fit {
    let mut pos = 0usize;
    loop {
        let rest = bytes.get(pos..).unwrap_or_default();
        if rest.is_empty() {
            return Fit {
                complete: true,
                covered: pos,
            };
        }
        let len = order.read_u32(rest).map_or(0, |l| l as usize);
        if rest.len() < NLMSG_HDRLEN || len < NLMSG_HDRLEN || len > rest.len() {
            return Fit {
                complete: false,
                covered: pos,
            };
        }
        pos = pos.saturating_add(nlmsg_align(len).min(rest.len()));
    }
}

/// Guess the byte order of a buffer of netlink messages: the order in which
/// the `nlmsg_len` fields walk the whole buffer as the kernel's `NLMSG_OK` /
/// `NLMSG_NEXT` would; failing that, the order that walks further. Ties go
/// to this host's order ([`ByteOrder::HOST`]).
pub fn detect_order(bytes: &[u8]) -> ByteOrder {
    let host = fit(bytes, ByteOrder::HOST);
    let other = fit(bytes, ByteOrder::HOST.other());
    if other > host {
        ByteOrder::HOST.other()
    } else {
        ByteOrder::HOST
    }
}

/// Convert a buffer of netlink messages of `family` (`NETLINK_*`) captured
/// on a host of the *other* byte order into this host's order, in place.
///
/// Walks the messages reading each `nlmsg_len` in the other order; a message
/// whose length is invalid has its header converted (so a decoder reports
/// the length as the sender meant it) and ends the walk. Never panics, for
/// any input.
pub fn swap_message(family: u16, bytes: &mut [u8]) {
    swap_message_with(&Registry::DEFAULT, family, bytes);
}

/// [`swap_message`] with the families of `registry`.
pub fn swap_message_with(registry: &Registry, family: u16, bytes: &mut [u8]) {
    let mut pos = 0usize;
    loop {
        let Some(rest) = bytes.get_mut(pos..) else {
            return;
        };
        if rest.len() < NLMSG_HDRLEN {
            return;
        }
        let len = ByteOrder::HOST
            .other()
            .read_u32(rest)
            .map_or(0, |l| l as usize);
        let (hdr, _) = rest.split_at_mut(NLMSG_HDRLEN);
        NlMsgHdr::swap_order(hdr);
        if len < NLMSG_HDRLEN || len > rest.len() {
            return;
        }
        let typ = NativeEndian::read_u16(rest.get(4..6).unwrap_or_default());
        let flags = NativeEndian::read_u16(rest.get(6..8).unwrap_or_default());
        if let Some(payload) = rest.get_mut(NLMSG_HDRLEN..len) {
            swap_body(registry, family, typ, flags, payload, 0);
        }
        pos = pos.saturating_add(nlmsg_align(len));
    }
}

/// Swap the payload of one message (everything after its `nlmsghdr`).
/// `depth` is 1 inside an `NLMSG_ERROR` echo (which is not followed further).
fn swap_body(
    registry: &Registry,
    family: u16,
    typ: u16,
    flags: u16,
    payload: &mut [u8],
    depth: usize,
) {
    match NlMsgType::from(typ) {
        NlMsgType::Noop | NlMsgType::Overrun => return,
        NlMsgType::Done => {
            if let Some(err) = payload.get_mut(..4) {
                err.reverse();
            }
            if flags & NLM_F_ACK_TLVS != 0 {
                if let Some(tlvs) = payload.get_mut(4..) {
                    swap_attr_stream::<ExtAckAttr>(tlvs, 0);
                }
            }
            return;
        }
        NlMsgType::Error => {
            swap_error(registry, family, flags, payload, depth);
            return;
        }
        NlMsgType::Unknown(_) => {}
    }
    if let Some(entry) = registry.find(family) {
        (entry.swap)(typ, flags & NLM_F_REQUEST != 0, payload);
    }
}

/// `NLMSG_ERROR`: `struct nlmsgerr` (error + echoed header), the echoed
/// request payload unless `NLM_F_CAPPED`, then extended-ACK TLVs if
/// `NLM_F_ACK_TLVS`. Mirrors [`crate::netlink::NlMsgErr::parse`].
fn swap_error(registry: &Registry, family: u16, flags: u16, payload: &mut [u8], depth: usize) {
    NlMsgErrHdr::swap_order(payload);
    let fixed = NlMsgErrHdr::SIZE;
    let Some(echo_hdr) = payload.get(4..fixed) else {
        return;
    };
    let req_len = NativeEndian::read_u32(echo_hdr) as usize;
    let req_type = NativeEndian::read_u16(echo_hdr.get(4..6).unwrap_or_default());
    let req_flags = NativeEndian::read_u16(echo_hdr.get(6..8).unwrap_or_default());
    let avail = payload.len().saturating_sub(fixed);
    let echo_len = if flags & NLM_F_CAPPED != 0 {
        0
    } else {
        req_len.saturating_sub(NLMSG_HDRLEN).min(avail)
    };
    if depth == 0 && echo_len > 0 {
        if let Some(echo) = payload.get_mut(fixed..fixed.saturating_add(echo_len)) {
            swap_body(
                registry,
                family,
                req_type,
                req_flags,
                echo,
                depth.saturating_add(1),
            );
        }
    }
    if flags & NLM_F_ACK_TLVS != 0 {
        let start = nlmsg_align(fixed.saturating_add(echo_len));
        if let Some(tlvs) = payload.get_mut(start..) {
            swap_attr_stream::<ExtAckAttr>(tlvs, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// RTM_NEWLINK with `ifinfomsg` and `IFLA_MTU` (an attribute kind the
    /// codec does not declare for rtnetlink: its payload is kept as captured).
    #[rustfmt::skip]
    const NEWLINK_LE: [u8; 40] = [
        40, 0, 0, 0,  16, 0,  2, 0,  1, 0, 0, 0,  0x39, 0x30, 0, 0,
        0, 0,  4, 3,  1, 0, 0, 0,  0x49, 0, 1, 0,  0, 0, 0, 0,
        8, 0,  4, 0,  0x00, 0x00, 0x01, 0x00,
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
}
