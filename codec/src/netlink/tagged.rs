//! A fixed structure followed by a C union that one of its fields picks:
//! `struct proc_event` (`<linux/cn_proc.h>`) is `what`, `cpu`,
//! `timestamp_ns` and then `union { ... } event_data`, whose member is the
//! one `what` names. YNL has no word for it (its sub-messages are picked by
//! an attribute); here the union is a `#[sub_message]` whose selector is
//! the field's kernel name, and [`Tagged`] reads that field from the
//! structure before it.
//!
//! Declared, not hand-written: a family carries
//! `Tagged<'a, ProcEventHdr, EventData<'a>>` where the structure is an
//! `#[nl_struct]` and the union a
//! `#[sub_message(name = "event_data", selector = "what")]`.

use super::submsg::SubMessage;
use crate::payload::{copy_into, Payload};
use crate::value::{SelectorValue, Visitor};
use crate::wire::WireStruct;
use crate::{Error, ErrorKind, Mode, Result};

/// The structure `H`, then the union `S` that `H`'s field named
/// `S::SELECTOR` picks. Emit writes the bytes as received.
///
/// Strict parsing refuses a value of the field that no member of the union
/// takes (the kernel never sends one); lenient parsing keeps the bytes
/// (`Unselected`). The walk shows the structure's fields, then the union
/// by its name holding the member that was read.
#[derive(Debug)]
pub struct Tagged<'a, H, S> {
    /// The structure.
    pub header: &'a H,
    /// The union member its field picks.
    pub union: S,
    bytes: &'a [u8],
}

impl<H, S: Clone> Clone for Tagged<'_, H, S> {
    fn clone(&self) -> Self {
        Tagged {
            header: self.header,
            union: self.union.clone(),
            bytes: self.bytes,
        }
    }
}
impl<H, S: Copy> Copy for Tagged<'_, H, S> {}
impl<H, S> PartialEq for Tagged<'_, H, S> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}
impl<H, S> Eq for Tagged<'_, H, S> {}

/// The selector value the field `S::SELECTOR` of `header` holds.
fn selector<'a, H: WireStruct, S: SubMessage<'a>>(header: &H) -> Option<SelectorValue<'static>> {
    header.field_value(S::SELECTOR).map(SelectorValue::Int)
}

impl<'a, H: WireStruct, S: SubMessage<'a> + Copy> Payload<'a> for Tagged<'a, H, S> {
    fn parse(bytes: &'a [u8], mode: Mode) -> Result<Self> {
        Self::parse_at_depth(bytes, mode, 0)
    }
    fn parse_at_depth(bytes: &'a [u8], mode: Mode, depth: usize) -> Result<Self> {
        let (header, rest) = H::parse(bytes)?;
        let value = selector::<H, S>(header);
        let union = S::select(value, rest, mode, depth).map_err(|e| e.at(H::SIZE))?;
        if mode.is_strict() && !union.is_selected() {
            let v = value.map_or(0, |v| match v {
                SelectorValue::Int(n) => usize::try_from(n).unwrap_or(usize::MAX),
                SelectorValue::Str(_) => 0,
            });
            return Err(Error::new(ErrorKind::Unknown, S::NAME, v, bytes.len()));
        }
        Ok(Tagged {
            header,
            union,
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
        self.header.walk(v);
        v.begin(S::NAME);
        self.union.walk_as(self.union.member(), v);
        v.end();
        v.end();
    }
    fn swap_order(bytes: &mut [u8]) {
        let n = H::SIZE.min(bytes.len());
        let (head, rest) = bytes.split_at_mut(n);
        H::swap_order(head);
        if let Ok((h, _)) = H::parse(head) {
            S::swap_as(selector::<H, S>(h), rest);
        }
    }
}
