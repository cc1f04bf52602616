//! Where a walk is, kept by the visitor itself: the offset its errors are
//! shifted by and the sub-message selectors in effect.
//!
//! Without it the walkers wrap the caller's visitor: [`walk_attrs`]
//! wraps every attribute's walk to shift error offsets by the attribute's
//! payload offset, and a stream that provides selectors
//! (`INET_DIAG_PROTOCOL`) or a dump request's context is walked through
//! [`WithSelectors`]. Each wrapper is one more dynamic call per field,
//! group and error. A visitor that returns its [`Scope`] from
//! [`Visitor::scope`](crate::value::Visitor::scope) is walked directly
//! instead: the walkers move the scope's base and push and pop its
//! selectors, and the visitor applies them (see that method).
//!
//! [`walk_attrs`]: crate::netlink::walk_attrs
//! [`WithSelectors`]: crate::netlink::WithSelectors

use super::Selectors;
use crate::value::SelectorValue;
use crate::Error;

/// The longest string selector value a [`Scope`] keeps (`IFLA_INFO_KIND`
/// names are shorter); a longer one is answered by a wrapper as without a
/// scope.
pub const SCOPE_STR_MAX: usize = 16;

/// The most selector values a [`Scope`] holds, every layer together; a
/// layer that does not fit is answered by a wrapper as without a scope.
pub const SCOPE_SELECTORS: usize = 8;

/// A selector value as a scope keeps it (a string copied, bounded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kept {
    Int(u64),
    Str { len: u8, bytes: [u8; SCOPE_STR_MAX] },
}

impl Kept {
    fn of(v: SelectorValue<'_>) -> Option<Kept> {
        match v {
            SelectorValue::Int(n) => Some(Kept::Int(n)),
            SelectorValue::Str(s) => {
                let mut bytes = [0u8; SCOPE_STR_MAX];
                bytes.get_mut(..s.len())?.copy_from_slice(s);
                Some(Kept::Str {
                    len: u8::try_from(s.len()).ok()?,
                    bytes,
                })
            }
        }
    }
    fn value(&self) -> SelectorValue<'_> {
        match self {
            Kept::Int(n) => SelectorValue::Int(*n),
            Kept::Str { len, bytes } => {
                SelectorValue::Str(bytes.get(..usize::from(*len)).unwrap_or_default())
            }
        }
    }
}

/// What a walk knows where it is now: the base its error offsets are
/// shifted by and the sub-message selectors in effect (innermost layer
/// first). Fixed size, no allocation. A visitor keeps one and returns it
/// from [`Visitor::scope`](crate::value::Visitor::scope).
#[derive(Clone, Copy, Debug)]
pub struct Scope {
    base: usize,
    len: usize,
    slots: [(&'static str, Kept); SCOPE_SELECTORS],
}

impl Default for Scope {
    fn default() -> Self {
        Scope::new()
    }
}

impl Scope {
    /// Base 0, no selector: the scope at the start of a walk.
    pub const fn new() -> Self {
        Scope {
            base: 0,
            len: 0,
            slots: [("", Kept::Int(0)); SCOPE_SELECTORS],
        }
    }
    /// What the offsets of the errors reported now are to be shifted by.
    pub const fn base(&self) -> usize {
        self.base
    }
    /// `error` with its offset shifted by [`Scope::base`] (what a visitor
    /// that returns its scope does with the errors it is given).
    #[inline]
    pub const fn rebase(&self, error: Error) -> Error {
        error.at(self.base)
    }
    /// The value of the selector `name` in effect (the innermost layer
    /// first): what a visitor that returns its scope answers
    /// [`Visitor::selector`](crate::value::Visitor::selector) with.
    pub fn selector(&self, name: &str) -> Option<SelectorValue<'_>> {
        self.slots
            .get(..self.len)
            .unwrap_or_default()
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.value())
    }
    /// Set the base (the walkers save it and put it back).
    #[inline]
    pub(crate) fn set_base(&mut self, base: usize) {
        self.base = base;
    }
    /// Add a layer of selectors (innermost now); the layers below, to give
    /// to [`Scope::pop`], or `None` (nothing added) if it does not fit.
    pub(crate) fn push(&mut self, selectors: &Selectors<'_>) -> Option<usize> {
        let below = self.len;
        let mut len = below;
        for (name, value) in selectors.iter() {
            let kept = Kept::of(value);
            match (self.slots.get_mut(len), kept) {
                (Some(slot), Some(kept)) => *slot = (name, kept),
                _ => return None,
            }
            len = len.saturating_add(1);
        }
        self.len = len;
        Some(below)
    }
    /// Remove the layers above `below` (from [`Scope::push`]).
    pub(crate) fn pop(&mut self, below: usize) {
        self.len = self.len.min(below);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_layers_answer_first_and_pop_restores() {
        let mut s = Scope::new();
        let outer = Selectors::EMPTY.with("protocol", 6).with("family", 2);
        let a = s.push(&outer).unwrap();
        let mut inner = Selectors::EMPTY.with("protocol", 132);
        inner.set("kind", SelectorValue::Str(b"vxlan"));
        let b = s.push(&inner).unwrap();
        assert_eq!(s.selector("protocol"), Some(SelectorValue::Int(132)));
        assert_eq!(s.selector("family"), Some(SelectorValue::Int(2)));
        assert_eq!(s.selector("kind"), Some(SelectorValue::Str(b"vxlan")));
        s.pop(b);
        assert_eq!(s.selector("protocol"), Some(SelectorValue::Int(6)));
        assert_eq!(s.selector("kind"), None);
        s.pop(a);
        assert_eq!(s.selector("protocol"), None);
    }

    #[test]
    fn a_layer_that_does_not_fit_is_not_added() {
        let mut s = Scope::new();
        let mut long = Selectors::EMPTY.with("protocol", 6);
        long.set("kind", SelectorValue::Str(&[b'x'; SCOPE_STR_MAX + 1]));
        assert_eq!(s.push(&long), None);
        assert_eq!(s.selector("protocol"), None);
        let four = Selectors::EMPTY
            .with("a", 1)
            .with("b", 2)
            .with("c", 3)
            .with("d", 4);
        assert_eq!(s.push(&four), Some(0));
        assert_eq!(s.push(&four), Some(4));
        assert_eq!(s.push(&four), None);
        assert_eq!(s.selector("a"), Some(SelectorValue::Int(1)));
        let mut exact = Selectors::EMPTY;
        exact.set("kind", SelectorValue::Str(&[b'y'; SCOPE_STR_MAX]));
        s.pop(4);
        assert_eq!(s.push(&exact), Some(4));
        assert_eq!(
            s.selector("kind"),
            Some(SelectorValue::Str(&[b'y'; SCOPE_STR_MAX]))
        );
    }

    #[test]
    fn rebase_shifts_by_the_base() {
        let mut s = Scope::new();
        s.set_base(20);
        let e = Error::new(crate::ErrorKind::Short, "x", 4, 2).at(3);
        assert_eq!(s.rebase(e).offset(), 23);
    }
}
