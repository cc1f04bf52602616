//! YNL `indexed-array` (and one level of `nest-type-value`): a nest whose
//! attributes are the entries of an array, the kind of each being its
//! index rather than a kind of an attribute set.
//!
//! ```text
//! CTRL_ATTR_OPS            (nla_type 6)
//! +-- nlattr, nla_type 1   entry 1: CTRL_ATTR_OP_ID, CTRL_ATTR_OP_FLAGS
//! +-- nlattr, nla_type 2   entry 2: ...
//! ```
//!
//! The kernel writes these with `nla_nest_start_noflag(skb, idx++)` per
//! entry (`ctrl_fill_info()` in `net/netlink/genetlink.c` counts from 1)
//! and parses them with `nla_for_each_nested()`, ignoring the index. The
//! entry payload is any [`Payload`]: a nested attribute set
//! (`IndexedArray<'a, Nested<'a, A>>`, YNL `sub-type: nest`), a scalar
//! (`IndexedArray<'a, u32>`, `sub-type: u32`), or another indexed array
//! (`nest-type-value` with two levels, as `CTRL_ATTR_POLICY` is).

use core::marker::PhantomData;

use byteorder::{ByteOrder, NativeEndian};

use super::{
    nla_align, AttributeSet, Attrs, Builder, Nested, RawAttrs, Sink, MAX_NEST_DEPTH, NLA_HDRLEN,
    NLA_TYPE_MASK,
};
use crate::payload::Payload;
use crate::value::{IndexBuf, Visitor};
use crate::{Error, ErrorKind, Mode, Result};

/// The name errors of an indexed array carry when nothing more precise is
/// known (the enclosing attribute's name replaces an empty one).
const WHAT: &str = "indexed-array";

/// A YNL `indexed-array`: a nest of entries whose `nla_type` is their index
/// (from 1 as the kernel writes them), each a `T`.
///
/// Parsing keeps the bytes; strict mode validates every entry as `T` up
/// front (at most [`MAX_NEST_DEPTH`] nests deep, like [`Nested`]). The walk
/// reports each entry under its index as name (`"1"`, `"2"`, …); JSON
/// prints the array as an object keyed by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IndexedArray<'a, T> {
    bytes: &'a [u8],
    mode: Mode,
    _entry: PhantomData<T>,
}

impl<'a, T: Payload<'a>> IndexedArray<'a, T> {
    /// An indexed array over `bytes` (lenient).
    pub const fn new(bytes: &'a [u8]) -> Self {
        IndexedArray {
            bytes,
            mode: Mode::Lenient,
            _entry: PhantomData,
        }
    }

    /// The encoded bytes (the entries with their headers).
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The entries, in order, as `(index, entry)`. A malformed entry header
    /// or an entry that does not parse as `T` is yielded as its error (the
    /// walk stops after a malformed header). Error offsets count from the
    /// start of the array's payload.
    pub fn entries(&self) -> Entries<'a, T> {
        Entries {
            raw: RawAttrs::with(self.bytes, 0, self.mode),
            mode: self.mode,
            _entry: PhantomData,
        }
    }
}

impl<'a, A: AttributeSet<'a>> IndexedArray<'a, Nested<'a, A>> {
    /// The entries of an array of nests, each as `(index, its attributes)`.
    pub fn sets(&self) -> impl Iterator<Item = Result<(u16, Attrs<'a, A>)>> + 'a {
        let mode = self.mode;
        RawAttrs::with(self.bytes, 0, mode).map(move |r| {
            r.map(|raw| {
                (
                    raw.kind,
                    Attrs::with(raw.payload, raw.payload_offset(), mode),
                )
            })
        })
    }
}

/// The iterator of [`IndexedArray::entries`].
#[derive(Clone, Debug)]
pub struct Entries<'a, T> {
    raw: RawAttrs<'a>,
    mode: Mode,
    _entry: PhantomData<T>,
}

impl<'a, T: Payload<'a>> Iterator for Entries<'a, T> {
    type Item = Result<(u16, T)>;
    fn next(&mut self) -> Option<Self::Item> {
        let raw = match self.raw.next()? {
            Ok(raw) => raw,
            Err(e) => return Some(Err(e)),
        };
        Some(
            T::parse(raw.payload, self.mode)
                .map(|t| (raw.kind, t))
                .map_err(|e| crate::payload::name_error(e, WHAT, raw.payload_offset())),
        )
    }
}

impl<'a, T: Payload<'a>> core::iter::FusedIterator for Entries<'a, T> {}

impl<'a, T: Payload<'a>> Payload<'a> for IndexedArray<'a, T> {
    const NESTED: bool = true;
    fn parse(bytes: &'a [u8], mode: Mode) -> Result<Self> {
        Self::parse_at_depth(bytes, mode, 0)
    }
    fn parse_at_depth(bytes: &'a [u8], mode: Mode, depth: usize) -> Result<Self> {
        if mode.is_strict() {
            if depth >= MAX_NEST_DEPTH {
                return Err(Error::new(
                    ErrorKind::TooDeep,
                    WHAT,
                    MAX_NEST_DEPTH,
                    depth.saturating_add(1),
                ));
            }
            for raw in RawAttrs::with(bytes, 0, mode) {
                let raw = raw?;
                T::parse_at_depth(raw.payload, mode, depth.saturating_add(1))
                    .map_err(|e| e.at(raw.payload_offset()))?;
            }
        }
        Ok(IndexedArray {
            bytes,
            mode,
            _entry: PhantomData,
        })
    }
    fn len(&self) -> usize {
        self.bytes.len()
    }
    fn write(&self, buf: &mut [u8]) {
        crate::payload::copy_into(buf, self.bytes);
    }
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        v.begin(name);
        let depth = v.depth();
        if depth > MAX_NEST_DEPTH {
            v.error(Error::new(ErrorKind::TooDeep, WHAT, MAX_NEST_DEPTH, depth));
        } else {
            let mut idx = IndexBuf::new();
            for raw in RawAttrs::with(self.bytes, 0, self.mode) {
                let raw = match raw {
                    Ok(raw) => raw,
                    Err(e) => {
                        v.error(e);
                        continue;
                    }
                };
                let base = raw.payload_offset();
                match T::parse(raw.payload, self.mode) {
                    Ok(t) => t.walk_payload(
                        idx.format(usize::from(raw.kind)),
                        &mut super::attr::Rebase { inner: v, base },
                    ),
                    Err(e) => v.error(crate::payload::name_error(e, WHAT, base)),
                }
            }
        }
        v.end();
    }
    fn swap_order(bytes: &mut [u8]) {
        let mut pos = 0usize;
        loop {
            let Some(rest) = bytes.get_mut(pos..) else {
                return;
            };
            if rest.len() < NLA_HDRLEN {
                return;
            }
            let (hdr, body) = rest.split_at_mut(NLA_HDRLEN);
            // Read in the foreign order, then rewrite in ours.
            let len = usize::from(NativeEndian::read_u16(hdr).swap_bytes());
            if len < NLA_HDRLEN || len > body.len().saturating_add(NLA_HDRLEN) {
                return;
            }
            if let Some(h) = hdr.get_mut(0..2) {
                h.reverse();
            }
            if let Some(h) = hdr.get_mut(2..4) {
                h.reverse();
            }
            if let Some(p) = body.get_mut(..len.saturating_sub(NLA_HDRLEN)) {
                T::swap_order(p);
            }
            pos = pos.saturating_add(nla_align(len));
        }
    }
}

/// Write an indexed array: the attribute `kind` (with `NLA_F_NESTED` when
/// `flag_nested`) holding one entry per item, numbered from 1 as the
/// kernel numbers them, without `NLA_F_NESTED` as the kernel writes them
/// (`nla_nest_start_noflag`); `entry` writes the contents of each (the
/// attributes of a nest, or a 4- or 8-byte scalar with
/// [`Builder::put_bytes`]: contents are padded to 4 bytes).
///
/// ```
/// use nlwire::families::genl::CtrlOpAttr;
/// use nlwire::netlink::{write_indexed_array, Builder, IndexedArray, Nested};
/// use nlwire::payload::Payload;
/// // CTRL_ATTR_OPS (6) with two CTRL_ATTR_OP_ID (1) entries.
/// let mut b = Builder::new_vec();
/// write_indexed_array(&mut b, 6, false, [3u32, 10], |b, id| b.attr(1, &id))?;
/// let bytes = b.into_vec();
/// let ops = IndexedArray::<Nested<CtrlOpAttr>>::parse(&bytes[4..], nlwire::Mode::Strict)?;
/// let mut ids = Vec::new();
/// for entry in ops.sets() {
///     let (index, attrs) = entry?;
///     for a in attrs {
///         if let CtrlOpAttr::Id(id) = a? {
///             ids.push((index, id));
///         }
///     }
/// }
/// assert_eq!(ids, [(1, 3), (2, 10)]);
/// # Ok::<(), nlwire::Error>(())
/// ```
pub fn write_indexed_array<S: Sink, I: IntoIterator>(
    b: &mut Builder<S>,
    kind: u16,
    flag_nested: bool,
    items: I,
    mut entry: impl FnMut(&mut Builder<S>, I::Item) -> Result<()>,
) -> Result<()> {
    b.nested(kind, flag_nested, |b| {
        for (i, item) in items.into_iter().enumerate() {
            let index = u16::try_from(i.saturating_add(1))
                .ok()
                .filter(|n| n & !NLA_TYPE_MASK == 0)
                .ok_or(Error::new(
                    ErrorKind::TooLong,
                    WHAT,
                    i,
                    usize::from(NLA_TYPE_MASK),
                ))?;
            b.nested(index, false, |b| entry(b, item))?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    extern crate alloc;
    use alloc::format;
    use alloc::string::String;
    use alloc::vec::Vec;

    use super::*;
    use crate::families::genl::{CtrlAttr, CtrlOpAttr};
    use crate::netlink::AnyAttr;
    use crate::value::Value;

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
        use crate::registry::{Decl, Describe};
        let mut names = Vec::new();
        <Ops<'_> as Describe>::describe(&mut |d: Decl| {
            names.push(d.name());
            true
        });
        assert_eq!(names, ["op_attrs"]);
    }
}
