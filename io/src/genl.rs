//! Generic netlink family resolution: the controller (`nlctrl`,
//! `GENL_ID_CTRL`) is asked for one family by name
//! (`CTRL_CMD_GETFAMILY` with `CTRL_ATTR_FAMILY_NAME`) and answers with its
//! run-time id and multicast groups (`CTRL_CMD_NEWFAMILY`).

use std::ops::ControlFlow;

use nlwire::families::genl::{
    CtrlAttr, CtrlCmd, CtrlGenlMsgHdr, CtrlMcastGrpAttr, GenlMessage, GENL_ID_CTRL,
};
use nlwire::family::NetlinkFamily;
use nlwire::netlink::NLM_F_REQUEST;
use nlwire::payload::NulStr;
use nlwire::wire::WireStruct;
use nlwire::{ErrorKind, Mode};

use crate::error::{Error, Result};
use crate::socket::Socket;

/// `GENL_NAMSIZ` (`<linux/genetlink.h>`): a family name, NUL included.
const GENL_NAMSIZ: usize = 16;

/// A generic netlink family as the controller describes it
/// (`CTRL_CMD_NEWFAMILY`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct GenlFamily {
    /// `CTRL_ATTR_FAMILY_ID`: the `nlmsg_type` of the family's messages.
    pub id: u16,
    /// `CTRL_ATTR_FAMILY_NAME`.
    pub name: String,
    /// `CTRL_ATTR_VERSION`.
    pub version: u32,
    /// `CTRL_ATTR_HDRSIZE`: the family's fixed header after `genlmsghdr`.
    pub hdr_size: u32,
    /// `CTRL_ATTR_MAXATTR`.
    pub max_attr: u32,
    /// `CTRL_ATTR_MCAST_GROUPS`: (`CTRL_ATTR_MCAST_GRP_NAME`,
    /// `CTRL_ATTR_MCAST_GRP_ID`), the group ids to pass to
    /// [`Socket::add_membership`].
    pub mcast_groups: Vec<(String, u32)>,
}

impl GenlFamily {
    /// The id of multicast group `name`.
    pub fn mcast_group(&self, name: &str) -> Option<u32> {
        self.mcast_groups
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| *id)
    }
}

impl Socket {
    /// Resolve the generic netlink family `name` (`"ethtool"`, `"nlctrl"`)
    /// to its run-time id and multicast groups: a `CTRL_CMD_GETFAMILY`
    /// request by `CTRL_ATTR_FAMILY_NAME` to the controller, on this
    /// `NETLINK_GENERIC` socket (no privilege needed).
    ///
    /// Errors: [`Error::BadRequest`] for a socket of another protocol or a
    /// name longer than 15 bytes (`GENL_NAMSIZ` with its NUL);
    /// [`Error::Kernel`] with `ENOENT` for a family the kernel does not
    /// have; [`Error::Decode`] for a reply without `CTRL_ATTR_FAMILY_ID`.
    ///
    /// ```no_run
    /// use nlwire_io::Socket;
    /// let mut s = Socket::new(nlwire::family::NetlinkFamily::Generic)?;
    /// let ctrl = s.resolve_genl_family("nlctrl")?;
    /// assert_eq!(ctrl.id, 16);
    /// println!("notify group: {:?}", ctrl.mcast_group("notify"));
    /// # Ok::<(), nlwire_io::Error>(())
    /// ```
    pub fn resolve_genl_family(&mut self, name: &str) -> Result<GenlFamily> {
        if self.protocol() != NetlinkFamily::Generic {
            return Err(Error::BadRequest(
                "resolving a generic netlink family needs a NETLINK_GENERIC socket",
            ));
        }
        if name.is_empty() || name.len() >= GENL_NAMSIZ || name.contains('\0') {
            return Err(Error::BadRequest(
                "a generic netlink family name is 1 to 15 bytes (GENL_NAMSIZ)",
            ));
        }
        let mut with_nul = [0u8; GENL_NAMSIZ];
        with_nul
            .get_mut(..name.len())
            .unwrap_or_default()
            .copy_from_slice(name.as_bytes());
        let with_nul = with_nul.get(..=name.len()).unwrap_or_default();
        let mut found: Option<std::result::Result<GenlFamily, nlwire::Error>> = None;
        self.dump_with(
            |b, seq| {
                b.message(GENL_ID_CTRL, NLM_F_REQUEST, seq, 0, |b| {
                    // struct genlmsghdr: cmd, version, reserved.
                    let hdr: [u8; <CtrlGenlMsgHdr as WireStruct>::SIZE] =
                        [CtrlCmd::Getfamily.raw(), 1, 0, 0];
                    b.put_bytes(&hdr)?;
                    b.attr_set(&CtrlAttr::FamilyName(NulStr(with_nul)))
                })
            },
            |m| {
                let r = parse_family(&m);
                let done = r.is_ok();
                found = Some(r);
                if done {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        )?;
        match found {
            Some(r) => Ok(r?),
            None => Err(Error::Decode(nlwire::Error::new(
                ErrorKind::Short,
                "CTRL_CMD_NEWFAMILY",
                1,
                0,
            ))),
        }
    }
}

/// The family a `CTRL_CMD_NEWFAMILY` reply describes.
fn parse_family(
    m: &nlwire::netlink::RawMessage<'_>,
) -> std::result::Result<GenlFamily, nlwire::Error> {
    let missing = nlwire::Error::new(ErrorKind::Short, "CTRL_ATTR_FAMILY_ID", 1, 0).at(m.offset);
    let GenlMessage::Ctrl(msg) = GenlMessage::parse(m, Mode::Lenient)? else {
        return Err(missing);
    };
    let mut f = GenlFamily::default();
    let mut id = None;
    for a in msg.attrs() {
        match a? {
            CtrlAttr::FamilyId(v) => id = Some(v),
            CtrlAttr::FamilyName(n) => f.name = String::from_utf8_lossy(n.to_bytes()).into_owned(),
            CtrlAttr::Version(v) => f.version = v,
            CtrlAttr::Hdrsize(v) => f.hdr_size = v,
            CtrlAttr::Maxattr(v) => f.max_attr = v,
            CtrlAttr::McastGroups(groups) => {
                for e in groups.sets() {
                    let (_, attrs) = e?;
                    let (mut name, mut gid) = (None, None);
                    for a in attrs {
                        match a? {
                            CtrlMcastGrpAttr::Name(n) => {
                                name = Some(String::from_utf8_lossy(n.to_bytes()).into_owned())
                            }
                            CtrlMcastGrpAttr::Id(v) => gid = Some(v),
                            CtrlMcastGrpAttr::Unknown(_) => {}
                        }
                    }
                    if let (Some(n), Some(g)) = (name, gid) {
                        f.mcast_groups.push((n, g));
                    }
                }
            }
            _ => {}
        }
    }
    f.id = id.ok_or(missing)?;
    Ok(f)
}
