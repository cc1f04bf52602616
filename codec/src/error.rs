//! The codec's one error type: small, `Copy`, allocation-free.
//!
//! Every failure says *what* was being read or written (a kernel name such as
//! `"nlmsghdr"` or `"INET_DIAG_INFO"`), *why* (an [`ErrorKind`]), how many bytes
//! were needed and how many were present, and the byte offset where it
//! happened, relative to the start of the buffer handed to the outermost parse
//! call.

use core::fmt;

/// Why a parse or emit failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(u8)]
pub enum ErrorKind {
    /// Fewer bytes than the structure needs (`needed` > `present`).
    Short,
    /// A length field is smaller than its own header (`nlmsg_len` < 16,
    /// `nla_len` < 4): the kernel's `NLMSG_OK`/`nla_ok` reject it.
    /// `needed` is the header size, `present` the length field's value.
    LengthTooSmall,
    /// A length field points past the end of the buffer. `needed` is the
    /// length field's value, `present` the bytes left in the buffer.
    LengthPastEnd,
    /// Strict mode: bytes left over after the last element or field.
    Trailing,
    /// Strict mode: a padding byte is not zero.
    NonZeroPad,
    /// Strict mode: a message, attribute or value kind this codec does not know.
    Unknown,
    /// Nested attributes deeper than [`crate::MAX_NEST_DEPTH`].
    TooDeep,
    /// Emit: the output buffer is too small (`needed` > `present`).
    BufferTooSmall,
    /// Emit: a length does not fit its length field (an attribute payload over
    /// 65 531 bytes, a message over `u32::MAX`).
    TooLong,
    /// A value is outside what the kernel accepts (for example a bytecode jump
    /// that does not land on an instruction boundary).
    Invalid,
    /// A variable-width integer (YNL `uint`/`sint`, the kernel's
    /// `NLA_UINT`/`NLA_SINT`) is neither 4 nor 8 bytes, in both modes.
    /// `needed` is 8 (the wider of the two sizes), `present` the payload
    /// length.
    Width,
}

impl ErrorKind {
    /// A short lower-case description.
    pub const fn describe(self) -> &'static str {
        match self {
            ErrorKind::Short => "truncated",
            ErrorKind::LengthTooSmall => "length field smaller than its header",
            ErrorKind::LengthPastEnd => "length field past the end of the buffer",
            ErrorKind::Trailing => "trailing bytes",
            ErrorKind::NonZeroPad => "non-zero padding",
            ErrorKind::Unknown => "unknown kind",
            ErrorKind::TooDeep => "nesting too deep",
            ErrorKind::BufferTooSmall => "output buffer too small",
            ErrorKind::TooLong => "too long for its length field",
            ErrorKind::Invalid => "invalid value",
            ErrorKind::Width => "not 4 or 8 bytes",
        }
    }
}

/// A parse or emit error. `Copy`, no allocation.
///
/// It is small on purpose (32 bytes on 64-bit targets): every `Result` of
/// the decode path carries it, and a larger error makes every result larger
/// (a test pins the size). The counts are `u32`: netlink lengths are at
/// most `u32::MAX` (`nlmsg_len`), and the constructors saturate larger
/// values at `u32::MAX`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Error {
    /// What was being read or written, by kernel name.
    pub what: &'static str,
    /// Byte offset of the failing element from the start of the outermost
    /// buffer (saturated at `u32::MAX`).
    pub offset: u32,
    /// Bytes needed. For [`ErrorKind::LengthTooSmall`] the size of the
    /// header the length field must cover (16 for `nlmsg_len`, 4 for
    /// `nla_len`); for [`ErrorKind::LengthPastEnd`] the length field's value.
    pub needed: u32,
    /// Bytes present. For [`ErrorKind::LengthTooSmall`] the length field's
    /// value; for [`ErrorKind::LengthPastEnd`] the bytes left in the buffer.
    pub present: u32,
    /// Why it failed.
    pub kind: ErrorKind,
}

/// `n` as `u32`, saturating at `u32::MAX` (the error's counts).
#[inline]
pub const fn sat_u32(n: usize) -> u32 {
    if n > u32::MAX as usize {
        u32::MAX
    } else {
        n as u32
    }
}

impl Error {
    /// A new error at offset 0. `needed` and `present` saturate at
    /// `u32::MAX`.
    #[inline]
    pub const fn new(kind: ErrorKind, what: &'static str, needed: usize, present: usize) -> Self {
        Error {
            what,
            offset: 0,
            needed: sat_u32(needed),
            present: sat_u32(present),
            kind,
        }
    }

    /// `what` needed `needed` bytes but only `present` were there.
    #[inline]
    pub const fn short(what: &'static str, needed: usize, present: usize) -> Self {
        Self::new(ErrorKind::Short, what, needed, present)
    }

    /// Emit into a buffer that is too small.
    #[inline]
    pub const fn buffer_too_small(what: &'static str, needed: usize, present: usize) -> Self {
        Self::new(ErrorKind::BufferTooSmall, what, needed, present)
    }

    /// A value the kernel would refuse.
    #[inline]
    pub const fn invalid(what: &'static str) -> Self {
        Self::new(ErrorKind::Invalid, what, 0, 0)
    }

    /// [`Error::offset`] as `usize`.
    #[inline]
    pub const fn offset(&self) -> usize {
        self.offset as usize
    }

    /// [`Error::needed`] as `usize`.
    #[inline]
    pub const fn needed(&self) -> usize {
        self.needed as usize
    }

    /// [`Error::present`] as `usize`.
    #[inline]
    pub const fn present(&self) -> usize {
        self.present as usize
    }

    /// The reason without the offset, for printers that show the offset
    /// their own way: `nlmsg_len 0 is smaller than the 16-byte header`,
    /// `nla_len 64 is past the end of the buffer (20 bytes left)`,
    /// `tcp_info: truncated (needed 104, present 8)`.
    ///
    /// ```
    /// use nlwire::{Error, ErrorKind};
    /// let e = Error::new(ErrorKind::LengthTooSmall, "nlmsg_len", 16, 0);
    /// assert_eq!(e.reason().to_string(), "nlmsg_len 0 is smaller than the 16-byte header");
    /// assert_eq!(e.at(20).to_string(), "nlmsg_len 0 is smaller than the 16-byte header at offset 20");
    /// ```
    pub const fn reason(&self) -> Reason<'_> {
        Reason(self)
    }

    /// Shift the offset by `base` (used when an inner parse reports relative to
    /// its own slice). Saturates at `u32::MAX`, never panics.
    #[must_use]
    #[inline]
    pub const fn at(mut self, base: usize) -> Self {
        self.offset = self.offset.saturating_add(sat_u32(base));
        self
    }
}

/// The reason of an [`Error`] without its offset (see [`Error::reason`]).
#[derive(Clone, Copy, Debug)]
pub struct Reason<'e>(&'e Error);

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.0;
        match e.kind {
            ErrorKind::LengthTooSmall => write!(
                f,
                "{} {} is smaller than the {}-byte header",
                e.what, e.present, e.needed
            ),
            ErrorKind::LengthPastEnd => write!(
                f,
                "{} {} is past the end of the buffer ({} bytes left)",
                e.what, e.needed, e.present
            ),
            ErrorKind::Width => write!(
                f,
                "{}: {} bytes, expected 4 or 8 (NLA_UINT/NLA_SINT)",
                e.what, e.present
            ),
            _ => write!(
                f,
                "{}: {} (needed {}, present {})",
                e.what,
                e.kind.describe(),
                e.needed,
                e.present
            ),
        }
    }
}

impl fmt::Display for Error {
    /// The reason, then `at offset N`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at offset {}", self.reason(), self.offset)
    }
}

impl core::error::Error for Error {}

/// Result alias used throughout the codec.
pub type Result<T, E = Error> = core::result::Result<T, E>;
