//! `struct tcp_info` as an extensible struct: every length the kernel has
//! sent (0, 104, 144, 232, 248, 280) and a longer one from a future kernel
//! (300, extra bytes kept), on hand-written byte arrays.
#![cfg(target_endian = "little")]

mod sock_diag_util;

use nlwire::families::sock_diag::*;
use nlwire::netlink::{Attrs, Builder};
use nlwire::payload::Payload;
use nlwire::wire::WireStruct;
use nlwire::Mode;
use sock_diag_util::*;

fn put32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_ne_bytes());
}
fn put64(b: &mut [u8], at: usize, v: u64) {
    b[at..at + 8].copy_from_slice(&v.to_ne_bytes());
}

/// A 300-byte tcp_info: today's 280 bytes with a distinct value at every
/// offset the kernel headers and KERNEL-NOTES give, then 20 bytes of a
/// future kernel.
fn sample() -> Vec<u8> {
    let mut b = vec![0u8; 300];
    b[0] = 1; // TCP_ESTABLISHED
    b[1] = 3; // TCP_CA_Recovery
    b[2] = 2; // retransmits
    b[3] = 4; // probes
    b[4] = 5; // backoff
    b[5] = TCPI_OPT_TIMESTAMPS | TCPI_OPT_SACK | TCPI_OPT_USEC_TS;
    b[6] = 0xa7; // snd_wscale 7, rcv_wscale 10
    b[7] = 0x05; // app_limited 1, fastopen_client_fail 2
    put32(&mut b, 8, 201_000); // rto
    put32(&mut b, 12, 40_000); // ato
    put32(&mut b, 16, 1448); // snd_mss
    put32(&mut b, 20, 536); // rcv_mss
    put32(&mut b, 24, 11); // unacked
    put32(&mut b, 28, 12); // sacked
    put32(&mut b, 32, 13); // lost
    put32(&mut b, 36, 14); // retrans
    put32(&mut b, 40, 0); // fackets
    put32(&mut b, 44, 1502); // last_data_sent
    put32(&mut b, 52, 1503); // last_data_recv
    put32(&mut b, 56, 1504); // last_ack_recv
    put32(&mut b, 60, 1500); // pmtu
    put32(&mut b, 64, 65535); // rcv_ssthresh
    put32(&mut b, 68, 173); // rtt
    put32(&mut b, 72, 202); // rttvar
    put32(&mut b, 76, 0x7fff_ffff); // snd_ssthresh
    put32(&mut b, 80, 10); // snd_cwnd
    put32(&mut b, 84, 65483); // advmss
    put32(&mut b, 88, 3); // reordering
    put32(&mut b, 92, 612); // rcv_rtt
    put32(&mut b, 96, 14480); // rcv_space
    put32(&mut b, 100, 99); // total_retrans (end of 104)
    put64(&mut b, 104, 30_196_573_072); // pacing_rate
    put64(&mut b, 112, u64::MAX); // max_pacing_rate
    put64(&mut b, 120, 51); // bytes_acked
    put64(&mut b, 128, 50); // bytes_received
    put32(&mut b, 136, 12); // segs_out
    put32(&mut b, 140, 7); // segs_in (end of 144)
    put32(&mut b, 144, 1); // notsent_bytes
    put32(&mut b, 148, 27); // min_rtt
    put32(&mut b, 152, 5); // data_segs_in
    put32(&mut b, 156, 6); // data_segs_out
    put64(&mut b, 160, 6_241_523_808); // delivery_rate
    put64(&mut b, 168, 2000); // busy_time
    put64(&mut b, 176, 3000); // rwnd_limited
    put64(&mut b, 184, 4000); // sndbuf_limited
    put32(&mut b, 192, 6); // delivered
    put32(&mut b, 196, 1); // delivered_ce
    put64(&mut b, 200, 5807); // bytes_sent
    put64(&mut b, 208, 17); // bytes_retrans
    put32(&mut b, 216, 2); // dsack_dups
    put32(&mut b, 220, 3); // reord_seen (end of 224)
    put32(&mut b, 224, 4); // rcv_ooopack
    put32(&mut b, 228, 65536); // snd_wnd (end of 232)
    put32(&mut b, 232, 496_640); // rcv_wnd
    put32(&mut b, 236, 9); // rehash (end of 240)
    b[240..242].copy_from_slice(&3u16.to_ne_bytes()); // total_rto
    b[242..244].copy_from_slice(&2u16.to_ne_bytes()); // total_rto_recoveries
    put32(&mut b, 244, 1234); // total_rto_time (end of 248)
    for (i, at) in (248..276).step_by(4).enumerate() {
        put32(&mut b, at, 0x100 + i as u32); // received_ce, the six byte counters
    }
    // ecn_mode 2, accecn_opt_seen 3, accecn_fail_mode 0xa, options2 0x123456
    put32(&mut b, 276, 2 | 3 << 2 | 0xa << 4 | 0x12_3456 << 8);
    for (i, x) in b[280..].iter_mut().enumerate() {
        *x = 0xe0 + i as u8;
    }
    b
}

#[test]
fn full_280_every_field_at_its_offset() {
    let b = sample();
    let i = TcpInfoView::new(&b[..280]);
    assert_eq!(TcpInfo::SIZE, 280);
    assert!(i.extra().is_empty());
    assert_eq!(i.state(), Some(TcpState::Established));
    assert_eq!(i.ca_state(), Some(TcpCaState::Recovery));
    assert_eq!(
        (i.tcpi_retransmits(), i.tcpi_probes(), i.tcpi_backoff()),
        (Some(2), Some(4), Some(5))
    );
    assert_eq!(
        (i.tcpi_snd_wscale(), i.tcpi_rcv_wscale()),
        (Some(7), Some(10))
    );
    assert_eq!(
        (
            i.tcpi_delivery_rate_app_limited(),
            i.tcpi_fastopen_client_fail()
        ),
        (Some(1), Some(2))
    );
    assert_eq!(
        (
            i.tcpi_rto(),
            i.tcpi_ato(),
            i.tcpi_snd_mss(),
            i.tcpi_rcv_mss()
        ),
        (Some(201_000), Some(40_000), Some(1448), Some(536))
    );
    assert_eq!(
        (
            i.tcpi_unacked(),
            i.tcpi_sacked(),
            i.tcpi_lost(),
            i.tcpi_retrans()
        ),
        (Some(11), Some(12), Some(13), Some(14))
    );
    assert_eq!(
        (
            i.tcpi_last_data_sent(),
            i.tcpi_last_data_recv(),
            i.tcpi_last_ack_recv()
        ),
        (Some(1502), Some(1503), Some(1504))
    );
    assert_eq!(
        (
            i.tcpi_pmtu(),
            i.tcpi_rcv_ssthresh(),
            i.tcpi_rtt(),
            i.tcpi_rttvar()
        ),
        (Some(1500), Some(65535), Some(173), Some(202))
    );
    assert_eq!(
        (
            i.tcpi_snd_ssthresh(),
            i.tcpi_snd_cwnd(),
            i.tcpi_advmss(),
            i.tcpi_reordering()
        ),
        (Some(0x7fff_ffff), Some(10), Some(65483), Some(3))
    );
    assert_eq!(
        (i.tcpi_rcv_rtt(), i.tcpi_rcv_space(), i.tcpi_total_retrans()),
        (Some(612), Some(14480), Some(99))
    );
    assert_eq!(
        (i.tcpi_pacing_rate(), i.tcpi_max_pacing_rate()),
        (Some(30_196_573_072), Some(u64::MAX))
    );
    assert_eq!(
        (
            i.tcpi_bytes_acked(),
            i.tcpi_bytes_received(),
            i.tcpi_segs_out(),
            i.tcpi_segs_in()
        ),
        (Some(51), Some(50), Some(12), Some(7))
    );
    assert_eq!(
        (
            i.tcpi_notsent_bytes(),
            i.tcpi_min_rtt(),
            i.tcpi_data_segs_in(),
            i.tcpi_data_segs_out()
        ),
        (Some(1), Some(27), Some(5), Some(6))
    );
    assert_eq!(i.tcpi_delivery_rate(), Some(6_241_523_808));
    assert_eq!(
        (
            i.tcpi_busy_time(),
            i.tcpi_rwnd_limited(),
            i.tcpi_sndbuf_limited()
        ),
        (Some(2000), Some(3000), Some(4000))
    );
    assert_eq!(
        (i.tcpi_delivered(), i.tcpi_delivered_ce()),
        (Some(6), Some(1))
    );
    assert_eq!(
        (
            i.tcpi_bytes_sent(),
            i.tcpi_bytes_retrans(),
            i.tcpi_dsack_dups(),
            i.tcpi_reord_seen()
        ),
        (Some(5807), Some(17), Some(2), Some(3))
    );
    assert_eq!(
        (i.tcpi_rcv_ooopack(), i.tcpi_snd_wnd()),
        (Some(4), Some(65536))
    );
    assert_eq!(
        (i.tcpi_rcv_wnd(), i.tcpi_rehash()),
        (Some(496_640), Some(9))
    );
    assert_eq!(
        (
            i.tcpi_total_rto(),
            i.tcpi_total_rto_recoveries(),
            i.tcpi_total_rto_time()
        ),
        (Some(3), Some(2), Some(1234))
    );
    assert_eq!(
        [
            i.tcpi_received_ce(),
            i.tcpi_delivered_e1_bytes(),
            i.tcpi_delivered_e0_bytes(),
            i.tcpi_delivered_ce_bytes(),
            i.tcpi_received_e1_bytes(),
            i.tcpi_received_e0_bytes(),
            i.tcpi_received_ce_bytes()
        ],
        [0x100, 0x101, 0x102, 0x103, 0x104, 0x105, 0x106].map(Some)
    );
    assert_eq!(
        (
            i.tcpi_ecn_mode(),
            i.tcpi_accecn_opt_seen(),
            i.tcpi_accecn_fail_mode(),
            i.tcpi_options2()
        ),
        (Some(2), Some(3), Some(0xa), Some(0x12_3456))
    );
    // The full struct agrees with the view.
    let full = i.to_full();
    assert_eq!(full.tcpi_rcv_wnd.get(), 496_640);
    assert_eq!(full.tcpi_options2(), 0x12_3456);
    assert_eq!(full.tcpi_rcv_wscale(), 10);
}

#[test]
fn walk_names_enums_flags_and_bits() {
    let b = sample();
    let l = lines(&TcpInfoView::new(&b[..280]));
    for want in [
        "tcpi_state=TCP_ESTABLISHED",
        "tcpi_ca_state=TCP_CA_Recovery",
        "tcpi_options=TCPI_OPT_TIMESTAMPS|TCPI_OPT_SACK|TCPI_OPT_USEC_TS",
        "tcpi_snd_wscale=7",
        "tcpi_rcv_wscale=10",
        "tcpi_delivery_rate_app_limited=1",
        "tcpi_fastopen_client_fail=2",
        "tcpi_rtt=173",
        "tcpi_pacing_rate=30196573072",
        "tcpi_total_rto=3",
        "tcpi_received_ce_bytes=262",
        "tcpi_ecn_mode=2",
        "tcpi_accecn_opt_seen=3",
        "tcpi_accecn_fail_mode=10",
        "tcpi_options2=1193046",
    ] {
        assert_line(&l, want);
    }
    // The anonymous bytes that hold bit-fields are not shown themselves.
    assert!(!l.iter().any(|x| x.contains("_bits")));
    assert!(!l.iter().any(|x| x.starts_with("extra")));
    // Every field (each bit-field counted) is reported once.
    let fields = TcpInfo::FIELDS
        .iter()
        .map(|f| f.bits.len().max(1))
        .sum::<usize>();
    assert_eq!(l.len(), fields);
}

/// (length, last field present, first field absent) for each size in the wild.
#[test]
fn every_length_in_the_wild() {
    let b = sample();
    let check = |n: usize| TcpInfoView::new(&b[..n]);

    let i = check(0);
    assert!(i.is_empty());
    assert_eq!(
        (i.tcpi_state(), i.tcpi_snd_wscale(), i.tcpi_rto()),
        (None, None, None)
    );
    assert!(lines(&i).is_empty());
    assert!(i.extra().is_empty());
    assert_eq!(i.to_full(), TcpInfoView::new(&[0; 280]).to_full());

    let i = check(104);
    assert_eq!(i.tcpi_total_retrans(), Some(99));
    assert_eq!(i.tcpi_pacing_rate(), None);
    // 6 byte fields, 2 + 2 bit-fields in bytes 6 and 7, 24 `__u32` fields.
    assert_eq!(lines(&i).len(), 6 + 4 + 24);

    let i = check(144);
    assert_eq!(i.tcpi_segs_in(), Some(7));
    assert_eq!(i.tcpi_notsent_bytes(), None);

    let i = check(232);
    assert_eq!(i.tcpi_snd_wnd(), Some(65536));
    assert_eq!(i.tcpi_rcv_wnd(), None);
    assert_eq!(i.to_full().tcpi_rcv_wnd.get(), 0, "zero-filled like ss");

    let i = check(248);
    assert_eq!(i.tcpi_total_rto_time(), Some(1234));
    assert_eq!((i.tcpi_received_ce(), i.tcpi_ecn_mode()), (None, None));

    let i = check(280);
    assert_eq!(i.tcpi_options2(), Some(0x12_3456));

    // A field cut in the middle is absent, not half-read.
    let i = check(106);
    assert_eq!(
        (i.tcpi_total_retrans(), i.tcpi_pacing_rate()),
        (Some(99), None)
    );
    let i = check(7);
    assert_eq!(
        (i.tcpi_snd_wscale(), i.tcpi_delivery_rate_app_limited()),
        (Some(7), None)
    );
}

#[test]
fn longer_than_known_keeps_extra() {
    let b = sample();
    let i = TcpInfoView::new(&b);
    assert_eq!(i.len(), 300);
    assert_eq!(i.extra(), &b[280..]);
    assert_eq!(i.tcpi_options2(), Some(0x12_3456));
    let l = lines(&i);
    assert_line(&l, "extra=0xe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3");
    // As INET_DIAG_INFO: parsed from, and emitted back to, exactly those bytes.
    let a = attr(INET_DIAG_INFO, &b);
    let got = Attrs::<InetDiagAttr>::with(&a, 0, Mode::Strict)
        .next()
        .unwrap()
        .unwrap();
    let InetDiagAttr::Info(v) = got else { panic!() };
    assert_eq!(v.bytes(), &b[..]);
    let mut buf = vec![0xa5u8; a.len() + 8];
    let mut bl = Builder::new(&mut buf[..]);
    bl.attr_set(&got).unwrap();
    assert_eq!(&buf[..a.len()], &a[..]);
    assert_eq!(buf[a.len()..], [0xa5; 8]);
}

#[test]
fn foreign_byte_order_swap() {
    // Host-order fields swap and byte fields stay. The bit-field units
    // (bytes 6 and 7, the last u32) also move between the two hosts' GCC
    // layouts, which is one-way (tests/swap_bitfields.rs checks it).
    let b = sample();
    let mut s = b[..280].to_vec();
    <TcpInfoView as Payload>::swap_order(&mut s);
    assert_eq!(s[..6], b[..6]);
    assert_eq!(s[8..12], 201_000u32.to_be_bytes());
    assert_eq!(s[104..112], 30_196_573_072u64.to_be_bytes());
    assert_eq!(s[240..242], 3u16.to_be_bytes());
    <TcpInfoView as Payload>::swap_order(&mut s);
    // Everything but the bit-field units comes back.
    let not_bits = |v: &[u8]| [&v[..6], &v[8..276]].concat();
    assert_eq!(not_bits(&s), not_bits(&b[..280]));
}

#[test]
fn ca_states_and_options() {
    assert_eq!(TcpCaState::from(0).name(), Some("TCP_CA_Open"));
    assert_eq!(TcpCaState::from(4), TcpCaState::Loss);
    assert_eq!(TcpCaState::from(5), TcpCaState::Unknown(5));
    assert_eq!(TCPI_OPT_NAMES.len(), 8);
    assert_eq!(TCPI_OPT_TFO_CHILD, 128);
    assert_eq!(TCPI_OPT_ECN_SEEN, 16);
}
