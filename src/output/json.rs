//! JSON lines: one object per netlink message (schema: `docs/json-schema.md`).
//!
//! Keys keep the walk's order (kernel order). A key that occurs more than
//! once in one object (a repeated attribute) becomes an array of its values
//! in order, at the place of its first occurrence; a group whose keys are
//! `"0"`, `"1"`, … (a C array) becomes an array.
//!
//! The text is written while the walk goes, into a [`Sink`]; no tree of the
//! message is built. Because the shape of an object depends on keys that
//! come later (is a key repeated? are the keys `"0"`, `"1"`, …?), the walk
//! (a pure function of the bytes) is run twice: a first pass writes one
//! byte of shape per field or group (a *plan*, [`Planner`]), the second
//! prints with it. A third pass collects the decode errors when there are
//! any (`"errors"` comes last). Only when a key comes back after another key
//! (`UNKNOWN`, `INET_DIAG_…`, `UNKNOWN`) are values of the keys that must
//! wait held back, as text, until their turn.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Write};

use nlwire::netlink::Scope;
use nlwire::value::{MacFmt, Value, Visitor, Walk};
use nlwire::Error;

use super::{
    describe_error, enum_digits, family_name, for_each_flag, numfmt, put_hex, FrameInfo, MsgInfo,
    Output, Problem, Sink,
};

/// `s` as a JSON string, escaped as `serde_json` escapes it.
pub fn put_json_str(s: &str, out: &mut (impl Sink + ?Sized)) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    // Kernel names and most strings need no escape: three pieces.
    if escape::plain(bytes) {
        out.put("\"");
        out.put(s);
        out.put("\"");
        return;
    }
    out.put("\"");
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.put(s.get(start..i).unwrap_or_default());
        if esc.is_empty() {
            let u = [
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ];
            out.put(std::str::from_utf8(&u).unwrap_or_default());
        } else {
            out.put(esc);
        }
        start = i + 1;
    }
    out.put(s.get(start..).unwrap_or_default());
    out.put("\"");
}

#[cfg(test)]
fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    put_json_str(s, &mut out);
    out
}

/// `"key":` — `key` as [`put_json_str`] writes it, then a colon; a key
/// that needs no escape (every kernel name) in one reservation.
pub fn put_json_key(key: &str, out: &mut String) {
    if escape::plain(key.as_bytes()) {
        out.reserve(key.len() + 3);
        out.push('"');
        out.push_str(key);
        out.push_str("\":");
    } else {
        put_json_str(key, out);
        out.push(':');
    }
}

/// A value as JSON text.
pub fn value_json(v: &Value<'_>) -> String {
    let mut s = String::new();
    write_value(v, &mut s);
    s
}

/// [`value_json`] into any [`Sink`], without building the text of a long
/// value in memory.
pub fn write_value(v: &Value<'_>, s: &mut (impl Sink + ?Sized)) {
    let mut num = itoa::Buffer::new();
    match *v {
        Value::U64(n) => s.put(num.format(n)),
        Value::I64(n) => s.put(num.format(n)),
        Value::Bool(b) => s.put(if b { "true" } else { "false" }),
        Value::Bytes(b) => {
            s.put("\"");
            put_hex(b, s);
            s.put("\"");
        }
        Value::Str(b) => match std::str::from_utf8(b) {
            Ok(t) => put_json_str(t, s),
            Err(_) => {
                s.put("{\"hex\":\"");
                put_hex(b, s);
                s.put("\"}");
            }
        },
        // Digits, `.` and `:` only: nothing to escape, no allocation.
        Value::Ipv4(a) => {
            s.put("\"");
            numfmt::put_ipv4(a, s);
            s.put("\"");
        }
        Value::Ipv6(a) => {
            s.put("\"");
            numfmt::put_ipv6(a, s);
            s.put("\"");
        }
        Value::Mac(b) => put_json_str(&MacFmt(b).to_string(), s),
        Value::Enum { raw, name } => {
            s.put("{\"value\":");
            s.put(enum_digits(raw, &mut num));
            s.put(",\"name\":");
            match name {
                Some(n) => put_json_str(n, s),
                None => s.put("null"),
            }
            s.put("}");
        }
        Value::Flags { raw, names } => {
            s.put("{\"value\":");
            s.put(num.format(raw));
            s.put(",\"names\":[");
            let mut first = true;
            let rest = for_each_flag(raw, names, |n| {
                if !first {
                    s.put(",");
                }
                first = false;
                put_json_str(n, s);
            });
            s.put("]");
            if rest != 0 {
                s.put(",\"unknown\":");
                s.put(num.format(rest));
            }
            s.put("}");
        }
        _ => put_json_str(&format!("{v:?}"), s),
    }
}

/// Declares [`MetaKey`] from one list: each key, its name as printed, and
/// its text after other entries (`,"name":`), all from the one literal.
macro_rules! meta_keys {
    ($($(#[$doc:meta])* $key:ident = $name:literal,)*) => {
        /// The metadata keys: the entries a message object starts with,
        /// given to the passes as one text ([`Pass::raw_entries`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum MetaKey {
            $($(#[$doc])* $key,)*
        }

        impl MetaKey {
            /// Every metadata key.
            pub const ALL: &'static [MetaKey] = &[$(MetaKey::$key,)*];

            /// The key as printed.
            pub const fn name(self) -> &'static str {
                match self {
                    $(MetaKey::$key => $name,)*
                }
            }

            /// `,"name":`: the key after other entries, in one piece.
            const fn after(self) -> &'static str {
                match self {
                    $(MetaKey::$key => concat!(",\"", $name, "\":"),)*
                }
            }
        }
    };
}

meta_keys! {
    /// `file`: the capture file.
    File = "file",
    /// `frame`: the frame's number in the file.
    Frame = "frame",
    /// `time`: the capture time.
    Time = "time",
    /// `family`: the netlink family (`NETLINK_*`).
    Family = "family",
    /// `sub_family`: the generic netlink family learned for the message.
    SubFamily = "sub_family",
    /// `byte_order`: the order the netlink bytes were read in.
    ByteOrder = "byte_order",
    /// `message`: the message's place in its frame.
    Message = "message",
    /// `offset`: the offset of its `nlmsghdr` in the frame.
    Offset = "offset",
    /// `direction`: `request` or `response`.
    Direction = "direction",
}

impl MetaKey {
    /// Its bit in a set of keys.
    const fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// The key a top-level name of the walk gets: a name equal to a
/// [`MetaKey`] or to `errors` (the planned passes' last entry) would turn
/// that key into an array, so it is renamed — `family` (the address family
/// of a sock_diag message of a family the codec does not decode) to
/// `sdiag_family`, any other to `msg_<name>`. So no top-level key of a walk
/// is ever a metadata key.
#[inline]
fn top_key(name: &str) -> std::borrow::Cow<'_, str> {
    // The metadata keys and `errors` are 4 to 10 bytes long, lower case.
    if !(4..=10).contains(&name.len()) || !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return name.into();
    }
    top_key_slow(name)
}

/// [`top_key`] for a name that may be a metadata key.
fn top_key_slow(name: &str) -> std::borrow::Cow<'_, str> {
    if name == "family" {
        "sdiag_family".into()
    } else if name == "errors" || MetaKey::ALL.iter().any(|k| k.name() == name) {
        format!("msg_{name}").into()
    } else {
        name.into()
    }
}

/// A pass over one message: the walk's events plus the metadata entries
/// (already JSON) that start the object.
pub trait Pass {
    /// An entry of the top-level object whose value is JSON text.
    fn raw(&mut self, name: &str, json: &str);
    /// A field of the walk whose value is already JSON text (a replay).
    fn raw_field(&mut self, name: &str, json: &str);
    /// The pass as the visitor the walk is given.
    fn visitor(&mut self) -> &mut dyn Visitor;
    /// Entries of the top-level object written as one piece of JSON text:
    /// `text` is `"key":value` entries joined by `,`, `keys` each key and
    /// the end of its entry in `text`. A walk's top-level key is never a
    /// metadata key (the printer renames those: `msg_<name>`), so a pass
    /// need not check the walk's keys against them, only that `keys` holds
    /// each at most once. The default gives each entry to [`Pass::raw`].
    fn raw_entries(&mut self, text: &str, keys: &[(MetaKey, usize)]) {
        raw_each(self, text, keys);
    }
    /// The decode errors this pass has been given so far, if it counts
    /// them (the pass that plans the object does); the default: 0.
    fn errors(&self) -> u64 {
        0
    }
}

/// Each entry of [`Pass::raw_entries`] to [`Pass::raw`].
fn raw_each<P: Pass + ?Sized>(pass: &mut P, text: &str, keys: &[(MetaKey, usize)]) {
    let mut start = 0;
    for &(k, end) in keys {
        let k = k.name();
        // `"key":` before the value.
        let value = start + k.len() + 3;
        pass.raw(k, text.get(value..end).unwrap_or_default());
        start = end + 1;
    }
}

// Shape flags, one byte per field or group (a "slot"), in walk order; slot 0
// is the top-level object.
/// First occurrence of a key that occurs more than once in its object.
const START: u8 = 1;
/// Last occurrence of such a key.
const END: u8 = 2;
/// Not the first occurrence of its key.
const CONT: u8 = 4;
/// (group) Its keys are `"0"`, `"1"`, …: a JSON array.
const INDEX: u8 = 8;
/// (group) A key occurs again after another key: values must be regrouped.
const REORDER: u8 = 16;

#[derive(Debug, Default)]
struct KeyPlan {
    /// [`name_hash`] of the name.
    hash: u64,
    start: usize,
    len: usize,
    first: usize,
    last: usize,
    count: u64,
}

/// The keys of one open object (reused from object to object at a depth).
#[derive(Debug, Default)]
struct PlanObj {
    slot: usize,
    entries: usize,
    index: bool,
    prev: Option<usize>,
    names: String,
    keys: Vec<KeyPlan>,
    /// Built once an object has many keys (`tcp_info` has about 70): the
    /// [`name_hash`] of each key to the first key with that hash. No
    /// allocation per key and no SipHash: this runs for every field of
    /// every message.
    lookup: HashMap<u64, usize, BuildHasherDefault<IdHasher>>,
}

/// A hash of a key name from its length and its first and last eight
/// bytes (constant time: kernel names share long prefixes such as
/// `INET_DIAG_` or `tcpi_` but not their ends). Collisions are resolved by
/// comparing names.
fn name_hash(name: &str) -> u64 {
    let b = name.as_bytes();
    let word = |s: &[u8]| {
        let mut w = [0u8; 8];
        w[..s.len()].copy_from_slice(s);
        u64::from_le_bytes(w)
    };
    let (head, tail) = if b.len() >= 8 {
        (word(&b[..8]), word(&b[b.len() - 8..]))
    } else {
        (word(b), 0)
    };
    let h = (head ^ (b.len() as u64).rotate_left(56)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h.rotate_left(29) ^ tail).wrapping_mul(0xff51_afd7_ed55_8ccd)
}

/// A hasher for keys that are already hashes ([`name_hash`]).
#[derive(Debug, Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl PlanObj {
    fn reset(&mut self, slot: usize) {
        self.slot = slot;
        self.entries = 0;
        self.index = true;
        self.prev = None;
        // Memory of an object of millions of keys is not kept.
        if self.keys.capacity() > 4096 {
            *self = PlanObj::default();
        }
        self.names.clear();
        self.keys.clear();
        self.lookup.clear();
    }

    fn find(&self, name: &str, hash: u64) -> Option<usize> {
        let named =
            |k: &KeyPlan| k.hash == hash && self.names.get(k.start..k.start + k.len) == Some(name);
        let scan = || self.keys.iter().position(named);
        if self.keys.len() <= 16 {
            return scan();
        }
        // Every key's hash is in the table: no entry means no such key.
        let i = *self.lookup.get(&hash)?;
        let k = self.keys.get(i)?;
        if named(k) {
            Some(i)
        } else {
            // Two names with one hash: compare them all.
            scan()
        }
    }

    fn add(&mut self, name: &str, hash: u64, slot: usize) -> usize {
        let i = self.keys.len();
        self.keys.push(KeyPlan {
            hash,
            start: self.names.len(),
            len: name.len(),
            first: slot,
            last: slot,
            count: 0,
        });
        self.names.push_str(name);
        if self.keys.len() > 16 {
            if self.lookup.is_empty() {
                for (j, k) in self.keys.iter().enumerate() {
                    self.lookup.entry(k.hash).or_insert(j);
                }
            } else {
                self.lookup.entry(hash).or_insert(i);
            }
        }
        i
    }
}

/// The first pass: the shape of every object, one byte per slot.
#[derive(Debug, Default)]
pub struct Planner {
    plan: Vec<u8>,
    stack: Vec<PlanObj>,
    open: usize,
    errors: u64,
    /// The walk's selectors (errors are only counted).
    scope: Scope,
}

impl Planner {
    /// Start a message (the tables of earlier messages are kept for reuse).
    fn reset(&mut self) {
        self.plan.clear();
        self.plan.push(0);
        self.open = 0;
        self.errors = 0;
        self.open_obj(0);
        // A huge message (millions of keys) does not keep its memory.
        if self.plan.capacity() > 1 << 20 {
            self.plan.shrink_to(1 << 20);
        }
        self.stack.truncate(64);
    }

    /// Give back the memory a huge message made the tables grow.
    fn release(&mut self) {
        if self.plan.capacity() > 1 << 20 {
            self.plan.clear();
            self.plan.shrink_to(1 << 20);
        }
        self.stack.truncate(64);
        for o in &mut self.stack {
            if o.keys.capacity() > 4096 {
                *o = PlanObj::default();
            }
        }
    }

    fn open_obj(&mut self, slot: usize) {
        if self.stack.len() <= self.open {
            self.stack.push(PlanObj::default());
        }
        if let Some(o) = self.stack.get_mut(self.open) {
            o.reset(slot);
        }
        self.open += 1;
    }

    /// A field or group of the walk (top-level names renamed).
    fn walk_entry(&mut self, name: &str) {
        if self.open == 1 {
            self.entry(&top_key(name));
        } else {
            self.entry(name);
        }
    }

    fn entry(&mut self, name: &str) {
        let slot = self.plan.len();
        self.plan.push(0);
        let Some(o) = self.open.checked_sub(1).and_then(|i| self.stack.get_mut(i)) else {
            return;
        };
        if o.index && name.parse::<usize>() != Ok(o.entries) {
            o.index = false;
        }
        o.entries += 1;
        let hash = name_hash(name);
        let k = match o.find(name, hash) {
            Some(k) => {
                self.plan[slot] |= CONT;
                if o.prev != Some(k) {
                    self.plan[o.slot] |= REORDER;
                }
                k
            }
            None => o.add(name, hash, slot),
        };
        if let Some(kp) = o.keys.get_mut(k) {
            kp.count += 1;
            kp.last = slot;
        }
        o.prev = Some(k);
    }

    fn close_obj(&mut self) {
        let Some(i) = self.open.checked_sub(1) else {
            return;
        };
        self.open = i;
        let Some(o) = self.stack.get(i) else {
            return;
        };
        if o.index && o.entries > 0 {
            self.plan[o.slot] |= INDEX;
        }
        for k in &o.keys {
            if k.count > 1 {
                self.plan[k.first] |= START;
                self.plan[k.last] |= END;
            }
        }
    }

    /// The plan is complete; returns the number of decode errors.
    fn finish(&mut self) -> u64 {
        while self.open > 1 {
            self.close_obj();
        }
        if self.errors > 0 {
            self.entry("errors");
        }
        self.close_obj();
        self.errors
    }
}

impl Visitor for Planner {
    fn field(&mut self, name: &str, _: Value<'_>) {
        self.walk_entry(name);
    }
    fn begin(&mut self, name: &str) {
        let slot = self.plan.len();
        self.walk_entry(name);
        self.open_obj(slot);
    }
    fn end(&mut self) {
        if self.open > 1 {
            self.close_obj();
        }
    }
    fn depth(&self) -> usize {
        self.open.saturating_sub(1)
    }
    fn error(&mut self, _: Error) {
        self.errors = self.errors.saturating_add(1);
    }
    fn scope(&mut self) -> Option<&mut Scope> {
        Some(&mut self.scope)
    }
}

impl Pass for Planner {
    fn raw(&mut self, name: &str, _: &str) {
        self.entry(name);
    }
    fn raw_field(&mut self, name: &str, _: &str) {
        self.walk_entry(name);
    }
    fn visitor(&mut self) -> &mut dyn Visitor {
        self
    }
    fn errors(&self) -> u64 {
        self.errors
    }
}

/// Where text goes: straight out, or a held-back buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Direct,
    Buf(usize),
}

#[derive(Debug)]
struct KeyState {
    name: Box<str>,
    multi: bool,
    done: bool,
    buf: Option<usize>,
}

/// The keys of an object whose values must be regrouped.
#[derive(Debug, Default)]
struct Regroup {
    lookup: HashMap<Box<str>, usize>,
    keys: Vec<KeyState>,
    /// The key being written straight to the object's target; keys after
    /// it are held back until it is complete.
    cursor: usize,
    current: usize,
}

#[derive(Debug)]
enum Kind {
    Plain,
    Index,
    Regroup(Regroup),
}

#[derive(Debug)]
struct Frame {
    kind: Kind,
    target: Target,
    entries: usize,
    /// This group's own slot flags (as an entry of its parent).
    flags: u8,
}

/// The second pass: writes the object with the plan.
struct Printer<'a, S: Sink> {
    out: &'a mut S,
    plan: &'a [u8],
    slot: usize,
    frames: &'a mut Vec<Frame>,
    bufs: &'a mut Vec<String>,
    free: &'a mut Vec<usize>,
    /// The walk's selectors (errors are printed by [`ErrorPass`]).
    scope: Scope,
}

impl<'a, S: Sink> Printer<'a, S> {
    fn new(out: &'a mut S, plan: &'a [u8], scratch: &'a mut PrintScratch) -> Self {
        let flags = plan.first().copied().unwrap_or(0);
        scratch.frames.clear();
        scratch.free.clear();
        scratch.free.extend(0..scratch.bufs.len());
        for b in &mut scratch.bufs {
            b.clear();
        }
        let mut p = Printer {
            out,
            plan,
            slot: 1,
            frames: &mut scratch.frames,
            bufs: &mut scratch.bufs,
            free: &mut scratch.free,
            scope: Scope::new(),
        };
        p.open(Target::Direct, flags);
        p
    }

    fn put(&mut self, t: Target, s: &str) {
        match t {
            Target::Direct => self.out.put(s),
            Target::Buf(i) => {
                if let Some(b) = self.bufs.get_mut(i) {
                    b.push_str(s);
                }
            }
        }
    }

    /// A value to where `t` goes.
    fn put_value(&mut self, t: Target, v: &Value<'_>) {
        match t {
            Target::Buf(i) if i < self.bufs.len() => write_value(v, &mut self.bufs[i]),
            _ => write_value(v, self.out),
        }
    }

    /// A decode error's description, quoted, to where `t` goes.
    fn put_str(&mut self, t: Target, text: &str) {
        self.put_key(t, text);
    }

    /// A key, quoted, to where `t` goes.
    fn put_key(&mut self, t: Target, name: &str) {
        match t {
            Target::Buf(i) if i < self.bufs.len() => put_json_str(name, &mut self.bufs[i]),
            _ => put_json_str(name, self.out),
        }
    }

    fn new_buf(&mut self) -> usize {
        if let Some(i) = self.free.pop() {
            i
        } else {
            self.bufs.push(String::new());
            self.bufs.len() - 1
        }
    }

    /// Append held-back buffer `i` to `t` and free it.
    fn flush_buf(&mut self, i: usize, t: Target) {
        let mut b = std::mem::take(&mut self.bufs[i]);
        self.put(t, &b);
        b.clear();
        if b.capacity() <= 1 << 16 {
            self.bufs[i] = b;
        }
        self.free.push(i);
    }

    fn next_flags(&mut self) -> u8 {
        let f = self.plan.get(self.slot).copied().unwrap_or(0);
        self.slot += 1;
        f
    }

    fn open(&mut self, target: Target, flags: u8) {
        let kind = if flags & INDEX != 0 {
            Kind::Index
        } else if flags & REORDER != 0 {
            Kind::Regroup(Regroup::default())
        } else {
            Kind::Plain
        };
        self.put(target, if flags & INDEX != 0 { "[" } else { "{" });
        self.frames.push(Frame {
            kind,
            target,
            entries: 0,
            flags,
        });
    }

    /// [`Self::entry_begin`] for a field or group of the walk (top-level
    /// names renamed).
    fn walk_entry_begin(&mut self, name: &str, f: u8) -> Target {
        if self.frames.len() == 1 {
            self.entry_begin(&top_key(name), f)
        } else {
            self.entry_begin(name, f)
        }
    }

    /// An entry named `name` with flags `f` starts in the innermost object:
    /// write what comes before its value; returns where the value goes.
    fn entry_begin(&mut self, name: &str, f: u8) -> Target {
        let Some(frame) = self.frames.last_mut() else {
            return Target::Direct;
        };
        let target = frame.target;
        let n = frame.entries;
        frame.entries += 1;
        // What to write, decided while the frame is borrowed.
        let (key_first, multi, held) = match &mut frame.kind {
            Kind::Index => {
                if n > 0 {
                    self.put(target, ",");
                }
                return target;
            }
            Kind::Plain => {
                if f & CONT != 0 {
                    self.put(target, ",");
                } else {
                    if n > 0 {
                        self.put(target, ",");
                    }
                    self.put_key(target, name);
                    self.put(target, if f & START != 0 { ":[" } else { ":" });
                }
                return target;
            }
            Kind::Regroup(r) => {
                let (k, first) = match r.lookup.get(name) {
                    Some(&k) if f & CONT != 0 => (k, false),
                    _ => {
                        let k = r.keys.len();
                        r.keys.push(KeyState {
                            name: name.into(),
                            multi: f & START != 0,
                            done: false,
                            buf: None,
                        });
                        r.lookup.insert(name.into(), k);
                        (k, true)
                    }
                };
                r.current = k;
                let held = if k == r.cursor {
                    None
                } else {
                    Some((k, r.keys[k].buf))
                };
                ((k, first), r.keys[k].multi, held)
            }
        };
        let (k, first) = key_first;
        match held {
            None => {
                if first {
                    if k > 0 {
                        self.put(target, ",");
                    }
                    self.put_key(target, name);
                    self.put(target, if multi { ":[" } else { ":" });
                } else {
                    self.put(target, ",");
                }
                target
            }
            Some((k, buf)) => {
                let b = match buf {
                    Some(b) => b,
                    None => {
                        let b = self.new_buf();
                        if let Some(Kind::Regroup(r)) = self.frames.last_mut().map(|f| &mut f.kind)
                        {
                            r.keys[k].buf = Some(b);
                        }
                        b
                    }
                };
                if !first {
                    self.put(Target::Buf(b), ",");
                }
                Target::Buf(b)
            }
        }
    }

    /// The value of the entry begun last in the innermost object is complete.
    fn entry_end(&mut self, f: u8) {
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        let target = frame.target;
        match &mut frame.kind {
            Kind::Index => {}
            Kind::Plain => {
                if f & END != 0 {
                    self.put(target, "]");
                }
            }
            Kind::Regroup(r) => {
                let k = r.current;
                let multi = r.keys[k].multi;
                if !multi || f & END != 0 {
                    r.keys[k].done = true;
                    if k == r.cursor {
                        if multi {
                            self.put(target, "]");
                        }
                        self.advance();
                    }
                }
            }
        }
    }

    /// The key at the cursor is complete: write the keys held back behind
    /// it, up to the first one that is not complete yet.
    fn advance(&mut self) {
        loop {
            let Some(frame) = self.frames.last_mut() else {
                return;
            };
            let target = frame.target;
            let Kind::Regroup(r) = &mut frame.kind else {
                return;
            };
            r.cursor += 1;
            let Some(key) = r.keys.get_mut(r.cursor) else {
                return;
            };
            let (multi, done, buf) = (key.multi, key.done, key.buf.take());
            let name = std::mem::take(&mut key.name);
            self.put(target, ",");
            self.put_key(target, &name);
            self.put(target, if multi { ":[" } else { ":" });
            if let Some(b) = buf {
                self.flush_buf(b, target);
            }
            if !done {
                return;
            }
            if multi {
                self.put(target, "]");
            }
        }
    }

    /// Close the innermost object.
    fn close(&mut self) {
        let Some(frame) = self.frames.last() else {
            return;
        };
        let target = frame.target;
        if let Kind::Regroup(r) = &frame.kind {
            // Complete by construction (both passes saw the same walk); close
            // whatever is left all the same.
            if let Some(key) = r.keys.get(r.cursor) {
                if key.multi && !key.done {
                    self.put(target, "]");
                }
                if let Some(Kind::Regroup(r)) = self.frames.last_mut().map(|f| &mut f.kind) {
                    for k in r.keys.iter_mut().skip(r.cursor) {
                        k.done = true;
                    }
                }
                self.advance();
            }
        }
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let index = matches!(frame.kind, Kind::Index);
        self.put(target, if index { "]" } else { "}" });
        if !self.frames.is_empty() {
            self.entry_end(frame.flags);
        }
    }
}

impl<S: Sink> Visitor for Printer<'_, S> {
    fn field(&mut self, name: &str, value: Value<'_>) {
        let f = self.next_flags();
        let t = self.walk_entry_begin(name, f);
        self.put_value(t, &value);
        self.entry_end(f);
    }
    fn begin(&mut self, name: &str) {
        let f = self.next_flags();
        let t = self.walk_entry_begin(name, f);
        self.open(t, f);
    }
    fn end(&mut self) {
        if self.frames.len() > 1 {
            self.close();
        }
    }
    fn depth(&self) -> usize {
        self.frames.len().saturating_sub(1)
    }
    fn error(&mut self, _: Error) {}
    fn scope(&mut self) -> Option<&mut Scope> {
        Some(&mut self.scope)
    }
}

impl<S: Sink> Pass for Printer<'_, S> {
    fn raw(&mut self, name: &str, json: &str) {
        let f = self.next_flags();
        let t = self.entry_begin(name, f);
        self.put(t, json);
        self.entry_end(f);
    }
    fn raw_field(&mut self, name: &str, json: &str) {
        let f = self.next_flags();
        let t = self.walk_entry_begin(name, f);
        self.put(t, json);
        self.entry_end(f);
    }
    fn visitor(&mut self) -> &mut dyn Visitor {
        self
    }
}

/// The third pass: the decode errors, as the elements of `"errors"`.
struct ErrorPass<'p, 'a, S: Sink> {
    printer: &'p mut Printer<'a, S>,
    target: Target,
    depth: usize,
    count: u64,
    netlink_offset: usize,
    scope: Scope,
}

impl<S: Sink> Visitor for ErrorPass<'_, '_, S> {
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
    fn scope(&mut self) -> Option<&mut Scope> {
        Some(&mut self.scope)
    }
    fn error(&mut self, e: Error) {
        let e = self.scope.rebase(e);
        let t = self.target;
        if self.count > 0 {
            self.printer.put(t, ",");
        }
        self.count += 1;
        let mut num = itoa::Buffer::new();
        self.printer.put(t, "{\"offset\":");
        self.printer.put(
            t,
            num.format(e.offset().saturating_add(self.netlink_offset)),
        );
        self.printer.put(t, ",\"reason\":");
        self.printer.put_str(t, &describe_error(&e));
        self.printer.put(t, "}");
    }
}

impl<S: Sink> Pass for ErrorPass<'_, '_, S> {
    fn raw(&mut self, _: &str, _: &str) {}
    fn raw_field(&mut self, _: &str, _: &str) {}
    fn visitor(&mut self) -> &mut dyn Visitor {
        self
    }
}

/// Write one message object (no newline) to `out`: `source` runs the whole
/// event sequence of the message (metadata with [`Pass::raw`], then the
/// walks) on the pass it is given; it is called two or three times and
/// must give the same events each time. Error offsets are shifted by
/// `netlink_offset`.
pub fn write_object(
    out: &mut dyn Sink,
    source: &mut dyn FnMut(&mut dyn Pass),
    netlink_offset: usize,
) {
    JsonScratch::default().write_object(out, source, netlink_offset);
}

/// The printer's scratch memory, kept from message to message.
#[derive(Debug, Default)]
struct PrintScratch {
    frames: Vec<Frame>,
    bufs: Vec<String>,
    free: Vec<usize>,
}

/// The memory [`write_object`] works in, reused from message to message
/// (no allocation per message once warm; what a huge message grew is given
/// back).
#[derive(Debug, Default)]
pub struct JsonScratch {
    single: single::SingleScratch,
    /// The single pass's text, for [`JsonScratch::write_object`] (the
    /// CLI's printer gives its own output buffer instead).
    buf: JsonBuf,
    planner: Planner,
    print: PrintScratch,
    /// Messages printed by the single pass, and by the planned passes.
    passes: [u64; 2],
}

impl JsonScratch {
    /// [`write_object`] with this scratch memory, into any [`Sink`].
    pub fn write_object<S: Sink>(
        &mut self,
        mut out: S,
        source: &mut dyn FnMut(&mut dyn Pass),
        netlink_offset: usize,
    ) {
        let mut buf = std::mem::take(&mut self.buf);
        // What a huge message grew is not kept.
        buf.clear_within(2 * single::CAP);
        if self.single_pass(&mut buf, source) {
            out.put(&String::from_utf8_lossy(buf.bytes()));
        } else {
            self.planned(out, source, netlink_offset);
        }
        self.buf = buf;
    }

    /// The single pass, appending to `buf`; false (and `buf` as it was)
    /// when the message needs the planned passes.
    fn single_pass(&mut self, buf: &mut JsonBuf, source: &mut dyn FnMut(&mut dyn Pass)) -> bool {
        // What a huge message grew is given back (the planner's own reset
        // does it too, but the next messages may all take the single pass).
        self.planner.release();
        let mut one = single::Single::new(&mut self.single, buf);
        source(&mut one);
        let ok = one.finish();
        self.passes[usize::from(!ok)] += 1;
        ok
    }

    /// The planned passes: plan, print, and the errors.
    fn planned<S: Sink>(
        &mut self,
        mut out: S,
        source: &mut dyn FnMut(&mut dyn Pass),
        netlink_offset: usize,
    ) {
        self.planner.reset();
        source(&mut self.planner);
        let errors = self.planner.finish();
        if self.print.bufs.len() > 64 {
            self.print.bufs.truncate(64);
        }
        let mut p = Printer::new(&mut out, &self.planner.plan, &mut self.print);
        source(&mut p);
        while p.frames.len() > 1 {
            p.close();
        }
        if errors > 0 {
            let f = p.next_flags();
            let target = p.entry_begin("errors", f);
            p.put(target, "[");
            let mut e = ErrorPass {
                printer: &mut p,
                target,
                depth: 0,
                count: 0,
                netlink_offset,
                scope: Scope::new(),
            };
            source(&mut e);
            p.put(target, "]");
            p.entry_end(f);
        }
        p.close();
    }
}

#[derive(Debug)]
enum Event {
    Raw(String, String),
    Field(String, String),
    Begin(String),
    End,
    Error(Error),
}

/// Builds one JSON object from a single walk (for callers that cannot run
/// the walk again: the events are recorded, then printed as
/// [`write_object`] prints; the CLI streams instead).
#[derive(Debug)]
pub struct JsonVisitor {
    events: Vec<Event>,
    depth: usize,
    netlink_offset: usize,
}

impl JsonVisitor {
    /// A visitor whose object starts with `meta` entries (already JSON);
    /// error offsets are shifted by `netlink_offset`.
    pub fn new(meta: Vec<(String, String)>, netlink_offset: usize) -> Self {
        JsonVisitor {
            events: meta.into_iter().map(|(k, v)| Event::Raw(k, v)).collect(),
            depth: 0,
            netlink_offset,
        }
    }

    /// The finished object as one line of JSON (groups left open are closed).
    pub fn finish(self) -> String {
        let mut out = String::new();
        let events = self.events;
        write_object(
            &mut out,
            &mut |p: &mut dyn Pass| {
                for e in &events {
                    match e {
                        Event::Raw(k, v) => p.raw(k, v),
                        Event::Field(k, v) => p.raw_field(k, v),
                        Event::Begin(k) => p.visitor().begin(k),
                        Event::End => p.visitor().end(),
                        Event::Error(e) => p.visitor().error(*e),
                    }
                }
            },
            self.netlink_offset,
        );
        out
    }
}

impl Visitor for JsonVisitor {
    fn field(&mut self, name: &str, value: Value<'_>) {
        self.events
            .push(Event::Field(name.to_string(), value_json(&value)));
    }
    fn begin(&mut self, name: &str) {
        self.events.push(Event::Begin(name.to_string()));
        self.depth += 1;
    }
    fn end(&mut self) {
        self.events.push(Event::End);
        self.depth = self.depth.saturating_sub(1);
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, e: Error) {
        self.events.push(Event::Error(e));
    }
}

/// Writes one JSON object per netlink message to `W`.
#[derive(Debug)]
pub struct JsonOutput<W: Write> {
    out: W,
    /// Output not yet given to `out` (at most [`CHUNK`] and one message).
    buf: JsonBuf,
    error: Option<io::Error>,
    scratch: JsonScratch,
    meta: Meta,
    /// The link headers' entries, printed once each.
    links: link::LinkTexts,
    /// The decode errors the walk of the last message reported.
    walk_errors: u64,
}

/// How much [`JsonOutput`] gathers before writing.
const CHUNK: usize = 64 * 1024;

impl<W: Write> JsonOutput<W> {
    /// Print to `out`.
    pub fn new(out: W) -> Self {
        JsonOutput {
            out,
            buf: JsonBuf::with_room(2 * CHUNK),
            error: None,
            scratch: JsonScratch::default(),
            meta: Meta::default(),
            links: link::LinkTexts::default(),
            walk_errors: 0,
        }
    }
}

/// The pieces of [`JsonOutput`]: appended to a buffer, written out by
/// [`CHUNK`]s (the first write error is kept; later output is dropped).
struct ChunkSink<'a, W: Write> {
    buf: &'a mut JsonBuf,
    out: &'a mut W,
    error: &'a mut Option<io::Error>,
}

impl JsonScratch {
    /// [`JsonScratch::write_object`] into the CLI's chunk buffer: the single
    /// pass writes straight into it (no copy of the message's text).
    fn write_into<W: Write>(
        &mut self,
        sink: &mut ChunkSink<'_, W>,
        source: &mut dyn FnMut(&mut dyn Pass),
        netlink_offset: usize,
    ) {
        if !self.single_pass(sink.buf, source) {
            self.planned(sink, source, netlink_offset);
        }
    }
}

impl<W: Write> ChunkSink<'_, W> {
    fn flush(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.out.write_all(self.buf.bytes()) {
                *self.error = Some(e);
            }
        }
        // A huge message's room is not kept.
        self.buf.clear_within(4 * CHUNK);
    }
}

impl<W: Write> Sink for ChunkSink<'_, W> {
    #[inline]
    fn put(&mut self, s: &str) {
        self.buf.put_bytes(s.as_bytes());
        if self.buf.len() >= CHUNK {
            self.flush();
        }
    }
}

/// The metadata entries that start every message object, as JSON text
/// (`"key":value` entries joined by `,`) in one buffer, reused from
/// message to message (no allocation per message once warm).
#[derive(Debug, Default)]
struct Meta {
    text: String,
    /// Each key and the end of its entry in `text`.
    keys: Vec<(MetaKey, usize)>,
    /// The frame whose entries (`file` to `family`) start `text`, if any.
    frame: Option<FrameKey>,
    /// Its file name (kept to compare, not allocated per frame once warm).
    file: String,
    /// The length of those entries in `text`, and their number in `keys`.
    frame_text: usize,
    frame_keys: usize,
    /// The byte order's JSON text, and the order it is of.
    order: Option<nlwire::swap::ByteOrder>,
    order_json: String,
}

/// What the frame's entries are made of (besides the file name).
#[derive(Debug, Clone, Copy, PartialEq)]
struct FrameKey {
    number: u64,
    time: Option<crate::capture::Timestamp>,
    family: u16,
    file: bool,
}

impl Meta {
    /// The entries of the message `m` of the frame `f`. The frame's own
    /// entries (`file`, `frame`, `time`, `family`) are written once per
    /// frame and kept for its other messages.
    fn fill(&mut self, f: &FrameInfo<'_>, m: &MsgInfo) {
        let key = f.number.map(|number| FrameKey {
            number,
            time: f.time,
            family: f.family,
            file: f.file.is_some(),
        });
        if key.is_some() && key == self.frame && f.file.unwrap_or_default() == self.file {
            self.text.truncate(self.frame_text);
            self.keys.truncate(self.frame_keys);
        } else {
            self.fill_frame(f);
            self.frame = key;
            self.file.clear();
            self.file.push_str(f.file.unwrap_or_default());
        }
        self.fill_message(f, m);
    }

    /// The frame's own entries, at the start of `text`.
    fn fill_frame(&mut self, f: &FrameInfo<'_>) {
        // A long file name is not kept.
        if self.text.capacity() > 4096 {
            self.text = String::new();
        }
        if self.file.capacity() > 4096 {
            self.file = String::new();
        }
        self.text.clear();
        self.keys.clear();
        let mut num = itoa::Buffer::new();
        if let Some(file) = f.file {
            put_json_str(file, self.key(MetaKey::File));
            self.end(MetaKey::File);
        }
        if let Some(n) = f.number {
            self.key(MetaKey::Frame).push_str(num.format(n));
            self.end(MetaKey::Frame);
        }
        if let Some(time) = f.time {
            time::push_time_json(&time, self.key(MetaKey::Time));
            self.end(MetaKey::Time);
        }
        let family = Value::Enum {
            raw: u64::from(f.family),
            name: family_name(f.family),
        };
        write_value(&family, self.key(MetaKey::Family));
        self.end(MetaKey::Family);
        self.frame_text = self.text.len();
        self.frame_keys = self.keys.len();
    }

    /// The message's entries, after the frame's.
    fn fill_message(&mut self, f: &FrameInfo<'_>, m: &MsgInfo) {
        let mut num = itoa::Buffer::new();
        if let Some(name) = m.sub_family {
            put_json_str(name.as_str(), self.key(MetaKey::SubFamily));
            self.end(MetaKey::SubFamily);
        }
        if self.order != Some(f.order) {
            self.order_json.clear();
            put_json_str(f.order.name(), &mut self.order_json);
            self.order = Some(f.order);
        }
        self.key_after(MetaKey::ByteOrder);
        self.text.push_str(&self.order_json);
        self.end(MetaKey::ByteOrder);
        self.key_after(MetaKey::Message)
            .push_str(num.format(m.index));
        self.end(MetaKey::Message);
        self.key_after(MetaKey::Offset)
            .push_str(num.format(m.offset));
        self.end(MetaKey::Offset);
        self.key_after(MetaKey::Direction).push_str(if m.request {
            "\"request\""
        } else {
            "\"response\""
        });
        self.end(MetaKey::Direction);
    }

    /// Write `"key":` (after a `,` if it is not the first); the value is
    /// written into what this returns.
    fn key(&mut self, key: MetaKey) -> &mut String {
        let key = key.name();
        let t = &mut self.text;
        t.reserve(key.len() + 4);
        if !t.is_empty() {
            t.push(',');
        }
        t.push('"');
        t.push_str(key);
        t.push_str("\":");
        t
    }

    /// [`Meta::key`] with the text of the key after others given (`,"key":`,
    /// one piece).
    fn key_after(&mut self, key: MetaKey) -> &mut String {
        if self.text.is_empty() {
            return self.key(key);
        }
        self.text.push_str(key.after());
        &mut self.text
    }

    /// The entry `key` ends here.
    fn end(&mut self, key: MetaKey) {
        self.keys.push((key, self.text.len()));
    }

    /// Give every entry to `pass`.
    fn raw(&self, pass: &mut dyn Pass) {
        pass.raw_entries(&self.text, &self.keys);
    }
}

impl<W: Write> Output for JsonOutput<W> {
    fn frame(&mut self, _f: &FrameInfo<'_>) -> io::Result<()> {
        Ok(())
    }

    /// The walk is given the passes as they are (no `Tee`): the planner
    /// counts the errors ([`Pass::errors`]).
    fn counts_errors(&self) -> bool {
        true
    }

    fn walk_errors(&self) -> u64 {
        self.walk_errors
    }

    fn message(
        &mut self,
        f: &FrameInfo<'_>,
        m: &MsgInfo,
        walk: &mut dyn FnMut(&mut dyn Visitor),
    ) -> io::Result<()> {
        self.meta.fill(f, m);
        let meta = &self.meta;
        // The link header: walked, or its entry's text replayed.
        let link = f
            .link
            .as_ref()
            .map(|l| (l, self.links.entry(l, &mut self.scratch)));
        let mut sink = ChunkSink {
            buf: &mut self.buf,
            out: &mut self.out,
            error: &mut self.error,
        };
        // The errors of `walk` alone (not the link header's), as a `Tee`
        // around it would count them: the single pass only succeeds
        // without errors, the planner counts them (the other passes give
        // 0, every run gives the same errors).
        let mut errors = 0u64;
        self.scratch.write_into(
            &mut sink,
            &mut |p: &mut dyn Pass| {
                meta.raw(p);
                match &link {
                    Some((l, link::LinkEntry::Walk)) => l.walk(p.visitor()),
                    Some((_, link::LinkEntry::Text(name, json))) => p.raw_field(name, json),
                    None => {}
                }
                let before = p.errors();
                walk(p.visitor());
                errors = errors.max(p.errors().saturating_sub(before));
            },
            f.netlink_offset(),
        );
        self.walk_errors = errors;
        sink.put("\n");
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn problem(&mut self, _f: &FrameInfo<'_>, _p: &Problem) -> io::Result<()> {
        // Problems go to stderr only: stdout stays one object per message.
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.write_all(self.buf.bytes())?;
        self.buf.clear_within(4 * CHUNK);
        self.out.flush()
    }
}

#[path = "json_single.rs"]
mod single;

#[path = "json_buf.rs"]
mod json_buf;

#[path = "json_link.rs"]
mod link;

#[path = "json_top_keys.rs"]
mod top_keys;
#[path = "json_value_memo.rs"]
mod value_memo;
#[path = "json_words.rs"]
mod words;
use json_buf::JsonBuf;

#[cfg(test)]
#[path = "json_reference.rs"]
mod reference;

#[path = "json_escape.rs"]
mod escape;

#[path = "json_time.rs"]
mod time;

#[cfg(test)]
#[path = "json_addr.rs"]
mod addr;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Keys and strings with a byte of each class JSON escapes (quote,
    /// backslash, `\n`, other control bytes) at every place of every
    /// length up to 24 are escaped as `serde_json` escapes them; non-ASCII
    /// and 0x7f are written as they are. Fails if the plain-name fast path
    /// lets an escaped byte through.
    #[test]
    fn keys_and_strings_with_each_escaped_class_are_escaped() {
        for len in 1..24 {
            for at in 0..len {
                for c in ['"', '\\', '\n', '\0', '\u{1f}', '\u{8}', '\u{7f}', '\u{e9}'] {
                    let mut k: String = (0..len)
                        .map(|i| char::from(b'a' + (i % 26) as u8))
                        .collect();
                    k.replace_range(at..=at, &c.to_string());
                    let want = serde_json::to_string(&k).unwrap();
                    let mut got = String::new();
                    put_json_str(&k, &mut got);
                    assert_eq!(got, want, "{k:?}");
                    let mut key = String::new();
                    put_json_key(&k, &mut key);
                    assert_eq!(key, format!("{want}:"), "{k:?}");
                }
            }
        }
    }

    #[test]
    fn repeated_keys_become_arrays_and_indices_lists() {
        let mut v = JsonVisitor::new(vec![("frame".into(), "1".into())], 16);
        v.field("A", Value::U64(1));
        v.begin("cookie");
        v.field("0", Value::U64(5));
        v.field("1", Value::U64(6));
        v.end();
        v.field("A", Value::U64(2));
        v.begin("G");
        v.field("name", Value::Str(b"lo"));
        v.end();
        v.field("bad", Value::Str(b"\xff"));
        v.error(Error::short("x", 4, 2).at(4));
        let line = v.finish();
        assert_eq!(
            line,
            r#"{"frame":1,"A":[1,2],"cookie":[5,6],"G":{"name":"lo"},"bad":{"hex":"ff"},"errors":[{"offset":20,"reason":"x: truncated (needed 4, present 2)"}]}"#
        );
        let parsed: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(parsed["A"][1], 2);
    }

    #[test]
    fn enums_and_flags() {
        assert_eq!(
            value_json(&Value::Enum {
                raw: (-2i64) as u64,
                name: Some("ENOENT")
            }),
            r#"{"value":-2,"name":"ENOENT"}"#
        );
        assert_eq!(
            value_json(&Value::Enum {
                raw: 99,
                name: None
            }),
            r#"{"value":99,"name":null}"#
        );
        assert_eq!(
            value_json(&Value::Flags {
                raw: 0x1301,
                names: nlwire::netlink::NLM_F_GET_NAMES
            }),
            r#"{"value":4865,"names":["NLM_F_REQUEST","NLM_F_DUMP"],"unknown":4096}"#
        );
    }

    /// An IPv4 address is written as `Display` writes it, quoted: every
    /// octet value at every place (one to three digits), and a spread of
    /// whole addresses.
    #[test]
    fn ipv4_is_written_as_display_writes_it() {
        let mut addrs = Vec::new();
        for at in 0..4 {
            for o in 0..=255u8 {
                let mut b = [1u8, 22, 123, 4];
                b[at] = o;
                addrs.push(std::net::Ipv4Addr::from(b));
            }
        }
        let mut x = 0x9e37_79b9u32;
        for _ in 0..10_000 {
            x = x.wrapping_mul(0x0019_660d).wrapping_add(0x3c6e_f35f);
            addrs.push(std::net::Ipv4Addr::from(x));
        }
        addrs.extend([
            std::net::Ipv4Addr::UNSPECIFIED,
            std::net::Ipv4Addr::BROADCAST,
        ]);
        for a in addrs {
            assert_eq!(value_json(&Value::Ipv4(a)), format!("\"{a}\""));
        }
    }

    #[test]
    fn mac_is_the_ip_link_string() {
        let mac = [0x02, 0x42, 0xAC, 0x11, 0x00, 0x0a];
        assert_eq!(value_json(&Value::Mac(&mac)), "\"02:42:ac:11:00:0a\"");
        assert_eq!(
            reference::value_json(&Value::Mac(&mac)),
            "\"02:42:ac:11:00:0a\""
        );
        assert_eq!(value_json(&Value::Mac(&[])), "\"\"");
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut all: String = (0u8..0x80).map(char::from).collect();
        all.push_str("é€😀\u{7f}\u{2028}");
        for s in [all.as_str(), "", "plain", "\"\\", "a\u{0}b"] {
            assert_eq!(json_str(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    /// A top-level walk key equal to a metadata key is renamed: the object
    /// keeps the documented `"family"` (issue item 9).
    #[test]
    fn top_level_family_of_the_walk_is_renamed_sdiag_family() {
        let mut v = JsonVisitor::new(vec![("family".into(), "{\"value\":4}".into())], 0);
        v.field(
            "family",
            Value::Enum {
                raw: 0,
                name: Some("AF_UNSPEC"),
            },
        );
        v.begin("G");
        v.field("family", Value::U64(7));
        v.end();
        v.field("errors", Value::U64(1));
        assert_eq!(
            v.finish(),
            r#"{"family":{"value":4},"sdiag_family":{"value":0,"name":"AF_UNSPEC"},"G":{"family":7},"msg_errors":1}"#
        );
    }

    /// The CLI's way ([`JsonScratch::write_into`]: the single pass writes
    /// into the chunk buffer, after the messages before it, and is cut back
    /// when it gives up) prints what [`write_object`] prints, message after
    /// message, across write-outs of [`CHUNK`]s and a message longer than
    /// one.
    #[test]
    fn chunk_buffer_messages_print_as_write_object_prints_them() {
        type Walk = fn(&mut dyn Pass, u64);
        let walks: [Walk; 4] = [
            // Single pass.
            |p, i| {
                p.raw("frame", "1");
                p.visitor().begin_struct("S");
                p.visitor().field("a", Value::U64(i));
                p.visitor().field("b", Value::I64(-(i as i64)));
                p.visitor().end();
            },
            // Gives up after writing (a repeated key).
            |p, i| {
                p.visitor().field("x", Value::U64(i));
                p.visitor().begin_struct("S");
                p.visitor().field("y", Value::U64(i * 1000));
                p.visitor().end();
                p.visitor().field("x", Value::U64(2));
            },
            // Gives up after writing (an error).
            |p, i| {
                p.visitor().field("x", Value::U64(i));
                p.visitor().error(Error::short("x", 4, 2).at(4));
            },
            // Longer than a chunk: single pass.
            |p, i| {
                p.visitor().begin_struct("S");
                for k in 0..(CHUNK / 8) as u64 {
                    p.visitor().field(&format!("k{k}"), Value::U64(i + k));
                }
                p.visitor().end();
            },
        ];
        let mut out = Vec::new();
        let mut buf = JsonBuf::with_room(2 * CHUNK);
        let mut error = None;
        let mut scratch = JsonScratch::default();
        let mut want = String::new();
        for i in 0..300u64 {
            let walk = walks[(i % 4) as usize];
            let mut sink = ChunkSink {
                buf: &mut buf,
                out: &mut out,
                error: &mut error,
            };
            scratch.write_into(&mut sink, &mut |p: &mut dyn Pass| walk(p, i), 0);
            sink.put("\n");
            write_object(&mut want, &mut |p: &mut dyn Pass| walk(p, i), 0);
            want.push('\n');
        }
        out.extend_from_slice(buf.bytes());
        assert!(error.is_none());
        assert_eq!(scratch.passes, [150, 150]);
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }

    /// The metadata kept from message to message (the frame's entries are
    /// written once per frame) are what a fresh [`Meta`] writes: messages of
    /// one frame, then frames that differ in one thing each (number, time,
    /// family, file name, a file and none), with and without a frame number.
    #[test]
    fn metadata_kept_for_a_frame_are_what_a_fresh_fill_writes() {
        use crate::capture::time::Precision;
        use crate::capture::Timestamp;
        let t = |secs, nanos| Timestamp {
            secs,
            nanos,
            precision: Precision::Micro,
        };
        let frame = |file, number, time, family, order| FrameInfo {
            file,
            number,
            time,
            family,
            order,
            link: None,
            caplen: 20,
            origlen: 20,
        };
        use nlwire::swap::ByteOrder::{Big, Little};
        let frames = [
            frame(Some("a.pcap"), Some(1), Some(t(5, 1000)), 4, Little),
            frame(Some("a.pcap"), Some(1), Some(t(5, 1000)), 4, Big),
            frame(Some("a.pcap"), Some(2), Some(t(5, 1000)), 4, Little),
            frame(Some("a.pcap"), Some(2), Some(t(5, 2000)), 4, Little),
            frame(Some("a.pcap"), Some(2), Some(t(5, 2000)), 16, Little),
            frame(Some("b.pcap"), Some(2), Some(t(5, 2000)), 16, Little),
            frame(Some(""), Some(2), Some(t(5, 2000)), 16, Little),
            frame(None, Some(2), Some(t(5, 2000)), 16, Little),
            frame(None, Some(2), None, 16, Little),
            frame(None, None, None, 16, Little),
            frame(None, None, None, 0, Little),
            frame(Some("b.pcap"), Some(2), Some(t(5, 2000)), 16, Little),
        ];
        let mut kept = Meta::default();
        for (i, f) in frames.iter().enumerate() {
            for index in 1..4 {
                let m = MsgInfo {
                    index,
                    offset: 16 * index + i,
                    nlmsg_type: 20,
                    type_name: None,
                    sub_family: (index == 2)
                        .then(|| nlwire::family_ids::FamilyName::new(b"nl\"80211"))
                        .flatten(),
                    request: index == 1,
                    error: None,
                };
                kept.fill(f, &m);
                let mut fresh = Meta::default();
                fresh.fill(f, &m);
                assert_eq!(kept.text, fresh.text, "{f:?} {index}");
                assert_eq!(kept.keys, fresh.keys, "{f:?} {index}");
            }
        }
    }

    /// The scratch memory reused from message to message gives back what
    /// a message of millions of keys made it grow, and later messages
    /// print as a fresh scratch prints them.
    #[test]
    fn scratch_memory_is_given_back_after_a_huge_message() {
        let mut scratch = JsonScratch::default();
        let mut huge = String::new();
        scratch.write_object(
            &mut huge,
            &mut |p: &mut dyn Pass| {
                for i in 0..1_000_000u64 {
                    p.visitor().field(&format!("k{i}"), Value::U64(i));
                    p.visitor().field("UNKNOWN", Value::U64(i));
                }
            },
            0,
        );
        assert!(
            huge.starts_with("{\"k0\":0,\"UNKNOWN\":[0,1,"),
            "{}",
            &huge[..40]
        );
        assert!(scratch.planner.stack[0].keys.len() > 1_000_000);
        let small = |p: &mut dyn Pass| {
            p.raw("frame", "1");
            p.visitor().begin("G");
            p.visitor().field("0", Value::U64(5));
            p.visitor().end();
        };
        let mut got = String::new();
        scratch.write_object(&mut got, &mut { small }, 0);
        assert_eq!(got, r#"{"frame":1,"G":[5]}"#);
        assert!(scratch.planner.plan.capacity() <= 1 << 20);
        assert!(scratch
            .planner
            .stack
            .iter()
            .all(|o| o.keys.capacity() <= 4096));
        let mut fresh = String::new();
        write_object(&mut fresh, &mut { small }, 0);
        assert_eq!(got, fresh);
    }

    /// One event of a generated walk.
    #[derive(Clone, Debug)]
    enum Ev {
        Field(&'static str, u8, Vec<u8>),
        Begin(&'static str),
        End,
        Error(usize),
    }

    const KEYS: &[&str] = &[
        "A", "B", "0", "1", "2", "00", "UNKNOWN", "family", "errors", "frame",
    ];

    /// [`KEYS`] and more distinct names, of every length the key
    /// comparisons treat apart (to 40 bytes).
    const WIDE_KEYS: &[&str] = &[
        "A",
        "B",
        "0",
        "1",
        "00",
        "family",
        "errors",
        "frame",
        "sub_family",
        "sdiag_family",
        "msg_frame",
        "C",
        "nlmon",
        "abcdefg",
        "nlmsghdr",
        "inet_diag_msg",
        "INET_DIAG_INFO",
        "INET_DIAG_SKMEMINFO",
        "INET_DIAG_SKMEMINFO_LONGER_THAN_32",
        "INET_DIAG_SKMEMINFO_LONGER_THAN_32_",
        "D",
        "E",
    ];

    fn ev() -> impl Strategy<Value = Ev> {
        ev_with(KEYS)
    }

    fn ev_with(keys: &'static [&'static str]) -> impl Strategy<Value = Ev> {
        prop_oneof![
            4 => (prop::sample::select(keys), 0u8..7, prop::collection::vec(any::<u8>(), 0..4))
                .prop_map(|(k, t, b)| Ev::Field(k, t, b)),
            2 => prop::sample::select(keys).prop_map(Ev::Begin),
            2 => Just(Ev::End),
            1 => (0usize..100).prop_map(Ev::Error),
        ]
    }

    fn value(t: u8, b: &[u8]) -> Value<'_> {
        let n = b.iter().fold(0u64, |a, &x| a << 8 | u64::from(x));
        match t {
            0 => Value::U64(n),
            1 => Value::Str(b),
            2 => Value::Bytes(b),
            3 => Value::Enum {
                raw: n.wrapping_neg(),
                name: if n % 2 == 0 { Some("X\"Y") } else { None },
            },
            4 => Value::Flags {
                raw: n,
                names: nlwire::netlink::NLM_F_GET_NAMES,
            },
            5 => Value::Mac(b),
            _ => Value::Ipv4(std::net::Ipv4Addr::from(n as u32)),
        }
    }

    fn replay(events: &[Ev], v: &mut dyn Visitor) {
        for e in events {
            match e {
                Ev::Field(k, t, b) => v.field(k, value(*t, b)),
                Ev::Begin(k) => v.begin(k),
                Ev::End => v.end(),
                Ev::Error(o) => v.error(Error::short("x", 4, 2).at(*o)),
            }
        }
    }

    fn meta() -> Vec<(String, String)> {
        vec![
            ("frame".into(), "3".into()),
            ("family".into(), "{\"value\":4,\"name\":null}".into()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The streaming printer writes exactly what the tree printer wrote
        /// (repeated keys anywhere, C arrays, errors, unbalanced groups).
        #[test]
        fn streaming_matches_the_tree_printer(events in prop::collection::vec(ev(), 0..60)) {
            let mut old = reference::RefVisitor::new(meta(), 16);
            replay(&events, &mut old);
            let want = old.finish();

            // Through the replaying visitor.
            let mut v = JsonVisitor::new(meta(), 16);
            replay(&events, &mut v);
            prop_assert_eq!(&v.finish(), &want);

            // Through the passes, as the CLI runs them.
            let meta = meta();
            let mut got = String::new();
            write_object(
                &mut got,
                &mut |p: &mut dyn Pass| {
                    for (k, j) in &meta {
                        p.raw(k, j);
                    }
                    replay(&events, p.visitor());
                },
                16,
            );
            prop_assert_eq!(&got, &want);
            prop_assert!(serde_json::from_str::<serde_json::Value>(&got).is_ok(), "{}", got);
        }

        /// Messages printed one after the other with the same scratch (the
        /// single pass keeps the top-level keys it printed, see
        /// `json_top_keys.rs`) print as the tree printer prints each alone:
        /// variants of one walk (events left out, as attributes absent
        /// from some messages) and unrelated walks, with repeated keys,
        /// renamed keys and metadata given as one text or one by one.
        #[test]
        fn kept_top_keys_print_as_the_tree_printer(
            base in prop::collection::vec(ev_with(WIDE_KEYS), 0..40),
            messages in prop::collection::vec(
                (
                    prop::collection::vec(any::<bool>(), 40),
                    prop::option::of(prop::collection::vec(ev_with(WIDE_KEYS), 0..12)),
                    any::<bool>(),
                ),
                1..8,
            ),
        ) {
            let mut scratch = JsonScratch::default();
            let text = r#""frame":3,"sub_family":"x""#;
            let keys: &[(MetaKey, usize)] = &[(MetaKey::Frame, 9), (MetaKey::SubFamily, 26)];
            for (keep, other, whole) in &messages {
                let events: Vec<Ev> = match other {
                    Some(e) => e.clone(),
                    None => base.iter().zip(keep).filter(|(_, k)| **k).map(|(e, _)| e.clone()).collect(),
                };
                let meta = vec![
                    ("frame".to_string(), "3".to_string()),
                    ("sub_family".to_string(), "\"x\"".to_string()),
                ];
                let mut old = reference::RefVisitor::new(meta.clone(), 16);
                replay(&events, &mut old);
                let want = old.finish();
                let mut got = String::new();
                scratch.write_object(
                    &mut got,
                    &mut |p: &mut dyn Pass| {
                        if *whole {
                            p.raw_entries(text, keys);
                        } else {
                            for (k, j) in &meta {
                                p.raw(k, j);
                            }
                        }
                        replay(&events, p.visitor());
                    },
                    16,
                );
                prop_assert_eq!(&got, &want);
            }
        }

        #[test]
        fn values_match_the_tree_printer(t in 0u8..7, b in prop::collection::vec(any::<u8>(), 0..9)) {
            let v = value(t, &b);
            prop_assert_eq!(value_json(&v), reference::value_json(&v));
        }
    }

    /// The printer counts the errors of the walk itself (the decoder gives
    /// it the walk without a `Tee`): as many as the walk reported, however
    /// many passes ran it (the single pass gives up on errors, the planner
    /// counts, the printer and the error pass run it again), and 0 for a
    /// walk without errors after one with them.
    #[test]
    fn json_counts_the_errors_of_one_walk() {
        let mut out = JsonOutput::new(Vec::new());
        super::super::check_walk_error_counts(&mut out);
        out.finish().unwrap();
        let text = String::from_utf8(out.out).unwrap();
        assert_eq!(text.matches("\"reason\"").count(), 2, "{text}");
    }
}
