//! `DumpState`, the reply-processing state machine of `Socket::dump`, fed
//! recorded replies (the project's `samples/*.pcap`) and hand-made
//! datagrams: no socket, so these run everywhere.

use std::ops::ControlFlow;

use nlwire::netlink::{Builder, Messages, NlMsgType, NLM_F_DUMP_INTR, NLM_F_MULTI, NLM_F_REQUEST};
use nlwire_io::{DumpState, DumpSummary, Error, NLMON_HDRLEN, PACKET_OUTGOING};

/// The frames of a classic `LINKTYPE_NETLINK` pcap in this host's byte
/// order: (request, netlink bytes). nlmon writes `PACKET_OUTGOING` in both
/// directions, so a frame is a request when its first message has
/// `NLM_F_REQUEST`.
fn frames(name: &str) -> Vec<(bool, Vec<u8>)> {
    let path = format!("{}/../samples/{name}", env!("CARGO_MANIFEST_DIR"));
    let b = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(
        &b[..4],
        &0xa1b2_c3d4u32.to_ne_bytes(),
        "{name}: host-order pcap"
    );
    let mut out = Vec::new();
    let mut at = 24;
    while at + 16 <= b.len() {
        let incl = u32::from_ne_bytes(b[at + 8..at + 12].try_into().unwrap()) as usize;
        let data = &b[at + 16..at + 16 + incl];
        assert_eq!(u16::from_be_bytes([data[0], data[1]]), PACKET_OUTGOING);
        let nl = &data[NLMON_HDRLEN..];
        let first = Messages::new(nl).next().unwrap().unwrap().header;
        let request = first.nlmsg_flags.get() & NLM_F_REQUEST != 0;
        out.push((request, nl.to_vec()));
        at += 16 + incl;
    }
    assert_eq!(at, b.len(), "{name}: whole file read");
    out
}

/// One recorded exchange: the request, then the reply datagrams.
struct Exchange {
    request: Vec<u8>,
    replies: Vec<Vec<u8>>,
}

fn exchanges(name: &str) -> Vec<Exchange> {
    let mut out: Vec<Exchange> = Vec::new();
    for (outgoing, data) in frames(name) {
        if outgoing {
            out.push(Exchange {
                request: data,
                replies: Vec::new(),
            });
        } else {
            out.last_mut()
                .expect("a reply before any request")
                .replies
                .push(data);
        }
    }
    out
}

/// (seq, flags) of a request and the port id its replies were sent to.
fn numbers(x: &Exchange) -> (u32, u16, u32) {
    let req = Messages::new(&x.request).next().unwrap().unwrap().header;
    let reply = Messages::new(&x.replies[0]).next().unwrap().unwrap().header;
    (
        req.nlmsg_seq.get(),
        req.nlmsg_flags.get(),
        reply.nlmsg_pid.get(),
    )
}

/// Feed every reply of `x`; the exchange must end exactly at the last one.
fn replay(x: &Exchange) -> (Result<DumpSummary, Error>, usize) {
    let (seq, flags, port) = numbers(x);
    let mut state = DumpState::new(seq, port, flags & nlwire::netlink::NLM_F_ACK != 0);
    let mut handed = 0;
    let mut each = |m: nlwire::netlink::RawMessage<'_>| {
        assert_eq!(m.header.nlmsg_seq.get(), seq);
        handed += 1;
        ControlFlow::Continue(())
    };
    for (i, d) in x.replies.iter().enumerate() {
        match state.feed(d, &mut each) {
            Ok(None) => assert!(i + 1 < x.replies.len(), "not ended after the last reply"),
            r => {
                assert_eq!(i + 1, x.replies.len(), "ended before the last reply");
                assert!(state.is_ended());
                return (r.map(Option::unwrap), handed);
            }
        }
    }
    unreachable!()
}

#[test]
fn recorded_dumps_end_at_nlmsg_done_with_every_message() {
    for name in ["tcp_info.pcap", "unix.pcap", "bytecode.pcap"] {
        let xs = exchanges(name);
        assert!(!xs.is_empty());
        for x in &xs {
            let (r, handed) = replay(x);
            let sum = r.unwrap_or_else(|e| panic!("{name}: {e}"));
            let data: usize = x
                .replies
                .iter()
                .flat_map(|d| Messages::new(d))
                .map(Result::unwrap)
                .filter(|m| !matches!(m.header.standard_type(), NlMsgType::Done))
                .count();
            assert_eq!(sum.messages, data, "{name}");
            assert_eq!(handed, data, "{name}");
            assert_eq!(sum.datagrams, x.replies.len(), "{name}");
            assert_eq!((sum.skipped, sum.stopped, sum.acked), (0, false, false));
        }
    }
}

#[test]
fn recorded_errors_become_kernel_errors_with_the_ext_ack_message() {
    let xs = exchanges("ext_ack.pcap");
    assert_eq!(xs.len(), 3);
    let mut in_done = Vec::new();
    for x in &xs {
        match replay(x).0 {
            Err(Error::Kernel(k)) => {
                assert!(k.errno > 0);
                in_done.push(k.in_done);
            }
            other => panic!("{other:?}"),
        }
    }
    // The RTM_GETLINK dump fails in NLMSG_DONE, the other two in NLMSG_ERROR.
    assert_eq!(in_done, [true, false, false]);
}

const SEQ: u32 = 9;
const PORT: u32 = 77;

fn datagram(msgs: &[(u16, u16, u32, u32, &[u8])]) -> Vec<u8> {
    let mut b = Builder::new_vec();
    for &(t, f, seq, pid, body) in msgs {
        b.message(t, f, seq, pid, |b| b.put_bytes(body)).unwrap();
    }
    b.into_vec()
}

const DONE: u16 = 3;
const ERROR: u16 = 2;
const OVERRUN: u16 = 4;
const ZERO: &[u8] = &[0; 4];

fn go_on(_: nlwire::netlink::RawMessage<'_>) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

#[test]
fn other_sequence_numbers_are_skipped_across_datagrams() {
    let mut s = DumpState::new(SEQ, PORT, false);
    let d1 = datagram(&[
        (20, NLM_F_MULTI, SEQ + 1, PORT, ZERO),
        (20, NLM_F_MULTI, SEQ, PORT, ZERO),
    ]);
    assert!(s.feed(&d1, &mut go_on).unwrap().is_none());
    let d2 = datagram(&[(DONE, NLM_F_MULTI, SEQ, PORT, ZERO)]);
    let sum = s.feed(&d2, &mut go_on).unwrap().unwrap();
    assert_eq!((sum.messages, sum.skipped, sum.datagrams), (1, 1, 2));
    // Fed after the end: refused, not restarted.
    assert!(matches!(s.feed(&d2, &mut go_on), Err(Error::BadRequest(_))));
}

#[test]
fn wrong_port_overrun_and_truncation_are_errors() {
    let d = datagram(&[(20, NLM_F_MULTI, SEQ, PORT + 1, ZERO)]);
    let r = DumpState::new(SEQ, PORT, false).feed(&d, &mut go_on);
    assert!(matches!(r, Err(Error::WrongPort { got, .. }) if got == PORT + 1));
    let d = datagram(&[(OVERRUN, 0, SEQ, PORT, ZERO)]);
    let r = DumpState::new(SEQ, PORT, false).feed(&d, &mut go_on);
    assert!(matches!(r, Err(Error::NoBufs)));
    let mut d = datagram(&[(20, NLM_F_MULTI, SEQ, PORT, ZERO)]);
    d.truncate(d.len() - 1);
    let r = DumpState::new(SEQ, PORT, false).feed(&d, &mut go_on);
    assert!(matches!(r, Err(Error::Decode(_))));
}

#[test]
fn dump_intr_is_reported_after_the_whole_dump() {
    let mut s = DumpState::new(SEQ, PORT, false);
    let mut n = 0;
    let d = datagram(&[
        (20, NLM_F_MULTI | NLM_F_DUMP_INTR, SEQ, PORT, ZERO),
        (20, NLM_F_MULTI, SEQ, PORT, ZERO),
        (DONE, NLM_F_MULTI, SEQ, PORT, ZERO),
    ]);
    let r = s.feed(&d, &mut |_| {
        n += 1;
        ControlFlow::Continue(())
    });
    assert!(matches!(r, Err(Error::DumpInterrupted { messages: 2 })));
    assert_eq!(n, 2);
}

#[test]
fn single_reply_ends_unless_an_ack_was_asked_for() {
    let reply = datagram(&[(20, 0, SEQ, PORT, ZERO)]);
    let sum = DumpState::new(SEQ, PORT, false)
        .feed(&reply, &mut go_on)
        .unwrap()
        .unwrap();
    assert_eq!(sum.messages, 1);

    let mut s = DumpState::new(SEQ, PORT, true);
    assert!(s.feed(&reply, &mut go_on).unwrap().is_none());
    // The ACK: error 0 and the echoed request header.
    let mut ack = 0i32.to_ne_bytes().to_vec();
    ack.extend_from_slice(&datagram(&[(20, NLM_F_REQUEST, SEQ, 0, &[])]));
    let sum = s
        .feed(&datagram(&[(ERROR, 0, SEQ, PORT, &ack)]), &mut go_on)
        .unwrap()
        .unwrap();
    assert!(sum.acked);
    assert_eq!((sum.messages, sum.datagrams), (1, 2));
}

#[test]
fn break_stops_the_exchange_at_once() {
    let d = datagram(&[
        (20, NLM_F_MULTI, SEQ, PORT, ZERO),
        (20, NLM_F_MULTI, SEQ, PORT, ZERO),
    ]);
    let mut s = DumpState::new(SEQ, PORT, false);
    let sum = s
        .feed(&d, &mut |_| ControlFlow::Break(()))
        .unwrap()
        .unwrap();
    assert!(sum.stopped);
    assert_eq!(sum.messages, 1);
    assert!(s.is_ended());
}
