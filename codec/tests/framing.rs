//! Framing unit tests on byte arrays.

use nlwire::netlink::*;
use nlwire::wire::WireStruct;
use nlwire::{ErrorKind, Mode};

/// The example request in the netlink-sys `Socket` documentation.
const NETLINK_SYS_EXAMPLE: [u8; 20] = [
    0x14, 0x00, 0x00, 0x00, 0x12, 0x00, 0x01, 0x03, 0xfd, 0xfe, 0x38, 0x5c, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
];

#[test]
fn netlink_sys_example_decodes() {
    let mut it = Messages::new(&NETLINK_SYS_EXAMPLE);
    let m = it.next().unwrap().unwrap();
    assert!(it.next().is_none());
    assert_eq!(m.header.nlmsg_len.get(), 20);
    assert_eq!(m.header.nlmsg_type.get(), 18); // RTM_GETLINK
    assert_eq!(m.header.nlmsg_flags.get(), NLM_F_REQUEST | NLM_F_DUMP);
    assert_eq!(m.header.nlmsg_seq.get(), 0x5c38_fefd);
    assert_eq!(m.header.nlmsg_pid.get(), 0);
    assert_eq!(m.payload, &[0, 0, 0, 0]);
}

#[test]
fn netlink_sys_example_reemits_byte_for_byte() {
    let m = Messages::new(&NETLINK_SYS_EXAMPLE).next().unwrap().unwrap();
    let mut buf = [0xa5u8; 20];
    let mut b = Builder::new(&mut buf[..]);
    let h = m.header;
    b.message(
        h.nlmsg_type.get(),
        h.nlmsg_flags.get(),
        h.nlmsg_seq.get(),
        h.nlmsg_pid.get(),
        |b| b.put_bytes(m.payload),
    )
    .unwrap();
    assert_eq!(b.len(), 20);
    assert_eq!(buf, NETLINK_SYS_EXAMPLE);
}

#[test]
fn header_metadata_matches_kernel() {
    assert_eq!(NlMsgHdr::SIZE, 16);
    assert_eq!(NlMsgHdr::NAME, "nlmsghdr");
    let names: Vec<_> = NlMsgHdr::FIELDS
        .iter()
        .map(|f| (f.name, f.offset, f.size))
        .collect();
    assert_eq!(
        names,
        [
            ("nlmsg_len", 0, 4),
            ("nlmsg_type", 4, 2),
            ("nlmsg_flags", 6, 2),
            ("nlmsg_seq", 8, 4),
            ("nlmsg_pid", 12, 4)
        ]
    );
}

fn build_error(capped: bool) -> Vec<u8> {
    // The request being answered: 20 bytes, type 20, 4-byte payload.
    let mut b = Builder::new_vec();
    let flags = NLM_F_ACK_TLVS | if capped { NLM_F_CAPPED } else { 0 };
    b.message(NlMsgType::Error.raw(), flags, 7, 1234, |b| {
        b.put_bytes(&(-22i32).to_ne_bytes())?;
        b.put_struct(&NlMsgHdr::new(20, 20, NLM_F_REQUEST | NLM_F_ACK, 7, 1234))?;
        if !capped {
            b.put_bytes(&[1, 2, 3, 4])?;
        }
        b.attr(1, &nlwire::payload::NulStr(b"bad attr\0"))?;
        b.attr(2, &20u32)?;
        b.attr(
            3,
            &nlwire::payload::Bytes(&[0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4]),
        )?;
        b.nested(4, true, |b| {
            b.attr(1, &1u32)?;
            b.attr(7, &16u32)
        })?;
        b.attr(5, &3u32)?;
        b.attr(6, &24u32)
    })
    .unwrap();
    b.into_vec()
}

fn check_error(bytes: &[u8], capped: bool) {
    let m = Messages::with_mode(bytes, Mode::Strict)
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(m.header.standard_type(), NlMsgType::Error);
    let e = NlMsgErr::parse(m.payload, m.header.nlmsg_flags.get(), Mode::Strict).unwrap();
    assert_eq!(e.error, -22);
    assert_eq!(errno_name(e.error), Some("EINVAL"));
    assert_eq!(e.capped, capped);
    assert_eq!(e.request.nlmsg_len.get(), 20);
    assert_eq!(
        e.request_payload,
        if capped { &[][..] } else { &[1, 2, 3, 4][..] }
    );
    let attrs: Vec<_> = e.ext_ack().map(|a| a.unwrap()).collect();
    assert_eq!(attrs.len(), 6);
    assert_eq!(e.message(), Some(&b"bad attr"[..]));
    assert!(matches!(attrs[1], ExtAckAttr::Offs(20)));
    assert!(
        matches!(attrs[2], ExtAckAttr::Cookie(c) if c.0 == [0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4])
    );
    let ExtAckAttr::Policy(p) = attrs[3] else {
        panic!("policy")
    };
    let pol: Vec<_> = p.iter().map(|a| a.unwrap()).collect();
    assert_eq!(
        pol,
        [
            PolicyAttr::Type(nlwire::flags::EnumVal::new(1)),
            PolicyAttr::MaxLength(16)
        ]
    );
    let PolicyAttr::Type(t) = pol[0] else {
        panic!("NL_POLICY_TYPE_ATTR_TYPE")
    };
    assert_eq!(t.name(), Some("NL_ATTR_TYPE_FLAG"));
    assert!(matches!(attrs[4], ExtAckAttr::MissType(3)));
    assert!(matches!(attrs[5], ExtAckAttr::MissNest(24)));
}

#[test]
fn capped_error_with_all_ext_ack_attributes() {
    check_error(&build_error(true), true);
}

#[test]
fn uncapped_error_with_all_ext_ack_attributes() {
    check_error(&build_error(false), false);
}

#[test]
fn short_nlmsg_len_stops_the_walk() {
    let mut bytes = NETLINK_SYS_EXAMPLE;
    bytes[0] = 15;
    let mut it = Messages::new(&bytes);
    assert_eq!(
        it.next().unwrap().unwrap_err().kind,
        ErrorKind::LengthTooSmall
    );
    assert!(it.next().is_none());
}

#[test]
fn nla_len_below_four_is_an_error() {
    for len in 0u16..4 {
        let mut bytes = [0u8; 8];
        bytes[..2].copy_from_slice(&len.to_ne_bytes());
        let mut it = RawAttrs::new(&bytes);
        assert_eq!(
            it.next().unwrap().unwrap_err().kind,
            ErrorKind::LengthTooSmall,
            "nla_len {len}"
        );
        assert!(it.next().is_none());
    }
}
