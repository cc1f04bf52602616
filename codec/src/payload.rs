//! Attribute payload types: how each kind of value is parsed from, and
//! written into, an attribute's payload.
//!
//! An [`attribute_set`](crate::attribute_set) variant may hold any type that
//! implements [`Payload`]:
//!
//! * host-order integers (`u8`, `u16`, `u32`, `u64`, `i32`, `i64`) and
//!   byte-ordered ones (`U16<BigEndian>` …); an
//!   [`open_enum`](crate::open_enum) of its own width;
//! * [`Uint`], [`Sint`]: YNL `uint`/`sint` (`NLA_UINT`/`NLA_SINT`), 4 or 8
//!   bytes;
//! * [`FlagBits`](crate::flags::FlagBits), [`EnumVal`](crate::flags::EnumVal)
//!   (in [`crate::flags`]): an integer whose bits, or whose value, have
//!   kernel names (YNL `enum:`, `enum-as-flags`);
//! * [`NulStr`] (YNL `string`; a selector provider without its NUL),
//!   [`Bytes`] (YNL `binary`, shown as hex), [`Flag`], [`Array`];
//! * [`IpAddr`] (display hints `ipv4`, `ipv6`, `ipv4-or-v6`), [`Mac`]
//!   (display hint `mac`);
//! * a reference to a declared wire struct (`&'a InetDiagMeminfo`,
//!   `&'a NlaBitfield32` for YNL `bitfield32`), exactly its size in strict
//!   mode; [`Struct`] for YNL `binary` with `struct:` (a structure that
//!   grows across kernel versions: longer and shorter payloads kept);
//! * the view of an extensible struct, [`Nested`](crate::netlink::Nested)
//!   attributes, [`Sub`](crate::netlink::Sub) messages and
//!   [`IndexedArray`](crate::netlink::IndexedArray)s.

mod addr;
mod int;
mod structs;

pub use addr::{IpAddr, Mac};
pub use int::{Sint, Uint};
pub use structs::Struct;

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::value::{SelectorValue, Value, Visitor, WalkField};
use crate::wire::WireStruct;
use crate::{Error, ErrorKind, Mode, Result};

/// A value that can be an attribute's payload.
pub trait Payload<'a>: Sized {
    /// `true` for nested attribute sets.
    const NESTED: bool = false;
    /// The payload size when it is fixed (integers, wire structs); `None`
    /// for variable-length payloads. Used by generic test strategies, which
    /// generate payloads of this size: a payload of a few accepted sizes
    /// gives the one strategies should generate ([`Uint`], [`Sint`]: 8), a
    /// payload that grows across kernel versions its canonical size
    /// ([`Struct`]: `W::SIZE`).
    const FIXED_SIZE: Option<usize> = None;
    /// Parse from exactly the attribute's payload.
    fn parse(bytes: &'a [u8], mode: Mode) -> Result<Self>;
    /// Parse an attribute found `depth` nests below the outermost attribute
    /// stream (0 for a top-level attribute). Only nested attribute sets use
    /// the depth: in strict mode they validate their contents up front and
    /// refuse nesting deeper than [`crate::MAX_NEST_DEPTH`], so validation
    /// recursion is bounded whatever the input. The default is
    /// [`Payload::parse`].
    fn parse_at_depth(bytes: &'a [u8], mode: Mode, depth: usize) -> Result<Self> {
        let _ = depth;
        Self::parse(bytes, mode)
    }
    /// Payload length in bytes (without the 4-byte header or padding).
    fn len(&self) -> usize;
    /// `true` if the payload is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Write the payload into `buf`, which is exactly [`Payload::len`] bytes.
    /// Unless [`Payload::WRITES_ALL`] says otherwise, `buf` is zeroed
    /// before, and bytes left alone stay zero.
    fn write(&self, buf: &mut [u8]);
    /// `true` if [`Payload::write`] writes every byte of the buffer it is
    /// given, whatever it held before. The builder then reserves the
    /// attribute without zeroing it
    /// ([`Sink::reserve`](crate::netlink::Sink::reserve)) and zeroes only
    /// the last 4-byte word (the `NLA_ALIGN` padding, in one store) before
    /// `write`. `false` (the default) keeps the zeroed
    /// buffer: a `write` that leaves bytes alone (a fixed-size field
    /// written up to a NUL, say) needs it.
    const WRITES_ALL: bool = false;
    /// Report the payload as the field or group `name`.
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor);
    /// Swap host-order values in a payload between little- and big-endian.
    fn swap_order(_bytes: &mut [u8]) {}
    /// `true` for sub-message payloads ([`crate::netlink::Sub`]), whose
    /// byte-order conversion depends on a selector.
    const SUB: bool = false;
    /// Convert between byte orders knowing the selector values of the
    /// enclosing stream (only sub-messages use them).
    fn swap_order_selected(bytes: &mut [u8], selectors: &crate::netlink::Selectors<'_>) {
        let _ = selectors;
        Self::swap_order(bytes);
    }
    /// `true` if this payload gives a sub-message selector a string
    /// ([`NulStr`]), so byte-order conversion reads it as one.
    const STR_SELECTOR: bool = false;
    /// The value this payload gives a sub-message selector it provides
    /// (integers and strings; `None` for other payloads).
    fn selector_value(&self) -> Option<SelectorValue<'a>> {
        None
    }
}

/// Where attributes are appended (a [`Builder`](crate::netlink::Builder)):
/// what the `emit_attr` that `#[attribute_set]` generates calls, one call
/// per variant with the kind and flag bits known.
pub trait AttrWriter {
    /// Append one attribute: `nla_type` (kind and flag bits), then
    /// `payload`, then zeroed padding.
    fn attr_payload<'a, P: Payload<'a>>(&mut self, nla_type: u16, payload: &P) -> Result<()>;
    /// Append one attribute with raw `nla_type` (flags included) and payload.
    fn attr_bytes(&mut self, nla_type: u16, payload: &[u8]) -> Result<()>;
    /// Append one attribute of `len` payload bytes that `write` fills (the
    /// buffer it gets is zeroed).
    fn attr_parts(
        &mut self,
        nla_type: u16,
        len: usize,
        write: impl FnOnce(&mut [u8]),
    ) -> Result<()>;
}

/// Copy `src` into `dst` as far as both reach (never panics).
#[inline]
pub fn copy_into(dst: &mut [u8], src: &[u8]) {
    let n = dst.len().min(src.len());
    if let (Some(d), Some(s)) = (dst.get_mut(..n), src.get(..n)) {
        d.copy_from_slice(s);
    }
}

/// Give an error from a payload parser the attribute's name and offset.
pub fn name_error(mut e: Error, name: &'static str, offset: usize) -> Error {
    if e.what.is_empty() {
        e.what = name;
    }
    e.at(offset)
}

/// Check a fixed-size payload: lenient needs at least `size` bytes (extra
/// ignored, as `nla_get_u32` does), strict exactly `size`.
#[inline]
fn check_size(bytes: &[u8], size: usize, mode: Mode) -> Result<()> {
    if bytes.len() < size {
        return Err(Error::short("", size, bytes.len()));
    }
    if mode.is_strict() && bytes.len() != size {
        return Err(Error::new(ErrorKind::Trailing, "", size, bytes.len()).at(size));
    }
    Ok(())
}

macro_rules! payload_int {
    ($($t:ty => $walk:ident),*) => {$(
        impl<'a> Payload<'a> for $t {
            const FIXED_SIZE: Option<usize> = Some(core::mem::size_of::<$t>());
            const WRITES_ALL: bool = true;
            #[inline]
            fn parse(bytes: &'a [u8], mode: Mode) -> Result<Self> {
                const N: usize = core::mem::size_of::<$t>();
                check_size(bytes, N, mode)?;
                let mut a = [0u8; N];
                copy_into(&mut a, bytes);
                Ok(<$t>::from_ne_bytes(a))
            }
            fn len(&self) -> usize {
                core::mem::size_of::<$t>()
            }
            #[inline]
            fn write(&self, buf: &mut [u8]) {
                copy_into(buf, &self.to_ne_bytes());
            }
            fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
                #[allow(clippy::cast_lossless, clippy::cast_sign_loss)]
                v.field(name, Value::$walk((*self).into()));
            }
            fn swap_order(bytes: &mut [u8]) {
                if let Some(b) = bytes.get_mut(..core::mem::size_of::<$t>()) {
                    b.reverse();
                }
            }
            fn selector_value(&self) -> Option<SelectorValue<'a>> {
                #[allow(clippy::cast_sign_loss)]
                Some(SelectorValue::Int(*self as u64))
            }
        }
    )*};
}
payload_int!(u8 => U64, u16 => U64, u32 => U64, u64 => U64, i8 => I64, i16 => I64, i32 => I64, i64 => I64);

macro_rules! payload_zc {
    ($($t:ident),*) => {$(
        impl<'a, O: zerocopy::ByteOrder + WireOrder> Payload<'a> for zerocopy::byteorder::$t<O> {
            const FIXED_SIZE: Option<usize> = Some(core::mem::size_of::<Self>());
            const WRITES_ALL: bool = true;
            #[inline]
            fn parse(bytes: &'a [u8], mode: Mode) -> Result<Self> {
                let n = core::mem::size_of::<Self>();
                check_size(bytes, n, mode)?;
                Self::read_from_prefix(bytes)
                    .map(|(v, _)| v)
                    .map_err(|_| Error::short("", n, bytes.len()))
            }
            fn len(&self) -> usize {
                core::mem::size_of::<Self>()
            }
            #[inline]
            fn write(&self, buf: &mut [u8]) {
                copy_into(buf, self.as_bytes());
            }
            fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
                self.walk_field(name, v);
            }
            fn swap_order(bytes: &mut [u8]) {
                if O::HOST_ORDER {
                    if let Some(b) = bytes.get_mut(..core::mem::size_of::<Self>()) {
                        b.reverse();
                    }
                }
            }
        }
    )*};
}
payload_zc!(U16, U32, U64, I32);

/// Whether a zerocopy byte order is the capturing host's (swapped for
/// foreign-order captures) or fixed (network order never is).
pub trait WireOrder {
    /// `true` for `NativeEndian`.
    const HOST_ORDER: bool;
}
impl WireOrder for zerocopy::BigEndian {
    const HOST_ORDER: bool = cfg!(target_endian = "big");
}
impl WireOrder for zerocopy::LittleEndian {
    const HOST_ORDER: bool = cfg!(target_endian = "little");
}

impl<'a, W: WireStruct> Payload<'a> for &'a W {
    const FIXED_SIZE: Option<usize> = Some(W::SIZE);
    // `len` is `W::SIZE`, the size of `as_bytes`.
    const WRITES_ALL: bool = true;
    fn parse(bytes: &'a [u8], mode: Mode) -> Result<Self> {
        W::parse_exact(bytes, mode)
    }
    fn len(&self) -> usize {
        W::SIZE
    }
    #[inline]
    fn write(&self, buf: &mut [u8]) {
        copy_into(buf, self.as_bytes());
    }
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        W::begin_group(name, v);
        (*self).walk(v);
        v.end();
    }
    fn swap_order(bytes: &mut [u8]) {
        W::swap_order(bytes);
    }
}

/// Raw bytes: any length, shown as hex.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Bytes<'a>(pub &'a [u8]);

impl<'a> Payload<'a> for Bytes<'a> {
    const WRITES_ALL: bool = true;
    fn parse(bytes: &'a [u8], _mode: Mode) -> Result<Self> {
        Ok(Bytes(bytes))
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    #[inline]
    fn write(&self, buf: &mut [u8]) {
        copy_into(buf, self.0);
    }
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        v.field(name, Value::Bytes(self.0));
    }
}

/// A flag attribute: present with an empty payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Flag;

impl<'a> Payload<'a> for Flag {
    const FIXED_SIZE: Option<usize> = Some(0);
    const WRITES_ALL: bool = true;
    fn parse(bytes: &'a [u8], mode: Mode) -> Result<Self> {
        check_size(bytes, 0, mode).map(|()| Flag)
    }
    fn len(&self) -> usize {
        0
    }
    fn write(&self, _buf: &mut [u8]) {}
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        v.field(name, Value::Bool(true));
    }
}

/// A C string (`NLA_NUL_STRING`/`NLA_STRING`): the bytes as sent, which
/// normally end in NUL; a missing NUL is tolerated. Not assumed UTF-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct NulStr<'a>(pub &'a [u8]);

impl<'a> NulStr<'a> {
    /// The string up to (not including) the first NUL.
    #[inline]
    pub fn to_bytes(&self) -> &'a [u8] {
        let end = self.0.iter().position(|&b| b == 0).unwrap_or(self.0.len());
        self.0.get(..end).unwrap_or_default()
    }
    /// `true` if the payload carried a terminating NUL.
    pub fn has_nul(&self) -> bool {
        self.0.contains(&0)
    }
    /// The string as UTF-8, if it is.
    pub fn to_str(&self) -> Option<&'a str> {
        core::str::from_utf8(self.to_bytes()).ok()
    }
}

impl<'a> Payload<'a> for NulStr<'a> {
    const STR_SELECTOR: bool = true;
    // The bytes as sent, NUL included: `len` is theirs, all copied.
    const WRITES_ALL: bool = true;
    fn parse(bytes: &'a [u8], _mode: Mode) -> Result<Self> {
        Ok(NulStr(bytes))
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    #[inline]
    fn write(&self, buf: &mut [u8]) {
        copy_into(buf, self.0);
    }
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        v.field(name, Value::Str(self.to_bytes()));
    }
    fn selector_value(&self) -> Option<SelectorValue<'a>> {
        Some(SelectorValue::Str(self.to_bytes()))
    }
}

/// An array of fixed-size elements (`__u32[]`, `struct sockaddr[]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Array<'a, T>(pub &'a [T]);

impl<'a, T> Payload<'a> for Array<'a, T>
where
    T: FromBytes + IntoBytes + KnownLayout + Immutable + Unaligned + WalkField + ArrayElem,
{
    const WRITES_ALL: bool = true;
    fn parse(bytes: &'a [u8], mode: Mode) -> Result<Self> {
        let size = core::mem::size_of::<T>().max(1);
        let rest = bytes.len().checked_rem(size).unwrap_or_default();
        let whole = bytes.len().saturating_sub(rest);
        if rest != 0 && mode.is_strict() {
            return Err(Error::new(ErrorKind::Trailing, "", whole, bytes.len()).at(whole));
        }
        let head = bytes.get(..whole).unwrap_or_default();
        <[T]>::ref_from_bytes(head)
            .map(Array)
            .map_err(|_| Error::short("", size, bytes.len()))
    }
    fn len(&self) -> usize {
        core::mem::size_of_val(self.0)
    }
    #[inline]
    fn write(&self, buf: &mut [u8]) {
        copy_into(buf, self.0.as_bytes());
    }
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        v.begin(name);
        let mut idx = crate::value::IndexBuf::new();
        for (i, x) in self.0.iter().enumerate() {
            x.walk_field(idx.format(i), v);
        }
        v.end();
    }
    fn swap_order(bytes: &mut [u8]) {
        let size = core::mem::size_of::<T>();
        if size == 0 {
            return;
        }
        for chunk in bytes.chunks_exact_mut(size) {
            T::swap_elem(chunk);
        }
    }
}

/// How to swap one array element for a foreign-order capture.
pub trait ArrayElem {
    /// Swap the element's host-order parts in place.
    fn swap_elem(bytes: &mut [u8]);
}
impl<O: zerocopy::ByteOrder + WireOrder> ArrayElem for zerocopy::byteorder::U32<O> {
    fn swap_elem(bytes: &mut [u8]) {
        if O::HOST_ORDER {
            bytes.reverse();
        }
    }
}
impl<O: zerocopy::ByteOrder + WireOrder> ArrayElem for zerocopy::byteorder::U64<O> {
    fn swap_elem(bytes: &mut [u8]) {
        if O::HOST_ORDER {
            bytes.reverse();
        }
    }
}
impl ArrayElem for u8 {
    fn swap_elem(_bytes: &mut [u8]) {}
}
