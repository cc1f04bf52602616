//! The structure-aware round trip (the `roundtrip` target): arbitrary
//! messages emitted with the `Builder`, parsed back, compared to the model.

#[allow(unused_imports)]
use super::*;

/// An attribute to emit.
#[derive(Debug, Clone)]
pub enum ArbAttr {
    /// Raw `nla_type` (kind and `NLA_F_NET_BYTEORDER`) and payload.
    Raw {
        /// Kind (masked to `NLA_TYPE_MASK`).
        kind: u16,
        /// `NLA_F_NET_BYTEORDER`.
        net: bool,
        /// Payload.
        payload: Vec<u8>,
    },
    /// A typed attribute of [`FuzzAttr`].
    Typed(ArbTyped),
    /// A nested attribute.
    Nested {
        /// Kind.
        kind: u16,
        /// Set `NLA_F_NESTED`.
        flag: bool,
        /// Contents.
        children: Vec<ArbAttr>,
    },
}

/// A typed value of [`FuzzAttr`] (all but the nested ones).
#[derive(Debug, Clone, Arbitrary)]
pub enum ArbTyped {
    /// `FUZZ_U8`.
    U8(u8),
    /// `FUZZ_U16`.
    U16(u16),
    /// `FUZZ_U32`.
    U32(u32),
    /// `FUZZ_U64`.
    U64(u64),
    /// `FUZZ_I32`.
    I32(i32),
    /// `FUZZ_I64`.
    I64(i64),
    /// `FUZZ_BE16`.
    Be16(u16),
    /// `FUZZ_BE32`.
    Be32(u32),
    /// `FUZZ_STR`.
    Str(Vec<u8>),
    /// `FUZZ_BYTES`.
    Bytes(Vec<u8>),
    /// `FUZZ_FLAG`.
    Flag,
    /// `FUZZ_ARRAY`.
    Array(Vec<u32>),
    /// `FUZZ_HDR`.
    Hdr(u32, u16, u16, u32, u32),
    /// `FUZZ_ZC_I32`.
    ZcI32(i32),
}

/// An extended-ACK attribute to emit.
#[derive(Debug, Clone, Arbitrary)]
pub enum ArbExtAck {
    /// `NLMSGERR_ATTR_MSG` (a NUL is appended).
    Msg(Vec<u8>),
    /// `NLMSGERR_ATTR_OFFS`.
    Offs(u32),
    /// `NLMSGERR_ATTR_COOKIE`.
    Cookie(Vec<u8>),
    /// `NLMSGERR_ATTR_POLICY`.
    Policy(Vec<ArbPolicy>),
    /// `NLMSGERR_ATTR_MISS_TYPE`.
    MissType(u32),
    /// `NLMSGERR_ATTR_MISS_NEST`.
    MissNest(u32),
}

/// A policy attribute to emit.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum ArbPolicy {
    /// `NL_POLICY_TYPE_ATTR_TYPE`.
    Type(u32),
    /// `NL_POLICY_TYPE_ATTR_MIN_VALUE_S`.
    MinS(i64),
    /// `NL_POLICY_TYPE_ATTR_MAX_VALUE_U`.
    MaxU(u64),
    /// `NL_POLICY_TYPE_ATTR_MAX_LENGTH`.
    MaxLen(u32),
    /// `NL_POLICY_TYPE_ATTR_MASK`.
    Mask(u64),
}

impl ArbPolicy {
    fn to_attr(self) -> PolicyAttr<'static> {
        match self {
            // Every `NL_ATTR_TYPE_*` the codec names (0..=17): strict
            // parsing refuses a value `NlAttrType` does not know.
            ArbPolicy::Type(x) => PolicyAttr::Type(nlwire::flags::EnumVal::new(x % 18)),
            ArbPolicy::MinS(x) => PolicyAttr::MinValueS(x),
            ArbPolicy::MaxU(x) => PolicyAttr::MaxValueU(x),
            ArbPolicy::MaxLen(x) => PolicyAttr::MaxLength(x),
            ArbPolicy::Mask(x) => PolicyAttr::Mask(x),
        }
    }
}

/// The body of a message to emit.
#[derive(Debug, Clone)]
pub enum ArbBody {
    /// Raw payload bytes.
    Raw(Vec<u8>),
    /// An optional 4-byte family header, then attributes.
    Attrs(Option<[u8; 4]>, Vec<ArbAttr>),
    /// `NLMSG_ERROR`.
    Error {
        /// `error`.
        error: i32,
        /// The echoed header (its `nlmsg_len` is fixed up unless capped).
        req: (u32, u16, u16, u32, u32),
        /// `NLM_F_CAPPED`.
        capped: bool,
        /// The echoed payload (dropped when capped).
        echo: Vec<u8>,
        /// Extended ACK (sets `NLM_F_ACK_TLVS`).
        ext: Option<Vec<ArbExtAck>>,
    },
    /// `NLMSG_DONE`.
    Done {
        /// The error int (absent: a 16-byte DONE).
        error: Option<i32>,
        /// Extended ACK (only with an error int).
        ext: Option<Vec<ArbExtAck>>,
    },
}

/// A message to emit.
#[derive(Debug, Clone)]
pub struct ArbMsg {
    /// `nlmsg_type` (forced to 2/3 for error/done bodies).
    pub ty: u16,
    /// `nlmsg_flags` (ACK bits fixed up for error/done bodies).
    pub flags: u16,
    /// `nlmsg_seq`.
    pub seq: u32,
    /// `nlmsg_pid`.
    pub pid: u32,
    /// Body.
    pub body: ArbBody,
}

pub(crate) fn arb_attrs(u: &mut Unstructured<'_>, depth: usize) -> arbitrary::Result<Vec<ArbAttr>> {
    let mut out = Vec::new();
    while out.len() < 64 && u.arbitrary::<bool>()? {
        let a = match u.int_in_range(0u8..=2)? {
            0 => ArbAttr::Raw {
                kind: u.arbitrary::<u16>()? & NLA_TYPE_MASK,
                net: u.arbitrary()?,
                payload: u.arbitrary()?,
            },
            1 => ArbAttr::Typed(u.arbitrary()?),
            _ if depth < MAX_NEST_DEPTH => ArbAttr::Nested {
                kind: u.arbitrary::<u16>()? & NLA_TYPE_MASK,
                flag: u.arbitrary()?,
                children: arb_attrs(u, depth + 1)?,
            },
            _ => ArbAttr::Typed(ArbTyped::Flag),
        };
        out.push(a);
    }
    Ok(out)
}

pub(crate) fn arb_msg(u: &mut Unstructured<'_>) -> arbitrary::Result<ArbMsg> {
    let (ty, flags, seq, pid) = u.arbitrary()?;
    let body = match u.int_in_range(0u8..=3)? {
        0 => ArbBody::Raw(u.arbitrary()?),
        1 => ArbBody::Attrs(u.arbitrary()?, arb_attrs(u, 0)?),
        2 => ArbBody::Error {
            error: u.arbitrary()?,
            req: u.arbitrary()?,
            capped: u.arbitrary()?,
            echo: u.arbitrary()?,
            ext: u.arbitrary()?,
        },
        _ => {
            let error: Option<i32> = u.arbitrary()?;
            let ext = if error.is_some() {
                u.arbitrary()?
            } else {
                None
            };
            ArbBody::Done { error, ext }
        }
    };
    Ok(ArbMsg {
        ty,
        flags,
        seq,
        pid,
        body,
    })
}

/// Build arbitrary messages from fuzzer bytes.
pub fn arb_msgs(data: &[u8]) -> Vec<ArbMsg> {
    let mut u = Unstructured::new(data);
    let mut msgs = Vec::new();
    while msgs.len() < 32 && !u.is_empty() {
        match arb_msg(&mut u) {
            Ok(m) => msgs.push(m),
            Err(_) => break,
        }
    }
    msgs
}

impl ArbMsg {
    fn header_fields(&self) -> (u16, u16) {
        match &self.body {
            ArbBody::Error { capped, ext, .. } => {
                let mut f = self.flags & !(NLM_F_CAPPED | NLM_F_ACK_TLVS);
                if *capped {
                    f |= NLM_F_CAPPED;
                }
                if ext.is_some() {
                    f |= NLM_F_ACK_TLVS;
                }
                (NlMsgType::Error.raw(), f)
            }
            ArbBody::Done { ext, .. } => {
                let f =
                    (self.flags & !NLM_F_ACK_TLVS) | if ext.is_some() { NLM_F_ACK_TLVS } else { 0 };
                (NlMsgType::Done.raw(), f)
            }
            _ => (self.ty, self.flags),
        }
    }
}

pub(crate) fn typed_attr<'a>(
    t: &'a ArbTyped,
    arr: &'a [U32<NativeEndian>],
    hdr: &'a NlMsgHdr,
) -> FuzzAttr<'a> {
    match t {
        ArbTyped::U8(x) => FuzzAttr::U8(*x),
        ArbTyped::U16(x) => FuzzAttr::U16(*x),
        ArbTyped::U32(x) => FuzzAttr::U32(*x),
        ArbTyped::U64(x) => FuzzAttr::U64(*x),
        ArbTyped::I32(x) => FuzzAttr::I32(*x),
        ArbTyped::I64(x) => FuzzAttr::I64(*x),
        ArbTyped::Be16(x) => FuzzAttr::Be16(U16::new(*x)),
        ArbTyped::Be32(x) => FuzzAttr::Be32(U32::new(*x)),
        ArbTyped::Str(s) => FuzzAttr::Str(NulStr(s)),
        ArbTyped::Bytes(s) => FuzzAttr::Bytes(Bytes(s)),
        ArbTyped::Flag => FuzzAttr::Flag(Flag),
        ArbTyped::Array(_) => FuzzAttr::Array(Array(arr)),
        ArbTyped::Hdr(..) => FuzzAttr::Hdr(hdr),
        ArbTyped::ZcI32(x) => FuzzAttr::ZcI32(I32::new(*x)),
    }
}

pub(crate) fn typed_parts(t: &ArbTyped) -> (Vec<U32<NativeEndian>>, NlMsgHdr) {
    let arr = match t {
        ArbTyped::Array(v) => v.iter().map(|&x| U32::new(x)).collect(),
        _ => Vec::new(),
    };
    let hdr = match *t {
        ArbTyped::Hdr(a, b, c, d, e) => NlMsgHdr::new(a, b, c, d, e),
        _ => NlMsgHdr::new(0, 0, 0, 0, 0),
    };
    (arr, hdr)
}

pub(crate) fn emit_attrs<S: nlwire::netlink::Sink>(
    b: &mut Builder<S>,
    attrs: &[ArbAttr],
) -> nlwire::Result<()> {
    for a in attrs {
        match a {
            ArbAttr::Raw { kind, net, payload } => {
                b.attr_raw(kind | if *net { NLA_F_NET_BYTEORDER } else { 0 }, payload)?;
            }
            ArbAttr::Typed(t) => {
                let (arr, hdr) = typed_parts(t);
                let fa = typed_attr(t, &arr, &hdr);
                // Both emit paths: the set's, and the generic payload one.
                b.attr_set(&fa)?;
            }
            ArbAttr::Nested {
                kind,
                flag,
                children,
            } => b.nested(*kind, *flag, |b| emit_attrs(b, children))?,
        }
    }
    Ok(())
}

pub(crate) fn emit_ext<S: nlwire::netlink::Sink>(
    b: &mut Builder<S>,
    ext: &[ArbExtAck],
) -> nlwire::Result<()> {
    for e in ext {
        match e {
            ArbExtAck::Msg(s) => {
                let mut z = s.clone();
                z.push(0);
                b.attr_set(&ExtAckAttr::Msg(NulStr(&z)))?;
            }
            ArbExtAck::Offs(x) => b.attr_set(&ExtAckAttr::Offs(*x))?,
            ArbExtAck::Cookie(c) => b.attr_set(&ExtAckAttr::Cookie(Bytes(c)))?,
            ArbExtAck::Policy(p) => b.nested(4, true, |b| {
                for x in p {
                    b.attr_set(&x.to_attr())?;
                }
                Ok(())
            })?,
            ArbExtAck::MissType(x) => b.attr_set(&ExtAckAttr::MissType(*x))?,
            ArbExtAck::MissNest(x) => b.attr_set(&ExtAckAttr::MissNest(*x))?,
        }
    }
    Ok(())
}

/// Emit the model with any sink.
pub fn emit_msgs<S: nlwire::netlink::Sink>(
    b: &mut Builder<S>,
    msgs: &[ArbMsg],
) -> nlwire::Result<()> {
    for m in msgs {
        let (ty, flags) = m.header_fields();
        b.message(ty, flags, m.seq, m.pid, |b| match &m.body {
            ArbBody::Raw(p) => b.put_bytes(p),
            ArbBody::Attrs(h, attrs) => {
                if let Some(h) = h {
                    b.put_bytes(h)?;
                }
                emit_attrs(b, attrs)
            }
            ArbBody::Error {
                error,
                req,
                capped,
                echo,
                ext,
            } => {
                b.put_bytes(&error.to_ne_bytes())?;
                let len = if *capped {
                    req.0
                } else {
                    16 + echo.len() as u32
                };
                b.put_struct(&NlMsgHdr::new(len, req.1, req.2, req.3, req.4))?;
                if !*capped {
                    b.put_bytes(echo)?;
                }
                match ext {
                    Some(ext) => emit_ext(b, ext),
                    None => Ok(()),
                }
            }
            ArbBody::Done { error, ext } => {
                if let Some(e) = error {
                    b.put_bytes(&e.to_ne_bytes())?;
                    if let Some(ext) = ext {
                        emit_ext(b, ext)?;
                    }
                }
                Ok(())
            }
        })?;
    }
    Ok(())
}

/// Check that a parsed attribute stream is the model.
pub(crate) fn check_attrs(bytes: &[u8], model: &[ArbAttr]) {
    let got: Vec<RawAttr<'_>> = RawAttrs::with(bytes, 0, Mode::Strict)
        .collect::<Result<_, _>>()
        .expect("strict attributes");
    assert_eq!(got.len(), model.len(), "attribute count");
    for (a, m) in got.iter().zip(model) {
        match m {
            ArbAttr::Raw { kind, net, payload } => {
                assert_eq!(a.kind, *kind);
                assert_eq!(a.flags, if *net { NLA_F_NET_BYTEORDER } else { 0 });
                assert_eq!(a.payload, &payload[..]);
            }
            ArbAttr::Typed(t) => {
                let (arr, hdr) = typed_parts(t);
                let want = typed_attr(t, &arr, &hdr);
                let parsed =
                    FuzzAttr::from_raw(*a, Mode::Strict).expect("typed attribute parses strictly");
                assert_eq!(parsed, want);
                assert_eq!(a.flags, want.nla_flags());
                if let (FuzzAttr::Str(s), ArbTyped::Str(raw)) = (parsed, t) {
                    let end = raw.iter().position(|&c| c == 0).unwrap_or(raw.len());
                    assert_eq!(s.to_bytes(), &raw[..end]);
                }
            }
            ArbAttr::Nested {
                kind,
                flag,
                children,
            } => {
                assert_eq!(a.kind, *kind);
                assert_eq!(a.is_nested(), *flag);
                check_attrs(a.payload, children);
            }
        }
    }
}

pub(crate) fn check_ext(e: Attrs<'_, ExtAckAttr<'_>>, model: &[ArbExtAck]) {
    let got: Vec<_> = e.collect::<Result<_, _>>().expect("strict ext ACK");
    assert_eq!(got.len(), model.len());
    for (g, m) in got.iter().zip(model) {
        match (g, m) {
            (ExtAckAttr::Msg(s), ArbExtAck::Msg(want)) => {
                assert_eq!(s.0.len(), want.len() + 1);
                assert_eq!(&s.0[..want.len()], &want[..]);
            }
            (ExtAckAttr::Offs(x), ArbExtAck::Offs(y)) => assert_eq!(x, y),
            (ExtAckAttr::Cookie(x), ArbExtAck::Cookie(y)) => assert_eq!(x.0, &y[..]),
            (ExtAckAttr::Policy(p), ArbExtAck::Policy(want)) => {
                let got: Vec<_> = p.iter().collect::<Result<_, _>>().expect("strict policy");
                let want: Vec<_> = want.iter().map(|x| x.to_attr()).collect();
                assert_eq!(got, want);
            }
            (ExtAckAttr::MissType(x), ArbExtAck::MissType(y)) => assert_eq!(x, y),
            (ExtAckAttr::MissNest(x), ArbExtAck::MissNest(y)) => assert_eq!(x, y),
            _ => panic!("ext ACK {g:?} parsed for {m:?}"),
        }
    }
}

/// Whether the model fits every length field (`nla_len` is 16 bits).
pub(crate) fn attrs_fit(attrs: &[ArbAttr]) -> bool {
    fn size(a: &ArbAttr) -> Option<usize> {
        let payload = match a {
            ArbAttr::Raw { payload, .. } => payload.len(),
            ArbAttr::Typed(t) => {
                let (arr, hdr) = typed_parts(t);
                nlwire::netlink::AttributeSet::payload_len(&typed_attr(t, &arr, &hdr))
            }
            ArbAttr::Nested { children, .. } => {
                let mut n = 0usize;
                for c in children {
                    n += size(c)?;
                }
                n
            }
        };
        let total = 4 + payload;
        (total <= usize::from(u16::MAX)).then(|| nla_align(total))
    }
    attrs.iter().all(|a| size(a).is_some())
}

/// Whether every extended-ACK attribute fits its 16-bit `nla_len`.
pub(crate) fn ext_fits(ext: &[ArbExtAck]) -> bool {
    ext.iter().all(|e| match e {
        ArbExtAck::Msg(s) => s.len() < nlwire::netlink::NLA_MAX_PAYLOAD,
        ArbExtAck::Cookie(c) => c.len() <= nlwire::netlink::NLA_MAX_PAYLOAD,
        ArbExtAck::Policy(p) => {
            p.iter()
                .map(|x| nla_align(4 + nlwire::netlink::AttributeSet::payload_len(&x.to_attr())))
                .sum::<usize>()
                <= nlwire::netlink::NLA_MAX_PAYLOAD
        }
        _ => true,
    })
}

/// Structure-aware round trip: arbitrary messages (attributes nested up to
/// `MAX_NEST_DEPTH`, every payload type, errors capped and uncapped with
/// extended ACK, DONE of 16 and 20+ bytes) are emitted with the builder into
/// a `Vec` and into slices, parsed back strictly and compared with the model;
/// the bytes then go through the byte-level targets and must re-emit
/// unchanged.
pub fn target_roundtrip(data: &[u8]) {
    let msgs = arb_msgs(data);
    let mut b = Builder::new_vec();
    let res = emit_msgs(&mut b, &msgs);
    let fits = msgs.iter().all(|m| match &m.body {
        ArbBody::Attrs(_, a) => attrs_fit(a),
        ArbBody::Error { ext: Some(x), .. }
        | ArbBody::Done {
            error: Some(_),
            ext: Some(x),
        } => ext_fits(x),
        _ => true,
    });
    if !fits {
        let e = res.expect_err("an attribute over 65535 bytes was emitted");
        assert_eq!(e.kind, ErrorKind::TooLong);
        return;
    }
    res.expect("emit into a Vec");
    let bytes = b.into_vec();

    // Into a slice of exactly the right size (pre-filled so an unwritten byte
    // shows), and into slices too small by one byte and by half.
    let mut buf = vec![0xa5u8; bytes.len()];
    let mut sb = Builder::new(&mut buf[..]);
    emit_msgs(&mut sb, &msgs).expect("emit into an exact slice");
    assert_eq!(sb.len(), bytes.len());
    assert_eq!(buf, bytes, "slice and Vec sinks differ");
    for short in [bytes.len().saturating_sub(1), bytes.len() / 2] {
        if short == bytes.len() {
            continue;
        }
        let mut buf = vec![0xa5u8; short];
        let mut sb = Builder::new(&mut buf[..]);
        let e = emit_msgs(&mut sb, &msgs).expect_err("emit into a short slice");
        assert_eq!(e.kind, ErrorKind::BufferTooSmall);
    }

    // Parse back strictly and compare with the model.
    let parsed: Vec<_> = Messages::with_mode(&bytes, Mode::Strict)
        .collect::<Result<_, _>>()
        .expect("strict walk of emitted bytes");
    assert_eq!(parsed.len(), msgs.len());
    for (p, m) in parsed.iter().zip(&msgs) {
        let (ty, flags) = m.header_fields();
        let h = p.header;
        assert_eq!(
            (
                h.nlmsg_type.get(),
                h.nlmsg_flags.get(),
                h.nlmsg_seq.get(),
                h.nlmsg_pid.get()
            ),
            (ty, flags, m.seq, m.pid)
        );
        match &m.body {
            ArbBody::Raw(raw) => assert_eq!(p.payload, &raw[..]),
            ArbBody::Attrs(fam, attrs) => {
                let rest = match fam {
                    Some(f) => {
                        assert_eq!(&p.payload[..4], &f[..]);
                        &p.payload[4..]
                    }
                    None => p.payload,
                };
                check_attrs(rest, attrs);
            }
            ArbBody::Error {
                error,
                req,
                capped,
                echo,
                ext,
            } => {
                let e = NlMsgErr::parse(p.payload, flags, Mode::Strict).expect("strict nlmsgerr");
                assert_eq!(e.error, *error);
                assert_eq!(e.capped, *capped);
                let len = if *capped {
                    req.0
                } else {
                    16 + echo.len() as u32
                };
                assert_eq!(*e.request, NlMsgHdr::new(len, req.1, req.2, req.3, req.4));
                assert_eq!(e.request_payload, if *capped { &[][..] } else { &echo[..] });
                match ext {
                    Some(x) => check_ext(e.ext_ack(), x),
                    None => assert!(e.ext_ack.is_empty()),
                }
                let want_msg = ext.as_ref().and_then(|x| {
                    x.iter().find_map(|a| match a {
                        ArbExtAck::Msg(s) => {
                            Some(s.iter().position(|&c| c == 0).map_or(&s[..], |n| &s[..n]))
                        }
                        _ => None,
                    })
                });
                assert_eq!(e.message(), want_msg);
            }
            ArbBody::Done { error, ext } => {
                let d =
                    NlMsgDone::parse(p.payload, flags, Mode::Strict).expect("strict NLMSG_DONE");
                assert_eq!(d.error, *error);
                match ext {
                    Some(x) => check_ext(d.ext_ack(), x),
                    None => assert!(d.ext_ack.is_empty()),
                }
            }
        }
    }

    // Canonical bytes: strict parse → emit gives the same bytes.
    assert_eq!(
        reemit(&bytes).as_deref(),
        Some(&bytes[..]),
        "emitted bytes do not re-emit unchanged"
    );
    target_messages(&bytes);
}
