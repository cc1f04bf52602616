//! `INET_DIAG_INFO`: the protocol's own info struct, a sub-message selected
//! by the socket's protocol.
//!
//! `inet_sk_diag_fill()` (`net/ipv4/inet_diag.c`) reserves
//! `handler->idiag_info_size` bytes and lets the protocol's handler fill
//! them: `tcp_diag` and `dccp_diag` write `struct tcp_info`
//! (`<linux/tcp.h>`), `mptcp_diag` `struct mptcp_info` (`<linux/mptcp.h>`),
//! `sctp_diag` `struct sctp_info` (`<linux/sctp.h>`); UDP and raw sockets
//! send none. No reply says which: the protocol is the one the request
//! asked for (`sdiag_protocol`, or `INET_DIAG_REQ_PROTOCOL` for protocols
//! above 255 such as `IPPROTO_MPTCP`), or `INET_DIAG_PROTOCOL` where a
//! reply carries it. The selector is named `"protocol"`: the reply's
//! `INET_DIAG_PROTOCOL` provides it, and the family's request context
//! ([`crate::registry::FamilyEntry::context`]) gives it to a dump's replies.
//! Without either it is read as `tcp_info`, by far the most common.

use super::ids::{IpProto, IPPROTO_MPTCP};
use super::mptcp_info::MptcpInfoView;
use super::sctp_info::SctpInfoView;
use super::tcp_info::TcpInfoView;
use crate::sub_message;

/// The selector name of [`InetDiagInfo`]: the socket's `IPPROTO_*`.
pub const PROTOCOL_SELECTOR: &str = "protocol";

/// The payload of `INET_DIAG_INFO` by protocol.
#[sub_message(name = "inet_diag_info", selector = "protocol")]
pub enum InetDiagInfo<'a> {
    /// `IPPROTO_TCP`, `IPPROTO_DCCP` (and no protocol known): `struct
    /// tcp_info` of the running kernel (any length).
    #[nl(select = IpProto::Tcp.raw() | IpProto::Dccp.raw(), default)]
    Tcp(TcpInfoView<'a>),
    /// `IPPROTO_MPTCP`: `struct mptcp_info` (any length).
    #[nl(select = IPPROTO_MPTCP)]
    Mptcp(MptcpInfoView<'a>),
    /// `IPPROTO_SCTP`: `struct sctp_info` (any length).
    #[nl(select = IpProto::Sctp.raw())]
    Sctp(SctpInfoView<'a>),
}

impl<'a> InetDiagInfo<'a> {
    /// The `tcp_info` view, if this is one.
    pub fn tcp(&self) -> Option<&TcpInfoView<'a>> {
        match self {
            InetDiagInfo::Tcp(t) => Some(t),
            _ => None,
        }
    }
}

impl<'a> crate::netlink::Sub<'a, InetDiagInfo<'a>> {
    /// The payload read as `struct tcp_info` (what a TCP or DCCP socket
    /// sends; for other protocols select with
    /// [`Sub::select_int`](crate::netlink::Sub::select_int)).
    pub fn as_tcp_info(&self) -> TcpInfoView<'a> {
        TcpInfoView::new(self.bytes())
    }
}
