//! The message types of `NETLINK_SOCK_DIAG` (`<linux/sock_diag.h>`,
//! `<linux/inet_diag.h>`).

use crate::open_enum;

/// `TCPDIAG_GETSOCK` (`<linux/inet_diag.h>`): legacy TCP request (`struct
/// inet_diag_req`, v1).
pub const TCPDIAG_GETSOCK: u16 = 18;
/// `DCCPDIAG_GETSOCK` (`<linux/inet_diag.h>`): legacy DCCP request.
pub const DCCPDIAG_GETSOCK: u16 = 19;
/// `SOCK_DIAG_BY_FAMILY` (`<linux/sock_diag.h>`): query sockets of a family.
pub const SOCK_DIAG_BY_FAMILY: u16 = 20;
/// `SOCK_DESTROY` (`<linux/sock_diag.h>`): close a socket (inet only,
/// `CAP_NET_ADMIN`).
pub const SOCK_DESTROY: u16 = 21;

/// The message types of `NETLINK_SOCK_DIAG` (`<linux/sock_diag.h>`,
/// `<linux/inet_diag.h>`).
#[open_enum(u16)]
pub enum SockDiagType {
    /// `TCPDIAG_GETSOCK` (18): legacy TCP request, `struct inet_diag_req`.
    #[nl(name = "TCPDIAG_GETSOCK")]
    TcpDiagGetSock = 18,
    /// `DCCPDIAG_GETSOCK` (19): legacy DCCP request, `struct inet_diag_req`.
    #[nl(name = "DCCPDIAG_GETSOCK")]
    DccpDiagGetSock = 19,
    /// `SOCK_DIAG_BY_FAMILY` (20): request or reply for any family.
    #[nl(name = "SOCK_DIAG_BY_FAMILY")]
    ByFamily = 20,
    /// `SOCK_DESTROY` (21): destroy a socket.
    #[nl(name = "SOCK_DESTROY")]
    Destroy = 21,
}
