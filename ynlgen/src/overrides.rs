//! `ynlgen/overrides.yaml`: facts the specs lack (protocols made of several
//! specs, missing definitions and prefixes), applied before the specs are
//! read.

use std::collections::BTreeMap;

use serde_yaml::{Mapping, Value};

/// A netlink-raw protocol assembled from several specs.
#[derive(Debug)]
pub struct Protocol {
    /// Kernel name (`NETLINK_ROUTE`).
    pub name: String,
    /// Rust stem (`Route` → `RouteMessage`, `RouteType`).
    pub rust: String,
    /// Folder under the output directory.
    pub module: String,
    /// Rust expression of the protocol number.
    pub protocol_expr: String,
    /// Prefixes of its message type names (`RTM_`; nfnetlink has one per
    /// subsystem): `type-prefix`, a string or a list.
    pub type_prefixes: Vec<String>,
    /// The Rust type of the short request header, if any.
    pub short_header: Option<String>,
    /// spec file → module.
    pub specs: BTreeMap<String, String>,
    /// A spec fragment for what no spec has (definitions, attribute sets,
    /// operations), rendered in the protocol's `mod.rs`.
    pub fragment: Option<Value>,
    /// Extra type names, for values no spec names (`types`).
    pub types: Vec<(String, u64)>,
    /// Type names that win over the specs' (`type-names`): the kernel's
    /// names where the specs name operations instead.
    pub type_names: Vec<(String, u64)>,
}

impl Protocol {
    /// A type's kernel name without the first of the protocol's prefixes
    /// it starts with (`RTM_NEWLINK` → `NEWLINK`).
    pub fn short_name<'n>(&self, c: &'n str) -> &'n str {
        self.type_prefixes
            .iter()
            .find_map(|p| c.strip_prefix(p.as_str()))
            .unwrap_or(c)
    }
}

/// A spec whose declarations go into the folder of a hand-declared family
/// (`declarations-only`): no message table, no registry entry of its own.
#[derive(Debug)]
pub struct DeclOnly {
    /// The spec file (`nlctrl.yaml`).
    pub spec: String,
    /// The output file, relative to the output directory (`genl/nlctrl.rs`).
    pub file: String,
    /// The kernel's command names and values (`commands`), which win over
    /// the specs' operation names.
    pub commands: Vec<(String, u64)>,
}

/// Everything in the override file.
#[derive(Debug, Default)]
pub struct Overrides {
    /// Multi-spec protocols.
    pub protocols: Vec<Protocol>,
    /// Patches by spec file.
    pub specs: BTreeMap<String, Value>,
    /// Families declared by hand, as Rust paths of their `ENTRY`s, listed
    /// first in the registry.
    pub hand_families: Vec<String>,
    /// Families declared by hand, as module names.
    pub hand_modules: Vec<String>,
    /// Specs rendered as declarations only, into a hand family's folder.
    pub declarations_only: Vec<DeclOnly>,
}

/// Each mapping of the sequence `seq` whose `name:` is a key of `table`,
/// with the table's value for it: the walk every per-name patch makes
/// (definitions by name, attribute sets by name, attributes by name).
fn for_each_named(seq: Option<&mut Value>, table: &Mapping, f: impl FnMut(&Value, &mut Mapping)) {
    for_each_keyed(seq, "name", table, f);
}

/// [`for_each_named`] by another key than `name:` (a sub-message's
/// formats are keyed by `value:`).
fn for_each_keyed(
    seq: Option<&mut Value>,
    key: &str,
    table: &Mapping,
    mut f: impl FnMut(&Value, &mut Mapping),
) {
    let Some(seq) = seq.and_then(Value::as_sequence_mut) else {
        return;
    };
    for entry in seq {
        let name = s(entry, key).unwrap_or_default();
        if let (Some(patch), Some(m)) = (
            table.get(Value::from(name.as_str())),
            entry.as_mapping_mut(),
        ) {
            f(patch, m);
        }
    }
}

/// Every key of `fields` (a mapping) set in `target`, replacing the spec's.
fn replace_keys(fields: &Value, target: &mut Mapping) {
    for (k, v) in fields.as_mapping().into_iter().flatten() {
        target.insert(k.clone(), v.clone());
    }
}

fn s(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_string)
}

impl Overrides {
    /// Read the override file.
    pub fn parse(text: &str) -> Result<Overrides, String> {
        let y: Value = serde_yaml::from_str(text).map_err(|e| format!("overrides.yaml: {e}"))?;
        let mut out = Overrides::default();
        for p in y
            .get("protocols")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
        {
            let specs = crate::spec::string_map(p, "specs");
            let names = |key: &str| -> Vec<(String, u64)> {
                p.get(key)
                    .and_then(Value::as_mapping)
                    .map(|m| {
                        m.iter()
                            .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_u64()?)))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let type_prefixes = match p.get("type-prefix") {
                Some(Value::Sequence(list)) => list
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                Some(Value::String(one)) => vec![one.clone()],
                _ => Vec::new(),
            };
            let short = s(p, "short-header");
            out.protocols.push(Protocol {
                name: s(p, "name").unwrap_or_default(),
                rust: s(p, "rust").unwrap_or_default(),
                module: s(p, "module").unwrap_or_default(),
                protocol_expr: s(p, "protocol").unwrap_or_default(),
                type_prefixes,
                short_header: short.as_deref().map(crate::names::camel),
                specs,
                fragment: p.get("spec").cloned(),
                types: names("types"),
                type_names: names("type-names"),
            });
        }
        if let Some(m) = y.get("specs").and_then(Value::as_mapping) {
            for (k, v) in m {
                if let Some(k) = k.as_str() {
                    out.specs.insert(k.to_string(), v.clone());
                }
            }
        }
        for h in y
            .get("hand-families")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
        {
            if let (Some(m), Some(e)) = (s(h, "module"), s(h, "entry")) {
                out.hand_modules.push(m);
                out.hand_families.push(e);
            }
        }
        for d in y
            .get("declarations-only")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
        {
            let (Some(spec), Some(file)) = (s(d, "spec"), s(d, "file")) else {
                return Err("overrides.yaml: declarations-only needs `spec` and `file`".into());
            };
            let commands = d
                .get("commands")
                .and_then(Value::as_mapping)
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_u64()?)))
                        .collect()
                })
                .unwrap_or_default();
            out.declarations_only.push(DeclOnly {
                spec,
                file,
                commands,
            });
        }
        Ok(out)
    }

    /// The declarations-only entry of spec `file`, if any.
    pub fn declarations_only(&self, file: &str) -> Option<&DeclOnly> {
        self.declarations_only.iter().find(|d| d.spec == file)
    }

    /// `text` (a spec) with this file's patches for `file` applied.
    pub fn patch(&self, file: &str, text: &str) -> Result<String, String> {
        let Some(patch) = self.specs.get(file) else {
            return Ok(text.to_string());
        };
        let mut y: Value = serde_yaml::from_str(text).map_err(|e| format!("{file}: {e}"))?;
        let Some(map) = y.as_mapping_mut() else {
            return Err(format!("{file}: not a mapping"));
        };
        if let Some(extra) = patch
            .get("operations")
            .and_then(|o| o.get("list"))
            .and_then(Value::as_sequence)
        {
            if let Some(list) = map
                .get_mut(Value::from("operations"))
                .and_then(|o| o.get_mut("list"))
                .and_then(Value::as_sequence_mut)
            {
                list.extend(extra.iter().cloned());
            }
        }
        for key in ["definitions", "attribute-sets", "packed"] {
            if let Some(extra) = patch.get(key).and_then(Value::as_sequence) {
                let entry = map
                    .entry(Value::from(key))
                    .or_insert_with(|| Value::Sequence(Vec::new()));
                if let Some(list) = entry.as_sequence_mut() {
                    list.extend(extra.iter().cloned());
                }
            }
        }
        // `sub-message-formats`: sub-message name → formats the spec's
        // copy lacks (kinds of `IFLA_INFO_DATA` it does not list), added
        // after the spec's own.
        if let Some(extra) = patch.get("sub-message-formats").and_then(Value::as_mapping) {
            for_each_named(
                map.get_mut(Value::from("sub-messages")),
                extra,
                |formats, sub| {
                    let list = sub
                        .entry(Value::from("formats"))
                        .or_insert_with(|| Value::Sequence(Vec::new()));
                    if let (Some(list), Some(more)) =
                        (list.as_sequence_mut(), formats.as_sequence())
                    {
                        list.extend(more.iter().cloned());
                    }
                },
            );
        }
        // `sub-message-format-fields`: sub-message name → format value →
        // keys that replace the spec's (the `attribute-set:` of a format
        // the spec's copy lists without one: nftables' `bitwise`, `ct`,
        // `lookup`).
        if let Some(extra) = patch
            .get("sub-message-format-fields")
            .and_then(Value::as_mapping)
        {
            for_each_named(
                map.get_mut(Value::from("sub-messages")),
                extra,
                |formats, sub| {
                    if let Some(formats) = formats.as_mapping() {
                        for_each_keyed(sub.get_mut("formats"), "value", formats, |fields, fmt| {
                            replace_keys(fields, fmt);
                        });
                    }
                },
            );
        }
        // `definition-fields`: definition name → keys that replace the
        // spec's (`members:` of a struct the spec's copy gets wrong,
        // `packed: true` for a C struct declared `__packed`).
        if let Some(extra) = patch.get("definition-fields").and_then(Value::as_mapping) {
            for_each_named(
                map.get_mut(Value::from("definitions")),
                extra,
                |fields, def| {
                    replace_keys(fields, def);
                },
            );
        }
        // `entry-names`: definition name → entry name → the entry's kernel
        // name where the spec's spelling differs from the header's
        // (`point-to-point` is `IFF_POINTOPOINT` in <linux/if.h>). The entry
        // becomes a mapping with an nlwire `c-name:`, keeping its place
        // (its implicit value) and any `value:` it has.
        if let Some(extra) = patch.get("entry-names").and_then(Value::as_mapping) {
            for_each_named(
                map.get_mut(Value::from("definitions")),
                extra,
                |names, def| {
                    let Some(names) = names.as_mapping() else {
                        return;
                    };
                    let Some(list) = def.get_mut("entries").and_then(Value::as_sequence_mut) else {
                        return;
                    };
                    for e in list {
                        let key = match &*e {
                            Value::String(t) => t.clone(),
                            other => s(other, "name").unwrap_or_default(),
                        };
                        let Some(c) = names.get(Value::from(key.as_str())) else {
                            continue;
                        };
                        if let Value::String(t) = &*e {
                            let mut m = Mapping::new();
                            m.insert(Value::from("name"), Value::from(t.as_str()));
                            *e = Value::Mapping(m);
                        }
                        if let Some(m) = e.as_mapping_mut() {
                            m.insert(Value::from("c-name"), c.clone());
                        }
                    }
                },
            );
        }
        // `operations-name-prefix`: the prefix of the operations' kernel
        // names where the spec's copy gives none (`tc.yaml`: `RTM_*`).
        if let Some(v) = patch.get("operations-name-prefix") {
            if let Some(ops) = map
                .get_mut(Value::from("operations"))
                .and_then(Value::as_mapping_mut)
            {
                if !ops.contains_key(Value::from("name-prefix")) {
                    ops.insert(Value::from("name-prefix"), v.clone());
                }
            }
        }
        // Keys copied into the spec as they are:
        // * `extern-sets`: set name → the Rust path of the codec type that
        //   already declares it (nlctrl's `policy-attrs` is the framing's
        //   `crate::netlink::PolicyAttr`, also read by extended ACKs);
        // * `extern-enums`: definition name → the Rust path of the codec
        //   enum that already declares it;
        // * `nla-f-nested: true`: every nest of the spec carries
        //   `NLA_F_NESTED`; `nla-f-nested: optional`: every nest may carry
        //   it or not (strict decoding accepts both);
        //   `nla-f-nested: flagged-optional`: both, and every nest is
        //   emitted with it;
        // * `reply-names: new`: the header has one command enum for both
        //   directions (<linux/devlink.h>, <linux/nl80211.h>), where a reply
        //   is the `*_NEW` command of what the request gets, not a
        //   `*_REPLY` of its own (see `spec::reply_name`).
        for key in ["extern-sets", "extern-enums", "nla-f-nested", "reply-names"] {
            if let Some(v) = patch.get(key) {
                map.insert(Value::from(key), v.clone());
            }
        }
        // `attribute-fields`: set name → attribute name → keys that replace
        // the spec's (an attribute the kernel sends as a nest that the
        // spec's copy calls `binary`).
        if let Some(extra) = patch.get("attribute-fields").and_then(Value::as_mapping) {
            for_each_named(
                map.get_mut(Value::from("attribute-sets")),
                extra,
                |attrs, set| {
                    if let Some(attrs) = attrs.as_mapping() {
                        for_each_named(set.get_mut("attributes"), attrs, |fields, attr| {
                            replace_keys(fields, attr);
                        });
                    }
                },
            );
        }
        // `attributes`: set name → attributes the spec's copy lacks (the
        // `*_PAD` kinds of nftables), each with its `value`, added after
        // the spec's own.
        if let Some(extra) = patch.get("attributes").and_then(Value::as_mapping) {
            for_each_named(
                map.get_mut(Value::from("attribute-sets")),
                extra,
                |more, set| {
                    let list = set
                        .entry(Value::from("attributes"))
                        .or_insert_with(|| Value::Sequence(Vec::new()));
                    if let (Some(list), Some(more)) = (list.as_sequence_mut(), more.as_sequence()) {
                        list.extend(more.iter().cloned());
                    }
                },
            );
        }
        // `operation-fields`: operation name → keys that replace the
        // spec's (a name whose kernel constant differs: `vport-get` is
        // `OVS_VPORT_CMD_GET`).
        if let Some(extra) = patch.get("operation-fields").and_then(Value::as_mapping) {
            if let Some(ops) = map.get_mut(Value::from("operations")) {
                for_each_named(ops.get_mut("list"), extra, |fields, op| {
                    replace_keys(fields, op);
                });
            }
        }
        // `name-prefixes`: set name → the prefix of its attributes' kernel
        // names where the spec's copy gives none.
        if let Some(prefixes) = patch.get("name-prefixes").and_then(Value::as_mapping) {
            for_each_named(
                map.get_mut(Value::from("attribute-sets")),
                prefixes,
                |p, set| {
                    if !set.contains_key(Value::from("name-prefix")) {
                        set.insert(Value::from("name-prefix"), p.clone());
                    }
                },
            );
        }
        serde_yaml::to_string(&y).map_err(|e| format!("{file}: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `sub-message-format-fields` gives a format the spec lists without
    /// an attribute set (nftables' `bitwise`) its set, and leaves the
    /// other formats and sub-messages as they are.
    #[test]
    fn sub_message_format_fields_replace_keys_of_the_named_format() {
        let o = Overrides::parse(
            "specs:\n  x.yaml:\n    sub-message-format-fields:\n      expr-ops:\n        bitwise:\n          attribute-set: expr-bitwise-attrs\n",
        )
        .unwrap();
        let spec = "sub-messages:\n  - name: expr-ops\n    formats:\n      - value: bitwise\n      - value: cmp\n        attribute-set: expr-cmp-attrs\n  - name: obj-data\n    formats:\n      - value: bitwise\n";
        let out: Value = serde_yaml::from_str(&o.patch("x.yaml", spec).unwrap()).unwrap();
        let formats = |i: usize| out["sub-messages"][i]["formats"].clone();
        assert_eq!(
            formats(0)[0]["attribute-set"].as_str(),
            Some("expr-bitwise-attrs")
        );
        assert_eq!(
            formats(0)[1]["attribute-set"].as_str(),
            Some("expr-cmp-attrs")
        );
        assert!(formats(1)[0].get("attribute-set").is_none());
    }

    /// `entry-names` gives the named entries the header's name and leaves
    /// the others, and every entry's value, as the spec has them.
    #[test]
    fn entry_names_rename_entries_and_keep_their_values() {
        let o = Overrides::parse(
            "specs:\n  x.yaml:\n    entry-names:\n      flags:\n        point-to-point: IFF_POINTOPOINT\n        no-arp: IFF_NOARP\n",
        )
        .unwrap();
        let spec = "name: x\ndefinitions:\n  - name: flags\n    type: flags\n    name-prefix: iff-\n    entries:\n      - up\n      - point-to-point\n      - name: no-arp\n        value: 7\n      - promisc\n";
        let s = crate::spec::Spec::parse("x.yaml", &o.patch("x.yaml", spec).unwrap()).unwrap();
        let crate::spec::DefKind::Enum { entries, .. } = &s.defs[0].kind else {
            panic!("not an enum: {:?}", s.defs[0].kind);
        };
        let want = [
            ("IFF_UP", 1),
            ("IFF_POINTOPOINT", 2),
            ("IFF_NOARP", 1 << 7),
            ("IFF_PROMISC", 1 << 8),
        ];
        let got: Vec<(&str, u64)> = entries.iter().map(|(c, v)| (c.as_str(), *v)).collect();
        assert_eq!(got, want);
    }

    /// `reply-names: new` names a directional spec's replies after the
    /// header's one command enum: the request itself when the values
    /// match, the `NEW` command of a `GET` one otherwise; without it they
    /// stay `*_REPLY` (ethtool's own enum of replies).
    #[test]
    fn reply_names_new_names_replies_as_commands() {
        let spec = "name: dl\noperations:\n  enum-model: directional\n  list:\n    - name: get\n      do:\n        request:\n          value: 1\n        reply:\n          value: 3\n    - name: info-get\n      do:\n        request:\n          value: 51\n        reply:\n          value: 51\n";
        let replies = |overrides: &str| -> Vec<String> {
            let o = Overrides::parse(overrides).unwrap();
            let s =
                crate::spec::Spec::parse("dl.yaml", &o.patch("dl.yaml", spec).unwrap()).unwrap();
            s.ops.iter().map(|op| op.reply_c_name.clone()).collect()
        };
        assert_eq!(
            replies("specs:\n  dl.yaml:\n    reply-names: new\n"),
            ["DL_CMD_NEW", "DL_CMD_INFO_GET"]
        );
        assert_eq!(
            replies("specs: {}\n"),
            ["DL_CMD_GET_REPLY", "DL_CMD_INFO_GET_REPLY"]
        );
    }
}
