//! proptest strategies for every declared type, generated from the
//! declarations' metadata (feature `proptest`).
//!
//! * [`wire_struct`]: any value of a `#[nl_struct]` (every bit pattern is a
//!   valid value of an alignment-free struct).
//! * [`attribute`]: the canonical bytes of one attribute of a set: a known
//!   kind with a payload of its fixed size (or 0–64 bytes for variable
//!   payloads), or an unknown kind; padding zeroed.
//! * [`attributes`]: a canonical attribute stream.
//! * [`attribute_of`], [`attributes_of`]: the same from a set's registry
//!   description ([`SetDecl`]), so tests need no type.
//! * [`message_rows`], [`payload_of`]: for a family's registry entry, the
//!   (`nlmsg_type`, direction, selector) each row of its message table
//!   takes, and canonical payloads of a row: its fixed header (any bytes,
//!   the selector byte set), zero padding and a canonical attribute stream.
//!
//! Round-trip properties hold for all of them: `parse(b)` succeeds in lenient
//! mode and `emit(parse(b)) == b`.

use alloc::vec::Vec;

use proptest::prelude::*;

use crate::netlink::{nla_align, nlmsg_align, AttributeSet, NLA_HDRLEN};
use crate::registry::{FamilyEntry, MessageRow, SetDecl};
use crate::wire::WireStruct;

/// Any value of a wire struct.
pub fn wire_struct<W: WireStruct + core::fmt::Debug + 'static>() -> impl Strategy<Value = W> {
    proptest::collection::vec(any::<u8>(), W::SIZE)
        .prop_filter_map("size", |v| W::read_from_bytes(&v).ok())
}

/// Encode one attribute the way the kernel's `nla_put` does.
pub fn encode_attr(nla_type: u16, payload: &[u8]) -> Vec<u8> {
    let len = NLA_HDRLEN.saturating_add(payload.len());
    let mut out = Vec::with_capacity(nla_align(len));
    out.extend_from_slice(&u16::try_from(len).unwrap_or(u16::MAX).to_ne_bytes());
    out.extend_from_slice(&nla_type.to_ne_bytes());
    out.extend_from_slice(payload);
    out.resize(nla_align(len), 0);
    out
}

/// The canonical bytes of one attribute of set `A`: a known kind with a
/// payload of its declared size, or (one time in eight) an unknown kind with
/// arbitrary bytes. Nested kinds get a nested stream of unknown attributes.
pub fn attribute<A>() -> impl Strategy<Value = Vec<u8>>
where
    A: AttributeSet<'static>,
{
    attribute_of(SetDecl::of::<A>())
}

/// [`attribute`] for a set given by its registry description.
pub fn attribute_of(set: SetDecl) -> impl Strategy<Value = Vec<u8>> {
    let kinds: Vec<u16> = set.kinds.iter().map(|(k, _)| *k).collect();
    let max_known = kinds.iter().copied().max().unwrap_or(0);
    let known = if kinds.is_empty() {
        Just(0u16).boxed()
    } else {
        proptest::sample::select(kinds).boxed()
    };
    let unknown = (max_known.saturating_add(1)..0x3fff).boxed();
    prop_oneof![7 => known, 1 => unknown]
        .prop_flat_map(move |kind| {
            let size = (set.payload_size)(kind);
            let nested = (set.is_nested)(kind);
            let payload = match size {
                Some(n) => proptest::collection::vec(any::<u8>(), n).boxed(),
                None if nested => proptest::collection::vec(
                    (1u16..200, proptest::collection::vec(any::<u8>(), 0..16)),
                    0..4,
                )
                .prop_map(|v| {
                    v.into_iter()
                        .flat_map(|(k, p)| encode_attr(k, &p))
                        .collect::<Vec<u8>>()
                })
                .boxed(),
                None => proptest::collection::vec(any::<u8>(), 0..64).boxed(),
            };
            (Just(kind), payload)
        })
        .prop_map(move |(kind, payload)| encode_attr(kind | (set.emit_flags)(kind), &payload))
}

/// [`attributes`] for a set given by its registry description.
pub fn attributes_of(set: SetDecl, max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(attribute_of(set), 0..=max).prop_map(|v| v.concat())
}

/// Which messages a row of a family's table takes: up to `max`
/// (`nlmsg_type`, `NLM_F_REQUEST`, selector) triples that the row matches
/// and no earlier row does (control types only when the family claims
/// them; every selector value when the family has a selector, and then
/// types below `0x400`; every type otherwise, as nfnetlink's
/// `NFNL_SUBSYS_* << 8` types are above it).
pub fn message_rows(entry: &FamilyEntry, row: usize, max: usize) -> Vec<(u16, bool, Option<u8>)> {
    let mut out = Vec::new();
    let sels: Vec<Option<u8>> = match entry.selector {
        Some(_) => (0..=255u8).map(Some).collect(),
        None => alloc::vec![None],
    };
    let Some(this) = entry.rows.get(row) else {
        return out;
    };
    let earlier = entry.rows.get(..row).unwrap_or_default();
    // The control types the family claims (`FamilyEntry::claims_control`)
    // are its messages too.
    let claimed = (1..crate::netlink::NLMSG_MIN_TYPE).filter(|&t| entry.claims(t));
    let last = if entry.selector.is_some() {
        0x400
    } else {
        u16::MAX
    };
    for typ in claimed.chain(crate::netlink::NLMSG_MIN_TYPE..last) {
        for request in [true, false] {
            for &sel in &sels {
                let takes = |r: &MessageRow| (r.matches)(typ, request, sel);
                if takes(this) && !earlier.iter().any(takes) {
                    out.push((typ, request, sel));
                    if out.len() >= max {
                        return out;
                    }
                }
            }
        }
    }
    out
}

/// A canonical payload for a row of `entry` whose body is a fixed header
/// and attributes ([`MessageRow::shape`]; `None` otherwise): the header's
/// bytes arbitrary but for the selector byte, padding zeroed, then up to
/// `max_attrs` canonical attributes.
pub fn payload_of(
    entry: &FamilyEntry,
    row: &MessageRow,
    selector: Option<u8>,
    max_attrs: usize,
) -> Option<BoxedStrategy<Vec<u8>>> {
    let shape = (row.shape)()?;
    let size = shape.header.size;
    let sel_at = entry.selector.map(|(off, _)| off);
    let header = proptest::collection::vec(any::<u8>(), size);
    Some(
        (header, attributes_of(shape.attrs, max_attrs))
            .prop_map(move |(mut h, attrs)| {
                if let (Some(at), Some(v)) = (sel_at, selector) {
                    if let Some(b) = h.get_mut(at) {
                        *b = v;
                    }
                }
                h.resize(nlmsg_align(size), 0);
                h.extend_from_slice(&attrs);
                h
            })
            .boxed(),
    )
}

/// A canonical stream of up to `max` attributes of set `A`.
pub fn attributes<A>(max: usize) -> impl Strategy<Value = Vec<u8>>
where
    A: AttributeSet<'static>,
{
    proptest::collection::vec(attribute::<A>(), 0..=max).prop_map(|v| v.concat())
}
