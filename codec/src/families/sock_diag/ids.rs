//! What every sock_diag request starts with (`struct sock_diag_req`,
//! `<linux/sock_diag.h>`) and the numbering it uses: address families
//! (`AF_*`), IP protocols (`IPPROTO_*`) and socket types (`SOCK_*`).

use crate::{nl_struct, open_enum};

/// An address family (`AF_*` of `<linux/socket.h>`), the first byte of every
/// sock_diag request and reply.
#[open_enum(u8)]
pub enum AddressFamily {
    /// `AF_UNSPEC`.
    #[nl(name = "AF_UNSPEC")]
    Unspec = 0,
    /// `AF_UNIX` (`AF_LOCAL`): unix_diag.
    #[nl(name = "AF_UNIX")]
    Unix = 1,
    /// `AF_INET`: inet_diag.
    #[nl(name = "AF_INET")]
    Inet = 2,
    /// `AF_INET6`: inet_diag.
    #[nl(name = "AF_INET6")]
    Inet6 = 10,
    /// `AF_NETLINK`: netlink_diag.
    #[nl(name = "AF_NETLINK")]
    Netlink = 16,
    /// `AF_PACKET`: packet_diag.
    #[nl(name = "AF_PACKET")]
    Packet = 17,
    /// `AF_TIPC`: tipc diag.
    #[nl(name = "AF_TIPC")]
    Tipc = 30,
    /// `AF_VSOCK`: vsock_diag.
    #[nl(name = "AF_VSOCK")]
    Vsock = 40,
    /// `AF_SMC`: smc_diag.
    #[nl(name = "AF_SMC")]
    Smc = 43,
    /// `AF_XDP`: xsk_diag.
    #[nl(name = "AF_XDP")]
    Xdp = 44,
    /// `AF_MCTP`.
    #[nl(name = "AF_MCTP")]
    Mctp = 45,
}

/// An IP protocol number (`IPPROTO_*` of `<linux/in.h>`), as in
/// `sdiag_protocol`. Protocols above 255 (`IPPROTO_MPTCP` = 262) do not fit
/// and are sent in `INET_DIAG_REQ_PROTOCOL` instead.
#[open_enum(u8)]
pub enum IpProto {
    /// `IPPROTO_IP` (0).
    #[nl(name = "IPPROTO_IP")]
    Ip = 0,
    /// `IPPROTO_ICMP`.
    #[nl(name = "IPPROTO_ICMP")]
    Icmp = 1,
    /// `IPPROTO_TCP`.
    #[nl(name = "IPPROTO_TCP")]
    Tcp = 6,
    /// `IPPROTO_UDP`.
    #[nl(name = "IPPROTO_UDP")]
    Udp = 17,
    /// `IPPROTO_DCCP`.
    #[nl(name = "IPPROTO_DCCP")]
    Dccp = 33,
    /// `IPPROTO_ICMPV6`.
    #[nl(name = "IPPROTO_ICMPV6")]
    Icmpv6 = 58,
    /// `IPPROTO_SCTP`.
    #[nl(name = "IPPROTO_SCTP")]
    Sctp = 132,
    /// `IPPROTO_UDPLITE`.
    #[nl(name = "IPPROTO_UDPLITE")]
    Udplite = 136,
    /// `IPPROTO_RAW`.
    #[nl(name = "IPPROTO_RAW")]
    Raw = 255,
}

/// `IPPROTO_MPTCP` (`<linux/in.h>`): 262, requested with
/// `INET_DIAG_REQ_PROTOCOL`.
pub const IPPROTO_MPTCP: u32 = 262;

/// A socket type (`SOCK_*` of `<linux/net.h>`), as in `udiag_type`.
#[open_enum(u8)]
pub enum SockType {
    /// `SOCK_STREAM`.
    #[nl(name = "SOCK_STREAM")]
    Stream = 1,
    /// `SOCK_DGRAM`.
    #[nl(name = "SOCK_DGRAM")]
    Dgram = 2,
    /// `SOCK_RAW`.
    #[nl(name = "SOCK_RAW")]
    Raw = 3,
    /// `SOCK_RDM`.
    #[nl(name = "SOCK_RDM")]
    Rdm = 4,
    /// `SOCK_SEQPACKET`.
    #[nl(name = "SOCK_SEQPACKET")]
    Seqpacket = 5,
    /// `SOCK_DCCP`.
    #[nl(name = "SOCK_DCCP")]
    Dccp = 6,
    /// `SOCK_PACKET`.
    #[nl(name = "SOCK_PACKET")]
    Packet = 10,
}

/// `struct sock_diag_req` (`<linux/sock_diag.h>`): the two bytes every
/// sock_diag request starts with.
///
/// ```c
/// struct sock_diag_req {
///     __u8 sdiag_family;
///     __u8 sdiag_protocol;
/// };
/// ```
#[nl_struct(name = "sock_diag_req")]
pub struct SockDiagReq {
    /// `sdiag_family`: `AF_*`.
    #[nl(enum = AddressFamily)]
    pub sdiag_family: u8,
    /// `sdiag_protocol`: family-specific (`IPPROTO_*` for inet, 0 for unix).
    pub sdiag_protocol: u8,
}
