//! The `attrs` target: attribute streams, raw and typed.

#[allow(unused_imports)]
use super::*;

/// Walk a typed stream, checking that strict success implies lenient
/// success with the same values.
pub(crate) fn typed_stream<'a, A: AttributeSet<'a> + core::fmt::Debug>(
    buf: &'a [u8],
    base: usize,
    limit: usize,
) {
    let lenient: Vec<_> = Attrs::<A>::with(buf, base, Mode::Lenient).collect();
    let strict: Vec<_> = Attrs::<A>::with(buf, base, Mode::Strict).collect();
    for (s, l) in strict.iter().zip(lenient.iter()) {
        match (s, l) {
            (Ok(s), Ok(l)) => {
                assert_eq!(s.kind(), l.kind());
                assert_eq!(s.name(), l.name());
                assert_eq!(s.payload_len(), l.payload_len());
                assert_eq!(
                    s.nla_flags() & !NLA_TYPE_MASK,
                    s.nla_flags(),
                    "nla_flags() has kind bits"
                );
                // The typed payload writes back what it was parsed from
                // (fixed-size payloads: the bytes they were read from).
                let mut a = vec![0xa5u8; s.payload_len()];
                let mut b = vec![0x5au8; l.payload_len()];
                s.write_payload(&mut a);
                l.write_payload(&mut b);
                assert_eq!(a, b);
                assert!(A::kind_name(s.kind()).is_some() || s.name() == "UNKNOWN");
            }
            (Ok(s), Err(e)) => panic!("strict accepted {s:?} but lenient refused it: {e:?}"),
            (Err(e), _) => check_error(e, limit),
        }
    }
    for e in lenient.iter().filter_map(|r| r.as_ref().err()) {
        check_error(e, limit);
    }
    assert!(strict.len() <= lenient.len() + 1);
    for mode in [Mode::Lenient, Mode::Strict] {
        let mut v = CheckVisitor::new(limit);
        walk_attrs(Attrs::<A>::with(buf, base, mode), &mut v);
        v.finish();
    }
}

/// An attribute stream: the raw walk matches `nla_ok` in both modes, the
/// generic nested walk stops at `MAX_NEST_DEPTH`, typed walks (a set using
/// every payload type, the extended-ACK and policy sets) are balanced, and
/// foreign-order swapping never panics.
pub fn target_attrs(data: &[u8]) {
    let lenient = checked_attrs(data, 0, Mode::Lenient, data.len());
    let strict = checked_attrs(data, 0, Mode::Strict, data.len());
    assert!(strict.len() <= lenient.len());
    assert_eq!(&lenient[..strict.len()], &strict[..]);

    let mut v = CheckVisitor::new(data.len());
    walk_raw(data, 0, Mode::Lenient, &mut v);
    v.finish();

    typed_stream::<FuzzAttr>(data, 0, data.len());
    typed_stream::<ExtAckAttr>(data, 0, data.len());
    typed_stream::<PolicyAttr>(data, 0, data.len());

    // Foreign byte order: swap in place, then walk what came out.
    let mut swapped = data.to_vec();
    nlwire::netlink::swap_attr_stream::<FuzzAttr>(&mut swapped, 0);
    assert_eq!(swapped.len(), data.len());
    let mut v = CheckVisitor::new(data.len());
    walk_attrs(Attrs::<FuzzAttr>::new(&swapped), &mut v);
    v.finish();
    let mut hdr = data.to_vec();
    NlMsgHdr::swap_order(&mut hdr);
    NlMsgErrHdr::swap_order(&mut hdr);
}
