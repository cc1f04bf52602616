//! Emitting sock_diag messages into a caller's buffer, side by side in one
//! run: nlwire ([`Builder::new`] over a `&mut [u8]`, no allocation) and
//! `netlink-packet-sock-diag` (`NetlinkMessage::serialize` into a slice).
//!
//! * `request`: a `SOCK_DIAG_BY_FAMILY` dump request (`struct
//!   inet_diag_req_v2`) with an `INET_DIAG_REQ_BYTECODE` of 10
//!   instructions (compiled once, outside the loop).
//!   netlink-packet-sock-diag has no request attributes at all, so it
//!   emits the request without the filter (less work: a lower bound);
//!   `nlwire (no bytecode)` emits that same request (checked byte for
//!   byte), the like-for-like pair; `floor: copy the 72 bytes made`
//!   copies those finished bytes (a constant-length copy, inline stores):
//!   what no emitter of that request can beat.
//! * `reply`: a full inet_diag reply with every attribute the kernel sent
//!   for a TCP socket with every `idiag_ext` (the first IPv4 reply of
//!   `benches/data/sockets.pcap`, decoded once by each library, then emitted
//!   from its typed form in the loop); `floor: copy the reply's bytes`
//!   copies the finished reply.
//!
//! `cargo bench --bench emit -- --warm-up-time 1 --measurement-time 3`
//!
//! Instruction counts (repeatable on a loaded machine): with
//! `NLWIRE_EMIT_COUNT=N` the binary runs each of the six emits `N` times in
//! its own function (`count_nl_request`, `count_rn_request`,
//! `count_nl_request_plain` for the request without bytecode,
//! `count_nl_reply`, `count_rn_reply`, and `count_nl_reply_struct` for the
//! reply emitted from `InetDiagAttrs`) and exits; run it under
//! `valgrind --tool=callgrind` and divide each function's inclusive count
//! by `N` (see BENCHMARKS.md).

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use nlwire::families::sock_diag::bytecode::{Filter, Program};
use nlwire::families::sock_diag::{
    decode, AddressFamily, InetDiagAttr, InetDiagAttrs, InetDiagReqAttr, InetDiagReqV2,
    InetRequest, InetResponse, IpProto, SockDiagMessage, INET_DIAG_EXT_ALL, SOCK_DIAG_BY_FAMILY,
};
use nlwire::netlink::{Builder, Messages, NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST};
use nlwire::Mode;

/// `(sport = :22 or sport = :80 or dport = :443 or dport = :8080) and not
/// dport = :9 and autobound`: a 10-instruction program (checked below).
fn filter() -> Vec<u8> {
    let f = Filter::SportEq(22)
        .or(Filter::SportEq(80))
        .or(Filter::DportEq(443))
        .or(Filter::DportEq(8080))
        .and(!Filter::DportEq(9))
        .and(Filter::Auto);
    let prog = f.compile().expect("compiles");
    let n = Program::new(&prog).iter().count();
    eprintln!("bytecode: {} bytes, {n} instructions", prog.len());
    assert_eq!(n, 10, "a 10-instruction program");
    prog
}

fn bench(c: &mut Criterion) {
    use netlink_packet_core::NLM_F_DUMP as RN_DUMP;
    use netlink_packet_core::{NetlinkHeader, NetlinkMessage, NetlinkPayload};
    use netlink_packet_sock_diag::constants::{AF_INET, IPPROTO_TCP};
    use netlink_packet_sock_diag::inet::{
        ExtensionFlags, InetRequest as RnReq, SocketId, StateFlags,
    };
    use netlink_packet_sock_diag::SockDiagMessage as RnMsg;

    let mut out = vec![0u8; 65536];

    // The request.
    let prog = filter();
    let req = InetDiagReqV2::dump(AddressFamily::Inet, IpProto::Tcp, INET_DIAG_EXT_ALL, 0xfff);
    let nl_request = |out: &mut [u8]| -> usize {
        let mut b = Builder::new(out);
        let attrs = [InetDiagReqAttr::Bytecode(Program::new(&prog))];
        b.message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1, 0, |b| {
            InetRequest::write(b, &req, &attrs)
        })
        .expect("fits");
        b.len()
    };
    let mut rn_req = NetlinkMessage::new(
        NetlinkHeader::default(),
        NetlinkPayload::from(RnMsg::InetRequest(RnReq {
            family: AF_INET,
            protocol: IPPROTO_TCP,
            extensions: ExtensionFlags::all(),
            states: StateFlags::all(),
            socket_id: SocketId::new_v4(),
        })),
    );
    rn_req.header.flags = NLM_F_REQUEST | RN_DUMP;
    rn_req.header.sequence_number = 1;
    rn_req.finalize();
    let rn_request = |out: &mut [u8]| -> usize {
        rn_req.serialize(out);
        rn_req.buffer_len()
    };
    let mut g = c.benchmark_group("emit_request");
    g.throughput(Throughput::Elements(1));
    g.bench_function("nlwire (with 10-op bytecode)", |b| {
        b.iter(|| nl_request(black_box(&mut out)))
    });
    // The same work as the other crate's: no attribute, and its
    // `StateFlags::all()` (every state but bit 0).
    let req_plain =
        InetDiagReqV2::dump(AddressFamily::Inet, IpProto::Tcp, INET_DIAG_EXT_ALL, 0xffe);
    let nl_plain = |out: &mut [u8]| -> usize {
        let mut b = Builder::new(out);
        b.message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1, 0, |b| {
            InetRequest::write(b, &req_plain, &[])
        })
        .expect("fits");
        b.len()
    };
    // Byte for byte what the other crate writes.
    let (mut a, mut b) = ([0u8; 128], [0u8; 128]);
    let n = nl_plain(&mut a);
    assert_eq!(n, rn_request(&mut b));
    assert_eq!(a[..n], b[..n], "the same request");
    g.bench_function("nlwire (no bytecode)", |b| {
        b.iter(|| nl_plain(black_box(&mut out)))
    });
    g.bench_function("netlink-packet-sock-diag (no bytecode)", |b| {
        b.iter(|| rn_request(black_box(&mut out)))
    });
    // The floor for any emitter: those 72 bytes already made, only copied
    // into the buffer (the same black-boxed buffer and returned length).
    // Its length a constant, so the copy is inline stores, not a call.
    let made: [u8; 72] = *a.first_chunk().expect("72 bytes");
    assert_eq!(n, made.len());
    let copy_request = |out: &mut [u8]| -> usize {
        match out.first_chunk_mut::<72>() {
            Some(dst) => {
                *dst = made;
                72
            }
            None => 0,
        }
    };
    g.bench_function("floor: copy the 72 bytes made", |b| {
        b.iter(|| copy_request(black_box(&mut out)))
    });
    g.finish();

    // The reply.
    let (inet, _) = common::load();
    let raw = Messages::new(&inet.bytes)
        .next()
        .expect("a reply")
        .expect("well-formed");
    let Ok(SockDiagMessage::InetResponse(r)) = decode(&raw, Mode::Strict) else {
        panic!("an inet_diag reply");
    };
    let attrs: Vec<InetDiagAttr<'_>> = r.attrs().map(|a| a.expect("decodes")).collect();
    let (seq, pid) = (raw.header.nlmsg_seq.get(), raw.header.nlmsg_pid.get());
    let nl_reply = |out: &mut [u8]| -> usize {
        let mut b = Builder::new(out);
        b.message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, seq, pid, |b| {
            InetResponse::write(b, r.header, &attrs)
        })
        .expect("fits");
        b.len()
    };
    let n = nl_reply(&mut out);
    assert_eq!(&out[..n], raw.bytes, "nlwire re-emits the reply exactly");
    // The same reply from the struct of its attributes (`InetDiagAttrs`,
    // `#[attr_struct]`: one straight path per field, in the kernel's order).
    let sattrs = InetDiagAttrs::parse_at(r.attr_bytes(), r.attrs_offset(), Mode::Strict)
        .expect("decodes into InetDiagAttrs");
    let nl_reply_struct = |out: &mut [u8]| -> usize {
        let mut b = Builder::new(out);
        b.message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, seq, pid, |b| {
            b.put_struct(r.header)?;
            sattrs.emit(b)
        })
        .expect("fits");
        b.len()
    };
    let n = nl_reply_struct(&mut out);
    assert_eq!(
        &out[..n],
        raw.bytes,
        "nlwire re-emits the reply exactly from InetDiagAttrs"
    );
    let rn_msg = NetlinkMessage::<RnMsg>::deserialize(raw.bytes).expect("parses");
    let rn_reply = |out: &mut [u8]| -> usize {
        rn_msg.serialize(out);
        rn_msg.buffer_len()
    };
    // netlink-packet-sock-diag keeps only the 232 bytes of `tcp_info` it
    // knows (kernel 5.4), so its reply is shorter.
    eprintln!(
        "reply: {} bytes, {} attributes (netlink-packet-sock-diag re-emits {} bytes)",
        raw.bytes.len(),
        attrs.len(),
        rn_reply(&mut out)
    );
    if let Some(n) = std::env::var("NLWIRE_EMIT_COUNT")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let mut out2 = vec![0u8; 65536];
        count_nl_request(n, &mut || nl_request(black_box(&mut out2)));
        count_rn_request(n, &mut || rn_request(black_box(&mut out2)));
        count_nl_request_plain(n, &mut || nl_plain(black_box(&mut out2)));
        count_nl_reply(n, &mut || nl_reply(black_box(&mut out2)));
        count_rn_reply(n, &mut || rn_reply(black_box(&mut out2)));
        count_nl_reply_struct(n, &mut || nl_reply_struct(black_box(&mut out2)));
        eprintln!("ran each emit {n} times");
        std::process::exit(0);
    }
    let mut g = c.benchmark_group("emit_reply");
    g.throughput(Throughput::Bytes(raw.bytes.len() as u64));
    g.bench_function("nlwire", |b| b.iter(|| nl_reply(black_box(&mut out))));
    g.bench_function("nlwire (InetDiagAttrs)", |b| {
        b.iter(|| nl_reply_struct(black_box(&mut out)))
    });
    g.bench_function("netlink-packet-sock-diag", |b| {
        b.iter(|| rn_reply(black_box(&mut out)))
    });
    // The floor: the reply's finished bytes copied (one `memcpy`).
    let copy_reply = |out: &mut [u8]| -> usize {
        match out.get_mut(..raw.bytes.len()) {
            Some(dst) => {
                dst.copy_from_slice(raw.bytes);
                dst.len()
            }
            None => 0,
        }
    };
    g.bench_function("floor: copy the reply's bytes", |b| {
        b.iter(|| copy_reply(black_box(&mut out)))
    });
    g.finish();
}

// One function per emit, so that callgrind reports each one's inclusive
// instruction count under its own name.
#[inline(never)]
fn count_nl_request(n: usize, f: &mut dyn FnMut() -> usize) {
    // A distinct body each, so that the four are never merged into one.
    black_box(1u8);
    for _ in 0..n {
        black_box(f());
    }
}
#[inline(never)]
fn count_rn_request(n: usize, f: &mut dyn FnMut() -> usize) {
    // A distinct body each, so that the four are never merged into one.
    black_box(2u8);
    for _ in 0..n {
        black_box(f());
    }
}
#[inline(never)]
fn count_nl_reply(n: usize, f: &mut dyn FnMut() -> usize) {
    // A distinct body each, so that the four are never merged into one.
    black_box(3u8);
    for _ in 0..n {
        black_box(f());
    }
}
#[inline(never)]
fn count_rn_reply(n: usize, f: &mut dyn FnMut() -> usize) {
    // A distinct body each, so that the four are never merged into one.
    black_box(4u8);
    for _ in 0..n {
        black_box(f());
    }
}

#[inline(never)]
fn count_nl_reply_struct(n: usize, f: &mut dyn FnMut() -> usize) {
    // A distinct body each, so that the five are never merged into one.
    black_box(5u8);
    for _ in 0..n {
        black_box(f());
    }
}

#[inline(never)]
fn count_nl_request_plain(n: usize, f: &mut dyn FnMut() -> usize) {
    // A distinct body each, so that the six are never merged into one.
    black_box(6u8);
    for _ in 0..n {
        black_box(f());
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
