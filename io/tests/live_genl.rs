//! Live generic netlink: dump every family with `CTRL_CMD_GETFAMILY`
//! (no privilege needed) and read the controller's own entry through the
//! declarations: `CTRL_ATTR_OPS` and `CTRL_ATTR_MCAST_GROUPS` as indexed
//! arrays of `CTRL_ATTR_OP_*` / `CTRL_ATTR_MCAST_GRP_*` nests.

mod common;

use std::ops::ControlFlow;
use std::time::Duration;

use nlwire::families::genl::{
    CtrlAttr, CtrlMcastGrpAttr, CtrlOpAttr, GenlMessage, GENL_CMD_CAP_DUMP, GENL_ID_CTRL,
};
use nlwire::family::NetlinkFamily;
use nlwire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
use nlwire::Mode;
use nlwire_io::Socket;

/// `CTRL_CMD_GETFAMILY` (`<linux/genetlink.h>`).
const CTRL_CMD_GETFAMILY: u8 = 3;

/// What one `CTRL_CMD_NEWFAMILY` reply said, owned.
#[derive(Debug, Default)]
struct Family {
    name: Vec<u8>,
    id: u16,
    /// `(index, CTRL_ATTR_OP_ID, CTRL_ATTR_OP_FLAGS)`.
    ops: Vec<(u16, u32, u32)>,
    /// `(index, CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID)`.
    groups: Vec<(u16, Vec<u8>, u32)>,
}

fn dump_families() -> Option<Vec<Family>> {
    let s = Socket::new(NetlinkFamily::Generic);
    let mut s = common::available("NETLINK_GENERIC socket", s)?;
    s.set_recv_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    s.dump_with(
        |b, seq| {
            b.message(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, |b| {
                // genlmsghdr: cmd, version, reserved.
                b.put_bytes(&[CTRL_CMD_GETFAMILY, 1, 0, 0])
            })
        },
        |m| {
            // Strict: every attribute, nested ones and every entry of the
            // indexed arrays, must decode as declared.
            let msg = match GenlMessage::parse(&m, Mode::Strict) {
                Ok(GenlMessage::Ctrl(msg)) => msg,
                Ok(_) => {
                    errors.push("not a controller message".to_string());
                    return ControlFlow::Continue(());
                }
                Err(e) => {
                    errors.push(format!("{e}"));
                    return ControlFlow::Continue(());
                }
            };
            let mut f = Family::default();
            for a in msg.attrs() {
                match a.unwrap() {
                    CtrlAttr::FamilyName(n) => f.name = n.to_bytes().to_vec(),
                    CtrlAttr::FamilyId(id) => f.id = id,
                    CtrlAttr::Ops(ops) => {
                        for e in ops.sets() {
                            let (index, attrs) = e.unwrap();
                            let (mut id, mut flags) = (None, None);
                            for a in attrs {
                                match a.unwrap() {
                                    CtrlOpAttr::Id(v) => id = Some(v),
                                    CtrlOpAttr::Flags(v) => flags = Some(v.bits),
                                    CtrlOpAttr::Unknown(_) => {}
                                }
                            }
                            f.ops.push((index, id.unwrap(), flags.unwrap_or(0)));
                        }
                    }
                    CtrlAttr::McastGroups(groups) => {
                        for e in groups.sets() {
                            let (index, attrs) = e.unwrap();
                            let (mut name, mut id) = (None, None);
                            for a in attrs {
                                match a.unwrap() {
                                    CtrlMcastGrpAttr::Name(n) => name = Some(n.to_bytes().to_vec()),
                                    CtrlMcastGrpAttr::Id(v) => id = Some(v),
                                    CtrlMcastGrpAttr::Unknown(_) => {}
                                }
                            }
                            f.groups.push((index, name.unwrap(), id.unwrap()));
                        }
                    }
                    _ => {}
                }
            }
            out.push(f);
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    assert!(errors.is_empty(), "strict decode failed: {errors:?}");
    Some(out)
}

#[test]
fn nlctrl_has_getfamily_and_notify_through_the_declarations() {
    let Some(families) = dump_families() else {
        return;
    };
    let ctrl = families
        .iter()
        .find(|f| f.name == b"nlctrl")
        .unwrap_or_else(|| panic!("no nlctrl in {} families", families.len()));
    assert_eq!(ctrl.id, GENL_ID_CTRL);
    // The kernel numbers entries from 1 (ctrl_fill_info: idx++ from 1).
    let idx: Vec<u16> = ctrl.ops.iter().map(|o| o.0).collect();
    assert_eq!(idx, (1..=ctrl.ops.len() as u16).collect::<Vec<_>>());
    let getfamily = ctrl
        .ops
        .iter()
        .find(|o| o.1 == u32::from(CTRL_CMD_GETFAMILY))
        .unwrap_or_else(|| panic!("no CTRL_CMD_GETFAMILY op in {:?}", ctrl.ops));
    assert!(
        getfamily.2 & GENL_CMD_CAP_DUMP != 0,
        "CTRL_CMD_GETFAMILY dumps: flags {:#x}",
        getfamily.2
    );
    let notify = ctrl
        .groups
        .iter()
        .find(|g| g.1 == b"notify")
        .unwrap_or_else(|| panic!("no notify group in {:?}", ctrl.groups));
    assert_eq!(notify.0, 1, "first (only) group of nlctrl");
    assert_ne!(notify.2, 0, "group ids start at 1");
}

#[test]
fn every_family_reemits_byte_for_byte_and_walks_without_errors() {
    // Through the registry, as `nlwire decode` does: strict decode, walk,
    // emit, compare.
    let s = Socket::new(NetlinkFamily::Generic);
    let Some(mut s) = common::available("NETLINK_GENERIC socket", s) else {
        return;
    };
    s.set_recv_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut n = 0;
    s.dump_with(
        |b, seq| {
            b.message(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, |b| {
                b.put_bytes(&[CTRL_CMD_GETFAMILY, 1, 0, 0])
            })
        },
        |m| {
            common::registry_round_trip(nlwire::family::NETLINK_GENERIC, &m);
            n += 1;
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    assert!(n > 0);
}

/// `CTRL_CMD_GETPOLICY` (`<linux/genetlink.h>`).
const CTRL_CMD_GETPOLICY: u8 = 10;

#[test]
fn nlctrl_policy_dump_decodes_strictly_and_reemits() {
    // CTRL_ATTR_OP_POLICY (op -> CTRL_ATTR_POLICY_DO/DUMP) and
    // CTRL_ATTR_POLICY (policy index -> attribute kind -> NL_POLICY_TYPE_ATTR_*)
    // are nests keyed by value (YNL nest-type-value), read as indexed arrays.
    let s = Socket::new(NetlinkFamily::Generic);
    let Some(mut s) = common::available("NETLINK_GENERIC socket", s) else {
        return;
    };
    s.set_recv_timeout(Some(Duration::from_secs(5))).unwrap();
    let (mut getfamily_policy, mut policy_types, mut errors) = (None, 0, Vec::new());
    let r = s.dump_with(
        |b, seq| {
            b.message(GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, |b| {
                b.put_bytes(&[CTRL_CMD_GETPOLICY, 1, 0, 0])?;
                b.attr(2, &nlwire::payload::NulStr(b"nlctrl\0"))
            })
        },
        |m| {
            let msg = match GenlMessage::parse(&m, Mode::Strict) {
                Ok(GenlMessage::Ctrl(msg)) => msg,
                other => {
                    errors.push(format!("{other:?}"));
                    return ControlFlow::Continue(());
                }
            };
            for a in msg.attrs() {
                match a.unwrap() {
                    CtrlAttr::OpPolicy(ops) => {
                        for e in ops.sets() {
                            let (op, attrs) = e.unwrap();
                            if op == u16::from(CTRL_CMD_GETFAMILY) {
                                getfamily_policy = Some(attrs.count());
                            }
                        }
                    }
                    CtrlAttr::Policy(policies) => {
                        for e in policies.entries() {
                            let (_policy_idx, kinds) = e.unwrap();
                            for k in kinds.entries() {
                                let (_kind, policy) = k.unwrap();
                                policy_types += policy
                                    .iter()
                                    .filter(|p| {
                                        matches!(p, Ok(nlwire::netlink::PolicyAttr::Type(_)))
                                    })
                                    .count();
                            }
                        }
                    }
                    _ => {}
                }
            }
            common::registry_round_trip(nlwire::family::NETLINK_GENERIC, &m);
            ControlFlow::Continue(())
        },
    );
    // Kernels before 5.10 have no policy dump (EOPNOTSUPP).
    if common::available("CTRL_CMD_GETPOLICY", r).is_none() {
        return;
    }
    assert!(errors.is_empty(), "strict decode failed: {errors:?}");
    assert!(
        matches!(getfamily_policy, Some(n) if n >= 1),
        "CTRL_ATTR_OP_POLICY of CTRL_CMD_GETFAMILY: {getfamily_policy:?}"
    );
    assert!(policy_types > 0, "no NL_POLICY_TYPE_ATTR_TYPE in the dump");
}
