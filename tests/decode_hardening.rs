//! `nlwire decode` on the hardening cases of the codec: error offsets in
//! the frame wherever the error is (nested payloads, bytecode, extended
//! ACK; hex and capture input, lenient and strict), `NLMSG_ERROR` too short
//! for its echoed header, bytes the kernel skips (shown, and malformed),
//! `AF_INET` socket ids with garbage in the unused address words, and
//! length errors that read the right way round.

mod decode_common;
use decode_common::*;
#[path = "../codec/tests/hardening_bytes/mod.rs"]
mod hardening_bytes;
use hardening_bytes::*;

use std::path::{Path, PathBuf};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Run `decode` on hex (`mode` extra flags), returning exit code, JSON
/// lines and stderr.
fn json_hex(family: &str, bytes: &[u8], extra: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
    let h = hex(bytes);
    let mut args = vec!["decode", "--json", "--family", family];
    args.extend_from_slice(extra);
    args.extend(["--hex", h.as_str()]);
    let o = nlwire(&args);
    (code(&o), json_lines(&stdout(&o)), stderr(&o))
}

fn text_hex(family: &str, bytes: &[u8], extra: &[&str]) -> (i32, String, String) {
    let h = hex(bytes);
    let mut args = vec!["decode", "--family", family];
    args.extend_from_slice(extra);
    args.extend(["--hex", h.as_str()]);
    let o = nlwire(&args);
    (code(&o), stdout(&o), stderr(&o))
}

fn error_offsets(m: &serde_json::Value) -> Vec<u64> {
    m["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| e["offset"].as_u64().unwrap()).collect())
        .unwrap_or_default()
}

const MODES: [&[&str]; 2] = [&[], &["--strict"]];

// ---------------------------------------------------------------------------
// Item 4: offsets in the frame
// ---------------------------------------------------------------------------

#[test]
fn ulp_info_member_error_offset_is_in_the_frame() {
    let m = ulp_info_with_bad_member();
    for extra in MODES {
        let (c, l, e) = json_hex("sock_diag", &m, extra);
        assert_eq!(c, 1, "{extra:?} {e}");
        assert_eq!(error_offsets(&l[0]), [92], "{extra:?}");
        assert_eq!(
            e,
            "nlwire: offset 92: nla_len: length field smaller than its header (needed 4, present 2)\n",
            "{extra:?}"
        );
    }
    // In a capture the offset counts the 16-byte nlmon header too.
    let d = scratch("hardening-ulp");
    let mut f = nlmon(4);
    f.extend(&m);
    let p = write(
        &d,
        "ulp.pcap",
        &pcap(253, &[Rec::new(1, 0, f)], false, false),
    );
    for extra in MODES {
        let (c, l, e) = decode_file(&p, extra);
        assert_eq!(c, 1);
        assert_eq!(error_offsets(&l[0]), [108], "{extra:?}");
        assert!(e.contains("frame 1: offset 108: nla_len"), "{e}");
    }
}

#[test]
fn bytecode_error_offset_is_in_the_frame() {
    // inet_diag_req_v2 at 16, INET_DIAG_REQ_BYTECODE at 72, program at 76:
    // INET_DIAG_BC_JMP with `no` past the end.
    let mut p = vec![2, 6, 0, 0];
    p.extend_from_slice(&0xfffu32.to_ne_bytes());
    p.extend(sockid([0; 16]));
    p.extend(attr(1, &[1, 4, 100, 0], None));
    let m = msg(SOCK_DIAG_BY_FAMILY, 0x301, &p);
    for extra in MODES {
        let (c, l, e) = json_hex("sock_diag", &m, extra);
        assert_eq!(c, 1);
        assert_eq!(error_offsets(&l[0]), [76], "{extra:?}");
        assert!(
            e.starts_with("nlwire: offset 76: inet_diag_bc_op.no"),
            "{e}"
        );
    }
}

#[test]
fn ext_ack_error_offset_is_in_the_frame() {
    // Capped NLMSG_ERROR: the extended ACK starts at 36 with nla_len 2.
    let mut p = (-22i32).to_ne_bytes().to_vec();
    p.extend_from_slice(&msg(16, 5, &[0; 16])[..16]);
    p.extend_from_slice(&2u16.to_ne_bytes());
    p.extend_from_slice(&1u16.to_ne_bytes());
    let m = msg(2, 0x300, &p);
    for extra in MODES {
        let (c, l, e) = json_hex("route", &m, extra);
        assert_eq!(c, 1);
        assert_eq!(error_offsets(&l[0]), [36], "{extra:?}");
        assert_eq!(l[0]["nlmsgerr"]["error"]["value"], -22);
        assert!(e.contains("offset 36: nla_len"), "{e}");
    }
}

// ---------------------------------------------------------------------------
// Item 7: NLMSG_ERROR of 4 to 19 bytes
// ---------------------------------------------------------------------------

#[test]
fn short_nlmsgerr_shows_its_errno_and_is_malformed() {
    let m = msg(2, 0, &(-22i32).to_ne_bytes());
    for extra in MODES {
        let (c, out, e) = text_hex("route", &m, extra);
        assert_eq!(c, 1, "{extra:?}");
        assert!(
            out.contains("    nlmsgerr\n      error: -22 (EINVAL)\n"),
            "{out}"
        );
        assert_eq!(
            e,
            "nlwire: offset 16: nlmsgerr: truncated (needed 20, present 4)\n"
        );
        let (c, l, _) = json_hex("route", &m, extra);
        assert_eq!(c, 1);
        assert_eq!(l[0]["nlmsgerr"]["error"]["value"], -22);
        assert_eq!(l[0]["nlmsgerr"]["error"]["name"], "EINVAL");
        assert_eq!(error_offsets(&l[0]), [16]);
    }
    // Part of the echoed header: shown as bytes, nothing hidden.
    let mut p = (-1i32).to_ne_bytes().to_vec();
    p.extend_from_slice(&[0x20, 0, 0, 0, 0x10, 0]);
    let (c, l, _) = json_hex("route", &msg(2, 0, &p), &[]);
    assert_eq!(c, 1);
    assert_eq!(l[0]["nlmsgerr"]["error"]["name"], "EPERM");
    assert_eq!(l[0]["nlmsgerr"]["truncated"], "200000001000");
}

// ---------------------------------------------------------------------------
// Item 8: bytes the kernel skips are shown
// ---------------------------------------------------------------------------

#[test]
fn done_trailing_bytes_are_shown_and_malformed() {
    let mut p = 0i32.to_ne_bytes().to_vec();
    p.extend_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
    let m = msg(3, 2, &p);
    let (c, out, e) = text_hex("route", &m, &[]);
    assert_eq!(c, 1, "{e}");
    assert!(
        out.contains("    NLMSG_DONE\n      error: 0 (OK)\n      trailing: deadbeef\n"),
        "{out}"
    );
    // Lenient and strict report the same error.
    let want = "nlwire: offset 20: NLMSG_DONE: trailing bytes (needed 4, present 8)\n";
    assert_eq!(e, want);
    let (c, _, e) = text_hex("route", &m, &["--strict"]);
    assert_eq!((c, e.as_str()), (1, want));
    let (_, l, _) = json_hex("route", &m, &[]);
    assert_eq!(l[0]["NLMSG_DONE"]["trailing"], "deadbeef");
    assert_eq!(error_offsets(&l[0]), [20]);
}

#[test]
fn ack_trailing_bytes_are_shown_and_malformed() {
    let mut p = 0i32.to_ne_bytes().to_vec();
    p.extend(msg(18, 0x301, &[]));
    p.extend_from_slice(&[1, 2, 3, 4]);
    let m = msg(2, 0x100, &p); // NLM_F_CAPPED, no NLM_F_ACK_TLVS
    let (c, l, e) = json_hex("route", &m, &[]);
    assert_eq!(c, 1);
    assert_eq!(l[0]["nlmsgerr"]["trailing"], "01020304");
    assert_eq!(
        e,
        "nlwire: offset 36: nlmsgerr: trailing bytes (needed 20, present 24)\n"
    );
}

#[test]
fn stray_bytes_after_the_last_message_are_reported_in_both_modes() {
    let mut b = GETLINK.to_vec();
    b.extend_from_slice(&[1, 2, 3]);
    let (c, out, e) = text_hex("route", &b, &[]);
    assert_eq!(c, 1);
    assert!(out.contains("RTM_GETLINK"));
    assert_eq!(
        e,
        "nlwire: offset 20: 3 trailing bytes after the last message (shorter than nlmsghdr)\n"
    );
    let (c, _, e) = text_hex("route", &b, &["--strict"]);
    assert_eq!(c, 1);
    assert_eq!(
        e,
        "nlwire: offset 20: nlmsghdr: trailing bytes (needed 16, present 3)\n"
    );
}

// ---------------------------------------------------------------------------
// Item 10: AF_INET addresses with garbage in the unused words
// ---------------------------------------------------------------------------

#[test]
fn af_inet_address_with_garbage_words_reads_as_ipv4() {
    let mut src = [0u8; 16];
    src[..4].copy_from_slice(&[10, 0, 0, 1]);
    src[4..8].copy_from_slice(&[0xff; 4]);
    src[12..].copy_from_slice(&[0x12, 0x34, 0x56, 0x78]);
    let m = msg(SOCK_DIAG_BY_FAMILY, 2, &inet_diag_msg(src));
    let (c, out, e) = text_hex("sock_diag", &m, &[]);
    assert_eq!(c, 0, "{e}");
    assert!(
        out.contains(
            "        idiag_src: 10.0.0.1\n        idiag_src_extra: ffffffff0000000012345678\n        idiag_dst: 0.0.0.0\n"
        ),
        "{out}"
    );
    let (c, l, _) = json_hex("sock_diag", &m, &["--strict"]);
    assert_eq!(c, 0);
    let id = &l[0]["inet_diag_msg"]["id"];
    assert_eq!(id["idiag_src"], "10.0.0.1");
    assert_eq!(id["idiag_src_extra"], "ffffffff0000000012345678");
    assert!(id.get("idiag_dst_extra").is_none());
    // Zero unused words: no extra field.
    let (_, l, _) = json_hex(
        "sock_diag",
        &msg(SOCK_DIAG_BY_FAMILY, 2, &inet_diag_msg(V4_LOOPBACK)),
        &[],
    );
    let id = &l[0]["inet_diag_msg"]["id"];
    assert_eq!(id["idiag_src"], "127.0.0.1");
    assert!(id.get("idiag_src_extra").is_none(), "{id}");
}

// ---------------------------------------------------------------------------
// Item 14: length errors read the right way round
// ---------------------------------------------------------------------------

#[test]
fn nlmsg_len_0_reports_the_header_size_needed_and_the_length_present() {
    let mut b = GETLINK.to_vec();
    b[..4].copy_from_slice(&0u32.to_ne_bytes());
    let (c, _, e) = text_hex("route", &b, &[]);
    assert_eq!(c, 1);
    assert_eq!(
        e,
        "nlwire: offset 0: nlmsg_len: length field smaller than its header (needed 16, present 0)\n"
    );
    let mut b = GETLINK.to_vec();
    b[..4].copy_from_slice(&64u32.to_ne_bytes());
    let (_, _, e) = text_hex("route", &b, &[]);
    assert_eq!(
        e,
        "nlwire: offset 0: nlmsg_len: length field past the end of the buffer (needed 64, present 20)\n"
    );
}

// ---------------------------------------------------------------------------

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn decode_file(p: &Path, extra: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
    let mut args = vec!["decode", "--json"];
    args.extend_from_slice(extra);
    args.push(p.to_str().unwrap());
    let o = nlwire(&args);
    (code(&o), json_lines(&stdout(&o)), stderr(&o))
}
