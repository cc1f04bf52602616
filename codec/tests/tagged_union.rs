//! A structure followed by a C union one of its fields picks, declared with
//! the derive only (`#[nl_struct]` + `#[sub_message(selector = "field")]`,
//! carried as `Tagged`): a toy of two members, one with a big-endian
//! selector field, and the connector's `struct proc_event` (`what` picks a
//! member of `event_data`), which used to be a hand-written `Payload`.

mod walk_lines;
use walk_lines::*;

use nlwire::families::connector::{EventData, ProcEvent, PROC_EVENT_FORK};
use nlwire::netlink::{SubMessage, Tagged};
use nlwire::payload::Payload;
use nlwire::value::Walk;
use nlwire::wire::WireStruct;
use nlwire::{nl_struct, sub_message, ErrorKind, Mode};
use zerocopy::byteorder::{BigEndian as BE, NativeEndian as NE, U16, U32};

/// The toy's fixed part: a host-order `kind` picks the union member.
#[nl_struct(name = "toy_event")]
pub struct ToyHdr {
    /// `kind`.
    pub kind: U32<NE>,
    /// `flags`.
    pub flags: U16<NE>,
    /// `code`: a network-order field, readable as a selector too.
    pub code: U16<BE>,
}

/// One member of the toy union.
#[nl_struct(name = "toy_open")]
pub struct ToyOpen {
    /// `fd`.
    pub fd: U32<NE>,
}

/// Another member.
#[nl_struct(name = "toy_move")]
pub struct ToyMove {
    /// `from`.
    pub from: U32<NE>,
    /// `to`.
    pub to: U32<NE>,
}

/// The toy union, picked by `kind`.
#[sub_message(name = "data", selector = "kind")]
pub enum ToyData<'a> {
    /// Kind 1.
    #[nl(select = 1)]
    Open(&'a ToyOpen),
    /// Kind 2, shown as the union member `mv`.
    #[nl(select = 2, member = "mv")]
    MoveTo(&'a ToyMove),
}

type Toy<'a> = Tagged<'a, ToyHdr, ToyData<'a>>;

fn toy(kind: u32, words: &[u32]) -> Vec<u8> {
    let mut b = kind.to_ne_bytes().to_vec();
    b.extend_from_slice(&7u16.to_ne_bytes());
    b.extend_from_slice(&0x0102u16.to_be_bytes());
    for w in words {
        b.extend_from_slice(&w.to_ne_bytes());
    }
    b
}

struct Named<'p, P>(&'p P);
impl<'a, P: Payload<'a>> Walk for Named<'_, P> {
    fn walk(&self, v: &mut dyn nlwire::value::Visitor) {
        self.0.walk_payload("toy", v);
    }
}

#[test]
fn a_field_of_the_structure_picks_the_union_member() {
    let bytes = toy(2, &[10, 20]);
    let t = Toy::parse(&bytes, Mode::Strict).unwrap();
    let ToyData::MoveTo(m) = t.union else {
        panic!("kind 2 is MoveTo: {:?}", t.union)
    };
    assert_eq!((m.from.get(), m.to.get()), (10, 20));
    assert_eq!(t.union.member(), "mv");
    assert_clean_lines(
        &walk(&Named(&t)),
        &[
            "toy.kind=2",
            "toy.flags=7",
            "toy.data.mv.from=10",
            "toy.data.mv.to=20",
        ],
    );
    let open = toy(1, &[3]);
    let t = Toy::parse(&open, Mode::Strict).unwrap();
    assert_eq!(t.union.member(), "open", "snake case of the variant");
    assert!(matches!(t.union, ToyData::Open(o) if o.fd.get() == 3));
    // Emit gives the bytes back.
    let mut out = vec![0u8; t.len()];
    t.write(&mut out);
    assert_eq!(out, toy(1, &[3]));
}

#[test]
fn field_value_reads_each_declared_byte_order() {
    let bytes = toy(5, &[]);
    let (h, _) = ToyHdr::parse(&bytes).unwrap();
    assert_eq!(h.field_value("kind"), Some(5));
    assert_eq!(h.field_value("flags"), Some(7));
    assert_eq!(h.field_value("code"), Some(0x0102));
    assert_eq!(h.field_value("nope"), None);
}

#[test]
fn a_value_no_member_takes_is_refused_when_strict_and_kept_when_lenient() {
    let bytes = toy(9, &[1, 2]);
    let e = Toy::parse(&bytes, Mode::Strict).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unknown);
    let t = Toy::parse(&bytes, Mode::Lenient).unwrap();
    assert!(matches!(t.union, ToyData::Unselected(b) if b.len() == 8));
    assert_eq!(t.union.member(), "unknown");
    // A short structure is an error, not a panic.
    assert!(Toy::parse(&bytes[..5], Mode::Lenient).is_err());
}

#[test]
fn swap_converts_the_member_the_foreign_field_picks() {
    let mut foreign = toy(2, &[10, 20]);
    // Make it the other host's bytes: every host-order field reversed.
    for r in [0..4, 4..6, 8..12, 12..16] {
        foreign[r].reverse();
    }
    Toy::swap_order(&mut foreign);
    assert_eq!(foreign, toy(2, &[10, 20]));
}

#[test]
fn proc_event_is_the_declared_tagged_union() {
    let mut e = PROC_EVENT_FORK.to_ne_bytes().to_vec();
    e.extend_from_slice(&0u32.to_ne_bytes());
    e.extend_from_slice(&0u64.to_ne_bytes());
    for w in [100u32, 100, 4242, 4242, 0, 0] {
        e.extend_from_slice(&w.to_ne_bytes());
    }
    let ev: ProcEvent<'_> = Tagged::parse(&e, Mode::Strict).unwrap();
    assert!(matches!(ev.union, EventData::Fork(_)));
    assert_eq!(<EventData<'_> as SubMessage<'_>>::SELECTOR, "what");
    let mut bad = e.clone();
    bad[..4].copy_from_slice(&0x1234u32.to_ne_bytes());
    assert_eq!(
        ProcEvent::parse(&bad, Mode::Strict).unwrap_err().kind,
        ErrorKind::Unknown
    );
}
