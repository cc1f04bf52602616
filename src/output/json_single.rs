//! The single pass of the JSON printer: most messages have no repeated key
//! and no C array whose shape would need a plan, so the object is printed
//! in one walk, into a buffer, on the assumption that every object is
//! plain. An object whose first key is `"0"` is taken as an array (its `{`
//! becomes `[`) for as long as its keys go on `"1"`, `"2"`, ….
//!
//! The walk gives up — and the caller runs the planned passes instead —
//! when that assumption breaks: a key occurs a second time in its object,
//! an array's keys stop counting, a key needs escaping, there are decode
//! errors (`"errors"` is printed by the planned path), or the message's
//! text would exceed [`CAP`] (bounded memory: the planned path streams).
//! What the single pass prints is then exactly what the plan would print.

use nlwire::netlink::Scope;
use nlwire::value::{Value, Visitor};
use nlwire::Error;

use super::json_buf::JsonBuf;
use super::top_keys::{TopKeys, TopMatch};
use super::value_memo::{key_of, ValueMemo};
use super::words::{half, word};
use super::{escape, for_each_flag, put_json_str, raw_each, top_key, write_value, MetaKey, Pass};

/// The most text the single pass holds for one message.
pub(super) const CAP: usize = 1 << 20;

/// One key of an open object: its hash and where its name is in the buffer.
#[derive(Debug, Clone, Copy)]
struct Key {
    hash: u64,
    start: usize,
    len: usize,
}

/// One open object.
#[derive(Debug, Clone, Copy)]
struct Frame {
    /// Offset of its `{` in the buffer.
    open: usize,
    entries: usize,
    /// Its first key was `"0"`: printed as an array.
    index: bool,
    /// Its keys are `keys[first_key..]`.
    first_key: usize,
    /// Opened by [`Visitor::begin_struct`]: its names are distinct and
    /// plain (checked by `#[nl_struct]`), so they are neither scanned nor
    /// kept.
    distinct: bool,
    /// One bit per key hash (top 10 bits): a key whose bit is clear is new.
    bloom: [u64; 16],
}

impl Frame {
    fn new(open: usize, first_key: usize, distinct: bool) -> Self {
        Frame {
            open,
            entries: 0,
            index: false,
            first_key,
            distinct,
            bloom: [0; 16],
        }
    }
}

/// The memory of the single pass, kept from message to message.
#[derive(Debug, Default)]
pub(super) struct SingleScratch {
    frames: Vec<Frame>,
    keys: Vec<Key>,
    memo: ValueMemo,
    top: TopKeys,
    general_at: Vec<usize>,
}

/// [`Single::short`] when the innermost object is not on the short way.
const NOT_SHORT: usize = 0;

/// The single pass over one message, written at the end of a buffer (the
/// output's own: what it wrote is cut off again when it gives up).
pub(super) struct Single<'a> {
    buf: &'a mut JsonBuf,
    /// Where the message's text starts in `buf`.
    base: usize,
    frames: &'a mut Vec<Frame>,
    keys: &'a mut Vec<Key>,
    memo: &'a mut ValueMemo,
    /// The top-level keys kept from the messages printed before.
    top: &'a mut TopKeys,
    /// Where this message is in `top`.
    top_at: TopMatch,
    /// For each key of the top-level object kept in `keys` (those that
    /// took the general check), the place in `top` reached when it came.
    general_at: &'a mut Vec<usize>,
    errors: bool,
    failed: bool,
    /// The short way of an entry is taken while `buf` is no longer than
    /// this: `base` + [`CAP`], 0 once the pass failed (one comparison for
    /// both).
    limit: usize,
    /// One more than the entries of the innermost object when it is a
    /// structure's group not taken as an array (its [`Frame::entries`] is
    /// then not kept up to date: see [`Single::sync`]); [`NOT_SHORT`] (0)
    /// otherwise. Above 1, the next entry is written after a comma with no
    /// more checks (most fields).
    short: usize,
    /// The walk's scope (selectors; the errors' offsets are not shown).
    scope: Scope,
}

impl SingleScratch {
    /// The values remembered (for the tests).
    #[cfg(test)]
    pub(super) fn memo_slots(&self) -> usize {
        self.memo.filled()
    }
}

impl<'a> Single<'a> {
    pub(super) fn new(s: &'a mut SingleScratch, buf: &'a mut JsonBuf) -> Self {
        // What a huge message grew is not kept.
        if s.keys.capacity() > 1 << 14 {
            s.keys = Vec::new();
        }
        if s.frames.capacity() > 256 {
            s.frames = Vec::new();
        }
        if s.general_at.capacity() > 1 << 14 {
            s.general_at = Vec::new();
        }
        s.frames.clear();
        s.keys.clear();
        s.general_at.clear();
        let base = buf.len();
        buf.byte(b'{');
        s.frames.push(Frame::new(base, 0, false));
        Single {
            buf,
            base,
            frames: &mut s.frames,
            keys: &mut s.keys,
            memo: &mut s.memo,
            top: &mut s.top,
            top_at: TopMatch::default(),
            general_at: &mut s.general_at,
            errors: false,
            failed: false,
            limit: base + CAP,
            short: NOT_SHORT,
            scope: Scope::new(),
        }
    }

    /// Close what is open; `true` if the buffer holds the message's object
    /// (otherwise what the pass wrote is cut off).
    pub(super) fn finish(mut self) -> bool {
        while self.frames.len() > 1 {
            self.close();
        }
        let ok = !self.failed && !self.errors;
        if ok {
            self.keep_top_keys();
        }
        self.close();
        if !ok {
            self.buf.truncate(self.base);
        }
        ok
    }

    fn fail(&mut self) {
        self.failed = true;
        self.limit = 0;
    }

    /// A walk entry (top-level names renamed).
    #[inline(always)]
    fn walk_entry(&mut self, name: &str) {
        if !self.struct_entry(name) {
            self.walk_entry_slow(name);
        }
    }

    /// [`Self::entry`]'s short way, inlined into the visitor's methods:
    /// a field of a structure's group (most keys) that is not its first
    /// key or does not start like an index. False, with nothing written,
    /// for every other entry.
    #[inline(always)]
    fn struct_entry(&mut self, name: &str) -> bool {
        let s = self.short;
        if s != NOT_SHORT && self.buf.len() <= self.limit && (s > 1 || !index_like(name)) {
            let n = s - 1;
            self.short = s + 1;
            self.buf.key(n > 0, name);
            return true;
        }
        false
    }

    /// Store the count of [`Single::short`] in its frame (before anything
    /// reads or replaces the innermost frame).
    #[inline(always)]
    fn sync(&mut self) {
        if self.short != NOT_SHORT {
            if let Some(f) = self.frames.last_mut() {
                f.entries = self.short - 1;
            }
            self.short = NOT_SHORT;
        }
    }

    /// Count the innermost frame's entries in [`Single::short`] if it is a
    /// structure's group not taken as an array.
    #[inline(always)]
    fn resume(&mut self) {
        self.short = match self.frames.last() {
            Some(f) if f.distinct && !f.index => f.entries + 1,
            _ => NOT_SHORT,
        };
    }

    /// [`Visitor::field`] but for its short way.
    #[inline(never)]
    fn field_slow(&mut self, name: &str, value: &Value<'_>) {
        self.walk_entry(name);
        if self.failed {
            return;
        }
        if let Some(key) = key_of(value) {
            // Enums and flags: their text once, then copied.
            if let Some(text) = self.memo.get(key) {
                self.buf.put_bytes(text);
                return;
            }
            let start = self.buf.len();
            put_value(value, self.buf, || {});
            self.memo
                .put(key, self.buf.bytes().get(start..).unwrap_or_default());
            return;
        }
        let mut too_long = false;
        put_value(value, self.buf, || too_long = true);
        if too_long {
            self.fail();
        }
    }

    /// [`Self::walk_entry`] for what [`Self::struct_entry`] does not take.
    #[inline(never)]
    fn walk_entry_slow(&mut self, name: &str) {
        if self.frames.len() == 1 {
            if !self.kept_top_entry(name) {
                self.top_walk_entry(name);
            }
        } else {
            self.entry(name);
        }
    }

    /// A top-level key of the walk that is not a kept one it may take:
    /// renamed if it is a metadata key's name, then checked (out of line:
    /// the kept keys' way then saves and restores few registers).
    #[inline(never)]
    fn top_walk_entry(&mut self, name: &str) {
        self.top_entry(&top_key(name));
    }

    /// A top-level key that is a kept one it may take (see [`TopKeys`]):
    /// written, neither hashed nor kept, as it is new. False, with nothing
    /// written, for any other key.
    #[inline(always)]
    fn kept_top_entry(&mut self, name: &str) -> bool {
        let [f] = self.frames.as_mut_slice() else {
            return false;
        };
        // The object is not an array (its first entry decided) and the key
        // is not its first: a comma before it.
        if f.entries > 0
            && f.entries < MAX_KEYS
            && !f.index
            && !self.failed
            && self.buf.len() - self.base <= CAP
            && self.top.take(&mut self.top_at, name.as_bytes())
        {
            f.entries += 1;
            self.buf.key(true, name);
            return true;
        }
        false
    }

    /// A top-level key (as written) that is not a kept one it may take:
    /// checked as any key, and against the kept keys the message matched.
    fn top_entry(&mut self, name: &str) {
        if self.top.repeats(&mut self.top_at, name.as_bytes()) {
            return self.fail();
        }
        let kept = self.keys.len();
        self.entry(name);
        if self.keys.len() > kept {
            self.general_at.push(self.top_at.place());
        }
    }

    /// Merge the top-level keys of the message just printed (its object
    /// without a repeated key) into the kept ones, for the next messages.
    fn keep_top_keys(&mut self) {
        match self.frames.as_slice() {
            [f] if !f.index => {}
            _ => return,
        }
        let text = self.buf.bytes();
        // Every key the top-level object holds took the general check.
        let general = self
            .keys
            .iter()
            .zip(self.general_at.iter())
            .map(|(k, &at)| (text.get(k.start..k.start + k.len).unwrap_or_default(), at));
        self.top.merge(&self.top_at, general);
    }

    /// Write what comes before the value of the entry `name` of the
    /// innermost object.
    fn entry(&mut self, name: &str) {
        self.sync();
        self.entry_counted(name);
        self.resume();
    }

    /// [`Self::entry`] with the innermost frame's count up to date.
    #[inline(always)]
    fn entry_counted(&mut self, name: &str) {
        if self.failed {
            return;
        }
        if self.buf.len() - self.base > CAP {
            return self.fail();
        }
        let Some(f) = self.frames.last_mut() else {
            return self.fail();
        };
        let n = f.entries;
        f.entries += 1;
        if n == 0 || f.index {
            if n == 0 && f.distinct && !index_like(name) {
                // A structure's first field: plain, not compared, not kept.
                self.buf.key(false, name);
                return;
            }
            return self.first_or_index(name, n);
        }
        if f.distinct {
            self.buf.key(true, name);
            return;
        }
        if n >= MAX_KEYS {
            return self.fail();
        }
        let (hash, plain) = scan(name.as_bytes());
        if !plain {
            return self.fail();
        }
        let bit = (hash >> 54) as usize;
        let (word, mask) = (bit >> 6, 1u64 << (bit & 63));
        let first_key = f.first_key;
        let Some(w) = f.bloom.get_mut(word) else {
            return self.fail();
        };
        if *w & mask != 0 && seen(self.keys, self.buf.bytes(), first_key, hash, name) {
            return self.fail();
        }
        *w |= mask;
        self.push_key(true, name, hash);
    }

    /// [`Self::entry`] for the first key of an object (which decides
    /// whether it is an array) and for the keys of an array.
    #[inline(never)]
    fn first_or_index(&mut self, name: &str, n: usize) {
        let Some(f) = self.frames.last_mut() else {
            return self.fail();
        };
        if n == 0 && is_index(name, 0) {
            f.index = true;
            self.buf.set(f.open, b'[');
            return;
        }
        if f.index {
            if !is_index(name, n) {
                return self.fail();
            }
            self.buf.byte(b',');
            return;
        }
        // The first key of an object: nothing to compare it with.
        let (hash, plain) = scan(name.as_bytes());
        if !plain {
            return self.fail();
        }
        let bit = (hash >> 54) as usize;
        if let Some(w) = f.bloom.get_mut(bit >> 6) {
            *w |= 1u64 << (bit & 63);
        }
        self.push_key(false, name, hash);
    }

    /// Write `,"name":` (`"name":` if not `comma`) and remember the key.
    #[inline(always)]
    fn push_key(&mut self, comma: bool, name: &str, hash: u64) {
        let start = self.buf.key(comma, name);
        self.keys.push(Key {
            hash,
            start,
            len: name.len(),
        });
    }

    /// Open the group `name` (`distinct`: a structure's own fields).
    #[inline(always)]
    fn open(&mut self, name: &str, distinct: bool) {
        self.walk_entry(name);
        if self.failed {
            return;
        }
        let open = self.buf.len();
        self.buf.byte(b'{');
        let first_key = self.keys.len();
        self.sync();
        self.frames.push(Frame::new(open, first_key, distinct));
        self.short = if distinct { 1 } else { NOT_SHORT };
    }

    fn close(&mut self) {
        self.sync();
        // The two fields read, the frame dropped (not moved out whole).
        let Some(&Frame {
            index, first_key, ..
        }) = self.frames.last()
        else {
            return;
        };
        self.frames.truncate(self.frames.len() - 1);
        self.buf.byte(if index { b']' } else { b'}' });
        self.keys.truncate(first_key);
        self.resume();
    }
}

/// `value` as [`write_value`] writes it; the values most fields are
/// (numbers, and enums whose name needs no escape) without its general
/// match and one reservation each. `too_long` is called instead of writing
/// a value that could not fit (bytes as hex, strings escaped).
fn put_value(value: &Value<'_>, buf: &mut JsonBuf, too_long: impl FnOnce()) {
    match *value {
        Value::U64(n) => buf.u64(n),
        Value::I64(n) => buf.i64(n),
        Value::Enum {
            raw,
            name: Some(name),
        } if escape::plain(name.as_bytes()) => {
            buf.put_bytes(b"{\"value\":");
            put_enum_number(raw, buf);
            buf.put_bytes(b",\"name\":");
            buf.quoted(name.as_bytes());
            buf.byte(b'}');
        }
        Value::Flags { raw, names } => put_flags(raw, names, buf),
        // ASCII and nothing to escape: as it is, quoted.
        Value::Str(b) if b.len() <= CAP / 8 && b.is_ascii() && escape::plain(b) => buf.quoted(b),
        Value::Bytes(b) | Value::Str(b) | Value::Mac(b) if b.len() > CAP / 8 => too_long(),
        _ => write_value(value, buf),
    }
}

/// An enum's raw value as [`super::enum_digits`] writes it.
#[inline(always)]
fn put_enum_number(raw: u64, buf: &mut JsonBuf) {
    if raw > i64::MAX as u64 {
        buf.i64(raw as i64);
    } else {
        buf.u64(raw);
    }
}

/// A flags value as [`write_value`] writes it, the names that need no
/// escape stored as blocks.
#[inline(never)]
fn put_flags(raw: u64, names: &[(u64, &'static str)], buf: &mut JsonBuf) {
    buf.put_bytes(b"{\"value\":");
    buf.u64(raw);
    buf.put_bytes(b",\"names\":[");
    let mut first = true;
    let rest = for_each_flag(raw, names, |n| {
        if !first {
            buf.byte(b',');
        }
        first = false;
        if n.is_ascii() && escape::plain(n.as_bytes()) {
            buf.quoted(n.as_bytes());
        } else {
            put_json_str(n, buf);
        }
    });
    buf.byte(b']');
    if rest != 0 {
        buf.put_bytes(b",\"unknown\":");
        buf.u64(rest);
    }
    buf.byte(b'}');
}

/// `name` is one of `keys[first..]` (written in `buf`); called when the
/// filter says it may be (rarely).
#[cold]
#[inline(never)]
fn seen(keys: &[Key], buf: &[u8], first: usize, hash: u64, name: &str) -> bool {
    keys.get(first..)
        .unwrap_or_default()
        .iter()
        .any(|k| k.hash == hash && buf.get(k.start..k.start + k.len) == Some(name.as_bytes()))
}

/// `name` is the array index `n` (as the plan decides it).
fn is_index(name: &str, n: usize) -> bool {
    // Most names start with a letter: no parse.
    index_like(name) && name.parse::<usize>() == Ok(n)
}

/// `name` starts as an array index may (a digit or `+`).
#[inline(always)]
fn index_like(name: &str) -> bool {
    name.as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_digit() || *b == b'+')
}

/// An object of more keys than this is left to the planned passes (the
/// check for a repeated key would no longer be cheap).
const MAX_KEYS: usize = 512;

/// A hash of `name` (for the check of repeated keys; equal hashes are
/// compared by name) and whether it is written as it is: no byte that
/// [`super::put_json_str`] escapes (`"`, `\\`, control characters). Eight
/// bytes at a time.
#[inline(always)]
fn scan(name: &[u8]) -> (u64, bool) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    /// Bytes that are zero in `x` (any of them: its high bit).
    fn zero(x: u64) -> u64 {
        x.wrapping_sub(ONES) & !x & (ONES * 0x80)
    }
    /// Bytes of `w` that are escaped.
    fn special(w: u64) -> u64 {
        (w.wrapping_sub(ONES * 0x20) & !w & (ONES * 0x80))
            | zero(w ^ (ONES * u64::from(b'"')))
            | zero(w ^ (ONES * u64::from(b'\\')))
    }
    fn quarter(b: &[u8], at: usize) -> u64 {
        let mut w = [0u8; 2];
        if let Some(s) = b.get(at..at + 2) {
            w.copy_from_slice(s);
        }
        u64::from(u16::from_le_bytes(w))
    }
    let n = name.len();
    let mut h = (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    // Every word read holds bytes of `name` only (overlapping reads for
    // the end), so the escape check is exact; with the length, the words
    // determine the name.
    let last = match n {
        0 => u64::from(b'a') * ONES,
        1 => u64::from(name.first().copied().unwrap_or(0)) * ONES,
        2..=3 => {
            let x = quarter(name, 0) | quarter(name, n - 2) << 16;
            x | x << 32
        }
        4..=8 => u64::from(half(name, 0)) | u64::from(half(name, n - 4)) << 32,
        _ => {
            let mut at = 0;
            let mut bad = 0;
            while at + 8 < n {
                let w = word(name, at);
                bad |= special(w);
                h = (h ^ w).wrapping_mul(0xff51_afd7_ed55_8ccd).rotate_left(29);
                at += 8;
            }
            if bad != 0 {
                return (h, false);
            }
            word(name, n - 8)
        }
    };
    let h = (h ^ last).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    (h ^ (h >> 29), special(last) == 0)
}

impl Visitor for Single<'_> {
    /// A number in a structure's group (most fields: `tcp_info`'s
    /// counters) inline; everything else out of line, so that the common
    /// case saves and restores few registers.
    #[inline]
    fn field(&mut self, name: &str, value: Value<'_>) {
        if let Value::U64(n) = value {
            // Not the group's first field: a comma, no array to decide.
            let s = self.short;
            if s > 1 && self.buf.len() <= self.limit {
                self.short = s + 1;
                self.buf.next_u64_entry(name, n);
                return;
            }
            if self.struct_entry(name) {
                self.buf.u64(n);
                return;
            }
        }
        self.field_slow(name, &value);
    }
    fn begin(&mut self, name: &str) {
        self.open(name, false);
    }
    fn begin_struct(&mut self, name: &str) {
        self.open(name, true);
    }
    fn end(&mut self) {
        if self.frames.len() > 1 && !self.failed {
            self.close();
        }
    }
    fn depth(&self) -> usize {
        self.frames.len().saturating_sub(1)
    }
    fn error(&mut self, _: Error) {
        self.errors = true;
    }
    fn scope(&mut self) -> Option<&mut Scope> {
        Some(&mut self.scope)
    }
}

impl Pass for Single<'_> {
    fn raw(&mut self, name: &str, json: &str) {
        if self.frames.len() != 1 {
            self.entry(name);
        } else if !self.kept_top_entry(name) {
            self.top_entry(name);
        }
        if !self.failed {
            self.buf.put_bytes(json.as_bytes());
        }
    }
    fn raw_field(&mut self, name: &str, json: &str) {
        self.walk_entry(name);
        if !self.failed {
            self.buf.put_bytes(json.as_bytes());
        }
    }
    fn visitor(&mut self) -> &mut dyn Visitor {
        self
    }
    /// The metadata at the start of the object: the text copied at once.
    /// The keys are neither compared nor kept: they are distinct (checked)
    /// and no key of the walk is one of them (see [`Pass::raw_entries`]).
    fn raw_entries(&mut self, text: &str, keys: &[(MetaKey, usize)]) {
        self.sync();
        self.raw_entries_counted(text, keys);
        self.resume();
    }
}

impl Single<'_> {
    /// [`Pass::raw_entries`] with the innermost frame's count up to date.
    fn raw_entries_counted(&mut self, text: &str, keys: &[(MetaKey, usize)]) {
        let fresh = match self.frames.as_slice() {
            [f] => f.entries == 0 && !f.index,
            _ => false,
        };
        let mut set = 0u16;
        let mut once = true;
        for &(k, _) in keys {
            once &= set & k.bit() == 0;
            set |= k.bit();
        }
        if !fresh || self.failed || !once {
            return raw_each(self, text, keys);
        }
        // The text of the entries only (what `raw` would be given).
        let len = keys.last().map_or(0, |&(_, end)| end);
        self.buf
            .put_bytes(text.get(..len).unwrap_or_default().as_bytes());
        match self.frames.last_mut() {
            Some(f) => f.entries = keys.len(),
            None => self.fail(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{json_str, JsonScratch, Pass};
    use super::*;

    /// The escape check of [`scan`] (eight bytes at a time, overlapping
    /// reads at the end) says "plain" exactly when `put_json_str` writes
    /// the name as it is, for every length up to 40 and every escaped
    /// byte at every place; equal hashes for distinct names are only
    /// chance.
    #[test]
    fn key_scan_finds_every_byte_that_is_escaped() {
        for len in 0..40 {
            let base: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            let (h, plain) = scan(base.as_bytes());
            assert!(plain, "{base:?}");
            assert_eq!(json_str(&base), format!("\"{base}\""));
            for at in 0..len {
                for c in [0u8, 0x1f, b'"', b'\\', b' ', b'~', 0x7f] {
                    let mut b = base.clone().into_bytes();
                    b[at] = c;
                    let s = String::from_utf8(b).unwrap();
                    let escaped = json_str(&s) != format!("\"{s}\"");
                    let (h2, plain) = scan(s.as_bytes());
                    assert_eq!(plain, !escaped, "{s:?}");
                    if c != base.as_bytes()[at] {
                        assert_ne!(h, h2, "{s:?}");
                    }
                }
            }
        }
        let s = "tcpi_rcv_ssthresh\u{e9}";
        assert_eq!(scan(s.as_bytes()).1, json_str(s) == format!("\"{s}\""));
    }

    /// The short ways of [`put_value`] write what [`write_value`] writes:
    /// numbers at their limits, enums of negative (widened errno) and
    /// unsigned values, with a plain name, an escaped name and no name.
    #[test]
    fn fast_values_are_written_as_write_value_writes_them() {
        let values = [
            Value::U64(0),
            Value::U64(7),
            Value::U64(9),
            Value::U64(10),
            Value::U64(42),
            Value::U64(99),
            Value::U64(100),
            Value::U64(u64::MAX),
            Value::I64(i64::MIN),
            Value::I64(-1),
            Value::Bool(true),
            Value::Enum {
                raw: 1,
                name: Some("TCP_ESTABLISHED"),
            },
            Value::Enum {
                raw: (-2i64) as u64,
                name: Some("ENOENT"),
            },
            Value::Enum {
                raw: u64::MAX >> 1,
                name: Some("a\"b\n"),
            },
            Value::Enum { raw: 7, name: None },
            Value::Enum {
                raw: 1 << 63,
                name: Some("BIG"),
            },
            Value::Str(b"x\ty"),
            Value::Str(b""),
            Value::Str(b"cubic"),
            Value::Str("bbr\u{e9}".as_bytes()),
            Value::Str(&[0xff, b'a']),
            Value::Str(&[b'a'; 40]),
            Value::Flags {
                raw: 0b1011 | 1 << 40,
                names: &[(0b11, "AB"), (1, "A"), (0b1000, "D\"q"), (1 << 9, "N")],
            },
            Value::Flags {
                raw: 0b11,
                names: &[(1, "A"), (0b10, "B\u{e9}")],
            },
            Value::Flags {
                raw: 0,
                names: &[(1, "A")],
            },
        ];
        for v in values {
            let mut want = String::new();
            write_value(&v, &mut want);
            let mut got = JsonBuf::default();
            got.put_bytes(b"k:");
            put_value(&v, &mut got, || panic!("{v:?} is short"));
            assert_eq!(got.bytes(), format!("k:{want}").as_bytes(), "{v:?}");
        }
        let long = vec![0u8; CAP / 8 + 1];
        let mut refused = false;
        put_value(&Value::Bytes(&long), &mut JsonBuf::default(), || {
            refused = true
        });
        assert!(refused);
    }

    /// Messages whose objects are all plain are printed by the single
    /// pass; a repeated key, keys that stop counting, an escaped key or a
    /// decode error leave the message to the planned passes, which print
    /// what they always printed.
    #[test]
    fn single_pass_prints_plain_messages_and_leaves_the_rest_to_the_plan() {
        type Case = (fn(&mut dyn Pass), &'static str, bool);
        let cases: [Case; 6] = [
            (
                |p| {
                    p.raw("frame", "1");
                    let v = p.visitor();
                    v.field("a", Value::U64(1));
                    v.begin("G");
                    v.field("0", Value::U64(5));
                    v.field("1", Value::U64(6));
                    v.end();
                    v.begin("H");
                    v.end();
                    v.field("family", Value::Bool(true));
                },
                r#"{"frame":1,"a":1,"G":[5,6],"H":{},"sdiag_family":true}"#,
                true,
            ),
            (
                |p| {
                    let v = p.visitor();
                    v.field("a", Value::U64(1));
                    v.field("b", Value::U64(2));
                    v.field("a", Value::U64(3));
                },
                r#"{"a":[1,3],"b":2}"#,
                false,
            ),
            (
                |p| {
                    let v = p.visitor();
                    v.begin("G");
                    v.field("0", Value::U64(5));
                    v.field("2", Value::U64(6));
                    v.end();
                },
                r#"{"G":{"0":5,"2":6}}"#,
                false,
            ),
            (
                |p| {
                    p.visitor().field("a\"b", Value::U64(1));
                },
                r#"{"a\"b":1}"#,
                false,
            ),
            (
                |p| {
                    let v = p.visitor();
                    v.field("a", Value::U64(1));
                    v.error(Error::short("x", 4, 2).at(4));
                },
                r#"{"a":1,"errors":[{"offset":4,"reason":"x: truncated (needed 4, present 2)"}]}"#,
                false,
            ),
            (
                // Unbalanced: groups left open are closed.
                |p| {
                    let v = p.visitor();
                    v.begin("G");
                    v.begin("H");
                    v.field("x", Value::U64(1));
                },
                r#"{"G":{"H":{"x":1}}}"#,
                true,
            ),
        ];
        for (source, want, single) in cases {
            let mut scratch = JsonScratch::default();
            let mut got = String::new();
            scratch.write_object(&mut got, &mut |p: &mut dyn Pass| source(p), 0);
            assert_eq!(got, want);
            assert_eq!(
                scratch.passes,
                [u64::from(single), u64::from(!single)],
                "{want}"
            );
        }
    }

    /// A group opened by `begin_struct` (a structure's own fields: names
    /// neither scanned nor kept) prints what the same walk with `begin`
    /// prints, by the single pass: first keys, later keys, nested groups
    /// (whose repeated keys still leave the message to the plan) and keys
    /// after it that repeat names of its fields.
    #[test]
    fn struct_groups_print_as_plain_groups() {
        type Walk = fn(&mut dyn Visitor, fn(&mut dyn Visitor, &str));
        let walks: [(Walk, bool); 5] = [
            (
                // The count of a group goes on after the groups inside it
                // (an array, an empty one, a plain one) close.
                |v, open| {
                    open(v, "S");
                    v.field("a", Value::U64(1));
                    open(v, "T");
                    v.field("0", Value::U64(2));
                    v.field("1", Value::U64(3));
                    v.end();
                    v.field("b", Value::Str(b"x"));
                    open(v, "U");
                    v.end();
                    v.begin("P");
                    v.field("p", Value::U64(4));
                    v.end();
                    v.field("c", Value::U64(5));
                    v.end();
                    v.field("d", Value::U64(6));
                },
                true,
            ),
            (
                |v, open| {
                    v.field("a", Value::U64(1));
                    open(v, "S");
                    v.field("a", Value::U64(2));
                    v.field("tcpi_rtt", Value::U64(300));
                    open(v, "N");
                    v.field("a", Value::U64(3));
                    v.end();
                    v.field("b", Value::I64(-4));
                    v.end();
                    v.field("b", Value::U64(5));
                },
                true,
            ),
            (
                |v, open| {
                    open(v, "S");
                    v.field("x", Value::U64(1));
                    v.begin("N");
                    v.field("y", Value::U64(2));
                    v.field("y", Value::U64(3));
                    v.end();
                    v.end();
                },
                false,
            ),
            (
                |v, open| {
                    open(v, "S");
                    v.end();
                    open(v, "T");
                    v.field("x", Value::U64(1));
                    v.end();
                    v.field("S", Value::U64(2));
                },
                false,
            ),
            (
                // A first key that starts like an index still makes an
                // array (the general path decides).
                |v, open| {
                    open(v, "A");
                    v.field("0", Value::U64(1));
                    v.field("1", Value::U64(2));
                    v.end();
                    open(v, "B");
                    v.field("+0", Value::U64(3));
                    v.end();
                },
                true,
            ),
        ];
        for (walk, single) in walks {
            let print = |open: fn(&mut dyn Visitor, &str)| {
                let mut scratch = JsonScratch::default();
                let mut got = String::new();
                scratch.write_object(&mut got, &mut |p: &mut dyn Pass| walk(p.visitor(), open), 0);
                (got, scratch.passes)
            };
            let plain = print(|v, n| v.begin(n));
            let structs = print(|v, n| v.begin_struct(n));
            assert_eq!(structs, plain);
            assert_eq!(
                plain.1,
                [u64::from(single), u64::from(!single)],
                "{}",
                plain.0
            );
        }
    }

    /// Metadata given as one piece of text (`raw_entries`) print as the
    /// same entries given one by one (`raw`), by the single pass (copied
    /// whole when they come first, each once; checked one by one after a
    /// walk's key) or, when a key repeats, by the plan. A walk's top-level
    /// key that is a metadata key's name is renamed (`msg_<name>`,
    /// `sdiag_family`), the same by both ways, so it never repeats one of
    /// them.
    #[test]
    fn metadata_text_prints_as_its_entries() {
        use MetaKey::{Frame, Message, SubFamily};
        let text = r#""frame":7,"sub_family":"x","message":0"#;
        let keys: &[(MetaKey, usize)] = &[(Frame, 9), (SubFamily, 26), (Message, 38)];
        let twice: &[(MetaKey, usize)] = &[(Frame, 9), (Frame, 26), (Message, 38)];
        type Keys<'k> = &'k [(MetaKey, usize)];
        type Walk = fn(&mut dyn Pass, &str, Keys<'_>);
        let walks: [(Walk, Keys<'_>, bool); 6] = [
            (|p, t, k| p.raw_entries(t, k), keys, true),
            (
                |p, t, k| {
                    p.raw_entries(t, k);
                    p.visitor().field("b", Value::U64(1));
                    for m in MetaKey::ALL {
                        p.visitor().field(m.name(), Value::U64(2));
                    }
                    p.visitor().field("errors", Value::U64(3));
                },
                keys,
                true,
            ),
            (
                |p, t, k| {
                    p.visitor().field("a", Value::U64(1));
                    p.raw_entries(t, k);
                },
                keys,
                true,
            ),
            (|p, t, k| p.raw_entries(t, &k[..0]), keys, true),
            (|p, t, k| p.raw_entries(t, k), twice, false),
            (
                |p, t, k| {
                    p.raw_entries(t, k);
                    p.visitor().field("b", Value::U64(1));
                    p.visitor().field("b", Value::U64(2));
                },
                keys,
                false,
            ),
        ];
        for (walk, keys, single) in walks {
            let mut scratch = JsonScratch::default();
            let mut got = String::new();
            scratch.write_object(&mut got, &mut |p: &mut dyn Pass| walk(p, text, keys), 0);
            assert_eq!(
                scratch.passes,
                [u64::from(single), u64::from(!single)],
                "{got}"
            );
            // The same entries one by one, through the planned passes too.
            let each = |p: &mut dyn Pass, t: &str, k: &[(MetaKey, usize)]| {
                struct Each<'p>(&'p mut dyn Pass);
                impl Pass for Each<'_> {
                    fn raw(&mut self, name: &str, json: &str) {
                        self.0.raw(name, json);
                    }
                    fn raw_field(&mut self, name: &str, json: &str) {
                        self.0.raw_field(name, json);
                    }
                    fn visitor(&mut self) -> &mut dyn Visitor {
                        self.0.visitor()
                    }
                }
                walk(&mut Each(p), t, k);
            };
            let mut want = String::new();
            scratch.write_object(&mut want, &mut |p: &mut dyn Pass| each(p, text, keys), 0);
            assert_eq!(got, want);
        }
        let mut scratch = JsonScratch::default();
        let mut got = String::new();
        scratch.write_object(
            &mut got,
            &mut |p: &mut dyn Pass| {
                p.raw_entries(text, keys);
                p.visitor().field("family", Value::U64(2));
                p.visitor().field("time", Value::U64(3));
            },
            0,
        );
        assert_eq!(got, format!("{{{text},\"sdiag_family\":2,\"msg_time\":3}}"));
    }

    /// An object of more than [`MAX_KEYS`] keys, and a message longer than
    /// [`CAP`], go to the planned passes (bounded work and memory).
    #[test]
    fn huge_objects_go_to_the_planned_passes() {
        let mut scratch = JsonScratch::default();
        let mut names = Vec::new();
        for i in 0..MAX_KEYS + 1 {
            names.push(format!("k{i}"));
        }
        let mut got = String::new();
        scratch.write_object(
            &mut got,
            &mut |p: &mut dyn Pass| {
                for (i, k) in names.iter().enumerate() {
                    p.visitor().field(k, Value::U64(i as u64));
                }
            },
            0,
        );
        assert!(got.ends_with(&format!(",\"k{MAX_KEYS}\":{MAX_KEYS}}}")));
        assert_eq!(scratch.passes, [0, 1]);
        let long = vec![0u8; CAP];
        let mut got = String::new();
        scratch.write_object(
            &mut got,
            &mut |p: &mut dyn Pass| p.visitor().field("b", Value::Bytes(&long)),
            0,
        );
        assert_eq!(got.len(), 2 * CAP + 8);
        assert_eq!(scratch.passes, [0, 2]);
        assert!(scratch.buf.room() <= 2 * CAP);
    }
}
