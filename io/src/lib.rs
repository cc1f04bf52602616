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
//!   [`Error::Kernel`] with the whole extended ACK (message, offset,
//!   cookie, policy, missing attribute). `ENOBUFS` and
//!   `NLM_F_DUMP_INTR` are reported as their own errors.
//! - [`Socket::start_dump`] / [`Socket::resume_dump`]: the same exchange
//!   driven by the caller on a non-blocking socket; `EAGAIN` between
//!   datagrams loses nothing (`dump` itself waits and resumes).
//! - [`Socket::new_in_netns`], [`run_in_netns`]: a socket in another network
//!   namespace, opened by a short-lived thread (the caller never moves);
//!   `Socket::from(OwnedFd)` / [`Socket::adopt`] take a socket opened
//!   elsewhere.
//! - [`Socket::listen`], [`Socket::join_sock_diag_destroy`]: multicast
//!   notifications such as sock_diag's socket-destroy events.
//! - `AsyncSocket` (feature `tokio`, off by default): the same on
//!   `tokio::io::unix::AsyncFd`.
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

#[cfg(feature = "tokio")]
mod asyncio;
mod dump;
mod error;
mod genl;
mod listen;
mod netns;
mod record;
mod socket;

#[cfg(feature = "tokio")]
pub use asyncio::{AsyncSocket, DumpStream};
pub use dump::{DumpState, DumpSummary};
pub use error::{Error, ErrorPolicy, KernelError, Result};
pub use genl::GenlFamily;
pub use listen::{
    Notification, SKNLGRP_INET6_TCP_DESTROY, SKNLGRP_INET6_UDP_DESTROY, SKNLGRP_INET_TCP_DESTROY,
    SKNLGRP_INET_UDP_DESTROY,
};
pub use netns::{open_netns, run_in_netns, NETNS_RUN_DIR};
pub use record::{
    nlmon_header, pcap_global_header, Recorder, ARPHRD_NETLINK, LINKTYPE_NETLINK, NLMON_HDRLEN,
    PACKET_OUTGOING, PCAP_MAGIC_USEC, SNAPLEN,
};
pub use rustix::net::netlink::SocketAddrNetlink;
pub use rustix::net::RecvFlags;
pub use socket::{Received, Socket, MIN_RECV_BUFFER};
