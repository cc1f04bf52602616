//! Decoding a real sock_diag dump, side by side in one run:
//!
//! * `nlwire`: typed decode of every message and every attribute
//!   ([`nlwire::families::sock_diag::decode`], then each attribute as its
//!   typed variant), reading the header fields, the `tcp_info` fields below,
//!   the meminfo/skmeminfo/congestion/TOS/… values;
//! * `netlink-packet-sock-diag` (rust-netlink, `rich_nlas`) on the same
//!   bytes, reading the same values;
//! * `walker`: a minimal safe zero-copy walk written here, the floor: it
//!   reads every `nlmsghdr`, the fixed header's fields, every attribute
//!   header, and every 4-byte word of every attribute payload;
//! * `nlwire_visitor`: nlwire's generic walk of every field into a
//!   [`Visitor`] (what the text and JSON printers are driven by).
//!
//! The dump is `benches/data/sockets.pcap` (about 4 000 TCP sockets with
//! every inet_diag extension and 4 000 unix sockets with every
//! `UDIAG_SHOW_*`, recorded by this project's recorder; how it was made is
//! in `examples/hold_sockets.rs` and `BENCHMARKS.md`). Each group is
//! measured twice: throughput in bytes (`*_bytes`) and in messages
//! (`*_messages`).
//!
//! `cargo bench --bench decode -- --warm-up-time 1 --measurement-time 3`

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use nlwire::families::sock_diag::{decode, InetDiagAttr, SockDiagMessage, UnixDiagAttr};
use nlwire::netlink::{nlmsg_align, Messages};
use nlwire::value::{Value, Visitor, Walk};
use nlwire::{Error, Mode};

/// The `tcp_info` fields every contender reads.
fn nlwire_tcp_info(ti: &nlwire::families::sock_diag::TcpInfoView<'_>) -> u64 {
    u64::from(ti.tcpi_rtt().unwrap_or(0))
        + u64::from(ti.tcpi_rttvar().unwrap_or(0))
        + u64::from(ti.tcpi_snd_cwnd().unwrap_or(0))
        + ti.tcpi_bytes_acked().unwrap_or(0)
        + ti.tcpi_bytes_received().unwrap_or(0)
        + u64::from(ti.tcpi_segs_out().unwrap_or(0))
        + u64::from(ti.tcpi_min_rtt().unwrap_or(0))
        + ti.tcpi_delivery_rate().unwrap_or(0)
}

fn nlwire_inet(buf: &[u8]) -> u64 {
    let mut acc = 0u64;
    for m in Messages::new(buf) {
        let Ok(m) = m else { break };
        let Ok(SockDiagMessage::InetResponse(r)) = decode(&m, Mode::Lenient) else {
            continue;
        };
        let h = r.header;
        acc += u64::from(h.id.sport())
            + u64::from(h.id.dport())
            + u64::from(h.idiag_state)
            + u64::from(h.idiag_rqueue.get())
            + u64::from(h.idiag_wqueue.get())
            + u64::from(h.idiag_uid.get())
            + u64::from(h.idiag_inode.get());
        for a in r.attrs() {
            let Ok(a) = a else { break };
            acc += match a {
                InetDiagAttr::Info(i) => nlwire_tcp_info(&i.as_tcp_info()),
                InetDiagAttr::Meminfo(mi) => u64::from(mi.idiag_rmem.get()),
                InetDiagAttr::Skmeminfo(sk) => u64::from(sk.rmem_alloc().unwrap_or(0)),
                InetDiagAttr::Cong(c) => c.to_bytes().len() as u64,
                InetDiagAttr::Tos(t) | InetDiagAttr::Tclass(t) => u64::from(t),
                InetDiagAttr::Shutdown(s) => u64::from(s.bits),
                InetDiagAttr::Protocol(p) => u64::from(p.raw()),
                InetDiagAttr::Mark(v) | InetDiagAttr::ClassId(v) => u64::from(v),
                other => {
                    // Decoded (typed) too; netlink-packet-sock-diag keeps
                    // these as raw `Other` bytes, so they are not summed.
                    black_box(&other);
                    0
                }
            };
        }
    }
    acc
}

fn rn_inet(buf: &[u8]) -> u64 {
    use netlink_packet_core::{NetlinkMessage, NetlinkPayload};
    use netlink_packet_sock_diag::inet::nlas::Nla;
    use netlink_packet_sock_diag::SockDiagMessage as RnMsg;
    let mut acc = 0u64;
    let mut pos = 0;
    while pos + 16 <= buf.len() {
        let len = u32::from_ne_bytes(buf[pos..pos + 4].try_into().unwrap()) as usize;
        let Ok(msg) = NetlinkMessage::<RnMsg>::deserialize(&buf[pos..pos + len]) else {
            break;
        };
        pos += nlmsg_align(len);
        let NetlinkPayload::InnerMessage(RnMsg::InetResponse(r)) = msg.payload else {
            continue;
        };
        let h = &r.header;
        acc += u64::from(h.socket_id.source_port)
            + u64::from(h.socket_id.destination_port)
            + u64::from(h.state)
            + u64::from(h.recv_queue)
            + u64::from(h.send_queue)
            + u64::from(h.uid)
            + u64::from(h.inode);
        for nla in &r.nlas {
            acc += match nla {
                Nla::TcpInfo(ti) => {
                    u64::from(ti.rtt)
                        + u64::from(ti.rttvar)
                        + u64::from(ti.snd_cwnd)
                        + ti.bytes_acked
                        + ti.bytes_received
                        + u64::from(ti.segs_out)
                        + u64::from(ti.min_rtt)
                        + ti.delivery_rate
                }
                Nla::LegacyMemInfo(mi) => u64::from(mi.receive_queue),
                Nla::MemInfo(sk) => u64::from(sk.receive_queue),
                Nla::Congestion(c) => c.len() as u64,
                Nla::Tos(t) | Nla::Tc(t) | Nla::Shutdown(t) | Nla::Protocol(t) => u64::from(*t),
                Nla::Mark(v) | Nla::ClassId(v) => u64::from(*v),
                other => {
                    black_box(other);
                    0
                }
            };
        }
    }
    acc
}

fn nlwire_unix(buf: &[u8]) -> u64 {
    let mut acc = 0u64;
    for m in Messages::new(buf) {
        let Ok(m) = m else { break };
        let Ok(SockDiagMessage::UnixResponse(r)) = decode(&m, Mode::Lenient) else {
            continue;
        };
        let h = r.header;
        acc += u64::from(h.udiag_type) + u64::from(h.udiag_state) + u64::from(h.udiag_ino.get());
        for a in r.attrs() {
            let Ok(a) = a else { break };
            acc += match a {
                UnixDiagAttr::Name(n) => {
                    black_box(n.0);
                    1
                }
                UnixDiagAttr::Peer(p) => u64::from(p),
                UnixDiagAttr::Icons(i) => i.0.iter().map(|x| u64::from(x.get())).sum(),
                UnixDiagAttr::Rqlen(q) => {
                    u64::from(q.udiag_rqueue.get()) + u64::from(q.udiag_wqueue.get())
                }
                UnixDiagAttr::Meminfo(sk) => u64::from(sk.rcvbuf().unwrap_or(0)),
                UnixDiagAttr::Shutdown(s) => u64::from(s.bits),
                other => {
                    // UNIX_DIAG_VFS (netlink-packet-sock-diag's fields are
                    // private) and UNIX_DIAG_UID (unknown to it).
                    black_box(&other);
                    0
                }
            };
        }
    }
    acc
}

fn rn_unix(buf: &[u8]) -> u64 {
    use netlink_packet_core::{NetlinkMessage, NetlinkPayload};
    use netlink_packet_sock_diag::unix::nlas::{Nla, UnixDiagName};
    use netlink_packet_sock_diag::SockDiagMessage as RnMsg;
    let mut acc = 0u64;
    let mut pos = 0;
    while pos + 16 <= buf.len() {
        let len = u32::from_ne_bytes(buf[pos..pos + 4].try_into().unwrap()) as usize;
        let Ok(msg) = NetlinkMessage::<RnMsg>::deserialize(&buf[pos..pos + len]) else {
            break;
        };
        pos += nlmsg_align(len);
        let NetlinkPayload::InnerMessage(RnMsg::UnixResponse(r)) = msg.payload else {
            continue;
        };
        let h = &r.header;
        acc += u64::from(h.kind) + u64::from(h.state) + u64::from(h.inode);
        for nla in &r.nlas {
            acc += match nla {
                Nla::Name(UnixDiagName::Pathname(p)) => {
                    black_box(p);
                    1
                }
                Nla::Name(UnixDiagName::Abstract(a)) => {
                    black_box(a);
                    1
                }
                Nla::Peer(p) => u64::from(*p),
                Nla::PendingConnections(v) => v.iter().map(|&x| u64::from(x)).sum(),
                Nla::ReceiveQueueLength(r, w) => u64::from(*r) + u64::from(*w),
                Nla::MemInfo(m) => u64::from(m.so_rcvbuf),
                Nla::Shutdown(s) => u64::from(*s),
                other => {
                    black_box(other);
                    0
                }
            };
        }
    }
    acc
}

/// The floor: every `nlmsghdr`, the fixed header (`hdr_len` bytes: the
/// family, state and inode words), every attribute header and every 4-byte
/// word of every attribute payload, bounds-checked, no `unsafe`.
fn walker(buf: &[u8], hdr_len: usize) -> u64 {
    let mut acc = 0u64;
    let mut rest = buf;
    while rest.len() >= 16 {
        let len = u32::from_ne_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        if len < 16 || len > rest.len() {
            break;
        }
        let ty = u16::from_ne_bytes([rest[4], rest[5]]);
        let flags = u16::from_ne_bytes([rest[6], rest[7]]);
        acc += u64::from(ty) + u64::from(flags);
        let (msg, next) = rest.split_at(len);
        rest = next.get(nlmsg_align(len) - len..).unwrap_or_default();
        let Some(payload) = msg.get(16..) else { break };
        let Some(hdr) = payload.get(..hdr_len) else {
            continue;
        };
        acc += u64::from(hdr[0]) + u64::from(hdr[2]);
        acc += u64::from(u32::from_ne_bytes([
            hdr[hdr_len - 4],
            hdr[hdr_len - 3],
            hdr[hdr_len - 2],
            hdr[hdr_len - 1],
        ]));
        let mut attrs = payload.get(nlmsg_align(hdr_len)..).unwrap_or_default();
        while attrs.len() >= 4 {
            let nla_len = usize::from(u16::from_ne_bytes([attrs[0], attrs[1]]));
            let nla_type = u16::from_ne_bytes([attrs[2], attrs[3]]);
            if nla_len < 4 || nla_len > attrs.len() {
                break;
            }
            acc += u64::from(nla_type & 0x3fff);
            for w in attrs[4..nla_len].chunks_exact(4) {
                acc = acc.wrapping_add(u64::from(u32::from_ne_bytes([w[0], w[1], w[2], w[3]])));
            }
            attrs = attrs.get(nlmsg_align(nla_len)..).unwrap_or_default();
        }
    }
    acc
}

/// Counts every field of every message through nlwire's generic walk.
struct Count(u64, usize);
impl Visitor for Count {
    fn field(&mut self, _: &str, v: Value<'_>) {
        black_box(&v);
        self.0 += 1;
    }
    fn begin(&mut self, _: &str) {
        self.1 += 1;
    }
    fn end(&mut self) {
        self.1 -= 1;
    }
    fn depth(&self) -> usize {
        self.1
    }
    fn error(&mut self, _: Error) {}
}

fn nlwire_visitor(buf: &[u8]) -> u64 {
    let mut c = Count(0, 0);
    for m in Messages::new(buf) {
        let Ok(m) = m else { break };
        nlwire::decode::decode(4, m, Mode::Lenient).walk(&mut c);
    }
    c.0
}

type Contender = (&'static str, fn(&[u8]) -> u64);

fn group(c: &mut Criterion, name: &str, d: &common::Dump, contenders: &[Contender]) {
    for (suffix, tp) in [
        ("bytes", Throughput::Bytes(d.bytes.len() as u64)),
        ("messages", Throughput::Elements(d.messages)),
    ] {
        let mut g = c.benchmark_group(format!("{name}_{suffix}"));
        g.throughput(tp);
        for (who, f) in contenders {
            g.bench_function(*who, |b| b.iter(|| f(black_box(&d.bytes))));
        }
        g.finish();
    }
}

fn bench(c: &mut Criterion) {
    let (inet, unix) = common::load();
    assert_eq!(
        nlwire_inet(&inet.bytes),
        rn_inet(&inet.bytes),
        "inet: both read the same values"
    );
    assert_eq!(
        nlwire_unix(&unix.bytes),
        rn_unix(&unix.bytes),
        "unix: both read the same values"
    );
    group(
        c,
        "tcp_dump",
        &inet,
        &[
            ("nlwire", nlwire_inet),
            ("netlink-packet-sock-diag", rn_inet),
            ("walker", |b| walker(b, 72)),
            ("nlwire_visitor", nlwire_visitor),
        ],
    );
    group(
        c,
        "unix_dump",
        &unix,
        &[
            ("nlwire", nlwire_unix),
            ("netlink-packet-sock-diag", rn_unix),
            ("walker", |b| walker(b, 16)),
            ("nlwire_visitor", nlwire_visitor),
        ],
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
