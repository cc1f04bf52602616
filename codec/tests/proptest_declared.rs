//! Generic round-trip properties for declared types, driven by the
//! declarations' metadata (`nlwire::strategy`).

use nlwire::netlink::{AttributeSet, Attrs, Builder, ExtAckAttr, NlMsgHdr, PolicyAttr};
use nlwire::strategy::{attributes, wire_struct};
use nlwire::wire::WireStruct;
use nlwire::Mode;
use proptest::prelude::*;

/// parse(b) then emit gives back b, for canonical attribute streams of `A`.
fn set_roundtrip<'a, A: AttributeSet<'a>>(bytes: &'a [u8]) -> Result<(), TestCaseError> {
    let attrs: Vec<A> = Attrs::<A>::with(bytes, 0, Mode::Lenient)
        .collect::<Result<_, _>>()
        .map_err(|e| TestCaseError::fail(format!("{e}")))?;
    let mut b = Builder::new_vec();
    for a in &attrs {
        b.attr_set(a)
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
    }
    prop_assert_eq!(b.into_vec(), bytes);
    Ok(())
}

proptest! {
    #[test]
    fn nlmsghdr_roundtrip(h in wire_struct::<NlMsgHdr>()) {
        let mut buf = [0xa5u8; 16];
        prop_assert_eq!(h.emit(&mut buf).unwrap(), 16);
        prop_assert_eq!(NlMsgHdr::parse(&buf).unwrap().0, &h);
    }

    #[test]
    fn ext_ack_attrs_roundtrip(bytes in attributes::<ExtAckAttr<'static>>(8)) {
        set_roundtrip::<ExtAckAttr>(&bytes)?;
    }

    #[test]
    fn policy_attrs_roundtrip(bytes in attributes::<PolicyAttr<'static>>(8)) {
        set_roundtrip::<PolicyAttr>(&bytes)?;
    }
}
