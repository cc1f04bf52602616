//! Make the sample captures in `samples/` from the live kernel, with the
//! project's own recorder (`nlwire_io::Recorder`, nlmon-style pcap,
//! `LINKTYPE_NETLINK`):
//!
//! ```text
//! cargo run --example make_samples            # writes samples/
//! cargo run --example make_samples -- DIR     # writes DIR/
//! ```
//!
//! | file | what |
//! |---|---|
//! | `tcp_info.pcap` | `SOCK_DIAG_BY_FAMILY` dumps of TCP over IPv4 and IPv6 with every `idiag_ext` bit (`tcp_info`, meminfo, congestion control, …), limited by a bytecode filter to the sockets this program opens |
//! | `unix.pcap` | a unix_diag dump with every `UDIAG_SHOW_*` (pathname and abstract listeners, stream and datagram pairs) |
//! | `bytecode.pcap` | an inet_diag request whose `INET_DIAG_REQ_BYTECODE` is `( sport = :P or dport = :P ) and not dst 10.0.0.0/8`, and its replies |
//! | `ext_ack.pcap` | errors: an `RTM_GETLINK` dump with a device index under `NETLINK_GET_STRICT_CHK` (`NLMSG_DONE` with `NLMSGERR_ATTR_MSG`), an `RTM_NEWLINK` whose `IFLA_IFNAME` is too long (`NLMSG_ERROR` with `NLMSGERR_ATTR_MSG`, `_OFFS`, `_POLICY`), and a sock_diag request for an address family that does not exist |
//!
//! The unix dump shows every unix socket of the network namespace: run the
//! program in a namespace of its own (`unshare -n`, then `ip link set lo
//! up`) to keep other programs' sockets out of the sample.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::ops::ControlFlow;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nlwire::families::sock_diag::bytecode::{Filter, HostCond, Program};
use nlwire::families::sock_diag::{
    AddressFamily, InetDiagReqAttr, InetDiagReqV2, InetRequest, IpProto, UnixDiagReq,
    INET_DIAG_EXT_ALL, SOCK_DIAG_BY_FAMILY, UDIAG_SHOW_ICONS, UDIAG_SHOW_MEMINFO, UDIAG_SHOW_NAME,
    UDIAG_SHOW_PEER, UDIAG_SHOW_RQLEN, UDIAG_SHOW_UID, UDIAG_SHOW_VFS,
};
use nlwire::family::NetlinkFamily;
use nlwire::netlink::{NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST};
use nlwire::payload::NulStr;
use nlwire_io::{Recorder, Socket};

type Res<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// Every TCP state (`idiag_states` bits 1..=11, as `ss -a` asks).
const ALL_STATES: u32 = 0xfff;
/// `RTM_NEWLINK` (`<linux/rtnetlink.h>`).
const RTM_NEWLINK: u16 = 16;
/// `RTM_GETLINK`.
const RTM_GETLINK: u16 = 18;
/// `IFLA_IFNAME` (`<linux/if_link.h>`).
const IFLA_IFNAME: u16 = 3;

/// TCP connections kept open while the dumps run: listeners, their
/// accepted ends and the clients.
struct TcpSet {
    port: u16,
    _keep: Vec<TcpStream>,
    _listener: TcpListener,
}

fn tcp_set(ip: std::net::IpAddr, clients: usize) -> Res<TcpSet> {
    let listener = TcpListener::bind(SocketAddr::new(ip, 0))?;
    let port = listener.local_addr()?.port();
    let mut keep = Vec::new();
    for i in 0..clients {
        let mut c = TcpStream::connect(SocketAddr::new(ip, port))?;
        let (mut s, _) = listener.accept()?;
        c.write_all(&vec![b'x'; 1000 * (i + 1)])?;
        let mut buf = vec![0u8; 1000 * (i + 1)];
        s.read_exact(&mut buf)?;
        s.write_all(b"reply")?;
        // Left unread on the client: shows up as idiag_rqueue.
        keep.push(c);
        keep.push(s);
    }
    // One connection that is still queued: not yet accepted.
    keep.push(TcpStream::connect(SocketAddr::new(ip, port))?);
    Ok(TcpSet {
        port,
        _keep: keep,
        _listener: listener,
    })
}

/// Send one inet_diag dump request and read the whole reply (recorded).
fn inet_dump(sock: &mut Socket, family: AddressFamily, ext: u8, filter: &Filter) -> Res<usize> {
    let req = InetDiagReqV2::dump(family, IpProto::Tcp, ext, ALL_STATES);
    let prog = filter.compile()?;
    let attrs = [InetDiagReqAttr::Bytecode(Program::new(&prog))];
    let sum = sock.dump_with(
        |b, seq| {
            b.message(
                SOCK_DIAG_BY_FAMILY,
                NLM_F_REQUEST | NLM_F_DUMP,
                seq,
                0,
                |b| InetRequest::write(b, &req, &attrs),
            )
        },
        |_| ControlFlow::Continue(()),
    )?;
    Ok(sum.messages)
}

fn recording(protocol: NetlinkFamily, path: &Path) -> Res<Socket> {
    let mut s = Socket::new(protocol)?;
    s.set_recorder(Recorder::create(path)?);
    Ok(s)
}

fn finish(mut s: Socket, path: &Path) -> Res {
    if let Some(r) = s.take_recorder() {
        let n = r.packets();
        r.finish()?;
        println!("{}: {n} packets", path.display());
    }
    Ok(())
}

fn port_filter(ports: &[u16]) -> Filter {
    let mut f: Option<Filter> = None;
    for &p in ports {
        let one = Filter::SportEq(p).or(Filter::DportEq(p));
        f = Some(match f {
            None => one,
            Some(prev) => prev.or(one),
        });
    }
    f.unwrap_or(Filter::True)
}

fn tcp_info(dir: &Path) -> Res {
    let v4 = tcp_set(Ipv4Addr::LOCALHOST.into(), 2)?;
    let v6 = tcp_set(Ipv6Addr::LOCALHOST.into(), 1)?;
    let path = dir.join("tcp_info.pcap");
    let mut s = recording(NetlinkFamily::SockDiag, &path)?;
    let filter = port_filter(&[v4.port, v6.port]);
    let n4 = inet_dump(&mut s, AddressFamily::Inet, INET_DIAG_EXT_ALL, &filter)?;
    let n6 = inet_dump(&mut s, AddressFamily::Inet6, INET_DIAG_EXT_ALL, &filter)?;
    if n4 == 0 || n6 == 0 {
        return Err(format!("expected sockets in both dumps, got {n4} and {n6}").into());
    }
    finish(s, &path)
}

fn bytecode(dir: &Path) -> Res {
    let v4 = tcp_set(Ipv4Addr::LOCALHOST.into(), 1)?;
    let path = dir.join("bytecode.pcap");
    let mut s = recording(NetlinkFamily::SockDiag, &path)?;
    let ten: std::net::IpAddr = Ipv4Addr::new(10, 0, 0, 0).into();
    let filter = Filter::SportEq(v4.port)
        .or(Filter::DportEq(v4.port))
        .and(!Filter::Dst(HostCond {
            addr: Some(ten),
            prefix_len: 8,
            port: -1,
        }));
    let ext =
        nlwire::families::sock_diag::idiag_ext_bit(nlwire::families::sock_diag::INET_DIAG_INFO);
    inet_dump(&mut s, AddressFamily::Inet, ext, &filter)?;
    finish(s, &path)
}

fn unix(dir: &Path) -> Res {
    let sock_path = std::env::temp_dir().join("nlwire-sample.sock");
    let _ = std::fs::remove_file(&sock_path);
    let listener = UnixListener::bind(&sock_path)?;
    let client = UnixStream::connect(&sock_path)?;
    let (accepted, _) = listener.accept()?;
    (&client).write_all(b"queued")?;
    let abstract_addr = std::os::unix::net::SocketAddr::from_abstract_name(b"nlwire-sample")?;
    let abstract_listener = UnixListener::bind_addr(&abstract_addr)?;
    let pair = UnixStream::pair()?;
    let dgrams = UnixDatagram::pair()?;
    dgrams.0.send(b"datagram")?;

    let path = dir.join("unix.pcap");
    let mut s = recording(NetlinkFamily::SockDiag, &path)?;
    let show = UDIAG_SHOW_NAME
        | UDIAG_SHOW_VFS
        | UDIAG_SHOW_PEER
        | UDIAG_SHOW_ICONS
        | UDIAG_SHOW_RQLEN
        | UDIAG_SHOW_MEMINFO
        | UDIAG_SHOW_UID;
    let req = UnixDiagReq::dump(u32::MAX, show);
    let sum = s.dump_with(
        |b, seq| {
            b.message(
                SOCK_DIAG_BY_FAMILY,
                NLM_F_REQUEST | NLM_F_DUMP,
                seq,
                0,
                |b| b.put_struct(&req),
            )
        },
        |_| ControlFlow::Continue(()),
    )?;
    if sum.messages < 7 {
        return Err(format!("expected at least 7 unix sockets, got {}", sum.messages).into());
    }
    drop((listener, client, accepted, abstract_listener, pair, dgrams));
    let _ = std::fs::remove_file(&sock_path);
    finish(s, &path)
}

fn ext_ack(dir: &Path) -> Res {
    let path = dir.join("ext_ack.pcap");
    // rtnetlink with NETLINK_GET_STRICT_CHK (set by Socket::new): a link
    // dump may not name a device.
    let mut route = recording(NetlinkFamily::Route, &path)?;
    let r = route.dump_with(
        |b, seq| {
            b.message(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, |b| {
                // struct ifinfomsg with ifi_index = 1.
                b.put_bytes(&[0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
            })
        },
        |_| ControlFlow::Continue(()),
    );
    match r {
        Err(nlwire_io::Error::Kernel(k)) => println!("rtnetlink refused as expected: {k}"),
        other => return Err(format!("expected an rtnetlink error, got {other:?}").into()),
    }
    // RTM_NEWLINK whose IFLA_IFNAME is longer than IFNAMSIZ: refused by the
    // attribute policy before anything is created (NLMSG_ERROR with
    // NLMSGERR_ATTR_MSG, _OFFS and _POLICY; EPERM without CAP_NET_ADMIN).
    let r = route.dump_with(
        |b, seq| {
            b.message(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, seq, 0, |b| {
                b.put_bytes(&[0; 16])?;
                b.attr(IFLA_IFNAME, &NulStr(b"nlwire-name-longer-than-ifnamsiz\0"))
            })
        },
        |_| ControlFlow::Continue(()),
    );
    match r {
        Err(nlwire_io::Error::Kernel(k)) => println!("rtnetlink refused as expected: {k}"),
        other => return Err(format!("expected an rtnetlink error, got {other:?}").into()),
    }
    // sock_diag: sdiag_family 255 is no address family.
    let mut diag = Socket::new(NetlinkFamily::SockDiag)?;
    if let Some(rec) = route.take_recorder() {
        diag.set_recorder(rec);
    }
    let r = diag.dump_with(
        |b, seq| {
            b.message(
                SOCK_DIAG_BY_FAMILY,
                NLM_F_REQUEST | NLM_F_ACK,
                seq,
                0,
                |b| b.put_bytes(&[255, 0, 0, 0]),
            )
        },
        |_| ControlFlow::Continue(()),
    );
    match r {
        Err(nlwire_io::Error::Kernel(k)) => println!("sock_diag refused as expected: {k}"),
        other => return Err(format!("expected a sock_diag error, got {other:?}").into()),
    }
    finish(diag, &path)
}

fn run() -> Res {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"));
    std::fs::create_dir_all(&dir)?;
    tcp_info(&dir)?;
    unix(&dir)?;
    bytecode(&dir)?;
    ext_ack(&dir)?;
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("make_samples: {e}");
            ExitCode::FAILURE
        }
    }
}
