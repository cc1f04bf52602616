//! Helpers shared by the `sock_diag_*` tests: the capture folder (with the
//! CI rule), a recording visitor, canonical attribute strategies and a tiny
//! pcap reader.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::PathBuf;

use nlwire::families::sock_diag::{
    idiag_ext_bit, AddressFamily, InetDiagReqAttr, InetDiagReqV2, InetRequest, IpProto,
    INET_DIAG_INFO, SOCK_DIAG_BY_FAMILY, TCPF_ALL,
};
use nlwire::netlink::{
    nla_align, AttributeSet, Attrs, Builder, NLA_HDRLEN, NLM_F_DUMP, NLM_F_REQUEST,
};
use nlwire::value::{Value, Visitor, Walk};
use nlwire::{Error, Mode};
use proptest::prelude::*;

/// The shared captures folder: `$NLWIRE_CAPTURES`, default
/// `../shared/captures` relative to the workspace root. `None` (with the
/// reason printed) when it is missing; under `CI=true` a missing folder is a
/// failure.
pub fn captures() -> Option<PathBuf> {
    let dir = match std::env::var_os("NLWIRE_CAPTURES") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/captures"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "captures folder {} is required under CI=true (set NLWIRE_CAPTURES)",
            dir.display()
        );
    }
    eprintln!(
        "skipped: captures folder {} not found (set NLWIRE_CAPTURES)",
        dir.display()
    );
    None
}

/// Read a capture file; the folder must exist (call [`captures`] first).
pub fn read(dir: &std::path::Path, rel: &str) -> Vec<u8> {
    let p = dir.join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Read a text file beside the captures.
pub fn read_text(dir: &std::path::Path, rel: &str) -> String {
    String::from_utf8_lossy(&read(dir, rel)).into_owned()
}

/// A dump request for AF_INET (`SOCK_DIAG_BY_FAMILY`, `NLM_F_REQUEST |
/// NLM_F_DUMP`, every TCP state, `INET_DIAG_INFO` asked) with
/// `INET_DIAG_REQ_PROTOCOL` `protocol` (`IPPROTO_MPTCP` for an MPTCP dump).
pub fn inet_dump_request(seq: u32, protocol: u32) -> Vec<u8> {
    let req = InetDiagReqV2::dump(
        AddressFamily::Inet,
        IpProto::Tcp,
        idiag_ext_bit(INET_DIAG_INFO),
        TCPF_ALL,
    );
    let mut b = Builder::new_vec();
    b.message(
        SOCK_DIAG_BY_FAMILY,
        NLM_F_REQUEST | NLM_F_DUMP,
        seq,
        0,
        |b| InetRequest::write(b, &req, &[InetDiagReqAttr::Protocol(protocol)]),
    )
    .unwrap();
    b.into_vec()
}

/// A visitor that records `group.path.name=value` lines.
#[derive(Default)]
pub struct Recorder {
    pub lines: Vec<String>,
    pub errors: Vec<Error>,
    path: Vec<String>,
}

fn show(value: Value<'_>) -> String {
    match value {
        Value::U64(n) => n.to_string(),
        Value::I64(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Bytes(b) => b.iter().fold(String::from("0x"), |mut s, x| {
            let _ = write!(s, "{x:02x}");
            s
        }),
        Value::Str(s) => format!("{:?}", String::from_utf8_lossy(s)),
        Value::Ipv4(a) => a.to_string(),
        Value::Ipv6(a) => a.to_string(),
        Value::Mac(b) => nlwire::value::MacFmt(b).to_string(),
        Value::Enum { raw, name } => name.map_or_else(|| raw.to_string(), str::to_string),
        Value::Flags { raw, names } => {
            let mut parts: Vec<&str> = names
                .iter()
                .filter(|(m, _)| *m != 0 && raw & m == *m)
                .map(|(_, n)| *n)
                .collect();
            let known = names
                .iter()
                .filter(|(m, _)| raw & m == *m)
                .fold(0, |a, (m, _)| a | m);
            let rest = raw & !known;
            let rest_s = format!("{rest:#x}");
            if rest != 0 {
                parts.push(&rest_s);
            }
            if parts.is_empty() {
                "0".into()
            } else {
                parts.join("|")
            }
        }
        other => format!("{other:?}"),
    }
}

impl Visitor for Recorder {
    fn field(&mut self, name: &str, value: Value<'_>) {
        let mut key = self.path.join(".");
        if !key.is_empty() {
            key.push('.');
        }
        key.push_str(name);
        self.lines.push(format!("{key}={}", show(value)));
    }
    fn begin(&mut self, name: &str) {
        self.path.push(name.to_string());
    }
    fn end(&mut self) {
        self.path.pop();
    }
    fn depth(&self) -> usize {
        self.path.len()
    }
    fn error(&mut self, error: Error) {
        self.errors.push(error);
    }
}

/// Walk `w` and return its lines (panics on walk errors).
pub fn lines(w: &dyn Walk) -> Vec<String> {
    let mut r = Recorder::default();
    w.walk(&mut r);
    assert!(r.errors.is_empty(), "walk errors: {:?}", r.errors);
    r.lines
}

/// `true` if a line `key=value` was recorded.
pub fn has(lines: &[String], line: &str) -> bool {
    lines.iter().any(|l| l == line)
}

/// Assert that `line` was recorded.
#[track_caller]
pub fn assert_line(lines: &[String], line: &str) {
    assert!(
        has(lines, line),
        "missing {line:?} in:\n{}",
        lines.join("\n")
    );
}

/// Encode one attribute as the kernel's `nla_put` does (padding zeroed).
pub fn attr(nla_type: u16, payload: &[u8]) -> Vec<u8> {
    let len = NLA_HDRLEN + payload.len();
    let mut out = Vec::new();
    out.extend_from_slice(&(len as u16).to_ne_bytes());
    out.extend_from_slice(&nla_type.to_ne_bytes());
    out.extend_from_slice(payload);
    out.resize(nla_align(len), 0);
    out
}

/// Parse one attribute stream as set `A` (lenient) and emit every attribute
/// again into a buffer pre-filled with 0xa5; returns the bytes written.
pub fn reemit<'a, A: AttributeSet<'a>>(bytes: &'a [u8], mode: Mode) -> Result<Vec<u8>, Error> {
    let attrs: Vec<A> = Attrs::<A>::with(bytes, 0, mode).collect::<Result<_, _>>()?;
    let mut buf = vec![0xa5u8; bytes.len() + 64];
    let mut b = Builder::new(&mut buf[..]);
    for a in &attrs {
        b.attr_set(a)?;
    }
    let n = b.len();
    buf.truncate(n);
    Ok(buf)
}

/// The canonical bytes of one attribute of set `A`: a known kind with a
/// payload of the right shape — its fixed size, a whole number of `elem(kind)`
/// elements for arrays, a stream of attributes for nests, any bytes
/// otherwise — or an unknown kind. `nested` gives the canonical content of a
/// nested kind (default: unknown attributes), or of a non-nested kind whose
/// payload must be valid as a whole (a bytecode program).
pub fn canonical_attr<A: AttributeSet<'static>>(
    elem: fn(u16) -> Option<usize>,
    nested: fn(u16) -> Option<BoxedStrategy<Vec<u8>>>,
) -> BoxedStrategy<Vec<u8>> {
    let kinds: Vec<u16> = A::KINDS.iter().map(|(k, _)| *k).collect();
    let max_known = kinds.iter().copied().max().unwrap_or(0);
    let known = if kinds.is_empty() {
        Just(max_known + 1).boxed()
    } else {
        proptest::sample::select(kinds).boxed()
    };
    let unknown = (max_known + 1..0x3fff).boxed();
    prop_oneof![7 => known, 1 => unknown]
        .prop_flat_map(move |kind| {
            let payload = if let Some(n) = A::payload_size(kind) {
                proptest::collection::vec(any::<u8>(), n).boxed()
            } else if let Some(e) = elem(kind) {
                proptest::collection::vec(proptest::collection::vec(any::<u8>(), e), 0..4)
                    .prop_map(|v| v.concat())
                    .boxed()
            } else if A::is_nested_kind(kind) {
                match nested(kind) {
                    Some(s) => s,
                    None => proptest::collection::vec(
                        (1u16..200, proptest::collection::vec(any::<u8>(), 0..16)),
                        0..4,
                    )
                    .prop_map(|v| v.into_iter().flat_map(|(k, p)| attr(k, &p)).collect())
                    .boxed(),
                }
            } else if let Some(s) = nested(kind) {
                // A variable payload that must be valid as a whole (bytecode).
                s
            } else {
                proptest::collection::vec(any::<u8>(), 0..64).boxed()
            };
            (Just(kind), payload)
        })
        .prop_map(|(kind, payload)| attr(kind | A::emit_flags(kind), &payload))
        .boxed()
}

/// A canonical stream of up to `max` attributes of `A`.
pub fn canonical_attrs<A: AttributeSet<'static>>(
    max: usize,
    elem: fn(u16) -> Option<usize>,
    nested: fn(u16) -> Option<BoxedStrategy<Vec<u8>>>,
) -> BoxedStrategy<Vec<u8>> {
    proptest::collection::vec(canonical_attr::<A>(elem, nested), 0..=max)
        .prop_map(|v| v.concat())
        .boxed()
}

/// No arrays in the set.
pub fn no_arrays(_: u16) -> Option<usize> {
    None
}

/// No typed nests in the set.
pub fn no_nests(_: u16) -> Option<BoxedStrategy<Vec<u8>>> {
    None
}

/// The records of a classic pcap file: `(linktype, frame bytes)`. Handles
/// both byte orders of the file header; panics on a malformed file.
pub fn pcap_records(bytes: &[u8]) -> (u32, Vec<&[u8]>) {
    let magic = u32::from_le_bytes(bytes[0..4].try_into().unwrap());
    let le = match magic {
        0xa1b2_c3d4 | 0xa1b2_3c4d => true,
        0xd4c3_b2a1 | 0x4d3c_b2a1 => false,
        m => panic!("not a pcap file (magic {m:#x})"),
    };
    let rd = |at: usize| {
        let b: [u8; 4] = bytes[at..at + 4].try_into().unwrap();
        if le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        }
    };
    let linktype = rd(20);
    let mut out = Vec::new();
    let mut pos = 24;
    while pos + 16 <= bytes.len() {
        let incl = rd(pos + 8) as usize;
        let start = pos + 16;
        out.push(&bytes[start..start + incl]);
        pos = start + incl;
    }
    assert_eq!(pos, bytes.len(), "trailing bytes in pcap");
    (linktype, out)
}
