//! Multicast notifications: joining groups and a receive loop.
//!
//! Besides answering requests, netlink families broadcast notifications to
//! the sockets that joined a multicast group (`NETLINK_ADD_MEMBERSHIP`,
//! netlink(7)). [`Socket::listen`] receives them, datagram after datagram,
//! and hands each message to a callback with the group it was sent to.
//!
//! `NETLINK_SOCK_DIAG` has four groups (`enum sknetlink_groups`,
//! `<linux/sock_diag.h>`): when a TCP or UDP socket is destroyed, the kernel
//! sends its `SOCK_DIAG_BY_FAMILY` message (an `inet_diag_msg` with
//! attributes, as a dump would) to the listeners of the matching group.
//! Joining them needs `CAP_NET_ADMIN` in the socket's network namespace.

use std::ops::ControlFlow;

use nlwire::netlink::{Messages, RawMessage};
use rustix::net::netlink::SocketAddrNetlink;

use crate::error::Result;
use crate::socket::Socket;

/// `SKNLGRP_INET_TCP_DESTROY`: IPv4 TCP sockets destroyed.
pub const SKNLGRP_INET_TCP_DESTROY: u32 = 1;
/// `SKNLGRP_INET_UDP_DESTROY`: IPv4 UDP sockets destroyed.
pub const SKNLGRP_INET_UDP_DESTROY: u32 = 2;
/// `SKNLGRP_INET6_TCP_DESTROY`: IPv6 TCP sockets destroyed.
pub const SKNLGRP_INET6_TCP_DESTROY: u32 = 3;
/// `SKNLGRP_INET6_UDP_DESTROY`: IPv6 UDP sockets destroyed.
pub const SKNLGRP_INET6_UDP_DESTROY: u32 = 4;

/// Where a notification came from, as [`Socket::listen`] learnt it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Notification {
    /// The sender (port id 0: the kernel).
    pub sender: SocketAddrNetlink,
    /// The multicast group (`NETLINK_PKTINFO` on: see
    /// [`Socket::set_pktinfo`]); 0 for a unicast message.
    pub group: Option<u32>,
    /// The namespace id (`NETLINK_LISTEN_ALL_NSID` on).
    pub nsid: Option<i32>,
}

impl Socket {
    /// Join the `NETLINK_SOCK_DIAG` destroy-event groups asked for
    /// (`SKNLGRP_INET_TCP_DESTROY` … `SKNLGRP_INET6_UDP_DESTROY`) and turn
    /// `NETLINK_PKTINFO` on, so that [`Socket::listen`] tells which group
    /// each event came to. An unbound socket is bound first (the kernel
    /// picks the port id): the kernel's broadcasts come from port id 0 and
    /// skip listeners whose own port id is still 0 (`do_one_broadcast`), so
    /// an unbound member would never hear anything.
    pub fn join_sock_diag_destroy(&mut self, groups: &[u32]) -> Result<()> {
        if self.port_id()? == 0 {
            self.bind_auto()?;
        }
        self.set_pktinfo(true)?;
        for &g in groups {
            self.add_membership(g)?;
        }
        Ok(())
    }

    /// The receive loop: receive datagram after datagram and hand each
    /// message, zero-copy, to `each` with where it came from, until `each`
    /// returns `ControlFlow::Break` (then `Ok(())`) or receiving fails.
    ///
    /// On a non-blocking socket it waits with `poll(2)` when nothing is
    /// queued; on a blocking one an expired `SO_RCVTIMEO` is an error for
    /// which [`crate::Error::is_would_block`] is `true`. `ENOBUFS`
    /// ([`crate::Error::NoBufs`]: notifications were lost because the
    /// receive buffer overran) ends the loop; the socket stays usable and
    /// `listen` may be called again (or set `NETLINK_NO_ENOBUFS`).
    ///
    /// ```no_run
    /// use std::ops::ControlFlow;
    /// use nlwire::family::NetlinkFamily;
    /// use nlwire_io::{Socket, SKNLGRP_INET_TCP_DESTROY, SKNLGRP_INET6_TCP_DESTROY};
    /// let mut s = Socket::new(NetlinkFamily::SockDiag)?;
    /// s.join_sock_diag_destroy(&[SKNLGRP_INET_TCP_DESTROY, SKNLGRP_INET6_TCP_DESTROY])?;
    /// s.listen(|msg, from| {
    ///     println!("group {:?}: {} bytes", from.group, msg.bytes.len());
    ///     ControlFlow::Continue(())
    /// })?;
    /// # Ok::<(), nlwire_io::Error>(())
    /// ```
    pub fn listen<F>(&mut self, mut each: F) -> Result<()>
    where
        F: FnMut(RawMessage<'_>, &Notification) -> ControlFlow<()>,
    {
        let non_blocking = self.is_non_blocking()?;
        loop {
            if non_blocking {
                self.wait_readable()?;
            }
            let r = match self.recv_msg() {
                Ok(r) => r,
                Err(e) if non_blocking && e.is_would_block() => continue,
                Err(e) => return Err(e),
            };
            let from = Notification {
                sender: r.sender,
                group: r.group,
                nsid: r.nsid,
            };
            for m in Messages::new(r.data) {
                if each(m?, &from).is_break() {
                    return Ok(());
                }
            }
        }
    }
}
