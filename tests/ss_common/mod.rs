//! Shared helpers of the `nlwire ss` tests (`tests/ss_*.rs`): running the
//! binary, deciding whether this machine can run live tests, making sockets
//! and reading their inodes.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::AsRawFd;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::fs::MetadataExt;
use std::os::unix::net::{SocketAddr as UnixAddr, UnixListener, UnixStream};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::Duration;

/// Run `nlwire` with `args`.
pub fn nlwire(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nlwire"))
        .args(args)
        .output()
        .expect("run nlwire")
}

/// stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Fail under `CI=true`, else print why and tell the caller to skip.
pub fn skip(why: &str) -> bool {
    assert!(!ci(), "CI=true and the live ss tests cannot run: {why}");
    eprintln!("SKIPPED: {why}");
    true
}

/// `true` if live tests cannot run here (not root, or no sock_diag for
/// TCP/unix); under `CI=true` that is a failure instead.
pub fn cannot_run() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let euid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|u| u.parse::<u32>().ok());
    if euid != Some(0) {
        return skip("needs root (euid 0) for sock_diag details and SOCK_DESTROY");
    }
    let o = nlwire(&["ss", "-tx", "-H"]);
    if !o.status.success() {
        return skip(&format!(
            "nlwire ss cannot dump sock_diag here: {}",
            stderr(&o).trim()
        ));
    }
    false
}

/// `true` if iproute2 `ss` is installed.
pub fn have_iproute2_ss() -> bool {
    Command::new("ss")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The inode of a socket (`fstat` through /proc/self/fd).
pub fn inode_of(fd: &impl AsRawFd) -> u64 {
    std::fs::metadata(format!("/proc/self/fd/{}", fd.as_raw_fd()))
        .expect("stat socket")
        .ino()
}

/// A TCP listener, one connection to it (accepted) with `unread` bytes the
/// server side has not read, on `ip` (`127.0.0.1` or `::1`).
pub struct TcpSet {
    pub listener: TcpListener,
    pub client: TcpStream,
    pub server: TcpStream,
    pub port: u16,
    pub client_port: u16,
}

pub fn tcp_set(ip: &str, unread: usize) -> TcpSet {
    let listener = TcpListener::bind((ip, 0)).expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let mut client = TcpStream::connect(listener.local_addr().expect("addr")).expect("connect");
    let (server, _) = listener.accept().expect("accept");
    client.write_all(&vec![b'x'; unread]).expect("write");
    let client_port = client.local_addr().expect("addr").port();
    // Closed with a reset (`SO_LINGER` 0), not a FIN, whenever the test
    // drops them: no `TIME-WAIT` socket is left behind. One would stay a
    // minute, and a later test's listener may be given the same port
    // (std's listeners set `SO_REUSEADDR`), so that its port filter would
    // list the old connection too.
    for s in [&client, &server] {
        set_reset_on_close(s, true);
    }
    // Let loopback deliver and acknowledge.
    std::thread::sleep(Duration::from_millis(50));
    TcpSet {
        listener,
        client,
        server,
        port,
        client_port,
    }
}

/// Undo [`tcp_set`]'s reset on close for `s`: closed with a FIN, the side
/// that closes first goes to `TIME-WAIT`.
pub fn close_gracefully(s: &TcpStream) {
    set_reset_on_close(s, false);
}

/// `SO_LINGER` with a zero timeout (`close` sends a reset) when `on`, off
/// (a FIN) when not.
fn set_reset_on_close(s: &TcpStream, on: bool) {
    let linger = nix::libc::linger {
        l_onoff: i32::from(on),
        l_linger: 0,
    };
    nix::sys::socket::setsockopt(s, nix::sys::socket::sockopt::Linger, &linger).expect("SO_LINGER");
}

/// A bound UDP socket with one unread datagram.
pub fn udp_with_datagram(ip: &str) -> (UdpSocket, u16) {
    let s = UdpSocket::bind((ip, 0)).expect("bind udp");
    let addr: SocketAddr = s.local_addr().expect("addr");
    let tx = UdpSocket::bind((ip, 0)).expect("bind udp tx");
    tx.send_to(b"hello", addr).expect("send");
    std::thread::sleep(Duration::from_millis(20));
    (s, addr.port())
}

/// Unix stream sockets: a pathname listener, an abstract listener, and an
/// accepted connection to the pathname one.
pub struct UnixSet {
    pub path: PathBuf,
    pub abstract_name: String,
    pub path_listener: UnixListener,
    pub abstract_listener: UnixListener,
    pub client: UnixStream,
    pub server: UnixStream,
}

impl Drop for UnixSet {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

pub fn unix_set(tag: &str) -> UnixSet {
    let pid = std::process::id();
    let path = std::env::temp_dir().join(format!("nlwire-ss-{tag}-{pid}.sock"));
    let _ = std::fs::remove_file(&path);
    let path_listener = UnixListener::bind(&path).expect("bind path");
    let abstract_name = format!("nlwire-ss-{tag}-{pid}");
    let addr = UnixAddr::from_abstract_name(abstract_name.as_bytes()).expect("abstract");
    let abstract_listener = UnixListener::bind_addr(&addr).expect("bind abstract");
    let client = UnixStream::connect(&path).expect("connect");
    let (server, _) = path_listener.accept().expect("accept");
    let mut c = &client;
    c.write_all(b"abc").expect("write unix");
    let _ = (&server).read(&mut [0u8; 0]);
    UnixSet {
        path,
        abstract_name,
        path_listener,
        abstract_listener,
        client,
        server,
    }
}

/// One line of `ss -H -n` output, split into its columns.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Line {
    pub netid: String,
    pub state: String,
    pub rq: u64,
    pub wq: u64,
    /// `addr:port` (inet) or `name inode` (unix).
    pub local: String,
    pub peer: String,
}

/// Parse `-H -n` lines with a Netid column (`-tuxan`-style output).
pub fn parse_lines(text: &str) -> Vec<Line> {
    text.lines()
        .filter(|l| !l.starts_with('\t') && !l.trim().is_empty())
        .filter_map(|l| {
            let t: Vec<&str> = l.split_whitespace().collect();
            let netid = (*t.first()?).to_string();
            let (local, peer) = if netid.starts_with("u_") {
                (
                    format!("{} {}", t.get(4)?, t.get(5)?),
                    format!("{} {}", t.get(6)?, t.get(7)?),
                )
            } else {
                ((*t.get(4)?).to_string(), (*t.get(5)?).to_string())
            };
            Some(Line {
                netid,
                state: (*t.get(1)?).to_string(),
                rq: t.get(2)?.parse().ok()?,
                wq: t.get(3)?.parse().ok()?,
                local,
                peer,
            })
        })
        .collect()
}

/// A filter selecting the given local or remote ports.
/// The sockets of `sets` exactly: each listener (`sport`) and its
/// connection's client end by both ports (the server end is the
/// listener's port too). A stale connection to a port a set's listener
/// was given again (another test's `TIME-WAIT`, from another client
/// port) is not listed, as [`port_filter`] would list it.
pub fn set_filter(sets: &[&TcpSet]) -> String {
    let parts: Vec<String> = sets
        .iter()
        .map(|s| {
            format!(
                "sport = :{l} or ( sport = :{c} and dport = :{l} )",
                l = s.port,
                c = s.client_port
            )
        })
        .collect();
    format!("( {} )", parts.join(" or "))
}

pub fn port_filter(ports: &[u16]) -> String {
    let parts: Vec<String> = ports
        .iter()
        .map(|p| format!("sport = :{p} or dport = :{p}"))
        .collect();
    format!("( {} )", parts.join(" or "))
}
