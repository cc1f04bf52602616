//! unix_diag: `AF_UNIX` sockets (`<linux/unix_diag.h>`, sock_diag(7),
//! unix(7)).
//!
//! A request is `struct unix_diag_req` (no attributes); every reply is
//! `struct unix_diag_msg` followed by the `UNIX_DIAG_*` attributes that
//! `udiag_show` asked for. `UNIX_DIAG_NAME` is attribute kind **0** (the
//! header's comment: "UNIX_DIAG_NONE, standard nl API requires this
//! attribute!" was never added).

use core::fmt;

use zerocopy::byteorder::{U16, U32};
use zerocopy::NativeEndian as NE;

use super::cookie::{cookie_of, cookie_words, INET_DIAG_NOCOOKIE};
use super::flags::Shutdown;
use super::ids::{AddressFamily, SockType};
use super::meminfo::SkMeminfoView;
use super::states::{state_mask, TCPF_NAMES};
use crate::netlink::Message;
use crate::payload::{copy_into, Array, Payload};
use crate::value::{Value, Visitor};
use crate::{attribute_set, nl_flags, nl_struct, open_enum, Mode, Result};

/// The `udiag_show` bits of `struct unix_diag_req` (`<linux/unix_diag.h>`):
/// which `UNIX_DIAG_*` attributes to send.
#[nl_flags(u32, table = UDIAG_SHOW_NAMES)]
pub enum UdiagShowNames {
    /// `UDIAG_SHOW_NAME`: send `UNIX_DIAG_NAME` (the bound name, not the path
    /// of the inode).
    UDIAG_SHOW_NAME = 0x0000_0001,
    /// `UDIAG_SHOW_VFS`: send `UNIX_DIAG_VFS` (inode of a bound pathname).
    UDIAG_SHOW_VFS = 0x0000_0002,
    /// `UDIAG_SHOW_PEER`: send `UNIX_DIAG_PEER`.
    UDIAG_SHOW_PEER = 0x0000_0004,
    /// `UDIAG_SHOW_ICONS`: send `UNIX_DIAG_ICONS` (pending connections).
    UDIAG_SHOW_ICONS = 0x0000_0008,
    /// `UDIAG_SHOW_RQLEN`: send `UNIX_DIAG_RQLEN`.
    UDIAG_SHOW_RQLEN = 0x0000_0010,
    /// `UDIAG_SHOW_MEMINFO`: send `UNIX_DIAG_MEMINFO`.
    UDIAG_SHOW_MEMINFO = 0x0000_0020,
    /// `UDIAG_SHOW_UID`: send `UNIX_DIAG_UID` (kernel 5.3+).
    UDIAG_SHOW_UID = 0x0000_0040,
}

/// The state of a unix socket (`sk_state`, reusing the TCP numbers of
/// `<net/tcp_states.h>`; `af_unix.c` uses only these three).
#[open_enum(u8)]
pub enum UnixState {
    /// `TCP_ESTABLISHED`: connected.
    #[nl(name = "TCP_ESTABLISHED")]
    Established = 1,
    /// `TCP_CLOSE`: not connected (unbound, bound, or a disconnected dgram).
    #[nl(name = "TCP_CLOSE")]
    Close = 7,
    /// `TCP_LISTEN`: listening.
    #[nl(name = "TCP_LISTEN")]
    Listen = 10,
}

impl UnixState {
    /// This state's bit in `udiag_states` (`1 << state`).
    pub const fn mask(self) -> u32 {
        state_mask(self.raw())
    }
}

/// `struct unix_diag_req` (`<linux/unix_diag.h>`).
///
/// ```c
/// struct unix_diag_req {
///     __u8  sdiag_family;
///     __u8  sdiag_protocol;
///     __u16 pad;
///     __u32 udiag_states;
///     __u32 udiag_ino;
///     __u32 udiag_show;
///     __u32 udiag_cookie[2];
/// };
/// ```
#[nl_struct(name = "unix_diag_req")]
pub struct UnixDiagReq {
    /// `sdiag_family`: `AF_UNIX`.
    #[nl(enum = AddressFamily)]
    pub sdiag_family: u8,
    /// `sdiag_protocol`: must be 0.
    pub sdiag_protocol: u8,
    /// `pad`.
    pub pad: U16<NE>,
    /// `udiag_states`: `1 << state` bits to dump.
    #[nl(flags = TCPF_NAMES)]
    pub udiag_states: U32<NE>,
    /// `udiag_ino`: inode to look up (exact requests).
    pub udiag_ino: U32<NE>,
    /// `udiag_show`: `UDIAG_SHOW_*` attributes wanted.
    #[nl(flags = UDIAG_SHOW_NAMES)]
    pub udiag_show: U32<NE>,
    /// `udiag_cookie`: socket cookie for exact requests, low word first
    /// (`INET_DIAG_NOCOOKIE` in both words: do not check).
    #[nl(value_with = Self::cookie_value)]
    pub udiag_cookie: [U32<NE>; 2],
}

impl UnixDiagReq {
    /// The cookie as one number (its two words, low first), the value the
    /// walk reports.
    fn cookie_value(&self) -> Value<'static> {
        Value::U64(cookie_of(&self.udiag_cookie))
    }
    /// A dump request: every socket in `states` (`1 << state` bits), with
    /// the attributes `show` (`UDIAG_SHOW_*`).
    pub fn dump(states: u32, show: u32) -> Self {
        UnixDiagReq {
            sdiag_family: AddressFamily::Unix.raw(),
            sdiag_protocol: 0,
            pad: U16::ZERO,
            udiag_states: U32::new(states),
            udiag_ino: U32::ZERO,
            udiag_show: U32::new(show),
            udiag_cookie: [U32::ZERO; 2],
        }
    }
    /// An exact request for inode `ino` (`cookie` `None`: do not check it).
    pub fn exact(ino: u32, cookie: Option<u64>, show: u32) -> Self {
        let mut r = Self::dump(0, show);
        r.udiag_ino = U32::new(ino);
        r.udiag_cookie = match cookie {
            Some(c) => cookie_words(c),
            None => [U32::new(INET_DIAG_NOCOOKIE); 2],
        };
        r
    }
}

/// `struct unix_diag_msg` (`<linux/unix_diag.h>`).
///
/// ```c
/// struct unix_diag_msg {
///     __u8  udiag_family;
///     __u8  udiag_type;
///     __u8  udiag_state;
///     __u8  pad;
///     __u32 udiag_ino;
///     __u32 udiag_cookie[2];
/// };
/// ```
#[nl_struct(name = "unix_diag_msg")]
pub struct UnixDiagMsg {
    /// `udiag_family`: `AF_UNIX`.
    #[nl(enum = AddressFamily)]
    pub udiag_family: u8,
    /// `udiag_type`: `SOCK_STREAM`, `SOCK_DGRAM` or `SOCK_SEQPACKET`.
    #[nl(enum = SockType)]
    pub udiag_type: u8,
    /// `udiag_state`: `TCP_ESTABLISHED`, `TCP_CLOSE` or `TCP_LISTEN`.
    #[nl(enum = UnixState)]
    pub udiag_state: u8,
    /// `pad`.
    pub pad: u8,
    /// `udiag_ino`: socket inode number.
    pub udiag_ino: U32<NE>,
    /// `udiag_cookie`: socket cookie, low word first.
    #[nl(value_with = Self::cookie_value)]
    pub udiag_cookie: [U32<NE>; 2],
}

impl UnixDiagMsg {
    /// The cookie as one number (its two words, low first), the value the
    /// walk reports.
    fn cookie_value(&self) -> Value<'static> {
        Value::U64(cookie_of(&self.udiag_cookie))
    }
    /// `udiag_type`.
    pub fn sock_type(&self) -> SockType {
        self.udiag_type.into()
    }
    /// `udiag_state`.
    pub fn state(&self) -> UnixState {
        self.udiag_state.into()
    }
    /// `udiag_cookie` as one number.
    pub fn cookie(&self) -> u64 {
        cookie_of(&self.udiag_cookie)
    }
}

/// `struct unix_diag_vfs` (`<linux/unix_diag.h>`): `UNIX_DIAG_VFS`, the
/// inode a pathname socket is bound to.
///
/// ```c
/// struct unix_diag_vfs {
///     __u32 udiag_vfs_ino;
///     __u32 udiag_vfs_dev;
/// };
/// ```
#[nl_struct(name = "unix_diag_vfs")]
pub struct UnixDiagVfs {
    /// `udiag_vfs_ino`: inode number of the bound path.
    pub udiag_vfs_ino: U32<NE>,
    /// `udiag_vfs_dev`: device of the bound path (kernel `new_encode_dev`).
    pub udiag_vfs_dev: U32<NE>,
}

/// `struct unix_diag_rqlen` (`<linux/unix_diag.h>`): `UNIX_DIAG_RQLEN`.
///
/// ```c
/// struct unix_diag_rqlen {
///     __u32 udiag_rqueue;
///     __u32 udiag_wqueue;
/// };
/// ```
#[nl_struct(name = "unix_diag_rqlen")]
pub struct UnixDiagRqlen {
    /// `udiag_rqueue`: listeners: pending connections; others: bytes in
    /// the receive queue (`unix_inq_len`).
    pub udiag_rqueue: U32<NE>,
    /// `udiag_wqueue`: listeners: backlog limit; others: bytes in the send
    /// queue (`unix_outq_len`).
    pub udiag_wqueue: U32<NE>,
}

/// The name of a unix socket (unix(7) "Address format").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnixName<'a> {
    /// A filesystem path (the bytes before the first NUL; not assumed
    /// UTF-8).
    Pathname(&'a [u8]),
    /// An abstract name: the bytes after the leading NUL (may contain NULs;
    /// not assumed UTF-8).
    Abstract(&'a [u8]),
    /// No name (an empty `UNIX_DIAG_NAME`; the kernel sends no attribute for
    /// unbound sockets).
    Unnamed,
}

impl fmt::Display for UnixName<'_> {
    /// As iproute2 `ss` shows it: a path as is, an abstract name as `@name`
    /// with every NUL shown as `@`, no name as `*`. Bytes that are not UTF-8
    /// are shown as `\xNN`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (bytes, abstract_) = match self {
            UnixName::Pathname(p) => (*p, false),
            UnixName::Abstract(a) => {
                f.write_str("@")?;
                (*a, true)
            }
            UnixName::Unnamed => return f.write_str("*"),
        };
        for chunk in bytes.utf8_chunks() {
            for c in chunk.valid().chars() {
                if c == '\0' && abstract_ {
                    f.write_str("@")?;
                } else if c.is_control() {
                    write!(f, "{}", c.escape_default())?;
                } else {
                    write!(f, "{c}")?;
                }
            }
            for b in chunk.invalid() {
                write!(f, "\\x{b:02x}")?;
            }
        }
        Ok(())
    }
}

/// The payload of `UNIX_DIAG_NAME`: the `sun_path` bytes exactly as the
/// kernel sent them (`addr->len - sizeof(short)`: a pathname includes its
/// trailing NUL, an abstract name starts with NUL). [`SunPath::name`] reads
/// it; emitting writes the bytes back unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct SunPath<'a>(pub &'a [u8]);

impl<'a> SunPath<'a> {
    /// The typed name.
    pub fn name(&self) -> UnixName<'a> {
        match self.0.split_first() {
            None => UnixName::Unnamed,
            Some((0, rest)) => UnixName::Abstract(rest),
            Some(_) => {
                let end = self.0.iter().position(|&b| b == 0).unwrap_or(self.0.len());
                UnixName::Pathname(self.0.get(..end).unwrap_or_default())
            }
        }
    }
}

impl<'a> Payload<'a> for SunPath<'a> {
    fn parse(bytes: &'a [u8], _mode: Mode) -> Result<Self> {
        Ok(SunPath(bytes))
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn write(&self, buf: &mut [u8]) {
        copy_into(buf, self.0);
    }
    /// A group: `pathname`, `abstract` (bytes after the leading NUL) or
    /// `unnamed`.
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        v.begin(name);
        match self.name() {
            UnixName::Pathname(p) => v.field("pathname", Value::Str(p)),
            UnixName::Abstract(a) => v.field("abstract", Value::Str(a)),
            UnixName::Unnamed => v.field("unnamed", Value::Bool(true)),
        }
        v.end();
    }
}

/// The attributes of a unix_diag reply (`enum { UNIX_DIAG_NAME, ... }` of
/// `<linux/unix_diag.h>`).
#[attribute_set(name = "unix_diag")]
pub enum UnixDiagAttr<'a> {
    /// `UNIX_DIAG_NAME` (kind 0): the bound name.
    #[nl(kind = UNIX_DIAG_NAME = 0)]
    Name(SunPath<'a>),
    /// `UNIX_DIAG_VFS`: `struct unix_diag_vfs`.
    #[nl(kind = UNIX_DIAG_VFS = 1)]
    Vfs(&'a UnixDiagVfs),
    /// `UNIX_DIAG_PEER`: the peer's inode (`u32`).
    #[nl(kind = UNIX_DIAG_PEER = 2)]
    Peer(u32),
    /// `UNIX_DIAG_ICONS`: inodes of pending connections (`u32[]`, empty for
    /// a listener with none).
    #[nl(kind = UNIX_DIAG_ICONS = 3)]
    Icons(Array<'a, U32<NE>>),
    /// `UNIX_DIAG_RQLEN`: `struct unix_diag_rqlen`.
    #[nl(kind = UNIX_DIAG_RQLEN = 4)]
    Rqlen(&'a UnixDiagRqlen),
    /// `UNIX_DIAG_MEMINFO`: `__u32[SK_MEMINFO_VARS]`.
    #[nl(kind = UNIX_DIAG_MEMINFO = 5)]
    Meminfo(SkMeminfoView<'a>),
    /// `UNIX_DIAG_SHUTDOWN`: `sk_shutdown` (`u8`).
    #[nl(kind = UNIX_DIAG_SHUTDOWN = 6)]
    Shutdown(Shutdown),
    /// `UNIX_DIAG_UID`: owner uid (`u32`).
    #[nl(kind = UNIX_DIAG_UID = 7)]
    Uid(u32),
}

/// unix_diag requests carry no attributes (`unix_diag_handler_dump` reads
/// only the header); anything after it is kept as unknown.
#[attribute_set(name = "unix_diag_req")]
pub enum UnixDiagReqAttr<'a> {}

/// A unix_diag request: `struct unix_diag_req`.
pub type UnixRequest<'a> = Message<'a, UnixDiagReq, UnixDiagReqAttr<'a>>;
/// A unix_diag reply: `struct unix_diag_msg` and `UNIX_DIAG_*`.
pub type UnixResponse<'a> = Message<'a, UnixDiagMsg, UnixDiagAttr<'a>>;
