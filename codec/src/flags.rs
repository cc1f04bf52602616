//! Integer payloads whose value has kernel names, for any family:
//!
//! * [`FlagBits<T, N>`]: an integer whose bits are named by an
//!   [`nl_flags`](crate::nl_flags) table (`INET_DIAG_SHUTDOWN`,
//!   `CTRL_ATTR_OP_FLAGS`, YNL `enum-as-flags`), walked as
//!   [`Value::Flags`];
//! * [`EnumVal<T, E>`]: an integer whose value is named by an
//!   [`open_enum`](crate::open_enum) (YNL attributes with `enum:`), walked
//!   as [`Value::Enum`]. The enum's own repr may differ from the
//!   attribute's width (`enum: operstate` is `u8` in `IFLA_OPERSTATE`), hence
//!   the separate `T`.
//!
//! Both are parsed, emitted, swapped and sized as their integer `T` (`u8`,
//! `u16`, `u32`, `u64`, `i32`, `i64`, or a byte-ordered `U16<BigEndian>`,
//! `U32<BigEndian>`, …), so they behave exactly as `T` does in both modes.
//!
//! ```
//! use nlwire::flags::EnumVal;
//! use nlwire::payload::Payload;
//! use nlwire::{open_enum, Mode};
//!
//! #[open_enum(u8)]
//! pub enum Operstate {
//!     #[nl(name = "IF_OPER_UP")]
//!     Up = 6,
//! }
//!
//! let v = EnumVal::<u32, Operstate>::parse(&6u32.to_ne_bytes(), Mode::Strict).unwrap();
//! assert_eq!(v.raw(), 6);
//! assert_eq!(v.name(), Some("IF_OPER_UP"));
//! ```

use core::marker::PhantomData;

use crate::payload::Payload;
use crate::value::{OpenEnum, Scalar, SelectorValue, Value, Visitor};
use crate::{Error, ErrorKind, Mode, Result};

/// The table of bit names of a [`FlagBits`] payload (declared with
/// [`nl_flags`](crate::nl_flags)).
pub use crate::value::FlagNames;

/// An integer payload of type `T` (`u8`, `u32`, …) whose bits are named by
/// `N`. Unknown bits are kept (and shown as a number by printers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FlagBits<T, N> {
    /// The integer as received.
    pub bits: T,
    _names: PhantomData<N>,
}

impl<T: Scalar + Copy, N: FlagNames> FlagBits<T, N> {
    /// Flags with these bits.
    pub const fn new(bits: T) -> Self {
        FlagBits {
            bits,
            _names: PhantomData,
        }
    }
    /// `true` if every bit of `mask` is set.
    pub fn contains(&self, mask: u64) -> bool {
        self.bits.to_u64() & mask == mask
    }
}

impl<'a, T, N> Payload<'a> for FlagBits<T, N>
where
    T: Payload<'a> + Scalar + Copy,
    N: FlagNames,
{
    const FIXED_SIZE: Option<usize> = T::FIXED_SIZE;
    fn parse(bytes: &'a [u8], mode: Mode) -> Result<Self> {
        T::parse(bytes, mode).map(Self::new)
    }
    fn len(&self) -> usize {
        self.bits.len()
    }
    const WRITES_ALL: bool = T::WRITES_ALL;
    #[inline]
    fn write(&self, buf: &mut [u8]) {
        self.bits.write(buf);
    }
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        v.field(
            name,
            Value::Flags {
                raw: self.bits.to_u64(),
                names: N::NAMES,
            },
        );
    }
    fn swap_order(bytes: &mut [u8]) {
        T::swap_order(bytes);
    }
}

/// An integer payload of type `T` whose value is named by the open enum
/// `E` (`E::name_of(raw)`): YNL attributes with `enum:`.
///
/// Parsed, emitted and swapped as `T`; walked as [`Value::Enum`] (the raw
/// number and the kernel name, `None` for values `E` does not know); a
/// sub-message selector provider as [`SelectorValue::Int`]. As an
/// [`open_enum`](crate::open_enum) payload does, strict mode refuses a value
/// `E` does not name ([`ErrorKind::Unknown`], `needed` = the value);
/// lenient mode keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EnumVal<T, E> {
    /// The integer as received.
    pub value: T,
    _enum: PhantomData<E>,
}

impl<T: Scalar + Copy, E: OpenEnum> EnumVal<T, E> {
    /// The value `value`.
    pub const fn new(value: T) -> Self {
        EnumVal {
            value,
            _enum: PhantomData,
        }
    }
    /// The number on the wire, zero-extended (a signed `T` sign-extended
    /// then reinterpreted, as [`Scalar::to_u64`] does).
    pub fn raw(&self) -> u64 {
        self.value.to_u64()
    }
    /// The kernel name of the value, `None` if `E` does not know it.
    pub fn name(&self) -> Option<&'static str> {
        E::name_of(self.raw())
    }
}

impl<'a, T, E> Payload<'a> for EnumVal<T, E>
where
    T: Payload<'a> + Scalar + Copy,
    E: OpenEnum,
{
    const FIXED_SIZE: Option<usize> = T::FIXED_SIZE;
    fn parse(bytes: &'a [u8], mode: Mode) -> Result<Self> {
        let v = Self::new(T::parse(bytes, mode)?);
        if mode.is_strict() && v.name().is_none() {
            let raw = usize::try_from(v.raw()).unwrap_or(usize::MAX);
            return Err(Error::new(ErrorKind::Unknown, "", raw, bytes.len()));
        }
        Ok(v)
    }
    fn len(&self) -> usize {
        self.value.len()
    }
    const WRITES_ALL: bool = T::WRITES_ALL;
    #[inline]
    fn write(&self, buf: &mut [u8]) {
        self.value.write(buf);
    }
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        v.field(
            name,
            Value::Enum {
                raw: self.raw(),
                name: self.name(),
            },
        );
    }
    fn swap_order(bytes: &mut [u8]) {
        T::swap_order(bytes);
    }
    fn selector_value(&self) -> Option<SelectorValue<'a>> {
        Some(SelectorValue::Int(self.raw()))
    }
}
