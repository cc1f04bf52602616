//! The JSON printer as it was before it streamed (a tree per message),
//! kept as the reference the streaming printer is compared with.
#![allow(missing_docs)]

use std::collections::HashMap;
use std::fmt::Write as _;

use nlwire::value::{MacFmt, Value, Visitor};
use nlwire::Error;

use crate::output::{describe_error, enum_number, flag_names, hex};

/// A JSON value under construction.
#[derive(Clone, Debug)]
enum Node {
    /// Serialized JSON text.
    Leaf(String),
    /// An object's entries, in order, keys possibly repeated.
    Obj(Vec<(String, Node)>),
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A value as JSON text.
pub(super) fn value_json(v: &Value<'_>) -> String {
    match *v {
        Value::U64(n) => n.to_string(),
        Value::I64(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Bytes(b) => json_str(&hex(b)),
        Value::Str(b) => match std::str::from_utf8(b) {
            Ok(s) => json_str(s),
            Err(_) => format!("{{\"hex\":{}}}", json_str(&hex(b))),
        },
        Value::Ipv4(a) => json_str(&a.to_string()),
        Value::Ipv6(a) => json_str(&a.to_string()),
        Value::Mac(b) => json_str(&MacFmt(b).to_string()),
        Value::Enum { raw, name } => format!(
            "{{\"value\":{},\"name\":{}}}",
            enum_number(raw),
            name.map_or_else(|| "null".to_string(), json_str)
        ),
        Value::Flags { raw, names } => {
            let (set, rest) = flag_names(raw, names);
            let list: Vec<String> = set.iter().map(|n| json_str(n)).collect();
            let mut s = format!("{{\"value\":{raw},\"names\":[{}]", list.join(","));
            if rest != 0 {
                let _ = write!(s, ",\"unknown\":{rest}");
            }
            s.push('}');
            s
        }
        _ => json_str(&format!("{v:?}")),
    }
}

fn is_index_list(entries: &[(String, Node)]) -> bool {
    !entries.is_empty()
        && entries
            .iter()
            .enumerate()
            .all(|(i, (k, _))| k.parse::<usize>() == Ok(i))
}

fn write_node(n: &Node, out: &mut String) {
    match n {
        Node::Leaf(s) => out.push_str(s),
        Node::Obj(entries) => write_obj(entries, out),
    }
}

fn write_obj(entries: &[(String, Node)], out: &mut String) {
    if is_index_list(entries) {
        out.push('[');
        for (i, (_, n)) in entries.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_node(n, out);
        }
        out.push(']');
        return;
    }
    let mut by_key: HashMap<&str, Vec<&Node>> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for (k, n) in entries {
        let slot = by_key.entry(k.as_str()).or_default();
        if slot.is_empty() {
            order.push(k.as_str());
        }
        slot.push(n);
    }
    out.push('{');
    for (i, k) in order.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&json_str(k));
        out.push(':');
        let nodes = by_key.get(k).map(Vec::as_slice).unwrap_or_default();
        if let [one] = nodes {
            write_node(one, out);
        } else {
            out.push('[');
            for (j, n) in nodes.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                write_node(n, out);
            }
            out.push(']');
        }
    }
    out.push('}');
}

/// Builds one JSON object from a walk.
#[derive(Debug)]
pub(super) struct RefVisitor {
    stack: Vec<(String, Vec<(String, Node)>)>,
    errors: Vec<String>,
    netlink_offset: usize,
}

impl RefVisitor {
    /// A visitor whose object starts with `meta` entries (already JSON);
    /// error offsets are shifted by `netlink_offset`.
    pub(super) fn new(meta: Vec<(String, String)>, netlink_offset: usize) -> Self {
        let root = meta.into_iter().map(|(k, v)| (k, Node::Leaf(v))).collect();
        RefVisitor {
            stack: vec![(String::new(), root)],
            errors: Vec::new(),
            netlink_offset,
        }
    }

    fn push(&mut self, name: &str, node: Node) {
        // The top-level renaming of the new printer (docs/json-schema.md).
        let name = if self.stack.len() == 1 {
            super::top_key(name).into_owned()
        } else {
            name.to_string()
        };
        if let Some((_, entries)) = self.stack.last_mut() {
            entries.push((name, node));
        }
    }

    /// The finished object as one line of JSON (groups left open are closed).
    pub(super) fn finish(mut self) -> String {
        while self.stack.len() > 1 {
            self.end();
        }
        let (_, mut root) = self.stack.pop().unwrap_or_default();
        if !self.errors.is_empty() {
            root.push((
                "errors".into(),
                Node::Leaf(format!("[{}]", self.errors.join(","))),
            ));
        }
        let mut out = String::new();
        write_obj(&root, &mut out);
        out
    }
}

impl Visitor for RefVisitor {
    fn field(&mut self, name: &str, value: Value<'_>) {
        self.push(name, Node::Leaf(value_json(&value)));
    }
    fn begin(&mut self, name: &str) {
        let name = if self.stack.len() == 1 {
            super::top_key(name).into_owned()
        } else {
            name.to_string()
        };
        self.stack.push((name, Vec::new()));
    }
    fn end(&mut self) {
        if self.stack.len() > 1 {
            if let Some((name, entries)) = self.stack.pop() {
                if let Some((_, parent)) = self.stack.last_mut() {
                    parent.push((name, Node::Obj(entries)));
                }
            }
        }
    }
    fn depth(&self) -> usize {
        self.stack.len().saturating_sub(1)
    }
    fn error(&mut self, e: Error) {
        self.errors.push(format!(
            "{{\"offset\":{},\"reason\":{}}}",
            e.offset().saturating_add(self.netlink_offset),
            json_str(&describe_error(&e))
        ));
    }
}
