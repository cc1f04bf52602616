//! YNL `binary` attributes with `struct:`: a kernel structure that grows
//! across kernel versions (`rtnl_link_stats64`, `ifla_cacheinfo`, …).

use core::fmt;
use core::marker::PhantomData;

use crate::value::{Value, Visitor};
use crate::wire::WireStruct;
use crate::{Mode, Result};

use super::{copy_into, Payload};

/// A payload read as the wire struct `W` from its first `W::SIZE` bytes;
/// the bytes as received are kept, so emit writes them back exactly.
///
/// * lenient: a longer payload (a newer kernel's larger struct) is `W` and
///   a tail, walked as the group `name` holding `W`'s fields then the
///   field `extra` (the tail's bytes, as the views of extensible structs
///   show theirs); a shorter one (an older kernel's) is kept as bytes and
///   walked as the field `name` ([`Value::Bytes`]), with no error: nothing
///   is lost and [`Struct::get`] is `None`;
/// * strict: exactly `W::SIZE` bytes, or the error `&W` gives
///   ([`ErrorKind::Short`](crate::ErrorKind::Short) or
///   [`ErrorKind::Trailing`](crate::ErrorKind::Trailing), named `W::NAME`).
///
/// Byte-order conversion converts the `W::SIZE`-byte prefix as `W` and
/// leaves a tail (and a shorter payload) as captured: there is no telling
/// which of its bytes are integers.
pub struct Struct<'a, W> {
    bytes: &'a [u8],
    _w: PhantomData<&'a W>,
}

impl<'a, W: WireStruct> Struct<'a, W> {
    /// A payload of these bytes (any length).
    pub const fn new(bytes: &'a [u8]) -> Self {
        Struct {
            bytes,
            _w: PhantomData,
        }
    }
    /// The structure, `None` if the payload is shorter than `W::SIZE`.
    pub fn get(&self) -> Option<&'a W> {
        W::parse(self.bytes).ok().map(|(w, _)| w)
    }
    /// The bytes after the first `W::SIZE` (empty if there are none, or if
    /// the payload is shorter than `W`).
    pub fn tail(&self) -> &'a [u8] {
        self.bytes.get(W::SIZE..).unwrap_or_default()
    }
    /// The payload as received.
    pub const fn bytes(&self) -> &'a [u8] {
        self.bytes
    }
}

impl<W> Clone for Struct<'_, W> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<W> Copy for Struct<'_, W> {}
impl<W> PartialEq for Struct<'_, W> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}
impl<W> Eq for Struct<'_, W> {}
impl<W> core::hash::Hash for Struct<'_, W> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.bytes.hash(state);
    }
}
impl<W> fmt::Debug for Struct<'_, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Struct")
            .field(&core::any::type_name::<W>())
            .field(&self.bytes)
            .finish()
    }
}

impl<'a, W: WireStruct> Payload<'a> for Struct<'a, W> {
    const FIXED_SIZE: Option<usize> = Some(W::SIZE);
    // `len` is the bytes kept, all copied.
    const WRITES_ALL: bool = true;
    fn parse(bytes: &'a [u8], mode: Mode) -> Result<Self> {
        if mode.is_strict() {
            W::parse_exact(bytes, mode)?;
        }
        Ok(Struct::new(bytes))
    }
    fn len(&self) -> usize {
        self.bytes.len()
    }
    #[inline]
    fn write(&self, buf: &mut [u8]) {
        copy_into(buf, self.bytes);
    }
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        match self.get() {
            Some(w) => {
                W::begin_group(name, v);
                w.walk(v);
                let tail = self.tail();
                if !tail.is_empty() {
                    v.field("extra", Value::Bytes(tail));
                }
                v.end();
            }
            None => v.field(name, Value::Bytes(self.bytes)),
        }
    }
    fn swap_order(bytes: &mut [u8]) {
        if let Some(prefix) = bytes.get_mut(..W::SIZE) {
            W::swap_order(prefix);
        }
    }
}

impl<W: crate::registry::Describe> crate::registry::Describe for Struct<'_, W> {
    fn describe(v: &mut dyn crate::registry::DeclVisitor) {
        W::describe(v);
    }
}
