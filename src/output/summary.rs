//! `--summary`: counts per family and message type (requests and
//! responses apart), byte orders, errors and ACKs, and distinct sockets.
//!
//! Sockets are counted from the walk of sock_diag responses, by the fields
//! the kernel uses to identify a socket: `idiag_cookie` (inet) and
//! `udiag_cookie` (unix), whatever shape the codec gives them (one number,
//! bytes, or an array of two `__u32`).

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::io::{self, Write};

use nlwire::family::NetlinkFamily;
use nlwire::netlink::errno_name;
use nlwire::value::{Value, Visitor};
use nlwire::Error;

use super::{family_name, FrameInfo, MsgInfo, Output, Problem};

/// Field names that identify a socket in sock_diag replies.
const COOKIE_FIELDS: &[&str] = &["idiag_cookie", "udiag_cookie"];

#[derive(Debug, Default)]
struct TypeCount {
    name: Option<&'static str>,
    requests: u64,
    responses: u64,
}

/// Collects socket identities from a walk.
#[derive(Debug, Default)]
struct SocketVisitor {
    depth: usize,
    /// `(field, depth)` of an open cookie group and its elements.
    open: Option<(&'static str, usize, Vec<u64>)>,
    found: Vec<(&'static str, Vec<u64>)>,
}

impl Visitor for SocketVisitor {
    fn field(&mut self, name: &str, value: Value<'_>) {
        if let Some((_, _, elems)) = &mut self.open {
            if let Value::U64(n) = value {
                elems.push(n);
            }
            return;
        }
        if let Some(key) = COOKIE_FIELDS.iter().find(|k| **k == name) {
            match value {
                Value::U64(n) => self.found.push((key, vec![n])),
                Value::Bytes(b) => self
                    .found
                    .push((key, b.iter().map(|&x| u64::from(x)).collect())),
                _ => {}
            }
        }
    }
    fn begin(&mut self, name: &str) {
        if self.open.is_none() {
            if let Some(key) = COOKIE_FIELDS.iter().find(|k| **k == name) {
                self.open = Some((key, self.depth, Vec::new()));
            }
        }
        self.depth += 1;
    }
    fn end(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        if let Some((key, d, elems)) = self.open.take() {
            if d == self.depth {
                self.found.push((key, elems));
            } else {
                self.open = Some((key, d, elems));
            }
        }
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, _: Error) {}
}

/// Accumulates counts and prints them at the end.
#[derive(Debug)]
pub struct SummaryOutput<W: Write> {
    out: W,
    frames: u64,
    skipped: u64,
    file_errors: u64,
    messages: u64,
    problems: u64,
    malformed_frames: u64,
    last_problem_frame: Option<(Option<String>, Option<u64>)>,
    orders: BTreeMap<&'static str, u64>,
    types: BTreeMap<u16, BTreeMap<u16, TypeCount>>,
    acks: u64,
    errors: BTreeMap<i32, u64>,
    sock_diag_responses: u64,
    sockets: HashSet<(&'static str, Vec<u64>)>,
}

impl<W: Write> SummaryOutput<W> {
    /// Print to `out` at the end.
    pub fn new(out: W) -> Self {
        SummaryOutput {
            out,
            frames: 0,
            skipped: 0,
            file_errors: 0,
            messages: 0,
            problems: 0,
            malformed_frames: 0,
            last_problem_frame: None,
            orders: BTreeMap::new(),
            types: BTreeMap::new(),
            acks: 0,
            errors: BTreeMap::new(),
            sock_diag_responses: 0,
            sockets: HashSet::new(),
        }
    }

    /// The summary text.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "frames: {} netlink, {} skipped (not netlink); messages: {}",
            self.frames, self.skipped, self.messages
        );
        let _ = writeln!(
            s,
            "malformed: {} problems in {} frames; file errors: {}",
            self.problems, self.malformed_frames, self.file_errors
        );
        let orders: Vec<String> = self
            .orders
            .iter()
            .map(|(o, n)| format!("{o}-endian {n}"))
            .collect();
        if !orders.is_empty() {
            let _ = writeln!(s, "byte order: {}", orders.join(", "));
        }
        for (family, types) in &self.types {
            match family_name(*family) {
                Some(n) => {
                    let _ = writeln!(s, "{n} ({family}):");
                }
                None => {
                    let _ = writeln!(s, "netlink family {family}:");
                }
            }
            for (t, c) in types {
                let label = match c.name {
                    Some(n) => format!("{n} ({t})"),
                    None => format!("type {t}"),
                };
                let _ = writeln!(
                    s,
                    "  {label:<32} requests {:>8}  responses {:>8}",
                    c.requests, c.responses
                );
            }
        }
        let errs: Vec<String> = self
            .errors
            .iter()
            .map(|(e, n)| match errno_name(*e) {
                Some(name) => format!("{e} {name}: {n}"),
                None => format!("{e}: {n}"),
            })
            .collect();
        let total_errors: u64 = self.errors.values().sum();
        let _ = write!(s, "NLMSG_ERROR: {} ACKs, {total_errors} errors", self.acks);
        if !errs.is_empty() {
            let _ = write!(s, " ({})", errs.join(", "));
        }
        s.push('\n');
        let _ = writeln!(
            s,
            "sock_diag responses: {}; distinct sockets (by idiag_cookie/udiag_cookie): {}",
            self.sock_diag_responses,
            self.sockets.len()
        );
        s
    }
}

impl<W: Write> Output for SummaryOutput<W> {
    fn frame(&mut self, f: &FrameInfo<'_>) -> io::Result<()> {
        self.frames += 1;
        *self.orders.entry(f.order.name()).or_default() += 1;
        Ok(())
    }

    fn message(
        &mut self,
        f: &FrameInfo<'_>,
        m: &MsgInfo,
        walk: &mut dyn FnMut(&mut dyn Visitor),
    ) -> io::Result<()> {
        self.messages += 1;
        let c = self
            .types
            .entry(f.family)
            .or_default()
            .entry(m.nlmsg_type)
            .or_default();
        c.name = m.type_name;
        if m.request {
            c.requests += 1;
        } else {
            c.responses += 1;
        }
        if m.nlmsg_type == 2 {
            match m.error {
                Some(0) => self.acks += 1,
                Some(e) => *self.errors.entry(e).or_default() += 1,
                None => {}
            }
        }
        let sock_diag = NetlinkFamily::from(f.family) == NetlinkFamily::SockDiag;
        if sock_diag && !m.request && m.nlmsg_type >= 0x10 {
            self.sock_diag_responses += 1;
            let mut v = SocketVisitor::default();
            walk(&mut v);
            self.sockets.extend(v.found);
        } else {
            // The walk still runs so that decode errors are seen.
            walk(&mut super::Discard::default());
        }
        Ok(())
    }

    fn problem(&mut self, f: &FrameInfo<'_>, _p: &Problem) -> io::Result<()> {
        self.problems += 1;
        let key = (f.file.map(str::to_string), f.number);
        if self.last_problem_frame.as_ref() != Some(&key) {
            self.malformed_frames += 1;
            self.last_problem_frame = Some(key);
        }
        Ok(())
    }

    fn skipped(&mut self) {
        self.skipped += 1;
    }

    fn file_error(&mut self) {
        self.file_errors += 1;
    }

    fn finish(&mut self) -> io::Result<()> {
        let s = self.render();
        self.out.write_all(s.as_bytes())?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_in_any_shape() {
        let mut v = SocketVisitor::default();
        v.begin("inet_diag_msg");
        v.begin("id");
        v.begin("idiag_cookie");
        v.field("0", Value::U64(1));
        v.field("1", Value::U64(2));
        v.end();
        v.end();
        v.end();
        v.field("udiag_cookie", Value::U64(9));
        assert_eq!(
            v.found,
            [("idiag_cookie", vec![1, 2]), ("udiag_cookie", vec![9])]
        );
        assert_eq!(v.depth, 0);
    }
}
