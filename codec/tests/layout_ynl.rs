//! Layout conformance of the families generated from the kernel's YNL
//! specs (every registry entry but the hand-declared sock_diag and genetlink
//! controller ones, which `layout.rs` checks strictly): a C program
//! generated from every declaration each family reaches is compiled with
//! `cc` against this machine's `<linux/*.h>` and run; everything it prints
//! must equal what the Rust declarations say.
//!
//! * every struct: `sizeof`, and `offsetof`/`sizeof` of every field (nested
//!   ones by path); bit-fields bit by bit;
//! * every attribute kind of every attribute set (`IFLA_IFNAME` = 3);
//! * every value of every enum and flag set (`Decl::Enum`: `NFT_CT_ID`,
//!   `IFF_UP`, `NFT_REG_1`), the message types (`RTM_NEWLINK`) and
//!   genetlink commands (`ETHTOOL_MSG_LINKINFO_GET`) included: ynlgen lists
//!   each family's enums in its `declares(...)`, and each carries the C
//!   names the generator gave its entries. nfnetlink's message types carry
//!   their subsystem (`NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWRULE`,
//!   `C_EXPRS`).
//!
//! The YNL specs are from newer kernels than these headers (6.1 here), so
//! the check is tolerant of what the headers lack and strict on what they
//! have: each check is a line of its own; `cc`'s errors name the lines
//! whose names the headers lack (`'X' undeclared`, incomplete `struct X`,
//! `has no member named 'm'`, `unknown type name`) and exactly those checks
//! are dropped, then the program is compiled again, a bounded number of
//! times. Any other error fails the test; every check that remains must
//! print and match. A struct some of whose fields the headers lack (an
//! older, shorter version) is not held to its `sizeof`, only to `sizeof`
//! not exceeding the declared one; a struct name that is a macro in these
//! headers (tc's `tc_gen`, a field list) is dropped as not being a struct.
//!
//! Generated genetlink families name their fixed header `genlmsghdr`; those
//! that carry family fields after it (openvswitch's `ovs_header` merged in:
//! size 8, not 4) are not `struct genlmsghdr` and are skipped; a
//! `genlmsghdr` of size 4 is checked like any struct.
//!
//! Differences that are the specs' own (a wrong member type, a flexible
//! array declared as one element, a misnamed constant) are
//! listed in `KNOWN` with the reason; each must still differ (a fix must
//! remove its entry). Everything else that differs fails the test.
//!
//! The summary (eprintln; `--nocapture`) gives the checks done and dropped
//! by family, and of those the enum values; `LAYOUT_YNL_VERBOSE=1` lists
//! every dropped check and known difference. An enum entry whose name these
//! headers lack is dropped like an attribute kind; one whose value differs
//! fails (or is `KNOWN`, by its name).
//!
//! Without `cc` the test is skipped with a message, or fails under `CI=true`.

mod layout_common;
use layout_common::*;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use nlwire::registry::{Decl, Declarations, Registry, StructDecl};

/// The headers the generated families' names come from, each included if
/// this machine has it (decided when the test runs). Left out on purpose:
/// `<linux/if_addrlabel.h>`, `<linux/tipc*.h>` (no generated family uses
/// them); `<linux/ethtool.h>` is included by
/// `<linux/ethtool_netlink.h>` itself.
const HEADERS: &[&str] = &[
    "linux/netlink.h",
    "linux/time_types.h",
    "linux/rtnetlink.h",
    "linux/if.h",
    "linux/ip.h",
    "linux/ipv6.h",
    "linux/snmp.h",
    "linux/if_link.h",
    "linux/if_addr.h",
    "linux/neighbour.h",
    "linux/fib_rules.h",
    "linux/if_bridge.h",
    "linux/if_tunnel.h",
    "linux/ip6_tunnel.h",
    "linux/if_macsec.h",
    "linux/if_vlan.h",
    "linux/veth.h",
    "linux/vxlan.h",
    "linux/lwtunnel.h",
    "linux/mpls_iptunnel.h",
    "linux/seg6_local.h",
    "linux/nexthop.h",
    "linux/netconf.h",
    "linux/mrp_bridge.h",
    "linux/cfm_bridge.h",
    "linux/hsr_netlink.h",
    "linux/can/netlink.h",
    "linux/pkt_sched.h",
    "linux/pkt_cls.h",
    "linux/gen_stats.h",
    "linux/tc_act/tc_bpf.h",
    "linux/tc_act/tc_connmark.h",
    "linux/tc_act/tc_csum.h",
    "linux/tc_act/tc_ct.h",
    "linux/tc_act/tc_ctinfo.h",
    "linux/tc_act/tc_defact.h",
    "linux/tc_act/tc_gact.h",
    "linux/tc_act/tc_gate.h",
    "linux/tc_act/tc_ife.h",
    "linux/tc_act/tc_ipt.h",
    "linux/tc_act/tc_mirred.h",
    "linux/tc_act/tc_mpls.h",
    "linux/tc_act/tc_nat.h",
    "linux/tc_act/tc_pedit.h",
    "linux/tc_act/tc_sample.h",
    "linux/tc_act/tc_skbedit.h",
    "linux/tc_act/tc_skbmod.h",
    "linux/tc_act/tc_tunnel_key.h",
    "linux/tc_act/tc_vlan.h",
    "linux/genetlink.h",
    "linux/ethtool_netlink.h",
    "linux/netdev.h",
    "linux/devlink.h",
    "linux/dpll.h",
    "linux/mptcp.h",
    "linux/mptcp_pm.h",
    "linux/wireguard.h",
    "linux/nl80211.h",
    "linux/openvswitch.h",
    "linux/fou.h",
    "linux/handshake.h",
    "linux/nfsd_netlink.h",
    "linux/tcp_metrics.h",
    "linux/if_team.h",
    "linux/net_shaper.h",
    "linux/ovpn.h",
    "linux/psp.h",
    "linux/lockd_netlink.h",
    "linux/sunrpc_netlink.h",
    "linux/binder_netlink.h",
    "linux/dev_energymodel.h",
    "linux/drm_ras.h",
    "drm/drm_ras.h",
    "linux/netfilter/nfnetlink.h",
    "linux/netfilter/nf_tables.h",
    "linux/netfilter/nf_nat.h",
    "linux/netfilter/nfnetlink_conntrack.h",
    "linux/netfilter/nf_conntrack_common.h",
    "linux/netfilter/nf_conntrack_tcp.h",
    "linux/netfilter/nf_conntrack_sctp.h",
];

/// The program's prologue: the headers this machine has.
fn includes() -> String {
    let mut s = String::from(
        "#include <stddef.h>\n#include <stdio.h>\n#include <string.h>\n#include <sys/socket.h>\n#include <netinet/in.h>\n",
    );
    for h in HEADERS {
        if Path::new("/usr/include").join(h).exists() {
            let _ = writeln!(s, "#include <{h}>");
        }
    }
    s
}

/// One value to compare: `key` (`sizeof ifinfomsg`, `const IFLA_IFNAME`)
/// printed by the C expression `expr`, expected `want`.
#[derive(Clone, Debug)]
struct Check {
    family: &'static str,
    key: String,
    expr: String,
    want: u64,
    /// `true`: the C value may be at most `want` (an older, shorter struct).
    at_most: bool,
    /// The struct the check is about (dropped with it), if any.
    strukt: Option<&'static str>,
}

/// Every registry entry generated from the YNL specs.
fn generated() -> Vec<nlwire::registry::FamilyEntry> {
    let hand = [
        &nlwire::families::sock_diag::SockDiagMessage::ENTRY,
        &nlwire::families::genl::GenlMessage::ENTRY,
        // Declared by hand too (not from a YNL spec); its `proc_cn_mcast_op`
        // is a C enum used as a 4-byte body, not a struct. Checked by
        // `layout_connector.rs`.
        &nlwire::families::connector::ConnectorMessage::ENTRY,
    ];
    Registry::DEFAULT
        .entries()
        .filter(|e| {
            !hand
                .iter()
                .any(|h| h.name == e.name && h.protocol == e.protocol)
        })
        .copied()
        .collect()
}

/// The checks of one struct. `Err(reason)` if the struct is not checked.
fn struct_checks(family: &'static str, d: &StructDecl, out: &mut Vec<Check>) -> Result<(), String> {
    if d.name == "genlmsghdr" && d.size != 4 {
        return Err(format!(
            "genlmsghdr with family fields ({} bytes): not struct genlmsghdr",
            d.size
        ));
    }
    let mut fields = Vec::new();
    flatten(d.fields, 0, "", &[], &mut fields);
    let ct = C_TYPES
        .iter()
        .find(|(n, _)| *n == d.name)
        .map_or(d.c_type, |(_, c)| *c);
    let prefix = MEMBER_PREFIX
        .iter()
        .find(|(n, _)| *n == d.name)
        .map_or("", |(_, p)| *p);
    let mut push = |key: String, expr: String, want: u64| {
        out.push(Check {
            family,
            key,
            expr,
            want,
            at_most: false,
            strukt: Some(d.name),
        })
    };
    for (path, off, f) in fields {
        let path = format!("{prefix}{path}");
        if !f.bits.is_empty() {
            for &(bname, lo, width) in f.bits {
                push(
                    format!("bits {}.{bname}", d.name),
                    format!(
                        "({{ {ct} s; memset(&s, 0, sizeof s); s.{bname} = (1ULL << {width}) - 1; unit(&s, {off}, {}); }})",
                        f.size
                    ),
                    ((1u64 << width) - 1) << lo,
                );
            }
            continue;
        }
        push(
            format!("offsetof {}.{path}", d.name),
            format!("offsetof({ct}, {path})"),
            off as u64,
        );
        push(
            format!("sizeof {}.{path}", d.name),
            format!("sizeof((({ct} *)0)->{path})"),
            f.size as u64,
        );
    }
    push(
        format!("sizeof {}", d.name),
        format!("sizeof({ct})"),
        d.size as u64,
    );
    Ok(())
}

/// Structs the YNL specs name otherwise than the headers: (spec name, C
/// type). Checked under the C name, keyed by the spec name.
const C_TYPES: &[(&str, &str)] = &[
    ("datapath_stats", "struct ovs_dp_stats"),
    ("megaflow_stats", "struct ovs_dp_megaflow_stats"),
    ("vport_stats", "struct ovs_vport_stats"),
];

/// Structs whose C members carry a prefix the YNL specs leave out (`info`
/// is `tcm_info`): (struct, prefix). Checked and keyed by the C name.
/// Padding members named otherwise (`pad` for `tcm__pad1`) are then not in
/// these headers; the members after them place them.
const MEMBER_PREFIX: &[(&str, &str)] = &[
    ("tcmsg", "tcm_"),
    ("ndtmsg", "ndtm_"),
    ("nda_cacheinfo", "ndm_"),
    ("ndt_config", "ndtc_"),
    ("ndt_stats", "ndts_"),
];

/// Enum constants whose value on the wire is not the C constant alone:
/// (name prefix, C expression of the wire value with `{}` for the name).
/// nfnetlink's `nlmsg_type` is `NFNL_SUBSYS_* << 8 | message`
/// (`<linux/netfilter/nfnetlink.h>`), and the generated message types carry
/// the subsystem.
const C_EXPRS: &[(&str, &str)] = &[
    ("NFT_MSG_", "(NFNL_SUBSYS_NFTABLES << 8 | {})"),
    ("IPCTNL_MSG_CT_", "(NFNL_SUBSYS_CTNETLINK << 8 | {})"),
    ("IPCTNL_MSG_EXP_", "(NFNL_SUBSYS_CTNETLINK_EXP << 8 | {})"),
];

/// Every check of every generated family (each family's declarations once;
/// a struct or constant several families reach is checked for each), and
/// the structs not checked at all, with why.
fn all_checks() -> (Vec<Check>, Vec<(&'static str, String)>) {
    let mut checks = Vec::new();
    let mut skipped = Vec::new();
    for e in generated() {
        let mut d = Declarations::default();
        (e.declarations)(&mut d);
        let mut consts = BTreeMap::new();
        let mut values: Vec<(&str, u64)> = Vec::new();
        for decl in d.decls {
            match decl {
                Decl::Struct(s) => {
                    if let Err(why) = struct_checks(e.name, &s, &mut checks) {
                        skipped.push((e.name, format!("struct {}: {why}", s.name)));
                    }
                }
                Decl::AttributeSet(set) => {
                    for &(k, n) in set.kinds {
                        let prev = consts.insert(n, (u64::from(k), set.name));
                        if let Some((v, other)) = prev {
                            assert_eq!(
                                v,
                                u64::from(k),
                                "{}: {n} is {v} in set {other}, {k} in set {}",
                                e.name,
                                set.name
                            );
                        }
                    }
                }
                Decl::Enum(en) => {
                    for &(v, n) in en.entries {
                        if !values.contains(&(n, v)) {
                            values.push((n, v));
                        }
                    }
                }
            }
        }
        values.sort();
        for (i, &(n, v)) in values.iter().enumerate() {
            if consts.get(n).is_some_and(|&(k, _)| k == v) {
                continue;
            }
            // A name two enums give different values: each is checked
            // (one fails), under keys of their own.
            let key = if i > 0 && values[i - 1].0 == n {
                format!("value {n} = {v}")
            } else {
                format!("value {n}")
            };
            let expr = C_EXPRS
                .iter()
                .find(|(p, _)| n.starts_with(p))
                .map_or(n.to_string(), |(_, e)| e.replace("{}", n));
            checks.push(Check {
                family: e.name,
                key,
                expr,
                want: v,
                at_most: false,
                strukt: None,
            });
        }
        for (n, (v, _)) in consts {
            checks.push(Check {
                family: e.name,
                key: format!("const {n}"),
                expr: n.to_string(),
                want: v,
                at_most: false,
                strukt: None,
            });
        }
    }
    (checks, skipped)
}

/// Which of `names` are macros in these headers (`tc_gen`: a field list,
/// so `struct tc_gen` cannot even be parsed).
fn macros(dir: &Path, names: &BTreeSet<&str>) -> BTreeSet<String> {
    let mut c = includes();
    c.push_str("int main(void) {\n");
    for n in names {
        let _ = writeln!(c, "#ifdef {n}\n    puts(\"{n} 1\");\n#endif");
    }
    c.push_str("    return 0;\n}\n");
    let bin = compile(dir, "macros", &c)
        .unwrap_or_else(|e| panic!("the headers do not compile together: {e}"));
    run(&bin).into_keys().collect()
}

/// The C program: one function per check, `P(...)` on the function's line.
/// Returns the program and the line of each check.
fn program(checks: &[Check]) -> (String, Vec<usize>) {
    let mut c = includes();
    c.push_str("#define P(k, v) printf(\"%s %llu\\n\", k, (unsigned long long)(v))\n");
    c.push_str("__attribute__((unused)) static unsigned long long unit(const void *p, size_t off, size_t n) {\n    unsigned long long v = 0;\n    memcpy(&v, (const char *)p + off, n);\n    return v;\n}\n");
    let mut line = c.lines().count();
    let mut lines = Vec::new();
    for (i, ch) in checks.iter().enumerate() {
        line += 1;
        lines.push(line);
        let _ = writeln!(
            c,
            "static void c{i}(void) {{ P(\"{}|{}\", {}); }}",
            ch.family, ch.key, ch.expr
        );
    }
    c.push_str("int main(void) {\n");
    for i in 0..checks.len() {
        let _ = writeln!(c, "    c{i}();");
    }
    c.push_str("    return 0;\n}\n");
    (c, lines)
}

/// The error messages of `cc` that say the headers lack a name.
const LACKS: &[&str] = &[
    "undeclared",
    "incomplete type",
    "has no member named",
    "unknown type name",
    "storage size of",
    "invalid use of undefined type",
];

/// `cc`'s errors: (line in `file`, message), errors only.
fn errors(file: &str, out: &str) -> Vec<(usize, String)> {
    out.lines()
        .filter_map(|l| {
            let rest = l.strip_prefix(file)?.strip_prefix(':')?;
            let (line, rest) = rest.split_once(':')?;
            let (_col, rest) = rest.split_once(':')?;
            let msg = rest.trim().strip_prefix("error:")?;
            Some((line.parse().ok()?, msg.trim().to_string()))
        })
        .collect()
}

/// The name the headers lack, from an error message (`'X' undeclared`).
fn lacked_name(msg: &str) -> Option<String> {
    let quoted: Vec<&str> = msg.split(['\'', '‘', '’']).collect();
    if msg.contains("has no member named") {
        return quoted.get(3).map(|m| format!("member {m}"));
    }
    if msg.contains("incomplete type") {
        return quoted.get(3).map(|m| m.to_string());
    }
    quoted.get(1).map(|n| n.to_string())
}

#[test]
fn ynl_layouts_match_linux_headers() {
    if !have_cc() {
        return;
    }
    let dir = work_dir("ynl");
    let (mut checks, mut skipped) = all_checks();
    let total = checks.len();

    // Struct names that are macros here: not structs in these headers.
    let names: BTreeSet<&str> = checks.iter().filter_map(|c| c.strukt).collect();
    let is_macro = macros(&dir, &names);
    let mut dropped: Vec<(Check, String)> = Vec::new();
    checks.retain(|c| match c.strukt {
        Some(s) if is_macro.contains(s) => {
            dropped.push((c.clone(), format!("{s} is a macro, not a struct")));
            false
        }
        _ => true,
    });

    // Compile, drop the checks whose names the headers lack, again.
    let mut bad = Vec::new();
    let mut known_seen: Vec<(&str, String)> = Vec::new();
    let mut passes = 0;
    let bin = loop {
        passes += 1;
        assert!(passes <= 6, "the program does not converge after 5 passes");
        let (src, lines) = program(&checks);
        let c_file = dir.join("ynl.c");
        match compile(&dir, "ynl", &src) {
            Ok(bin) => break bin,
            Err(out) => {
                let file = c_file.display().to_string();
                let errs = errors(&file, &out);
                assert!(
                    !errs.is_empty(),
                    "cc failed without an error in the program: {out}"
                );
                let mut bad_lines = BTreeMap::new();
                for (line, msg) in errs {
                    let Ok(i) = lines.binary_search(&line) else {
                        panic!("error outside any check, line {line}: {msg}\n{out}");
                    };
                    if !LACKS.iter().any(|l| msg.contains(l)) {
                        // Not a missing name: the check fails (reported
                        // with the mismatches) unless it is a known
                        // difference.
                        let what = format!(
                            "{}|{}: does not compile: {msg}",
                            checks[i].family, checks[i].key
                        );
                        match known(&checks[i]) {
                            Some(k) => known_seen.push((k, what)),
                            None => bad.push(what),
                        }
                        bad_lines
                            .entry(i)
                            .or_insert_with(|| format!("FAILED {msg}"));
                        continue;
                    }
                    bad_lines.entry(i).or_insert(msg);
                }
                // A struct member the headers lack: the struct is an older,
                // shorter one; its sizeof may only be smaller.
                for (&i, msg) in &bad_lines {
                    if msg.contains("has no member named") {
                        let s = checks[i].strukt;
                        let fam = checks[i].family;
                        for c in checks.iter_mut() {
                            if c.strukt == s
                                && c.family == fam
                                && c.key.starts_with("sizeof ")
                                && !c.key.contains('.')
                            {
                                c.at_most = true;
                            }
                        }
                    }
                }
                let mut i = 0;
                checks.retain(|c| {
                    let keep = match bad_lines.get(&i) {
                        Some(msg) if msg.starts_with("FAILED ") => false,
                        Some(msg) => {
                            let why = lacked_name(msg).unwrap_or_else(|| msg.clone());
                            dropped.push((c.clone(), why));
                            false
                        }
                        None => true,
                    };
                    i += 1;
                    keep
                });
            }
        }
    };
    let got = run(&bin);

    let mut done: BTreeMap<&str, usize> = BTreeMap::new();
    let mut values_done: BTreeMap<&str, usize> = BTreeMap::new();
    let mut checked_keys = BTreeSet::new();
    for c in &checks {
        let k = format!("{}|{}", c.family, c.key);
        match got.get(&k) {
            Some(&g) if g == c.want || (c.at_most && g <= c.want) => {
                *done.entry(c.family).or_default() += 1;
                if c.key.starts_with("value ") {
                    *values_done.entry(c.family).or_default() += 1;
                }
                checked_keys.insert(c.key.clone());
            }
            Some(g) => {
                let what = format!(
                    "{k}: C says {g}, Rust says {}{}",
                    if c.at_most { "at most " } else { "" },
                    c.want
                );
                match known(c) {
                    Some(n) => known_seen.push((n, what)),
                    None => bad.push(what),
                }
            }
            None => bad.push(format!("{k}: not printed")),
        }
    }

    // The summary.
    let mut lacked: BTreeMap<&str, usize> = BTreeMap::new();
    let mut values_lacked: BTreeMap<&str, usize> = BTreeMap::new();
    for (c, _) in &dropped {
        *lacked.entry(c.family).or_default() += 1;
        if c.key.starts_with("value ") {
            *values_lacked.entry(c.family).or_default() += 1;
        }
    }
    let n_done: usize = done.values().sum();
    eprintln!(
        "{total} checks, {n_done} done and matching, {} dropped as not in these headers, {} structs skipped, {passes} compile passes",
        dropped.len(),
        skipped.len()
    );
    let fams: BTreeSet<&str> = done.keys().chain(lacked.keys()).copied().collect();
    for f in fams {
        eprintln!(
            "  {f:<16} {:>5} checked {:>5} not in these headers; of which enum values {:>4} checked {:>4} not in these headers",
            done.get(f).copied().unwrap_or(0),
            lacked.get(f).copied().unwrap_or(0),
            values_done.get(f).copied().unwrap_or(0),
            values_lacked.get(f).copied().unwrap_or(0)
        );
    }
    eprintln!(
        "  {} known differences (KNOWN: the YNL specs, not the headers' age):",
        known_seen.len()
    );
    for (name, why) in KNOWN {
        let n = known_seen.iter().filter(|(k, _)| k == name).count();
        eprintln!("    {name}: {n} ({why})");
    }
    if std::env::var_os("LAYOUT_YNL_VERBOSE").is_some() {
        for (_, what) in &known_seen {
            eprintln!("    {what}");
        }
    }
    skipped.sort();
    for (f, why) in &skipped {
        eprintln!("  skipped {f}: {why}");
    }
    if std::env::var_os("LAYOUT_YNL_VERBOSE").is_some() {
        for (c, why) in &dropped {
            eprintln!("  dropped {}|{}: {why}", c.family, c.key);
        }
    }

    assert!(
        bad.is_empty(),
        "layout mismatches (program: {}):\n{}",
        dir.join("ynl.c").display(),
        bad.join("\n")
    );
    // Every known difference is still one (remove those fixed).
    for (name, why) in KNOWN {
        assert!(
            known_seen.iter().any(|(k, _)| k == name),
            "{name} now matches the headers ({why}): remove it from KNOWN"
        );
    }
    assert!(n_done >= MIN_CHECKED, "only {n_done} values checked");
    for k in MUST_CHECK {
        assert!(checked_keys.contains(*k), "{k} not checked");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The checked declaration `c` is a known difference (its KNOWN name).
fn known(c: &Check) -> Option<&'static str> {
    KNOWN
        .iter()
        .find(|(n, _)| {
            c.strukt == Some(*n)
                || c.key == format!("const {n}")
                || c.key == format!("value {n}")
                || c.key.starts_with(&format!("value {n} = "))
        })
        .map(|(n, _)| *n)
}

/// Differences between the declarations generated from the YNL specs and
/// these headers that are not the headers' age: the spec is wrong or
/// incomplete. A struct named here (or a constant) may differ in any of
/// its checks and must differ in at least one; everything else about it
/// that matches still counts as checked.
const KNOWN: &[(&str, &str)] = &[
    // Types the specs get wrong.
    (
        "ifla_vf_vlan_info",
        "rt-link.yaml: vlan-proto u32; <linux/if_link.h>: __be16 (then 2 bytes of padding)",
    ),
    (
        "ovs_action_push_mpls",
        "ovs_flow.yaml: mpls-ethertype u32; <linux/openvswitch.h>: __be16 (then padding)",
    ),
    // Flexible arrays the specs declare as one element ("TODO: array").
    (
        "tc_pedit_sel",
        "tc.yaml: keys is one tc_pedit_key; C: keys[0] at 24 (aligned), size 24",
    ),
    (
        "tc_u32_sel",
        "tc.yaml: keys is one tc_u32_key; C: keys[0] at 16, size 16",
    ),
    ("tc_u32_pcnt", "tc.yaml: kcnts is one u64; C: kcnts[0], size 16"),
    // Names.
    (
        "NL80211_FREQUENCY_ATTR_NO_IBSS",
        "nl80211.yaml names attribute 4 no-ibss; in <linux/nl80211.h> 4 is __NL80211_FREQUENCY_ATTR_NO_IBSS and NL80211_FREQUENCY_ATTR_NO_IBSS is a macro for NL80211_FREQUENCY_ATTR_NO_IR (3)",
    ),
];

/// At least this many values must be checked and match (so the test
/// cannot pass by dropping everything): about 80% of what 6.1 headers
/// allow.
const MIN_CHECKED: usize = 3500; // 4412 on 6.1 headers (3114 before enum values)

/// Checked and matching, whatever else the headers lack.
const MUST_CHECK: &[&str] = &[
    "sizeof ifinfomsg",
    "sizeof ifaddrmsg",
    "sizeof rtmsg",
    "sizeof ndmsg",
    "sizeof tcmsg",
    "sizeof rtgenmsg",
    "offsetof ifinfomsg.ifi_change",
    "offsetof tcmsg.tcm_info",
    "sizeof rtnl_link_stats64",
    "sizeof ifa_cacheinfo",
    "const IFLA_IFNAME",
    "const IFLA_LINKINFO",
    "const IFLA_INFO_KIND",
    "const IFA_ADDRESS",
    "const RTA_DST",
    "const NDA_DST",
    "const FRA_TABLE",
    "const TCA_KIND",
    "const TCA_OPTIONS",
    // Genetlink families these (6.1) headers have.
    "const ETHTOOL_A_HEADER_DEV_INDEX",
    "const WGDEVICE_A_IFINDEX",
    "const MPTCP_PM_ATTR_ADDR",
    "const DEVLINK_ATTR_BUS_NAME",
    "const NL80211_ATTR_WIPHY",
    "const OVS_FLOW_ATTR_KEY",
    "const TEAM_ATTR_TEAM_IFINDEX",
    "const FOU_ATTR_PORT",
    "const TCP_METRICS_ATTR_ADDR_IPV4",
    // nftables expressions declared in ynlgen/overrides.yaml (not in the
    // spec): their kinds against <linux/netfilter/nf_tables.h>.
    "const NFTA_BITWISE_DATA",
    "const NFTA_CT_SREG",
    "const NFTA_LOOKUP_FLAGS",
    "const NFTA_LOG_FLAGS",
    "const NFTA_LIMIT_PAD",
    "const NFTA_REJECT_ICMP_CODE",
    // Enum and flag values (the message types and commands included).
    "value RTM_NEWLINK",
    "value IFF_UP",
    "value IPV4_DEVCONF_FORWARDING",
    "value NFT_CT_ID",
    "value NFT_REG_1",
    "value NFT_MSG_NEWRULE",
    "value IPCTNL_MSG_CT_GET",
    "value ETHTOOL_MSG_LINKINFO_GET",
    "value NL80211_CMD_GET_WIPHY",
    "value DEVLINK_CMD_GET",
    "sizeof ovs_key_ethernet",
    "sizeof __kernel_timespec",
];
