//! sock_diag destroy events (`SKNLGRP_INET_TCP_DESTROY`,
//! `SKNLGRP_INET_UDP_DESTROY`) through `Socket::join_sock_diag_destroy` and
//! the receive loop `Socket::listen`: a TCP connection and a UDP socket
//! made and closed by the test are reported, with their group.

mod common;
use common::available;

use std::net::{TcpListener, TcpStream, UdpSocket};
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use nlwire::families::sock_diag::{decode, SockDiagMessage};
use nlwire::family::NetlinkFamily;
use nlwire::Mode;
use nlwire_io::{Socket, SKNLGRP_INET_TCP_DESTROY, SKNLGRP_INET_UDP_DESTROY};

/// Listen until an event for local port `port` arrives; its group.
fn wait_for(s: &mut Socket, port: u16) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut group = None;
    while group.is_none() && Instant::now() < deadline {
        let r = s.listen(|m, from| {
            if let Ok(SockDiagMessage::InetResponse(r)) = decode(&m, Mode::Lenient) {
                if r.header.id.idiag_sport.get() == port {
                    group = from.group;
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        });
        match r {
            Ok(()) => {}
            Err(e) if e.is_would_block() => {}
            Err(e) => panic!("listen: {e}"),
        }
    }
    group.unwrap_or_else(|| panic!("no destroy event for port {port} in 10 s"))
}

#[test]
fn closed_tcp_and_udp_sockets_are_reported_with_their_group() {
    let mut s = Socket::new(NetlinkFamily::SockDiag).unwrap();
    let joined = s.join_sock_diag_destroy(&[SKNLGRP_INET_TCP_DESTROY, SKNLGRP_INET_UDP_DESTROY]);
    if available("joining sock_diag destroy groups (CAP_NET_ADMIN)", joined).is_none() {
        return;
    }
    s.set_recv_timeout(Some(Duration::from_secs(1))).unwrap();
    assert_ne!(s.port_id().unwrap(), 0, "joining must bind the socket");

    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let (a, _) = l.accept().unwrap();
    let cport = c.local_addr().unwrap().port();
    drop((c, a, l));
    assert_eq!(wait_for(&mut s, cport), SKNLGRP_INET_TCP_DESTROY);

    let u = UdpSocket::bind("127.0.0.1:0").unwrap();
    let uport = u.local_addr().unwrap().port();
    drop(u);
    assert_eq!(wait_for(&mut s, uport), SKNLGRP_INET_UDP_DESTROY);
}
