//! Property tests of the framing: `parse(emit(x)) == x` for headers,
//! messages with arbitrary (nested) attribute lists, `NLMSG_ERROR` (capped,
//! uncapped, with extended ACK) and `NLMSG_DONE`; and `emit(parse(b)) == b`
//! for canonical bytes made by an encoder written here independently of the
//! `Builder` (as the kernel's `nlmsg_put`/`nla_put` lay them out).

use nlwire::flags::EnumVal;
use nlwire::netlink::*;
use nlwire::payload::{Bytes, NulStr};
use nlwire::wire::WireStruct;
use nlwire::{ErrorKind, Mode, MAX_NEST_DEPTH};
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------

/// An attribute: a leaf with raw payload, or a nest.
#[derive(Clone, Debug)]
enum Attr {
    Leaf {
        kind: u16,
        net: bool,
        payload: Vec<u8>,
    },
    Nest {
        kind: u16,
        flag: bool,
        children: Vec<Attr>,
    },
}

fn attr_tree() -> impl Strategy<Value = Attr> {
    let leaf = (
        0u16..=NLA_TYPE_MASK,
        any::<bool>(),
        proptest::collection::vec(any::<u8>(), 0..40),
    )
        .prop_map(|(kind, net, payload)| Attr::Leaf { kind, net, payload });
    leaf.prop_recursive(MAX_NEST_DEPTH as u32, 96, 6, |inner| {
        (
            0u16..=NLA_TYPE_MASK,
            any::<bool>(),
            proptest::collection::vec(inner, 0..6),
        )
            .prop_map(|(kind, flag, children)| Attr::Nest {
                kind,
                flag,
                children,
            })
    })
}

/// One message: header fields, an optional 4-byte family header, attributes.
#[derive(Clone, Debug)]
struct Msg {
    ty: u16,
    flags: u16,
    seq: u32,
    pid: u32,
    fam: Option<[u8; 4]>,
    attrs: Vec<Attr>,
}

fn message() -> impl Strategy<Value = Msg> {
    (
        NLMSG_MIN_TYPE..=u16::MAX,
        any::<u16>(),
        any::<u32>(),
        any::<u32>(),
        any::<Option<[u8; 4]>>(),
        proptest::collection::vec(attr_tree(), 0..6),
    )
        .prop_map(|(ty, flags, seq, pid, fam, attrs)| Msg {
            ty,
            flags,
            seq,
            pid,
            fam,
            attrs,
        })
}

/// An extended-ACK attribute.
#[derive(Clone, Debug)]
enum Ext {
    Msg(Vec<u8>),
    Offs(u32),
    Cookie(Vec<u8>),
    Policy(u32, u32),
    MissType(u32),
    MissNest(u32),
}

fn ext() -> impl Strategy<Value = Ext> {
    prop_oneof![
        proptest::collection::vec(1u8..=255, 0..40).prop_map(Ext::Msg),
        any::<u32>().prop_map(Ext::Offs),
        proptest::collection::vec(any::<u8>(), 0..20).prop_map(Ext::Cookie),
        // Every `NL_ATTR_TYPE_*` (strict parsing refuses unknown ones).
        (0u32..18, any::<u32>()).prop_map(|(t, l)| Ext::Policy(t, l)),
        any::<u32>().prop_map(Ext::MissType),
        any::<u32>().prop_map(Ext::MissNest),
    ]
}

// ---------------------------------------------------------------------------
// Emit with the Builder, check by parsing
// ---------------------------------------------------------------------------

fn emit_attrs(b: &mut Builder<Vec<u8>>, attrs: &[Attr]) -> nlwire::Result<()> {
    for a in attrs {
        match a {
            Attr::Leaf { kind, net, payload } => {
                b.attr_raw(kind | if *net { NLA_F_NET_BYTEORDER } else { 0 }, payload)?
            }
            Attr::Nest {
                kind,
                flag,
                children,
            } => b.nested(*kind, *flag, |b| emit_attrs(b, children))?,
        }
    }
    Ok(())
}

fn check_attrs(bytes: &[u8], model: &[Attr]) -> Result<(), TestCaseError> {
    let got: Vec<RawAttr<'_>> = RawAttrs::with(bytes, 0, Mode::Strict)
        .collect::<Result<_, _>>()
        .map_err(|e| TestCaseError::fail(format!("{e}")))?;
    prop_assert_eq!(got.len(), model.len());
    for (a, m) in got.iter().zip(model) {
        match m {
            Attr::Leaf { kind, net, payload } => {
                prop_assert_eq!(a.kind, *kind);
                prop_assert_eq!(a.is_net_byteorder(), *net);
                prop_assert!(!a.is_nested());
                prop_assert_eq!(a.payload, &payload[..]);
            }
            Attr::Nest {
                kind,
                flag,
                children,
            } => {
                prop_assert_eq!(a.kind, *kind);
                prop_assert_eq!(a.is_nested(), *flag);
                check_attrs(a.payload, children)?;
            }
        }
    }
    Ok(())
}

fn emit_ext(b: &mut Builder<Vec<u8>>, ext: &[Ext]) -> nlwire::Result<()> {
    for e in ext {
        match e {
            Ext::Msg(s) => {
                let mut z = s.clone();
                z.push(0);
                b.attr_set(&ExtAckAttr::Msg(NulStr(&z)))?
            }
            Ext::Offs(x) => b.attr_set(&ExtAckAttr::Offs(*x))?,
            Ext::Cookie(c) => b.attr_set(&ExtAckAttr::Cookie(Bytes(c)))?,
            Ext::Policy(t, l) => b.nested(4, true, |b| {
                b.attr_set(&PolicyAttr::Type(EnumVal::new(*t)))?;
                b.attr_set(&PolicyAttr::MaxLength(*l))
            })?,
            Ext::MissType(x) => b.attr_set(&ExtAckAttr::MissType(*x))?,
            Ext::MissNest(x) => b.attr_set(&ExtAckAttr::MissNest(*x))?,
        }
    }
    Ok(())
}

fn check_ext(got: Attrs<'_, ExtAckAttr<'_>>, model: &[Ext]) -> Result<(), TestCaseError> {
    let got: Vec<_> = got
        .collect::<Result<_, _>>()
        .map_err(|e| TestCaseError::fail(format!("{e}")))?;
    prop_assert_eq!(got.len(), model.len());
    for (g, m) in got.iter().zip(model) {
        match (g, m) {
            (ExtAckAttr::Msg(s), Ext::Msg(want)) => {
                prop_assert_eq!(s.to_bytes(), &want[..]);
                prop_assert!(s.has_nul());
            }
            (ExtAckAttr::Offs(x), Ext::Offs(y)) => prop_assert_eq!(x, y),
            (ExtAckAttr::Cookie(x), Ext::Cookie(y)) => prop_assert_eq!(x.0, &y[..]),
            (ExtAckAttr::Policy(p), Ext::Policy(t, l)) => {
                let got: Vec<_> = p
                    .iter()
                    .collect::<Result<_, _>>()
                    .map_err(|e| TestCaseError::fail(format!("{e}")))?;
                prop_assert_eq!(
                    got,
                    vec![
                        PolicyAttr::Type(EnumVal::new(*t)),
                        PolicyAttr::MaxLength(*l)
                    ]
                );
            }
            (ExtAckAttr::MissType(x), Ext::MissType(y)) => prop_assert_eq!(x, y),
            (ExtAckAttr::MissNest(x), Ext::MissNest(y)) => prop_assert_eq!(x, y),
            _ => prop_assert!(false, "{:?} parsed for {:?}", g, m),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// An independent encoder (the kernel's layout), for canonical bytes
// ---------------------------------------------------------------------------

fn pad4(v: &mut Vec<u8>) {
    while v.len() % 4 != 0 {
        v.push(0);
    }
}

fn enc_attr(nla_type: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = ((4 + payload.len()) as u16).to_ne_bytes().to_vec();
    v.extend_from_slice(&nla_type.to_ne_bytes());
    v.extend_from_slice(payload);
    pad4(&mut v);
    v
}

fn enc_attrs(attrs: &[Attr]) -> Vec<u8> {
    let mut v = Vec::new();
    for a in attrs {
        match a {
            Attr::Leaf { kind, net, payload } => v.extend(enc_attr(
                kind | if *net { NLA_F_NET_BYTEORDER } else { 0 },
                payload,
            )),
            Attr::Nest {
                kind,
                flag,
                children,
            } => v.extend(enc_attr(
                kind | if *flag { NLA_F_NESTED } else { 0 },
                &enc_attrs(children),
            )),
        }
    }
    v
}

fn enc_msg(out: &mut Vec<u8>, ty: u16, flags: u16, seq: u32, pid: u32, payload: &[u8]) {
    pad4(out);
    out.extend_from_slice(&((16 + payload.len()) as u32).to_ne_bytes());
    out.extend_from_slice(&ty.to_ne_bytes());
    out.extend_from_slice(&flags.to_ne_bytes());
    out.extend_from_slice(&seq.to_ne_bytes());
    out.extend_from_slice(&pid.to_ne_bytes());
    out.extend_from_slice(payload);
}

fn attrs_fit(attrs: &[Attr]) -> bool {
    enc_attrs(attrs).len() < 60_000
}

/// Re-emit a strictly valid attribute stream with the Builder: nests are
/// re-emitted as nests when their model says so.
fn reemit_attrs(b: &mut Builder<Vec<u8>>, bytes: &[u8], model: &[Attr]) -> nlwire::Result<()> {
    for (a, m) in RawAttrs::with(bytes, 0, Mode::Strict).zip(model) {
        let a = a?;
        match m {
            Attr::Nest { children, .. } => b.nested(
                a.kind | (a.flags & NLA_F_NET_BYTEORDER),
                a.is_nested(),
                |b| reemit_attrs(b, a.payload, children),
            )?,
            Attr::Leaf { .. } => b.attr_raw(a.kind | a.flags, a.payload)?,
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// nlmsghdr: every value survives emit then parse.
    #[test]
    fn header_parse_emit(len: u32, ty: u16, flags: u16, seq: u32, pid: u32) {
        let h = NlMsgHdr::new(len, ty, flags, seq, pid);
        let mut buf = [0xa5u8; 20];
        prop_assert_eq!(h.emit(&mut buf).unwrap(), 16);
        prop_assert_eq!(&buf[16..], &[0xa5; 4]);
        let (p, rest) = NlMsgHdr::parse(&buf).unwrap();
        prop_assert_eq!(p, &h);
        prop_assert_eq!(rest.len(), 4);
        prop_assert_eq!(NlMsgHdr::parse_exact(&buf[..16], Mode::Strict).unwrap(), &h);
        let e = NlMsgHdr::parse_exact(&buf, Mode::Strict).unwrap_err();
        prop_assert_eq!(e.kind, ErrorKind::Trailing);
    }

    /// Messages with arbitrary, nested attribute lists: emit then parse
    /// strictly gives the model back, in both sink kinds.
    #[test]
    fn messages_with_nested_attributes(msgs in proptest::collection::vec(message(), 1..5)) {
        prop_assume!(msgs.iter().all(|m| attrs_fit(&m.attrs)));
        let mut b = Builder::new_vec();
        for m in &msgs {
            b.message(m.ty, m.flags, m.seq, m.pid, |b| {
                if let Some(f) = m.fam {
                    b.put_bytes(&f)?;
                }
                emit_attrs(b, &m.attrs)
            }).unwrap();
        }
        let bytes = b.into_vec();
        let parsed: Vec<_> = Messages::with_mode(&bytes, Mode::Strict).collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(parsed.len(), msgs.len());
        for (p, m) in parsed.iter().zip(&msgs) {
            let h = p.header;
            prop_assert_eq!((h.nlmsg_type.get(), h.nlmsg_flags.get(), h.nlmsg_seq.get(), h.nlmsg_pid.get()),
                            (m.ty, m.flags, m.seq, m.pid));
            let attrs = match m.fam {
                Some(f) => { prop_assert_eq!(&p.payload[..4], &f[..]); &p.payload[4..] }
                None => p.payload,
            };
            check_attrs(attrs, &m.attrs)?;
        }
        // The same through a caller's slice (pre-filled so a gap would show).
        let mut buf = vec![0xa5u8; bytes.len()];
        let mut sb = Builder::new(&mut buf[..]);
        for m in &msgs {
            sb.message(m.ty, m.flags, m.seq, m.pid, |b| {
                if let Some(f) = m.fam {
                    b.put_bytes(&f)?;
                }
                for a in &m.attrs {
                    let enc = enc_attrs(std::slice::from_ref(a));
                    // Leaves through attr_raw, nests as opaque payloads.
                    let typ = u16::from_ne_bytes([enc[2], enc[3]]);
                    let len = usize::from(u16::from_ne_bytes([enc[0], enc[1]]));
                    b.attr_raw(typ, &enc[4..len])?;
                }
                Ok(())
            }).unwrap();
        }
        prop_assert_eq!(sb.len(), bytes.len());
        prop_assert_eq!(&buf, &bytes);
    }

    /// Canonical bytes (laid out here as the kernel does): strict parse,
    /// re-emit with the Builder, same bytes.
    #[test]
    fn canonical_bytes_emit_parse(msgs in proptest::collection::vec(message(), 1..5)) {
        prop_assume!(msgs.iter().all(|m| attrs_fit(&m.attrs)));
        let mut bytes = Vec::new();
        for m in &msgs {
            let mut payload = m.fam.map(|f| f.to_vec()).unwrap_or_default();
            payload.extend(enc_attrs(&m.attrs));
            enc_msg(&mut bytes, m.ty, m.flags, m.seq, m.pid, &payload);
        }
        let mut b = Builder::new_vec();
        for (p, m) in Messages::with_mode(&bytes, Mode::Strict).zip(&msgs) {
            let p = p.unwrap();
            let h = p.header;
            b.message(h.nlmsg_type.get(), h.nlmsg_flags.get(), h.nlmsg_seq.get(), h.nlmsg_pid.get(), |b| {
                let attrs = match m.fam {
                    Some(_) => { b.put_bytes(&p.payload[..4])?; &p.payload[4..] }
                    None => p.payload,
                };
                reemit_attrs(b, attrs, &m.attrs)
            }).unwrap();
        }
        prop_assert_eq!(b.into_vec(), bytes);
    }

    /// NLMSG_ERROR: capped or not, with or without extended ACK.
    #[test]
    fn nlmsgerr_parse_emit(
        error in any::<i32>(),
        req in (any::<u16>(), any::<u16>(), any::<u32>(), any::<u32>()),
        capped: bool,
        capped_len: u32,
        echo in proptest::collection::vec(any::<u8>(), 0..48),
        ext in proptest::option::of(proptest::collection::vec(ext(), 0..6)),
    ) {
        let flags = if capped { NLM_F_CAPPED } else { 0 } | if ext.is_some() { NLM_F_ACK_TLVS } else { 0 };
        let req_len = if capped { capped_len } else { 16 + echo.len() as u32 };
        let request = NlMsgHdr::new(req_len, req.0, req.1, req.2, req.3);
        let mut b = Builder::new_vec();
        b.message(NlMsgType::Error.raw(), flags, 1, 2, |b| {
            b.put_bytes(&error.to_ne_bytes())?;
            b.put_struct(&request)?;
            if !capped {
                b.put_bytes(&echo)?;
            }
            match &ext {
                Some(x) => emit_ext(b, x),
                None => Ok(()),
            }
        }).unwrap();
        let bytes = b.into_vec();
        let m = Messages::with_mode(&bytes, Mode::Strict).next().unwrap().unwrap();
        prop_assert_eq!(m.header.standard_type(), NlMsgType::Error);
        for mode in [Mode::Strict, Mode::Lenient] {
            let e = NlMsgErr::parse(m.payload, flags, mode).unwrap();
            prop_assert_eq!(e.error, error);
            prop_assert_eq!(e.is_ack(), error == 0);
            prop_assert_eq!(e.capped, capped);
            prop_assert_eq!(e.request, &request);
            prop_assert_eq!(e.request_payload, if capped { &[][..] } else { &echo[..] });
            match &ext {
                Some(x) => check_ext(e.ext_ack(), x)?,
                None => prop_assert!(e.ext_ack.is_empty()),
            }
        }
        // Canonical: re-emitting the parsed fields gives the same bytes.
        let e = NlMsgErr::parse(m.payload, flags, Mode::Strict).unwrap();
        let mut b2 = Builder::new_vec();
        b2.message(2, flags, 1, 2, |b| {
            b.put_bytes(&e.error.to_ne_bytes())?;
            b.put_struct(e.request)?;
            b.put_bytes(e.request_payload)?;
            for a in e.ext_ack() {
                b.attr_set(&a?)?;
            }
            Ok(())
        }).unwrap();
        prop_assert_eq!(b2.into_vec(), bytes);
    }

    /// NLMSG_DONE: 16 bytes, 20 bytes, 20 bytes with extended ACK.
    #[test]
    fn nlmsg_done_parse_emit(
        error in proptest::option::of(any::<i32>()),
        ext in proptest::option::of(proptest::collection::vec(ext(), 0..6)),
    ) {
        let ext = if error.is_some() { ext } else { None };
        let flags = NLM_F_MULTI | if ext.is_some() { NLM_F_ACK_TLVS } else { 0 };
        let mut b = Builder::new_vec();
        b.message(NlMsgType::Done.raw(), flags, 9, 9, |b| {
            if let Some(e) = error {
                b.put_bytes(&e.to_ne_bytes())?;
                if let Some(x) = &ext {
                    emit_ext(b, x)?;
                }
            }
            Ok(())
        }).unwrap();
        let bytes = b.into_vec();
        let m = Messages::with_mode(&bytes, Mode::Strict).next().unwrap().unwrap();
        prop_assert_eq!(m.header.nlmsg_len.get() as usize, bytes.len());
        prop_assert_eq!(bytes.len() == 16, error.is_none());
        let d = NlMsgDone::parse(m.payload, flags, Mode::Strict).unwrap();
        prop_assert_eq!(d.error, error);
        match &ext {
            Some(x) => check_ext(d.ext_ack(), x)?,
            None => prop_assert!(d.ext_ack.is_empty()),
        }
    }

    /// Any bytes: the walks end, errors point inside the buffer, strict
    /// accepts a prefix of what lenient accepts.
    #[test]
    fn any_bytes_walk_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let lenient: Vec<_> = Messages::new(&bytes).collect();
        let strict: Vec<_> = Messages::with_mode(&bytes, Mode::Strict).collect();
        prop_assert!(lenient.len() <= bytes.len() / 16 + 1);
        for (s, l) in strict.iter().zip(&lenient) {
            if let Ok(s) = s {
                prop_assert_eq!(Ok(*s), *l);
            }
        }
        for r in lenient.iter().chain(&strict) {
            if let Err(e) = r {
                prop_assert!(e.offset() <= bytes.len());
            }
        }
        let attrs: Vec<_> = RawAttrs::new(&bytes).collect();
        prop_assert!(attrs.len() <= bytes.len() / 4 + 1);
        for r in &attrs {
            match r {
                Ok(a) => prop_assert!(a.payload_offset() + a.payload.len() <= bytes.len()),
                Err(e) => prop_assert!(e.offset() <= bytes.len()),
            }
        }
    }
}
