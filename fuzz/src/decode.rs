//! The generic decoder (the `decode` target).

#[allow(unused_imports)]
use super::*;

/// The generic decoder: byte 0 picks the netlink family (route, sock_diag,
/// generic, or raw), the rest is a message buffer. Every message is decoded
/// in both modes and walked; the buffer's byte order is detected, and a
/// copy converted from the other order is decoded too.
pub fn target_decode(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let family = match sel & 3 {
        0 => 0u16,
        1 => 4,
        2 => 16,
        _ => u16::from(sel >> 2),
    };
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
        if family == 4 {
            sock_diag_check(m.bytes);
        }
    }
}
