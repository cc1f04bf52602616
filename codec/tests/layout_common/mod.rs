//! Helpers shared by the layout checks (`layout.rs`: the hand-declared
//! families, strict; `layout_ynl.rs`: the families generated from the YNL
//! specs, tolerant of what this machine's headers lack): find `cc`, compile
//! a generated C program, run it, walk a struct's fields.
#![allow(dead_code)] // each test file uses its own part

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use nlwire::wire::FieldMeta;

/// A struct declared as an array indexed by constants (`c_type =
/// "__u32[SK_MEMINFO_VARS]"`: `sk_meminfo`, whose field names are the
/// `SK_MEMINFO_*` indices): (element C type, element count constant).
pub fn indexed_array(c_type: &str) -> Option<(&str, &str)> {
    let (elem, rest) = c_type.split_once('[')?;
    Some((elem, rest.strip_suffix(']')?))
}

/// `cc`, or `None` (skip) — a failure under `CI=true`.
pub fn have_cc() -> bool {
    match Command::new("cc").arg("--version").output() {
        Ok(o) if o.status.success() => true,
        other => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("a C compiler (cc) is required under CI=true: {other:?}");
            }
            eprintln!("skipped: no C compiler (cc) on this machine");
            false
        }
    }
}

/// A fresh directory per test (tests run in parallel in one process).
pub fn work_dir(test: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("layout-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Compile `src`; `Ok(binary)` or `Err(compiler output)`.
pub fn compile(dir: &Path, stem: &str, src: &str) -> Result<PathBuf, String> {
    let c = dir.join(format!("{stem}.c"));
    let bin = dir.join(stem);
    std::fs::write(&c, src).unwrap();
    let out = Command::new("cc")
        .args(["-std=gnu11", "-Wall", "-Werror", "-o"])
        .arg(&bin)
        .arg(&c)
        .output()
        .unwrap();
    if out.status.success() {
        Ok(bin)
    } else {
        Err(format!(
            "{}: {}",
            c.display(),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Run a program printing `key value` lines.
pub fn run(bin: &Path) -> BTreeMap<String, u64> {
    let out = Command::new(bin).output().unwrap();
    assert!(out.status.success(), "{} failed", bin.display());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (k, v) = l.rsplit_once(' ').unwrap();
            (k.to_string(), v.parse().unwrap())
        })
        .collect()
}

/// Every (path, absolute offset, FieldMeta) of a struct, nested fields by
/// path (not into the fields named in `no_descend`); holes left out.
pub fn flatten(
    fields: &'static [FieldMeta],
    base: usize,
    prefix: &str,
    no_descend: &[&str],
    out: &mut Vec<(String, usize, &'static FieldMeta)>,
) {
    for f in fields {
        let path = if prefix.is_empty() {
            f.name.to_string()
        } else {
            format!("{prefix}.{}", f.name)
        };
        if is_hole(f.name) {
            continue;
        }
        out.push((path.clone(), base + f.offset, f));
        // Nested structs (not arrays of them: none are declared).
        if !f.fields.is_empty() && f.elem_size == f.size && !no_descend.contains(&f.name) {
            flatten(f.fields, base + f.offset, &path, no_descend, out);
        }
    }
}

/// Fields that are compiler padding (holes without a C name, "that can no
/// longer be filled" in `<linux/mptcp.h>`): not probed; every named field
/// around them is checked at its offset, which places them.
pub fn is_hole(name: &str) -> bool {
    name.starts_with("__hole")
}
