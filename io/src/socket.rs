//! A netlink socket: open, bind, connect, send, receive whole datagrams, and
//! the `SOL_NETLINK` options of netlink(7).
//!
//! System calls go through rustix; the `SOL_NETLINK` options and the control
//! messages they enable (`NETLINK_PKTINFO`, `NETLINK_LISTEN_ALL_NSID`) go
//! through nix, because rustix has neither. `EINTR` is retried everywhere.

use std::io::IoSliceMut;
use std::num::NonZeroU32;
use std::ops::ControlFlow;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, IntoRawFd, OwnedFd, RawFd};
use std::time::Duration;

use nix::sys::socket::{self as nixsock, ControlMessageOwned, MsgFlags, NetlinkAddr};
use nlwire::families::sock_diag::{
    self, netlink_groups, NetlinkDiagAttr, NetlinkDiagReq, NetlinkDiagRequest, SockDiagMessage,
    NDIAG_SHOW_GROUPS, SOCK_DIAG_BY_FAMILY,
};
use nlwire::family::NetlinkFamily;
use nlwire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
use nlwire::Mode;
use rustix::io::Errno;
use rustix::net::netlink::SocketAddrNetlink;
use rustix::net::sockopt::{self, Timeout};
use rustix::net::{AddressFamily, Protocol, RecvFlags, SendFlags, SocketFlags, SocketType};

use crate::error::{Error, Result};
use crate::record::Recorder;

/// The smallest receive buffer kept: the kernel sizes dump datagrams from
/// the reader's buffer, up to 32 KiB (`netlink_dump`, `max_recvmsg_len`).
pub const MIN_RECV_BUFFER: usize = 32 * 1024;

/// Retry `f` while it fails with `EINTR`.
pub(crate) fn retry<T>(mut f: impl FnMut() -> rustix::io::Result<T>) -> rustix::io::Result<T> {
    loop {
        match f() {
            Err(Errno::INTR) => continue,
            r => return r,
        }
    }
}

fn from_nix(e: nix::errno::Errno) -> Errno {
    Errno::from_raw_os_error(e as i32)
}

/// `SOL_NETLINK` options declared with nix's `sockopt_impl!` (netlink(7)).
mod opt {
    use libc::SOL_NETLINK;
    use nix::{getsockopt_impl, setsockopt_impl, sockopt_impl};
    sockopt_impl!(
        AddMembership,
        SetOnly,
        SOL_NETLINK,
        libc::NETLINK_ADD_MEMBERSHIP,
        u32
    );
    sockopt_impl!(
        DropMembership,
        SetOnly,
        SOL_NETLINK,
        libc::NETLINK_DROP_MEMBERSHIP,
        u32
    );
    sockopt_impl!(PktInfo, Both, SOL_NETLINK, libc::NETLINK_PKTINFO, bool);
    sockopt_impl!(
        BroadcastError,
        Both,
        SOL_NETLINK,
        libc::NETLINK_BROADCAST_ERROR,
        bool
    );
    sockopt_impl!(NoEnobufs, Both, SOL_NETLINK, libc::NETLINK_NO_ENOBUFS, bool);
    sockopt_impl!(
        ListenAllNsid,
        Both,
        SOL_NETLINK,
        libc::NETLINK_LISTEN_ALL_NSID,
        bool
    );
    sockopt_impl!(CapAck, Both, SOL_NETLINK, libc::NETLINK_CAP_ACK, bool);
    sockopt_impl!(ExtAck, Both, SOL_NETLINK, libc::NETLINK_EXT_ACK, bool);
    sockopt_impl!(
        GetStrictChk,
        Both,
        SOL_NETLINK,
        libc::NETLINK_GET_STRICT_CHK,
        bool
    );
}

/// One datagram received with [`Socket::recv_msg`], with the sender and the
/// control messages netlink attaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Received<'a> {
    /// The whole datagram.
    pub data: &'a [u8],
    /// The sender (port id 0 is the kernel).
    pub sender: SocketAddrNetlink,
    /// `NETLINK_PKTINFO`: `struct nl_pktinfo.group`, the multicast group the
    /// message was sent to (0 for unicast). Present when the option is on.
    pub group: Option<u32>,
    /// `NETLINK_LISTEN_ALL_NSID`: the network namespace id the message came
    /// from. Present when the option is on and the namespace has an id.
    pub nsid: Option<i32>,
}

/// A netlink socket (`socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol)`,
/// netlink(7)).
///
/// It owns a receive buffer that grows to the largest datagram seen and is
/// reused by every receive and dump, and optionally a [`Recorder`] that
/// writes everything sent and received as a pcap.
///
/// ```
/// use nlwire::family::NetlinkFamily;
/// use nlwire_io::Socket;
/// let mut s = Socket::new(NetlinkFamily::SockDiag)?;
/// let port = s.bind_auto()?;
/// assert_ne!(port, 0);
/// # Ok::<(), nlwire_io::Error>(())
/// ```
#[derive(Debug)]
pub struct Socket {
    fd: OwnedFd,
    protocol: NetlinkFamily,
    port_id: u32,
    next_seq: u32,
    pub(crate) buf: Vec<u8>,
    pub(crate) send_buf: Vec<u8>,
    recorder: Option<Recorder>,
}

impl Socket {
    /// Open a socket of netlink family `protocol` (`NETLINK_ROUTE` 0,
    /// `NETLINK_SOCK_DIAG` 4, `NETLINK_GENERIC` 16, or any number) with
    /// `NETLINK_EXT_ACK` and `NETLINK_GET_STRICT_CHK` turned on. Kernels too
    /// old for those (before 4.12 and 4.20) refuse them with `ENOPROTOOPT`,
    /// which is ignored. The socket is not bound: the kernel binds it on the
    /// first send, or call [`Socket::bind_auto`].
    pub fn new(protocol: impl Into<NetlinkFamily>) -> Result<Self> {
        let s = Self::new_plain(protocol)?;
        ignore_noprotoopt(s.set_ext_ack(true))?;
        ignore_noprotoopt(s.set_get_strict_chk(true))?;
        Ok(s)
    }

    /// Open a socket of family `protocol` and set no option.
    pub fn new_plain(protocol: impl Into<NetlinkFamily>) -> Result<Self> {
        let protocol = protocol.into();
        let raw = NonZeroU32::new(u32::from(protocol.raw())).map(Protocol::from_raw);
        let fd = retry(|| {
            rustix::net::socket_with(
                AddressFamily::NETLINK,
                SocketType::RAW,
                SocketFlags::CLOEXEC,
                raw,
            )
        })
        .map_err(|e| Error::os("socket(AF_NETLINK)", e))?;
        Ok(Socket::with_fd(fd, protocol))
    }

    /// The netlink family this socket speaks.
    pub fn protocol(&self) -> NetlinkFamily {
        self.protocol
    }

    /// `bind(2)` to port id `port_id` (0: the kernel picks one) and the
    /// legacy multicast group mask `groups` (groups 1–32).
    pub fn bind(&mut self, port_id: u32, groups: u32) -> Result<()> {
        let addr = SocketAddrNetlink::new(port_id, groups);
        retry(|| rustix::net::bind(&self.fd, &addr)).map_err(|e| Error::os("bind", e))?;
        self.port_id = 0;
        self.port_id()?;
        Ok(())
    }

    /// Bind to a port id the kernel assigns and return it.
    pub fn bind_auto(&mut self) -> Result<u32> {
        self.bind(0, 0)?;
        self.port_id()
    }

    /// `getsockname(2)`: this socket's address (port id 0 until bound).
    pub fn local_addr(&self) -> Result<SocketAddrNetlink> {
        let any = retry(|| rustix::net::getsockname(&self.fd))
            .map_err(|e| Error::os("getsockname", e))?;
        SocketAddrNetlink::try_from(any).map_err(|e| Error::os("getsockname", e))
    }

    /// This socket's port id, read with `getsockname` once it is non-zero
    /// (the kernel assigns one at bind time or on the first send).
    pub fn port_id(&mut self) -> Result<u32> {
        if self.port_id == 0 {
            self.port_id = self.local_addr()?.pid();
        }
        Ok(self.port_id)
    }

    /// `connect(2)`: set the default destination (port id 0 is the kernel)
    /// and multicast group mask of [`Socket::send`].
    pub fn connect(&self, port_id: u32, groups: u32) -> Result<()> {
        let addr = SocketAddrNetlink::new(port_id, groups);
        retry(|| rustix::net::connect(&self.fd, &addr)).map_err(|e| Error::os("connect", e))
    }

    /// Switch `O_NONBLOCK` (`FIONBIO`) on or off. A receive with nothing
    /// queued then fails with an error for which [`Error::is_would_block`]
    /// is `true`.
    pub fn set_non_blocking(&self, non_blocking: bool) -> Result<()> {
        rustix::io::ioctl_fionbio(&self.fd, non_blocking)
            .map_err(|e| Error::os("ioctl(FIONBIO)", e))
    }

    /// Whether `O_NONBLOCK` is set (`fcntl(F_GETFL)`).
    pub fn is_non_blocking(&self) -> Result<bool> {
        let fl = rustix::fs::fcntl_getfl(&self.fd).map_err(|e| Error::os("fcntl(F_GETFL)", e))?;
        Ok(fl.contains(rustix::fs::OFlags::NONBLOCK))
    }

    /// Wait until a datagram can be read (`poll(2)` for `POLLIN`, no
    /// timeout; `POLLERR` also wakes it, the next receive reports the
    /// error). For non-blocking sockets outside an event loop.
    pub fn wait_readable(&self) -> Result<()> {
        use rustix::event::{PollFd, PollFlags};
        let mut fds = [PollFd::new(&self.fd, PollFlags::IN)];
        retry(|| rustix::event::poll(&mut fds, None)).map_err(|e| Error::os("poll", e))?;
        Ok(())
    }

    /// `SO_RCVTIMEO`: fail receives after `timeout` (`None`: wait forever).
    pub fn set_recv_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        sockopt::set_socket_timeout(&self.fd, Timeout::Recv, timeout)
            .map_err(|e| Error::os("setsockopt(SO_RCVTIMEO)", e))
    }

    /// `SO_RCVBUF`: the kernel doubles `bytes` and caps it at
    /// `net.core.rmem_max` (socket(7)).
    pub fn set_recv_buffer_size(&self, bytes: usize) -> Result<()> {
        sockopt::set_socket_recv_buffer_size(&self.fd, bytes)
            .map_err(|e| Error::os("setsockopt(SO_RCVBUF)", e))
    }

    /// `SO_RCVBUFFORCE`: like [`Socket::set_recv_buffer_size`] past
    /// `rmem_max` (needs `CAP_NET_ADMIN`).
    pub fn set_recv_buffer_size_force(&self, bytes: usize) -> Result<()> {
        sockopt::set_socket_recv_buffer_size_force(&self.fd, bytes)
            .map_err(|e| Error::os("setsockopt(SO_RCVBUFFORCE)", e))
    }

    /// `SO_RCVBUF` as the kernel holds it (doubled).
    pub fn recv_buffer_size(&self) -> Result<usize> {
        sockopt::socket_recv_buffer_size(&self.fd)
            .map_err(|e| Error::os("getsockopt(SO_RCVBUF)", e))
    }

    /// Record everything this socket sends and receives from now on.
    pub fn set_recorder<W: std::io::Write + Send + 'static>(&mut self, recorder: Recorder<W>) {
        self.recorder = Some(recorder.boxed());
    }

    /// Stop recording and hand the recorder back (call
    /// [`Recorder::finish`] on it to flush and see write errors).
    pub fn take_recorder(&mut self) -> Option<Recorder> {
        self.recorder.take()
    }

    pub(crate) fn record(&mut self, data: &[u8], orig_len: usize) {
        if let Some(r) = &mut self.recorder {
            r.record(self.protocol.raw(), data, orig_len);
        }
    }

    /// `send(2)` one datagram to the connected destination (the kernel by
    /// default). Returns the bytes sent.
    pub fn send(&mut self, data: &[u8]) -> Result<usize> {
        let n = retry(|| rustix::net::send(&self.fd, data, SendFlags::empty()))
            .map_err(|e| Error::os("send", e))?;
        self.record(data, data.len());
        Ok(n)
    }

    /// `sendto(2)` one datagram to `port_id` (0: the kernel) and/or the
    /// multicast `groups` mask.
    pub fn send_to(&mut self, data: &[u8], port_id: u32, groups: u32) -> Result<usize> {
        let addr = SocketAddrNetlink::new(port_id, groups);
        let n = retry(|| rustix::net::sendto(&self.fd, data, SendFlags::empty(), &addr))
            .map_err(|e| Error::os("sendto", e))?;
        self.record(data, data.len());
        Ok(n)
    }

    /// `recv(2)` into the caller's `buf`. Returns the datagram's *real*
    /// length (`MSG_TRUNC` is always added): a value above `buf.len()` means
    /// the datagram was cut and its tail is lost (unless `flags` has
    /// `MSG_PEEK`). Prefer [`Socket::recv_full`].
    pub fn recv(&mut self, buf: &mut [u8], flags: RecvFlags) -> Result<usize> {
        let (got, len) = retry(|| rustix::net::recv(&self.fd, &mut *buf, flags | RecvFlags::TRUNC))
            .map_err(|e| Error::os("recv", e))?;
        if !flags.contains(RecvFlags::PEEK) {
            self.record(buf.get(..got).unwrap_or_default(), len);
        }
        Ok(len)
    }

    /// `recvfrom(2)` into the caller's `buf`: like [`Socket::recv`], and the
    /// sender's address.
    pub fn recv_from(
        &mut self,
        buf: &mut [u8],
        flags: RecvFlags,
    ) -> Result<(usize, SocketAddrNetlink)> {
        let (got, len, addr) =
            retry(|| rustix::net::recvfrom(&self.fd, &mut *buf, flags | RecvFlags::TRUNC))
                .map_err(|e| Error::os("recvfrom", e))?;
        if !flags.contains(RecvFlags::PEEK) {
            self.record(buf.get(..got).unwrap_or_default(), len);
        }
        Ok((len, sender(addr)?))
    }

    /// The length of the next datagram (`MSG_PEEK | MSG_TRUNC` with an empty
    /// buffer); blocks like a receive.
    pub fn peek_len(&self) -> Result<usize> {
        let (_, len) = retry(|| {
            rustix::net::recv(
                &self.fd,
                &mut [0u8; 0][..],
                RecvFlags::PEEK | RecvFlags::TRUNC,
            )
        })
        .map_err(|e| Error::os("recv(MSG_PEEK|MSG_TRUNC)", e))?;
        Ok(len)
    }

    /// Make the internal buffer hold at least `len` bytes (and at least
    /// [`MIN_RECV_BUFFER`]).
    fn reserve(&mut self, len: usize) {
        let want = len.max(MIN_RECV_BUFFER);
        if self.buf.len() < want {
            self.buf.resize(want, 0);
        }
    }

    /// Receive one whole datagram into the internal buffer: its length is
    /// peeked first and the buffer grown to fit, so nothing is ever cut.
    /// Returns (length, sender).
    pub(crate) fn fill(&mut self) -> Result<(usize, SocketAddrNetlink)> {
        let len = self.peek_len()?;
        self.reserve(len);
        let (_, n, addr) =
            retry(|| rustix::net::recvfrom(&self.fd, &mut self.buf[..], RecvFlags::TRUNC))
                .map_err(|e| Error::os("recvfrom", e))?;
        if n > self.buf.len() {
            // Only possible if another thread read the peeked datagram.
            return Err(Error::Truncated {
                len: n,
                capacity: self.buf.len(),
            });
        }
        let data = std::mem::take(&mut self.buf);
        self.record(data.get(..n).unwrap_or_default(), n);
        self.buf = data;
        Ok((n, sender(addr)?))
    }

    /// Receive one whole datagram into the socket's reusable buffer.
    pub fn recv_full(&mut self) -> Result<&[u8]> {
        let (n, _) = self.fill()?;
        Ok(self.buf.get(..n).unwrap_or_default())
    }

    /// Receive one whole datagram and its sender.
    pub fn recv_from_full(&mut self) -> Result<(&[u8], SocketAddrNetlink)> {
        let (n, addr) = self.fill()?;
        Ok((self.buf.get(..n).unwrap_or_default(), addr))
    }

    /// Receive one whole datagram with `recvmsg(2)`, with the multicast group
    /// (`NETLINK_PKTINFO`) and namespace id (`NETLINK_LISTEN_ALL_NSID`)
    /// control messages when those options are on.
    pub fn recv_msg(&mut self) -> Result<Received<'_>> {
        let len = self.peek_len()?;
        self.reserve(len);
        let mut cmsg = nix::cmsg_space!(libc::nl_pktinfo, libc::c_int);
        let fd = self.fd.as_raw_fd();
        let (n, addr, group, nsid) = {
            let mut iov = [IoSliceMut::new(&mut self.buf[..])];
            let msg = loop {
                match nixsock::recvmsg::<NetlinkAddr>(
                    fd,
                    &mut iov,
                    Some(&mut cmsg),
                    MsgFlags::MSG_TRUNC,
                ) {
                    Err(nix::errno::Errno::EINTR) => continue,
                    r => break r.map_err(|e| Error::os("recvmsg", from_nix(e)))?,
                }
            };
            let (mut group, mut nsid) = (None, None);
            for c in msg
                .cmsgs()
                .map_err(|e| Error::os("recvmsg(control)", from_nix(e)))?
            {
                if let ControlMessageOwned::Unknown(u) = c {
                    let word = u
                        .data_bytes
                        .get(..4)
                        .and_then(|b| <[u8; 4]>::try_from(b).ok());
                    match (u.cmsg_header.cmsg_level, u.cmsg_header.cmsg_type, word) {
                        (libc::SOL_NETLINK, libc::NETLINK_PKTINFO, Some(w)) => {
                            group = Some(u32::from_ne_bytes(w))
                        }
                        (libc::SOL_NETLINK, libc::NETLINK_LISTEN_ALL_NSID, Some(w)) => {
                            nsid = Some(i32::from_ne_bytes(w))
                        }
                        _ => {}
                    }
                }
            }
            let addr = msg
                .address
                .map(|a| SocketAddrNetlink::new(a.pid(), a.groups()));
            (msg.bytes, addr, group, nsid)
        };
        if n > self.buf.len() {
            return Err(Error::Truncated {
                len: n,
                capacity: self.buf.len(),
            });
        }
        let data = std::mem::take(&mut self.buf);
        self.record(data.get(..n).unwrap_or_default(), n);
        self.buf = data;
        Ok(Received {
            data: self.buf.get(..n).unwrap_or_default(),
            sender: addr.unwrap_or(SocketAddrNetlink::new(0, 0)),
            group,
            nsid,
        })
    }

    /// Take the next sequence number (never 0).
    pub fn next_seq(&mut self) -> u32 {
        let s = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1).max(1);
        s
    }

    /// `NETLINK_ADD_MEMBERSHIP`: join multicast group `group` (any number,
    /// not only 1–32). Bind the socket first ([`Socket::bind_auto`]): the
    /// kernel's notifications are sent from port id 0 and skip members whose
    /// port id is 0, which an unbound socket's is.
    pub fn add_membership(&self, group: u32) -> Result<()> {
        nixsock::setsockopt(&self.fd, opt::AddMembership, &group)
            .map_err(|e| Error::os("setsockopt(NETLINK_ADD_MEMBERSHIP)", from_nix(e)))
    }

    /// `NETLINK_DROP_MEMBERSHIP`: leave multicast group `group`.
    pub fn drop_membership(&self, group: u32) -> Result<()> {
        nixsock::setsockopt(&self.fd, opt::DropMembership, &group)
            .map_err(|e| Error::os("setsockopt(NETLINK_DROP_MEMBERSHIP)", from_nix(e)))
    }
}

fn sender(addr: Option<rustix::net::SocketAddrAny>) -> Result<SocketAddrNetlink> {
    match addr {
        Some(a) => SocketAddrNetlink::try_from(a).map_err(|e| Error::os("recvfrom(address)", e)),
        None => Ok(SocketAddrNetlink::new(0, 0)),
    }
}

/// Options that kernels before 4.12/4.20 do not know fail with `ENOPROTOOPT`.
fn ignore_noprotoopt(r: Result<()>) -> Result<()> {
    match r {
        Err(e) if e.errno() == Some(Errno::NOPROTOOPT.raw_os_error()) => Ok(()),
        r => r,
    }
}

macro_rules! bool_options {
    ($($opt:ident, $set:ident, $get:ident, $name:literal, $doc:literal;)*) => {
        impl Socket {
            $(
                #[doc = concat!("Set `", $name, "` (netlink(7)): ", $doc)]
                pub fn $set(&self, on: bool) -> Result<()> {
                    nixsock::setsockopt(&self.fd, opt::$opt, &on)
                        .map_err(|e| Error::os(concat!("setsockopt(", $name, ")"), from_nix(e)))
                }
                #[doc = concat!("Read `", $name, "` (netlink(7)).")]
                pub fn $get(&self) -> Result<bool> {
                    nixsock::getsockopt(&self.fd, opt::$opt)
                        .map_err(|e| Error::os(concat!("getsockopt(", $name, ")"), from_nix(e)))
                }
            )*
        }
    };
}

bool_options! {
    PktInfo, set_pktinfo, pktinfo, "NETLINK_PKTINFO",
        "attach the destination group to each received message (see [`Socket::recv_msg`]).";
    BroadcastError, set_broadcast_error, broadcast_error, "NETLINK_BROADCAST_ERROR",
        "let a failed delivery to this listener fail the sender's broadcast.";
    NoEnobufs, set_no_enobufs, no_enobufs, "NETLINK_NO_ENOBUFS",
        "do not report `ENOBUFS` when this socket's receive buffer overruns.";
    ListenAllNsid, set_listen_all_nsid, listen_all_nsid, "NETLINK_LISTEN_ALL_NSID",
        "receive notifications from every network namespace that has an id here \
         (the id comes with [`Socket::recv_msg`]).";
    CapAck, set_cap_ack, cap_ack, "NETLINK_CAP_ACK",
        "do not echo the request's payload in error ACKs (`NLM_F_CAPPED`).";
    ExtAck, set_ext_ack, ext_ack, "NETLINK_EXT_ACK",
        "ask for extended-ACK attributes (message, offset) in `NLMSG_ERROR`/`NLMSG_DONE`.";
    GetStrictChk, set_get_strict_chk, get_strict_chk, "NETLINK_GET_STRICT_CHK",
        "ask for strict checking of GET/dump requests (rtnetlink rejects bad headers and filters).";
}

impl AsFd for Socket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl From<Socket> for OwnedFd {
    fn from(s: Socket) -> OwnedFd {
        s.fd
    }
}

impl AsRawFd for Socket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl IntoRawFd for Socket {
    fn into_raw_fd(self) -> RawFd {
        self.fd.into_raw_fd()
    }
}

/// Adopt a netlink socket opened elsewhere (inherited, received over a unix
/// socket, opened in another namespace). Its family is read back with
/// `getsockopt(SO_PROTOCOL)`; the port id with `getsockname` when needed.
/// No option is changed. The fd is not checked: [`Socket::adopt`] refuses
/// one that is not `AF_NETLINK`.
///
/// There is no `FromRawFd`: this crate is `#![forbid(unsafe_code)]` and
/// `FromRawFd::from_raw_fd` is an `unsafe fn`. The I/O-safety convention is
/// to make the `OwnedFd` where the raw fd's ownership is known
/// (`OwnedFd::from_raw_fd`, in the caller's `unsafe` block) and convert it:
/// `Socket::from(owned)`.
impl From<OwnedFd> for Socket {
    fn from(fd: OwnedFd) -> Socket {
        let protocol = sockopt::socket_protocol(&fd)
            .ok()
            .flatten()
            .and_then(|p| u16::try_from(p.as_raw().get()).ok())
            .unwrap_or(0);
        Socket::with_fd(fd, NetlinkFamily::from(protocol))
    }
}

impl Socket {
    /// Wrap an open netlink socket.
    pub(crate) fn with_fd(fd: OwnedFd, protocol: NetlinkFamily) -> Socket {
        Socket {
            fd,
            protocol,
            port_id: 0,
            next_seq: 1,
            buf: Vec::new(),
            send_buf: Vec::new(),
            recorder: None,
        }
    }

    /// Adopt `fd` like `Socket::from(fd)`, after checking with
    /// `getsockopt(SO_DOMAIN)` that it is an `AF_NETLINK` socket
    /// ([`Error::BadRequest`] otherwise, and the fd is closed).
    pub fn adopt(fd: OwnedFd) -> Result<Socket> {
        let domain =
            sockopt::socket_domain(&fd).map_err(|e| Error::os("getsockopt(SO_DOMAIN)", e))?;
        if domain != AddressFamily::NETLINK {
            return Err(Error::BadRequest("the fd is not an AF_NETLINK socket"));
        }
        Ok(Socket::from(fd))
    }
}

impl Socket {
    /// The multicast groups this socket is a member of, ascending (what
    /// `getsockopt(NETLINK_LIST_MEMBERSHIPS)` reports).
    ///
    /// Neither rustix nor nix can read that option without unsafe code here
    /// (its length varies with the family's group count), so this asks the
    /// kernel through `NETLINK_SOCK_DIAG` instead: a `netlink_diag` dump of
    /// this family with `NDIAG_SHOW_GROUPS`, keeping the entry whose
    /// `ndiag_ino` is this socket's inode (`fstat`), and reading its
    /// `NETLINK_DIAG_GROUPS` bitmap (bit `g - 1` is group `g`). The kernel
    /// lists bound sockets and unbound ones with groups, so a socket missing
    /// from the dump has none. Needs `CONFIG_NETLINK_DIAG`.
    pub fn list_memberships(&self) -> Result<Vec<u32>> {
        let ino = rustix::fs::fstat(&self.fd)
            .map_err(|e| Error::os("fstat", e))?
            .st_ino;
        let family = self.protocol.raw();
        let proto =
            u8::try_from(family).map_err(|_| Error::BadRequest("netlink family above 255"))?;
        let mut diag = Socket::new(NetlinkFamily::SockDiag)?;
        let req = NetlinkDiagReq::dump(proto, NDIAG_SHOW_GROUPS);
        let mut groups = Vec::new();
        diag.dump_with(
            |b, seq| {
                b.message(
                    SOCK_DIAG_BY_FAMILY,
                    NLM_F_REQUEST | NLM_F_DUMP,
                    seq,
                    0,
                    |b| NetlinkDiagRequest::write(b, &req, &[]),
                )
            },
            |m| {
                let Ok(SockDiagMessage::NetlinkResponse(r)) = sock_diag::decode(&m, Mode::Lenient)
                else {
                    return ControlFlow::Continue(());
                };
                if u64::from(r.header.ndiag_ino.get()) != ino || r.header.ndiag_protocol != proto {
                    return ControlFlow::Continue(());
                }
                for a in r.attrs().flatten() {
                    if let NetlinkDiagAttr::Groups(words) = a {
                        groups.extend(netlink_groups(words.0));
                    }
                }
                ControlFlow::Break(())
            },
        )?;
        Ok(groups)
    }
}
