//! Generic netlink (`<linux/genetlink.h>`): the 4-byte `genlmsghdr` that
//! follows `nlmsghdr` for every family-specific message, and the controller
//! (`nlctrl`, `GENL_ID_CTRL` = 16) attribute set.

use zerocopy::byteorder::U16;
use zerocopy::NativeEndian as NE;

use crate::netlink::{AnyAttr, Message, Nested};
use crate::payload::NulStr;
use crate::{attribute_set, nl_family, nl_struct, open_enum};

/// `struct genlmsghdr`.
///
/// ```c
/// struct genlmsghdr {
///     __u8  cmd;
///     __u8  version;
///     __u16 reserved;
/// };
/// ```
#[nl_struct(name = "genlmsghdr")]
pub struct GenlMsgHdr {
    /// `cmd`: family-specific command.
    pub cmd: u8,
    /// `version`: family-specific version.
    pub version: u8,
    /// `reserved`.
    pub reserved: U16<NE>,
}

/// The controller's view of `struct genlmsghdr`: `cmd` read as `CTRL_CMD_*`.
#[nl_struct(name = "genlmsghdr")]
pub struct CtrlGenlMsgHdr {
    /// `cmd`: `CTRL_CMD_*`.
    #[nl(enum = CtrlCmd)]
    pub cmd: u8,
    /// `version`.
    pub version: u8,
    /// `reserved`.
    pub reserved: U16<NE>,
}

/// Fixed generic netlink family ids (`<linux/genetlink.h>`); every other
/// id is assigned at run time by the controller.
#[open_enum(u16, consts)]
pub enum GenlId {
    /// `GENL_ID_CTRL` (0x10): the controller, `nlctrl`.
    #[nl(name = "GENL_ID_CTRL")]
    Ctrl = 0x10,
}

/// One decoded generic netlink message: `genlmsghdr` and attributes, typed
/// for the controller (`CTRL_ATTR_*`), kept as kind and payload for other
/// families (their ids are dynamic).
#[nl_family(protocol = crate::family::NETLINK_GENERIC, name = "NETLINK_GENERIC", types = GenlId)]
pub enum GenlMessage<'a> {
    /// The controller (`GENL_ID_CTRL`): `CTRL_CMD_*` and `CTRL_ATTR_*`.
    #[nl(types = GENL_ID_CTRL)]
    Ctrl(Message<'a, CtrlGenlMsgHdr, CtrlAttr<'a>>),
    /// Any other family id.
    #[nl(default)]
    Family(Message<'a, GenlMsgHdr, AnyAttr<'a>>),
}

/// Controller commands (`CTRL_CMD_*`).
#[open_enum(u8)]
pub enum CtrlCmd {
    /// `CTRL_CMD_UNSPEC`.
    #[nl(name = "CTRL_CMD_UNSPEC")]
    Unspec = 0,
    /// `CTRL_CMD_NEWFAMILY`.
    #[nl(name = "CTRL_CMD_NEWFAMILY")]
    NewFamily = 1,
    /// `CTRL_CMD_DELFAMILY`.
    #[nl(name = "CTRL_CMD_DELFAMILY")]
    DelFamily = 2,
    /// `CTRL_CMD_GETFAMILY`.
    #[nl(name = "CTRL_CMD_GETFAMILY")]
    GetFamily = 3,
    /// `CTRL_CMD_NEWOPS`.
    #[nl(name = "CTRL_CMD_NEWOPS")]
    NewOps = 4,
    /// `CTRL_CMD_DELOPS`.
    #[nl(name = "CTRL_CMD_DELOPS")]
    DelOps = 5,
    /// `CTRL_CMD_GETOPS`.
    #[nl(name = "CTRL_CMD_GETOPS")]
    GetOps = 6,
    /// `CTRL_CMD_NEWMCAST_GRP`.
    #[nl(name = "CTRL_CMD_NEWMCAST_GRP")]
    NewMcastGrp = 7,
    /// `CTRL_CMD_DELMCAST_GRP`.
    #[nl(name = "CTRL_CMD_DELMCAST_GRP")]
    DelMcastGrp = 8,
    /// `CTRL_CMD_GETMCAST_GRP`.
    #[nl(name = "CTRL_CMD_GETMCAST_GRP")]
    GetMcastGrp = 9,
    /// `CTRL_CMD_GETPOLICY`.
    #[nl(name = "CTRL_CMD_GETPOLICY")]
    GetPolicy = 10,
}

/// Controller attributes (`CTRL_ATTR_*`).
#[attribute_set(name = "ctrl_attrs")]
pub enum CtrlAttr<'a> {
    /// `CTRL_ATTR_FAMILY_ID`.
    #[nl(kind = 1, name = "CTRL_ATTR_FAMILY_ID")]
    FamilyId(u16),
    /// `CTRL_ATTR_FAMILY_NAME`.
    #[nl(kind = 2, name = "CTRL_ATTR_FAMILY_NAME")]
    FamilyName(NulStr<'a>),
    /// `CTRL_ATTR_VERSION`.
    #[nl(kind = 3, name = "CTRL_ATTR_VERSION")]
    Version(u32),
    /// `CTRL_ATTR_HDRSIZE`.
    #[nl(kind = 4, name = "CTRL_ATTR_HDRSIZE")]
    HdrSize(u32),
    /// `CTRL_ATTR_MAXATTR`.
    #[nl(kind = 5, name = "CTRL_ATTR_MAXATTR")]
    MaxAttr(u32),
    /// `CTRL_ATTR_OPS`: nested array of operations.
    #[nl(kind = 6, name = "CTRL_ATTR_OPS", flags = crate::netlink::NLA_F_NESTED)]
    Ops(Nested<'a, crate::decode::AnyAttr<'a>>),
    /// `CTRL_ATTR_MCAST_GROUPS`: nested array of multicast groups.
    #[nl(kind = 7, name = "CTRL_ATTR_MCAST_GROUPS", flags = crate::netlink::NLA_F_NESTED)]
    McastGroups(Nested<'a, crate::decode::AnyAttr<'a>>),
    /// `CTRL_ATTR_POLICY`.
    #[nl(kind = 8, name = "CTRL_ATTR_POLICY", flags = crate::netlink::NLA_F_NESTED)]
    Policy(Nested<'a, crate::decode::AnyAttr<'a>>),
    /// `CTRL_ATTR_OP_POLICY`.
    #[nl(kind = 9, name = "CTRL_ATTR_OP_POLICY", flags = crate::netlink::NLA_F_NESTED)]
    OpPolicy(Nested<'a, crate::decode::AnyAttr<'a>>),
    /// `CTRL_ATTR_OP`.
    #[nl(kind = 10, name = "CTRL_ATTR_OP")]
    Op(u32),
}
