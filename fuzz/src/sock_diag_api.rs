//! The typed sock_diag API beyond parsing: accessors, request constructors,
//! state masks, `Display` of names and states, and `Message`'s lookup and
//! write helpers, each checked against the fields it reads or the bytes the
//! message was decoded from. Called on every message the `inet_diag`,
//! `unix_diag`, `decode` and `nlmon` targets decode.

use std::net::{IpAddr, SocketAddr};

use nlwire::families::sock_diag::{
    cookie_of, cookie_words, idiag_ext_bit, mask_has, state_mask, states_mask, AddressFamily,
    InetDiagAttrs, InetDiagReqV2, InetDiagSockId, IpProto, SockDiagMessage, UnixDiagAttr,
    UnixDiagReq, UnixName, INET_DIAG_NOCOOKIE,
};
use nlwire::netlink::{AttributeSet, Builder, Message};
use nlwire::wire::WireStruct;
use nlwire::Mode;

/// `find`, `attr_bytes`, `attrs_offset`, `clone`/`eq`, and `write` and
/// `emit_message` against `emit`.
fn message_api<'a, H, A>(m: &Message<'a, H, A>, header_size: usize)
where
    H: WireStruct + PartialEq,
    A: AttributeSet<'a> + core::fmt::Debug + PartialEq,
{
    let c = *m;
    assert!(c == *m);
    assert!(m.attrs_offset() >= header_size);
    let all: Vec<_> = m.attrs().collect();
    for k in [0u16, 1, 2, 5, 8, 13] {
        let want = all.iter().find(|a| !matches!(a, Ok(x) if x.kind() != k));
        let got = m.find(k);
        assert_eq!(got.is_some(), want.is_some(), "find({k})");
        if let (Some(Ok(g)), Some(Ok(w))) = (&got, want) {
            assert_eq!(g, w, "find({k})");
        }
    }
    let _ = m.attr_bytes();
    let mut b = Builder::new_vec();
    let Ok(()) = m.emit(&mut b) else { return };
    let emitted = b.into_vec();
    let Ok(attrs) = all.into_iter().collect::<Result<Vec<A>, _>>() else {
        panic!("emit succeeded with an attribute that does not decode");
    };
    let mut w = Builder::new_vec();
    Message::<H, A>::write(&mut w, m.header, &attrs).expect("write what emit wrote");
    assert_eq!(w.into_vec(), emitted, "Message::write and emit differ");
    let mut em = Builder::new_vec();
    m.emit_message(&mut em, 20, 0x302, 7, 9)
        .expect("emit_message");
    let mut by_hand = Builder::new_vec();
    by_hand
        .message(20, 0x302, 7, 9, |b| b.put_bytes(&emitted))
        .expect("message");
    assert_eq!(em.as_bytes(), by_hand.as_bytes(), "emit_message");
    assert_eq!(em.as_bytes().len(), em.len());
}

fn sock_id(id: &InetDiagSockId, family: u8) {
    let _ = (id.src_v4(), id.dst_v4(), id.src_v6(), id.dst_v6());
    let fam = AddressFamily::from(family);
    let (src, dst) = (id.src(family), id.dst(family));
    assert_eq!(
        src.is_some(),
        matches!(fam, AddressFamily::Inet | AddressFamily::Inet6)
    );
    let mut walk = super::CheckVisitor::new(usize::MAX / 64);
    id.walk_in(family, &mut walk);
    walk.finish();
    let (Some(src), Some(dst)) = (src, dst) else {
        return;
    };
    match src {
        IpAddr::V4(a) => assert_eq!(a, id.src_v4()),
        IpAddr::V6(a) => assert_eq!(a, id.src_v6()),
    }
    let rebuilt = InetDiagSockId::new(
        SocketAddr::new(src, id.sport()),
        SocketAddr::new(dst, id.dport()),
        id.ifindex(),
        id.cookie(),
    );
    assert_eq!(rebuilt.src(family), Some(src));
    assert_eq!(rebuilt.dst(family), Some(dst));
    assert_eq!(
        (
            rebuilt.sport(),
            rebuilt.dport(),
            rebuilt.ifindex(),
            rebuilt.cookie()
        ),
        (id.sport(), id.dport(), id.ifindex(), id.cookie())
    );
    if matches!(fam, AddressFamily::Inet6) {
        assert_eq!(&rebuilt, id, "an AF_INET6 identity rebuilt from its parts");
    }
    let mut z = InetDiagSockId::zeroed();
    z.set_src(src);
    z.set_dst(dst);
    assert_eq!((z.src(family), z.dst(family)), (Some(src), Some(dst)));
}

fn tcp_state(raw: u8) {
    let s = nlwire::families::sock_diag::TcpState::from(raw);
    assert_eq!(s.mask(), state_mask(raw));
    assert_eq!(state_mask(raw), if raw < 32 { 1 << raw } else { 0 });
    assert_eq!(states_mask(&[s, s]), s.mask());
    assert_eq!(mask_has(s.mask(), s), raw < 32);
    assert!(!s.to_string().is_empty());
}

/// `InetDiagAttrs` (the struct form of a reply's attributes) on the
/// reply's attribute bytes: strict success implies lenient success, and the
/// two emit the same bytes (the values differ only in the mode lazy nests
/// keep); what strict accepts emits to bytes that decode strictly to the
/// same struct and emit again unchanged.
fn inet_attrs_struct(bytes: &[u8]) {
    let emit = |a: &InetDiagAttrs<'_>| {
        let mut b = Builder::new_vec();
        a.emit(&mut b).expect("emit what parse accepted");
        b.into_vec()
    };
    let Ok(s) = InetDiagAttrs::parse(bytes, Mode::Strict) else {
        return;
    };
    let Ok(l) = InetDiagAttrs::parse(bytes, Mode::Lenient) else {
        panic!("InetDiagAttrs: strict accepted what lenient refused");
    };
    let emitted = emit(&s);
    assert_eq!(emit(&l), emitted, "strict and lenient structs emit alike");
    let again = InetDiagAttrs::parse(&emitted, Mode::Strict).expect("re-parse the emitted struct");
    assert_eq!(again, s, "InetDiagAttrs round trip");
    assert_eq!(emit(&again), emitted, "InetDiagAttrs re-emits unchanged");
}

/// Check one decoded sock_diag message.
pub fn check(d: &SockDiagMessage<'_>) {
    match d {
        SockDiagMessage::InetResponse(r) => {
            let h = r.header;
            message_api(r, 72);
            sock_id(&h.id, h.idiag_family);
            assert_eq!(h.family(), AddressFamily::from(h.idiag_family));
            tcp_state(h.idiag_state);
            assert_eq!(h.state().raw(), h.idiag_state);
            assert!(!h.timer().to_string().is_empty());
            assert!(!h.family().to_string().is_empty());
            assert_eq!(
                h.local(),
                h.id.src(h.idiag_family)
                    .map(|a| SocketAddr::new(a, h.id.sport()))
            );
            assert_eq!(
                h.remote(),
                h.id.dst(h.idiag_family)
                    .map(|a| SocketAddr::new(a, h.id.dport()))
            );
            inet_attrs_struct(r.attr_bytes());
            for a in r.attrs().flatten() {
                let k = a.kind();
                let bit = idiag_ext_bit(k);
                assert_eq!(
                    bit,
                    if (1..=8).contains(&k) {
                        1 << (k - 1)
                    } else {
                        0
                    }
                );
            }
        }
        SockDiagMessage::InetRequest(r) => {
            let h = r.header;
            message_api(r, 56);
            sock_id(&h.id, h.sdiag_family);
            let dump = InetDiagReqV2::dump(
                AddressFamily::from(h.sdiag_family),
                IpProto::from(h.sdiag_protocol),
                h.idiag_ext,
                h.idiag_states.get(),
            );
            assert_eq!(
                (
                    dump.sdiag_family,
                    dump.sdiag_protocol,
                    dump.idiag_ext,
                    dump.idiag_states
                ),
                (
                    h.sdiag_family,
                    h.sdiag_protocol,
                    h.idiag_ext,
                    h.idiag_states
                )
            );
            assert_eq!(dump.id, InetDiagSockId::zeroed());
            for s in 0..=12u8 {
                if h.idiag_states.get() & (1 << s) != 0 {
                    tcp_state(s);
                }
            }
        }
        SockDiagMessage::InetRequestV1(r) => {
            message_api(r, 60);
            sock_id(&r.header.id, r.header.idiag_family);
        }
        SockDiagMessage::UnixRequest(r) => {
            let h = r.header;
            message_api(r, 24);
            let ino = h.udiag_ino.get();
            let show = h.udiag_show.get();
            let cookie = cookie_of(&h.udiag_cookie);
            let e = UnixDiagReq::exact(ino, Some(cookie), show);
            assert_eq!((e.udiag_ino, e.udiag_show), (h.udiag_ino, h.udiag_show));
            assert_eq!(e.udiag_cookie, h.udiag_cookie);
            assert_eq!(cookie_words(cookie), h.udiag_cookie);
            let n = UnixDiagReq::exact(ino, None, show);
            assert_eq!(
                cookie_of(&n.udiag_cookie),
                u64::from(INET_DIAG_NOCOOKIE) << 32 | u64::from(INET_DIAG_NOCOOKIE)
            );
            let dump = UnixDiagReq::dump(h.udiag_states.get(), show);
            assert_eq!(dump.udiag_states, h.udiag_states);
            assert_eq!(dump.udiag_ino.get(), 0);
        }
        SockDiagMessage::UnixResponse(r) => {
            let h = r.header;
            message_api(r, 16);
            assert_eq!(h.cookie(), cookie_of(&h.udiag_cookie));
            assert_eq!(h.state().raw(), h.udiag_state);
            assert_eq!(h.state().mask(), state_mask(h.udiag_state));
            assert!(!h.sock_type().to_string().is_empty());
            assert!(!h.state().to_string().is_empty());
            for a in r.attrs().flatten() {
                if let UnixDiagAttr::Name(p) = a {
                    let name = p.name();
                    let shown = name.to_string();
                    match name {
                        UnixName::Unnamed => assert_eq!(shown, "*"),
                        UnixName::Abstract(_) => assert!(shown.starts_with('@')),
                        UnixName::Pathname(b) => {
                            if b.iter().all(|c| c.is_ascii_graphic()) {
                                assert_eq!(shown.as_bytes(), b);
                            }
                        }
                    }
                }
            }
        }
        _ => {}
    }
}
