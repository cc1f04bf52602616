//! Property tests for every sock_diag structure, attribute set and message:
//! `parse(emit(x)) == x` for values and `emit(parse(b)) == b` for canonical
//! bytes (emitting into buffers pre-filled with 0xa5).

mod sock_diag_util;

use nlwire::families::sock_diag::*;
use nlwire::netlink::{
    AttributeSet, Builder, Messages, Sub, NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST,
};
use nlwire::payload::{Array, Bytes, NulStr, Payload};
use nlwire::strategy::wire_struct;
use nlwire::wire::WireStruct;
use nlwire::Mode;
use proptest::prelude::*;
use sock_diag_util::*;

fn struct_roundtrip<W: WireStruct + std::fmt::Debug + PartialEq>(
    w: &W,
) -> Result<(), TestCaseError> {
    let mut buf = vec![0xa5u8; W::SIZE + 3];
    prop_assert_eq!(w.emit(&mut buf).unwrap(), W::SIZE);
    prop_assert_eq!(&buf[W::SIZE..], &[0xa5; 3]);
    let (back, rest) = W::parse(&buf).unwrap();
    prop_assert_eq!(back, w);
    prop_assert_eq!(rest.len(), 3);
    prop_assert_eq!(W::parse_exact(&buf[..W::SIZE], Mode::Strict).unwrap(), w);
    // Walking never fails or panics.
    let _ = lines(w);
    Ok(())
}

macro_rules! struct_props {
    ($($name:ident: $t:ty),* $(,)?) => {
        proptest! {
            $(
                #[test]
                fn $name(w in wire_struct::<$t>()) {
                    struct_roundtrip(&w)?;
                }
            )*
        }
    };
}

struct_props! {
    sock_diag_req: SockDiagReq,
    inet_diag_sockid: InetDiagSockId,
    inet_diag_req: InetDiagReq,
    inet_diag_req_v2: InetDiagReqV2,
    inet_diag_msg: InetDiagMsg,
    inet_diag_meminfo: InetDiagMeminfo,
    inet_diag_sockopt: InetDiagSockopt,
    tcpvegas_info: TcpvegasInfo,
    tcp_dctcp_info: TcpDctcpInfo,
    tcp_bbr_info: TcpBbrInfo,
    tcp_diag_md5sig: TcpDiagMd5sig,
    kernel_sockaddr_storage: KernelSockaddrStorage,
    tcp_info: TcpInfo,
    sk_meminfo: SkMeminfo,
    unix_diag_req: UnixDiagReq,
    unix_diag_msg: UnixDiagMsg,
    unix_diag_vfs: UnixDiagVfs,
    unix_diag_rqlen: UnixDiagRqlen,
}

// ---- canonical attribute streams of every set ------------------------------

fn inet_elem(kind: u16) -> Option<usize> {
    match kind {
        INET_DIAG_LOCALS | INET_DIAG_PEERS => Some(128),
        INET_DIAG_MD5SIG => Some(100),
        _ => None,
    }
}

fn unix_elem(kind: u16) -> Option<usize> {
    (kind == UNIX_DIAG_ICONS).then_some(4)
}

fn ulp_nested(kind: u16) -> Option<BoxedStrategy<Vec<u8>>> {
    match kind {
        2 => Some(canonical_attrs::<TlsInfoAttr<'static>>(
            6, no_arrays, no_nests,
        )),
        3 => Some(canonical_attrs::<MptcpSubflowAttr<'static>>(
            6, no_arrays, no_nests,
        )),
        _ => None,
    }
}

fn storages_nested(_: u16) -> Option<BoxedStrategy<Vec<u8>>> {
    Some(canonical_attrs::<SkBpfStorageAttr<'static>>(
        4, no_arrays, no_nests,
    ))
}

fn inet_nested(kind: u16) -> Option<BoxedStrategy<Vec<u8>>> {
    match kind {
        INET_DIAG_ULP_INFO => Some(canonical_attrs::<UlpInfoAttr<'static>>(
            3, no_arrays, ulp_nested,
        )),
        INET_DIAG_SK_BPF_STORAGES => Some(canonical_attrs::<SkBpfStoragesAttr<'static>>(
            3,
            no_arrays,
            storages_nested,
        )),
        _ => None,
    }
}

fn req_nested(kind: u16) -> Option<BoxedStrategy<Vec<u8>>> {
    use nlwire::families::sock_diag::bytecode::Filter;
    if kind == INET_DIAG_REQ_BYTECODE {
        // Strict parsing accepts only programs the kernel's audit accepts:
        // generate them from filters, as `ss` would send them.
        let leaf = prop_oneof![
            any::<u16>().prop_map(Filter::SportGe),
            any::<u16>().prop_map(Filter::DportLe),
            any::<u16>().prop_map(Filter::SportEq),
            (any::<u32>(), any::<u32>()).prop_map(|(mark, mask)| Filter::Mark { mark, mask }),
        ];
        let tree = leaf.prop_recursive(3, 8, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| a.and(b)),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| a.or(b)),
                inner.prop_map(|a| !a),
            ]
        });
        return Some(tree.prop_map(|f| f.compile().unwrap()).boxed());
    }
    (kind == INET_DIAG_REQ_SK_BPF_STORAGES)
        .then(|| canonical_attrs::<SkBpfStorageReqAttr<'static>>(4, no_arrays, no_nests))
}

/// Lenient parse then emit gives back the bytes, and walking reports no
/// error for canonical streams.
fn bytes_roundtrip<'a, A: AttributeSet<'a>>(bytes: &'a [u8]) -> Result<(), TestCaseError> {
    let again =
        reemit::<A>(bytes, Mode::Lenient).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(again, bytes);
    Ok(())
}

proptest! {
    #[test]
    fn inet_diag_attrs(b in canonical_attrs::<InetDiagAttr<'static>>(8, inet_elem, inet_nested)) {
        bytes_roundtrip::<InetDiagAttr>(&b)?;
    }

    #[test]
    fn inet_diag_req_attrs(b in canonical_attrs::<InetDiagReqAttr<'static>>(6, no_arrays, req_nested)) {
        bytes_roundtrip::<InetDiagReqAttr>(&b)?;
    }

    #[test]
    fn ulp_info_attrs(b in canonical_attrs::<UlpInfoAttr<'static>>(6, no_arrays, ulp_nested)) {
        bytes_roundtrip::<UlpInfoAttr>(&b)?;
    }

    #[test]
    fn tls_info_attrs(b in canonical_attrs::<TlsInfoAttr<'static>>(8, no_arrays, no_nests)) {
        bytes_roundtrip::<TlsInfoAttr>(&b)?;
    }

    #[test]
    fn mptcp_subflow_attrs(b in canonical_attrs::<MptcpSubflowAttr<'static>>(12, no_arrays, no_nests)) {
        bytes_roundtrip::<MptcpSubflowAttr>(&b)?;
    }

    #[test]
    fn bpf_storage_attrs(b in canonical_attrs::<SkBpfStoragesAttr<'static>>(4, no_arrays, storages_nested)) {
        bytes_roundtrip::<SkBpfStoragesAttr>(&b)?;
    }

    #[test]
    fn bpf_storage_req_attrs(b in canonical_attrs::<SkBpfStorageReqAttr<'static>>(4, no_arrays, no_nests)) {
        bytes_roundtrip::<SkBpfStorageReqAttr>(&b)?;
    }

    #[test]
    fn unix_diag_attrs(b in canonical_attrs::<UnixDiagAttr<'static>>(8, unix_elem, no_nests)) {
        bytes_roundtrip::<UnixDiagAttr>(&b)?;
    }

    #[test]
    fn unix_diag_req_attrs(b in canonical_attrs::<UnixDiagReqAttr<'static>>(3, no_arrays, no_nests)) {
        bytes_roundtrip::<UnixDiagReqAttr>(&b)?;
    }

    /// Extensible payloads: any length, bytes kept exactly.
    #[test]
    fn extensible_views(b in proptest::collection::vec(any::<u8>(), 0..320)) {
        let t = TcpInfoView::new(&b);
        let mut out = vec![0xa5u8; b.len()];
        t.write(&mut out);
        prop_assert_eq!(&out, &b);
        let full = t.to_full();
        let n = b.len().min(TcpInfo::SIZE);
        prop_assert_eq!(&zerocopy::IntoBytes::as_bytes(&full)[..n], &b[..n]);
        prop_assert_eq!(t.extra(), &b[n..]);
        let _ = lines(&t);
        let m = SkMeminfoView::new(&b);
        prop_assert_eq!(m.drops().is_some(), b.len() >= 36);
        let _ = lines(&m);
    }
}

// ---- typed values: parse(emit(x)) == x ------------------------------------

/// Owned data from which a typed attribute is built (attributes borrow).
#[derive(Debug, Clone)]
enum Owned {
    Tos(u8),
    Mark(u32),
    Cgroup(u64),
    Proto(u8),
    Cong(Vec<u8>),
    Pad(Vec<u8>),
    Info(Vec<u8>),
    Skmem(Vec<u8>),
    Shutdown(u8),
    Struct(u16, Vec<u8>),
    Locals(Vec<u8>),
}

fn owned_inet() -> impl Strategy<Value = Owned> {
    prop_oneof![
        any::<u8>().prop_map(Owned::Tos),
        any::<u32>().prop_map(Owned::Mark),
        any::<u64>().prop_map(Owned::Cgroup),
        prop_oneof![Just(6u8), Just(17), Just(255), Just(136)].prop_map(Owned::Proto),
        proptest::collection::vec(1u8..=255, 0..16).prop_map(|mut v| {
            v.push(0);
            Owned::Cong(v)
        }),
        proptest::collection::vec(any::<u8>(), 0..8).prop_map(Owned::Pad),
        proptest::collection::vec(any::<u8>(), 0..300).prop_map(Owned::Info),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(Owned::Skmem),
        (0u8..4).prop_map(Owned::Shutdown),
        prop_oneof![
            Just((INET_DIAG_MEMINFO, 16usize)),
            Just((INET_DIAG_VEGASINFO, 16)),
            Just((INET_DIAG_DCTCPINFO, 16)),
            Just((INET_DIAG_BBRINFO, 20)),
            Just((INET_DIAG_SOCKOPT, 2)),
        ]
        .prop_flat_map(|(k, n)| proptest::collection::vec(any::<u8>(), n)
            .prop_map(move |v| Owned::Struct(k, v))),
        (0usize..3).prop_flat_map(
            |n| proptest::collection::vec(any::<u8>(), n * 128).prop_map(Owned::Locals)
        ),
    ]
}

fn typed(o: &Owned) -> InetDiagAttr<'_> {
    match o {
        Owned::Tos(x) => InetDiagAttr::Tos(*x),
        Owned::Mark(x) => InetDiagAttr::Mark(*x),
        Owned::Cgroup(x) => InetDiagAttr::CgroupId(*x),
        Owned::Proto(x) => InetDiagAttr::Protocol(IpProto::from(*x)),
        Owned::Cong(v) => InetDiagAttr::Cong(NulStr(v)),
        Owned::Pad(v) => InetDiagAttr::Pad(Bytes(v)),
        Owned::Info(v) => InetDiagAttr::Info(Sub::new(v, Mode::Lenient)),
        Owned::Skmem(v) => InetDiagAttr::Skmeminfo(SkMeminfoView::new(v)),
        Owned::Shutdown(x) => InetDiagAttr::Shutdown(Shutdown::new(*x)),
        Owned::Struct(k, v) => match *k {
            INET_DIAG_MEMINFO => InetDiagAttr::Meminfo(InetDiagMeminfo::parse(v).unwrap().0),
            INET_DIAG_VEGASINFO => InetDiagAttr::Vegasinfo(TcpvegasInfo::parse(v).unwrap().0),
            INET_DIAG_DCTCPINFO => InetDiagAttr::Dctcpinfo(TcpDctcpInfo::parse(v).unwrap().0),
            INET_DIAG_BBRINFO => InetDiagAttr::Bbrinfo(TcpBbrInfo::parse(v).unwrap().0),
            _ => InetDiagAttr::Sockopt(InetDiagSockopt::parse(v).unwrap().0),
        },
        Owned::Locals(v) => {
            InetDiagAttr::Locals(Array(zerocopy::FromBytes::ref_from_bytes(&v[..]).unwrap()))
        }
    }
}

proptest! {
    #[test]
    fn inet_typed_values_roundtrip(values in proptest::collection::vec(owned_inet(), 0..6)) {
        let attrs: Vec<InetDiagAttr> = values.iter().map(typed).collect();
        let mut buf = vec![0xa5u8; 4096];
        let mut b = Builder::new(&mut buf[..]);
        for a in &attrs {
            b.attr_set(a).unwrap();
        }
        let n = b.len();
        let back: Vec<InetDiagAttr> = nlwire::netlink::Attrs::with(&buf[..n], 0, Mode::Strict)
            .collect::<Result<_, _>>()
            .unwrap();
        prop_assert_eq!(back, attrs);
        prop_assert!(buf[n..].iter().all(|&x| x == 0xa5));
    }

    #[test]
    fn unix_typed_values_roundtrip(
        name in proptest::collection::vec(any::<u8>(), 0..108),
        peer in any::<u32>(),
        icons in proptest::collection::vec(any::<u32>(), 0..5),
        rq in any::<[u8; 8]>(),
        uid in any::<u32>(),
        shut in 0u8..4,
    ) {
        let icons_b: Vec<u8> = icons.iter().flat_map(|x| x.to_ne_bytes()).collect();
        let attrs = [
            UnixDiagAttr::Name(SunPath(&name)),
            UnixDiagAttr::Peer(peer),
            UnixDiagAttr::Icons(Array(zerocopy::FromBytes::ref_from_bytes(&icons_b[..]).unwrap())),
            UnixDiagAttr::Rqlen(UnixDiagRqlen::parse(&rq).unwrap().0),
            UnixDiagAttr::Uid(uid),
            UnixDiagAttr::Shutdown(Shutdown::new(shut)),
        ];
        let mut b = Builder::new_vec();
        for a in &attrs {
            b.attr_set(a).unwrap();
        }
        let bytes = b.into_vec();
        let back: Vec<UnixDiagAttr> = nlwire::netlink::Attrs::with(&bytes, 0, Mode::Strict)
            .collect::<Result<_, _>>()
            .unwrap();
        prop_assert_eq!(&back[..], &attrs[..]);
        let UnixDiagAttr::Name(n) = back[0] else { panic!() };
        // The typed name reads back what was written.
        match n.name() {
            UnixName::Unnamed => prop_assert!(name.is_empty()),
            UnixName::Abstract(a) => prop_assert_eq!(a, &name[1..]),
            UnixName::Pathname(p) => prop_assert!(name.starts_with(p) && !p.contains(&0)),
        }
    }
}

// ---- whole messages through the dispatcher --------------------------------

fn message_roundtrip(
    nlmsg_type: u16,
    flags: u16,
    payload: &[u8],
) -> Result<SockDiagKind, TestCaseError> {
    let mut b = Builder::new_vec();
    b.message(nlmsg_type, flags, 7, 99, |b| b.put_bytes(payload))
        .unwrap();
    let bytes = b.into_vec();
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    let d = decode(&msg, Mode::Lenient).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let mut out = vec![0xa5u8; bytes.len() + 4];
    let mut b = Builder::new(&mut out[..]);
    b.message(nlmsg_type, flags, 7, 99, |b| d.emit(b)).unwrap();
    prop_assert_eq!(b.len(), bytes.len());
    prop_assert_eq!(&out[..bytes.len()], &bytes[..]);
    let _ = lines(&d);
    Ok(match d {
        SockDiagMessage::InetRequest(_) => SockDiagKind::InetRequest,
        SockDiagMessage::InetRequestV1(_) => SockDiagKind::InetRequestV1,
        SockDiagMessage::InetResponse(_) => SockDiagKind::InetResponse,
        SockDiagMessage::UnixRequest(_) => SockDiagKind::UnixRequest,
        SockDiagMessage::UnixResponse(_) => SockDiagKind::UnixResponse,
        _ => SockDiagKind::Other,
    })
}

#[derive(Debug, PartialEq)]
enum SockDiagKind {
    InetRequest,
    InetRequestV1,
    InetResponse,
    UnixRequest,
    UnixResponse,
    Other,
}

fn inet_family() -> impl Strategy<Value = u8> {
    prop_oneof![Just(2u8), Just(10u8)]
}

proptest! {
    #[test]
    fn inet_response_messages(
        h in wire_struct::<InetDiagMsg>(),
        fam in inet_family(),
        attrs in canonical_attrs::<InetDiagAttr<'static>>(6, inet_elem, inet_nested),
    ) {
        let mut p = zerocopy::IntoBytes::as_bytes(&h).to_vec();
        p[0] = fam;
        p.extend(attrs);
        prop_assert_eq!(message_roundtrip(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, &p)?, SockDiagKind::InetResponse);
        prop_assert_eq!(message_roundtrip(TCPDIAG_GETSOCK, NLM_F_MULTI, &p)?, SockDiagKind::InetResponse);
    }

    #[test]
    fn inet_request_messages(
        h in wire_struct::<InetDiagReqV2>(),
        v1 in wire_struct::<InetDiagReq>(),
        fam in inet_family(),
        attrs in canonical_attrs::<InetDiagReqAttr<'static>>(4, no_arrays, req_nested),
    ) {
        let mut p = zerocopy::IntoBytes::as_bytes(&h).to_vec();
        p[0] = fam;
        p.extend(&attrs);
        let f = NLM_F_REQUEST | NLM_F_DUMP;
        prop_assert_eq!(message_roundtrip(SOCK_DIAG_BY_FAMILY, f, &p)?, SockDiagKind::InetRequest);
        prop_assert_eq!(message_roundtrip(SOCK_DESTROY, NLM_F_REQUEST, &p)?, SockDiagKind::InetRequest);
        let mut p = zerocopy::IntoBytes::as_bytes(&v1).to_vec();
        p.extend(&attrs);
        prop_assert_eq!(message_roundtrip(DCCPDIAG_GETSOCK, f, &p)?, SockDiagKind::InetRequestV1);
    }

    #[test]
    fn unix_messages(
        req in wire_struct::<UnixDiagReq>(),
        msg in wire_struct::<UnixDiagMsg>(),
        attrs in canonical_attrs::<UnixDiagAttr<'static>>(6, unix_elem, no_nests),
    ) {
        let mut p = zerocopy::IntoBytes::as_bytes(&req).to_vec();
        p[0] = 1;
        prop_assert_eq!(message_roundtrip(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, &p)?, SockDiagKind::UnixRequest);
        let mut p = zerocopy::IntoBytes::as_bytes(&msg).to_vec();
        p[0] = 1;
        p.extend(attrs);
        prop_assert_eq!(message_roundtrip(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, &p)?, SockDiagKind::UnixResponse);
    }

    #[test]
    fn other_families_and_arbitrary_payloads(
        t in 16u16..40,
        flags in any::<u16>(),
        p in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        // Any payload decodes or is an error, walks and re-emits (or fails
        // to) without a panic; what decoded strictly decodes again from its
        // re-emission.
        let mut b = Builder::new_vec();
        b.message(t, flags, 1, 2, |b| b.put_bytes(&p)).unwrap();
        let bytes = b.into_vec();
        let msg = Messages::new(&bytes).next().unwrap().unwrap();
        for mode in [Mode::Lenient, Mode::Strict] {
            if let Ok(d) = decode(&msg, mode) {
                let mut r = Recorder::default();
                nlwire::value::Walk::walk(&d, &mut r);
                let mut b = Builder::new_vec();
                if b.message(t, flags, 1, 2, |b| d.emit(b)).is_ok() && mode == Mode::Strict {
                    let again = b.into_vec();
                    let m2 = Messages::new(&again).next().unwrap().unwrap();
                    prop_assert!(decode(&m2, Mode::Strict).is_ok());
                }
            }
        }
    }
}
