//! Generic netlink (`<linux/genetlink.h>`): the 4-byte `genlmsghdr` that
//! follows `nlmsghdr` for every family-specific message, and the controller
//! (`nlctrl`, `GENL_ID_CTRL` = 16) attribute sets: `CTRL_ATTR_*` and the
//! sets nested in it (`CTRL_ATTR_OP_*`, `CTRL_ATTR_MCAST_GRP_*`,
//! `CTRL_ATTR_POLICY_*`), as the kernel's YNL spec `nlctrl.yaml` describes
//! them (`ctrl-attrs`, `op-attrs`, `mcast-group-attrs`, `op-policy-attrs`).

use zerocopy::byteorder::U16;
use zerocopy::NativeEndian as NE;

use crate::family_ids::Announcement;
use crate::flags::FlagBits;
use crate::netlink::{AnyAttr, IndexedArray, Message, Nested, PolicyAttr};
use crate::payload::NulStr;
use crate::{attribute_set, nl_family, nl_flags, nl_struct, open_enum};

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
/// families (their ids are dynamic). The controller's `CTRL_CMD_NEWFAMILY`
/// and `CTRL_CMD_DELFAMILY` announce which id is which family
/// ([`announcement`], `FamilyEntry::announces`): a family declared by name
/// (`#[nl_family(genl = "ethtool", ...)]`) decodes its messages once its id
/// is learned ([`crate::family_ids`]).
#[nl_family(protocol = crate::family::NETLINK_GENERIC, name = "NETLINK_GENERIC", types = GenlId,
            announces = announcement, reading = |_| crate::netlink::FlagReading::Get)]
pub enum GenlMessage<'a> {
    /// The controller (`GENL_ID_CTRL`): `CTRL_CMD_*` and `CTRL_ATTR_*`.
    #[nl(types = GENL_ID_CTRL)]
    Ctrl(Message<'a, CtrlGenlMsgHdr, CtrlAttr<'a>>),
    /// Any other family id.
    #[nl(default)]
    Family(Message<'a, GenlMsgHdr, AnyAttr<'a>>),
}

/// What a controller message announces: `CTRL_CMD_NEWFAMILY` (a reply of
/// `CTRL_CMD_GETFAMILY`, or the notification of a new family on the
/// `notify` group) with `CTRL_ATTR_FAMILY_ID` and `CTRL_ATTR_FAMILY_NAME`
/// binds the id to the name; `CTRL_CMD_DELFAMILY` with
/// `CTRL_ATTR_FAMILY_ID` unbinds it. Requests announce nothing (a
/// `CTRL_CMD_GETFAMILY` request names a family, it does not assign it).
pub fn announcement<'a>(m: &GenlMessage<'a>, request: bool) -> Option<Announcement<'a>> {
    let GenlMessage::Ctrl(m) = m else {
        return None;
    };
    if request {
        return None;
    }
    let cmd = CtrlCmd::from(m.header.cmd);
    if !matches!(cmd, CtrlCmd::NewFamily | CtrlCmd::DelFamily) {
        return None;
    }
    let mut id = None;
    let mut name = None;
    for a in m.attrs() {
        match a {
            Ok(CtrlAttr::FamilyId(i)) => id = Some(i),
            Ok(CtrlAttr::FamilyName(n)) => name = Some(n.to_bytes()),
            _ => {}
        }
    }
    let id = id?;
    match cmd {
        CtrlCmd::NewFamily => Some(Announcement::New { id, name: name? }),
        _ => Some(Announcement::Gone { id }),
    }
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
    /// `CTRL_ATTR_OPS`: the family's operations, an indexed array (YNL
    /// `indexed-array`, entries numbered from 1) of `CTRL_ATTR_OP_*` nests.
    /// Without `NLA_F_NESTED`: `ctrl_fill_info()` opens it, and each entry,
    /// with `nla_nest_start_noflag()`.
    #[nl(kind = 6, name = "CTRL_ATTR_OPS")]
    Ops(IndexedArray<'a, Nested<'a, CtrlOpAttr<'a>>>),
    /// `CTRL_ATTR_MCAST_GROUPS`: the family's multicast groups, an indexed
    /// array (entries numbered from 1) of `CTRL_ATTR_MCAST_GRP_*` nests.
    /// Without `NLA_F_NESTED` (`nla_nest_start_noflag()`, as `CTRL_ATTR_OPS`).
    #[nl(kind = 7, name = "CTRL_ATTR_MCAST_GROUPS")]
    McastGroups(IndexedArray<'a, Nested<'a, CtrlMcastGrpAttr<'a>>>),
    /// `CTRL_ATTR_POLICY` (`CTRL_CMD_GETPOLICY` replies): YNL
    /// `nest-type-value [policy-id, attr-id]`, a nest keyed by policy index
    /// holding a nest keyed by attribute kind holding that attribute's
    /// policy (`NL_POLICY_TYPE_ATTR_*`, `<linux/netlink.h>`).
    #[nl(kind = 8, name = "CTRL_ATTR_POLICY", flags = crate::netlink::NLA_F_NESTED)]
    Policy(IndexedArray<'a, IndexedArray<'a, Nested<'a, PolicyAttr<'a>>>>),
    /// `CTRL_ATTR_OP_POLICY` (`CTRL_CMD_GETPOLICY` replies): YNL
    /// `nest-type-value [op-id]`, a nest keyed by command holding its
    /// `CTRL_ATTR_POLICY_DO`/`CTRL_ATTR_POLICY_DUMP` policy indices.
    #[nl(kind = 9, name = "CTRL_ATTR_OP_POLICY", flags = crate::netlink::NLA_F_NESTED)]
    OpPolicy(IndexedArray<'a, Nested<'a, CtrlOpPolicyAttr<'a>>>),
    /// `CTRL_ATTR_OP`.
    #[nl(kind = 10, name = "CTRL_ATTR_OP")]
    Op(u32),
}

/// Operation flags (`<linux/genetlink.h>`): the bits of
/// `CTRL_ATTR_OP_FLAGS` (`struct genl_ops` `flags`, plus the `GENL_CMD_CAP_*`
/// bits `ctrl_fill_info()` adds).
#[nl_flags(u32, table = GENL_OP_FLAG_NAMES)]
pub enum GenlOpFlagNames {
    /// `GENL_ADMIN_PERM`: the operation needs `CAP_NET_ADMIN`.
    GENL_ADMIN_PERM = 0x01,
    /// `GENL_CMD_CAP_DO`: the operation has a `doit` handler.
    GENL_CMD_CAP_DO = 0x02,
    /// `GENL_CMD_CAP_DUMP`: the operation has a `dumpit` handler.
    GENL_CMD_CAP_DUMP = 0x04,
    /// `GENL_CMD_CAP_HASPOL`: the operation has an attribute policy.
    GENL_CMD_CAP_HASPOL = 0x08,
    /// `GENL_UNS_ADMIN_PERM`: the operation needs `CAP_NET_ADMIN` in the
    /// user namespace of the network namespace.
    GENL_UNS_ADMIN_PERM = 0x10,
}

/// `CTRL_ATTR_OP_FLAGS`: `GENL_ADMIN_PERM | GENL_CMD_CAP_*` bits.
pub type GenlOpFlags = FlagBits<u32, GenlOpFlagNames>;

/// One operation of `CTRL_ATTR_OPS` (`CTRL_ATTR_OP_*`, `<linux/genetlink.h>`;
/// YNL `op-attrs`).
#[attribute_set(name = "op_attrs")]
pub enum CtrlOpAttr<'a> {
    /// `CTRL_ATTR_OP_ID`: the command number.
    #[nl(kind = 1, name = "CTRL_ATTR_OP_ID")]
    Id(u32),
    /// `CTRL_ATTR_OP_FLAGS`: `GENL_ADMIN_PERM`, `GENL_CMD_CAP_*`.
    #[nl(kind = 2, name = "CTRL_ATTR_OP_FLAGS")]
    Flags(GenlOpFlags),
}

/// One multicast group of `CTRL_ATTR_MCAST_GROUPS`
/// (`CTRL_ATTR_MCAST_GRP_*`, `<linux/genetlink.h>`; YNL `mcast-group-attrs`).
#[attribute_set(name = "mcast_group_attrs")]
pub enum CtrlMcastGrpAttr<'a> {
    /// `CTRL_ATTR_MCAST_GRP_NAME`: the group's name.
    #[nl(kind = 1, name = "CTRL_ATTR_MCAST_GRP_NAME")]
    Name(NulStr<'a>),
    /// `CTRL_ATTR_MCAST_GRP_ID`: the group number to subscribe to
    /// (`NETLINK_ADD_MEMBERSHIP`).
    #[nl(kind = 2, name = "CTRL_ATTR_MCAST_GRP_ID")]
    Id(u32),
}

/// The policies of one command in `CTRL_ATTR_OP_POLICY`
/// (`CTRL_ATTR_POLICY_*`, `<linux/genetlink.h>`; YNL `op-policy-attrs`):
/// indices into the `CTRL_ATTR_POLICY` dump.
#[attribute_set(name = "op_policy_attrs")]
pub enum CtrlOpPolicyAttr<'a> {
    /// `CTRL_ATTR_POLICY_DO`: the policy of the `doit` handler.
    #[nl(kind = 1, name = "CTRL_ATTR_POLICY_DO")]
    Do(u32),
    /// `CTRL_ATTR_POLICY_DUMP`: the policy of the `dumpit` handler.
    #[nl(kind = 2, name = "CTRL_ATTR_POLICY_DUMP")]
    Dump(u32),
}
