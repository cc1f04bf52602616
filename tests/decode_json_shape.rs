//! The shape of `--json` objects as docs/json-schema.md documents it: the
//! top-level `"family"` stays the netlink family object; repeated keys
//! become one array wherever they occur; decode errors are printed by both
//! printers.

mod decode_common;
use decode_common::*;

/// An `SOCK_DIAG_BY_FAMILY` reply whose payload starts with address family
/// `af` (a family sock_diag has no declarations for in the codec).
fn other_family_reply(af: u8) -> String {
    let mut m = Vec::new();
    m.extend_from_slice(&28u32.to_ne_bytes());
    m.extend_from_slice(&20u16.to_ne_bytes());
    m.extend_from_slice(&0u16.to_ne_bytes());
    m.extend_from_slice(&[0; 8]);
    m.extend_from_slice(&[af, 0, 0, 0, 4, 0, 5, 0, 4, 0, 5, 0]);
    m.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn sock_diag_reply_of_an_undeclared_family_keeps_family_an_object() {
    for (af, name) in [(0u8, "AF_UNSPEC"), (44, "AF_XDP")] {
        let hex = other_family_reply(af);
        let o = nlwire(&["decode", "--json", "--family", "sock_diag", "--hex", &hex]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let l = json_lines(&stdout(&o));
        assert_eq!(l.len(), 1);
        let m = &l[0];
        assert!(m["family"].is_object(), "{m}");
        assert_eq!(m["family"]["value"], 4);
        assert_eq!(m["family"]["name"], "NETLINK_SOCK_DIAG");
        assert_eq!(m["sdiag_family"]["value"], af);
        assert_eq!(m["sdiag_family"]["name"], name);
        assert_eq!(m["payload"], "0000000400050004000500");
        // The text tree uses the same kernel name (`struct sock_diag_req`).
        let o = nlwire(&["decode", "--family", "sock_diag", "--hex", &hex]);
        assert!(stdout(&o).contains(&format!("    sdiag_family: {af} ({name})")));
    }
}

/// `inet_diag_msg` reply with attributes `(nla_type, payload)`.
fn inet_reply(attrs: &[(u16, &[u8])]) -> String {
    let mut body = vec![0u8; 72];
    body[0] = 2;
    body[1] = 1;
    for (kind, p) in attrs {
        body.extend_from_slice(&(4 + p.len() as u16).to_ne_bytes());
        body.extend_from_slice(&kind.to_ne_bytes());
        body.extend_from_slice(p);
        while body.len() % 4 != 0 {
            body.push(0);
        }
    }
    let mut m = Vec::new();
    m.extend_from_slice(&(16 + body.len() as u32).to_ne_bytes());
    m.extend_from_slice(&20u16.to_ne_bytes());
    m.extend_from_slice(&2u16.to_ne_bytes());
    m.extend_from_slice(&[0; 8]);
    m.extend_from_slice(&body);
    m.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn a_key_repeated_after_other_keys_is_one_array_in_order() {
    // UNKNOWN, INET_DIAG_CONG (4), UNKNOWN, INET_DIAG_TOS (5), UNKNOWN.
    let hex = inet_reply(&[(40, &[1]), (4, b"bbr\0"), (41, &[2]), (5, &[7]), (42, &[3])]);
    let o = nlwire(&["decode", "--json", "--family", "sock_diag", "--hex", &hex]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let line = stdout(&o);
    let l = json_lines(&line);
    let u = l[0]["UNKNOWN"].as_array().expect("an array");
    let kinds: Vec<u64> = u.iter().map(|x| x["nla_type"].as_u64().unwrap()).collect();
    assert_eq!(kinds, [40, 41, 42]);
    assert_eq!(l[0]["INET_DIAG_CONG"], "bbr");
    assert_eq!(l[0]["INET_DIAG_TOS"], 7);
    // At the place of its first occurrence, the others after it.
    let (a, b, c) = (
        line.find("\"UNKNOWN\"").unwrap(),
        line.find("\"INET_DIAG_CONG\"").unwrap(),
        line.find("\"INET_DIAG_TOS\"").unwrap(),
    );
    assert!(a < b && b < c, "{line}");
}

#[test]
fn decode_errors_are_printed_by_text_and_json() {
    // INET_DIAG_MEMINFO (1) with an empty payload: truncated.
    let hex = inet_reply(&[(1, &[]), (40, &[])]);
    let o = nlwire(&["decode", "--json", "--family", "sock_diag", "--hex", &hex]);
    assert_eq!(code(&o), 1);
    let l = json_lines(&stdout(&o));
    let errors = l[0]["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["offset"], 92); // the payload of the attribute at 88
    assert!(errors[0]["reason"]
        .as_str()
        .unwrap()
        .contains("inet_diag_meminfo: truncated"));
    assert!(stderr(&o).contains("offset 92: inet_diag_meminfo: truncated"));
    let o = nlwire(&["decode", "--family", "sock_diag", "--hex", &hex]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("! malformed at offset 92: inet_diag_meminfo: truncated"));
}
