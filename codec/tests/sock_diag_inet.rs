//! inet_diag on byte arrays: every structure and attribute of
//! `<linux/inet_diag.h>` parsed from hand-written kernel-layout bytes,
//! emitted into 0xa5-filled buffers, and decoded through the dispatcher.
#![cfg(target_endian = "little")]

mod sock_diag_util;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use nlwire::families::sock_diag::*;
use nlwire::netlink::{
    AttributeSet, Attrs, Builder, Messages, NlMsgHdr, Unselected, NLM_F_DUMP, NLM_F_MULTI,
    NLM_F_REQUEST,
};
use nlwire::payload::{Array, Bytes, NulStr};
use nlwire::wire::WireStruct;
use nlwire::{ErrorKind, Mode};
use sock_diag_util::*;

fn u32s(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_ne_bytes()).collect()
}

/// `struct inet_diag_msg` of an established IPv4 socket
/// 192.168.1.2:8080 -> 10.0.0.1:4002, keepalive timer.
const MSG_V4: [u8; 72] = [
    0x02, 0x01, 0x02, 0x00, // AF_INET, TCP_ESTABLISHED, timer 2, retrans 0
    0x1f, 0x90, 0x0f, 0xa2, // sport 8080, dport 4002 (network order)
    0xc0, 0xa8, 0x01, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // src
    0x0a, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // dst
    0x03, 0x00, 0x00, 0x00, // idiag_if 3
    0x44, 0x33, 0x22, 0x11, 0x88, 0x77, 0x66, 0x55, // cookie
    0x10, 0x27, 0x00, 0x00, // expires 10000
    0x05, 0x00, 0x00, 0x00, // rqueue
    0x06, 0x00, 0x00, 0x00, // wqueue
    0xe8, 0x03, 0x00, 0x00, // uid 1000
    0x39, 0x30, 0x00, 0x00, // inode 12345
];

#[test]
fn inet_diag_msg_fields_from_bytes() {
    let (m, rest) = InetDiagMsg::parse(&MSG_V4).unwrap();
    assert!(rest.is_empty());
    assert_eq!(m.family(), AddressFamily::Inet);
    assert_eq!(m.state(), TcpState::Established);
    assert_eq!(m.timer(), InetDiagTimer::Keepalive);
    assert_eq!(m.id.sport(), 8080);
    assert_eq!(m.id.dport(), 4002);
    assert_eq!(m.id.src_v4(), Ipv4Addr::new(192, 168, 1, 2));
    assert_eq!(m.id.dst_v4(), Ipv4Addr::new(10, 0, 0, 1));
    assert_eq!(m.id.ifindex(), 3);
    assert_eq!(m.id.cookie(), 0x5566_7788_1122_3344);
    assert_eq!(m.idiag_expires.get(), 10000);
    assert_eq!(m.idiag_rqueue.get(), 5);
    assert_eq!(m.idiag_wqueue.get(), 6);
    assert_eq!(m.idiag_uid.get(), 1000);
    assert_eq!(m.idiag_inode.get(), 12345);
    assert_eq!(m.local(), Some("192.168.1.2:8080".parse().unwrap()));
    assert_eq!(m.remote(), Some("10.0.0.1:4002".parse().unwrap()));

    let mut buf = [0xa5u8; 80];
    assert_eq!(m.emit(&mut buf).unwrap(), 72);
    assert_eq!(buf[..72], MSG_V4);
    assert_eq!(buf[72..], [0xa5; 8]);
    assert_eq!(
        m.emit(&mut buf[..71]).unwrap_err().kind,
        ErrorKind::BufferTooSmall
    );
    assert_eq!(
        InetDiagMsg::parse(&MSG_V4[..71]).unwrap_err().kind,
        ErrorKind::Short
    );
}

#[test]
fn inet_diag_msg_walks_with_kernel_names_and_ip_values() {
    let (m, _) = InetDiagMsg::parse(&MSG_V4).unwrap();
    let l = lines(m);
    for want in [
        "idiag_family=AF_INET",
        "idiag_state=TCP_ESTABLISHED",
        "idiag_timer=keepalive",
        "idiag_retrans=0",
        "id.idiag_sport=8080",
        "id.idiag_dport=4002",
        "id.idiag_src=192.168.1.2",
        "id.idiag_dst=10.0.0.1",
        "id.idiag_if=3",
        "id.idiag_cookie=6153737367135073092",
        "idiag_expires=10000",
        "idiag_inode=12345",
    ] {
        assert_line(&l, want);
    }
}

#[test]
fn sockid_ipv6_and_unknown_family() {
    let mut id = InetDiagSockId::new(
        "[2001:db8::1]:443".parse().unwrap(),
        "[fe80::2]:51000".parse().unwrap(),
        2,
        7,
    );
    let bytes: Vec<u8> = zerocopy::IntoBytes::as_bytes(&id).to_vec();
    assert_eq!(bytes[0..4], [0x01, 0xbb, 0xc7, 0x38]);
    assert_eq!(bytes[4..8], [0x20, 0x01, 0x0d, 0xb8]);
    assert_eq!(bytes[19], 0x01);
    assert_eq!(bytes[20..22], [0xfe, 0x80]);
    assert_eq!(bytes[40..48], [7, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        id.src(AddressFamily::Inet6.raw()),
        Some("2001:db8::1".parse().unwrap())
    );
    assert_eq!(id.dst_v6(), "fe80::2".parse::<Ipv6Addr>().unwrap());
    assert_eq!(id.src(AddressFamily::Unix.raw()), None);
    // A v4 address lives in the first word, the rest is zeroed.
    id.set_src(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1)));
    let bytes: Vec<u8> = zerocopy::IntoBytes::as_bytes(&id).to_vec();
    assert_eq!(
        bytes[4..20],
        [127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    );
    let mut r = Recorder::default();
    id.walk_in(AddressFamily::Inet.raw(), &mut r);
    assert_line(&r.lines, "idiag_src=127.0.0.1");
    // AF_INET but junk in the unused words (old kernels): the first word
    // as IPv4, as `ss` reads it, and the other words beside it, not hidden.
    let mut r = Recorder::default();
    id.walk_in(AddressFamily::Inet.raw(), &mut r);
    assert_line(&r.lines, "idiag_dst=254.128.0.0");
    assert_line(&r.lines, "idiag_dst_extra=0x000000000000000000000002");
    assert!(!r.lines.iter().any(|l| l.starts_with("idiag_src_extra")));
    // Unknown family: bytes.
    let mut r = Recorder::default();
    id.walk_in(99, &mut r);
    assert_line(&r.lines, "idiag_src=0x7f000001000000000000000000000000");
}

/// `struct inet_diag_req_v2`: AF_INET6 UDP, all ext bits, listen+close.
const REQ_V2: [u8; 56] = [
    0x0a, 0x11, 0xff, 0x00, // AF_INET6, IPPROTO_UDP, idiag_ext, pad
    0x80, 0x04, 0x00, 0x00, // states: TCPF_CLOSE | TCPF_LISTEN
    0x00, 0x35, 0x00, 0x00, // sport 53, dport 0
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, // src ::1
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // dst ::
    0x00, 0x00, 0x00, 0x00, // if
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // INET_DIAG_NOCOOKIE
];

#[test]
fn inet_diag_req_v2_from_bytes() {
    let (r, _) = InetDiagReqV2::parse(&REQ_V2).unwrap();
    assert_eq!(AddressFamily::from(r.sdiag_family), AddressFamily::Inet6);
    assert_eq!(IpProto::from(r.sdiag_protocol), IpProto::Udp);
    assert_eq!(r.idiag_ext, INET_DIAG_EXT_ALL);
    assert_eq!(r.idiag_states.get(), TCPF_CLOSE | TCPF_LISTEN);
    assert_eq!(
        r.idiag_states.get(),
        states_mask(&[TcpState::Close, TcpState::Listen])
    );
    assert_eq!(r.id.sport(), 53);
    assert_eq!(r.id.src_v6(), Ipv6Addr::LOCALHOST);
    assert_eq!(r.id.idiag_cookie.map(|w| w.get()), [INET_DIAG_NOCOOKIE; 2]);
    let l = lines(r);
    assert_line(&l, "sdiag_family=AF_INET6");
    assert_line(&l, "sdiag_protocol=IPPROTO_UDP");
    assert_line(
        &l,
        "idiag_ext=INET_DIAG_MEMINFO|INET_DIAG_INFO|INET_DIAG_VEGASINFO|INET_DIAG_CONG|INET_DIAG_TOS|INET_DIAG_TCLASS|INET_DIAG_SKMEMINFO|INET_DIAG_SHUTDOWN",
    );
    assert_line(&l, "idiag_states=TCPF_CLOSE|TCPF_LISTEN");
    assert_line(&l, "id.idiag_src=::1");
    let mut buf = [0xa5u8; 60];
    r.emit(&mut buf).unwrap();
    assert_eq!(buf[..56], REQ_V2);
    assert_eq!(buf[56..], [0xa5; 4]);

    let d = InetDiagReqV2::dump(AddressFamily::Inet, IpProto::Tcp, 0x7f, TCPF_ALL);
    let mut buf = [0xa5u8; 56];
    d.emit(&mut buf).unwrap();
    assert_eq!(buf[..8], [2, 6, 0x7f, 0, 0xff, 0x3f, 0, 0]);
    assert!(buf[8..].iter().all(|&b| b == 0));
}

#[test]
fn inet_diag_req_v1_from_bytes() {
    let mut b = vec![0x02, 0x00, 0x00, 0x02]; // AF_INET, src_len, dst_len, ext INFO
    b.extend_from_slice(&REQ_V2[8..56]); // an id
    b.extend_from_slice(&u32s(&[0xfff, 7]));
    let (r, rest) = InetDiagReq::parse(&b).unwrap();
    assert!(rest.is_empty());
    assert_eq!(InetDiagReq::SIZE, 60);
    assert_eq!(r.idiag_ext, idiag_ext_bit(INET_DIAG_INFO));
    assert_eq!(r.idiag_states.get(), 0xfff);
    assert_eq!(r.idiag_dbs.get(), 7);
    assert_eq!(r.id.sport(), 53);
    let l = lines(r);
    assert_line(&l, "idiag_ext=INET_DIAG_INFO");
    // v1 carries AF_INET here, so the address reads as IPv4 of the first
    // word; the non-zero unused words are shown beside it.
    assert_line(&l, "id.idiag_src=0.0.0.0");
    assert_line(&l, "id.idiag_src_extra=0x000000000000000000000001");
}

#[test]
fn ext_bits_and_state_masks() {
    assert_eq!(idiag_ext_bit(INET_DIAG_MEMINFO), 1);
    assert_eq!(idiag_ext_bit(INET_DIAG_INFO), 2);
    assert_eq!(idiag_ext_bit(INET_DIAG_SHUTDOWN), 0x80);
    assert_eq!(idiag_ext_bit(INET_DIAG_DCTCPINFO), 0);
    assert_eq!(idiag_ext_bit(INET_DIAG_NONE), 0);
    assert_eq!(TcpState::Listen.mask(), 1 << 10);
    assert_eq!(TcpState::BoundInactive.mask(), TCPF_BOUND_INACTIVE);
    assert_eq!(TcpState::Unknown(40).mask(), 0);
    assert!(mask_has(TCPF_ALL, TcpState::NewSynRecv));
    assert!(!mask_has(TCPF_ESTABLISHED, TcpState::Listen));
    assert_eq!(TCPF_ALL, 0x3fff);
    assert_eq!(TcpState::from(12).name(), Some("TCP_NEW_SYN_RECV"));
    assert_eq!(TcpState::from(13), TcpState::BoundInactive);
    assert_eq!(TcpState::from(14), TcpState::Unknown(14));
    assert_eq!(InetDiagTimer::from(4), InetDiagTimer::ZeroWindowProbe);
    assert_eq!(InetDiagTimer::from(3).name(), Some("time_wait"));
}

// ---- attributes, one byte array each -------------------------------------

fn one<'a, A: AttributeSet<'a>>(bytes: &'a [u8]) -> A {
    let mut it = Attrs::<A>::with(bytes, 0, Mode::Strict);
    let a = it.next().expect("one attribute").expect("decodes strictly");
    assert!(it.next().is_none());
    // Emit into a 0xa5 buffer: same bytes, padding zeroed by the builder.
    let mut buf = vec![0xa5u8; bytes.len() + 8];
    let mut b = Builder::new(&mut buf[..]);
    b.attr_set(&a).unwrap();
    assert_eq!(b.len(), bytes.len());
    assert_eq!(&buf[..bytes.len()], bytes);
    assert_eq!(buf[bytes.len()..], [0xa5; 8]);
    a
}

fn walked<'a, A: AttributeSet<'a>>(a: &A) -> Vec<String> {
    lines(a)
}

#[test]
fn attr_meminfo() {
    let b = attr(INET_DIAG_MEMINFO, &u32s(&[1, 2, 4096, 3]));
    let InetDiagAttr::Meminfo(m) = one::<InetDiagAttr>(&b) else {
        panic!()
    };
    assert_eq!(
        (
            m.idiag_rmem.get(),
            m.idiag_wmem.get(),
            m.idiag_fmem.get(),
            m.idiag_tmem.get()
        ),
        (1, 2, 4096, 3)
    );
    assert_line(
        &walked(&InetDiagAttr::Meminfo(m)),
        "INET_DIAG_MEMINFO.idiag_fmem=4096",
    );
    // Strict refuses a short payload; lenient too (the struct is not there).
    let short = attr(INET_DIAG_MEMINFO, &u32s(&[1, 2, 3]));
    for mode in [Mode::Strict, Mode::Lenient] {
        let e = Attrs::<InetDiagAttr>::with(&short, 0, mode)
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(
            (e.kind, e.what, e.offset),
            (ErrorKind::Short, "inet_diag_meminfo", 4)
        );
    }
}

#[test]
fn attr_info_any_length() {
    let mut p = vec![0u8; 232];
    p[0] = 1; // TCP_ESTABLISHED
    p[6] = 0x97; // snd_wscale 7, rcv_wscale 9
    p[68..72].copy_from_slice(&1234u32.to_ne_bytes()); // tcpi_rtt
    let b = attr(INET_DIAG_INFO, &p);
    let InetDiagAttr::Info(sub) = one::<InetDiagAttr>(&b) else {
        panic!()
    };
    let i = sub.as_tcp_info();
    assert_eq!(i.len(), 232);
    assert_eq!(i.tcpi_rtt(), Some(1234));
    assert_eq!(i.tcpi_snd_wscale(), Some(7));
    assert_eq!(i.tcpi_rcv_wscale(), Some(9));
    assert_eq!(i.tcpi_rcv_wnd(), None);
    let l = walked(&InetDiagAttr::Info(sub));
    assert_line(&l, "INET_DIAG_INFO.tcpi_state=TCP_ESTABLISHED");
    assert_line(&l, "INET_DIAG_INFO.tcpi_rtt=1234");
    assert!(!l.iter().any(|x| x.contains("tcpi_rcv_wnd")));
}

#[test]
fn attr_cc_infos() {
    let b = attr(INET_DIAG_VEGASINFO, &u32s(&[1, 0, 211, 0x7fff_ffff]));
    let InetDiagAttr::Vegasinfo(v) = one::<InetDiagAttr>(&b) else {
        panic!()
    };
    assert_eq!(
        (v.tcpv_enabled.get(), v.tcpv_rtt.get(), v.tcpv_minrtt.get()),
        (1, 211, 0x7fff_ffff)
    );

    let mut p = vec![1, 0, 2, 0];
    p.extend(u32s(&[0x28e, 5, 0x8000]));
    let b = attr(INET_DIAG_DCTCPINFO, &p);
    let InetDiagAttr::Dctcpinfo(d) = one::<InetDiagAttr>(&b) else {
        panic!()
    };
    assert_eq!(
        (
            d.dctcp_enabled.get(),
            d.dctcp_ce_state.get(),
            d.dctcp_alpha.get(),
            d.dctcp_ab_ecn.get(),
            d.dctcp_ab_tot.get()
        ),
        (1, 2, 0x28e, 5, 0x8000)
    );

    let b = attr(INET_DIAG_BBRINFO, &u32s(&[0x61a7_f9e5, 2, 20, 739, 739]));
    let InetDiagAttr::Bbrinfo(x) = one::<InetDiagAttr>(&b) else {
        panic!()
    };
    assert_eq!(x.bw(), 0x2_61a7_f9e5);
    assert_eq!(x.bbr_min_rtt.get(), 20);
    assert_line(
        &walked(&InetDiagAttr::Bbrinfo(x)),
        "INET_DIAG_BBRINFO.bbr_pacing_gain=739",
    );
}

#[test]
fn attr_small_scalars() {
    let b = attr(INET_DIAG_CONG, b"cubic\0");
    assert_eq!(b.len(), 12);
    let InetDiagAttr::Cong(c) = one::<InetDiagAttr>(&b) else {
        panic!()
    };
    assert_eq!(c.to_bytes(), b"cubic");
    assert_line(&walked(&InetDiagAttr::Cong(c)), "INET_DIAG_CONG=\"cubic\"");

    assert_eq!(
        one::<InetDiagAttr>(&attr(INET_DIAG_TOS, &[2])),
        InetDiagAttr::Tos(2)
    );
    assert_eq!(
        one::<InetDiagAttr>(&attr(INET_DIAG_TCLASS, &[8])),
        InetDiagAttr::Tclass(8)
    );
    assert_eq!(
        one::<InetDiagAttr>(&attr(INET_DIAG_SKV6ONLY, &[1])),
        InetDiagAttr::Skv6only(1)
    );
    assert_eq!(
        one::<InetDiagAttr>(&attr(INET_DIAG_MARK, &u32s(&[0x1234]))),
        InetDiagAttr::Mark(0x1234)
    );
    assert_eq!(
        one::<InetDiagAttr>(&attr(INET_DIAG_CLASS_ID, &u32s(&[0x10001]))),
        InetDiagAttr::ClassId(0x10001)
    );
    assert_eq!(
        one::<InetDiagAttr>(&attr(INET_DIAG_CGROUP_ID, &0x1102u64.to_ne_bytes())),
        InetDiagAttr::CgroupId(0x1102)
    );
    assert_eq!(
        one::<InetDiagAttr>(&attr(INET_DIAG_PROTOCOL, &[255])),
        InetDiagAttr::Protocol(IpProto::Raw)
    );
    assert_line(
        &walked(&InetDiagAttr::Protocol(IpProto::Raw)),
        "INET_DIAG_PROTOCOL=IPPROTO_RAW",
    );
    assert_eq!(
        one::<InetDiagAttr>(&attr(INET_DIAG_PAD, &[])),
        InetDiagAttr::Pad(Bytes(&[]))
    );

    let InetDiagAttr::Shutdown(s) = one::<InetDiagAttr>(&attr(INET_DIAG_SHUTDOWN, &[3])) else {
        panic!()
    };
    assert_eq!(s.bits, 3);
    assert!(s.contains(u64::from(SEND_SHUTDOWN)));
    assert_line(
        &walked(&InetDiagAttr::Shutdown(s)),
        "INET_DIAG_SHUTDOWN=RCV_SHUTDOWN|SEND_SHUTDOWN",
    );
    // An unknown protocol number: kept in lenient mode, refused in strict.
    let b = attr(INET_DIAG_PROTOCOL, &[200]);
    let a = Attrs::<InetDiagAttr>::with(&b, 0, Mode::Lenient)
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(a, InetDiagAttr::Protocol(IpProto::Unknown(200)));
    let e = Attrs::<InetDiagAttr>::with(&b, 0, Mode::Strict)
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!((e.kind, e.what), (ErrorKind::Unknown, "INET_DIAG_PROTOCOL"));
}

#[test]
fn attr_skmeminfo_nine_and_older_eight() {
    let b = attr(
        INET_DIAG_SKMEMINFO,
        &u32s(&[0, 1_000_000, 0, 2_626_560, 4096, 0, 0, 0, 7]),
    );
    let InetDiagAttr::Skmeminfo(m) = one::<InetDiagAttr>(&b) else {
        panic!()
    };
    assert_eq!(m.rcvbuf(), Some(1_000_000));
    assert_eq!(m.sndbuf(), Some(2_626_560));
    assert_eq!(m.fwd_alloc(), Some(4096));
    assert_eq!(m.drops(), Some(7));
    let l = walked(&InetDiagAttr::Skmeminfo(m));
    assert_line(&l, "INET_DIAG_SKMEMINFO.SK_MEMINFO_RCVBUF=1000000");
    assert_line(&l, "INET_DIAG_SKMEMINFO.SK_MEMINFO_DROPS=7");
    // A kernel without SK_MEMINFO_DROPS sends eight.
    let b = attr(INET_DIAG_SKMEMINFO, &u32s(&[0, 1, 2, 3, 4, 5, 6, 7]));
    let InetDiagAttr::Skmeminfo(m) = one::<InetDiagAttr>(&b) else {
        panic!()
    };
    assert_eq!((m.backlog(), m.drops()), (Some(7), None));
}

#[test]
fn attr_sockopt_bits() {
    let b = attr(INET_DIAG_SOCKOPT, &[0x52, 0x05]);
    assert_eq!(b.len(), 8);
    let InetDiagAttr::Sockopt(s) = one::<InetDiagAttr>(&b) else {
        panic!()
    };
    assert_eq!(
        (
            s.recverr(),
            s.is_icsk(),
            s.freebind(),
            s.mc_loop(),
            s.mc_all(),
            s.nodefrag()
        ),
        (0, 1, 0, 1, 1, 0)
    );
    assert_eq!(
        (
            s.bind_address_no_port(),
            s.recverr_rfc4884(),
            s.defer_connect(),
            s.unused()
        ),
        (1, 0, 1, 0)
    );
    let l = walked(&InetDiagAttr::Sockopt(s));
    assert_line(&l, "INET_DIAG_SOCKOPT.is_icsk=1");
    assert_line(&l, "INET_DIAG_SOCKOPT.transparent=0");
    assert_line(&l, "INET_DIAG_SOCKOPT.defer_connect=1");
    assert!(!l.iter().any(|x| x.contains("bits0")));
}

fn sockaddr_in(port: u16, a: [u8; 4]) -> Vec<u8> {
    let mut s = vec![0u8; 128];
    s[0..2].copy_from_slice(&2u16.to_ne_bytes());
    s[2..4].copy_from_slice(&port.to_be_bytes());
    s[4..8].copy_from_slice(&a);
    s
}

fn sockaddr_in6(port: u16, flow: u32, a: Ipv6Addr, scope: u32) -> Vec<u8> {
    let mut s = vec![0u8; 128];
    s[0..2].copy_from_slice(&10u16.to_ne_bytes());
    s[2..4].copy_from_slice(&port.to_be_bytes());
    s[4..8].copy_from_slice(&flow.to_be_bytes());
    s[8..24].copy_from_slice(&a.octets());
    s[24..28].copy_from_slice(&scope.to_ne_bytes());
    s
}

#[test]
fn attr_sctp_locals_and_peers() {
    let mut p = sockaddr_in(9899, [10, 1, 2, 3]);
    p.extend(sockaddr_in6(9899, 0x12345, "fe80::1".parse().unwrap(), 4));
    let b = attr(INET_DIAG_LOCALS, &p);
    let InetDiagAttr::Locals(l) = one::<InetDiagAttr>(&b) else {
        panic!()
    };
    assert_eq!(l.0.len(), 2);
    assert_eq!(l.0[0].socket_addr(), Some("10.1.2.3:9899".parse().unwrap()));
    let SocketAddr::V6(v6) = l.0[1].socket_addr().unwrap() else {
        panic!()
    };
    assert_eq!(
        (v6.port(), v6.flowinfo(), v6.scope_id()),
        (9899, 0x12345, 4)
    );
    assert_eq!(*v6.ip(), "fe80::1".parse::<Ipv6Addr>().unwrap());
    let w = walked(&InetDiagAttr::Locals(l));
    assert_line(&w, "INET_DIAG_LOCALS.0.ss_family=AF_INET");
    assert_line(&w, "INET_DIAG_LOCALS.0.sin_addr=10.1.2.3");
    assert_line(&w, "INET_DIAG_LOCALS.1.sin6_addr=fe80::1");
    assert_line(&w, "INET_DIAG_LOCALS.1.sin6_scope_id=4");
    let b = attr(INET_DIAG_PEERS, &sockaddr_in(1, [1, 1, 1, 1]));
    assert!(matches!(one::<InetDiagAttr>(&b), InetDiagAttr::Peers(Array(p)) if p.len() == 1));
    // Strict refuses a partial element; lenient keeps the whole ones.
    let mut p = sockaddr_in(1, [1, 1, 1, 1]);
    p.extend([0; 4]);
    let b = attr(INET_DIAG_PEERS, &p);
    assert!(Attrs::<InetDiagAttr>::with(&b, 0, Mode::Strict)
        .next()
        .unwrap()
        .is_err());
    let a = Attrs::<InetDiagAttr>::with(&b, 0, Mode::Lenient)
        .next()
        .unwrap()
        .unwrap();
    assert!(matches!(a, InetDiagAttr::Peers(Array(p)) if p.len() == 1));
}

#[test]
fn attr_md5sig_array() {
    let mut k = vec![2, 32, 5, 0, 192, 0, 2, 7];
    k.extend([0; 12]);
    k.extend(b"hello");
    k.resize(100, 0);
    let mut p = k.clone();
    let mut k6 = vec![10, 128, 3, 0];
    k6.extend("2001:db8::9".parse::<Ipv6Addr>().unwrap().octets());
    k6.extend(b"abc");
    k6.resize(100, 0);
    p.extend(&k6);
    let b = attr(INET_DIAG_MD5SIG, &p);
    let InetDiagAttr::Md5sig(m) = one::<InetDiagAttr>(&b) else {
        panic!()
    };
    assert_eq!(m.0.len(), 2);
    assert_eq!(m.0[0].key(), b"hello");
    assert_eq!(m.0[0].tcpm_prefixlen, 32);
    assert_eq!(m.0[1].key(), b"abc");
    let w = walked(&InetDiagAttr::Md5sig(m));
    assert_line(&w, "INET_DIAG_MD5SIG.0.tcpm_addr=192.0.2.7");
    assert_line(&w, "INET_DIAG_MD5SIG.0.tcpm_key=0x68656c6c6f");
    assert_line(&w, "INET_DIAG_MD5SIG.1.tcpm_family=AF_INET6");
    assert_line(&w, "INET_DIAG_MD5SIG.1.tcpm_addr=2001:db8::9");
}

fn ulp_tls_bytes() -> Vec<u8> {
    let mut tls = attr(1, &0x0304u16.to_ne_bytes()); // TLS_1_3_VERSION
    tls.extend(attr(2, &52u16.to_ne_bytes())); // AES_GCM_256
    tls.extend(attr(3, &2u16.to_ne_bytes())); // TXCONF SW
    tls.extend(attr(4, &3u16.to_ne_bytes())); // RXCONF HW
    tls.extend(attr(5, &[])); // ZC_RO_TX
    tls.extend(attr(6, &[])); // RX_NO_PAD
    let mut ulp = attr(1, b"tls\0");
    ulp.extend(attr(2, &tls)); // no NLA_F_NESTED, as the kernel sends it
    attr(INET_DIAG_ULP_INFO, &ulp)
}

#[test]
fn attr_ulp_info_tls() {
    let b = ulp_tls_bytes();
    assert_eq!(&b[..4], &[0x38, 0x00, 0x13, 0x00]);
    let InetDiagAttr::UlpInfo(n) = one::<InetDiagAttr>(&b) else {
        panic!()
    };
    let inner: Vec<_> = n.iter().map(Result::unwrap).collect();
    assert_eq!(inner.len(), 2);
    assert_eq!(inner[0], UlpInfoAttr::Name(NulStr(b"tls\0")));
    let UlpInfoAttr::Tls(t) = inner[1] else {
        panic!()
    };
    let tls: Vec<_> = t.iter().map(Result::unwrap).collect();
    assert_eq!(
        tls,
        [
            TlsInfoAttr::Version(TlsVersion::Tls13),
            TlsInfoAttr::Cipher(TlsCipher::AesGcm256),
            TlsInfoAttr::Txconf(TlsConf::Sw),
            TlsInfoAttr::Rxconf(TlsConf::Hw),
            TlsInfoAttr::ZcRoTx(nlwire::payload::Flag),
            TlsInfoAttr::RxNoPad(nlwire::payload::Flag),
        ]
    );
    let w = walked(&InetDiagAttr::UlpInfo(n));
    assert_line(&w, "INET_DIAG_ULP_INFO.INET_ULP_INFO_NAME=\"tls\"");
    assert_line(
        &w,
        "INET_DIAG_ULP_INFO.INET_ULP_INFO_TLS.TLS_INFO_VERSION=TLS_1_3_VERSION",
    );
    assert_line(
        &w,
        "INET_DIAG_ULP_INFO.INET_ULP_INFO_TLS.TLS_INFO_CIPHER=TLS_CIPHER_AES_GCM_256",
    );
    assert_line(
        &w,
        "INET_DIAG_ULP_INFO.INET_ULP_INFO_TLS.TLS_INFO_RXCONF=TLS_CONF_HW",
    );
    assert_line(
        &w,
        "INET_DIAG_ULP_INFO.INET_ULP_INFO_TLS.TLS_INFO_RX_NO_PAD=true",
    );
}

#[test]
fn attr_ulp_info_mptcp_subflow() {
    let mut sf = attr(3, &u32s(&[100])); // RELWRITE_SEQ
    sf.extend(attr(11, &[])); // PAD
    sf.extend(attr(4, &0x1_0000_0002u64.to_ne_bytes())); // MAP_SEQ
    sf.extend(attr(5, &u32s(&[5])));
    sf.extend(attr(6, &u32s(&[6])));
    sf.extend(attr(7, &1400u16.to_ne_bytes()));
    sf.extend(attr(8, &u32s(&[0x1c3]))); // MCAP_REM|MCAP_LOC|FULLY_ESTABLISHED|CONNECTED|MAPVALID
    sf.extend(attr(9, &[1]));
    sf.extend(attr(10, &[2]));
    sf.extend(attr(1, &u32s(&[0xaaaa])));
    sf.extend(attr(2, &u32s(&[0xbbbb])));
    let mut ulp = attr(1, b"mptcp\0");
    ulp.extend(attr(3, &sf));
    let b = attr(INET_DIAG_ULP_INFO, &ulp);
    let InetDiagAttr::UlpInfo(n) = one::<InetDiagAttr>(&b) else {
        panic!()
    };
    let Some(Ok(UlpInfoAttr::Mptcp(m))) = n.iter().nth(1) else {
        panic!()
    };
    let attrs: Vec<_> = m.iter().map(Result::unwrap).collect();
    assert_eq!(attrs.len(), 11);
    assert_eq!(attrs[2], MptcpSubflowAttr::MapSeq(0x1_0000_0002));
    assert_eq!(attrs[5], MptcpSubflowAttr::MapDatalen(1400));
    let MptcpSubflowAttr::Flags(f) = attrs[6] else {
        panic!()
    };
    assert_eq!(f.bits, 0x1c3);
    assert_eq!(attrs[9], MptcpSubflowAttr::TokenRem(0xaaaa));
    let w = walked(&InetDiagAttr::UlpInfo(n));
    assert_line(
        &w,
        "INET_DIAG_ULP_INFO.INET_ULP_INFO_MPTCP.MPTCP_SUBFLOW_ATTR_FLAGS=MPTCP_SUBFLOW_FLAG_MCAP_REM|MPTCP_SUBFLOW_FLAG_MCAP_LOC|MPTCP_SUBFLOW_FLAG_FULLY_ESTABLISHED|MPTCP_SUBFLOW_FLAG_CONNECTED|MPTCP_SUBFLOW_FLAG_MAPVALID",
    );
    assert_line(
        &w,
        "INET_DIAG_ULP_INFO.INET_ULP_INFO_MPTCP.MPTCP_SUBFLOW_ATTR_ID_LOC=2",
    );
}

#[test]
fn attr_sk_bpf_storages() {
    let mut st = attr(2, &u32s(&[42])); // MAP_ID
    st.extend(attr(1, &[])); // PAD
    st.extend(attr(3, &[1, 2, 3, 4, 5, 6, 7, 8])); // MAP_VALUE
    let stg = attr(1 | 0x8000, &st);
    let b = attr(INET_DIAG_SK_BPF_STORAGES | 0x8000, &stg);
    assert_eq!(&b[..4], &[0x20, 0x00, 0x14, 0x80]);
    let InetDiagAttr::SkBpfStorages(n) = one::<InetDiagAttr>(&b) else {
        panic!()
    };
    let Some(Ok(SkBpfStoragesAttr::Storage(s))) = n.iter().next() else {
        panic!()
    };
    let v: Vec<_> = s.iter().map(Result::unwrap).collect();
    assert_eq!(
        v,
        [
            SkBpfStorageAttr::MapId(42),
            SkBpfStorageAttr::Pad(Bytes(&[])),
            SkBpfStorageAttr::MapValue(Bytes(&[1, 2, 3, 4, 5, 6, 7, 8]))
        ]
    );
    let w = walked(&InetDiagAttr::SkBpfStorages(n));
    assert_line(
        &w,
        "INET_DIAG_SK_BPF_STORAGES.SK_DIAG_BPF_STORAGE.SK_DIAG_BPF_STORAGE_MAP_ID=42",
    );
}

#[test]
fn request_attributes() {
    let b = attr(INET_DIAG_REQ_BYTECODE, &[1, 4, 8, 0]);
    assert_eq!(
        one::<InetDiagReqAttr>(&b),
        InetDiagReqAttr::Bytecode(nlwire::families::sock_diag::bytecode::Program::new(&[
            1, 4, 8, 0
        ]))
    );
    let b = attr(INET_DIAG_REQ_PROTOCOL, &u32s(&[IPPROTO_MPTCP]));
    assert_eq!(one::<InetDiagReqAttr>(&b), InetDiagReqAttr::Protocol(262));
    let mut fds = attr(1, &u32s(&[5]));
    fds.extend(attr(1, &u32s(&[6])));
    let b = attr(INET_DIAG_REQ_SK_BPF_STORAGES | 0x8000, &fds);
    let InetDiagReqAttr::SkBpfStorages(n) = one::<InetDiagReqAttr>(&b) else {
        panic!()
    };
    let v: Vec<_> = n.iter().map(Result::unwrap).collect();
    assert_eq!(
        v,
        [SkBpfStorageReqAttr::MapFd(5), SkBpfStorageReqAttr::MapFd(6)]
    );
    // The kernel refuses INET_DIAG_REQ_PROTOCOL of any length but 4; strict too.
    let b = attr(INET_DIAG_REQ_PROTOCOL, &[6, 0, 0, 0, 0, 0, 0, 0]);
    assert!(Attrs::<InetDiagReqAttr>::with(&b, 0, Mode::Strict)
        .next()
        .unwrap()
        .is_err());
}

// ---- whole messages through the dispatcher ---------------------------------

fn all_response_attrs() -> Vec<u8> {
    let mut a = Vec::new();
    a.extend(attr(INET_DIAG_SHUTDOWN, &[0]));
    a.extend(attr(INET_DIAG_TOS, &[0]));
    a.extend(attr(INET_DIAG_CLASS_ID, &u32s(&[0])));
    a.extend(attr(INET_DIAG_CGROUP_ID, &0x1102u64.to_ne_bytes()));
    a.extend(attr(INET_DIAG_SOCKOPT, &[0x52, 0]));
    a.extend(attr(INET_DIAG_MEMINFO, &u32s(&[0, 0, 0, 0])));
    a.extend(attr(
        INET_DIAG_SKMEMINFO,
        &u32s(&[0, 1_000_000, 0, 2_626_560, 0, 0, 0, 0, 0]),
    ));
    a.extend(attr(INET_DIAG_PAD, &[]));
    let mut info = vec![0u8; 280];
    info[0] = 1;
    info[16..20].copy_from_slice(&32768u32.to_ne_bytes());
    a.extend(attr(INET_DIAG_INFO, &info));
    a.extend(attr(INET_DIAG_CONG, b"cubic\0"));
    a.extend(attr(INET_DIAG_MARK, &u32s(&[9])));
    a.extend(ulp_tls_bytes());
    a
}

fn message(nlmsg_type: u16, flags: u16, pid: u32, payload: &[u8]) -> Vec<u8> {
    let mut b = Builder::new_vec();
    b.message(nlmsg_type, flags, 0x1e240, pid, |b| b.put_bytes(payload))
        .unwrap();
    b.into_vec()
}

#[test]
fn response_decodes_reemits_and_walks() {
    let mut payload = MSG_V4.to_vec();
    payload.extend(all_response_attrs());
    // A reply from the kernel has nlmsg_pid of the requester, not 0.
    let bytes = message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, 2469, &payload);
    let msg = Messages::with_mode(&bytes, Mode::Strict)
        .next()
        .unwrap()
        .unwrap();
    let d = decode(&msg, Mode::Strict).unwrap();
    let SockDiagMessage::InetResponse(r) = d else {
        panic!("{d:?}")
    };
    assert!(!d.is_request());
    assert_eq!(d.family(), Some(AddressFamily::Inet));
    assert_eq!(r.header.id.dport(), 4002);
    assert_eq!(r.attrs_offset(), 16 + 72);
    let kinds: Vec<u16> = r.attrs().map(|a| a.unwrap().kind()).collect();
    assert_eq!(kinds, [8, 5, 17, 21, 22, 1, 7, 14, 2, 4, 15, 19]);
    let Some(Ok(InetDiagAttr::Info(i))) = r.find(INET_DIAG_INFO) else {
        panic!()
    };
    let i = i.as_tcp_info();
    assert_eq!((i.len(), i.tcpi_snd_mss()), (280, Some(32768)));
    assert!(r.find(INET_DIAG_BBRINFO).is_none());

    // Re-emit: byte for byte, into a 0xa5 buffer.
    let mut buf = vec![0xa5u8; bytes.len() + 4];
    let mut b = Builder::new(&mut buf[..]);
    let h: &NlMsgHdr = msg.header;
    b.message(
        h.nlmsg_type.get(),
        h.nlmsg_flags.get(),
        h.nlmsg_seq.get(),
        h.nlmsg_pid.get(),
        |b| d.emit(b),
    )
    .unwrap();
    assert_eq!(b.len(), bytes.len());
    assert_eq!(&buf[..bytes.len()], &bytes[..]);
    assert_eq!(buf[bytes.len()..], [0xa5; 4]);

    let l = lines(&d);
    for want in [
        "inet_diag_msg.idiag_family=AF_INET",
        "inet_diag_msg.id.idiag_sport=8080",
        "inet_diag_msg.id.idiag_src=192.168.1.2",
        "INET_DIAG_INFO.tcpi_snd_mss=32768",
        "INET_DIAG_INFO.tcpi_state=TCP_ESTABLISHED",
        "INET_DIAG_CONG=\"cubic\"",
        "INET_DIAG_SKMEMINFO.SK_MEMINFO_SNDBUF=2626560",
        "INET_DIAG_CGROUP_ID=4354",
        "INET_DIAG_SOCKOPT.mc_all=1",
        "INET_DIAG_ULP_INFO.INET_ULP_INFO_TLS.TLS_INFO_TXCONF=TLS_CONF_SW",
    ] {
        assert_line(&l, want);
    }
}

#[test]
fn request_direction_comes_from_nlm_f_request_not_pid() {
    let mut payload = REQ_V2.to_vec();
    payload.extend(attr(INET_DIAG_REQ_BYTECODE, &[1, 4, 8, 0]));
    // A request with a non-zero pid is still a request...
    let bytes = message(
        SOCK_DIAG_BY_FAMILY,
        NLM_F_REQUEST | NLM_F_DUMP,
        777,
        &payload,
    );
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    let d = decode(&msg, Mode::Strict).unwrap();
    let SockDiagMessage::InetRequest(r) = d else {
        panic!("{d:?}")
    };
    assert!(d.is_request());
    assert_eq!(r.header.sdiag_protocol, 17);
    assert_eq!(
        r.attrs().next().unwrap().unwrap(),
        InetDiagReqAttr::Bytecode(nlwire::families::sock_diag::bytecode::Program::new(&[
            1, 4, 8, 0
        ]))
    );
    let l = lines(&d);
    assert_line(&l, "inet_diag_req_v2.sdiag_family=AF_INET6");
    // The program is typed: each command by its kernel op name.
    assert_line(&l, "INET_DIAG_REQ_BYTECODE.INET_DIAG_BC_JMP.yes=4");
    assert_line(&l, "INET_DIAG_REQ_BYTECODE.INET_DIAG_BC_JMP.no=8");
    // ...and without NLM_F_REQUEST, pid 0, the same bytes are a reply.
    let bytes = message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, 0, &MSG_V4);
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    assert!(matches!(
        decode(&msg, Mode::Strict).unwrap(),
        SockDiagMessage::InetResponse(_)
    ));
}

#[test]
fn destroy_and_legacy_types() {
    let bytes = message(SOCK_DESTROY, NLM_F_REQUEST, 0, &REQ_V2);
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    assert!(matches!(
        decode(&msg, Mode::Strict).unwrap(),
        SockDiagMessage::InetRequest(_)
    ));

    let mut v1 = vec![2, 0, 0, 0xff];
    v1.extend_from_slice(&[0; 48]);
    v1.extend(u32s(&[TCPF_ALL, 0]));
    let bytes = message(TCPDIAG_GETSOCK, NLM_F_REQUEST | NLM_F_DUMP, 0, &v1);
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    let d = decode(&msg, Mode::Strict).unwrap();
    let SockDiagMessage::InetRequestV1(r) = d else {
        panic!("{d:?}")
    };
    assert_eq!(r.header.idiag_ext, 0xff);
    assert_eq!(lines(&d)[0], "inet_diag_req.idiag_family=AF_INET");
    // Replies to the legacy request come back under its type.
    let bytes = message(DCCPDIAG_GETSOCK, NLM_F_MULTI, 1, &MSG_V4);
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    assert!(matches!(
        decode(&msg, Mode::Strict).unwrap(),
        SockDiagMessage::InetResponse(_)
    ));
    assert_eq!(SockDiagType::from(19).name(), Some("DCCPDIAG_GETSOCK"));
    assert_eq!(SockDiagType::from(21), SockDiagType::Destroy);
}

#[test]
fn unknown_family_type_and_control_messages() {
    // AF_XDP request (xsk_diag, which the codec does not declare).
    let mut p = vec![44, 0, 0, 0];
    p.extend([0u8; 20]);
    let bytes = message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 0, &p);
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    let d = decode(&msg, Mode::Lenient).unwrap();
    assert_eq!(
        d,
        SockDiagMessage::Unselected(Unselected {
            request: true,
            name: "sdiag_family",
            offset: 0,
            selector: AddressFamily::Xdp,
            payload: &p
        })
    );
    let l = lines(&d);
    assert_line(&l, "sdiag_family=AF_XDP");
    let e = decode(&msg, Mode::Strict).unwrap_err();
    assert_eq!(
        (e.kind, e.what, e.offset),
        (ErrorKind::Unknown, "sdiag_family", 16)
    );
    // Re-emitted byte for byte.
    let mut b = Builder::new_vec();
    b.message(20, NLM_F_REQUEST | NLM_F_DUMP, 0x1e240, 0, |b| d.emit(b))
        .unwrap();
    assert_eq!(b.into_vec(), bytes);

    // AF_NETLINK is declared: struct netlink_diag_req (20 bytes).
    let mut p = vec![16, 4, 0, 0];
    p.extend([0u8; 16]);
    let bytes = message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 0, &p);
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    let d = decode(&msg, Mode::Strict).unwrap();
    assert!(matches!(d, SockDiagMessage::NetlinkRequest(_)), "{d:?}");
    assert_eq!(d.family(), Some(AddressFamily::Netlink));
    assert!(d.is_request());

    // An unknown type at or above NLMSG_MIN_TYPE.
    let bytes = message(30, 0, 0, &[1, 2, 3, 4]);
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    assert_eq!(
        decode(&msg, Mode::Lenient).unwrap(),
        SockDiagMessage::UnknownType {
            nlmsg_type: 30,
            payload: &[1, 2, 3, 4]
        }
    );
    assert_eq!(
        decode(&msg, Mode::Strict).unwrap_err().kind,
        ErrorKind::Unknown
    );

    // NLMSG_DONE is the generic decoder's.
    let bytes = message(3, NLM_F_MULTI, 0, &[0; 4]);
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    assert_eq!(
        decode(&msg, Mode::Lenient).unwrap_err().kind,
        ErrorKind::Invalid
    );

    // Empty payload, short headers.
    let bytes = message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, 0, &[]);
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    let e = decode(&msg, Mode::Lenient).unwrap_err();
    assert_eq!((e.kind, e.offset), (ErrorKind::Short, 16));
    let bytes = message(SOCK_DIAG_BY_FAMILY, 0, 0, &MSG_V4[..40]);
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    let e = decode(&msg, Mode::Lenient).unwrap_err();
    assert_eq!(
        (e.kind, e.what, e.needed, e.present),
        (ErrorKind::Short, "inet_diag_msg", 72, 40)
    );
}

#[test]
fn attribute_errors_carry_offsets_in_the_buffer() {
    let mut payload = MSG_V4.to_vec();
    payload.extend(attr(INET_DIAG_TOS, &[0]));
    payload.extend([12, 0, 4, 0, b'x', 0, 0, 0]); // nla_len 12 past the end
    let bytes = message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, 0, &payload);
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    let e = decode(&msg, Mode::Strict).unwrap_err();
    assert_eq!((e.kind, e.offset), (ErrorKind::LengthPastEnd, 16 + 72 + 8));
    // Lenient decodes the header and yields the bad attribute as an error.
    let SockDiagMessage::InetResponse(r) = decode(&msg, Mode::Lenient).unwrap() else {
        panic!()
    };
    let v: Vec<_> = r.attrs().collect();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0], Ok(InetDiagAttr::Tos(0)));
    assert_eq!(v[1].unwrap_err().offset, 96);
}

#[test]
fn unknown_attribute_kept_in_lenient_and_reemitted() {
    let mut payload = MSG_V4.to_vec();
    payload.extend(attr(99 | 0x4000, &[1, 2, 3]));
    let bytes = message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, 0, &payload);
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    let d = decode(&msg, Mode::Lenient).unwrap();
    let SockDiagMessage::InetResponse(r) = d else {
        panic!()
    };
    let InetDiagAttr::Unknown(u) = r.attrs().next().unwrap().unwrap() else {
        panic!()
    };
    assert_eq!((u.kind, u.flags, u.payload), (99, 0x4000, &[1u8, 2, 3][..]));
    let mut b = Builder::new_vec();
    b.message(20, NLM_F_MULTI, 0x1e240, 0, |b| d.emit(b))
        .unwrap();
    assert_eq!(b.into_vec(), bytes);
    assert_eq!(
        decode(&msg, Mode::Strict).unwrap_err().kind,
        ErrorKind::Unknown
    );
}

#[test]
fn building_a_request_with_attributes() {
    let req = InetDiagReqV2::dump(
        AddressFamily::Inet6,
        IpProto::Tcp,
        idiag_ext_bit(INET_DIAG_INFO),
        TCPF_LISTEN,
    );
    let bc = [1u8, 4, 8, 0];
    let attrs = [
        InetDiagReqAttr::Bytecode(nlwire::families::sock_diag::bytecode::Program::new(&bc)),
        InetDiagReqAttr::Protocol(IPPROTO_MPTCP),
    ];
    let mut buf = [0xa5u8; 100];
    let mut b = Builder::new(&mut buf[..]);
    b.message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 5, 0, |b| {
        InetRequest::write(b, &req, &attrs)
    })
    .unwrap();
    let n = b.len();
    assert_eq!(n, 16 + 56 + 8 + 8);
    assert_eq!(buf[0..4], (n as u32).to_ne_bytes());
    assert_eq!(buf[72..80], [8, 0, 1, 0, 1, 4, 8, 0]);
    assert_eq!(buf[80..88], [8, 0, 3, 0, 6, 1, 0, 0]);
    assert_eq!(buf[88..], [0xa5; 12]);
    // Too small a buffer is an error, not a panic.
    let mut small = [0u8; 80];
    let mut b = Builder::new(&mut small[..]);
    let e = b
        .message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, 5, 0, |b| {
            InetRequest::write(b, &req, &attrs)
        })
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::BufferTooSmall);
}

#[test]
fn struct_sizes() {
    assert_eq!(InetDiagSockId::SIZE, 48);
    assert_eq!(InetDiagReq::SIZE, 60);
    assert_eq!(InetDiagReqV2::SIZE, 56);
    assert_eq!(InetDiagMsg::SIZE, 72);
    assert_eq!(InetDiagMeminfo::SIZE, 16);
    assert_eq!(InetDiagSockopt::SIZE, 2);
    assert_eq!(TcpvegasInfo::SIZE, 16);
    assert_eq!(TcpDctcpInfo::SIZE, 16);
    assert_eq!(TcpBbrInfo::SIZE, 20);
    assert_eq!(TcpDiagMd5sig::SIZE, 100);
    assert_eq!(KernelSockaddrStorage::SIZE, 128);
    assert_eq!(SockDiagReq::SIZE, 2);
    assert_eq!(SkMeminfo::SIZE, 4 * SK_MEMINFO_VARS);
}
