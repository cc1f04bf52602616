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

/// Declares one of the two variable-width integers: the struct, its
/// constructors, and its [`Payload`] impl. `$t` is the held type (`u64` /
/// `i64`), `$narrow` the 4-byte type (`u32` / `i32`), `$variant` the
/// [`Value`] it walks as, `$bits` how a value becomes a selector's bits.
macro_rules! variable_int {
    (
        $(#[$doc:meta])*
        $name:ident, $t:ty, $narrow:ty, $variant:ident, $kernel_fn:literal,
        new($v:ident) wide if $wide:expr, bits($b:ident) = $bits:expr
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $name {
            value: $t,
            wide: bool,
        }

        impl $name {
            #[doc = concat!("`value` at the width the kernel's `", $kernel_fn, "` gives it: 4 bytes")]
            #[doc = concat!("if it fits in a `", stringify!($narrow), "`, else 8.")]
            pub const fn new($v: $t) -> Self {
                $name {
                    value: $v,
                    wide: $wide,
                }
            }
            /// `value` written as 8 bytes whatever its magnitude.
            pub const fn wide(value: $t) -> Self {
                $name { value, wide: true }
            }
            /// The value.
            pub const fn get(&self) -> $t {
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

        impl<'a> Payload<'a> for $name {
            /// Strategies generate the 8-byte form (4 is accepted too).
            const FIXED_SIZE: Option<usize> = Some(8);
            // `len` is the width, and both widths are written whole.
            const WRITES_ALL: bool = true;
            #[inline]
            fn parse(bytes: &'a [u8], _mode: Mode) -> Result<Self> {
                if let Ok(a) = <[u8; 4]>::try_from(bytes) {
                    return Ok($name {
                        value: <$t>::from(<$narrow>::from_ne_bytes(a)),
                        wide: false,
                    });
                }
                match <[u8; 8]>::try_from(bytes) {
                    Ok(a) => Ok($name::wide(<$t>::from_ne_bytes(a))),
                    Err(_) => Err(width_error(bytes.len())),
                }
            }
            fn len(&self) -> usize {
                self.width()
            }
            #[inline]
            fn write(&self, buf: &mut [u8]) {
                if self.wide {
                    copy_into(buf, &self.value.to_ne_bytes());
                } else {
                    // Only built narrow from a value that fits in 4 bytes
                    // (parse, `new`): the conversion cannot fail.
                    let v = <$narrow>::try_from(self.value).unwrap_or_default();
                    copy_into(buf, &v.to_ne_bytes());
                }
            }
            fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
                v.field(name, Value::$variant(self.value));
            }
            fn swap_order(bytes: &mut [u8]) {
                swap_width(bytes);
            }
            #[allow(clippy::cast_sign_loss)]
            fn selector_value(&self) -> Option<SelectorValue<'a>> {
                let $b = self.value;
                Some(SelectorValue::Int($bits))
            }
        }
    };
}

variable_int! {
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
    Uint, u64, u32, U64, "nla_put_uint",
    new(value) wide if value > u32::MAX as u64,
    bits(v) = v
}

variable_int! {
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
    Sint, i64, i32, I64, "nla_put_sint",
    new(value) wide if value < i32::MIN as i64 || value > i32::MAX as i64,
    bits(v) = v as u64
}
