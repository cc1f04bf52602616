//! The layout of one JSON object of `nlwire ss --json`, worked out once
//! per sequence of keys and reused for every socket whose walk gives the
//! same keys in the same order (every `tcp_info`, `inet_diag_meminfo`, …
//! of a dump): the keys' sorted order, which keys repeat (written as one
//! key holding an array), whether the object is a C array (keys `"0"`,
//! `"1"`, …), and each key already written as its `"key":` text.

use nlwire_cli::output::json::put_json_key;

/// A run of equal keys in sorted order: one key in the output.
#[derive(Debug)]
struct Run {
    /// Its positions, this range of [`Plan::order`].
    from: u32,
    to: u32,
    /// Its `"key":` text (after a `,` unless first), this range of
    /// [`Plan::pieces`].
    piece: (u32, u32),
}

/// `a == b`, eight bytes at a time and without a call (keys are short).
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    fn word(s: &[u8], at: usize) -> u64 {
        s.get(at..at + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map_or(0, u64::from_ne_bytes)
    }
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let mut at = 0;
    while at + 8 < n {
        if word(a, at) != word(b, at) {
            return false;
        }
        at += 8;
    }
    word(a, n - 8) == word(b, n - 8)
}

/// A walk position's key and the text before its value.
#[derive(Clone, Copy, Debug)]
struct Slot {
    key: (usize, usize),
    pre: (usize, usize),
}

/// A sorted position: see [`Plan::places`].
#[derive(Clone, Copy, Debug)]
struct Place {
    walk: usize,
    pre: (usize, usize),
    close: bool,
}

/// The output layout of one sequence of keys.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// The keys in walk order, one after another.
    keys: String,
    /// Where each key of [`Plan::keys`] ends.
    ends: Vec<u32>,
    /// Positions in walk order as a stable sort by key orders them.
    order: Vec<u32>,
    runs: Vec<Run>,
    pieces: String,
    /// The keys are `"0"`, `"1"`, … in walk order: a JSON array.
    array: bool,
    /// Each walk position's key (a range of [`Plan::keys`]) and the text
    /// before its value (a range of [`Plan::pieces`]).
    slots: Vec<Slot>,
    /// Each sorted position's walk position, the text before its value
    /// (the `"key":` text after a `,` unless first and a `[` after it
    /// when the key repeats, a `,` inside a repeat, or `,`/nothing in an
    /// array), and a `]` after it (a repeat's last).
    places: Vec<Place>,
    /// The walk order is the sorted order and no key repeats.
    identity: bool,
    /// The first walk position whose key is `users`.
    users_at: Option<u32>,
}

/// `n` as a `u32` index, saturated (the text is far smaller).
pub(super) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Plan {
    /// The layout of `keys` (in walk order).
    pub(super) fn new<'a>(keys: impl Iterator<Item = &'a str>) -> Plan {
        let mut p = Plan::default();
        let mut array = true;
        for (i, k) in keys.enumerate() {
            array &= k.parse::<usize>() == Ok(i);
            p.keys.push_str(k);
            p.ends.push(to_u32(p.keys.len()));
        }
        p.array = array && !p.ends.is_empty();
        p.order.extend(0..to_u32(p.ends.len()));
        let mut order = std::mem::take(&mut p.order);
        order.sort_by(|&a, &b| p.key(a).cmp(p.key(b)));
        let mut pieces = String::new();
        let mut i = 0;
        while let Some(&first) = order.get(i) {
            let key = p.key(first);
            let mut j = i + 1;
            while order.get(j).is_some_and(|&q| p.key(q) == key) {
                j += 1;
            }
            let start = pieces.len();
            if i > 0 {
                pieces.push(',');
            }
            put_json_key(key, &mut pieces);
            p.runs.push(Run {
                from: to_u32(i),
                to: to_u32(j),
                piece: (to_u32(start), to_u32(pieces.len())),
            });
            i = j;
        }
        p.order = order;
        p.pieces = pieces;
        p.prefixes();
        p
    }

    /// Fill [`Plan::slots`], [`Plan::places`], and the flags.
    fn prefixes(&mut self) {
        let n = self.ends.len();
        self.identity = self.runs.iter().all(|r| r.to == r.from + 1)
            && self.order.iter().enumerate().all(|(s, &w)| w as usize == s);
        self.users_at = (0..to_u32(n)).find(|&i| self.key(i) == "users");
        let mut pre = Vec::with_capacity(n);
        let mut close = vec![false; n];
        if self.array {
            let start = self.pieces.len();
            self.pieces.push(',');
            pre.extend((0..n).map(|s| {
                if s == 0 {
                    (start, start)
                } else {
                    (start, start + 1)
                }
            }));
        } else {
            let comma = self.pieces.len();
            self.pieces.push(',');
            for r in &self.runs {
                let (a, b) = (r.piece.0 as usize, r.piece.1 as usize);
                if r.to == r.from + 1 {
                    pre.push((a, b));
                    continue;
                }
                // The key's text, then `[`.
                let start = self.pieces.len();
                let piece = self.pieces.get(a..b).unwrap_or_default().to_owned();
                self.pieces.push_str(&piece);
                self.pieces.push('[');
                pre.push((start, self.pieces.len()));
                for _ in r.from + 1..r.to {
                    pre.push((comma, comma + 1));
                }
                if let Some(c) = close.get_mut(r.to as usize - 1) {
                    *c = true;
                }
            }
        }
        let mut slots = vec![
            Slot {
                key: (0, 0),
                pre: (0, 0)
            };
            n
        ];
        let mut start = 0;
        for (slot, &end) in slots.iter_mut().zip(&self.ends) {
            slot.key = (start, end as usize);
            start = end as usize;
        }
        self.places = self
            .order
            .iter()
            .zip(pre)
            .zip(close)
            .map(|((&w, pre), close)| {
                if let Some(slot) = slots.get_mut(w as usize) {
                    slot.pre = pre;
                }
                Place {
                    walk: w as usize,
                    pre,
                    close,
                }
            })
            .collect();
        self.slots = slots;
    }

    /// How many keys.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The key at walk position `i` ("" past the end).
    pub(super) fn key_at(&self, i: usize) -> &str {
        self.key(to_u32(i))
    }

    /// When the key at walk position `pos` is `name`: the text before its
    /// value.
    #[inline]
    pub(super) fn expect(&self, pos: usize, name: &str) -> Option<&str> {
        let slot = self.slots.get(pos)?;
        if !same(
            self.keys.as_bytes().get(slot.key.0..slot.key.1)?,
            name.as_bytes(),
        ) {
            return None;
        }
        self.pieces.get(slot.pre.0..slot.pre.1)
    }

    /// In output order: each value's walk position, the text before it,
    /// and whether a `]` follows it.
    pub(super) fn places(&self) -> impl Iterator<Item = (usize, &str, bool)> {
        self.places.iter().map(|p| {
            (
                p.walk,
                self.pieces.get(p.pre.0..p.pre.1).unwrap_or_default(),
                p.close,
            )
        })
    }

    /// The walk order is the output order (no key repeats).
    pub(super) fn is_identity(&self) -> bool {
        self.identity
    }

    /// The first walk position whose key is `users`.
    pub(super) fn users_at(&self) -> Option<usize> {
        self.users_at.map(|u| u as usize)
    }

    /// The object's opening and closing characters.
    pub(super) fn brackets(&self) -> (char, char) {
        if self.array {
            ('[', ']')
        } else {
            ('{', '}')
        }
    }

    /// The key at walk position `i`.
    fn key(&self, i: u32) -> &str {
        let i = i as usize;
        let start = match i.checked_sub(1) {
            Some(prev) => self.ends.get(prev).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.keys
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    /// Whether `keys` (in walk order, `n` of them) are this plan's keys.
    pub(super) fn matches<'a>(&self, n: usize, keys: impl Iterator<Item = &'a str>) -> bool {
        if n != self.ends.len() {
            return false;
        }
        let mut start = 0;
        let mut seen = 0;
        for (k, &end) in keys.zip(&self.ends) {
            if self.keys.get(start..end as usize) != Some(k) {
                return false;
            }
            start = end as usize;
            seen += 1;
        }
        seen == n
    }

    /// Whether keys lying one after another in `text`, the `i`th ending
    /// at `ends[i]` (from `text`'s start), are this plan's keys: a test of
    /// every key in one comparison.
    pub(super) fn matches_joined(&self, text: &str, ends: impl Iterator<Item = u32>) -> bool {
        let mut n = 0;
        for end in ends {
            if self.ends.get(n) != Some(&end) {
                return false;
            }
            n += 1;
        }
        n == self.ends.len() && text == self.keys
    }

    /// The keys are `"0"`, `"1"`, … : the object is written as an array in
    /// walk order.
    #[cfg(test)]
    pub(super) fn is_array(&self) -> bool {
        self.array
    }

    #[cfg(test)]
    /// The output keys in order: each as its `"key":` text (a `,` before
    /// all but the first) and the walk positions of its values.
    pub(super) fn runs(&self) -> impl Iterator<Item = (&str, &[u32])> {
        self.runs.iter().map(|r| {
            (
                self.pieces
                    .get(r.piece.0 as usize..r.piece.1 as usize)
                    .unwrap_or_default(),
                self.order
                    .get(r.from as usize..r.to as usize)
                    .unwrap_or_default(),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(p: &Plan) -> Vec<(String, Vec<u32>)> {
        p.runs().map(|(k, r)| (k.to_string(), r.to_vec())).collect()
    }

    #[test]
    fn keys_sorted_stably_with_repeats_together() {
        let keys = ["b", "a", "b", "c\"", "a"];
        let p = Plan::new(keys.iter().copied());
        assert!(!p.is_array());
        assert_eq!(
            layout(&p),
            [
                ("\"a\":".to_string(), vec![1, 4]),
                (",\"b\":".to_string(), vec![0, 2]),
                (",\"c\\\"\":".to_string(), vec![3]),
            ]
        );
        assert!(p.matches(5, keys.iter().copied()));
        assert!(!p.matches(5, ["b", "a", "b", "c", "a"].iter().copied()));
        assert!(!p.matches(4, keys.iter().copied().take(4)));
        assert!(!p.matches(5, keys.iter().copied().take(4)));
    }

    #[test]
    fn joined_keys_match_by_text_and_ends() {
        let p = Plan::new(["ab", "c", "ab"].into_iter());
        assert!(p.matches_joined("abcab", [2, 3, 5].into_iter()));
        // Same text, other cuts.
        assert!(!p.matches_joined("abcab", [1, 3, 5].into_iter()));
        assert!(!p.matches_joined("abcab", [2, 3].into_iter()));
        assert!(!p.matches_joined("abcab", [2, 3, 5, 5].into_iter()));
        assert!(!p.matches_joined("abcax", [2, 3, 5].into_iter()));
    }

    #[test]
    fn keys_compared_a_word_at_a_time_as_bytes_are() {
        let words: Vec<String> = (0..40)
            .flat_map(|n| {
                let a = "tcpi_delivered_ce_bytes_and_more_text_here"
                    .get(..n)
                    .unwrap_or_default()
                    .to_string();
                let mut b = a.clone().into_bytes();
                let mut out = vec![a.clone()];
                for i in 0..b.len() {
                    b[i] ^= 1;
                    out.push(String::from_utf8(b.clone()).unwrap());
                    b[i] ^= 1;
                }
                out
            })
            .collect();
        for a in &words {
            for b in &words {
                assert_eq!(same(a.as_bytes(), b.as_bytes()), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn keys_expected_in_walk_order_written_in_sorted_order() {
        let p = Plan::new(["b", "a", "b", "c"].into_iter());
        assert_eq!(p.expect(0, "b"), Some(",\"b\":["));
        assert_eq!(p.expect(1, "a"), Some("\"a\":"));
        assert_eq!(p.expect(2, "b"), Some(","));
        assert_eq!(p.expect(3, "c"), Some(",\"c\":"));
        assert_eq!(p.expect(1, "b"), None);
        assert_eq!(p.expect(4, ""), None);
        let places: Vec<_> = p.places().collect();
        assert_eq!(
            places,
            [
                (1, "\"a\":", false),
                (0, ",\"b\":[", false),
                (2, ",", true),
                (3, ",\"c\":", false),
            ]
        );
        assert!(!p.is_identity());
        assert_eq!(p.users_at(), None);
        let q = Plan::new(["a", "b", "users"].into_iter());
        assert!(q.is_identity());
        assert_eq!(q.users_at(), Some(2));
        let arr = Plan::new(["0", "1"].into_iter());
        assert_eq!(arr.brackets(), ('[', ']'));
        assert_eq!(
            arr.places().collect::<Vec<_>>(),
            [(0, "", false), (1, ",", false)]
        );
    }

    #[test]
    fn arrays_and_empty_objects() {
        assert!(Plan::new(["0", "1", "2"].into_iter()).is_array());
        assert!(!Plan::new(["1", "0"].into_iter()).is_array());
        assert!(!Plan::new(["0", "x"].into_iter()).is_array());
        // As the former builder read keys: by their number.
        assert!(Plan::new(["00"].into_iter()).is_array());
        let empty = Plan::new(std::iter::empty());
        assert!(!empty.is_array());
        assert_eq!(empty.runs().count(), 0);
        assert!(empty.matches(0, std::iter::empty()));
    }
}
