//! Emitting messages and attributes: every length is computed here, nested
//! lengths are patched when the nested part ends, padding is zeroed, and a
//! short buffer is an error, never a panic.
//!
//! What is written whole (a header, a payload whose type promises to write
//! every byte, [`Payload::WRITES_ALL`]) is reserved without zeroing
//! ([`Sink::reserve`]); only the padding is zeroed then.

use super::attr::{
    nla_align, AttributeSet, NLA_ALIGNTO, NLA_F_NESTED, NLA_HDRLEN, NLA_MAX_PAYLOAD,
};
use super::header::{NlMsgHdr, NLMSG_ALIGNTO};
use crate::payload::{AttrWriter, Payload};
use crate::wire::WireStruct;
use crate::{Error, ErrorKind, Result};

/// Where a [`Builder`] writes: a caller's slice or (with `alloc`) a `Vec`.
pub trait Sink {
    /// Bytes written so far.
    fn len(&self) -> usize;
    /// `true` if nothing has been written.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Append `n` zero bytes and return them for writing.
    fn grow(&mut self, n: usize, what: &'static str) -> Result<&mut [u8]>;
    /// Append `n` bytes that the caller overwrites, every one of them,
    /// before anything else is written; their content until then is
    /// unspecified (a caller's buffer is not zeroed first). The default is
    /// [`Sink::grow`].
    #[inline]
    fn reserve(&mut self, n: usize, what: &'static str) -> Result<&mut [u8]> {
        self.grow(n, what)
    }
    /// The bytes written so far, for patching.
    fn written_mut(&mut self) -> &mut [u8];
    /// The bytes written so far.
    fn written(&self) -> &[u8];
}

/// A [`Sink`] over a caller's buffer.
#[derive(Debug)]
pub struct SliceSink<'b> {
    buf: &'b mut [u8],
    len: usize,
}

impl<'b> SliceSink<'b> {
    /// Write from the start of `buf`.
    pub fn new(buf: &'b mut [u8]) -> Self {
        SliceSink { buf, len: 0 }
    }
}

impl Sink for SliceSink<'_> {
    fn len(&self) -> usize {
        self.len
    }
    #[inline]
    fn grow(&mut self, n: usize, what: &'static str) -> Result<&mut [u8]> {
        let out = self.reserve(n, what)?;
        out.fill(0);
        Ok(out)
    }
    #[inline]
    fn reserve(&mut self, n: usize, what: &'static str) -> Result<&mut [u8]> {
        let cap = self.buf.len();
        let end = self
            .len
            .checked_add(n)
            .filter(|&e| e <= cap)
            .ok_or_else(|| {
                Error::buffer_too_small(what, self.len.saturating_add(n), cap).at(self.len)
            })?;
        let start = self.len;
        self.len = end;
        Ok(self.buf.get_mut(start..end).unwrap_or_default())
    }
    fn written_mut(&mut self) -> &mut [u8] {
        self.buf.get_mut(..self.len).unwrap_or_default()
    }
    fn written(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }
}

#[cfg(feature = "alloc")]
impl Sink for alloc::vec::Vec<u8> {
    fn len(&self) -> usize {
        alloc::vec::Vec::len(self)
    }
    fn grow(&mut self, n: usize, what: &'static str) -> Result<&mut [u8]> {
        let start = alloc::vec::Vec::len(self);
        let end = start
            .checked_add(n)
            .ok_or_else(|| Error::new(ErrorKind::TooLong, what, n, start))?;
        self.resize(end, 0);
        Ok(self.get_mut(start..).unwrap_or_default())
    }
    fn written_mut(&mut self) -> &mut [u8] {
        self
    }
    fn written(&self) -> &[u8] {
        self
    }
}

/// The start of an open message or nested attribute, to be closed with
/// [`Builder::end_message`] / [`Builder::end_nested`].
#[derive(Debug, PartialEq, Eq)]
#[must_use = "an open message or nested attribute must be ended"]
pub struct Mark(usize);

/// Writes netlink messages and attributes.
///
/// ```
/// use nlwire::netlink::{Builder, Messages, NLM_F_REQUEST, NLM_F_DUMP};
/// let mut buf = [0u8; 64];
/// let mut b = Builder::new(&mut buf[..]);
/// b.message(18, NLM_F_REQUEST | NLM_F_DUMP, 0x5c38fefd, 0, |b| b.put_bytes(&[0; 4]))
///     .unwrap();
/// let n = b.len();
/// assert_eq!(n, 20);
/// let m = Messages::new(&buf[..n]).next().unwrap().unwrap();
/// assert_eq!(m.header.nlmsg_seq.get(), 0x5c38fefd);
/// ```
#[derive(Debug)]
pub struct Builder<S> {
    sink: S,
}

impl<'b> Builder<SliceSink<'b>> {
    /// Write into `buf`.
    pub fn new(buf: &'b mut [u8]) -> Self {
        Builder {
            sink: SliceSink::new(buf),
        }
    }
}

#[cfg(feature = "alloc")]
impl Builder<alloc::vec::Vec<u8>> {
    /// Write into a new vector.
    pub fn new_vec() -> Self {
        Builder {
            sink: alloc::vec::Vec::new(),
        }
    }
    /// The bytes written.
    pub fn into_vec(self) -> alloc::vec::Vec<u8> {
        self.sink
    }
}

impl<S: Sink> Builder<S> {
    /// Write into any sink.
    pub fn with_sink(sink: S) -> Self {
        Builder { sink }
    }
    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.sink.len()
    }
    /// `true` if nothing is written yet.
    pub fn is_empty(&self) -> bool {
        self.sink.is_empty()
    }
    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        self.sink.written()
    }
    /// The sink.
    pub fn into_sink(self) -> S {
        self.sink
    }

    /// Append raw bytes.
    #[inline]
    pub fn put_bytes(&mut self, bytes: &[u8]) -> Result<()> {
        // Overwritten whole.
        self.sink
            .reserve(bytes.len(), "payload")?
            .copy_from_slice(bytes);
        Ok(())
    }

    /// Append a wire struct.
    #[inline]
    pub fn put_struct<W: WireStruct>(&mut self, w: &W) -> Result<()> {
        let dst = self.sink.reserve(W::SIZE, W::NAME)?;
        // `emit` writes `W::SIZE` bytes; zero whatever it says it left.
        let n = w.emit(dst).inspect_err(|_| dst.fill(0))?;
        if let Some(rest) = dst.get_mut(n..) {
            rest.fill(0);
        }
        Ok(())
    }

    /// Pad the message to the next 4-byte boundary (`NLMSG_ALIGN`), as
    /// the kernel's `nlmsg_end()` counts a fixed header's padding.
    pub fn pad_message(&mut self) -> Result<()> {
        self.pad_to(NLMSG_ALIGNTO, "nlmsg padding")
    }

    /// Zero-pad to the next multiple of `align_to`, a power of two
    /// (`NLA_ALIGNTO`, `NLMSG_ALIGNTO`: both 4). Tested with a mask, not
    /// by computing the aligned length: this runs before every attribute,
    /// and the mask is two instructions where `nla_align`'s overflow-safe
    /// sum and difference are about ten.
    #[inline(always)]
    fn pad_to(&mut self, align_to: usize, what: &'static str) -> Result<()> {
        let rem = self.sink.len() & align_to.wrapping_sub(1);
        if rem == 0 {
            // Already aligned (the common case): no call into the sink.
            return Ok(());
        }
        self.sink.grow(align_to.wrapping_sub(rem), what).map(|_| ())
    }

    /// Open a message; its `nlmsg_len` is patched by [`Builder::end_message`].
    #[inline]
    pub fn begin_message(
        &mut self,
        nlmsg_type: u16,
        nlmsg_flags: u16,
        nlmsg_seq: u32,
        nlmsg_pid: u32,
    ) -> Result<Mark> {
        self.pad_to(NLMSG_ALIGNTO, "nlmsghdr padding")?;
        let start = self.sink.len();
        let hdr = NlMsgHdr::new(0, nlmsg_type, nlmsg_flags, nlmsg_seq, nlmsg_pid);
        self.put_struct(&hdr)?;
        Ok(Mark(start))
    }

    /// Close a message: patch `nlmsg_len` (without trailing padding; the next
    /// message is aligned when it begins).
    #[inline]
    pub fn end_message(&mut self, mark: Mark) -> Result<()> {
        let len = self.sink.len().saturating_sub(mark.0);
        let len32 = u32::try_from(len)
            .map_err(|_| Error::new(ErrorKind::TooLong, "nlmsg_len", len, u32::MAX as usize))?;
        let dst = self
            .sink
            .written_mut()
            .get_mut(mark.0..)
            .and_then(|rest| rest.first_chunk_mut::<4>())
            .ok_or_else(|| Error::invalid("nlmsghdr mark"))?;
        *dst = len32.to_ne_bytes();
        Ok(())
    }

    /// Write a whole message: header, then whatever `body` writes.
    #[inline]
    pub fn message(
        &mut self,
        nlmsg_type: u16,
        nlmsg_flags: u16,
        nlmsg_seq: u32,
        nlmsg_pid: u32,
        body: impl FnOnce(&mut Self) -> Result<()>,
    ) -> Result<()> {
        let m = self.begin_message(nlmsg_type, nlmsg_flags, nlmsg_seq, nlmsg_pid)?;
        body(self)?;
        self.end_message(m)
    }

    /// Append one attribute with a typed payload.
    #[inline]
    pub fn attr<'a, P: Payload<'a>>(&mut self, kind: u16, payload: &P) -> Result<()> {
        let flags = if P::NESTED { NLA_F_NESTED } else { 0 };
        self.attr_payload(kind | flags, payload)
    }

    /// Append one attribute of a declared set (through the set's
    /// [`AttributeSet::emit_attr`]: one path per variant).
    #[inline]
    pub fn attr_set<'a, A: AttributeSet<'a>>(&mut self, a: &A) -> Result<()> {
        a.emit_attr(self)
    }

    /// Append one attribute with raw `nla_type` (flags included) and payload.
    #[inline]
    pub fn attr_raw(&mut self, nla_type: u16, payload: &[u8]) -> Result<()> {
        self.attr_bytes(nla_type, payload)
    }

    /// Like the kernel's `nla_put`: reserve `NLA_ALIGN(nla_len)`, write the
    /// header whole, the payload with `write`, and zero the padding. With
    /// `writes_all` the payload bytes are reserved without zeroing
    /// ([`Sink::reserve`]), only the last 4-byte word (which holds the
    /// padding) is zeroed first, and `write` must overwrite every payload
    /// byte; otherwise they are all zeroed first ([`Sink::grow`]).
    #[inline(always)]
    fn attr_with(
        &mut self,
        nla_type: u16,
        len: usize,
        writes_all: bool,
        write: impl FnOnce(&mut [u8]),
    ) -> Result<()> {
        if len > NLA_MAX_PAYLOAD {
            return Err(
                Error::new(ErrorKind::TooLong, "nla_len", len, NLA_MAX_PAYLOAD).at(self.sink.len()),
            );
        }
        self.pad_to(NLA_ALIGNTO, "nlattr padding")?;
        let total = NLA_HDRLEN.saturating_add(len);
        let dst = if writes_all {
            self.sink.reserve(nla_align(total), "nlattr")?
        } else {
            self.sink.grow(nla_align(total), "nlattr")?
        };
        if writes_all {
            // The padding (0 to NLA_ALIGNTO - 1 bytes) ends the last 4-byte
            // word of the reservation: zero that whole word first, and the
            // header or payload overwrites the rest of it. One store instead
            // of a loop over the padding (removed as a dead store when the
            // size is a constant without padding).
            if let Some(last) = dst.last_chunk_mut::<NLA_ALIGNTO>() {
                *last = [0; NLA_ALIGNTO];
            }
        }
        let Some((hdr, rest)) = dst.split_first_chunk_mut::<NLA_HDRLEN>() else {
            return Err(Error::invalid("nlattr"));
        };
        let [l0, l1] = (total as u16).to_ne_bytes();
        let [t0, t1] = nla_type.to_ne_bytes();
        *hdr = [l0, l1, t0, t1];
        let Some(body) = rest.get_mut(..len) else {
            return Err(Error::invalid("nlattr"));
        };
        write(body);
        Ok(())
    }

    /// Open a nested attribute (`NLA_F_NESTED` is or-ed into `nla_type` when
    /// `flag_nested`); its length is patched by [`Builder::end_nested`].
    pub fn begin_nested(&mut self, kind: u16, flag_nested: bool) -> Result<Mark> {
        self.pad_to(NLA_ALIGNTO, "nlattr padding")?;
        let start = self.sink.len();
        let typ = if flag_nested {
            kind | NLA_F_NESTED
        } else {
            kind
        };
        // Written whole; `nla_len` is patched by `end_nested`.
        let dst = self.sink.reserve(NLA_HDRLEN, "nlattr")?;
        let [t0, t1] = typ.to_ne_bytes();
        if let Some(h) = dst.get_mut(..NLA_HDRLEN) {
            h.copy_from_slice(&[0, 0, t0, t1]);
        }
        Ok(Mark(start))
    }

    /// Close a nested attribute: patch its `nla_len`.
    pub fn end_nested(&mut self, mark: Mark) -> Result<()> {
        self.pad_to(NLA_ALIGNTO, "nlattr padding")?;
        let len = self.sink.len().saturating_sub(mark.0);
        let len16 = u16::try_from(len).map_err(|_| {
            Error::new(ErrorKind::TooLong, "nla_len", len, u16::MAX as usize).at(mark.0)
        })?;
        let at = mark.0;
        let dst = self
            .sink
            .written_mut()
            .get_mut(at..at.saturating_add(2))
            .ok_or_else(|| Error::invalid("nlattr mark"))?;
        dst.copy_from_slice(&len16.to_ne_bytes());
        Ok(())
    }

    /// Write a nested attribute whose contents `body` writes.
    pub fn nested(
        &mut self,
        kind: u16,
        flag_nested: bool,
        body: impl FnOnce(&mut Self) -> Result<()>,
    ) -> Result<()> {
        let m = self.begin_nested(kind, flag_nested)?;
        body(self)?;
        self.end_nested(m)
    }
}

impl<S: Sink> AttrWriter for Builder<S> {
    #[inline]
    fn attr_payload<'a, P: Payload<'a>>(&mut self, nla_type: u16, payload: &P) -> Result<()> {
        self.attr_with(nla_type, payload.len(), P::WRITES_ALL, |dst| {
            payload.write(dst)
        })
    }
    #[inline]
    fn attr_bytes(&mut self, nla_type: u16, payload: &[u8]) -> Result<()> {
        self.attr_with(nla_type, payload.len(), true, |dst| {
            crate::payload::copy_into(dst, payload)
        })
    }
    fn attr_parts(
        &mut self,
        nla_type: u16,
        len: usize,
        write: impl FnOnce(&mut [u8]),
    ) -> Result<()> {
        self.attr_with(nla_type, len, false, write)
    }
}
