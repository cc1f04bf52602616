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

use nlwire::value::{Value, Visitor};
use nlwire::Error;

use super::{name_hash, top_key, write_value, Pass};

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
    /// One bit per key hash (top 8 bits): a key whose bit is clear is new.
    bloom: [u64; 4],
}

impl Frame {
    fn new(open: usize, first_key: usize) -> Self {
        Frame {
            open,
            entries: 0,
            index: false,
            first_key,
            bloom: [0; 4],
        }
    }
}

/// The memory of the single pass, kept from message to message.
#[derive(Debug, Default)]
pub(super) struct SingleScratch {
    pub(super) buf: String,
    frames: Vec<Frame>,
    keys: Vec<Key>,
}

/// The single pass over one message.
pub(super) struct Single<'a> {
    buf: &'a mut String,
    frames: &'a mut Vec<Frame>,
    keys: &'a mut Vec<Key>,
    errors: bool,
    failed: bool,
}

impl<'a> Single<'a> {
    pub(super) fn new(s: &'a mut SingleScratch) -> Self {
        // What a huge message grew is not kept.
        if s.keys.capacity() > 1 << 14 {
            s.keys = Vec::new();
        }
        if s.frames.capacity() > 256 {
            s.frames = Vec::new();
        }
        if s.buf.capacity() > 2 * CAP {
            s.buf = String::new();
        }
        s.buf.clear();
        s.frames.clear();
        s.keys.clear();
        s.buf.push('{');
        s.frames.push(Frame::new(0, 0));
        Single {
            buf: &mut s.buf,
            frames: &mut s.frames,
            keys: &mut s.keys,
            errors: false,
            failed: false,
        }
    }

    /// Close what is open; `true` if the buffer holds the message's object.
    pub(super) fn finish(mut self) -> bool {
        while self.frames.len() > 1 {
            self.close();
        }
        self.close();
        !self.failed && !self.errors
    }

    fn fail(&mut self) {
        self.failed = true;
    }

    /// A walk entry (top-level names renamed).
    fn walk_entry(&mut self, name: &str) {
        if self.frames.len() == 1 {
            self.entry(&top_key(name));
        } else {
            self.entry(name);
        }
    }

    /// Write what comes before the value of the entry `name` of the
    /// innermost object.
    fn entry(&mut self, name: &str) {
        if self.failed {
            return;
        }
        if self.buf.len() > CAP {
            return self.fail();
        }
        let Some(f) = self.frames.last_mut() else {
            return self.fail();
        };
        let n = f.entries;
        f.entries += 1;
        if n == 0 && is_index(name, 0) {
            f.index = true;
            self.buf.replace_range(f.open..=f.open, "[");
            return;
        }
        if f.index {
            if !is_index(name, n) {
                return self.fail();
            }
            self.buf.push(',');
            return;
        }
        let hash = name_hash(name);
        let bit = (hash >> 56) as usize;
        let (word, mask) = (bit >> 6, 1u64 << (bit & 63));
        if f.bloom[word] & mask != 0 {
            let buf = &*self.buf;
            let seen = self
                .keys
                .get(f.first_key..)
                .unwrap_or_default()
                .iter()
                .any(|k| k.hash == hash && buf.get(k.start..k.start + k.len) == Some(name));
            if seen {
                return self.fail();
            }
        }
        f.bloom[word] |= mask;
        if needs_escape(name) {
            return self.fail();
        }
        if n > 0 {
            self.buf.push_str(",\"");
        } else {
            self.buf.push('"');
        }
        let start = self.buf.len();
        self.buf.push_str(name);
        self.buf.push_str("\":");
        self.keys.push(Key {
            hash,
            start,
            len: name.len(),
        });
    }

    fn close(&mut self) {
        let Some(f) = self.frames.pop() else {
            return;
        };
        self.buf.push(if f.index { ']' } else { '}' });
        self.keys.truncate(f.first_key);
    }
}

/// `name` is the array index `n` (as the plan decides it).
fn is_index(name: &str, n: usize) -> bool {
    // Most names start with a letter: no parse.
    name.as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_digit() || *b == b'+')
        && name.parse::<usize>() == Ok(n)
}

/// `name` would be escaped by [`super::put_json_str`].
fn needs_escape(name: &str) -> bool {
    name.bytes()
        .fold(false, |a, b| a | (b < 0x20) | (b == b'"') | (b == b'\\'))
}

impl Visitor for Single<'_> {
    fn field(&mut self, name: &str, value: Value<'_>) {
        self.walk_entry(name);
        if self.failed {
            return;
        }
        // One value may be long (bytes as hex, strings escaped): it must fit.
        let long = match value {
            Value::Bytes(b) | Value::Str(b) | Value::Mac(b) => b.len(),
            _ => 0,
        };
        if long > CAP / 8 {
            return self.fail();
        }
        write_value(&value, self.buf);
    }
    fn begin(&mut self, name: &str) {
        self.walk_entry(name);
        if self.failed {
            return;
        }
        let open = self.buf.len();
        self.buf.push('{');
        let first_key = self.keys.len();
        self.frames.push(Frame::new(open, first_key));
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
}

impl Pass for Single<'_> {
    fn raw(&mut self, name: &str, json: &str) {
        self.entry(name);
        if !self.failed {
            self.buf.push_str(json);
        }
    }
    fn raw_field(&mut self, name: &str, json: &str) {
        self.walk_entry(name);
        if !self.failed {
            self.buf.push_str(json);
        }
    }
    fn visitor(&mut self) -> &mut dyn Visitor {
        self
    }
}
