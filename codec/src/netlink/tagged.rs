//! A fixed structure followed by a C union that its fields pick. A
//! family's tagged union is a structure (say `kind`, `flags`, then
//! `union { ... } data`) whose `kind` names the member that follows. YNL
//! has no word for it (its sub-messages are picked by an attribute); here
//! the union is a `#[sub_message]` whose selector is the field's kernel
//! name, and [`Tagged`] reads that field from the structure before it.
//!
//! Declared, not hand-written: a family carries `Tagged<'a, Hdr, Data<'a>>`
//! where `Hdr` is an `#[nl_struct]` and `Data` a
//! `#[sub_message(name = "data", selector = "kind")]`.
//!
//! A union picked by several fields and by its length (variants declared
//! `#[nl(when(field = VALUE, ...), len = LEN)]`), bounded by a length field
//! of the structure (`#[sub_message(length = "struct.field")]`), and making
//! up a whole message is a [`TaggedBody`].

use super::submsg::SubMessage;
use super::{Builder, MessageBody, Sink};
use crate::payload::{copy_into, Payload};
use crate::value::{SelectorValue, Value, Visitor, Walk};
use crate::wire::WireStruct;
use crate::{Error, ErrorKind, Mode, Result};

/// The structure `H`, then the union `S` that `H`'s field named
/// `S::SELECTOR` picks (or the fields its `when` variants name, and the
/// union's length: [`SubMessage::select_by`]). Emit writes the bytes as
/// received.
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

/// The fields of `header` by kernel name, as [`SubMessage::select_by`]
/// reads them.
fn fields<H: WireStruct>(header: &H) -> impl Fn(&str) -> Option<u64> + '_ {
    move |name| header.field_value(name)
}

impl<'a, H: WireStruct, S: SubMessage<'a> + Copy> Payload<'a> for Tagged<'a, H, S> {
    fn parse(bytes: &'a [u8], mode: Mode) -> Result<Self> {
        Self::parse_at_depth(bytes, mode, 0)
    }
    fn parse_at_depth(bytes: &'a [u8], mode: Mode, depth: usize) -> Result<Self> {
        let (header, rest) = H::parse(bytes)?;
        let value = selector::<H, S>(header);
        let union = S::select_by(&fields(header), rest.len(), rest, mode, depth)
            .map_err(|e| e.at(H::SIZE))?;
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
            S::swap_by(&fields(h), rest.len(), rest);
        }
    }
}

/// A whole message body: the structure `H`, then the payload `S` that its
/// fields and the payload's length pick ([`SubMessage::select_by`]), then
/// whatever follows up to the end of the netlink payload (its padding to
/// `NLMSG_ALIGN`, kept and emitted again).
///
/// The payload's length is the field [`SubMessage::LENGTH`] of `H` (all
/// the rest if `S` names none). Strict parsing refuses a length beyond the
/// payload (`Short`, named `struct.field`) and non-zero bytes after it;
/// lenient parsing keeps what there is, and keeps a payload that does not
/// decode as bytes. Fields no variant takes keep the bytes in both modes
/// (a structure addressed to something the codec does not declare).
///
/// The walk shows the structure under its name, then the payload under
/// the name of the member read (`#[nl(member = "...")]`, or the variant in
/// snake case; bytes no variant takes under the sub-message's name), then
/// `trailing` if any. Emit writes the bytes as received.
#[derive(Debug)]
pub struct TaggedBody<'a, H, S> {
    /// The structure.
    pub header: &'a H,
    /// The payload its fields pick.
    pub data: S,
    data_bytes: &'a [u8],
    trailing: &'a [u8],
}

impl<H, S: Clone> Clone for TaggedBody<'_, H, S> {
    fn clone(&self) -> Self {
        TaggedBody {
            header: self.header,
            data: self.data.clone(),
            data_bytes: self.data_bytes,
            trailing: self.trailing,
        }
    }
}
impl<H, S: Copy> Copy for TaggedBody<'_, H, S> {}
impl<H: WireStruct, S> PartialEq for TaggedBody<'_, H, S> {
    fn eq(&self, other: &Self) -> bool {
        self.header.as_bytes() == other.header.as_bytes()
            && self.data_bytes == other.data_bytes
            && self.trailing == other.trailing
    }
}
impl<H: WireStruct, S> Eq for TaggedBody<'_, H, S> {}

impl<'a, H, S> TaggedBody<'a, H, S> {
    /// The payload as received (its length as declared, or what arrived).
    pub const fn data_bytes(&self) -> &'a [u8] {
        self.data_bytes
    }
    /// The bytes after the payload.
    pub const fn trailing(&self) -> &'a [u8] {
        self.trailing
    }
}

/// The length `S::LENGTH` of `header` declares for the payload (`rest`:
/// the bytes after the structure), and the name of that field.
fn declared_len<'a, H: WireStruct, S: SubMessage<'a>>(
    header: &H,
    rest: usize,
) -> (usize, &'static str) {
    match S::LENGTH {
        Some(what) => {
            let field = what.split_once('.').map_or(what, |(_, f)| f);
            let len = header
                .field_value(field)
                .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
            (len, what)
        }
        None => (rest, H::NAME),
    }
}

impl<'a, H: WireStruct, S: SubMessage<'a> + Copy + core::fmt::Debug> MessageBody<'a>
    for TaggedBody<'a, H, S>
{
    fn parse_body(payload: &'a [u8], base: usize, mode: Mode) -> Result<Self> {
        let (header, rest) = H::parse(payload).map_err(|e| e.at(base))?;
        let (len, what) = declared_len::<H, S>(header, rest.len());
        let data_at = base.saturating_add(H::SIZE);
        if len > rest.len() && mode.is_strict() {
            return Err(Error::short(what, len, rest.len()).at(data_at));
        }
        let (data_bytes, trailing) = rest.split_at(len.min(rest.len()));
        if mode.is_strict() && trailing.iter().any(|&b| b != 0) {
            return Err(Error::new(ErrorKind::Trailing, H::NAME, len, rest.len())
                .at(data_at.saturating_add(len)));
        }
        let data = match S::select_by(&fields(header), len, data_bytes, mode, 0) {
            Ok(d) => d,
            Err(_) if !mode.is_strict() => S::unselected(data_bytes),
            Err(e) => return Err(e.at(data_at)),
        };
        Ok(TaggedBody {
            header,
            data,
            data_bytes,
            trailing,
        })
    }

    fn emit_body<Sk: Sink>(&self, b: &mut Builder<Sk>) -> Result<()> {
        b.put_struct(self.header)?;
        // Every decoded part borrows the input: the payload goes back as
        // received.
        b.put_bytes(self.data_bytes)?;
        b.put_bytes(self.trailing)
    }

    fn swap_body(payload: &mut [u8]) {
        let n = H::SIZE.min(payload.len());
        let (head, rest) = payload.split_at_mut(n);
        H::swap_order(head);
        if let Ok((h, _)) = H::parse(head) {
            let (len, _) = declared_len::<H, S>(h, rest.len());
            if let Some(data) = rest.get_mut(..len.min(rest.len())) {
                S::swap_by(&fields(h), len, data);
            }
        }
    }
}

impl<'a, H: WireStruct, S: SubMessage<'a>> Walk for TaggedBody<'a, H, S> {
    fn walk(&self, v: &mut dyn Visitor) {
        v.begin(H::NAME);
        self.header.walk(v);
        v.end();
        let name = if self.data.is_selected() {
            self.data.member()
        } else {
            S::NAME
        };
        self.data.walk_as(name, v);
        if !self.trailing.is_empty() {
            v.field("trailing", Value::Bytes(self.trailing));
        }
    }
}
