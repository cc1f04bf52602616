//! Every real capture under `$NLWIRE_CAPTURES` (xtcp2 from four kernels,
//! nldecap with both pcap file byte orders, pyroute2) decodes with no
//! malformed frame, as text, JSON and summary; the files that are not
//! netlink captures get a clear per-file error.

use std::path::Path;

mod decode_common;
use decode_common::*;

/// Files of the shared snapshot that are not netlink captures, and the
/// per-file error each must get.
fn expected_refusal(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?;
    if name.starts_with("1pkt_not_netlink") {
        // nldecap's negative samples: Ethernet frames.
        return Some("link type 1 (LINKTYPE_ETHERNET) is not netlink");
    }
    let bytes = std::fs::read(path).ok()?;
    if bytes.iter().all(|&b| b == 0) {
        // xtcp2/6_1_103/6_1_103_tcp_1000_sockets.pcap is all zero bytes in
        // the snapshot (no pcap header at all).
        return Some("not a pcap or pcapng capture");
    }
    None
}

#[test]
fn every_capture_decodes_without_malformed_frames() {
    let Some(dir) = captures_dir() else { return };
    let files = capture_files(&dir);
    assert!(files.len() >= 30, "only {} captures found", files.len());
    let mut decoded = 0;
    for f in &files {
        let name = f.to_str().unwrap();
        let o = nlwire(&["decode", "--summary", name]);
        if let Some(why) = expected_refusal(f) {
            assert_eq!(code(&o), 2, "{name}: {}", stderr(&o));
            assert!(stderr(&o).contains(why), "{name}: {}", stderr(&o));
            assert!(stderr(&o).contains(name), "the error names the file");
            continue;
        }
        assert_eq!(code(&o), 0, "{name}: {}", stderr(&o));
        assert!(stderr(&o).is_empty(), "{name}: {}", stderr(&o));
        let sum = stdout(&o);
        assert!(
            sum.contains("malformed: 0 problems in 0 frames"),
            "{name}: {sum}"
        );
        assert!(!sum.starts_with("frames: 0 "), "{name}: no frames: {sum}");
        decoded += 1;
    }
    assert!(decoded >= 30, "{decoded}");
}

#[test]
fn text_output_of_every_capture_is_clean() {
    let Some(dir) = captures_dir() else { return };
    for f in capture_files(&dir) {
        if expected_refusal(&f).is_some() {
            continue;
        }
        let name = f.to_str().unwrap();
        let o = nlwire(&["decode", name]);
        assert_eq!(code(&o), 0, "{name}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(!out.contains("! malformed"), "{name}");
        assert!(out.contains("Frame 1: "), "{name}");
        assert!(out.contains("nlmsg_len: "), "{name}");
    }
}

/// The keys every JSON object has (docs/json-schema.md).
const TOP_KEYS: &[&str] = &[
    "file",
    "frame",
    "time",
    "family",
    "byte_order",
    "message",
    "offset",
    "direction",
    "nlmsghdr",
];
const HEADER_KEYS: &[&str] = &[
    "nlmsg_len",
    "nlmsg_type",
    "nlmsg_flags",
    "nlmsg_seq",
    "nlmsg_pid",
];

#[test]
fn json_lines_of_every_capture_have_the_documented_keys() {
    let Some(dir) = captures_dir() else { return };
    let mut total = 0usize;
    for f in capture_files(&dir) {
        if expected_refusal(&f).is_some() {
            continue;
        }
        let name = f.to_str().unwrap();
        let o = nlwire(&["decode", "--json", name]);
        assert_eq!(code(&o), 0, "{name}: {}", stderr(&o));
        let mut last = (0u64, 0u64);
        for m in json_lines(&stdout(&o)) {
            total += 1;
            for k in TOP_KEYS {
                assert!(m.get(k).is_some(), "{name}: no {k:?} in {m}");
            }
            assert_eq!(m["file"], name);
            for k in HEADER_KEYS {
                assert!(m["nlmsghdr"].get(k).is_some(), "{name}: no nlmsghdr.{k}");
            }
            let t = m["time"].as_str().unwrap();
            assert!(
                t.ends_with('Z') && t.len() == "2024-07-27T23:39:59.448143Z".len(),
                "{t}"
            );
            let flags = m["nlmsghdr"]["nlmsg_flags"]["value"].as_u64().unwrap();
            let want = if flags & 1 != 0 {
                "request"
            } else {
                "response"
            };
            assert_eq!(m["direction"], want);
            assert!(m["family"]["value"].is_u64());
            assert!(m["nlmsghdr"]["nlmsg_type"]["value"].is_i64());
            assert!(m.get("errors").is_none(), "{name}: {m}");
            // Frames, then messages within a frame, in order.
            let key = (m["frame"].as_u64().unwrap(), m["message"].as_u64().unwrap());
            assert!(key > last, "{name}: {key:?} after {last:?}");
            last = key;
        }
    }
    assert!(total > 10_000, "{total}");
}

#[test]
fn nldecap_big_endian_file_header_decodes_like_little_endian() {
    let Some(dir) = captures_dir() else { return };
    let le = dir.join("nldecap/two_packets_le.pcap");
    let be = dir.join("nldecap/two_packets_be.pcap");
    let run = |p: &Path| {
        let o = nlwire(&["decode", "--json", p.to_str().unwrap()]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        json_lines(&stdout(&o))
            .into_iter()
            .map(|mut m| {
                m.as_object_mut().unwrap().remove("file");
                m
            })
            .collect::<Vec<_>>()
    };
    let (a, b) = (run(&le), run(&be));
    assert_eq!(a.len(), 4);
    assert_eq!(a, b);
    // RTM_GETADDR dump request, then RTM_NEWADDR replies for 127.0.0.1 (lo).
    assert_eq!(a[0]["nlmsghdr"]["nlmsg_type"]["name"], "RTM_GETADDR");
    assert_eq!(a[1]["nlmsghdr"]["nlmsg_type"]["name"], "RTM_NEWADDR");
    assert_eq!(a[1]["ifaddrmsg"]["ifa_family"], 2);
    assert_eq!(a[1]["ifaddrmsg"]["ifa_prefixlen"], 8);
}

/// pyroute2's own decoding of nl0.pcap (nl0.json) agrees with ours on every
/// header and fixed-header field it decoded.
#[test]
fn pyroute2_decoder_agrees_on_headers() {
    let Some(dir) = captures_dir() else { return };
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("pyroute2/nl0.json")).unwrap())
            .unwrap();
    let o = nlwire(&[
        "decode",
        "--json",
        dir.join("pyroute2/nl0.pcap").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let ours = json_lines(&stdout(&o));
    let mut compared = 0;
    for e in expected.as_array().unwrap() {
        let d = &e["data"];
        let Some(h) = d.get("header") else { continue };
        let m = ours
            .iter()
            .find(|m| {
                let n = &m["nlmsghdr"];
                n["nlmsg_len"] == h["length"]
                    && n["nlmsg_type"]["value"] == h["type"]
                    && n["nlmsg_flags"]["value"] == h["flags"]
                    && n["nlmsg_seq"] == h["sequence_number"]
                    && n["nlmsg_pid"] == h["pid"]
            })
            .unwrap_or_else(|| panic!("no message with header {h}"));
        if let Some(i) = m.get("ifinfomsg") {
            assert_eq!(i["ifi_family"], d["family"]);
            assert_eq!(i["ifi_type"], d["ifi_type"]);
            assert_eq!(i["ifi_index"], d["index"]);
            // IFF_* flags (rt-link.yaml): the number and the names.
            assert_eq!(i["ifi_flags"]["value"], d["flags"]);
            assert_eq!(i["ifi_change"], d["change"]);
        } else if let Some(a) = m.get("ifaddrmsg") {
            assert_eq!(a["ifa_family"], d["family"]);
            assert_eq!(a["ifa_prefixlen"], d["prefixlen"]);
            assert_eq!(a["ifa_flags"]["value"], d["flags"]);
            assert_eq!(a["ifa_scope"], d["scope"]);
            assert_eq!(a["ifa_index"], d["index"]);
        } else {
            panic!("unexpected message {m}");
        }
        compared += 1;
    }
    assert!(compared >= 5, "{compared}");
}
