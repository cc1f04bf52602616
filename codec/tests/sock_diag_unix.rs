//! unix_diag on byte arrays (`<linux/unix_diag.h>`): request, reply, every
//! `UNIX_DIAG_*` attribute (the name is kind 0), the typed name with `ss`
//! display, and the dispatcher.
#![cfg(target_endian = "little")]

mod sock_diag_util;

use nlwire::families::sock_diag::*;
use nlwire::netlink::{
    AttributeSet, Attrs, Builder, Messages, NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST,
};
use nlwire::payload::Array;
use nlwire::wire::WireStruct;
use nlwire::{ErrorKind, Mode};
use sock_diag_util::*;

fn u32s(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_ne_bytes()).collect()
}

/// `struct unix_diag_req`: dump everything with ss's attributes.
const REQ: [u8; 24] = [
    0x01, 0x00, 0x00, 0x00, // AF_UNIX, protocol 0, pad
    0x82, 0x04, 0x00, 0x00, // ESTABLISHED | CLOSE | LISTEN
    0x00, 0x00, 0x00, 0x00, // ino
    0x7f, 0x00, 0x00, 0x00, // every UDIAG_SHOW_* bit
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // cookie
];

/// `struct unix_diag_msg`: a listening SOCK_SEQPACKET socket.
const MSG: [u8; 16] = [
    0x01, 0x05, 0x0a, 0x00, // AF_UNIX, SOCK_SEQPACKET, TCP_LISTEN, pad
    0x39, 0x30, 0x00, 0x00, // ino 12345
    0x01, 0x02, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, // cookie 0x3_00000201
];

#[test]
fn unix_diag_req_from_bytes() {
    let (r, _) = UnixDiagReq::parse(&REQ).unwrap();
    assert_eq!(UnixDiagReq::SIZE, 24);
    let states = UnixState::Established.mask() | UnixState::Close.mask() | UnixState::Listen.mask();
    assert_eq!(r.udiag_states.get(), states);
    assert_eq!(r.udiag_show.get(), 0x7f);
    let l = lines(r);
    assert_line(&l, "sdiag_family=AF_UNIX");
    assert_line(&l, "udiag_states=TCPF_ESTABLISHED|TCPF_CLOSE|TCPF_LISTEN");
    assert_line(
        &l,
        "udiag_show=UDIAG_SHOW_NAME|UDIAG_SHOW_VFS|UDIAG_SHOW_PEER|UDIAG_SHOW_ICONS|UDIAG_SHOW_RQLEN|UDIAG_SHOW_MEMINFO|UDIAG_SHOW_UID",
    );
    assert_line(&l, "udiag_cookie=0");
    let d = UnixDiagReq::dump(states, 0x7f);
    let mut buf = [0xa5u8; 28];
    d.emit(&mut buf).unwrap();
    assert_eq!(buf[..24], REQ);
    assert_eq!(buf[24..], [0xa5; 4]);
    // An exact request without a cookie check.
    let e = UnixDiagReq::exact(77, None, UDIAG_SHOW_NAME);
    let mut buf = [0xa5u8; 24];
    e.emit(&mut buf).unwrap();
    assert_eq!(buf[8..12], 77u32.to_ne_bytes());
    assert_eq!(buf[16..24], [0xff; 8]);
    let e = UnixDiagReq::exact(77, Some(0x1_0000_0002), UDIAG_SHOW_NAME);
    assert_eq!(e.udiag_cookie.map(|w| w.get()), [2, 1]);
}

#[test]
fn unix_diag_msg_from_bytes() {
    let (m, _) = UnixDiagMsg::parse(&MSG).unwrap();
    assert_eq!(UnixDiagMsg::SIZE, 16);
    assert_eq!(m.sock_type(), SockType::Seqpacket);
    assert_eq!(m.state(), UnixState::Listen);
    assert_eq!(m.udiag_ino.get(), 12345);
    assert_eq!(m.cookie(), 0x3_0000_0201);
    let l = lines(m);
    assert_line(&l, "udiag_type=SOCK_SEQPACKET");
    assert_line(&l, "udiag_state=TCP_LISTEN");
    assert_line(&l, "udiag_cookie=12884902401");
    let mut buf = [0xa5u8; 20];
    m.emit(&mut buf).unwrap();
    assert_eq!(buf[..16], MSG);
    assert_eq!(buf[16..], [0xa5; 4]);
    assert_eq!(SockType::from(1), SockType::Stream);
    assert_eq!(SockType::from(2).name(), Some("SOCK_DGRAM"));
    assert_eq!(UnixState::from(7), UnixState::Close);
}

/// Decode exactly one attribute strictly and check it re-emits to the same
/// bytes (into a 0xa5 buffer). The bytes are leaked so the attribute can
/// outlive a temporary.
fn one(bytes: &[u8]) -> UnixDiagAttr<'static> {
    let bytes: &'static [u8] = Box::leak(bytes.to_vec().into_boxed_slice());
    let mut it = Attrs::<UnixDiagAttr>::with(bytes, 0, Mode::Strict);
    let a = it.next().unwrap().unwrap();
    assert!(it.next().is_none());
    let mut buf = vec![0xa5u8; bytes.len() + 8];
    let mut b = Builder::new(&mut buf[..]);
    b.attr_set(&a).unwrap();
    assert_eq!(&buf[..bytes.len()], bytes);
    assert_eq!(buf[bytes.len()..], [0xa5; 8]);
    a
}

#[test]
fn name_is_kind_zero_pathname_abstract_unnamed() {
    let b = attr(UNIX_DIAG_NAME, b"/run/x.sock\0");
    assert_eq!(&b[..4], &[16, 0, 0, 0]);
    let a = one(&b);
    assert_eq!(a.kind(), 0);
    assert_eq!(a.name(), "UNIX_DIAG_NAME");
    let UnixDiagAttr::Name(n) = a else {
        panic!("{a:?}")
    };
    assert_eq!(n.name(), UnixName::Pathname(b"/run/x.sock"));
    assert_eq!(n.name().to_string(), "/run/x.sock");
    assert_line(&lines(&a), "UNIX_DIAG_NAME.pathname=\"/run/x.sock\"");

    let b = attr(UNIX_DIAG_NAME, b"\0foo\0bar");
    let a = one(&b);
    let UnixDiagAttr::Name(n) = a else { panic!() };
    assert_eq!(n.name(), UnixName::Abstract(b"foo\0bar"));
    assert_eq!(n.name().to_string(), "@foo@bar");
    assert_line(&lines(&a), "UNIX_DIAG_NAME.abstract=\"foo\\0bar\"");

    // Autobind names: five hex digits.
    let UnixDiagAttr::Name(n) = one(&attr(0, b"\x0000f3a")) else {
        panic!()
    };
    assert_eq!(n.name().to_string(), "@00f3a");

    let a = one(&attr(UNIX_DIAG_NAME, b""));
    let UnixDiagAttr::Name(n) = a else { panic!() };
    assert_eq!(n.name(), UnixName::Unnamed);
    assert_eq!(n.name().to_string(), "*");
    assert_line(&lines(&a), "UNIX_DIAG_NAME.unnamed=true");

    // Bytes are not assumed UTF-8.
    let UnixDiagAttr::Name(n) = one(&attr(0, b"/tmp/\xff\xfe\0")) else {
        panic!()
    };
    assert_eq!(n.name(), UnixName::Pathname(b"/tmp/\xff\xfe"));
    assert_eq!(n.name().to_string(), "/tmp/\\xff\\xfe");
    let UnixDiagAttr::Name(n) = one(&attr(0, b"\0a\nb")) else {
        panic!()
    };
    assert_eq!(n.name().to_string(), "@a\\nb");
}

#[test]
fn other_attributes() {
    let a = one(&attr(UNIX_DIAG_VFS, &u32s(&[4242, 0x803])));
    let UnixDiagAttr::Vfs(v) = a else { panic!() };
    assert_eq!(
        (v.udiag_vfs_ino.get(), v.udiag_vfs_dev.get()),
        (4242, 0x803)
    );
    assert_line(&lines(&a), "UNIX_DIAG_VFS.udiag_vfs_dev=2051");

    assert_eq!(
        one(&attr(UNIX_DIAG_PEER, &u32s(&[999]))),
        UnixDiagAttr::Peer(999)
    );
    assert_eq!(
        one(&attr(UNIX_DIAG_UID, &u32s(&[1000]))),
        UnixDiagAttr::Uid(1000)
    );
    assert_eq!(UnixDiagAttr::Uid(0).kind(), 7);

    // ICONS: empty for a listener with nothing pending (nla_len 4).
    let b = attr(UNIX_DIAG_ICONS, &[]);
    assert_eq!(b, [4, 0, 3, 0]);
    let a = one(&b);
    assert!(matches!(a, UnixDiagAttr::Icons(Array(v)) if v.is_empty()));
    let a = one(&attr(UNIX_DIAG_ICONS, &u32s(&[11, 12])));
    let UnixDiagAttr::Icons(Array(v)) = a else {
        panic!()
    };
    assert_eq!(v.iter().map(|x| x.get()).collect::<Vec<_>>(), [11, 12]);
    let l = lines(&a);
    assert_line(&l, "UNIX_DIAG_ICONS.0=11");
    assert_line(&l, "UNIX_DIAG_ICONS.1=12");

    let a = one(&attr(UNIX_DIAG_RQLEN, &u32s(&[2, 128])));
    let UnixDiagAttr::Rqlen(r) = a else { panic!() };
    assert_eq!((r.udiag_rqueue.get(), r.udiag_wqueue.get()), (2, 128));

    let a = one(&attr(
        UNIX_DIAG_MEMINFO,
        &u32s(&[0, 212_992, 0, 212_992, 0, 0, 0, 0, 3]),
    ));
    let UnixDiagAttr::Meminfo(m) = a else {
        panic!()
    };
    assert_eq!((m.rcvbuf(), m.drops()), (Some(212_992), Some(3)));
    assert_line(&lines(&a), "UNIX_DIAG_MEMINFO.SK_MEMINFO_SNDBUF=212992");

    let a = one(&attr(UNIX_DIAG_SHUTDOWN, &[1]));
    let UnixDiagAttr::Shutdown(s) = a else {
        panic!()
    };
    assert_eq!(s.bits, RCV_SHUTDOWN);
    assert_line(&lines(&a), "UNIX_DIAG_SHUTDOWN=RCV_SHUTDOWN");

    // Strict: a partial ICONS element and a short PEER are refused.
    for bad in [
        attr(UNIX_DIAG_ICONS, &[1, 2, 3, 4, 5]),
        attr(UNIX_DIAG_PEER, &[1, 2]),
    ] {
        assert!(Attrs::<UnixDiagAttr>::with(&bad, 0, Mode::Strict)
            .next()
            .unwrap()
            .is_err());
    }
}

fn message(nlmsg_type: u16, flags: u16, payload: &[u8]) -> Vec<u8> {
    let mut b = Builder::new_vec();
    b.message(nlmsg_type, flags, 42, 4321, |b| b.put_bytes(payload))
        .unwrap();
    b.into_vec()
}

#[test]
fn reply_and_request_through_the_dispatcher() {
    let mut p = MSG.to_vec();
    p.extend(attr(UNIX_DIAG_NAME, b"\0ctl\0"));
    p.extend(attr(UNIX_DIAG_PEER, &u32s(&[0])));
    p.extend(attr(UNIX_DIAG_ICONS, &[]));
    p.extend(attr(UNIX_DIAG_RQLEN, &u32s(&[0, 128])));
    p.extend(attr(UNIX_DIAG_MEMINFO, &u32s(&[0; 9])));
    p.extend(attr(UNIX_DIAG_SHUTDOWN, &[0]));
    p.extend(attr(UNIX_DIAG_UID, &u32s(&[0])));
    let bytes = message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, &p);
    let msg = Messages::with_mode(&bytes, Mode::Strict)
        .next()
        .unwrap()
        .unwrap();
    let d = decode(&msg, Mode::Strict).unwrap();
    let SockDiagMessage::UnixResponse(r) = d else {
        panic!("{d:?}")
    };
    assert_eq!(d.family(), Some(AddressFamily::Unix));
    assert_eq!(r.attrs().count(), 7);
    let Some(Ok(UnixDiagAttr::Name(n))) = r.find(UNIX_DIAG_NAME) else {
        panic!()
    };
    assert_eq!(n.name().to_string(), "@ctl@");
    let l = lines(&d);
    assert_line(&l, "unix_diag_msg.udiag_family=AF_UNIX");
    assert_line(&l, "unix_diag_msg.udiag_ino=12345");
    assert_line(&l, "UNIX_DIAG_NAME.abstract=\"ctl\\0\"");
    assert_line(&l, "UNIX_DIAG_RQLEN.udiag_wqueue=128");
    assert_line(&l, "UNIX_DIAG_UID=0");
    let mut buf = vec![0xa5u8; bytes.len()];
    let mut b = Builder::new(&mut buf[..]);
    b.message(20, NLM_F_MULTI, 42, 4321, |b| d.emit(b)).unwrap();
    assert_eq!(buf, bytes);

    let bytes = message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, &REQ);
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    let d = decode(&msg, Mode::Strict).unwrap();
    let SockDiagMessage::UnixRequest(r) = d else {
        panic!("{d:?}")
    };
    assert!(d.is_request());
    assert_eq!(r.header.udiag_show.get(), 0x7f);
    assert_line(&lines(&d), "unix_diag_req.sdiag_family=AF_UNIX");

    // Anything after a unix request's header is kept (lenient) / refused
    // (strict): the kernel reads no attributes there.
    let mut p = REQ.to_vec();
    p.extend(attr(1, &[9]));
    let bytes = message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, &p);
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    let SockDiagMessage::UnixRequest(r) = decode(&msg, Mode::Lenient).unwrap() else {
        panic!()
    };
    assert!(matches!(r.attrs().next(), Some(Ok(UnixDiagReqAttr::Unknown(u))) if u.kind == 1));
    assert_eq!(
        decode(&msg, Mode::Strict).unwrap_err().kind,
        ErrorKind::Unknown
    );

    // A short reply header.
    let bytes = message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, &MSG[..12]);
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    let e = decode(&msg, Mode::Lenient).unwrap_err();
    assert_eq!(
        (e.kind, e.what, e.offset),
        (ErrorKind::Short, "unix_diag_msg", 16)
    );
}
