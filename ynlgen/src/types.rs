//! The Rust type of each YNL member and attribute, in nlwire's payload
//! vocabulary, and the Rust names given to a spec's declarations.

use std::collections::{BTreeMap, BTreeSet};

use crate::names::camel;
use crate::spec::{Attr, DefKind, Member, Spec};

/// What a declaration is, for naming.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `enum` definition.
    Enum,
    /// `flags` definition.
    Flags,
    /// `struct` definition.
    Struct,
    /// Attribute set.
    Set,
    /// Sub-message.
    Sub,
    /// The bit names of an `enum` used with `enum-as-flags` (each value is
    /// a bit number).
    Bits,
}

/// Unique Rust identifiers for a spec's declarations.
pub struct Names {
    map: BTreeMap<(Kind, String), String>,
}

impl Names {
    /// Name every declaration of `spec`; a name taken twice gets a suffix
    /// by kind.
    pub fn new(spec: &Spec, reserved: &[&str]) -> Names {
        let mut map = BTreeMap::new();
        let mut want: Vec<((Kind, String), String)> = Vec::new();
        for d in &spec.defs {
            if let Some(path) = spec.extern_enums.get(&d.name) {
                // Already a codec type: named by its path, never rendered.
                map.insert((Kind::Enum, d.name.clone()), path.clone());
                continue;
            }
            let k = match &d.kind {
                DefKind::Enum { flags: true, .. } => Kind::Flags,
                DefKind::Enum { .. } => Kind::Enum,
                DefKind::Struct(_) => Kind::Struct,
                DefKind::Other => continue,
            };
            want.push(((k, d.name.clone()), camel(&d.name)));
            if k == Kind::Enum {
                want.push((
                    (Kind::Bits, d.name.clone()),
                    format!("{}Bits", camel(&d.name)),
                ));
            }
        }
        for st in &spec.sets {
            if let Some(path) = spec.extern_sets.get(&st.name) {
                // Already a codec type: named by its path, never rendered.
                map.insert((Kind::Set, st.name.clone()), path.clone());
                continue;
            }
            let mut c = camel(&st.name);
            if !c.ends_with("Attrs") {
                c.push_str("Attrs");
            }
            want.push(((Kind::Set, st.name.clone()), c));
        }
        for m in &spec.subs {
            let mut c = camel(&m.name);
            if !c.ends_with("Msg") {
                c.push_str("Msg");
            }
            want.push(((Kind::Sub, m.name.clone()), c));
        }
        let mut used: BTreeSet<String> = reserved.iter().map(|s| s.to_string()).collect();
        for (key, mut c) in want {
            if used.contains(&c) {
                let suffix = match key.0 {
                    Kind::Enum => "Enum",
                    Kind::Flags => "Flags",
                    Kind::Struct => "Struct",
                    Kind::Set => "Set",
                    Kind::Sub => "Sub",
                    Kind::Bits => "Names",
                };
                c.push_str(suffix);
                while used.contains(&c) {
                    c.push('_');
                }
            }
            used.insert(c.clone());
            map.insert(key, c);
        }
        Names { map }
    }

    /// The Rust name of a declaration.
    pub fn get(&self, kind: Kind, name: &str) -> Option<&str> {
        self.map.get(&(kind, name.to_string())).map(String::as_str)
    }

    /// The flag-name declaration to use for `name` with `enum-as-flags`:
    /// the flags themselves, or an enum's bit names.
    pub fn as_flags(&self, name: &str) -> Option<&str> {
        self.get(Kind::Flags, name)
            .or_else(|| self.get(Kind::Bits, name))
    }

    /// The enum or flags declaration named `name`, and whether it is flags.
    pub fn enum_or_flags(&self, name: &str) -> Option<(&str, bool)> {
        self.get(Kind::Enum, name)
            .map(|n| (n, false))
            .or_else(|| self.get(Kind::Flags, name).map(|n| (n, true)))
    }
}

const NE: &str = "zerocopy::NativeEndian";
const BE: &str = "zerocopy::BigEndian";

/// The zerocopy (or plain) type of a scalar struct member.
pub fn member_scalar(ty: &str, be: bool) -> Option<String> {
    let o = if be { BE } else { NE };
    Some(match ty {
        "u8" => "u8".into(),
        "s8" => "i8".into(),
        "u16" => format!("zerocopy::byteorder::U16<{o}>"),
        "u32" => format!("zerocopy::byteorder::U32<{o}>"),
        "u64" => format!("zerocopy::byteorder::U64<{o}>"),
        "s16" => format!("zerocopy::byteorder::I16<{o}>"),
        "s32" => format!("zerocopy::byteorder::I32<{o}>"),
        "s64" => format!("zerocopy::byteorder::I64<{o}>"),
        _ => return None,
    })
}

/// The type of a struct member.
pub fn member_type(m: &Member, names: &Names) -> String {
    if let Some(t) = member_scalar(&m.ty, m.be) {
        return t;
    }
    if let Some(st) = &m.struct_ {
        if let Some(n) = names.get(Kind::Struct, st) {
            return n.to_string();
        }
    }
    format!("[u8; {}]", m.len.unwrap_or(0))
}

/// The host-order payload type of an integer attribute.
fn attr_int(ty: &str, be: bool) -> Option<String> {
    let o = if be { BE } else { NE };
    Some(match (ty, be) {
        ("u8", _) => "u8".into(),
        ("s8", _) => "i8".into(),
        ("u16", false) => "u16".into(),
        ("u32", false) => "u32".into(),
        ("u64", false) => "u64".into(),
        ("s16", false) => "i16".into(),
        ("s32", false) => "i32".into(),
        ("s64", false) => "i64".into(),
        ("u16", true) => format!("zerocopy::byteorder::U16<{o}>"),
        ("u32", true) => format!("zerocopy::byteorder::U32<{o}>"),
        ("u64", true) => format!("zerocopy::byteorder::U64<{o}>"),
        ("s16", true) => format!("zerocopy::byteorder::I16<{o}>"),
        ("s32", true) => format!("zerocopy::byteorder::I32<{o}>"),
        ("s64", true) => format!("zerocopy::byteorder::I64<{o}>"),
        _ => return None,
    })
}

/// The payload type of an element of an array (`sub-type`).
fn elem(sub: &str, a: &Attr, spec: &Spec, names: &Names) -> String {
    match sub {
        "nest" => match a.nested.as_deref().and_then(|n| names.get(Kind::Set, n)) {
            Some(set) => format!("crate::netlink::Nested<'a, {set}<'a>>"),
            None => "crate::payload::Bytes<'a>".into(),
        },
        "binary" => match a
            .struct_
            .as_deref()
            .and_then(|n| names.get(Kind::Struct, n))
        {
            Some(st) => format!("crate::payload::Struct<'a, {st}>"),
            None => "crate::payload::Bytes<'a>".into(),
        },
        other => {
            let _ = spec;
            attr_int(other, a.be).unwrap_or_else(|| "crate::payload::Bytes<'a>".into())
        }
    }
}

/// The payload type of an attribute (for `multi-attr`, of one instance).
pub fn attr_type(a: &Attr, spec: &Spec, names: &Names) -> String {
    if a.ty == "nest" {
        let header = a
            .fixed_header
            .as_deref()
            .and_then(|h| names.get(Kind::Struct, h));
        let set = a.nested.as_deref().and_then(|n| names.get(Kind::Set, n));
        if let (Some(h), Some(set)) = (header, set) {
            return format!("crate::netlink::WithHeader<'a, {h}, {set}<'a>>");
        }
    }
    let hint = a.hint.as_deref();
    if matches!(hint, Some("ipv4" | "ipv6" | "ipv4-or-v6")) && a.ty != "nest" {
        return "crate::payload::IpAddr<'a>".into();
    }
    if hint == Some("mac") {
        return "crate::payload::Mac<'a>".into();
    }
    if let Some(int) = attr_int(&a.ty, a.be) {
        if let Some(e) = &a.enum_ {
            if let Some((en, flags)) = names.enum_or_flags(e) {
                if flags || a.as_flags {
                    if let Some(f) = names.as_flags(e) {
                        return format!("crate::flags::FlagBits<{int}, {f}>");
                    }
                }
                return format!("crate::flags::EnumVal<{int}, {en}>");
            }
        }
        return int;
    }
    match a.ty.as_str() {
        "uint" => "crate::payload::Uint".into(),
        "sint" => "crate::payload::Sint".into(),
        "string" => "crate::payload::NulStr<'a>".into(),
        "flag" => "crate::payload::Flag".into(),
        "bitfield32" => "&'a crate::netlink::NlaBitfield32".into(),
        "binary" => {
            if let Some(st) = a
                .struct_
                .as_deref()
                .and_then(|n| names.get(Kind::Struct, n))
            {
                return format!("crate::payload::Struct<'a, {st}>");
            }
            match a.sub_type.as_deref() {
                Some("u32") => format!(
                    "crate::payload::Array<'a, zerocopy::byteorder::U32<{}>>",
                    if a.be { BE } else { NE }
                ),
                Some("u64") => format!(
                    "crate::payload::Array<'a, zerocopy::byteorder::U64<{}>>",
                    if a.be { BE } else { NE }
                ),
                _ => "crate::payload::Bytes<'a>".into(),
            }
        }
        "nest" => match a.nested.as_deref().and_then(|n| names.get(Kind::Set, n)) {
            Some(set) => format!("crate::netlink::Nested<'a, {set}<'a>>"),
            None => "crate::payload::Bytes<'a>".into(),
        },
        "indexed-array" | "array-nest" => {
            let sub = a.sub_type.as_deref().unwrap_or("nest");
            format!(
                "crate::netlink::IndexedArray<'a, {}>",
                elem(sub, a, spec, names)
            )
        }
        "nest-type-value" => {
            let mut t = match a.nested.as_deref().and_then(|n| names.get(Kind::Set, n)) {
                Some(set) => format!("crate::netlink::Nested<'a, {set}<'a>>"),
                None => "crate::payload::Bytes<'a>".into(),
            };
            for _ in 0..a.type_value.len().max(1) {
                t = format!("crate::netlink::IndexedArray<'a, {t}>");
            }
            t
        }
        "sub-message" => match a
            .sub_message
            .as_deref()
            .and_then(|n| names.get(Kind::Sub, n))
        {
            Some(sub) => format!("crate::netlink::Sub<'a, {sub}<'a>>"),
            None => "crate::payload::Bytes<'a>".into(),
        },
        _ => "crate::payload::Bytes<'a>".into(),
    }
}
