//! rtnetlink (`NETLINK_ROUTE`, rtnetlink(7), `<linux/rtnetlink.h>`): the
//! message types and the fixed header of each, so every rtnetlink message
//! decodes at the attribute level. Declaring a family's attribute sets is
//! left to the family's own module; this shows how little it takes to reuse
//! the framing.

use zerocopy::byteorder::{I32, U16, U32};
use zerocopy::NativeEndian as NE;

use crate::netlink::{AnyAttr, FlagReading, OrShort};
use crate::{nl_family, nl_struct, open_enum};

/// `struct ifinfomsg` (`RTM_*LINK`).
#[nl_struct(name = "ifinfomsg")]
pub struct IfInfoMsg {
    /// `ifi_family`.
    pub ifi_family: u8,
    /// `__ifi_pad`.
    pub __ifi_pad: u8,
    /// `ifi_type`: ARPHRD_*.
    pub ifi_type: U16<NE>,
    /// `ifi_index`: link index.
    pub ifi_index: I32<NE>,
    /// `ifi_flags`: IFF_* flags.
    pub ifi_flags: U32<NE>,
    /// `ifi_change`: IFF_* change mask.
    pub ifi_change: U32<NE>,
}

/// `struct ifaddrmsg` (`RTM_*ADDR`, `RTM_*MULTICAST`, `RTM_*ANYCAST`).
#[nl_struct(name = "ifaddrmsg")]
pub struct IfAddrMsg {
    /// `ifa_family`.
    pub ifa_family: u8,
    /// `ifa_prefixlen`.
    pub ifa_prefixlen: u8,
    /// `ifa_flags`.
    pub ifa_flags: u8,
    /// `ifa_scope`.
    pub ifa_scope: u8,
    /// `ifa_index`: link index.
    pub ifa_index: U32<NE>,
}

/// `struct rtmsg` (`RTM_*ROUTE`).
#[nl_struct(name = "rtmsg")]
pub struct RtMsg {
    /// `rtm_family`.
    pub rtm_family: u8,
    /// `rtm_dst_len`.
    pub rtm_dst_len: u8,
    /// `rtm_src_len`.
    pub rtm_src_len: u8,
    /// `rtm_tos`.
    pub rtm_tos: u8,
    /// `rtm_table`.
    pub rtm_table: u8,
    /// `rtm_protocol`.
    pub rtm_protocol: u8,
    /// `rtm_scope`.
    pub rtm_scope: u8,
    /// `rtm_type`.
    pub rtm_type: u8,
    /// `rtm_flags`.
    pub rtm_flags: U32<NE>,
}

/// `struct ndmsg` (`RTM_*NEIGH`).
#[nl_struct(name = "ndmsg")]
pub struct NdMsg {
    /// `ndm_family`.
    pub ndm_family: u8,
    /// `ndm_pad1`.
    pub ndm_pad1: u8,
    /// `ndm_pad2`.
    pub ndm_pad2: U16<NE>,
    /// `ndm_ifindex`.
    pub ndm_ifindex: I32<NE>,
    /// `ndm_state`.
    pub ndm_state: U16<NE>,
    /// `ndm_flags`.
    pub ndm_flags: u8,
    /// `ndm_type`.
    pub ndm_type: u8,
}

/// `struct tcmsg` (`RTM_*QDISC`, `*TCLASS`, `*TFILTER`, `*CHAIN`).
#[nl_struct(name = "tcmsg")]
#[allow(non_snake_case)]
pub struct TcMsg {
    /// `tcm_family`.
    pub tcm_family: u8,
    /// `tcm__pad1`.
    pub tcm__pad1: u8,
    /// `tcm__pad2`.
    pub tcm__pad2: U16<NE>,
    /// `tcm_ifindex`.
    pub tcm_ifindex: I32<NE>,
    /// `tcm_handle`.
    pub tcm_handle: U32<NE>,
    /// `tcm_parent`.
    pub tcm_parent: U32<NE>,
    /// `tcm_info`.
    pub tcm_info: U32<NE>,
}

/// `struct rtgenmsg`: the 1-byte header of generic dump requests.
#[nl_struct(name = "rtgenmsg")]
pub struct RtGenMsg {
    /// `rtgen_family`.
    pub rtgen_family: u8,
}

/// rtnetlink message types (`RTM_*`).
#[open_enum(u16, consts)]
pub enum RtmType {
    /// `RTM_NEWLINK`.
    #[nl(name = "RTM_NEWLINK")]
    NewLink = 16,
    /// `RTM_DELLINK`.
    #[nl(name = "RTM_DELLINK")]
    DelLink = 17,
    /// `RTM_GETLINK`.
    #[nl(name = "RTM_GETLINK")]
    GetLink = 18,
    /// `RTM_SETLINK`.
    #[nl(name = "RTM_SETLINK")]
    SetLink = 19,
    /// `RTM_NEWADDR`.
    #[nl(name = "RTM_NEWADDR")]
    NewAddr = 20,
    /// `RTM_DELADDR`.
    #[nl(name = "RTM_DELADDR")]
    DelAddr = 21,
    /// `RTM_GETADDR`.
    #[nl(name = "RTM_GETADDR")]
    GetAddr = 22,
    /// `RTM_NEWROUTE`.
    #[nl(name = "RTM_NEWROUTE")]
    NewRoute = 24,
    /// `RTM_DELROUTE`.
    #[nl(name = "RTM_DELROUTE")]
    DelRoute = 25,
    /// `RTM_GETROUTE`.
    #[nl(name = "RTM_GETROUTE")]
    GetRoute = 26,
    /// `RTM_NEWNEIGH`.
    #[nl(name = "RTM_NEWNEIGH")]
    NewNeigh = 28,
    /// `RTM_DELNEIGH`.
    #[nl(name = "RTM_DELNEIGH")]
    DelNeigh = 29,
    /// `RTM_GETNEIGH`.
    #[nl(name = "RTM_GETNEIGH")]
    GetNeigh = 30,
    /// `RTM_NEWRULE`.
    #[nl(name = "RTM_NEWRULE")]
    NewRule = 32,
    /// `RTM_DELRULE`.
    #[nl(name = "RTM_DELRULE")]
    DelRule = 33,
    /// `RTM_GETRULE`.
    #[nl(name = "RTM_GETRULE")]
    GetRule = 34,
    /// `RTM_NEWQDISC`.
    #[nl(name = "RTM_NEWQDISC")]
    NewQdisc = 36,
    /// `RTM_DELQDISC`.
    #[nl(name = "RTM_DELQDISC")]
    DelQdisc = 37,
    /// `RTM_GETQDISC`.
    #[nl(name = "RTM_GETQDISC")]
    GetQdisc = 38,
    /// `RTM_NEWTCLASS`.
    #[nl(name = "RTM_NEWTCLASS")]
    NewTclass = 40,
    /// `RTM_DELTCLASS`.
    #[nl(name = "RTM_DELTCLASS")]
    DelTclass = 41,
    /// `RTM_GETTCLASS`.
    #[nl(name = "RTM_GETTCLASS")]
    GetTclass = 42,
    /// `RTM_NEWTFILTER`.
    #[nl(name = "RTM_NEWTFILTER")]
    NewTfilter = 44,
    /// `RTM_DELTFILTER`.
    #[nl(name = "RTM_DELTFILTER")]
    DelTfilter = 45,
    /// `RTM_GETTFILTER`.
    #[nl(name = "RTM_GETTFILTER")]
    GetTfilter = 46,
    /// `RTM_GETMULTICAST`.
    #[nl(name = "RTM_GETMULTICAST")]
    GetMulticast = 58,
    /// `RTM_GETANYCAST`.
    #[nl(name = "RTM_GETANYCAST")]
    GetAnycast = 62,
    /// `RTM_NEWNSID`.
    #[nl(name = "RTM_NEWNSID")]
    NewNsid = 88,
    /// `RTM_DELNSID`.
    #[nl(name = "RTM_DELNSID")]
    DelNsid = 89,
    /// `RTM_GETNSID`.
    #[nl(name = "RTM_GETNSID")]
    GetNsid = 90,
    /// `RTM_NEWCHAIN`.
    #[nl(name = "RTM_NEWCHAIN")]
    NewChain = 100,
    /// `RTM_DELCHAIN`.
    #[nl(name = "RTM_DELCHAIN")]
    DelChain = 101,
    /// `RTM_GETCHAIN`.
    #[nl(name = "RTM_GETCHAIN")]
    GetChain = 102,
}

/// One decoded rtnetlink message: the type's fixed header and its
/// attributes (kept as kind, flags and payload: the attribute sets of
/// rtnetlink are not declared yet). Requests shorter than the type's header
/// carry only `struct rtgenmsg` (dump requests of older tools).
#[nl_family(
    protocol = crate::family::NETLINK_ROUTE,
    name = "NETLINK_ROUTE",
    types = RtmType,
    reading = flag_reading
)]
pub enum RouteMessage<'a> {
    /// `RTM_*LINK`, `RTM_*LINKPROP`: `struct ifinfomsg`.
    #[nl(types = RTM_NEWLINK..=RTM_SETLINK | 108..=110)]
    Link(OrShort<'a, RtGenMsg, IfInfoMsg, AnyAttr<'a>>),
    /// `RTM_*ADDR`, `RTM_*MULTICAST`, `RTM_*ANYCAST`: `struct ifaddrmsg`.
    #[nl(types = RTM_NEWADDR..=23 | 56..=RTM_GETANYCAST)]
    Addr(OrShort<'a, RtGenMsg, IfAddrMsg, AnyAttr<'a>>),
    /// `RTM_*ROUTE`, `RTM_*RULE`: `struct rtmsg` (`fib_rule_hdr` has the
    /// same 12-byte layout; shown as `rtmsg`).
    #[nl(types = RTM_NEWROUTE..=27 | RTM_NEWRULE..=35)]
    Route(OrShort<'a, RtGenMsg, RtMsg, AnyAttr<'a>>),
    /// `RTM_*NEIGH`: `struct ndmsg`.
    #[nl(types = RTM_NEWNEIGH..=31)]
    Neigh(OrShort<'a, RtGenMsg, NdMsg, AnyAttr<'a>>),
    /// `RTM_*QDISC`, `*TCLASS`, `*TFILTER`, `*CHAIN`: `struct tcmsg`.
    #[nl(types = RTM_NEWQDISC..=47 | RTM_NEWCHAIN..=RTM_GETCHAIN)]
    Tc(OrShort<'a, RtGenMsg, TcMsg, AnyAttr<'a>>),
}

/// How the `0x100..0x800` bits of a request's flags read for this type.
pub fn flag_reading(nlmsg_type: u16) -> FlagReading {
    match nlmsg_type % 4 {
        0 => FlagReading::New,
        1 => FlagReading::Delete,
        2 => FlagReading::Get,
        _ => FlagReading::Other,
    }
}
