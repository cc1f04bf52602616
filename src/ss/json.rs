//! `nlwire ss --json`: one JSON object per socket, built by walking the
//! decoded reply with the codec's [`Walk`] — no field is listed by hand.
//!
//! The fixed header (`struct inet_diag_msg`, `struct unix_diag_msg`,
//! `struct netlink_diag_msg`, `struct packet_diag_msg`) and
//! its `id` (`struct inet_diag_sockid`) are flattened into the object, so
//! `idiag_sport`, `idiag_state`, `udiag_ino` are top-level keys; each
//! attribute is a key named by its kernel name (`INET_DIAG_INFO` holding
//! `tcpi_rtt`, …, `UNIX_DIAG_PEER`). Scalars are as `nlwire decode --json`
//! writes them (enums and flags as `{"value", "name(s)"}`); a repeated key
//! becomes an array; a group of keys `"0"`, `"1"`, … (a C array) an array.
//! `netid` is ss's `tcp`, `u_str`, `nl`, `p_raw`, ….

use nlwire::families::sock_diag::{InetDiagMsg, NetlinkDiagMsg, PacketDiagMsg, UnixDiagMsg};
use nlwire::value::{Value, Visitor, Walk};
use nlwire::wire::WireStruct;
use nlwire::Error;
use nlwire_cli::output::json::value_json;
use nlwire_cli::output::{describe_error, enum_number, for_each_flag};
use serde_json::{Map, Value as Json};

use super::query::Sock;

/// An open group: its name, its entries (in order, keys may repeat) and
/// whether its entries go into the enclosing group.
type Group = (String, Vec<(String, Json)>, bool);

/// Builds one object from a walk.
struct JsonBuilder {
    /// Open groups.
    stack: Vec<Group>,
    errors: Vec<Json>,
}

/// Groups whose fields go straight into the enclosing object.
fn flattened(name: &str, depth: usize) -> bool {
    (depth == 0
        && [
            InetDiagMsg::NAME,
            UnixDiagMsg::NAME,
            NetlinkDiagMsg::NAME,
            PacketDiagMsg::NAME,
        ]
        .contains(&name))
        || (depth == 1 && name == "id")
}

fn object(entries: Vec<(String, Json)>) -> Json {
    let is_array = !entries.is_empty()
        && entries
            .iter()
            .enumerate()
            .all(|(i, (k, _))| k.parse::<usize>() == Ok(i));
    if is_array {
        return Json::Array(entries.into_iter().map(|(_, v)| v).collect());
    }
    // The map orders keys (serde_json's `Map` without `preserve_order`):
    // a stable sort groups a repeated key's values in walk order, without
    // comparing every key with every other.
    let mut entries = entries;
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut grouped: Vec<(String, Json)> = Vec::with_capacity(entries.len());
    let mut it = entries.into_iter().peekable();
    while let Some((k, v)) = it.next() {
        if it.peek().is_some_and(|(n, _)| *n == k) {
            let mut vs = vec![v];
            while let Some((_, v)) = it.next_if(|(n, _)| *n == k) {
                vs.push(v);
            }
            grouped.push((k, Json::Array(vs)));
        } else {
            grouped.push((k, v));
        }
    }
    let map: Map<String, Json> = grouped.into_iter().collect();
    Json::Object(map)
}

/// A value as `nlwire decode --json` writes it ([`value_json`]), built
/// directly for the common kinds (no text printed and parsed back).
fn to_json(v: &Value<'_>) -> Json {
    match *v {
        Value::U64(n) => Json::from(n),
        Value::I64(n) => Json::from(n),
        Value::Bool(b) => Json::Bool(b),
        Value::Str(b) => match std::str::from_utf8(b) {
            Ok(t) => Json::String(t.to_owned()),
            Err(_) => parsed(v),
        },
        Value::Enum { raw, name } => {
            let mut m = Map::new();
            m.insert("value".into(), enum_json(raw));
            m.insert(
                "name".into(),
                name.map_or(Json::Null, |n| Json::String(n.into())),
            );
            Json::Object(m)
        }
        Value::Flags { raw, names } => {
            let mut list = Vec::new();
            let rest = for_each_flag(raw, names, |n| list.push(Json::String(n.into())));
            let mut m = Map::new();
            m.insert("value".into(), Json::from(raw));
            m.insert("names".into(), Json::Array(list));
            if rest != 0 {
                m.insert("unknown".into(), Json::from(rest));
            }
            Json::Object(m)
        }
        _ => parsed(v),
    }
}

/// [`enum_number`] as a JSON number.
fn enum_json(raw: u64) -> Json {
    match i64::try_from(enum_number(raw)) {
        Ok(n) => Json::from(n),
        Err(_) => Json::from(raw),
    }
}

/// The other kinds: [`value_json`]'s text, parsed.
fn parsed(v: &Value<'_>) -> Json {
    serde_json::from_str(&value_json(v)).unwrap_or(Json::Null)
}

impl JsonBuilder {
    fn new(netid: &str) -> Self {
        JsonBuilder {
            stack: vec![(
                String::new(),
                vec![("netid".into(), Json::String(netid.into()))],
                false,
            )],
            errors: Vec::new(),
        }
    }
    fn push(&mut self, name: &str, v: Json) {
        if let Some((_, entries, _)) = self.stack.last_mut() {
            entries.push((name.to_string(), v));
        }
    }
    fn finish(mut self) -> Json {
        while self.stack.len() > 1 {
            self.end();
        }
        let (_, mut root, _) = self.stack.pop().unwrap_or_default();
        if !self.errors.is_empty() {
            root.push(("errors".into(), Json::Array(self.errors)));
        }
        object(root)
    }
}

impl Visitor for JsonBuilder {
    fn field(&mut self, name: &str, value: Value<'_>) {
        self.push(name, to_json(&value));
    }
    fn begin(&mut self, name: &str) {
        let flat = flattened(name, self.depth());
        self.stack.push((name.to_string(), Vec::new(), flat));
    }
    fn end(&mut self) {
        if self.stack.len() <= 1 {
            return;
        }
        if let Some((name, entries, flat)) = self.stack.pop() {
            if flat {
                if let Some((_, parent, _)) = self.stack.last_mut() {
                    parent.extend(entries);
                }
            } else {
                self.push(&name, object(entries));
            }
        }
    }
    fn depth(&self) -> usize {
        self.stack.len().saturating_sub(1)
    }
    fn error(&mut self, e: Error) {
        self.errors.push(Json::String(format!(
            "at {}: {}",
            e.offset,
            describe_error(&e)
        )));
    }
}

/// One socket as a JSON object.
pub fn socket_json(sock: &Sock) -> Json {
    let mut b = JsonBuilder::new(sock.netid.name());
    match sock.decoded() {
        Some(m) => m.walk(&mut b),
        None => b.errors.push(Json::String("undecodable reply".into())),
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_become_arrays_and_arrays_stay() {
        let o = object(vec![
            ("a".into(), Json::from(1)),
            ("b".into(), Json::Array(vec![Json::from(7)])),
            ("a".into(), Json::from(2)),
            ("a".into(), Json::from(3)),
        ]);
        assert_eq!(o, serde_json::json!({"a": [1, 2, 3], "b": [7]}));
        let arr = object(vec![
            ("0".into(), Json::from(5)),
            ("1".into(), Json::from(6)),
        ]);
        assert_eq!(arr, serde_json::json!([5, 6]));
    }

    /// The values built directly are those `value_json` prints.
    #[test]
    fn direct_values_match_value_json() {
        let names = nlwire::netlink::NLM_F_GET_NAMES;
        let values = [
            Value::U64(0),
            Value::U64(u64::MAX),
            Value::I64(-5),
            Value::I64(i64::MAX),
            Value::Bool(true),
            Value::Str(b"lo\"\n\x01"),
            Value::Str(b"\xff"),
            Value::Enum {
                raw: (-22i64) as u64,
                name: Some("EINVAL"),
            },
            Value::Enum {
                raw: u64::MAX,
                name: None,
            },
            Value::Enum { raw: 7, name: None },
            Value::Flags { raw: 0x1301, names },
            Value::Flags { raw: 0, names },
            Value::Bytes(&[1, 2]),
        ];
        for v in values {
            assert_eq!(to_json(&v), parsed(&v), "{v:?}");
            assert_eq!(
                serde_json::to_string(&to_json(&v)).unwrap(),
                serde_json::to_string(&parsed(&v)).unwrap()
            );
        }
    }

    #[test]
    fn header_is_flattened() {
        let mut b = JsonBuilder::new("tcp");
        b.begin("inet_diag_msg");
        b.field("idiag_state", Value::U64(1));
        b.begin("id");
        b.field("idiag_sport", Value::U64(22));
        b.end();
        b.end();
        b.begin("INET_DIAG_INFO");
        b.field("tcpi_rtt", Value::U64(5));
        b.end();
        let j = b.finish();
        assert_eq!(
            j,
            serde_json::json!({"netid": "tcp", "idiag_state": 1, "idiag_sport": 22,
                               "INET_DIAG_INFO": {"tcpi_rtt": 5}})
        );
    }
}
