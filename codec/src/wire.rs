//! Fixed-layout wire structures: the trait the `#[nl_struct]` declaration
//! implements, and the metadata it generates.
//!
//! A wire struct is made only of alignment-free fields (`u8`, byte arrays,
//! `zerocopy::byteorder::{U16, U32, U64}` in native or big-endian order), so a
//! cast from bytes can only fail for size. Parsing returns a borrowed view
//! (`&'a Self`) over the input; nothing is copied.

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// The alignment-free field types declarations are made of (zerocopy's), so a
/// family crate needs no direct zerocopy dependency.
pub use zerocopy::byteorder::{
    BigEndian, LittleEndian, NativeEndian, I16, I32, I64, U16, U32, U64,
};

use crate::value::{Visitor, Walk};
use crate::{Error, Mode, Result};

/// The byte order of a field on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endian {
    /// Host order (`__u16`, `__u32`, …): the capturing host's order.
    Native,
    /// Network order (`__be16`, `__be32`).
    Big,
    /// Little-endian regardless of host.
    Little,
    /// Single bytes or byte arrays: no order.
    None,
}

/// One field of a declared structure, for layout conformance and printers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FieldMeta {
    /// The kernel's field name (`idiag_sport`).
    pub name: &'static str,
    /// `offsetof` in bytes.
    pub offset: usize,
    /// `sizeof` of the field in bytes.
    pub size: usize,
    /// Byte order of each element of the field.
    pub endian: Endian,
    /// Size of one element (the field's size for scalars; 4 for `__u32[4]`).
    pub elem_size: usize,
    /// Bit-fields packed into this field: `(kernel name, first bit, bit count)`.
    pub bits: &'static [(&'static str, u8, u8)],
    /// Sub-fields, when the field is itself a declared structure.
    pub fields: &'static [FieldMeta],
}

/// The byte order and element size of a field type, used by the derive's
/// metadata. Implemented for every type a wire struct field may have.
pub trait FieldType {
    /// Byte order of each element.
    const ENDIAN: Endian;
    /// Size of one element.
    const ELEM_SIZE: usize;
    /// Sub-fields, for a field that is itself a declared structure.
    const FIELDS: &'static [FieldMeta] = &[];
}

impl FieldType for u8 {
    const ENDIAN: Endian = Endian::None;
    const ELEM_SIZE: usize = 1;
}
impl FieldType for i8 {
    const ENDIAN: Endian = Endian::None;
    const ELEM_SIZE: usize = 1;
}

macro_rules! field_type_zc {
    ($($t:ident = $n:expr),*) => {$(
        impl FieldType for zerocopy::byteorder::$t<zerocopy::NativeEndian> {
            const ENDIAN: Endian = Endian::Native;
            const ELEM_SIZE: usize = $n;
        }
        impl FieldType for zerocopy::byteorder::$t<zerocopy::BigEndian> {
            const ENDIAN: Endian = Endian::Big;
            const ELEM_SIZE: usize = $n;
        }
    )*};
}
// On both little- and big-endian hosts zerocopy's `NativeEndian` and
// `BigEndian`/`LittleEndian` are distinct type aliases only where they differ;
// we implement for the two orders declarations use.
field_type_zc!(U16 = 2, U32 = 4, U64 = 8, I16 = 2, I32 = 4, I64 = 8);

impl<T: FieldType, const N: usize> FieldType for [T; N] {
    const ENDIAN: Endian = T::ENDIAN;
    const ELEM_SIZE: usize = T::ELEM_SIZE;
    const FIELDS: &'static [FieldMeta] = T::FIELDS;
}

/// The host-order Rust value of a field type (`U32<O>` → `u32`), used by the
/// accessors of extensible views.
pub trait Native {
    /// The plain Rust type.
    type Out: Copy;
    /// Convert.
    fn native(&self) -> Self::Out;
}
impl Native for u8 {
    type Out = u8;
    fn native(&self) -> u8 {
        *self
    }
}
impl Native for i8 {
    type Out = i8;
    fn native(&self) -> i8 {
        *self
    }
}
macro_rules! native_zc {
    ($($t:ident => $o:ty),*) => {$(
        impl<O: zerocopy::ByteOrder> Native for zerocopy::byteorder::$t<O> {
            type Out = $o;
            fn native(&self) -> $o {
                self.get()
            }
        }
    )*};
}
native_zc!(U16 => u16, U32 => u32, U64 => u64, I16 => i16, I32 => i32, I64 => i64);
impl<T: Native + Copy, const N: usize> Native for [T; N] {
    type Out = [T; N];
    fn native(&self) -> [T; N] {
        *self
    }
}

/// Bits `lo..hi` of `raw` (bit 0 is the least significant; this is how GCC
/// lays out bit-fields on little-endian hosts, first declared lowest).
pub const fn extract_bits(raw: u64, lo: u32, hi: u32) -> u64 {
    if lo >= hi || lo >= 64 {
        return 0;
    }
    let width = hi.saturating_sub(lo);
    let shifted = raw >> lo;
    if width >= 64 {
        shifted
    } else {
        shifted & (1u64 << width).wrapping_sub(1)
    }
}

/// A fixed-layout kernel structure, declared with `#[nl_struct]`.
///
/// After a successful [`WireStruct::parse`] no accessor can panic: every field
/// is an alignment-free value inside the borrowed bytes.
pub trait WireStruct:
    FromBytes + IntoBytes + KnownLayout + Immutable + Unaligned + Walk + Sized
{
    /// The kernel's name for the structure (`"inet_diag_msg"`).
    const NAME: &'static str;
    /// `sizeof` in bytes.
    const SIZE: usize = core::mem::size_of::<Self>();
    /// Every field in declaration (kernel) order.
    const FIELDS: &'static [FieldMeta];
    /// The walk reports distinct plain names only, at the structure's own
    /// level (and `extra` is not one of them): its group may be opened with
    /// [`Visitor::begin_struct`]. `#[nl_struct]` sets it when it generates
    /// the walk and has checked the names.
    const WALK_DISTINCT: bool = false;

    /// Open the group `name` for this structure's walk:
    /// [`Visitor::begin_struct`] if [`Self::WALK_DISTINCT`], else
    /// [`Visitor::begin`].
    #[inline]
    fn begin_group(name: &str, v: &mut dyn Visitor) {
        if Self::WALK_DISTINCT {
            v.begin_struct(name);
        } else {
            v.begin(name);
        }
    }

    /// Parse a view from the start of `bytes`; returns the view and the rest.
    #[inline]
    fn parse(bytes: &[u8]) -> Result<(&Self, &[u8])> {
        Self::ref_from_prefix(bytes).map_err(|_| Error::short(Self::NAME, Self::SIZE, bytes.len()))
    }

    /// Parse a view from exactly `bytes`. Lenient mode tolerates (and ignores)
    /// trailing bytes, strict mode rejects them.
    fn parse_exact(bytes: &[u8], mode: Mode) -> Result<&Self> {
        let (v, rest) = Self::parse(bytes)?;
        if mode.is_strict() && !rest.is_empty() {
            return Err(Error::new(
                crate::ErrorKind::Trailing,
                Self::NAME,
                Self::SIZE,
                bytes.len(),
            )
            .at(Self::SIZE));
        }
        Ok(v)
    }

    /// Write the structure at the start of `buf`; returns the bytes written.
    fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let present = buf.len();
        match buf.get_mut(..Self::SIZE) {
            Some(dst) => {
                dst.copy_from_slice(self.as_bytes());
                Ok(Self::SIZE)
            }
            None => Err(Error::buffer_too_small(Self::NAME, Self::SIZE, present)),
        }
    }

    /// Append the structure to a vector.
    #[cfg(feature = "alloc")]
    fn emit_vec(&self, out: &mut alloc::vec::Vec<u8>) {
        out.extend_from_slice(self.as_bytes());
    }

    /// Look a field up by kernel name.
    fn field(name: &str) -> Option<&'static FieldMeta> {
        Self::FIELDS.iter().find(|f| f.name == name)
    }

    /// The value of the integer field `name` (kernel name), read in its
    /// declared byte order: what a selector field (`proc_event.what`) says.
    /// `None` for a field not declared, an array, a nested structure, or
    /// one wider than 8 bytes.
    fn field_value(&self, name: &str) -> Option<u64> {
        let f = Self::field(name)?;
        if !f.fields.is_empty() || f.size == 0 || f.size > 8 || f.elem_size != f.size {
            return None;
        }
        let b = self
            .as_bytes()
            .get(f.offset..f.offset.checked_add(f.size)?)?;
        let mut v = [0u8; 8];
        let big = match f.endian {
            Endian::Big => true,
            Endian::Little => false,
            Endian::Native | Endian::None => cfg!(target_endian = "big"),
        };
        if big {
            v.get_mut(8usize.checked_sub(f.size)?..)?.copy_from_slice(b);
            Some(u64::from_be_bytes(v))
        } else {
            v.get_mut(..f.size)?.copy_from_slice(b);
            Some(u64::from_le_bytes(v))
        }
    }

    /// Swap every host-order field of a structure held in `bytes` between
    /// little- and big-endian (for captures made on a host of the other byte
    /// order). Bytes beyond the structure are left alone.
    fn swap_order(bytes: &mut [u8]) {
        swap_fields(Self::FIELDS, bytes);
    }
}

/// Reverse every host-order element described by `fields` in `bytes`.
/// Elements not fully inside `bytes` are left alone.
pub fn swap_fields(fields: &[FieldMeta], bytes: &mut [u8]) {
    for f in fields {
        if !f.fields.is_empty() {
            // A nested structure (or an array of them): recurse per element.
            let mut off = f.offset;
            let end = f.offset.saturating_add(f.size);
            while off < end && f.elem_size > 0 {
                let next = off.saturating_add(f.elem_size);
                if let Some(elem) = bytes.get_mut(off..next) {
                    swap_fields(f.fields, elem);
                }
                off = next;
            }
            continue;
        }
        if f.endian == Endian::Native && f.elem_size >= 2 {
            let mut off = f.offset;
            let end = f.offset.saturating_add(f.size);
            while off < end {
                let next = off.saturating_add(f.elem_size);
                if let Some(elem) = bytes.get_mut(off..next) {
                    elem.reverse();
                }
                off = next;
            }
        }
        if !f.bits.is_empty() {
            if let Some(field) = bytes.get_mut(f.offset..f.offset.saturating_add(f.size)) {
                mirror_bits(field, f.bits);
            }
        }
    }
}

/// Move the bit-fields of one storage unit from the other host's layout to
/// this host's.
///
/// GCC allocates bit-fields from the least significant bit on little-endian
/// hosts and from the most significant bit on big-endian ones, so a field
/// declared at bits `lo..lo+w` (little-endian numbering) of an `n`-bit unit
/// sits at `n-lo-w..n-lo` on a big-endian host (once the unit's bytes are in
/// host order). Bits no field covers are moved the same way, as unnamed
/// fields, so nothing is lost. Units wider than 8 bytes are left alone.
fn mirror_bits(field: &mut [u8], bits: &[(&str, u8, u8)]) {
    let n = field.len();
    if n == 0 || n > 8 {
        return;
    }
    let total = 8u32.saturating_mul(n as u32);
    let mut raw = [0u8; 8];
    let Some(dst) = raw.get_mut(..n) else { return };
    dst.copy_from_slice(field);
    let value = if cfg!(target_endian = "little") {
        u64::from_le_bytes(raw)
    } else {
        u64::from_be_bytes(raw)
            .checked_shr(64u32.saturating_sub(total))
            .unwrap_or(0)
    };
    // Declared fields and the gaps between them, little-endian numbering.
    let mut spans = [(0u32, 0u32); 64];
    let mut count = 0usize;
    let mut at = 0u32;
    let mut sorted = [(0u32, 0u32); 32];
    let mut k = 0usize;
    for &(_, lo, w) in bits {
        if let Some(slot) = sorted.get_mut(k) {
            *slot = (u32::from(lo), u32::from(w));
            k = k.saturating_add(1);
        }
    }
    let sorted = sorted.get_mut(..k).unwrap_or_default();
    sorted.sort_unstable();
    let mut push = |lo: u32, w: u32| {
        if let Some(slot) = spans.get_mut(count) {
            *slot = (lo, w);
            count = count.saturating_add(1);
        }
    };
    for &(lo, w) in sorted.iter() {
        if lo > at {
            push(at, lo.saturating_sub(at));
        }
        push(lo, w);
        at = lo.saturating_add(w);
    }
    if at < total {
        push(at, total.saturating_sub(at));
    }
    let mut out = 0u64;
    for &(lo, w) in spans.get(..count).unwrap_or_default() {
        let Some(mirrored) = total.checked_sub(lo).and_then(|x| x.checked_sub(w)) else {
            continue;
        };
        // Foreign big-endian → little-endian host: read mirrored, write lo;
        // foreign little-endian → big-endian host: the reverse.
        let (from, to) = if cfg!(target_endian = "little") {
            (mirrored, lo)
        } else {
            (lo, mirrored)
        };
        let part = extract_bits(value, from, from.saturating_add(w));
        out |= part.checked_shl(to).unwrap_or(0);
    }
    let bytes = if cfg!(target_endian = "little") {
        out.to_le_bytes()
    } else {
        out.checked_shl(64u32.saturating_sub(total))
            .unwrap_or(0)
            .to_be_bytes()
    };
    if let Some(src) = bytes.get(..n) {
        field.copy_from_slice(src);
    }
}

/// Walk a wire struct as a group named by its kernel name (`"ifinfomsg"`).
pub fn walk_struct<W: WireStruct>(w: &W, v: &mut dyn Visitor) {
    W::begin_group(W::NAME, v);
    w.walk(v);
    v.end();
}

/// Walk a wire struct as a named group (used for struct-typed fields and
/// attribute payloads).
pub fn walk_group<T: Walk + ?Sized>(value: &T, name: &str, v: &mut dyn Visitor) {
    v.begin(name);
    value.walk(v);
    v.end();
}
