//! Shell patterns as fnmatch(3) matches them with `FNM_CASEFOLD` and no
//! other flag, which is how iproute2 `ss` matches a unix socket's name
//! against `src PATTERN` (its `unix_match`): `*` any run of bytes (`/` and
//! a leading `.` included), `?` one byte, `[...]` one byte of a set
//! (ranges `a-z`, negation `!` or `^`, `]` first is literal), `\` makes the
//! next byte literal; letters compare without case (ASCII).
//!
//! Iterative, with one place to return to (the last `*`): time at most the
//! product of the two lengths, no recursion, no allocation.

/// `pattern` matches the whole of `name`.
pub fn matches(pattern: &[u8], name: &[u8]) -> bool {
    let (mut p, mut n) = (0, 0);
    // After the last `*`: where its pattern goes on and the name position
    // it was last tried at.
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        let Some(&b) = name.get(n) else { break };
        match pattern.get(p) {
            Some(b'*') => {
                p += 1;
                star = Some((p, n));
                continue;
            }
            Some(_) => {
                if let Some(next) = one(pattern, p, b) {
                    p = next;
                    n += 1;
                    continue;
                }
            }
            None => {}
        }
        // Mismatch: the last `*` takes one more byte, if there was one.
        match star {
            Some((sp, sn)) => {
                p = sp;
                n = sn + 1;
                star = Some((sp, sn + 1));
            }
            None => return false,
        }
    }
    pattern
        .get(p..)
        .unwrap_or_default()
        .iter()
        .all(|&c| c == b'*')
}

/// The element of `pattern` at `p` (not `*`) against the byte `b`: where
/// the pattern goes on if it matches.
fn one(pattern: &[u8], p: usize, b: u8) -> Option<usize> {
    match *pattern.get(p)? {
        b'?' => Some(p + 1),
        b'[' => match set(pattern, p + 1, b) {
            Some((true, next)) => Some(next),
            Some((false, _)) => None,
            // No closing `]`: the `[` is an ordinary byte.
            None => (b == b'[').then_some(p + 1),
        },
        b'\\' => match pattern.get(p + 1) {
            Some(&c) => same(c, b).then_some(p + 2),
            None => (b == b'\\').then_some(p + 1),
        },
        c => same(c, b).then_some(p + 1),
    }
}

/// The set that starts at `p` (after its `[`) against `b`: whether it
/// matches and where the pattern goes on after its `]`; `None` if the set
/// is not closed.
fn set(pattern: &[u8], p: usize, b: u8) -> Option<(bool, usize)> {
    let mut i = p;
    let negate = matches!(pattern.get(i), Some(b'!' | b'^'));
    if negate {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    loop {
        let c = *pattern.get(i)?;
        if c == b']' && !first {
            return Some((hit != negate, i + 1));
        }
        first = false;
        let (lo, after) = if c == b'\\' {
            (*pattern.get(i + 1)?, i + 2)
        } else {
            (c, i + 1)
        };
        // `a-z`, unless the `-` is last (then it is literal).
        match (pattern.get(after), pattern.get(after + 1)) {
            (Some(b'-'), Some(&hi)) if hi != b']' => {
                let (hi, next) = if hi == b'\\' {
                    (*pattern.get(after + 2)?, after + 3)
                } else {
                    (hi, after + 2)
                };
                hit |= in_range(lo, hi, b);
                i = next;
            }
            _ => {
                hit |= same(lo, b);
                i = after;
            }
        }
    }
}

fn same(a: u8, b: u8) -> bool {
    a.eq_ignore_ascii_case(&b)
}

fn in_range(lo: u8, hi: u8, b: u8) -> bool {
    (lo..=hi).contains(&b)
        || (lo..=hi).contains(&b.to_ascii_lowercase())
        || (lo..=hi).contains(&b.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::matches;

    fn m(p: &str, n: &str) -> bool {
        matches(p.as_bytes(), n.as_bytes())
    }

    /// What fnmatch(3) with `FNM_CASEFOLD` answers (glibc, checked with
    /// Python's `fnmatch.fnmatchcase` on folded text and by hand).
    #[test]
    fn like_fnmatch_with_casefold() {
        let yes = [
            ("*", ""),
            ("*", "/run/x.sock"),
            ("/tmp/nlw*", "/tmp/NLW-test.sock"),
            ("/tmp/nlw?test.sock", "/tmp/NLW-test.sock"),
            ("/tmp/[n]lw*", "/tmp/NLW-test.sock"),
            ("/tmp/[!a-m]lw*", "/tmp/nlw"),
            ("/tmp/[^a-m]lw*", "/tmp/nlw"),
            ("@nlw@abs", "@nlw@abs"),
            ("@*", "@/tmp/.X11-unix/X0"),
            ("*.sock", "/run/a.b.sock"),
            ("a*b*c", "aXbYbZc"),
            ("[]]", "]"),
            ("[a-]", "-"),
            ("\\*", "*"),
            ("[", "["),
            ("a[", "a["),
            ("**a", "a"),
        ];
        let no = [
            ("?", ""),
            ("/tmp/nlw*", "/tmp/other"),
            ("dst", ""),
            ("*:*", "/tmp/x.sock"),
            ("\\*", "x"),
            ("[!n]lw", "nlw"),
            ("a*b*c", "aXbYbZ"),
            ("abc", "abcd"),
            ("abcd", "abc"),
        ];
        for (p, n) in yes {
            assert!(m(p, n), "{p:?} should match {n:?}");
        }
        for (p, n) in no {
            assert!(!m(p, n), "{p:?} should not match {n:?}");
        }
    }

    /// Long runs of `*` against a long name that does not match end
    /// (the one backtrack point keeps this quadratic at worst).
    #[test]
    fn many_stars_do_not_blow_up() {
        let p = "*a".repeat(200) + "b";
        let n = "a".repeat(4000);
        assert!(!m(&p, &n));
        assert!(m(&("*a".repeat(200)), &n));
    }
}
