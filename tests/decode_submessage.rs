//! `nlwire decode` reads a dump's replies with what its request said:
//! `INET_DIAG_INFO` of an `IPPROTO_MPTCP` dump is `struct mptcp_info`.

mod decode_common;
use decode_common::*;

use nlwire::families::sock_diag::*;
use nlwire::netlink::{Builder, NLM_F_MULTI};

/// An MPTCP dump request (seq `req_seq`) and one reply (seq `reply_seq`)
/// carrying 96 bytes of `struct mptcp_info`, as hex.
fn exchange(req_seq: u32, reply_seq: u32) -> String {
    let mut b = Builder::new_vec();
    mptcp_dump_request(&mut b, req_seq);
    let mut p = vec![0u8; 72];
    p[0] = AddressFamily::Inet.raw();
    p[1] = 1;
    let mut info = vec![0u8; 96];
    info[12..16].copy_from_slice(&0xabcdu32.to_ne_bytes());
    p.extend_from_slice(&(4 + 96u16).to_ne_bytes());
    p.extend_from_slice(&INET_DIAG_INFO.to_ne_bytes());
    p.extend_from_slice(&info);
    b.message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, reply_seq, 77, |b| {
        b.put_bytes(&p)
    })
    .unwrap();
    b.into_vec().iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn replies_of_an_mptcp_dump_show_mptcp_info() {
    let hex = exchange(5, 5);
    let o = nlwire(&["decode", "--family", "sock_diag", "--strict", "--hex", &hex]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("mptcpi_token: 43981"), "{out}");
    assert!(!out.contains("tcpi_rtt"), "{out}");
    let o = nlwire(&["decode", "--json", "--family", "sock_diag", "--hex", &hex]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let l = json_lines(&stdout(&o));
    assert_eq!(l[1]["INET_DIAG_INFO"]["mptcpi_token"], 0xabcd);
}

#[test]
fn a_reply_of_another_sequence_number_is_read_as_tcp_info() {
    let hex = exchange(5, 6);
    let o = nlwire(&["decode", "--family", "sock_diag", "--hex", &hex]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("tcpi_rtt"), "{out}");
    assert!(!out.contains("mptcpi_token"), "{out}");
}
