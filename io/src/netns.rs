//! Network namespaces: open a netlink socket in another network namespace
//! without ever moving the calling thread.
//!
//! A socket belongs to the network namespace its creator was in when it
//! called `socket(2)`, and keeps it for life. So the usual technique
//! (iproute2's `ip netns exec` moves the whole process instead) is a
//! short-lived thread that `setns(fd, CLONE_NEWNET)`s, opens the socket and
//! hands it back; the thread ends, taking its namespace with it, and the
//! caller's threads never leave theirs. Needs `CAP_SYS_ADMIN` (setns(2)).

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

use nlwire::family::NetlinkFamily;
use rustix::fs::{Mode, OFlags};
use rustix::thread::{move_into_link_name_space, LinkNameSpaceType};

use crate::error::{Error, Result};
use crate::socket::{retry, Socket};

/// Where named network namespaces live (`ip netns add NAME` bind-mounts
/// them there).
pub const NETNS_RUN_DIR: &str = "/var/run/netns";

/// Open a network namespace file (`/var/run/netns/NAME`,
/// `/proc/PID/ns/net`, `/proc/PID/task/TID/ns/net`) read-only and
/// close-on-exec, for [`run_in_netns`] and [`Socket::new_in_netns_fd`].
pub fn open_netns(path: impl AsRef<Path>) -> Result<OwnedFd> {
    retry(|| {
        rustix::fs::open(
            path.as_ref(),
            OFlags::RDONLY | OFlags::CLOEXEC,
            Mode::empty(),
        )
    })
    .map_err(|e| Error::os("open(netns)", e))
}

/// Run `f` on a short-lived thread that first joins the network namespace
/// `ns` (`setns(ns, CLONE_NEWNET)`), and return what it returns. The
/// calling thread's namespace never changes. A panic in `f` is resumed on
/// the caller.
///
/// Errors: [`Error::Io`] from `setns` (`EINVAL`: `ns` is not a network
/// namespace; `EPERM`: no `CAP_SYS_ADMIN`).
pub fn run_in_netns<T, F>(ns: BorrowedFd<'_>, f: F) -> Result<T>
where
    F: FnOnce() -> T + Send,
    T: Send,
{
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || {
            move_into_link_name_space(ns, Some(LinkNameSpaceType::Network))
                .map_err(|e| Error::os("setns(CLONE_NEWNET)", e))?;
            Ok(f())
        });
        match worker.join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

impl Socket {
    /// Like [`Socket::new`], in the network namespace at `path` (a file
    /// such as `/var/run/netns/NAME` or `/proc/PID/ns/net`): the socket is
    /// opened by a short-lived thread that joined that namespace, and
    /// talks to that namespace's kernel tables for life.
    ///
    /// ```no_run
    /// use nlwire::family::NetlinkFamily;
    /// use nlwire_io::Socket;
    /// // The namespace of `ip netns add blue`.
    /// let s = Socket::new_in_netns(NetlinkFamily::SockDiag, "/var/run/netns/blue")?;
    /// # Ok::<(), nlwire_io::Error>(())
    /// ```
    pub fn new_in_netns(
        protocol: impl Into<NetlinkFamily>,
        path: impl AsRef<Path>,
    ) -> Result<Self> {
        let ns = open_netns(path)?;
        Self::new_in_netns_fd(protocol, ns.as_fd())
    }

    /// Like [`Socket::new_in_netns`], with the namespace given as an open
    /// file descriptor (from [`open_netns`], a pidfd's namespace, …).
    pub fn new_in_netns_fd(protocol: impl Into<NetlinkFamily>, ns: BorrowedFd<'_>) -> Result<Self> {
        let protocol = protocol.into();
        run_in_netns(ns, move || Socket::new(protocol))?
    }
}
