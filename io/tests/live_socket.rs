//! Live-kernel tests of the socket and the exchange logic, on
//! `NETLINK_ROUTE` (always present) and `NETLINK_SOCK_DIAG`.

mod common;

use std::ops::ControlFlow;
use std::time::Duration;

use nlwire::families::route::link::Ifinfomsg as IfInfoMsg;
use nlwire::family::NetlinkFamily;
use nlwire::netlink::{
    Builder, Messages, NlMsgType, NLM_F_ACK, NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST,
};
use nlwire_io::{Error, RecvFlags, Socket};
use zerocopy::FromZeros;

const RTM_GETLINK: u16 = 18;
const RTM_NEWLINK: u16 = 16;

fn route() -> Socket {
    let s = Socket::new(NetlinkFamily::Route).unwrap();
    s.set_recv_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

/// An `RTM_GETLINK` request with `flags`, `seq` and an ifinfomsg from `f`.
fn getlink(flags: u16, seq: u32, f: impl FnOnce(&mut IfInfoMsg)) -> Vec<u8> {
    let mut m = IfInfoMsg::new_zeroed();
    f(&mut m);
    let mut b = Builder::new_vec();
    b.message(RTM_GETLINK, flags, seq, 0, |b| b.put_struct(&m))
        .unwrap();
    b.into_vec()
}

#[test]
fn bind_auto_assigns_the_port_id_getsockname_reports() {
    let mut s = route();
    assert_eq!(
        s.local_addr().unwrap().pid(),
        0,
        "unbound socket has port id 0"
    );
    let port = s.bind_auto().unwrap();
    assert_ne!(port, 0);
    assert_eq!(s.local_addr().unwrap().pid(), port);
    assert_eq!(s.port_id().unwrap(), port);
    assert_eq!(s.protocol(), NetlinkFamily::Route);
}

#[test]
fn explicit_bind_to_a_chosen_port_id() {
    let mut s = route();
    // Port ids only need to be unique per family; pick one unlikely to be taken.
    let want = 0x7e57_0000 | (std::process::id() & 0xffff);
    s.bind(want, 0).unwrap();
    assert_eq!(s.port_id().unwrap(), want);
    let mut t = route();
    let err = t.bind(want, 0).unwrap_err();
    assert_eq!(err.errno(), Some(98), "EADDRINUSE expected, got {err}");
}

#[test]
fn ext_ack_and_strict_chk_are_on_by_default_and_every_option_toggles() {
    let s = route();
    assert!(s.ext_ack().unwrap());
    assert!(s.get_strict_chk().unwrap());
    let plain = Socket::new_plain(NetlinkFamily::Route).unwrap();
    assert!(!plain.ext_ack().unwrap());
    assert!(!plain.get_strict_chk().unwrap());
    type Set = fn(&Socket, bool) -> nlwire_io::Result<()>;
    type Get = fn(&Socket) -> nlwire_io::Result<bool>;
    let opts: [(&str, Set, Get); 7] = [
        ("NETLINK_PKTINFO", Socket::set_pktinfo, Socket::pktinfo),
        (
            "NETLINK_BROADCAST_ERROR",
            Socket::set_broadcast_error,
            Socket::broadcast_error,
        ),
        (
            "NETLINK_NO_ENOBUFS",
            Socket::set_no_enobufs,
            Socket::no_enobufs,
        ),
        (
            "NETLINK_LISTEN_ALL_NSID",
            Socket::set_listen_all_nsid,
            Socket::listen_all_nsid,
        ),
        ("NETLINK_CAP_ACK", Socket::set_cap_ack, Socket::cap_ack),
        ("NETLINK_EXT_ACK", Socket::set_ext_ack, Socket::ext_ack),
        (
            "NETLINK_GET_STRICT_CHK",
            Socket::set_get_strict_chk,
            Socket::get_strict_chk,
        ),
    ];
    for (name, set, get) in opts {
        set(&plain, true).unwrap();
        assert!(get(&plain).unwrap(), "{name} on");
        set(&plain, false).unwrap();
        assert!(!get(&plain).unwrap(), "{name} off");
    }
}

#[test]
fn memberships_join_list_and_drop() {
    let s = route();
    // RTNLGRP_LINK = 1, RTNLGRP_NEXTHOP = 32, RTNLGRP_BRVLAN = 33 (past the legacy mask).
    s.add_membership(1).unwrap();
    s.add_membership(33).unwrap();
    s.add_membership(32).unwrap();
    let Some(groups) =
        common::available("NETLINK_DIAG (CONFIG_NETLINK_DIAG)", s.list_memberships())
    else {
        return;
    };
    assert_eq!(groups, vec![1, 32, 33]);
    s.drop_membership(32).unwrap();
    assert_eq!(s.list_memberships().unwrap(), vec![1, 33]);
    // A group the family does not have.
    assert!(s.add_membership(100_000).is_err());
}

#[test]
fn non_blocking_receive_reports_would_block() {
    let mut s = route();
    s.bind_auto().unwrap();
    s.set_non_blocking(true).unwrap();
    let e = s.recv_full().unwrap_err();
    assert!(e.is_would_block(), "{e}");
    s.set_non_blocking(false).unwrap();
    s.set_recv_timeout(Some(Duration::from_millis(50))).unwrap();
    assert!(
        s.recv_full().unwrap_err().is_would_block(),
        "timeout is reported as EAGAIN too"
    );
}

#[test]
fn caller_buffer_receive_reports_the_real_length_and_whole_receive_gets_it_all() {
    let mut s = route();
    s.send(&getlink(NLM_F_REQUEST | NLM_F_DUMP, 77, |_| {}))
        .unwrap();
    let mut small = [0xa5u8; 20];
    let len = s.recv(&mut small, RecvFlags::PEEK).unwrap();
    assert!(
        len > small.len(),
        "the first dump datagram is longer than 20 bytes: {len}"
    );
    let (peeked, from) = s.recv_from(&mut small, RecvFlags::PEEK).unwrap();
    assert_eq!(peeked, len);
    assert_eq!(from.pid(), 0, "the kernel is port 0");
    assert_eq!(s.peek_len().unwrap(), len);
    let whole = s.recv_full().unwrap();
    assert_eq!(whole.len(), len);
    let first = Messages::new(whole).next().unwrap().unwrap();
    assert_eq!(first.header.nlmsg_seq.get(), 77);
    assert_eq!(first.header.nlmsg_type.get(), RTM_NEWLINK);
    // The 20 peeked bytes were the start of the same datagram.
    assert_eq!(&small[..], &whole[..20]);
    // Drain the rest of the dump.
    loop {
        let d = s.recv_full().unwrap();
        if Messages::new(d)
            .flatten()
            .any(|m| m.header.standard_type() == NlMsgType::Done)
        {
            break;
        }
    }
}

#[test]
fn dump_links_ends_at_done_with_matching_seq_and_port() {
    let mut s = route();
    let mut names = 0;
    let mut seqs = Vec::new();
    let sum = s
        .dump(&getlink(NLM_F_REQUEST | NLM_F_DUMP, 0, |_| {}), |m| {
            assert_eq!(m.header.nlmsg_type.get(), RTM_NEWLINK);
            assert_ne!(m.header.nlmsg_flags.get() & NLM_F_MULTI, 0);
            seqs.push(m.header.nlmsg_seq.get());
            names += 1;
            ControlFlow::Continue(())
        })
        .unwrap();
    assert!(names >= 1, "at least lo");
    assert_eq!(sum.messages, names);
    assert!(seqs.iter().all(|&q| q == sum.seq));
    assert_ne!(sum.seq, 0, "a zero seq is replaced");
    assert!(!sum.acked && !sum.stopped);
    assert!(sum.datagrams >= 1);
    // The next exchange gets the next number.
    let sum2 = s
        .dump(&getlink(NLM_F_REQUEST | NLM_F_DUMP, 0, |_| {}), |_| {
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(sum2.seq, sum.seq + 1);
    // A caller's own seq is kept.
    let sum3 = s
        .dump(&getlink(NLM_F_REQUEST | NLM_F_DUMP, 4242, |_| {}), |_| {
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(sum3.seq, 4242);
    assert_eq!(sum3.messages, sum.messages);
}

#[test]
fn dump_with_builder_closure() {
    let mut s = route();
    let mut seen = 0;
    let sum = s
        .dump_with(
            |b, seq| {
                b.message(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, |b| {
                    b.put_struct(&IfInfoMsg::new_zeroed())
                })
            },
            |_| {
                seen += 1;
                ControlFlow::Continue(())
            },
        )
        .unwrap();
    assert_eq!(seen, sum.messages);
    assert!(seen >= 1);
}

#[test]
fn abandoned_dump_is_skipped_by_the_next_exchange() {
    let mut s = route();
    let first = s
        .dump(&getlink(NLM_F_REQUEST | NLM_F_DUMP, 0, |_| {}), |_| {
            ControlFlow::Break(())
        })
        .unwrap();
    assert!(first.stopped);
    assert_eq!(first.messages, 1);
    // The rest of the first dump (at least its NLMSG_DONE) is still queued.
    let second = s
        .dump(&getlink(NLM_F_REQUEST | NLM_F_DUMP, 0, |_| {}), |_| {
            ControlFlow::Continue(())
        })
        .unwrap();
    assert!(second.skipped >= 1, "{second:?}");
    assert!(second.messages >= 1);
}

#[test]
fn get_with_ack_delivers_the_reply_then_the_ack() {
    let mut s = route();
    let mut got = Vec::new();
    let sum = s
        .dump(
            &getlink(NLM_F_REQUEST | NLM_F_ACK, 0, |m| m.ifi_index.set(1)),
            |m| {
                got.push(m.header.nlmsg_type.get());
                ControlFlow::Continue(())
            },
        )
        .unwrap();
    assert_eq!(got, vec![RTM_NEWLINK]);
    assert!(sum.acked);
    // Without NLM_F_ACK the single reply (no NLM_F_MULTI) ends the exchange.
    let sum = s
        .dump(&getlink(NLM_F_REQUEST, 0, |m| m.ifi_index.set(1)), |_| {
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!((sum.messages, sum.acked), (1, false));
}

#[test]
fn nlmsg_error_carries_errno_and_extended_ack_message() {
    let mut s = route();
    // Strict checking: a GET with ifi_type set is refused with a message.
    let e = s
        .dump(&getlink(NLM_F_REQUEST, 0, |m| m.ifi_type.set(1)), |_| {
            ControlFlow::Continue(())
        })
        .unwrap_err();
    let Error::Kernel(k) = &e else {
        panic!("expected a kernel error, got {e}")
    };
    assert_eq!(k.errno, 22, "EINVAL");
    assert!(!k.in_done);
    let msg = k
        .message
        .as_deref()
        .expect("NETLINK_EXT_ACK is on by default");
    assert!(msg.to_lowercase().contains("header"), "{msg}");
    assert!(e.to_string().contains("EINVAL"), "{e}");
    // A missing link: ENODEV, and the socket still works afterwards.
    let e = s
        .dump(
            &getlink(NLM_F_REQUEST, 0, |m| m.ifi_index.set(0x7fff_fff0)),
            |_| ControlFlow::Continue(()),
        )
        .unwrap_err();
    assert_eq!(e.errno(), Some(19), "{e}");
    s.dump(&getlink(NLM_F_REQUEST | NLM_F_DUMP, 0, |_| {}), |_| {
        ControlFlow::Continue(())
    })
    .unwrap();
}

#[test]
fn failed_dump_reports_the_error_from_nlmsg_done() {
    let mut s = route();
    // Strict dump checking: filtering a link dump by index is refused inside
    // the dump, so the error comes in NLMSG_DONE.
    let e = s
        .dump(
            &getlink(NLM_F_REQUEST | NLM_F_DUMP, 0, |m| m.ifi_index.set(1)),
            |_| ControlFlow::Continue(()),
        )
        .unwrap_err();
    let Error::Kernel(k) = &e else {
        panic!("expected a kernel error, got {e}")
    };
    assert_eq!(k.errno, 22);
    assert!(k.message.is_some(), "{e}");
}

#[test]
fn without_ext_ack_the_error_has_no_message() {
    let mut s = route();
    s.set_ext_ack(false).unwrap();
    let e = s
        .dump(&getlink(NLM_F_REQUEST, 0, |m| m.ifi_type.set(1)), |_| {
            ControlFlow::Continue(())
        })
        .unwrap_err();
    let Error::Kernel(k) = e else { panic!() };
    assert_eq!((k.errno, k.message), (22, None));
}

#[test]
fn malformed_requests_are_refused_before_sending() {
    let mut s = route();
    let each = |_: nlwire::netlink::RawMessage<'_>| ControlFlow::Continue(());
    assert!(matches!(s.dump(&[], each), Err(Error::BadRequest(_))));
    let no_request_flag = getlink(NLM_F_DUMP, 0, |_| {});
    assert!(matches!(
        s.dump(&no_request_flag, each),
        Err(Error::BadRequest(_))
    ));
    let mut two = getlink(NLM_F_REQUEST | NLM_F_DUMP, 0, |_| {});
    two.extend(getlink(NLM_F_REQUEST | NLM_F_DUMP, 0, |_| {}));
    assert!(matches!(s.dump(&two, each), Err(Error::BadRequest(_))));
    let mut bad_len = getlink(NLM_F_REQUEST | NLM_F_DUMP, 0, |_| {});
    bad_len[0] = 200;
    assert!(matches!(s.dump(&bad_len, each), Err(Error::Decode(_))));
    // Nothing was sent: the socket was never bound.
    assert_eq!(s.local_addr().unwrap().pid(), 0);
}

#[test]
fn sock_diag_refuses_an_unknown_family() {
    let mut s = Socket::new(NetlinkFamily::SockDiag).unwrap();
    s.set_recv_timeout(Some(Duration::from_secs(5))).unwrap();
    // SOCK_DIAG_BY_FAMILY with sdiag_family = AF_MAX + something.
    let e = s
        .dump_with(
            |b, seq| {
                b.message(20, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, |b| {
                    b.put_bytes(&[200, 0, 0, 0])
                })
            },
            |_| ControlFlow::Continue(()),
        )
        .unwrap_err();
    assert_eq!(e.errno(), Some(22), "{e}");
}

#[test]
fn legacy_bind_groups_show_in_the_membership_list() {
    let mut s = route();
    let Some(none) = common::available("NETLINK_DIAG (CONFIG_NETLINK_DIAG)", s.list_memberships())
    else {
        return;
    };
    assert!(none.is_empty());
    s.bind(0, 0b101).unwrap(); // nl_groups: groups 1 and 3
    assert_eq!(s.list_memberships().unwrap(), vec![1, 3]);
}

#[test]
fn usersock_multicast_and_unicast_with_pktinfo() {
    // NETLINK_USERSOCK (2) lets user space send to its own multicast groups.
    let mut rx = Socket::new(2u16).unwrap();
    rx.set_recv_timeout(Some(Duration::from_secs(5))).unwrap();
    let rx_port = rx.bind_auto().unwrap();
    rx.add_membership(5).unwrap();
    rx.set_pktinfo(true).unwrap();
    let mut tx = Socket::new(2u16).unwrap();
    let tx_port = tx.bind_auto().unwrap();

    // A send with a group also unicasts to the port id given (the kernel, 0,
    // refuses for this family), so address it to the sender itself.
    tx.send_to(b"multicast to group 5", tx_port, 1 << 4)
        .unwrap();
    assert_eq!(tx.recv_full().unwrap(), b"multicast to group 5");
    let got = rx.recv_msg().unwrap();
    assert_eq!(got.data, b"multicast to group 5");
    assert_eq!(got.sender.pid(), tx_port);
    assert_eq!(got.group, Some(5));
    assert_eq!(got.nsid, None);

    tx.send_to(b"unicast", rx_port, 0).unwrap();
    let got = rx.recv_msg().unwrap();
    assert_eq!((got.data, got.group), (&b"unicast"[..], Some(0)));

    // Without NETLINK_PKTINFO there is no group.
    rx.set_pktinfo(false).unwrap();
    tx.send_to(b"again", rx_port, 0).unwrap();
    let got = rx.recv_msg().unwrap();
    assert_eq!((got.data, got.group), (&b"again"[..], None));

    // recv_from_full reports the sender too; a big datagram is not cut.
    let big = vec![0x5au8; 100_000];
    rx.set_recv_buffer_size(1 << 20).unwrap();
    tx.send_to(&big, rx_port, 0).unwrap();
    let (data, from) = rx.recv_from_full().unwrap();
    assert_eq!((data.len(), from.pid()), (big.len(), tx_port));
    assert!(data.iter().all(|&b| b == 0x5a));

    // A caller buffer that is too small shows the real length.
    tx.send_to(&big[..5000], rx_port, 0).unwrap();
    let mut small = [0u8; 100];
    assert_eq!(rx.recv(&mut small, RecvFlags::empty()).unwrap(), 5000);

    // connect() sets the default destination of send().
    tx.connect(rx_port, 0).unwrap();
    tx.send(b"connected").unwrap();
    assert_eq!(rx.recv_full().unwrap(), b"connected");
}
