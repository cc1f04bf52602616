//! packet_diag: `AF_PACKET` sockets (`<linux/packet_diag.h>`, sock_diag(7),
//! packet(7), the kernel's `net/packet/diag.c`).
//!
//! A request is `struct packet_diag_req` (no attributes; the kernel refuses
//! a non-zero `sdiag_protocol` with `EINVAL` and answers dumps only). Every
//! reply is `struct packet_diag_msg` followed by the `PACKET_DIAG_*`
//! attributes `pdiag_show` asked for, and `PACKET_DIAG_UID` always.
//! `PACKET_DIAG_INFO` is attribute kind **0** (the header's
//! "PACKET_DIAG_NONE, standard nl API requires this attribute!" was never
//! added).

use zerocopy::byteorder::{U16, U32};
use zerocopy::NativeEndian as NE;

use super::cookie::cookie_of;
use super::ids::{AddressFamily, SockType};
use super::meminfo::SkMeminfoView;
use crate::netlink::Message;
use crate::payload::Array;
use crate::value::Value;
use crate::{attribute_set, nl_flags, nl_struct, open_enum};

/// The `pdiag_show` bits of `struct packet_diag_req`: which
/// `PACKET_DIAG_*` attributes to send.
#[nl_flags(u32, table = PACKET_SHOW_NAMES)]
pub enum PacketShowNames {
    /// `PACKET_SHOW_INFO`: send `PACKET_DIAG_INFO` (basic `packet_sock`
    /// information).
    PACKET_SHOW_INFO = 0x0000_0001,
    /// `PACKET_SHOW_MCLIST`: send `PACKET_DIAG_MCLIST`.
    PACKET_SHOW_MCLIST = 0x0000_0002,
    /// `PACKET_SHOW_RING_CFG`: send `PACKET_DIAG_RX_RING` / `PACKET_DIAG_TX_RING`.
    PACKET_SHOW_RING_CFG = 0x0000_0004,
    /// `PACKET_SHOW_FANOUT`: send `PACKET_DIAG_FANOUT`.
    PACKET_SHOW_FANOUT = 0x0000_0008,
    /// `PACKET_SHOW_MEMINFO`: send `PACKET_DIAG_MEMINFO`.
    PACKET_SHOW_MEMINFO = 0x0000_0010,
    /// `PACKET_SHOW_FILTER`: send `PACKET_DIAG_FILTER` (needs
    /// `CAP_NET_ADMIN`).
    PACKET_SHOW_FILTER = 0x0000_0020,
}

/// The `pdi_flags` bits of `struct packet_diag_info`.
#[nl_flags(u32, table = PDI_NAMES)]
pub enum PdiFlagNames {
    /// `PDI_RUNNING` (`<linux/packet_diag.h>`): the socket is hooked to its
    /// device (`po->running`).
    PDI_RUNNING = 0x1,
    /// `PDI_AUXDATA`: `PACKET_AUXDATA` is on.
    PDI_AUXDATA = 0x2,
    /// `PDI_ORIGDEV`: `PACKET_ORIGDEV` is on.
    PDI_ORIGDEV = 0x4,
    /// `PDI_VNETHDR`: `PACKET_VNET_HDR` is on.
    PDI_VNETHDR = 0x8,
    /// `PDI_LOSS`: `PACKET_LOSS` is on.
    PDI_LOSS = 0x10,
}

/// The `pdr_features` bits of `struct packet_diag_ring`.
#[nl_flags(u32, table = TP_FT_NAMES)]
pub enum TpFtNames {
    /// `TP_FT_REQ_FILL_RXHASH` (`<linux/if_packet.h>`): the only
    /// `pdr_features` bit.
    TP_FT_REQ_FILL_RXHASH = 0x1,
}

/// The ring version of a packet socket (`enum tpacket_versions` of
/// `<linux/if_packet.h>`), as in `pdi_version`.
#[open_enum(u32)]
pub enum TpacketVersion {
    /// `TPACKET_V1` (0): the default.
    #[nl(name = "TPACKET_V1")]
    V1 = 0,
    /// `TPACKET_V2` (1).
    #[nl(name = "TPACKET_V2")]
    V2 = 1,
    /// `TPACKET_V3` (2).
    #[nl(name = "TPACKET_V3")]
    V3 = 2,
}

/// The kind of a membership (`PACKET_MR_*` of `<linux/if_packet.h>`), as
/// in `pdmc_type`.
#[open_enum(u16)]
pub enum PacketMrType {
    /// `PACKET_MR_MULTICAST` (0): a link-layer multicast address.
    #[nl(name = "PACKET_MR_MULTICAST")]
    Multicast = 0,
    /// `PACKET_MR_PROMISC` (1): promiscuous mode.
    #[nl(name = "PACKET_MR_PROMISC")]
    Promisc = 1,
    /// `PACKET_MR_ALLMULTI` (2): all multicast.
    #[nl(name = "PACKET_MR_ALLMULTI")]
    Allmulti = 2,
    /// `PACKET_MR_UNICAST` (3): a secondary unicast address.
    #[nl(name = "PACKET_MR_UNICAST")]
    Unicast = 3,
}

/// `struct packet_diag_req` (`<linux/packet_diag.h>`).
///
/// ```c
/// struct packet_diag_req {
///     __u8  sdiag_family;
///     __u8  sdiag_protocol;
///     __u16 pad;
///     __u32 pdiag_ino;
///     __u32 pdiag_show;
///     __u32 pdiag_cookie[2];
/// };
/// ```
#[nl_struct(name = "packet_diag_req")]
pub struct PacketDiagReq {
    /// `sdiag_family`: `AF_PACKET`.
    #[nl(enum = AddressFamily)]
    pub sdiag_family: u8,
    /// `sdiag_protocol`: must be 0 (`EINVAL` otherwise).
    pub sdiag_protocol: u8,
    /// `pad`.
    pub pad: U16<NE>,
    /// `pdiag_ino`: not used by the kernel (dumps only).
    pub pdiag_ino: U32<NE>,
    /// `pdiag_show`: `PACKET_SHOW_*` attributes wanted.
    #[nl(flags = PACKET_SHOW_NAMES)]
    pub pdiag_show: U32<NE>,
    /// `pdiag_cookie`: not used by the kernel.
    #[nl(value_with = Self::cookie_value)]
    pub pdiag_cookie: [U32<NE>; 2],
}

impl PacketDiagReq {
    /// The cookie as one number (its two words, low first), the value the
    /// walk reports.
    fn cookie_value(&self) -> Value<'static> {
        Value::U64(cookie_of(&self.pdiag_cookie))
    }
    /// A dump request for every packet socket, with the attributes `show`
    /// (`PACKET_SHOW_*`).
    pub fn dump(show: u32) -> Self {
        PacketDiagReq {
            sdiag_family: AddressFamily::Packet.raw(),
            sdiag_protocol: 0,
            pad: U16::ZERO,
            pdiag_ino: U32::ZERO,
            pdiag_show: U32::new(show),
            pdiag_cookie: [U32::ZERO; 2],
        }
    }
}

/// `struct packet_diag_msg` (`<linux/packet_diag.h>`).
///
/// ```c
/// struct packet_diag_msg {
///     __u8  pdiag_family;
///     __u8  pdiag_type;
///     __u16 pdiag_num;
///
///     __u32 pdiag_ino;
///     __u32 pdiag_cookie[2];
/// };
/// ```
#[nl_struct(name = "packet_diag_msg")]
pub struct PacketDiagMsg {
    /// `pdiag_family`: `AF_PACKET`.
    #[nl(enum = AddressFamily)]
    pub pdiag_family: u8,
    /// `pdiag_type`: `SOCK_RAW`, `SOCK_DGRAM` or `SOCK_PACKET`.
    #[nl(enum = SockType)]
    pub pdiag_type: u8,
    /// `pdiag_num`: the bound protocol (`ETH_P_*`), converted to host order
    /// by the kernel (`ntohs(po->num)`); 0 when not bound to a protocol.
    pub pdiag_num: U16<NE>,
    /// `pdiag_ino`: socket inode number.
    pub pdiag_ino: U32<NE>,
    /// `pdiag_cookie`: socket cookie, low word first.
    #[nl(value_with = Self::cookie_value)]
    pub pdiag_cookie: [U32<NE>; 2],
}

impl PacketDiagMsg {
    /// The cookie as one number (its two words, low first), the value the
    /// walk reports.
    fn cookie_value(&self) -> Value<'static> {
        Value::U64(cookie_of(&self.pdiag_cookie))
    }
    /// `pdiag_type`.
    pub fn sock_type(&self) -> SockType {
        self.pdiag_type.into()
    }
    /// `pdiag_cookie` as one number.
    pub fn cookie(&self) -> u64 {
        cookie_of(&self.pdiag_cookie)
    }
}

/// `struct packet_diag_info` (`<linux/packet_diag.h>`): `PACKET_DIAG_INFO`.
///
/// ```c
/// struct packet_diag_info {
///     __u32 pdi_index;
///     __u32 pdi_version;
///     __u32 pdi_reserve;
///     __u32 pdi_copy_thresh;
///     __u32 pdi_tstamp;
///     __u32 pdi_flags;
/// };
/// ```
#[nl_struct(name = "packet_diag_info")]
pub struct PacketDiagInfo {
    /// `pdi_index`: the bound interface index (0: any).
    pub pdi_index: U32<NE>,
    /// `pdi_version`: `TPACKET_V1`..`TPACKET_V3`.
    #[nl(enum = TpacketVersion)]
    pub pdi_version: U32<NE>,
    /// `pdi_reserve`: `PACKET_RESERVE` headroom.
    pub pdi_reserve: U32<NE>,
    /// `pdi_copy_thresh`: `PACKET_COPY_THRESH`.
    pub pdi_copy_thresh: U32<NE>,
    /// `pdi_tstamp`: `PACKET_TIMESTAMP` (`SOF_TIMESTAMPING_*`).
    pub pdi_tstamp: U32<NE>,
    /// `pdi_flags`: `PDI_*`.
    #[nl(flags = PDI_NAMES)]
    pub pdi_flags: U32<NE>,
}

/// `struct packet_diag_mclist` (`<linux/packet_diag.h>`): one element of
/// `PACKET_DIAG_MCLIST` (a `PACKET_ADD_MEMBERSHIP`).
///
/// ```c
/// struct packet_diag_mclist {
///     __u32 pdmc_index;
///     __u32 pdmc_count;
///     __u16 pdmc_type;
///     __u16 pdmc_alen;
///     __u8  pdmc_addr[32]; /* MAX_ADDR_LEN */
/// };
/// ```
#[nl_struct(name = "packet_diag_mclist")]
pub struct PacketDiagMclist {
    /// `pdmc_index`: interface index.
    pub pdmc_index: U32<NE>,
    /// `pdmc_count`: how many times it was added.
    pub pdmc_count: U32<NE>,
    /// `pdmc_type`: `PACKET_MR_*`.
    #[nl(enum = PacketMrType)]
    pub pdmc_type: U16<NE>,
    /// `pdmc_alen`: length of `pdmc_addr` in use.
    pub pdmc_alen: U16<NE>,
    /// `pdmc_addr`: the link-layer address (`MAX_ADDR_LEN` bytes).
    pub pdmc_addr: [u8; 32],
}

impl PacketDiagMclist {
    /// The `pdmc_alen` bytes of `pdmc_addr` in use (all 32 if `pdmc_alen`
    /// is larger).
    pub fn addr(&self) -> &[u8] {
        let n = usize::from(self.pdmc_alen.get()).min(self.pdmc_addr.len());
        self.pdmc_addr.get(..n).unwrap_or_default()
    }
}

/// `struct packet_diag_ring` (`<linux/packet_diag.h>`): the payload of
/// `PACKET_DIAG_RX_RING` / `PACKET_DIAG_TX_RING` (a `PACKET_RX_RING` /
/// `PACKET_TX_RING` mmap ring).
///
/// ```c
/// struct packet_diag_ring {
///     __u32 pdr_block_size;
///     __u32 pdr_block_nr;
///     __u32 pdr_frame_size;
///     __u32 pdr_frame_nr;
///     __u32 pdr_retire_tmo;
///     __u32 pdr_sizeof_priv;
///     __u32 pdr_features;
/// };
/// ```
#[nl_struct(name = "packet_diag_ring")]
pub struct PacketDiagRing {
    /// `pdr_block_size`.
    pub pdr_block_size: U32<NE>,
    /// `pdr_block_nr`.
    pub pdr_block_nr: U32<NE>,
    /// `pdr_frame_size`.
    pub pdr_frame_size: U32<NE>,
    /// `pdr_frame_nr`.
    pub pdr_frame_nr: U32<NE>,
    /// `pdr_retire_tmo`: block retire timeout in ms (`TPACKET_V3`).
    pub pdr_retire_tmo: U32<NE>,
    /// `pdr_sizeof_priv`: per-block private area (`TPACKET_V3`).
    pub pdr_sizeof_priv: U32<NE>,
    /// `pdr_features`: `TP_FT_*`.
    #[nl(flags = TP_FT_NAMES)]
    pub pdr_features: U32<NE>,
}

/// `struct sock_filter` (`<linux/filter.h>`): one classic BPF instruction,
/// an element of `PACKET_DIAG_FILTER` (`sock_diag_put_filterinfo`).
///
/// ```c
/// struct sock_filter {
///     __u16 code;
///     __u8  jt;
///     __u8  jf;
///     __u32 k;
/// };
/// ```
#[nl_struct(name = "sock_filter")]
pub struct SockFilter {
    /// `code`: the opcode (`BPF_*` class, size, mode bits).
    pub code: U16<NE>,
    /// `jt`: jump offset if true.
    pub jt: u8,
    /// `jf`: jump offset if false.
    pub jf: u8,
    /// `k`: the generic operand.
    pub k: U32<NE>,
}

/// The attributes of a packet_diag reply (`enum { PACKET_DIAG_INFO, ... }`
/// of `<linux/packet_diag.h>`).
#[attribute_set(name = "packet_diag")]
pub enum PacketDiagAttr<'a> {
    /// `PACKET_DIAG_INFO` (kind 0): `struct packet_diag_info`.
    #[nl(kind = PACKET_DIAG_INFO = 0)]
    Info(&'a PacketDiagInfo),
    /// `PACKET_DIAG_MCLIST`: `struct packet_diag_mclist[]` (the kernel
    /// opens a nest without `NLA_F_NESTED` and appends the structs without
    /// attribute headers; empty when there are no memberships).
    #[nl(kind = PACKET_DIAG_MCLIST = 1)]
    Mclist(Array<'a, PacketDiagMclist>),
    /// `PACKET_DIAG_RX_RING`: `struct packet_diag_ring` (only when a ring
    /// is set up).
    #[nl(kind = PACKET_DIAG_RX_RING = 2)]
    RxRing(&'a PacketDiagRing),
    /// `PACKET_DIAG_TX_RING`: `struct packet_diag_ring`.
    #[nl(kind = PACKET_DIAG_TX_RING = 3)]
    TxRing(&'a PacketDiagRing),
    /// `PACKET_DIAG_FANOUT`: `u32`, the fanout group id in the low 16 bits
    /// and the `PACKET_FANOUT_*` mode in the high 16 (only in a group).
    #[nl(kind = PACKET_DIAG_FANOUT = 4)]
    Fanout(u32),
    /// `PACKET_DIAG_UID`: owner uid (`u32`, always sent).
    #[nl(kind = PACKET_DIAG_UID = 5)]
    Uid(u32),
    /// `PACKET_DIAG_MEMINFO`: `__u32[SK_MEMINFO_VARS]`.
    #[nl(kind = PACKET_DIAG_MEMINFO = 6)]
    Meminfo(SkMeminfoView<'a>),
    /// `PACKET_DIAG_FILTER`: the attached classic BPF program, `struct
    /// sock_filter[]` (`CAP_NET_ADMIN`; absent without a filter).
    #[nl(kind = PACKET_DIAG_FILTER = 7)]
    Filter(Array<'a, SockFilter>),
}

/// packet_diag requests carry no attributes (`packet_diag_handler_dump`
/// reads only the header); anything after it is kept as unknown.
#[attribute_set(name = "packet_diag_req")]
pub enum PacketDiagReqAttr<'a> {}

/// A packet_diag request: `struct packet_diag_req`.
pub type PacketDiagRequest<'a> = Message<'a, PacketDiagReq, PacketDiagReqAttr<'a>>;
/// A packet_diag reply: `struct packet_diag_msg` and `PACKET_DIAG_*`.
pub type PacketDiagResponse<'a> = Message<'a, PacketDiagMsg, PacketDiagAttr<'a>>;
