//! Message tables (`#[nl_family]`) from the specs' operations: for
//! netlink-raw protocols, `nlmsg_type` → fixed header + attribute set,
//! merged over every spec of the protocol; for genetlink families,
//! `genlmsghdr.cmd` → attribute set, per direction.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::names::{camel, lit};
use crate::overrides::Protocol;
use crate::report::Report;
use crate::spec::{Dir, Spec};
use crate::types::{Kind, Names};

/// One body shape and the messages that carry it.
struct Group {
    variant: String,
    ty: String,
    rows: BTreeMap<Dir, BTreeSet<u64>>,
}

fn add(groups: &mut Vec<Group>, variant: String, ty: String, dir: Dir, value: u64) {
    if let Some(g) = groups.iter_mut().find(|g| g.ty == ty) {
        g.rows.entry(dir).or_default().insert(value);
        return;
    }
    let mut v = variant;
    while groups.iter().any(|g| g.variant == v) {
        v.push('_');
    }
    let mut rows = BTreeMap::new();
    rows.entry(dir).or_insert_with(BTreeSet::new).insert(value);
    groups.push(Group {
        variant: v,
        ty,
        rows,
    });
}

fn pattern(values: &BTreeSet<u64>) -> String {
    values
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The message table of a netlink-raw protocol made of `specs` (each in
/// module `modules[i]`), as the protocol's `mod.rs` body.
pub fn raw_table(
    proto: &Protocol,
    specs: &[(&Spec, &Names, String)],
    report: &mut Report,
) -> String {
    let mut out = String::new();
    // Type names: the specs' requests first, then the override's list.
    let mut types: BTreeMap<u64, String> = BTreeMap::new();
    for (spec, _, _) in specs {
        for op in &spec.ops {
            if let Some(v) = op.req {
                types.entry(v).or_insert_with(|| op.c_name.clone());
            }
        }
    }
    for (name, v) in &proto.types {
        types.entry(*v).or_insert_with(|| name.clone());
    }
    for (name, v) in &proto.type_names {
        types.insert(*v, name.clone());
    }
    for (spec, _, _) in specs {
        for op in &spec.ops {
            if let Some(v) = op.rsp {
                if !types.values().any(|c| c == &op.c_name) {
                    types.entry(v).or_insert_with(|| op.c_name.clone());
                }
            }
        }
    }
    let types_enum = format!("{}Type", proto.rust);
    let _ = writeln!(out, "/// `{}` message types (`nlmsg_type`).", proto.name);
    let _ = writeln!(out, "#[open_enum(u16, consts)]");
    let _ = writeln!(out, "pub enum {types_enum} {{");
    let mut seen = BTreeSet::new();
    for (v, c) in &types {
        let mut id = camel(proto.short_name(c));
        while !seen.insert(id.clone()) {
            id.push('_');
        }
        let _ = writeln!(out, "    /// `{c}`.");
        let _ = writeln!(out, "    #[nl(name = {})]", lit(c));
        let _ = writeln!(out, "    {id} = {v},");
    }
    let _ = writeln!(out, "}}\n");

    // Groups by (header, set).
    let mut groups: Vec<Group> = Vec::new();
    let mut taken: BTreeMap<(Dir, u64), String> = BTreeMap::new();
    for (spec, names, module) in specs {
        for op in &spec.ops {
            let header = op
                .fixed_header
                .as_deref()
                .and_then(|h| names.get(Kind::Struct, h))
                .map(|h| format!("{module}::{h}"));
            let set = op
                .set
                .as_deref()
                .and_then(|s| names.get(Kind::Set, s))
                .map(|s| format!("{module}::{s}<'a>"))
                .unwrap_or_else(|| "crate::netlink::AnyAttr<'a>".into());
            let Some(header) = header else {
                report.warn(&spec.file, format!("op {}: no fixed header", op.name));
                continue;
            };
            let ty = match &proto.short_header {
                Some(short) => {
                    format!("crate::netlink::OrShort<'a, {short}, {header}, {set}>")
                }
                None => format!("crate::netlink::Message<'a, {header}, {set}>"),
            };
            let variant = camel(
                op.set
                    .as_deref()
                    .or(op.fixed_header.as_deref())
                    .unwrap_or(&op.name)
                    .trim_end_matches("attrs")
                    .trim_end_matches('-'),
            );
            // rtnetlink-style protocols: one body per type whatever the
            // direction (the kernel sends `RTM_DEL*` notifications the
            // specs list only as requests).
            for v in [op.req, op.rsp].into_iter().flatten() {
                if let Some(prev) = taken.get(&(Dir::Request, v)) {
                    if prev != &ty {
                        report.warn(
                            &spec.file,
                            format!(
                                "op {}: type {v} already takes another body; first kept",
                                op.name
                            ),
                        );
                    }
                    continue;
                }
                taken.insert((Dir::Request, v), ty.clone());
                add(&mut groups, variant.clone(), ty.clone(), Dir::Request, v);
            }
        }
    }
    let _ = writeln!(
        out,
        "/// One `{}` message: its type's fixed header and attributes.",
        proto.name
    );
    let _ = writeln!(
        out,
        "#[nl_family(protocol = {}, name = {}, types = {types_enum}, reading = flag_reading, declares({}))]",
        proto.protocol_expr,
        lit(&proto.name),
        raw_declares(&types_enum, specs)
    );
    let _ = writeln!(out, "pub enum {}Message<'a> {{", proto.rust);
    for g in &groups {
        let _ = writeln!(out, "    /// `{}`.", g.variant);
        for vals in g.rows.values() {
            let _ = writeln!(out, "    #[nl(types = {})]", pattern(vals));
        }
        let _ = writeln!(out, "    {}({}),", g.variant, g.ty);
    }
    let _ = writeln!(out, "}}\n");

    // How a request's NLM_F_* bits read: by the name of its type.
    let mut readings: BTreeMap<&str, BTreeSet<u64>> = BTreeMap::new();
    for (v, c) in &types {
        // The first word of the name that says it (`NEWLINK`, `CT_GET`).
        let r = proto.short_name(c).split('_').find_map(|w| {
            if w.starts_with("NEW") {
                Some("New")
            } else if w.starts_with("DEL") || w.starts_with("DESTROY") {
                Some("Delete")
            } else if w.starts_with("GET") {
                Some("Get")
            } else {
                None
            }
        });
        let Some(r) = r else {
            continue;
        };
        readings.entry(r).or_default().insert(*v);
    }
    let _ = writeln!(
        out,
        "/// How the `0x100..0x800` bits of a request's flags read for a type: by"
    );
    let _ = writeln!(out, "/// its kernel name (`*_NEW*`, `*_DEL*`, `*_GET*`).");
    let _ = writeln!(
        out,
        "pub fn flag_reading(nlmsg_type: u16) -> crate::netlink::FlagReading {{"
    );
    let _ = writeln!(out, "    match nlmsg_type {{");
    for (r, vals) in &readings {
        let _ = writeln!(
            out,
            "        {} => crate::netlink::FlagReading::{r},",
            pattern(vals)
        );
    }
    let _ = writeln!(out, "        _ => crate::netlink::FlagReading::Other,");
    let _ = writeln!(out, "    }}");
    let _ = writeln!(out, "}}");
    out
}

/// What a netlink-raw protocol's `declares(...)` lists: its message types
/// and every enum and flag set of its specs (so that the registry reaches
/// the kernel constants the message table does not).
fn raw_declares(types_enum: &str, specs: &[(&Spec, &Names, String)]) -> String {
    let mut all = vec![types_enum.to_string()];
    for (spec, names, module) in specs {
        for e in crate::render::enum_types(spec, names) {
            all.push(if module == "self" {
                e
            } else {
                format!("{module}::{e}")
            });
        }
    }
    all.join(", ")
}

/// What a genetlink family's `declares(...)` lists: its command enums and
/// every enum and flag set of its spec.
fn genl_declares(spec: &Spec, names: &Names, cmd_enum: &str, rsp_enum: &str) -> String {
    let mut all = vec![cmd_enum.to_string()];
    if spec.directional {
        all.push(rsp_enum.to_string());
    }
    all.extend(crate::render::enum_types(spec, names));
    all.join(", ")
}

/// The message table of a genetlink family: its `genlmsghdr` (with any
/// fixed header after it), its commands, and cmd → attribute set.
pub fn genl_table(spec: &Spec, names: &Names, report: &mut Report) -> String {
    let mut out = String::new();
    let base = camel(&spec.name);
    let cmd_enum = format!("{base}Cmd");
    let rsp_enum = format!("{base}ReplyCmd");
    // Commands: requests in one enum, replies (and notifications) in another
    // where the model is directional.
    let mut req: BTreeMap<u64, (String, String)> = BTreeMap::new();
    let mut rsp: BTreeMap<u64, (String, String)> = BTreeMap::new();
    for op in &spec.ops {
        let ident = camel(&op.name);
        if let Some(v) = op.req {
            req.entry(v)
                .or_insert_with(|| (op.c_name.clone(), ident.clone()));
        }
        if let Some(v) = op.rsp {
            if spec.directional {
                let r = if op.reply_c_name == op.c_name {
                    ident.clone()
                } else if op.reply_c_name.ends_with("_REPLY") {
                    format!("{ident}Reply")
                } else {
                    // A command of its own (`DEVLINK_CMD_NEW` → `New`).
                    let short = op
                        .reply_c_name
                        .strip_prefix(spec.ops_prefix.as_str())
                        .unwrap_or(&op.reply_c_name);
                    camel(short)
                };
                rsp.entry(v).or_insert_with(|| (op.reply_c_name.clone(), r));
            } else {
                req.entry(v)
                    .or_insert_with(|| (op.c_name.clone(), ident.clone()));
            }
        }
    }
    cmd_enum_src(&mut out, &cmd_enum, &req, "commands to the kernel", spec);
    if spec.directional {
        cmd_enum_src(&mut out, &rsp_enum, &rsp, "messages from the kernel", spec);
    }
    // The header: genlmsghdr, then the family's fixed header if any; and
    // one more per fixed header that only some operations carry.
    let hdr = format!("{base}Header");
    genl_header(
        &mut out,
        &hdr,
        &cmd_enum,
        spec.fixed_header.as_deref(),
        "the family's",
        spec,
        names,
        report,
    );
    let mut op_headers: BTreeMap<String, String> = BTreeMap::new();
    for op in &spec.ops {
        let Some(fh) = op.fixed_header.as_deref() else {
            continue;
        };
        if Some(fh) == spec.fixed_header.as_deref() || op_headers.contains_key(fh) {
            continue;
        }
        let name = format!("{base}With{}", camel(fh));
        genl_header(
            &mut out,
            &name,
            &cmd_enum,
            Some(fh),
            "the operation's",
            spec,
            names,
            report,
        );
        op_headers.insert(fh.to_string(), name);
    }
    // Rows by (set, dir).
    let mut groups: Vec<Group> = Vec::new();
    for op in &spec.ops {
        let set = op
            .set
            .as_deref()
            .and_then(|s| names.get(Kind::Set, s).map(|r| (s, r)));
        // An operation with a fixed header of its own gets the header
        // made for it above.
        let op_hdr = op
            .fixed_header
            .as_deref()
            .and_then(|fh| op_headers.get(fh))
            .unwrap_or(&hdr);
        let suffix = if op_hdr == &hdr { "" } else { "WithHeader" };
        let (variant, ty) = match set {
            Some((s, r)) => (
                format!("{}{suffix}", camel(s)),
                format!("crate::netlink::Message<'a, {op_hdr}, {r}<'a>>"),
            ),
            None => (
                format!("Other{suffix}"),
                format!("crate::netlink::Message<'a, {op_hdr}, crate::netlink::AnyAttr<'a>>"),
            ),
        };
        for (dir, v) in [(Dir::Request, op.req), (Dir::Reply, op.rsp)] {
            if let Some(v) = v {
                add(&mut groups, variant.clone(), ty.clone(), dir, v);
            }
        }
    }
    // First row wins for a (dir, cmd) taken twice: drop later duplicates.
    let mut taken: BTreeSet<(Dir, u64)> = BTreeSet::new();
    for g in &mut groups {
        for (d, vals) in g.rows.iter_mut() {
            vals.retain(|v| taken.insert((*d, *v)));
        }
        g.rows.retain(|_, v| !v.is_empty());
    }
    groups.retain(|g| !g.rows.is_empty());
    let _ = writeln!(
        out,
        "/// One `{}` message: `genlmsghdr` and the command's attributes.",
        spec.name
    );
    let _ = writeln!(
        out,
        "#[nl_family(protocol = crate::family::NETLINK_GENERIC, name = {0}, genl = {0}, selector(offset = 0, name = \"cmd\", enum = {cmd_enum}), declares({1}))]",
        lit(&spec.name),
        genl_declares(spec, names, &cmd_enum, &rsp_enum)
    );
    let _ = writeln!(out, "pub enum {base}Message<'a> {{");
    for g in &groups {
        let _ = writeln!(out, "    /// Attribute set `{}`.", g.variant);
        // One row per command and direction, named by its kernel name.
        for (d, vals) in &g.rows {
            for v in vals {
                let pat = select_pat(&cmd_enum, &req, *v);
                let names = if *d == Dir::Reply && spec.directional {
                    &rsp
                } else {
                    &req
                };
                let dir = if *d == Dir::Request {
                    ", request"
                } else {
                    ", reply"
                };
                match names.get(v) {
                    Some((c, _)) => {
                        let _ = writeln!(out, "    #[nl(select = {pat}{dir}, name = {})]", lit(c));
                    }
                    None => {
                        let _ = writeln!(out, "    #[nl(select = {pat}{dir})]");
                    }
                }
            }
        }
        let _ = writeln!(out, "    {}({}),", g.variant, g.ty);
    }
    // Commands the spec does not list (specs lag the kernel: nl80211's
    // station dumps): the family's most used attribute set, rather than
    // bytes.
    let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
    for op in &spec.ops {
        if let Some(s) = op.set.as_deref().and_then(|s| names.get(Kind::Set, s)) {
            *uses.entry(s).or_default() += 1;
        }
    }
    let main = uses
        .iter()
        .max_by_key(|(s, n)| (**n, std::cmp::Reverse(**s)))
        .map(|(s, _)| *s);
    let main_ty = match main {
        Some(s) => format!("crate::netlink::Message<'a, {hdr}, {s}<'a>>"),
        None => format!("crate::netlink::Message<'a, {hdr}, crate::netlink::AnyAttr<'a>>"),
    };
    let mut other = "Unlisted".to_string();
    while groups.iter().any(|g| g.variant == other) {
        other.push('_');
    }
    let _ = writeln!(
        out,
        "    /// A command the spec does not list: the family's main attribute set."
    );
    let _ = writeln!(out, "    #[nl(default)]");
    let _ = writeln!(out, "    {other}({main_ty}),");
    let _ = writeln!(out, "}}");
    out
}

/// The command enum `rust` of a spec rendered as declarations only: the
/// kernel's names (`commands`, from the overrides), then the requests the
/// spec lists that they lack. A request the spec names otherwise than the
/// kernel is reported.
pub fn commands_only(
    spec: &Spec,
    rust: &str,
    commands: &[(String, u64)],
    report: &mut Report,
) -> String {
    let short = |c: &str| camel(c.strip_prefix(spec.ops_prefix.as_str()).unwrap_or(c));
    let mut cmds: BTreeMap<u64, (String, String)> = BTreeMap::new();
    for (c, v) in commands {
        cmds.entry(*v).or_insert_with(|| (c.clone(), short(c)));
    }
    for op in &spec.ops {
        let Some(v) = op.req else { continue };
        match cmds.get(&v) {
            Some((c, _)) if c != &op.c_name => report.warn(
                &spec.file,
                format!("op {}: request {v} is {c} in the overrides", op.c_name),
            ),
            Some(_) => {}
            None => {
                cmds.insert(v, (op.c_name.clone(), short(&op.c_name)));
            }
        }
    }
    let mut out = String::new();
    cmd_enum_src(&mut out, rust, &cmds, "commands", spec);
    out
}

/// A pattern on the command enum matching `v`.
fn select_pat(en: &str, req: &BTreeMap<u64, (String, String)>, v: u64) -> String {
    match req.get(&v) {
        Some((_, ident)) => format!("{en}::{ident}"),
        None => format!("{en}::Unknown({v})"),
    }
}

fn cmd_enum_src(
    out: &mut String,
    rust: &str,
    cmds: &BTreeMap<u64, (String, String)>,
    what: &str,
    spec: &Spec,
) {
    let _ = writeln!(
        out,
        "/// `{}` {what} (`genlmsghdr.cmd`, YNL `{}`).",
        spec.name, spec.file
    );
    let _ = writeln!(out, "#[open_enum(u8)]");
    let _ = writeln!(out, "pub enum {rust} {{");
    let mut seen = BTreeSet::new();
    for (v, (c, ident)) in cmds {
        if *v > 255 {
            continue;
        }
        let mut ident = ident.clone();
        while !seen.insert(ident.clone()) {
            ident.push('_');
        }
        let _ = writeln!(out, "    /// `{c}`.");
        let _ = writeln!(out, "    #[nl(name = {})]", lit(c));
        let _ = writeln!(out, "    {ident} = {v},");
    }
    let _ = writeln!(out, "}}\n");
}

/// A `genlmsghdr` struct named `rust` (cmd read as `cmd_enum`), followed by
/// the fixed header `fh` if any (`whose`: "the family's", "the
/// operation's").
#[allow(clippy::too_many_arguments)]
fn genl_header(
    out: &mut String,
    rust: &str,
    cmd_enum: &str,
    fh: Option<&str>,
    whose: &str,
    spec: &Spec,
    names: &Names,
    report: &mut Report,
) {
    let _ = writeln!(
        out,
        "/// `struct genlmsghdr` of `{}` messages (cmd read as the family's",
        spec.name
    );
    let _ = writeln!(
        out,
        "/// commands){}.",
        if fh.is_some() {
            format!(", and {whose} fixed header")
        } else {
            String::new()
        }
    );
    let _ = writeln!(out, "#[nl_struct(name = \"genlmsghdr\")]");
    let _ = writeln!(out, "pub struct {rust} {{");
    let _ = writeln!(out, "    /// `cmd`.");
    let _ = writeln!(out, "    #[nl(enum = {cmd_enum})]");
    let _ = writeln!(out, "    pub cmd: u8,");
    let _ = writeln!(out, "    /// `version`.");
    let _ = writeln!(out, "    pub version: u8,");
    let _ = writeln!(out, "    /// `reserved`.");
    let _ = writeln!(
        out,
        "    pub reserved: zerocopy::byteorder::U16<zerocopy::NativeEndian>,"
    );
    if let Some(fh) = fh {
        match names.get(Kind::Struct, fh) {
            Some(t) => {
                let f = crate::names::snake(fh);
                let _ = writeln!(
                    out,
                    "    /// `struct {}`: {whose} fixed header.",
                    fh.replace('-', "_")
                );
                let _ = writeln!(out, "    pub {f}: {t},");
            }
            None => report.warn(&spec.file, format!("fixed header {fh} is not defined")),
        }
    }
    let _ = writeln!(out, "}}\n");
}
