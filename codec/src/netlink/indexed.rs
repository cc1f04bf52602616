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
