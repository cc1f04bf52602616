//! The generic decoder (the `decode` target).

#[allow(unused_imports)]
use super::*;

/// The generic decoder: byte 0 picks the netlink family (one of the
/// registry's, or a raw protocol number: [`protocol_of`]), the rest is a
/// message buffer. Every message is decoded
/// in both modes and walked; the buffer's byte order is detected, and a
/// copy converted from the other order is decoded too.
pub fn target_decode(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let family = protocol_of(sel);
    decode_buffer(family, rest);
    let _ = nlwire::swap::detect_order(rest);
    let mut swapped = rest.to_vec();
    nlwire::swap::swap_message(family, &mut swapped);
    assert_eq!(swapped.len(), rest.len());
    decode_buffer(family, &swapped);
}

pub(crate) fn decode_buffer(family: u16, bytes: &[u8]) {
    for m in checked_messages(bytes, Mode::Lenient) {
        for mode in [Mode::Lenient, Mode::Strict] {
            let d = nlwire::decode::decode(family, m, mode);
            if let Err(e) = &d.body {
                check_error(e, bytes.len());
            }
            let _ = (d.is_request(), d.type_name(), d.flag_reading());
            let mut v = CheckVisitor::new(bytes.len());
            d.walk(&mut v);
            v.finish();
        }
        // A strictly valid message of any body re-emits whole; byte for
        // byte when canonical (a family's short-form bodies are
        // family_check's business).
        let d = nlwire::decode::decode(family, m, Mode::Strict);
        if d.body.is_ok() {
            let out = emit_decoded(&d).expect("re-emit a strictly valid message");
            let family_body = matches!(d.body, Ok(nlwire::decode::Body::Family(_)));
            if m.bytes.len() % 4 == 0 && !family_body {
                assert_eq!(out, m.bytes, "strict decode -> emit changed a message");
            }
        }
        if let Some(entry) = nlwire::registry::Registry::DEFAULT.find(family) {
            family_check(entry, &m, bytes.len());
        }
    }
}
