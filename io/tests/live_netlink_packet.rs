//! Live netlink_diag and packet_diag tests: make our own `AF_NETLINK` and
//! `AF_PACKET` sockets, dump them through the shim with `struct
//! netlink_diag_req` / `struct packet_diag_req`, parse every reply strictly
//! with the declarations, and check what the kernel reports for ours
//! (inode, protocol, port id, state, groups, flags, `PACKET_DIAG_*`), then
//! compare with iproute2 `ss -A netlink` / `ss -0`. Also: `struct
//! mptcp_info` as `INET_DIAG_INFO` of a live MPTCP connection.
//!
//! `AF_PACKET` sockets need `CAP_NET_RAW` (root). What the machine lacks
//! (netlink_diag / packet_diag, the capability, `ss`) fails under `CI=true`
//! and skips the test with a printed reason otherwise.

mod common;
use common::{inode, sock_diag};

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::os::fd::OwnedFd;
use std::os::unix::fs::MetadataExt;
use std::process::Command;

use nlwire::families::sock_diag::{
    netlink_groups, AddressFamily, NetlinkDiagAttr, NetlinkDiagReq, NetlinkDiagResponse,
    NetlinkState, PacketDiagAttr, PacketDiagReq, PacketDiagResponse, SockType, TpacketVersion,
    NDIAG_FLAG_CAP_ACK, NDIAG_FLAG_CB_RUNNING, NDIAG_FLAG_NO_ENOBUFS, NDIAG_PROTO_ALL,
    NDIAG_SHOW_FLAGS, NDIAG_SHOW_GROUPS, NDIAG_SHOW_MEMINFO, PACKET_SHOW_FANOUT,
    PACKET_SHOW_FILTER, PACKET_SHOW_INFO, PACKET_SHOW_MCLIST, PACKET_SHOW_MEMINFO,
    PACKET_SHOW_RING_CFG, PDI_RUNNING, SOCK_DIAG_BY_FAMILY,
};
use nlwire::family::NetlinkFamily;
use nlwire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
use nlwire::Mode;
use nlwire_io::Socket;
use rustix::net::{AddressFamily as Af, SocketFlags, SocketType};

/// iproute2 `ss` with `args`, or `None` (skip; a failure under `CI=true`).
fn iproute2_ss(args: &[&str]) -> Option<String> {
    let o = common::available("iproute2 ss", Command::new("ss").args(args).output())?;
    assert!(
        o.status.success(),
        "ss {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    Some(String::from_utf8(o.stdout).unwrap())
}

/// What one `netlink_diag_msg` said, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NlSeen {
    protocol: u8,
    typ: u8,
    state: u8,
    portid: u32,
    dst_portid: u32,
    dst_group: u32,
    groups: Option<Vec<u32>>,
    flags: Option<u32>,
    meminfo_len: Option<usize>,
}

/// Dump every netlink socket with `show` from the socket `dumper`, keeping
/// the inodes in `want` with how many times each came; returns them and how
/// many replies arrived.
fn dump_netlink(
    dumper: &mut Socket,
    want: &[u32],
    show: u32,
) -> (HashMap<u32, (NlSeen, usize)>, usize) {
    let req = NetlinkDiagReq::dump(NDIAG_PROTO_ALL, show);
    let mut out = HashMap::new();
    let mut n = 0;
    dumper
        .dump_with(
            |b, seq| {
                b.message(
                    SOCK_DIAG_BY_FAMILY,
                    NLM_F_REQUEST | NLM_F_DUMP,
                    seq,
                    0,
                    |b| b.put_struct(&req),
                )
            },
            |m| {
                n += 1;
                // Every reply parses strictly with the declarations.
                let r = NetlinkDiagResponse::parse(m.payload, m.payload_offset(), Mode::Strict)
                    .unwrap_or_else(|e| panic!("netlink_diag reply: {e} ({m:?})"));
                let h = r.header;
                assert_eq!(h.ndiag_family, AddressFamily::Netlink.raw());
                let ino = h.ndiag_ino.get();
                if want.contains(&ino) {
                    let mut s = NlSeen {
                        protocol: h.ndiag_protocol,
                        typ: h.ndiag_type,
                        state: h.ndiag_state,
                        portid: h.ndiag_portid.get(),
                        dst_portid: h.ndiag_dst_portid.get(),
                        dst_group: h.ndiag_dst_group.get(),
                        groups: None,
                        flags: None,
                        meminfo_len: None,
                    };
                    for a in r.attrs() {
                        match a.unwrap() {
                            NetlinkDiagAttr::Groups(g) => {
                                s.groups = Some(netlink_groups(g.0).collect())
                            }
                            NetlinkDiagAttr::Flags(f) => s.flags = Some(f.bits),
                            NetlinkDiagAttr::Meminfo(mi) => s.meminfo_len = Some(mi.len()),
                            other => panic!("unexpected attribute {other:?}"),
                        }
                    }
                    // A socket both bound (in the port hash) and in the
                    // protocol's multicast list is reported twice: the
                    // mc_list walk skips `sk_hashed()` sockets, which tests
                    // `sk_node`, a list netlink sockets are never on.
                    let e = out.entry(ino).or_insert((s.clone(), 0));
                    assert_eq!(e.0, s, "inode {ino} reported differently");
                    e.1 += 1;
                }
                ControlFlow::Continue(())
            },
        )
        .unwrap();
    (out, n)
}

#[test]
fn netlink_diag_reports_our_netlink_sockets_like_ss() {
    if !common::have_sock_diag(
        AddressFamily::Netlink.raw(),
        NDIAG_PROTO_ALL,
        "netlink_diag (CONFIG_NETLINK_DIAG)",
    ) {
        return;
    }
    // A rtnetlink socket bound to groups 1 (RTMGRP_LINK) and 5
    // (RTMGRP_IPV4_IFADDR = 0x10), with NETLINK_NO_ENOBUFS.
    let mut route = Socket::new(NetlinkFamily::Route).unwrap();
    route.bind(0, 0x1 | 0x10).unwrap();
    route.set_no_enobufs(true).unwrap();
    let route_port = route.port_id().unwrap();
    // A generic netlink socket with NETLINK_CAP_ACK, connected to the
    // rtnetlink socket's port (NETLINK_CONNECTED, ndiag_dst_portid).
    let mut generic = Socket::new(NetlinkFamily::Generic).unwrap();
    generic.bind_auto().unwrap();
    generic.set_cap_ack(true).unwrap();
    generic.connect(route_port, 0).unwrap();
    let generic_port = generic.port_id().unwrap();
    // The dumping socket itself: NETLINK_SOCK_DIAG, a dump running on it.
    let mut dumper = sock_diag();
    let (ri, gi, di) = (inode(&route), inode(&generic), inode(&dumper));

    let show = NDIAG_SHOW_MEMINFO | NDIAG_SHOW_GROUPS | NDIAG_SHOW_FLAGS;
    let (seen, n) = dump_netlink(&mut dumper, &[ri, gi, di], show);
    assert!(n >= 3, "{n} replies");

    // The route socket is bound and has groups: reported twice (see
    // dump_netlink); the others once.
    assert_eq!((seen[&ri].1, seen[&gi].1, seen[&di].1), (2, 1, 1));
    let r = &seen[&ri].0;
    assert_eq!(r.protocol, NetlinkFamily::Route.raw() as u8);
    assert_eq!(r.typ, SockType::Raw.raw());
    // Never connected: still sock_init_data's TCP_CLOSE.
    assert_eq!(r.state, NetlinkState::Close.raw());
    assert_eq!(r.portid, route_port);
    assert_eq!(r.groups.as_deref(), Some(&[1, 5][..]));
    assert_eq!(r.flags, Some(NDIAG_FLAG_NO_ENOBUFS));
    assert_eq!(r.meminfo_len, Some(36), "__u32[SK_MEMINFO_VARS]");

    let g = &seen[&gi].0;
    assert_eq!(g.protocol, NetlinkFamily::Generic.raw() as u8);
    assert_eq!(g.state, NetlinkState::Connected.raw());
    assert_eq!(
        (g.portid, g.dst_portid, g.dst_group),
        (generic_port, route_port, 0)
    );
    assert_eq!(g.groups, None, "no groups joined: no NETLINK_DIAG_GROUPS");
    assert_eq!(g.flags, Some(NDIAG_FLAG_CAP_ACK));

    let d = &seen[&di].0;
    assert_eq!(d.protocol, NetlinkFamily::SockDiag.raw() as u8);
    assert_eq!(
        d.flags.map(|f| f & NDIAG_FLAG_CB_RUNNING),
        Some(NDIAG_FLAG_CB_RUNNING)
    );

    // One protocol only: our route socket, not the generic one.
    let req_one = NetlinkFamily::Route.raw() as u8;
    let mut only = Vec::new();
    let req = NetlinkDiagReq::dump(req_one, 0);
    dumper
        .dump_with(
            |b, seq| {
                b.message(
                    SOCK_DIAG_BY_FAMILY,
                    NLM_F_REQUEST | NLM_F_DUMP,
                    seq,
                    0,
                    |b| b.put_struct(&req),
                )
            },
            |m| {
                let r = NetlinkDiagResponse::parse(m.payload, 0, Mode::Strict).unwrap();
                assert_eq!(r.header.ndiag_protocol, req_one);
                assert_eq!(r.attrs().count(), 0, "nothing asked for");
                only.push(r.header.ndiag_ino.get());
                ControlFlow::Continue(())
            },
        )
        .unwrap();
    assert!(only.contains(&ri) && !only.contains(&gi));

    // iproute2 ss shows "protocol:portid" as the local address.
    let Some(text) = iproute2_ss(&["-A", "netlink", "-a", "-n", "-H"]) else {
        return;
    };
    // ss lists what the kernel sent: the route socket twice too.
    for (s, what, times) in [(r, "route", 2), (g, "generic", 1)] {
        let local = format!("{}:{}", s.protocol, s.portid);
        let n = text
            .lines()
            .filter(|l| l.split_whitespace().nth(3) == Some(local.as_str()))
            .count();
        assert_eq!(n, times, "{what} socket {local} in ss -A netlink:\n{text}");
    }
}

/// What one `packet_diag_msg` said, owned.
#[derive(Debug, Default, Clone)]
struct PkSeen {
    typ: u8,
    num: u16,
    info: Option<(u32, u32, u32)>,
    mclist: Option<usize>,
    uid: Option<u32>,
    meminfo_len: Option<usize>,
    rings: usize,
    fanout: Option<u32>,
    filter: Option<usize>,
}

fn packet_socket(typ: SocketType, proto: Option<rustix::net::Protocol>) -> Option<OwnedFd> {
    common::available(
        "CAP_NET_RAW (root) for AF_PACKET sockets",
        rustix::net::socket_with(Af::PACKET, typ, SocketFlags::CLOEXEC, proto),
    )
}

fn dump_packet(want: &[u32], show: u32) -> (HashMap<u32, PkSeen>, usize) {
    let mut s = sock_diag();
    let req = PacketDiagReq::dump(show);
    let mut out = HashMap::new();
    let mut n = 0;
    s.dump_with(
        |b, seq| {
            b.message(
                SOCK_DIAG_BY_FAMILY,
                NLM_F_REQUEST | NLM_F_DUMP,
                seq,
                0,
                |b| b.put_struct(&req),
            )
        },
        |m| {
            n += 1;
            let r = PacketDiagResponse::parse(m.payload, m.payload_offset(), Mode::Strict)
                .unwrap_or_else(|e| panic!("packet_diag reply: {e} ({m:?})"));
            let h = r.header;
            assert_eq!(h.pdiag_family, AddressFamily::Packet.raw());
            let ino = h.pdiag_ino.get();
            if want.contains(&ino) {
                let mut s = PkSeen {
                    typ: h.pdiag_type,
                    num: h.pdiag_num.get(),
                    ..PkSeen::default()
                };
                for a in r.attrs() {
                    match a.unwrap() {
                        PacketDiagAttr::Info(i) => {
                            s.info =
                                Some((i.pdi_index.get(), i.pdi_version.get(), i.pdi_flags.get()))
                        }
                        PacketDiagAttr::Mclist(l) => s.mclist = Some(l.0.len()),
                        PacketDiagAttr::Uid(u) => s.uid = Some(u),
                        PacketDiagAttr::Meminfo(mi) => s.meminfo_len = Some(mi.len()),
                        PacketDiagAttr::RxRing(_) | PacketDiagAttr::TxRing(_) => s.rings += 1,
                        PacketDiagAttr::Fanout(f) => s.fanout = Some(f),
                        PacketDiagAttr::Filter(f) => s.filter = Some(f.0.len()),
                        other => panic!("unexpected attribute {other:?}"),
                    }
                }
                assert!(out.insert(ino, s).is_none(), "inode {ino} twice");
            }
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    (out, n)
}

#[test]
fn packet_diag_reports_our_packet_sockets_like_ss() {
    if !common::have_sock_diag(
        AddressFamily::Packet.raw(),
        0,
        "packet_diag (CONFIG_PACKET_DIAG)",
    ) {
        return;
    }
    let Some(all) = packet_socket(SocketType::RAW, Some(rustix::net::eth::ALL)) else {
        return;
    };
    let ip = packet_socket(SocketType::DGRAM, Some(rustix::net::eth::IP)).unwrap();
    // Protocol 0: not hooked to any device, not running.
    let idle = packet_socket(SocketType::DGRAM, None).unwrap();
    let (ai, ii, zi) = (inode(&all), inode(&ip), inode(&idle));

    let show = PACKET_SHOW_INFO
        | PACKET_SHOW_MCLIST
        | PACKET_SHOW_RING_CFG
        | PACKET_SHOW_FANOUT
        | PACKET_SHOW_MEMINFO
        | PACKET_SHOW_FILTER;
    let (seen, n) = dump_packet(&[ai, ii, zi], show);
    assert!(n >= 3, "{n} replies");
    let uid = std::fs::metadata("/proc/self").unwrap().uid();
    let v1 = TpacketVersion::V1.raw();
    for (ino, typ, num, running) in [
        (ai, SockType::Raw, 0x0003, PDI_RUNNING), // ETH_P_ALL, host order
        (ii, SockType::Dgram, 0x0800, PDI_RUNNING), // ETH_P_IP
        (zi, SockType::Dgram, 0, 0),
    ] {
        let s = &seen[&ino];
        assert_eq!((s.typ, s.num), (typ.raw(), num), "{ino}: {s:?}");
        // Not bound to a device, TPACKET_V1, running iff it has a protocol.
        assert_eq!(s.info, Some((0, v1, running)), "{ino}: {s:?}");
        // MCLIST is always opened (empty without memberships); UID always.
        assert_eq!(s.mclist, Some(0));
        assert_eq!(s.uid, Some(uid));
        assert_eq!(s.meminfo_len, Some(36));
        assert_eq!((s.rings, s.fanout, s.filter), (0, None, None), "{s:?}");
    }

    // iproute2 ss -0: the netid, "ino:N", and the protocol as the local
    // address ("*" for ETH_P_ALL, "[2048]" for ETH_P_IP with -n).
    let Some(text) = iproute2_ss(&["-0", "-a", "-n", "-e", "-H"]) else {
        return;
    };
    let line = |ino: u32| {
        let key = format!("ino:{ino}");
        text.lines()
            .find(|l| l.split_whitespace().any(|w| w == key))
            .unwrap_or_else(|| panic!("{key} not in ss -0:\n{text}"))
            .split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let a = line(ai);
    assert_eq!((a[0].as_str(), a[4].as_str()), ("p_raw", "*:*"), "{a:?}");
    let i = line(ii);
    assert_eq!(
        (i[0].as_str(), i[4].as_str()),
        ("p_dgr", "[2048]:*"),
        "{i:?}"
    );
    assert_eq!(line(zi)[0], "p_dgr");
}

/// `INET_DIAG_INFO` of `IPPROTO_MPTCP` sockets is `struct mptcp_info` of the
/// running kernel's size (96 bytes on 6.18): connect an MPTCP pair on
/// loopback, dump with `INET_DIAG_REQ_PROTOCOL` and read it with
/// `MptcpInfoView`.
#[test]
fn mptcp_info_arrives_whole_in_inet_diag_info() {
    use nlwire::families::sock_diag::{
        idiag_ext_bit, InetDiagAttr, InetDiagReqAttr, InetDiagReqV2, InetRequest, InetResponse,
        IpProto, MptcpInfo, MptcpInfoView, INET_DIAG_INFO, IPPROTO_MPTCP,
        MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED, TCPF_ALL,
    };
    use nlwire::wire::WireStruct;
    use rustix::net::ipproto;
    use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};

    if !common::have_sock_diag(AddressFamily::Inet.raw(), 6, "inet_diag (CONFIG_INET_DIAG)") {
        return;
    }
    let mptcp = || {
        rustix::net::socket_with(
            Af::INET,
            SocketType::STREAM,
            SocketFlags::CLOEXEC,
            Some(ipproto::MPTCP),
        )
    };
    let Some(l) = common::available("MPTCP (net.mptcp.enabled)", mptcp()) else {
        return;
    };
    let lo = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0));
    rustix::net::bind(&l, &lo).unwrap();
    rustix::net::listen(&l, 4).unwrap();
    let port = match SocketAddr::try_from(rustix::net::getsockname(&l).unwrap()) {
        Ok(a) => a.port(),
        Err(e) => panic!("{e:?}"),
    };
    let c = mptcp().unwrap();
    rustix::net::connect(
        &c,
        &SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port)),
    )
    .unwrap();
    let a = rustix::net::accept(&l).unwrap();
    let want = [inode(&l), inode(&c), inode(&a)];

    let req = InetDiagReqV2::dump(
        AddressFamily::Inet,
        IpProto::Tcp,
        idiag_ext_bit(INET_DIAG_INFO),
        TCPF_ALL,
    );
    // What the request tells its replies (the "protocol" selector).
    let context = {
        let mut b = nlwire::netlink::Builder::new_vec();
        b.message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1, 0, |b| {
            InetRequest::write(b, &req, &[InetDiagReqAttr::Protocol(IPPROTO_MPTCP)])
        })
        .unwrap();
        let bytes = b.into_vec();
        let m = nlwire::netlink::Messages::new(&bytes)
            .next()
            .unwrap()
            .unwrap();
        nlwire::decode::decode(NetlinkFamily::SockDiag.raw(), m, Mode::Strict).request_context()
    };
    assert!(!context.is_empty());
    let mut s = sock_diag();
    let mut got = HashMap::new();
    s.dump_with(
        |b, seq| {
            b.message(
                SOCK_DIAG_BY_FAMILY,
                NLM_F_REQUEST | NLM_F_DUMP,
                seq,
                0,
                |b| InetRequest::write(b, &req, &[InetDiagReqAttr::Protocol(IPPROTO_MPTCP)]),
            )
        },
        |m| {
            let r = InetResponse::parse(m.payload, m.payload_offset(), Mode::Strict).unwrap();
            let ino = r.header.idiag_inode.get();
            if want[1..].contains(&ino) {
                // The generic decoder, given what the request said, walks
                // INET_DIAG_INFO as struct mptcp_info by kernel names.
                let d = nlwire::decode::decode_in(
                    &nlwire::registry::Registry::DEFAULT,
                    NetlinkFamily::SockDiag.raw(),
                    m,
                    Mode::Strict,
                    context,
                );
                let mut names = Names::default();
                nlwire::value::Walk::walk(&d, &mut names);
                assert!(names.0.iter().any(|n| n == "mptcpi_token"), "{:?}", names.0);
                assert!(!names.0.iter().any(|n| n == "tcpi_rtt"), "{:?}", names.0);
            }
            if want.contains(&ino) {
                for at in r.attrs() {
                    if let InetDiagAttr::Info(t) = at.unwrap() {
                        got.insert(ino, t.bytes().to_vec());
                    }
                }
            }
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    // The sizes struct mptcp_info has had; the running kernel's for ours.
    let known = [40, 48, 80, 88, 96];
    for ino in &want[1..] {
        let bytes = &got[ino];
        let v = MptcpInfoView::new(bytes);
        assert!(
            known.contains(&v.len()) || v.len() > MptcpInfo::SIZE,
            "{}",
            v.len()
        );
        if std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .unwrap()
            .starts_with("6.18.")
        {
            assert_eq!(v.len(), MptcpInfo::SIZE, "6.18 sends 96 bytes");
            assert!(v.extra().is_empty());
            assert_eq!(v.mptcpi_subflows_total(), Some(1), "the initial subflow");
        }
        assert_ne!(
            v.mptcpi_token(),
            Some(0),
            "an established connection has a token"
        );
        let flags = v.mptcpi_flags().unwrap();
        assert_eq!(
            flags & MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED,
            MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED,
            "{flags:#x}"
        );
    }
    // The listener is reported too (its INFO, if any, parses as a view).
    assert!(
        got.contains_key(&want[0]),
        "listener {} not dumped",
        want[0]
    );
}

/// Field and group names of a walk.
#[derive(Default)]
struct Names(Vec<String>);

impl nlwire::value::Visitor for Names {
    fn field(&mut self, name: &str, _: nlwire::value::Value<'_>) {
        self.0.push(name.to_string());
    }
    fn begin(&mut self, name: &str) {
        self.0.push(name.to_string());
    }
    fn end(&mut self) {}
    fn depth(&self) -> usize {
        0
    }
    fn error(&mut self, e: nlwire::Error) {
        panic!("walk error {e}");
    }
}

/// `INET_DIAG_INFO` of an SCTP association is `struct sctp_info`: dump
/// `IPPROTO_SCTP` and walk the reply with the request's context. The
/// issue asks for this only where the `sctp` module loads: without SCTP
/// (`EPROTONOSUPPORT`, as on kernels without the module) the test says so
/// and ends, in CI too.
#[test]
fn sctp_info_arrives_as_sctp_info_where_sctp_exists() {
    use nlwire::families::sock_diag::{
        idiag_ext_bit, InetDiagReqV2, InetRequest, IpProto, INET_DIAG_INFO, TCPF_ALL,
    };
    use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};

    let sctp = || {
        rustix::net::socket_with(
            Af::INET,
            SocketType::STREAM,
            SocketFlags::CLOEXEC,
            Some(rustix::net::Protocol::from_raw(
                std::num::NonZeroU32::new(132).unwrap(),
            )),
        )
    };
    let l = match sctp() {
        Ok(l) => l,
        Err(e) => {
            eprintln!("SKIPPED: SCTP is not available on this kernel: {e}");
            return;
        }
    };
    if !common::have_sock_diag(AddressFamily::Inet.raw(), 132, "sctp_diag") {
        return;
    }
    let lo = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0));
    rustix::net::bind(&l, &lo).unwrap();
    rustix::net::listen(&l, 4).unwrap();
    let port = match SocketAddr::try_from(rustix::net::getsockname(&l).unwrap()) {
        Ok(a) => a.port(),
        Err(e) => panic!("{e:?}"),
    };
    let c = sctp().unwrap();
    rustix::net::connect(
        &c,
        &SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port)),
    )
    .unwrap();
    let _a = rustix::net::accept(&l).unwrap();

    let req = InetDiagReqV2::dump(
        AddressFamily::Inet,
        IpProto::Sctp,
        idiag_ext_bit(INET_DIAG_INFO),
        TCPF_ALL,
    );
    let mut b = nlwire::netlink::Builder::new_vec();
    b.message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1, 0, |b| {
        InetRequest::write(b, &req, &[])
    })
    .unwrap();
    let bytes = b.into_vec();
    let m = nlwire::netlink::Messages::new(&bytes)
        .next()
        .unwrap()
        .unwrap();
    let context =
        nlwire::decode::decode(NetlinkFamily::SockDiag.raw(), m, Mode::Strict).request_context();
    let mut s = sock_diag();
    let mut with_info = 0;
    s.dump_with(
        |b, seq| {
            b.message(
                SOCK_DIAG_BY_FAMILY,
                NLM_F_REQUEST | NLM_F_DUMP,
                seq,
                0,
                |b| InetRequest::write(b, &req, &[]),
            )
        },
        |m| {
            let d = nlwire::decode::decode_in(
                &nlwire::registry::Registry::DEFAULT,
                NetlinkFamily::SockDiag.raw(),
                m,
                Mode::Lenient,
                context,
            );
            let mut names = Names::default();
            nlwire::value::Walk::walk(&d, &mut names);
            if names.0.iter().any(|n| n == "INET_DIAG_INFO") {
                with_info += 1;
                assert!(names.0.iter().any(|n| n == "sctpi_tag"), "{:?}", names.0);
                assert!(!names.0.iter().any(|n| n == "tcpi_rtt"), "{:?}", names.0);
            }
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    assert!(with_info > 0, "no SCTP socket reported INET_DIAG_INFO");
}
