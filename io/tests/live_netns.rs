//! Sockets in another network namespace (`Socket::new_in_netns`,
//! `run_in_netns`) and adopting a socket opened elsewhere
//! (`Socket::from(OwnedFd)`, `Socket::adopt`), against the live kernel: a
//! namespace made with `ip netns add` (deleted on drop), a TCP listener made
//! inside it, seen by a sock_diag dump from a socket opened there and not
//! by one opened here.

mod common;
use common::{inode, Netns};

use std::net::TcpListener;
use std::ops::ControlFlow;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;
use std::process::Command;
use std::time::Duration;

use nlwire::families::sock_diag::{
    decode, AddressFamily, InetDiagReqV2, IpProto, SockDiagMessage, SOCK_DIAG_BY_FAMILY,
};
use nlwire::family::NetlinkFamily;
use nlwire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
use nlwire::Mode;
use nlwire_io::{open_netns, run_in_netns, Socket};

/// Inodes of every IPv4 TCP socket the socket's namespace has.
fn tcp_inodes(s: &mut Socket) -> Vec<u32> {
    s.set_recv_timeout(Some(Duration::from_secs(5))).unwrap();
    let req = InetDiagReqV2::dump(AddressFamily::Inet, IpProto::Tcp, 0, u32::MAX);
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
            if let Ok(SockDiagMessage::InetResponse(r)) = decode(&m, Mode::Lenient) {
                out.push(r.header.idiag_inode.get());
            }
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    out
}

fn thread_netns() -> std::path::PathBuf {
    std::fs::read_link("/proc/thread-self/ns/net").unwrap()
}

#[test]
fn a_socket_opened_in_a_named_namespace_sees_only_that_namespace() {
    let Some(ns) = Netns::new("path") else { return };
    let before = thread_netns();
    // A listener made inside the namespace (by a thread that entered it).
    let nsfd = open_netns(ns.path()).unwrap();
    let listener = run_in_netns(nsfd.as_fd(), || {
        assert_ne!(thread_netns(), before, "the worker thread did not move");
        TcpListener::bind("0.0.0.0:0").unwrap()
    })
    .unwrap();
    assert_eq!(
        thread_netns(),
        before,
        "run_in_netns moved the calling thread"
    );
    let ino = inode(&listener);

    let mut inside = Socket::new_in_netns(NetlinkFamily::SockDiag, ns.path()).unwrap();
    assert_eq!(
        thread_netns(),
        before,
        "new_in_netns moved the calling thread"
    );
    let seen = tcp_inodes(&mut inside);
    assert!(
        seen.contains(&ino),
        "listener {ino} not in the namespace's dump {seen:?}"
    );
    // The namespace is fresh: the listener is its only TCP socket.
    assert_eq!(seen, vec![ino]);

    let mut here = Socket::new(NetlinkFamily::SockDiag).unwrap();
    assert!(
        !tcp_inodes(&mut here).contains(&ino),
        "the host's dump shows the namespace's listener"
    );
    // The same namespace by fd, and by /proc/PID/ns/net of a process in it.
    let mut by_fd = Socket::new_in_netns_fd(NetlinkFamily::SockDiag, nsfd.as_fd()).unwrap();
    assert_eq!(tcp_inodes(&mut by_fd), vec![ino]);
    let mut child = Command::new("ip")
        .args(["netns", "exec", &ns.name, "sleep", "10"])
        .spawn()
        .unwrap();
    let proc_path = format!("/proc/{}/ns/net", child.id());
    let ns_ino = std::fs::metadata(ns.path()).unwrap().ino();
    // `ip netns exec` enters the namespace before exec'ing sleep.
    let mut found = None;
    for _ in 0..100 {
        if std::fs::metadata(&proc_path).ok().map(|m| m.ino()) == Some(ns_ino) {
            found = Some(Socket::new_in_netns(NetlinkFamily::SockDiag, &proc_path).unwrap());
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    let mut by_proc = found.expect("the child never entered the namespace");
    assert_eq!(tcp_inodes(&mut by_proc), vec![ino]);
}

#[test]
fn a_file_that_is_not_a_network_namespace_is_refused() {
    let Some(_ns) = Netns::new("bad") else { return };
    let e = Socket::new_in_netns(NetlinkFamily::SockDiag, "/proc/self/ns/uts").unwrap_err();
    assert_eq!(e.errno(), Some(22), "{e}"); // EINVAL from setns(CLONE_NEWNET)
    assert!(Socket::new_in_netns(NetlinkFamily::SockDiag, "/nonexistent/ns").is_err());
}

#[test]
fn an_adopted_fd_keeps_its_family_and_namespace() {
    let Some(ns) = Netns::new("adopt") else {
        return;
    };
    let nsfd = open_netns(ns.path()).unwrap();
    let listener = run_in_netns(nsfd.as_fd(), || TcpListener::bind("0.0.0.0:0").unwrap()).unwrap();
    // A raw socket(2) made inside the namespace, by other code, as an OwnedFd.
    let fd: OwnedFd = run_in_netns(nsfd.as_fd(), || {
        OwnedFd::from(Socket::new(NetlinkFamily::SockDiag).unwrap())
    })
    .unwrap();
    let raw = fd.as_raw_fd();
    let mut adopted = Socket::from(fd);
    assert_eq!(adopted.as_raw_fd(), raw);
    assert_eq!(adopted.protocol(), NetlinkFamily::SockDiag);
    assert_eq!(tcp_inodes(&mut adopted), vec![inode(&listener)]);

    // NETLINK_ROUTE (protocol 0: SO_PROTOCOL reads 0) round-trips too.
    let route = OwnedFd::from(Socket::new(0u16).unwrap());
    assert_eq!(
        Socket::adopt(route).unwrap().protocol(),
        NetlinkFamily::from(0u16)
    );
    // adopt refuses what is not AF_NETLINK.
    let tcp = OwnedFd::from(TcpListener::bind("127.0.0.1:0").unwrap());
    assert!(matches!(
        Socket::adopt(tcp),
        Err(nlwire_io::Error::BadRequest(_))
    ));
}
