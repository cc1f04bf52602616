//! The attributes of an inet_diag reply as one struct
//! ([`InetDiagAttrs`]): one optional field per `INET_DIAG_*` kind, in the
//! order the kernel's `inet_sk_diag_fill` (with `inet_diag_msg_attrs_fill`
//! and `tcp_diag_get_aux`) puts them, emitted without a dispatch per
//! attribute.

use super::bpf_storage::SkBpfStoragesAttr;
use super::cc_info::{TcpBbrInfo, TcpDctcpInfo, TcpvegasInfo};
use super::flags::Shutdown;
use super::ids::IpProto;
use super::inet::*;
use super::md5sig::TcpDiagMd5sig;
use super::meminfo::{InetDiagMeminfo, SkMeminfoView};
use super::sockaddr::KernelSockaddrStorage;
use super::ulp::UlpInfoAttr;
use crate::attr_struct;
use crate::netlink::{Nested, Sub, NLA_F_NESTED};
use crate::payload::{Array, Bytes, NulStr};

/// The attributes of an inet_diag reply, each at most once, in the kernel's
/// order: the typed form to build a reply from (or to decode one into with
/// [`InetDiagAttrs::parse`]) when the order of [`InetDiagAttr`]s need not be
/// chosen per message. [`InetDiagAttrs::emit`] writes the present fields in
/// declaration order: `INET_DIAG_SHUTDOWN`, `INET_DIAG_TOS`,
/// `INET_DIAG_TCLASS`, `INET_DIAG_SKV6ONLY`, `INET_DIAG_MARK`,
/// `INET_DIAG_CLASS_ID`, `INET_DIAG_CGROUP_ID`, `INET_DIAG_SOCKOPT`
/// (`inet_diag_msg_attrs_fill`), then `INET_DIAG_MEMINFO`,
/// `INET_DIAG_SKMEMINFO`, `INET_DIAG_PROTOCOL`, `INET_DIAG_INFO`,
/// `INET_DIAG_CONG` (`inet_sk_diag_fill`), `INET_DIAG_MD5SIG`,
/// `INET_DIAG_ULP_INFO` (`tcp_diag_get_aux`), the congestion control's
/// `INET_DIAG_VEGASINFO` / `INET_DIAG_DCTCPINFO` / `INET_DIAG_BBRINFO`,
/// SCTP's `INET_DIAG_LOCALS` and `INET_DIAG_PEERS`, and
/// `INET_DIAG_SK_BPF_STORAGES` last. `INET_DIAG_PAD` (which the kernel puts
/// before each 64-bit attribute on architectures that need it) is kept
/// once, before `INET_DIAG_CGROUP_ID`.
///
/// ```
/// use nlwire::families::sock_diag::{InetDiagAttr, InetDiagAttrs};
/// use nlwire::netlink::Builder;
/// use nlwire::Mode;
/// let attrs = InetDiagAttrs {
///     tos: Some(0x10),
///     mark: Some(7),
///     ..InetDiagAttrs::default()
/// };
/// let mut buf = [0u8; 64];
/// let mut b = Builder::new(&mut buf[..]);
/// attrs.emit(&mut b).unwrap();
/// let n = b.len();
/// assert_eq!(n, 16); // two attributes of 8 bytes
/// assert_eq!(InetDiagAttrs::parse(&buf[..n], Mode::Strict).unwrap(), attrs);
/// ```
#[attr_struct(name = "inet_diag")]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InetDiagAttrs<'a> {
    /// `INET_DIAG_SHUTDOWN`.
    #[nl(kind = INET_DIAG_SHUTDOWN)]
    pub shutdown: Option<Shutdown>,
    /// `INET_DIAG_TOS`.
    #[nl(kind = INET_DIAG_TOS)]
    pub tos: Option<u8>,
    /// `INET_DIAG_TCLASS` (`AF_INET6`).
    #[nl(kind = INET_DIAG_TCLASS)]
    pub tclass: Option<u8>,
    /// `INET_DIAG_SKV6ONLY` (listening or closed `AF_INET6` sockets).
    #[nl(kind = INET_DIAG_SKV6ONLY)]
    pub skv6only: Option<u8>,
    /// `INET_DIAG_MARK` (`CAP_NET_ADMIN`).
    #[nl(kind = INET_DIAG_MARK)]
    pub mark: Option<u32>,
    /// `INET_DIAG_CLASS_ID`.
    #[nl(kind = INET_DIAG_CLASS_ID)]
    pub class_id: Option<u32>,
    /// `INET_DIAG_PAD`.
    #[nl(kind = INET_DIAG_PAD)]
    pub pad: Option<Bytes<'a>>,
    /// `INET_DIAG_CGROUP_ID`.
    #[nl(kind = INET_DIAG_CGROUP_ID)]
    pub cgroup_id: Option<u64>,
    /// `INET_DIAG_SOCKOPT`.
    #[nl(kind = INET_DIAG_SOCKOPT)]
    pub sockopt: Option<&'a InetDiagSockopt>,
    /// `INET_DIAG_MEMINFO`.
    #[nl(kind = INET_DIAG_MEMINFO)]
    pub meminfo: Option<&'a InetDiagMeminfo>,
    /// `INET_DIAG_SKMEMINFO`.
    #[nl(kind = INET_DIAG_SKMEMINFO)]
    pub skmeminfo: Option<SkMeminfoView<'a>>,
    /// `INET_DIAG_PROTOCOL` (raw sockets).
    #[nl(kind = INET_DIAG_PROTOCOL)]
    pub protocol: Option<IpProto>,
    /// `INET_DIAG_INFO`: the protocol's info struct (a sub-message).
    #[nl(kind = INET_DIAG_INFO)]
    pub info: Option<Sub<'a, super::info::InetDiagInfo<'a>>>,
    /// `INET_DIAG_CONG`.
    #[nl(kind = INET_DIAG_CONG)]
    pub cong: Option<NulStr<'a>>,
    /// `INET_DIAG_MD5SIG`.
    #[nl(kind = INET_DIAG_MD5SIG)]
    pub md5sig: Option<Array<'a, TcpDiagMd5sig>>,
    /// `INET_DIAG_ULP_INFO` (nested without `NLA_F_NESTED`).
    #[nl(kind = INET_DIAG_ULP_INFO)]
    pub ulp_info: Option<Nested<'a, UlpInfoAttr<'a>>>,
    /// `INET_DIAG_VEGASINFO`.
    #[nl(kind = INET_DIAG_VEGASINFO)]
    pub vegasinfo: Option<&'a TcpvegasInfo>,
    /// `INET_DIAG_DCTCPINFO`.
    #[nl(kind = INET_DIAG_DCTCPINFO)]
    pub dctcpinfo: Option<&'a TcpDctcpInfo>,
    /// `INET_DIAG_BBRINFO`.
    #[nl(kind = INET_DIAG_BBRINFO)]
    pub bbrinfo: Option<&'a TcpBbrInfo>,
    /// `INET_DIAG_LOCALS` (SCTP).
    #[nl(kind = INET_DIAG_LOCALS)]
    pub locals: Option<Array<'a, KernelSockaddrStorage>>,
    /// `INET_DIAG_PEERS` (SCTP).
    #[nl(kind = INET_DIAG_PEERS)]
    pub peers: Option<Array<'a, KernelSockaddrStorage>>,
    /// `INET_DIAG_SK_BPF_STORAGES` (`NLA_F_NESTED`).
    #[nl(kind = INET_DIAG_SK_BPF_STORAGES, flags = NLA_F_NESTED)]
    pub sk_bpf_storages: Option<Nested<'a, SkBpfStoragesAttr<'a>>>,
}
