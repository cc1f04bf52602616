//! The whole extended ACK of a request the kernel rejects reaches the
//! caller (`KernelError`): `NLMSGERR_ATTR_MISS_TYPE` for a missing
//! attribute, and `NLMSGERR_ATTR_MSG`, `NLMSGERR_ATTR_OFFS` and
//! `NLMSGERR_ATTR_POLICY` for one out of its policy's range. The requests
//! are `NETDEV_CMD_DEV_GET` of the `netdev` generic netlink family, whose
//! `NETDEV_A_DEV_IFINDEX` is required and `NLA_POLICY_MIN(NLA_U32, 1)`
//! (`Documentation/netlink/specs/netdev.yaml`). A `NLMSGERR_ATTR_COOKIE`
//! cannot be provoked on demand; it is checked on a scripted reply.

mod common;
use common::available;

use std::ops::ControlFlow;
use std::time::Duration;

use nlwire::family::NetlinkFamily;
use nlwire::netlink::{
    Builder, NlMsgErrHdr, NlMsgHdr, NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_REQUEST,
};
use nlwire_io::{Error, ErrorPolicy, KernelError, Socket};

const NETDEV_CMD_DEV_GET: u8 = 1;
const NETDEV_A_DEV_IFINDEX: u16 = 1;
/// `NL_ATTR_TYPE_U32` of `enum netlink_attribute_type`.
const NL_ATTR_TYPE_U32: u32 = 4;

fn dev_get(s: &mut Socket, id: u16, ifindex: Option<u32>) -> nlwire_io::Result<usize> {
    s.dump_with(
        |b, seq| {
            b.message(id, NLM_F_REQUEST | NLM_F_ACK, seq, 0, |b| {
                b.put_bytes(&[NETDEV_CMD_DEV_GET, 1, 0, 0])?;
                if let Some(i) = ifindex {
                    b.attr_raw(NETDEV_A_DEV_IFINDEX, &i.to_ne_bytes())?;
                }
                Ok(())
            })
        },
        |_| ControlFlow::Continue(()),
    )
    .map(|s| s.messages)
}

fn netdev() -> Option<(Socket, u16)> {
    let mut s = Socket::new(NetlinkFamily::Generic).unwrap();
    s.set_recv_timeout(Some(Duration::from_secs(5))).unwrap();
    let fam = available(
        "the netdev generic netlink family",
        s.resolve_genl_family("netdev"),
    )?;
    Some((s, fam.id))
}

#[test]
fn a_missing_required_attribute_is_named_by_type() {
    let Some((mut s, id)) = netdev() else { return };
    let e = dev_get(&mut s, id, None).unwrap_err();
    let Error::Kernel(k) = e else { panic!("{e:?}") };
    assert_eq!(k.errno, 22, "{k}");
    assert_eq!(k.missing_type, Some(u32::from(NETDEV_A_DEV_IFINDEX)), "{k}");
    // Missing at the top level: no nest.
    assert_eq!(k.missing_nest, None, "{k}");
    assert!(!k.in_done);
    let text = k.to_string();
    assert!(text.contains("missing attribute type 1"), "{text}");
}

#[test]
fn an_attribute_out_of_its_policy_range_carries_message_offset_and_policy() {
    let Some((mut s, id)) = netdev() else { return };
    let e = dev_get(&mut s, id, Some(0)).unwrap_err();
    let Error::Kernel(k) = e else { panic!("{e:?}") };
    assert_eq!(k.errno, 34, "{k}"); // ERANGE from nla_validate_int_range
    assert!(k.message.is_some(), "{k}");
    // nlmsghdr (16) + genlmsghdr (4): the attribute is the first after them.
    assert_eq!(k.offset, Some(20), "{k}");
    let p = k.policy.clone().expect("NLMSGERR_ATTR_POLICY");
    assert_eq!(p.attr_type, Some(NL_ATTR_TYPE_U32), "{p:?}");
    assert_eq!(p.min_value_u, Some(1), "{p:?}");
    assert_eq!(k.missing_type, None);
    let text = k.to_string();
    assert!(text.contains("policy: type 4"), "{text}");
}

/// Every `NLMSGERR_ATTR_*`, cookie included, from a scripted
/// `NETLINK_USERSOCK` peer.
#[test]
fn every_extended_ack_attribute_reaches_the_caller() {
    let mut client = Socket::new(2u16).unwrap();
    client
        .set_recv_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut peer = Socket::new(2u16).unwrap();
    let pport = peer.bind_auto().unwrap();
    let port = client.bind_auto().unwrap();
    client.connect(pport, 0).unwrap();
    let mut b = Builder::new_vec();
    b.message(2, NLM_F_CAPPED | NLM_F_ACK_TLVS, 9, port, |b| {
        b.put_struct(&NlMsgErrHdr {
            error: (-22i32).into(),
            msg: NlMsgHdr::new(20, 0x100, NLM_F_REQUEST, 9, port),
        })?;
        b.attr_raw(1, b"bad thing\0")?;
        b.attr_raw(2, &28u32.to_ne_bytes())?;
        b.attr_raw(3, &[0xde, 0xad, 0xbe, 0xef])?;
        b.nested(4, true, |b| {
            b.attr_raw(1, &4u32.to_ne_bytes())?;
            b.attr_raw(5, &9u64.to_ne_bytes())?;
            b.attr_raw(6, &2u32.to_ne_bytes())
        })?;
        b.attr_raw(5, &7u32.to_ne_bytes())?;
        b.attr_raw(6, &24u32.to_ne_bytes())
    })
    .unwrap();
    peer.send_to(&b.into_vec(), port, 0).unwrap();
    let mut req = Builder::new_vec();
    req.message(0x100, NLM_F_REQUEST | NLM_F_ACK, 9, 0, |b| {
        b.put_bytes(&[0; 4])
    })
    .unwrap();
    let e = client
        .dump(&req.into_vec(), |_| ControlFlow::Continue(()))
        .unwrap_err();
    let Error::Kernel(k) = e else { panic!("{e:?}") };
    let mut policy = ErrorPolicy::default();
    policy.attr_type = Some(4);
    policy.max_value_u = Some(9);
    policy.min_length = Some(2);
    assert_eq!(
        k,
        KernelError {
            errno: 22,
            message: Some("bad thing".into()),
            offset: Some(28),
            cookie: Some(vec![0xde, 0xad, 0xbe, 0xef]),
            policy: Some(Box::new(policy)),
            missing_type: Some(7),
            missing_nest: Some(24),
            in_done: false,
        }
    );
    let text = k.to_string();
    assert!(text.contains("(cookie deadbeef)"), "{text}");
    assert!(text.contains("in the nest at offset 24"), "{text}");
}
