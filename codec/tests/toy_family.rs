//! Issue #10's proof: a family declared in one file, outside the crate,
//! with no edit anywhere else — a fixed header, two message types with
//! request and reply rows, an attribute set with a nested set, a selector
//! attribute and a sub-message it picks — is decoded, walked with kernel
//! names, re-emitted, byte-swapped, property-tested and described by the
//! generic machinery alone, through a registry that adds it at run time.
//!
//! The family is invented (`NETLINK_TOY`, protocol 31: `MAX_LINKS` is 32
//! and the kernel uses no 31). Its declarations are the block between the
//! two `-- toy family --` markers; `docs/adding-a-family.md` walks through
//! them.

mod walk_lines;
use walk_lines::*;

use nlwire::decode::emit_decoded;
use nlwire::decode::{decode_with, Body};
use nlwire::netlink::{
    Builder, FlagReading, Message, Messages, Nested, Sub, NLA_F_NESTED, NLM_F_CREATE, NLM_F_DUMP,
    NLM_F_REQUEST,
};
use nlwire::payload::NulStr;
use nlwire::registry::{Decl, FamilyEntry, Registry};
use nlwire::swap::swap_message_with;
use nlwire::{attribute_set, nl_family, nl_flags, nl_struct, open_enum, sub_message};
use nlwire::{ErrorKind, Mode};
use zerocopy::byteorder::{U16, U32};
use zerocopy::NativeEndian as NE;

// -- toy family: declarations ------------------------------------------

/// `NETLINK_TOY`: the protocol number.
pub const NETLINK_TOY: u16 = 31;

/// Message types (`TOY_*`), from `NLMSG_MIN_TYPE` on.
#[open_enum(u16, consts)]
pub enum ToyType {
    /// `TOY_NEW`: create a toy / a toy was created.
    #[nl(name = "TOY_NEW")]
    New = 16,
    /// `TOY_GET`: ask for toys / a toy as asked.
    #[nl(name = "TOY_GET")]
    Get = 17,
}

/// Colours (`TOY_COLOR_*`), the `toy_color` byte.
#[open_enum(u8)]
pub enum ToyColor {
    /// `TOY_COLOR_RED`.
    #[nl(name = "TOY_COLOR_RED")]
    Red = 1,
    /// `TOY_COLOR_BLUE`.
    #[nl(name = "TOY_COLOR_BLUE")]
    Blue = 2,
}

/// `toy_flags` bits (`TOY_F_*`).
#[nl_flags(u16, table = TOY_F_NAMES)]
pub enum ToyFlags {
    /// `TOY_F_SHINY`.
    TOY_F_SHINY = 0x1,
    /// `TOY_F_LOUD`.
    TOY_F_LOUD = 0x2,
}

/// `struct toymsg`, the fixed header of every `NETLINK_TOY` message.
#[nl_struct(name = "toymsg")]
pub struct ToyMsg {
    /// `toy_color`: `TOY_COLOR_*`.
    #[nl(enum = ToyColor)]
    pub toy_color: u8,
    /// `toy_pad`.
    pub toy_pad: u8,
    /// `toy_flags`: `TOY_F_*`.
    #[nl(flags = TOY_F_NAMES)]
    pub toy_flags: U16<NE>,
    /// `toy_id`.
    pub toy_id: U32<NE>,
}

/// `struct toy_ball`, the `"ball"` payload of `TOY_A_DATA`.
#[nl_struct(name = "toy_ball")]
pub struct ToyBall {
    /// `radius_mm`.
    pub radius_mm: U32<NE>,
    /// `bounce`.
    pub bounce: U16<NE>,
    /// `pad`.
    pub pad: U16<NE>,
}

/// `TOY_PART_*`: one part of a toy, nested in `TOY_A_PART`.
#[attribute_set(name = "toy-part")]
pub enum ToyPartAttr<'a> {
    /// `TOY_PART_NAME`.
    #[nl(kind = TOY_PART_NAME = 1)]
    Name(NulStr<'a>),
    /// `TOY_PART_WEIGHT`: grams.
    #[nl(kind = TOY_PART_WEIGHT = 2)]
    Weight(u16),
}

/// `TOY_TRAIN_*`: the `"train"` payload of `TOY_A_DATA`.
#[attribute_set(name = "toy-train")]
pub enum ToyTrainAttr<'a> {
    /// `TOY_TRAIN_CARS`.
    #[nl(kind = TOY_TRAIN_CARS = 1)]
    Cars(u32),
    /// `TOY_TRAIN_LINE`.
    #[nl(kind = TOY_TRAIN_LINE = 2)]
    Line(NulStr<'a>),
}

/// `TOY_A_DATA` by `TOY_A_KIND` (a string selector, as `IFLA_INFO_DATA`
/// by `IFLA_INFO_KIND`).
#[sub_message(name = "toy-data", selector = "kind")]
pub enum ToyData<'a> {
    /// `"ball"` (and no kind at all): `struct toy_ball`.
    #[nl(select = "ball", default)]
    Ball(&'a ToyBall),
    /// `"train"`: `TOY_TRAIN_*` attributes.
    #[nl(select = "train")]
    Train(Nested<'a, ToyTrainAttr<'a>>),
}

/// `TOY_A_*`, after `struct toymsg`.
#[attribute_set(name = "toy")]
pub enum ToyAttr<'a> {
    /// `TOY_A_ID`.
    #[nl(kind = TOY_A_ID = 1)]
    Id(u32),
    /// `TOY_A_NAME`.
    #[nl(kind = TOY_A_NAME = 2)]
    Name(NulStr<'a>),
    /// `TOY_A_PART`: nested `TOY_PART_*`.
    #[nl(kind = TOY_A_PART = 3, flags = NLA_F_NESTED)]
    Part(Nested<'a, ToyPartAttr<'a>>),
    /// `TOY_A_KIND`: what `TOY_A_DATA` holds.
    #[nl(kind = TOY_A_KIND = 4, provides = "kind")]
    Kind(NulStr<'a>),
    /// `TOY_A_DATA`: by `TOY_A_KIND`.
    #[nl(kind = TOY_A_DATA = 5)]
    Data(Sub<'a, ToyData<'a>>),
}

/// `TOY_REQ_*`, after `struct toymsg` in a `TOY_GET` request.
#[attribute_set(name = "toy-req")]
pub enum ToyReqAttr<'a> {
    /// `TOY_REQ_NAME`: only toys of this name.
    #[nl(kind = TOY_REQ_NAME = 1)]
    Name(NulStr<'a>),
}

/// The message table of `NETLINK_TOY`.
#[nl_family(protocol = NETLINK_TOY, name = "NETLINK_TOY", types = ToyType, reading = toy_reading)]
pub enum ToyMessage<'a> {
    /// `TOY_NEW` request: a toy to create.
    #[nl(types = TOY_NEW, request)]
    New(Message<'a, ToyMsg, ToyAttr<'a>>),
    /// `TOY_GET` request: a filter.
    #[nl(types = TOY_GET, request)]
    Get(Message<'a, ToyMsg, ToyReqAttr<'a>>),
    /// Replies of both types (and `TOY_NEW` notifications): one toy.
    #[nl(types = TOY_NEW | TOY_GET, reply)]
    Toy(Message<'a, ToyMsg, ToyAttr<'a>>),
}

/// How `NLM_F_*` bits 8-11 of a request read.
pub fn toy_reading(nlmsg_type: u16) -> FlagReading {
    match nlmsg_type {
        TOY_NEW => FlagReading::New,
        _ => FlagReading::Get,
    }
}

// -- toy family: end of declarations -----------------------------------

/// The default families and the toy.
const TOYS: Registry = Registry::DEFAULT.with(&[&ToyMessage::ENTRY]);

/// One attribute as `nla_put` writes it (padding zeroed).
fn attr(kind: u16, payload: &[u8]) -> Vec<u8> {
    let len = 4 + payload.len();
    let mut out = Vec::new();
    out.extend_from_slice(&(len as u16).to_ne_bytes());
    out.extend_from_slice(&kind.to_ne_bytes());
    out.extend_from_slice(payload);
    out.resize(len.next_multiple_of(4), 0);
    out
}

/// `struct toymsg` bytes.
fn toymsg(color: u8, flags: u16, id: u32) -> Vec<u8> {
    let mut h = vec![color, 0];
    h.extend_from_slice(&flags.to_ne_bytes());
    h.extend_from_slice(&id.to_ne_bytes());
    h
}

/// `struct toy_ball` bytes.
fn ball(radius_mm: u32, bounce: u16) -> Vec<u8> {
    let mut b = radius_mm.to_ne_bytes().to_vec();
    b.extend_from_slice(&bounce.to_ne_bytes());
    b.extend_from_slice(&[0, 0]);
    b
}

/// One whole message.
fn message(typ: u16, flags: u16, payload: &[u8]) -> Vec<u8> {
    let mut b = Builder::new_vec();
    b.message(typ, flags, 7, 4242, |b| b.put_bytes(payload))
        .unwrap();
    b.into_vec()
}

/// A `TOY_NEW` reply: a blue shiny toy 0x01020304 with every attribute,
/// `TOY_A_DATA` before the `TOY_A_KIND` that selects it.
fn toy_reply(kind: &[u8], data: &[u8]) -> Vec<u8> {
    let mut p = toymsg(ToyColor::Blue.raw(), TOY_F_SHINY, 0x0102_0304);
    p.extend(attr(TOY_A_ID, &0x0a0b_0c0du32.to_ne_bytes()));
    p.extend(attr(TOY_A_NAME, b"duck\0"));
    let mut part = attr(TOY_PART_NAME, b"beak\0");
    part.extend(attr(TOY_PART_WEIGHT, &12u16.to_ne_bytes()));
    p.extend(attr(TOY_A_PART | NLA_F_NESTED, &part));
    p.extend(attr(TOY_A_DATA, data));
    if !kind.is_empty() {
        p.extend(attr(TOY_A_KIND, kind));
    }
    message(TOY_NEW, 0, &p)
}

fn ball_reply() -> Vec<u8> {
    toy_reply(b"ball\0", &ball(40, 3))
}

fn train_reply() -> Vec<u8> {
    let mut t = attr(TOY_TRAIN_CARS, &5u32.to_ne_bytes());
    t.extend(attr(TOY_TRAIN_LINE, b"circle\0"));
    toy_reply(b"train\0", &t)
}

fn first(bytes: &[u8]) -> nlwire::netlink::RawMessage<'_> {
    Messages::new(bytes).next().unwrap().unwrap()
}

#[test]
fn the_default_registry_does_not_know_the_toy_and_the_extended_one_does() {
    assert!(Registry::DEFAULT.find(NETLINK_TOY).is_none());
    let e = TOYS.find(NETLINK_TOY).expect("toy entry");
    assert_eq!(e.name, "NETLINK_TOY");
    assert_eq!((e.type_name)(TOY_GET), Some("TOY_GET"));
    // The built-in families are still there.
    assert!(TOYS.find(nlwire::family::NETLINK_SOCK_DIAG).is_some());
    // Without the toy, the message is framing and payload bytes.
    let bytes = ball_reply();
    let d = nlwire::decode::decode(NETLINK_TOY, first(&bytes), Mode::Strict);
    assert!(matches!(d.body, Ok(Body::Raw(_))), "{:?}", d.body);
}

#[test]
fn a_reply_walks_with_kernel_names() {
    let bytes = ball_reply();
    let d = decode_with(&TOYS, NETLINK_TOY, first(&bytes), Mode::Strict);
    assert!(matches!(&d.body, Ok(Body::Family(f)) if f.entry.name == "NETLINK_TOY"));
    assert_eq!(d.type_name(), Some("TOY_NEW"));
    let l = walk(&d);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_lines(
        &l,
        &[
            "nlmsghdr.nlmsg_type=TOY_NEW",
            "toymsg.toy_color=TOY_COLOR_BLUE",
            "toymsg.toy_flags=TOY_F_SHINY",
            &format!("toymsg.toy_id={}", 0x0102_0304),
            &format!("TOY_A_ID={}", 0x0a0b_0c0d),
            "TOY_A_NAME=duck",
            "TOY_A_PART.TOY_PART_NAME=beak",
            "TOY_A_PART.TOY_PART_WEIGHT=12",
            "TOY_A_KIND=ball",
            "TOY_A_DATA.radius_mm=40",
            "TOY_A_DATA.bounce=3",
        ],
    );
}

#[test]
fn request_flags_read_by_the_family_reading() {
    let p = toymsg(ToyColor::Red.raw(), 0, 1);
    let new = message(TOY_NEW, NLM_F_REQUEST | NLM_F_CREATE, &p);
    let d = decode_with(&TOYS, NETLINK_TOY, first(&new), Mode::Strict);
    assert_eq!(d.flag_reading(), FlagReading::New);
    assert_lines(
        &walk(&d),
        &["nlmsghdr.nlmsg_flags=NLM_F_REQUEST|NLM_F_CREATE"],
    );

    let mut p = toymsg(ToyColor::Red.raw(), 0, 0);
    p.extend(attr(TOY_REQ_NAME, b"duck\0"));
    let get = message(TOY_GET, NLM_F_REQUEST | NLM_F_DUMP, &p);
    let d = decode_with(&TOYS, NETLINK_TOY, first(&get), Mode::Strict);
    assert_eq!(d.flag_reading(), FlagReading::Get);
    let l = walk(&d);
    assert_lines(
        &l,
        &[
            "nlmsghdr.nlmsg_type=TOY_GET",
            "nlmsghdr.nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP|NLM_F_ROOT|NLM_F_MATCH",
            "TOY_REQ_NAME=duck",
        ],
    );
    // The request row took it: its set is `toy-req`, not `toy`.
    match ToyMessage::parse(&first(&get), Mode::Strict).unwrap() {
        ToyMessage::Get(m) => assert!(matches!(
            m.attrs().next(),
            Some(Ok(ToyReqAttr::Name(n))) if n.to_bytes() == b"duck"
        )),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_sub_message_is_picked_by_its_sibling_selector() {
    let bytes = train_reply();
    let d = decode_with(&TOYS, NETLINK_TOY, first(&bytes), Mode::Strict);
    let l = walk(&d);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_lines(
        &l,
        &[
            "TOY_A_KIND=train",
            "TOY_A_DATA.TOY_TRAIN_CARS=5",
            "TOY_A_DATA.TOY_TRAIN_LINE=circle",
        ],
    );
    assert!(!l.lines.iter().any(|x| x.contains("radius_mm")));

    // Typed: the payload is kept as bytes until the selector is known.
    let ToyMessage::Toy(m) = ToyMessage::parse(&first(&bytes), Mode::Strict).unwrap() else {
        panic!("not a reply");
    };
    let data = m
        .attrs()
        .find_map(|a| match a {
            Ok(ToyAttr::Data(s)) => Some(s),
            _ => None,
        })
        .unwrap();
    let sel = |k: &'static [u8]| Some(nlwire::value::SelectorValue::Str(k));
    assert!(matches!(data.select(sel(b"train")), Ok(ToyData::Train(_))));
    assert!(matches!(
        data.select(sel(b"kite")),
        Ok(ToyData::Unselected(_))
    ));

    // No TOY_A_KIND: the default variant.
    let bytes = toy_reply(b"", &ball(9, 1));
    let l = walk(&decode_with(
        &TOYS,
        NETLINK_TOY,
        first(&bytes),
        Mode::Strict,
    ));
    assert_lines(&l, &["TOY_A_DATA.radius_mm=9"]);

    // A kind no variant takes: the bytes, in both modes.
    for mode in [Mode::Strict, Mode::Lenient] {
        let bytes = toy_reply(b"kite\0", &[1, 2, 3]);
        let d = decode_with(&TOYS, NETLINK_TOY, first(&bytes), mode);
        assert!(d.body.is_ok(), "{mode:?}: {:?}", d.body);
        assert_lines(&walk(&d), &["TOY_A_DATA=010203"]);
    }
}

#[test]
fn strict_refuses_an_unknown_kind_lenient_keeps_it() {
    let mut bytes = ball_reply();
    let extra = attr(99, &[0xaa, 0xbb]);
    bytes.extend_from_slice(&extra);
    let len = bytes.len() as u32;
    bytes[..4].copy_from_slice(&len.to_ne_bytes());

    let strict = decode_with(&TOYS, NETLINK_TOY, first(&bytes), Mode::Strict);
    let e = strict.body.expect_err("strict takes no unknown kind");
    assert_eq!(e.kind, ErrorKind::Unknown);

    let lenient = decode_with(&TOYS, NETLINK_TOY, first(&bytes), Mode::Lenient);
    assert!(lenient.body.is_ok(), "{:?}", lenient.body);
    let l = walk(&lenient);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_lines(&l, &["UNKNOWN.nla_type=99", "UNKNOWN.payload=aabb"]);
    // Kept, so it is emitted again.
    assert_eq!(reemit(&bytes, Mode::Lenient), bytes);

    // An unknown message type: the same, one level up.
    let other = message(30, 0, &toymsg(1, 0, 0));
    let d = decode_with(&TOYS, NETLINK_TOY, first(&other), Mode::Strict);
    assert_eq!(d.body.expect_err("unknown type").kind, ErrorKind::Unknown);
    let d = decode_with(&TOYS, NETLINK_TOY, first(&other), Mode::Lenient);
    assert!(matches!(d.body, Ok(Body::Family(_))));
    assert!(matches!(
        ToyMessage::parse(&first(&other), Mode::Lenient),
        Ok(ToyMessage::UnknownType { nlmsg_type: 30, .. })
    ));
}

/// Decode with the registry and write the whole message back (the entry's
/// `emit`).
fn reemit(bytes: &[u8], mode: Mode) -> Vec<u8> {
    let d = decode_with(&TOYS, NETLINK_TOY, first(bytes), mode);
    let mut out = vec![0xa5u8; bytes.len() + 64];
    let mut b = Builder::new(&mut out[..]);
    emit_decoded(&d, &mut b).unwrap();
    let n = b.len();
    out.truncate(n);
    out
}

#[test]
fn messages_reemit_byte_for_byte() {
    let mut get = toymsg(ToyColor::Red.raw(), TOY_F_LOUD, 5);
    get.extend(attr(TOY_REQ_NAME, b"duck\0"));
    let get = message(TOY_GET, NLM_F_REQUEST | NLM_F_DUMP, &get);
    for bytes in [ball_reply(), train_reply(), get] {
        // Through the registry entry.
        assert_eq!(reemit(&bytes, Mode::Strict), bytes);
        // Through the generated table's own `emit`.
        let m = first(&bytes);
        let t = ToyMessage::parse(&m, Mode::Strict).unwrap();
        let mut b = Builder::new_vec();
        let h = m.header;
        b.message(
            h.nlmsg_type.get(),
            h.nlmsg_flags.get(),
            h.nlmsg_seq.get(),
            h.nlmsg_pid.get(),
            |b| t.emit(b),
        )
        .unwrap();
        assert_eq!(b.into_vec(), bytes);
    }
    // Built from typed values, not bytes.
    let hdr = ToyMsg {
        toy_color: ToyColor::Blue.raw(),
        toy_pad: 0,
        toy_flags: U16::new(TOY_F_SHINY),
        toy_id: U32::new(0x0102_0304),
    };
    let mut b = Builder::new_vec();
    b.message(TOY_NEW, 0, 7, 4242, |b| {
        Message::<ToyMsg, ToyAttr>::write(
            b,
            &hdr,
            &[ToyAttr::Id(0x0a0b_0c0d), ToyAttr::Name(NulStr(b"duck\0"))],
        )
    })
    .unwrap();
    let built = b.into_vec();
    let mut p = toymsg(ToyColor::Blue.raw(), TOY_F_SHINY, 0x0102_0304);
    p.extend(attr(TOY_A_ID, &0x0a0b_0c0du32.to_ne_bytes()));
    p.extend(attr(TOY_A_NAME, b"duck\0"));
    assert_eq!(built, message(TOY_NEW, 0, &p));
}

/// The ball reply as a host of the other byte order sends it, written
/// field by field (no conversion code involved).
fn foreign_ball_reply() -> Vec<u8> {
    let o16 = |v: u16| v.swap_bytes().to_ne_bytes();
    let o32 = |v: u32| v.swap_bytes().to_ne_bytes();
    let oattr = |kind: u16, payload: &[u8]| {
        let len = 4 + payload.len();
        let mut out = o16(len as u16).to_vec();
        out.extend_from_slice(&o16(kind));
        out.extend_from_slice(payload);
        out.resize(len.next_multiple_of(4), 0);
        out
    };
    let mut p = vec![ToyColor::Blue.raw(), 0];
    p.extend(o16(TOY_F_SHINY));
    p.extend(o32(0x0102_0304));
    p.extend(oattr(TOY_A_ID, &o32(0x0a0b_0c0d)));
    p.extend(oattr(TOY_A_NAME, b"duck\0"));
    let mut part = oattr(TOY_PART_NAME, b"beak\0");
    part.extend(oattr(TOY_PART_WEIGHT, &o16(12)));
    p.extend(oattr(TOY_A_PART | NLA_F_NESTED, &part));
    let mut ball = o32(40).to_vec();
    ball.extend(o16(3));
    ball.extend([0, 0]);
    p.extend(oattr(TOY_A_DATA, &ball));
    p.extend(oattr(TOY_A_KIND, b"ball\0"));
    let mut m = o32(16 + p.len() as u32).to_vec();
    m.extend(o16(TOY_NEW));
    m.extend(o16(0));
    m.extend(o32(7));
    m.extend(o32(4242));
    m.extend(p);
    m
}

#[test]
fn a_foreign_order_capture_converts_field_by_field() {
    let bytes = ball_reply();
    let f = foreign_ball_reply();
    assert_ne!(f, bytes);
    // (The selector TOY_A_KIND is a string, which a conversion does not
    // use: a "train" payload would be converted as the default variant,
    // toy_ball; numeric selectors are used, see codec/tests/sub_message.rs.)
    // Every declared field converts: nlmsghdr, toymsg (toy_flags, toy_id),
    // attribute headers, TOY_A_ID, the nested TOY_PART_WEIGHT, toy_ball
    // (the sub-message's default variant); strings stay as they are.
    let mut back = f.clone();
    swap_message_with(&TOYS, NETLINK_TOY, &mut back);
    assert_eq!(back, bytes);
    // A registry without the toy converts only the framing.
    let mut framing = f.clone();
    swap_message_with(&Registry::DEFAULT, NETLINK_TOY, &mut framing);
    assert_eq!(framing[..16], bytes[..16]);
    assert_eq!(framing[16..], f[16..]);
    // The entry converts the payload alone the same way.
    let mut p = f[16..].to_vec();
    (ToyMessage::ENTRY.swap)(TOY_NEW, false, &mut p, &nlwire::netlink::Selectors::EMPTY);
    assert_eq!(p, bytes[16..]);
    // And decodes with kernel names.
    let l = walk(&decode_with(&TOYS, NETLINK_TOY, first(&back), Mode::Strict));
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_lines(
        &l,
        &[
            "toymsg.toy_flags=TOY_F_SHINY",
            "TOY_A_PART.TOY_PART_WEIGHT=12",
            "TOY_A_DATA.radius_mm=40",
        ],
    );
}

#[test]
fn the_registry_declares_the_toy_structs_and_sets() {
    let decls = ToyMessage::ENTRY.collect_declarations();
    let names: Vec<_> = decls.iter().map(Decl::name).collect();
    // The sub-message is no declaration of its own: what its variants
    // carry is (`toy_ball`, `toy-train`).
    for want in &[
        "toymsg",
        "toy",
        "toy-part",
        "toy_ball",
        "toy-train",
        "toy-req",
    ] {
        assert!(names.contains(want), "{want} missing from {names:?}");
    }
    let toymsg = decls
        .iter()
        .find_map(|d| match d {
            Decl::Struct(s) if s.name == "toymsg" => Some(*s),
            _ => None,
        })
        .unwrap();
    assert_eq!(toymsg.size, 8);
    assert_eq!(toymsg.c_type, "struct toymsg");
    let fields: Vec<_> = toymsg.fields.iter().map(|f| (f.name, f.offset)).collect();
    assert_eq!(
        fields,
        [
            ("toy_color", 0),
            ("toy_pad", 1),
            ("toy_flags", 2),
            ("toy_id", 4)
        ]
    );
    let toy = decls
        .iter()
        .find_map(|d| match d {
            Decl::AttributeSet(s) if s.name == "toy" => Some(*s),
            _ => None,
        })
        .unwrap();
    assert_eq!(toy.kinds.len(), 5);
    assert!((toy.is_nested)(TOY_A_PART));
    assert_eq!((toy.emit_flags)(TOY_A_PART), NLA_F_NESTED);
    assert_eq!((toy.payload_size)(TOY_A_ID), Some(4));
    // Rows as data: three rows, each a toymsg header.
    let rows = ToyMessage::ENTRY.rows;
    assert_eq!(rows.len(), 3);
    assert!(rows
        .iter()
        .all(|r| (r.shape)().is_some_and(|s| s.header.name == "toymsg")));
    assert!((rows[1].matches)(TOY_GET, true, None));
    assert!(!(rows[1].matches)(TOY_GET, false, None));
}

/// `proptest_registry.rs`'s property, on the toy: canonical payloads of
/// every row (generated from the row's declarations) decode, re-emit byte
/// for byte and swap back.
#[test]
fn generated_payloads_of_every_row_roundtrip() {
    use nlwire::strategy::{message_rows, payload_of};
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let entry: &'static FamilyEntry = &ToyMessage::ENTRY;
    let strict_cases = std::cell::Cell::new(0);
    for (i, row) in entry.rows.iter().enumerate() {
        let takes = message_rows(entry, i, usize::MAX);
        assert!(!takes.is_empty(), "row {} takes nothing", row.variant);
        let sample = proptest::sample::select(takes).prop_flat_map(move |(t, r, s)| {
            let p = payload_of(entry, &entry.rows[i], s, 6).expect("shape");
            (Just(t), Just(r), p)
        });
        let mut runner = TestRunner::new(Config {
            cases: 64,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&sample, |(t, r, p)| {
                let flags = if r { NLM_F_REQUEST } else { 0 };
                let bytes = message(t, flags, &p);
                let d = decode_with(&TOYS, NETLINK_TOY, first(&bytes), Mode::Strict);
                if d.body.is_ok() {
                    strict_cases.set(strict_cases.get() + 1);
                    prop_assert_eq!(reemit(&bytes, Mode::Strict), bytes.clone());
                }
                let mut s = p.clone();
                (entry.swap)(t, r, &mut s, &nlwire::netlink::Selectors::EMPTY);
                (entry.swap)(t, r, &mut s, &nlwire::netlink::Selectors::EMPTY);
                prop_assert_eq!(s, p);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("row {}: {e}", row.variant));
    }
    let n = strict_cases.get();
    assert!(n >= 3 * 16, "{n} canonical cases");
}
