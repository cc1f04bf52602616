//! One spec's declarations as Rust source using nlwire's macros:
//! `#[open_enum]` and `#[nl_flags]` for enums and flags, `#[nl_struct]` for
//! structs, `#[attribute_set]` for attribute sets, `#[sub_message]` for
//! sub-messages. Only facts go in: kernel names, values, types.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::names::{camel, lit, snake};
use crate::report::Report;
use crate::spec::{DefKind, Spec};
use crate::types::{attr_type, member_type, Kind, Names};

/// The Rust source of `spec`'s declarations (without the message table).
pub fn declarations(spec: &Spec, names: &Names, report: &mut Report) -> String {
    declarations_except(spec, names, report, &[])
}

/// [`declarations`] without the definitions named in `skip` (declared by
/// another file of the same protocol and imported from there).
pub fn declarations_except(
    spec: &Spec,
    names: &Names,
    report: &mut Report,
    skip: &[&str],
) -> String {
    let mut out = String::new();
    for d in &spec.defs {
        if skip.contains(&d.name.as_str()) || spec.extern_enums.contains_key(&d.name) {
            continue;
        }
        match &d.kind {
            DefKind::Enum { flags, entries } => {
                if entries.is_empty() {
                    continue;
                }
                let kind = if *flags { Kind::Flags } else { Kind::Enum };
                let Some(rust) = names.get(kind, &d.name) else {
                    continue;
                };
                if *flags {
                    enum_flags(
                        &mut out,
                        spec,
                        &d.name,
                        rust,
                        entries,
                        d.constants.as_deref(),
                    );
                } else {
                    open_enum(&mut out, spec, &d.name, rust, entries);
                    if used_as_flags(spec, &d.name) {
                        if let Some(bits) = names.get(Kind::Bits, &d.name) {
                            let as_bits: Vec<(String, u64)> = entries
                                .iter()
                                .filter(|e| e.1 < 64)
                                .map(|(c, v)| (c.clone(), 1u64 << v))
                                .collect();
                            enum_flags(
                                &mut out,
                                spec,
                                &format!("{} (as bits)", d.name),
                                bits,
                                &as_bits,
                                None,
                            );
                        }
                    }
                }
            }
            DefKind::Struct(members) => {
                if members.is_empty() {
                    continue;
                }
                let Some(rust) = names.get(Kind::Struct, &d.name) else {
                    continue;
                };
                let _ = writeln!(
                    out,
                    "/// `struct {}` (YNL `{}`).",
                    d.name.replace('-', "_"),
                    spec.file
                );
                let _ = writeln!(
                    out,
                    "#[nl_struct(name = {})]",
                    lit(&d.name.replace('-', "_"))
                );
                let _ = writeln!(out, "pub struct {rust} {{");
                let mut seen = BTreeSet::new();
                let layout = c_layout(&d.name, members, spec, names, 0);
                let mut holes = 0;
                for (i, m) in members.iter().enumerate() {
                    if let Some(pad) = layout.as_ref().map(|l| l.pads[i]).filter(|&p| p > 0) {
                        hole(&mut out, &mut seen, &mut holes, pad);
                    }
                    let mut f = snake(&m.name);
                    while !seen.insert(f.clone()) {
                        f.push('_');
                    }
                    let kname = m.name.replace('-', "_");
                    let _ = writeln!(out, "    /// `{kname}`: {}.", m.ty);
                    if f.trim_end_matches('_') != kname || f != kname {
                        let _ = writeln!(out, "    #[nl(name = {})]", lit(&kname));
                    }
                    match (m.hint.as_deref(), m.ty.as_str(), m.len) {
                        (Some("mac"), "binary", Some(_)) => {
                            let _ = writeln!(out, "    #[nl(display = mac)]");
                        }
                        (Some("ipv4"), "binary", Some(4)) | (Some("ipv4"), "u32", _) => {
                            let _ = writeln!(out, "    #[nl(display = ipv4)]");
                        }
                        (Some("ipv6"), "binary", Some(16)) => {
                            let _ = writeln!(out, "    #[nl(display = ipv6)]");
                        }
                        _ => {}
                    }
                    if let Some(e) = &m.enum_ {
                        if member_int(&m.ty) {
                            match names.enum_or_flags(e) {
                                Some((en, true)) => {
                                    let _ = writeln!(out, "    #[nl(flags = <{en} as crate::value::FlagNames>::NAMES)]");
                                }
                                Some((_, false)) if m.as_flags => {
                                    if let Some(f) = names.as_flags(e) {
                                        let _ = writeln!(out, "    #[nl(flags = <{f} as crate::value::FlagNames>::NAMES)]");
                                    }
                                }
                                Some((en, false)) => {
                                    let _ = writeln!(out, "    #[nl(enum = {en})]");
                                }
                                None => report.warn(
                                    &spec.file,
                                    format!(
                                        "struct {}: member {} names undefined enum {e}",
                                        d.name, m.name
                                    ),
                                ),
                            }
                        }
                    }
                    let _ = writeln!(out, "    pub {f}: {},", member_type(m, names));
                }
                if let Some(pad) = layout.as_ref().map(|l| l.tail).filter(|&p| p > 0) {
                    hole(&mut out, &mut seen, &mut holes, pad);
                }
                let _ = writeln!(out, "}}\n");
            }
            DefKind::Other => {}
        }
    }
    for set in &spec.sets {
        attribute_set(&mut out, spec, set, names, report);
    }
    for sub in &spec.subs {
        let Some(rust) = names.get(Kind::Sub, &sub.name) else {
            continue;
        };
        let selector = selector_of(spec, &sub.name).unwrap_or_else(|| {
            report.warn(
                &spec.file,
                format!("sub-message {} is used by no attribute", sub.name),
            );
            "kind".into()
        });
        let _ = writeln!(
            out,
            "/// Sub-message `{}` (YNL `{}`), selected by `{selector}`.",
            sub.name, spec.file
        );
        let _ = writeln!(
            out,
            "#[sub_message(name = {}, selector = {})]",
            lit(&sub.name),
            lit(&selector)
        );
        let _ = writeln!(out, "pub enum {rust}<'a> {{");
        let mut seen = BTreeSet::new();
        for f in &sub.formats {
            let mut v = camel(&f.value);
            while !seen.insert(v.clone()) {
                v.push('_');
            }
            let ty = match (&f.set, &f.fixed) {
                (Some(set), None) => match set_type(names, set) {
                    Some(t) => format!("crate::netlink::Nested<'a, {t}<'a>>"),
                    None => {
                        report.warn(
                            &spec.file,
                            format!(
                                "sub-message {} format {}: undefined attribute set {set}",
                                sub.name, f.value
                            ),
                        );
                        "crate::payload::Bytes<'a>".into()
                    }
                },
                (None, Some(h)) => match names.get(Kind::Struct, h) {
                    Some(t) => format!("crate::payload::Struct<'a, {t}>"),
                    None => "crate::payload::Bytes<'a>".into(),
                },
                (Some(set), Some(h)) => match (names.get(Kind::Struct, h), set_type(names, set)) {
                    (Some(h), Some(a)) => format!("crate::netlink::WithHeader<'a, {h}, {a}<'a>>"),
                    _ => "crate::payload::Bytes<'a>".into(),
                },
                (None, None) => "crate::payload::Bytes<'a>".into(),
            };
            let _ = writeln!(out, "    /// `{}`.", f.value);
            let _ = writeln!(out, "    #[nl(select = {})]", lit(&f.value));
            let _ = writeln!(out, "    {v}({ty}),");
        }
        let _ = writeln!(out, "}}\n");
    }
    out
}

/// A struct's C layout (natural alignment, as the kernel's compiler lays
/// out the uapi struct the spec describes; the specs leave that padding
/// implicit): padding before each member, after the last, size, alignment.
struct CLayout {
    pads: Vec<usize>,
    tail: usize,
    size: usize,
    align: usize,
}

/// The C layout of struct `name`'s `members` (`None` if a member's size is
/// unknown: a struct of another spec). `depth` bounds nesting. A struct
/// the overrides declare `packed` has no padding and alignment 1.
fn c_layout(
    name: &str,
    members: &[crate::spec::Member],
    spec: &Spec,
    names: &Names,
    depth: usize,
) -> Option<CLayout> {
    if depth > 8 {
        return None;
    }
    let packed = spec.packed.iter().any(|p| p == name)
        || spec.defs.iter().any(|d| d.name == name && d.packed);
    let mut pads = Vec::with_capacity(members.len());
    let (mut off, mut align) = (0usize, 1usize);
    for m in members {
        let (size, a) = match m.ty.as_str() {
            "u8" | "s8" => (1, 1),
            "u16" | "s16" => (2, 2),
            "u32" | "s32" => (4, 4),
            "u64" | "s64" => (8, 8),
            _ => match m
                .struct_
                .as_ref()
                .filter(|st| names.get(Kind::Struct, st).is_some())
            {
                Some(st) => {
                    let inner = spec.defs.iter().find_map(|d| match &d.kind {
                        DefKind::Struct(ms) if &d.name == st => Some(ms),
                        _ => None,
                    })?;
                    let l = c_layout(st, inner, spec, names, depth + 1)?;
                    (l.size, l.align)
                }
                // `binary`/`pad` with `len`: bytes, aligned to 1; without
                // one the size is unknown and no padding is guessed.
                None => (m.len?, 1),
            },
        };
        let a = if packed { 1 } else { a };
        let pad = off.next_multiple_of(a) - off;
        pads.push(pad);
        off += pad + size;
        align = align.max(a);
    }
    let size = off.next_multiple_of(align);
    Some(CLayout {
        pads,
        tail: size - off,
        size,
        align,
    })
}

/// A hidden field of `pad` bytes of C padding (`__hole_N` in the
/// metadata: no kernel field).
fn hole(out: &mut String, seen: &mut BTreeSet<String>, holes: &mut usize, pad: usize) {
    *holes += 1;
    let mut f = format!("hole{holes}");
    while !seen.insert(f.clone()) {
        f.push('_');
    }
    let _ = writeln!(
        out,
        "    /// Implicit C padding ({pad} bytes): not a kernel field, not walked."
    );
    let _ = writeln!(out, "    #[nl(hidden, name = \"__hole{holes}\")]");
    let _ = writeln!(out, "    pub {f}: [u8; {pad}],");
}

/// The Rust names of the enums and flag sets [`declarations`] renders for
/// `spec` (not the bit views of enums used as flags, whose values are not
/// the kernel's constants): listed in the family's `declares(...)` so that
/// the registry reaches them.
pub fn enum_types(spec: &Spec, names: &Names) -> Vec<String> {
    let mut out = Vec::new();
    for d in &spec.defs {
        let DefKind::Enum { flags, entries } = &d.kind else {
            continue;
        };
        if entries.is_empty() || spec.extern_enums.contains_key(&d.name) {
            continue;
        }
        let kind = if *flags { Kind::Flags } else { Kind::Enum };
        if let Some(rust) = names.get(kind, &d.name) {
            out.push(rust.to_string());
        }
    }
    out
}

/// Whether some attribute or member reads enum `name` as bits.
pub fn used_as_flags(spec: &Spec, name: &str) -> bool {
    let attr = spec
        .sets
        .iter()
        .flat_map(|s| s.attrs.iter())
        .any(|a| a.as_flags && a.enum_.as_deref() == Some(name));
    let member = spec.defs.iter().any(|d| match &d.kind {
        DefKind::Struct(ms) => ms
            .iter()
            .any(|m| m.as_flags && m.enum_.as_deref() == Some(name)),
        _ => false,
    });
    attr || member
}

fn member_int(ty: &str) -> bool {
    matches!(
        ty,
        "u8" | "u16" | "u32" | "u64" | "s8" | "s16" | "s32" | "s64"
    )
}

/// The Rust type of attribute set `name` (an alias for subsets).
pub fn set_type<'n>(names: &'n Names, name: &str) -> Option<&'n str> {
    names.get(Kind::Set, name)
}

/// The selector attribute name of sub-message `sub`: the `selector:` of
/// the first attribute that carries it.
fn selector_of(spec: &Spec, sub: &str) -> Option<String> {
    spec.sets
        .iter()
        .flat_map(|s| s.attrs.iter())
        .find(|a| a.sub_message.as_deref() == Some(sub))
        .and_then(|a| a.selector.clone())
}

fn open_enum(out: &mut String, spec: &Spec, name: &str, rust: &str, entries: &[(String, u64)]) {
    let max = entries.iter().map(|e| e.1).max().unwrap_or(0);
    let repr = if max > u64::from(u32::MAX) {
        "u64"
    } else {
        "u32"
    };
    let _ = writeln!(out, "/// Enum `{name}` (YNL `{}`).", spec.file);
    let _ = writeln!(out, "#[open_enum({repr})]");
    let _ = writeln!(out, "pub enum {rust} {{");
    let mut seen_v = BTreeSet::new();
    let mut seen_i = BTreeSet::new();
    for (c, v) in entries {
        if !seen_v.insert(*v) {
            continue;
        }
        let mut id = camel(c);
        while !seen_i.insert(id.clone()) {
            id.push('_');
        }
        let _ = writeln!(out, "    /// `{c}`.");
        let _ = writeln!(out, "    #[nl(name = {})]", lit(c));
        let _ = writeln!(out, "    {id} = {v},");
    }
    let _ = writeln!(out, "}}\n");
}

/// A flag set: its bits' names only, or with `constants` (a wire type)
/// also a `pub const` per bit (bits the kernel defines as macros).
fn enum_flags(
    out: &mut String,
    spec: &Spec,
    name: &str,
    rust: &str,
    entries: &[(String, u64)],
    constants: Option<&str>,
) {
    let _ = writeln!(out, "/// Flags `{name}` (YNL `{}`).", spec.file);
    match constants {
        Some(ty) => {
            let _ = writeln!(out, "#[nl_flags({ty})]");
        }
        None => {
            let _ = writeln!(out, "#[nl_flags(u64, names_only)]");
        }
    }
    let _ = writeln!(out, "pub enum {rust} {{");
    let mut seen = BTreeSet::new();
    for (c, v) in entries {
        if *v == 0 || !seen.insert(c.clone()) {
            continue;
        }
        let _ = writeln!(out, "    /// `{c}`.");
        let _ = writeln!(out, "    {c} = {v:#x},");
    }
    let _ = writeln!(out, "}}\n");
}

fn attribute_set(
    out: &mut String,
    spec: &Spec,
    set: &crate::spec::Set,
    names: &Names,
    report: &mut Report,
) {
    if spec.extern_sets.contains_key(&set.name) {
        return;
    }
    let Some(rust) = names.get(Kind::Set, &set.name) else {
        return;
    };
    if let Some(parent) = &set.subset_of {
        if let Some(p) = names.get(Kind::Set, parent) {
            let _ = writeln!(
                out,
                "/// Attribute set `{}`: a subset of `{parent}` (YNL `{}`).",
                set.name, spec.file
            );
            let _ = writeln!(out, "pub type {rust}<'a> = {p}<'a>;\n");
            return;
        }
    }
    // Selectors this set provides to sub-messages of its attributes.
    let mut provides: BTreeMap<&str, &str> = BTreeMap::new();
    for a in &set.attrs {
        if let (Some(_), Some(sel)) = (&a.sub_message, &a.selector) {
            provides.insert(sel.as_str(), sel.as_str());
        }
    }
    let _ = writeln!(
        out,
        "/// Attribute set `{}` (YNL `{}`).",
        set.name, spec.file
    );
    let _ = writeln!(out, "#[attribute_set(name = {})]", lit(&set.name));
    let _ = writeln!(out, "pub enum {rust}<'a> {{");
    let mut seen = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    for a in &set.attrs {
        if a.ty == "unused" || a.value > 0x3fff {
            continue;
        }
        if !kinds.insert(a.value) {
            report.warn(
                &spec.file,
                format!(
                    "set {}: kind {} given twice ({})",
                    set.name, a.value, a.name
                ),
            );
            continue;
        }
        if let Some(n) = &a.nested {
            if names.get(Kind::Set, n).is_none() {
                report.warn(
                    &spec.file,
                    format!(
                        "set {}: attribute {} nests undefined set {n}",
                        set.name, a.name
                    ),
                );
            }
        }
        let mut v = camel(&a.name);
        while !seen.insert(v.clone()) {
            v.push('_');
        }
        let ty = attr_type(a, spec, names);
        let mut opts = format!("kind = {}, name = {}", a.value, lit(&a.c_name));
        if a.multi {
            opts.push_str(", multi");
        }
        if a.nla_f_nested {
            opts.push_str(", flags = crate::netlink::NLA_F_NESTED");
        }
        if a.nla_f_nested_optional {
            opts.push_str(", nested_optional");
        }
        if let Some(sel) = provides.get(a.name.as_str()) {
            let _ = write!(opts, ", provides = {}", lit(sel));
        }
        let _ = writeln!(out, "    /// `{}`: {}.", a.c_name, a.ty);
        let _ = writeln!(out, "    #[nl({opts})]");
        let _ = writeln!(out, "    {v}({ty}),");
    }
    let _ = writeln!(out, "}}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(yaml: &str, name: &str) -> Option<CLayout> {
        let spec = Spec::parse("t.yaml", yaml).unwrap();
        let d = spec.defs.iter().find(|d| d.name == name).unwrap();
        let names = Names::new(&spec, &[]);
        match &d.kind {
            DefKind::Struct(ms) => c_layout(name, ms, &spec, &names, 0),
            _ => None,
        }
    }

    const SPEC: &str = "
name: t
definitions:
  - name: ifmap
    type: struct
    members:
      - {name: mem-start, type: u64}
      - {name: irq, type: u16}
      - {name: dma, type: u8}
  - name: guid
    type: struct
    members:
      - {name: vf, type: u32}
      - {name: guid, type: u64}
  - name: outer
    type: struct
    members:
      - {name: flag, type: u8}
      - {name: inner, type: binary, struct: guid}
  - name: unknown
    type: struct
    members:
      - {name: blob, type: binary}
";

    #[test]
    fn c_layout_pads_like_the_c_compiler() {
        let l = layout(SPEC, "ifmap").unwrap();
        assert_eq!((l.pads, l.tail, l.size, l.align), (vec![0, 0, 0], 5, 16, 8));
        let l = layout(SPEC, "guid").unwrap();
        assert_eq!((l.pads, l.tail, l.size), (vec![0, 4], 0, 16));
        // A nested struct aligns as its widest member.
        let l = layout(SPEC, "outer").unwrap();
        assert_eq!((l.pads, l.size), (vec![0, 7], 24));
        // A member of unknown size: no layout, no padding guessed.
        assert!(layout(SPEC, "unknown").is_none());
    }

    /// `nla-f-nested: optional` in the overrides of a spec marks every
    /// nest-like attribute (`nest`, `sub-message`, …) `nested_optional` and
    /// nothing else; without the key no attribute is.
    #[test]
    fn nla_f_nested_optional_marks_every_nest_of_the_spec() {
        const NF: &str = "
name: nf
protocol: netlink-raw
attribute-sets:
  - name: rule-attrs
    attributes:
      - {name: table, type: string}
      - {name: expressions, type: nest, nested-attributes: list-attrs}
      - {name: data, type: sub-message, sub-message: ops, selector: table}
  - name: list-attrs
    attributes:
      - {name: elem, type: nest, nested-attributes: rule-attrs, multi-attr: true}
sub-messages:
  - name: ops
    formats:
      - {value: cmp, attribute-set: list-attrs}
";
        let render = |overrides: &str| {
            let o = crate::overrides::Overrides::parse(overrides).unwrap();
            let spec = Spec::parse("nf.yaml", &o.patch("nf.yaml", NF).unwrap()).unwrap();
            let names = Names::new(&spec, &[]);
            declarations(&spec, &names, &mut Report::default())
        };
        let out = render("specs:\n  nf.yaml:\n    nla-f-nested: optional\n");
        let marked: Vec<&str> = out
            .lines()
            .filter(|l| l.contains("#[nl("))
            .filter(|l| l.contains("nested_optional"))
            .collect();
        assert_eq!(marked.len(), 3, "{out}");
        assert!(marked.iter().all(|l| !l.contains("TABLE")), "{out}");
        assert!(!out.contains("NLA_F_NESTED"), "{out}");
        // Without the key: no attribute accepts the other form.
        assert!(!render("specs: {}\n").contains("nested_optional"));
        // `flagged-optional`: the `nest`s are also emitted with the flag;
        // the sub-message only accepts it.
        let out = render("specs:\n  nf.yaml:\n    nla-f-nested: flagged-optional\n");
        let attrs: Vec<&str> = out.lines().filter(|l| l.contains("#[nl(kind")).collect();
        let both: Vec<&str> = attrs
            .iter()
            .copied()
            .filter(|l| l.contains("flags = crate::netlink::NLA_F_NESTED, nested_optional"))
            .collect();
        assert_eq!(both.len(), 2, "{out}");
        assert!(
            both.iter()
                .all(|l| l.contains("EXPRESSIONS") || l.contains("ELEM")),
            "{out}"
        );
        let data: Vec<&str> = attrs
            .iter()
            .copied()
            .filter(|l| l.contains("DATA"))
            .collect();
        assert_eq!(data.len(), 1, "{out}");
        assert!(
            data[0].contains("nested_optional") && !data[0].contains("NLA_F_NESTED"),
            "{out}"
        );
    }
}
