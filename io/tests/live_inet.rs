//! Live inet_diag tests: TCP (listening with pending connections,
//! established with queued data, TIME_WAIT) and UDP sockets of our own on
//! 127.0.0.1 and ::1, dumped through the shim, filtered by port.

mod common;
use common::inode;

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::ops::ControlFlow;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::fs::MetadataExt;
use std::time::{Duration, Instant};

use nlwire::families::sock_diag::{
    decode, AddressFamily, InetDiagAttr, InetDiagReqV2, InetDiagTimer, IpProto, SockDiagMessage,
    TcpState, INET_DIAG_EXT_ALL, SOCK_DIAG_BY_FAMILY,
};
use nlwire::family::NetlinkFamily;
use nlwire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
use nlwire::Mode;
use nlwire_io::Socket;

/// What one `inet_diag_msg` said, owned.
#[derive(Debug, Default, Clone)]
struct Seen {
    state: u8,
    timer: u8,
    expires: u32,
    local: Option<SocketAddr>,
    remote: Option<SocketAddr>,
    rqueue: u32,
    wqueue: u32,
    uid: u32,
    inode: u32,
    tcpi_len: Option<usize>,
    tcpi_state: Option<u8>,
    tcpi_snd_mss: Option<u32>,
    tcpi_pmtu: Option<u32>,
    cong: Option<String>,
    shutdown: Option<u8>,
    skmeminfo: bool,
}

fn my_uid() -> u32 {
    std::fs::metadata("/proc/self").unwrap().uid()
}

fn family_of(ip: IpAddr) -> AddressFamily {
    if ip.is_ipv4() {
        AddressFamily::Inet
    } else {
        AddressFamily::Inet6
    }
}

/// Dump `proto` sockets of `family` in `states` with every extension, keep
/// those whose local port is in `ports`.
fn dump(family: AddressFamily, proto: IpProto, states: u32, ports: &[u16]) -> Vec<Seen> {
    let mut s = Socket::new(NetlinkFamily::SockDiag).unwrap();
    s.set_recv_timeout(Some(Duration::from_secs(5))).unwrap();
    let req = InetDiagReqV2::dump(family, proto, INET_DIAG_EXT_ALL, states);
    let mut out = Vec::new();
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
            let r = match decode(&m, Mode::Lenient) {
                Ok(SockDiagMessage::InetResponse(r)) => r,
                other => panic!("not an inet_diag reply: {other:?}"),
            };
            let h = r.header;
            assert_eq!(h.idiag_family, family.raw());
            if !ports.contains(&h.id.sport()) {
                return ControlFlow::Continue(());
            }
            let mut s = Seen {
                state: h.idiag_state,
                timer: h.idiag_timer,
                expires: h.idiag_expires.get(),
                local: h.local(),
                remote: h.remote(),
                rqueue: h.idiag_rqueue.get(),
                wqueue: h.idiag_wqueue.get(),
                uid: h.idiag_uid.get(),
                inode: h.idiag_inode.get(),
                ..Seen::default()
            };
            for a in r.attrs() {
                match a.unwrap() {
                    InetDiagAttr::Info(t) => {
                        let t = t.as_tcp_info();
                        s.tcpi_len = Some(t.len());
                        s.tcpi_state = t.tcpi_state();
                        s.tcpi_snd_mss = t.tcpi_snd_mss();
                        s.tcpi_pmtu = t.tcpi_pmtu();
                    }
                    InetDiagAttr::Cong(c) => {
                        s.cong = Some(String::from_utf8_lossy(c.to_bytes()).into_owned())
                    }
                    InetDiagAttr::Shutdown(b) => s.shutdown = Some(b.bits),
                    InetDiagAttr::Skmeminfo(_) => s.skmeminfo = true,
                    _ => {}
                }
            }
            out.push(s);
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    out
}

/// The one socket `local -> remote` (`None`: unconnected, remote `*:0`).
fn one(seen: &[Seen], local: SocketAddr, remote: Option<SocketAddr>) -> &Seen {
    let hits: Vec<&Seen> = seen
        .iter()
        .filter(|s| {
            s.local == Some(local)
                && match remote {
                    Some(r) => s.remote == Some(r),
                    None => s
                        .remote
                        .is_some_and(|r| r.port() == 0 && r.ip().is_unspecified()),
                }
        })
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "one socket {local} -> {remote:?} in {seen:#?}"
    );
    hits[0]
}

/// A TCP listener with an explicit backlog.
fn tcp_listener(ip: IpAddr, backlog: i32) -> Option<TcpListener> {
    let af = if ip.is_ipv4() {
        rustix::net::AddressFamily::INET
    } else {
        rustix::net::AddressFamily::INET6
    };
    let fd: OwnedFd = rustix::net::socket_with(
        af,
        rustix::net::SocketType::STREAM,
        rustix::net::SocketFlags::CLOEXEC,
        None,
    )
    .ok()?;
    let bound = rustix::net::bind(&fd, &SocketAddr::new(ip, 0));
    common::available(&format!("binding a TCP socket to {ip}"), bound)?;
    rustix::net::listen(&fd, backlog).unwrap();
    Some(TcpListener::from(fd))
}

/// `getsockopt(TCP_MAXSEG)`: the kernel's `mss_cache`, which `tcpi_snd_mss` reports.
fn tcp_maxseg(fd: impl AsFd) -> u32 {
    nix::sys::socket::getsockopt(&fd, nix::sys::socket::sockopt::TcpMaxSeg).unwrap()
}

fn lo_mtu() -> u32 {
    std::fs::read_to_string("/sys/class/net/lo/mtu")
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn tcp_scenario(ip: IpAddr) {
    let family = family_of(ip);
    if !common::have_sock_diag(family.raw(), 6, "tcp_diag (CONFIG_INET_TCP_DIAG)") {
        return;
    }
    let Some(listener) = tcp_listener(ip, 7) else {
        return;
    };
    let laddr = listener.local_addr().unwrap();
    let client = TcpStream::connect(laddr).unwrap();
    let (mut server, _) = listener.accept().unwrap();
    let pending = TcpStream::connect(laddr).unwrap();
    let caddr = client.local_addr().unwrap();
    let paddr = pending.local_addr().unwrap();
    // 123 bytes the server does not read.
    (&client).write_all(&[7u8; 123]).unwrap();
    let ports = [laddr.port(), caddr.port(), paddr.port()];

    // Wait until the bytes have arrived (loopback: at once, in practice).
    let deadline = Instant::now() + Duration::from_secs(5);
    let seen = loop {
        let seen = dump(family, IpProto::Tcp, u32::MAX, &ports);
        let srv = seen
            .iter()
            .find(|s| s.local == Some(laddr) && s.remote == Some(caddr));
        if srv.is_some_and(|s| s.rqueue == 123) || Instant::now() > deadline {
            break seen;
        }
        std::thread::sleep(Duration::from_millis(20));
    };

    // The listener: state, one pending connection, backlog 7.
    let l = one(&seen, laddr, None);
    assert_eq!(l.state, TcpState::Listen.raw());
    assert_eq!((l.rqueue, l.wqueue), (1, 7), "{l:?}");
    assert_eq!(l.inode, inode(&listener));
    assert_eq!(l.uid, my_uid());
    assert_eq!(l.remote.map(|r| r.port()), Some(0));
    assert_eq!(l.tcpi_state, Some(TcpState::Listen.raw()));

    // The established pair: addresses both ways, inodes, queued bytes.
    let c = one(&seen, caddr, Some(laddr));
    let s = one(&seen, laddr, Some(caddr));
    assert_eq!(
        (c.state, s.state),
        (TcpState::Established.raw(), TcpState::Established.raw())
    );
    assert_eq!(c.inode, inode(&client));
    assert_eq!(s.inode, inode(&server));
    assert_eq!(s.rqueue, 123, "unread bytes in the server's receive queue");
    assert_eq!(c.wqueue, 0, "the client's bytes were all acked");
    assert_eq!(c.timer, InetDiagTimer::None.raw());
    // tcp_info agrees with what the socket itself says.
    assert!(c.tcpi_len.unwrap() >= 104, "{c:?}");
    assert_eq!(c.tcpi_state, Some(TcpState::Established.raw()));
    assert_eq!(c.tcpi_snd_mss, Some(tcp_maxseg(&client)));
    // The path MTU is lo's, capped for IPv4 at IP_MAX_MTU (65535).
    let pmtu = if ip.is_ipv4() {
        lo_mtu().min(65_535)
    } else {
        lo_mtu()
    };
    assert_eq!(c.tcpi_pmtu, Some(pmtu));
    let cong = rustix::net::sockopt::tcp_congestion(&client).unwrap();
    assert_eq!(c.cong.as_deref(), Some(cong.as_str()));
    assert_eq!(c.shutdown, Some(0));
    assert!(c.skmeminfo);

    // The pending connection is established on the client side and counted
    // by the listener; the server side has no socket (and no inode) yet.
    let p = one(&seen, paddr, Some(laddr));
    assert_eq!(p.state, TcpState::Established.raw());
    assert_eq!(p.inode, inode(&pending));

    // TIME_WAIT: the client closes first, the server follows.
    client.shutdown(std::net::Shutdown::Both).unwrap();
    let mut sink = Vec::new();
    server.read_to_end(&mut sink).unwrap();
    assert_eq!(sink.len(), 123);
    drop(server);
    drop(client);
    let deadline = Instant::now() + Duration::from_secs(5);
    let tw = loop {
        let seen = dump(
            family,
            IpProto::Tcp,
            TcpState::TimeWait.mask(),
            &[caddr.port()],
        );
        if let Some(tw) = seen.into_iter().find(|s| s.local == Some(caddr)) {
            break tw;
        }
        assert!(Instant::now() < deadline, "no TIME_WAIT socket for {caddr}");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(tw.state, TcpState::TimeWait.raw());
    assert_eq!(tw.remote, Some(laddr));
    assert_eq!(tw.timer, InetDiagTimer::TimeWait.raw());
    assert!(tw.expires > 0 && tw.expires <= 60_000, "{tw:?}");
    assert_eq!(
        (tw.inode, tw.rqueue, tw.wqueue),
        (0, 0, 0),
        "a timewait socket has no inode or queues"
    );
    assert_eq!(tw.tcpi_len, None, "no tcp_info for TIME_WAIT");

    // A state filter is applied by the kernel: only listeners.
    let listeners = dump(family, IpProto::Tcp, TcpState::Listen.mask(), &ports);
    assert_eq!(listeners.len(), 1);
    assert_eq!(listeners[0].local, Some(laddr));
}

#[test]
fn tcp_v4_listen_established_pending_and_time_wait() {
    tcp_scenario(IpAddr::V4(Ipv4Addr::LOCALHOST));
}

#[test]
fn tcp_v6_listen_established_pending_and_time_wait() {
    tcp_scenario(IpAddr::V6(Ipv6Addr::LOCALHOST));
}

fn udp_scenario(ip: IpAddr) {
    let family = family_of(ip);
    if !common::have_sock_diag(family.raw(), 17, "udp_diag (CONFIG_INET_UDP_DIAG)") {
        return;
    }
    let Some(bound) = common::available(
        &format!("a UDP socket on {ip}"),
        UdpSocket::bind(SocketAddr::new(ip, 0)),
    ) else {
        return;
    };
    let connected = UdpSocket::bind(SocketAddr::new(ip, 0)).unwrap();
    let (baddr, caddr) = (bound.local_addr().unwrap(), connected.local_addr().unwrap());
    connected.connect(baddr).unwrap();
    connected.send(b"queued datagram").unwrap();
    let seen = dump(
        family,
        IpProto::Udp,
        u32::MAX,
        &[baddr.port(), caddr.port()],
    );
    let b = one(&seen, baddr, None);
    assert_eq!(
        b.state,
        TcpState::Close.raw(),
        "an unconnected UDP socket is TCP_CLOSE"
    );
    assert_eq!(b.inode, inode(&bound));
    assert!(
        b.rqueue > 0,
        "the datagram waits in the receive queue: {b:?}"
    );
    assert_eq!(b.tcpi_len, None, "no tcp_info for UDP");
    let c = one(&seen, caddr, Some(baddr));
    assert_eq!(c.state, TcpState::Established.raw());
    assert_eq!(c.inode, inode(&connected));
    assert_eq!(c.uid, my_uid());
}

#[test]
fn udp_v4_bound_and_connected() {
    udp_scenario(IpAddr::V4(Ipv4Addr::LOCALHOST));
}

#[test]
fn udp_v6_bound_and_connected() {
    udp_scenario(IpAddr::V6(Ipv6Addr::LOCALHOST));
}
