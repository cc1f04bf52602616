//! Differential test against Wireshark's netlink dissectors.
//!
//! For every capture (the shared real captures, the project's samples, and
//! cooked-capture variants of a sample built here), run
//! `tshark -r FILE -T json -x --no-duplicate-keys` and `nlwire decode
//! --json FILE`, and compare every netlink field tshark decodes with
//! nlwire's value for it. tshark's `-x` gives each field's bytes and frame
//! offset, which places it in one nlwire message and, for attribute fields,
//! in one attribute (found from tshark's own `nla_len`/`nla_type` fields).
//!
//! Every field name tshark produces must be handled by a rule below: compared
//! (values must agree), a *documented tshark mistake*, or not compared with a
//! stated reason. For the value mistakes (`idiag_states` read big-endian,
//! both RQLEN values read from one offset) the test checks that tshark's
//! value is exactly the mistaken reading, so the rule hides nothing else; a
//! message tshark reads with the wrong layout (direction taken from
//! `nlmsg_pid == 0`) is left out whole, and its own test shows tshark doing
//! it; SLL2, which tshark cannot decode, has its own test too. An unknown
//! field name fails the test, so a new dissector field cannot slip through.
//!
//! tshark is installed with `apt-get install -y tshark`; without it the test
//! prints why it skips, and fails when `CI=true`.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use nlwire::families::genl::CtrlAttr;
use nlwire::families::sock_diag::{InetDiagAttr, InetDiagReqAttr, UnixDiagAttr};
use nlwire::netlink::AttributeSet;
use nlwire::registry::Registry;
use serde_json::Value as J;

mod decode_common;
use decode_common::*;

// ---------------------------------------------------------------------------
// tshark's side

/// One field tshark decoded: name, shown value, raw bytes (hex), frame offset.
#[derive(Clone, Debug)]
struct TField {
    name: String,
    show: String,
    raw: String,
    pos: usize,
}

fn tshark_present() -> bool {
    Command::new("tshark")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// The value of XML attribute `key` in one PDML line, unescaped.
fn xml_attr(line: &str, key: &str) -> Option<String> {
    let pat = format!(" {key}=\"");
    let start = line.find(&pat)? + pat.len();
    let end = start + line[start..].find('"')?;
    let v = &line[start..end];
    if !v.contains('&') {
        return Some(v.to_string());
    }
    let mut out = String::new();
    let mut rest = v;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find(';').map(|j| i + j) else {
            break;
        };
        match &rest[i + 1..j] {
            "amp" => out.push('&'),
            "lt" => out.push('<'),
            "gt" => out.push('>'),
            "quot" => out.push('"'),
            "apos" => out.push('\''),
            e => {
                let n = match e.strip_prefix("#x") {
                    Some(h) => u32::from_str_radix(h, 16).ok(),
                    None => e.strip_prefix('#').and_then(|d| d.parse().ok()),
                };
                match n.and_then(char::from_u32) {
                    Some(c) => out.push(c),
                    None => out.push_str(&rest[i..=j]),
                }
            }
        }
        rest = &rest[j + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// Streams tshark's PDML (`tshark -T pdml`) packet by packet: the frame
/// number and every named field with its shown value, bytes and offset.
struct Pdml {
    child: std::process::Child,
    lines: std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
}

impl Pdml {
    fn open(path: &Path) -> Pdml {
        let mut child = Command::new("tshark")
            .args(["-r", path.to_str().unwrap(), "-T", "pdml"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("run tshark");
        let out = child.stdout.take().unwrap();
        Pdml {
            child,
            lines: std::io::BufRead::lines(std::io::BufReader::new(out)),
        }
    }

    fn next_packet(&mut self) -> Option<(u64, Vec<TField>)> {
        let mut frame = None;
        let mut fields = Vec::new();
        let mut in_packet = false;
        for line in self.lines.by_ref() {
            let line = line.expect("read tshark output");
            let t = line.trim_start();
            if t.starts_with("<packet>") {
                in_packet = true;
                continue;
            }
            if t.starts_with("</packet>") {
                fields.sort_by_key(|f: &TField| f.pos);
                return Some((frame.expect("frame number"), fields));
            }
            if !in_packet || !t.starts_with("<field ") {
                continue;
            }
            let Some(name) = xml_attr(t, "name") else {
                continue;
            };
            if name.is_empty() {
                continue;
            }
            if name == "num" && frame.is_none() {
                frame = xml_attr(t, "show").and_then(|s| s.parse().ok());
                continue;
            }
            let pos = xml_attr(t, "pos").and_then(|s| s.parse().ok()).unwrap_or(0);
            fields.push(TField {
                name,
                show: xml_attr(t, "show").unwrap_or_default(),
                raw: xml_attr(t, "value").unwrap_or_default(),
                pos,
            });
        }
        let status = self.child.wait().expect("wait for tshark");
        assert!(status.success(), "tshark failed");
        None
    }
}

/// All of tshark's fields of a (small) file, by frame.
fn tshark_fields(path: &Path) -> BTreeMap<u64, Vec<TField>> {
    let mut p = Pdml::open(path);
    let mut out = BTreeMap::new();
    while let Some((n, f)) = p.next_packet() {
        out.insert(n, f);
    }
    out
}

// ---------------------------------------------------------------------------
// nlwire's side

struct Msg {
    offset: usize,
    end: usize,
    json: J,
}

impl Msg {
    fn request(&self) -> bool {
        self.json["direction"] == "request"
    }
    fn family(&self) -> u64 {
        self.json["family"]["value"].as_u64().unwrap()
    }
    fn nlmsg_type(&self) -> u64 {
        self.json["nlmsghdr"]["nlmsg_type"]["value"]
            .as_u64()
            .unwrap()
    }
    fn pid(&self) -> u64 {
        self.json["nlmsghdr"]["nlmsg_pid"].as_u64().unwrap()
    }
}

fn to_msg(j: J) -> (u64, Msg) {
    let offset = j["offset"].as_u64().unwrap() as usize;
    let len = j["nlmsghdr"]["nlmsg_len"].as_u64().unwrap() as usize;
    let frame = j["frame"].as_u64().unwrap();
    (
        frame,
        Msg {
            offset,
            end: offset + ((len + 3) & !3),
            json: j,
        },
    )
}

/// All of nlwire's messages of a (small) file, by frame.
fn nlwire_msgs(path: &Path) -> BTreeMap<u64, Vec<Msg>> {
    let o = nlwire(&["decode", "--json", path.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}: {}", path.display(), stderr(&o));
    let mut out: BTreeMap<u64, Vec<Msg>> = BTreeMap::new();
    for j in json_lines(&stdout(&o)) {
        let (frame, m) = to_msg(j);
        out.entry(frame).or_default().push(m);
    }
    out
}

/// Streams `nlwire decode --json` frame by frame.
struct NlwireStream {
    child: std::process::Child,
    lines: std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
    pending: Option<(u64, Msg)>,
}

impl NlwireStream {
    fn open(path: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nlwire"))
            .args(["decode", "--json", path.to_str().unwrap()])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("run nlwire");
        let out = child.stdout.take().unwrap();
        NlwireStream {
            child,
            lines: std::io::BufRead::lines(std::io::BufReader::new(out)),
            pending: None,
        }
    }

    fn next_msg(&mut self) -> Option<(u64, Msg)> {
        if let Some(p) = self.pending.take() {
            return Some(p);
        }
        let line = self.lines.next()?.expect("read nlwire output");
        Some(to_msg(serde_json::from_str(&line).expect("nlwire JSON")))
    }

    /// The messages of `frame` (frames come in order).
    fn frame(&mut self, frame: u64) -> Vec<Msg> {
        let mut out = Vec::new();
        while let Some((f, m)) = self.next_msg() {
            assert!(f >= frame, "nlwire frame {f} has no tshark frame");
            if f > frame {
                self.pending = Some((f, m));
                break;
            }
            out.push(m);
        }
        out
    }

    fn finish(mut self) {
        assert!(
            self.next_msg().is_none(),
            "nlwire has frames tshark has not"
        );
        let st = self.child.wait().expect("wait for nlwire");
        assert!(st.success(), "nlwire decode failed");
    }
}

// ---------------------------------------------------------------------------
// Values

/// A tshark value as a number: decimal, `0x` hex, or (when tshark shows
/// nothing) its raw little-endian bytes.
fn t_num(f: &TField) -> Option<i128> {
    let s = f.show.trim();
    if let Some(h) = s.strip_prefix("0x") {
        return i128::from_str_radix(h, 16).ok();
    }
    if let Ok(n) = s.parse::<i128>() {
        return Some(n);
    }
    if s.is_empty() && f.raw.len() <= 16 {
        let mut b = hex_bytes(&f.raw);
        b.reverse();
        return Some(b.iter().fold(0i128, |a, &x| (a << 8) | i128::from(x)));
    }
    None
}

fn hex_bytes(h: &str) -> Vec<u8> {
    (0..h.len() / 2)
        .map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap_or(0))
        .collect()
}

/// An nlwire value as a number: a number, or an enum/flags `value`.
fn n_num(j: &J) -> Option<i128> {
    match j {
        J::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from)),
        J::Bool(b) => Some(i128::from(*b)),
        J::Object(o) => o.get("value").and_then(n_num),
        _ => None,
    }
}

fn get<'a>(j: &'a J, path: &[&str], occurrence: usize) -> Option<&'a J> {
    let mut cur = j;
    for (i, k) in path.iter().enumerate() {
        cur = cur.get(*k)?;
        if i == 0 {
            if let J::Array(a) = cur {
                cur = a.get(occurrence)?;
            } else if occurrence > 0 {
                return None;
            }
        }
    }
    Some(cur)
}

// ---------------------------------------------------------------------------
// Where a field sits

/// An attribute as tshark framed it.
#[derive(Clone, Debug)]
struct Attr {
    pos: usize,
    len: usize,
    kind: u16,
    /// Attributes around it (0: top level of the message).
    depth: usize,
    /// Earlier top-level attributes of the same kind in the message.
    occurrence: usize,
}

/// tshark's attributes among `fields` (the fields of one message, sorted
/// by offset).
fn attrs_of(fields: &[TField]) -> Vec<Attr> {
    let mut out: Vec<Attr> = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if f.name != "netlink.attr_len" {
            continue;
        }
        let Some(len) = t_num(f) else { continue };
        let kind = fields[i..]
            .iter()
            .take_while(|t| t.pos <= f.pos + 2)
            // The entries of an indexed array have an index there instead.
            .find(|t| {
                matches!(t.name.as_str(), "netlink.attr_type" | "netlink.attr_index")
                    && t.pos == f.pos + 2
            })
            .and_then(t_num)
            .unwrap_or(-1) as u16
            & 0x3fff;
        let depth = out
            .iter()
            .filter(|a| a.pos < f.pos && f.pos < a.pos + a.len)
            .count();
        let occurrence = if depth == 0 {
            out.iter()
                .filter(|a| a.depth == 0 && a.kind == kind)
                .count()
        } else {
            0
        };
        out.push(Attr {
            pos: f.pos,
            len: len as usize,
            kind,
            depth,
            occurrence,
        });
    }
    out
}

fn holds(a: &Attr, pos: usize) -> bool {
    a.pos <= pos && pos < a.pos + a.len.max(4)
}

/// The top-level attribute holding `pos` (its header included).
fn top_attr(attrs: &[Attr], pos: usize) -> Option<&Attr> {
    attrs.iter().find(|a| a.depth == 0 && holds(a, pos))
}

/// The innermost attribute holding `pos` (its header included).
fn inner_attr(attrs: &[Attr], pos: usize) -> Option<&Attr> {
    attrs
        .iter()
        .filter(|a| holds(a, pos))
        .max_by_key(|a| a.depth)
}

/// The kernel name nlwire uses for top-level attribute `kind` of `m`.
fn attr_name(m: &Msg, kind: u16) -> Option<&'static str> {
    let j = &m.json;
    if j.get("inet_diag_msg").is_some() {
        InetDiagAttr::kind_name(kind)
    } else if j.get("unix_diag_msg").is_some() {
        UnixDiagAttr::kind_name(kind)
    } else if j.get("inet_diag_req_v2").is_some() || j.get("inet_diag_req").is_some() {
        InetDiagReqAttr::kind_name(kind)
    } else if m.family() == 16 && m.nlmsg_type() == 16 {
        CtrlAttr::kind_name(kind)
    } else {
        table_attr_name(m, kind)
    }
}

/// The kernel name of top-level attribute `kind` of `m`, from the attribute
/// set the family's message table gives the message (any family of the
/// registry: rtnetlink, and a generic netlink family once its id is
/// learned, by `genlmsghdr.cmd`).
fn table_attr_name(m: &Msg, kind: u16) -> Option<&'static str> {
    let family = m.family() as u16;
    let entry = match m.json.get("sub_family").and_then(J::as_str) {
        Some(sub) => Registry::DEFAULT.find_named(family, sub)?,
        None => Registry::DEFAULT.find(family)?,
    };
    let sel = get(&m.json, &["genlmsghdr", "cmd"], 0)
        .and_then(n_num)
        .and_then(|c| u8::try_from(c).ok());
    let sel = entry.selector.and(sel);
    let row = entry
        .rows
        .iter()
        .find(|r| (r.matches)(m.nlmsg_type() as u16, m.request(), sel))?;
    let shape = (row.shape)()?;
    shape
        .attrs
        .kinds
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, n)| *n)
}

/// nlwire's JSON for the top-level attribute `a` of `m` (typed or UNKNOWN).
fn attr_json<'a>(m: &'a Msg, a: &Attr) -> Option<&'a J> {
    if let Some(name) = attr_name(m, a.kind) {
        return get(&m.json, &[name], a.occurrence);
    }
    let unknown = m.json.get("UNKNOWN")?;
    let list: Vec<&J> = match unknown {
        J::Array(v) => v.iter().collect(),
        one => vec![one],
    };
    list.into_iter()
        .filter(|u| u["nla_type"] == a.kind)
        .nth(a.occurrence)
}

// ---------------------------------------------------------------------------
// Verdicts

#[derive(Debug)]
enum Verdict {
    Same,
    Differs(String),
    /// A documented tshark mistake, checked to be exactly that mistake.
    Mistake(&'static str),
    /// Not a value nlwire prints, with the reason.
    NotCompared(&'static str),
    /// nlwire does not type this family yet (sock_diag before it is plugged
    /// into `nlwire::decode`).
    Pending,
}

fn same_num(f: &TField, j: Option<&J>, what: &str) -> Verdict {
    match (t_num(f), j.and_then(n_num)) {
        (Some(a), Some(b)) if a == b => Verdict::Same,
        (a, b) => Verdict::Differs(format!("{what}: tshark {a:?} ({}), nlwire {b:?}", f.show)),
    }
}

fn same_bit(f: &TField, j: Option<&J>, mask: i128) -> Verdict {
    match (t_num(f), j.and_then(n_num)) {
        (Some(a), Some(b)) if (a != 0) == (b & mask != 0) => Verdict::Same,
        (a, b) => Verdict::Differs(format!("bit {mask:#x}: tshark {a:?}, nlwire {b:?}")),
    }
}

fn same_ip(f: &TField, j: Option<&J>) -> Verdict {
    let t: Option<IpAddr> = f.show.parse().ok();
    let n: Option<IpAddr> = j.and_then(J::as_str).and_then(|s| s.parse().ok());
    if t.is_some() && t == n {
        Verdict::Same
    } else {
        Verdict::Differs(format!("address: tshark {}, nlwire {j:?}", f.show))
    }
}

fn same_str(f: &TField, j: Option<&J>) -> Verdict {
    match j.and_then(J::as_str) {
        Some(s) if s == f.show => Verdict::Same,
        _ => Verdict::Differs(format!("string: tshark {:?}, nlwire {j:?}", f.show)),
    }
}

/// `f` is the `nla_type` of an attribute nested below a top-level one.
fn is_nested_type(attrs: &[Attr], f: &TField) -> bool {
    attrs.iter().any(|a| a.depth > 0 && a.pos + 2 == f.pos)
}

/// tshark's value is among what nlwire shows for the enclosing top-level
/// attribute, typed: a number (or an enum's / flags' `value`), a string
/// (names, addresses, MAC addresses as `aa:bb:…`), or, for what nlwire
/// keeps as bytes, tshark's bytes.
fn value_in(f: &TField, j: Option<&J>) -> Verdict {
    if let Some(j) = j {
        let mut all = Vec::new();
        json_leaves(j, &mut all);
        let n = t_num(f);
        let hit = all
            .iter()
            .any(|x| (n.is_some() && n_num(x) == n) || x.as_str() == Some(f.show.as_str()));
        if hit || (!f.raw.is_empty() && j.to_string().contains(&f.raw)) {
            return Verdict::Same;
        }
    }
    Verdict::Differs(format!(
        "value {} ({}) not in nlwire's {j:?}",
        f.show, f.raw
    ))
}

const FLAG_BITS: &[(&str, i128)] = &[
    ("request", 0x1),
    ("multi", 0x2),
    ("ack", 0x4),
    ("echo", 0x8),
    ("dump_intr", 0x10),
    ("dump_filtered", 0x20),
    ("root", 0x100),
    ("match", 0x200),
    ("atomic", 0x400),
    ("replace", 0x100),
    ("excl", 0x200),
    ("create", 0x400),
    ("append", 0x800),
];

/// Header fields: the message's own `nlmsghdr`, or the request header an
/// `NLMSG_ERROR` echoes at offset 20.
fn header_field(f: &TField, m: &Msg) -> Verdict {
    let rel = f.pos - m.offset;
    let base: &[&str] = if rel < 16 {
        &["nlmsghdr"]
    } else if (20..36).contains(&rel) && m.nlmsg_type() == 2 {
        &["nlmsgerr", "msg"]
    } else {
        return Verdict::Differs(format!("header field at offset {rel} of the message"));
    };
    let field = |k: &str| {
        let mut p = base.to_vec();
        p.push(k);
        get(&m.json, &p, 0).cloned()
    };
    let name = f.name.as_str();
    if name == "netlink.hdr_len" {
        return same_num(f, field("nlmsg_len").as_ref(), "nlmsg_len");
    }
    if name == "netlink.hdr_type" || name.ends_with(".nltype") || name == "genl.family_id" {
        return same_num(f, field("nlmsg_type").as_ref(), "nlmsg_type");
    }
    if name == "netlink.hdr_flags" {
        return same_num(f, field("nlmsg_flags").as_ref(), "nlmsg_flags");
    }
    if let Some(bit) = name.strip_prefix("netlink.hdr_flags.") {
        let mask = FLAG_BITS.iter().find(|(n, _)| *n == bit).map(|(_, m)| *m);
        return match mask {
            Some(mask) => same_bit(f, field("nlmsg_flags").as_ref(), mask),
            None => Verdict::Differs(format!("unknown flag {bit}")),
        };
    }
    if name == "netlink.hdr_seq" {
        return same_num(f, field("nlmsg_seq").as_ref(), "nlmsg_seq");
    }
    if name == "netlink.hdr_pid" {
        return same_num(f, field("nlmsg_pid").as_ref(), "nlmsg_pid");
    }
    Verdict::Differs(format!("unexpected header field {name}"))
}

/// The fixed-header struct of a sock_diag message as nlwire names it.
fn sd_struct(m: &Msg) -> Option<&'static str> {
    [
        "inet_diag_msg",
        "inet_diag_req_v2",
        "inet_diag_req",
        "unix_diag_msg",
        "unix_diag_req",
    ]
    .into_iter()
    .find(|k| m.json.get(*k).is_some())
}

/// sock_diag fields (`netlink-sock_diag.*`).
fn sock_diag_field(f: &TField, m: &Msg, attrs: &[Attr], fields: &[TField]) -> Verdict {
    let short = f.name.trim_start_matches("netlink-sock_diag.");
    if short == "nltype" {
        return header_field(f, m);
    }
    let Some(st) = sd_struct(m) else {
        return Verdict::Pending;
    };
    // tshark picks request or reply layouts by `nlmsg_pid == 0`, not by
    // NLM_F_REQUEST: a request with a port id (or a reply to port 0) is read
    // with the other layout, so none of its fields mean what tshark says.
    // Such messages are left out whole; `pid_based_direction_is_a_tshark_mistake`
    // shows tshark reading a request with the reply layout.
    if (m.pid() == 0) != m.request() {
        return Verdict::Mistake("request/response decided by nlmsg_pid == 0");
    }
    let j = &m.json;
    if let Some(a) = top_attr(attrs, f.pos) {
        let Some(name) = attr_name(m, a.kind) else {
            return Verdict::Differs(format!("attribute kind {} unknown to nlwire", a.kind));
        };
        let at = |k: &str| get(j, &[name, k], a.occurrence);
        let whole = get(j, &[name], a.occurrence);
        if f.pos == a.pos + 2 && matches!(short, "inet_attr" | "unix_attr") {
            return match attr_json(m, a) {
                Some(_) => Verdict::Same,
                None => Verdict::Differs(format!("nlwire has no {name}")),
            };
        }
        return match (name, short) {
            ("INET_DIAG_SHUTDOWN" | "UNIX_DIAG_SHUTDOWN", "shutdown") => same_num(f, whole, name),
            ("INET_DIAG_MEMINFO", "rmem_alloc") => same_num(f, at("idiag_rmem"), short),
            ("INET_DIAG_MEMINFO", "wmem_queued") => same_num(f, at("idiag_wmem"), short),
            ("INET_DIAG_MEMINFO", "fwd_alloc") => same_num(f, at("idiag_fmem"), short),
            ("INET_DIAG_MEMINFO", "wmem_alloc") => same_num(f, at("idiag_tmem"), short),
            ("INET_DIAG_SKMEMINFO" | "UNIX_DIAG_MEMINFO", _) => {
                let k = match short {
                    "rmem_alloc" => "SK_MEMINFO_RMEM_ALLOC",
                    "rcvbuf" => "SK_MEMINFO_RCVBUF",
                    "wmem_alloc" => "SK_MEMINFO_WMEM_ALLOC",
                    "sndbuf" => "SK_MEMINFO_SNDBUF",
                    "fwd_alloc" => "SK_MEMINFO_FWD_ALLOC",
                    "wmem_queued" => "SK_MEMINFO_WMEM_QUEUED",
                    other => return Verdict::Differs(format!("{other} in {name}")),
                };
                same_num(f, at(k), k)
            }
            ("UNIX_DIAG_PEER", "unix_peer_inode") => same_num(f, whole, name),
            // nlwire: {"pathname": "/p"} or {"abstract": "n"}; tshark
            // writes an abstract name as ss does, "@n".
            ("UNIX_DIAG_NAME", "unix_name") => {
                let shown = whole.and_then(|w| {
                    w.get("pathname")
                        .and_then(J::as_str)
                        .map(str::to_string)
                        .or_else(|| {
                            w.get("abstract")
                                .and_then(J::as_str)
                                .map(|a| format!("@{a}"))
                        })
                });
                same_str(f, shown.map(J::String).as_ref())
            }
            ("UNIX_DIAG_RQLEN", "recv_queue") => same_num(f, at("udiag_rqueue"), short),
            // tshark reads both UNIX_DIAG_RQLEN values from the first
            // word: its send_queue sits at recv_queue's offset and shows
            // udiag_rqueue. Checked: same offset, and equal to udiag_rqueue.
            ("UNIX_DIAG_RQLEN", "send_queue") => {
                let first = fields
                    .iter()
                    .any(|t| t.name == "netlink-sock_diag.recv_queue" && t.pos == f.pos);
                match same_num(f, at("udiag_rqueue"), short) {
                    Verdict::Same if first => {
                        Verdict::Mistake("both RQLEN values read from one offset")
                    }
                    v => v,
                }
            }
            _ => Verdict::Differs(format!("{short} inside {name}")),
        };
    }
    let inet_id = |k: &str| get(j, &[st, "id", k], 0);
    let at = |k: &str| get(j, &[st, k], 0);
    match (st, short) {
        ("inet_diag_msg", "family") => same_num(f, at("idiag_family"), short),
        ("inet_diag_msg", "state") => same_num(f, at("idiag_state"), short),
        ("inet_diag_msg", "recv_queue") => same_num(f, at("idiag_rqueue"), short),
        ("inet_diag_msg", "send_queue") => same_num(f, at("idiag_wqueue"), short),
        ("inet_diag_msg", "inode") => same_num(f, at("idiag_inode"), short),
        ("inet_diag_req_v2", "family") => same_num(f, at("sdiag_family"), short),
        ("inet_diag_req_v2", "inet_protocol") => same_num(f, at("sdiag_protocol"), short),
        ("inet_diag_req_v2", "inet_extended") => same_num(f, at("idiag_ext"), short),
        ("inet_diag_req_v2", "inet_padding") => same_num(f, at("pad"), short),
        // tshark reads `idiag_states` (a host-order __u32) big-endian.
        // Checked: tshark's number is nlwire's with its bytes reversed.
        ("inet_diag_req_v2", "inet_states") => match (t_num(f), at("idiag_states").and_then(n_num))
        {
            (Some(t), Some(n)) if t == i128::from((n as u32).swap_bytes()) && t != n => {
                Verdict::Mistake("idiag_states read big-endian")
            }
            (Some(t), Some(n)) if t == n => Verdict::Same,
            (t, n) => Verdict::Differs(format!("idiag_states: tshark {t:?}, nlwire {n:?}")),
        },
        ("inet_diag_msg" | "inet_diag_req_v2", "inet_sport") => {
            same_num(f, inet_id("idiag_sport"), short)
        }
        ("inet_diag_msg" | "inet_diag_req_v2", "inet_dport") => {
            same_num(f, inet_id("idiag_dport"), short)
        }
        ("inet_diag_msg" | "inet_diag_req_v2", "inet_src_ip4" | "inet_src_ip6") => {
            same_ip(f, inet_id("idiag_src"))
        }
        ("inet_diag_msg" | "inet_diag_req_v2", "inet_dest_ip4" | "inet_dest_ip6") => {
            same_ip(f, inet_id("idiag_dst"))
        }
        ("inet_diag_msg" | "inet_diag_req_v2", "inet_interface") => {
            same_num(f, inet_id("idiag_if"), short)
        }
        ("inet_diag_msg" | "inet_diag_req_v2", "cookie") => {
            same_num(f, inet_id("idiag_cookie"), short)
        }
        ("unix_diag_msg", "family") => same_num(f, at("udiag_family"), short),
        ("unix_diag_msg", "type") => same_num(f, at("udiag_type"), short),
        ("unix_diag_msg", "state") => same_num(f, at("udiag_state"), short),
        ("unix_diag_msg", "inode") => same_num(f, at("udiag_ino"), short),
        ("unix_diag_msg" | "unix_diag_req", "cookie") => same_num(f, at("udiag_cookie"), short),
        ("unix_diag_req", "family") => same_num(f, at("sdiag_family"), short),
        ("unix_diag_req", "inode") => same_num(f, at("udiag_ino"), short),
        ("unix_diag_req", "unix_show") => same_num(f, at("udiag_show"), short),
        ("unix_diag_req", s) if s.starts_with("unix_show.") => {
            let bit = match &s["unix_show.".len()..] {
                "name" => 0x1,
                "vfs" => 0x2,
                "peer" => 0x4,
                "icons" => 0x8,
                "rqlen" => 0x10,
                "meminfo" => 0x20,
                "uid" => 0x40,
                other => return Verdict::Differs(format!("unix_show bit {other}")),
            };
            same_bit(f, at("udiag_show"), bit)
        }
        _ => Verdict::Differs(format!("{short} in {st}")),
    }
}

/// Judge one tshark field of a frame.
/// One message of a frame with its tshark fields and attributes.
struct MsgCtx<'a> {
    fields: &'a [TField],
    attrs: Vec<Attr>,
}

fn judge(f: &TField, msgs: &[Msg], ctxs: &[MsgCtx<'_>]) -> Verdict {
    let name = f.name.as_str();
    let Some(first) = msgs.first() else {
        return Verdict::Differs("nlwire has no message in this frame".into());
    };
    // The cooked pseudo-header.
    if name == "netlink.hatype" {
        let h = ["nlmon", "sll_header"]
            .iter()
            .find_map(|k| first.json.get(*k))
            .and_then(|h| h.get("hatype").or_else(|| h.get("sll_hatype")));
        return same_num(f, h, "hatype");
    }
    if name == "netlink.family" {
        return same_num(f, first.json.get("family"), "family");
    }
    // A zero-length field (the empty payload of a last attribute) may sit
    // just past its message.
    let inside = |m: &Msg| m.offset <= f.pos && f.pos < m.end;
    let at_end = |m: &Msg| f.raw.is_empty() && f.pos == m.end;
    let Some(i) = msgs
        .iter()
        .position(inside)
        .or_else(|| msgs.iter().position(at_end))
    else {
        return Verdict::Differs(format!(
            "{name} at {} is outside every nlwire message",
            f.pos
        ));
    };
    let m = &msgs[i];
    let (fields, attrs) = (ctxs[i].fields, &ctxs[i].attrs[..]);
    let rel = f.pos - m.offset;
    if name.starts_with("netlink.hdr_") || name.ends_with(".nltype") || name == "genl.family_id" {
        return header_field(f, m);
    }
    match name {
        "netlink.error" => return same_num(f, get(&m.json, &["nlmsgerr", "error"], 0), "error"),
        "netlink.attr_len"
        | "netlink.attr_type"
        | "netlink.attr_type.nested"
        | "netlink.attr_type.net_byteorder" => {
            return Verdict::NotCompared(
                "TLV framing (nla_len, nla_type bits): nlwire prints attributes by kernel \
                 name, not their headers; tshark's framing is what places every attribute \
                 field compared here, and nlwire reports no framing error on any of them",
            )
        }
        "netlink.attr_index" => {
            return Verdict::NotCompared("index of a nested array element, a tshark display aid")
        }
        "netlink.attr_data" if f.raw.is_empty() => {
            return Verdict::NotCompared("empty attribute payload (tshark shows <MISSING>)")
        }
        "netlink.attr_data" => {
            // Bytes tshark did not decode. Where nlwire keeps bytes too, they
            // must be the same; where nlwire decodes them (INET_DIAG_INFO as
            // tcp_info, INET_DIAG_CONG as a string, …) there is no value
            // tshark shows to compare with.
            let top = top_attr(attrs, f.pos).and_then(|a| attr_json(m, a));
            return match top {
                Some(j) if j.to_string().contains(&f.raw) => Verdict::Same,
                _ => Verdict::NotCompared(
                    "raw bytes of an attribute tshark does not decode and nlwire does",
                ),
            };
        }
        _ => {}
    }
    if let Some(short) = name.strip_prefix("netlink-route.") {
        if inner_attr(attrs, f.pos).is_none() {
            let (st, k) = match short {
                "ifi_family" | "ifi_type" | "ifi_index" | "ifi_flags" | "ifi_change" => {
                    ("ifinfomsg", short)
                }
                "ifi_flags.iff_up" => {
                    return same_bit(f, get(&m.json, &["ifinfomsg", "ifi_flags"], 0), 0x1)
                }
                "ifi_flags.iff_broadcast" => {
                    return same_bit(f, get(&m.json, &["ifinfomsg", "ifi_flags"], 0), 0x2)
                }
                "ifa_family" | "ifa_prefixlen" | "ifa_flags" | "ifa_scope" | "ifa_index" => {
                    ("ifaddrmsg", short)
                }
                "nd_family" => ("ndmsg", "ndm_family"),
                "nd_index" => ("ndmsg", "ndm_ifindex"),
                "nd_state" => ("ndmsg", "ndm_state"),
                "nd_flags" => ("ndmsg", "ndm_flags"),
                "nd_type" => ("ndmsg", "ndm_type"),
                other => return Verdict::Differs(format!("route header field {other} at {rel}")),
            };
            // A dump request may carry only `struct rtgenmsg` (1 byte),
            // which tshark reads as the first field of the type's header.
            if m.json.get(st).is_none() && matches!(short, "ifi_family" | "ifa_family") {
                return same_num(f, get(&m.json, &["rtgenmsg", "rtgen_family"], 0), short);
            }
            return same_num(f, get(&m.json, &[st, k], 0), short);
        }
        // rtnetlink attributes (generated from the YNL specs): the kind
        // must be there under its kernel name (or as UNKNOWN if nlwire
        // does not know it), and tshark's value among what nlwire shows
        // for it.
        let top = top_attr(attrs, f.pos).expect("inside an attribute");
        let j = attr_json(m, top);
        if short.ends_with("attr_type") && top.pos + 2 == f.pos {
            return if j.is_some() {
                Verdict::Same
            } else {
                Verdict::Differs(format!("no attribute of kind {}", top.kind))
            };
        }
        if is_nested_type(attrs, f) {
            return if j.is_some() {
                Verdict::Same
            } else {
                Verdict::Differs(format!("no attribute of kind {}", top.kind))
            };
        }
        return value_in(f, j);
    }
    if let Some(short) = name.strip_prefix("genl.") {
        if inner_attr(attrs, f.pos).is_none() {
            let k = match short {
                "cmd" | "ctrl.cmd" => "cmd",
                "version" => "version",
                "reserved" => "reserved",
                other => return Verdict::Differs(format!("genl header field {other}")),
            };
            return same_num(f, get(&m.json, &["genlmsghdr", k], 0), short);
        }
        let top = top_attr(attrs, f.pos).expect("inside an attribute");
        let j = attr_json(m, top);
        let nested = inner_attr(attrs, f.pos).is_some_and(|a| a.depth > 0);
        return match (short, attr_name(m, top.kind), nested) {
            ("ctrl_attr", _, _) => {
                if j.is_some() {
                    Verdict::Same
                } else {
                    Verdict::Differs(format!("no attribute of kind {}", top.kind))
                }
            }
            ("ctrl.family_name", Some(_), false) => same_str(f, j),
            (
                "ctrl.family_id" | "ctrl.version" | "ctrl.hdrsize" | "ctrl.maxattr",
                Some(_),
                false,
            ) => same_num(f, j, short),
            // Inside CTRL_ATTR_OPS / CTRL_ATTR_MCAST_GROUPS: indexed arrays,
            // whose entries nlwire shows under their index (the entry's
            // nla_type), each a CTRL_ATTR_OP_* / CTRL_ATTR_MCAST_GRP_* set.
            (
                "ctrl.op_id" | "ctrl.op_flags" | "ctrl.group_id" | "ctrl.group_name",
                Some(_),
                true,
            ) => {
                let key = match short {
                    "ctrl.op_id" => "CTRL_ATTR_OP_ID",
                    "ctrl.op_flags" => "CTRL_ATTR_OP_FLAGS",
                    "ctrl.group_id" => "CTRL_ATTR_MCAST_GRP_ID",
                    _ => "CTRL_ATTR_MCAST_GRP_NAME",
                };
                let entry = attrs.iter().find(|a| a.depth == 1 && holds(a, f.pos));
                let v = entry.and_then(|e| j?.get(e.kind.to_string())?.get(key));
                if short == "ctrl.group_name" {
                    same_str(f, v)
                } else {
                    same_num(f, v, short)
                }
            }
            _ => value_in(f, j),
        };
    }
    if name.starts_with("netlink-sock_diag.") {
        return sock_diag_field(f, m, attrs, fields);
    }
    if name.starts_with("nl80211.") {
        // nl80211 (generated from nl80211.yaml): typed once its id is
        // learned from the controller, UNKNOWN bytes before; tshark's value
        // must be among what nlwire shows either way.
        return match top_attr(attrs, f.pos) {
            Some(top) if name == "nl80211.attr_type" && f.pos == top.pos + 2 => {
                match attr_json(m, top) {
                    Some(_) => Verdict::Same,
                    None => Verdict::Differs(format!("no attribute of kind {}", top.kind)),
                }
            }
            // The nla_type of a nested attribute: tshark shows the number,
            // nlwire the kernel name (the nest must be there).
            Some(top) if is_nested_type(attrs, f) => match attr_json(m, top) {
                Some(_) => Verdict::Same,
                None => Verdict::Differs(format!("no attribute of kind {}", top.kind)),
            },
            Some(top) => value_in(f, attr_json(m, top)),
            None => Verdict::NotCompared("nl80211 command header, not decoded by nlwire"),
        };
    }
    Verdict::Differs(format!("no rule for tshark field {name}"))
}

/// PDML's per-packet summary fields (not dissected bytes).
const PACKET_INFO: &[&str] = &["len", "caplen", "timestamp", "data"];

/// Field name prefixes that are not netlink: the capture record, the
/// Ethernet/IP/TCP/TLS of nldecap's negative samples, the 802.11
/// information elements tshark finds inside NL80211_ATTR_IE payloads,
/// tshark's expert notes and undissected data.
const NOT_NETLINK: &[&str] = &[
    "frame.",
    "eth.",
    "ip.",
    "tcp.",
    "tls.",
    "wlan.",
    "wlan_",
    "wps.",
    "wifi_p2p.",
    "_ws.",
    "data.",
];

#[derive(Default, Debug)]
struct Tally {
    same: usize,
    mistakes: BTreeMap<&'static str, usize>,
    not_compared: BTreeMap<&'static str, usize>,
    pending: usize,
    differs: Vec<String>,
    differ_count: BTreeMap<String, usize>,
    by_field: BTreeMap<String, usize>,
}

fn compare_file(path: &Path, t: &mut Tally) {
    let mut tshark = Pdml::open(path);
    let mut ours = NlwireStream::open(path);
    while let Some((frame, fields)) = tshark.next_packet() {
        let msgs = ours.frame(frame);
        let ctxs: Vec<MsgCtx<'_>> = msgs
            .iter()
            .map(|m| {
                let a = fields.partition_point(|f| f.pos < m.offset);
                let b = fields.partition_point(|f| f.pos < m.end);
                MsgCtx {
                    fields: &fields[a..b],
                    attrs: attrs_of(&fields[a..b]),
                }
            })
            .collect();
        for f in &fields {
            if NOT_NETLINK.iter().any(|p| f.name.starts_with(p))
                || PACKET_INFO.contains(&f.name.as_str())
            {
                continue;
            }
            match judge(f, &msgs, &ctxs) {
                Verdict::Same => {
                    t.same += 1;
                    *t.by_field.entry(f.name.clone()).or_default() += 1;
                }
                Verdict::Mistake(m) => *t.mistakes.entry(m).or_default() += 1,
                Verdict::NotCompared(r) => *t.not_compared.entry(r).or_default() += 1,
                Verdict::Pending => t.pending += 1,
                Verdict::Differs(d) => {
                    *t.differ_count.entry(f.name.clone()).or_default() += 1;
                    if t.differs.len() < 40 {
                        t.differs.push(format!(
                            "{} frame {frame} {} at {}: {d}",
                            path.display(),
                            f.name,
                            f.pos
                        ));
                    }
                }
            }
        }
    }
    ours.finish();
}

/// The project's own samples: always there, so always compared.
fn sample_files() -> Vec<PathBuf> {
    [
        "tcp_info.pcap",
        "unix.pcap",
        "bytecode.pcap",
        "ext_ack.pcap",
    ]
    .iter()
    .map(|s| sample(s))
    .collect()
}

/// The shared real captures, when present (`None` outside CI without them:
/// `captures_dir` has printed why they are skipped).
fn shared_files() -> Option<Vec<PathBuf>> {
    let dir = captures_dir()?;
    let mut files = Vec::new();
    for f in capture_files(&dir) {
        let bytes = std::fs::read(&f).unwrap();
        let name = f.file_name().unwrap().to_str().unwrap();
        // Not netlink captures: see tests/decode_captures.rs.
        if name.starts_with("1pkt_not_netlink") || bytes.iter().all(|&b| b == 0) {
            continue;
        }
        files.push(f);
    }
    Some(files)
}

/// Skip (or fail under CI) without tshark.
fn need_tshark() -> bool {
    if tshark_present() {
        return true;
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but tshark is not installed (apt-get install -y tshark)");
    }
    eprintln!("skipping: tshark not found (install it with `apt-get install -y tshark`)");
    false
}

#[test]
fn every_netlink_field_tshark_decodes_agrees_with_nlwire() {
    if !need_tshark() {
        return;
    }
    let mut t = Tally::default();
    for f in sample_files() {
        compare_file(&f, &mut t);
    }
    // What the samples alone must give: checked whether or not the shared
    // captures are there, so a machine without them still tests something
    // and is not held to the count of the full input.
    let from_samples = t.same;
    assert!(
        from_samples > 1_000,
        "only {from_samples} values compared in samples/*.pcap"
    );
    for must in ["netlink.hdr_len", "netlink.hdr_seq", "netlink.error"] {
        assert!(
            t.by_field.contains_key(must),
            "{must} never compared in samples/*.pcap"
        );
    }
    let shared = shared_files();
    for f in shared.iter().flatten() {
        compare_file(f, &mut t);
    }
    eprintln!(
        "compared {} field values ({from_samples} from samples/*.pcap); by field: {:#?}",
        t.same, t.by_field
    );
    eprintln!("tshark mistakes (checked): {:#?}", t.mistakes);
    eprintln!("not compared: {:#?}", t.not_compared);
    if t.pending > 0 {
        eprintln!(
            "NOTE: {} sock_diag field values not compared: nlwire::decode does not type \
             NETLINK_SOCK_DIAG messages yet (they print as payload bytes)",
            t.pending
        );
    }
    assert!(
        t.differ_count.is_empty(),
        "disagreements by field: {:#?}\nfirst ones:\n{}",
        t.differ_count,
        t.differs.join("\n")
    );
    if shared.is_some() {
        // The full input: the samples and the shared real captures.
        assert!(t.same > 20_000, "only {} values compared", t.same);
        assert!(
            t.by_field.contains_key("genl.ctrl.family_name"),
            "genl.ctrl.family_name never compared"
        );
    }
    // Once sock_diag is typed, every sock_diag field must be compared.
    let typed = t
        .by_field
        .keys()
        .any(|k| k.starts_with("netlink-sock_diag.") && k != "netlink-sock_diag.nltype");
    assert!(
        !(typed && t.pending > 0),
        "sock_diag typed but {} fields pending",
        t.pending
    );
    if typed {
        for must in [
            "netlink-sock_diag.inet_sport",
            "netlink-sock_diag.cookie",
            "netlink-sock_diag.rcvbuf",
            "netlink-sock_diag.unix_peer_inode",
        ] {
            assert!(t.by_field.contains_key(must), "{must} never compared");
        }
        assert!(t.mistakes.contains_key("idiag_states read big-endian"));
    }
}

/// Rewrite a nlmon sample as a cooked capture: `LINUX_SLL` keeps the same
/// 16-byte layout; `LINUX_SLL2` has a 20-byte header.
fn cooked(src: &Path, sll2: bool, out: &Path) {
    let mut r = nlwire_cli::capture::CaptureReader::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut recs = Vec::new();
    while let Some(p) = r.next_packet().unwrap() {
        let t = p.time.unwrap();
        let (hdr, nl) = p.data.split_at(16);
        let family = [hdr[14], hdr[15]];
        let data = if sll2 {
            let mut d = vec![family[0], family[1], 0, 0, 0, 0, 0, 1, 0x03, 0x38, 4, 0];
            d.extend_from_slice(&[0; 8]);
            d.extend_from_slice(nl);
            d
        } else {
            let mut d = vec![0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
            d.extend_from_slice(&family);
            d.extend_from_slice(nl);
            d
        };
        recs.push(Rec::new(t.secs as u32, t.nanos / 1000, data));
    }
    let lt = if sll2 { 276 } else { 113 };
    std::fs::write(out, pcap(lt, &recs, false, false)).unwrap();
}

#[test]
fn cooked_captures_sll_decodes_and_tshark_cannot_read_sll2_netlink() {
    if !need_tshark() {
        return;
    }
    let d = scratch("tshark-cooked");
    let sll = d.join("sll.pcap");
    let sll2 = d.join("sll2.pcap");
    cooked(&sample("ext_ack.pcap"), false, &sll);
    cooked(&sample("ext_ack.pcap"), true, &sll2);

    // LINUX_SLL: both decode; nlwire's messages are those of the nlmon file.
    let a = nlwire_msgs(&sll);
    let b = nlwire_msgs(&sample("ext_ack.pcap"));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.values().flatten().zip(b.values().flatten()) {
        assert_eq!(x.json["nlmsghdr"], y.json["nlmsghdr"]);
        assert_eq!(x.offset, y.offset);
    }
    let tf = tshark_fields(&sll);
    let netlink_fields = tf
        .values()
        .flatten()
        .filter(|f| f.name.starts_with("netlink.hdr_"))
        .count();
    assert!(netlink_fields > 0, "tshark decodes netlink in LINUX_SLL");

    // LINUX_SLL2: nlwire decodes every message, 4 bytes further in.
    let c = nlwire_msgs(&sll2);
    assert_eq!(c.len(), b.len());
    for (x, y) in c.values().flatten().zip(b.values().flatten()) {
        assert_eq!(x.json["nlmsghdr"], y.json["nlmsghdr"]);
        assert_eq!(x.offset, y.offset + 4);
        assert_eq!(x.json["sll2_header"]["sll2_hatype"]["value"], 824);
    }
    // tshark 4.0 does not hand SLL2 frames of ARPHRD_NETLINK to its netlink
    // dissector: no netlink field at all.
    let tf = tshark_fields(&sll2);
    let any_netlink = tf.values().flatten().any(|f| f.name.starts_with("netlink"));
    assert!(
        !any_netlink,
        "tshark now decodes SLL2 netlink: compare it and drop this check"
    );
}

#[test]
fn pid_based_direction_is_a_tshark_mistake() {
    if !need_tshark() {
        return;
    }
    // A sock_diag dump request with a non-zero nlmsg_pid (as libraries that
    // bind first send it): still a request (NLM_F_REQUEST), which nlwire
    // says; tshark reads it as a reply because nlmsg_pid != 0.
    let d = scratch("tshark-pid");
    let mut r = nlwire_cli::capture::CaptureReader::new(
        std::fs::File::open(sample("tcp_info.pcap")).unwrap(),
    )
    .unwrap();
    let p = r.next_packet().unwrap().unwrap();
    let mut data = p.data.to_vec();
    data[16 + 12..16 + 16].copy_from_slice(&4242u32.to_ne_bytes());
    let file = d.join("pid.pcap");
    std::fs::write(&file, pcap(253, &[Rec::new(1, 0, data)], false, false)).unwrap();
    let ours = nlwire_msgs(&file);
    let m = &ours[&1][0];
    assert!(m.request());
    assert_eq!(m.pid(), 4242);
    let tf = tshark_fields(&file);
    // tshark shows reply fields (inode, queues) for this request.
    let reply_fields = tf[&1]
        .iter()
        .any(|f| f.name == "netlink-sock_diag.inode" || f.name == "netlink-sock_diag.recv_queue");
    assert!(
        reply_fields,
        "tshark decided by NLM_F_REQUEST: drop the pid rule"
    );
    let mut t = Tally::default();
    compare_file(&file, &mut t);
    assert!(t.differs.is_empty(), "{:?}", t.differs);
    if t.pending == 0 {
        assert!(
            t.mistakes
                .contains_key("request/response decided by nlmsg_pid == 0"),
            "{t:?}"
        );
    }
}
