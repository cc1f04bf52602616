//! The text tree: one block per frame, every field by its kernel name, like
//! `tshark -V` but for every field the codec decodes.
//!
//! ```text
//! Frame 1: 2024-05-01T12:00:00.123456Z, 88 bytes, NETLINK_SOCK_DIAG (4), little-endian
//!   nlmon
//!     pkttype: 4 (PACKET_OUTGOING)
//!     …
//!   Message 1 at offset 16: SOCK_DIAG_BY_FAMILY (20), request
//!     nlmsghdr
//!       nlmsg_len: 72
//!       nlmsg_type: 20 (SOCK_DIAG_BY_FAMILY)
//!       nlmsg_flags: 0x0301 (NLM_F_REQUEST|NLM_F_DUMP)
//!       …
//! ```

use std::fmt::Write as _;
use std::io::{self, Write};

use nlwire::netlink::Scope;
use nlwire::value::{MacFmt, Value, Visitor, Walk};
use nlwire::Error;

use super::line_writer::{copy_small, LineWriter, Tail, LINE_END, WIDE_END};
use super::numfmt::{number_line_block, put_hex_u64, put_ipv4, put_ipv6, put_number_line};
use super::{
    describe_error, enum_digits, family_name, for_each_flag, put_hex, put_spaces, FrameInfo,
    MsgInfo, Output, Problem, Sink,
};

/// Prints a text tree to `W`.
#[derive(Debug)]
pub struct TextOutput<W: Write> {
    out: LineWriter<W>,
    last_file: Option<String>,
    frames: u64,
    /// Errors the last message's walk reported.
    walk_errors: u64,
}

impl<W: Write> TextOutput<W> {
    /// Print to `out`.
    pub fn new(out: W) -> Self {
        TextOutput {
            out: LineWriter::new(out),
            last_file: None,
            frames: 0,
            walk_errors: 0,
        }
    }
}

/// Where a [`TreeVisitor`] writes: a [`Sink`] that may take a whole line at
/// once (the text tree's lines are mostly `name: number`).
pub trait TreeSink: Sink {
    /// `pad` spaces, `name`, `": "`, the number (`-` first if `negative`)
    /// and a newline.
    fn number_line(&mut self, pad: usize, name: &str, magnitude: u64, negative: bool) {
        put_spaces(pad, self);
        self.put(name);
        put_number_line(magnitude, negative, self);
    }
    /// A line has ended (a buffer may write itself out).
    fn line_done(&mut self) {}
    /// `pad` spaces, `name` and a newline.
    fn name_line(&mut self, pad: usize, name: &str) {
        put_spaces(pad, self);
        self.put(name);
        self.put("\n");
    }
    /// `pad` spaces, `name` and `": "` (a value follows).
    fn name_start(&mut self, pad: usize, name: &str) {
        put_spaces(pad, self);
        self.put(name);
        self.put(": ");
    }
    /// `pad` spaces, `name`, `": "`, the value as [`write_value`] writes it
    /// and a newline.
    fn value_line(&mut self, pad: usize, name: &str, value: &Value<'_>) {
        self.name_start(pad, name);
        write_value(value, self);
        self.put("\n");
        self.line_done();
    }
}

impl TreeSink for String {}

/// One room check per line, the pieces stored straight into the buffer.
impl<W: Write> TreeSink for LineWriter<W> {
    #[inline]
    fn line_done(&mut self) {
        LineWriter::line_done(self);
    }
    #[inline(always)]
    fn number_line(&mut self, pad: usize, name: &str, magnitude: u64, negative: bool) {
        // The digits go straight into the line (the fallback formats on
        // its own).
        match self.line_start(pad, name.as_bytes()) {
            Some((end, at)) => {
                let n = number_line_block(magnitude, negative, end);
                self.line_end(at, n);
                self.line_done();
            }
            // Last, so that the hot path saves no registers for the call.
            None => long_number_line(self, pad, name, magnitude, negative),
        }
    }
    #[inline]
    fn name_line(&mut self, pad: usize, name: &str) {
        self.line(pad, name.as_bytes(), |end| {
            end[0] = b'\n';
            1
        });
        self.line_done();
    }
    #[inline]
    fn name_start(&mut self, pad: usize, name: &str) {
        self.line(pad, name.as_bytes(), |end| {
            end[..2].copy_from_slice(b": ");
            2
        });
    }
    /// An enum under 100 with a name, and flags of 0, without the general
    /// path's frame; the rest in one block as `block_value_line` writes it.
    #[inline]
    fn value_line(&mut self, pad: usize, name: &str, value: &Value<'_>) {
        match *value {
            Value::Enum {
                raw,
                name: Some(label),
            } if raw < 100 && label.len() <= WIDE_END - 8 => {
                if let Some((end, at)) = self.line_start_n::<WIDE_END>(pad, name.as_bytes()) {
                    if let Some(n) = enum_line_block(raw, label, end) {
                        self.line_end_n::<WIDE_END>(at, n);
                        self.line_done();
                        return;
                    }
                }
            }
            // Printable ASCII other than quotes and backslash is its own
            // escape: quoted as it is.
            Value::Str(b)
                if b.len() <= WIDE_END - 5
                    && b.iter().all(|&c| {
                        (0x20..0x7f).contains(&c) && !matches!(c, b'"' | b'\\' | b'\'')
                    }) =>
            {
                if let Some((end, at)) = self.line_start_n::<WIDE_END>(pad, name.as_bytes()) {
                    if let Some(n) = quoted_line_block(b, end) {
                        self.line_end_n::<WIDE_END>(at, n);
                        self.line_done();
                        return;
                    }
                }
            }
            // No name is set in 0 (masks of 0 are never named).
            Value::Flags { raw: 0, .. } => {
                if let Some((end, at)) = self.line_start(pad, name.as_bytes()) {
                    end[..9].copy_from_slice(b": 0x0000\n");
                    self.line_end(at, 9);
                    self.line_done();
                    return;
                }
            }
            _ => {}
        }
        block_value_line(self, pad, name, value);
    }
}

/// The end of an enum's line, `": "`, `raw` (under 100), `" ("`, `label`,
/// `")\n"`, at the start of `out`, and its length; `None` (nothing kept) if
/// it does not fit.
#[inline(always)]
fn enum_line_block(raw: u64, label: &str, out: &mut [u8; WIDE_END]) -> Option<usize> {
    out[0] = b':';
    out[1] = b' ';
    let mut n = 2;
    if raw >= 10 {
        out[2] = b'0' + (raw / 10 % 10) as u8;
        n = 3;
    }
    out[n] = b'0' + (raw % 10) as u8;
    out[n + 1] = b' ';
    out[n + 2] = b'(';
    n += 3;
    let label = label.as_bytes();
    copy_small(out.get_mut(n..n + label.len())?, label);
    n += label.len();
    out.get_mut(n..n + 2)?.copy_from_slice(b")\n");
    Some(n + 2)
}

/// The end of a string's line, `": \""`, `text` (nothing to escape),
/// `"\"\n"`, at the start of `out`, and its length; `None` (nothing kept)
/// if it does not fit.
#[inline(always)]
fn quoted_line_block(text: &[u8], out: &mut [u8; WIDE_END]) -> Option<usize> {
    out[..3].copy_from_slice(b": \"");
    let n = 3 + text.len();
    copy_small(out.get_mut(3..n)?, text);
    out.get_mut(n..n + 2)?.copy_from_slice(b"\"\n");
    Some(n + 2)
}

/// The whole line in one block when it fits [`WIDE_END`] (enums, flags,
/// addresses, short strings), else piece by piece.
#[inline(never)]
fn block_value_line<W: Write>(out: &mut LineWriter<W>, pad: usize, name: &str, value: &Value<'_>) {
    {
        let long = match *value {
            Value::Bytes(b) | Value::Str(b) | Value::Mac(b) => b.len() > WIDE_END,
            _ => false,
        };
        if long {
            // Not tried in the block (it would not fit; no second pass).
        } else if let Some((end, at)) = out.line_start_n::<WIDE_END>(pad, name.as_bytes()) {
            let mut tail = Tail::new(end);
            tail.put_ascii(b": ");
            write_value(value, &mut tail);
            tail.put_ascii(b"\n");
            if let Some(n) = tail.stored() {
                out.line_end_n::<WIDE_END>(at, n);
                out.line_done();
                return;
            }
        }
        out.name_start(pad, name);
        write_value(value, out);
        out.put("\n");
        out.line_done();
    }
}

/// [`TreeSink::number_line`] for a line too deep, a name too long or a
/// buffer too full for [`LineWriter::line_start`].
#[cold]
#[inline(never)]
fn long_number_line<W: Write>(
    out: &mut LineWriter<W>,
    pad: usize,
    name: &str,
    magnitude: u64,
    negative: bool,
) {
    let mut block = [0u8; LINE_END];
    let n = number_line_block(magnitude, negative, &mut block);
    out.line(pad, name.as_bytes(), |end| {
        *end = block;
        n
    });
    out.line_done();
}

/// Writes a walk as indented `name: value` lines into a [`TreeSink`] (a
/// `String`, or a writer through [`LineWriter`]), as the walk goes.
#[derive(Debug)]
pub struct TreeVisitor<'s, S: TreeSink + ?Sized = String> {
    out: &'s mut S,
    /// The indentation of the lines at this depth, in spaces.
    pad: usize,
    depth: usize,
    netlink_offset: usize,
    errors: u64,
    /// The walk's error-offset base and selectors (no codec wrappers).
    scope: Scope,
}

impl<'s, S: TreeSink + ?Sized> TreeVisitor<'s, S> {
    /// Lines go to `out`, indented by `indent` levels (two spaces each);
    /// error offsets are shifted by `netlink_offset` (frame offsets).
    pub fn new(out: &'s mut S, indent: usize, netlink_offset: usize) -> Self {
        TreeVisitor {
            out,
            pad: indent.saturating_mul(2),
            depth: 0,
            netlink_offset,
            errors: 0,
            scope: Scope::new(),
        }
    }

    /// The errors the walk reported so far.
    pub fn errors(&self) -> u64 {
        self.errors
    }

    #[inline(always)]
    fn pad_len(&self) -> usize {
        self.pad
    }

    /// A field other than a number, out of line: `field`'s number path then
    /// needs no registers saved on entry.
    #[inline(never)]
    fn other_field(&mut self, name: &str, value: &Value<'_>) {
        self.out.value_line(self.pad_len(), name, value);
    }

    fn pad(&mut self) {
        put_spaces(self.pad_len(), self.out);
    }
}

/// A value as text: numbers in decimal, enums with their kernel name, flags
/// in hex with their names, bytes in hex, strings quoted.
pub fn format_value(v: &Value<'_>, s: &mut String) {
    write_value(v, s);
}

/// [`format_value`] into any [`Sink`], without building the text of a long
/// value in memory.
pub fn write_value(v: &Value<'_>, s: &mut (impl Sink + ?Sized)) {
    let mut num = itoa::Buffer::new();
    match *v {
        Value::U64(n) => s.put(num.format(n)),
        Value::I64(n) => s.put(num.format(n)),
        Value::Bool(b) => s.put(if b { "true" } else { "false" }),
        Value::Bytes(b) => {
            if b.is_empty() {
                s.put("(empty)");
            } else {
                put_hex(b, s);
            }
        }
        Value::Str(b) => {
            s.put("\"");
            let mut buf = String::new();
            for chunk in b.utf8_chunks() {
                let valid = chunk.valid();
                // Printable ASCII other than quotes and backslash is its own
                // `escape_debug`: copied in one piece.
                if valid
                    .bytes()
                    .all(|c| (0x20..0x7f).contains(&c) && !matches!(c, b'"' | b'\\' | b'\''))
                {
                    if !buf.is_empty() {
                        s.put(&buf);
                        buf.clear();
                    }
                    s.put(valid);
                } else {
                    for c in valid.chars() {
                        let _ = write!(buf, "{}", c.escape_debug());
                        if buf.len() >= 4096 {
                            s.put(&buf);
                            buf.clear();
                        }
                    }
                }
                for byte in chunk.invalid() {
                    let _ = write!(buf, "\\x{byte:02x}");
                }
            }
            s.put(&buf);
            s.put("\"");
        }
        Value::Ipv4(a) => put_ipv4(a, s),
        Value::Ipv6(a) => put_ipv6(a, s),
        Value::Mac(b) => {
            if b.is_empty() {
                s.put("(empty)");
            } else {
                s.put(&MacFmt(b).to_string());
            }
        }
        Value::Enum { raw, name } => {
            s.put(enum_digits(raw, &mut num));
            if let Some(n) = name {
                s.put(" (");
                s.put(n);
                s.put(")");
            }
        }
        Value::Flags { raw, names } => {
            put_hex_u64(raw, 4, s);
            let mut any = false;
            let rest = for_each_flag(raw, names, |n| {
                s.put(if any { "|" } else { " (" });
                s.put(n);
                any = true;
            });
            if any {
                if rest != 0 {
                    s.put("|");
                    put_hex_u64(rest, 1, s);
                }
                s.put(")");
            }
        }
        _ => s.put(&format!("{v:?}")),
    }
}

impl<S: TreeSink + ?Sized> Visitor for TreeVisitor<'_, S> {
    fn field(&mut self, name: &str, value: Value<'_>) {
        match value {
            // Most fields are plain numbers: the line is written at once.
            Value::U64(n) => self.out.number_line(self.pad_len(), name, n, false),
            Value::I64(n) => self
                .out
                .number_line(self.pad_len(), name, n.unsigned_abs(), n < 0),
            _ => self.other_field(name, &value),
        }
    }
    fn begin(&mut self, name: &str) {
        self.out.name_line(self.pad_len(), name);
        self.depth += 1;
        self.pad = self.pad.saturating_add(2);
    }
    fn end(&mut self) {
        if self.depth > 0 {
            self.depth -= 1;
            self.pad = self.pad.saturating_sub(2);
        }
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, error: Error) {
        let error = self.scope.rebase(error);
        self.errors = self.errors.saturating_add(1);
        self.pad();
        let mut line = String::new();
        let _ = writeln!(
            line,
            "! malformed at offset {}: {}",
            error.offset().saturating_add(self.netlink_offset),
            describe_error(&error)
        );
        self.out.put(&line);
    }
    fn scope(&mut self) -> Option<&mut Scope> {
        Some(&mut self.scope)
    }
}

impl<W: Write> Output for TextOutput<W> {
    fn frame(&mut self, f: &FrameInfo<'_>) -> io::Result<()> {
        let mut s = String::new();
        if let Some(file) = f.file {
            if self.last_file.as_deref() != Some(file) {
                if self.frames > 0 || self.last_file.is_some() {
                    s.push('\n');
                }
                let _ = writeln!(s, "==> {file} <==");
                self.last_file = Some(file.to_string());
            }
        }
        if self.frames > 0 {
            s.push('\n');
        }
        self.frames += 1;
        match f.number {
            Some(n) => {
                let _ = write!(s, "Frame {n}: ");
                match f.time {
                    Some(t) => {
                        let _ = write!(s, "{t}, ");
                    }
                    None => s.push_str("no time, "),
                }
            }
            None => s.push_str("Input: "),
        }
        let _ = write!(s, "{} bytes", f.caplen);
        if f.origlen > f.caplen {
            let _ = write!(s, " of {}", f.origlen);
        }
        match family_name(f.family) {
            Some(n) => {
                let _ = write!(s, ", {n} ({})", f.family);
            }
            None => {
                let _ = write!(s, ", netlink family {}", f.family);
            }
        }
        let _ = writeln!(s, ", {}-endian", f.order.name());
        self.out.put(&s);
        if let Some(link) = f.link {
            link.walk(&mut TreeVisitor::new(&mut self.out, 1, 0));
        }
        self.out.result()
    }

    fn message(
        &mut self,
        f: &FrameInfo<'_>,
        m: &MsgInfo,
        walk: &mut dyn FnMut(&mut dyn Visitor),
    ) -> io::Result<()> {
        let mut num = itoa::Buffer::new();
        let sink = &mut self.out;
        sink.put("  Message ");
        sink.put(num.format(m.index));
        sink.put(" at offset ");
        sink.put(num.format(m.offset));
        sink.put(": ");
        if let Some(fam) = m.sub_family {
            sink.put(fam.as_str());
            if m.type_name.is_some() {
                sink.put(" ");
            }
        }
        match m.type_name {
            Some(n) => sink.put(n),
            None if m.sub_family.is_none() => sink.put("type "),
            None => {}
        }
        if m.sub_family.is_some() || m.type_name.is_some() {
            sink.put(" (");
            sink.put(num.format(m.nlmsg_type));
            sink.put(")");
        } else {
            sink.put(num.format(m.nlmsg_type));
        }
        sink.put(if m.request {
            ", request\n"
        } else {
            ", response\n"
        });
        let mut v = TreeVisitor::new(sink, 2, f.netlink_offset());
        walk(&mut v);
        self.walk_errors = v.errors();
        self.out.result()
    }

    fn counts_errors(&self) -> bool {
        true
    }

    fn walk_errors(&self) -> u64 {
        self.walk_errors
    }

    fn problem(&mut self, _f: &FrameInfo<'_>, p: &Problem) -> io::Result<()> {
        let line = match p.offset {
            Some(o) => format!("  ! malformed at offset {o}: {}\n", p.reason),
            None => format!("  ! malformed: {}\n", p.reason),
        };
        self.out.put(&line);
        self.out.result()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush_buffer();
        self.out.result()?;
        self.out.inner().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(v: Value<'_>) -> String {
        let mut s = String::new();
        format_value(&v, &mut s);
        s
    }

    #[test]
    fn values() {
        assert_eq!(text(Value::U64(7)), "7");
        assert_eq!(
            text(Value::Enum {
                raw: 20,
                name: Some("RTM_NEWADDR")
            }),
            "20 (RTM_NEWADDR)"
        );
        assert_eq!(
            text(Value::Enum {
                raw: (-22i64) as u64,
                name: Some("EINVAL")
            }),
            "-22 (EINVAL)"
        );
        assert_eq!(
            text(Value::Flags {
                raw: 0x301,
                names: nlwire::netlink::NLM_F_GET_NAMES
            }),
            "0x0301 (NLM_F_REQUEST|NLM_F_DUMP)"
        );
        assert_eq!(
            text(Value::Flags {
                raw: 0,
                names: nlwire::netlink::NLM_F_GET_NAMES
            }),
            "0x0000"
        );
        assert_eq!(text(Value::Str(b"lo\n\xff")), "\"lo\\n\\xff\"");
        assert_eq!(text(Value::Bytes(&[1, 0xfe])), "01fe");
        assert_eq!(text(Value::Ipv4([127, 0, 0, 1].into())), "127.0.0.1");
    }

    #[test]
    fn strings_flags_and_addresses_in_pieces() {
        // Plain runs are copied whole; what was escaped before them comes first.
        assert_eq!(text(Value::Str(b"ok\xffok")), "\"ok\\xffok\"");
        assert_eq!(text(Value::Str(b"a\"b'c\\")), "\"a\\\"b\\'c\\\\\"");
        assert_eq!(text(Value::Str(b"cubic")), "\"cubic\"");
        assert_eq!(text(Value::Str(b"")), "\"\"");
        assert_eq!(
            text(Value::Flags {
                raw: 0x1301,
                names: nlwire::netlink::NLM_F_GET_NAMES
            }),
            "0x1301 (NLM_F_REQUEST|NLM_F_DUMP|0x1000)"
        );
        assert_eq!(
            text(Value::Flags {
                raw: 0x1_0001,
                names: nlwire::netlink::NLM_F_GET_NAMES
            }),
            "0x10001 (NLM_F_REQUEST|0x10000)"
        );
        assert_eq!(
            text(Value::Flags {
                raw: 0x10,
                names: &[]
            }),
            "0x0010"
        );
        assert_eq!(
            text(Value::Enum {
                raw: u64::MAX,
                name: None
            }),
            "-1"
        );
        assert_eq!(
            text(Value::Enum {
                raw: i64::MAX as u64,
                name: None
            }),
            i64::MAX.to_string()
        );
        assert_eq!(text(Value::Ipv4([10, 0, 200, 99].into())), "10.0.200.99");
    }

    #[test]
    fn number_fields_end_their_line() {
        let mut s = String::new();
        let mut v = TreeVisitor::new(&mut s, 0, 0);
        v.field("a", Value::U64(0));
        v.field("b", Value::I64(-22));
        v.field("c", Value::U64(u64::MAX));
        v.field("d", Value::I64(i64::MIN));
        assert_eq!(
            s,
            "a: 0\nb: -22\nc: 18446744073709551615\nd: -9223372036854775808\n"
        );
    }

    #[test]
    fn message_lines_name_family_and_type() {
        let frame = FrameInfo {
            file: None,
            number: None,
            time: None,
            family: 16,
            order: nlwire::swap::ByteOrder::Little,
            link: None,
            caplen: 20,
            origlen: 20,
        };
        let line = |sub: Option<&[u8]>, name: Option<&'static str>, request: bool| {
            let mut out = TextOutput::new(Vec::new());
            let m = MsgInfo {
                index: 3,
                offset: 1040,
                nlmsg_type: 28,
                type_name: name,
                sub_family: sub.and_then(nlwire::family_ids::FamilyName::new),
                request,
                error: None,
            };
            out.message(&frame, &m, &mut |_| {}).unwrap();
            String::from_utf8(out.out.into_inner().unwrap()).unwrap()
        };
        assert_eq!(
            line(Some(b"ethtool"), Some("ETHTOOL_MSG_LINKINFO_GET"), true),
            "  Message 3 at offset 1040: ethtool ETHTOOL_MSG_LINKINFO_GET (28), request\n"
        );
        assert_eq!(
            line(Some(b"ethtool"), None, false),
            "  Message 3 at offset 1040: ethtool (28), response\n"
        );
        assert_eq!(
            line(None, Some("SOCK_DIAG_BY_FAMILY"), false),
            "  Message 3 at offset 1040: SOCK_DIAG_BY_FAMILY (28), response\n"
        );
        assert_eq!(
            line(None, None, true),
            "  Message 3 at offset 1040: type 28, request\n"
        );
    }

    #[test]
    fn the_errors_of_each_walk_are_counted_for_the_decoder() {
        let mut out = TextOutput::new(Vec::new());
        super::super::check_walk_error_counts(&mut out);
        let text = String::from_utf8(out.out.into_inner().unwrap()).unwrap();
        assert_eq!(text.matches("! malformed at offset").count(), 2);
    }

    #[test]
    fn mac_is_shown_as_ip_link_shows_it() {
        let mac = [0x02, 0x42, 0xAC, 0x11, 0x00, 0x0a];
        assert_eq!(text(Value::Mac(&mac)), "02:42:ac:11:00:0a");
        assert_eq!(text(Value::Mac(&[0xff])), "ff");
        assert_eq!(text(Value::Mac(&[])), "(empty)");
    }

    #[test]
    fn tree_indents_groups() {
        let mut s = String::new();
        let mut v = TreeVisitor::new(&mut s, 1, 16);
        v.begin("nlmsghdr");
        v.field("nlmsg_len", Value::U64(20));
        v.end();
        v.error(Error::short("nlmsgerr", 20, 4).at(16));
        assert_eq!(
            s,
            "  nlmsghdr\n    nlmsg_len: 20\n  ! malformed at offset 32: nlmsgerr: truncated (needed 20, present 4)\n"
        );
    }

    #[test]
    fn block_lines_match_the_general_path() {
        // 56 and 57 bytes: the longest enum name the short path takes, and one more.
        const L56: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ_ABCDEFGHIJKLMNOPQRSTUVWXYZ_AB";
        const L57: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ_ABCDEFGHIJKLMNOPQRSTUVWXYZ_ABC";
        let long = [b'x'; 200];
        let names = nlwire::netlink::NLM_F_GET_NAMES;
        let mut values = vec![
            Value::Bool(true),
            Value::Str(b"bbr"),
            Value::Str(b"a\"b\xff\n"),
            Value::Str(b"it's"),
            Value::Str(b"a\\b"),
            Value::Str(b"\x7f"),
            Value::Str(&long[..59]),
            Value::Str(&long[..60]),
            Value::Str(&long[..61]),
            Value::Str(&long[..62]),
            Value::Str(&long[..63]),
            Value::Str(&long[..64]),
            Value::Str(&long),
            Value::Bytes(&long[..20]),
            Value::Bytes(&long[..30]),
            Value::Bytes(&long),
            Value::Bytes(&[]),
            Value::Mac(&[2, 0x42, 0xac, 0x11, 0, 10]),
            Value::Ipv4([127, 0, 0, 1].into()),
            Value::Ipv6(std::net::Ipv6Addr::LOCALHOST),
            Value::Ipv6("2001:db8::ffff:1:2".parse().unwrap()),
            Value::Ipv6("::ffff:10.1.2.3".parse().unwrap()),
            Value::Ipv6("fe80:1:2:3:4:5:6:7".parse().unwrap()),
            Value::U64(7),
            Value::I64(-7),
        ];
        for raw in [0, 1, 9, 10, 42, 99, 100, 12345, u64::MAX] {
            for name in [None, Some("TCP_LISTEN"), Some(L56), Some(L57)] {
                values.push(Value::Enum { raw, name });
            }
        }
        for raw in [0, 2, 0x301, 0x1301, 0xffff_ffff, u64::MAX] {
            values.push(Value::Flags { raw, names });
            values.push(Value::Flags { raw, names: &[] });
        }
        let mut general = String::new();
        let mut lines = LineWriter::new(Vec::new());
        // Enough lines to cross the line buffer's write-out several times.
        for _ in 0..300 {
            for indent in [0, 1, 20, 33] {
                for name in [
                    "n",
                    "tcpi_state",
                    "field_name_of_32_bytes_exactly__",
                    "field_name_of_33_bytes_exactly___",
                ] {
                    let mut g = TreeVisitor::new(&mut general, indent, 0);
                    let mut l = TreeVisitor::new(&mut lines, indent, 0);
                    for v in &values {
                        g.field(name, *v);
                        l.field(name, *v);
                    }
                }
            }
        }
        let fast = String::from_utf8(lines.into_inner().unwrap()).unwrap();
        assert!(fast.len() > 4 * 64 * 1024);
        assert!(
            fast == general,
            "the block lines differ from the general path"
        );
    }
}
