//! netlink_diag (`<linux/netlink_diag.h>`), packet_diag
//! (`<linux/packet_diag.h>`), `struct mptcp_info` (`<linux/mptcp.h>`) and
//! `struct sctp_info` (`<linux/sctp.h>`) on byte arrays: each built by
//! emitting the declarations, parsed back strictly and leniently, plus
//! property round-trips for every new struct and attribute set.
#![cfg(target_endian = "little")]

mod sock_diag_util;

use nlwire::families::sock_diag::*;
use nlwire::family::NetlinkFamily;
use nlwire::netlink::{
    AttributeSet, Attrs, Builder, Message, Messages, NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST,
};
use nlwire::payload::{Array, Payload};
use nlwire::strategy::wire_struct;
use nlwire::wire::{WireStruct, U16, U32, U64};
use nlwire::{ErrorKind, Mode};
use proptest::prelude::*;
use sock_diag_util::*;
use zerocopy::{FromZeros, IntoBytes};

fn u32s(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_ne_bytes()).collect()
}

/// Build one whole message (`nlmsghdr` + payload) and return its bytes.
fn message(typ: u16, flags: u16, body: impl FnOnce(&mut Builder<Vec<u8>>)) -> Vec<u8> {
    let mut b = Builder::new_vec();
    b.message(typ, flags, 7, 4242, |b| {
        body(b);
        Ok(())
    })
    .unwrap();
    b.into_vec()
}

/// The payload of the single message in `bytes`, and its offset.
fn payload(bytes: &[u8]) -> (&[u8], usize) {
    let mut it = Messages::new(bytes);
    let m = it.next().unwrap().unwrap();
    assert!(it.next().is_none());
    (m.payload, m.payload_offset())
}

/// Parse `bytes` (a message payload) as `H` + `A` in `mode`, re-emit it and
/// check the bytes come back.
fn reparse<'a, H, A>(p: &'a [u8], base: usize, mode: Mode) -> Message<'a, H, A>
where
    H: WireStruct,
    A: AttributeSet<'a>,
{
    let m = Message::<H, A>::parse(p, base, mode).unwrap();
    let mut b = Builder::new_vec();
    m.emit(&mut b).unwrap();
    assert_eq!(b.into_vec(), p, "re-emitted {mode:?}");
    m
}

// ---- netlink_diag ----------------------------------------------------------

/// `struct netlink_diag_req` as `ss -A netlink` sends it: every protocol,
/// `NDIAG_SHOW_MEMINFO`.
const NL_REQ: [u8; 20] = [
    0x10, 0xff, 0x00, 0x00, // AF_NETLINK, NDIAG_PROTO_ALL, pad
    0x00, 0x00, 0x00, 0x00, // ndiag_ino
    0x0b, 0x00, 0x00, 0x00, // MEMINFO | GROUPS | FLAGS
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // cookie
];

#[test]
fn netlink_diag_req_emits_and_parses() {
    assert_eq!(NetlinkDiagReq::SIZE, 20);
    let r = NetlinkDiagReq::dump(
        NDIAG_PROTO_ALL,
        NDIAG_SHOW_MEMINFO | NDIAG_SHOW_GROUPS | NDIAG_SHOW_FLAGS,
    );
    let mut buf = [0xa5u8; 24];
    assert_eq!(r.emit(&mut buf).unwrap(), 20);
    assert_eq!(buf[..20], NL_REQ);
    assert_eq!(buf[20..], [0xa5; 4]);
    let (back, rest) = NetlinkDiagReq::parse(&buf).unwrap();
    assert_eq!(back, &r);
    assert_eq!(rest.len(), 4);
    let l = lines(back);
    assert_line(&l, "sdiag_family=AF_NETLINK");
    assert_line(&l, "sdiag_protocol=255");
    assert_line(
        &l,
        "ndiag_show=NDIAG_SHOW_MEMINFO|NDIAG_SHOW_GROUPS|NDIAG_SHOW_FLAGS",
    );
    // One protocol: the name is shown.
    let l = lines(&NetlinkDiagReq::dump(NetlinkFamily::Route.raw() as u8, 0));
    assert_line(&l, "sdiag_protocol=NETLINK_ROUTE");

    // As a whole request message: no attributes.
    let bytes = message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, |b| {
        NetlinkDiagRequest::write(b, &r, &[]).unwrap()
    });
    assert_eq!(bytes.len(), 36);
    let (p, base) = payload(&bytes);
    for mode in [Mode::Strict, Mode::Lenient] {
        let m = reparse::<NetlinkDiagReq, NetlinkDiagReqAttr>(p, base, mode);
        assert_eq!(m.header.ndiag_show.get(), 0x0b);
        assert_eq!(m.attrs().count(), 0);
    }
    // Anything after the header is unknown: strict refuses, lenient keeps.
    let mut p2 = p.to_vec();
    p2.extend(attr(1, &[0; 4]));
    let e = NetlinkDiagRequest::parse(&p2, 0, Mode::Strict).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unknown);
    let m = reparse::<NetlinkDiagReq, NetlinkDiagReqAttr>(&p2, 0, Mode::Lenient);
    assert!(matches!(
        m.attrs().next(),
        Some(Ok(NetlinkDiagReqAttr::Unknown(u))) if u.kind == 1
    ));
}

fn nl_msg() -> NetlinkDiagMsg {
    let mut m = NetlinkDiagMsg::new_zeroed();
    m.ndiag_family = AddressFamily::Netlink.raw();
    m.ndiag_type = SockType::Raw.raw();
    m.ndiag_protocol = NetlinkFamily::SockDiag.raw() as u8;
    m.ndiag_state = NetlinkState::Connected.raw();
    m.ndiag_portid = U32::new(0x1234_5678);
    m.ndiag_dst_portid = U32::new(0);
    m.ndiag_dst_group = U32::new(3);
    m.ndiag_ino = U32::new(987_654);
    m.ndiag_cookie = cookie_words(0x11_0000_0022);
    m
}

#[test]
fn netlink_diag_msg_layout_and_walk() {
    assert_eq!(NetlinkDiagMsg::SIZE, 28);
    let m = nl_msg();
    let b = m.as_bytes();
    assert_eq!(b[..4], [16, 3, 4, 1]);
    assert_eq!(b[4..8], 0x1234_5678u32.to_ne_bytes());
    assert_eq!(b[16..20], 987_654u32.to_ne_bytes());
    assert_eq!(b[20..28], [0x22, 0, 0, 0, 0x11, 0, 0, 0]);
    assert_eq!(m.protocol(), NetlinkFamily::SockDiag);
    assert_eq!(m.state(), NetlinkState::Connected);
    assert_eq!(m.cookie(), 0x11_0000_0022);
    let l = lines(&m);
    assert_line(&l, "ndiag_type=SOCK_RAW");
    assert_line(&l, "ndiag_protocol=NETLINK_SOCK_DIAG");
    assert_line(&l, "ndiag_state=NETLINK_CONNECTED");
    assert_line(&l, "ndiag_portid=305419896");
    assert_line(&l, "ndiag_cookie=73014444066");
}

#[test]
fn netlink_diag_response_every_attribute_strict_and_lenient() {
    let h = nl_msg();
    let mem = u32s(&[0, 212_992, 0, 212_992, 0, 0, 0, 0, 5]);
    // Groups 1, 3 and 33 (bit n-1): two unsigned longs on x86_64.
    let groups = [U32::new(0b101), U32::new(1), U32::new(0), U32::new(0)];
    let ring = NetlinkDiagRing {
        ndr_block_size: U32::new(4096),
        ndr_block_nr: U32::new(64),
        ndr_frame_size: U32::new(2048),
        ndr_frame_nr: U32::new(128),
    };
    let attrs = [
        NetlinkDiagAttr::Meminfo(SkMeminfoView::new(&mem)),
        NetlinkDiagAttr::Groups(Array(&groups)),
        NetlinkDiagAttr::RxRing(&ring),
        NetlinkDiagAttr::TxRing(&ring),
        NetlinkDiagAttr::Flags(NdiagFlags::new(NDIAG_FLAG_CB_RUNNING | NDIAG_FLAG_CAP_ACK)),
    ];
    let bytes = message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, |b| {
        NetlinkDiagResponse::write(b, &h, &attrs).unwrap()
    });
    // 16 + 28 + (4+36) + (4+16) + 2*(4+16) + (4+4)
    assert_eq!(bytes.len(), 16 + 28 + 40 + 20 + 40 + 8);
    let (p, base) = payload(&bytes);
    // MEMINFO is kind 0.
    assert_eq!(p[28..32], [40, 0, 0, 0]);
    for mode in [Mode::Strict, Mode::Lenient] {
        let m = reparse::<NetlinkDiagMsg, NetlinkDiagAttr>(p, base, mode);
        assert_eq!(m.header, &h);
        let got: Vec<_> = m.attrs().map(Result::unwrap).collect();
        assert_eq!(got, attrs);
        let NetlinkDiagAttr::Groups(Array(g)) = got[1] else {
            panic!()
        };
        assert_eq!(netlink_groups(g).collect::<Vec<_>>(), [1, 3, 33]);
        let NetlinkDiagAttr::Flags(f) = got[4] else {
            panic!()
        };
        assert!(f.contains(u64::from(NDIAG_FLAG_CAP_ACK)));
        let l = lines(&m);
        assert_line(&l, "netlink_diag_msg.ndiag_ino=987654");
        assert_line(&l, "NETLINK_DIAG_MEMINFO.SK_MEMINFO_DROPS=5");
        assert_line(&l, "NETLINK_DIAG_GROUPS.0=5");
        assert_line(&l, "NETLINK_DIAG_RX_RING.ndr_frame_nr=128");
        assert_line(
            &l,
            "NETLINK_DIAG_FLAGS=NDIAG_FLAG_CB_RUNNING|NDIAG_FLAG_CAP_ACK",
        );
    }
    assert_eq!(NetlinkDiagAttr::Flags(NdiagFlags::new(0)).kind(), 4);
    assert_eq!(NetlinkDiagAttr::KINDS.len(), 5);
}

#[test]
fn netlink_diag_malformed_attributes_strict_vs_lenient() {
    // FLAGS of 3 bytes: too short in both modes.
    let b = attr(NETLINK_DIAG_FLAGS, &[1, 0, 0]);
    for mode in [Mode::Strict, Mode::Lenient] {
        let e = Attrs::<NetlinkDiagAttr>::with(&b, 0, mode)
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Short, "{mode:?}");
    }
    // FLAGS of 8 bytes: strict refuses the extra, lenient reads the u32.
    let b = attr(NETLINK_DIAG_FLAGS, &u32s(&[8, 9]));
    assert!(Attrs::<NetlinkDiagAttr>::with(&b, 0, Mode::Strict)
        .next()
        .unwrap()
        .is_err());
    assert_eq!(
        Attrs::<NetlinkDiagAttr>::with(&b, 0, Mode::Lenient)
            .next()
            .unwrap()
            .unwrap(),
        NetlinkDiagAttr::Flags(NdiagFlags::new(NDIAG_FLAG_NO_ENOBUFS))
    );
    // GROUPS of 6 bytes: strict Trailing, lenient one word.
    let b = attr(NETLINK_DIAG_GROUPS, &[1, 0, 0, 0, 2, 0]);
    let e = Attrs::<NetlinkDiagAttr>::with(&b, 0, Mode::Strict)
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Trailing);
    let Ok(NetlinkDiagAttr::Groups(Array(g))) =
        Attrs::<NetlinkDiagAttr>::with(&b, 0, Mode::Lenient)
            .next()
            .unwrap()
    else {
        panic!()
    };
    assert_eq!(g.len(), 1);
    // A ring of the wrong size; an unknown kind.
    let b = attr(NETLINK_DIAG_RX_RING, &[0; 12]);
    for mode in [Mode::Strict, Mode::Lenient] {
        assert!(Attrs::<NetlinkDiagAttr>::with(&b, 0, mode)
            .next()
            .unwrap()
            .is_err());
    }
    let b = attr(9, &[1, 2]);
    assert_eq!(
        Attrs::<NetlinkDiagAttr>::with(&b, 0, Mode::Strict)
            .next()
            .unwrap()
            .unwrap_err()
            .kind,
        ErrorKind::Unknown
    );
    assert_eq!(reemit::<NetlinkDiagAttr>(&b, Mode::Lenient).unwrap(), b);
    // A header cut short.
    let e = NetlinkDiagResponse::parse(&nl_msg().as_bytes()[..27], 0, Mode::Lenient).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Short);
}

// ---- packet_diag -----------------------------------------------------------

/// `struct packet_diag_req` as `ss -0` sends it.
const PK_REQ: [u8; 20] = [
    0x11, 0x00, 0x00, 0x00, // AF_PACKET, protocol 0, pad
    0x00, 0x00, 0x00, 0x00, // pdiag_ino
    0x3f, 0x00, 0x00, 0x00, // every PACKET_SHOW_* bit
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // cookie
];

const PK_SHOW_ALL: u32 = PACKET_SHOW_INFO
    | PACKET_SHOW_MCLIST
    | PACKET_SHOW_RING_CFG
    | PACKET_SHOW_FANOUT
    | PACKET_SHOW_MEMINFO
    | PACKET_SHOW_FILTER;

#[test]
fn packet_diag_req_emits_and_parses() {
    assert_eq!(PacketDiagReq::SIZE, 20);
    let r = PacketDiagReq::dump(PK_SHOW_ALL);
    let mut buf = [0xa5u8; 22];
    assert_eq!(r.emit(&mut buf).unwrap(), 20);
    assert_eq!(buf[..20], PK_REQ);
    assert_eq!(buf[20..], [0xa5; 2]);
    let (back, _) = PacketDiagReq::parse(&buf).unwrap();
    assert_eq!(back, &r);
    let l = lines(back);
    assert_line(&l, "sdiag_family=AF_PACKET");
    assert_line(&l, "pdiag_show=PACKET_SHOW_INFO|PACKET_SHOW_MCLIST|PACKET_SHOW_RING_CFG|PACKET_SHOW_FANOUT|PACKET_SHOW_MEMINFO|PACKET_SHOW_FILTER");
    let bytes = message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, |b| {
        PacketDiagRequest::write(b, &r, &[]).unwrap()
    });
    let (p, base) = payload(&bytes);
    for mode in [Mode::Strict, Mode::Lenient] {
        let m = reparse::<PacketDiagReq, PacketDiagReqAttr>(p, base, mode);
        assert_eq!(m.header, &r);
    }
}

fn pk_msg() -> PacketDiagMsg {
    PacketDiagMsg {
        pdiag_family: AddressFamily::Packet.raw(),
        pdiag_type: SockType::Raw.raw(),
        pdiag_num: U16::new(0x0003), // ETH_P_ALL, host order
        pdiag_ino: U32::new(4_000_000_001),
        pdiag_cookie: cookie_words(99),
    }
}

#[test]
fn packet_diag_response_every_attribute_strict_and_lenient() {
    let h = pk_msg();
    assert_eq!(PacketDiagMsg::SIZE, 16);
    assert_eq!(h.as_bytes()[..4], [17, 3, 3, 0]);
    let info = PacketDiagInfo {
        pdi_index: U32::new(2),
        pdi_version: U32::new(TpacketVersion::V3.raw()),
        pdi_reserve: U32::new(0),
        pdi_copy_thresh: U32::new(0),
        pdi_tstamp: U32::new(0),
        pdi_flags: U32::new(PDI_RUNNING | PDI_AUXDATA),
    };
    let mut mc = [
        PacketDiagMclist::new_zeroed(),
        PacketDiagMclist::new_zeroed(),
    ];
    mc[0].pdmc_index = U32::new(2);
    mc[0].pdmc_count = U32::new(1);
    mc[0].pdmc_type = U16::new(PacketMrType::Multicast.raw());
    mc[0].pdmc_alen = U16::new(6);
    mc[0].pdmc_addr[..6].copy_from_slice(&[0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb]);
    mc[1].pdmc_index = U32::new(2);
    mc[1].pdmc_count = U32::new(2);
    mc[1].pdmc_type = U16::new(PacketMrType::Promisc.raw());
    let ring = PacketDiagRing {
        pdr_block_size: U32::new(1 << 16),
        pdr_block_nr: U32::new(8),
        pdr_frame_size: U32::new(2048),
        pdr_frame_nr: U32::new(256),
        pdr_retire_tmo: U32::new(60),
        pdr_sizeof_priv: U32::new(0),
        pdr_features: U32::new(TP_FT_REQ_FILL_RXHASH),
    };
    // `ret #65535`, then `ret #0`.
    let filter = [
        SockFilter {
            code: U16::new(0x06),
            jt: 0,
            jf: 0,
            k: U32::new(0xffff),
        },
        SockFilter {
            code: U16::new(0x06),
            jt: 1,
            jf: 2,
            k: U32::new(0),
        },
    ];
    let mem = u32s(&[0, 212_992, 0, 212_992, 0, 0, 0, 0, 0]);
    let attrs = [
        PacketDiagAttr::Info(&info),
        PacketDiagAttr::Mclist(Array(&mc)),
        PacketDiagAttr::RxRing(&ring),
        PacketDiagAttr::TxRing(&ring),
        PacketDiagAttr::Fanout(7 | (1 << 16)),
        PacketDiagAttr::Uid(1000),
        PacketDiagAttr::Meminfo(SkMeminfoView::new(&mem)),
        PacketDiagAttr::Filter(Array(&filter)),
    ];
    let bytes = message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, |b| {
        PacketDiagResponse::write(b, &h, &attrs).unwrap()
    });
    assert_eq!(
        bytes.len(),
        16 + 16 + (4 + 24) + (4 + 88) + 2 * (4 + 28) + 8 + 8 + (4 + 36) + (4 + 16)
    );
    let (p, base) = payload(&bytes);
    // PACKET_DIAG_INFO is kind 0, right after the 16-byte header.
    assert_eq!(p[16..20], [28, 0, 0, 0]);
    for mode in [Mode::Strict, Mode::Lenient] {
        let m = reparse::<PacketDiagMsg, PacketDiagAttr>(p, base, mode);
        assert_eq!(m.header, &h);
        assert_eq!(m.header.sock_type(), SockType::Raw);
        assert_eq!(m.header.cookie(), 99);
        let got: Vec<_> = m.attrs().map(Result::unwrap).collect();
        assert_eq!(got, attrs);
        let PacketDiagAttr::Mclist(Array(l)) = got[1] else {
            panic!()
        };
        assert_eq!(l[0].addr(), [0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb]);
        assert!(l[1].addr().is_empty());
        let l = lines(&m);
        assert_line(&l, "packet_diag_msg.pdiag_num=3");
        assert_line(&l, "packet_diag_msg.pdiag_type=SOCK_RAW");
        assert_line(&l, "PACKET_DIAG_INFO.pdi_version=TPACKET_V3");
        assert_line(&l, "PACKET_DIAG_INFO.pdi_flags=PDI_RUNNING|PDI_AUXDATA");
        assert_line(&l, "PACKET_DIAG_MCLIST.0.pdmc_type=PACKET_MR_MULTICAST");
        assert_line(&l, "PACKET_DIAG_MCLIST.1.pdmc_type=PACKET_MR_PROMISC");
        assert_line(&l, "PACKET_DIAG_MCLIST.1.pdmc_count=2");
        assert_line(&l, "PACKET_DIAG_RX_RING.pdr_features=TP_FT_REQ_FILL_RXHASH");
        assert_line(&l, "PACKET_DIAG_FANOUT=65543");
        assert_line(&l, "PACKET_DIAG_UID=1000");
        assert_line(&l, "PACKET_DIAG_FILTER.0.k=65535");
        assert_line(&l, "PACKET_DIAG_FILTER.1.jf=2");
    }
}

#[test]
fn packet_diag_malformed_attributes_strict_vs_lenient() {
    // An MCLIST of one element and one stray byte.
    let b = attr(PACKET_DIAG_MCLIST, &[0; 45]);
    let e = Attrs::<PacketDiagAttr>::with(&b, 0, Mode::Strict)
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Trailing);
    let Ok(PacketDiagAttr::Mclist(Array(l))) = Attrs::<PacketDiagAttr>::with(&b, 0, Mode::Lenient)
        .next()
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(l.len(), 1);
    // An empty MCLIST (no memberships) is valid.
    let b = attr(PACKET_DIAG_MCLIST, &[]);
    assert!(matches!(
        Attrs::<PacketDiagAttr>::with(&b, 0, Mode::Strict).next(),
        Some(Ok(PacketDiagAttr::Mclist(Array(l)))) if l.is_empty()
    ));
    // A FILTER that is not whole instructions.
    let b = attr(PACKET_DIAG_FILTER, &[0; 12]);
    assert!(Attrs::<PacketDiagAttr>::with(&b, 0, Mode::Strict)
        .next()
        .unwrap()
        .is_err());
    // INFO too short in both modes, too long only in strict.
    for (n, strict_ok, lenient_ok) in [(20, false, false), (28, false, true)] {
        let b = attr(PACKET_DIAG_INFO, &vec![0; n]);
        let s = Attrs::<PacketDiagAttr>::with(&b, 0, Mode::Strict)
            .next()
            .unwrap();
        let l = Attrs::<PacketDiagAttr>::with(&b, 0, Mode::Lenient)
            .next()
            .unwrap();
        assert_eq!((s.is_ok(), l.is_ok()), (strict_ok, lenient_ok), "{n}");
    }
    // A MEMINFO of any length is read as far as it goes.
    let b = attr(PACKET_DIAG_MEMINFO, &u32s(&[1, 2]));
    let Ok(PacketDiagAttr::Meminfo(m)) = Attrs::<PacketDiagAttr>::with(&b, 0, Mode::Strict)
        .next()
        .unwrap()
    else {
        panic!()
    };
    assert_eq!((m.rcvbuf(), m.drops()), (Some(2), None));
}

// ---- mptcp_info ------------------------------------------------------------

fn mptcp_full() -> MptcpInfo {
    let mut i = MptcpInfo::new_zeroed();
    i.mptcpi_subflows = 1;
    i.mptcpi_add_addr_accepted_max = 8;
    i.mptcpi_flags = U32::new(MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED);
    i.mptcpi_token = U32::new(0xdead_beef);
    i.mptcpi_write_seq = U64::new(1 << 40);
    i.mptcpi_rcv_nxt = U64::new(77);
    i.mptcpi_csum_enabled = 1;
    i.mptcpi_retransmits = U32::new(3);
    i.mptcpi_bytes_acked = U64::new(123_456);
    i.mptcpi_subflows_total = 2;
    i.mptcpi_endp_laminar_max = 4;
    i.mptcpi_last_ack_recv = U32::new(250);
    i
}

#[test]
fn mptcp_info_layout_is_the_6_18_one() {
    assert_eq!(MptcpInfo::SIZE, 96);
    let off = |n: &str| MptcpInfo::field(n).unwrap().offset;
    assert_eq!(off("__hole1"), 6);
    assert_eq!(off("mptcpi_flags"), 8);
    assert_eq!(off("mptcpi_write_seq"), 16);
    assert_eq!(off("mptcpi_csum_enabled"), 42);
    assert_eq!(off("__hole2"), 43);
    assert_eq!(off("mptcpi_retransmits"), 44);
    assert_eq!(off("mptcpi_subflows_total"), 80);
    assert_eq!(off("reserved"), 82);
    assert_eq!(off("mptcpi_last_ack_recv"), 92);
}

#[test]
fn mptcp_info_every_kernel_length() {
    let full = mptcp_full();
    let bytes = full.as_bytes();
    // 40: the first layout; 48: 6.1 headers; 80/88: the byte counters,
    // subflows_total; 96: 6.18; 100: a newer kernel's tail.
    let mut long = bytes.to_vec();
    long.extend([1, 2, 3, 4]);
    for n in [40usize, 48, 80, 88, 96, 100] {
        let b = &long[..n];
        for mode in [Mode::Strict, Mode::Lenient] {
            let v = MptcpInfoView::parse(b, mode).unwrap();
            assert_eq!(v.len(), n);
            assert_eq!(v.mptcpi_token(), Some(0xdead_beef));
            assert_eq!(v.mptcpi_rcv_nxt(), Some(77));
            assert_eq!(v.mptcpi_csum_enabled().is_some(), n >= 48);
            assert_eq!(v.mptcpi_bytes_acked(), (n >= 80).then_some(123_456));
            assert_eq!(v.mptcpi_subflows_total(), (n >= 88).then_some(2));
            assert_eq!(v.mptcpi_endp_laminar_max(), (n >= 88).then_some(4));
            assert_eq!(v.mptcpi_last_ack_recv(), (n >= 96).then_some(250));
            assert_eq!(v.extra(), &long[96.min(n)..n]);
            let mut out = vec![0xa5u8; n];
            v.write(&mut out);
            assert_eq!(out, b);
            let f = v.to_full();
            assert_eq!(&f.as_bytes()[..n.min(96)], &b[..n.min(96)]);
        }
        let l = lines(&MptcpInfoView::new(b));
        assert_line(&l, "mptcpi_flags=MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED");
        assert_line(&l, "mptcpi_token=3735928559");
        assert_eq!(has(&l, "mptcpi_last_ack_recv=250"), n >= 96);
        assert_eq!(has(&l, "extra=0x01020304"), n == 100);
    }
    // A truncated first field set: accessors past the end are None.
    let v = MptcpInfoView::new(&bytes[..10]);
    assert_eq!(v.mptcpi_subflows(), Some(1));
    assert_eq!(v.mptcpi_flags(), None);
}

// ---- sctp_info and the SCTP address lists ----------------------------------

fn sockaddr_in6(port: u16, addr: [u8; 16], scope: u32) -> KernelSockaddrStorage {
    let mut s = KernelSockaddrStorage::new_zeroed();
    s.ss_family = U16::new(10);
    s.data[..2].copy_from_slice(&port.to_be_bytes());
    s.data[6..22].copy_from_slice(&addr);
    s.data[22..26].copy_from_slice(&scope.to_ne_bytes());
    s
}

fn sockaddr_in(port: u16, addr: [u8; 4]) -> KernelSockaddrStorage {
    let mut s = KernelSockaddrStorage::new_zeroed();
    s.ss_family = U16::new(2);
    s.data[..2].copy_from_slice(&port.to_be_bytes());
    s.data[2..6].copy_from_slice(&addr);
    s
}

#[test]
fn sctp_info_layout_and_view() {
    assert_eq!(SctpInfo::SIZE, 368);
    let off = |n: &str| SctpInfo::field(n).unwrap().offset;
    assert_eq!(off("sctpi_isacks"), 56);
    assert_eq!(off("sctpi_p_address"), 168);
    assert_eq!(off("sctpi_p_state"), 296);
    assert_eq!(off("sctpi_s_autoclose"), 344);
    assert_eq!(off("__reserved3"), 364);

    let mut i = SctpInfo::new_zeroed();
    i.sctpi_tag = U32::new(0x0102_0304);
    i.sctpi_state = U32::new(SctpState::Established.raw());
    i.sctpi_instrms = U16::new(10);
    i.sctpi_outstrms = U16::new(10);
    i.sctpi_opackets = U64::new(5);
    let mut lo = [0u8; 16];
    lo[15] = 1;
    i.sctpi_p_address = sockaddr_in6(9999, lo, 0);
    i.sctpi_p_state = zerocopy::byteorder::I32::new(SctpSpinfoState::Active.raw() as i32);
    i.sctpi_p_srtt = U32::new(12);
    i.sctpi_s_type = U32::new(2);
    let b = i.as_bytes();
    assert_eq!(b[168..170], 10u16.to_ne_bytes());
    for mode in [Mode::Strict, Mode::Lenient] {
        let v = SctpInfoView::parse(b, mode).unwrap();
        assert_eq!(v.sctpi_state(), Some(3));
        assert_eq!(v.sctpi_p_srtt(), Some(12));
        assert_eq!(
            v.sctpi_p_address().unwrap().socket_addr(),
            Some("[::1]:9999".parse().unwrap())
        );
        assert_eq!(v.to_full(), i);
        assert!(v.extra().is_empty());
    }
    let l = lines(&SctpInfoView::new(b));
    assert_line(&l, "sctpi_state=SCTP_STATE_ESTABLISHED");
    assert_line(&l, "sctpi_p_state=SCTP_ACTIVE");
    assert_line(&l, "sctpi_p_address.sin6_port=9999");
    assert_line(&l, "sctpi_p_address.sin6_addr=::1");
    assert_line(&l, "__reserved1=0");
    // A short payload: the primary-path fields are absent.
    let v = SctpInfoView::new(&b[..200]);
    assert_eq!(v.sctpi_opackets(), Some(5));
    assert_eq!(v.sctpi_p_address(), None);
    assert_eq!(v.sctpi_s_type(), None);
}

#[test]
fn sctp_locals_and_peers_are_sockaddr_storage_arrays() {
    let addrs = [
        sockaddr_in(5000, [127, 0, 0, 1]),
        sockaddr_in6(
            5000,
            [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
            2,
        ),
    ];
    let locals: SctpAddrs = Array(&addrs);
    let mut b = Builder::new_vec();
    b.attr(INET_DIAG_LOCALS, &locals).unwrap();
    b.attr(INET_DIAG_PEERS, &Array(&addrs[..1])).unwrap();
    let bytes = b.into_vec();
    assert_eq!(bytes.len(), 4 + 256 + 4 + 128);
    for mode in [Mode::Strict, Mode::Lenient] {
        let got: Vec<_> = Attrs::<InetDiagAttr>::with(&bytes, 0, mode)
            .map(Result::unwrap)
            .collect();
        // The inet set's LOCALS/PEERS variants carry exactly this type.
        let (InetDiagAttr::Locals(l), InetDiagAttr::Peers(p)) = (got[0], got[1]) else {
            panic!("{got:?}")
        };
        let (l, p): (SctpAddrs, SctpAddrs) = (l, p);
        assert_eq!(l.0.len(), 2);
        assert_eq!(p.0.len(), 1);
        assert_eq!(
            l.0[0].socket_addr(),
            Some("127.0.0.1:5000".parse().unwrap())
        );
        assert_eq!(
            l.0[1].socket_addr(),
            Some("[fe80::1%2]:5000".parse().unwrap())
        );
        assert_eq!(reemit::<InetDiagAttr>(&bytes, mode).unwrap(), bytes);
    }
    // A slot cut short: strict refuses, lenient keeps the whole slots.
    let b = attr(INET_DIAG_LOCALS, &[addrs[0].as_bytes(), &[0; 10]].concat());
    assert_eq!(
        SctpAddrs::parse(&b[4..], Mode::Strict).unwrap_err().kind,
        ErrorKind::Trailing
    );
    assert_eq!(SctpAddrs::parse(&b[4..], Mode::Lenient).unwrap().0.len(), 1);
}

// ---- property round-trips ---------------------------------------------------

fn struct_roundtrip<W: WireStruct + std::fmt::Debug + PartialEq>(
    w: &W,
) -> Result<(), TestCaseError> {
    let mut buf = vec![0xa5u8; W::SIZE + 3];
    prop_assert_eq!(w.emit(&mut buf).unwrap(), W::SIZE);
    prop_assert_eq!(&buf[W::SIZE..], &[0xa5; 3]);
    let (back, rest) = W::parse(&buf).unwrap();
    prop_assert_eq!(back, w);
    prop_assert_eq!(rest.len(), 3);
    prop_assert_eq!(W::parse_exact(&buf[..W::SIZE], Mode::Strict).unwrap(), w);
    let _ = lines(w);
    Ok(())
}

macro_rules! struct_props {
    ($($name:ident: $t:ty),* $(,)?) => {
        proptest! {
            $(
                #[test]
                fn $name(w in wire_struct::<$t>()) {
                    struct_roundtrip(&w)?;
                }
            )*
        }
    };
}

struct_props! {
    prop_netlink_diag_req: NetlinkDiagReq,
    prop_netlink_diag_msg: NetlinkDiagMsg,
    prop_netlink_diag_ring: NetlinkDiagRing,
    prop_packet_diag_req: PacketDiagReq,
    prop_packet_diag_msg: PacketDiagMsg,
    prop_packet_diag_info: PacketDiagInfo,
    prop_packet_diag_mclist: PacketDiagMclist,
    prop_packet_diag_ring: PacketDiagRing,
    prop_sock_filter: SockFilter,
    prop_mptcp_info: MptcpInfo,
    prop_sctp_info: SctpInfo,
}

fn netlink_elem(kind: u16) -> Option<usize> {
    (kind == NETLINK_DIAG_GROUPS).then_some(4)
}

fn packet_elem(kind: u16) -> Option<usize> {
    match kind {
        PACKET_DIAG_MCLIST => Some(PacketDiagMclist::SIZE),
        PACKET_DIAG_FILTER => Some(SockFilter::SIZE),
        _ => None,
    }
}

fn bytes_roundtrip<'a, A: AttributeSet<'a>>(bytes: &'a [u8]) -> Result<(), TestCaseError> {
    let again =
        reemit::<A>(bytes, Mode::Lenient).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(again, bytes);
    Ok(())
}

proptest! {
    #[test]
    fn prop_netlink_diag_attrs(b in canonical_attrs::<NetlinkDiagAttr<'static>>(8, netlink_elem, no_nests)) {
        bytes_roundtrip::<NetlinkDiagAttr>(&b)?;
    }

    #[test]
    fn prop_packet_diag_attrs(b in canonical_attrs::<PacketDiagAttr<'static>>(10, packet_elem, no_nests)) {
        bytes_roundtrip::<PacketDiagAttr>(&b)?;
    }

    #[test]
    fn prop_netlink_and_packet_req_attrs(
        a in canonical_attrs::<NetlinkDiagReqAttr<'static>>(3, no_arrays, no_nests),
        b in canonical_attrs::<PacketDiagReqAttr<'static>>(3, no_arrays, no_nests),
    ) {
        bytes_roundtrip::<NetlinkDiagReqAttr>(&a)?;
        bytes_roundtrip::<PacketDiagReqAttr>(&b)?;
    }

    /// Extensible payloads: any length, bytes kept exactly.
    #[test]
    fn prop_mptcp_and_sctp_views(b in proptest::collection::vec(any::<u8>(), 0..400)) {
        let m = MptcpInfoView::new(&b);
        let mut out = vec![0xa5u8; b.len()];
        m.write(&mut out);
        prop_assert_eq!(&out, &b);
        let n = b.len().min(MptcpInfo::SIZE);
        let full = m.to_full();
        prop_assert_eq!(&full.as_bytes()[..n], &b[..n]);
        prop_assert_eq!(m.extra(), &b[n..]);
        prop_assert_eq!(m.mptcpi_last_ack_recv().is_some(), b.len() >= 96);
        let _ = lines(&m);
        let s = SctpInfoView::new(&b);
        let n = b.len().min(SctpInfo::SIZE);
        let full = s.to_full();
        prop_assert_eq!(&full.as_bytes()[..n], &b[..n]);
        prop_assert_eq!(s.extra(), &b[n..]);
        prop_assert_eq!(s.sctpi_p_address().is_some(), b.len() >= 296);
        let _ = lines(&s);
    }
}
