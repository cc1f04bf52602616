//! Names: YNL's dashed names turned into Rust identifiers and kernel
//! constant names.

/// `"link-attrs"` → `"LinkAttrs"`; a leading digit gets a `V` prefix.
pub fn camel(name: &str) -> String {
    let mut out = String::new();
    for part in name.split(['-', '_', ' ', '.']) {
        let mut cs = part.chars();
        if let Some(f) = cs.next() {
            out.extend(f.to_uppercase());
            out.push_str(&cs.as_str().to_lowercase());
        }
    }
    if out.is_empty() {
        out.push('X');
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    match out.as_str() {
        "Self" | "Unknown" | "Unselected" | "UnknownType" | "Unspec" => out.push('_'),
        _ => {}
    }
    out
}

/// `"ifa-family"` → `"ifa_family"`, a field identifier (keywords get a
/// trailing `_`).
pub fn snake(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c == '-' || c == '.' || c == ' ' {
                '_'
            } else {
                c
            }
        })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if is_keyword(&out) {
        out.push('_');
    }
    out
}

/// `"ifa-", "address"` → `"IFA_ADDRESS"`.
pub fn c_name(prefix: &str, name: &str) -> String {
    format!("{prefix}{name}")
        .chars()
        .map(|c| match c {
            '-' | '.' | ' ' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "Self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
    )
}

/// A Rust string literal of `s`.
pub fn lit(s: &str) -> String {
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(camel("link-attrs"), "LinkAttrs");
        assert_eq!(camel("802.1q"), "V8021q");
        assert_eq!(camel("unknown"), "Unknown_");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("ifa-family"), "ifa_family");
        assert_eq!(c_name("ifa-", "rt-priority"), "IFA_RT_PRIORITY");
    }
}
