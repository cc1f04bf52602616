//! inet_diag: TCP, UDP, DCCP, SCTP, raw and MPTCP sockets over `AF_INET` /
//! `AF_INET6` (`<linux/inet_diag.h>`, sock_diag(7)).
//!
//! Requests are `struct inet_diag_req_v2` (or the legacy v1 `struct
//! inet_diag_req`) followed by `INET_DIAG_REQ_*` attributes; replies are
//! `struct inet_diag_msg` followed by `INET_DIAG_*` attributes, which the
//! request selects with the `idiag_ext` bits (`1 << (INET_DIAG_x - 1)`, only
//! the first eight fit).

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use zerocopy::byteorder::{U16, U32};
use zerocopy::{BigEndian as BE, NativeEndian as NE};

use super::bpf_storage::{SkBpfStorageReqAttr, SkBpfStoragesAttr};
use super::cc_info::{TcpBbrInfo, TcpDctcpInfo, TcpvegasInfo};
use super::cookie::cookie_of;
use super::flags::Shutdown;
use super::ids::{AddressFamily, IpProto};
use super::md5sig::TcpDiagMd5sig;
use super::meminfo::{InetDiagMeminfo, SkMeminfoView};
use super::sockaddr::KernelSockaddrStorage;
use super::states::{InetDiagTimer, TcpState, TCPF_NAMES};
use super::ulp::UlpInfoAttr;
use crate::netlink::{Message, Nested, Sub, NLA_F_NESTED};
use crate::payload::{Array, Bytes, NulStr};
use crate::value::{Value, Visitor};
use crate::{attribute_set, nl_flags, nl_struct};

/// `INET_DIAG_NONE` (0): not an attribute.
pub const INET_DIAG_NONE: u16 = 0;
/// `INET_DIAG_MEMINFO` (1): `struct inet_diag_meminfo`.
pub const INET_DIAG_MEMINFO: u16 = 1;
/// `INET_DIAG_INFO` (2): the protocol's info (`struct tcp_info` for TCP).
pub const INET_DIAG_INFO: u16 = 2;
/// `INET_DIAG_VEGASINFO` (3): `struct tcpvegas_info`.
pub const INET_DIAG_VEGASINFO: u16 = 3;

/// `INET_DIAG_REQ_NONE` (0).
pub const INET_DIAG_REQ_NONE: u16 = 0;

/// The `idiag_ext` bit that requests attribute `kind`: `1 << (kind - 1)`
/// for `INET_DIAG_MEMINFO` … `INET_DIAG_SHUTDOWN`; 0 for kinds that have no
/// bit (request `INET_DIAG_DCTCPINFO` / `BBRINFO` with the VEGASINFO bit,
/// `INET_DIAG_CLASS_ID` with the TCLASS bit; the others are always sent or
/// not requestable).
pub const fn idiag_ext_bit(kind: u16) -> u8 {
    if kind >= 1 && kind <= 8 {
        1u8 << kind.saturating_sub(1)
    } else {
        0
    }
}

/// Every `idiag_ext` bit (what `ss -i -m -e` sets, and more).
pub const INET_DIAG_EXT_ALL: u8 = 0xff;

/// The `idiag_ext` bits of a request (`1 << (INET_DIAG_x - 1)`), named
/// after the attribute each requests; names: [`IDIAG_EXT_NAMES`]. The kinds
/// are the constants; the bits have no constants of their own (see
/// [`idiag_ext_bit`]).
#[nl_flags(u8, names_only, table = IDIAG_EXT_NAMES)]
pub enum IdiagExtNames {
    INET_DIAG_MEMINFO = 1 << (INET_DIAG_MEMINFO - 1),
    INET_DIAG_INFO = 1 << (INET_DIAG_INFO - 1),
    INET_DIAG_VEGASINFO = 1 << (INET_DIAG_VEGASINFO - 1),
    INET_DIAG_CONG = 1 << (INET_DIAG_CONG - 1),
    INET_DIAG_TOS = 1 << (INET_DIAG_TOS - 1),
    INET_DIAG_TCLASS = 1 << (INET_DIAG_TCLASS - 1),
    INET_DIAG_SKMEMINFO = 1 << (INET_DIAG_SKMEMINFO - 1),
    INET_DIAG_SHUTDOWN = 1 << (INET_DIAG_SHUTDOWN - 1),
}

/// `struct inet_diag_sockid` (`<linux/inet_diag.h>`): the identity of a
/// socket. Ports and addresses are in network order; an IPv4 address is in
/// the first word of its array (the other three are zero, except from old
/// kernels of the RHEL 6 era, which leave garbage there: the accessors and
/// the walk read the first word, as `ss` does, and the walk shows non-zero
/// other words as `idiag_src_extra` / `idiag_dst_extra`); `idiag_if` and
/// `idiag_cookie` are in host order.
///
/// ```c
/// struct inet_diag_sockid {
///     __be16 idiag_sport;
///     __be16 idiag_dport;
///     __be32 idiag_src[4];
///     __be32 idiag_dst[4];
///     __u32  idiag_if;
///     __u32  idiag_cookie[2];
/// #define INET_DIAG_NOCOOKIE (~0U)
/// };
/// ```
///
/// Walked on its own the addresses are shown as IPv6 (all 16 bytes, so
/// nothing is lost); the structures that contain it walk it with their
/// family (`#[nl(display = addr_by(idiag_family))]`, which calls
/// [`WalkAddr`](crate::value::WalkAddr)).
#[nl_struct(name = "inet_diag_sockid")]
pub struct InetDiagSockId {
    /// `idiag_sport`: source (local) port, network order.
    pub idiag_sport: U16<BE>,
    /// `idiag_dport`: destination (remote) port, network order.
    pub idiag_dport: U16<BE>,
    /// `idiag_src`: source address; IPv4 in the first word.
    #[nl(display = addr)]
    pub idiag_src: [U32<BE>; 4],
    /// `idiag_dst`: destination address; IPv4 in the first word.
    #[nl(display = addr)]
    pub idiag_dst: [U32<BE>; 4],
    /// `idiag_if`: bound interface index (`sk_bound_dev_if`), 0 if none.
    pub idiag_if: U32<NE>,
    /// `idiag_cookie`: the socket cookie, low word first;
    /// `INET_DIAG_NOCOOKIE` in both words for "any" in a request.
    #[nl(value_with = Self::cookie_value)]
    pub idiag_cookie: [U32<NE>; 2],
}

fn v4_of(words: &[U32<BE>; 4]) -> Ipv4Addr {
    let [w0, _, _, _] = words;
    Ipv4Addr::from(w0.get())
}

fn v6_of(words: &[U32<BE>; 4]) -> Ipv6Addr {
    let bytes: [u8; 16] = zerocopy::transmute!(*words);
    Ipv6Addr::from(bytes)
}

fn words_of(addr: IpAddr) -> [U32<BE>; 4] {
    match addr {
        IpAddr::V4(a) => [U32::new(u32::from(a)), U32::ZERO, U32::ZERO, U32::ZERO],
        IpAddr::V6(a) => zerocopy::transmute!(a.octets()),
    }
}

fn addr_of(words: &[U32<BE>; 4], family: u8) -> Option<IpAddr> {
    match AddressFamily::from(family) {
        AddressFamily::Inet => Some(IpAddr::V4(v4_of(words))),
        AddressFamily::Inet6 => Some(IpAddr::V6(v6_of(words))),
        _ => None,
    }
}

impl InetDiagSockId {
    /// `idiag_sport` in host order.
    pub fn sport(&self) -> u16 {
        self.idiag_sport.get()
    }
    /// `idiag_dport` in host order.
    pub fn dport(&self) -> u16 {
        self.idiag_dport.get()
    }
    /// `idiag_src` read as IPv4 (the first word).
    pub fn src_v4(&self) -> Ipv4Addr {
        v4_of(&self.idiag_src)
    }
    /// `idiag_dst` read as IPv4 (the first word).
    pub fn dst_v4(&self) -> Ipv4Addr {
        v4_of(&self.idiag_dst)
    }
    /// `idiag_src` read as IPv6.
    pub fn src_v6(&self) -> Ipv6Addr {
        v6_of(&self.idiag_src)
    }
    /// `idiag_dst` read as IPv6.
    pub fn dst_v6(&self) -> Ipv6Addr {
        v6_of(&self.idiag_dst)
    }
    /// `idiag_src` for an address family (`AF_INET` / `AF_INET6`; `None` for
    /// others).
    pub fn src(&self, family: u8) -> Option<IpAddr> {
        addr_of(&self.idiag_src, family)
    }
    /// `idiag_dst` for an address family.
    pub fn dst(&self, family: u8) -> Option<IpAddr> {
        addr_of(&self.idiag_dst, family)
    }
    /// Set `idiag_src` (IPv4 in the first word, the rest zeroed).
    pub fn set_src(&mut self, addr: IpAddr) {
        self.idiag_src = words_of(addr);
    }
    /// Set `idiag_dst`.
    pub fn set_dst(&mut self, addr: IpAddr) {
        self.idiag_dst = words_of(addr);
    }
    /// `idiag_if` in host order.
    pub fn ifindex(&self) -> u32 {
        self.idiag_if.get()
    }
    /// `idiag_cookie` as one number (low word first).
    pub fn cookie(&self) -> u64 {
        cookie_of(&self.idiag_cookie)
    }
    /// An identity with the given endpoints, interface and cookie.
    pub fn new(src: SocketAddr, dst: SocketAddr, ifindex: u32, cookie: u64) -> Self {
        let mut id = InetDiagSockId {
            idiag_sport: U16::new(src.port()),
            idiag_dport: U16::new(dst.port()),
            idiag_src: [U32::ZERO; 4],
            idiag_dst: [U32::ZERO; 4],
            idiag_if: U32::new(ifindex),
            idiag_cookie: super::cookie::cookie_words(cookie),
        };
        id.set_src(src.ip());
        id.set_dst(dst.ip());
        id
    }
    /// An all-zero identity (what dump requests carry).
    pub fn zeroed() -> Self {
        zerocopy::FromZeros::new_zeroed()
    }

    /// Report every field, addresses as IP values of `family` (IPv4 in the
    /// first word for `AF_INET`, with the other words as `<name>_extra`
    /// when they are not zero; IPv6 for `AF_INET6`; bytes otherwise).
    pub fn walk_in(&self, family: u8, v: &mut dyn Visitor) {
        self.walk_with_family(Some(u64::from(family)), v);
    }
    /// The cookie as one number (its two words, low first), the value the
    /// walk reports.
    fn cookie_value(&self) -> Value<'static> {
        Value::U64(self.cookie())
    }
}

/// `struct inet_diag_req` (`<linux/inet_diag.h>`): the legacy (v1) request
/// of `TCPDIAG_GETSOCK` / `DCCPDIAG_GETSOCK`; the protocol is implied by the
/// message type.
///
/// ```c
/// struct inet_diag_req {
///     __u8 idiag_family;  /* Family of addresses. */
///     __u8 idiag_src_len;
///     __u8 idiag_dst_len;
///     __u8 idiag_ext;     /* Query extended information */
///     struct inet_diag_sockid id;
///     __u32 idiag_states; /* States to dump */
///     __u32 idiag_dbs;    /* Tables to dump (NI) */
/// };
/// ```
#[nl_struct(name = "inet_diag_req")]
pub struct InetDiagReq {
    /// `idiag_family`: `AF_INET` or `AF_INET6`.
    #[nl(enum = AddressFamily)]
    pub idiag_family: u8,
    /// `idiag_src_len`: unused by the kernel.
    pub idiag_src_len: u8,
    /// `idiag_dst_len`: unused by the kernel.
    pub idiag_dst_len: u8,
    /// `idiag_ext`: `1 << (INET_DIAG_x - 1)` bits of wanted attributes.
    #[nl(flags = IDIAG_EXT_NAMES)]
    pub idiag_ext: u8,
    /// `id`: the socket to look up (exact requests) or zero (dumps).
    #[nl(display = addr_by(idiag_family))]
    pub id: InetDiagSockId,
    /// `idiag_states`: `1 << TCP_x` bits of states to dump.
    #[nl(flags = TCPF_NAMES)]
    pub idiag_states: U32<NE>,
    /// `idiag_dbs`: tables to dump (not implemented by the kernel).
    pub idiag_dbs: U32<NE>,
}

/// `struct inet_diag_req_v2` (`<linux/inet_diag.h>`): the request of
/// `SOCK_DIAG_BY_FAMILY` / `SOCK_DESTROY` for `AF_INET` / `AF_INET6`.
///
/// ```c
/// struct inet_diag_req_v2 {
///     __u8  sdiag_family;
///     __u8  sdiag_protocol;
///     __u8  idiag_ext;
///     __u8  pad;
///     __u32 idiag_states;
///     struct inet_diag_sockid id;
/// };
/// ```
///
/// For raw sockets `pad` is `sdiag_raw_protocol` (`struct
/// inet_diag_req_raw`, same layout). Protocols above 255 are given in
/// `INET_DIAG_REQ_PROTOCOL`.
#[nl_struct(name = "inet_diag_req_v2")]
pub struct InetDiagReqV2 {
    /// `sdiag_family`: `AF_INET` or `AF_INET6`.
    #[nl(enum = AddressFamily)]
    pub sdiag_family: u8,
    /// `sdiag_protocol`: `IPPROTO_TCP`, `IPPROTO_UDP`, …
    #[nl(enum = IpProto)]
    pub sdiag_protocol: u8,
    /// `idiag_ext`: `1 << (INET_DIAG_x - 1)` bits of wanted attributes.
    #[nl(flags = IDIAG_EXT_NAMES)]
    pub idiag_ext: u8,
    /// `pad` (`sdiag_raw_protocol` for `IPPROTO_RAW` requests).
    pub pad: u8,
    /// `idiag_states`: `1 << TCP_x` bits of states to dump.
    #[nl(flags = TCPF_NAMES)]
    pub idiag_states: U32<NE>,
    /// `id`: the socket to look up (exact requests) or zero (dumps).
    #[nl(display = addr_by(sdiag_family))]
    pub id: InetDiagSockId,
}

impl InetDiagReqV2 {
    /// A dump request: every socket of `family`/`protocol` in `states`
    /// (`TCPF_*` bits), with the attributes selected by `ext`
    /// ([`idiag_ext_bit`]); the identity is zero.
    pub fn dump(family: AddressFamily, protocol: IpProto, ext: u8, states: u32) -> Self {
        InetDiagReqV2 {
            sdiag_family: family.raw(),
            sdiag_protocol: protocol.raw(),
            idiag_ext: ext,
            pad: 0,
            idiag_states: U32::new(states),
            id: InetDiagSockId::zeroed(),
        }
    }
}

/// `struct inet_diag_msg` (`<linux/inet_diag.h>`): the fixed part of every
/// inet_diag reply.
///
/// ```c
/// struct inet_diag_msg {
///     __u8  idiag_family;
///     __u8  idiag_state;
///     __u8  idiag_timer;
///     __u8  idiag_retrans;
///     struct inet_diag_sockid id;
///     __u32 idiag_expires;
///     __u32 idiag_rqueue;
///     __u32 idiag_wqueue;
///     __u32 idiag_uid;
///     __u32 idiag_inode;
/// };
/// ```
#[nl_struct(name = "inet_diag_msg")]
pub struct InetDiagMsg {
    /// `idiag_family`: `AF_INET` or `AF_INET6`.
    #[nl(enum = AddressFamily)]
    pub idiag_family: u8,
    /// `idiag_state`: `TCP_*` state (UDP uses `TCP_ESTABLISHED`/`TCP_CLOSE`).
    #[nl(enum = TcpState)]
    pub idiag_state: u8,
    /// `idiag_timer`: which timer is pending.
    #[nl(enum = InetDiagTimer)]
    pub idiag_timer: u8,
    /// `idiag_retrans`: retransmits or probes of the pending timer.
    pub idiag_retrans: u8,
    /// `id`: the socket's identity.
    #[nl(display = addr_by(idiag_family))]
    pub id: InetDiagSockId,
    /// `idiag_expires`: milliseconds until the timer fires.
    pub idiag_expires: U32<NE>,
    /// `idiag_rqueue`: receive queue bytes (listeners: accept backlog).
    pub idiag_rqueue: U32<NE>,
    /// `idiag_wqueue`: send queue bytes (listeners: max backlog).
    pub idiag_wqueue: U32<NE>,
    /// `idiag_uid`: owner uid.
    pub idiag_uid: U32<NE>,
    /// `idiag_inode`: socket inode number.
    pub idiag_inode: U32<NE>,
}

impl InetDiagMsg {
    /// `idiag_family`.
    pub fn family(&self) -> AddressFamily {
        self.idiag_family.into()
    }
    /// `idiag_state`.
    pub fn state(&self) -> TcpState {
        self.idiag_state.into()
    }
    /// `idiag_timer`.
    pub fn timer(&self) -> InetDiagTimer {
        self.idiag_timer.into()
    }
    /// Local address and port (`None` unless `AF_INET`/`AF_INET6`).
    pub fn local(&self) -> Option<SocketAddr> {
        self.id
            .src(self.idiag_family)
            .map(|a| SocketAddr::new(a, self.id.sport()))
    }
    /// Remote address and port (`None` unless `AF_INET`/`AF_INET6`).
    pub fn remote(&self) -> Option<SocketAddr> {
        self.id
            .dst(self.idiag_family)
            .map(|a| SocketAddr::new(a, self.id.dport()))
    }
}

/// `struct inet_diag_sockopt` (`<linux/inet_diag.h>`, kernel 5.10+): the
/// payload of `INET_DIAG_SOCKOPT`, two bytes of one-bit fields (no field has
/// a name of its own in the header; `bits0`/`bits1` are this codec's). Bit
/// numbers are GCC's on little-endian hosts, first declared lowest.
///
/// ```c
/// struct inet_diag_sockopt {
///     __u8 recverr:1, is_icsk:1, freebind:1, hdrincl:1,
///          mc_loop:1, transparent:1, mc_all:1, nodefrag:1;
///     __u8 bind_address_no_port:1, recverr_rfc4884:1, defer_connect:1,
///          unused:5;
/// };
/// ```
#[nl_struct(name = "inet_diag_sockopt")]
pub struct InetDiagSockopt {
    /// First byte: `recverr` … `nodefrag`.
    #[nl(bits(
        recverr = 0..1,
        is_icsk = 1..2,
        freebind = 2..3,
        hdrincl = 3..4,
        mc_loop = 4..5,
        transparent = 5..6,
        mc_all = 6..7,
        nodefrag = 7..8
    ))]
    pub bits0: u8,
    /// Second byte: `bind_address_no_port`, `recverr_rfc4884`,
    /// `defer_connect`, `unused:5`.
    #[nl(bits(bind_address_no_port = 0..1, recverr_rfc4884 = 1..2, defer_connect = 2..3, unused = 3..8))]
    pub bits1: u8,
}

/// The attributes of an inet_diag reply (`enum { INET_DIAG_NONE, ... }` of
/// `<linux/inet_diag.h>`).
///
/// `INET_DIAG_INFO` is a sub-message ([`InetDiagInfo`](super::InetDiagInfo)):
/// `struct tcp_info`, `struct mptcp_info` or `struct sctp_info` by the
/// socket's protocol, which `INET_DIAG_PROTOCOL` provides when a reply
/// carries it. For UDP and raw sockets it is absent (`idiag_info_size` 0).
#[attribute_set(name = "inet_diag")]
pub enum InetDiagAttr<'a> {
    /// `INET_DIAG_MEMINFO`: `struct inet_diag_meminfo`.
    #[nl(kind = INET_DIAG_MEMINFO)]
    Meminfo(&'a InetDiagMeminfo),
    /// `INET_DIAG_INFO`: the protocol's info struct, a sub-message selected
    /// by `"protocol"` (`struct tcp_info` when none is known).
    #[nl(kind = INET_DIAG_INFO, name = "INET_DIAG_INFO")]
    Info(Sub<'a, super::info::InetDiagInfo<'a>>),
    /// `INET_DIAG_VEGASINFO`: `struct tcpvegas_info`.
    #[nl(kind = INET_DIAG_VEGASINFO)]
    Vegasinfo(&'a TcpvegasInfo),
    /// `INET_DIAG_CONG`: congestion control name (`nla_put_string`, with NUL).
    #[nl(kind = INET_DIAG_CONG = 4)]
    Cong(NulStr<'a>),
    /// `INET_DIAG_TOS`: IPv4 TOS byte (`u8`).
    #[nl(kind = INET_DIAG_TOS = 5)]
    Tos(u8),
    /// `INET_DIAG_TCLASS`: IPv6 traffic class (`u8`, `AF_INET6` only).
    #[nl(kind = INET_DIAG_TCLASS = 6)]
    Tclass(u8),
    /// `INET_DIAG_SKMEMINFO`: `__u32[SK_MEMINFO_VARS]` (any length).
    #[nl(kind = INET_DIAG_SKMEMINFO = 7)]
    Skmeminfo(SkMeminfoView<'a>),
    /// `INET_DIAG_SHUTDOWN`: `sk_shutdown` (`u8`, `RCV_SHUTDOWN|SEND_SHUTDOWN`).
    #[nl(kind = INET_DIAG_SHUTDOWN = 8)]
    Shutdown(Shutdown),
    /// `INET_DIAG_DCTCPINFO`: `struct tcp_dctcp_info`.
    #[nl(kind = INET_DIAG_DCTCPINFO = 9)]
    Dctcpinfo(&'a TcpDctcpInfo),
    /// `INET_DIAG_PROTOCOL`: `sk_protocol` (`u8`; sent for raw sockets and in
    /// the socket-destroy broadcasts of `inet_diag_handler_get_info`).
    #[nl(kind = INET_DIAG_PROTOCOL = 10, provides = "protocol")]
    Protocol(IpProto),
    /// `INET_DIAG_SKV6ONLY`: `IPV6_V6ONLY` (`u8`, listening/closed
    /// `AF_INET6` sockets).
    #[nl(kind = INET_DIAG_SKV6ONLY = 11)]
    Skv6only(u8),
    /// `INET_DIAG_LOCALS`: SCTP local addresses, `struct sockaddr_storage[]`.
    #[nl(kind = INET_DIAG_LOCALS = 12)]
    Locals(Array<'a, KernelSockaddrStorage>),
    /// `INET_DIAG_PEERS`: SCTP peer addresses, `struct sockaddr_storage[]`.
    #[nl(kind = INET_DIAG_PEERS = 13)]
    Peers(Array<'a, KernelSockaddrStorage>),
    /// `INET_DIAG_PAD`: padding put before 64-bit attributes
    /// (`nla_reserve_64bit`) on architectures that need it.
    #[nl(kind = INET_DIAG_PAD = 14)]
    Pad(Bytes<'a>),
    /// `INET_DIAG_MARK`: `sk_mark` (`u32`, only with `CAP_NET_ADMIN`).
    #[nl(kind = INET_DIAG_MARK = 15)]
    Mark(u32),
    /// `INET_DIAG_BBRINFO`: `struct tcp_bbr_info`.
    #[nl(kind = INET_DIAG_BBRINFO = 16)]
    Bbrinfo(&'a TcpBbrInfo),
    /// `INET_DIAG_CLASS_ID`: net_cls class id or `sk_priority` (`u32`).
    #[nl(kind = INET_DIAG_CLASS_ID = 17)]
    ClassId(u32),
    /// `INET_DIAG_MD5SIG`: `struct tcp_diag_md5sig[]` (`CAP_NET_ADMIN`).
    #[nl(kind = INET_DIAG_MD5SIG = 18)]
    Md5sig(Array<'a, TcpDiagMd5sig>),
    /// `INET_DIAG_ULP_INFO`: nested `INET_ULP_INFO_*` (the kernel nests
    /// without `NLA_F_NESTED`).
    #[nl(kind = INET_DIAG_ULP_INFO = 19)]
    UlpInfo(Nested<'a, UlpInfoAttr<'a>>),
    /// `INET_DIAG_SK_BPF_STORAGES`: nested `SK_DIAG_BPF_STORAGE`
    /// (`NLA_F_NESTED`).
    #[nl(kind = INET_DIAG_SK_BPF_STORAGES = 20, flags = NLA_F_NESTED)]
    SkBpfStorages(Nested<'a, SkBpfStoragesAttr<'a>>),
    /// `INET_DIAG_CGROUP_ID`: cgroup v2 id (`u64`).
    #[nl(kind = INET_DIAG_CGROUP_ID = 21)]
    CgroupId(u64),
    /// `INET_DIAG_SOCKOPT`: `struct inet_diag_sockopt`.
    #[nl(kind = INET_DIAG_SOCKOPT = 22)]
    Sockopt(&'a InetDiagSockopt),
}

/// The attributes of an inet_diag request (`enum { INET_DIAG_REQ_NONE, ... }`
/// of `<linux/inet_diag.h>`).
#[attribute_set(name = "inet_diag_req")]
pub enum InetDiagReqAttr<'a> {
    /// `INET_DIAG_REQ_BYTECODE`: the filter program (`struct
    /// inet_diag_bc_op` stream), typed: lenient parsing keeps any bytes,
    /// strict parsing accepts only what the kernel's `inet_diag_bc_audit`
    /// accepts.
    #[nl(kind = INET_DIAG_REQ_BYTECODE = 1)]
    Bytecode(super::bytecode::Program<'a>),
    /// `INET_DIAG_REQ_SK_BPF_STORAGES`: nested `SK_DIAG_BPF_STORAGE_REQ_MAP_FD`.
    #[nl(kind = INET_DIAG_REQ_SK_BPF_STORAGES = 2, flags = NLA_F_NESTED)]
    SkBpfStorages(Nested<'a, SkBpfStorageReqAttr<'a>>),
    /// `INET_DIAG_REQ_PROTOCOL`: `u32` protocol overriding `sdiag_protocol`
    /// (for `IPPROTO_MPTCP`); the kernel refuses any length but 4.
    #[nl(kind = INET_DIAG_REQ_PROTOCOL = 3)]
    Protocol(u32),
}

/// An inet_diag request: `struct inet_diag_req_v2` and `INET_DIAG_REQ_*`.
pub type InetRequest<'a> = Message<'a, InetDiagReqV2, InetDiagReqAttr<'a>>;
/// A legacy inet_diag request: `struct inet_diag_req` and
/// `INET_DIAG_REQ_BYTECODE`.
pub type InetRequestV1<'a> = Message<'a, InetDiagReq, InetDiagReqAttr<'a>>;
/// An inet_diag reply: `struct inet_diag_msg` and `INET_DIAG_*`.
pub type InetResponse<'a> = Message<'a, InetDiagMsg, InetDiagAttr<'a>>;
