//! `#[attr_struct]` ([`InetDiagAttrs`]): a struct of optional attributes,
//! emitted in declaration order.
//!
//! * every inet_diag reply of the sample captures and of the benchmark's
//!   capture decodes strictly into the struct and is re-emitted byte for
//!   byte from it (the declaration order is the kernel's);
//! * any canonical attribute stream: the struct emits what the attribute
//!   set's own path ([`Builder::attr_set`]) emits for the last attribute of
//!   each kind, in declaration order, into a buffer filled with `0xAA`, and
//!   decodes back to itself;
//! * strict decoding refuses a repeated kind, unknown kinds and stray flag
//!   bits; lenient decoding skips unknown kinds and keeps the last of a
//!   repeated one.
#![cfg(target_endian = "little")]

mod sock_diag_util;

use nlwire::families::sock_diag::*;
use nlwire::netlink::{AttributeSet, Builder, Messages, RawAttrs, NLA_F_NESTED};
use nlwire::nlmon::parse_frame;
use nlwire::strategy::attributes;
use nlwire::{ErrorKind, Mode};
use proptest::prelude::*;
use sock_diag_util::*;

/// Every inet_diag reply of the capture at `path` (relative to the
/// workspace), decoded into the struct and re-emitted whole; returns how
/// many.
fn reemit_capture(rel: &str) -> usize {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rel);
    let bytes = std::fs::read(&path).unwrap();
    let (linktype, records) = pcap_records(&bytes);
    let mut n = 0;
    for rec in records {
        let frame = parse_frame(linktype, rec).unwrap();
        if frame.family != 4 {
            continue;
        }
        for msg in Messages::with_mode(frame.payload, Mode::Strict) {
            let msg = msg.unwrap();
            let Ok(SockDiagMessage::InetResponse(r)) = decode(&msg, Mode::Strict) else {
                continue;
            };
            let attrs =
                InetDiagAttrs::parse_at(r.attr_bytes(), r.attrs_offset(), Mode::Strict).unwrap();
            let mut buf = vec![0xAAu8; msg.bytes.len() + 16];
            let mut b = Builder::new(&mut buf[..]);
            let h = &msg.header;
            b.message(
                h.nlmsg_type.get(),
                h.nlmsg_flags.get(),
                h.nlmsg_seq.get(),
                h.nlmsg_pid.get(),
                |b| {
                    b.put_struct(r.header)?;
                    attrs.emit(b)
                },
            )
            .unwrap();
            let len = b.len();
            assert_eq!(&buf[..len], msg.bytes, "{rel}: reply {n} re-emitted");
            n += 1;
        }
    }
    n
}

#[test]
fn captures_reemit_byte_for_byte() {
    let n = reemit_capture("samples/tcp_info.pcap")
        + reemit_capture("samples/bytecode.pcap")
        + reemit_capture("benches/data/sockets.pcap");
    assert!(n > 4000, "{n} replies");
}

#[test]
fn kinds_in_declaration_order() {
    let kinds: Vec<u16> = InetDiagAttrs::KINDS.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        &kinds[..3],
        &[INET_DIAG_SHUTDOWN, INET_DIAG_TOS, INET_DIAG_TCLASS]
    );
    assert_eq!(kinds.last(), Some(&INET_DIAG_SK_BPF_STORAGES));
    // Every kind of the attribute set, once.
    let mut sorted = kinds.clone();
    sorted.sort_unstable();
    let mut set: Vec<u16> = InetDiagAttr::KINDS.iter().map(|(k, _)| *k).collect();
    set.sort_unstable();
    assert_eq!(sorted, set);
    assert_eq!(InetDiagAttrs::NAME, "inet_diag");
}

#[test]
fn strict_refuses_repeat_unknown_and_flags() {
    let tos = attr(INET_DIAG_TOS, &[1]);
    let twice = [tos.clone(), attr(INET_DIAG_TOS, &[2])].concat();
    let e = InetDiagAttrs::parse(&twice, Mode::Strict).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert_eq!(e.offset(), 8);
    // Lenient: the last one wins, as in the kernel's nla_parse.
    let l = InetDiagAttrs::parse(&twice, Mode::Lenient).unwrap();
    assert_eq!(l.tos, Some(2));

    let unknown = [attr(200, &[0; 4]), tos.clone()].concat();
    let e = InetDiagAttrs::parse(&unknown, Mode::Strict).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unknown);
    let l = InetDiagAttrs::parse(&unknown, Mode::Lenient).unwrap();
    assert_eq!(
        l,
        InetDiagAttrs {
            tos: Some(1),
            ..Default::default()
        }
    );

    let flagged = attr(INET_DIAG_TOS | NLA_F_NESTED, &[1]);
    assert!(InetDiagAttrs::parse(&flagged, Mode::Strict).is_err());
    // A nested kind declared with NLA_F_NESTED needs it in strict mode.
    let bare = attr(INET_DIAG_SK_BPF_STORAGES, &[]);
    assert!(InetDiagAttrs::parse(&bare, Mode::Strict).is_err());
    let with = attr(INET_DIAG_SK_BPF_STORAGES | NLA_F_NESTED, &[]);
    let s = InetDiagAttrs::parse(&with, Mode::Strict).unwrap();
    assert!(s.sk_bpf_storages.is_some());
    // Error offsets count from `base`.
    let e = InetDiagAttrs::parse_at(&unknown, 100, Mode::Strict).unwrap_err();
    assert_eq!(e.offset(), 100);
}

#[test]
fn short_buffer_is_an_error() {
    let s = InetDiagAttrs {
        cgroup_id: Some(1),
        mark: Some(2),
        ..Default::default()
    };
    for cap in 0..24 {
        let mut buf = vec![0u8; cap];
        let mut b = Builder::new(&mut buf[..]);
        assert_eq!(s.emit(&mut b).is_ok(), cap >= 20, "capacity {cap}");
    }
}

proptest! {
    #[test]
    fn emits_as_the_set_does(bytes in attributes::<InetDiagAttr<'static>>(12)) {
        let decoded: Result<Vec<InetDiagAttr<'_>>, _> = RawAttrs::new(&bytes)
            .map(|r| r.and_then(|r| InetDiagAttr::from_raw(r, Mode::Lenient)))
            .collect();
        let Ok(decoded) = decoded else { return Ok(()) };
        let s = InetDiagAttrs::parse(&bytes, Mode::Lenient).unwrap();

        // The set's path: the last attribute of each known kind, in the
        // struct's order.
        let mut want = vec![0u8; 8192];
        let mut b = Builder::new(&mut want[..]);
        for (kind, _) in InetDiagAttrs::KINDS {
            if let Some(a) = decoded.iter().rev().find(|a| {
                a.kind() == *kind && !matches!(a, InetDiagAttr::Unknown(_))
            }) {
                b.attr_set(a).unwrap();
            }
        }
        let n = b.len();
        want.truncate(n);

        let mut got = vec![0xAAu8; 8192];
        let mut b = Builder::new(&mut got[..]);
        s.emit(&mut b).unwrap();
        let m = b.len();
        prop_assert_eq!(&got[..m], &want[..]);
        prop_assert!(got[m..].iter().all(|&x| x == 0xAA));
        prop_assert_eq!(InetDiagAttrs::parse(&got[..m], Mode::Lenient).unwrap(), s);
    }
}
