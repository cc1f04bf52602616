//! `#[sub_message]` variants picked by several fields of the structure
//! before the union and by its length (`#[nl(when(field = VALUE, ...),
//! len = LEN)]`), the union bounded by a length field of the structure
//! (`#[sub_message(length = "struct.field")]`) and carried as a whole
//! message body by `TaggedBody`: a toy family declared in this file only.

mod walk_lines;
use walk_lines::*;

use nlwire::netlink::{Builder, MessageBody, SubMessage, Tagged, TaggedBody};
use nlwire::payload::Payload;
use nlwire::wire::WireStruct;
use nlwire::{nl_struct, sub_message, ErrorKind, Mode};
use zerocopy::byteorder::{NativeEndian as NE, U16, U32};

const BUS_TOY: u32 = 7;
const DEV_TOY: u32 = 2;

/// The toy header: an address of two fields (one with a dotted kernel
/// name) and the length of what follows.
#[nl_struct(name = "toy_hdr")]
pub struct ToyHdr {
    /// `addr.bus`.
    #[nl(name = "addr.bus")]
    pub bus: U32<NE>,
    /// `dev`.
    pub dev: U32<NE>,
    /// `len`: the length of `data`.
    pub len: U16<NE>,
    /// `pad`.
    pub pad: U16<NE>,
}

/// A 4-byte request.
#[nl_struct(name = "toy_req")]
pub struct ToyReq {
    /// `op`.
    pub op: U32<NE>,
}

/// An 8-byte event.
#[nl_struct(name = "toy_event")]
pub struct ToyEvent {
    /// `a`.
    pub a: U32<NE>,
    /// `b`.
    pub b: U32<NE>,
}

/// `data`, by `addr.bus`, `dev` and `len`: first match wins.
#[sub_message(name = "data", length = "toy_hdr.len")]
pub enum ToyData<'a> {
    /// The address, 4 bytes.
    #[nl(when("addr.bus" = BUS_TOY, dev = DEV_TOY), len = ToyReq::SIZE)]
    Req(&'a ToyReq),
    /// The address, any other length.
    #[nl(when("addr.bus" = BUS_TOY, dev = DEV_TOY), member = "event")]
    Ev(&'a ToyEvent),
}

type ToyBody<'a> = TaggedBody<'a, ToyHdr, ToyData<'a>>;

fn body(bus: u32, dev: u32, len: u16, data: &[u8]) -> Vec<u8> {
    let mut b = bus.to_ne_bytes().to_vec();
    b.extend_from_slice(&dev.to_ne_bytes());
    b.extend_from_slice(&len.to_ne_bytes());
    b.extend_from_slice(&0u16.to_ne_bytes());
    b.extend_from_slice(data);
    b
}

fn words(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_ne_bytes()).collect()
}

fn emitted(m: &ToyBody<'_>, n: usize) -> Vec<u8> {
    let mut out = vec![0u8; n + 16];
    let mut b = Builder::new(&mut out[..]);
    b.message(3, 0, 1, 0, |b| m.emit_body(b)).unwrap();
    let len = b.len();
    out.truncate(len);
    out.split_off(16)
}

#[test]
fn sub_message_when_fields_and_len_pick_the_variant_in_order() {
    // Both fields match and len is sizeof(toy_req): the request.
    let req = body(BUS_TOY, DEV_TOY, 4, &words(&[9]));
    let m = ToyBody::parse_body(&req, 0, Mode::Strict).unwrap();
    assert!(
        matches!(m.data, ToyData::Req(r) if r.op.get() == 9),
        "{m:?}"
    );
    assert_clean_lines(&walk(&m), &["toy_hdr.addr.bus=7", "req.op=9"]);
    // Same fields, another length: the next variant, by its member name.
    let ev = body(BUS_TOY, DEV_TOY, 8, &words(&[1, 2]));
    let m = ToyBody::parse_body(&ev, 0, Mode::Strict).unwrap();
    assert!(matches!(m.data, ToyData::Ev(e) if e.b.get() == 2), "{m:?}");
    assert_eq!(m.data.member(), "event");
    assert_clean_lines(&walk(&m), &["toy_hdr.len=8", "event.a=1", "event.b=2"]);
    assert_eq!(emitted(&m, ev.len()), ev);
    // One field differs: no variant, the bytes under the union's name, in
    // both modes.
    for mode in [Mode::Strict, Mode::Lenient] {
        let other = body(BUS_TOY, 3, 4, &[1, 2, 3, 4]);
        let m = ToyBody::parse_body(&other, 0, mode).unwrap();
        assert!(matches!(m.data, ToyData::Unselected(b) if b.len() == 4));
        assert_clean_lines(&walk(&m), &["toy_hdr.dev=3", "data=01020304"]);
        assert_eq!(emitted(&m, other.len()), other);
    }
    // `select_by` itself: the fields by kernel name, the length given.
    let fields = |n: &str| match n {
        "addr.bus" => Some(u64::from(BUS_TOY)),
        "dev" => Some(u64::from(DEV_TOY)),
        _ => None,
    };
    let bytes = words(&[5]);
    let d = ToyData::select_by(&fields, 4, &bytes, Mode::Strict, 0).unwrap();
    assert!(matches!(d, ToyData::Req(_)));
    // A `when` variant is not reachable from one selector value.
    let d = ToyData::select(None, &bytes, Mode::Strict, 0).unwrap();
    assert!(!d.is_selected());
    assert_eq!(ToyData::LENGTH, Some("toy_hdr.len"));
}

#[test]
fn tagged_body_bounds_the_union_by_its_length_field() {
    // len 4 of 8 bytes, zero after: the request, the rest kept as trailing.
    let mut data = words(&[9]);
    data.extend_from_slice(&[0; 4]);
    let padded = body(BUS_TOY, DEV_TOY, 4, &data);
    let m = ToyBody::parse_body(&padded, 0, Mode::Strict).unwrap();
    assert!(matches!(m.data, ToyData::Req(_)));
    assert_eq!(m.data_bytes().len(), 4);
    assert_eq!(m.trailing(), &[0; 4]);
    assert_eq!(emitted(&m, padded.len()), padded);
    // Non-zero after `len`: strict refuses, lenient keeps and shows them.
    let mut data = words(&[9]);
    data.extend_from_slice(&[5; 4]);
    let dirty = body(BUS_TOY, DEV_TOY, 4, &data);
    let e = ToyBody::parse_body(&dirty, 100, Mode::Strict).unwrap_err();
    assert_eq!((e.kind, e.what), (ErrorKind::Trailing, "toy_hdr"));
    let m = ToyBody::parse_body(&dirty, 0, Mode::Lenient).unwrap();
    assert_clean_lines(&walk(&m), &["req.op=9", "trailing=05050505"]);
    assert_eq!(emitted(&m, dirty.len()), dirty);
    // `len` beyond the payload: strict names the length field; lenient
    // picks by the declared length (an event) and keeps the short bytes.
    let short = body(BUS_TOY, DEV_TOY, 8, &words(&[1]));
    let e = ToyBody::parse_body(&short, 0, Mode::Strict).unwrap_err();
    assert_eq!((e.kind, e.what), (ErrorKind::Short, "toy_hdr.len"));
    let m = ToyBody::parse_body(&short, 0, Mode::Lenient).unwrap();
    assert!(
        matches!(m.data, ToyData::Unselected(b) if b.len() == 4),
        "{m:?}"
    );
    let hex: String = words(&[1]).iter().map(|b| format!("{b:02x}")).collect();
    assert_clean_lines(&walk(&m), &[&format!("data={hex}")]);
    // Shorter than the header: an error, not a panic.
    assert!(ToyBody::parse_body(&short[..5], 0, Mode::Lenient).is_err());
}

#[test]
fn tagged_body_swap_converts_the_variant_the_foreign_fields_pick() {
    let native = body(BUS_TOY, DEV_TOY, 8, &words(&[1, 2]));
    let mut foreign = native.clone();
    for r in [0..4, 4..8, 8..10, 10..12, 12..16, 16..20] {
        foreign[r].reverse();
    }
    ToyBody::swap_body(&mut foreign);
    assert_eq!(foreign, native);
    // An address no variant takes: the header only.
    let native = body(1, 1, 4, &[1, 2, 3, 4]);
    let mut foreign = native.clone();
    for r in [0..4, 4..8, 8..10, 10..12] {
        foreign[r].reverse();
    }
    ToyBody::swap_body(&mut foreign);
    assert_eq!(foreign, native);
}

#[test]
fn tagged_reads_when_variants_too() {
    // The same union as a payload (no length field needed: the rest).
    let bytes = body(BUS_TOY, DEV_TOY, 0, &words(&[3, 4]));
    let t: Tagged<'_, ToyHdr, ToyData<'_>> = Tagged::parse(&bytes, Mode::Strict).unwrap();
    assert!(matches!(t.union, ToyData::Ev(e) if e.a.get() == 3));
    let t: Tagged<'_, ToyHdr, ToyData<'_>> = Tagged::parse(&bytes[..16], Mode::Strict).unwrap();
    assert!(matches!(t.union, ToyData::Req(r) if r.op.get() == 3));
}
