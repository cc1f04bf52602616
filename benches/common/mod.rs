//! The benchmarks' data: a real sock_diag dump recorded by this project's
//! own recorder (`benches/data/sockets.pcap`, made by
//! `examples/hold_sockets.rs`; see `BENCHMARKS.md`), split into the
//! inet_diag replies (TCP over IPv4 and IPv6, every `idiag_ext`, 280-byte
//! `tcp_info`) and the unix_diag replies (every `UDIAG_SHOW_*`), each a
//! buffer of back-to-back netlink messages as a dump delivers them.

#![allow(dead_code)]

use nlwire::netlink::{nlmsg_align, Messages, NLM_F_REQUEST};

/// `SOCK_DIAG_BY_FAMILY`.
const SOCK_DIAG_BY_FAMILY: u16 = 20;
/// `LINKTYPE_NETLINK`'s nlmon pseudo-header.
const NLMON_HDRLEN: usize = 16;

/// The capture, read at run time (not `include_bytes!`: compiling the
/// benches stays quick).
pub const CAPTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data/sockets.pcap");

/// One dump: its messages back to back (`NLMSG_ALIGN`ed), and how many.
pub struct Dump {
    pub bytes: Vec<u8>,
    pub messages: u64,
}

impl Dump {
    fn push(&mut self, msg: &[u8]) {
        self.bytes.extend_from_slice(msg);
        self.bytes.resize(nlmsg_align(self.bytes.len()), 0);
        self.messages += 1;
    }
}

/// The inet_diag replies and the unix_diag replies of the capture.
pub fn load() -> (Dump, Dump) {
    let pcap = std::fs::read(CAPTURE).unwrap_or_else(|e| panic!("{CAPTURE}: {e}"));
    assert_eq!(
        pcap.get(..4),
        Some(&0xa1b2_c3d4u32.to_le_bytes()[..]),
        "{CAPTURE}: a little-endian microsecond pcap"
    );
    let mut inet = Dump {
        bytes: Vec::new(),
        messages: 0,
    };
    let mut unix = Dump {
        bytes: Vec::new(),
        messages: 0,
    };
    let mut pos = 24;
    while pos + 16 <= pcap.len() {
        let incl = u32::from_le_bytes(pcap[pos + 8..pos + 12].try_into().unwrap()) as usize;
        let frame = &pcap[pos + 16..pos + 16 + incl];
        for m in Messages::new(&frame[NLMON_HDRLEN..]) {
            let m = m.expect("well-formed capture");
            let h = m.header;
            if h.nlmsg_type.get() != SOCK_DIAG_BY_FAMILY || h.nlmsg_flags.get() & NLM_F_REQUEST != 0
            {
                continue;
            }
            match m.payload.first() {
                Some(2 | 10) => inet.push(m.bytes),
                Some(1) => unix.push(m.bytes),
                _ => {}
            }
        }
        pos += 16 + incl;
    }
    assert!(
        inet.messages > 1000 && unix.messages > 1000,
        "{CAPTURE}: the dumps"
    );
    eprintln!(
        "data: {} inet_diag replies, {} bytes ({} per message); {} unix_diag replies, {} bytes ({} per message)",
        inet.messages,
        inet.bytes.len(),
        inet.bytes.len() as u64 / inet.messages,
        unix.messages,
        unix.bytes.len(),
        unix.bytes.len() as u64 / unix.messages
    );
    (inet, unix)
}
