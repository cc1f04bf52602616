//! `--summary`: counts per family and message type (requests and
//! responses apart), byte orders, errors and ACKs, and distinct sockets.
//!
//! Sockets are counted from the walk of sock_diag responses, by the fields
//! the kernel uses to identify a socket: `idiag_cookie` (inet) and
//! `udiag_cookie` (unix), whatever shape the codec gives them (one number,
//! bytes, or an array of two `__u32`).
//!
//! The count takes bounded memory ([`DistinctCounter`]): exact (a set of
//! 64-bit hashes) up to [`EXACT_LIMIT`] sockets, then a HyperLogLog
//! estimate (2^14 one-byte registers, standard error 0.8 %), reported as
//! `about N (estimated)`.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::io::{self, Write};

use nlwire::family::NetlinkFamily;
use nlwire::netlink::errno_name;
use nlwire::netlink::Scope;
use nlwire::value::{Value, Visitor};
use nlwire::Error;

use super::{family_name, FrameInfo, MsgInfo, Output, Problem};

/// Field names that identify a socket in sock_diag replies.
const COOKIE_FIELDS: &[&str] = &["idiag_cookie", "udiag_cookie"];

#[derive(Debug, Default)]
struct TypeCount {
    /// The generic netlink family the type was learned as.
    sub_family: Option<nlwire::family_ids::FamilyName>,
    requests: u64,
    responses: u64,
}

/// Distinct sockets counted exactly up to this many, estimated beyond.
pub const EXACT_LIMIT: usize = 1 << 16;

/// HyperLogLog precision: 2^14 registers.
const HLL_BITS: u32 = 14;

/// Counts distinct 64-bit hashes in bounded memory: a set while it holds at
/// most [`EXACT_LIMIT`] of them (exact, 64-bit hashes: collisions are
/// negligible), and a HyperLogLog sketch (16 KiB) always, used once the set
/// is dropped.
#[derive(Debug)]
pub struct DistinctCounter {
    exact: Option<HashSet<u64>>,
    registers: Vec<u8>,
}

impl Default for DistinctCounter {
    fn default() -> Self {
        DistinctCounter {
            exact: Some(HashSet::new()),
            registers: vec![0; 1 << HLL_BITS],
        }
    }
}

impl DistinctCounter {
    /// Count `hash` (a well-mixed 64-bit hash).
    pub fn insert(&mut self, hash: u64) {
        let idx = (hash >> (64 - HLL_BITS)) as usize;
        let rest = (hash << HLL_BITS) | (1 << (HLL_BITS - 1));
        let rank = (rest.leading_zeros() + 1) as u8;
        if let Some(r) = self.registers.get_mut(idx) {
            *r = (*r).max(rank);
        }
        if let Some(set) = &mut self.exact {
            set.insert(hash);
            if set.len() > EXACT_LIMIT {
                self.exact = None;
            }
        }
    }

    /// `Ok(n)`: exactly `n`; `Err(n)`: about `n` (more than [`EXACT_LIMIT`]).
    pub fn count(&self) -> Result<u64, u64> {
        if let Some(set) = &self.exact {
            return Ok(set.len() as u64);
        }
        let m = self.registers.len() as f64;
        let sum: f64 = self
            .registers
            .iter()
            .map(|&r| 2f64.powi(-i32::from(r)))
            .sum();
        let alpha = 0.7213 / (1.0 + 1.079 / m);
        let mut e = alpha * m * m / sum;
        let zeros = self.registers.iter().filter(|&&r| r == 0).count();
        if e <= 2.5 * m && zeros > 0 {
            e = m * (m / zeros as f64).ln();
        }
        Err(e.round() as u64)
    }
}

/// Hashes the socket identities of a walk into a [`DistinctCounter`].
#[derive(Debug)]
struct SocketVisitor<'c> {
    depth: usize,
    /// `(depth, hasher)` of an open cookie group and its elements.
    open: Option<(usize, DefaultHasher)>,
    sockets: &'c mut DistinctCounter,
    /// The walk's selectors (errors are not shown, their offsets unused).
    scope: Scope,
}

fn cookie_hasher(key: &str) -> DefaultHasher {
    let mut h = DefaultHasher::new();
    key.hash(&mut h);
    h
}

impl Visitor for SocketVisitor<'_> {
    fn field(&mut self, name: &str, value: Value<'_>) {
        if let Some((_, h)) = &mut self.open {
            if let Value::U64(n) = value {
                n.hash(h);
            }
            return;
        }
        if let Some(key) = COOKIE_FIELDS.iter().find(|k| **k == name) {
            let mut h = cookie_hasher(key);
            match value {
                Value::U64(n) => n.hash(&mut h),
                Value::Bytes(b) => b.iter().for_each(|&x| u64::from(x).hash(&mut h)),
                _ => return,
            }
            self.sockets.insert(h.finish());
        }
    }
    fn begin(&mut self, name: &str) {
        if self.open.is_none() {
            if let Some(key) = COOKIE_FIELDS.iter().find(|k| **k == name) {
                self.open = Some((self.depth, cookie_hasher(key)));
            }
        }
        self.depth += 1;
    }
    fn end(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        if let Some((d, h)) = self.open.take() {
            if d == self.depth {
                self.sockets.insert(h.finish());
            } else {
                self.open = Some((d, h));
            }
        }
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, _: Error) {}
    fn scope(&mut self) -> Option<&mut Scope> {
        Some(&mut self.scope)
    }
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
    /// By family, then by type and kernel name (a generic netlink
    /// family's types carry several commands, each named).
    types: BTreeMap<u16, BTreeMap<(u16, Option<&'static str>), TypeCount>>,
    acks: u64,
    errors: BTreeMap<i32, u64>,
    sock_diag_responses: u64,
    sockets: DistinctCounter,
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
            sockets: DistinctCounter::default(),
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
            for ((t, name), c) in types {
                let label = match (&c.sub_family, name) {
                    (Some(f), Some(n)) => format!("{} {n} ({t})", f.as_str()),
                    (Some(f), None) => format!("{} ({t})", f.as_str()),
                    (None, Some(n)) => format!("{n} ({t})"),
                    (None, None) => format!("type {t}"),
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
        let sockets = match self.sockets.count() {
            Ok(n) => n.to_string(),
            Err(n) => format!("about {n} (estimated)"),
        };
        let _ = writeln!(
            s,
            "sock_diag responses: {}; distinct sockets (by idiag_cookie/udiag_cookie): {sockets}",
            self.sock_diag_responses,
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
            .entry((m.nlmsg_type, m.type_name))
            .or_default();
        c.sub_family = m.sub_family;
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
            let mut v = SocketVisitor {
                depth: 0,
                open: None,
                sockets: &mut self.sockets,
                scope: Scope::new(),
            };
            walk(&mut v);
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

    fn hash_of(key: &str, elems: &[u64]) -> u64 {
        let mut h = cookie_hasher(key);
        elems.iter().for_each(|n| n.hash(&mut h));
        h.finish()
    }

    #[test]
    fn cookies_in_any_shape() {
        let mut c = DistinctCounter::default();
        let mut v = SocketVisitor {
            depth: 0,
            open: None,
            sockets: &mut c,
            scope: Scope::new(),
        };
        v.begin("inet_diag_msg");
        v.begin("id");
        v.begin("idiag_cookie");
        v.field("0", Value::U64(1));
        v.field("1", Value::U64(2));
        v.end();
        v.end();
        v.end();
        v.field("udiag_cookie", Value::U64(9));
        v.field("udiag_cookie", Value::Bytes(&[9]));
        assert_eq!(v.depth, 0);
        assert_eq!(c.count(), Ok(2));
        let set = c.exact.as_ref().unwrap();
        assert!(set.contains(&hash_of("idiag_cookie", &[1, 2])));
        assert!(set.contains(&hash_of("udiag_cookie", &[9])));
    }

    #[test]
    fn distinct_counter_is_exact_then_estimates_in_bounded_memory() {
        let mut c = DistinctCounter::default();
        for i in 0..EXACT_LIMIT as u64 {
            c.insert(hash_of("idiag_cookie", &[i]));
            c.insert(hash_of("idiag_cookie", &[i]));
        }
        assert_eq!(c.count(), Ok(EXACT_LIMIT as u64));
        let n = 1_000_000u64;
        for i in 0..n {
            c.insert(hash_of("idiag_cookie", &[i]));
        }
        assert!(c.exact.is_none(), "the exact set is dropped past the limit");
        let Err(est) = c.count() else {
            panic!("an estimate past the limit")
        };
        let err = (est as f64 - n as f64).abs() / n as f64;
        assert!(err < 0.03, "estimate {est} for {n} ({:.2} %)", err * 100.0);
        assert_eq!(c.registers.len(), 1 << HLL_BITS);
    }
}
