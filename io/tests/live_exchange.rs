//! The exchange logic of `Socket::dump` against a scripted "kernel": a
//! second `NETLINK_USERSOCK` socket that queues crafted replies for the
//! client before the client sends its request. Every ending, error and
//! check can be produced on demand this way.

use std::ops::ControlFlow;
use std::time::Duration;

use nlwire::netlink::{
    Builder, NlMsgErrHdr, NlMsgHdr, NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_DUMP,
    NLM_F_DUMP_INTR, NLM_F_MULTI, NLM_F_REQUEST,
};
use nlwire_io::{Error, KernelError, RecvFlags, Socket};

const USERSOCK: u16 = 2;
const SEQ: u32 = 42;
const DATA: u16 = 0x100;
const NOOP: u16 = 1;
const ERROR: u16 = 2;
const DONE: u16 = 3;
const OVERRUN: u16 = 4;

struct Pair {
    client: Socket,
    kernel: Socket,
    port: u32,
}

fn pair() -> Pair {
    let mut client = Socket::new(USERSOCK).unwrap();
    client
        .set_recv_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut kernel = Socket::new(USERSOCK).unwrap();
    let kport = kernel.bind_auto().unwrap();
    let port = client.bind_auto().unwrap();
    client.connect(kport, 0).unwrap();
    Pair {
        client,
        kernel,
        port,
    }
}

impl Pair {
    /// Queue one datagram of messages for the client.
    fn reply(&mut self, build: impl FnOnce(&mut Builder<Vec<u8>>, u32)) {
        let mut b = Builder::new_vec();
        build(&mut b, self.port);
        self.kernel.send_to(&b.into_vec(), self.port, 0).unwrap();
    }

    /// Run a dump of seq 42; collect the data messages' first payload byte.
    fn dump(&mut self) -> (nlwire_io::Result<nlwire_io::DumpSummary>, Vec<u8>) {
        self.request(NLM_F_REQUEST | NLM_F_DUMP)
    }

    /// Run a request of seq 42 with `flags`.
    fn request(&mut self, flags: u16) -> (nlwire_io::Result<nlwire_io::DumpSummary>, Vec<u8>) {
        let mut req = Builder::new_vec();
        req.message(DATA, flags, SEQ, 0, |b| b.put_bytes(&[0; 4]))
            .unwrap();
        let mut got = Vec::new();
        let r = self.client.dump(&req.into_vec(), |m| {
            got.push(m.payload.first().copied().unwrap_or(0xff));
            ControlFlow::Continue(())
        });
        (r, got)
    }
}

fn data(b: &mut Builder<Vec<u8>>, seq: u32, port: u32, flags: u16, tag: u8) {
    b.message(DATA, flags, seq, port, |b| b.put_bytes(&[tag, 0, 0, 0]))
        .unwrap();
}

fn done(b: &mut Builder<Vec<u8>>, port: u32, errno: i32, flags: u16, ext: &[(u16, &[u8])]) {
    b.message(DONE, NLM_F_MULTI | flags, SEQ, port, |b| {
        b.put_bytes(&(-errno).to_ne_bytes())?;
        for (k, v) in ext {
            b.attr_raw(*k, v)?;
        }
        Ok(())
    })
    .unwrap();
}

fn error(b: &mut Builder<Vec<u8>>, port: u32, errno: i32, flags: u16, ext: &[(u16, &[u8])]) {
    b.message(ERROR, flags, SEQ, port, |b| {
        let echo = NlMsgHdr::new(20, DATA, NLM_F_REQUEST, SEQ, port);
        b.put_struct(&NlMsgErrHdr {
            error: (-errno).into(),
            msg: echo,
        })?;
        for (k, v) in ext {
            b.attr_raw(*k, v)?;
        }
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_multipart_reply_in_several_datagrams_ends_at_done() {
    let mut p = pair();
    p.reply(|b, port| {
        data(b, SEQ, port, NLM_F_MULTI, 1);
        data(b, SEQ, port, NLM_F_MULTI, 2);
    });
    p.reply(|b, port| {
        b.message(NOOP, 0, SEQ, port, |_| Ok(())).unwrap();
        data(b, SEQ, port, NLM_F_MULTI, 3);
        done(b, port, 0, 0, &[]);
        // Anything after NLMSG_DONE in the datagram is not delivered.
        data(b, SEQ, port, NLM_F_MULTI, 4);
    });
    let (r, got) = p.dump();
    let sum = r.unwrap();
    assert_eq!(got, vec![1, 2, 3]);
    assert_eq!(
        (sum.seq, sum.messages, sum.datagrams, sum.skipped),
        (SEQ, 3, 2, 0)
    );
    assert!(!sum.acked && !sum.stopped && sum.warning.is_none());
    // The request reached the "kernel" with the caller's sequence number.
    let req = p.kernel.recv_full().unwrap();
    assert_eq!(u32::from_ne_bytes(req[8..12].try_into().unwrap()), SEQ);
}

#[test]
fn dump_intr_is_reported_after_the_whole_dump_was_delivered() {
    let mut p = pair();
    p.reply(|b, port| {
        data(b, SEQ, port, NLM_F_MULTI, 1);
        data(b, SEQ, port, NLM_F_MULTI | NLM_F_DUMP_INTR, 2);
        data(b, SEQ, port, NLM_F_MULTI, 3);
        done(b, port, 0, NLM_F_DUMP_INTR, &[]);
    });
    let (r, got) = p.dump();
    assert_eq!(got, vec![1, 2, 3]);
    assert!(
        matches!(r, Err(Error::DumpInterrupted { messages: 3 })),
        "{r:?}"
    );
}

#[test]
fn messages_of_other_sequence_numbers_are_skipped() {
    let mut p = pair();
    p.reply(|b, port| {
        data(b, SEQ - 1, port, NLM_F_MULTI, 9);
        b.message(DONE, NLM_F_MULTI, SEQ - 1, port, |b| b.put_bytes(&[0; 4]))
            .unwrap();
        data(b, 0, 0, 0, 8); // a notification: seq 0, pid 0
    });
    p.reply(|b, port| {
        data(b, SEQ, port, NLM_F_MULTI, 1);
        done(b, port, 0, 0, &[]);
    });
    let (r, got) = p.dump();
    let sum = r.unwrap();
    assert_eq!(got, vec![1]);
    assert_eq!(sum.skipped, 3);
}

#[test]
fn our_sequence_number_from_another_port_id_is_an_error() {
    let mut p = pair();
    let port = p.port;
    p.reply(|b, _| data(b, SEQ, port + 1, NLM_F_MULTI, 1));
    let (r, got) = p.dump();
    assert!(got.is_empty());
    match r {
        Err(Error::WrongPort { seq, expected, got }) => {
            assert_eq!((seq, expected, got), (SEQ, port, port + 1))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_failed_done_carries_errno_and_extended_ack() {
    let mut p = pair();
    p.reply(|b, port| {
        data(b, SEQ, port, NLM_F_MULTI, 1);
        done(
            b,
            port,
            1,
            NLM_F_ACK_TLVS,
            &[(1, b"dump refused\0"), (2, &24u32.to_ne_bytes())],
        );
    });
    let (r, got) = p.dump();
    assert_eq!(got, vec![1]);
    let Err(Error::Kernel(k)) = r else {
        panic!("{r:?}")
    };
    assert_eq!(
        k,
        KernelError {
            errno: 1,
            message: Some("dump refused".into()),
            offset: Some(24),
            in_done: true,
            ..KernelError::default()
        }
    );
    let text = Error::Kernel(k).to_string();
    assert!(text.starts_with("NLMSG_DONE: EPERM (1)"), "{text}");
    assert!(
        text.contains("dump refused") && text.contains("offset 24"),
        "{text}"
    );
}

#[test]
fn nlmsg_error_with_capped_echo_and_extended_ack() {
    let mut p = pair();
    p.reply(|b, port| {
        error(
            b,
            port,
            22,
            NLM_F_CAPPED | NLM_F_ACK_TLVS,
            &[(1, b"bad attribute\0"), (2, &20u32.to_ne_bytes())],
        );
    });
    let (r, got) = p.dump();
    assert!(got.is_empty());
    let Err(e) = r else { panic!() };
    assert_eq!(e.errno(), Some(22));
    let Error::Kernel(k) = e else { panic!() };
    assert_eq!(
        (k.message.as_deref(), k.offset, k.in_done),
        (Some("bad attribute"), Some(20), false)
    );
}

#[test]
fn an_asked_for_ack_ends_the_exchange_and_keeps_its_warning() {
    let mut p = pair();
    p.reply(|b, port| {
        data(b, SEQ, port, 0, 1);
        error(
            b,
            port,
            0,
            NLM_F_CAPPED | NLM_F_ACK_TLVS,
            &[(1, b"deprecated\0")],
        );
    });
    let (r, got) = p.request(NLM_F_REQUEST | NLM_F_ACK);
    let sum = r.unwrap();
    assert_eq!(got, vec![1]);
    assert!(sum.acked);
    assert_eq!(sum.warning.as_deref(), Some("deprecated"));
}

#[test]
fn a_single_reply_ends_a_request_that_asked_for_no_ack() {
    let mut p = pair();
    p.reply(|b, port| data(b, SEQ, port, 0, 1));
    p.reply(|b, port| data(b, SEQ, port, 0, 2));
    let (r, got) = p.request(NLM_F_REQUEST);
    let sum = r.unwrap();
    assert_eq!(
        (got, sum.messages, sum.datagrams, sum.acked),
        (vec![1], 1, 1, false)
    );
    // The second datagram is still queued.
    assert_eq!(p.client.recv_full().unwrap()[16], 2);
}

#[test]
fn nlmsg_overrun_is_reported_as_lost_messages() {
    let mut p = pair();
    p.reply(|b, port| b.message(OVERRUN, 0, SEQ, port, |_| Ok(())).unwrap());
    assert!(matches!(p.dump().0, Err(Error::NoBufs)));
}

#[test]
fn a_malformed_reply_is_a_decode_error() {
    let mut p = pair();
    let port = p.port;
    // nlmsg_len says 200 bytes, 20 arrive.
    let mut bad =
        zerocopy::IntoBytes::as_bytes(&NlMsgHdr::new(200, DATA, NLM_F_MULTI, SEQ, port)).to_vec();
    bad.extend_from_slice(&[0; 4]);
    p.kernel.send_to(&bad, port, 0).unwrap();
    let r = p.dump().0;
    assert!(
        matches!(r, Err(Error::Decode(ref e)) if e.what == "nlmsg_len"),
        "{r:?}"
    );
    // An NLMSG_ERROR too short for struct nlmsgerr.
    let mut p = pair();
    p.reply(|b, port| {
        b.message(ERROR, 0, SEQ, port, |b| b.put_bytes(&[0; 3]))
            .unwrap()
    });
    assert!(matches!(p.dump().0, Err(Error::Decode(_))));
}

#[test]
fn receive_buffer_overrun_is_enobufs_unless_no_enobufs() {
    let mut rx = Socket::new(USERSOCK).unwrap();
    rx.set_recv_timeout(Some(Duration::from_secs(5))).unwrap();
    rx.bind_auto().unwrap();
    rx.add_membership(7).unwrap();
    rx.set_recv_buffer_size(0).unwrap(); // the kernel's minimum
    let mut tx = Socket::new(USERSOCK).unwrap();
    let flood = |tx: &mut Socket| {
        for _ in 0..64 {
            // A send with groups also unicasts to nl_pid: to port 0, which
            // USERSOCK refuses (ECONNREFUSED) after the broadcast was done.
            let _ = tx.send_to(&[0u8; 2000], 0, 1 << 6);
        }
    };
    flood(&mut tx);
    let mut saw = false;
    for _ in 0..64 {
        match rx.recv_full() {
            Err(Error::NoBufs) => {
                saw = true;
                break;
            }
            Ok(_) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert!(saw, "an overrun must be reported as Error::NoBufs");
    // Drain, then the same flood with NETLINK_NO_ENOBUFS: no error.
    rx.set_non_blocking(true).unwrap();
    while rx.recv_full().is_ok() {}
    rx.set_no_enobufs(true).unwrap();
    flood(&mut tx);
    let mut got = 0;
    loop {
        match rx.recv_full() {
            Ok(_) => got += 1,
            Err(e) if e.is_would_block() => break,
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert!(
        got > 0 && got < 64,
        "some delivered, some dropped silently: {got}"
    );
    let mut buf = [0u8; 4];
    assert!(rx
        .recv(&mut buf, RecvFlags::empty())
        .unwrap_err()
        .is_would_block());
}
