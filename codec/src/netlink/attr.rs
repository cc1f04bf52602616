//! `rtattr`/`nlattr`: the TLV attribute stream (`<linux/netlink.h>`,
//! `<linux/rtnetlink.h>`).
//!
//! ```text
//!  <-------- NLA_HDRLEN ------> <-- NLA_ALIGN(payload)-->
//! +---------------------+- - -+- - - - - - - - - -+- - -+
//! |        Header       | Pad |     Payload       | Pad |
//! |   (struct nlattr)   | ing |                   | ing |
//! +---------------------+- - -+- - - - - - - - - -+- - -+
//! ```
//!
//! The walk follows the kernel's `nla_ok()`: an attribute is valid while at
//! least 4 bytes remain, `nla_len >= 4` and `nla_len <= remaining`; an empty
//! payload is valid. The type is `nla_type & NLA_TYPE_MASK`; bits 15
//! (`NLA_F_NESTED`) and 14 (`NLA_F_NET_BYTEORDER`) are flags.

use core::marker::PhantomData;

use byteorder::{ByteOrder, NativeEndian};

use crate::payload::Payload;
use crate::value::{Value, Visitor, Walk};
use crate::{nl_flags, Error, ErrorKind, Mode, Result};

/// The flag bits of `nla_type` (`<linux/netlink.h>`; names:
/// [`NLA_FLAG_NAMES`]).
#[nl_flags(u16, table = NLA_FLAG_NAMES)]
pub enum NlaFlag {
    /// `NLA_F_NESTED`: the payload is a nested attribute stream.
    NLA_F_NESTED = 1 << 15,
    /// `NLA_F_NET_BYTEORDER`: the payload is in network byte order.
    NLA_F_NET_BYTEORDER = 1 << 14,
}
/// `NLA_TYPE_MASK`: the bits of `nla_type` that are the kind.
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);
/// `NLA_HDRLEN`: size of `struct nlattr`.
pub const NLA_HDRLEN: usize = 4;
/// `NLA_ALIGNTO`.
pub const NLA_ALIGNTO: usize = 4;
/// Largest payload an attribute can carry (`u16::MAX - NLA_HDRLEN`).
pub const NLA_MAX_PAYLOAD: usize = u16::MAX as usize - NLA_HDRLEN;
/// Deepest nesting the generic walkers follow (the kernel's own policies stop at 10).
pub const MAX_NEST_DEPTH: usize = 10;

/// `NLA_ALIGN(len)`, computed without wrapping (saturates at `usize::MAX`).
pub const fn nla_align(len: usize) -> usize {
    match len.checked_add(NLA_ALIGNTO - 1) {
        Some(n) => n & !(NLA_ALIGNTO - 1),
        None => usize::MAX & !(NLA_ALIGNTO - 1),
    }
}

/// One attribute as it is on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RawAttr<'a> {
    /// `nla_type & NLA_TYPE_MASK`.
    pub kind: u16,
    /// `nla_type & (NLA_F_NESTED | NLA_F_NET_BYTEORDER)`.
    pub flags: u16,
    /// The payload (`nla_len - 4` bytes).
    pub payload: &'a [u8],
    /// Offset of the attribute header from the start of the outermost buffer.
    pub offset: usize,
}

impl RawAttr<'_> {
    /// Offset of the payload from the start of the outermost buffer.
    pub const fn payload_offset(&self) -> usize {
        self.offset.saturating_add(NLA_HDRLEN)
    }
    /// `NLA_F_NESTED` is set.
    pub const fn is_nested(&self) -> bool {
        self.flags & NLA_F_NESTED != 0
    }
    /// `NLA_F_NET_BYTEORDER` is set.
    pub const fn is_net_byteorder(&self) -> bool {
        self.flags & NLA_F_NET_BYTEORDER != 0
    }
}

/// Iterator over the attributes of a buffer, with kernel `nla_ok` semantics.
///
/// Yields `Err` once for a malformed attribute and then stops (fused): a bad
/// length never makes it loop or read out of bounds.
#[derive(Clone, Debug)]
pub struct RawAttrs<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
    mode: Mode,
    done: bool,
}

impl<'a> RawAttrs<'a> {
    /// Walk `buf` (an attribute stream) in lenient mode.
    pub const fn new(buf: &'a [u8]) -> Self {
        Self::with(buf, 0, Mode::Lenient)
    }

    /// Walk `buf`, whose first byte is at `base` in the outermost buffer.
    pub const fn with(buf: &'a [u8], base: usize, mode: Mode) -> Self {
        RawAttrs {
            buf,
            pos: 0,
            base,
            mode,
            done: false,
        }
    }

    /// Bytes not consumed (trailing bytes after the walk ended).
    pub fn remaining(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    fn fail(&mut self, e: Error) -> Option<Result<RawAttr<'a>>> {
        self.done = true;
        Some(Err(e.at(self.base.saturating_add(self.pos))))
    }
}

impl<'a> Iterator for RawAttrs<'a> {
    type Item = Result<RawAttr<'a>>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        if rest.is_empty() {
            self.done = true;
            return None;
        }
        if rest.len() < NLA_HDRLEN {
            if self.mode.is_strict() {
                return self.fail(Error::new(
                    ErrorKind::Trailing,
                    "nlattr",
                    NLA_HDRLEN,
                    rest.len(),
                ));
            }
            // The kernel's nla_for_each_attr stops here; the bytes stay in
            // `remaining()`.
            self.done = true;
            return None;
        }
        let (hdr, _) = rest.split_at(NLA_HDRLEN);
        let nla_len = usize::from(NativeEndian::read_u16(hdr));
        let nla_type = NativeEndian::read_u16(hdr.get(2..).unwrap_or_default());
        if nla_len < NLA_HDRLEN {
            return self.fail(Error::new(
                ErrorKind::LengthTooSmall,
                "nla_len",
                NLA_HDRLEN,
                nla_len,
            ));
        }
        if nla_len > rest.len() {
            return self.fail(Error::new(
                ErrorKind::LengthPastEnd,
                "nla_len",
                nla_len,
                rest.len(),
            ));
        }
        let payload = rest.get(NLA_HDRLEN..nla_len).unwrap_or_default();
        let aligned = nla_align(nla_len).min(rest.len());
        if self.mode.is_strict() {
            let pad = rest.get(nla_len..aligned).unwrap_or_default();
            if pad.iter().any(|&b| b != 0) {
                return self.fail(
                    Error::new(ErrorKind::NonZeroPad, "nlattr padding", 0, pad.len()).at(nla_len),
                );
            }
        }
        let attr = RawAttr {
            kind: nla_type & NLA_TYPE_MASK,
            flags: nla_type & !NLA_TYPE_MASK,
            payload,
            offset: self.base.saturating_add(self.pos),
        };
        self.pos = self.pos.saturating_add(aligned);
        Some(Ok(attr))
    }
}

impl core::iter::FusedIterator for RawAttrs<'_> {}

/// An attribute set declared with `#[attribute_set]`.
pub trait AttributeSet<'a>: Sized + Walk + Copy {
    /// The set's name (YNL `attribute-set` name).
    const NAME: &'static str;
    /// Every known kind with its kernel name.
    const KINDS: &'static [(u16, &'static str)];
    /// Decode one attribute.
    fn from_raw(raw: RawAttr<'a>, mode: Mode) -> Result<Self>;
    /// Decode one attribute found `depth` nests deep (see
    /// [`Payload::parse_at_depth`]). `#[attribute_set]` implements it; the
    /// default ignores the depth.
    fn from_raw_at_depth(raw: RawAttr<'a>, mode: Mode, depth: usize) -> Result<Self> {
        let _ = depth;
        Self::from_raw(raw, mode)
    }
    /// The attribute kind (without flag bits).
    fn kind(&self) -> u16;
    /// Flag bits to set on emit (`NLA_F_NESTED` …).
    fn nla_flags(&self) -> u16;
    /// The kernel name of this attribute (`"UNKNOWN"` for unknown kinds).
    fn name(&self) -> &'static str;
    /// Payload length.
    fn payload_len(&self) -> usize;
    /// Write the payload into exactly [`AttributeSet::payload_len`] bytes.
    fn write_payload(&self, buf: &mut [u8]);
    /// Append the whole attribute (`nlattr`, payload, padding) to `out`.
    /// `#[attribute_set]` generates one path per variant (kind and flag
    /// bits known, the payload's own `len` and `write`); the default goes
    /// through [`AttributeSet::kind`], [`AttributeSet::nla_flags`],
    /// [`AttributeSet::payload_len`] and [`AttributeSet::write_payload`].
    fn emit_attr<W: crate::payload::AttrWriter>(&self, out: &mut W) -> Result<()> {
        out.attr_parts(self.kind() | self.nla_flags(), self.payload_len(), |buf| {
            self.write_payload(buf)
        })
    }
    /// Swap host-order values in the payload of an attribute of `kind`.
    fn swap_payload(kind: u16, bytes: &mut [u8]);
    /// The fixed payload size of `kind`, if its type has one (see
    /// [`Payload::FIXED_SIZE`]); `None` for variable or unknown kinds.
    fn payload_size(kind: u16) -> Option<usize>;
    /// `true` if `kind` holds a nested attribute set.
    fn is_nested_kind(kind: u16) -> bool;
    /// The flag bits emitted with `kind` (the declaration's `flags`).
    fn emit_flags(kind: u16) -> u16;
    /// `true` if `kind` holds a sub-message (its conversion between byte
    /// orders needs the stream's selectors).
    fn is_sub_kind(kind: u16) -> bool {
        let _ = kind;
        false
    }
    /// Convert the payload of an attribute of `kind` knowing the stream's
    /// selector values.
    fn swap_payload_selected(kind: u16, bytes: &mut [u8], selectors: &super::Selectors<'_>) {
        let _ = selectors;
        Self::swap_payload(kind, bytes);
    }
    /// Kinds whose attributes provide a sub-message selector (declared
    /// with `provides = "name"`); [`walk_attrs`] looks for them first.
    const PROVIDERS: &'static [u16] = &[];
    /// The selector name each provider kind gives a value to.
    const PROVIDER_NAMES: &'static [(u16, &'static str)] = &[];
    /// Whether each provider kind gives a string (`IFLA_INFO_KIND`) rather
    /// than a number ([`Payload::STR_SELECTOR`](crate::payload::Payload::STR_SELECTOR)).
    const PROVIDER_STRINGS: &'static [(u16, bool)] = &[];
    /// Kinds declared `multi` (YNL `multi-attr: true`): the attribute may
    /// be sent several times and every occurrence counts (the kernel's
    /// `nla_parse` keeps only the last of other kinds, and refuses neither).
    const MULTI: &'static [u16] = &[];
    /// The selector this attribute provides, with its name.
    fn provided(&self) -> Option<(&'static str, crate::value::SelectorValue<'a>)> {
        None
    }
    /// The kernel name of `kind`, if known.
    fn kind_name(kind: u16) -> Option<&'static str> {
        Self::KINDS
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, n)| *n)
    }
}

/// An attribute whose kind the set does not know: kept whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UnknownAttr<'a> {
    /// `nla_type & NLA_TYPE_MASK`.
    pub kind: u16,
    /// Flag bits as received.
    pub flags: u16,
    /// The payload.
    pub payload: &'a [u8],
}

impl<'a> UnknownAttr<'a> {
    /// Keep `raw` as unknown (lenient) or refuse it (strict).
    pub fn from_raw<A: AttributeSet<'a>>(raw: RawAttr<'a>, mode: Mode) -> Result<Self> {
        if mode.is_strict() {
            return Err(Error::new(
                ErrorKind::Unknown,
                A::NAME,
                usize::from(raw.kind),
                raw.payload.len(),
            )
            .at(raw.offset));
        }
        Ok(UnknownAttr {
            kind: raw.kind,
            flags: raw.flags,
            payload: raw.payload,
        })
    }
}

impl Walk for UnknownAttr<'_> {
    fn walk(&self, v: &mut dyn Visitor) {
        v.begin("UNKNOWN");
        v.field("nla_type", Value::U64(u64::from(self.kind)));
        if self.flags != 0 {
            v.field(
                "nla_flags",
                Value::Flags {
                    raw: u64::from(self.flags),
                    names: NLA_FLAG_NAMES,
                },
            );
        }
        v.field("payload", Value::Bytes(self.payload));
        v.end();
    }
}

/// Typed iterator over an attribute stream.
#[derive(Clone, Debug)]
pub struct Attrs<'a, A> {
    raw: RawAttrs<'a>,
    _set: PhantomData<A>,
}

impl<'a, A: AttributeSet<'a>> Attrs<'a, A> {
    /// Walk `buf` in lenient mode.
    pub const fn new(buf: &'a [u8]) -> Self {
        Self::with(buf, 0, Mode::Lenient)
    }
    /// Walk `buf` (at `base` in the outermost buffer) in `mode`.
    pub const fn with(buf: &'a [u8], base: usize, mode: Mode) -> Self {
        Attrs {
            raw: RawAttrs::with(buf, base, mode),
            _set: PhantomData,
        }
    }
    /// The untyped walk underneath.
    pub fn raw(&self) -> RawAttrs<'a> {
        self.raw.clone()
    }
    /// Bytes not consumed when the walk ended.
    pub fn remaining(&self) -> &'a [u8] {
        self.raw.remaining()
    }
    /// Every attribute of `kind`, in order (all values of a `multi`
    /// attribute); attributes that fail to decode are yielded as errors.
    pub fn all_of(self, kind: u16) -> impl Iterator<Item = Result<A>> + 'a
    where
        A: 'a,
    {
        self.filter(move |a| !matches!(a, Ok(x) if x.kind() != kind))
    }
}

impl<'a, A: AttributeSet<'a>> Iterator for Attrs<'a, A> {
    type Item = Result<A>;
    #[inline]
    fn next(&mut self) -> Option<Result<A>> {
        let mode = self.raw.mode;
        match self.raw.next()? {
            Ok(raw) => Some(A::from_raw_at_depth(raw, mode, 0)),
            Err(e) => Some(Err(e)),
        }
    }
}

/// Walk every attribute of a stream into a visitor, reporting (not stopping
/// at) attribute-level errors and recursing at most [`MAX_NEST_DEPTH`] deep.
///
/// Error offsets are in the buffer the stream's `base` refers to (for a
/// message, the frame): a payload walks itself knowing only its own bytes
/// (a nested set, a bytecode program), so the errors it reports while one
/// attribute is walked are shifted by that attribute's payload offset, in
/// lenient mode as in strict.
pub fn walk_attrs<'a, A: AttributeSet<'a>>(attrs: Attrs<'a, A>, v: &mut dyn Visitor) {
    let mode = attrs.raw.mode;
    if !A::PROVIDERS.is_empty() {
        // Sub-message selectors this stream provides, wherever they are
        // in it (the last one of a name wins, as the kernel's nla_parse
        // keeps the last attribute of a kind).
        let mut selectors = super::Selectors::EMPTY;
        for r in attrs.raw.clone().flatten() {
            if A::PROVIDERS.contains(&r.kind) {
                if let Some((name, value)) = A::from_raw(r, mode).ok().and_then(|a| a.provided()) {
                    selectors.set(name, value);
                }
            }
        }
        return super::submsg::with_selectors(&selectors, v, |v| walk_attrs_plain(attrs, v));
    }
    walk_attrs_plain(attrs, v);
}

fn walk_attrs_plain<'a, A: AttributeSet<'a>>(attrs: Attrs<'a, A>, v: &mut dyn Visitor) {
    let mode = attrs.raw.mode;
    if let Some(outer) = v.scope().map(|s| s.base()) {
        // The visitor keeps the base: move it per attribute, no wrapper.
        let mut moved = false;
        for raw in attrs.raw {
            match raw.and_then(|r| A::from_raw(r, mode).map(|a| (a, r.payload_offset()))) {
                Ok((a, base)) => match v.scope() {
                    Some(s) => {
                        s.set_base(outer.saturating_add(base));
                        moved = true;
                        a.walk(v);
                    }
                    None => a.walk(&mut Rebase { inner: v, base }),
                },
                Err(e) => {
                    if moved {
                        if let Some(s) = v.scope() {
                            s.set_base(outer);
                        }
                        moved = false;
                    }
                    v.error(e);
                }
            }
        }
        if moved {
            if let Some(s) = v.scope() {
                s.set_base(outer);
            }
        }
        return;
    }
    for raw in attrs.raw {
        match raw.and_then(|r| A::from_raw(r, mode).map(|a| (a, r.payload_offset()))) {
            Ok((a, base)) => a.walk(&mut Rebase { inner: v, base }),
            Err(e) => v.error(e),
        }
    }
}

/// A visitor that shifts the offsets of the errors it forwards by `base`
/// (see [`walk_attrs`]).
pub(super) struct Rebase<'v> {
    pub(super) inner: &'v mut dyn Visitor,
    pub(super) base: usize,
}

impl Visitor for Rebase<'_> {
    fn field(&mut self, name: &str, value: Value<'_>) {
        self.inner.field(name, value);
    }
    fn begin(&mut self, name: &str) {
        self.inner.begin(name);
    }
    fn begin_struct(&mut self, name: &str) {
        self.inner.begin_struct(name);
    }
    fn end(&mut self) {
        self.inner.end();
    }
    fn depth(&self) -> usize {
        self.inner.depth()
    }
    fn error(&mut self, error: Error) {
        self.inner.error(error.at(self.base));
    }
    fn selector(&mut self, name: &str) -> Option<crate::value::SelectorValue<'_>> {
        self.inner.selector(name)
    }
}

/// A nested attribute stream (`NLA_NESTED`), decoded lazily as the set `A`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Nested<'a, A> {
    bytes: &'a [u8],
    mode: Mode,
    _set: PhantomData<A>,
}

impl<'a, A: AttributeSet<'a>> Nested<'a, A> {
    /// A nested stream over `bytes`.
    pub const fn new(bytes: &'a [u8]) -> Self {
        Nested {
            bytes,
            mode: Mode::Lenient,
            _set: PhantomData,
        }
    }
    /// The nested attributes. A nest does not know where it lies in the
    /// outermost buffer: error offsets count from the start of the nest's
    /// payload (add the enclosing attribute's `payload_offset()`;
    /// [`walk_attrs`] does so when it walks the enclosing stream).
    pub fn iter(&self) -> Attrs<'a, A> {
        Attrs::with(self.bytes, 0, self.mode)
    }
    /// The encoded bytes.
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }
}

impl<'a, A: AttributeSet<'a>> Payload<'a> for Nested<'a, A> {
    const NESTED: bool = true;
    fn parse(bytes: &'a [u8], mode: Mode) -> Result<Self> {
        Self::parse_at_depth(bytes, mode, 0)
    }
    fn parse_at_depth(bytes: &'a [u8], mode: Mode, depth: usize) -> Result<Self> {
        if mode.is_strict() {
            // Strict: validate the whole nested stream now, at most
            // MAX_NEST_DEPTH nests deep (bounded recursion on any input).
            if depth >= MAX_NEST_DEPTH {
                return Err(Error::new(
                    ErrorKind::TooDeep,
                    A::NAME,
                    MAX_NEST_DEPTH,
                    depth.saturating_add(1),
                ));
            }
            for raw in RawAttrs::with(bytes, 0, mode) {
                A::from_raw_at_depth(raw?, mode, depth.saturating_add(1))?;
            }
        }
        Ok(Nested {
            bytes,
            mode,
            _set: PhantomData,
        })
    }
    fn len(&self) -> usize {
        self.bytes.len()
    }
    // `len` is the bytes kept, all copied.
    const WRITES_ALL: bool = true;
    #[inline]
    fn write(&self, buf: &mut [u8]) {
        crate::payload::copy_into(buf, self.bytes);
    }
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        v.begin(name);
        let depth = v.depth();
        if depth > MAX_NEST_DEPTH {
            v.error(Error::new(
                ErrorKind::TooDeep,
                A::NAME,
                MAX_NEST_DEPTH,
                depth,
            ));
        } else {
            walk_attrs(self.iter(), v);
        }
        v.end();
    }
    fn swap_order(bytes: &mut [u8]) {
        swap_attr_stream::<A>(bytes, 0);
    }
}

/// Swap every attribute header and every known payload of a stream in place
/// (for foreign-order captures). Stops at the first malformed attribute
/// (read in the *foreign* order).
pub fn swap_attr_stream<'a, A: AttributeSet<'a>>(bytes: &mut [u8], depth: usize) {
    swap_attr_stream_in::<A>(bytes, depth, &super::Selectors::EMPTY);
}

/// [`swap_attr_stream`], knowing what the request of this reply said
/// (`context`: sub-message selectors such as sock_diag's `"protocol"`,
/// [`FamilyEntry::context`](crate::registry::FamilyEntry::context)). A
/// selector the stream provides itself wins over the context.
pub fn swap_attr_stream_in<'a, A: AttributeSet<'a>>(
    bytes: &mut [u8],
    depth: usize,
    context: &super::Selectors<'_>,
) {
    if depth > MAX_NEST_DEPTH {
        return;
    }
    let converted = swap_headers_and_payloads::<A>(bytes);
    if !A::PROVIDERS.is_empty() {
        // Only the attributes the first pass converted: a bad length ends
        // the stream there, and what follows stays as captured.
        if let Some(b) = bytes.get_mut(..converted) {
            swap_sub_messages::<A>(b, context);
        }
    }
}

/// The first pass of [`swap_attr_stream`]: every attribute header, and
/// every payload but the sub-messages of a set with selector providers.
/// Returns how many bytes it converted (whole attributes).
fn swap_headers_and_payloads<'a, A: AttributeSet<'a>>(bytes: &mut [u8]) -> usize {
    let mut pos = 0usize;
    loop {
        let Some(rest) = bytes.get_mut(pos..) else {
            return pos.min(bytes.len());
        };
        if rest.len() < NLA_HDRLEN {
            return pos;
        }
        let (hdr, body) = rest.split_at_mut(NLA_HDRLEN);
        // Read in the foreign order, then rewrite in ours.
        let len = usize::from(NativeEndian::read_u16(hdr).swap_bytes());
        let typ = NativeEndian::read_u16(hdr.get(2..).unwrap_or_default()).swap_bytes();
        if len < NLA_HDRLEN || len > body.len().saturating_add(NLA_HDRLEN) {
            return pos;
        }
        if let Some(h) = hdr.get_mut(0..2) {
            h.reverse();
        }
        if let Some(h) = hdr.get_mut(2..4) {
            h.reverse();
        }
        let kind = typ & NLA_TYPE_MASK;
        if let Some(p) = body.get_mut(..len.saturating_sub(NLA_HDRLEN)) {
            // Sub-messages wait for the stream's selectors (second pass).
            if A::PROVIDERS.is_empty() || !A::is_sub_kind(kind) {
                A::swap_payload(kind, p);
            }
        }
        pos = pos.saturating_add(nla_align(len));
    }
}

/// The second pass of [`swap_attr_stream`] for a set whose attributes
/// provide sub-message selectors: with every header and every other
/// payload in host order now, read the numeric selectors the stream
/// provides and convert each sub-message payload as the variant they pick.
/// The longest string selector value the byte-order conversion keeps
/// (kind names are at most `IFNAMSIZ` (16) bytes in the kernel).
const MAX_SELECTOR_STR: usize = 32;

/// A selector value found in a stream being converted.
#[derive(Clone, Copy)]
enum Found {
    Int(u64),
    /// A string of this many bytes, copied into the matching buffer.
    Str(usize),
}

fn swap_sub_messages<'a, A: AttributeSet<'a>>(bytes: &mut [u8], context: &super::Selectors<'_>) {
    // Numbers (integers of 1, 2, 4 or 8 bytes, host order by now) and
    // strings (`IFLA_INFO_KIND`, `TCA_KIND`: copied out, since they would
    // otherwise borrow the buffer being converted; at most
    // `MAX_SELECTOR_STR` bytes, as the kernel's kind names are).
    let mut strings = [[0u8; MAX_SELECTOR_STR]; super::MAX_SELECTORS];
    let mut found: [Option<(&'static str, Found)>; super::MAX_SELECTORS] =
        [None; super::MAX_SELECTORS];
    let mut n_found = 0usize;
    for r in RawAttrs::new(bytes).flatten() {
        let Some((_, name)) = A::PROVIDER_NAMES.iter().find(|(k, _)| *k == r.kind) else {
            continue;
        };
        let is_str = A::PROVIDER_STRINGS.iter().any(|(k, s)| *k == r.kind && *s);
        let p = r.payload;
        let value = if is_str {
            let end = p.iter().position(|&b| b == 0).unwrap_or(p.len());
            let s = p.get(..end).unwrap_or_default();
            match (strings.get_mut(n_found), s.len() <= MAX_SELECTOR_STR) {
                (Some(buf), true) => {
                    if let Some(dst) = buf.get_mut(..s.len()) {
                        dst.copy_from_slice(s);
                    }
                    Some(Found::Str(s.len()))
                }
                _ => None,
            }
        } else {
            match p.len() {
                1 => p.first().map(|b| u64::from(*b)),
                2 => p.try_into().ok().map(|b| u64::from(u16::from_ne_bytes(b))),
                4 => p.try_into().ok().map(|b| u64::from(u32::from_ne_bytes(b))),
                8 => p.try_into().ok().map(u64::from_ne_bytes),
                _ => None,
            }
            .map(Found::Int)
        };
        if let (Some(v), Some(slot)) = (value, found.get_mut(n_found)) {
            *slot = Some((*name, v));
            n_found = n_found.saturating_add(1);
        }
    }
    let mut selectors = super::Selectors::EMPTY;
    for (name, value) in context.iter() {
        selectors.set(name, value);
    }
    for (i, f) in found.iter().enumerate() {
        match f {
            Some((name, Found::Int(n))) => {
                selectors.set(name, crate::value::SelectorValue::Int(*n))
            }
            Some((name, Found::Str(len))) => {
                let s = strings
                    .get(i)
                    .and_then(|b| b.get(..*len))
                    .unwrap_or_default();
                selectors.set(name, crate::value::SelectorValue::Str(s));
            }
            None => {}
        }
    }
    let mut pos = 0usize;
    loop {
        let Some(rest) = bytes.get_mut(pos..) else {
            return;
        };
        if rest.len() < NLA_HDRLEN {
            return;
        }
        let (hdr, body) = rest.split_at_mut(NLA_HDRLEN);
        let len = usize::from(NativeEndian::read_u16(hdr));
        let kind = NativeEndian::read_u16(hdr.get(2..).unwrap_or_default()) & NLA_TYPE_MASK;
        if len < NLA_HDRLEN || len > body.len().saturating_add(NLA_HDRLEN) {
            return;
        }
        if A::is_sub_kind(kind) {
            if let Some(p) = body.get_mut(..len.saturating_sub(NLA_HDRLEN)) {
                A::swap_payload_selected(kind, p, &selectors);
            }
        }
        pos = pos.saturating_add(nla_align(len));
    }
}

/// An attribute set with no known kinds: every attribute is kept as
/// `Unknown` (kind, flags, payload). Used for families and nests the codec
/// has not declared.
#[crate::attribute_set(name = "attrs")]
pub enum AnyAttr<'a> {}
