//! `nlwire families`: the families this build decodes, listed from the
//! codec's registry ([`nlwire::registry::Registry::DEFAULT`]) as a Markdown
//! table (the README's list is this output).

use std::fmt::Write as _;

use nlwire::registry::{Decl, Registry};

/// The table: one row per registry entry, in registry order.
pub fn table() -> String {
    let mut s = String::from(
        "| family | netlink protocol | message kinds | attribute sets | structs |\n|---|---|---|---|---|\n",
    );
    for e in Registry::DEFAULT.entries() {
        let decls = e.collect_declarations();
        let sets = decls
            .iter()
            .filter(|d| matches!(d, Decl::AttributeSet(_)))
            .count();
        let structs = decls
            .iter()
            .filter(|d| matches!(d, Decl::Struct(_)))
            .count();
        let proto = crate::output::family_name(e.protocol).unwrap_or("?");
        let name = match e.sub_family {
            Some(n) => format!("`{n}` (generic netlink)"),
            None => format!("`{}`", e.name),
        };
        let _ = writeln!(
            s,
            "| {name} | {proto} ({}) | {} | {sets} | {structs} |",
            e.protocol,
            e.rows.len()
        );
    }
    s
}
