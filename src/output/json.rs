//! JSON lines: one object per netlink message (schema: `docs/json-schema.md`).
//!
//! Keys keep the walk's order (kernel order). A key that occurs more than
//! once in one object (a repeated attribute) becomes an array of its values
//! in order; a group whose keys are `"0"`, `"1"`, … (a C array) becomes an
//! array.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use nlwire::value::{Value, Visitor, Walk};
use nlwire::Error;

use super::{
    describe_error, enum_number, family_name, flag_names, hex, FrameInfo, MsgInfo, Output, Problem,
};

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
pub fn value_json(v: &Value<'_>) -> String {
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
pub struct JsonVisitor {
    stack: Vec<(String, Vec<(String, Node)>)>,
    errors: Vec<String>,
    netlink_offset: usize,
}

impl JsonVisitor {
    /// A visitor whose object starts with `meta` entries (already JSON);
    /// error offsets are shifted by `netlink_offset`.
    pub fn new(meta: Vec<(String, String)>, netlink_offset: usize) -> Self {
        let root = meta.into_iter().map(|(k, v)| (k, Node::Leaf(v))).collect();
        JsonVisitor {
            stack: vec![(String::new(), root)],
            errors: Vec::new(),
            netlink_offset,
        }
    }

    fn push(&mut self, name: &str, node: Node) {
        if let Some((_, entries)) = self.stack.last_mut() {
            entries.push((name.to_string(), node));
        }
    }

    /// The finished object as one line of JSON (groups left open are closed).
    pub fn finish(mut self) -> String {
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

impl Visitor for JsonVisitor {
    fn field(&mut self, name: &str, value: Value<'_>) {
        self.push(name, Node::Leaf(value_json(&value)));
    }
    fn begin(&mut self, name: &str) {
        self.stack.push((name.to_string(), Vec::new()));
    }
    fn end(&mut self) {
        if self.stack.len() > 1 {
            if let Some((name, entries)) = self.stack.pop() {
                self.push(&name, Node::Obj(entries));
            }
        }
    }
    fn depth(&self) -> usize {
        self.stack.len().saturating_sub(1)
    }
    fn error(&mut self, e: Error) {
        self.errors.push(format!(
            "{{\"offset\":{},\"reason\":{}}}",
            e.offset.saturating_add(self.netlink_offset),
            json_str(&describe_error(&e))
        ));
    }
}

/// Writes one JSON object per netlink message to `W`.
#[derive(Debug)]
pub struct JsonOutput<W: Write> {
    out: W,
}

impl<W: Write> JsonOutput<W> {
    /// Print to `out`.
    pub fn new(out: W) -> Self {
        JsonOutput { out }
    }
}

/// The metadata keys that start every message object.
fn meta(f: &FrameInfo<'_>, m: &MsgInfo) -> Vec<(String, String)> {
    let mut v = Vec::with_capacity(9);
    if let Some(file) = f.file {
        v.push(("file".into(), json_str(file)));
    }
    if let Some(n) = f.number {
        v.push(("frame".into(), n.to_string()));
    }
    if let Some(t) = f.time {
        v.push(("time".into(), json_str(&t.to_string())));
    }
    v.push((
        "family".into(),
        value_json(&Value::Enum {
            raw: u64::from(f.family),
            name: family_name(f.family),
        }),
    ));
    v.push(("byte_order".into(), json_str(f.order.name())));
    v.push(("message".into(), m.index.to_string()));
    v.push(("offset".into(), m.offset.to_string()));
    v.push((
        "direction".into(),
        json_str(if m.request { "request" } else { "response" }),
    ));
    v
}

impl<W: Write> Output for JsonOutput<W> {
    fn frame(&mut self, _f: &FrameInfo<'_>) -> io::Result<()> {
        Ok(())
    }

    fn message(
        &mut self,
        f: &FrameInfo<'_>,
        m: &MsgInfo,
        walk: &mut dyn FnMut(&mut dyn Visitor),
    ) -> io::Result<()> {
        let mut v = JsonVisitor::new(meta(f, m), f.netlink_offset());
        if let Some(link) = f.link {
            link.walk(&mut v);
        }
        walk(&mut v);
        let mut line = v.finish();
        line.push('\n');
        self.out.write_all(line.as_bytes())
    }

    fn problem(&mut self, _f: &FrameInfo<'_>, _p: &Problem) -> io::Result<()> {
        // Problems go to stderr only: stdout stays one object per message.
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_become_arrays_and_indices_lists() {
        let mut v = JsonVisitor::new(vec![("frame".into(), "1".into())], 16);
        v.field("A", Value::U64(1));
        v.begin("cookie");
        v.field("0", Value::U64(5));
        v.field("1", Value::U64(6));
        v.end();
        v.field("A", Value::U64(2));
        v.begin("G");
        v.field("name", Value::Str(b"lo"));
        v.end();
        v.field("bad", Value::Str(b"\xff"));
        v.error(Error::short("x", 4, 2).at(4));
        let line = v.finish();
        assert_eq!(
            line,
            r#"{"frame":1,"A":[1,2],"cookie":[5,6],"G":{"name":"lo"},"bad":{"hex":"ff"},"errors":[{"offset":20,"reason":"x: truncated (needed 4, present 2)"}]}"#
        );
        let parsed: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(parsed["A"][1], 2);
    }

    #[test]
    fn enums_and_flags() {
        assert_eq!(
            value_json(&Value::Enum {
                raw: (-2i64) as u64,
                name: Some("ENOENT")
            }),
            r#"{"value":-2,"name":"ENOENT"}"#
        );
        assert_eq!(
            value_json(&Value::Enum {
                raw: 99,
                name: None
            }),
            r#"{"value":99,"name":null}"#
        );
        assert_eq!(
            value_json(&Value::Flags {
                raw: 0x1301,
                names: nlwire::netlink::NLM_F_GET_NAMES
            }),
            r#"{"value":4865,"names":["NLM_F_REQUEST","NLM_F_DUMP"],"unknown":4096}"#
        );
    }
}
