//! Decoding a large sock_diag dump: nlwire side by side with
//! `netlink-packet-sock-diag` (rust-netlink, `rich_nlas`), in one run.
//!
//! The dump is a real `inet_diag` reply recorded from this project's live
//! 6.18 kernel (`samples/tcp_info.pcap`: `inet_diag_msg` + every attribute,
//! 280-byte `tcp_info`), repeated 10 000 times in one buffer, as a tool
//! polling a busy host would receive it.
//!
//! Every contender does the same work per socket: read `idiag_sport`,
//! `idiag_inode`, and `tcpi_rtt` from `INET_DIAG_INFO`.
//!
//! `cargo bench --bench decode`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use nlwire::families::sock_diag::{decode, InetDiagAttr, SockDiagMessage};
use nlwire::netlink::{nlmsg_align, Messages};
use nlwire::value::{Value, Visitor, Walk};
use nlwire::{Error, Mode};

const SAMPLE: &[u8] = include_bytes!("../samples/tcp_info.pcap");
const SOCKETS: usize = 10_000;

/// The first inet_diag reply message in the sample capture.
fn one_reply() -> Vec<u8> {
    assert_eq!(
        &SAMPLE[..4],
        &0xa1b2_c3d4u32.to_le_bytes(),
        "little-endian pcap"
    );
    let mut pos = 24;
    while pos + 16 <= SAMPLE.len() {
        let incl = u32::from_le_bytes(SAMPLE[pos + 8..pos + 12].try_into().unwrap()) as usize;
        let frame = &SAMPLE[pos + 16..pos + 16 + incl];
        let netlink = &frame[16..]; // nlmon pseudo-header
        for m in Messages::new(netlink) {
            let m = m.unwrap();
            if let Ok(SockDiagMessage::InetResponse(_)) = decode(&m, Mode::Lenient) {
                return m.bytes.to_vec();
            }
        }
        pos += 16 + incl;
    }
    panic!("no inet_diag reply in the sample");
}

fn dump() -> Vec<u8> {
    let one = one_reply();
    let mut out = Vec::with_capacity(nlmsg_align(one.len()) * SOCKETS);
    for _ in 0..SOCKETS {
        out.extend_from_slice(&one);
        out.resize(nlmsg_align(out.len()), 0);
    }
    out
}

fn nlwire_fields(buf: &[u8]) -> u64 {
    let mut acc = 0u64;
    for m in Messages::new(buf) {
        let m = m.unwrap();
        if let Ok(SockDiagMessage::InetResponse(r)) = decode(&m, Mode::Lenient) {
            acc += u64::from(r.header.id.idiag_sport.get()) + u64::from(r.header.idiag_inode.get());
            for a in r.attrs() {
                if let Ok(InetDiagAttr::Info(ti)) = a {
                    acc += u64::from(ti.as_tcp_info().tcpi_rtt().unwrap_or(0));
                }
            }
        }
    }
    acc
}

fn rust_netlink_fields(buf: &[u8]) -> u64 {
    use netlink_packet_core::{NetlinkMessage, NetlinkPayload};
    use netlink_packet_sock_diag::inet::nlas::Nla;
    use netlink_packet_sock_diag::SockDiagMessage as RnMsg;
    let mut acc = 0u64;
    let mut pos = 0;
    while pos + 16 <= buf.len() {
        let len = u32::from_ne_bytes(buf[pos..pos + 4].try_into().unwrap()) as usize;
        let msg = NetlinkMessage::<RnMsg>::deserialize(&buf[pos..pos + len]).unwrap();
        if let NetlinkPayload::InnerMessage(RnMsg::InetResponse(r)) = msg.payload {
            acc += u64::from(r.header.socket_id.source_port) + u64::from(r.header.inode);
            for nla in &r.nlas {
                if let Nla::TcpInfo(ti) = nla {
                    acc += u64::from(ti.rtt);
                }
            }
        }
        pos += nlmsg_align(len);
    }
    acc
}

/// Counts every field of every message through the generic walk (what the
/// text/JSON printers do).
struct Count(u64, usize);
impl Visitor for Count {
    fn field(&mut self, _: &str, _: Value<'_>) {
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

fn nlwire_walk_all(buf: &[u8]) -> u64 {
    let mut c = Count(0, 0);
    for m in Messages::new(buf) {
        nlwire::decode::decode(4, m.unwrap(), Mode::Lenient).walk(&mut c);
    }
    c.0
}

fn bench(c: &mut Criterion) {
    let buf = dump();
    assert_eq!(
        nlwire_fields(&buf),
        rust_netlink_fields(&buf),
        "both read the same values"
    );
    let mut g = c.benchmark_group("sock_diag_dump_10k");
    g.throughput(Throughput::Elements(SOCKETS as u64));
    g.bench_with_input(BenchmarkId::new("nlwire", "fields"), &buf, |b, buf| {
        b.iter(|| nlwire_fields(black_box(buf)))
    });
    g.bench_with_input(
        BenchmarkId::new("netlink-packet-sock-diag", "fields"),
        &buf,
        |b, buf| b.iter(|| rust_netlink_fields(black_box(buf))),
    );
    g.bench_with_input(
        BenchmarkId::new("nlwire", "walk_every_field"),
        &buf,
        |b, buf| b.iter(|| nlwire_walk_all(black_box(buf))),
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
