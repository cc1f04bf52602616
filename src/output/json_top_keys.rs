//! The top-level keys of the messages printed so far, kept for the single
//! pass: the messages of a dump mostly have the same top-level keys in the
//! same order (`nlmon`, `nlmsghdr`, the family header, then the same
//! attributes, some of them absent from some messages), and a key checked
//! once need not be hashed and compared again.
//!
//! What is kept is a sequence of pairwise distinct key texts ([`TopKeys`]).
//! While a message is printed, [`TopMatch`] follows it through the
//! sequence: a key that is a kept one at or after the place reached (the
//! next one, or a later one when some are absent) is new, as the keys
//! before it in the message are either kept ones at earlier places
//! (distinct from it) or keys that are none of the kept ones from the
//! place reached on. Any other key takes the printer's general check, and
//! is also compared with the kept keys the message matched; a kept key it
//! equals is not matched later. When such keys occurred and the message
//! printed without a repeated key, the sequence becomes the message's keys
//! merged into it (in the message's order), so that the variants of a dump
//! all follow one sequence.
//!
//! Only keys written as they are given are kept (no byte to escape, and no
//! key the printer renames at the top level: see [`super::top_key`]), so a
//! key that equals a kept one is written as it is.

use super::top_key;
use super::words::{half, word};

/// The most bytes of key text kept.
const MAX_TEXT: usize = 4 << 10;
/// The most keys kept (one bit each in [`TopMatch`]).
const MAX_KEPT: usize = 64;

/// The kept sequence: key `i` is `text[ends[i - 1]..ends[i]]`.
#[derive(Debug, Default)]
pub(super) struct TopKeys {
    text: Vec<u8>,
    ends: Vec<u32>,
    /// Where the next sequence is built (then swapped in).
    next_text: Vec<u8>,
    next_ends: Vec<u32>,
}

/// Where one message is in the kept sequence.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct TopMatch {
    /// The place after the last kept key matched.
    next: usize,
    /// The kept keys matched (one bit per place).
    matched: u64,
    /// The kept keys that a key of the general check equals (not to be
    /// matched, nor kept again).
    dropped: u64,
}

impl TopKeys {
    /// Key `i` of the sequence, if there is one.
    #[inline(always)]
    fn get(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)? as usize;
        let start = match i.checked_sub(1) {
            Some(j) => *self.ends.get(j)? as usize,
            None => 0,
        };
        self.text.get(start..end)
    }

    /// How many keys are kept.
    fn len(&self) -> usize {
        self.ends.len()
    }

    /// The place of `name` among the kept keys from `from` on.
    fn find_from(&self, from: usize, name: &[u8]) -> Option<usize> {
        (from..self.len()).find(|&i| self.get(i).is_some_and(|k| same(k, name)))
    }

    /// `name` (the message's next top-level key) is a kept one it may take
    /// without a check: the place reached or a later one, not dropped.
    /// Marks it matched.
    #[inline(always)]
    pub(super) fn take(&self, at: &mut TopMatch, name: &[u8]) -> bool {
        let q = match self.get(at.next) {
            Some(k) if same(k, name) => at.next,
            _ => match self.find_from(at.next + 1, name) {
                Some(q) => q,
                None => return false,
            },
        };
        let bit = 1u64 << (q % MAX_KEPT);
        if at.dropped & bit != 0 {
            return false;
        }
        at.matched |= bit;
        at.next = q + 1;
        true
    }

    /// `name` (a top-level key taking the general check) repeats a kept
    /// key the message matched. A kept key it equals is no longer taken.
    pub(super) fn repeats(&self, at: &mut TopMatch, name: &[u8]) -> bool {
        match self.find_from(0, name) {
            Some(j) => {
                let bit = 1u64 << (j % MAX_KEPT);
                at.dropped |= bit;
                at.matched & bit != 0
            }
            None => false,
        }
    }

    /// After a message printed without a repeated key: merge into the
    /// sequence the keys that took the general check (`general`, in order,
    /// each with the place reached when it came), unless there were none.
    pub(super) fn merge<'k>(
        &mut self,
        at: &TopMatch,
        general: impl ExactSizeIterator<Item = (&'k [u8], usize)>,
    ) {
        if general.len() == 0 && at.dropped == 0 {
            return;
        }
        let mut text = std::mem::take(&mut self.next_text);
        let mut ends = std::mem::take(&mut self.next_ends);
        text.clear();
        ends.clear();
        let mut push = |key: &[u8]| {
            if keepable(key) && ends.len() < MAX_KEPT && text.len() + key.len() <= MAX_TEXT {
                text.extend_from_slice(key);
                // MAX_TEXT fits in a u32.
                ends.push(text.len() as u32);
            }
        };
        let mut general = general.peekable();
        for p in 0..self.len() {
            while let Some((key, _)) = general.next_if(|&(_, at)| at <= p) {
                push(key);
            }
            if at.dropped & (1u64 << (p % MAX_KEPT)) == 0 {
                push(self.get(p).unwrap_or_default());
            }
        }
        for (key, _) in general {
            push(key);
        }
        self.next_text = std::mem::replace(&mut self.text, text);
        self.next_ends = std::mem::replace(&mut self.ends, ends);
    }
}

impl TopMatch {
    /// The place reached (recorded with a key that takes the general
    /// check, for [`TopKeys::merge`]).
    pub(super) fn place(&self) -> usize {
        self.next
    }
}

/// `key` (as written) is written the same when given as a top-level key:
/// valid UTF-8 the printer does not rename. The caller only gives keys the
/// single pass wrote as they are (no escape).
fn keepable(key: &[u8]) -> bool {
    std::str::from_utf8(key)
        .is_ok_and(|k| matches!(top_key(k), std::borrow::Cow::Borrowed(b) if b == k))
}

/// `a` and `b` hold the same bytes (word loads for the short names most
/// keys are, rather than a call).
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        17..=32 => {
            word(a, 0) == word(b, 0)
                && word(a, 8) == word(b, 8)
                && word(a, n - 16) == word(b, n - 16)
                && word(a, n - 8) == word(b, n - 8)
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(t: &TopKeys) -> Vec<&str> {
        (0..t.len())
            .map(|i| std::str::from_utf8(t.get(i).unwrap()).unwrap())
            .collect()
    }

    /// The keys taking the general check are merged in the message's
    /// order, the kept ones they equal not kept twice; renamed keys, keys
    /// past [`MAX_KEPT`] or [`MAX_TEXT`] are left out.
    #[test]
    fn merged_keys_follow_the_message() {
        let mut t = TopKeys::default();
        let mut at = TopMatch::default();
        t.merge(&at, [(&b"a"[..], 0), (b"b", 0), (b"c", 0)].into_iter());
        assert_eq!(keys(&t), ["a", "b", "c"]);
        // a, c (b absent), then x and b (the general check).
        assert!(t.take(&mut at, b"a") && t.take(&mut at, b"c"));
        assert_eq!(at.place(), 3);
        assert!(!t.take(&mut at, b"x"));
        assert!(!t.repeats(&mut at, b"x"));
        assert!(!t.take(&mut at, b"b"));
        assert!(!t.repeats(&mut at, b"b"));
        t.merge(&at, [(&b"x"[..], 3), (b"b", 3)].into_iter());
        assert_eq!(keys(&t), ["a", "c", "x", "b"]);
        // A matched key repeated by the general check; a dropped key is not
        // taken again.
        let mut at = TopMatch::default();
        assert!(t.take(&mut at, b"a"));
        assert!(t.repeats(&mut at, b"a"));
        let mut at = TopMatch::default();
        assert!(!t.repeats(&mut at, b"c"));
        assert!(!t.take(&mut at, b"c"));
        t.merge(&at, [(&b"c"[..], 0), (b"frame", 0)].into_iter());
        assert_eq!(keys(&t), ["c", "a", "x", "b"]);
        // Nothing to merge: unchanged.
        t.merge(&TopMatch::default(), std::iter::empty());
        assert_eq!(keys(&t), ["c", "a", "x", "b"]);
        let many: Vec<String> = (0..MAX_KEPT + 5).map(|i| format!("k{i}")).collect();
        let mut t = TopKeys::default();
        t.merge(
            &TopMatch::default(),
            many.iter()
                .map(|k| (k.as_bytes(), 0))
                .collect::<Vec<_>>()
                .into_iter(),
        );
        assert_eq!(t.len(), MAX_KEPT);
        let long = vec![b'k'; MAX_TEXT];
        let mut t = TopKeys::default();
        t.merge(
            &TopMatch::default(),
            [(&b"a"[..], 0), (&long, 0), (b"b", 0)].into_iter(),
        );
        assert_eq!(keys(&t), ["a", "b"]);
    }

    #[test]
    fn same_is_slice_equality() {
        let base: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for n in 0..40 {
            let a = &base[..n];
            assert!(same(a, a));
            for at in 0..n {
                let mut b = a.to_vec();
                b[at] ^= 0x20;
                assert!(!same(a, &b), "{n} {at}");
            }
            if n > 0 {
                assert!(!same(a, &base[..n - 1]));
            }
        }
    }
}
