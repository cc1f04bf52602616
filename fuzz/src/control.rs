//! Control messages: `NLMSG_ERROR` and `NLMSG_DONE` checked against their
//! payload (the `nlmsgerr` target).

#[allow(unused_imports)]
use super::*;

/// Check a parsed `NLMSG_ERROR` against its payload.
pub(crate) fn check_nlmsgerr(payload: &[u8], flags: u16, e: &NlMsgErr<'_>) {
    assert!(payload.len() >= 20);
    assert_eq!(e.error, read_u32_ne(payload) as i32);
    assert_eq!(offset_in(payload, e.request.as_bytes()), Some(4));
    assert_eq!(e.capped, flags & NLM_F_CAPPED != 0);
    let echo_at = offset_in(payload, e.request_payload).expect("echo inside the payload");
    if !e.request_payload.is_empty() {
        assert_eq!(echo_at, 20);
    }
    if e.capped {
        assert!(
            e.request_payload.is_empty(),
            "capped ACK with an echoed payload"
        );
    }
    assert!(e.request_payload.len() <= (e.request.nlmsg_len.get() as usize).saturating_sub(16));
    if flags & NLM_F_ACK_TLVS == 0 {
        assert!(e.ext_ack.is_empty(), "ext ACK without NLM_F_ACK_TLVS");
    } else if !e.ext_ack.is_empty() {
        let at = offset_in(payload, e.ext_ack).expect("ext ACK inside the payload");
        assert_eq!(at % 4, 0, "ext ACK not aligned");
        assert!(at >= 20 + e.request_payload.len());
        assert_eq!(
            at + e.ext_ack.len(),
            payload.len(),
            "ext ACK does not run to the end"
        );
    }
    let _ = e.is_ack();
    let m = e.message();
    if let Some(m) = m {
        assert!(!m.contains(&0));
    }
}

/// Check a parsed `NLMSG_DONE` against its payload.
pub(crate) fn check_nlmsgdone(payload: &[u8], flags: u16, d: &NlMsgDone<'_>) {
    match d.error {
        None => assert!(payload.is_empty()),
        Some(e) => assert_eq!(e, read_u32_ne(payload) as i32),
    }
    if flags & NLM_F_ACK_TLVS == 0 {
        assert!(d.ext_ack.is_empty());
    } else if !d.ext_ack.is_empty() {
        assert_eq!(offset_in(payload, d.ext_ack), Some(4));
    }
}

/// Decode both `NLMSG_ERROR` and `NLMSG_DONE` readings of `payload` in both
/// modes, check them, and walk them.
pub fn error_and_done(payload: &[u8], flags: u16, limit: usize) {
    let strict = NlMsgErr::parse(payload, flags, Mode::Strict);
    let lenient = NlMsgErr::parse(payload, flags, Mode::Lenient);
    match (&strict, &lenient) {
        (Ok(s), Ok(l)) => {
            assert_eq!(
                (s.error, s.request, s.request_payload, s.capped, s.ext_ack),
                (l.error, l.request, l.request_payload, l.capped, l.ext_ack)
            );
        }
        (Ok(s), Err(e)) => panic!("strict nlmsgerr {s:?} but lenient {e:?}"),
        _ => {}
    }
    for r in [&strict, &lenient] {
        match r {
            Ok(e) => {
                check_nlmsgerr(payload, flags, e);
                for a in e.ext_ack() {
                    match a {
                        Ok(ExtAckAttr::Policy(p)) => {
                            for x in p.iter() {
                                if let Err(err) = x {
                                    check_error(&err, limit);
                                }
                            }
                        }
                        Ok(_) => {}
                        Err(err) => check_error(&err, limit),
                    }
                }
                let mut v = CheckVisitor::new(limit);
                e.walk(&mut v);
                v.finish();
            }
            Err(err) => check_error(err, limit),
        }
    }
    if lenient.is_err() {
        assert!(
            payload.len() < NlMsgErrHdr::SIZE || flags & NLM_F_ACK_TLVS != 0,
            "lenient nlmsgerr refused {} bytes: {lenient:?}",
            payload.len()
        );
    }

    let strict = NlMsgDone::parse(payload, flags, Mode::Strict);
    let lenient = NlMsgDone::parse(payload, flags, Mode::Lenient);
    if let (Ok(s), Err(e)) = (&strict, &lenient) {
        panic!("strict NLMSG_DONE {s:?} but lenient {e:?}");
    }
    if let (Ok(s), Ok(l)) = (&strict, &lenient) {
        assert_eq!((s.error, s.ext_ack), (l.error, l.ext_ack));
    }
    for r in [&strict, &lenient] {
        match r {
            Ok(d) => {
                check_nlmsgdone(payload, flags, d);
                for a in d.ext_ack() {
                    if let Err(err) = a {
                        check_error(&err, limit);
                    }
                }
                let mut v = CheckVisitor::new(limit);
                d.walk(&mut v);
                v.finish();
            }
            Err(err) => check_error(err, limit),
        }
    }
    if lenient.is_err() {
        assert!(
            payload.len() < 4,
            "lenient NLMSG_DONE refused {} bytes",
            payload.len()
        );
    }
}

/// An `NLMSG_ERROR`/`NLMSG_DONE` payload: the first two bytes are
/// `nlmsg_flags` (so `NLM_F_CAPPED` and `NLM_F_ACK_TLVS` vary), the rest is
/// the payload. Both readings, both modes, checked and walked.
pub fn target_nlmsgerr(data: &[u8]) {
    if data.len() < 2 {
        return;
    }
    let flags = u16::from_le_bytes([data[0], data[1]]);
    let payload = &data[2..];
    error_and_done(payload, flags, payload.len());
}
