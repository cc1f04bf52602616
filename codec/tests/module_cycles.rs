//! The codec's files import each other without cycles (issue 10's layout
//! rule): a file may use its own parent or children (a folder's `mod.rs`
//! or `X.rs` re-exports what its files hold), but no two other files may
//! reach each other through `crate::` or `super::` paths.
//!
//! The paths are read from the source text (comments left out), so a cycle
//! a refactoring brings back fails here with the files it runs through.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path (`families/sock_diag/bytecode/audit`) → source text.
fn modules() -> BTreeMap<String, String> {
    fn visit(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                visit(&p, root, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let rel = p.strip_prefix(root).unwrap().with_extension("");
                let mut m = rel.to_string_lossy().replace('\\', "/");
                if m == "lib" {
                    m.clear();
                } else if let Some(parent) = m.strip_suffix("/mod") {
                    m = parent.to_string();
                }
                out.insert(m, std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    visit(&root, &root, &mut out);
    out
}

/// The text without `//` comments (doc links are not imports).
fn code(src: &str) -> String {
    src.lines()
        .map(|l| l.find("//").map_or(l, |i| &l[..i]))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `prefix` path in `src`, as its segments (`crate::a::b::C` → a, b, C).
fn paths<'s>(src: &'s str, prefix: &str) -> Vec<Vec<&'s str>> {
    let mut out = Vec::new();
    let mut rest = src;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let mut segs = Vec::new();
        let mut s = rest;
        loop {
            let end = s
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(s.len());
            if end == 0 {
                break;
            }
            segs.push(&s[..end]);
            match s[end..].strip_prefix("::") {
                Some(next) => s = next,
                None => break,
            }
        }
        out.push(segs);
    }
    out
}

/// The longest module that `segs` (from the crate root) names.
fn resolve(mods: &BTreeMap<String, String>, segs: &[&str]) -> Option<String> {
    (1..=segs.len())
        .rev()
        .map(|n| segs[..n].join("/"))
        .find(|m| mods.contains_key(m))
}

/// `a` is `b`'s ancestor or descendant (or the crate root).
fn related(a: &str, b: &str) -> bool {
    a.is_empty()
        || b.is_empty()
        || a.starts_with(&format!("{b}/"))
        || b.starts_with(&format!("{a}/"))
}

fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mods = modules();
    let mut g = BTreeMap::new();
    for (m, src) in &mods {
        let text = code(src);
        let parent: Vec<&str> = m.split('/').collect();
        let parent = &parent[..parent.len().saturating_sub(1)];
        let mut deps = BTreeSet::new();
        let crate_paths = paths(&text, "crate::");
        let super_paths = paths(&text, "super::").into_iter().map(|s| {
            let mut full: Vec<&str> = parent.to_vec();
            full.extend(s);
            full
        });
        for segs in crate_paths.into_iter().chain(super_paths) {
            if let Some(d) = resolve(&mods, &segs) {
                if d != *m && !related(m, &d) {
                    deps.insert(d);
                }
            }
        }
        g.insert(m.clone(), deps);
    }
    g
}

/// Files that reach each other (strongly connected sets of more than one).
fn cycles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(n) = todo.pop() {
            for d in g.get(&n).into_iter().flatten() {
                if seen.insert(d.clone()) {
                    todo.push(d.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> = g.keys().map(|m| (m, reach(m))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    for m in g.keys() {
        if !reached[m].contains(m) || out.iter().any(|c| c.contains(m)) {
            continue;
        }
        let comp: Vec<String> = g
            .keys()
            .filter(|o| reached[m].contains(*o) && reached[*o].contains(m))
            .cloned()
            .collect();
        out.push(comp);
    }
    out
}

#[test]
fn codec_files_import_each_other_without_cycles() {
    let g = import_graph();
    assert!(g.len() > 100, "the codec's files were found ({})", g.len());
    let c = cycles(&g);
    assert!(c.is_empty(), "files that import each other: {c:#?}");
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    g.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    g.insert("d".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(cycles(&g), vec![vec!["a", "b", "c"]]);
}

#[test]
fn paths_are_read_from_code_not_comments() {
    let src = "use super::x::Y; // crate::z\nfn f() -> crate::w::V { super::q() }";
    let text = code(src);
    assert_eq!(paths(&text, "crate::"), vec![vec!["w", "V"]]);
    assert_eq!(paths(&text, "super::"), vec![vec!["x", "Y"], vec!["q"]]);
}
