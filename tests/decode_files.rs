//! Capture files built byte by byte by the test: both pcap byte orders,
//! micro- and nanosecond timestamps, pcapng with several interfaces, link
//! types and resolutions, EPB and SPB, cooked captures (SLL, SLL2),
//! big-endian netlink payloads, and adversarial files (truncated records,
//! broken `nlmsg_len` mid-file, a file cut short, absurd record lengths):
//! good frames decode, bad ones are reported with frame number, offset and
//! reason, and the exit code says what happened.

use std::path::{Path, PathBuf};

mod decode_common;
use decode_common::*;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn frame(family: u16, netlink: &[u8]) -> Vec<u8> {
    let mut f = nlmon(family);
    f.extend_from_slice(netlink);
    f
}

/// 2024-02-29T12:34:56Z
const T: u32 = 1_709_210_096;

fn decode_json(p: &Path, extra: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
    let mut args = vec!["decode", "--json"];
    args.extend_from_slice(extra);
    args.push(p.to_str().unwrap());
    let o = nlwire(&args);
    (code(&o), json_lines(&stdout(&o)), stderr(&o))
}

#[test]
fn pcap_both_byte_orders_micro_and_nano() {
    let d = scratch("orders");
    let recs = [
        Rec::new(T, 123_456, frame(0, &GETLINK)),
        Rec::new(T + 1, 999_999, frame(0, &done(0x5c38_fefd))),
    ];
    for (be, name) in [(false, "le.pcap"), (true, "be.pcap")] {
        let p = write(&d, name, &pcap(253, &recs, be, false));
        let (c, l, e) = decode_json(&p, &[]);
        assert_eq!(c, 0, "{e}");
        assert_eq!(l.len(), 2);
        assert_eq!(l[0]["time"], "2024-02-29T12:34:56.123456Z");
        assert_eq!(l[1]["time"], "2024-02-29T12:34:57.999999Z");
        assert_eq!(l[0]["nlmsghdr"]["nlmsg_type"]["name"], "RTM_GETLINK");
        assert_eq!(l[1]["nlmsghdr"]["nlmsg_type"]["name"], "NLMSG_DONE");
        assert_eq!(l[1]["frame"], 2);
        assert_eq!(l[1]["offset"], 16);
    }
    let ns = [Rec::new(T, 123_456_789, frame(0, &GETLINK))];
    for be in [false, true] {
        let p = write(&d, "ns.pcap", &pcap(253, &ns, be, true));
        let (c, l, e) = decode_json(&p, &[]);
        assert_eq!(c, 0, "{e}");
        assert_eq!(l[0]["time"], "2024-02-29T12:34:56.123456789Z");
    }
    let o = nlwire(&["decode", d.join("ns.pcap").to_str().unwrap()]);
    assert!(stdout(&o).contains(
        "Frame 1: 2024-02-29T12:34:56.123456789Z, 36 bytes, NETLINK_ROUTE (0), little-endian"
    ));
}

#[test]
fn truncated_record_mid_file_is_reported_and_decoding_goes_on() {
    let d = scratch("trunc");
    // Frame 2 lost its last 8 bytes to the snaplen: 28 of 36 bytes.
    let mut cut = Rec::new(T, 2, frame(0, &GETLINK));
    cut.data.truncate(28);
    cut.origlen = 36;
    let recs = [
        Rec::new(T, 1, frame(0, &GETLINK)),
        cut,
        Rec::new(T, 3, frame(4, &done(7))),
    ];
    let p = write(&d, "t.pcap", &pcap(253, &recs, false, false));
    let (c, l, e) = decode_json(&p, &[]);
    assert_eq!(c, 1, "{e}");
    let name = p.to_str().unwrap();
    assert!(
        e.contains(&format!("nlwire: {name}: frame 2: offset 28: frame truncated by the capture: 28 of 36 bytes captured")),
        "{e}"
    );
    // 12 bytes are left of the message: fewer than an nlmsghdr, where the
    // kernel's NLMSG_OK stops.
    assert!(
        e.contains(&format!(
            "nlwire: {name}: frame 2: offset 16: 12 trailing bytes after the last message"
        )),
        "{e}"
    );
    let frames: Vec<u64> = l.iter().map(|m| m["frame"].as_u64().unwrap()).collect();
    assert_eq!(frames, [1, 3]);
    assert_eq!(l[1]["family"]["name"], "NETLINK_SOCK_DIAG");
}

#[test]
fn broken_nlmsg_len_mid_file_is_reported_and_decoding_goes_on() {
    let d = scratch("badlen");
    // Frame 2: a good DONE, then a header whose nlmsg_len is 0xffff.
    let mut two = done(1);
    let mut bad = done(2);
    bad[0] = 0xff;
    bad[1] = 0xff;
    two.extend_from_slice(&bad);
    // Frame 3: nlmsg_len 4 (below the header).
    let mut three = done(3);
    three[0] = 4;
    let recs = [
        Rec::new(T, 1, frame(4, &done(0))),
        Rec::new(T, 2, frame(4, &two)),
        Rec::new(T, 3, frame(4, &three)),
        Rec::new(T, 4, frame(4, &done(4))),
    ];
    let p = write(&d, "b.pcap", &pcap(253, &recs, false, false));
    let (c, l, e) = decode_json(&p, &[]);
    assert_eq!(c, 1);
    assert!(e.contains("frame 2: offset 36: nlmsg_len: length field past the end of the buffer (needed 65535, present 20)"), "{e}");
    assert!(e.contains("frame 3: offset 16: nlmsg_len: length field smaller than its header (needed 16, present 4)"), "{e}");
    assert_eq!(e.lines().count(), 2, "{e}");
    let got: Vec<(u64, u64)> = l
        .iter()
        .map(|m| {
            (
                m["frame"].as_u64().unwrap(),
                m["nlmsghdr"]["nlmsg_seq"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, [(1, 0), (2, 1), (4, 4)]);

    // The summary counts the problems, and text output shows them in place.
    let o = nlwire(&["decode", "--summary", p.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("malformed: 2 problems in 2 frames"),
        "{}",
        stdout(&o)
    );
    let o = nlwire(&["decode", p.to_str().unwrap()]);
    assert!(stdout(&o).contains("  ! malformed at offset 36: nlmsg_len"));
}

#[test]
fn file_cut_inside_a_record() {
    let d = scratch("eof");
    let recs = [
        Rec::new(T, 1, frame(0, &GETLINK)),
        Rec::new(T, 2, frame(0, &GETLINK)),
    ];
    let mut bytes = pcap(253, &recs, false, false);
    bytes.truncate(bytes.len() - 10);
    let p = write(&d, "cut.pcap", &bytes);
    let (c, l, e) = decode_json(&p, &[]);
    assert_eq!(c, 1);
    assert_eq!(l.len(), 1);
    // 24 (file header) + 16 + 36 = 76: where record 2 starts.
    assert!(
        e.contains("file truncated: incomplete record at byte offset 76"),
        "{e}"
    );
}

#[test]
fn absurd_record_length_stops_the_file_without_reading_it_all() {
    let d = scratch("huge");
    let mut bytes = pcap(253, &[Rec::new(T, 1, frame(0, &GETLINK))], false, false);
    // A record header claiming 0xfffffff0 captured bytes.
    for v in [T, 0, 0xffff_fff0, 0xffff_fff0] {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    // In a small file that is a truncated record...
    let mut small = bytes.clone();
    small.extend_from_slice(&[0u8; 100]);
    let p = write(&d, "small.pcap", &small);
    let (c, l, e) = decode_json(&p, &[]);
    assert_eq!(c, 1);
    assert_eq!(l.len(), 1);
    assert!(
        e.contains("file truncated: incomplete record at byte offset 76"),
        "{e}"
    );
    // ...and in a large one the reader gives up at its window limit instead
    // of reading gigabytes.
    bytes.resize(bytes.len() + (17 << 20), 0);
    let p = write(&d, "huge.pcap", &bytes);
    let (c, l, e) = decode_json(&p, &[]);
    assert_eq!(c, 1);
    assert_eq!(l.len(), 1);
    assert!(
        e.contains("record at byte offset 76 claims more than 16777216 bytes"),
        "{e}"
    );
}

#[test]
fn pcapng_interfaces_link_types_resolutions_epb_spb() {
    let d = scratch("ng");
    let ifaces = [
        Iface {
            linktype: 253,
            tsresol: None,
        }, // nlmon, µs
        Iface {
            linktype: 1,
            tsresol: None,
        }, // Ethernet
        Iface {
            linktype: 276,
            tsresol: Some(9),
        }, // SLL2, ns
        Iface {
            linktype: 113,
            tsresol: Some(0x80 | 10),
        }, // SLL, 2^-10 s
    ];
    let t_us = u64::from(T) * 1_000_000 + 250_000;
    let t_ns = u64::from(T) * 1_000_000_000 + 1;
    let t_b10 = u64::from(T) * 1024 + 512;
    let mut sll2 = vec![
        0, 16, 0, 0, 0, 0, 0, 9, 0x03, 0x38, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    sll2.extend_from_slice(&GETLINK);
    let mut sll = vec![0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4];
    sll.extend_from_slice(&done(9));
    let packets = [
        Ng::epb(0, t_us, frame(0, &GETLINK)),
        Ng::epb(1, t_us, vec![0xff; 60]),
        Ng::epb(2, t_ns, sll2),
        Ng::epb(3, t_b10, sll),
        Ng::Spb(frame(4, &done(10)), 36),
    ];
    for be in [false, true] {
        let p = write(&d, "x.pcapng", &pcapng(&ifaces, &packets, be));
        let (c, l, e) = decode_json(&p, &[]);
        assert_eq!(c, 0, "{e}");
        assert!(e.contains("1 frames are not netlink, skipped (first: frame 2: link type 1 (LINKTYPE_ETHERNET) is not netlink"), "{e}");
        let got: Vec<_> = l
            .iter()
            .map(|m| {
                (
                    m["frame"].as_u64().unwrap(),
                    m["time"].as_str().map(str::to_string),
                    m["family"]["value"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (1, Some("2024-02-29T12:34:56.250000Z".into()), 0),
                (3, Some("2024-02-29T12:34:56.000000001Z".into()), 16),
                // 2^-10 s units: coarser than µs, shown with 6 digits.
                (4, Some("2024-02-29T12:34:56.500000Z".into()), 4),
                (5, None, 4),
            ]
        );
        assert_eq!(l[1]["sll2_header"]["sll2_if_index"], 9);
        assert_eq!(l[2]["sll_header"]["sll_protocol"], 4);
    }
}

#[test]
fn pcapng_packet_for_an_undescribed_interface() {
    let d = scratch("noidb");
    let ifaces = [Iface {
        linktype: 253,
        tsresol: None,
    }];
    let packets = [
        Ng::epb(0, 1, frame(0, &GETLINK)),
        Ng::epb(5, 2, frame(0, &GETLINK)),
    ];
    let p = write(&d, "x.pcapng", &pcapng(&ifaces, &packets, false));
    let (c, l, e) = decode_json(&p, &[]);
    assert_eq!(c, 1);
    assert_eq!(l.len(), 1);
    assert!(
        e.contains(
            "frame 2: packet names interface 5 but no Interface Description Block describes it"
        ),
        "{e}"
    );
}

#[test]
fn cooked_capture_with_other_protocols() {
    let d = scratch("sll");
    let mut eth = vec![0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 8, 0];
    eth.extend_from_slice(&[0x45; 40]);
    let mut nl = vec![0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    nl.extend_from_slice(&GETLINK);
    let recs = [
        Rec::new(T, 0, eth.clone()),
        Rec::new(T, 1, nl),
        Rec::new(T, 2, eth.clone()),
    ];
    let p = write(&d, "mixed.pcap", &pcap(113, &recs, false, false));
    let (c, l, e) = decode_json(&p, &[]);
    assert_eq!(c, 0, "{e}");
    assert_eq!(l.len(), 1);
    assert_eq!(l[0]["frame"], 2);
    assert!(e.contains("2 frames are not netlink, skipped (first: frame 1: hardware type 1 (ARPHRD_ETHER) is not ARPHRD_NETLINK (824))"), "{e}");

    // Only other protocols: a per-file error.
    let p = write(
        &d,
        "eth-only.pcap",
        &pcap(113, &[Rec::new(T, 0, eth)], false, false),
    );
    let (c, l, e) = decode_json(&p, &[]);
    assert_eq!(c, 2);
    assert!(l.is_empty());
    assert!(e.contains("no netlink frames"), "{e}");
}

#[test]
fn not_netlink_link_type_is_a_per_file_error_and_other_files_still_decode() {
    let d = scratch("linktype");
    let eth = write(
        &d,
        "eth.pcap",
        &pcap(1, &[Rec::new(T, 0, vec![0; 60])], false, false),
    );
    let good = write(
        &d,
        "good.pcap",
        &pcap(253, &[Rec::new(T, 0, frame(0, &GETLINK))], false, false),
    );
    let o = nlwire(&[
        "decode",
        "--json",
        eth.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains(&format!(
        "nlwire: {}: link type 1 (LINKTYPE_ETHERNET) is not netlink",
        eth.display()
    )));
    let l = json_lines(&stdout(&o));
    assert_eq!(l.len(), 1);
    assert_eq!(l[0]["file"], good.to_str().unwrap());
}

#[test]
fn big_endian_netlink_payload_in_a_capture() {
    let d = scratch("bepayload");
    // RTM_GETLINK and NLMSG_DONE as a big-endian host sends them.
    let getlink_be = [
        0, 0, 0, 0x14, 0, 0x12, 0x03, 0x01, 0x5c, 0x38, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    let done_be = [
        0, 0, 0, 20, 0, 3, 0, 2, 0, 0, 0, 9, 0, 0, 0x10, 0xe1, 0xff, 0xff, 0xff, 0xfe,
    ];
    let recs = [
        Rec::new(T, 0, frame(0, &getlink_be)),
        Rec::new(T, 1, frame(0, &done_be)),
        Rec::new(T, 2, frame(0, &GETLINK)),
    ];
    let p = write(&d, "be.pcap", &pcap(253, &recs, true, false));
    let (c, l, e) = decode_json(&p, &[]);
    assert_eq!(c, 0, "{e}");
    let orders: Vec<_> = l
        .iter()
        .map(|m| m["byte_order"].as_str().unwrap())
        .collect();
    assert_eq!(orders, ["big", "big", "little"]);
    assert_eq!(l[0]["nlmsghdr"]["nlmsg_seq"], 0x5c38_fefd);
    assert_eq!(l[1]["nlmsghdr"]["nlmsg_pid"], 4321);
    assert_eq!(l[1]["NLMSG_DONE"]["error"]["value"], -2);
    assert_eq!(l[1]["NLMSG_DONE"]["error"]["name"], "ENOENT");
    // Forced big-endian: the little-endian frame is now malformed.
    let (c, l, e) = decode_json(&p, &["--byte-order", "big"]);
    assert_eq!(c, 1);
    assert_eq!(l.len(), 2);
    assert!(e.contains("frame 3: offset 16: nlmsg_len"), "{e}");
}

#[test]
fn short_frames_empty_files_and_missing_files() {
    let d = scratch("short");
    let p = write(
        &d,
        "s.pcap",
        &pcap(253, &[Rec::new(T, 0, vec![0, 4, 3])], false, false),
    );
    let (c, _, e) = decode_json(&p, &[]);
    assert_eq!(c, 1);
    assert!(
        e.contains("frame 1: offset 0: nlmon: truncated (needed 16, present 3)"),
        "{e}"
    );

    let empty = write(&d, "empty.pcap", &[]);
    let o = nlwire(&["decode", empty.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("empty file"));

    let o = nlwire(&["decode", d.join("missing.pcap").to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("missing.pcap: No such file"),
        "{}",
        stderr(&o)
    );

    let o = nlwire(&["decode", d.to_str().unwrap()]);
    assert_eq!(code(&o), 2);

    let junk = write(
        &d,
        "junk.pcap",
        b"this is not a capture at all, just some text",
    );
    let o = nlwire(&["decode", junk.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("not a pcap or pcapng capture"));
}

#[test]
fn usage_errors_exit_2() {
    let o = nlwire(&["decode", "--json", "--summary"]);
    assert_eq!(code(&o), 2);
    let o = nlwire(&["decode", "--byte-order", "middle"]);
    assert_eq!(code(&o), 2);
    let o = nlwire(&["decode", "--hex", "14", "x.pcap"]);
    assert_eq!(code(&o), 2);
}

/// A capture far larger than the reader's window decodes record by record.
#[test]
fn many_records_stream_through() {
    let d = scratch("many");
    let recs: Vec<Rec> = (0..20_000)
        .map(|i| Rec::new(T + i / 1000, i % 1000, frame(4, &done(i))))
        .collect();
    let p = write(&d, "many.pcap", &pcap(253, &recs, false, false));
    let o = nlwire(&["decode", "--summary", p.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("frames: 20000 netlink"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("NLMSG_DONE (3)"));
}

#[test]
fn foreign_order_reply_converts_as_its_request_said() {
    use nlwire::families::sock_diag::*;
    use nlwire::netlink::{Builder, NLM_F_MULTI};
    // Frame 1: an MPTCP dump request (INET_DIAG_REQ_PROTOCOL). Frame 2: its
    // reply from a host of the other byte order, whose INET_DIAG_INFO is
    // struct mptcp_info that only the request tells apart from tcp_info.
    // Converted as tcp_info, the __u64 mptcpi_write_seq at offset 16 would
    // come out as two swapped __u32 halves.
    let mut b = Builder::new_vec();
    mptcp_dump_request(&mut b, 77);
    let request = b.into_vec();
    let rev = |b: &[u8]| b.iter().rev().copied().collect::<Vec<u8>>();
    let write_seq = 0x0102_0304_0506_0708u64;
    let mut info = vec![0u8; 96];
    info[0] = 2; // mptcpi_subflows
    info[16..24].copy_from_slice(&rev(&write_seq.to_ne_bytes()));
    let mut p = vec![0u8; 72];
    p[0] = AddressFamily::Inet.raw();
    p.extend(rev(&(4 + info.len() as u16).to_ne_bytes()));
    p.extend(rev(&INET_DIAG_INFO.to_ne_bytes()));
    p.extend(&info);
    let mut reply = rev(&(16 + p.len() as u32).to_ne_bytes());
    reply.extend(rev(&SOCK_DIAG_BY_FAMILY.to_ne_bytes()));
    reply.extend(rev(&NLM_F_MULTI.to_ne_bytes()));
    reply.extend(rev(&77u32.to_ne_bytes()));
    reply.extend([0; 4]);
    reply.extend(&p);
    let d = scratch("foreign_context");
    let recs = [
        Rec::new(T, 0, frame(4, &request)),
        Rec::new(T, 1, frame(4, &reply)),
    ];
    let path = write(&d, "mptcp.pcap", &pcap(253, &recs, false, false));
    let o = nlwire(&["decode", path.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains(&format!("mptcpi_write_seq: {write_seq}")),
        "{text}"
    );
}
