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
        v.begin(H::NAME);
        self.header.walk(v);
        v.end();
        super::attr::walk_attrs(self.attrs(), v);
    }
}
