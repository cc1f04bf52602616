//! Message streams (the `messages` and `messages_strict` targets): the
//! walk against `NLMSG_OK`, every body decoded, strictly valid buffers
//! re-emitted byte for byte.

#[allow(unused_imports)]
use super::*;

/// Decode one message's body in `mode` and walk it.
pub(crate) fn decode_body(m: &RawMessage<'_>, mode: Mode, limit: usize) {
    let mut v = CheckVisitor::new(limit);
    v.begin("nlmsghdr");
    m.header.walk(&mut v);
    v.end();
    v.finish();
    let flags = m.header.nlmsg_flags.get();
    let base = m.payload_offset();
    match m.header.standard_type() {
        NlMsgType::Error => {
            if let Ok(e) = NlMsgErr::parse(m.payload, flags, mode) {
                check_nlmsgerr(m.payload, flags, &e);
                let mut v = CheckVisitor::new(m.payload.len());
                e.walk(&mut v);
                v.finish();
            }
        }
        NlMsgType::Done => {
            if let Ok(d) = NlMsgDone::parse(m.payload, flags, mode) {
                check_nlmsgdone(m.payload, flags, &d);
                let mut v = CheckVisitor::new(m.payload.len());
                d.walk(&mut v);
                v.finish();
            }
        }
        _ => {
            // Family messages: as a message of every registered family,
            // then as attributes right after the header, or after a 4-byte
            // family header (rtgenmsg, genlmsghdr).
            every_family_check(m, limit);
            let mut v = CheckVisitor::new(limit);
            walk_attrs(Attrs::<FuzzAttr>::with(m.payload, base, mode), &mut v);
            v.finish();
            if let Some(rest) = m.payload.get(4..) {
                let mut v = CheckVisitor::new(limit);
                walk_attrs(Attrs::<FuzzAttr>::with(rest, base + 4, mode), &mut v);
                v.finish();
            }
        }
    }
}

/// A strictly valid attribute stream that the builder writes back byte for
/// byte: the only non-canonical form strict mode accepts is an unpadded
/// last attribute, which the builder always pads.
pub(crate) fn canonical_stream(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && bytes.len() % 4 == 0
        && RawAttrs::with(bytes, 0, Mode::Strict).all(|a| a.is_ok())
}

pub(crate) fn reemit_attrs(
    b: &mut Builder<Vec<u8>>,
    bytes: &[u8],
    depth: usize,
    ext_ack: bool,
) -> nlwire::Result<()> {
    for a in RawAttrs::with(bytes, 0, Mode::Strict) {
        let a = a?;
        let typ = a.kind | a.flags;
        if ext_ack {
            if let Ok(t) = ExtAckAttr::from_raw(a, Mode::Strict) {
                if t.nla_flags() == a.flags {
                    b.attr_set(&t)?;
                    continue;
                }
            }
        } else if let Ok(t) = FuzzAttr::from_raw(a, Mode::Strict) {
            if t.nla_flags() == a.flags && !matches!(t, FuzzAttr::Nest(_)) {
                b.attr_set(&t)?;
                continue;
            }
        }
        if depth < MAX_NEST_DEPTH && canonical_stream(a.payload) {
            b.nested(typ & !NLA_F_NESTED, a.is_nested(), |b| {
                reemit_attrs(b, a.payload, depth + 1, false)
            })?;
        } else {
            b.attr_raw(typ, a.payload)?;
        }
    }
    Ok(())
}

pub(crate) fn reemit_body(b: &mut Builder<Vec<u8>>, m: &RawMessage<'_>) -> nlwire::Result<()> {
    let flags = m.header.nlmsg_flags.get();
    if m.header.standard_type() == NlMsgType::Error {
        if let Ok(e) = NlMsgErr::parse(m.payload, flags, Mode::Strict) {
            if e.ext_ack.is_empty() || canonical_stream(e.ext_ack) {
                return e.emit(b);
            }
            b.put_bytes(&e.error.to_ne_bytes())?;
            b.put_struct(e.request)?;
            b.put_bytes(e.request_payload)?;
            let after = 20 + e.request_payload.len();
            if canonical_stream(e.ext_ack) {
                return reemit_attrs(b, e.ext_ack, 0, true);
            }
            return b.put_bytes(&m.payload[after..]);
        }
    }
    if m.header.standard_type() == NlMsgType::Done {
        if let Ok(d) = NlMsgDone::parse(m.payload, flags, Mode::Strict) {
            if d.ext_ack.is_empty() || canonical_stream(d.ext_ack) {
                return d.emit(b);
            }
            if let Some(err) = d.error {
                b.put_bytes(&err.to_ne_bytes())?;
                if canonical_stream(d.ext_ack) {
                    return reemit_attrs(b, d.ext_ack, 0, true);
                }
                return b.put_bytes(&m.payload[4..]);
            }
            return Ok(());
        }
    }
    if canonical_stream(m.payload) {
        return reemit_attrs(b, m.payload, 0, false);
    }
    if m.payload.len() > 4 && canonical_stream(&m.payload[4..]) {
        b.put_bytes(&m.payload[..4])?;
        return reemit_attrs(b, &m.payload[4..], 0, false);
    }
    b.put_bytes(m.payload)
}

/// Parse `data` strictly; if the whole buffer is valid, write every message
/// back with the [`Builder`] (typed attributes through their declared
/// payload types) and return the bytes. `None` if strict parsing failed.
pub fn reemit(data: &[u8]) -> Option<Vec<u8>> {
    let msgs: Vec<_> = Messages::with_mode(data, Mode::Strict)
        .collect::<Result<_, _>>()
        .ok()?;
    let mut b = Builder::new_vec();
    for m in &msgs {
        let h = m.header;
        b.message(
            h.nlmsg_type.get(),
            h.nlmsg_flags.get(),
            h.nlmsg_seq.get(),
            h.nlmsg_pid.get(),
            |b| reemit_body(b, m),
        )
        .expect("re-emitting a valid message");
    }
    // Zero padding after an unpadded last message is kept as it was.
    let tail = &data[b.len().min(data.len())..];
    assert!(
        tail.len() < 4 && tail.iter().all(|&x| x == 0),
        "strict walk left {tail:?}"
    );
    b.put_bytes(tail).expect("padding");
    Some(b.into_vec())
}

/// A message stream in lenient mode: the walk matches `NLMSG_OK`, and every
/// message is decoded (ACK/error, DONE, or attributes) and walked.
pub fn target_messages(data: &[u8]) {
    for m in checked_messages(data, Mode::Lenient) {
        decode_body(&m, Mode::Lenient, data.len());
    }
}

/// A message stream in strict mode: the walk matches the reference, bodies
/// decode strictly, and a buffer that is valid throughout is written back
/// byte for byte by the builder.
pub fn target_messages_strict(data: &[u8]) {
    let strict = checked_messages(data, Mode::Strict);
    let lenient = checked_messages(data, Mode::Lenient);
    assert!(strict.len() <= lenient.len());
    for (s, l) in strict.iter().zip(lenient.iter()) {
        assert_eq!(s, l, "strict and lenient read a message differently");
    }
    for m in &strict {
        decode_body(m, Mode::Strict, data.len());
    }
    if let Some(out) = reemit(data) {
        assert_eq!(out, data, "strict parse → emit changed the bytes");
    }
}
