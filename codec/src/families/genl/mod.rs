//! Generic netlink (`<linux/genetlink.h>`): the 4-byte `genlmsghdr` that
//! follows `nlmsghdr` for every family-specific message, and the
//! `NETLINK_GENERIC` table: the controller (`nlctrl`, `GENL_ID_CTRL` = 16)
//! at its fixed id, every other family by the id the controller announces.
//!
//! The controller's declarations (`CTRL_CMD_*`, `CTRL_ATTR_*` and the sets
//! nested in it, the `GENL_*` operation flags) are generated from the
//! kernel's YNL spec `nlctrl.yaml` into [`nlctrl`]; they are re-exported
//! here under their nlwire names ([`CtrlAttr`], [`CtrlCmd`], ...). This
//! file is the registry glue only.

use zerocopy::byteorder::U16;
use zerocopy::NativeEndian as NE;

use crate::family_ids::Announcement;
use crate::flags::FlagBits;
use crate::netlink::{AnyAttr, Message};
use crate::{nl_family, nl_struct, open_enum};

pub mod nlctrl;

/// Controller attributes (`CTRL_ATTR_*`, YNL `ctrl-attrs`).
pub use nlctrl::CtrlAttrs as CtrlAttr;
/// One multicast group of `CTRL_ATTR_MCAST_GROUPS`
/// (`CTRL_ATTR_MCAST_GRP_*`, YNL `mcast-group-attrs`).
pub use nlctrl::McastGroupAttrs as CtrlMcastGrpAttr;
/// Controller commands (`CTRL_CMD_*`).
pub use nlctrl::NlctrlCmd as CtrlCmd;
/// One operation of `CTRL_ATTR_OPS` (`CTRL_ATTR_OP_*`, YNL `op-attrs`).
pub use nlctrl::OpAttrs as CtrlOpAttr;
/// Operation flags (`GENL_ADMIN_PERM`, `GENL_CMD_CAP_*`,
/// `GENL_UNS_ADMIN_PERM`): the bits of `CTRL_ATTR_OP_FLAGS`.
pub use nlctrl::OpFlags as GenlOpFlagNames;
/// The policies of one command in `CTRL_ATTR_OP_POLICY`
/// (`CTRL_ATTR_POLICY_*`, YNL `op-policy-attrs`).
pub use nlctrl::OpPolicyAttrs as CtrlOpPolicyAttr;
pub use nlctrl::*;

/// `CTRL_ATTR_OP_FLAGS`: `GENL_ADMIN_PERM | GENL_CMD_CAP_*` bits.
pub type GenlOpFlags = FlagBits<u32, GenlOpFlagNames>;

/// The bit names of [`GenlOpFlagNames`], for display.
pub const GENL_OP_FLAG_NAMES: &[(u64, &str)] = <GenlOpFlagNames as crate::value::FlagNames>::NAMES;

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
            announces = announcement, reading = |_| crate::netlink::FlagReading::Get,
            declares(GenlId, nlctrl::NlctrlCmd))]
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
    if !matches!(cmd, CtrlCmd::Newfamily | CtrlCmd::Delfamily) {
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
        CtrlCmd::Newfamily => Some(Announcement::New { id, name: name? }),
        _ => Some(Announcement::Gone { id }),
    }
}
