//! Live generic netlink family resolution (`Socket::resolve_genl_family`):
//! `CTRL_CMD_GETFAMILY` by `CTRL_ATTR_FAMILY_NAME` answers the controller's
//! fixed id and a dynamic id for a family this kernel has; an unknown name
//! is `ENOENT`. The answers agree with the ids the controller's dump
//! announces, as `FamilyIds` learns them.

mod common;

use std::time::Duration;

use nlwire::family::NetlinkFamily;
use nlwire_io::{Error, Socket};

fn socket() -> Option<Socket> {
    let s = common::available(
        "NETLINK_GENERIC socket",
        Socket::new(NetlinkFamily::Generic),
    )?;
    s.set_recv_timeout(Some(Duration::from_secs(5))).unwrap();
    Some(s)
}

#[test]
fn nlctrl_resolves_to_genl_id_ctrl_with_its_notify_group() {
    let Some(mut s) = socket() else { return };
    let f = s.resolve_genl_family("nlctrl").unwrap();
    assert_eq!(f.id, 16);
    assert_eq!(f.name, "nlctrl");
    assert!(f.mcast_group("notify").is_some(), "{f:?}");
}

#[test]
fn a_family_of_this_kernel_resolves_to_a_dynamic_id() {
    let Some(mut s) = socket() else { return };
    // Families a kernel commonly has built in; at least one must exist.
    let mut seen = Vec::new();
    for name in [
        "ethtool", "netdev", "devlink", "mptcp_pm", "thermal", "nl80211",
    ] {
        match s.resolve_genl_family(name) {
            Ok(f) => {
                assert!(f.id >= 17, "{name}: {f:?}");
                assert_eq!(f.name, name);
                seen.push(f);
            }
            Err(e) => assert_eq!(e.errno(), Some(2), "{name}: {e}"),
        }
    }
    let got = common::available::<(), _>(
        "a generic netlink family besides nlctrl",
        if seen.is_empty() {
            Err("none of ethtool, netdev, devlink, mptcp_pm, thermal, nl80211")
        } else {
            Ok(())
        },
    );
    if got.is_none() {
        return;
    }
    // The same socket resolves again (sequence numbers advance).
    let again = s.resolve_genl_family(&seen[0].name).unwrap();
    assert_eq!(again, seen[0]);
}

#[test]
fn an_unknown_family_is_enoent_and_bad_names_are_refused() {
    let Some(mut s) = socket() else { return };
    let e = s.resolve_genl_family("no_such_fam").unwrap_err();
    assert_eq!(e.errno(), Some(2), "{e}");
    assert!(matches!(
        s.resolve_genl_family("sixteen_bytes_xx"),
        Err(Error::BadRequest(_))
    ));
    assert!(matches!(
        s.resolve_genl_family(""),
        Err(Error::BadRequest(_))
    ));
    let Some(mut route) =
        common::available("NETLINK_ROUTE socket", Socket::new(NetlinkFamily::Route))
    else {
        return;
    };
    assert!(matches!(
        route.resolve_genl_family("nlctrl"),
        Err(Error::BadRequest(_))
    ));
}

#[test]
fn the_controllers_dump_teaches_the_same_ids() {
    use nlwire::family_ids::FamilyIds;
    use nlwire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
    use nlwire::registry::Registry;
    let Some(mut s) = socket() else { return };
    let mut ids = FamilyIds::new();
    s.dump_with(
        |b, seq| {
            b.message(16, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, |b| {
                b.put_bytes(&[3, 1, 0, 0]) // CTRL_CMD_GETFAMILY
            })
        },
        |m| {
            ids.learn(&Registry::DEFAULT, 16, &m, nlwire::Mode::Lenient);
            std::ops::ControlFlow::Continue(())
        },
    )
    .unwrap();
    assert_eq!(ids.id_of(16, "nlctrl"), Some(16));
    assert!(!ids.is_empty());
    for name in ["ethtool", "netdev"] {
        if let Ok(f) = s.resolve_genl_family(name) {
            assert_eq!(ids.id_of(16, name), Some(f.id), "{name}");
        }
    }
}
