//! A member of a C union carried whole: the member's struct, then the rest
//! of the union's bytes (the kernel sends `sizeof(union)` whatever the
//! member).

use core::marker::PhantomData;

use crate::payload::{copy_into, Payload};
use crate::value::Visitor;
use crate::wire::WireStruct;
use crate::{Error, ErrorKind, Mode, Result};

/// The struct `W` at the start of a union's bytes, and the rest of the
/// union. Strict mode wants the rest zero (as the kernel's `memset` leaves
/// it); lenient mode keeps whatever is there. Emitted back as received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member<'a, W> {
    /// The member.
    pub value: &'a W,
    bytes: &'a [u8],
    _w: PhantomData<W>,
}

impl<'a, W: WireStruct> Member<'a, W> {
    /// The bytes after the member, up to the end of the union.
    pub fn rest(&self) -> &'a [u8] {
        self.bytes.get(W::SIZE..).unwrap_or_default()
    }
}

impl<'a, W: WireStruct + 'a> Payload<'a> for Member<'a, W> {
    fn parse(bytes: &'a [u8], mode: Mode) -> Result<Self> {
        let (value, rest) = W::parse(bytes)?;
        if mode.is_strict() && rest.iter().any(|&b| b != 0) {
            return Err(Error::new(ErrorKind::NonZeroPad, W::NAME, 0, rest.len()).at(W::SIZE));
        }
        Ok(Member {
            value,
            bytes,
            _w: PhantomData,
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
        self.value.walk(v);
        v.end();
    }
    fn swap_order(bytes: &mut [u8]) {
        if let Some(value) = bytes.get_mut(..W::SIZE) {
            W::swap_order(value);
        }
    }
}
