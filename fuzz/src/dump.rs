//! The reply side of `nlwire_io::Socket::dump` (`nlwire_io::DumpState`) fed
//! recorded or made-up reply datagrams, checked against a reference model
//! of netlink(7)'s end-of-exchange rules written here.

use core::ops::ControlFlow;

use nlwire::netlink::{
    Messages, NlMsgDone, NlMsgErr, NlMsgType, RawMessage, NLM_F_DUMP_INTR, NLM_F_MULTI,
};
use nlwire::Mode;
use nlwire_io::{DumpState, DumpSummary, Error};

/// Split an input: byte 0 bit 0 says whether `NLM_F_ACK` was asked, byte 1
/// is the message number at which the callback returns `Break` (0: never);
/// the rest is datagrams, each a native-endian `u16` length then that many
/// bytes (the last one takes what is left). The request's sequence number
/// and port id are those of the first message (as a real reply carries).
pub struct DumpInput<'a> {
    /// `NLM_F_ACK` in the request.
    pub want_ack: bool,
    /// Break at this delivered message (1-based; 0: never).
    pub break_at: usize,
    /// The reply datagrams.
    pub datagrams: Vec<&'a [u8]>,
}

impl<'a> DumpInput<'a> {
    /// Split `data` (see the type's docs).
    pub fn parse(data: &'a [u8]) -> Option<Self> {
        let (&ctl, rest) = data.split_first()?;
        let (&brk, mut rest) = rest.split_first()?;
        let mut datagrams = Vec::new();
        while rest.len() >= 2 && datagrams.len() < 64 {
            let n = usize::from(u16::from_ne_bytes([rest[0], rest[1]]));
            let body = &rest[2..];
            let n = n.min(body.len());
            datagrams.push(&body[..n]);
            rest = &body[n..];
        }
        Some(DumpInput {
            want_ack: ctl & 1 != 0,
            break_at: usize::from(brk),
            datagrams,
        })
    }

    /// Write an input back (for seeds).
    pub fn to_bytes(want_ack: bool, break_at: u8, datagrams: &[&[u8]]) -> Vec<u8> {
        let mut out = vec![u8::from(want_ack), break_at];
        for d in datagrams {
            out.extend_from_slice(&(d.len() as u16).to_ne_bytes());
            out.extend_from_slice(d);
        }
        out
    }
}

/// How an exchange ended, in the terms both sides can give.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Not ended after the last datagram.
    Open,
    /// Ended well.
    Done(DumpSummary),
    /// `Error::Kernel` with this errno and whether it came in `NLMSG_DONE`.
    Kernel(i32, bool, Option<String>),
    /// Another error: its kind.
    Other(&'static str),
}

fn kind(e: &Error) -> &'static str {
    match e {
        Error::NoBufs => "NoBufs",
        Error::DumpInterrupted { .. } => "DumpInterrupted",
        Error::WrongPort { .. } => "WrongPort",
        Error::Decode(_) => "Decode",
        Error::BadRequest(_) => "BadRequest",
        _ => "other",
    }
}

/// The reference model: one pass over every message of every datagram.
fn model(inp: &DumpInput<'_>, seq: u32, port: u32) -> (Outcome, Vec<usize>) {
    let mut sum = DumpSummary::default();
    sum.seq = seq;
    let mut intr = false;
    let mut delivered = Vec::new();
    let fin = |sum: &DumpSummary, intr: bool| {
        if intr {
            Outcome::Other("DumpInterrupted")
        } else {
            Outcome::Done(sum.clone())
        }
    };
    for (i, d) in inp.datagrams.iter().enumerate() {
        sum.datagrams = i + 1;
        for m in Messages::new(d) {
            let Ok(m) = m else {
                return (Outcome::Other("Decode"), delivered);
            };
            let h = m.header;
            if h.nlmsg_seq.get() != seq {
                sum.skipped += 1;
                continue;
            }
            if h.nlmsg_pid.get() != port {
                return (Outcome::Other("WrongPort"), delivered);
            }
            let flags = h.nlmsg_flags.get();
            if flags & NLM_F_DUMP_INTR != 0 {
                intr = true;
            }
            match h.nlmsg_type.get() {
                1 => {}
                2 => {
                    let Ok(e) = NlMsgErr::parse(m.payload, flags, Mode::Lenient) else {
                        return (Outcome::Other("Decode"), delivered);
                    };
                    let msg = ext_msg(e.ext_ack());
                    if e.error != 0 {
                        return (
                            Outcome::Kernel(e.error.saturating_abs(), false, msg),
                            delivered,
                        );
                    }
                    sum.acked = true;
                    sum.warning = msg;
                    return (fin(&sum, intr), delivered);
                }
                3 => {
                    let Ok(dn) = NlMsgDone::parse(m.payload, flags, Mode::Lenient) else {
                        return (Outcome::Other("Decode"), delivered);
                    };
                    let msg = ext_msg(dn.ext_ack());
                    match dn.error {
                        Some(e) if e != 0 => {
                            return (Outcome::Kernel(e.saturating_abs(), true, msg), delivered)
                        }
                        _ => sum.warning = msg,
                    }
                    return (fin(&sum, intr), delivered);
                }
                4 => return (Outcome::Other("NoBufs"), delivered),
                _ => {
                    sum.messages += 1;
                    delivered.push(m.bytes.len());
                    if sum.messages == inp.break_at {
                        sum.stopped = true;
                        return (Outcome::Done(sum), delivered);
                    }
                    if flags & NLM_F_MULTI == 0 && !inp.want_ack {
                        return (fin(&sum, intr), delivered);
                    }
                }
            }
        }
    }
    (Outcome::Open, delivered)
}

fn ext_msg(a: nlwire::netlink::Attrs<'_, nlwire::netlink::ExtAckAttr<'_>>) -> Option<String> {
    let mut msg = None;
    for a in a.flatten() {
        if let nlwire::netlink::ExtAckAttr::Msg(s) = a {
            msg = Some(String::from_utf8_lossy(s.to_bytes()).into_owned());
        }
    }
    msg
}

/// Feed the datagrams to `DumpState` one by one; compare with the model.
pub fn target_dump(data: &[u8]) {
    let Some(inp) = DumpInput::parse(data) else {
        return;
    };
    let first = inp.datagrams.first().and_then(|d| d.get(..16));
    let (seq, port) = match first {
        Some(h) => (
            u32::from_ne_bytes([h[8], h[9], h[10], h[11]]),
            u32::from_ne_bytes([h[12], h[13], h[14], h[15]]),
        ),
        None => (1, 1),
    };
    let mut state = DumpState::new(seq, port, inp.want_ack);
    let mut delivered = Vec::new();
    let mut each = |m: RawMessage<'_>| {
        assert_eq!(m.header.nlmsg_seq.get(), seq, "another exchange's message");
        assert_eq!(m.header.nlmsg_pid.get(), port, "another port's message");
        let t = m.header.standard_type();
        assert!(
            !matches!(
                t,
                NlMsgType::Noop | NlMsgType::Error | NlMsgType::Done | NlMsgType::Overrun
            ),
            "control message handed to the callback"
        );
        delivered.push(m.bytes.len());
        if delivered.len() == inp.break_at {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let mut got = Outcome::Open;
    let mut fed = 0;
    for d in &inp.datagrams {
        fed += 1;
        let r = state.feed(d, &mut each);
        assert_eq!(state.summary().datagrams, fed);
        match r {
            Ok(None) => assert!(!state.is_ended()),
            Ok(Some(sum)) => {
                got = Outcome::Done(sum);
                break;
            }
            Err(Error::Kernel(k)) => {
                got = Outcome::Kernel(k.errno, k.in_done, k.message);
                break;
            }
            Err(e) => {
                got = Outcome::Other(kind(&e));
                break;
            }
        }
    }
    if !matches!(got, Outcome::Open) {
        assert!(state.is_ended());
        // An ended exchange takes no more datagrams.
        let again = state.feed(&[], &mut |_| ControlFlow::Continue(()));
        assert!(matches!(again, Err(Error::BadRequest(_))));
    }
    let (want, want_delivered) = model(&inp, seq, port);
    assert_eq!(got, want, "DumpState and the model disagree");
    assert_eq!(delivered, want_delivered);
}

/// Seeds made with the codec's `Builder`: every way an exchange ends.
pub fn dump_seeds() -> Vec<(&'static str, Vec<u8>)> {
    use nlwire::netlink::{Builder, NLM_F_ACK_TLVS, NLM_F_REQUEST};
    const SEQ: u32 = 5;
    const PORT: u32 = 4242;
    let msg = |t: u16, f: u16, seq: u32, pid: u32, body: &[u8]| {
        let mut b = Builder::new_vec();
        b.message(t, f, seq, pid, |b| b.put_bytes(body))
            .expect("seed");
        b.into_vec()
    };
    let data = |f: u16| msg(20, f, SEQ, PORT, &[0u8; 8]);
    let done = msg(3, NLM_F_MULTI, SEQ, PORT, &0i32.to_ne_bytes());
    let cat = |parts: &[&[u8]]| parts.concat();
    let request = msg(20, NLM_F_REQUEST, SEQ, 0, &[0u8; 4]);
    let mut ack_body = 0i32.to_ne_bytes().to_vec();
    ack_body.extend_from_slice(&request[..16]);
    let ack = msg(2, 0, SEQ, PORT, &ack_body);
    let mut err_body = (-22i32).to_ne_bytes().to_vec();
    err_body.extend_from_slice(&request[..16]);
    // NLMSGERR_ATTR_MSG "bad" (nla_len 8).
    err_body.extend_from_slice(&8u16.to_ne_bytes());
    err_body.extend_from_slice(&1u16.to_ne_bytes());
    err_body.extend_from_slice(b"bad\0");
    let err = msg(2, 0x100 | NLM_F_ACK_TLVS, SEQ, PORT, &err_body);
    let mut done_err = (-95i32).to_ne_bytes().to_vec();
    done_err.extend_from_slice(&8u16.to_ne_bytes());
    done_err.extend_from_slice(&1u16.to_ne_bytes());
    done_err.extend_from_slice(b"why\0");
    let done_err = msg(3, NLM_F_MULTI | NLM_F_ACK_TLVS, SEQ, PORT, &done_err);
    let multi = data(NLM_F_MULTI);
    let other_seq = msg(20, NLM_F_MULTI, SEQ + 1, PORT, &[0u8; 8]);
    vec![
        (
            "multi-two-datagrams",
            DumpInput::to_bytes(false, 0, &[&cat(&[&multi, &multi]), &cat(&[&multi, &done])]),
        ),
        (
            "skip-other-seq",
            DumpInput::to_bytes(false, 0, &[&multi, &cat(&[&other_seq, &done])]),
        ),
        (
            "dump-intr",
            DumpInput::to_bytes(
                false,
                0,
                &[&cat(&[&data(NLM_F_MULTI | NLM_F_DUMP_INTR), &done])],
            ),
        ),
        ("single-reply", DumpInput::to_bytes(false, 0, &[&data(0)])),
        (
            "single-reply-then-ack",
            DumpInput::to_bytes(true, 0, &[&data(0), &ack]),
        ),
        ("error-ext-ack", DumpInput::to_bytes(false, 0, &[&err])),
        (
            "done-error-ext-ack",
            DumpInput::to_bytes(false, 0, &[&multi, &done_err]),
        ),
        (
            "break-at-2",
            DumpInput::to_bytes(false, 2, &[&cat(&[&multi, &multi, &multi, &done])]),
        ),
        (
            "noop-overrun",
            DumpInput::to_bytes(
                false,
                0,
                &[&cat(&[
                    &multi,
                    &msg(1, 0, SEQ, PORT, &[]),
                    &msg(4, 0, SEQ, PORT, &[]),
                ])],
            ),
        ),
        (
            "wrong-port",
            DumpInput::to_bytes(
                false,
                0,
                &[&multi, &msg(20, NLM_F_MULTI, SEQ, PORT + 1, &[])],
            ),
        ),
    ]
}

/// The exchanges of a recorded capture (`nlmon` frames, payload after the
/// 16-byte header) as inputs: each request's replies, in order.
pub fn dump_inputs_from_frames(frames: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut replies: Vec<&[u8]> = Vec::new();
    let mut want_ack = false;
    let mut flush = |replies: &mut Vec<&[u8]>, want_ack: bool| {
        if !replies.is_empty() {
            out.push(DumpInput::to_bytes(want_ack, 0, replies));
            replies.clear();
        }
    };
    for nl in frames {
        let Some(Ok(first)) = Messages::new(nl).next() else {
            continue;
        };
        let flags = first.header.nlmsg_flags.get();
        if first.header.is_request() {
            flush(&mut replies, want_ack);
            want_ack = flags & nlwire::netlink::NLM_F_ACK != 0;
        } else {
            replies.push(nl);
        }
    }
    flush(&mut replies, want_ack);
    out
}
