//! sock_diag against real captures (`$NLWIRE_CAPTURES/xtcp2`, see its
//! README): the attribute and message files cut from replies, the request
//! bytes, and every sock_diag message of every pcap — decoded strictly,
//! re-emitted byte for byte, walked without errors — with values compared
//! to the `ss` text beside them where they can be (same host; for most files
//! not the same instant, so only stable fields: ports, MSS, window scale,
//! PMTU, congestion control; `ss_tcp_info_a_4` is the capture of that very
//! `ss` run and is compared fully).
#![cfg(target_endian = "little")]

mod sock_diag_util;

use std::collections::HashMap;
use std::path::Path;

use nlwire::families::sock_diag::*;
use nlwire::netlink::{
    AttributeSet, Attrs, Builder, Messages, NlMsgDone, NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST,
};
use nlwire::nlmon::parse_frame;
use nlwire::{ErrorKind, Mode};
use sock_diag_util::*;

/// One `ss -tia` entry: the first line's columns and every `key:value` /
/// bare word of both lines.
#[derive(Debug)]
struct SsEntry {
    state: String,
    local: String,
    peer: String,
    words: HashMap<String, String>,
    bare: Vec<String>,
}

fn port_of(endpoint: &str) -> u16 {
    endpoint.rsplit(':').next().unwrap().parse().unwrap_or(0)
}

fn parse_ss(text: &str) -> Vec<SsEntry> {
    let mut out: Vec<SsEntry> = Vec::new();
    for line in text.lines() {
        if line.starts_with("State") || line.trim().is_empty() {
            continue;
        }
        let (cols, words_src) = if line.starts_with('\t') || line.starts_with(' ') {
            (None, line)
        } else {
            let c: Vec<&str> = line.split_whitespace().collect();
            (
                Some((c[0].to_string(), c[3].to_string(), c[4].to_string())),
                line,
            )
        };
        if let Some((state, local, peer)) = cols {
            out.push(SsEntry {
                state,
                local,
                peer,
                words: HashMap::new(),
                bare: Vec::new(),
            });
        }
        let e = out.last_mut().expect("ss text starts with a socket line");
        for w in words_src.split_whitespace() {
            match w.split_once(':') {
                Some((k, v)) if !k.is_empty() && !k.contains('.') && !k.contains('[') => {
                    e.words
                        .entry(k.to_string())
                        .or_insert_with(|| v.to_string());
                }
                _ => e.bare.push(w.to_string()),
            }
        }
    }
    out
}

fn find_ss(entries: &[SsEntry], local_port: Option<u16>, peer_port: u16) -> &SsEntry {
    entries
        .iter()
        .find(|e| {
            port_of(&e.peer) == peer_port && local_port.is_none_or(|p| port_of(&e.local) == p)
        })
        .unwrap_or_else(|| panic!("no ss entry for {local_port:?} -> {peer_port}"))
}

fn one_attr<'a>(bytes: &'a [u8]) -> InetDiagAttr<'a> {
    let mut it = Attrs::<InetDiagAttr>::with(bytes, 0, Mode::Strict);
    let a = it.next().unwrap().unwrap();
    assert!(it.next().is_none());
    // The files are cut without the last attribute's padding.
    let again = reemit::<InetDiagAttr>(bytes, Mode::Strict).unwrap();
    assert_eq!(&again[..bytes.len()], bytes);
    assert!(again[bytes.len()..].iter().all(|&b| b == 0));
    a
}

fn info_of(bytes: &[u8]) -> TcpInfoView<'_> {
    match one_attr(bytes) {
        InetDiagAttr::Info(i) => i.as_tcp_info(),
        other => panic!("{other:?}"),
    }
}

/// The fields of `tcp_info` that stay the same over a loopback or WAN
/// connection's life, checked against `ss`.
fn check_stable(i: &TcpInfoView<'_>, ss: &SsEntry) {
    let ws = format!(
        "{},{}",
        i.tcpi_snd_wscale().unwrap(),
        i.tcpi_rcv_wscale().unwrap()
    );
    assert_eq!(ss.words["wscale"], ws, "{ss:?}");
    assert_eq!(ss.words["mss"], i.tcpi_snd_mss().unwrap().to_string());
    assert_eq!(ss.words["pmtu"], i.tcpi_pmtu().unwrap().to_string());
    assert_eq!(ss.words["advmss"], i.tcpi_advmss().unwrap().to_string());
    assert_eq!(ss.words["cwnd"], i.tcpi_snd_cwnd().unwrap().to_string());
}

#[test]
fn attribute_files_6_6_44() {
    let Some(dir) = captures() else { return };
    let d = |n: &str| read(&dir, &format!("xtcp2/6_6_44/{n}"));
    let ss = read_text(&dir, "xtcp2/6_6_44/ss_tcp_info_a_10");
    for (file, name) in [
        ("attribute_cong", "cubic"),
        ("attribute_cong_bbr", "bbr"),
        ("attribute_cong_dctcp", "dctcp"),
        ("attribute_cong_vegas", "vegas"),
    ] {
        let b = d(file);
        let InetDiagAttr::Cong(c) = one_attr(&b) else {
            panic!()
        };
        assert_eq!(c.to_bytes(), name.as_bytes());
        assert!(c.has_nul());
    }
    assert!(ss.contains(" cubic "));

    let b = d("attribute_bbrinfo");
    let InetDiagAttr::Bbrinfo(x) = one_attr(&b) else {
        panic!()
    };
    assert_eq!(
        (
            x.bw(),
            x.bbr_min_rtt.get(),
            x.bbr_pacing_gain.get(),
            x.bbr_cwnd_gain.get()
        ),
        (0x61a7_f9e5, 20, 739, 739)
    );
    let b = d("attribute_bbrinfo_another_example");
    let InetDiagAttr::Bbrinfo(x) = one_attr(&b) else {
        panic!()
    };
    assert_eq!((x.bbr_bw_lo.get(), x.bbr_min_rtt.get()), (0x1b20_6aff, 70));

    let b = d("attribute_dctcpinfo");
    let InetDiagAttr::Dctcpinfo(x) = one_attr(&b) else {
        panic!()
    };
    assert_eq!(
        (
            x.dctcp_enabled.get(),
            x.dctcp_ce_state.get(),
            x.dctcp_alpha.get(),
            x.dctcp_ab_tot.get()
        ),
        (1, 0, 654, 0x8000)
    );

    let b = d("attribute_vegasinfo");
    let InetDiagAttr::Vegasinfo(x) = one_attr(&b) else {
        panic!()
    };
    assert_eq!(
        (x.tcpv_enabled.get(), x.tcpv_rtt.get(), x.tcpv_minrtt.get()),
        (1, 211, 0x7fff_ffff)
    );

    assert_eq!(
        one_attr(&d("attribute_cgroup_id")),
        InetDiagAttr::CgroupId(0x1102)
    );
    assert_eq!(one_attr(&d("attribute_class_id")), InetDiagAttr::ClassId(0));
    assert_eq!(one_attr(&d("attribute_tos")), InetDiagAttr::Tos(0));
    assert_eq!(one_attr(&d("attribute_tos2")), InetDiagAttr::Tos(2));
    assert_eq!(one_attr(&d("attribute_tcclass")), InetDiagAttr::Tclass(2));
    let InetDiagAttr::Shutdown(s) = one_attr(&d("attribute_shutdown")) else {
        panic!()
    };
    assert_eq!(s.bits, 0);

    // ss prints skmem:(r0,rb1000000,t0,tb2626560,...) for the loopback clients.
    let b = d("attribute_skmeminfo");
    let InetDiagAttr::Skmeminfo(m) = one_attr(&b) else {
        panic!()
    };
    assert_eq!(
        (m.len(), m.rcvbuf(), m.sndbuf(), m.drops()),
        (36, Some(1_000_000), Some(2_626_560), Some(0))
    );
    assert!(ss.contains("skmem:(r0,rb1000000,t0,tb2626560,f0,w0,o0,bl0,d0)"));
    let b2 = d("attribute_skmeminfo2");
    let InetDiagAttr::Skmeminfo(m) = one_attr(&b2) else {
        panic!()
    };
    assert_eq!(m.sndbuf(), Some(1_000_000));
    assert!(ss.contains("skmem:(r0,rb1000000,t0,tb1000000,f0,w0,o0,bl0,d0)"));

    let b3 = d("attribute_meminfo");
    let InetDiagAttr::Meminfo(m) = one_attr(&b3) else {
        panic!()
    };
    assert_eq!(m.idiag_fmem.get(), 0);

    let b4 = d("attribute_sockopt");
    let InetDiagAttr::Sockopt(o) = one_attr(&b4) else {
        panic!()
    };
    assert_eq!(
        (
            o.is_icsk(),
            o.mc_loop(),
            o.mc_all(),
            o.recverr(),
            o.bind_address_no_port()
        ),
        (1, 1, 1, 0, 0)
    );

    // tcp_info of a 6.6 kernel: 240 bytes (6.2+ tail), a loopback client.
    let b = d("attribute_info");
    let i = info_of(&b);
    assert_eq!(i.len(), 240);
    assert!(i.extra().is_empty());
    assert_eq!(i.state(), Some(TcpState::Established));
    assert_eq!(i.tcpi_rcv_wnd(), Some(65536));
    assert_eq!(i.tcpi_total_rto(), None);
    assert_eq!(
        i.tcpi_options(),
        Some(
            TCPI_OPT_TIMESTAMPS
                | TCPI_OPT_SACK
                | TCPI_OPT_WSCALE
                | TCPI_OPT_ECN
                | TCPI_OPT_ECN_SEEN
        )
    );
    let entries = parse_ss(&ss);
    let e = entries
        .iter()
        .find(|e| e.state == "ESTAB" && port_of(&e.peer) == 4002)
        .unwrap();
    check_stable(&i, e);
    assert_eq!(e.words["rcvmss"], i.tcpi_rcv_mss().unwrap().to_string());
    assert_eq!(e.words["rcv_wnd"], i.tcpi_rcv_wnd().unwrap().to_string());
    assert!(e.bare.iter().any(|w| w == "ecnseen"));
    // The second file is a listener: state TCP_LISTEN, everything else zero.
    let b5 = d("attribute_info2");
    let i = info_of(&b5);
    assert_eq!(
        (i.len(), i.state(), i.tcpi_snd_cwnd()),
        (240, Some(TcpState::Listen), Some(10))
    );
}

#[test]
fn attribute_files_4_19_319() {
    let Some(dir) = captures() else { return };
    let b = read(&dir, "xtcp2/4_19_319/attribute_meminfo_f4096");
    let InetDiagAttr::Meminfo(m) = one_attr(&b) else {
        panic!()
    };
    assert_eq!(
        (
            m.idiag_rmem.get(),
            m.idiag_wmem.get(),
            m.idiag_fmem.get(),
            m.idiag_tmem.get()
        ),
        (0, 0, 4096, 0)
    );
    let b = read(
        &dir,
        "xtcp2/4_19_319/attribute_skmeminfo_send2626560_forward2096",
    );
    let InetDiagAttr::Skmeminfo(m) = one_attr(&b) else {
        panic!()
    };
    // 4.19 already sends all nine; the forward allocation is 4096 (the
    // file name says 2096).
    assert_eq!(m.len(), 36);
    assert_eq!(
        (m.rcvbuf(), m.sndbuf(), m.fwd_alloc(), m.drops()),
        (Some(1_000_000), Some(2_626_560), Some(4096), Some(0))
    );
    let ss = read_text(&dir, "xtcp2/4_19_319/4_19_319_ss_tcp_info_a_10");
    assert!(ss.contains("skmem:(r0,rb1000000,t0,tb2626560,f4096,w0,o0,bl0,d0)"));
}

#[test]
fn tcp_info_lengths_by_kernel() {
    let Some(dir) = captures() else { return };
    for (file, len) in [
        ("xtcp2/4_19_319/attribute_info", 224),
        ("xtcp2/4_19_319/attribute_info2", 224),
        ("xtcp2/6_1_103/attribute_info", 232),
        ("xtcp2/6_1_103/attribute_info2", 232),
        ("xtcp2/6_6_44/attribute_info", 240),
        (
            "xtcp2/7_0_3/netlink_sock_diag_response_7_0_3_sport26546_dport443_info",
            280,
        ),
    ] {
        let b = read(&dir, file);
        let i = info_of(&b);
        assert_eq!(i.len(), len, "{file}");
        assert!(i.extra().is_empty());
        // The last field each length carries is there, the next one is not.
        let (last_present, first_absent) = match len {
            224 => (
                i.tcpi_reord_seen().is_some(),
                i.tcpi_rcv_ooopack().is_none(),
            ),
            232 => (i.tcpi_snd_wnd().is_some(), i.tcpi_rcv_wnd().is_none()),
            240 => (i.tcpi_rehash().is_some(), i.tcpi_total_rto().is_none()),
            _ => (i.tcpi_ecn_mode().is_some(), true),
        };
        assert!(last_present && first_absent, "{file}");
    }
    // 4.19 loopback client against its ss text.
    let b419 = read(&dir, "xtcp2/4_19_319/attribute_info");
    let i = info_of(&b419);
    let entries = parse_ss(&read_text(&dir, "xtcp2/4_19_319/4_19_319_ss_tcp_info_a_10"));
    let e = entries
        .iter()
        .find(|e| e.state == "ESTAB" && port_of(&e.peer) >= 4000 && port_of(&e.peer) < 4010)
        .unwrap();
    check_stable(&i, e);
    assert_eq!(i.tcpi_rto(), Some(201_000));
    assert_eq!(e.words["rto"], "201");
}

#[test]
fn tcp_info_7_0_3_matches_ss() {
    let Some(dir) = captures() else { return };
    let entries = parse_ss(&read_text(&dir, "xtcp2/7_0_3/ss_tcp_info_n"));
    for (file, sport, dport, same_instant) in [
        (
            "netlink_sock_diag_response_7_0_3_sport26546_dport443_info",
            26546,
            443,
            true,
        ),
        (
            "netlink_sock_diag_response_7_0_3_sport63282_dport443_rcvrtt_info",
            63282,
            443,
            true,
        ),
        (
            "netlink_sock_diag_response_7_0_3_sport19000_dport10156_v6_info",
            19000,
            10156,
            false,
        ),
    ] {
        let b = read(&dir, &format!("xtcp2/7_0_3/{file}"));
        let i = info_of(&b);
        assert_eq!(i.len(), 280);
        let e = find_ss(&entries, Some(sport), dport);
        check_stable(&i, e);
        assert_eq!(e.words["rcvmss"], i.tcpi_rcv_mss().unwrap().to_string());
        assert_eq!(
            e.words["rcv_wnd"],
            i.tcpi_rcv_wnd().unwrap().to_string(),
            "6.2+ tail at 232"
        );
        assert_eq!(e.words["rto"], (i.tcpi_rto().unwrap() / 1000).to_string());
        assert_eq!(i.tcpi_delivery_rate_app_limited(), Some(1));
        assert!(e.bare.iter().any(|w| w == "app_limited"));
        assert_eq!(i.tcpi_total_rto(), Some(0));
        if same_instant {
            // These two were taken with the ss text: every counter agrees.
            assert_eq!(
                e.words["bytes_sent"],
                i.tcpi_bytes_sent().unwrap().to_string()
            );
            assert_eq!(
                e.words["bytes_acked"],
                (i.tcpi_bytes_acked().unwrap()).to_string()
            );
            assert_eq!(
                e.words["bytes_received"],
                i.tcpi_bytes_received().unwrap().to_string()
            );
            assert_eq!(e.words["segs_in"], i.tcpi_segs_in().unwrap().to_string());
            assert_eq!(e.words["snd_wnd"], i.tcpi_snd_wnd().unwrap().to_string());
            assert_eq!(
                e.words["rcv_ssthresh"],
                i.tcpi_rcv_ssthresh().unwrap().to_string()
            );
            let rtt = format!("{:.3}", f64::from(i.tcpi_rtt().unwrap()) / 1000.0);
            assert!(
                e.words["rtt"].starts_with(rtt.trim_end_matches('0').trim_end_matches('.')),
                "{rtt} {}",
                e.words["rtt"]
            );
        }
    }
}

#[test]
fn response_messages_6_6_44() {
    let Some(dir) = captures() else { return };
    let entries = parse_ss(&read_text(&dir, "xtcp2/6_6_44/ss_tcp_info_a_10"));
    for (file, port) in [
        ("netlink_sock_diag_response_port4002", 4002u16),
        ("netlink_sock_diag_response_port4007", 4007),
        ("netlink_sock_diag_response_port4819", 4819),
        ("large_netlink_sock_diag_protocol_export", 4840),
    ] {
        let bytes = read(&dir, &format!("xtcp2/6_6_44/{file}"));
        let mut msgs = Messages::with_mode(&bytes, Mode::Strict);
        let msg = msgs.next().unwrap().unwrap();
        assert!(msgs.next().is_none());
        assert_eq!(msg.header.nlmsg_type.get(), SOCK_DIAG_BY_FAMILY);
        assert_eq!(msg.header.nlmsg_flags.get(), NLM_F_MULTI);
        let d = decode(&msg, Mode::Strict).unwrap();
        let SockDiagMessage::InetResponse(r) = d else {
            panic!("{d:?}")
        };
        assert_eq!(r.header.family(), AddressFamily::Inet);
        assert_eq!(r.header.id.dport(), port);
        assert_eq!(r.header.id.src_v4(), std::net::Ipv4Addr::LOCALHOST);
        let kinds: Vec<u16> = r.attrs().map(|a| a.unwrap().kind()).collect();
        assert_eq!(
            kinds,
            [
                INET_DIAG_SHUTDOWN,
                INET_DIAG_TOS,
                INET_DIAG_CLASS_ID,
                INET_DIAG_CGROUP_ID,
                INET_DIAG_SOCKOPT,
                INET_DIAG_MEMINFO,
                INET_DIAG_SKMEMINFO,
                INET_DIAG_INFO,
                INET_DIAG_CONG
            ]
        );
        let Some(Ok(InetDiagAttr::Info(i))) = r.find(INET_DIAG_INFO) else {
            panic!()
        };
        let i = i.as_tcp_info();
        assert_eq!(i.len(), 240);
        // A different run than the ss text: compare what a loopback
        // connection always has.
        let e = entries
            .iter()
            .find(|e| e.state == "ESTAB" && port_of(&e.peer) == 4002)
            .unwrap();
        check_stable(&i, e);
        let Some(Ok(InetDiagAttr::Cong(c))) = r.find(INET_DIAG_CONG) else {
            panic!()
        };
        assert!(e.bare.iter().any(|w| w.as_bytes() == c.to_bytes()));
        // Re-emitted byte for byte into a 0xa5 buffer.
        let mut buf = vec![0xa5u8; bytes.len()];
        let mut b = Builder::new(&mut buf[..]);
        let h = msg.header;
        b.message(
            20,
            h.nlmsg_flags.get(),
            h.nlmsg_seq.get(),
            h.nlmsg_pid.get(),
            |b| d.emit(b),
        )
        .unwrap();
        assert_eq!(b.len(), bytes.len());
        assert_eq!(buf, bytes);
        let l = lines(&d);
        assert_line(&l, &format!("inet_diag_msg.id.idiag_dport={port}"));
        assert_line(&l, "inet_diag_msg.id.idiag_src=127.0.0.1");
        assert_line(&l, "INET_DIAG_CONG=\"cubic\"");
        assert_line(&l, "INET_DIAG_INFO.tcpi_snd_mss=32768");
    }
}

#[test]
fn request_and_done_bytes_6_6_44() {
    let Some(dir) = captures() else { return };
    for (file, states) in [
        ("netlink_sock_diag_request_bytes", TCPF_ESTABLISHED),
        ("netlink_sock_diag_request_bytes_a", TCPF_ALL),
        ("netlink_sock_diag_request_bytes_example2", TCPF_ALL),
        ("netlink_sock_diag_request_bytes_example3", TCPF_ALL),
    ] {
        let bytes = read(&dir, &format!("xtcp2/6_6_44/{file}"));
        let msg = Messages::with_mode(&bytes, Mode::Strict)
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(msg.header.nlmsg_flags.get(), NLM_F_REQUEST | NLM_F_DUMP);
        let d = decode(&msg, Mode::Strict).unwrap();
        let SockDiagMessage::InetRequest(r) = d else {
            panic!("{d:?}")
        };
        assert_eq!(r.header.sdiag_family, AddressFamily::Inet.raw());
        assert_eq!(r.header.sdiag_protocol, IpProto::Tcp.raw());
        assert_eq!(r.header.idiag_ext, 0x7f);
        assert_eq!(r.header.idiag_states.get(), states, "{file}");
        assert_eq!(r.attrs().count(), 0);
        let l = lines(&d);
        assert_line(&l, "inet_diag_req_v2.sdiag_protocol=IPPROTO_TCP");
        let mut b = Builder::new_vec();
        let h = msg.header;
        b.message(
            20,
            h.nlmsg_flags.get(),
            h.nlmsg_seq.get(),
            h.nlmsg_pid.get(),
            |b| d.emit(b),
        )
        .unwrap();
        assert_eq!(b.into_vec(), bytes);
    }
    // NLMSG_DONE cut to its 16-byte header (nlmsg_len says 20): the walk
    // reports the missing bytes, and sock_diag leaves control messages alone.
    let bytes = read(&dir, "xtcp2/6_6_44/netlink_end_of_dump_bytes");
    assert_eq!(bytes.len(), 16);
    let e = Messages::new(&bytes).next().unwrap().unwrap_err();
    assert_eq!(
        (e.kind, e.needed, e.present),
        (ErrorKind::LengthPastEnd, 20, 16)
    );
    let mut whole = bytes.clone();
    whole.extend([0; 4]);
    let msg = Messages::new(&whole).next().unwrap().unwrap();
    assert_eq!(msg.header.nlmsg_type.get(), 3);
    assert_eq!(
        decode(&msg, Mode::Lenient).unwrap_err().kind,
        ErrorKind::Invalid
    );
}

/// Every sock_diag message of a pcap: decoded strictly, re-emitted byte for
/// byte, walked without errors. Returns the inet replies' tcp_info lengths
/// and (state, sport, dport, inode) of each reply.
/// What [`check_pcap`] found: tcp_info lengths, (state, sport, dport,
/// inode) of each reply, and the number of requests.
type PcapSummary = (Vec<usize>, Vec<(u8, u16, u16, u32)>, usize);

fn check_pcap(path: &Path) -> PcapSummary {
    let file = std::fs::read(path).unwrap();
    let (linktype, records) = pcap_records(&file);
    let mut lens = Vec::new();
    let mut socks = Vec::new();
    let mut requests = 0;
    for rec in records {
        let frame = parse_frame(linktype, rec).unwrap();
        if frame.family != 4 {
            continue; // rtnetlink / generic netlink frames in the same capture
        }
        for msg in Messages::with_mode(frame.payload, Mode::Strict) {
            let msg = msg.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let t = msg.header.nlmsg_type.get();
            if t == 3 {
                NlMsgDone::parse(msg.payload, msg.header.nlmsg_flags.get(), Mode::Strict).unwrap();
                continue;
            }
            let d =
                decode(&msg, Mode::Strict).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let mut b = Builder::new_vec();
            let h = msg.header;
            b.message(
                t,
                h.nlmsg_flags.get(),
                h.nlmsg_seq.get(),
                h.nlmsg_pid.get(),
                |b| d.emit(b),
            )
            .unwrap();
            assert_eq!(b.into_vec(), msg.bytes, "{}", path.display());
            let _ = lines(&d);
            match d {
                SockDiagMessage::InetResponse(r) => {
                    if let Some(Ok(InetDiagAttr::Info(i))) = r.find(INET_DIAG_INFO) {
                        lens.push(i.bytes().len());
                    }
                    let m = r.header;
                    socks.push((
                        m.idiag_state,
                        m.id.sport(),
                        m.id.dport(),
                        m.idiag_inode.get(),
                    ));
                }
                SockDiagMessage::InetRequest(_) => requests += 1,
                other => panic!("{}: unexpected {other:?}", path.display()),
            }
        }
    }
    (lens, socks, requests)
}

#[test]
fn every_pcap_decodes_strictly_and_reemits() {
    let Some(dir) = captures() else { return };
    let mut checked = 0;
    for (kernel, info_len) in [
        ("4_19_319", 224),
        ("6_1_103", 232),
        ("6_6_44", 240),
        ("7_0_3", 280),
    ] {
        let mut paths: Vec<_> = std::fs::read_dir(dir.join("xtcp2").join(kernel))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "pcap"))
            .collect();
        paths.sort();
        for p in paths {
            let bytes = std::fs::read(&p).unwrap();
            if bytes.iter().all(|&b| b == 0) {
                // 6_1_103_tcp_1000_sockets.pcap is all zero bytes in the
                // source snapshot; nothing to decode.
                eprintln!("skipped {}: all zero bytes", p.display());
                assert!(p.ends_with("6_1_103_tcp_1000_sockets.pcap"));
                continue;
            }
            let (lens, socks, requests) = check_pcap(&p);
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            // The port-443 replies filed under 6_6_44 come from a 6.7–6.17
            // kernel (248-byte tcp_info: the 6.7 RTO counters are there).
            let want = if kernel == "6_6_44" && name.contains("port443") {
                248
            } else {
                info_len
            };
            assert!(lens.iter().all(|&l| l == want), "{name}: {lens:?}");
            if let Some(n) = name
                .strip_suffix("_sockets.pcap")
                .and_then(|s| s.rsplit('_').next())
            {
                let n: usize = n.parse().unwrap();
                assert!(
                    socks.len() >= n,
                    "{name}: {} replies for {n} sockets",
                    socks.len()
                );
                assert!(requests >= 1, "{name}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} pcaps checked");
}

#[test]
fn ss_tcp_info_a_4_pcap_is_the_ss_text() {
    let Some(dir) = captures() else { return };
    let (_, socks, requests) = check_pcap(&dir.join("xtcp2/6_6_44/ss_tcp_info_a_4.pcap"));
    assert_eq!(requests, 2); // AF_INET and AF_INET6 dumps
    let entries = parse_ss(&read_text(&dir, "xtcp2/6_6_44/ss_tcp_info_a_4"));
    let ss_state = |s: u8| match TcpState::from(s) {
        TcpState::Established => "ESTAB",
        TcpState::Listen => "LISTEN",
        other => panic!("{other}"),
    };
    let mut ours: Vec<(String, u16, u16)> = socks
        .iter()
        .map(|&(s, sp, dp, _)| (ss_state(s).to_string(), sp, dp))
        .collect();
    let mut theirs: Vec<(String, u16, u16)> = entries
        .iter()
        .map(|e| (e.state.clone(), port_of(&e.local), port_of(&e.peer)))
        .collect();
    ours.sort();
    theirs.sort();
    assert_eq!(ours, theirs);
    // Inodes where ss printed them.
    for e in entries.iter().filter(|e| e.words.contains_key("ino")) {
        let ino: u32 = e.words["ino"].parse().unwrap();
        assert!(
            socks.iter().any(|&(_, sp, dp, i)| i == ino
                && sp == port_of(&e.local)
                && dp == port_of(&e.peer)),
            "ino {ino} of {e:?}"
        );
    }
}
