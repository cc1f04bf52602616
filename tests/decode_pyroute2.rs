//! pyroute2's own decode of `pyroute2/nl0.pcap` (`nl0.json`, from its
//! test suite) against nlwire's: every rtnetlink attribute pyroute2 names
//! appears in `nlwire decode --json` under the same kernel name, with every
//! value pyroute2 read somewhere under it, and every header field under its
//! kernel name. Attributes pyroute2 could not name (`UNKNOWN`) must be
//! typed by nlwire.

use serde_json::Value;

mod decode_common;
use decode_common::*;

/// pyroute2's names of header fields, and the kernel's (`ifinfomsg`,
/// `ifaddrmsg`).
const HEADER: &[(&str, &str)] = &[
    ("ifi_type", "ifi_type"),
    ("index", "ifi_index"),
    ("index", "ifa_index"),
    ("change", "ifi_change"),
    ("prefixlen", "ifa_prefixlen"),
    ("scope", "ifa_scope"),
];

/// `IF_OPER_*` (`<linux/if.h>`): pyroute2 prints `IFLA_OPERSTATE` by the
/// name without its prefix, nlwire the number (`rt-link.yaml` gives it no
/// enum).
const OPERSTATE: &[(&str, u64)] = &[
    ("UNKNOWN", 0),
    ("NOTPRESENT", 1),
    ("DOWN", 2),
    ("LOWERLAYERDOWN", 3),
    ("TESTING", 4),
    ("DORMANT", 5),
    ("UP", 6),
];

/// Check pyroute2's `[name, value]` attribute list against nlwire's
/// message (or nest) `ours`; returns how many values were compared.
fn check_attrs(attrs: &[Value], ours: &Value, ctx: &str) -> usize {
    let mut compared = 0;
    for a in attrs {
        let name = a[0].as_str().unwrap();
        let theirs = &a[1];
        if name == "UNKNOWN" {
            // pyroute2 did not know it; nlwire must (no UNKNOWN of that kind).
            let kind = theirs["header"]["type"].as_u64().unwrap();
            let unknown = ours
                .get("UNKNOWN")
                .map(|u| u.to_string())
                .unwrap_or_default();
            assert!(
                !unknown.contains(&format!("\"nla_type\":{kind},")),
                "{ctx}: attribute kind {kind} is UNKNOWN to nlwire too: {unknown}"
            );
            continue;
        }
        let mine =
            json_find(ours, name).unwrap_or_else(|| panic!("{ctx}: {name} missing in {ours}"));
        let mut have = Vec::new();
        json_leaves(mine, &mut have);
        if name == "IFLA_OPERSTATE" {
            let n = OPERSTATE
                .iter()
                .find(|o| Some(o.0) == theirs.as_str())
                .unwrap_or_else(|| panic!("{ctx}: operstate {theirs}"))
                .1;
            assert_eq!(mine, &Value::from(n), "{ctx}: {name}");
            compared += 1;
            continue;
        }
        if matches!(name, "IFLA_BR_BRIDGE_ID" | "IFLA_BR_ROOT_ID") {
            // `struct ifla_bridge_id` is `__u8 prio[2]` in network order
            // (the bridge id); pyroute2 reads it as a host-order `u16`
            // (128 for the default priority 32768, which `ip -d link`
            // prints as `8000.`; `live_rtnetlink` checks it against ip).
            let prio = theirs["prio"].as_u64().expect("pyroute2 prio");
            let prio = u16::try_from(prio).expect("u16").swap_bytes();
            assert_eq!(mine["prio"], Value::from(prio), "{ctx}: {name}");
            assert_eq!(mine["addr"], theirs["addr"], "{ctx}: {name}");
            compared += 2;
            continue;
        }
        if let Some(nested) = theirs.get("attrs").and_then(Value::as_array) {
            compared += check_attrs(nested, mine, &format!("{ctx}/{name}"));
            continue;
        }
        let mut want = Vec::new();
        json_leaves(theirs, &mut want);
        if let Value::Object(m) = theirs {
            // pyroute2 reads the first nla header of IFLA_INET_CONF as a
            // field (`dummy`): not a value of the payload.
            if m.contains_key("dummy") {
                want.retain(|w| Some(*w) != m.get("dummy"));
            }
        }
        for w in &want {
            assert!(
                have.contains(w),
                "{ctx}: {name}: pyroute2 has {w}, nlwire {mine}"
            );
            compared += 1;
        }
    }
    compared
}

#[test]
fn every_value_pyroute2_decodes_is_in_nlwires_json_under_the_kernel_name() {
    let Some(dir) = captures_dir() else { return };
    let pcap = dir.join("pyroute2/nl0.pcap");
    let o = nlwire(&["decode", "--json", pcap.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let ours: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let theirs: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("pyroute2/nl0.json")).unwrap())
            .unwrap();
    let mut messages = 0;
    let mut compared = 0;
    for t in &theirs {
        // Messages pyroute2 failed on are kept as a hex string.
        let data = &t["data"];
        if !data.is_object() {
            continue;
        }
        let seq = data["header"]["sequence_number"].as_u64().unwrap();
        let typ = data["header"]["type"].as_u64().unwrap();
        let index = data["index"].as_u64().unwrap();
        // The same message in nlwire's output: sequence, type, index and
        // (two addresses of one link in one dump) prefix length.
        let mine = ours
            .iter()
            .find(|m| {
                m["nlmsghdr"]["nlmsg_seq"] == seq
                    && m["nlmsghdr"]["nlmsg_type"]["value"] == typ
                    && (json_find(m, "ifi_index") == Some(&Value::from(index))
                        || json_find(m, "ifa_index") == Some(&Value::from(index)))
                    && data
                        .get("prefixlen")
                        .is_none_or(|p| json_find(m, "ifa_prefixlen") == Some(p))
            })
            .unwrap_or_else(|| panic!("no message seq {seq} type {typ} index {index}"));
        let ctx = format!("seq {seq} type {typ} index {index}");
        let header = mine
            .get("ifinfomsg")
            .or_else(|| mine.get("ifaddrmsg"))
            .unwrap_or_else(|| panic!("{ctx}: no ifinfomsg/ifaddrmsg"));
        for (py_name, kernel) in HEADER {
            if let (Some(v), Some(m)) = (data.get(*py_name), header.get(*kernel)) {
                assert_eq!(m, v, "{ctx}: {kernel}");
                compared += 1;
            }
        }
        // Flags and family: enum/flag objects carry the number as `value`.
        for (py_name, kernel) in [("flags", "ifi_flags"), ("flags", "ifa_flags")] {
            if let (Some(v), Some(m)) = (data.get(py_name), json_find(mine, kernel)) {
                let n = m.get("value").unwrap_or(m);
                assert_eq!(n, v, "{ctx}: {kernel}");
                compared += 1;
            }
        }
        compared += check_attrs(data["attrs"].as_array().unwrap(), mine, &ctx);
        messages += 1;
    }
    // nl0.json: 6 rtnetlink messages pyroute2 decoded (3 links, 2
    // addresses, and the IPv6 one), hundreds of values.
    assert!(messages >= 5, "{messages} messages compared");
    assert!(compared >= 300, "only {compared} values compared");
    eprintln!("{messages} messages, {compared} values compared with pyroute2");
}
