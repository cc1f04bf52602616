//! Helpers shared by the `decode_*` and `tshark_*` tests: running the
//! binary, finding the shared captures, and writing pcap/pcapng files byte by
//! byte (so every file-format case is built by the test itself).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Run `nlwire` with `args`.
pub fn nlwire(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nlwire"))
        .args(args)
        .output()
        .expect("run nlwire")
}

/// Run `nlwire` with `args` in directory `dir`.
pub fn nlwire_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nlwire"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run nlwire")
}

/// stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The exit code.
pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// The shared real captures (`$NLWIRE_CAPTURES`, default
/// `../shared/captures` beside the workspace). `None` (with a printed
/// reason) when they are absent; a panic when `CI=true`.
pub fn captures_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("NLWIRE_CAPTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/captures"));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "CI=true but the shared captures are missing at {} (set NLWIRE_CAPTURES)",
            dir.display()
        );
    }
    eprintln!(
        "skipping: shared captures not found at {} (set NLWIRE_CAPTURES)",
        dir.display()
    );
    None
}

/// Every `*.pcap`/`*.pcapng` under `dir`, sorted.
pub fn capture_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("pcap" | "pcapng")
            ) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The sample captures committed under `samples/`.
pub fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

/// A scratch directory for one test, removed when dropped.
pub struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh scratch directory for one test.
pub fn scratch(test: &str) -> Scratch {
    let d = std::env::temp_dir().join(format!("nlwire-test-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("mkdir");
    Scratch(d)
}

/// Parse JSON lines.
pub fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

/// Every scalar under `j` (numbers, strings, booleans; the `{"value": n,
/// "name": ..}` of enums and flags give both; nulls are not values).
pub fn json_leaves<'a>(j: &'a serde_json::Value, out: &mut Vec<&'a serde_json::Value>) {
    use serde_json::Value;
    match j {
        Value::Object(m) => m.values().for_each(|x| json_leaves(x, out)),
        Value::Array(a) => a.iter().for_each(|x| json_leaves(x, out)),
        Value::Null => {}
        x => out.push(x),
    }
}

/// The first value under key `name` anywhere in `j` (depth first).
pub fn json_find<'a>(j: &'a serde_json::Value, name: &str) -> Option<&'a serde_json::Value> {
    use serde_json::Value;
    match j {
        Value::Object(m) => m
            .get(name)
            .or_else(|| m.values().find_map(|x| json_find(x, name))),
        Value::Array(a) => a.iter().find_map(|x| json_find(x, name)),
        _ => None,
    }
}

/// The 16-byte nlmon pseudo-header for netlink family `family`.
pub fn nlmon(family: u16) -> Vec<u8> {
    let mut h = vec![0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    h.extend_from_slice(&family.to_be_bytes());
    h
}

/// The netlink-sys example: RTM_GETLINK dump request, seq 0x5c38fefd.
pub const GETLINK: [u8; 20] = [
    0x14, 0, 0, 0, 0x12, 0, 0x01, 0x03, 0xfd, 0xfe, 0x38, 0x5c, 0, 0, 0, 0, 0, 0, 0, 0,
];

/// `NLMSG_DONE` with `int 0`, seq `seq`, in host order.
pub fn done(seq: u32) -> Vec<u8> {
    let mut m = Vec::new();
    m.extend_from_slice(&20u32.to_ne_bytes());
    m.extend_from_slice(&3u16.to_ne_bytes());
    m.extend_from_slice(&2u16.to_ne_bytes());
    m.extend_from_slice(&seq.to_ne_bytes());
    m.extend_from_slice(&4321u32.to_ne_bytes());
    m.extend_from_slice(&0i32.to_ne_bytes());
    m
}

/// One record of a capture file.
#[derive(Clone, Debug)]
pub struct Rec {
    /// Seconds.
    pub secs: u32,
    /// Fraction (µs or ns for pcap; units of the interface for pcapng).
    pub frac: u32,
    /// Captured bytes.
    pub data: Vec<u8>,
    /// Length on the wire (≥ data.len()).
    pub origlen: u32,
}

impl Rec {
    /// A whole (untruncated) record.
    pub fn new(secs: u32, frac: u32, data: Vec<u8>) -> Rec {
        let origlen = data.len() as u32;
        Rec {
            secs,
            frac,
            data,
            origlen,
        }
    }
}

fn put16(out: &mut Vec<u8>, v: u16, be: bool) {
    out.extend_from_slice(&if be { v.to_be_bytes() } else { v.to_le_bytes() });
}
fn put32(out: &mut Vec<u8>, v: u32, be: bool) {
    out.extend_from_slice(&if be { v.to_be_bytes() } else { v.to_le_bytes() });
}

/// A classic pcap: file header in `be` order, µs or ns timestamps.
pub fn pcap(linktype: u32, recs: &[Rec], be: bool, nanos: bool) -> Vec<u8> {
    let mut out = Vec::new();
    put32(&mut out, if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 }, be);
    put16(&mut out, 2, be);
    put16(&mut out, 4, be);
    put32(&mut out, 0, be);
    put32(&mut out, 0, be);
    put32(&mut out, 262_144, be);
    put32(&mut out, linktype, be);
    for r in recs {
        put32(&mut out, r.secs, be);
        put32(&mut out, r.frac, be);
        put32(&mut out, r.data.len() as u32, be);
        put32(&mut out, r.origlen, be);
        out.extend_from_slice(&r.data);
    }
    out
}

/// A pcapng interface: link type and `if_tsresol` (`None`: default µs).
#[derive(Clone, Copy, Debug)]
pub struct Iface {
    /// Link type.
    pub linktype: u16,
    /// `if_tsresol` option byte.
    pub tsresol: Option<u8>,
}

fn block(out: &mut Vec<u8>, typ: u32, body: &[u8], be: bool) {
    let len = 12 + body.len() as u32;
    put32(out, typ, be);
    put32(out, len, be);
    out.extend_from_slice(body);
    put32(out, len, be);
}

fn pad4(v: &mut Vec<u8>) {
    while v.len() % 4 != 0 {
        v.push(0);
    }
}

/// A packet block of a pcapng section.
#[derive(Clone, Debug)]
pub enum Ng {
    /// Enhanced Packet Block: interface, 64-bit timestamp in the
    /// interface's units, captured bytes, length on the wire.
    Epb(u32, u64, Vec<u8>, u32),
    /// Simple Packet Block (interface 0, no time): bytes, length on the wire.
    Spb(Vec<u8>, u32),
}

impl Ng {
    /// A whole EPB.
    pub fn epb(iface: u32, ts: u64, data: Vec<u8>) -> Ng {
        let n = data.len() as u32;
        Ng::Epb(iface, ts, data, n)
    }
}

/// One pcapng section in `be` order: SHB, the IDBs, then the packets.
pub fn pcapng(ifaces: &[Iface], packets: &[Ng], be: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut shb = Vec::new();
    put32(&mut shb, 0x1a2b_3c4d, be);
    put16(&mut shb, 1, be);
    put16(&mut shb, 0, be);
    shb.extend_from_slice(&if be {
        (-1i64).to_be_bytes()
    } else {
        (-1i64).to_le_bytes()
    });
    block(&mut out, 0x0a0d_0d0a, &shb, be);
    for i in ifaces {
        let mut idb = Vec::new();
        put16(&mut idb, i.linktype, be);
        put16(&mut idb, 0, be);
        put32(&mut idb, 262_144, be);
        if let Some(r) = i.tsresol {
            put16(&mut idb, 9, be); // if_tsresol
            put16(&mut idb, 1, be);
            idb.extend_from_slice(&[r, 0, 0, 0]);
            put16(&mut idb, 0, be); // opt_endofopt
            put16(&mut idb, 0, be);
        }
        block(&mut out, 1, &idb, be);
    }
    for p in packets {
        match p {
            Ng::Epb(iface, ts, d, origlen) => {
                let mut data = d.clone();
                pad4(&mut data);
                let mut epb = Vec::new();
                put32(&mut epb, *iface, be);
                put32(&mut epb, (ts >> 32) as u32, be);
                put32(&mut epb, *ts as u32, be);
                put32(&mut epb, d.len() as u32, be);
                put32(&mut epb, *origlen, be);
                epb.extend_from_slice(&data);
                block(&mut out, 6, &epb, be);
            }
            Ng::Spb(d, origlen) => {
                let mut data = d.clone();
                pad4(&mut data);
                let mut spb = Vec::new();
                put32(&mut spb, *origlen, be);
                spb.extend_from_slice(&data);
                block(&mut out, 3, &spb, be);
            }
        }
    }
    out
}

/// An `IPPROTO_MPTCP` dump request (`SOCK_DIAG_BY_FAMILY`, AF_INET,
/// `INET_DIAG_INFO` asked, `INET_DIAG_REQ_PROTOCOL` = `IPPROTO_MPTCP`)
/// with sequence number `seq`, appended to `b`: the request whose replies
/// carry `struct mptcp_info` in `INET_DIAG_INFO`.
pub fn mptcp_dump_request(b: &mut nlwire::netlink::Builder<Vec<u8>>, seq: u32) {
    use nlwire::families::sock_diag::*;
    use nlwire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
    let req = InetDiagReqV2::dump(
        AddressFamily::Inet,
        IpProto::Tcp,
        idiag_ext_bit(INET_DIAG_INFO),
        TCPF_ALL,
    );
    b.message(
        SOCK_DIAG_BY_FAMILY,
        NLM_F_REQUEST | NLM_F_DUMP,
        seq,
        0,
        |b| InetRequest::write(b, &req, &[InetDiagReqAttr::Protocol(IPPROTO_MPTCP)]),
    )
    .unwrap();
}
