//! proptest strategies for every declared type, generated from the
//! declarations' metadata (feature `proptest`).
//!
//! * [`wire_struct`]: any value of a `#[nl_struct]` (every bit pattern is a
//!   valid value of an alignment-free struct).
//! * [`attribute`]: the canonical bytes of one attribute of a set: a known
//!   kind with a payload of its fixed size (or 0–64 bytes for variable
//!   payloads), or an unknown kind; padding zeroed.
//! * [`attributes`]: a canonical attribute stream.
//!
//! Round-trip properties hold for all of them: `parse(b)` succeeds in lenient
//! mode and `emit(parse(b)) == b`.

use alloc::vec::Vec;

use proptest::prelude::*;

use crate::netlink::{nla_align, AttributeSet, NLA_HDRLEN};
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
    let kinds: Vec<u16> = A::KINDS.iter().map(|(k, _)| *k).collect();
    let max_known = kinds.iter().copied().max().unwrap_or(0);
    let known = if kinds.is_empty() {
        Just(0u16).boxed()
    } else {
        proptest::sample::select(kinds).boxed()
    };
    let unknown = (max_known.saturating_add(1)..0x3fff).boxed();
    prop_oneof![7 => known, 1 => unknown]
        .prop_flat_map(|kind| {
            let size = A::payload_size(kind);
            let nested = A::is_nested_kind(kind);
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
            (Just(kind), Just(nested), payload)
        })
        .prop_map(|(kind, nested, payload)| {
            let _ = nested;
            encode_attr(kind | A::emit_flags(kind), &payload)
        })
}

/// A canonical stream of up to `max` attributes of set `A`.
pub fn attributes<A>(max: usize) -> impl Strategy<Value = Vec<u8>>
where
    A: AttributeSet<'static>,
{
    proptest::collection::vec(attribute::<A>(), 0..=max).prop_map(|v| v.concat())
}
