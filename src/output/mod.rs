//! Printers for decoded netlink messages: a text tree ([`text`]), JSON lines
//! ([`json`]) and a summary ([`summary`]).
//!
//! None of them knows any message type: each is a [`Visitor`] that receives
//! the generic walk every declared type implements (kernel names, typed
//! [`Value`]s), so a family added to the codec prints everywhere at once.

use std::io;

use nlwire::netlink::Scope;
use nlwire::nlmon::LinkHeader;
use nlwire::swap::ByteOrder;
use nlwire::value::{SelectorValue, Value, Visitor};
use nlwire::Error;

use crate::capture::Timestamp;

pub mod json;
pub mod line_writer;
mod numfmt;
pub use numfmt::PAIRS as DIGIT_PAIRS;

pub use line_writer::LineWriter;
pub mod summary;
pub mod text;

/// What is known about the frame being decoded.
#[derive(Clone, Copy, Debug)]
pub struct FrameInfo<'a> {
    /// The capture file (as given on the command line); `None` for `--hex`.
    pub file: Option<&'a str>,
    /// Frame number in the file, from 1; `None` for `--hex`.
    pub number: Option<u64>,
    /// Capture time, when the file records one.
    pub time: Option<Timestamp>,
    /// The netlink family (`NETLINK_*`).
    pub family: u16,
    /// The byte order the netlink bytes were read in.
    pub order: ByteOrder,
    /// The pseudo-header, for captured frames.
    pub link: Option<LinkHeader<'a>>,
    /// Bytes captured.
    pub caplen: usize,
    /// Bytes the frame had on the wire.
    pub origlen: usize,
}

impl FrameInfo<'_> {
    /// Offset of the first netlink byte in the frame (the pseudo-header's size).
    pub fn netlink_offset(&self) -> usize {
        self.link.map_or(0, |l| l.len())
    }
}

/// One netlink message of a frame.
#[derive(Clone, Copy, Debug)]
pub struct MsgInfo {
    /// Position in the frame, from 1.
    pub index: usize,
    /// Offset of its `nlmsghdr` in the frame.
    pub offset: usize,
    /// `nlmsg_type`.
    pub nlmsg_type: u16,
    /// The kernel name of the message: of `nlmsg_type` in the frame's
    /// family, or the command of a declared generic netlink family.
    pub type_name: Option<&'static str>,
    /// The generic netlink family `nlmsg_type` was learned as
    /// (`CTRL_CMD_NEWFAMILY`, `--genl-family`), declared or not.
    pub sub_family: Option<nlwire::family_ids::FamilyName>,
    /// `NLM_F_REQUEST` is set.
    pub request: bool,
    /// The `error` of an `NLMSG_ERROR` (0 for an ACK) or `NLMSG_DONE`.
    pub error: Option<i32>,
}

/// Something wrong in a frame: where (offset in the frame) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Offset in the frame (or in the `--hex` bytes), when it has one.
    pub offset: Option<usize>,
    /// What is wrong.
    pub reason: String,
}

impl Problem {
    /// A codec error, its offset moved from the netlink bytes to the frame.
    pub fn from_error(e: &Error, netlink_offset: usize) -> Problem {
        Problem {
            offset: Some(e.offset().saturating_add(netlink_offset)),
            reason: describe_error(e),
        }
    }
}

/// `what: reason (needed N, present M)` for a codec error, without its offset.
pub fn describe_error(e: &Error) -> String {
    format!(
        "{}: {} (needed {}, present {})",
        e.what,
        e.kind.describe(),
        e.needed,
        e.present
    )
}

/// A destination for decoded frames.
pub trait Output {
    /// A frame starts.
    fn frame(&mut self, f: &FrameInfo<'_>) -> io::Result<()>;
    /// One message of the current frame. `walk` reports the message to the
    /// visitor it is given (header, body, decode errors).
    fn message(
        &mut self,
        f: &FrameInfo<'_>,
        m: &MsgInfo,
        walk: &mut dyn FnMut(&mut dyn Visitor),
    ) -> io::Result<()>;
    /// True when the printer counts the errors of the walks it runs itself
    /// (its walk runs once per message and reports them through
    /// [`Output::walk_errors`]): the walk is then handed its visitor as is,
    /// without a [`Tee`] (one dynamic call less per field).
    fn counts_errors(&self) -> bool {
        false
    }
    /// The errors the walk of the last message reported, for a printer whose
    /// [`Output::counts_errors`] is true.
    fn walk_errors(&self) -> u64 {
        0
    }
    /// Something in the current frame is malformed (already reported on
    /// stderr by the caller).
    fn problem(&mut self, f: &FrameInfo<'_>, p: &Problem) -> io::Result<()>;
    /// A frame that holds no netlink (skipped).
    fn skipped(&mut self) {}
    /// A file could not be read or is not a netlink capture.
    fn file_error(&mut self) {}
    /// Everything has been decoded.
    fn finish(&mut self) -> io::Result<()>;
}

/// Forwards a walk to another visitor and counts the errors it reports
/// (the walk can be run again to see them: it is a pure function of the
/// bytes, and keeping them could take memory without bound).
pub struct Tee<'a> {
    /// Where the walk goes.
    pub inner: &'a mut dyn Visitor,
    /// Errors seen.
    pub errors: u64,
}

impl Visitor for Tee<'_> {
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
        self.errors = self.errors.saturating_add(1);
        self.inner.error(error);
    }
    // Errors and selectors go to `inner`: so may its scope.
    fn selector(&mut self, name: &str) -> Option<SelectorValue<'_>> {
        self.inner.selector(name)
    }
    fn scope(&mut self) -> Option<&mut Scope> {
        self.inner.scope()
    }
}

/// A visitor that only collects errors (when nothing is printed).
#[derive(Debug, Default)]
pub struct Discard {
    depth: usize,
    scope: Scope,
}

impl Visitor for Discard {
    fn field(&mut self, _: &str, _: Value<'_>) {}
    fn begin(&mut self, _: &str) {
        self.depth += 1;
    }
    fn end(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, _: Error) {}
    fn scope(&mut self) -> Option<&mut Scope> {
        Some(&mut self.scope)
    }
}

/// Where the printers put their text, piece by piece: a `String`, or a
/// writer's buffer ([`LineWriter`]). Nothing is built in memory per message.
pub trait Sink {
    /// Append `s`.
    fn put(&mut self, s: &str);
    /// Append bytes a formatter made, all ASCII (anything else is dropped):
    /// a writer takes them as they are, without checking them as UTF-8.
    fn put_ascii(&mut self, b: &[u8]) {
        if b.is_ascii() {
            self.put(std::str::from_utf8(b).unwrap_or_default());
        }
    }
}

impl<T: Sink + ?Sized> Sink for &mut T {
    #[inline]
    fn put(&mut self, s: &str) {
        (**self).put(s);
    }
    #[inline]
    fn put_ascii(&mut self, b: &[u8]) {
        (**self).put_ascii(b);
    }
}

impl Sink for String {
    fn put(&mut self, s: &str) {
        self.push_str(s);
    }
}

/// `n` spaces (indentation, column padding), a piece of at most 64 at a
/// time.
pub fn put_spaces(n: usize, out: &mut (impl Sink + ?Sized)) {
    const SPACES: &str = "                                                                ";
    let mut n = n;
    while n > 0 {
        let k = n.min(SPACES.len());
        out.put(&SPACES[..k]);
        n -= k;
    }
}

/// Lower-case hex of `bytes` into `out`, in pieces (no string of the whole).
pub fn put_hex(bytes: &[u8], out: &mut (impl Sink + ?Sized)) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    // Most hex values are short (a cookie, an address): a small block to
    // clear, and the digits passed on as ASCII (no UTF-8 check).
    let mut buf = [0u8; 128];
    for chunk in bytes.chunks(buf.len() / 2) {
        for (pair, b) in buf.chunks_exact_mut(2).zip(chunk) {
            pair[0] = DIGITS[usize::from(b >> 4)];
            pair[1] = DIGITS[usize::from(b & 0xf)];
        }
        out.put_ascii(buf.get(..chunk.len() * 2).unwrap_or_default());
    }
}

/// Calls `f` with the kernel name of each bit set in `raw` (as
/// [`flag_names`] lists them) and returns the bits no name covers.
pub fn for_each_flag(
    raw: u64,
    names: &[(u64, &'static str)],
    mut f: impl FnMut(&'static str),
) -> u64 {
    let mut covered = 0u64;
    for &(mask, name) in names {
        // Every bit named: no later mask can add one (a mask that fits in
        // `raw` fits in `covered` too), so the rest of the table is skipped.
        if covered == raw {
            break;
        }
        if mask != 0 && raw & mask == mask && mask & covered != mask {
            f(name);
            covered |= mask;
        }
    }
    raw & !covered
}

/// The kernel names of the bits set in `raw`, and the bits no name covers.
///
/// Tables list composite masks (`NLM_F_DUMP` = `ROOT|MATCH`) before their
/// parts; a name is used when all its bits are set and not all of them are
/// already named.
pub fn flag_names(raw: u64, names: &[(u64, &'static str)]) -> (Vec<&'static str>, u64) {
    let mut out = Vec::new();
    let rest = for_each_flag(raw, names, |n| out.push(n));
    (out, rest)
}

/// An enum's raw value as the number it stands for: values the codec widened
/// from a negative `int` (an errno) read back as negative.
pub fn enum_number(raw: u64) -> i128 {
    if raw > i64::MAX as u64 {
        i128::from(raw as i64)
    } else {
        i128::from(raw)
    }
}

/// [`enum_number`]'s digits in `num` (64-bit formatting: the widened
/// values fit an `i64`).
pub fn enum_digits(raw: u64, num: &mut itoa::Buffer) -> &str {
    if raw > i64::MAX as u64 {
        num.format(raw as i64)
    } else {
        num.format(raw)
    }
}

/// Lower-case hex without separators.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    put_hex(bytes, &mut s);
    s
}

/// The kernel name of a netlink family, if known.
pub fn family_name(family: u16) -> Option<&'static str> {
    nlwire::family::NetlinkFamily::from(family).name()
}

/// Shared by the printers' tests: two messages through `out`, the first
/// with two walk errors (one inside a group), the second with none; the
/// printer must count 2, then 0. Its output is left for the caller.
#[cfg(test)]
pub(crate) fn check_walk_error_counts(out: &mut dyn Output) {
    let frame = FrameInfo {
        file: None,
        number: None,
        time: None,
        family: 4,
        order: nlwire::swap::ByteOrder::Little,
        link: None,
        caplen: 40,
        origlen: 40,
    };
    let m = MsgInfo {
        index: 1,
        offset: 0,
        nlmsg_type: 20,
        type_name: None,
        sub_family: None,
        request: false,
        error: None,
    };
    // The decoder hands the walk the printer's visitor without a Tee.
    assert!(out.counts_errors());
    out.message(&frame, &m, &mut |v| {
        v.field("a", Value::U64(1));
        v.error(Error::short("x", 8, 4));
        v.begin("g");
        v.error(Error::short("y", 8, 4).at(4));
        v.end();
    })
    .unwrap();
    assert_eq!(out.walk_errors(), 2);
    out.message(&frame, &m, &mut |v| v.field("b", Value::U64(2)))
        .unwrap();
    assert_eq!(out.walk_errors(), 0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use nlwire::netlink::{NLM_F_ACK_NAMES, NLM_F_GET_NAMES};

    #[test]
    fn composite_flags_are_named_once() {
        let (names, rest) = flag_names(0x0301, NLM_F_GET_NAMES);
        assert_eq!(names, ["NLM_F_REQUEST", "NLM_F_DUMP"]);
        assert_eq!(rest, 0);
        let (names, rest) = flag_names(0x0101 | 0x1000, NLM_F_GET_NAMES);
        assert_eq!(names, ["NLM_F_REQUEST", "NLM_F_ROOT"]);
        assert_eq!(rest, 0x1000);
        let (names, _) = flag_names(0x0300, NLM_F_ACK_NAMES);
        assert_eq!(names, ["NLM_F_CAPPED", "NLM_F_ACK_TLVS"]);
    }

    /// The walk that stops once every bit is named gives what the walk of
    /// the whole table gives, for tables with composite masks first (the
    /// netlink ones) and others, over many values.
    #[test]
    fn flags_named_as_the_whole_table_names_them() {
        fn whole(raw: u64, names: &[(u64, &'static str)]) -> (Vec<&'static str>, u64) {
            let (mut out, mut covered) = (Vec::new(), 0u64);
            for &(mask, name) in names {
                if mask != 0 && raw & mask == mask && mask & covered != mask {
                    out.push(name);
                    covered |= mask;
                }
            }
            (out, raw & !covered)
        }
        let odd: &[(u64, &'static str)] = &[
            (0x6, "B_C"),
            (0x2, "B"),
            (0, "ZERO"),
            (0x1, "A"),
            (0x4, "C"),
            (0x3, "A_B"),
            (0x8, "D"),
        ];
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for table in [NLM_F_GET_NAMES, NLM_F_ACK_NAMES, odd] {
            for raw in (0..0x2000u64).chain([u64::MAX, 1 << 63]) {
                assert_eq!(flag_names(raw, table), whole(raw, table), "{raw:#x}");
            }
            for _ in 0..2000 {
                x = x.rotate_left(17).wrapping_mul(0xff51_afd7_ed55_8ccd) ^ 0x1234;
                assert_eq!(flag_names(x, table), whole(x, table), "{x:#x}");
            }
        }
    }

    #[test]
    fn negative_enum_values() {
        assert_eq!(enum_number((-22i64) as u64), -22);
        assert_eq!(enum_number(22), 22);
        for raw in [0, 22, i64::MAX as u64, (-22i64) as u64, u64::MAX] {
            let mut num = itoa::Buffer::new();
            assert_eq!(enum_digits(raw, &mut num), enum_number(raw).to_string());
        }
    }

    #[test]
    fn hex_is_lowercase_and_plain() {
        assert_eq!(hex(&[0x00, 0xab, 0x1f]), "00ab1f");
        let long: Vec<u8> = (0..=255).cycle().take(3000).collect();
        let want: String = long.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex(&long), want);
    }
}
