//! netlink_diag: `AF_NETLINK` sockets (`<linux/netlink_diag.h>`,
//! sock_diag(7), the kernel's `net/netlink/diag.c`).
//!
//! A request is `struct netlink_diag_req` (no attributes: the kernel reads
//! only the header, and answers dumps only — `NLM_F_DUMP` — with
//! `EOPNOTSUPP` otherwise). `sdiag_protocol` selects one `NETLINK_*`
//! protocol or [`NDIAG_PROTO_ALL`]; `ndiag_ino` and `ndiag_cookie` are not
//! looked at. Every reply is `struct netlink_diag_msg` followed by the
//! `NETLINK_DIAG_*` attributes `ndiag_show` asked for. `NETLINK_DIAG_MEMINFO`
//! is attribute kind **0** (the header's "NETLINK_DIAG_NONE, standard nl API
//! requires this attribute!" was never added).
//!
//! A dump walks each protocol's port hash, then its multicast list; the
//! second walk skips sockets for which `sk_hashed()` is true, which tests
//! `sk_node`, a list netlink sockets are never on — so a socket that is both
//! bound and in a multicast group is reported **twice**, identically (seen
//! on a live 6.18 kernel; iproute2 `ss -A netlink` lists it twice too).

use zerocopy::byteorder::{U16, U32};
use zerocopy::NativeEndian as NE;

use super::cookie::cookie_of;
use super::ids::{AddressFamily, SockType};
use super::meminfo::SkMeminfoView;
use crate::family::NetlinkFamily;
use crate::flags::FlagBits;
use crate::netlink::Message;
use crate::payload::Array;
use crate::value::Value;
use crate::{attribute_set, nl_flags, nl_struct, open_enum};

/// `NDIAG_PROTO_ALL` (`<linux/netlink_diag.h>`, `((__u8) ~0)`): in
/// `sdiag_protocol`, dump the sockets of every netlink protocol.
pub const NDIAG_PROTO_ALL: u8 = 0xff;

/// The `ndiag_show` bits of `struct netlink_diag_req`: which
/// `NETLINK_DIAG_*` attributes to send.
#[nl_flags(u32, table = NDIAG_SHOW_NAMES)]
pub enum NdiagShowNames {
    /// `NDIAG_SHOW_MEMINFO`: send `NETLINK_DIAG_MEMINFO`.
    NDIAG_SHOW_MEMINFO = 0x0000_0001,
    /// `NDIAG_SHOW_GROUPS`: send `NETLINK_DIAG_GROUPS`.
    NDIAG_SHOW_GROUPS = 0x0000_0002,
    /// `NDIAG_SHOW_RING_CFG`: send `NETLINK_DIAG_RX_RING`/`TX_RING`
    /// (deprecated since 4.6, when netlink mmap was removed: nothing is sent).
    NDIAG_SHOW_RING_CFG = 0x0000_0004,
    /// `NDIAG_SHOW_FLAGS`: send `NETLINK_DIAG_FLAGS`.
    NDIAG_SHOW_FLAGS = 0x0000_0008,
}

/// Bit names of `NETLINK_DIAG_FLAGS` (`NDIAG_FLAG_*`).
#[nl_flags(u32, table = NDIAG_FLAG_NAMES)]
pub enum NdiagFlagNames {
    /// `NDIAG_FLAG_CB_RUNNING`: a dump is in progress on the socket.
    NDIAG_FLAG_CB_RUNNING = 0x0000_0001,
    /// `NDIAG_FLAG_PKTINFO`: `NETLINK_PKTINFO` is on.
    NDIAG_FLAG_PKTINFO = 0x0000_0002,
    /// `NDIAG_FLAG_BROADCAST_ERROR`: `NETLINK_BROADCAST_ERROR` is on.
    NDIAG_FLAG_BROADCAST_ERROR = 0x0000_0004,
    /// `NDIAG_FLAG_NO_ENOBUFS`: `NETLINK_NO_ENOBUFS` is on.
    NDIAG_FLAG_NO_ENOBUFS = 0x0000_0008,
    /// `NDIAG_FLAG_LISTEN_ALL_NSID`: `NETLINK_LISTEN_ALL_NSID` is on.
    NDIAG_FLAG_LISTEN_ALL_NSID = 0x0000_0010,
    /// `NDIAG_FLAG_CAP_ACK`: `NETLINK_CAP_ACK` is on.
    NDIAG_FLAG_CAP_ACK = 0x0000_0020,
}

/// The payload of `NETLINK_DIAG_FLAGS`: a `u32` of `NDIAG_FLAG_*` bits.
pub type NdiagFlags = FlagBits<u32, NdiagFlagNames>;

/// The state of a netlink socket (`sk_state`; `NETLINK_UNCONNECTED` and
/// `NETLINK_CONNECTED` of the kernel's `net/netlink/af_netlink.h`, not in
/// the uapi headers): connected means `connect()` set a default
/// destination (`ndiag_dst_portid`, `ndiag_dst_group`). A socket that was
/// never connected still has the state `sock_init_data()` gives every
/// socket, `TCP_CLOSE` (7), as seen on a live 6.18 kernel. `connect()`
/// makes it `NETLINK_CONNECTED` whatever the address (port 0 / group 0
/// included: `netlink_connect()` sets the state before looking at it);
/// only `connect()` to `AF_UNSPEC` makes it `NETLINK_UNCONNECTED`.
/// iproute2 `ss` shows all of them but `NETLINK_CONNECTED` as `UNCONN`.
#[open_enum(u8)]
pub enum NetlinkState {
    /// `NETLINK_UNCONNECTED` (0): disconnected by `connect()` to `AF_UNSPEC`.
    #[nl(name = "NETLINK_UNCONNECTED")]
    Unconnected = 0,
    /// `NETLINK_CONNECTED` (1).
    #[nl(name = "NETLINK_CONNECTED")]
    Connected = 1,
    /// `TCP_CLOSE` (7): never connected.
    #[nl(name = "TCP_CLOSE")]
    Close = 7,
}

/// `struct netlink_diag_req` (`<linux/netlink_diag.h>`).
///
/// ```c
/// struct netlink_diag_req {
///     __u8  sdiag_family;
///     __u8  sdiag_protocol;
///     __u16 pad;
///     __u32 ndiag_ino;
///     __u32 ndiag_show;
///     __u32 ndiag_cookie[2];
/// };
/// ```
#[nl_struct(name = "netlink_diag_req")]
pub struct NetlinkDiagReq {
    /// `sdiag_family`: `AF_NETLINK`.
    #[nl(enum = AddressFamily)]
    pub sdiag_family: u8,
    /// `sdiag_protocol`: a `NETLINK_*` protocol, or [`NDIAG_PROTO_ALL`]
    /// (the kernel answers `ENOENT` for a protocol `>= MAX_LINKS`).
    #[nl(enum = NetlinkFamily)]
    pub sdiag_protocol: u8,
    /// `pad`.
    pub pad: U16<NE>,
    /// `ndiag_ino`: not used by the kernel (dumps only).
    pub ndiag_ino: U32<NE>,
    /// `ndiag_show`: `NDIAG_SHOW_*` attributes wanted.
    #[nl(flags = NDIAG_SHOW_NAMES)]
    pub ndiag_show: U32<NE>,
    /// `ndiag_cookie`: not used by the kernel.
    #[nl(value_with = Self::cookie_value)]
    pub ndiag_cookie: [U32<NE>; 2],
}

impl NetlinkDiagReq {
    /// The cookie as one number (its two words, low first), the value the
    /// walk reports.
    fn cookie_value(&self) -> Value<'static> {
        Value::U64(cookie_of(&self.ndiag_cookie))
    }
    /// A dump request for the sockets of `protocol` (a `NETLINK_*` number
    /// or [`NDIAG_PROTO_ALL`]) with the attributes `show` (`NDIAG_SHOW_*`).
    pub fn dump(protocol: u8, show: u32) -> Self {
        NetlinkDiagReq {
            sdiag_family: AddressFamily::Netlink.raw(),
            sdiag_protocol: protocol,
            pad: U16::ZERO,
            ndiag_ino: U32::ZERO,
            ndiag_show: U32::new(show),
            ndiag_cookie: [U32::ZERO; 2],
        }
    }
}

/// `struct netlink_diag_msg` (`<linux/netlink_diag.h>`).
///
/// ```c
/// struct netlink_diag_msg {
///     __u8  ndiag_family;
///     __u8  ndiag_type;
///     __u8  ndiag_protocol;
///     __u8  ndiag_state;
///
///     __u32 ndiag_portid;
///     __u32 ndiag_dst_portid;
///     __u32 ndiag_dst_group;
///     __u32 ndiag_ino;
///     __u32 ndiag_cookie[2];
/// };
/// ```
#[nl_struct(name = "netlink_diag_msg")]
pub struct NetlinkDiagMsg {
    /// `ndiag_family`: `AF_NETLINK`.
    #[nl(enum = AddressFamily)]
    pub ndiag_family: u8,
    /// `ndiag_type`: `SOCK_RAW` or `SOCK_DGRAM`.
    #[nl(enum = SockType)]
    pub ndiag_type: u8,
    /// `ndiag_protocol`: the `NETLINK_*` protocol (`sk_protocol`).
    #[nl(enum = NetlinkFamily)]
    pub ndiag_protocol: u8,
    /// `ndiag_state`: `NETLINK_UNCONNECTED` or `NETLINK_CONNECTED`.
    #[nl(enum = NetlinkState)]
    pub ndiag_state: u8,
    /// `ndiag_portid`: the bound port id (0 for kernel sockets and unbound
    /// ones).
    pub ndiag_portid: U32<NE>,
    /// `ndiag_dst_portid`: the port id `connect()` set.
    pub ndiag_dst_portid: U32<NE>,
    /// `ndiag_dst_group`: the group `connect()` set.
    pub ndiag_dst_group: U32<NE>,
    /// `ndiag_ino`: socket inode number.
    pub ndiag_ino: U32<NE>,
    /// `ndiag_cookie`: socket cookie, low word first.
    #[nl(value_with = Self::cookie_value)]
    pub ndiag_cookie: [U32<NE>; 2],
}

impl NetlinkDiagMsg {
    /// The cookie as one number (its two words, low first), the value the
    /// walk reports.
    fn cookie_value(&self) -> Value<'static> {
        Value::U64(cookie_of(&self.ndiag_cookie))
    }
    /// `ndiag_protocol` as a netlink protocol.
    pub fn protocol(&self) -> NetlinkFamily {
        NetlinkFamily::from(u16::from(self.ndiag_protocol))
    }
    /// `ndiag_state`.
    pub fn state(&self) -> NetlinkState {
        self.ndiag_state.into()
    }
    /// `ndiag_cookie` as one number.
    pub fn cookie(&self) -> u64 {
        cookie_of(&self.ndiag_cookie)
    }
}

/// `struct netlink_diag_ring` (`<linux/netlink_diag.h>`): the payload of
/// `NETLINK_DIAG_RX_RING` / `NETLINK_DIAG_TX_RING` (netlink mmap rings;
/// removed in 4.6, no kernel since sends them).
///
/// ```c
/// struct netlink_diag_ring {
///     __u32 ndr_block_size;
///     __u32 ndr_block_nr;
///     __u32 ndr_frame_size;
///     __u32 ndr_frame_nr;
/// };
/// ```
#[nl_struct(name = "netlink_diag_ring")]
pub struct NetlinkDiagRing {
    /// `ndr_block_size`.
    pub ndr_block_size: U32<NE>,
    /// `ndr_block_nr`.
    pub ndr_block_nr: U32<NE>,
    /// `ndr_frame_size`.
    pub ndr_frame_size: U32<NE>,
    /// `ndr_frame_nr`.
    pub ndr_frame_nr: U32<NE>,
}

/// The attributes of a netlink_diag reply (`enum { NETLINK_DIAG_MEMINFO,
/// ... }` of `<linux/netlink_diag.h>`).
#[attribute_set(name = "netlink_diag")]
pub enum NetlinkDiagAttr<'a> {
    /// `NETLINK_DIAG_MEMINFO` (kind 0): `__u32[SK_MEMINFO_VARS]`
    /// (`sock_diag_put_meminfo`).
    #[nl(kind = NETLINK_DIAG_MEMINFO = 0)]
    Meminfo(SkMeminfoView<'a>),
    /// `NETLINK_DIAG_GROUPS`: the multicast group bitmap (`nlk->groups`,
    /// `NLGRPSZ(ngroups)` bytes: group `n` is bit `n - 1`), sent only for a
    /// socket that has joined or bound groups. The kernel stores it as
    /// `unsigned long` words; read here as `u32` words, which is the same
    /// bit numbering on little-endian hosts and on 32-bit hosts.
    #[nl(kind = NETLINK_DIAG_GROUPS = 1)]
    Groups(Array<'a, U32<NE>>),
    /// `NETLINK_DIAG_RX_RING`: `struct netlink_diag_ring` (kernels < 4.6).
    #[nl(kind = NETLINK_DIAG_RX_RING = 2)]
    RxRing(&'a NetlinkDiagRing),
    /// `NETLINK_DIAG_TX_RING`: `struct netlink_diag_ring` (kernels < 4.6).
    #[nl(kind = NETLINK_DIAG_TX_RING = 3)]
    TxRing(&'a NetlinkDiagRing),
    /// `NETLINK_DIAG_FLAGS`: `u32`, `NDIAG_FLAG_*`.
    #[nl(kind = NETLINK_DIAG_FLAGS = 4)]
    Flags(NdiagFlags),
}

/// netlink_diag requests carry no attributes (`netlink_diag_handler_dump`
/// reads only the header); anything after it is kept as unknown.
#[attribute_set(name = "netlink_diag_req")]
pub enum NetlinkDiagReqAttr<'a> {}

/// The multicast groups set in a `NETLINK_DIAG_GROUPS` bitmap, in
/// increasing order (group `n` is bit `n - 1` of the bitmap).
pub fn netlink_groups<'a>(words: &'a [U32<NE>]) -> impl Iterator<Item = u32> + 'a {
    words.iter().zip(0u32..).flat_map(|(w, i)| {
        let w = w.get();
        (0u32..32)
            .filter(move |b| w & (1u32 << b) != 0)
            .map(move |b| i.saturating_mul(32).saturating_add(b).saturating_add(1))
    })
}

/// A netlink_diag request: `struct netlink_diag_req`.
pub type NetlinkDiagRequest<'a> = Message<'a, NetlinkDiagReq, NetlinkDiagReqAttr<'a>>;
/// A netlink_diag reply: `struct netlink_diag_msg` and `NETLINK_DIAG_*`.
pub type NetlinkDiagResponse<'a> = Message<'a, NetlinkDiagMsg, NetlinkDiagAttr<'a>>;
