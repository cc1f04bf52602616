//! The shim's error type: system-call failures, kernel errors carried in
//! `NLMSG_ERROR`/`NLMSG_DONE` (with their extended ACK), overruns and
//! malformed replies, each a distinct variant.

use std::fmt;
use std::io;

/// A `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong talking netlink.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A system call failed (`EINTR` is retried and never reported). With a
    /// non-blocking socket, `EAGAIN` arrives here: see
    /// [`Error::is_would_block`].
    #[error("{call}: {source}")]
    Io {
        /// The system call, e.g. `"recv"` or `"setsockopt(NETLINK_ADD_MEMBERSHIP)"`.
        call: &'static str,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// `recv` failed with `ENOBUFS`: the socket's receive buffer overran and
    /// the kernel dropped messages (netlink(7)). A dump in progress is
    /// incomplete; enlarge `SO_RCVBUF` or set `NETLINK_NO_ENOBUFS`.
    #[error("ENOBUFS: the netlink receive buffer overran and messages were lost")]
    NoBufs,
    /// The kernel answered with a negative error code, in `NLMSG_ERROR` or in
    /// the `int` after an `NLMSG_DONE`.
    #[error("{0}")]
    Kernel(KernelError),
    /// A message of the dump carried `NLM_F_DUMP_INTR`: the table changed
    /// while it was dumped, so the result may be inconsistent. Every message
    /// was still delivered and the dump was read up to `NLMSG_DONE`; retry it
    /// to get a consistent view.
    #[error(
        "NLM_F_DUMP_INTR: the dump was interrupted by a change after {messages} messages; retry it"
    )]
    DumpInterrupted {
        /// Data messages delivered before `NLMSG_DONE`.
        messages: usize,
    },
    /// A datagram was longer than the buffer it was read into (the
    /// `MSG_TRUNC` length exceeded the buffer). Only the caller-buffer
    /// receives can report this; the whole-datagram receives size their
    /// buffer first.
    #[error("datagram of {len} bytes truncated to the {capacity}-byte buffer")]
    Truncated {
        /// The datagram's real length.
        len: usize,
        /// The buffer's length.
        capacity: usize,
    },
    /// A reply carried our sequence number but another port id in
    /// `nlmsg_pid`.
    #[error("reply with nlmsg_seq {seq} came for port id {got}, this socket is {expected}")]
    WrongPort {
        /// The sequence number.
        seq: u32,
        /// This socket's port id.
        expected: u32,
        /// The reply's `nlmsg_pid`.
        got: u32,
    },
    /// The kernel's reply could not be decoded.
    #[error("malformed netlink reply: {0}")]
    Decode(#[from] nlwire::Error),
    /// The request given to [`crate::Socket::dump`] is not one netlink
    /// request message.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
}

impl Error {
    /// Wrap an OS error from `call`, mapping `ENOBUFS` to [`Error::NoBufs`].
    pub(crate) fn os(call: &'static str, errno: rustix::io::Errno) -> Self {
        if errno == rustix::io::Errno::NOBUFS {
            return Error::NoBufs;
        }
        Error::Io {
            call,
            source: errno.into(),
        }
    }

    /// `true` for `EAGAIN`/`EWOULDBLOCK` (a non-blocking socket had nothing
    /// to read, or a receive timeout expired).
    pub fn is_would_block(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == io::ErrorKind::WouldBlock)
    }

    /// The positive errno behind this error, if it has one (a system call's,
    /// the kernel's in `NLMSG_ERROR`/`NLMSG_DONE`, or `ENOBUFS`).
    pub fn errno(&self) -> Option<i32> {
        match self {
            Error::Io { source, .. } => source.raw_os_error(),
            Error::NoBufs => Some(rustix::io::Errno::NOBUFS.raw_os_error()),
            Error::Kernel(k) => Some(k.errno),
            _ => None,
        }
    }
}

/// An error the kernel reported for a request: the errno and, with
/// `NETLINK_EXT_ACK` on, every extended-ACK attribute (`enum nlmsgerr_attrs`
/// of `<linux/netlink.h>`, netlink(7)): the message, the offset of the
/// offending attribute, the cookie, the policy the attribute failed, and the
/// type and nest of a missing attribute.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KernelError {
    /// The errno, positive (the wire carries it negated).
    pub errno: i32,
    /// `NLMSGERR_ATTR_MSG`, if the kernel sent one.
    pub message: Option<String>,
    /// `NLMSGERR_ATTR_OFFS`: offset of the offending attribute in the request.
    pub offset: Option<u32>,
    /// `NLMSGERR_ATTR_COOKIE`: the subsystem's opaque cookie.
    pub cookie: Option<Vec<u8>>,
    /// `NLMSGERR_ATTR_POLICY`: the policy the attribute at `offset` failed
    /// (boxed: it is large and rare, and keeps `Error` small).
    pub policy: Option<Box<ErrorPolicy>>,
    /// `NLMSGERR_ATTR_MISS_TYPE`: the type of a required attribute that was
    /// missing.
    pub missing_type: Option<u32>,
    /// `NLMSGERR_ATTR_MISS_NEST`: offset in the request of the nest the
    /// missing attribute should have been in (absent: the top level).
    pub missing_nest: Option<u32>,
    /// `true` if the error came in the `NLMSG_DONE` that ended a dump rather
    /// than in an `NLMSG_ERROR`.
    pub in_done: bool,
}

/// `NLMSGERR_ATTR_POLICY`: the attribute policy a rejected attribute failed
/// (`enum netlink_policy_type_attr`, `NL_POLICY_TYPE_ATTR_*`). Each field is
/// present when the kernel sent it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorPolicy {
    /// `NL_POLICY_TYPE_ATTR_TYPE`: `enum netlink_attribute_type`
    /// (`NL_ATTR_TYPE_U32` = 4, …).
    pub attr_type: Option<u32>,
    /// `NL_POLICY_TYPE_ATTR_MIN_VALUE_S`.
    pub min_value_s: Option<i64>,
    /// `NL_POLICY_TYPE_ATTR_MAX_VALUE_S`.
    pub max_value_s: Option<i64>,
    /// `NL_POLICY_TYPE_ATTR_MIN_VALUE_U`.
    pub min_value_u: Option<u64>,
    /// `NL_POLICY_TYPE_ATTR_MAX_VALUE_U`.
    pub max_value_u: Option<u64>,
    /// `NL_POLICY_TYPE_ATTR_MIN_LENGTH`.
    pub min_length: Option<u32>,
    /// `NL_POLICY_TYPE_ATTR_MAX_LENGTH`.
    pub max_length: Option<u32>,
    /// `NL_POLICY_TYPE_ATTR_POLICY_IDX`.
    pub policy_idx: Option<u32>,
    /// `NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE`.
    pub policy_maxtype: Option<u32>,
    /// `NL_POLICY_TYPE_ATTR_BITFIELD32_MASK`.
    pub bitfield32_mask: Option<u32>,
    /// `NL_POLICY_TYPE_ATTR_MASK`.
    pub mask: Option<u64>,
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = nlwire::netlink::errno_name(self.errno).unwrap_or("errno");
        let text = io::Error::from_raw_os_error(self.errno);
        let carrier = if self.in_done {
            "NLMSG_DONE"
        } else {
            "NLMSG_ERROR"
        };
        write!(f, "{carrier}: {name} ({}): {text}", self.errno)?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        if let Some(o) = self.offset {
            write!(f, " (at offset {o} of the request)")?;
        }
        if let Some(t) = self.missing_type {
            write!(f, " (missing attribute type {t}")?;
            if let Some(n) = self.missing_nest {
                write!(f, " in the nest at offset {n}")?;
            }
            write!(f, ")")?;
        }
        if let Some(p) = &self.policy {
            write!(f, " (policy: {p})")?;
        }
        if let Some(c) = &self.cookie {
            write!(f, " (cookie ")?;
            for b in c {
                write!(f, "{b:02x}")?;
            }
            write!(f, ")")?;
        }
        Ok(())
    }
}

impl fmt::Display for ErrorPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        let mut item = |f: &mut fmt::Formatter<'_>, name: &str, v: Option<String>| {
            if let Some(v) = v {
                let r = write!(f, "{sep}{name} {v}");
                sep = ", ";
                r
            } else {
                Ok(())
            }
        };
        let s = |v: Option<u64>| v.map(|v| v.to_string());
        item(f, "type", s(self.attr_type.map(u64::from)))?;
        item(f, "min", self.min_value_s.map(|v| v.to_string()))?;
        item(f, "max", self.max_value_s.map(|v| v.to_string()))?;
        item(f, "min", s(self.min_value_u))?;
        item(f, "max", s(self.max_value_u))?;
        item(f, "min length", s(self.min_length.map(u64::from)))?;
        item(f, "max length", s(self.max_length.map(u64::from)))?;
        item(f, "policy index", s(self.policy_idx.map(u64::from)))?;
        item(f, "max type", s(self.policy_maxtype.map(u64::from)))?;
        item(
            f,
            "bitfield32 mask",
            self.bitfield32_mask.map(|v| format!("{v:#x}")),
        )?;
        item(f, "mask", self.mask.map(|v| format!("{v:#x}")))
    }
}
