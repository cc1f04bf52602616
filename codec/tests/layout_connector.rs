//! Layout conformance of `NETLINK_CONNECTOR`'s declarations against this
//! machine's `<linux/connector.h>` and `<linux/cn_proc.h>`: `struct cn_msg`,
//! the fixed part of `struct proc_event`, every member of its union
//! `event_data` (`sizeof` and every field's `offsetof` inside the member),
//! `enum proc_cn_mcast_op` as a request body. `struct proc_input` is Linux
//! 6.6+; where the headers lack it, it is checked against the 6.6 header's
//! layout (two 4-byte enums) instead.
//!
//! Every struct the connector's message table reaches must have a C
//! counterpart below, so a new declaration cannot escape the check. Without
//! `cc` the test is skipped with a message, or fails under `CI=true`.

mod layout_common;
use layout_common::*;

use nlwire::families::connector::ConnectorMessage;
use nlwire::registry::{Decl, StructDecl};

/// Where each declared struct is in C: the type, or the union member,
/// whose `sizeof` is the struct's size and whose members are its fields.
/// (`proc_event` and `proc_cn_mcast_op` are checked on their own.)
const C_PLACES: &[(&str, &str)] = &[
    ("cn_msg", "struct cn_msg"),
    ("proc_input", "struct proc_input"),
    ("ack", "((struct proc_event *)0)->event_data.ack"),
    (
        "fork_proc_event",
        "((struct proc_event *)0)->event_data.fork",
    ),
    (
        "exec_proc_event",
        "((struct proc_event *)0)->event_data.exec",
    ),
    ("id_proc_event", "((struct proc_event *)0)->event_data.id"),
    (
        "id_proc_event_gid",
        "((struct proc_event *)0)->event_data.id",
    ),
    ("sid_proc_event", "((struct proc_event *)0)->event_data.sid"),
    (
        "ptrace_proc_event",
        "((struct proc_event *)0)->event_data.ptrace",
    ),
    (
        "comm_proc_event",
        "((struct proc_event *)0)->event_data.comm",
    ),
    (
        "coredump_proc_event",
        "((struct proc_event *)0)->event_data.coredump",
    ),
    (
        "exit_proc_event",
        "((struct proc_event *)0)->event_data.exit",
    ),
];

/// Declared field names that are a path in C (`struct id_proc_event`
/// keeps the real and effective ids in the unions `r` and `e`).
const C_PATHS: &[(&str, &str, &str)] = &[
    ("id_proc_event", "ruid", "r.ruid"),
    ("id_proc_event", "euid", "e.euid"),
    ("id_proc_event_gid", "rgid", "r.rgid"),
    ("id_proc_event_gid", "egid", "e.egid"),
];

fn structs() -> Vec<StructDecl> {
    ConnectorMessage::ENTRY
        .collect_declarations()
        .into_iter()
        .filter_map(|d| match d {
            Decl::Struct(s) => Some(s),
            Decl::AttributeSet(_) | Decl::Enum(_) => None,
        })
        .collect()
}

const HEADERS: &str = "#include <stdio.h>\n#include <stddef.h>\n\
    #include <linux/connector.h>\n#include <linux/cn_proc.h>\n";

/// The checks of one struct, as C `printf` lines, with the values the
/// declaration says.
fn checks(d: &StructDecl, c: &mut String, want: &mut Vec<(String, u64)>) {
    let mut fields = Vec::new();
    flatten(d.fields, 0, "", &[], &mut fields);
    let name = d.name;
    let push = |c: &mut String, want: &mut Vec<(String, u64)>, key: String, expr: String, v| {
        c.push_str(&format!(
            "    printf(\"%s %zu\\n\", \"{key}\", (size_t)({expr}));\n"
        ));
        want.push((key, v as u64));
    };
    match d.name {
        // The fixed part of struct proc_event: everything before the union.
        "proc_event" => {
            push(
                c,
                want,
                format!("{name} sizeof"),
                "offsetof(struct proc_event, event_data)".into(),
                d.size,
            );
            for (path, off, _) in &fields {
                push(
                    c,
                    want,
                    format!("{name}.{path} offsetof"),
                    format!("offsetof(struct proc_event, {path})"),
                    *off,
                );
            }
        }
        "proc_cn_mcast_op" => push(
            c,
            want,
            format!("{name} sizeof"),
            "sizeof(enum proc_cn_mcast_op)".into(),
            d.size,
        ),
        _ => {
            let place = C_PLACES
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap_or_else(|| panic!("{name}: no C counterpart in C_PLACES"))
                .1;
            push(
                c,
                want,
                format!("{name} sizeof"),
                format!("sizeof({place})"),
                d.size,
            );
            for (path, off, f) in &fields {
                let cpath = C_PATHS
                    .iter()
                    .find(|(s, p, _)| *s == name && p == path)
                    .map_or(path.as_str(), |(_, _, c)| c);
                let (base, member) = if place.starts_with("struct ") {
                    (
                        format!("offsetof({place}, {cpath})"),
                        format!("(({place} *)0)->{cpath}"),
                    )
                } else {
                    (
                        format!("((size_t)&({place}.{cpath}) - (size_t)&({place}))"),
                        format!("{place}.{cpath}"),
                    )
                };
                push(c, want, format!("{name}.{path} offsetof"), base, *off);
                push(
                    c,
                    want,
                    format!("{name}.{path} sizeof"),
                    format!("sizeof({member})"),
                    f.size,
                );
            }
        }
    }
}

/// Whether these headers declare `struct proc_input` (Linux 6.6+).
fn headers_have_proc_input(dir: &std::path::Path) -> bool {
    let src = format!(
        "{HEADERS}int main(void) {{ struct proc_input p = {{0}}; return (int)sizeof p - 8; }}\n"
    );
    compile(dir, "probe_proc_input", &src).is_ok()
}

#[test]
fn connector_structs_match_linux_headers() {
    if !have_cc() {
        return;
    }
    let dir = work_dir("connector");
    let decls = structs();
    let names: Vec<_> = decls.iter().map(|d| d.name).collect();
    for n in [
        "cn_msg",
        "proc_event",
        "proc_input",
        "exit_proc_event",
        "ack",
    ] {
        assert!(
            names.contains(&n),
            "{n} not reached from the table: {names:?}"
        );
    }
    let with_input = headers_have_proc_input(&dir);
    let mut c = format!("{HEADERS}int main(void) {{\n");
    let mut want = Vec::new();
    for d in &decls {
        if d.name == "proc_input" {
            if with_input {
                checks(d, &mut c, &mut want);
                continue;
            }
            // <linux/cn_proc.h> of Linux 6.6: `struct proc_input { enum
            // proc_cn_mcast_op mcast_op; enum proc_cn_event event_type; }`.
            eprintln!("note: these headers predate struct proc_input (6.6); checked against the 6.6 layout");
            let offs: Vec<_> = d
                .fields
                .iter()
                .map(|f| (f.name, f.offset, f.size))
                .collect();
            assert_eq!(d.size, 8);
            assert_eq!(offs, [("mcast_op", 0, 4), ("event_type", 4, 4)]);
            continue;
        }
        checks(d, &mut c, &mut want);
    }
    c.push_str("    return 0;\n}\n");
    let bin = compile(&dir, "connector", &c).unwrap_or_else(|e| panic!("{e}"));
    let got = run(&bin);
    let mut bad = Vec::new();
    for (k, v) in &want {
        match got.get(k) {
            Some(g) if g == v => {}
            other => bad.push(format!("{k}: declared {v}, C {other:?}")),
        }
    }
    assert!(bad.is_empty(), "layout differs:\n{}", bad.join("\n"));
    assert!(want.len() > 40, "only {} checks", want.len());
}
