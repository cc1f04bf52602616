//! Seeds: inputs made from the project's own bytes, written into
//! `fuzz/corpus/<target>/seed-<name>` by `tests/fuzz_corpus.rs`.

#[allow(unused_imports)]
use super::*;

/// The example request in the netlink-sys `Socket` documentation (an
/// `RTM_GETLINK` dump request).
pub const NETLINK_SYS_EXAMPLE: [u8; 20] = [
    0x14, 0x00, 0x00, 0x00, 0x12, 0x00, 0x01, 0x03, 0xfd, 0xfe, 0x38, 0x5c, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
];

pub(crate) fn seed_attrs() -> Vec<u8> {
    let mut b = Builder::new_vec();
    emit_attrs(
        &mut b,
        &[
            ArbAttr::Typed(ArbTyped::U8(7)),
            ArbAttr::Typed(ArbTyped::U16(0x1234)),
            ArbAttr::Typed(ArbTyped::U32(0xdead_beef)),
            ArbAttr::Typed(ArbTyped::U64(u64::MAX - 1)),
            ArbAttr::Typed(ArbTyped::I32(-22)),
            ArbAttr::Typed(ArbTyped::I64(-1)),
            ArbAttr::Typed(ArbTyped::Be16(443)),
            ArbAttr::Typed(ArbTyped::Be32(0x7f00_0001)),
            ArbAttr::Typed(ArbTyped::Str(b"bbr\0".to_vec())),
            ArbAttr::Typed(ArbTyped::Bytes(vec![1, 2, 3, 4, 5])),
            ArbAttr::Typed(ArbTyped::Flag),
            ArbAttr::Typed(ArbTyped::Array(vec![1, 2, 3])),
            ArbAttr::Typed(ArbTyped::Hdr(20, 18, 0x301, 1, 0)),
            ArbAttr::Typed(ArbTyped::ZcI32(-95)),
            ArbAttr::Nested {
                kind: 1,
                flag: true,
                children: vec![
                    ArbAttr::Typed(ArbTyped::U32(1)),
                    ArbAttr::Nested {
                        kind: 1,
                        flag: true,
                        children: vec![ArbAttr::Nested {
                            kind: 1,
                            flag: true,
                            children: vec![ArbAttr::Typed(ArbTyped::U8(3))],
                        }],
                    },
                ],
            },
            ArbAttr::Raw {
                kind: 0x3fff,
                net: true,
                payload: vec![0xff; 3],
            },
            ArbAttr::Nested {
                kind: 200,
                flag: false,
                children: vec![ArbAttr::Raw {
                    kind: 0,
                    net: false,
                    payload: vec![],
                }],
            },
        ],
    )
    .expect("seed attributes");
    b.into_vec()
}

pub(crate) fn seed_error(capped: bool, tlvs: bool) -> Vec<u8> {
    let mut b = Builder::new_vec();
    emit_msgs(
        &mut b,
        &[ArbMsg {
            ty: 2,
            flags: 0,
            seq: 7,
            pid: 1234,
            body: ArbBody::Error {
                error: -22,
                req: (20, 20, 0x5, 7, 1234),
                capped,
                echo: vec![2, 0, 0, 0],
                ext: tlvs.then(|| {
                    vec![
                        ArbExtAck::Msg(b"bad attribute".to_vec()),
                        ArbExtAck::Offs(20),
                        ArbExtAck::Cookie(vec![0xde, 0xad, 0xbe, 0xef]),
                        ArbExtAck::Policy(vec![ArbPolicy::Type(1), ArbPolicy::MaxLen(16)]),
                        ArbExtAck::MissType(3),
                        ArbExtAck::MissNest(24),
                    ]
                }),
            },
        }],
    )
    .expect("seed error");
    b.into_vec()
}

pub(crate) fn seed_dump() -> Vec<u8> {
    let attrs = vec![
        ArbAttr::Typed(ArbTyped::Str(b"lo\0".to_vec())),
        ArbAttr::Typed(ArbTyped::U32(65536)),
        ArbAttr::Nested {
            kind: 1,
            flag: true,
            children: vec![ArbAttr::Typed(ArbTyped::U64(12345))],
        },
    ];
    let mut msgs: Vec<ArbMsg> = (0..3)
        .map(|i| ArbMsg {
            ty: 16,
            flags: 2,
            seq: 42,
            pid: 4242,
            body: ArbBody::Attrs(Some([i, 0, 0, 0]), attrs.clone()),
        })
        .collect();
    msgs.push(ArbMsg {
        ty: 3,
        flags: 2,
        seq: 42,
        pid: 4242,
        body: ArbBody::Done {
            error: Some(0),
            ext: None,
        },
    });
    let mut b = Builder::new_vec();
    emit_msgs(&mut b, &msgs).expect("seed dump");
    b.into_vec()
}

pub(crate) fn seed_done(error: Option<i32>, ext: bool) -> Vec<u8> {
    let mut b = Builder::new_vec();
    let ext = ext.then(|| {
        vec![
            ArbExtAck::Msg(b"dump interrupted".to_vec()),
            ArbExtAck::Offs(4),
        ]
    });
    emit_msgs(
        &mut b,
        &[ArbMsg {
            ty: 3,
            flags: 2,
            seq: 1,
            pid: 1,
            body: ArbBody::Done { error, ext },
        }],
    )
    .expect("seed done");
    b.into_vec()
}

/// Seeds for every target, made from the project's own bytes: the netlink-sys
/// example and messages built with the [`Builder`]. `(target, name, bytes)`.
pub fn seeds() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let mut out = Vec::new();
    let streams: Vec<(&str, Vec<u8>)> = vec![
        ("netlink-sys-example", NETLINK_SYS_EXAMPLE.to_vec()),
        ("dump-with-done", seed_dump()),
        ("error-capped-ext-ack", seed_error(true, true)),
        ("error-uncapped-ext-ack", seed_error(false, true)),
        ("error-uncapped", seed_error(false, false)),
        ("ack-capped", seed_error(true, false)),
        ("done-16", seed_done(None, false)),
        ("done-20", seed_done(Some(0), false)),
        ("done-ext-ack", seed_done(Some(-4), true)),
    ];
    for (name, bytes) in &streams {
        out.push(("messages", *name, bytes.clone()));
        out.push(("messages_strict", *name, bytes.clone()));
        // nlmsgerr: flags (little-endian u16) then the payload.
        if bytes.len() >= 16 {
            let mut e = bytes[6..8].to_vec();
            e.extend_from_slice(&bytes[16..]);
            out.push(("nlmsgerr", *name, e));
        }
    }
    out.push(("attrs", "every-payload-type", seed_attrs()));
    let err = seed_error(false, true);
    let e = NlMsgErr::parse(&err[16..], NLM_F_ACK_TLVS, Mode::Strict).expect("seed");
    out.push(("attrs", "ext-ack", e.ext_ack.to_vec()));
    out.push(("attrs", "dump-payload", seed_dump()[20..].to_vec()));
    // roundtrip: arbitrary bytes; these drive the model generator.
    out.push(("roundtrip", "zeros", vec![0u8; 64]));
    out.push(("roundtrip", "ones", vec![0xffu8; 64]));
    out.push((
        "roundtrip",
        "netlink-sys-example",
        NETLINK_SYS_EXAMPLE.to_vec(),
    ));
    out.push(("roundtrip", "counting", (0u8..=255).collect()));
    out.push(("roundtrip", "dump-bytes", seed_dump()));

    // sock_diag built with the codec: an ss-style request with a bytecode
    // filter (compiled by the codec), and a reply with every fixed-size
    // attribute the kernel sends.
    let (req, bc) = seed_inet_request();
    out.push(("inet_diag", "request-bytecode", req.clone()));
    out.push(("inet_diag", "response", seed_inet_response()));
    out.push(("unix_diag", "request", seed_unix_request()));
    out.push(("bytecode", "ss-filter", bc.clone()));
    out.push((
        "bytecode_text",
        "ss-filter",
        nlwire::families::sock_diag::bytecode::Program::new(&bc)
            .to_string()
            .into_bytes(),
    ));
    for n in [0usize, 104, 144, 232, 248, 280, 300] {
        let bytes: Vec<u8> = (0..n).map(|i| (i * 7 + 1) as u8).collect();
        out.push((
            "tcp_info",
            TCP_INFO_NAMES[TCP_INFO_SIZES.iter().position(|&x| x == n).expect("size")],
            bytes,
        ));
    }
    let mut dec = vec![selector_of(nlwire::family::NETLINK_ROUTE)];
    dec.extend_from_slice(&NETLINK_SYS_EXAMPLE);
    out.push(("decode", "route-netlink-sys-example", dec));
    let mut dec = vec![selector_of(nlwire::family::NETLINK_SOCK_DIAG)];
    dec.extend(one_message(
        20,
        nlwire::netlink::NLM_F_REQUEST | nlwire::netlink::NLM_F_DUMP,
        &req[2..],
    ));
    dec.extend(seed_done(Some(0), false));
    out.push(("decode", "sock-diag-request-and-done", dec));
    let mut dec = vec![selector_of(nlwire::family::NETLINK_GENERIC)];
    dec.extend(seed_error(false, true));
    out.push(("decode", "generic-error-ext-ack", dec));
    out.push(("decode", "connector-listen-fork-other-id", seed_connector()));
    let mut frame = vec![0u8, 0];
    frame.extend_from_slice(&[0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]);
    frame.extend(seed_done(Some(0), false));
    out.push(("nlmon", "netlink-done", frame));
    out.push(("capture", "pcap-le", seed_pcap(false)));
    out.push(("capture", "pcap-be", seed_pcap(true)));
    for (name, bytes) in ss_filter::ss_filter_seeds() {
        out.push(("ss_filter", name, bytes));
    }
    for (name, bytes) in emit::emit_seeds() {
        out.push(("bytecode_emit", name, bytes));
    }
    for (name, bytes) in dump::dump_seeds() {
        out.push(("dump", name, bytes));
    }
    out
}

/// `NETLINK_CONNECTOR` for the `decode` target (selector byte first): a
/// listener's `PROC_CN_MCAST_LISTEN`, the kernel's fork event, and a
/// `cn_msg` of an id the codec does not declare, each `data` picked by the
/// connector's declaration (`id` and `len`).
pub(crate) fn seed_connector() -> Vec<u8> {
    use nlwire::families::connector::{
        CnMessage, CN_IDX_PROC, CN_VAL_PROC, NLMSG_DONE, PROC_CN_MCAST_LISTEN, PROC_EVENT_ALL,
        PROC_EVENT_FORK,
    };
    let words = |v: &[u32]| v.iter().flat_map(|x| x.to_ne_bytes()).collect::<Vec<u8>>();
    let listen = words(&[PROC_CN_MCAST_LISTEN, PROC_EVENT_ALL]);
    let mut fork = words(&[PROC_EVENT_FORK, 1]);
    fork.extend_from_slice(&123_456_789u64.to_ne_bytes());
    fork.extend(words(&[100, 100, 4242, 4242, 0, 0]));
    let mut b = Builder::new_vec();
    for (seq, idx, val, data) in [
        (1, CN_IDX_PROC, CN_VAL_PROC, &listen[..]),
        (2, CN_IDX_PROC, CN_VAL_PROC, &fork[..]),
        (3, 3, 1, &[1u8, 2, 3, 4, 5, 6][..]),
    ] {
        b.message(NLMSG_DONE, 0, seq, 0, |b| {
            CnMessage::write(b, idx, val, seq, 0, data)
        })
        .expect("seed connector");
    }
    let mut dec = vec![selector_of(nlwire::family::NETLINK_CONNECTOR)];
    dec.extend(b.into_vec());
    dec
}

/// A classic pcap file (`LINKTYPE_NETLINK`) of one frame holding the seed
/// dump, in either file byte order.
pub(crate) fn seed_pcap(big: bool) -> Vec<u8> {
    let w32 = |v: &mut Vec<u8>, x: u32| {
        v.extend_from_slice(&if big {
            x.to_be_bytes()
        } else {
            x.to_le_bytes()
        })
    };
    let w16 = |v: &mut Vec<u8>, x: u16| {
        v.extend_from_slice(&if big {
            x.to_be_bytes()
        } else {
            x.to_le_bytes()
        })
    };
    let mut f = Vec::new();
    w32(&mut f, 0xa1b2_c3d4);
    w16(&mut f, 2);
    w16(&mut f, 4);
    w32(&mut f, 0);
    w32(&mut f, 0);
    w32(&mut f, 65535);
    w32(&mut f, 253);
    let mut frame = vec![0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4];
    frame.extend(seed_dump());
    w32(&mut f, 1_700_000_000);
    w32(&mut f, 0);
    w32(&mut f, frame.len() as u32);
    w32(&mut f, frame.len() as u32);
    f.extend(frame);
    f
}

pub(crate) const TCP_INFO_SIZES: [usize; 7] = [0, 104, 144, 232, 248, 280, 300];
pub(crate) const TCP_INFO_NAMES: [&str; 7] = [
    "len-0", "len-104", "len-144", "len-232", "len-248", "len-280", "len-300",
];

/// `ss -tn state established '( sport = :22 or dport = :443 ) and not dst
/// 10.0.0.0/8'`, compiled by the codec, in an `inet_diag_req_v2` request.
/// Returns the `inet_diag` target input and the bytecode.
pub(crate) fn seed_inet_request() -> (Vec<u8>, Vec<u8>) {
    use nlwire::families::sock_diag::bytecode::{Filter, HostCond};
    use nlwire::families::sock_diag::{AddressFamily, InetDiagReqV2, IpProto};
    let f = Filter::SportEq(22)
        .or(Filter::DportEq(443))
        .and(!Filter::Dst(HostCond::prefix(
            "10.0.0.0".parse().expect("addr"),
            8,
        )))
        .and(
            Filter::Mark {
                mark: 1,
                mask: 0xff,
            }
            .or(Filter::Cgroup(77))
            .or(Filter::Dev(2))
            .or(Filter::Auto),
        );
    let bc = f.compile().expect("compile filter");
    let req = InetDiagReqV2::dump(AddressFamily::Inet, IpProto::Tcp, 0xff, 1 << 1);
    let mut b = Builder::new_vec();
    b.put_struct(&req).expect("req");
    b.attr_raw(1, &bc).expect("bytecode");
    let mut input = vec![1u8, 0];
    input.extend(b.into_vec());
    (input, bc)
}

pub(crate) fn seed_inet_response() -> Vec<u8> {
    use nlwire::families::sock_diag::InetDiagMsg;
    use zerocopy::FromZeros;
    let mut msg = InetDiagMsg::new_zeroed();
    msg.as_mut_bytes()[0] = 2;
    msg.as_mut_bytes()[1] = 1;
    let mut b = Builder::new_vec();
    b.put_struct(&msg).expect("msg");
    b.attr_raw(1, &[0u8; 16]).expect("meminfo");
    b.attr_raw(2, &(0..280).map(|i| i as u8).collect::<Vec<_>>())
        .expect("info");
    b.attr_raw(4, b"bbr\0").expect("cong");
    b.attr_raw(5, &[0]).expect("tos");
    b.attr_raw(7, &[0u8; 36]).expect("skmeminfo");
    b.attr_raw(8, &[3]).expect("shutdown");
    b.attr_raw(15, &1u32.to_ne_bytes()).expect("mark");
    b.attr_raw(21, &77u64.to_ne_bytes()).expect("cgroup id");
    b.attr_raw(22, &[0, 0]).expect("sockopt");
    let mut input = vec![0u8, 0];
    input.extend(b.into_vec());
    input
}

pub(crate) fn seed_unix_request() -> Vec<u8> {
    use nlwire::families::sock_diag::UnixDiagReq;
    let req = UnixDiagReq::dump(u32::MAX, 0x7f);
    let mut b = Builder::new_vec();
    b.put_struct(&req).expect("unix req");
    let mut input = vec![1u8];
    input.extend(b.into_vec());
    input
}

/// Frames of a classic pcap file (either byte order): `(linktype, frame)`.
pub fn pcap_frames(file: &[u8]) -> Vec<(u32, &[u8])> {
    let mut out = Vec::new();
    if file.len() < 24 {
        return out;
    }
    let magic = [file[0], file[1], file[2], file[3]];
    let le = match magic {
        [0xd4, 0xc3, 0xb2, 0xa1] | [0x4d, 0x3c, 0xb2, 0xa1] => true,
        [0xa1, 0xb2, 0xc3, 0xd4] | [0xa1, 0xb2, 0x3c, 0x4d] => false,
        _ => return out,
    };
    let rd = |b: &[u8]| {
        let a = [b[0], b[1], b[2], b[3]];
        if le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        }
    };
    let linktype = rd(&file[20..24]);
    let mut pos = 24usize;
    while pos + 16 <= file.len() {
        let incl = rd(&file[pos + 8..pos + 12]) as usize;
        let start = pos + 16;
        let Some(frame) = file.get(start..start.saturating_add(incl)) else {
            break;
        };
        out.push((linktype, frame));
        pos = start + incl;
    }
    out
}

/// Seed inputs for every target from one of the project's own sample
/// captures (`samples/*.pcap`, recorded by nlwire-io): `(target, bytes)`.
pub fn seeds_from_capture(file: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    use nlwire::families::sock_diag::{decode, InetDiagAttr, InetDiagReqAttr, SockDiagMessage};
    use nlwire::nlmon::parse_frame;
    let mut out = vec![("capture", file.to_vec())];
    for (linktype, frame) in pcap_frames(file) {
        let sel = match linktype {
            nlwire::nlmon::LINKTYPE_NETLINK => 0u8,
            nlwire::nlmon::LINKTYPE_LINUX_SLL => 1,
            _ => 2,
        };
        let mut n = vec![sel, 0];
        n.extend_from_slice(frame);
        out.push(("nlmon", n));
        let Ok(f) = parse_frame(linktype, frame) else {
            continue;
        };
        let fam_sel = selector_of(f.family);
        let mut d = vec![fam_sel];
        d.extend_from_slice(f.payload);
        out.push(("decode", d));
        out.push(("messages", f.payload.to_vec()));
        if f.family != 4 {
            continue;
        }
        for m in Messages::new(f.payload).flatten() {
            let ty = m.header.nlmsg_type.get();
            let req = m.header.is_request();
            let flags_hi = ((m.header.nlmsg_flags.get() >> 4) & 0xf0) as u8;
            let Some(&family) = m.payload.first() else {
                continue;
            };
            if (18..=21).contains(&ty) && (family == 2 || family == 10 || ty < 20) {
                let t = [20u16, 21, 18, 19]
                    .iter()
                    .position(|&x| x == ty)
                    .unwrap_or(0) as u8;
                let mut x = vec![u8::from(req) | (t << 1) | flags_hi, u8::from(family == 10)];
                x.extend_from_slice(m.payload);
                out.push(("inet_diag", x));
            } else if ty == 20 && family == 1 {
                let mut x = vec![u8::from(req) | flags_hi];
                x.extend_from_slice(m.payload);
                out.push(("unix_diag", x));
            }
            match decode(&m, Mode::Lenient) {
                Ok(SockDiagMessage::InetResponse(r)) => {
                    for a in r.attrs().flatten() {
                        if let InetDiagAttr::Info(i) = a {
                            out.push(("tcp_info", i.bytes().to_vec()));
                        }
                    }
                }
                Ok(SockDiagMessage::InetRequest(r)) => {
                    for a in r.attrs().flatten() {
                        if let InetDiagReqAttr::Bytecode(b) = a {
                            out.push(("bytecode", b.as_bytes().to_vec()));
                            let text = b.to_string();
                            out.push(("bytecode_text", text.into_bytes()));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    // Last, so the numbering of the other targets' sample files stays.
    let nlmon_payloads: Vec<&[u8]> = pcap_frames(file)
        .into_iter()
        .filter(|(lt, _)| *lt == nlwire::nlmon::LINKTYPE_NETLINK)
        .filter_map(|(_, f)| f.get(16..))
        .collect();
    for d in dump::dump_inputs_from_frames(&nlmon_payloads) {
        out.push(("dump", d));
    }
    out
}
