//! Generic walking of decoded values, so a printer (text, JSON) needs no
//! hand-written code per type.
//!
//! Every declared type implements [`Walk`]: it reports its fields, by kernel
//! name, to a [`Visitor`] as [`Value`]s, opening a group for each nested
//! structure or attribute set.

use core::net::{Ipv4Addr, Ipv6Addr};

use crate::netlink::Scope;
use crate::Error;

/// One decoded scalar or byte value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Value<'a> {
    /// An unsigned integer (any width).
    U64(u64),
    /// A signed integer.
    I64(i64),
    /// A boolean (a one-bit field or a flag attribute).
    Bool(bool),
    /// Raw bytes (shown as hex).
    Bytes(&'a [u8]),
    /// A C string without its NUL, bytes not assumed UTF-8.
    Str(&'a [u8]),
    /// An IPv4 address.
    Ipv4(Ipv4Addr),
    /// An IPv6 address.
    Ipv6(Ipv6Addr),
    /// A link-layer address (YNL display hint `mac`), any length; printers
    /// show it as `ip link` does, through [`MacFmt`]: `aa:bb:cc:dd:ee:ff`.
    Mac(&'a [u8]),
    /// A value of an open enum: the raw number and the kernel name if known.
    Enum {
        /// The number on the wire.
        raw: u64,
        /// The kernel name, `None` for values this codec does not know.
        name: Option<&'static str>,
    },
    /// A bit set: the raw number and a table of kernel names for its bits.
    Flags {
        /// The number on the wire.
        raw: u64,
        /// `(mask, kernel name)` pairs; bits not covered are shown as a number.
        names: &'static [(u64, &'static str)],
    },
}

/// A link-layer address formatted as `ip link` shows it: each byte as two
/// lowercase hex digits, colon separated (`aa:bb:cc:dd:ee:ff`); empty for
/// no bytes.
///
/// ```
/// use nlwire::value::MacFmt;
/// let mac = [0x02, 0x42, 0xac, 0x11, 0x00, 0x0a];
/// assert_eq!(MacFmt(&mac).to_string(), "02:42:ac:11:00:0a");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MacFmt<'a>(pub &'a [u8]);

impl core::fmt::Display for MacFmt<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// Receives a walk. Names are kernel names.
pub trait Visitor {
    /// A scalar field.
    fn field(&mut self, name: &str, value: Value<'_>);
    /// Open a group (a nested structure, an attribute, a nested attribute set).
    fn begin(&mut self, name: &str);
    /// Close the group opened last.
    fn end(&mut self);
    /// How many groups are open now (walkers of nested attributes stop at
    /// [`crate::netlink::MAX_NEST_DEPTH`]).
    fn depth(&self) -> usize;
    /// A part of the value could not be decoded; the walk goes on with what
    /// follows when it can.
    fn error(&mut self, error: Error);
    /// The value of the selector `name` where the walk is now (YNL
    /// `sub-message` selectors: a sibling attribute such as
    /// `INET_DIAG_PROTOCOL`, or what the request of a dump said).
    ///
    /// The default answers from the visitor's [`Scope`]
    /// ([`Visitor::scope`]; none without one): a visitor that keeps a
    /// scope does not write this method. Without a scope the decoder
    /// answers it by wrapping the caller's visitor (see
    /// [`crate::netlink::Selectors`]), and only a visitor that wraps
    /// another one overrides it, to forward it (as it forwards
    /// [`Visitor::error`]).
    fn selector(&mut self, name: &str) -> Option<SelectorValue<'_>> {
        self.scope()?.selector(name)
    }
    /// Open a group that will hold the fields of one structure and nothing
    /// else, as the walk that `#[nl_struct]` generates reports them: their
    /// names are distinct and plain (no `"`, `\` or control character),
    /// which the macro checks when the structure is declared. A printer
    /// may then skip its check for repeated names inside this group (not
    /// in the groups nested in it). It is closed by [`Visitor::end`].
    ///
    /// The default opens a plain group ([`Visitor::begin`]); a visitor that
    /// wraps another one forwards it.
    fn begin_struct(&mut self, name: &str) {
        self.begin(name);
    }
    /// The walk's [`Scope`] this visitor keeps, if it keeps one (the
    /// default: `None`). Without one the walkers wrap the visitor to shift
    /// error offsets and to answer selectors (a dynamic call more per
    /// field, group and error, per wrapper). With one they walk it
    /// directly and keep the scope up to date instead; the default
    /// [`Visitor::selector`] then answers from it, and the visitor must
    /// shift every error it is given with [`Scope::rebase`] (a visitor that
    /// ignores errors may leave them). It must return the same scope (or
    /// `None`) every time. A visitor that wraps another one may return the
    /// inner one's scope if it forwards errors and selectors to it.
    fn scope(&mut self) -> Option<&mut Scope> {
        None
    }
}

/// The value of a sub-message selector: a number (`INET_DIAG_PROTOCOL`) or
/// a string (`IFLA_INFO_KIND`, without its NUL).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectorValue<'a> {
    /// A number.
    Int(u64),
    /// A string, bytes not assumed UTF-8.
    Str(&'a [u8]),
}

/// A value that can report itself, field by field, to a [`Visitor`].
pub trait Walk {
    /// Report every field.
    fn walk(&self, v: &mut dyn Visitor);
}

/// How a value reports itself when it is one named field of something larger
/// (a struct field or an attribute payload): scalars call
/// [`Visitor::field`], structures open a group.
pub trait WalkField {
    /// Report this value as the field `name`.
    fn walk_field(&self, name: &str, v: &mut dyn Visitor);
}

macro_rules! walk_field_uint {
    ($($t:ty),*) => {$(
        impl WalkField for $t {
            fn walk_field(&self, name: &str, v: &mut dyn Visitor) {
                v.field(name, Value::U64(u64::from(*self)));
            }
        }
    )*};
}
walk_field_uint!(u8, u16, u32, u64);

macro_rules! walk_field_int {
    ($($t:ty),*) => {$(
        impl WalkField for $t {
            fn walk_field(&self, name: &str, v: &mut dyn Visitor) {
                v.field(name, Value::I64(i64::from(*self)));
            }
        }
    )*};
}
walk_field_int!(i8, i16, i32, i64);

macro_rules! walk_field_zc {
    ($($t:ident => $conv:ident),*) => {$(
        impl<O: zerocopy::ByteOrder> WalkField for zerocopy::byteorder::$t<O> {
            fn walk_field(&self, name: &str, v: &mut dyn Visitor) {
                v.field(name, Value::$conv(self.get().into()));
            }
        }
    )*};
}
walk_field_zc!(U16 => U64, U32 => U64, U64 => U64, I16 => I64, I32 => I64, I64 => I64);

impl<const N: usize> WalkField for [u8; N] {
    fn walk_field(&self, name: &str, v: &mut dyn Visitor) {
        v.field(name, Value::Bytes(self));
    }
}

impl<T: WalkField, const N: usize> WalkField for [T; N]
where
    T: NotU8,
{
    fn walk_field(&self, name: &str, v: &mut dyn Visitor) {
        v.begin(name);
        for (i, x) in self.iter().enumerate() {
            let mut buf = itoa_buf::Buf::new();
            x.walk_field(buf.format(i), v);
        }
        v.end();
    }
}

/// Marker for element types whose arrays are walked element by element
/// (`[u8; N]` is walked as bytes instead).
pub trait NotU8 {}
impl<O: zerocopy::ByteOrder> NotU8 for zerocopy::byteorder::U16<O> {}
impl<O: zerocopy::ByteOrder> NotU8 for zerocopy::byteorder::U32<O> {}
impl<O: zerocopy::ByteOrder> NotU8 for zerocopy::byteorder::U64<O> {}

/// A scalar field type that can be read as a `u64` (for enum and flag
/// display, and bit-fields).
pub trait Scalar {
    /// The value, zero-extended (signed values sign-extended then reinterpreted).
    fn to_u64(&self) -> u64;
}
macro_rules! scalar_prim {
    ($($t:ty),*) => {$(
        impl Scalar for $t {
            #[allow(clippy::cast_sign_loss)]
            fn to_u64(&self) -> u64 { *self as u64 }
        }
    )*};
}
scalar_prim!(u8, u16, u32, u64, i8, i16, i32, i64);
macro_rules! scalar_zc {
    ($($t:ident),*) => {$(
        impl<O: zerocopy::ByteOrder> Scalar for zerocopy::byteorder::$t<O> {
            #[allow(clippy::cast_sign_loss)]
            fn to_u64(&self) -> u64 { self.get() as u64 }
        }
    )*};
}
scalar_zc!(U16, U32, U64, I16, I32, I64);

/// An open enum declared with `#[open_enum]`: names by raw value.
pub trait OpenEnum {
    /// The kernel name of `raw`, `None` if unknown.
    fn name_of(raw: u64) -> Option<&'static str>;
}

/// `AF_INET` (`<linux/socket.h>`), for address display hints.
const AF_INET: u64 = 2;
/// `AF_INET6`.
const AF_INET6: u64 = 10;

/// A field shown as an address of a family known only at walk time: the
/// display hint `#[nl(display = addr_by(family_field))]` of `#[nl_struct]`
/// (YNL's `display-hint`), and `#[nl(display = addr)]` for structures whose
/// family is in the structure that contains them (`inet_diag_sockid`).
pub trait WalkAddr {
    /// Report `self` as `name`, its addresses read for `family` (`None`:
    /// not known, every byte shown).
    fn walk_addr(&self, name: &str, family: Option<u64>, v: &mut dyn Visitor);
}

/// A 16-byte address slot (`__be32[4]`): IPv4 in the first word for
/// `AF_INET` (the three other words are reported as `<name>_extra` when
/// they are not all zero: old kernels of the RHEL 6 era leave garbage
/// there, `ss` reads the first word only), IPv6 for `AF_INET6` and when the
/// family is not known, raw bytes for any other family.
pub fn walk_addr_slot(name: &str, bytes: &[u8], family: Option<u64>, v: &mut dyn Visitor) {
    match family {
        Some(AF_INET) => {
            v.field(name, ipv4_value(bytes.get(..4).unwrap_or(bytes)));
            let rest = bytes.get(4..).unwrap_or_default();
            if rest.iter().any(|b| *b != 0) {
                let mut buf = [0u8; 64];
                v.field(suffixed(&mut buf, name, "_extra"), Value::Bytes(rest));
            }
        }
        Some(AF_INET6) | None => v.field(name, ipv6_value(bytes)),
        Some(_) => v.field(name, Value::Bytes(bytes)),
    }
}

/// `bytes` as an IPv4 address (display hint `ipv4`); raw bytes if they are
/// not 4.
pub fn ipv4_value(bytes: &[u8]) -> Value<'_> {
    match <[u8; 4]>::try_from(bytes) {
        Ok(a) => Value::Ipv4(Ipv4Addr::from(a)),
        Err(_) => Value::Bytes(bytes),
    }
}

/// `bytes` as an IPv6 address (display hint `ipv6`); raw bytes if they are
/// not 16.
pub fn ipv6_value(bytes: &[u8]) -> Value<'_> {
    match <[u8; 16]>::try_from(bytes) {
        Ok(a) => Value::Ipv6(Ipv6Addr::from(a)),
        Err(_) => Value::Bytes(bytes),
    }
}

/// `name` followed by `suffix`, in `buf` (no allocation); `suffix` alone
/// (without its leading `_`) if they do not fit.
fn suffixed<'b>(buf: &'b mut [u8; 64], name: &str, suffix: &'static str) -> &'b str {
    let n = name.len();
    let total = n.saturating_add(suffix.len());
    if let Some(dst) = buf.get_mut(..total) {
        let (a, b) = dst.split_at_mut(n);
        a.copy_from_slice(name.as_bytes());
        b.copy_from_slice(suffix.as_bytes());
    } else {
        return suffix.trim_start_matches('_');
    }
    match buf.get(..total).map(core::str::from_utf8) {
        Some(Ok(s)) => s,
        _ => suffix.trim_start_matches('_'),
    }
}

impl WalkAddr for [zerocopy::byteorder::U32<zerocopy::BigEndian>; 4] {
    fn walk_addr(&self, name: &str, family: Option<u64>, v: &mut dyn Visitor) {
        walk_addr_slot(name, zerocopy::IntoBytes::as_bytes(self), family, v);
    }
}

impl WalkAddr for [u8; 16] {
    fn walk_addr(&self, name: &str, family: Option<u64>, v: &mut dyn Visitor) {
        walk_addr_slot(name, self, family, v);
    }
}

/// A set of named flag bits declared with `#[nl_flags]`: the table walks
/// report in [`Value::Flags`].
pub trait FlagNames {
    /// `(mask, kernel name)` pairs, in declaration order.
    const NAMES: &'static [(u64, &'static str)];
}

/// `base` followed by `own`, as an array of `N = base.len() + own.len()`
/// rows (used by `#[nl_flags(extends = ..)]` at compile time). Rows beyond
/// the inputs stay `(0, "")`; surplus input rows are dropped.
#[doc(hidden)]
pub const fn concat_flag_names<const N: usize>(
    base: &[(u64, &'static str)],
    own: &[(u64, &'static str)],
) -> [(u64, &'static str); N] {
    let mut out = [(0u64, ""); N];
    let mut slots: &mut [(u64, &'static str)] = &mut out;
    let mut rest = base;
    let mut second = own;
    loop {
        let row = match (rest, second) {
            ([first, tail @ ..], _) => {
                rest = tail;
                *first
            }
            ([], [first, tail @ ..]) => {
                second = tail;
                *first
            }
            ([], []) => break,
        };
        match slots {
            [slot, tail @ ..] => {
                *slot = row;
                slots = tail;
            }
            [] => break,
        }
    }
    out
}

/// Format a small number without allocation (for array indices in walks).
pub use itoa_buf::Buf as IndexBuf;

mod itoa_buf {
    /// A tiny stack formatter for array indices (no allocation).
    pub struct Buf([u8; 20]);
    impl Default for Buf {
        fn default() -> Self {
            Self::new()
        }
    }
    impl Buf {
        /// An empty buffer.
        pub fn new() -> Self {
            Buf([0; 20])
        }
        /// Format `n` in decimal.
        pub fn format(&mut self, mut n: usize) -> &str {
            let mut i = self.0.len();
            loop {
                i = i.saturating_sub(1);
                if let Some(b) = self.0.get_mut(i) {
                    *b = b'0'.saturating_add((n % 10) as u8);
                }
                n /= 10;
                if n == 0 || i == 0 {
                    break;
                }
            }
            core::str::from_utf8(self.0.get(i..).unwrap_or_default()).unwrap_or_default()
        }
    }
}
