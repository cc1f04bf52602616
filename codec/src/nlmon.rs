//! Capture pseudo-headers in front of netlink messages in pcap/pcapng files.
//!
//! A capture made on an `nlmon` device (`ip link add nlmon0 type nlmon`) is
//! written by libpcap as `LINKTYPE_NETLINK` (253): every frame starts with a
//! 16-byte *cooked* pseudo-header built from the `sockaddr_ll` the kernel
//! reports, then the netlink bytes exactly as the socket carried them (in the
//! capturing host's byte order, which the file does not record).
//! `tcpdump -i any` writes the same frames as `LINKTYPE_LINUX_SLL` (113, the
//! same 16-byte layout) or `LINKTYPE_LINUX_SLL2` (276, 20 bytes). All three
//! headers are big-endian, and carry `ARPHRD_NETLINK` (824) as the hardware
//! type and the netlink protocol (`NETLINK_*`) as the protocol.
//!
//! Sources: <https://www.tcpdump.org/linktypes/LINKTYPE_NETLINK.html>,
//! <https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html>,
//! <https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html>, libpcap's
//! `pcap/sll.h` (`struct sll_header`, `struct sll2_header`), the kernel's
//! `drivers/net/nlmon.c` and `<linux/if_packet.h>` (`PACKET_*`).
//!
//! ```
//! use nlwire::nlmon::{parse_frame, LINKTYPE_NETLINK};
//! let frame = [
//!     0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, // pseudo-header
//!     0x14, 0, 0, 0, 0x03, 0, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
//! ];
//! let f = parse_frame(LINKTYPE_NETLINK, &frame).unwrap();
//! assert_eq!(f.family, 4); // NETLINK_SOCK_DIAG
//! assert_eq!(f.payload.len(), 20);
//! ```

use core::fmt;

use zerocopy::byteorder::{U16, U32};
use zerocopy::BigEndian as BE;

use crate::family::NetlinkFamily;
use crate::value::{OpenEnum, Visitor, Walk};
use crate::wire::WireStruct;
use crate::{nl_struct, open_enum, Error};

/// `LINKTYPE_NETLINK` (`DLT_NETLINK`): nlmon captures.
pub const LINKTYPE_NETLINK: u32 = 253;
/// `LINKTYPE_LINUX_SLL` (`DLT_LINUX_SLL`): Linux cooked capture v1
/// (`tcpdump -i any` on older libpcap).
pub const LINKTYPE_LINUX_SLL: u32 = 113;
/// `LINKTYPE_LINUX_SLL2` (`DLT_LINUX_SLL2`): Linux cooked capture v2.
pub const LINKTYPE_LINUX_SLL2: u32 = 276;
/// `ARPHRD_NETLINK` (`<linux/if_arp.h>`): the hardware type of an nlmon device.
pub const ARPHRD_NETLINK: u16 = 824;
/// `SLL_ADDRLEN`: bytes of link-layer address in the cooked headers.
pub const SLL_ADDRLEN: usize = 8;

/// Packet types (`PACKET_*` of `<linux/if_packet.h>`, `sll_pkttype`). nlmon
/// sets `PACKET_OUTGOING` for both directions, so the direction of a netlink
/// message is told by `NLM_F_REQUEST`, not by this field.
#[open_enum(u16)]
pub enum PacketType {
    /// `PACKET_HOST`: to us.
    #[nl(name = "PACKET_HOST")]
    Host = 0,
    /// `PACKET_BROADCAST`: to all.
    #[nl(name = "PACKET_BROADCAST")]
    Broadcast = 1,
    /// `PACKET_MULTICAST`: to a group.
    #[nl(name = "PACKET_MULTICAST")]
    Multicast = 2,
    /// `PACKET_OTHERHOST`: to someone else.
    #[nl(name = "PACKET_OTHERHOST")]
    OtherHost = 3,
    /// `PACKET_OUTGOING`: outgoing of any type (what nlmon reports).
    #[nl(name = "PACKET_OUTGOING")]
    Outgoing = 4,
    /// `PACKET_LOOPBACK`: MC/BRD frame looped back.
    #[nl(name = "PACKET_LOOPBACK")]
    Loopback = 5,
    /// `PACKET_USER`: to user space.
    #[nl(name = "PACKET_USER")]
    User = 6,
    /// `PACKET_KERNEL`: to kernel space.
    #[nl(name = "PACKET_KERNEL")]
    Kernel = 7,
}

/// Hardware types (`ARPHRD_*` of `<linux/if_arp.h>`) that cooked captures
/// commonly carry; only `ARPHRD_NETLINK` frames hold netlink messages.
#[open_enum(u16)]
pub enum ArphrdType {
    /// `ARPHRD_NETROM`.
    #[nl(name = "ARPHRD_NETROM")]
    Netrom = 0,
    /// `ARPHRD_ETHER`: Ethernet.
    #[nl(name = "ARPHRD_ETHER")]
    Ether = 1,
    /// `ARPHRD_LOOPBACK`.
    #[nl(name = "ARPHRD_LOOPBACK")]
    Loopback = 772,
    /// `ARPHRD_NETLINK`: netlink (nlmon).
    #[nl(name = "ARPHRD_NETLINK")]
    Netlink = 824,
    /// `ARPHRD_NONE`: no header.
    #[nl(name = "ARPHRD_NONE")]
    None = 0xfffe,
}

/// The `LINKTYPE_NETLINK` pseudo-header (16 bytes, all big-endian), as
/// libpcap writes it for an nlmon device.
///
/// ```text
/// +---------------------------+
/// | pkttype   (2)             |  PACKET_*
/// | hatype    (2)             |  ARPHRD_NETLINK
/// | halen     (2)             |  0
/// | addr      (8)             |  zero
/// | protocol  (2)             |  NETLINK_* family
/// +---------------------------+
/// ```
#[nl_struct(name = "nlmon")]
pub struct NlmonHeader {
    /// `pkttype`: `PACKET_*` (nlmon: `PACKET_OUTGOING` in both directions).
    #[nl(enum = PacketType)]
    pub pkttype: U16<BE>,
    /// `hatype`: `ARPHRD_NETLINK` (824).
    #[nl(enum = ArphrdType)]
    pub hatype: U16<BE>,
    /// `halen`: link-layer address length (0).
    pub halen: U16<BE>,
    /// `addr`: link-layer address (unused, zero).
    pub addr: [u8; SLL_ADDRLEN],
    /// `protocol`: the netlink family (`NETLINK_*`).
    #[nl(enum = NetlinkFamily)]
    pub protocol: U16<BE>,
}

/// `struct sll_header` (libpcap `pcap/sll.h`): the 16-byte
/// `LINKTYPE_LINUX_SLL` header, all big-endian. For netlink frames
/// `sll_hatype` is `ARPHRD_NETLINK` and `sll_protocol` the netlink family.
#[nl_struct(name = "sll_header")]
pub struct SllHeader {
    /// `sll_pkttype`: `PACKET_*`.
    #[nl(enum = PacketType)]
    pub sll_pkttype: U16<BE>,
    /// `sll_hatype`: `ARPHRD_*` of the interface.
    #[nl(enum = ArphrdType)]
    pub sll_hatype: U16<BE>,
    /// `sll_halen`: link-layer address length.
    pub sll_halen: U16<BE>,
    /// `sll_addr`: link-layer address (first `sll_halen` bytes).
    pub sll_addr: [u8; SLL_ADDRLEN],
    /// `sll_protocol`: protocol (for netlink frames, the `NETLINK_*` family).
    pub sll_protocol: U16<BE>,
}

/// `struct sll2_header` (libpcap `pcap/sll.h`): the 20-byte
/// `LINKTYPE_LINUX_SLL2` header, all big-endian.
#[nl_struct(name = "sll2_header")]
pub struct Sll2Header {
    /// `sll2_protocol`: protocol (for netlink frames, the `NETLINK_*` family).
    pub sll2_protocol: U16<BE>,
    /// `sll2_reserved_mbz`: reserved, must be zero.
    pub sll2_reserved_mbz: U16<BE>,
    /// `sll2_if_index`: 1-based interface index.
    pub sll2_if_index: U32<BE>,
    /// `sll2_hatype`: `ARPHRD_*` of the interface.
    #[nl(enum = ArphrdType)]
    pub sll2_hatype: U16<BE>,
    /// `sll2_pkttype`: `PACKET_*`.
    #[nl(enum = PacketType)]
    pub sll2_pkttype: u8,
    /// `sll2_halen`: link-layer address length.
    pub sll2_halen: u8,
    /// `sll2_addr`: link-layer address (first `sll2_halen` bytes).
    pub sll2_addr: [u8; SLL_ADDRLEN],
}

/// The pseudo-header of one frame, by link type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkHeader<'a> {
    /// `LINKTYPE_NETLINK`.
    Nlmon(&'a NlmonHeader),
    /// `LINKTYPE_LINUX_SLL`.
    Sll(&'a SllHeader),
    /// `LINKTYPE_LINUX_SLL2`.
    Sll2(&'a Sll2Header),
}

impl LinkHeader<'_> {
    /// The hardware type (`ARPHRD_*`).
    pub fn hatype(&self) -> u16 {
        match self {
            LinkHeader::Nlmon(h) => h.hatype.get(),
            LinkHeader::Sll(h) => h.sll_hatype.get(),
            LinkHeader::Sll2(h) => h.sll2_hatype.get(),
        }
    }
    /// The protocol field: the netlink family for netlink frames.
    pub fn protocol(&self) -> u16 {
        match self {
            LinkHeader::Nlmon(h) => h.protocol.get(),
            LinkHeader::Sll(h) => h.sll_protocol.get(),
            LinkHeader::Sll2(h) => h.sll2_protocol.get(),
        }
    }
    /// The packet type (`PACKET_*`).
    pub fn pkttype(&self) -> u16 {
        match self {
            LinkHeader::Nlmon(h) => h.pkttype.get(),
            LinkHeader::Sll(h) => h.sll_pkttype.get(),
            LinkHeader::Sll2(h) => u16::from(h.sll2_pkttype),
        }
    }
    /// The header's size in bytes (where the netlink bytes start).
    pub const fn len(&self) -> usize {
        match self {
            LinkHeader::Nlmon(_) => NlmonHeader::SIZE,
            LinkHeader::Sll(_) => SllHeader::SIZE,
            LinkHeader::Sll2(_) => Sll2Header::SIZE,
        }
    }
    /// The header's bytes as the frame carries them ([`LinkHeader::len`]
    /// of them).
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            LinkHeader::Nlmon(h) => zerocopy::IntoBytes::as_bytes(*h),
            LinkHeader::Sll(h) => zerocopy::IntoBytes::as_bytes(*h),
            LinkHeader::Sll2(h) => zerocopy::IntoBytes::as_bytes(*h),
        }
    }
    /// Always `false`: a pseudo-header is never empty (for clippy's
    /// `len_without_is_empty`).
    pub const fn is_empty(&self) -> bool {
        false
    }
}

impl Walk for LinkHeader<'_> {
    /// The header as a group named by its kernel/libpcap name.
    fn walk(&self, v: &mut dyn Visitor) {
        match self {
            LinkHeader::Nlmon(h) => crate::wire::walk_struct(*h, v),
            LinkHeader::Sll(h) => crate::wire::walk_struct(*h, v),
            LinkHeader::Sll2(h) => crate::wire::walk_struct(*h, v),
        }
    }
}

/// One captured frame split into its pseudo-header and netlink bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame<'a> {
    /// The pseudo-header.
    pub header: LinkHeader<'a>,
    /// The netlink family (`NETLINK_*`) from the header's protocol field.
    pub family: u16,
    /// The netlink messages (in the capturing host's byte order).
    pub payload: &'a [u8],
}

/// Why a frame is not a netlink frame this module can split.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FrameError {
    /// The link type is not `LINKTYPE_NETLINK`, `LINUX_SLL` or `LINUX_SLL2`.
    LinkType(u32),
    /// A cooked header whose hardware type is not `ARPHRD_NETLINK`: the frame
    /// holds another protocol (for example Ethernet in a `tcpdump -i any`).
    NotNetlink {
        /// The header's `ARPHRD_*`.
        hatype: u16,
    },
    /// The frame is shorter than its pseudo-header.
    Short(Error),
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::LinkType(lt) => {
                write!(f, "link type {lt}")?;
                if let Some(n) = linktype_name(*lt) {
                    write!(f, " ({n})")?;
                }
                f.write_str(
                    " is not netlink (expected LINKTYPE_NETLINK 253, \
                     LINKTYPE_LINUX_SLL 113 or LINKTYPE_LINUX_SLL2 276)",
                )
            }
            FrameError::NotNetlink { hatype } => {
                write!(f, "hardware type {hatype}")?;
                if let Some(n) = ArphrdType::name_of(u64::from(*hatype)) {
                    write!(f, " ({n})")?;
                }
                f.write_str(" is not ARPHRD_NETLINK (824)")
            }
            FrameError::Short(e) => write!(f, "{e}"),
        }
    }
}

impl core::error::Error for FrameError {}

/// Whether frames of link type `linktype` can carry netlink messages.
pub const fn is_netlink_linktype(linktype: u32) -> bool {
    matches!(
        linktype,
        LINKTYPE_NETLINK | LINKTYPE_LINUX_SLL | LINKTYPE_LINUX_SLL2
    )
}

/// The `LINKTYPE_*` name of a few common link types, for messages.
pub const fn linktype_name(linktype: u32) -> Option<&'static str> {
    Some(match linktype {
        0 => "LINKTYPE_NULL",
        1 => "LINKTYPE_ETHERNET",
        101 => "LINKTYPE_RAW",
        113 => "LINKTYPE_LINUX_SLL",
        127 => "LINKTYPE_IEEE802_11_RADIOTAP",
        228 => "LINKTYPE_IPV4",
        229 => "LINKTYPE_IPV6",
        239 => "LINKTYPE_NFLOG",
        253 => "LINKTYPE_NETLINK",
        276 => "LINKTYPE_LINUX_SLL2",
        _ => return None,
    })
}

/// Split a captured frame of link type `linktype` into pseudo-header, netlink
/// family and netlink bytes. Never panics; the payload borrows from `bytes`.
pub fn parse_frame(linktype: u32, bytes: &[u8]) -> Result<Frame<'_>, FrameError> {
    let (header, payload) = match linktype {
        LINKTYPE_NETLINK => {
            let (h, rest) = NlmonHeader::parse(bytes).map_err(FrameError::Short)?;
            (LinkHeader::Nlmon(h), rest)
        }
        LINKTYPE_LINUX_SLL => {
            let (h, rest) = SllHeader::parse(bytes).map_err(FrameError::Short)?;
            (LinkHeader::Sll(h), rest)
        }
        LINKTYPE_LINUX_SLL2 => {
            let (h, rest) = Sll2Header::parse(bytes).map_err(FrameError::Short)?;
            (LinkHeader::Sll2(h), rest)
        }
        other => return Err(FrameError::LinkType(other)),
    };
    let hatype = header.hatype();
    if hatype != ARPHRD_NETLINK {
        return Err(FrameError::NotNetlink { hatype });
    }
    Ok(Frame {
        header,
        family: header.protocol(),
        payload,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::FieldMeta;

    fn layout<const N: usize>(fields: &[FieldMeta]) -> [(&str, usize, usize); N] {
        let mut out = [("", 0, 0); N];
        assert_eq!(fields.len(), N);
        for (o, f) in out.iter_mut().zip(fields) {
            *o = (f.name, f.offset, f.size);
        }
        out
    }

    /// `frame` = pseudo-header `h` followed by a 4-byte netlink stub.
    fn with_nl<const H: usize>(h: [u8; H]) -> ([u8; 24], usize) {
        let mut f = [0u8; 24];
        f[..H].copy_from_slice(&h);
        f[H..H + 4].copy_from_slice(&NL);
        (f, H + 4)
    }

    /// [`LinkHeader::as_bytes`] is the frame's first [`LinkHeader::len`]
    /// bytes, for each link type.
    #[test]
    fn a_header_s_bytes_are_the_frame_s_first_bytes() {
        for linktype in [LINKTYPE_NETLINK, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2] {
            let mut frame = [0u8; 24];
            for (i, b) in frame.iter_mut().enumerate() {
                *b = i as u8;
            }
            let at = if linktype == LINKTYPE_LINUX_SLL2 {
                8
            } else {
                2
            };
            frame[at..at + 2].copy_from_slice(&ARPHRD_NETLINK.to_be_bytes());
            let f = parse_frame(linktype, &frame).unwrap();
            assert_eq!(f.header.as_bytes(), &frame[..f.header.len()], "{linktype}");
        }
    }

    #[test]
    fn headers_have_libpcap_layout() {
        assert_eq!(NlmonHeader::SIZE, 16);
        assert_eq!(SllHeader::SIZE, 16);
        assert_eq!(Sll2Header::SIZE, 20);
        assert_eq!(
            layout(SllHeader::FIELDS),
            [
                ("sll_pkttype", 0, 2),
                ("sll_hatype", 2, 2),
                ("sll_halen", 4, 2),
                ("sll_addr", 6, 8),
                ("sll_protocol", 14, 2)
            ]
        );
        assert_eq!(
            layout(Sll2Header::FIELDS),
            [
                ("sll2_protocol", 0, 2),
                ("sll2_reserved_mbz", 2, 2),
                ("sll2_if_index", 4, 4),
                ("sll2_hatype", 8, 2),
                ("sll2_pkttype", 10, 1),
                ("sll2_halen", 11, 1),
                ("sll2_addr", 12, 8)
            ]
        );
        assert_eq!(
            layout(NlmonHeader::FIELDS),
            [
                ("pkttype", 0, 2),
                ("hatype", 2, 2),
                ("halen", 4, 2),
                ("addr", 6, 8),
                ("protocol", 14, 2)
            ]
        );
    }

    const NL: [u8; 4] = [0x14, 0, 0, 0];

    #[test]
    fn nlmon_frame_gives_family_and_payload() {
        let (f, n) = with_nl([0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]);
        let fr = parse_frame(LINKTYPE_NETLINK, &f[..n]).unwrap();
        assert_eq!(fr.family, 4);
        assert_eq!(fr.payload, &NL);
        assert_eq!(fr.header.pkttype(), 4);
        assert_eq!(fr.header.len(), 16);
        assert_eq!(PacketType::name_of(4), Some("PACKET_OUTGOING"));
    }

    #[test]
    fn sll_frame_gives_family() {
        let (f, n) = with_nl([0, 0, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16]);
        let fr = parse_frame(LINKTYPE_LINUX_SLL, &f[..n]).unwrap();
        assert_eq!(fr.family, 16);
        assert_eq!(fr.payload, &NL);
    }

    #[test]
    fn sll2_frame_gives_family() {
        let (f, n) = with_nl([
            0, 4, 0, 0, 0, 0, 0, 7, 0x03, 0x38, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ]);
        let fr = parse_frame(LINKTYPE_LINUX_SLL2, &f[..n]).unwrap();
        assert_eq!(fr.family, 4);
        assert_eq!(fr.header.pkttype(), 4);
        assert_eq!(fr.header.len(), 20);
        assert_eq!(fr.payload, &NL);
        match fr.header {
            LinkHeader::Sll2(h) => assert_eq!(h.sll2_if_index.get(), 7),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ethernet_in_sll_is_not_netlink() {
        let f = [0u8, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 8, 0, 0x45];
        assert_eq!(
            parse_frame(LINKTYPE_LINUX_SLL, &f),
            Err(FrameError::NotNetlink { hatype: 1 })
        );
    }

    #[test]
    fn other_link_types_are_refused() {
        assert_eq!(parse_frame(1, &[0; 64]), Err(FrameError::LinkType(1)));
        assert!(!is_netlink_linktype(1));
        assert!(is_netlink_linktype(276));
    }

    #[test]
    fn short_frame_is_an_error_not_a_panic() {
        let f = [0u8; 20];
        for n in 0..20 {
            assert!(matches!(
                parse_frame(LINKTYPE_LINUX_SLL2, &f[..n]),
                Err(FrameError::Short(_))
            ));
        }
    }
}
