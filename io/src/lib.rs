//! # nlwire-io — a tiny netlink socket shim for `nlwire`
//!
//! The codec (`nlwire`) never touches a socket; this crate is the small
//! piece that does (netlink(7), sock_diag(7)):
//!
//! - [`Socket`]: open any netlink family (`SOCK_RAW | SOCK_CLOEXEC`), bind
//!   or let the kernel pick the port id, connect, send, and receive *whole*
//!   datagrams into a reusable buffer (the length is peeked with
//!   `MSG_PEEK | MSG_TRUNC` first, so nothing is ever cut silently);
//!   non-blocking mode, multicast membership and the `SOL_NETLINK` options.
//!   `EINTR` is retried.
//! - [`Socket::dump`] / [`Socket::dump_with`]: send one request built by the
//!   codec, receive the whole (multipart) reply, check sequence numbers and
//!   port ids, stop at `NLMSG_DONE`, and turn `NLMSG_ERROR` into
//!   [`Error::Kernel`] with the extended-ACK message. `ENOBUFS` and
//!   `NLM_F_DUMP_INTR` are reported as their own errors.
//! - [`Socket::resolve_genl_family`]: a generic netlink family's run-time
//!   id and multicast groups, asked of the controller by name.
//! - [`Recorder`]: writes everything a socket sends and receives as a pcap
//!   with `LINKTYPE_NETLINK` and the nlmon pseudo-header, readable by
//!   Wireshark, tcpdump and `nlwire` itself.
//!
//! Messages are handed out as `nlwire::netlink::RawMessage` views into the
//! socket's buffer: decoding them with the codec copies nothing.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod dump;
mod error;
mod genl;
mod record;
mod socket;

pub use dump::{DumpState, DumpSummary};
pub use error::{Error, KernelError, Result};
pub use genl::GenlFamily;
pub use record::{
    nlmon_header, pcap_global_header, Recorder, ARPHRD_NETLINK, LINKTYPE_NETLINK, NLMON_HDRLEN,
    PACKET_OUTGOING, PCAP_MAGIC_USEC, SNAPLEN,
};
pub use rustix::net::netlink::SocketAddrNetlink;
pub use rustix::net::RecvFlags;
pub use socket::{Received, Socket, MIN_RECV_BUFFER};
