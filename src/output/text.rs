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

use nlwire::value::{Value, Visitor, Walk};
use nlwire::Error;

use super::{
    describe_error, enum_number, family_name, flag_names, hex, FrameInfo, MsgInfo, Output, Problem,
};

/// Prints a text tree to `W`.
#[derive(Debug)]
pub struct TextOutput<W: Write> {
    out: W,
    last_file: Option<String>,
    frames: u64,
}

impl<W: Write> TextOutput<W> {
    /// Print to `out`.
    pub fn new(out: W) -> Self {
        TextOutput {
            out,
            last_file: None,
            frames: 0,
        }
    }
}

/// Writes a walk as indented `name: value` lines into a string.
#[derive(Debug)]
pub struct TreeVisitor<'s> {
    out: &'s mut String,
    indent: usize,
    depth: usize,
    netlink_offset: usize,
}

impl<'s> TreeVisitor<'s> {
    /// Lines go to `out`, indented by `indent` levels (two spaces each);
    /// error offsets are shifted by `netlink_offset` (frame offsets).
    pub fn new(out: &'s mut String, indent: usize, netlink_offset: usize) -> Self {
        TreeVisitor {
            out,
            indent,
            depth: 0,
            netlink_offset,
        }
    }

    fn pad(&mut self) {
        for _ in 0..(self.indent + self.depth) {
            self.out.push_str("  ");
        }
    }
}

/// A value as text: numbers in decimal, enums with their kernel name, flags
/// in hex with their names, bytes in hex, strings quoted.
pub fn format_value(v: &Value<'_>, s: &mut String) {
    match *v {
        Value::U64(n) => {
            let _ = write!(s, "{n}");
        }
        Value::I64(n) => {
            let _ = write!(s, "{n}");
        }
        Value::Bool(b) => {
            let _ = write!(s, "{b}");
        }
        Value::Bytes(b) => {
            if b.is_empty() {
                s.push_str("(empty)");
            } else {
                s.push_str(&hex(b));
            }
        }
        Value::Str(b) => {
            s.push('"');
            for chunk in b.utf8_chunks() {
                for c in chunk.valid().chars() {
                    let _ = write!(s, "{}", c.escape_debug());
                }
                for byte in chunk.invalid() {
                    let _ = write!(s, "\\x{byte:02x}");
                }
            }
            s.push('"');
        }
        Value::Ipv4(a) => {
            let _ = write!(s, "{a}");
        }
        Value::Ipv6(a) => {
            let _ = write!(s, "{a}");
        }
        Value::Enum { raw, name } => {
            let _ = write!(s, "{}", enum_number(raw));
            if let Some(n) = name {
                let _ = write!(s, " ({n})");
            }
        }
        Value::Flags { raw, names } => {
            let _ = write!(s, "{raw:#06x}");
            let (set, rest) = flag_names(raw, names);
            let mut parts: Vec<String> = set.iter().map(|n| (*n).to_string()).collect();
            if rest != 0 && !set.is_empty() {
                parts.push(format!("{rest:#x}"));
            }
            if !set.is_empty() {
                let _ = write!(s, " ({})", parts.join("|"));
            }
        }
        _ => {
            let _ = write!(s, "{v:?}");
        }
    }
}

impl Visitor for TreeVisitor<'_> {
    fn field(&mut self, name: &str, value: Value<'_>) {
        self.pad();
        self.out.push_str(name);
        self.out.push_str(": ");
        format_value(&value, self.out);
        self.out.push('\n');
    }
    fn begin(&mut self, name: &str) {
        self.pad();
        self.out.push_str(name);
        self.out.push('\n');
        self.depth += 1;
    }
    fn end(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, error: Error) {
        self.pad();
        let _ = writeln!(
            self.out,
            "! malformed at offset {}: {}",
            error.offset.saturating_add(self.netlink_offset),
            describe_error(&error)
        );
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
        if let Some(link) = f.link {
            link.walk(&mut TreeVisitor::new(&mut s, 1, 0));
        }
        self.out.write_all(s.as_bytes())
    }

    fn message(
        &mut self,
        f: &FrameInfo<'_>,
        m: &MsgInfo,
        walk: &mut dyn FnMut(&mut dyn Visitor),
    ) -> io::Result<()> {
        let mut s = String::new();
        let _ = write!(s, "  Message {} at offset {}: ", m.index, m.offset);
        match m.type_name {
            Some(n) => {
                let _ = write!(s, "{n} ({})", m.nlmsg_type);
            }
            None => {
                let _ = write!(s, "type {}", m.nlmsg_type);
            }
        }
        let _ = writeln!(s, ", {}", if m.request { "request" } else { "response" });
        walk(&mut TreeVisitor::new(&mut s, 2, f.netlink_offset()));
        self.out.write_all(s.as_bytes())
    }

    fn problem(&mut self, _f: &FrameInfo<'_>, p: &Problem) -> io::Result<()> {
        match p.offset {
            Some(o) => writeln!(self.out, "  ! malformed at offset {o}: {}", p.reason),
            None => writeln!(self.out, "  ! malformed: {}", p.reason),
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
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
}
