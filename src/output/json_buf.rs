//! The JSON printer's output buffer: bytes kept initialised past a cursor,
//! so that a key (`,"name":`) or a number is stored after one room check as
//! fixed-size pieces (no `memcpy` call, no capacity check per piece). The
//! single pass writes the message straight into it; the buffer is written
//! out by the caller (see `json.rs`, `ChunkSink`).

use super::super::line_writer::copy_small;
use super::super::numfmt::digits_before;
use super::super::Sink;

/// The longest name [`JsonBuf::key`] stores by the short way.
const SHORT_NAME: usize = 32;
/// The room the short way of a key needs: `,"`, the name, `":`.
const KEY_ROOM: usize = SHORT_NAME + 4;
/// The room the short way of a number needs (a sign and 20 digits fit).
const NUM_ROOM: usize = 24;
/// The least the buffer grows to.
const MIN_GROW: usize = 4096;

/// Bytes `..pos` are the text; bytes past it are room (any content).
#[derive(Debug, Default)]
pub(super) struct JsonBuf {
    bytes: Vec<u8>,
    pos: usize,
}

impl JsonBuf {
    /// An empty buffer with room for `n` bytes.
    pub(super) fn with_room(n: usize) -> Self {
        JsonBuf {
            bytes: vec![0; n],
            pos: 0,
        }
    }

    /// The length of the text.
    #[inline(always)]
    pub(super) fn len(&self) -> usize {
        self.pos
    }

    /// The room held (text and free bytes).
    #[cfg(test)]
    pub(super) fn room(&self) -> usize {
        self.bytes.len()
    }

    /// Drop the text from `n` on.
    #[inline]
    pub(super) fn truncate(&mut self, n: usize) {
        self.pos = self.pos.min(n);
    }

    /// Drop the text; give back the room if it is over `max`.
    pub(super) fn clear_within(&mut self, max: usize) {
        self.pos = 0;
        if self.bytes.len() > max {
            self.bytes = Vec::new();
        }
    }

    /// The text.
    #[inline]
    pub(super) fn bytes(&self) -> &[u8] {
        self.bytes.get(..self.pos).unwrap_or_default()
    }

    /// Replace the byte at `at` (of the text) by `b`.
    pub(super) fn set(&mut self, at: usize, b: u8) {
        if at < self.pos {
            if let Some(x) = self.bytes.get_mut(at) {
                *x = b;
            }
        }
    }

    /// Make room for `n` more bytes.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, n: usize) {
        let want = (self.pos + n).max(2 * self.bytes.len()).max(MIN_GROW);
        self.bytes.resize(want, 0);
    }

    /// Append one byte.
    #[inline(always)]
    pub(super) fn byte(&mut self, b: u8) {
        if self.pos >= self.bytes.len() {
            self.grow(1);
        }
        if let Some(x) = self.bytes.get_mut(self.pos) {
            *x = b;
            self.pos += 1;
        }
    }

    /// Append `b`.
    #[inline(always)]
    pub(super) fn put_bytes(&mut self, b: &[u8]) {
        let (pos, n) = (self.pos, b.len());
        if self.bytes.len() - pos < n {
            self.grow(n);
        }
        if let Some(dst) = self.bytes.get_mut(pos..pos + n) {
            copy_small(dst, b);
            self.pos = pos + n;
        }
    }

    /// Append `"name":`, after a `,` if `comma`; returns where the name
    /// starts. `name` is written as it is (the caller knows it needs no
    /// escape).
    #[inline(always)]
    pub(super) fn key(&mut self, comma: bool, name: &str) -> usize {
        let (pos, n, c) = (self.pos, name.len(), usize::from(comma));
        if n <= SHORT_NAME {
            if let Some(w) = self
                .bytes
                .get_mut(pos..)
                .and_then(|s| s.first_chunk_mut::<KEY_ROOM>())
            {
                w[0] = b',';
                w[c] = b'"';
                copy_small(&mut w[c + 1..c + 1 + n], name.as_bytes());
                w[c + 1 + n] = b'"';
                w[c + 2 + n] = b':';
                self.pos = pos + c + 3 + n;
                return pos + c + 1;
            }
        }
        self.key_long(comma, name)
    }

    /// [`JsonBuf::key`] for a long name or when the room is short.
    #[cold]
    #[inline(never)]
    fn key_long(&mut self, comma: bool, name: &str) -> usize {
        // Room for the whole entry at once, if it is short (`grow` doubles
        // the room: called for every long key, it would double it for each).
        if self.bytes.len() - self.pos < name.len() + KEY_ROOM {
            self.grow(name.len() + KEY_ROOM);
        }
        self.put_bytes(if comma { b",\"" } else { b"\"" });
        let start = self.pos;
        self.put_bytes(name.as_bytes());
        self.put_bytes(b"\":");
        start
    }

    /// Append `"s"`; `s` is written as it is (the caller knows it needs no
    /// escape).
    #[inline(always)]
    pub(super) fn quoted(&mut self, s: &[u8]) {
        let (pos, n) = (self.pos, s.len());
        if n <= SHORT_NAME {
            if let Some(w) = self
                .bytes
                .get_mut(pos..)
                .and_then(|s| s.first_chunk_mut::<KEY_ROOM>())
            {
                w[0] = b'"';
                copy_small(&mut w[1..1 + n], s);
                w[1 + n] = b'"';
                self.pos = pos + n + 2;
                return;
            }
        }
        self.quoted_long(s);
    }

    /// [`JsonBuf::quoted`] for a long string or when the room is short.
    #[cold]
    #[inline(never)]
    fn quoted_long(&mut self, s: &[u8]) {
        self.put_bytes(b"\"");
        self.put_bytes(s);
        self.put_bytes(b"\"");
    }

    /// Append `,"name":` and the decimal digits of `n` (an object's entry
    /// after its first: most fields), after one room check. `name` is
    /// written as it is (the caller knows it needs no escape).
    #[inline(always)]
    pub(super) fn next_u64_entry(&mut self, name: &str, n: u64) {
        let (pos, len) = (self.pos, name.len());
        if len <= SHORT_NAME {
            if let Some(w) = self
                .bytes
                .get_mut(pos..)
                .and_then(|s| s.first_chunk_mut::<{ KEY_ROOM + NUM_ROOM }>())
            {
                w[0] = b',';
                w[1] = b'"';
                copy_small(&mut w[2..2 + len], name.as_bytes());
                w[2 + len] = b'"';
                w[3 + len] = b':';
                let at = 4 + len;
                if let Some(d) = w
                    .get_mut(at..)
                    .and_then(|s| s.first_chunk_mut::<NUM_ROOM>())
                {
                    // Most counters are one digit (often 0): no formatting.
                    if n < 10 {
                        d[0] = b'0' + n as u8;
                        self.pos = pos + at + 1;
                    } else {
                        self.pos = pos + at + put_digits(d, n);
                    }
                    return;
                }
            }
        }
        self.key_long(true, name);
        self.u64(n);
    }

    /// Append the decimal digits of `n`.
    #[inline(always)]
    pub(super) fn u64(&mut self, n: u64) {
        let pos = self.pos;
        let Some(w) = self
            .bytes
            .get_mut(pos..)
            .and_then(|s| s.first_chunk_mut::<NUM_ROOM>())
        else {
            return self.number_long(itoa::Buffer::new().format(n));
        };
        // Most counters are one digit (often 0): no formatting.
        if n < 10 {
            w[0] = b'0' + n as u8;
            self.pos = pos + 1;
            return;
        }
        self.pos = pos + put_digits(w, n);
    }

    /// Append the decimal digits of `n` (with its sign).
    #[inline(always)]
    pub(super) fn i64(&mut self, n: i64) {
        let mut num = itoa::Buffer::new();
        let d = num.format(n);
        let pos = self.pos;
        match self
            .bytes
            .get_mut(pos..)
            .and_then(|s| s.first_chunk_mut::<NUM_ROOM>())
        {
            Some(w) => {
                copy_small(&mut w[..d.len().min(NUM_ROOM)], d.as_bytes());
                self.pos = pos + d.len().min(NUM_ROOM);
            }
            None => self.number_long(d),
        }
    }

    /// A number when the room is short.
    #[cold]
    #[inline(never)]
    fn number_long(&mut self, digits: &str) {
        self.put_bytes(digits.as_bytes());
    }
}

/// Write the decimal digits of `n` at the start of `w`, straight (two at a
/// time, from the last, into a scratch block, then moved as one piece of
/// 20), and return their number (at most 20). Out of line: the callers'
/// common case (one digit) then saves and restores few registers.
#[inline(never)]
fn put_digits(w: &mut [u8; NUM_ROOM], n: u64) -> usize {
    let mut buf = [0u8; 40];
    let i = digits_before(n, &mut buf, 20);
    w[..20].copy_from_slice(&buf[i..i + 20]);
    20 - i
}

impl Sink for JsonBuf {
    #[inline]
    fn put(&mut self, s: &str) {
        self.put_bytes(s.as_bytes());
    }
    #[inline]
    fn put_ascii(&mut self, b: &[u8]) {
        if b.is_ascii() {
            self.put_bytes(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digits [`JsonBuf::u64`] writes itself are `to_string`'s: at each
    /// power of ten and either side of it, at the ends, and at numbers of
    /// every length from a xorshift sequence.
    /// Long keys (past the short way) make room only when it is short: the
    /// room stays bounded however many of them a message has (it doubled
    /// for each long key).
    #[test]
    fn long_keys_make_room_only_when_it_is_short() {
        let name = "k".repeat(SHORT_NAME + 8);
        let mut b = JsonBuf::default();
        for _ in 0..12 {
            b.key(true, &name);
        }
        assert_eq!(b.len(), 12 * (name.len() + 4));
        assert!(b.room() <= 2 * MIN_GROW, "{}", b.room());
    }

    #[test]
    fn digits_are_what_to_string_writes() {
        let mut numbers = vec![0u64, u64::MAX, u64::MAX - 1];
        for k in 0..20 {
            let p = 10u64.pow(k);
            numbers.extend([p - 1, p, p + 1, p.saturating_mul(5)]);
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for i in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            numbers.push(x >> (i % 64));
        }
        let mut b = JsonBuf::default();
        let mut want = String::new();
        for n in numbers {
            b.u64(n);
            b.byte(b',');
            want.push_str(&format!("{n},"));
            b.next_u64_entry("k", n);
            want.push_str(&format!(",\"k\":{n}"));
        }
        assert_eq!(std::str::from_utf8(b.bytes()), Ok(want.as_str()));
    }

    /// Keys, numbers and pieces of every length around the short ways'
    /// limits, with and without a comma, from an empty buffer and across
    /// growth, give the text that plain `String` pushes give.
    #[test]
    fn blocks_write_what_plain_pushes_write() {
        let numbers = [0u64, 9, 10, 99, 100, 12_345, u64::MAX];
        for start in [0usize, 1, 5, 4090, 4095, 4096] {
            let mut b = JsonBuf::default();
            let mut want = String::new();
            for _ in 0..start {
                b.byte(b'x');
                want.push('x');
            }
            for len in 0..=SHORT_NAME + 3 {
                let name: String = (0..len)
                    .map(|i| char::from(b'a' + (i % 26) as u8))
                    .collect();
                for comma in [false, true] {
                    let at = b.key(comma, &name);
                    if comma {
                        want.push(',');
                    }
                    want.push('"');
                    assert_eq!(at, want.len(), "{start} {len}");
                    want.push_str(&name);
                    want.push_str("\":");
                }
                let n = numbers[len % numbers.len()];
                b.u64(n);
                want.push_str(&n.to_string());
                for m in numbers {
                    b.next_u64_entry(&name, m);
                    want.push_str(&format!(",\"{name}\":{m}"));
                }
                let i = -(n as i64 >> (len % 64));
                b.i64(i);
                want.push_str(&i.to_string());
                b.i64(i64::MIN);
                want.push_str(&i64::MIN.to_string());
                b.put(&name);
                want.push_str(&name);
                b.quoted(name.as_bytes());
                want.push_str(&format!("\"{name}\""));
                b.byte(b'}');
                want.push('}');
            }
            assert_eq!(std::str::from_utf8(b.bytes()), Ok(want.as_str()));
            // A pass that gives up: cut back, then written on.
            let mid = want.len() / 2;
            b.truncate(mid);
            want.truncate(mid);
            b.key(true, "after");
            want.push_str(",\"after\":");
            b.set(0, b'[');
            if !want.is_empty() {
                want.replace_range(0..1, "[");
            }
            assert_eq!(std::str::from_utf8(b.bytes()), Ok(want.as_str()));
            b.clear_within(0);
            assert_eq!(b.len(), 0);
            assert_eq!(b.room(), 0);
        }
    }
}
