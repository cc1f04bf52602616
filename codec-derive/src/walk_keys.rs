//! Whether a structure's generated walk reports only distinct, plain names
//! at its own level: then its group is opened with
//! `Visitor::begin_struct`, and a printer may skip its check for repeated
//! names there.

use crate::attrs::{Display, FieldOpts};

/// The names the generated walk of these fields can report at the
/// structure's level (`extra`: the bytes beyond the known fields of an
/// extensible structure or of a struct payload); `None` if a field is
/// walked by hand-written code (`walk_with`), whose names are not known.
fn level_names(fields: &[(syn::Ident, syn::Type, FieldOpts)]) -> Option<Vec<String>> {
    let mut names = vec!["extra".to_string()];
    for (fi, _, opts) in fields {
        let name = super::structs::field_name(fi, opts);
        if opts.hidden {
            continue;
        }
        if opts.walk_with.is_some() {
            return None;
        }
        if !opts.bits.is_empty() {
            names.extend(opts.bits.iter().map(|(b, _, _)| b.to_string()));
            continue;
        }
        if matches!(opts.display, Some(Display::Addr(_) | Display::AddrBy(..))) {
            // An IPv4 address slot also reports its other words.
            names.push(format!("{name}_extra"));
        }
        names.push(name);
    }
    Some(names)
}

/// `true` if the generated walk of `fields` reports distinct names at its
/// level, none with a byte that JSON escapes (`"`, `\`, control
/// characters) and none that reads as an array index.
pub fn distinct_plain(fields: &[(syn::Ident, syn::Type, FieldOpts)]) -> bool {
    let Some(mut names) = level_names(fields) else {
        return false;
    };
    let plain = names.iter().all(|n| {
        !n.is_empty()
            && !n.starts_with(|c: char| c.is_ascii_digit() || c == '+')
            && !n.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\')
    });
    let all = names.len();
    names.sort_unstable();
    names.dedup();
    plain && names.len() == all
}
