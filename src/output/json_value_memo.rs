//! The JSON text of enum and flags values, remembered: a value such as
//! `{"value":10,"name":"TCP_LISTEN"}` or `nlmsg_flags`' object depends
//! only on its number and on the `'static` name table it is read with, and
//! a capture repeats the same few of them in every message. A value is
//! keyed by the number and the address and length of its static names (the
//! same address and length are the same names: static data does not
//! change), so a hit is one comparison and one copy.

use nlwire::value::Value;

/// Slots (a power of two); a slot holds the last value that hashed to it.
const SLOTS: usize = 256;
/// The longest text kept (longer values are written every time).
const MAX_TEXT: usize = 192;

/// What identifies a value's text: its kind, number, and names (see
/// [`key_of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Key {
    /// 1 for an enum, 2 for flags (0: an empty slot).
    kind: u8,
    raw: u64,
    names: usize,
    len: usize,
}

#[derive(Debug, Clone)]
struct Slot {
    key: Key,
    len: u8,
    text: [u8; MAX_TEXT],
}

/// The remembered texts (allocated on first use, then kept).
#[derive(Debug, Default)]
pub(super) struct ValueMemo {
    slots: Vec<Slot>,
}

/// The key of `value` if its text can be remembered: an enum with a name,
/// or flags.
#[inline(always)]
pub(super) fn key_of(value: &Value<'_>) -> Option<Key> {
    match *value {
        Value::Enum {
            raw,
            name: Some(name),
        } => Some(Key {
            kind: 1,
            raw,
            names: name.as_ptr() as usize,
            len: name.len(),
        }),
        Value::Flags { raw, names } => Some(Key {
            kind: 2,
            raw,
            names: names.as_ptr() as usize,
            len: names.len(),
        }),
        _ => None,
    }
}

impl Key {
    /// The slot this key takes.
    #[inline(always)]
    fn slot(self) -> usize {
        let k = self;
        let h = (k.names as u64 ^ k.raw.rotate_left(17) ^ u64::from(k.kind))
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (h >> 56) as usize % SLOTS
    }
}

impl ValueMemo {
    /// The slots filled (for the tests).
    #[cfg(test)]
    pub(super) fn filled(&self) -> usize {
        self.slots.iter().filter(|s| s.key.kind != 0).count()
    }

    /// The text remembered for `key`.
    #[inline(always)]
    pub(super) fn get(&self, key: Key) -> Option<&[u8]> {
        let s = self.slots.get(key.slot())?;
        if s.key == key {
            s.text.get(..usize::from(s.len))
        } else {
            None
        }
    }

    /// Remember `text` for `key` (if it is not too long).
    #[cold]
    pub(super) fn put(&mut self, key: Key, text: &[u8]) {
        if text.len() > MAX_TEXT {
            return;
        }
        if self.slots.is_empty() {
            let empty = Slot {
                key: Key {
                    kind: 0,
                    raw: 0,
                    names: 0,
                    len: 0,
                },
                len: 0,
                text: [0; MAX_TEXT],
            };
            self.slots = vec![empty; SLOTS];
        }
        if let Some(s) = self.slots.get_mut(key.slot()) {
            s.key = key;
            s.len = text.len() as u8;
            if let Some(dst) = s.text.get_mut(..text.len()) {
                dst.copy_from_slice(text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use nlwire::value::Value;

    use super::super::{value_json, JsonScratch, Pass};

    const NAMES: [&str; 4] = ["TCP_LISTEN", "TCP_CLOSE", "a\"b", "TCP_LISTEN\n"];
    const FLAGS: [(u64, &str); 4] = [(3, "AB"), (1, "A"), (2, "B"), (8, "D\\")];

    /// Enum and flags values printed again and again with one scratch (a
    /// hit copies the text remembered) print as the general writer prints
    /// them: the same number with other names, the same names with other
    /// numbers, a table and its prefix (same address, other length), names
    /// that need escapes, numbers past `i64::MAX`, and more distinct values
    /// than there are slots (slots replaced), over three rounds.
    #[test]
    fn remembered_values_print_as_written() {
        let mut values = Vec::new();
        for raw in (0..80u64).chain([u64::MAX, 1 << 63, i64::MAX as u64]) {
            for name in NAMES {
                values.push(Value::Enum {
                    raw,
                    name: Some(name),
                });
            }
            for len in 0..=FLAGS.len() {
                values.push(Value::Flags {
                    raw,
                    names: &FLAGS[..len],
                });
            }
        }
        assert!(values.len() > 2 * super::SLOTS);
        let mut scratch = JsonScratch::default();
        for _ in 0..3 {
            for v in &values {
                let mut got = String::new();
                scratch.write_object(
                    &mut got,
                    &mut |p: &mut dyn Pass| p.visitor().field("k", *v),
                    0,
                );
                assert_eq!(got, format!("{{\"k\":{}}}", value_json(v)), "{v:?}");
            }
        }
        assert!(scratch.single.memo_slots() > 0);
    }
}
