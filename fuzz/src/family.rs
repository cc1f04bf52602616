//! Any message of any registered family, through its registry entry
//! ([`Registry::DEFAULT`]; nothing here names a family): decoded in both
//! modes (`check`, `walk`), re-emitted (`emit`), converted from the other
//! byte order (`swap`).

#[allow(unused_imports)]
use super::*;
use nlwire::registry::{FamilyEntry, MessageRow, Registry};

/// Whether `out` is `input` with only some `NLA_F_NESTED` bits changed:
/// strict decoding takes a `nested_optional` nest (nfnetlink's, which the
/// kernel parses with `nla_parse_nested_deprecated()`) with the flag set or
/// clear, and emit writes the declared bits. Every differing byte is the
/// flag's byte of a 4-aligned `nla_type` (attributes start 4-aligned),
/// differing in that bit alone; nothing else may differ.
fn only_nested_flags_changed(input: &[u8], out: &[u8]) -> bool {
    let flag = nlwire::netlink::NLA_F_NESTED.to_ne_bytes();
    let Some(at) = flag.iter().position(|&b| b != 0) else {
        return false;
    };
    // `nla_type` is bytes 2..4 of `struct nlattr`.
    let at = 2 + at;
    input.len() == out.len()
        && input != out
        && input
            .iter()
            .zip(out)
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .all(|(i, (a, b))| i % 4 == at && a ^ b == flag[at - 2])
}

/// The registered protocols (each protocol's fixed entry once, however
/// many sub-families it has), by protocol number: the generic targets pick
/// one with a selector byte (`selector % (families + 1)`; the last value
/// means "a protocol read from the selector's high bits", which may have
/// no entry).
pub fn families() -> Vec<&'static FamilyEntry> {
    let mut v: Vec<_> = Registry::DEFAULT.protocols().collect();
    v.sort_by_key(|e| e.protocol);
    v
}

/// The netlink protocol selector byte `sel` picks ([`families`]).
pub fn protocol_of(sel: u8) -> u16 {
    let fams = families();
    match fams.get(usize::from(sel) % (fams.len() + 1)) {
        Some(e) => e.protocol,
        None => u16::from(sel >> 2),
    }
}

/// The selector byte that picks `protocol` ([`protocol_of`]).
pub fn selector_of(protocol: u16) -> u8 {
    let fams = families();
    match fams.iter().position(|e| e.protocol == protocol) {
        Some(i) => i as u8,
        None => fams.len() as u8 | ((protocol as u8) << 2),
    }
}

/// The row of `entry`'s table that takes `m` (the first that matches).
pub fn row_of(entry: &FamilyEntry, m: &RawMessage<'_>) -> Option<&'static MessageRow> {
    let typ = m.header.nlmsg_type.get();
    let request = m.header.is_request();
    let sel = entry
        .selector
        .and_then(|(off, _)| m.payload.get(off).copied());
    entry.rows.iter().find(|r| (r.matches)(typ, request, sel))
}

/// `entry`'s walk of `m` in `mode`, recorded (`None` if it does not decode).
fn recorded(entry: &FamilyEntry, m: &RawMessage<'_>, mode: Mode) -> Option<Vec<String>> {
    let mut r = Recorder::default();
    (entry.walk)(m, mode, &mut r).ok()?;
    Some(r.lines)
}

/// `m` decoded in `mode` and written back whole by `entry.emit` (header
/// fields as received, `nlmsg_len` computed).
pub fn emit_with(entry: &FamilyEntry, m: &RawMessage<'_>, mode: Mode) -> nlwire::Result<Vec<u8>> {
    let mut out = vec![0u8; 2 * m.bytes.len() + 64];
    let mut b = Builder::new(&mut out[..]);
    let h = m.header;
    let mark = b.begin_message(
        h.nlmsg_type.get(),
        h.nlmsg_flags.get(),
        h.nlmsg_seq.get(),
        h.nlmsg_pid.get(),
    )?;
    (entry.emit)(m, mode, &mut b)?;
    b.end_message(mark)?;
    let n = b.len();
    out.truncate(n);
    Ok(out)
}

/// Check `m` as a message of `entry` (errors must lie within `limit`
/// bytes): both modes decode and walk balanced; strict success implies
/// lenient success with the same walk; a strictly valid message re-emits
/// (header and attributes re-encoded from their decoded form) to bytes
/// that decode strictly to the same walk and re-emit unchanged, and to
/// the very same bytes when the input was canonical (4-byte multiple);
/// converting the payload from the other byte order never panics and
/// what comes out walks balanced.
pub fn family_check(entry: &FamilyEntry, m: &RawMessage<'_>, limit: usize) {
    for mode in [Mode::Lenient, Mode::Strict] {
        match (entry.check)(m, mode) {
            Ok(()) => {
                let mut v = CheckVisitor::new(limit);
                (entry.walk)(m, mode, &mut v).expect("check passed, walk failed");
                v.finish();
            }
            Err(e) => check_error(&e, limit),
        }
    }
    if let Some(strict) = recorded(entry, m, Mode::Strict) {
        let lenient = recorded(entry, m, Mode::Lenient)
            .unwrap_or_else(|| panic!("{}: strict decoded, lenient refused", entry.name));
        assert_eq!(
            strict, lenient,
            "{}: strict and lenient walks differ",
            entry.name
        );
        let out = emit_with(entry, m, Mode::Strict)
            .unwrap_or_else(|e| panic!("{}: re-emit a strictly valid message: {e}", entry.name));
        let again: Vec<_> = Messages::with_mode(&out, Mode::Strict)
            .collect::<Result<_, _>>()
            .expect("re-emitted framing");
        assert_eq!(again.len(), 1);
        let walk2 = recorded(entry, &again[0], Mode::Strict).unwrap_or_else(|| {
            panic!(
                "{}: re-emitted message does not decode strictly",
                entry.name
            )
        });
        assert_eq!(
            strict, walk2,
            "{}: re-emitted message walks differently",
            entry.name
        );
        let out2 = emit_with(entry, &again[0], Mode::Strict).expect("re-emit again");
        assert_eq!(out2, out, "{}: re-emitting is not idempotent", entry.name);
        if m.bytes.len() % 4 == 0 && !only_nested_flags_changed(m.bytes, &out) {
            assert_eq!(
                out, m.bytes,
                "{}: strict parse -> emit changed a canonical message",
                entry.name
            );
        }
    }
    // Foreign byte order: the payload converted in place, then walked.
    let mut payload = m.payload.to_vec();
    (entry.swap)(
        m.header.nlmsg_type.get(),
        m.header.is_request(),
        &mut payload,
        &nlwire::netlink::Selectors::EMPTY,
    );
    assert_eq!(payload.len(), m.payload.len());
    let h = m.header;
    let mut b = Builder::new_vec();
    b.message(
        h.nlmsg_type.get(),
        h.nlmsg_flags.get(),
        h.nlmsg_seq.get(),
        h.nlmsg_pid.get(),
        |b| b.put_bytes(&payload),
    )
    .expect("swapped message");
    let bytes = b.into_vec();
    if let Some(Ok(sm)) = Messages::new(&bytes).next() {
        let mut v = CheckVisitor::new(bytes.len());
        let _ = (entry.walk)(&sm, Mode::Lenient, &mut v);
        v.finish();
    }
    let _ = (
        (entry.type_name)(h.nlmsg_type.get()),
        (entry.flag_reading)(h.nlmsg_type.get()),
    );
}

/// A family message of unknown protocol (the `messages` targets): checked
/// as a message of every registered family.
pub fn every_family_check(m: &RawMessage<'_>, limit: usize) {
    if m.header.nlmsg_type.get() < nlwire::netlink::NLMSG_MIN_TYPE {
        return;
    }
    for entry in Registry::DEFAULT.entries() {
        family_check(entry, m, limit);
    }
}

/// A whole decoded message (any body: control, family, raw) written back
/// with `nlwire::decode::emit_decoded`.
pub fn emit_decoded(d: &nlwire::decode::Decoded<'_>) -> nlwire::Result<Vec<u8>> {
    let mut out = vec![0u8; 2 * d.msg.bytes.len() + 64];
    let mut b = Builder::new(&mut out[..]);
    nlwire::decode::emit_decoded(d, &mut b)?;
    let n = b.len();
    out.truncate(n);
    Ok(out)
}
