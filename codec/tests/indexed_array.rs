//! `IndexedArray` (YNL `indexed-array`): parse, walk, emit, byte order
//! and depth limits, through the generic-netlink controller's
//! `CTRL_ATTR_OPS` (moved out of `codec/src/netlink/indexed.rs`, which
//! names no family).
use nlwire::families::genl::{CtrlAttr, CtrlOpAttr};
use nlwire::netlink::AnyAttr;
use nlwire::netlink::*;
use nlwire::payload::Payload;
use nlwire::value::Value;
use nlwire::value::Visitor;
use nlwire::{Error, ErrorKind, Mode, Result};

type Ops<'a> = IndexedArray<'a, Nested<'a, CtrlOpAttr<'a>>>;

/// A visitor that prints a walk as `path=value` lines and errors.
#[derive(Default)]
struct Lines {
    path: Vec<String>,
    out: Vec<String>,
    errors: Vec<Error>,
}
impl Visitor for Lines {
    fn field(&mut self, name: &str, value: Value<'_>) {
        let v = match value {
            Value::U64(n) => format!("{n}"),
            Value::Flags { raw, .. } => format!("{raw:#x}"),
            other => format!("{other:?}"),
        };
        self.out.push(format!("{}{name}={v}", self.prefix()));
    }
    fn begin(&mut self, name: &str) {
        self.path.push(String::from(name));
    }
    fn end(&mut self) {
        self.path.pop();
    }
    fn depth(&self) -> usize {
        self.path.len()
    }
    fn error(&mut self, e: Error) {
        self.errors.push(e);
    }
}
impl Lines {
    fn prefix(&self) -> String {
        self.path.iter().map(|p| format!("{p}/")).collect()
    }
}

/// Entries (op id, flags), numbered from 1, as the kernel writes them.
fn ops(list: &[(u32, u32)]) -> Vec<u8> {
    let mut b = Builder::new_vec();
    write_indexed_array(&mut b, 6, false, list, |b, &(id, flags)| {
        b.attr(1, &id)?;
        b.attr(2, &flags)
    })
    .unwrap();
    b.into_vec()
}

/// The payload of the outer attribute.
fn payload(attr: &[u8]) -> &[u8] {
    &attr[NLA_HDRLEN..]
}

#[test]
fn write_numbers_entries_from_one_without_nla_f_nested() {
    let bytes = ops(&[(3, 0xe), (10, 4)]);
    // Outer header: nla_len 44, nla_type 6; entry 1: nla_len 20, type 1.
    assert_eq!(&bytes[..4], &[44, 0, 6, 0]);
    assert_eq!(&bytes[4..8], &[20, 0, 1, 0]);
    assert_eq!(&bytes[24..28], &[20, 0, 2, 0]);
    assert_eq!(bytes.len(), 44);
}

#[test]
fn parse_and_entries_yield_index_and_typed_sets() {
    let bytes = ops(&[(3, 0xe), (10, 4)]);
    for mode in [Mode::Lenient, Mode::Strict] {
        let a = Ops::parse(payload(&bytes), mode).unwrap();
        let mut got = Vec::new();
        for e in a.sets() {
            let (i, attrs) = e.unwrap();
            for x in attrs {
                match x.unwrap() {
                    CtrlOpAttr::Id(id) => got.push((i, id)),
                    CtrlOpAttr::Flags(f) => got.push((i, f.bits)),
                    CtrlOpAttr::Unknown(u) => panic!("{u:?}"),
                }
            }
        }
        assert_eq!(got, [(1, 3), (1, 0xe), (2, 10), (2, 4)]);
        let idx: Vec<u16> = a.entries().map(|e| e.unwrap().0).collect();
        assert_eq!(idx, [1, 2]);
    }
}

#[test]
fn walk_names_entries_by_index() {
    let bytes = ops(&[(3, 0xe), (10, 4)]);
    let a = Ops::parse(payload(&bytes), Mode::Strict).unwrap();
    let mut v = Lines::default();
    a.walk_payload("CTRL_ATTR_OPS", &mut v);
    assert_eq!(
        v.out,
        [
            "CTRL_ATTR_OPS/1/CTRL_ATTR_OP_ID=3",
            "CTRL_ATTR_OPS/1/CTRL_ATTR_OP_FLAGS=0xe",
            "CTRL_ATTR_OPS/2/CTRL_ATTR_OP_ID=10",
            "CTRL_ATTR_OPS/2/CTRL_ATTR_OP_FLAGS=0x4",
        ]
    );
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    assert_eq!(v.path.len(), 0, "groups balanced");
}

#[test]
fn scalar_entries_parse_walk_and_swap() {
    // YNL `indexed-array` with `sub-type: u32`.
    let mut b = Builder::new_vec();
    write_indexed_array(&mut b, 1, true, [7u32, 0x0102_0304], |b, x| {
        b.put_bytes(&x.to_ne_bytes())
    })
    .unwrap();
    let bytes = b.into_vec();
    let a = IndexedArray::<u32>::parse(payload(&bytes), Mode::Strict).unwrap();
    let got: Vec<(u16, u32)> = a.entries().map(Result::unwrap).collect();
    assert_eq!(got, [(1, 7), (2, 0x0102_0304)]);
    let mut v = Lines::default();
    a.walk_payload("X", &mut v);
    assert_eq!(v.out, ["X/1=7", format!("X/2={}", 0x0102_0304).as_str()]);
    // A capture of the other byte order converts to ours.
    let mut foreign = to_foreign(&bytes[NLA_HDRLEN..], 0);
    IndexedArray::<u32>::swap_order(&mut foreign);
    assert_eq!(foreign, &bytes[NLA_HDRLEN..]);
}

/// The foreign-order image of a native attribute stream whose
/// attributes nest `levels` deep above 4-byte values.
fn to_foreign(native: &[u8], levels: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for raw in RawAttrs::new(native) {
        let raw = raw.unwrap();
        let len = (raw.payload.len() + NLA_HDRLEN) as u16;
        out.extend_from_slice(&len.swap_bytes().to_ne_bytes());
        out.extend_from_slice(&(raw.kind | raw.flags).swap_bytes().to_ne_bytes());
        if levels == 0 {
            let mut v = raw.payload.to_vec();
            v.reverse();
            out.extend_from_slice(&v);
        } else {
            out.extend_from_slice(&to_foreign(raw.payload, levels - 1));
        }
        out.resize(nla_align(out.len()), 0);
    }
    out
}

#[test]
fn swap_converts_entry_headers_and_each_entry_set() {
    let bytes = ops(&[(3, 0xe), (10, 4)]);
    let native = payload(&bytes);
    let mut s = to_foreign(native, 1);
    assert_ne!(s, native);
    Ops::swap_order(&mut s);
    assert_eq!(s, native);
    // Native bytes read as foreign: the first entry header is too long
    // (its nla_len reads as 0x1400), so nothing changes: converting
    // twice leaves a converted payload as it is.
    let mut again = s.clone();
    Ops::swap_order(&mut again);
    assert_eq!(again, native);
    // Garbage never panics.
    for n in 0..32 {
        let mut g: Vec<u8> = (0..n).map(|i| (i * 37 + 5) as u8).collect();
        Ops::swap_order(&mut g);
    }
}

#[test]
fn emit_round_trip_through_the_controller_set() {
    let inner = ops(&[(3, 0xe), (10, 4)]);
    let a = Ops::parse(payload(&inner), Mode::Strict).unwrap();
    let mut b = Builder::new_vec();
    b.attr_set(&CtrlAttr::Ops(a)).unwrap();
    let out = b.into_vec();
    assert_eq!(out, inner, "CTRL_ATTR_OPS re-emits byte for byte");
    let raw = RawAttrs::new(&out).next().unwrap().unwrap();
    match CtrlAttr::from_raw(raw, Mode::Strict).unwrap() {
        CtrlAttr::Ops(o) => assert_eq!(o.entries().count(), 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn malformed_entry_is_kept_lenient_and_refused_strict() {
    // Entry 2's CTRL_ATTR_OP_ID has a 2-byte payload.
    let mut b = Builder::new_vec();
    write_indexed_array(&mut b, 6, false, [0u8, 1], |b, i| {
        if i == 0 {
            b.attr(1, &3u32)
        } else {
            b.attr_raw(1, &[9, 9])
        }
    })
    .unwrap();
    let bytes = b.into_vec();
    let e = Ops::parse(payload(&bytes), Mode::Strict).unwrap_err();
    assert_eq!(e.what, "CTRL_ATTR_OP_ID");
    // Offset from the array's payload: entry 1 is 12 bytes, so entry 2
    // is at 12, its header 4, the attribute's payload 4 more.
    assert_eq!(e.offset, 12 + 4 + 4);
    let a = Ops::parse(payload(&bytes), Mode::Lenient).unwrap();
    let mut v = Lines::default();
    a.walk_payload("CTRL_ATTR_OPS", &mut v);
    assert_eq!(v.out, ["CTRL_ATTR_OPS/1/CTRL_ATTR_OP_ID=3"]);
    assert_eq!(v.errors.len(), 1);
    assert_eq!(v.errors[0].offset, 20, "the same offset as strict");

    // A bad entry header: nla_len past the end.
    let bad = [4u8, 0, 1, 0, 40, 0, 2, 0];
    assert!(Ops::parse(&bad, Mode::Strict).is_err());
    let a = Ops::parse(&bad, Mode::Lenient).unwrap();
    let mut v = Lines::default();
    a.walk_payload("CTRL_ATTR_OPS", &mut v);
    assert_eq!(v.errors.len(), 1, "{:?}", v.errors);
    assert_eq!(v.errors[0].kind, ErrorKind::LengthPastEnd);
    assert_eq!(a.entries().filter(Result::is_err).count(), 1);
}

/// Nests `depth` indexed arrays of indexed arrays, of `AnyAttr` nests
/// at the bottom, each with one entry.
fn deep(depth: usize) -> Vec<u8> {
    let mut inner = Vec::new();
    for _ in 0..depth {
        let mut b = Builder::new_vec();
        b.attr_raw(1, &inner).unwrap();
        inner = b.into_vec();
    }
    inner
}

type Deep<'a> = IndexedArray<'a, IndexedArray<'a, IndexedArray<'a, Nested<'a, AnyAttr<'a>>>>>;

#[test]
fn strict_validation_stops_at_max_nest_depth() {
    // Three arrays and a nest: fine at the top, too deep when the array
    // itself already sits MAX_NEST_DEPTH - 3 nests down.
    let bytes = deep(3);
    assert!(Deep::parse_at_depth(&bytes, Mode::Strict, 0).is_ok());
    assert!(Deep::parse_at_depth(&bytes, Mode::Strict, MAX_NEST_DEPTH - 4).is_ok());
    let e = Deep::parse_at_depth(&bytes, Mode::Strict, MAX_NEST_DEPTH - 3).unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooDeep);
    let e = Ops::parse_at_depth(&[], Mode::Strict, MAX_NEST_DEPTH).unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooDeep);
    // Lenient keeps the bytes; the walk stops at the depth limit.
    let one = ops(&[(1, 1)]);
    let a = Ops::parse_at_depth(payload(&one), Mode::Lenient, MAX_NEST_DEPTH).unwrap();
    let mut v = Lines::default();
    for _ in 0..MAX_NEST_DEPTH {
        v.begin("x");
    }
    a.walk_payload("CTRL_ATTR_OPS", &mut v);
    assert!(v.out.is_empty());
    assert_eq!(v.errors.len(), 1);
    assert_eq!(v.errors[0].kind, ErrorKind::TooDeep);
}

#[test]
fn describe_reports_the_entry_set() {
    use nlwire::registry::{Decl, Describe};
    let mut names = Vec::new();
    <Ops<'_> as Describe>::describe(&mut |d: Decl| {
        names.push(d.name());
        true
    });
    assert_eq!(names, ["op-attrs"]);
}

proptest::proptest! {
    /// Any list of operations written as `CTRL_ATTR_OPS` parses strictly
    /// back to the same (index, id, flags), indices from 1, and re-emits
    /// byte for byte; arbitrary bytes never panic in either mode.
    #[test]
    fn written_arrays_parse_back_and_reemit(
        list in proptest::collection::vec((proptest::prelude::any::<u32>(), proptest::prelude::any::<u32>()), 0..40),
        junk in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
    ) {
        let bytes = ops(&list);
        let a = Ops::parse(payload(&bytes), Mode::Strict).unwrap();
        let mut got = Vec::new();
        for e in a.sets() {
            let (i, attrs) = e.unwrap();
            let (mut id, mut flags) = (None, None);
            for x in attrs {
                match x.unwrap() {
                    CtrlOpAttr::Id(v) => id = Some(v),
                    CtrlOpAttr::Flags(f) => flags = Some(f.bits),
                    CtrlOpAttr::Unknown(u) => panic!("{u:?}"),
                }
            }
            got.push((i, id.unwrap(), flags.unwrap()));
        }
        let want: Vec<_> = list
            .iter()
            .enumerate()
            .map(|(i, &(id, f))| (i as u16 + 1, id, f))
            .collect();
        proptest::prop_assert_eq!(got, want);
        let mut b = Builder::new_vec();
        b.attr_set(&CtrlAttr::Ops(a)).unwrap();
        proptest::prop_assert_eq!(b.into_vec(), bytes);
        for mode in [Mode::Lenient, Mode::Strict] {
            if let Ok(a) = Ops::parse(&junk, mode) {
                for e in a.entries() {
                    let _ = e;
                }
                let mut v = Lines::default();
                a.walk_payload("CTRL_ATTR_OPS", &mut v);
            }
        }
    }
}
