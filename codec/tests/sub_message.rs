//! Sub-messages: `INET_DIAG_INFO` is `struct tcp_info`, `struct mptcp_info`
//! or `struct sctp_info` by the socket's protocol, which comes from the
//! request of the dump (the family's request context) or from a sibling
//! `INET_DIAG_PROTOCOL` attribute.

mod sock_diag_util;

use nlwire::decode::{decode, decode_in};
use nlwire::families::sock_diag::*;
use nlwire::netlink::{
    Attrs, Builder, Messages, Selectors, NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST,
};
use nlwire::registry::Registry;
use nlwire::value::SelectorValue;
use nlwire::Mode;
use sock_diag_util::*;

/// A reply: `inet_diag_msg` for AF_INET, then `attrs`.
fn reply(seq: u32, attrs: &[Vec<u8>]) -> Vec<u8> {
    let mut p = vec![0u8; 72];
    p[0] = AddressFamily::Inet.raw();
    p[1] = 1; // TCP_ESTABLISHED
    for a in attrs {
        p.extend_from_slice(a);
    }
    let mut b = Builder::new_vec();
    b.message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, seq, 0, |b| {
        b.put_bytes(&p)
    })
    .unwrap();
    b.into_vec()
}

/// 96 bytes of `struct mptcp_info` with `mptcpi_subflows` 3 and
/// `mptcpi_token` 0xabcd.
fn mptcp_info() -> Vec<u8> {
    let mut i = vec![0u8; 96];
    i[0] = 3;
    i[12..16].copy_from_slice(&0xabcdu32.to_ne_bytes());
    i
}

fn walk_lines(d: &nlwire::decode::Decoded<'_>) -> Vec<String> {
    lines(d)
}

#[test]
fn the_request_protocol_selects_mptcp_info_for_its_replies() {
    let req = inet_dump_request(9, IPPROTO_MPTCP);
    let rm = Messages::new(&req).next().unwrap().unwrap();
    let ctx = decode(4, rm, Mode::Strict).request_context();
    assert_eq!(
        ctx.get(PROTOCOL_SELECTOR),
        Some(SelectorValue::Int(u64::from(IPPROTO_MPTCP)))
    );

    let bytes = reply(9, &[attr(INET_DIAG_INFO, &mptcp_info())]);
    let m = Messages::new(&bytes).next().unwrap().unwrap();
    let l = walk_lines(&decode_in(&Registry::DEFAULT, 4, m, Mode::Strict, ctx));
    assert_line(&l, "INET_DIAG_INFO.mptcpi_subflows=3");
    assert_line(&l, &format!("INET_DIAG_INFO.mptcpi_token={}", 0xabcd));
    assert!(
        !l.iter().any(|x| x.starts_with("INET_DIAG_INFO.tcpi_")),
        "{l:?}"
    );

    // Without the request: read as tcp_info, the default.
    let l = walk_lines(&decode(4, m, Mode::Strict));
    assert!(
        l.iter().any(|x| x.starts_with("INET_DIAG_INFO.tcpi_")),
        "{l:?}"
    );
    assert!(!l.iter().any(|x| x.contains("mptcpi_")));
}

#[test]
fn a_sibling_inet_diag_protocol_selects_sctp_info_wherever_it_is() {
    let mut info = vec![0u8; 120];
    info[0..4].copy_from_slice(&0x1234_5678u32.to_ne_bytes()); // sctpi_tag
                                                               // INET_DIAG_PROTOCOL after INET_DIAG_INFO: the walk looks ahead.
    let bytes = reply(
        1,
        &[
            attr(INET_DIAG_INFO, &info),
            attr(INET_DIAG_PROTOCOL, &[IpProto::Sctp.raw(), 0, 0, 0][..1]),
        ],
    );
    let m = Messages::new(&bytes).next().unwrap().unwrap();
    let l = walk_lines(&decode(4, m, Mode::Lenient));
    assert_line(&l, &format!("INET_DIAG_INFO.sctpi_tag={}", 0x1234_5678));
    assert!(
        !l.iter().any(|x| x.starts_with("INET_DIAG_INFO.tcpi_")),
        "{l:?}"
    );
    // The attribute beats a request context that says otherwise.
    let ctx = Selectors::EMPTY.with(PROTOCOL_SELECTOR, 6);
    let l = walk_lines(&decode_in(&Registry::DEFAULT, 4, m, Mode::Lenient, ctx));
    assert_line(&l, &format!("INET_DIAG_INFO.sctpi_tag={}", 0x1234_5678));
}

#[test]
fn a_protocol_no_variant_takes_keeps_the_bytes() {
    let bytes = reply(
        1,
        &[
            attr(INET_DIAG_PROTOCOL, &[IpProto::Udp.raw()]),
            attr(INET_DIAG_INFO, &[1, 2, 3, 4]),
        ],
    );
    let m = Messages::new(&bytes).next().unwrap().unwrap();
    for mode in [Mode::Lenient, Mode::Strict] {
        let l = walk_lines(&decode(4, m, mode));
        assert_line(&l, "INET_DIAG_INFO=0x01020304");
    }
}

#[test]
fn the_typed_api_selects_by_value() {
    let info = mptcp_info();
    let a = attr(INET_DIAG_INFO, &info);
    let mut it = Attrs::<InetDiagAttr>::with(&a, 0, Mode::Strict);
    let Some(Ok(InetDiagAttr::Info(sub))) = it.next() else {
        panic!()
    };
    assert_eq!(sub.bytes(), &info[..]);
    match sub.select_int(u64::from(IPPROTO_MPTCP)).unwrap() {
        InetDiagInfo::Mptcp(v) => {
            assert_eq!(v.mptcpi_subflows(), Some(3));
            assert_eq!(v.mptcpi_token(), Some(0xabcd));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        sub.default_variant().unwrap(),
        InetDiagInfo::Tcp(_)
    ));
    assert!(matches!(
        sub.select_int(u64::from(IpProto::Dccp.raw())).unwrap(),
        InetDiagInfo::Tcp(_)
    ));
    assert!(matches!(
        sub.select_int(u64::from(IpProto::Sctp.raw())).unwrap(),
        InetDiagInfo::Sctp(_)
    ));
    assert_eq!(
        sub.select_int(17).unwrap(),
        InetDiagInfo::Unselected(&info[..])
    );
}

#[test]
fn the_request_context_is_empty_for_replies_and_other_families() {
    let bytes = reply(1, &[]);
    let m = Messages::new(&bytes).next().unwrap().unwrap();
    assert!(decode(4, m, Mode::Lenient).request_context().is_empty());
    // Without INET_DIAG_REQ_PROTOCOL, sdiag_protocol is the protocol.
    let req = InetDiagReqV2::dump(AddressFamily::Inet6, IpProto::Sctp, 0, TCPF_ALL);
    let mut b = Builder::new_vec();
    b.message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1, 0, |b| {
        InetRequest::write(b, &req, &[])
    })
    .unwrap();
    let bytes = b.into_vec();
    let m = Messages::new(&bytes).next().unwrap().unwrap();
    assert_eq!(
        decode(4, m, Mode::Strict)
            .request_context()
            .get(PROTOCOL_SELECTOR),
        Some(SelectorValue::Int(132))
    );
}

/// A value's bytes as a host of the other byte order writes them.
fn foreign<const N: usize>(native: [u8; N]) -> [u8; N] {
    let mut b = native;
    b.reverse();
    b
}

#[test]
fn a_foreign_order_sub_message_is_converted_as_its_selected_variant() {
    // An AF_INET reply from a host of the other order: INET_DIAG_PROTOCOL
    // = IPPROTO_SCTP, then INET_DIAG_INFO holding struct sctp_info whose
    // first field is the __u32 sctpi_tag. Read as tcp_info (bytes of u8
    // fields first) the tag would stay reversed.
    let mut info = vec![0u8; 120];
    info[0..4].copy_from_slice(&foreign(0x1234_5678u32.to_ne_bytes()));
    let mut p = vec![0u8; 72];
    p[0] = AddressFamily::Inet.raw();
    p.extend_from_slice(&foreign(5u16.to_ne_bytes()));
    p.extend_from_slice(&foreign(INET_DIAG_PROTOCOL.to_ne_bytes()));
    p.extend_from_slice(&[IpProto::Sctp.raw(), 0, 0, 0]);
    p.extend_from_slice(&foreign((4 + info.len() as u16).to_ne_bytes()));
    p.extend_from_slice(&foreign(INET_DIAG_INFO.to_ne_bytes()));
    p.extend_from_slice(&info);
    let mut m = Vec::new();
    m.extend_from_slice(&foreign((16 + p.len() as u32).to_ne_bytes()));
    m.extend_from_slice(&foreign(SOCK_DIAG_BY_FAMILY.to_ne_bytes()));
    m.extend_from_slice(&foreign(NLM_F_MULTI.to_ne_bytes()));
    m.extend_from_slice(&[0; 8]);
    m.extend_from_slice(&p);
    assert_eq!(
        nlwire::swap::detect_order(&m),
        nlwire::swap::ByteOrder::HOST.other()
    );
    nlwire::swap::swap_message(4, &mut m);
    let msg = Messages::new(&m).next().unwrap().unwrap();
    let l = walk_lines(&decode(4, msg, Mode::Strict));
    assert_line(&l, &format!("INET_DIAG_INFO.sctpi_tag={}", 0x1234_5678));
}

#[test]
fn a_foreign_order_reply_converts_as_its_request_selected() {
    // An MPTCP dump captured on a host of the other order: the reply has no
    // INET_DIAG_PROTOCOL, only its request says IPPROTO_MPTCP. Converted
    // without that context, INET_DIAG_INFO reads as struct tcp_info and the
    // __u64 mptcpi_write_seq at offset 16 (tcpi_snd_mss, tcpi_rcv_mss: two
    // __u32) comes out with its halves swapped.
    let seq_value = 0x0102_0304_0506_0708u64;
    let mut info = vec![0u8; 96];
    info[0] = 3; // mptcpi_subflows
    info[12..16].copy_from_slice(&foreign(0xabcdu32.to_ne_bytes()));
    info[16..24].copy_from_slice(&foreign(seq_value.to_ne_bytes()));
    let mut p = vec![0u8; 72];
    p[0] = AddressFamily::Inet.raw();
    p.extend_from_slice(&foreign((4 + info.len() as u16).to_ne_bytes()));
    p.extend_from_slice(&foreign(INET_DIAG_INFO.to_ne_bytes()));
    p.extend_from_slice(&info);
    let mut m = Vec::new();
    m.extend_from_slice(&foreign((16 + p.len() as u32).to_ne_bytes()));
    m.extend_from_slice(&foreign(SOCK_DIAG_BY_FAMILY.to_ne_bytes()));
    m.extend_from_slice(&foreign(NLM_F_MULTI.to_ne_bytes()));
    m.extend_from_slice(&foreign(9u32.to_ne_bytes())); // nlmsg_seq
    m.extend_from_slice(&[0; 4]);
    m.extend_from_slice(&p);

    // The request (in host order here) tells its replies the protocol.
    let req = inet_dump_request(9, IPPROTO_MPTCP);
    let r = Messages::new(&req).next().unwrap().unwrap();
    let ctx = decode(4, r, Mode::Strict).request_context();
    assert!(!ctx.is_empty());
    nlwire::swap::swap_message_in(&Registry::DEFAULT, None, 4, &mut m, &|seq| {
        if seq == 9 {
            ctx
        } else {
            Selectors::EMPTY
        }
    });
    let msg = Messages::new(&m).next().unwrap().unwrap();
    let l = walk_lines(&decode_in(&Registry::DEFAULT, 4, msg, Mode::Strict, ctx));
    assert_line(&l, &format!("INET_DIAG_INFO.mptcpi_token={}", 0xabcd));
    assert_line(&l, &format!("INET_DIAG_INFO.mptcpi_write_seq={seq_value}"));
}
