//! `nlwire decode --hex`: header fields by kernel name, errors and ACKs,
//! attributes, byte order, and how malformed input is reported.

mod decode_common;
use decode_common::*;

const NETLINK_SYS: &str = "14 00 00 00 12 00 01 03 fd fe 38 5c 00 00 00 00 00 00 00 00";

#[test]
fn netlink_sys_example_text() {
    let o = nlwire(&["decode", "--hex", NETLINK_SYS]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    for want in [
        "Input: 20 bytes, NETLINK_ROUTE (0), little-endian",
        "Message 1 at offset 0: RTM_GETLINK (18), request",
        "nlmsg_len: 20",
        "nlmsg_type: 18 (RTM_GETLINK)",
        "nlmsg_flags: 0x0301 (NLM_F_REQUEST|NLM_F_DUMP)",
        "nlmsg_seq: 1547239165", // 0x5c38fefd
        "nlmsg_pid: 0",
        "rtgenmsg",
        "rtgen_family: 0",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    assert!(stderr(&o).is_empty());
}

#[test]
fn netlink_sys_example_json() {
    let o = nlwire(&["decode", "--json", "--hex", NETLINK_SYS]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let lines = json_lines(&stdout(&o));
    assert_eq!(lines.len(), 1);
    let m = &lines[0];
    assert_eq!(m["direction"], "request");
    assert_eq!(m["family"]["value"], 0);
    assert_eq!(m["family"]["name"], "NETLINK_ROUTE");
    assert_eq!(m["message"], 1);
    assert_eq!(m["offset"], 0);
    let h = &m["nlmsghdr"];
    assert_eq!(h["nlmsg_len"], 20);
    assert_eq!(h["nlmsg_type"]["value"], 18);
    assert_eq!(h["nlmsg_type"]["name"], "RTM_GETLINK");
    assert_eq!(h["nlmsg_flags"]["value"], 0x0301);
    assert_eq!(
        h["nlmsg_flags"]["names"],
        serde_json::json!(["NLM_F_REQUEST", "NLM_F_DUMP"])
    );
    assert_eq!(h["nlmsg_seq"], 0x5c38_fefd);
    assert_eq!(h["nlmsg_pid"], 0);
    assert!(m.get("frame").is_none() && m.get("time").is_none());
}

#[test]
fn hex_spellings_and_family_names() {
    for (hex, fam) in [
        (
            "14:00:00:00:12:00:01:03:fd:fe:38:5c:00:00:00:00:00:00:00:00",
            "route",
        ),
        ("0x14000000120001 03fdfe385c0000000000000000", "0"),
        (
            "0x14 0x00 0x00 0x00 0x12 0x00 0x01 0x03 0xfd 0xfe 0x38 0x5c 0 0 0 0 0 0 0 0",
            "NETLINK_ROUTE",
        ),
    ] {
        let o = nlwire(&["decode", "--family", fam, "--hex", hex]);
        assert_eq!(code(&o), 0, "{hex}: {}", stderr(&o));
        assert!(stdout(&o).contains("RTM_GETLINK (18)"), "{hex}");
    }
    // The same bytes read as sock_diag: type 18 is TCPDIAG_GETSOCK there,
    // not RTM_GETLINK.
    let o = nlwire(&["decode", "--family", "sock_diag", "--hex", NETLINK_SYS]);
    assert!(stdout(&o).contains("NETLINK_SOCK_DIAG (4)"));
    assert!(!stdout(&o).contains("RTM_GETLINK"));
}

#[test]
fn bad_hex_and_bad_family_are_usage_errors() {
    let o = nlwire(&["decode", "--hex", "14 0g"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("invalid hex character 'g' at position 4"),
        "{}",
        stderr(&o)
    );
    let o = nlwire(&["decode", "--hex", "140"]);
    assert_eq!(code(&o), 2);
    let o = nlwire(&["decode", "--family", "nosuch", "--hex", NETLINK_SYS]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("unknown netlink family"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn nlmsg_len_past_the_end_is_malformed_with_offset() {
    // A good message, then one claiming 64 bytes in 20.
    let mut b = GETLINK.to_vec();
    let mut bad = GETLINK.to_vec();
    bad[0] = 64;
    b.extend_from_slice(&bad);
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    let o = nlwire(&["decode", "--hex", &hex]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(
        err.contains(
            "offset 20: nlmsg_len: length field past the end of the buffer (needed 64, present 20)"
        ),
        "{err}"
    );
    // The good message was still printed.
    assert!(stdout(&o).contains("Message 1 at offset 0: RTM_GETLINK"));
    assert!(stdout(&o).contains("! malformed at offset 20"));
}

#[test]
fn nlmsg_len_below_header_and_trailing_bytes() {
    let mut b = GETLINK.to_vec();
    b[0] = 8;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    let o = nlwire(&["decode", "--hex", &hex]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("offset 0: nlmsg_len: length field smaller than its header"));

    let mut b = GETLINK.to_vec();
    b.extend_from_slice(&[1, 2, 3]);
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    let o = nlwire(&["decode", "--hex", &hex]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("offset 20: 3 trailing bytes"),
        "{}",
        stderr(&o)
    );
}

/// NLMSG_ERROR -EINVAL answering an RTM_NEWLINK, with extended ACK: the
/// message, the offset and the policy, as a 6.x kernel sends them.
const ERROR_EXT_ACK: &str = "\
    5c 00 00 00 02 00 00 03 02 00 00 00 21 09 00 00 \
    ea ff ff ff 20 00 00 00 10 00 05 00 02 00 00 00 00 00 00 00 \
    1c 00 01 00 41 74 74 72 69 62 75 74 65 20 66 61 69 6c 65 64 20 70 6f 6c 69 63 79 00 \
    08 00 02 00 20 00 00 00 \
    14 00 04 80 08 00 07 00 0f 00 00 00 08 00 01 00 0b 00 00 00";

#[test]
fn error_with_extended_ack() {
    let o = nlwire(&["decode", "--hex", ERROR_EXT_ACK]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    for want in [
        "NLMSG_ERROR (2), response",
        "nlmsg_flags: 0x0300 (NLM_F_CAPPED|NLM_F_ACK_TLVS)",
        "error: -22 (EINVAL)",
        "nlmsg_type: 16",
        "NLMSGERR_ATTR_MSG: \"Attribute failed policy\"",
        "NLMSGERR_ATTR_OFFS: 32",
        "NLMSGERR_ATTR_POLICY",
        "NL_POLICY_TYPE_ATTR_MAX_LENGTH: 15",
        "NL_POLICY_TYPE_ATTR_TYPE: 11 (NL_ATTR_TYPE_STRING)",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    let o = nlwire(&["decode", "--json", "--hex", ERROR_EXT_ACK]);
    let m = &json_lines(&stdout(&o))[0];
    assert_eq!(m["nlmsgerr"]["error"]["value"], -22);
    assert_eq!(m["nlmsgerr"]["error"]["name"], "EINVAL");
    assert_eq!(m["nlmsgerr"]["msg"]["nlmsg_len"], 32);
    let ack = &m["nlmsgerr"]["ext_ack"];
    assert_eq!(ack["NLMSGERR_ATTR_MSG"], "Attribute failed policy");
    assert_eq!(ack["NLMSGERR_ATTR_OFFS"], 32);
    assert_eq!(
        ack["NLMSGERR_ATTR_POLICY"]["NL_POLICY_TYPE_ATTR_MAX_LENGTH"],
        15
    );
    // `enum netlink_attribute_type` by its kernel name.
    let t = &ack["NLMSGERR_ATTR_POLICY"]["NL_POLICY_TYPE_ATTR_TYPE"];
    assert_eq!(t["value"], 11, "{t}");
    assert_eq!(t["name"], "NL_ATTR_TYPE_STRING", "{t}");
}

#[test]
fn ack_and_done() {
    // ACK (error 0, capped) then NLMSG_DONE with int 0.
    let hex = "24 00 00 00 02 00 00 01 05 00 00 00 00 00 00 00 \
               00 00 00 00 14 00 00 00 12 00 05 00 05 00 00 00 00 00 00 00 \
               14 00 00 00 03 00 02 00 05 00 00 00 00 00 00 00 00 00 00 00";
    let o = nlwire(&["decode", "--json", "--hex", hex]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let l = json_lines(&stdout(&o));
    assert_eq!(l.len(), 2);
    assert_eq!(l[0]["nlmsgerr"]["error"]["value"], 0);
    assert_eq!(l[0]["nlmsgerr"]["error"]["name"], "OK");
    assert_eq!(l[0]["offset"], 0);
    assert_eq!(l[1]["NLMSG_DONE"]["error"]["value"], 0);
    assert_eq!(l[1]["offset"], 36);
    assert_eq!(l[1]["message"], 2);
}

#[test]
fn big_endian_bytes_are_detected_and_can_be_forced() {
    // The netlink-sys request as a big-endian host writes it.
    let be = "00 00 00 14 00 12 03 01 5c 38 fe fd 00 00 00 00 00 00 00 00";
    let o = nlwire(&["decode", "--json", "--hex", be]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let m = &json_lines(&stdout(&o))[0];
    assert_eq!(m["byte_order"], "big");
    assert_eq!(m["nlmsghdr"]["nlmsg_type"]["name"], "RTM_GETLINK");
    assert_eq!(m["nlmsghdr"]["nlmsg_seq"], 0x5c38_fefd);
    assert_eq!(m["nlmsghdr"]["nlmsg_flags"]["value"], 0x0301);

    let o = nlwire(&["decode", "--json", "--byte-order", "big", "--hex", be]);
    assert_eq!(
        json_lines(&stdout(&o))[0]["nlmsghdr"]["nlmsg_seq"],
        0x5c38_fefd
    );

    // Forcing the wrong order makes nlmsg_len unreadable: malformed.
    let o = nlwire(&["decode", "--byte-order", "little", "--hex", be]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("offset 0: nlmsg_len"), "{}", stderr(&o));
}

#[test]
fn hex_from_stdin() {
    use std::io::Write;
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_nlwire"))
        .args(["decode", "--hex", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin
        .take()
        .unwrap()
        .write_all(NETLINK_SYS.as_bytes())
        .unwrap();
    let o = c.wait_with_output().unwrap();
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("RTM_GETLINK"));
}
