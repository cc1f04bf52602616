//! The payload types of the YNL type system: `EnumVal` (`enum:`),
//! `FlagBits` (`enum-as-flags`), `Uint`/`Sint` (`uint`/`sint`),
//! `&NlaBitfield32` (`bitfield32`), `Struct` (`binary` with `struct:`),
//! `IpAddr` (display hints `ipv4`/`ipv6`/`ipv4-or-v6`), `Mac` (`mac`) and
//! `NulStr` (`string`) as a selector provider: parse, emit, walk, byte-order
//! conversion, strict vs lenient, odd lengths; then all of them in one
//! `#[attribute_set]` carried by a `Message` (parse, emit, walk, swap,
//! proptest round trip).

mod walk_lines;
use walk_lines::*;

use nlwire::families::genl::GenlMsgHdr;
use nlwire::flags::{EnumVal, FlagBits};
use nlwire::netlink::{
    AttributeSet, Attrs, Builder, Message, Messages, NlaBitfield32, NLMSG_HDRLEN,
};
use nlwire::payload::{IpAddr, Mac, NulStr, Payload, Sint, Struct, Uint};
use nlwire::value::{MacFmt, SelectorValue, Value, Visitor, Walk};
use nlwire::wire::{BigEndian, NativeEndian as NE, WireStruct, U16, U32};
use nlwire::{attribute_set, nl_flags, nl_struct, open_enum, ErrorKind, Mode};
use proptest::prelude::*;

/// `IF_OPER_*` (a `u8` enum, as YNL's `operstate`).
#[open_enum(u8)]
pub enum Operstate {
    /// `IF_OPER_DOWN`.
    #[nl(name = "IF_OPER_DOWN")]
    Down = 2,
    /// `IF_OPER_UP`.
    #[nl(name = "IF_OPER_UP")]
    Up = 6,
}

/// Flag bits of the test set.
#[nl_flags(u32, table = DEMO_F_NAMES)]
pub enum DemoFlagNames {
    /// `DEMO_F_A`.
    DEMO_F_A = 1,
    /// `DEMO_F_B`.
    DEMO_F_B = 2,
}

/// `struct ifla_cacheinfo` (`<linux/if_link.h>`).
#[nl_struct(name = "ifla_cacheinfo")]
pub struct IflaCacheinfo {
    /// `max_reasm_len`.
    pub max_reasm_len: U32<NE>,
    /// `tstamp`.
    pub tstamp: U32<NE>,
    /// `reachable_time`.
    pub reachable_time: U32<NE>,
    /// `retrans_time`.
    pub retrans_time: U32<NE>,
}

/// One attribute of each YNL payload type.
#[attribute_set(name = "ynl_attrs")]
pub enum YnlAttr<'a> {
    /// `enum:` on a wider attribute than the enum's repr.
    #[nl(kind = 1, name = "YNL_A_OPERSTATE", provides = "operstate")]
    Operstate(EnumVal<u32, Operstate>),
    /// `enum:` on a big-endian attribute.
    #[nl(kind = 2, name = "YNL_A_BE_STATE")]
    BeState(EnumVal<U16<BigEndian>, Operstate>),
    /// `enum-as-flags`.
    #[nl(kind = 3, name = "YNL_A_FLAGS")]
    Flags(FlagBits<u32, DemoFlagNames>),
    /// `uint`.
    #[nl(kind = 4, name = "YNL_A_UINT", provides = "uint")]
    Uint(Uint),
    /// `sint`.
    #[nl(kind = 5, name = "YNL_A_SINT")]
    Sint(Sint),
    /// `bitfield32`.
    #[nl(kind = 6, name = "YNL_A_BITFIELD")]
    Bitfield(&'a NlaBitfield32),
    /// `binary` with `struct: ifla-cacheinfo`.
    #[nl(kind = 7, name = "YNL_A_CACHEINFO")]
    Cacheinfo(Struct<'a, IflaCacheinfo>),
    /// `binary`, `display-hint: ipv4-or-v6`.
    #[nl(kind = 8, name = "YNL_A_ADDR")]
    Addr(IpAddr<'a>),
    /// `binary`, `display-hint: mac`.
    #[nl(kind = 9, name = "YNL_A_MAC")]
    Mac(Mac<'a>),
    /// `string`.
    #[nl(kind = 10, name = "YNL_A_NAME", provides = "kind")]
    Name(NulStr<'a>),
}

/// How this file shows values: strings quoted, enums with their number,
/// flags in hex, MACs marked.
fn show(value: Value<'_>) -> String {
    match value {
        Value::U64(n) => n.to_string(),
        Value::I64(n) => n.to_string(),
        Value::Str(s) => format!("{:?}", String::from_utf8_lossy(s)),
        Value::Ipv4(a) => a.to_string(),
        Value::Ipv6(a) => a.to_string(),
        Value::Mac(b) => format!("mac {}", MacFmt(b)),
        Value::Bytes(b) => b.iter().map(|x| format!("{x:02x}")).collect(),
        Value::Enum { raw, name } => format!("{raw} ({})", name.unwrap_or("?")),
        Value::Flags { raw, .. } => format!("{raw:#x}"),
        other => format!("{other:?}"),
    }
}

fn walk_payload<'a, P: Payload<'a>>(p: &P, name: &str) -> Vec<String> {
    let mut v = Lines::new(show);
    p.walk_payload(name, &mut v);
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    v.lines
}

/// `x` in the other byte order's host representation.
fn rev(x: u32) -> [u8; 4] {
    let mut b = x.to_ne_bytes();
    b.reverse();
    b
}

fn emitted<'a, P: Payload<'a>>(p: &P) -> Vec<u8> {
    let mut buf = vec![0xa5; p.len()];
    p.write(&mut buf);
    buf
}

// -- EnumVal ------------------------------------------------------------

#[test]
fn enum_val_names_a_wider_integer_and_round_trips() {
    let bytes = 6u32.to_ne_bytes();
    for mode in [Mode::Lenient, Mode::Strict] {
        let v = EnumVal::<u32, Operstate>::parse(&bytes, mode).unwrap();
        assert_eq!((v.raw(), v.name()), (6, Some("IF_OPER_UP")));
        assert_eq!(emitted(&v), bytes);
        assert_eq!(v.selector_value(), Some(SelectorValue::Int(6)));
    }
    assert_eq!(
        <EnumVal<u32, Operstate> as Payload>::FIXED_SIZE,
        Some(4),
        "sized as its integer, not as the enum's u8 repr"
    );
    let v = EnumVal::<u32, Operstate>::new(2);
    assert_eq!(
        walk_payload(&v, "IFLA_OPERSTATE"),
        ["IFLA_OPERSTATE=2 (IF_OPER_DOWN)"]
    );
}

#[test]
fn enum_val_unknown_value_is_kept_lenient_and_refused_strict() {
    let bytes = 99u32.to_ne_bytes();
    let v = EnumVal::<u32, Operstate>::parse(&bytes, Mode::Lenient).unwrap();
    assert_eq!((v.raw(), v.name()), (99, None));
    assert_eq!(walk_payload(&v, "x"), ["x=99 (?)"]);
    let e = EnumVal::<u32, Operstate>::parse(&bytes, Mode::Strict).unwrap_err();
    assert_eq!((e.kind, e.needed), (ErrorKind::Unknown, 99));
}

#[test]
fn enum_val_big_endian_reads_network_order_and_is_never_swapped() {
    let bytes = [0, 6];
    let v = EnumVal::<U16<BigEndian>, Operstate>::parse(&bytes, Mode::Strict).unwrap();
    assert_eq!(v.name(), Some("IF_OPER_UP"));
    assert_eq!(emitted(&v), bytes);
    assert_eq!(v.selector_value(), Some(SelectorValue::Int(6)));
    let mut b = bytes;
    <EnumVal<U16<BigEndian>, Operstate> as Payload>::swap_order(&mut b);
    assert_eq!(b, bytes);
    let mut h = 0x0102_0304u32.to_ne_bytes();
    <EnumVal<u32, Operstate> as Payload>::swap_order(&mut h);
    assert_eq!(h, rev(0x0102_0304));
}

#[test]
fn enum_val_short_payload_is_the_integer_error() {
    for mode in [Mode::Lenient, Mode::Strict] {
        let e = EnumVal::<u32, Operstate>::parse(&[6, 0], mode).unwrap_err();
        assert_eq!((e.kind, e.needed, e.present), (ErrorKind::Short, 4, 2));
    }
    // Lenient tolerates extra bytes as nla_get_u32 does; strict refuses them.
    assert!(EnumVal::<u32, Operstate>::parse(&[6, 0, 0, 0, 1], Mode::Lenient).is_ok());
    assert_eq!(
        EnumVal::<u32, Operstate>::parse(&[6, 0, 0, 0, 1], Mode::Strict)
            .unwrap_err()
            .kind,
        ErrorKind::Trailing
    );
}

// -- Uint / Sint --------------------------------------------------------

#[test]
fn uint_keeps_its_width_through_parse_and_emit() {
    for mode in [Mode::Lenient, Mode::Strict] {
        let b4 = 7u32.to_ne_bytes();
        let u = Uint::parse(&b4, mode).unwrap();
        assert_eq!((u.get(), u.width(), u.len()), (7, 4, 4));
        assert_eq!(emitted(&u), b4);
        let b8 = 7u64.to_ne_bytes();
        let u = Uint::parse(&b8, mode).unwrap();
        assert_eq!((u.get(), u.width()), (7, 8));
        assert_eq!(
            emitted(&u),
            b8,
            "a small value sent as 8 bytes stays 8 bytes"
        );
        let big = (u64::MAX - 1).to_ne_bytes();
        assert_eq!(Uint::parse(&big, mode).unwrap().get(), u64::MAX - 1);
    }
    assert_eq!(Uint::new(u64::from(u32::MAX)).width(), 4);
    assert_eq!(Uint::new(1 << 32).width(), 8);
    assert_eq!(emitted(&Uint::new(1 << 32)), (1u64 << 32).to_ne_bytes());
    assert_eq!(Uint::wide(1).width(), 8);
    assert_eq!(walk_payload(&Uint::new(5), "IFLA_X"), ["IFLA_X=5"]);
    assert_eq!(Uint::new(5).selector_value(), Some(SelectorValue::Int(5)));
}

#[test]
fn sint_keeps_its_width_and_sign() {
    for mode in [Mode::Lenient, Mode::Strict] {
        let b4 = (-2i32).to_ne_bytes();
        let s = Sint::parse(&b4, mode).unwrap();
        assert_eq!((s.get(), s.width()), (-2, 4));
        assert_eq!(emitted(&s), b4);
        let b8 = (-2i64).to_ne_bytes();
        let s = Sint::parse(&b8, mode).unwrap();
        assert_eq!((s.get(), s.width()), (-2, 8));
        assert_eq!(emitted(&s), b8);
    }
    assert_eq!(Sint::new(i64::from(i32::MIN)).width(), 4);
    assert_eq!(Sint::new(i64::from(i32::MIN) - 1).width(), 8);
    assert_eq!(Sint::new(i64::from(i32::MAX) + 1).width(), 8);
    assert_eq!(emitted(&Sint::new(-1)), (-1i32).to_ne_bytes());
    assert_eq!(walk_payload(&Sint::new(-9), "x"), ["x=-9"]);
    assert_eq!(
        Sint::new(-1).selector_value(),
        Some(SelectorValue::Int(u64::MAX))
    );
}

#[test]
fn uint_and_sint_refuse_other_widths_in_both_modes_naming_4_or_8() {
    for len in [0usize, 1, 2, 3, 5, 6, 7, 9, 12, 16] {
        let bytes = vec![0x11; len];
        for mode in [Mode::Lenient, Mode::Strict] {
            for e in [
                Uint::parse(&bytes, mode).unwrap_err(),
                Sint::parse(&bytes, mode).unwrap_err(),
            ] {
                assert_eq!((e.kind, e.present()), (ErrorKind::Width, len));
                let text = e.reason().to_string();
                assert!(text.contains("expected 4 or 8"), "{text}");
            }
        }
    }
    // In a set, the error carries the attribute's name and offset.
    let mut b = Builder::new_vec();
    b.attr_raw(4, &[1, 2, 3]).unwrap();
    let bytes = b.into_vec();
    let e = Attrs::<YnlAttr>::with(&bytes, 100, Mode::Lenient)
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "YNL_A_UINT: 3 bytes, expected 4 or 8 (NLA_UINT/NLA_SINT) at offset 104"
    );
}

#[test]
fn uint_and_sint_swap_by_payload_length() {
    for swap in [
        <Uint as Payload>::swap_order as fn(&mut [u8]),
        <Sint as Payload>::swap_order,
    ] {
        let mut b4 = [1, 2, 3, 4];
        swap(&mut b4);
        assert_eq!(b4, [4, 3, 2, 1]);
        let mut b8 = [1, 2, 3, 4, 5, 6, 7, 8];
        swap(&mut b8);
        assert_eq!(b8, [8, 7, 6, 5, 4, 3, 2, 1]);
        let mut odd = [1, 2, 3, 4, 5, 6];
        swap(&mut odd);
        assert_eq!(odd, [1, 2, 3, 4, 5, 6], "not an integer: left as captured");
        swap(&mut []);
    }
}

// -- nla_bitfield32 -----------------------------------------------------

#[test]
fn bitfield32_is_a_wire_struct_of_two_host_order_words() {
    assert_eq!(
        (NlaBitfield32::NAME, NlaBitfield32::SIZE),
        ("nla_bitfield32", 8)
    );
    let mut bytes = [0u8; 8];
    bytes[..4].copy_from_slice(&0x5u32.to_ne_bytes());
    bytes[4..].copy_from_slice(&0x7u32.to_ne_bytes());
    let bf = <&NlaBitfield32>::parse(&bytes, Mode::Strict).unwrap();
    assert_eq!((bf.value.get(), bf.selector.get()), (5, 7));
    assert_eq!(emitted(&bf), bytes);
    assert_eq!(
        walk_payload(&bf, "TCA_ACT_FLAGS"),
        ["TCA_ACT_FLAGS.value=5", "TCA_ACT_FLAGS.selector=7"]
    );
    let mut swapped = bytes;
    <&NlaBitfield32 as Payload>::swap_order(&mut swapped);
    assert_eq!(swapped[..4], rev(5));
    assert_eq!(swapped[4..], rev(7));
    let mut long = bytes.to_vec();
    long.push(0);
    assert!(<&NlaBitfield32>::parse(&long, Mode::Lenient).is_ok());
    assert_eq!(
        <&NlaBitfield32>::parse(&long, Mode::Strict)
            .unwrap_err()
            .kind,
        ErrorKind::Trailing
    );
    for mode in [Mode::Lenient, Mode::Strict] {
        let e = <&NlaBitfield32>::parse(&bytes[..5], mode).unwrap_err();
        assert_eq!(
            (e.kind, e.what, e.needed),
            (ErrorKind::Short, "nla_bitfield32", 8)
        );
    }
}

// -- Struct -------------------------------------------------------------

fn cacheinfo_bytes(extra: &[u8]) -> Vec<u8> {
    let mut b: Vec<u8> = [1u32, 2, 3, 4]
        .iter()
        .flat_map(|x| x.to_ne_bytes())
        .collect();
    b.extend_from_slice(extra);
    b
}

#[test]
fn struct_of_exact_size_parses_in_both_modes() {
    let bytes = cacheinfo_bytes(&[]);
    for mode in [Mode::Lenient, Mode::Strict] {
        let s = Struct::<IflaCacheinfo>::parse(&bytes, mode).unwrap();
        let w = s.get().unwrap();
        assert_eq!((w.tstamp.get(), w.retrans_time.get()), (2, 4));
        assert!(s.tail().is_empty());
        assert_eq!(emitted(&s), bytes);
        assert_eq!(
            walk_payload(&s, "IFLA_INET6_CACHEINFO"),
            [
                "IFLA_INET6_CACHEINFO.max_reasm_len=1",
                "IFLA_INET6_CACHEINFO.tstamp=2",
                "IFLA_INET6_CACHEINFO.reachable_time=3",
                "IFLA_INET6_CACHEINFO.retrans_time=4",
            ]
        );
    }
    assert_eq!(<Struct<IflaCacheinfo> as Payload>::FIXED_SIZE, Some(16));
}

#[test]
fn struct_longer_lenient_keeps_the_tail_as_extra_strict_refuses() {
    let bytes = cacheinfo_bytes(&[0xde, 0xad]);
    let s = Struct::<IflaCacheinfo>::parse(&bytes, Mode::Lenient).unwrap();
    assert_eq!(s.get().unwrap().max_reasm_len.get(), 1);
    assert_eq!(s.tail(), [0xde, 0xad]);
    assert_eq!(emitted(&s), bytes, "emit writes the exact original bytes");
    let lines = walk_payload(&s, "C");
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[4], "C.extra=dead");
    let e = Struct::<IflaCacheinfo>::parse(&bytes, Mode::Strict).unwrap_err();
    let like_ref = <&IflaCacheinfo>::parse(&bytes, Mode::Strict).unwrap_err();
    assert_eq!(e, like_ref);
    assert_eq!((e.kind, e.what), (ErrorKind::Trailing, "ifla_cacheinfo"));
}

#[test]
fn struct_shorter_lenient_is_bytes_without_error_strict_refuses() {
    let full = cacheinfo_bytes(&[]);
    for len in [0usize, 1, 7, 15] {
        let bytes = &full[..len];
        let s = Struct::<IflaCacheinfo>::parse(bytes, Mode::Lenient).unwrap();
        assert!(s.get().is_none());
        assert!(s.tail().is_empty());
        assert_eq!(s.bytes(), bytes);
        assert_eq!(emitted(&s), bytes);
        let hex: String = bytes.iter().map(|x| format!("{x:02x}")).collect();
        assert_eq!(walk_payload(&s, "C"), [format!("C={hex}")]);
        let e = Struct::<IflaCacheinfo>::parse(bytes, Mode::Strict).unwrap_err();
        assert_eq!(e, <&IflaCacheinfo>::parse(bytes, Mode::Strict).unwrap_err());
        assert_eq!(
            (e.kind, e.needed(), e.present()),
            (ErrorKind::Short, 16, len)
        );
    }
}

#[test]
fn struct_swaps_the_prefix_only() {
    let mut bytes = cacheinfo_bytes(&[1, 2, 3, 4, 5]);
    <Struct<IflaCacheinfo> as Payload>::swap_order(&mut bytes);
    let mut want: Vec<u8> = [1u32, 2, 3, 4].iter().flat_map(|x| rev(*x)).collect();
    want.extend_from_slice(&[1, 2, 3, 4, 5]);
    assert_eq!(bytes, want);
    let mut short = [1u8, 2, 3, 4, 5];
    <Struct<IflaCacheinfo> as Payload>::swap_order(&mut short);
    assert_eq!(short, [1, 2, 3, 4, 5], "shorter than W: left as captured");
}

// -- IpAddr / Mac / NulStr ----------------------------------------------

#[test]
fn ip_addr_walks_by_length_and_is_never_swapped() {
    let v4 = [192u8, 0, 2, 1];
    let v6: [u8; 16] = "2001:db8::1"
        .parse::<std::net::Ipv6Addr>()
        .unwrap()
        .octets();
    for mode in [Mode::Lenient, Mode::Strict] {
        assert_eq!(
            walk_payload(&IpAddr::parse(&v4, mode).unwrap(), "IFA_ADDRESS"),
            ["IFA_ADDRESS=192.0.2.1"]
        );
        assert_eq!(
            walk_payload(&IpAddr::parse(&v6, mode).unwrap(), "IFA_ADDRESS"),
            ["IFA_ADDRESS=2001:db8::1"]
        );
        assert_eq!(
            walk_payload(&IpAddr::parse(&[1, 2, 3], mode).unwrap(), "IFA_ADDRESS"),
            ["IFA_ADDRESS=010203"]
        );
        assert_eq!(
            walk_payload(&IpAddr::parse(&[], mode).unwrap(), "a"),
            ["a="]
        );
    }
    assert_eq!(emitted(&IpAddr(&v6)), v6);
    let mut b = v4;
    <IpAddr as Payload>::swap_order(&mut b);
    assert_eq!(b, v4);
}

#[test]
fn mac_walks_as_value_mac_any_length() {
    let mac = [0x02, 0x42, 0xac, 0x11, 0x00, 0x0a];
    for mode in [Mode::Lenient, Mode::Strict] {
        let m = Mac::parse(&mac, mode).unwrap();
        assert_eq!(
            walk_payload(&m, "IFLA_ADDRESS"),
            ["IFLA_ADDRESS=mac 02:42:ac:11:00:0a"]
        );
        assert_eq!(emitted(&m), mac);
        // Infiniband's 20-byte addresses, and anything else: still a MAC.
        let ib = [0xffu8; 20];
        let m = Mac::parse(&ib, mode).unwrap();
        let mut v = Lines::new(show);
        m.walk_payload("IFLA_ADDRESS", &mut v);
        assert_eq!(v.lines[0].matches(':').count(), 19);
    }
    let mut seen = None;
    struct Grab<'s>(&'s mut Option<String>);
    impl Visitor for Grab<'_> {
        fn field(&mut self, _: &str, value: Value<'_>) {
            *self.0 = Some(format!("{value:?}"));
        }
        fn begin(&mut self, _: &str) {}
        fn end(&mut self) {}
        fn depth(&self) -> usize {
            0
        }
        fn error(&mut self, _: nlwire::Error) {}
    }
    Mac(&[1, 2]).walk_payload("m", &mut Grab(&mut seen));
    assert_eq!(seen.as_deref(), Some("Mac([1, 2])"));
    let mut b = mac;
    <Mac as Payload>::swap_order(&mut b);
    assert_eq!(b, mac);
    assert_eq!(MacFmt(&[0xAB, 0x0c]).to_string(), "ab:0c");
}

#[test]
fn nul_str_is_a_string_selector_without_its_nul() {
    assert_eq!(
        NulStr(b"vlan\0").selector_value(),
        Some(SelectorValue::Str(b"vlan"))
    );
    assert_eq!(
        NulStr(b"vlan").selector_value(),
        Some(SelectorValue::Str(b"vlan"))
    );
    assert_eq!(NulStr(b"").selector_value(), Some(SelectorValue::Str(b"")));
}

// -- all of them in one attribute set, in a message --------------------

/// A `genlmsghdr` and one attribute of each kind of `YnlAttr`, as a whole
/// netlink message; `YNL_A_CACHEINFO` has `tail` after its 16 bytes.
fn message(tail: &[u8]) -> Vec<u8> {
    let mut bf = [0u8; 8];
    bf[..4].copy_from_slice(&0x1u32.to_ne_bytes());
    bf[4..].copy_from_slice(&0x3u32.to_ne_bytes());
    let bf = <&NlaBitfield32>::parse(&bf, Mode::Strict).unwrap();
    let cache = cacheinfo_bytes(tail);
    let attrs = [
        YnlAttr::Operstate(EnumVal::new(6)),
        YnlAttr::BeState(EnumVal::new(U16::new(2))),
        YnlAttr::Flags(FlagBits::new(3)),
        YnlAttr::Uint(Uint::new(1 << 33)),
        YnlAttr::Sint(Sint::new(-5)),
        YnlAttr::Bitfield(bf),
        YnlAttr::Cacheinfo(Struct::new(&cache)),
        YnlAttr::Addr(IpAddr(&[10, 0, 0, 1])),
        YnlAttr::Mac(Mac(&[0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff])),
        YnlAttr::Name(NulStr(b"eth0\0")),
    ];
    let hdr = GenlMsgHdr {
        cmd: 1,
        version: 2,
        reserved: U16::new(0),
    };
    let mut b = Builder::new_vec();
    b.message(0x20, 0, 7, 0, |b| {
        Message::<GenlMsgHdr, YnlAttr>::write(b, &hdr, &attrs)
    })
    .unwrap();
    b.into_vec()
}

const WALK: &[&str] = &[
    "genlmsghdr.cmd=1",
    "genlmsghdr.version=2",
    "genlmsghdr.reserved=0",
    "YNL_A_OPERSTATE=6 (IF_OPER_UP)",
    "YNL_A_BE_STATE=2 (IF_OPER_DOWN)",
    "YNL_A_FLAGS=0x3",
    "YNL_A_UINT=8589934592",
    "YNL_A_SINT=-5",
    "YNL_A_BITFIELD.value=1",
    "YNL_A_BITFIELD.selector=3",
    "YNL_A_CACHEINFO.max_reasm_len=1",
    "YNL_A_CACHEINFO.tstamp=2",
    "YNL_A_CACHEINFO.reachable_time=3",
    "YNL_A_CACHEINFO.retrans_time=4",
    "YNL_A_CACHEINFO.extra=09090909",
    "YNL_A_ADDR=10.0.0.1",
    "YNL_A_MAC=mac aa:bb:cc:dd:ee:ff",
    "YNL_A_NAME=\"eth0\"",
];

#[test]
fn every_ynl_payload_round_trips_in_a_message() {
    // Strict: the struct of exactly its size; lenient also with a tail.
    for (mode, tail) in [
        (Mode::Strict, &[][..]),
        (Mode::Lenient, &[][..]),
        (Mode::Lenient, &[9, 9, 9, 9][..]),
    ] {
        let bytes = message(tail);
        let m = Messages::new(&bytes).next().unwrap().unwrap();
        let msg = Message::<GenlMsgHdr, YnlAttr>::parse(m.payload, NLMSG_HDRLEN, mode).unwrap();
        let attrs: Vec<YnlAttr> = msg.attrs().collect::<Result<_, _>>().unwrap();
        assert_eq!(attrs.len(), 10);
        assert!(attrs.iter().all(|a| !matches!(a, YnlAttr::Unknown(_))));
        let mut b = Builder::new_vec();
        msg.emit_message(&mut b, 0x20, 0, 7, 0).unwrap();
        assert_eq!(b.into_vec(), bytes, "{mode:?}");
        let mut v = Lines::new(show);
        msg.walk(&mut v);
        assert!(v.errors.is_empty(), "{:?}", v.errors);
        let want: Vec<&str> = WALK
            .iter()
            .copied()
            .filter(|l| !tail.is_empty() || !l.starts_with("YNL_A_CACHEINFO.extra"))
            .collect();
        assert_eq!(v.lines, want);
    }
    // Strict refuses the longer struct, as `&W` would, at its offset.
    let bytes = message(&[9, 9, 9, 9]);
    let m = Messages::new(&bytes).next().unwrap().unwrap();
    let e =
        Message::<GenlMsgHdr, YnlAttr>::parse(m.payload, NLMSG_HDRLEN, Mode::Strict).unwrap_err();
    assert_eq!((e.kind, e.what), (ErrorKind::Trailing, "ifla_cacheinfo"));
}

#[test]
fn ynl_payloads_provide_selectors() {
    let bytes = message(&[]);
    let m = Messages::new(&bytes).next().unwrap().unwrap();
    let msg = Message::<GenlMsgHdr, YnlAttr>::parse(m.payload, 16, Mode::Strict).unwrap();
    let provided: Vec<_> = msg.attrs().filter_map(|a| a.unwrap().provided()).collect();
    assert_eq!(
        provided,
        [
            ("operstate", SelectorValue::Int(6)),
            ("uint", SelectorValue::Int(1 << 33)),
            ("kind", SelectorValue::Str(b"eth0")),
        ]
    );
}

#[test]
fn every_ynl_payload_converts_byte_order() {
    let bytes = message(&[9, 9, 9, 9]);
    let m = Messages::new(&bytes).next().unwrap().unwrap();
    let attr_bytes = Message::<GenlMsgHdr, YnlAttr>::parse(m.payload, 16, Mode::Lenient)
        .unwrap()
        .attr_bytes();
    // Payload by payload, as a foreign-order capture would hold them.
    let expect: &[(u16, &[u8], Vec<u8>)] = &[
        (1, &6u32.to_ne_bytes(), rev(6).to_vec()),
        (2, &[0, 2], vec![0, 2]),
        (3, &3u32.to_ne_bytes(), rev(3).to_vec()),
        (4, &(1u64 << 33).to_ne_bytes(), {
            let mut b = (1u64 << 33).to_ne_bytes();
            b.reverse();
            b.to_vec()
        }),
        (5, &(-5i32).to_ne_bytes(), {
            let mut b = (-5i32).to_ne_bytes();
            b.reverse();
            b.to_vec()
        }),
        (8, &[10, 0, 0, 1], vec![10, 0, 0, 1]),
        (
            9,
            &[0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff],
            vec![0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff],
        ),
        (10, b"eth0\0", b"eth0\0".to_vec()),
    ];
    for (kind, native, swapped) in expect {
        let mut p = native.to_vec();
        YnlAttr::swap_payload(*kind, &mut p);
        assert_eq!(&p, swapped, "kind {kind}");
    }
    let mut c = cacheinfo_bytes(&[9, 9, 9, 9]);
    YnlAttr::swap_payload(7, &mut c);
    let mut want: Vec<u8> = [1u32, 2, 3, 4].iter().flat_map(|x| rev(*x)).collect();
    want.extend_from_slice(&[9, 9, 9, 9]);
    assert_eq!(c, want);
    // The whole stream, as a host of the other order would have sent it.
    let foreign = to_foreign(attr_bytes);
    assert_ne!(foreign, attr_bytes);
    let mut back = foreign.clone();
    nlwire::netlink::swap_attr_stream::<YnlAttr>(&mut back, 0);
    assert_eq!(back, attr_bytes);
}

/// A well-formed native stream of `YnlAttr` as a host of the other byte
/// order sends it: `nla_len`/`nla_type` reversed, each payload converted by
/// its declaration (the conversion is its own inverse).
fn to_foreign(native: &[u8]) -> Vec<u8> {
    let mut out = native.to_vec();
    let mut off = 0;
    while off + 4 <= native.len() {
        let len = usize::from(u16::from_ne_bytes([native[off], native[off + 1]]));
        let kind = u16::from_ne_bytes([native[off + 2], native[off + 3]]);
        assert!(
            len >= 4 && off + len <= native.len(),
            "not a canonical stream"
        );
        out[off..off + 2].reverse();
        out[off + 2..off + 4].reverse();
        YnlAttr::swap_payload(
            kind & nlwire::netlink::NLA_TYPE_MASK,
            &mut out[off + 4..off + len],
        );
        off += (len + 3) & !3;
    }
    out
}

/// Parse then, when it succeeds, emit (the same bytes back for payloads
/// that keep them) and walk; swap in place. Never panics.
fn exercise<'a, P: Payload<'a>>(bytes: &'a [u8], keeps_bytes: bool) {
    for mode in [Mode::Lenient, Mode::Strict] {
        if let Ok(p) = P::parse(bytes, mode) {
            let out = emitted(&p);
            if keeps_bytes || mode.is_strict() {
                assert_eq!(out, bytes);
            }
            let mut v = Lines::new(show);
            p.walk_payload("x", &mut v);
            assert!(!v.lines.is_empty());
            let _ = p.selector_value();
        }
    }
    let mut b = bytes.to_vec();
    P::swap_order(&mut b);
    P::swap_order(&mut b);
    assert_eq!(b, bytes, "swapping twice is the identity");
}

proptest! {
    #[test]
    fn any_bytes_as_each_ynl_payload(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
        let b = &bytes[..];
        exercise::<EnumVal<u32, Operstate>>(b, false);
        exercise::<EnumVal<U16<BigEndian>, Operstate>>(b, false);
        exercise::<FlagBits<u32, DemoFlagNames>>(b, false);
        exercise::<Uint>(b, true);
        exercise::<Sint>(b, true);
        exercise::<&NlaBitfield32>(b, false);
        exercise::<Struct<IflaCacheinfo>>(b, true);
        exercise::<IpAddr>(b, true);
        exercise::<Mac>(b, true);
        exercise::<NulStr>(b, true);
        prop_assert!(Uint::parse(b, Mode::Lenient).is_ok() == matches!(b.len(), 4 | 8));
        prop_assert!(Struct::<IflaCacheinfo>::parse(b, Mode::Lenient).is_ok());
    }

    #[test]
    fn canonical_ynl_streams_round_trip(bytes in nlwire::strategy::attributes::<YnlAttr<'static>>(12)) {
        let attrs: Vec<YnlAttr> = Attrs::<YnlAttr>::with(&bytes, 0, Mode::Lenient)
            .collect::<Result<_, _>>()
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let mut b = Builder::new_vec();
        for a in &attrs {
            b.attr_set(a).unwrap();
        }
        prop_assert_eq!(b.into_vec(), bytes.clone());
        let mut back = to_foreign(&bytes);
        nlwire::netlink::swap_attr_stream::<YnlAttr>(&mut back, 0);
        prop_assert_eq!(back, bytes);
    }
}
