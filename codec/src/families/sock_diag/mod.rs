//! `NETLINK_SOCK_DIAG`: socket monitoring (sock_diag(7),
//! `<linux/sock_diag.h>`, `<linux/inet_diag.h>`, `<linux/unix_diag.h>`).
//!
//! A request is a `SOCK_DIAG_BY_FAMILY` (or `SOCK_DESTROY`) message whose
//! payload starts with `struct sock_diag_req` (`sdiag_family`,
//! `sdiag_protocol`); the family picks the rest of the request
//! (`struct inet_diag_req_v2` for `AF_INET`/`AF_INET6`, `struct
//! unix_diag_req` for `AF_UNIX`, `struct netlink_diag_req` for `AF_NETLINK`,
//! `struct packet_diag_req` for `AF_PACKET`) and of every reply (`struct
//! inet_diag_msg`, `struct unix_diag_msg`, `struct netlink_diag_msg`,
//! `struct packet_diag_msg`), each followed by attributes. The legacy
//! `TCPDIAG_GETSOCK` / `DCCPDIAG_GETSOCK` requests carry `struct
//! inet_diag_req` (v1) and are answered with `struct inet_diag_msg` under the
//! same message type.
//!
//! [`decode`] dispatches one message on `nlmsg_type`, direction
//! (`NLM_F_REQUEST` set means request — not `nlmsg_pid`, which real captures
//! do not keep at 0 for replies) and family; [`SockDiagMessage`] walks with
//! kernel names. Control messages (`NLMSG_ERROR`, `NLMSG_DONE`) are the
//! generic decoder's business, not this module's.
//!
//! ```
//! use nlwire::netlink::{Builder, Messages, NLM_F_DUMP, NLM_F_REQUEST};
//! use nlwire::families::sock_diag::*;
//! // ss -t: dump established TCP over IPv4 with tcp_info.
//! let req = InetDiagReqV2::dump(AddressFamily::Inet, IpProto::Tcp,
//!                               idiag_ext_bit(INET_DIAG_INFO), TCPF_ESTABLISHED);
//! let mut buf = [0u8; 128];
//! let mut b = Builder::new(&mut buf[..]);
//! b.message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1, 0, |b| {
//!     InetRequest::write(b, &req, &[])
//! }).unwrap();
//! let n = b.len();
//! let msg = Messages::new(&buf[..n]).next().unwrap().unwrap();
//! match decode(&msg, nlwire::Mode::Strict).unwrap() {
//!     SockDiagMessage::InetRequest(r) => assert_eq!(r.header.idiag_states.get(), TCPF_ESTABLISHED),
//!     other => panic!("{other:?}"),
//! }
//! ```

mod bpf_storage;
pub mod bytecode;
mod cc_info;
mod cookie;
mod flags;
mod ids;
mod inet;
mod inet_attrs;
mod info;
mod md5sig;
mod meminfo;
mod mptcp_info;
mod netlink_diag;
mod packet_diag;
mod sctp_info;
mod sockaddr;
mod states;
mod tcp_info;
mod types;
mod ulp;
mod unix;

pub use bpf_storage::*;
pub use cc_info::*;
pub use cookie::*;
pub use flags::*;
pub use ids::*;
pub use inet::*;
pub use inet_attrs::InetDiagAttrs;
pub use info::*;
pub use md5sig::*;
pub use meminfo::*;
pub use mptcp_info::*;
pub use netlink_diag::*;
pub use packet_diag::*;
pub use sctp_info::*;
pub use sockaddr::*;
pub use states::*;
pub use tcp_info::*;
pub use types::*;
pub use ulp::*;
pub use unix::*;

use crate::netlink::{FlagReading, RawMessage};
#[cfg(doc)]
use crate::ErrorKind;
use crate::{nl_family, Mode, Result};

/// One decoded `NETLINK_SOCK_DIAG` message (its payload; the `nlmsghdr` is
/// the caller's): the protocol's message table. A row picks the body by
/// `nlmsg_type`, direction (`NLM_F_REQUEST` set means request — not
/// `nlmsg_pid`, which real captures do not keep at 0 for replies) and the
/// first payload byte, `sdiag_family`.
#[nl_family(
    protocol = crate::family::NETLINK_SOCK_DIAG,
    name = "NETLINK_SOCK_DIAG",
    types = SockDiagType,
    reading = |_| FlagReading::Get,
    context = request_context,
    selector(offset = 0, name = "sdiag_family", enum = AddressFamily),
    // Not reached by the rows: the selector's struct.
    declares(SockDiagReq)
)]
#[non_exhaustive]
pub enum SockDiagMessage<'a> {
    /// `TCPDIAG_GETSOCK` / `DCCPDIAG_GETSOCK` request: `struct inet_diag_req`
    /// (v1) and `INET_DIAG_REQ_BYTECODE`.
    #[nl(types = TCPDIAG_GETSOCK | DCCPDIAG_GETSOCK, request)]
    InetRequestV1(InetRequestV1<'a>),
    /// `SOCK_DIAG_BY_FAMILY` or `SOCK_DESTROY` request for `AF_INET` /
    /// `AF_INET6`: `struct inet_diag_req_v2` and `INET_DIAG_REQ_*`.
    #[nl(types = SOCK_DIAG_BY_FAMILY | SOCK_DESTROY, request,
         select = AddressFamily::Inet | AddressFamily::Inet6)]
    InetRequest(InetRequest<'a>),
    /// A reply for `AF_INET` / `AF_INET6` (any of the four types):
    /// `struct inet_diag_msg` and `INET_DIAG_*`.
    #[nl(types = TCPDIAG_GETSOCK | DCCPDIAG_GETSOCK, reply)]
    #[nl(types = SOCK_DIAG_BY_FAMILY | SOCK_DESTROY, reply,
         select = AddressFamily::Inet | AddressFamily::Inet6)]
    InetResponse(InetResponse<'a>),
    /// `SOCK_DIAG_BY_FAMILY` request for `AF_UNIX`: `struct unix_diag_req`.
    #[nl(types = SOCK_DIAG_BY_FAMILY | SOCK_DESTROY, request, select = AddressFamily::Unix)]
    UnixRequest(UnixRequest<'a>),
    /// A reply for `AF_UNIX`: `struct unix_diag_msg` and `UNIX_DIAG_*`.
    #[nl(types = SOCK_DIAG_BY_FAMILY | SOCK_DESTROY, reply, select = AddressFamily::Unix)]
    UnixResponse(UnixResponse<'a>),
    /// `SOCK_DIAG_BY_FAMILY` request for `AF_NETLINK`: `struct
    /// netlink_diag_req` (`<linux/netlink_diag.h>`).
    #[nl(types = SOCK_DIAG_BY_FAMILY, request, select = AddressFamily::Netlink)]
    NetlinkRequest(NetlinkDiagRequest<'a>),
    /// A reply for `AF_NETLINK`: `struct netlink_diag_msg` and `NETLINK_DIAG_*`.
    #[nl(types = SOCK_DIAG_BY_FAMILY, reply, select = AddressFamily::Netlink)]
    NetlinkResponse(NetlinkDiagResponse<'a>),
    /// `SOCK_DIAG_BY_FAMILY` request for `AF_PACKET`: `struct
    /// packet_diag_req` (`<linux/packet_diag.h>`).
    #[nl(types = SOCK_DIAG_BY_FAMILY, request, select = AddressFamily::Packet)]
    PacketRequest(PacketDiagRequest<'a>),
    /// A reply for `AF_PACKET`: `struct packet_diag_msg` and `PACKET_DIAG_*`.
    #[nl(types = SOCK_DIAG_BY_FAMILY, reply, select = AddressFamily::Packet)]
    PacketResponse(PacketDiagResponse<'a>),
}

/// What a sock_diag request tells about its replies: the `"protocol"`
/// selector of `INET_DIAG_INFO` ([`InetDiagInfo`]), from
/// `INET_DIAG_REQ_PROTOCOL` when present, else `sdiag_protocol`; the
/// legacy requests name theirs by type (`TCPDIAG_GETSOCK`,
/// `DCCPDIAG_GETSOCK`).
pub fn request_context(m: &SockDiagMessage<'_>) -> crate::netlink::Selectors<'static> {
    let empty = crate::netlink::Selectors::EMPTY;
    match m {
        SockDiagMessage::InetRequest(r) => {
            let mut protocol = u64::from(r.header.sdiag_protocol);
            for a in r.attrs().flatten() {
                if let InetDiagReqAttr::Protocol(p) = a {
                    protocol = u64::from(p);
                }
            }
            empty.with(PROTOCOL_SELECTOR, protocol)
        }
        _ => empty,
    }
}

/// Decode the payload of one `NETLINK_SOCK_DIAG` message
/// ([`SockDiagMessage::parse`]).
///
/// Dispatches on `nlmsg_type` (18–21), direction (`NLM_F_REQUEST`) and family
/// (the first payload byte). Control messages (types below
/// `NLMSG_MIN_TYPE`) are refused with [`ErrorKind::Invalid`]: decode them
/// with `NlMsgErr` / `NlMsgDone`. Unknown families and types are kept in
/// lenient mode and refused ([`ErrorKind::Unknown`]) in strict mode. Errors
/// carry offsets in the buffer `msg` was walked from.
#[inline]
pub fn decode<'a>(msg: &RawMessage<'a>, mode: Mode) -> Result<SockDiagMessage<'a>> {
    SockDiagMessage::parse(msg, mode)
}

impl SockDiagMessage<'_> {
    /// The address family the message is about (`None` for unknown types).
    pub fn family(&self) -> Option<AddressFamily> {
        match self {
            SockDiagMessage::InetRequest(m) => Some(m.header.sdiag_family.into()),
            SockDiagMessage::InetRequestV1(m) => Some(m.header.idiag_family.into()),
            SockDiagMessage::InetResponse(m) => Some(m.header.idiag_family.into()),
            SockDiagMessage::UnixRequest(m) => Some(m.header.sdiag_family.into()),
            SockDiagMessage::UnixResponse(m) => Some(m.header.udiag_family.into()),
            SockDiagMessage::NetlinkRequest(m) => Some(m.header.sdiag_family.into()),
            SockDiagMessage::NetlinkResponse(m) => Some(m.header.ndiag_family.into()),
            SockDiagMessage::PacketRequest(m) => Some(m.header.sdiag_family.into()),
            SockDiagMessage::PacketResponse(m) => Some(m.header.pdiag_family.into()),
            SockDiagMessage::Unselected(o) => Some(o.selector),
            SockDiagMessage::UnknownType { .. } => None,
        }
    }

    /// `true` for the request variants.
    pub fn is_request(&self) -> bool {
        match self {
            SockDiagMessage::InetRequest(_)
            | SockDiagMessage::InetRequestV1(_)
            | SockDiagMessage::UnixRequest(_)
            | SockDiagMessage::NetlinkRequest(_)
            | SockDiagMessage::PacketRequest(_) => true,
            SockDiagMessage::Unselected(o) => o.request,
            _ => false,
        }
    }
}
