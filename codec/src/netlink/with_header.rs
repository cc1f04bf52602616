//! An attribute payload that is itself a fixed header followed by
//! attributes: YNL sub-message formats with both `fixed-header` and
//! `attribute-set` (tc's `TCA_OPTIONS` of `netem`: `struct tc_netem_qopt`
//! then `TCA_NETEM_*`, parsed by the kernel with
//! `nla_parse_nested_deprecated()` after `NLA_ALIGN(sizeof(qopt))`).

use super::attr::{swap_attr_stream, AttributeSet};
use super::body::Message;
use super::header::nlmsg_align;
use crate::payload::{copy_into, Payload};
use crate::value::{Visitor, Walk};
use crate::wire::WireStruct;
use crate::{Mode, Result};

/// A fixed header `H`, padding to 4 bytes, then attributes of the set `A`,
/// as one attribute's payload. Emit writes the bytes as received.
#[derive(Debug)]
pub struct WithHeader<'a, H, A> {
    /// The header and attributes.
    pub message: Message<'a, H, A>,
    bytes: &'a [u8],
}

impl<H, A> Clone for WithHeader<'_, H, A> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<H, A> Copy for WithHeader<'_, H, A> {}
impl<H, A> PartialEq for WithHeader<'_, H, A> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}
impl<H, A> Eq for WithHeader<'_, H, A> {}

impl<'a, H: WireStruct, A: AttributeSet<'a>> Payload<'a> for WithHeader<'a, H, A> {
    fn parse(bytes: &'a [u8], mode: Mode) -> Result<Self> {
        Ok(WithHeader {
            message: Message::parse(bytes, 0, mode)?,
            bytes,
        })
    }
    fn len(&self) -> usize {
        self.bytes.len()
    }
    fn write(&self, buf: &mut [u8]) {
        copy_into(buf, self.bytes);
    }
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        v.begin(name);
        self.message.walk(v);
        v.end();
    }
    fn swap_order(bytes: &mut [u8]) {
        let start = nlmsg_align(H::SIZE);
        if let Some(h) = bytes.get_mut(..H::SIZE) {
            H::swap_order(h);
        }
        if let Some(rest) = bytes.get_mut(start..) {
            swap_attr_stream::<A>(rest, 0);
        }
    }
}
