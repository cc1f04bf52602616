//! Open and hold about 4 000 TCP sockets and 4 000 unix sockets, for the
//! benchmarks (`benches/`, `BENCHMARKS.md`).
//!
//! ```text
//! cargo run --release --example hold_sockets -- record FILE.pcap [N]
//! cargo run --release --example hold_sockets -- hold [N]
//! ```
//!
//! * `record`: opens the sockets, then dumps them with the project's own
//!   recorder (`nlwire_io::Recorder`, nlmon-style pcap, `LINKTYPE_NETLINK`):
//!   one `SOCK_DIAG_BY_FAMILY` inet_diag dump of TCP over IPv4 and one over
//!   IPv6 with every `idiag_ext` bit (`INET_DIAG_EXT_ALL`: `tcp_info`,
//!   meminfo, skmeminfo, congestion control, vegas, TOS/TCLASS, …) and one
//!   unix_diag dump with every `UDIAG_SHOW_*`, then exits. This made
//!   `benches/data/sockets.pcap`, in a network namespace of its own so
//!   that only these sockets are in it:
//!   `unshare -n sh -c 'ip link set lo up && target/release/examples/hold_sockets record benches/data/sockets.pcap'`
//! * `hold`: opens the sockets, prints `ready` on stdout, and holds them
//!   until its standard input closes (`benches/cli.sh` runs `ss` and
//!   `nlwire ss` meanwhile).
//!
//! `N` (default 1 000) is the number of TCP connections per address family
//! (IPv4 and IPv6; each connection is two sockets, plus one listener per
//! family) and a quarter of the number of unix sockets (listener-accepted
//! pairs on a pathname and an abstract listener, and `socketpair`s). The default
//! gives 4 002 TCP sockets and 4 002 unix sockets (plus whatever the
//! namespace already had). Raises `RLIMIT_NOFILE` as needed.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::ops::ControlFlow;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nix::sys::resource::{getrlimit, setrlimit, Resource};
use nlwire::families::sock_diag::{
    AddressFamily, InetDiagReqV2, InetRequest, IpProto, UnixDiagReq, INET_DIAG_EXT_ALL,
    SOCK_DIAG_BY_FAMILY, UDIAG_SHOW_ICONS, UDIAG_SHOW_MEMINFO, UDIAG_SHOW_NAME, UDIAG_SHOW_PEER,
    UDIAG_SHOW_RQLEN, UDIAG_SHOW_UID, UDIAG_SHOW_VFS,
};
use nlwire::family::NetlinkFamily;
use nlwire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
use nlwire_io::{Recorder, Socket};

type Res<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// Every TCP state (`idiag_states` bits 1..=11, as `ss -a` asks).
const ALL_STATES: u32 = 0xfff;

/// Everything held open.
#[derive(Default)]
struct Held {
    tcp: Vec<TcpStream>,
    tcp_listeners: Vec<TcpListener>,
    unix: Vec<UnixStream>,
    unix_listeners: Vec<UnixListener>,
    dgram: Vec<UnixDatagram>,
    path: Option<PathBuf>,
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(p) = &self.path {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// `n` connections to one listener on `ip`, some data exchanged on each
/// (sizes vary, so `tcp_info` counters vary), a little left unread.
fn tcp(held: &mut Held, ip: IpAddr, n: usize) -> Res {
    let listener = TcpListener::bind(SocketAddr::new(ip, 0))?;
    let addr = listener.local_addr()?;
    let data = vec![b'x'; 4096];
    let mut buf = vec![0u8; 4096];
    for i in 0..n {
        let mut c = TcpStream::connect(addr)?;
        let (mut s, _) = listener.accept()?;
        let len = 1 + (i * 37) % data.len();
        c.write_all(&data[..len])?;
        s.read_exact(&mut buf[..len])?;
        if i % 3 == 0 {
            // Left unread on the client: idiag_rqueue.
            s.write_all(&data[..len / 2 + 1])?;
        }
        held.tcp.push(c);
        held.tcp.push(s);
    }
    held.tcp_listeners.push(listener);
    Ok(())
}

/// `2 * n` unix sockets (`n` pairs): a third accepted on a pathname listener, a third on
/// an abstract one, a third `socketpair`s (a few datagram pairs among them).
fn unix(held: &mut Held, n: usize) -> Res {
    let path = std::env::temp_dir().join(format!("nlwire-bench-{}.sock", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let named = UnixListener::bind(&path)?;
    held.path = Some(path.clone());
    let abs = std::os::unix::net::SocketAddr::from_abstract_name(
        format!("nlwire-bench-{}", std::process::id()).as_bytes(),
    )?;
    let abstract_listener = UnixListener::bind_addr(&abs)?;
    for i in 0..n {
        match i % 3 {
            0 => {
                let c = UnixStream::connect(&path)?;
                let (s, _) = named.accept()?;
                (&c).write_all(b"queued")?;
                held.unix.push(c);
                held.unix.push(s);
            }
            1 => {
                let c = UnixStream::connect_addr(&abs)?;
                let (s, _) = abstract_listener.accept()?;
                held.unix.push(c);
                held.unix.push(s);
            }
            _ if i % 30 == 2 => {
                let (a, b) = UnixDatagram::pair()?;
                a.send(b"datagram")?;
                held.dgram.push(a);
                held.dgram.push(b);
            }
            _ => {
                let (a, b) = UnixStream::pair()?;
                held.unix.push(a);
                held.unix.push(b);
            }
        }
    }
    held.unix_listeners.push(named);
    held.unix_listeners.push(abstract_listener);
    Ok(())
}

fn open(n: usize) -> Res<Held> {
    let want = (8 * n + 256) as u64;
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
    if soft < want {
        setrlimit(Resource::RLIMIT_NOFILE, want.min(hard), hard)?;
    }
    let mut held = Held::default();
    tcp(&mut held, Ipv4Addr::LOCALHOST.into(), n)?;
    tcp(&mut held, Ipv6Addr::LOCALHOST.into(), n)?;
    unix(&mut held, 2 * n)?;
    Ok(held)
}

fn record(path: &Path) -> Res {
    let mut s = Socket::new(NetlinkFamily::SockDiag)?;
    s.set_recorder(Recorder::create(path)?);
    let mut counts = Vec::new();
    for family in [AddressFamily::Inet, AddressFamily::Inet6] {
        let req = InetDiagReqV2::dump(family, IpProto::Tcp, INET_DIAG_EXT_ALL, ALL_STATES);
        let sum = s.dump_with(
            |b, seq| {
                b.message(
                    SOCK_DIAG_BY_FAMILY,
                    NLM_F_REQUEST | NLM_F_DUMP,
                    seq,
                    0,
                    |b| InetRequest::write(b, &req, &[]),
                )
            },
            |_| ControlFlow::Continue(()),
        )?;
        counts.push(sum.messages);
    }
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
    counts.push(sum.messages);
    if let Some(r) = s.take_recorder() {
        let packets = r.packets();
        r.finish()?;
        println!(
            "{}: {packets} packets; TCP/IPv4 {} sockets, TCP/IPv6 {}, unix {}",
            path.display(),
            counts[0],
            counts[1],
            counts[2]
        );
    }
    Ok(())
}

fn run() -> Res {
    let mut args = std::env::args().skip(1);
    let usage = "usage: hold_sockets record FILE.pcap [N] | hold_sockets hold [N]";
    let mode = args.next().ok_or(usage)?;
    match mode.as_str() {
        "record" => {
            let path = PathBuf::from(args.next().ok_or(usage)?);
            let n = args.next().map(|s| s.parse()).transpose()?.unwrap_or(1000);
            let _held = open(n)?;
            record(&path)
        }
        "hold" => {
            let n = args.next().map(|s| s.parse()).transpose()?.unwrap_or(1000);
            let _held = open(n)?;
            println!("ready");
            std::io::stdout().flush()?;
            // Until stdin closes.
            let mut sink = Vec::new();
            std::io::stdin().read_to_end(&mut sink)?;
            Ok(())
        }
        _ => Err(usage.into()),
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hold_sockets: {e}");
            ExitCode::FAILURE
        }
    }
}
