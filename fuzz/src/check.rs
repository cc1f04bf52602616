//! Checking walks: a visitor that verifies every walk is balanced,
//! bounded, names its fields and reports errors inside the input; one that
//! records a walk to compare two; and the check of an error itself.

#[allow(unused_imports)]
use super::*;

/// Deepest group nesting a walk may open: the nested-attribute limit plus
/// room for the groups around it (message, header, attribute, struct).
pub const DEPTH_LIMIT: usize = MAX_NEST_DEPTH + 8;

/// Counts bytes written by `Display`/`Debug` (so formatting is exercised
/// without allocating).
#[derive(Default)]
pub struct Discard(pub usize);

impl core::fmt::Write for Discard {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.0 = self.0.wrapping_add(s.len());
        Ok(())
    }
}

/// A [`Visitor`] that tracks depth and checks that the walk is balanced,
/// bounded in depth, names every field, and reports errors inside the input.
pub struct CheckVisitor {
    /// Groups open now.
    pub depth: usize,
    /// Deepest the walk went.
    pub max_depth: usize,
    /// Fields, groups and errors reported.
    pub events: usize,
    /// Errors reported.
    pub errors: usize,
    /// `TooDeep` errors reported.
    pub too_deep: usize,
    /// Length of the outermost input: no error offset may exceed it.
    pub limit: usize,
    out: Discard,
}

impl CheckVisitor {
    /// A visitor for an input of `limit` bytes.
    pub fn new(limit: usize) -> Self {
        CheckVisitor {
            depth: 0,
            max_depth: 0,
            events: 0,
            errors: 0,
            too_deep: 0,
            limit,
            out: Discard(0),
        }
    }
    /// Check the walk ended balanced and produced a bounded amount of output.
    pub fn finish(&self) {
        assert_eq!(self.depth, 0, "walk left groups open");
        assert!(
            self.events <= 64usize.saturating_mul(self.limit.saturating_add(64)),
            "walk reported {} events for {} bytes",
            self.events,
            self.limit
        );
    }
}

impl Visitor for CheckVisitor {
    fn field(&mut self, name: &str, value: Value<'_>) {
        assert!(!name.is_empty(), "field without a name");
        let _ = write!(self.out, "{name}={value:?}");
        if let Value::Bytes(b) | Value::Str(b) | Value::Mac(b) = value {
            assert!(b.len() <= self.limit, "walked value longer than the input");
        }
        self.events += 1;
    }
    fn begin(&mut self, name: &str) {
        assert!(!name.is_empty(), "group without a name");
        self.depth += 1;
        assert!(
            self.depth <= DEPTH_LIMIT,
            "walk nested {} groups deep",
            self.depth
        );
        self.max_depth = self.max_depth.max(self.depth);
        self.events += 1;
    }
    fn end(&mut self) {
        assert!(self.depth > 0, "end() without begin()");
        self.depth -= 1;
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, e: Error) {
        check_error(&e, self.limit);
        if e.kind == ErrorKind::TooDeep {
            self.too_deep += 1;
        }
        self.errors += 1;
        self.events += 1;
    }
}

/// An error must point inside (or at the end of) the input and format.
pub fn check_error(e: &Error, limit: usize) {
    assert!(
        e.offset() <= limit,
        "error offset {} past the input ({limit} bytes): {e:?}",
        e.offset
    );
    assert!(!e.what.is_empty(), "error without `what`: {e:?}");
    let mut d = Discard(0);
    let _ = write!(d, "{e}");
    assert!(d.0 > 0);
}

/// A visitor that records the walk as lines, to compare two walks.
#[derive(Default)]
pub struct Recorder {
    /// The walk, one event per line.
    pub lines: Vec<String>,
    depth: usize,
}

impl Visitor for Recorder {
    fn field(&mut self, name: &str, value: Value<'_>) {
        self.lines.push(format!("{} {name}={value:?}", self.depth));
    }
    fn begin(&mut self, name: &str) {
        self.lines.push(format!("{} {name} {{", self.depth));
        self.depth += 1;
    }
    fn end(&mut self) {
        self.depth -= 1;
        self.lines.push(format!("{} }}", self.depth));
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, e: Error) {
        self.lines.push(format!("{} error {e}", self.depth));
    }
}

pub(crate) fn record(w: &dyn Walk) -> Vec<String> {
    let mut r = Recorder::default();
    w.walk(&mut r);
    r.lines
}
