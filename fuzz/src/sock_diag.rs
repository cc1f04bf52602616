//! sock_diag (the `inet_diag`, `unix_diag` and `tcp_info` targets).

#[allow(unused_imports)]
use super::*;

/// Wrap `payload` in one message of `nlmsg_type` and `nlmsg_flags`.
pub(crate) fn one_message(nlmsg_type: u16, nlmsg_flags: u16, payload: &[u8]) -> Vec<u8> {
    let mut b = Builder::new_vec();
    b.message(nlmsg_type, nlmsg_flags, 0x5c38_fefd, 4242, |b| {
        b.put_bytes(payload)
    })
    .expect("one message");
    b.into_vec()
}

/// Decode every message of a `NETLINK_SOCK_DIAG` buffer through the
/// registry's entry ([`family_check`]: both modes, walks, re-emit, byte
/// order), and check the typed API of what decodes ([`sock_diag_api`]).
pub fn sock_diag_check(bytes: &[u8]) {
    use nlwire::families::sock_diag::decode;
    let entry = nlwire::registry::Registry::DEFAULT
        .find(nlwire::family::NETLINK_SOCK_DIAG)
        .expect("sock_diag is registered");
    for m in checked_messages(bytes, Mode::Lenient) {
        family_check(entry, &m, bytes.len());
        for mode in [Mode::Lenient, Mode::Strict] {
            if let Ok(d) = decode(&m, mode) {
                let _ = (d.family(), d.is_request());
                sock_diag_api::check(&d);
            }
        }
    }
}

/// inet_diag: byte 0 picks the direction (bit 0: `NLM_F_REQUEST`) and type
/// (bits 1-2: `SOCK_DIAG_BY_FAMILY`, `SOCK_DESTROY`, `TCPDIAG_GETSOCK`,
/// `DCCPDIAG_GETSOCK`), byte 1 the family (bit 0: `AF_INET6`, else
/// `AF_INET`); the rest is the payload (`inet_diag_req_v2`/`inet_diag_req`
/// or `inet_diag_msg`, then attributes; its first byte is set to the family).
pub fn target_inet_diag(data: &[u8]) {
    if data.len() < 2 {
        return;
    }
    let flags = if data[0] & 1 != 0 {
        nlwire::netlink::NLM_F_REQUEST
    } else {
        0
    } | (u16::from(data[0] & 0xf0) << 4);
    let ty = [20u16, 21, 18, 19][usize::from((data[0] >> 1) & 3)];
    let family = if data[1] & 1 != 0 { 10u8 } else { 2 };
    let mut payload = data[2..].to_vec();
    if let Some(f) = payload.first_mut() {
        *f = family;
    }
    sock_diag_check(&one_message(ty, flags, &payload));
}

/// unix_diag: byte 0 bit 0 is `NLM_F_REQUEST`; the rest is the payload
/// (`unix_diag_req` or `unix_diag_msg` and `UNIX_DIAG_*`), family `AF_UNIX`.
pub fn target_unix_diag(data: &[u8]) {
    if data.is_empty() {
        return;
    }
    let flags = if data[0] & 1 != 0 {
        nlwire::netlink::NLM_F_REQUEST
    } else {
        0
    } | (u16::from(data[0] & 0xf0) << 4);
    let mut payload = data[1..].to_vec();
    if let Some(f) = payload.first_mut() {
        *f = 1;
    }
    sock_diag_check(&one_message(20, flags, &payload));
}

/// `struct tcp_info` (and `sk_meminfo`) of any length: the extensible view's
/// accessors, walk, `to_full`, `extra`, and foreign-order swapping.
pub fn target_tcp_info(data: &[u8]) {
    use nlwire::families::sock_diag::{SkMeminfo, SkMeminfoView, TcpInfo, TcpInfoView};
    use nlwire::payload::Payload;
    let v = TcpInfoView::new(data);
    assert_eq!(v.len(), data.len());
    let full = v.to_full();
    let n = data.len().min(TcpInfo::SIZE);
    assert_eq!(&full.as_bytes()[..n], &data[..n]);
    assert!(
        full.as_bytes()[n..].iter().all(|&b| b == 0),
        "to_full did not zero-fill"
    );
    assert_eq!(v.extra(), data.get(TcpInfo::SIZE..).unwrap_or_default());
    assert_eq!(v.tcpi_state(), data.first().copied());
    let _ = (
        v.state(),
        v.ca_state(),
        v.tcpi_snd_wscale(),
        v.tcpi_ecn_mode(),
        v.tcpi_rcv_wnd(),
    );
    for f in TcpInfo::FIELDS {
        assert!(f.offset + f.size <= TcpInfo::SIZE);
    }
    let mut c = CheckVisitor::new(data.len());
    v.walk(&mut c);
    c.finish();
    let p = <TcpInfoView as Payload>::parse(data, Mode::Strict).expect("any length is a tcp_info");
    let mut out = vec![0xa5; p.len()];
    p.write(&mut out);
    assert_eq!(out, data);
    let mut swapped = data.to_vec();
    <TcpInfoView as Payload>::swap_order(&mut swapped);
    <TcpInfoView as Payload>::swap_order(&mut swapped);
    // Swapping twice gives every byte back except the bit-field units, whose
    // move between the two hosts' GCC layouts is one-way.
    let in_bit_unit = |i: usize| {
        TcpInfo::FIELDS
            .iter()
            .any(|f| !f.bits.is_empty() && i >= f.offset && i < f.offset + f.size)
    };
    for (i, (a, b)) in swapped.iter().zip(data).enumerate() {
        assert!(
            in_bit_unit(i) || a == b,
            "swapping tcp_info twice changed byte {i}"
        );
    }
    let m = SkMeminfoView::new(data);
    let mut c = CheckVisitor::new(data.len());
    m.walk(&mut c);
    c.finish();
    let full = m.to_full();
    let n = data.len().min(SkMeminfo::SIZE);
    assert_eq!(&full.as_bytes()[..n], &data[..n]);
}
