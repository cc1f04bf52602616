//! A walk recorded as `path.name=value` lines, shared by the tests that
//! check what a declaration's walk shows (`toy_family.rs`, `connector.rs`,
//! `ynl_payloads.rs`). Each test file chooses how a value is shown.
#![allow(dead_code)] // each test binary uses part of it

use nlwire::value::{MacFmt, Value, Visitor, Walk};

/// How one value is shown on its line.
pub type Show = fn(Value<'_>) -> String;

/// Records a walk as `path.name=value` lines, with the errors reported.
pub struct Lines {
    path: Vec<String>,
    pub lines: Vec<String>,
    pub errors: Vec<nlwire::Error>,
    show: Show,
}

impl Lines {
    /// An empty record whose values are shown by `show`.
    pub fn new(show: Show) -> Self {
        Lines {
            path: Vec::new(),
            lines: Vec::new(),
            errors: Vec::new(),
            show,
        }
    }
}

impl Default for Lines {
    fn default() -> Self {
        Lines::new(show_names)
    }
}

impl Visitor for Lines {
    fn field(&mut self, name: &str, value: Value<'_>) {
        let shown = (self.show)(value);
        let mut key = self.path.join(".");
        if !key.is_empty() {
            key.push('.');
        }
        self.lines.push(format!("{key}{name}={shown}"));
    }
    fn begin(&mut self, name: &str) {
        self.path.push(name.to_string());
    }
    fn end(&mut self) {
        self.path.pop();
    }
    fn depth(&self) -> usize {
        self.path.len()
    }
    fn error(&mut self, error: nlwire::Error) {
        self.errors.push(error);
    }
}

/// Values as their names: an enum by its name (the number when unnamed),
/// flags as `A|B`, strings as text, bytes as hex, MACs as `ip link` shows
/// them.
pub fn show_names(value: Value<'_>) -> String {
    match value {
        Value::U64(n) => n.to_string(),
        Value::I64(n) => n.to_string(),
        Value::Str(s) => String::from_utf8_lossy(s).into_owned(),
        Value::Enum { raw, name } => name.map_or_else(|| raw.to_string(), str::to_string),
        Value::Flags { raw, names } => names
            .iter()
            .filter(|(m, _)| *m != 0 && raw & m == *m)
            .map(|(_, n)| *n)
            .collect::<Vec<_>>()
            .join("|"),
        Value::Bytes(b) => b.iter().map(|x| format!("{x:02x}")).collect(),
        Value::Mac(b) => MacFmt(b).to_string(),
        other => format!("{other:?}"),
    }
}

/// The lines of `w`'s walk, values shown by [`show_names`].
pub fn walk(w: &impl Walk) -> Lines {
    let mut l = Lines::default();
    w.walk(&mut l);
    l
}

/// Every line of `want` is in `l`.
#[track_caller]
pub fn assert_lines(l: &Lines, want: &[&str]) {
    for w in want {
        assert!(
            l.lines.iter().any(|x| x == w),
            "missing {w:?} in:\n{}",
            l.lines.join("\n")
        );
    }
}

/// The walk reported no error, and every line of `want` is in `l`.
#[track_caller]
pub fn assert_clean_lines(l: &Lines, want: &[&str]) {
    assert!(
        l.errors.is_empty(),
        "errors {:?} in:\n{}",
        l.errors,
        l.lines.join("\n")
    );
    assert_lines(l, want);
}
