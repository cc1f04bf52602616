//! YNL `uint` / `sint` (the kernel's `NLA_UINT` / `NLA_SINT`, 6.6+): a
//! host-order integer of 4 or 8 bytes. The kernel's `nla_put_uint` writes
//! 4 bytes when the value fits in a `u32`, 8 otherwise (`nla_put_sint`: 4
//! when it fits in an `s32`); readers accept either width.

use crate::value::{SelectorValue, Value, Visitor};
use crate::{Error, ErrorKind, Mode, Result};

use super::{copy_into, Payload};

/// The error of a `uint`/`sint` payload that is neither 4 nor 8 bytes
/// (both modes).
fn width_error(len: usize) -> Error {
    Error::new(ErrorKind::Width, "", 8, len)
}

/// Reverse the payload when it is 4 or 8 bytes (a payload of another length
/// is an error when parsed, and left as captured).
fn swap_width(bytes: &mut [u8]) {
    if matches!(bytes.len(), 4 | 8) {
        bytes.reverse();
    }
}

/// YNL `uint` (`NLA_UINT`): an unsigned host-order integer of 4 or 8 bytes.
///
/// The value is held as a `u64` with the width it had, so emit writes back
/// the same width. Any other payload length is an error in both modes
/// ([`ErrorKind::Width`]). Walked as [`Value::U64`]; a selector provider as
/// [`SelectorValue::Int`].
///
/// ```
/// use nlwire::payload::{Payload, Uint};
/// use nlwire::Mode;
/// let u = Uint::parse(&7u32.to_ne_bytes(), Mode::Strict).unwrap();
/// assert_eq!((u.get(), u.width()), (7, 4));
/// assert_eq!(Uint::new(1 << 40).width(), 8);
/// assert!(Uint::parse(&[0; 6], Mode::Lenient).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Uint {
    value: u64,
    wide: bool,
}

impl Uint {
    /// `value` at the width the kernel's `nla_put_uint` gives it: 4 bytes
    /// if it fits in a `u32`, else 8.
    pub const fn new(value: u64) -> Self {
        Uint {
            value,
            wide: value > u32::MAX as u64,
        }
    }
    /// `value` written as 8 bytes whatever its magnitude.
    pub const fn wide(value: u64) -> Self {
        Uint { value, wide: true }
    }
    /// The value.
    pub const fn get(&self) -> u64 {
        self.value
    }
    /// The payload width in bytes: 4 or 8.
    pub const fn width(&self) -> usize {
        if self.wide {
            8
        } else {
            4
        }
    }
}

impl<'a> Payload<'a> for Uint {
    /// Strategies generate the 8-byte form (4 is accepted too).
    const FIXED_SIZE: Option<usize> = Some(8);
    fn parse(bytes: &'a [u8], _mode: Mode) -> Result<Self> {
        if let Ok(a) = <[u8; 4]>::try_from(bytes) {
            return Ok(Uint {
                value: u64::from(u32::from_ne_bytes(a)),
                wide: false,
            });
        }
        match <[u8; 8]>::try_from(bytes) {
            Ok(a) => Ok(Uint::wide(u64::from_ne_bytes(a))),
            Err(_) => Err(width_error(bytes.len())),
        }
    }
    fn len(&self) -> usize {
        self.width()
    }
    fn write(&self, buf: &mut [u8]) {
        if self.wide {
            copy_into(buf, &self.value.to_ne_bytes());
        } else {
            // Only built narrow from a u32 (parse, `new`): no truncation.
            let v = u32::try_from(self.value).unwrap_or(u32::MAX);
            copy_into(buf, &v.to_ne_bytes());
        }
    }
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        v.field(name, Value::U64(self.value));
    }
    fn swap_order(bytes: &mut [u8]) {
        swap_width(bytes);
    }
    fn selector_value(&self) -> Option<SelectorValue<'a>> {
        Some(SelectorValue::Int(self.value))
    }
}

/// YNL `sint` (`NLA_SINT`): a signed host-order integer of 4 or 8 bytes.
///
/// As [`Uint`]: the value is held as an `i64` with its width, emit writes
/// the same width, other lengths are an error in both modes. Walked as
/// [`Value::I64`]; a selector provider as [`SelectorValue::Int`] (the
/// value's two's complement bits).
///
/// ```
/// use nlwire::payload::{Payload, Sint};
/// use nlwire::Mode;
/// let s = Sint::parse(&(-3i32).to_ne_bytes(), Mode::Strict).unwrap();
/// assert_eq!((s.get(), s.width()), (-3, 4));
/// assert_eq!(Sint::new(-(1 << 40)).width(), 8);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sint {
    value: i64,
    wide: bool,
}

impl Sint {
    /// `value` at the width the kernel's `nla_put_sint` gives it: 4 bytes
    /// if it fits in an `s32`, else 8.
    pub const fn new(value: i64) -> Self {
        Sint {
            value,
            wide: value < i32::MIN as i64 || value > i32::MAX as i64,
        }
    }
    /// `value` written as 8 bytes whatever its magnitude.
    pub const fn wide(value: i64) -> Self {
        Sint { value, wide: true }
    }
    /// The value.
    pub const fn get(&self) -> i64 {
        self.value
    }
    /// The payload width in bytes: 4 or 8.
    pub const fn width(&self) -> usize {
        if self.wide {
            8
        } else {
            4
        }
    }
}

impl<'a> Payload<'a> for Sint {
    /// Strategies generate the 8-byte form (4 is accepted too).
    const FIXED_SIZE: Option<usize> = Some(8);
    fn parse(bytes: &'a [u8], _mode: Mode) -> Result<Self> {
        if let Ok(a) = <[u8; 4]>::try_from(bytes) {
            return Ok(Sint {
                value: i64::from(i32::from_ne_bytes(a)),
                wide: false,
            });
        }
        match <[u8; 8]>::try_from(bytes) {
            Ok(a) => Ok(Sint::wide(i64::from_ne_bytes(a))),
            Err(_) => Err(width_error(bytes.len())),
        }
    }
    fn len(&self) -> usize {
        self.width()
    }
    fn write(&self, buf: &mut [u8]) {
        if self.wide {
            copy_into(buf, &self.value.to_ne_bytes());
        } else {
            // Only built narrow from an i32 (parse, `new`): no truncation.
            let v = i32::try_from(self.value).unwrap_or(if self.value < 0 {
                i32::MIN
            } else {
                i32::MAX
            });
            copy_into(buf, &v.to_ne_bytes());
        }
    }
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        v.field(name, Value::I64(self.value));
    }
    fn swap_order(bytes: &mut [u8]) {
        swap_width(bytes);
    }
    fn selector_value(&self) -> Option<SelectorValue<'a>> {
        #[allow(clippy::cast_sign_loss)]
        Some(SelectorValue::Int(self.value as u64))
    }
}
