//! The payload of a message whose family puts a fixed header before its
//! attributes (`struct inet_diag_msg` + `INET_DIAG_*`, `struct ifinfomsg` +
//! `IFLA_*`, …): one generic declaration, [`Message`], with parse, emit and
//! walk.
//!
//! ```text
//!  nlmsghdr | fixed header (H) | pad to 4 | attributes (A) ...
//!            <---------- nlmsg_len - 16 ---------------------->
//! ```
//!
//! The attributes start at `NLMSG_ALIGN(sizeof(H))`, as the kernel's
//! `nlmsg_attrdata()` computes (`<net/netlink.h>`).

use core::marker::PhantomData;

use super::attr::{AttributeSet, Attrs};
use super::builder::{Builder, Sink};
use super::header::nlmsg_align;
use crate::value::{Visitor, Walk};
use crate::wire::WireStruct;
use crate::{Error, ErrorKind, Mode, Result};

/// A fixed header `H` followed by attributes of the set `A`: the payload of
/// one netlink message (everything after its `nlmsghdr`).
///
/// Parsing borrows: the header is a view into the input, the attributes are
/// decoded lazily by [`Message::attrs`]. In strict mode every attribute
/// (nested ones included) is validated by [`Message::parse`].
#[derive(Debug)]
pub struct Message<'a, H, A> {
    /// The fixed header, borrowed from the input.
    pub header: &'a H,
    attrs: &'a [u8],
    attrs_offset: usize,
    mode: Mode,
    /// The payload reached the 4-byte boundary after the header (always
    /// so when attributes follow; `nlmsg_end()` counts the padding even
    /// when none do).
    padded: bool,
    _set: PhantomData<A>,
}

// Manual impls: the derives would needlessly require `A: Clone` etc.
impl<H, A> Clone for Message<'_, H, A> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<H, A> Copy for Message<'_, H, A> {}
impl<H: PartialEq, A> PartialEq for Message<'_, H, A> {
    fn eq(&self, other: &Self) -> bool {
        self.header == other.header && self.attrs == other.attrs
    }
}
impl<H: Eq, A> Eq for Message<'_, H, A> {}

impl<'a, H: WireStruct, A: AttributeSet<'a>> Message<'a, H, A> {
    /// Parse the payload of a message (`nlmsg_len - 16` bytes). `base` is the
    /// offset of `payload` in the outermost buffer (for error offsets).
    #[inline]
    pub fn parse(payload: &'a [u8], base: usize, mode: Mode) -> Result<Self> {
        let (header, _) = H::parse(payload).map_err(|e| e.at(base))?;
        let start = nlmsg_align(H::SIZE);
        if mode.is_strict() {
            let pad = payload
                .get(H::SIZE..start.min(payload.len()))
                .unwrap_or_default();
            if pad.iter().any(|&b| b != 0) {
                return Err(Error::new(ErrorKind::NonZeroPad, H::NAME, 0, pad.len())
                    .at(base.saturating_add(H::SIZE)));
            }
        }
        let attrs = payload.get(start..).unwrap_or_default();
        let attrs_offset = base.saturating_add(start);
        if mode.is_strict() {
            for a in Attrs::<A>::with(attrs, attrs_offset, mode) {
                a?;
            }
        }
        Ok(Message {
            header,
            attrs,
            attrs_offset,
            mode,
            padded: payload.len() >= start,
            _set: PhantomData,
        })
    }

    /// The attributes, decoded one by one as the set `A`.
    pub fn attrs(&self) -> Attrs<'a, A> {
        Attrs::with(self.attrs, self.attrs_offset, self.mode)
    }

    /// The attribute bytes as received.
    pub const fn attr_bytes(&self) -> &'a [u8] {
        self.attrs
    }

    /// Offset of the first attribute in the outermost buffer.
    pub const fn attrs_offset(&self) -> usize {
        self.attrs_offset
    }

    /// The first attribute of `kind`, decoded (`None` if absent; an
    /// attribute that fails to decode is returned as its error).
    pub fn find(&self, kind: u16) -> Option<Result<A>> {
        self.attrs()
            .find(|a| !matches!(a, Ok(x) if x.kind() != kind))
    }

    /// Write the header and the attributes (each re-encoded from its decoded
    /// form, flag bits as declared) into an open message of `b`. Fails on the
    /// first attribute that does not decode.
    pub fn emit<S: Sink>(&self, b: &mut Builder<S>) -> Result<()> {
        b.put_struct(self.header)?;
        if self.padded {
            b.pad_message()?;
        }
        for a in self.attrs() {
            b.attr_set(&a?)?;
        }
        Ok(())
    }

    /// Write a header and attributes into an open message of `b`.
    pub fn write<'x, S: Sink, I>(b: &mut Builder<S>, header: &H, attrs: I) -> Result<()>
    where
        I: IntoIterator<Item = &'x A>,
        A: 'x,
    {
        b.put_struct(header)?;
        for a in attrs {
            b.attr_set(a)?;
        }
        Ok(())
    }

    /// Write a whole message: `nlmsghdr` (length computed), header and
    /// attributes.
    pub fn emit_message<S: Sink>(
        &self,
        b: &mut Builder<S>,
        nlmsg_type: u16,
        nlmsg_flags: u16,
        nlmsg_seq: u32,
        nlmsg_pid: u32,
    ) -> Result<()> {
        b.message(nlmsg_type, nlmsg_flags, nlmsg_seq, nlmsg_pid, |b| {
            self.emit(b)
        })
    }
}

impl<'a, H: WireStruct, A: AttributeSet<'a>> Walk for Message<'a, H, A> {
    /// The header as a group named by its kernel name, then every attribute.
    fn walk(&self, v: &mut dyn Visitor) {
        H::begin_group(H::NAME, v);
        self.header.walk(v);
        v.end();
        super::attr::walk_attrs(self.attrs(), v);
    }
}

/// The body of one message type in a family's message table
/// ([`nl_family`](crate::nl_family)): how the payload after `nlmsghdr`
/// parses, emits, walks and changes byte order. [`Message`] (a fixed header
/// and an attribute set) is the usual one; a family with another payload
/// shape declares its own body type once and uses it in every row.
pub trait MessageBody<'a>: Sized + Walk {
    /// Parse a payload; `base` is its offset in the outermost buffer.
    fn parse_body(payload: &'a [u8], base: usize, mode: Mode) -> Result<Self>;
    /// Write the payload into an open message of `b`.
    fn emit_body<S: Sink>(&self, b: &mut Builder<S>) -> Result<()>;
    /// Convert a payload captured on a host of the other byte order, in
    /// place, as far as the declarations know its integers.
    fn swap_body(payload: &mut [u8]);
    /// [`MessageBody::swap_body`] for a reply, knowing what its request
    /// said (`context`: sub-message selectors the reply does not repeat).
    fn swap_body_in(payload: &mut [u8], context: &super::Selectors<'_>) {
        let _ = context;
        Self::swap_body(payload);
    }
}

impl<'a, H: WireStruct, A: AttributeSet<'a>> MessageBody<'a> for Message<'a, H, A> {
    #[inline]
    fn parse_body(payload: &'a [u8], base: usize, mode: Mode) -> Result<Self> {
        Self::parse(payload, base, mode)
    }
    fn emit_body<S: Sink>(&self, b: &mut Builder<S>) -> Result<()> {
        self.emit(b)
    }
    fn swap_body(payload: &mut [u8]) {
        Self::swap_body_in(payload, &super::Selectors::EMPTY);
    }
    fn swap_body_in(payload: &mut [u8], context: &super::Selectors<'_>) {
        H::swap_order(payload);
        if let Some(attrs) = payload.get_mut(nlmsg_align(H::SIZE)..) {
            super::attr::swap_attr_stream_in::<A>(attrs, 0, context);
        }
    }
}

/// A message of a known type whose selector (the payload byte that picks
/// the body, such as sock_diag's `sdiag_family`) has no declaration: the
/// selector under its kernel name, and the payload kept for re-emitting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unselected<'a, E> {
    /// `NLM_F_REQUEST` was set.
    pub request: bool,
    /// The selector's kernel name (`"sdiag_family"`).
    pub name: &'static str,
    /// The selector's offset in the payload.
    pub offset: usize,
    /// The selector's value.
    pub selector: E,
    /// The whole payload (selector included).
    pub payload: &'a [u8],
}

impl<E: crate::value::OpenEnum + Copy + Into<u8>> Walk for Unselected<'_, E> {
    /// The selector as an enum field, then the bytes after it as `payload`.
    fn walk(&self, v: &mut dyn Visitor) {
        let raw: u8 = self.selector.into();
        v.field(
            self.name,
            crate::value::Value::Enum {
                raw: u64::from(raw),
                name: E::name_of(u64::from(raw)),
            },
        );
        let rest = self
            .payload
            .get(self.offset.saturating_add(1)..)
            .unwrap_or_default();
        v.field("payload", crate::value::Value::Bytes(rest));
    }
}

/// A fixed header `H` and attributes `A`, or — when the payload is shorter
/// than `H` — only the short header `S` (rtnetlink dump requests carry a
/// 1-byte `struct rtgenmsg` where the type's header would be).
#[derive(Debug)]
pub enum OrShort<'a, S, H, A> {
    /// The full form.
    Full(Message<'a, H, A>),
    /// The short form: `S`, then the rest of the payload (the alignment
    /// padding a sender may count in `nlmsg_len`, kept so the message
    /// re-emits byte for byte).
    Short(&'a S, &'a [u8]),
}

impl<S, H, A> Clone for OrShort<'_, S, H, A> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<S, H, A> Copy for OrShort<'_, S, H, A> {}
impl<S: PartialEq, H: PartialEq, A> PartialEq for OrShort<'_, S, H, A> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (OrShort::Full(a), OrShort::Full(b)) => a == b,
            (OrShort::Short(a, x), OrShort::Short(b, y)) => a == b && x == y,
            _ => false,
        }
    }
}
impl<S: Eq, H: Eq, A> Eq for OrShort<'_, S, H, A> {}

impl<'a, S: WireStruct, H: WireStruct, A: AttributeSet<'a>> MessageBody<'a>
    for OrShort<'a, S, H, A>
{
    fn parse_body(payload: &'a [u8], base: usize, mode: Mode) -> Result<Self> {
        if payload.len() < H::SIZE {
            let (s, rest) = S::parse(payload).map_err(|e| e.at(base))?;
            return Ok(OrShort::Short(s, rest));
        }
        Message::parse(payload, base, mode).map(OrShort::Full)
    }
    fn emit_body<K: Sink>(&self, b: &mut Builder<K>) -> Result<()> {
        match self {
            OrShort::Full(m) => m.emit(b),
            OrShort::Short(s, rest) => {
                b.put_struct(*s)?;
                b.put_bytes(rest)
            }
        }
    }
    fn swap_body(payload: &mut [u8]) {
        Self::swap_body_in(payload, &super::Selectors::EMPTY);
    }
    fn swap_body_in(payload: &mut [u8], context: &super::Selectors<'_>) {
        if payload.len() < H::SIZE {
            S::swap_order(payload);
        } else {
            <Message<'a, H, A> as MessageBody<'a>>::swap_body_in(payload, context);
        }
    }
}

impl<'a, S: WireStruct, H: WireStruct, A: AttributeSet<'a>> Walk for OrShort<'a, S, H, A> {
    fn walk(&self, v: &mut dyn Visitor) {
        match self {
            OrShort::Full(m) => m.walk(v),
            OrShort::Short(s, rest) => {
                crate::wire::walk_struct(*s, v);
                // Zero padding to the 4-byte boundary is no data; anything
                // else is shown.
                let padding = rest.len() < 4 && rest.iter().all(|b| *b == 0);
                if !padding {
                    v.field("trailing", crate::value::Value::Bytes(rest));
                }
            }
        }
    }
}
