//! `NETLINK_CONNECTOR` (protocol 11): every message is `NLMSG_DONE` carrying
//! a `struct cn_msg` (`<linux/connector.h>`), the process events connector's
//! `struct proc_input` / `struct proc_event` (`<linux/cn_proc.h>`) in it.
//! Before the family claimed `NLMSG_DONE`, a proc event decoded as
//! `NLMSG_DONE error: 1 (EPERM)` (its `cn_msg.id.idx`) and lost 24 bytes.

mod walk_lines;
use walk_lines::*;

use nlwire::decode::{decode, emit_decoded, Body};
use nlwire::families::connector::*;
use nlwire::family::NETLINK_CONNECTOR;
use nlwire::netlink::{Builder, Messages, RawMessage};
use nlwire::swap::swap_message;
use nlwire::Mode;

/// One netlink message: `nlmsghdr` (host order) and payload.
fn message(typ: u16, flags: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
    let mut m = Vec::new();
    m.extend_from_slice(&(16 + payload.len() as u32).to_ne_bytes());
    m.extend_from_slice(&typ.to_ne_bytes());
    m.extend_from_slice(&flags.to_ne_bytes());
    m.extend_from_slice(&seq.to_ne_bytes());
    m.extend_from_slice(&0u32.to_ne_bytes());
    m.extend_from_slice(payload);
    m
}

fn u32s(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_ne_bytes()).collect()
}

/// `struct cn_msg` with `len` and the given `data`.
fn cn_msg(idx: u32, val: u32, seq: u32, len: u16, data: &[u8]) -> Vec<u8> {
    let mut m = u32s(&[idx, val, seq, 0]);
    m.extend_from_slice(&len.to_ne_bytes());
    m.extend_from_slice(&0u16.to_ne_bytes());
    m.extend_from_slice(data);
    m
}

/// `struct proc_event` (40 bytes): `what`, `cpu`, `timestamp_ns`, then the
/// 24-byte union `event_data` with `words` at its start, zero after.
fn proc_event(what: u32, cpu: u32, ts: u64, words: &[u32]) -> Vec<u8> {
    let mut e = u32s(&[what, cpu]);
    e.extend_from_slice(&ts.to_ne_bytes());
    let mut union = u32s(words);
    union.resize(24, 0);
    e.extend(union);
    e
}

/// The kernel's `proc_fork_connector()` message: parent 100/100, child
/// 4242/4242, on CPU 1.
fn fork_event() -> Vec<u8> {
    let ev = proc_event(PROC_EVENT_FORK, 1, 123_456_789, &[100, 100, 4242, 4242]);
    message(
        3,
        0,
        7,
        &cn_msg(CN_IDX_PROC, CN_VAL_PROC, 7, ev.len() as u16, &ev),
    )
}

fn first(bytes: &[u8]) -> RawMessage<'_> {
    Messages::new(bytes).next().unwrap().unwrap()
}

fn reemit(bytes: &[u8], mode: Mode) -> Vec<u8> {
    let d = decode(NETLINK_CONNECTOR, first(bytes), mode);
    let mut out = vec![0xa5u8; bytes.len() + 64];
    let mut b = Builder::new(&mut out[..]);
    emit_decoded(&d, &mut b).unwrap();
    let n = b.len();
    out.truncate(n);
    out
}

#[test]
fn connector_fork_event_is_a_proc_event_not_nlmsg_done() {
    // The reported bug: type 3 on NETLINK_CONNECTOR read as `NLMSG_DONE`
    // (error = cn_msg.id.idx = 1, EPERM).
    let bytes = fork_event();
    for mode in [Mode::Strict, Mode::Lenient] {
        let d = decode(NETLINK_CONNECTOR, first(&bytes), mode);
        assert!(matches!(d.body, Ok(Body::Family(_))), "{:?}", d.body);
        assert_eq!(d.errno(), None);
        assert_eq!(d.nlmsg_type_name(), Some("NLMSG_DONE"));
        let l = walk(&d);
        assert!(
            !l.lines.iter().any(|x| x.starts_with("NLMSG_DONE")),
            "{:?}",
            l.lines
        );
        assert_clean_lines(
            &l,
            &[
                "cn_msg.id.idx=1",
                "cn_msg.id.val=1",
                "cn_msg.len=40",
                "proc_event.what=PROC_EVENT_FORK",
                "proc_event.cpu=1",
                "proc_event.timestamp_ns=123456789",
                "proc_event.event_data.fork.parent_pid=100",
                "proc_event.event_data.fork.parent_tgid=100",
                "proc_event.event_data.fork.child_pid=4242",
                "proc_event.event_data.fork.child_tgid=4242",
            ],
        );
    }
    let d = decode(NETLINK_CONNECTOR, first(&bytes), Mode::Strict);
    let Ok(Body::Family(f)) = d.body else {
        panic!()
    };
    let ConnectorMessage::Cn(m) = ConnectorMessage::parse(&f.msg, Mode::Strict).unwrap() else {
        panic!()
    };
    let CnData::ProcEvent(ev) = m.data else {
        panic!("{m:?}")
    };
    let EventData::Fork(fork) = ev.union else {
        panic!("{ev:?}")
    };
    assert_eq!(fork.value.child_pid.get(), 4242);
}

#[test]
fn nlmsg_done_of_other_protocols_is_still_done() {
    // A dump's end on NETLINK_ROUTE / NETLINK_SOCK_DIAG / an unregistered
    // protocol stays the generic `NLMSG_DONE`.
    let done = message(3, 2, 9, &0i32.to_ne_bytes());
    for family in [0u16, 4, 16, 31] {
        let d = decode(family, first(&done), Mode::Strict);
        assert!(
            matches!(d.body, Ok(Body::Done(_))),
            "{family}: {:?}",
            d.body
        );
    }
    // NLMSG_ERROR on the connector stays an error/ACK.
    let mut err = (-1i32).to_ne_bytes().to_vec();
    err.extend_from_slice(&fork_event()[..16]);
    let ack = message(2, 0x100, 7, &err);
    let d = decode(NETLINK_CONNECTOR, first(&ack), Mode::Lenient);
    assert!(matches!(d.body, Ok(Body::Error(_))), "{:?}", d.body);
    assert!(!ConnectorMessage::ENTRY.claims(2));
    assert!(ConnectorMessage::ENTRY.claims(3));
    assert!(!ConnectorMessage::ENTRY.claims(16));
}

#[test]
fn connector_listen_request() {
    // What `pidof`-style listeners send: PROC_CN_MCAST_LISTEN with a filter.
    let input = u32s(&[PROC_CN_MCAST_LISTEN, PROC_EVENT_FORK | PROC_EVENT_EXIT]);
    let bytes = message(3, 0, 1, &cn_msg(CN_IDX_PROC, CN_VAL_PROC, 1, 8, &input));
    let l = walk(&decode(NETLINK_CONNECTOR, first(&bytes), Mode::Strict));
    assert_clean_lines(
        &l,
        &[
            "proc_input.mcast_op=PROC_CN_MCAST_LISTEN",
            "proc_input.event_type=PROC_EVENT_FORK|PROC_EVENT_EXIT",
        ],
    );
    // Before Linux 6.6: a bare enum proc_cn_mcast_op.
    let legacy = message(
        3,
        0,
        1,
        &cn_msg(
            CN_IDX_PROC,
            CN_VAL_PROC,
            1,
            4,
            &PROC_CN_MCAST_IGNORE.to_ne_bytes(),
        ),
    );
    let l = walk(&decode(NETLINK_CONNECTOR, first(&legacy), Mode::Strict));
    assert_clean_lines(&l, &["proc_cn_mcast_op.mcast_op=PROC_CN_MCAST_IGNORE"]);
    // The builder's message is the same bytes.
    let mut buf = [0u8; 64];
    let mut b = Builder::new(&mut buf[..]);
    b.message(NLMSG_DONE, 0, 1, 0, |b| {
        CnMessage::write(b, CN_IDX_PROC, CN_VAL_PROC, 1, 0, &input)
    })
    .unwrap();
    let n = b.len();
    assert_eq!(&buf[..n], &bytes[..]);
}

#[test]
fn connector_exit_event_and_ack() {
    let ev = proc_event(PROC_EVENT_EXIT, 0, 5, &[4242, 4242, 256, 17, 100, 100]);
    let bytes = message(3, 0, 8, &cn_msg(CN_IDX_PROC, CN_VAL_PROC, 8, 40, &ev));
    let l = walk(&decode(NETLINK_CONNECTOR, first(&bytes), Mode::Strict));
    assert_clean_lines(
        &l,
        &[
            "proc_event.what=PROC_EVENT_EXIT",
            "proc_event.event_data.exit.process_pid=4242",
            "proc_event.event_data.exit.exit_code=256",
            "proc_event.event_data.exit.exit_signal=17",
            "proc_event.event_data.exit.parent_pid=100",
        ],
    );
    // The ack of a LISTEN: PROC_EVENT_NONE, event_data.ack.err.
    let ev = proc_event(PROC_EVENT_NONE, 0, 0, &[0]);
    let bytes = message(3, 0, 1, &cn_msg(CN_IDX_PROC, CN_VAL_PROC, 1, 40, &ev));
    let l = walk(&decode(NETLINK_CONNECTOR, first(&bytes), Mode::Strict));
    assert_clean_lines(
        &l,
        &[
            "proc_event.what=PROC_EVENT_NONE",
            "proc_event.event_data.ack.err=0",
        ],
    );
    // Comm and gid variants by kernel field names.
    let mut w = vec![7u32, 7];
    w.extend(
        b"kworker/0:1\0\0\0\0\0"
            .chunks(4)
            .map(|c| u32::from_ne_bytes(c.try_into().unwrap())),
    );
    let ev = proc_event(PROC_EVENT_COMM, 0, 0, &w);
    let bytes = message(3, 0, 1, &cn_msg(CN_IDX_PROC, CN_VAL_PROC, 1, 40, &ev));
    let d = decode(NETLINK_CONNECTOR, first(&bytes), Mode::Strict);
    assert!(d.body.is_ok(), "{:?}", d.body);
    assert_clean_lines(&walk(&d), &["proc_event.event_data.comm.process_pid=7"]);
    let ev = proc_event(PROC_EVENT_GID, 0, 0, &[7, 7, 1000, 0]);
    let bytes = message(3, 0, 1, &cn_msg(CN_IDX_PROC, CN_VAL_PROC, 1, 40, &ev));
    assert_clean_lines(
        &walk(&decode(NETLINK_CONNECTOR, first(&bytes), Mode::Strict)),
        &[
            "proc_event.event_data.id.rgid=1000",
            "proc_event.event_data.id.egid=0",
        ],
    );
}

#[test]
fn connector_unknown_id_keeps_raw_data() {
    // CN_W1_IDX (3) / CN_W1_VAL (1): not declared, `data` kept as bytes.
    let bytes = message(3, 0, 2, &cn_msg(3, 1, 2, 6, &[1, 2, 3, 4, 5, 6, 0, 0]));
    for mode in [Mode::Strict, Mode::Lenient] {
        let l = walk(&decode(NETLINK_CONNECTOR, first(&bytes), mode));
        assert_clean_lines(
            &l,
            &["cn_msg.id.idx=3", "cn_msg.len=6", "data=010203040506"],
        );
        assert_eq!(reemit(&bytes, mode), bytes);
    }
}

#[test]
fn connector_messages_reemit_byte_for_byte() {
    let listen = message(
        3,
        0,
        1,
        &cn_msg(
            CN_IDX_PROC,
            CN_VAL_PROC,
            1,
            8,
            &u32s(&[PROC_CN_MCAST_LISTEN, PROC_EVENT_ALL]),
        ),
    );
    let exit = proc_event(PROC_EVENT_EXIT, 3, 99, &[1, 1, 0, 17, 0, 0]);
    let exit = message(3, 0, 5, &cn_msg(CN_IDX_PROC, CN_VAL_PROC, 5, 40, &exit));
    for bytes in [fork_event(), listen, exit] {
        for mode in [Mode::Strict, Mode::Lenient] {
            assert_eq!(reemit(&bytes, mode), bytes);
            let Ok(Body::Family(f)) = decode(NETLINK_CONNECTOR, first(&bytes), mode).body else {
                panic!()
            };
            let mut out = vec![0u8; bytes.len()];
            let mut b = Builder::new(&mut out[..]);
            let ConnectorMessage::Cn(m) = ConnectorMessage::parse(&f.msg, mode).unwrap() else {
                panic!()
            };
            b.message(3, 0, f.msg.header.nlmsg_seq.get(), 0, |b| {
                nlwire::netlink::MessageBody::emit_body(&m, b)
            })
            .unwrap();
            assert_eq!(&out[..], &bytes[..]);
        }
    }
}

#[test]
fn connector_foreign_byte_order_converts() {
    let native = fork_event();
    // The same message as a host of the other order wrote it: every
    // integer of nlmsghdr, cn_msg, proc_event and fork_proc_event reversed.
    let mut foreign = Vec::new();
    let flip = |b: &[u8]| b.iter().rev().copied().collect::<Vec<u8>>();
    foreign.extend(flip(&native[0..4]));
    foreign.extend(flip(&native[4..6]));
    foreign.extend(flip(&native[6..8]));
    foreign.extend(flip(&native[8..12]));
    foreign.extend(flip(&native[12..16]));
    for w in native[16..32].chunks(4) {
        foreign.extend(flip(w)); // idx, val, seq, ack
    }
    foreign.extend(flip(&native[32..34])); // len
    foreign.extend(flip(&native[34..36])); // flags
    foreign.extend(flip(&native[36..40])); // what
    foreign.extend(flip(&native[40..44])); // cpu
    foreign.extend(flip(&native[44..52])); // timestamp_ns
    for w in native[52..68].chunks(4) {
        foreign.extend(flip(w)); // fork_proc_event
    }
    foreign.extend_from_slice(&native[68..]); // rest of the union
    assert_ne!(foreign, native);
    swap_message(NETLINK_CONNECTOR, &mut foreign);
    assert_eq!(foreign, native);
    // Decodes as the native event.
    let l = walk(&decode(NETLINK_CONNECTOR, first(&foreign), Mode::Strict));
    assert_clean_lines(&l, &["proc_event.event_data.fork.child_pid=4242"]);
}

#[test]
fn connector_short_cn_msg_len_strict_refuses_lenient_keeps() {
    // cn_msg.len says 40 but only 24 bytes of the event arrived.
    let ev = proc_event(PROC_EVENT_FORK, 1, 2, &[100, 100, 4242, 4242]);
    let bytes = message(3, 0, 7, &cn_msg(CN_IDX_PROC, CN_VAL_PROC, 7, 40, &ev[..24]));
    let d = decode(NETLINK_CONNECTOR, first(&bytes), Mode::Strict);
    let e = d.body.as_ref().unwrap_err();
    assert_eq!(e.what, "cn_msg.len");
    assert_eq!(e.kind, nlwire::ErrorKind::Short);
    let d = decode(NETLINK_CONNECTOR, first(&bytes), Mode::Lenient);
    assert!(matches!(d.body, Ok(Body::Family(_))), "{:?}", d.body);
    let l = walk(&d);
    assert_clean_lines(
        &l,
        &[
            "cn_msg.len=40",
            &format!(
                "data={}",
                ev[..24]
                    .iter()
                    .map(|x| format!("{x:02x}"))
                    .collect::<String>()
            ),
        ],
    );
    assert_eq!(reemit(&bytes, Mode::Lenient), bytes);
    // cn_msg.len shorter than the payload, non-zero bytes after: strict
    // refuses them, lenient keeps them (and emits them again).
    let mut data = u32s(&[PROC_CN_MCAST_LISTEN, PROC_EVENT_ALL]);
    data.extend_from_slice(&[9, 9, 9, 9]);
    let bytes = message(3, 0, 1, &cn_msg(CN_IDX_PROC, CN_VAL_PROC, 1, 8, &data));
    assert!(decode(NETLINK_CONNECTOR, first(&bytes), Mode::Strict)
        .body
        .is_err());
    let d = decode(NETLINK_CONNECTOR, first(&bytes), Mode::Lenient);
    assert_clean_lines(
        &walk(&d),
        &[
            "proc_input.mcast_op=PROC_CN_MCAST_LISTEN",
            "trailing=09090909",
        ],
    );
    assert_eq!(reemit(&bytes, Mode::Lenient), bytes);
    // Too short for struct cn_msg itself.
    let bytes = message(3, 0, 1, &[1, 0, 0, 0]);
    for mode in [Mode::Strict, Mode::Lenient] {
        assert!(decode(NETLINK_CONNECTOR, first(&bytes), mode).body.is_err());
    }
}
