//! The bodies of nlwire's fuzz targets, as plain functions of bytes.
//!
//! Each `target_<name>(data: &[u8])` is called by the libFuzzer target
//! `fuzz/fuzz_targets/<name>.rs` and, on stable, by the workspace test
//! `tests/fuzz_corpus.rs`, which replays every file of
//! `fuzz/corpus/<name>/` through it. A target panics (a crash for libFuzzer,
//! a failure for `cargo test`) only when nlwire broke a promise: it panicked
//! itself, disagreed with the kernel's walking rules (checked against a small
//! reference walker written here from `NLMSG_OK`/`nla_ok`), reported an error
//! outside the buffer, walked unbalanced or unboundedly deep, or failed to
//! round-trip.
//!
//! This file is compiled twice: as the root of the `nlwire-fuzz` crate and as
//! a module of the workspace test (`#[path = "../fuzz/src/lib.rs"] mod
//! targets;`), so it uses only crates both have (`nlwire`, `zerocopy`,
//! `arbitrary`) and no crate-level attributes but `forbid`.
#![forbid(unsafe_code)]
#![allow(dead_code)]

use core::fmt::Write as _;

use arbitrary::{Arbitrary, Unstructured};
use nlwire::netlink::{
    nla_align, walk_attrs, AttributeSet, Attrs, Builder, ExtAckAttr, Messages, Nested, NlMsgDone,
    NlMsgErr, NlMsgErrHdr, NlMsgHdr, NlMsgType, PolicyAttr, RawAttr, RawAttrs, RawMessage,
    NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK, NLM_F_ACK_TLVS, NLM_F_CAPPED,
};
use nlwire::payload::{Array, Bytes, Flag, NulStr};
use nlwire::value::{Value, Visitor, Walk};
use nlwire::wire::WireStruct;
use nlwire::{attribute_set, Error, ErrorKind, Mode, MAX_NEST_DEPTH};
use zerocopy::byteorder::{BigEndian, NativeEndian, I32, U16, U32};
use zerocopy::IntoBytes;

#[path = "dump.rs"]
pub mod dump;
#[path = "emit.rs"]
pub mod emit;
#[path = "sock_diag_api.rs"]
pub mod sock_diag_api;
#[path = "ss_filter.rs"]
pub mod ss_filter;
pub use dump::target_dump;
pub use emit::target_bytecode_emit;
pub use ss_filter::target_ss_filter;

/// A target's body.
pub type Target = fn(&[u8]);

/// Every target: its name (`fuzz/fuzz_targets/<name>.rs`,
/// `fuzz/corpus/<name>/`) and its body.
pub const TARGETS: &[(&str, Target)] = &[
    ("messages", target_messages),
    ("messages_strict", target_messages_strict),
    ("attrs", target_attrs),
    ("nlmsgerr", target_nlmsgerr),
    ("roundtrip", target_roundtrip),
    ("inet_diag", target_inet_diag),
    ("unix_diag", target_unix_diag),
    ("tcp_info", target_tcp_info),
    ("bytecode", target_bytecode),
    ("bytecode_text", target_bytecode_text),
    ("decode", target_decode),
    ("nlmon", target_nlmon),
    ("capture", target_capture),
    ("ss_filter", target_ss_filter),
    ("dump", target_dump),
    ("bytecode_emit", target_bytecode_emit),
];

// ---------------------------------------------------------------------------
// A visitor that checks the walk.
// ---------------------------------------------------------------------------

/// Deepest group nesting a walk may open: the nested-attribute limit plus
/// room for the groups around it (message, header, attribute, struct).
pub const DEPTH_LIMIT: usize = MAX_NEST_DEPTH + 8;

/// Counts bytes written by `Display`/`Debug` (so formatting is exercised
/// without allocating).
#[derive(Default)]
pub struct Discard(pub usize);

impl core::fmt::Write for Discard {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.0 = self.0.wrapping_add(s.len());
        Ok(())
    }
}

/// A [`Visitor`] that tracks depth and checks that the walk is balanced,
/// bounded in depth, names every field, and reports errors inside the input.
pub struct CheckVisitor {
    /// Groups open now.
    pub depth: usize,
    /// Deepest the walk went.
    pub max_depth: usize,
    /// Fields, groups and errors reported.
    pub events: usize,
    /// Errors reported.
    pub errors: usize,
    /// `TooDeep` errors reported.
    pub too_deep: usize,
    /// Length of the outermost input: no error offset may exceed it.
    pub limit: usize,
    out: Discard,
}

impl CheckVisitor {
    /// A visitor for an input of `limit` bytes.
    pub fn new(limit: usize) -> Self {
        CheckVisitor {
            depth: 0,
            max_depth: 0,
            events: 0,
            errors: 0,
            too_deep: 0,
            limit,
            out: Discard(0),
        }
    }
    /// Check the walk ended balanced and produced a bounded amount of output.
    pub fn finish(&self) {
        assert_eq!(self.depth, 0, "walk left groups open");
        assert!(
            self.events <= 64usize.saturating_mul(self.limit.saturating_add(64)),
            "walk reported {} events for {} bytes",
            self.events,
            self.limit
        );
    }
}

impl Visitor for CheckVisitor {
    fn field(&mut self, name: &str, value: Value<'_>) {
        assert!(!name.is_empty(), "field without a name");
        let _ = write!(self.out, "{name}={value:?}");
        if let Value::Bytes(b) | Value::Str(b) = value {
            assert!(b.len() <= self.limit, "walked value longer than the input");
        }
        self.events += 1;
    }
    fn begin(&mut self, name: &str) {
        assert!(!name.is_empty(), "group without a name");
        self.depth += 1;
        assert!(
            self.depth <= DEPTH_LIMIT,
            "walk nested {} groups deep",
            self.depth
        );
        self.max_depth = self.max_depth.max(self.depth);
        self.events += 1;
    }
    fn end(&mut self) {
        assert!(self.depth > 0, "end() without begin()");
        self.depth -= 1;
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, e: Error) {
        check_error(&e, self.limit);
        if e.kind == ErrorKind::TooDeep {
            self.too_deep += 1;
        }
        self.errors += 1;
        self.events += 1;
    }
}

/// An error must point inside (or at the end of) the input and format.
pub fn check_error(e: &Error, limit: usize) {
    assert!(
        e.offset <= limit,
        "error offset {} past the input ({limit} bytes): {e:?}",
        e.offset
    );
    assert!(!e.what.is_empty(), "error without `what`: {e:?}");
    let mut d = Discard(0);
    let _ = write!(d, "{e}");
    assert!(d.0 > 0);
}

// ---------------------------------------------------------------------------
// An attribute set that uses every payload type, recursively nested.
// ---------------------------------------------------------------------------

/// A test attribute set with one kind per payload type, nesting itself.
#[attribute_set(name = "fuzz_attrs")]
pub enum FuzzAttr<'a> {
    /// Nested, recursively.
    #[nl(kind = 1, name = "FUZZ_NEST", flags = NLA_F_NESTED)]
    Nest(Nested<'a, FuzzAttr<'a>>),
    /// `u8`.
    #[nl(kind = 2, name = "FUZZ_U8")]
    U8(u8),
    /// `u16`.
    #[nl(kind = 3, name = "FUZZ_U16")]
    U16(u16),
    /// `u32`.
    #[nl(kind = 4, name = "FUZZ_U32")]
    U32(u32),
    /// `u64`.
    #[nl(kind = 5, name = "FUZZ_U64")]
    U64(u64),
    /// `i32`.
    #[nl(kind = 6, name = "FUZZ_I32")]
    I32(i32),
    /// `i64`.
    #[nl(kind = 7, name = "FUZZ_I64")]
    I64(i64),
    /// `__be16`.
    #[nl(kind = 8, name = "FUZZ_BE16")]
    Be16(U16<BigEndian>),
    /// `__be32`.
    #[nl(kind = 9, name = "FUZZ_BE32")]
    Be32(U32<BigEndian>),
    /// A C string.
    #[nl(kind = 10, name = "FUZZ_STR")]
    Str(NulStr<'a>),
    /// Bytes.
    #[nl(kind = 11, name = "FUZZ_BYTES")]
    Bytes(Bytes<'a>),
    /// A flag.
    #[nl(kind = 12, name = "FUZZ_FLAG")]
    Flag(Flag),
    /// `__u32[]`.
    #[nl(kind = 13, name = "FUZZ_ARRAY")]
    Array(Array<'a, U32<NativeEndian>>),
    /// A wire struct.
    #[nl(kind = 14, name = "FUZZ_HDR")]
    Hdr(&'a NlMsgHdr),
    /// Another declared set, nested.
    #[nl(kind = 15, name = "FUZZ_EXT_ACK", flags = NLA_F_NESTED)]
    ExtAck(Nested<'a, ExtAckAttr<'a>>),
    /// `i32` in host order, zerocopy.
    #[nl(kind = 16, name = "FUZZ_ZC_I32")]
    ZcI32(I32<NativeEndian>),
}

// ---------------------------------------------------------------------------
// Reference walkers, written from the kernel's NLMSG_OK / nla_ok.
// ---------------------------------------------------------------------------

/// One step of a walk: an element at `offset` of `len` bytes (its length
/// field), or an error of `kind` at `offset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A valid element.
    Ok {
        /// Offset of its header.
        offset: usize,
        /// Its length field.
        len: usize,
    },
    /// The walk stopped with an error.
    Err {
        /// Where.
        offset: usize,
        /// Why.
        kind: ErrorKind,
    },
}

/// The kernel's loop, in signed arithmetic: valid while `remaining >= hdr &&
/// len >= hdr && len <= remaining`, advance by the aligned length. Strict
/// adds: trailing bytes and non-zero padding are errors. Returns the steps
/// and the number of bytes left over (lenient) .
pub fn reference_walk(buf: &[u8], hdr: usize, wide: bool, strict: bool) -> (Vec<Step>, usize) {
    let mut out = Vec::new();
    let mut rem = buf.len() as i128;
    let mut pos = 0usize;
    while rem >= hdr as i128 {
        let len = if wide {
            u32::from_ne_bytes([buf[pos], buf[pos + 1], buf[pos + 2], buf[pos + 3]]) as i128
        } else {
            u16::from_ne_bytes([buf[pos], buf[pos + 1]]) as i128
        };
        if len < hdr as i128 {
            out.push(Step::Err {
                offset: pos,
                kind: ErrorKind::LengthTooSmall,
            });
            return (out, 0);
        }
        if len > rem {
            out.push(Step::Err {
                offset: pos,
                kind: ErrorKind::LengthPastEnd,
            });
            return (out, 0);
        }
        let adv = (len + 3) & !3;
        let end = pos + len as usize;
        let padded = (pos as i128 + adv).min(buf.len() as i128) as usize;
        if strict && buf[end..padded].iter().any(|&b| b != 0) {
            out.push(Step::Err {
                offset: end,
                kind: ErrorKind::NonZeroPad,
            });
            return (out, 0);
        }
        out.push(Step::Ok {
            offset: pos,
            len: len as usize,
        });
        rem -= adv;
        pos = padded;
    }
    let left = rem.max(0) as usize;
    if strict && left > 0 {
        out.push(Step::Err {
            offset: pos,
            kind: ErrorKind::Trailing,
        });
        return (out, 0);
    }
    (out, left)
}

/// Offset of `inner` inside `outer`, if it is a sub-slice (empty slices are
/// accepted anywhere).
pub fn offset_in(outer: &[u8], inner: &[u8]) -> Option<usize> {
    if inner.is_empty() {
        return Some(0);
    }
    let o = outer.as_ptr() as usize;
    let i = inner.as_ptr() as usize;
    let off = i.checked_sub(o)?;
    (off.checked_add(inner.len())? <= outer.len()).then_some(off)
}

fn read_u32_ne(b: &[u8]) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[..4]);
    u32::from_ne_bytes(a)
}

/// Walk `buf` with [`Messages`] in `mode`, check every step against the
/// reference walker, and return the messages.
pub fn checked_messages(buf: &[u8], mode: Mode) -> Vec<RawMessage<'_>> {
    let (want, left) = reference_walk(buf, 16, true, mode.is_strict());
    let mut it = Messages::with_mode(buf, mode);
    let mut got = Vec::new();
    let mut msgs = Vec::new();
    for item in it.by_ref() {
        match item {
            Ok(m) => {
                assert_eq!(
                    offset_in(buf, m.bytes),
                    Some(m.offset),
                    "message bytes not at its offset"
                );
                assert_eq!(m.bytes.len(), m.header.nlmsg_len.get() as usize);
                assert_eq!(m.payload.len() + 16, m.bytes.len());
                if !m.payload.is_empty() {
                    assert_eq!(offset_in(buf, m.payload), Some(m.payload_offset()));
                }
                got.push(Step::Ok {
                    offset: m.offset,
                    len: m.bytes.len(),
                });
                msgs.push(m);
            }
            Err(e) => {
                check_error(&e, buf.len());
                got.push(Step::Err {
                    offset: e.offset,
                    kind: e.kind,
                });
            }
        }
        assert!(
            got.len() <= buf.len() / 16 + 1,
            "more messages than the buffer can hold"
        );
    }
    assert!(it.next().is_none(), "Messages is not fused");
    assert_eq!(
        got, want,
        "Messages disagrees with NLMSG_OK/NLMSG_NEXT ({mode:?})"
    );
    if !matches!(want.last(), Some(Step::Err { .. })) {
        assert_eq!(it.remaining().len(), left, "remaining() after the walk");
    }
    msgs
}

/// Walk `buf` (an attribute stream at `base` of the outermost buffer of
/// `limit` bytes) with [`RawAttrs`] in `mode`, check against the reference
/// walker, and return the attributes.
pub fn checked_attrs(buf: &[u8], base: usize, mode: Mode, limit: usize) -> Vec<RawAttr<'_>> {
    let (want, left) = reference_walk(buf, 4, false, mode.is_strict());
    let want: Vec<Step> = want
        .into_iter()
        .map(|s| match s {
            Step::Ok { offset, len } => Step::Ok {
                offset: offset + base,
                len,
            },
            Step::Err { offset, kind } => Step::Err {
                offset: offset + base,
                kind,
            },
        })
        .collect();
    let mut it = RawAttrs::with(buf, base, mode);
    let mut got = Vec::new();
    let mut attrs = Vec::new();
    for item in it.by_ref() {
        match item {
            Ok(a) => {
                assert_eq!(a.kind & !NLA_TYPE_MASK, 0, "kind has flag bits");
                assert_eq!(a.flags & NLA_TYPE_MASK, 0, "flags have kind bits");
                let off = a.offset - base;
                let at = offset_in(buf, a.payload);
                if !a.payload.is_empty() {
                    assert_eq!(at, Some(off + 4), "payload not after its header");
                }
                assert_eq!(a.payload_offset(), a.offset + 4);
                let raw_type = u16::from_ne_bytes([buf[off + 2], buf[off + 3]]);
                assert_eq!(a.kind | a.flags, raw_type);
                assert_eq!(a.is_nested(), raw_type & NLA_F_NESTED != 0);
                assert_eq!(a.is_net_byteorder(), raw_type & NLA_F_NET_BYTEORDER != 0);
                got.push(Step::Ok {
                    offset: a.offset,
                    len: a.payload.len() + 4,
                });
                attrs.push(a);
            }
            Err(e) => {
                check_error(&e, limit);
                got.push(Step::Err {
                    offset: e.offset,
                    kind: e.kind,
                });
            }
        }
        assert!(
            got.len() <= buf.len() / 4 + 1,
            "more attributes than the buffer can hold"
        );
    }
    assert!(it.next().is_none(), "RawAttrs is not fused");
    assert_eq!(
        got, want,
        "RawAttrs disagrees with nla_ok/nla_next ({mode:?})"
    );
    if !matches!(want.last(), Some(Step::Err { .. })) {
        assert_eq!(it.remaining().len(), left, "remaining() after the walk");
    }
    attrs
}

/// A generic walk of an untyped attribute stream: every payload that looks
/// like an attribute stream is walked as one, at most [`MAX_NEST_DEPTH`]
/// deep (deeper is reported as `TooDeep`, as the typed walkers do).
pub fn walk_raw(buf: &[u8], base: usize, mode: Mode, v: &mut CheckVisitor) {
    for a in checked_attrs(buf, base, mode, v.limit) {
        v.begin("nlattr");
        v.field("nla_type", Value::U64(u64::from(a.kind)));
        v.field(
            "nla_flags",
            Value::Flags {
                raw: u64::from(a.flags),
                names: nlwire::netlink::NLA_FLAG_NAMES,
            },
        );
        let looks_nested = a.is_nested()
            || (a.payload.len() >= 4 && {
                let l = usize::from(u16::from_ne_bytes([a.payload[0], a.payload[1]]));
                (4..=a.payload.len()).contains(&l)
            });
        if looks_nested {
            if v.depth() > MAX_NEST_DEPTH {
                v.error(
                    Error::new(ErrorKind::TooDeep, "nlattr", MAX_NEST_DEPTH, v.depth())
                        .at(a.payload_offset()),
                );
            } else {
                walk_raw(a.payload, a.payload_offset(), Mode::Lenient, v);
            }
        } else {
            v.field("payload", Value::Bytes(a.payload));
        }
        v.end();
    }
}

/// Walk a typed stream, checking that strict success implies lenient
/// success with the same values.
fn typed_stream<'a, A: AttributeSet<'a> + core::fmt::Debug>(
    buf: &'a [u8],
    base: usize,
    limit: usize,
) {
    let lenient: Vec<_> = Attrs::<A>::with(buf, base, Mode::Lenient).collect();
    let strict: Vec<_> = Attrs::<A>::with(buf, base, Mode::Strict).collect();
    for (s, l) in strict.iter().zip(lenient.iter()) {
        match (s, l) {
            (Ok(s), Ok(l)) => {
                assert_eq!(s.kind(), l.kind());
                assert_eq!(s.name(), l.name());
                assert_eq!(s.payload_len(), l.payload_len());
                assert_eq!(
                    s.nla_flags() & !NLA_TYPE_MASK,
                    s.nla_flags(),
                    "nla_flags() has kind bits"
                );
                // The typed payload writes back what it was parsed from
                // (fixed-size payloads: the bytes they were read from).
                let mut a = vec![0xa5u8; s.payload_len()];
                let mut b = vec![0x5au8; l.payload_len()];
                s.write_payload(&mut a);
                l.write_payload(&mut b);
                assert_eq!(a, b);
                assert!(A::kind_name(s.kind()).is_some() || s.name() == "UNKNOWN");
            }
            (Ok(s), Err(e)) => panic!("strict accepted {s:?} but lenient refused it: {e:?}"),
            (Err(e), _) => check_error(e, limit),
        }
    }
    for e in lenient.iter().filter_map(|r| r.as_ref().err()) {
        check_error(e, limit);
    }
    assert!(strict.len() <= lenient.len() + 1);
    for mode in [Mode::Lenient, Mode::Strict] {
        let mut v = CheckVisitor::new(limit);
        walk_attrs(Attrs::<A>::with(buf, base, mode), &mut v);
        v.finish();
    }
}

// ---------------------------------------------------------------------------
// Message bodies.
// ---------------------------------------------------------------------------

/// Check a parsed `NLMSG_ERROR` against its payload.
fn check_nlmsgerr(payload: &[u8], flags: u16, e: &NlMsgErr<'_>) {
    assert!(payload.len() >= 20);
    assert_eq!(e.error, read_u32_ne(payload) as i32);
    assert_eq!(offset_in(payload, e.request.as_bytes()), Some(4));
    assert_eq!(e.capped, flags & NLM_F_CAPPED != 0);
    let echo_at = offset_in(payload, e.request_payload).expect("echo inside the payload");
    if !e.request_payload.is_empty() {
        assert_eq!(echo_at, 20);
    }
    if e.capped {
        assert!(
            e.request_payload.is_empty(),
            "capped ACK with an echoed payload"
        );
    }
    assert!(e.request_payload.len() <= (e.request.nlmsg_len.get() as usize).saturating_sub(16));
    if flags & NLM_F_ACK_TLVS == 0 {
        assert!(e.ext_ack.is_empty(), "ext ACK without NLM_F_ACK_TLVS");
    } else if !e.ext_ack.is_empty() {
        let at = offset_in(payload, e.ext_ack).expect("ext ACK inside the payload");
        assert_eq!(at % 4, 0, "ext ACK not aligned");
        assert!(at >= 20 + e.request_payload.len());
        assert_eq!(
            at + e.ext_ack.len(),
            payload.len(),
            "ext ACK does not run to the end"
        );
    }
    let _ = e.is_ack();
    let m = e.message();
    if let Some(m) = m {
        assert!(!m.contains(&0));
    }
}

/// Check a parsed `NLMSG_DONE` against its payload.
fn check_nlmsgdone(payload: &[u8], flags: u16, d: &NlMsgDone<'_>) {
    match d.error {
        None => assert!(payload.is_empty()),
        Some(e) => assert_eq!(e, read_u32_ne(payload) as i32),
    }
    if flags & NLM_F_ACK_TLVS == 0 {
        assert!(d.ext_ack.is_empty());
    } else if !d.ext_ack.is_empty() {
        assert_eq!(offset_in(payload, d.ext_ack), Some(4));
    }
}

/// Decode both `NLMSG_ERROR` and `NLMSG_DONE` readings of `payload` in both
/// modes, check them, and walk them.
pub fn error_and_done(payload: &[u8], flags: u16, limit: usize) {
    let strict = NlMsgErr::parse(payload, flags, Mode::Strict);
    let lenient = NlMsgErr::parse(payload, flags, Mode::Lenient);
    match (&strict, &lenient) {
        (Ok(s), Ok(l)) => {
            assert_eq!(
                (s.error, s.request, s.request_payload, s.capped, s.ext_ack),
                (l.error, l.request, l.request_payload, l.capped, l.ext_ack)
            );
        }
        (Ok(s), Err(e)) => panic!("strict nlmsgerr {s:?} but lenient {e:?}"),
        _ => {}
    }
    for r in [&strict, &lenient] {
        match r {
            Ok(e) => {
                check_nlmsgerr(payload, flags, e);
                for a in e.ext_ack() {
                    match a {
                        Ok(ExtAckAttr::Policy(p)) => {
                            for x in p.iter() {
                                if let Err(err) = x {
                                    check_error(&err, limit);
                                }
                            }
                        }
                        Ok(_) => {}
                        Err(err) => check_error(&err, limit),
                    }
                }
                let mut v = CheckVisitor::new(limit);
                e.walk(&mut v);
                v.finish();
            }
            Err(err) => check_error(err, limit),
        }
    }
    if lenient.is_err() {
        assert!(
            payload.len() < NlMsgErrHdr::SIZE || flags & NLM_F_ACK_TLVS != 0,
            "lenient nlmsgerr refused {} bytes: {lenient:?}",
            payload.len()
        );
    }

    let strict = NlMsgDone::parse(payload, flags, Mode::Strict);
    let lenient = NlMsgDone::parse(payload, flags, Mode::Lenient);
    if let (Ok(s), Err(e)) = (&strict, &lenient) {
        panic!("strict NLMSG_DONE {s:?} but lenient {e:?}");
    }
    if let (Ok(s), Ok(l)) = (&strict, &lenient) {
        assert_eq!((s.error, s.ext_ack), (l.error, l.ext_ack));
    }
    for r in [&strict, &lenient] {
        match r {
            Ok(d) => {
                check_nlmsgdone(payload, flags, d);
                for a in d.ext_ack() {
                    if let Err(err) = a {
                        check_error(&err, limit);
                    }
                }
                let mut v = CheckVisitor::new(limit);
                d.walk(&mut v);
                v.finish();
            }
            Err(err) => check_error(err, limit),
        }
    }
    if lenient.is_err() {
        assert!(
            payload.len() < 4,
            "lenient NLMSG_DONE refused {} bytes",
            payload.len()
        );
    }
}

/// Decode one message's body in `mode` and walk it.
fn decode_body(m: &RawMessage<'_>, mode: Mode, limit: usize) {
    let mut v = CheckVisitor::new(limit);
    v.begin("nlmsghdr");
    m.header.walk(&mut v);
    v.end();
    v.finish();
    let flags = m.header.nlmsg_flags.get();
    let base = m.payload_offset();
    match m.header.standard_type() {
        NlMsgType::Error => {
            if let Ok(e) = NlMsgErr::parse(m.payload, flags, mode) {
                check_nlmsgerr(m.payload, flags, &e);
                let mut v = CheckVisitor::new(m.payload.len());
                e.walk(&mut v);
                v.finish();
            }
        }
        NlMsgType::Done => {
            if let Ok(d) = NlMsgDone::parse(m.payload, flags, mode) {
                check_nlmsgdone(m.payload, flags, &d);
                let mut v = CheckVisitor::new(m.payload.len());
                d.walk(&mut v);
                v.finish();
            }
        }
        _ => {
            // Family messages: attributes right after the header, or after a
            // 4-byte family header (rtgenmsg, genlmsghdr).
            let mut v = CheckVisitor::new(limit);
            walk_attrs(Attrs::<FuzzAttr>::with(m.payload, base, mode), &mut v);
            v.finish();
            if let Some(rest) = m.payload.get(4..) {
                let mut v = CheckVisitor::new(limit);
                walk_attrs(Attrs::<FuzzAttr>::with(rest, base + 4, mode), &mut v);
                v.finish();
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Re-emitting strictly parsed bytes.
// ---------------------------------------------------------------------------

/// A strictly valid attribute stream that the builder writes back byte for
/// byte: the only non-canonical form strict mode accepts is an unpadded
/// last attribute, which the builder always pads.
fn canonical_stream(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && bytes.len() % 4 == 0
        && RawAttrs::with(bytes, 0, Mode::Strict).all(|a| a.is_ok())
}

fn reemit_attrs(
    b: &mut Builder<Vec<u8>>,
    bytes: &[u8],
    depth: usize,
    ext_ack: bool,
) -> nlwire::Result<()> {
    for a in RawAttrs::with(bytes, 0, Mode::Strict) {
        let a = a?;
        let typ = a.kind | a.flags;
        if ext_ack {
            if let Ok(t) = ExtAckAttr::from_raw(a, Mode::Strict) {
                if t.nla_flags() == a.flags {
                    b.attr_set(&t)?;
                    continue;
                }
            }
        } else if let Ok(t) = FuzzAttr::from_raw(a, Mode::Strict) {
            if t.nla_flags() == a.flags && !matches!(t, FuzzAttr::Nest(_)) {
                b.attr_set(&t)?;
                continue;
            }
        }
        if depth < MAX_NEST_DEPTH && canonical_stream(a.payload) {
            b.nested(typ & !NLA_F_NESTED, a.is_nested(), |b| {
                reemit_attrs(b, a.payload, depth + 1, false)
            })?;
        } else {
            b.attr_raw(typ, a.payload)?;
        }
    }
    Ok(())
}

fn reemit_body(b: &mut Builder<Vec<u8>>, m: &RawMessage<'_>) -> nlwire::Result<()> {
    let flags = m.header.nlmsg_flags.get();
    if m.header.standard_type() == NlMsgType::Error {
        if let Ok(e) = NlMsgErr::parse(m.payload, flags, Mode::Strict) {
            b.put_bytes(&e.error.to_ne_bytes())?;
            b.put_struct(e.request)?;
            b.put_bytes(e.request_payload)?;
            let after = 20 + e.request_payload.len();
            if canonical_stream(e.ext_ack) {
                return reemit_attrs(b, e.ext_ack, 0, true);
            }
            return b.put_bytes(&m.payload[after..]);
        }
    }
    if m.header.standard_type() == NlMsgType::Done {
        if let Ok(d) = NlMsgDone::parse(m.payload, flags, Mode::Strict) {
            if let Some(err) = d.error {
                b.put_bytes(&err.to_ne_bytes())?;
                if canonical_stream(d.ext_ack) {
                    return reemit_attrs(b, d.ext_ack, 0, true);
                }
                return b.put_bytes(&m.payload[4..]);
            }
            return Ok(());
        }
    }
    if canonical_stream(m.payload) {
        return reemit_attrs(b, m.payload, 0, false);
    }
    if m.payload.len() > 4 && canonical_stream(&m.payload[4..]) {
        b.put_bytes(&m.payload[..4])?;
        return reemit_attrs(b, &m.payload[4..], 0, false);
    }
    b.put_bytes(m.payload)
}

/// Parse `data` strictly; if the whole buffer is valid, write every message
/// back with the [`Builder`] (typed attributes through their declared
/// payload types) and return the bytes. `None` if strict parsing failed.
pub fn reemit(data: &[u8]) -> Option<Vec<u8>> {
    let msgs: Vec<_> = Messages::with_mode(data, Mode::Strict)
        .collect::<Result<_, _>>()
        .ok()?;
    let mut b = Builder::new_vec();
    for m in &msgs {
        let h = m.header;
        b.message(
            h.nlmsg_type.get(),
            h.nlmsg_flags.get(),
            h.nlmsg_seq.get(),
            h.nlmsg_pid.get(),
            |b| reemit_body(b, m),
        )
        .expect("re-emitting a valid message");
    }
    // Zero padding after an unpadded last message is kept as it was.
    let tail = &data[b.len().min(data.len())..];
    assert!(
        tail.len() < 4 && tail.iter().all(|&x| x == 0),
        "strict walk left {tail:?}"
    );
    b.put_bytes(tail).expect("padding");
    Some(b.into_vec())
}

// ---------------------------------------------------------------------------
// Targets over bytes.
// ---------------------------------------------------------------------------

/// A message stream in lenient mode: the walk matches `NLMSG_OK`, and every
/// message is decoded (ACK/error, DONE, or attributes) and walked.
pub fn target_messages(data: &[u8]) {
    for m in checked_messages(data, Mode::Lenient) {
        decode_body(&m, Mode::Lenient, data.len());
    }
}

/// A message stream in strict mode: the walk matches the reference, bodies
/// decode strictly, and a buffer that is valid throughout is written back
/// byte for byte by the builder.
pub fn target_messages_strict(data: &[u8]) {
    let strict = checked_messages(data, Mode::Strict);
    let lenient = checked_messages(data, Mode::Lenient);
    assert!(strict.len() <= lenient.len());
    for (s, l) in strict.iter().zip(lenient.iter()) {
        assert_eq!(s, l, "strict and lenient read a message differently");
    }
    for m in &strict {
        decode_body(m, Mode::Strict, data.len());
    }
    if let Some(out) = reemit(data) {
        assert_eq!(out, data, "strict parse → emit changed the bytes");
    }
}

/// An attribute stream: the raw walk matches `nla_ok` in both modes, the
/// generic nested walk stops at `MAX_NEST_DEPTH`, typed walks (a set using
/// every payload type, the extended-ACK and policy sets) are balanced, and
/// foreign-order swapping never panics.
pub fn target_attrs(data: &[u8]) {
    let lenient = checked_attrs(data, 0, Mode::Lenient, data.len());
    let strict = checked_attrs(data, 0, Mode::Strict, data.len());
    assert!(strict.len() <= lenient.len());
    assert_eq!(&lenient[..strict.len()], &strict[..]);

    let mut v = CheckVisitor::new(data.len());
    walk_raw(data, 0, Mode::Lenient, &mut v);
    v.finish();

    typed_stream::<FuzzAttr>(data, 0, data.len());
    typed_stream::<ExtAckAttr>(data, 0, data.len());
    typed_stream::<PolicyAttr>(data, 0, data.len());

    // Foreign byte order: swap in place, then walk what came out.
    let mut swapped = data.to_vec();
    nlwire::netlink::swap_attr_stream::<FuzzAttr>(&mut swapped, 0);
    assert_eq!(swapped.len(), data.len());
    let mut v = CheckVisitor::new(data.len());
    walk_attrs(Attrs::<FuzzAttr>::new(&swapped), &mut v);
    v.finish();
    let mut hdr = data.to_vec();
    NlMsgHdr::swap_order(&mut hdr);
    NlMsgErrHdr::swap_order(&mut hdr);
}

/// An `NLMSG_ERROR`/`NLMSG_DONE` payload: the first two bytes are
/// `nlmsg_flags` (so `NLM_F_CAPPED` and `NLM_F_ACK_TLVS` vary), the rest is
/// the payload. Both readings, both modes, checked and walked.
pub fn target_nlmsgerr(data: &[u8]) {
    if data.len() < 2 {
        return;
    }
    let flags = u16::from_le_bytes([data[0], data[1]]);
    let payload = &data[2..];
    error_and_done(payload, flags, payload.len());
}

// ---------------------------------------------------------------------------
// The structure-aware round trip.
// ---------------------------------------------------------------------------

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
            ArbPolicy::Type(x) => PolicyAttr::Type(x),
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

fn arb_attrs(u: &mut Unstructured<'_>, depth: usize) -> arbitrary::Result<Vec<ArbAttr>> {
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

fn arb_msg(u: &mut Unstructured<'_>) -> arbitrary::Result<ArbMsg> {
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

fn typed_attr<'a>(
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

fn typed_parts(t: &ArbTyped) -> (Vec<U32<NativeEndian>>, NlMsgHdr) {
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

fn emit_attrs<S: nlwire::netlink::Sink>(
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

fn emit_ext<S: nlwire::netlink::Sink>(b: &mut Builder<S>, ext: &[ArbExtAck]) -> nlwire::Result<()> {
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
fn check_attrs(bytes: &[u8], model: &[ArbAttr]) {
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

fn check_ext(e: Attrs<'_, ExtAckAttr<'_>>, model: &[ArbExtAck]) {
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
fn attrs_fit(attrs: &[ArbAttr]) -> bool {
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
fn ext_fits(ext: &[ArbExtAck]) -> bool {
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

// ---------------------------------------------------------------------------
// sock_diag, tcp_info, bytecode, the generic decoder, capture frames.
// ---------------------------------------------------------------------------

/// A visitor that records the walk as lines, to compare two walks.
#[derive(Default)]
pub struct Recorder {
    /// The walk, one event per line.
    pub lines: Vec<String>,
    depth: usize,
}

impl Visitor for Recorder {
    fn field(&mut self, name: &str, value: Value<'_>) {
        self.lines.push(format!("{} {name}={value:?}", self.depth));
    }
    fn begin(&mut self, name: &str) {
        self.lines.push(format!("{} {name} {{", self.depth));
        self.depth += 1;
    }
    fn end(&mut self) {
        self.depth -= 1;
        self.lines.push(format!("{} }}", self.depth));
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, e: Error) {
        self.lines.push(format!("{} error {e}", self.depth));
    }
}

fn record(w: &dyn Walk) -> Vec<String> {
    let mut r = Recorder::default();
    w.walk(&mut r);
    r.lines
}

/// Wrap `payload` in one message of `nlmsg_type` and `nlmsg_flags`.
fn one_message(nlmsg_type: u16, nlmsg_flags: u16, payload: &[u8]) -> Vec<u8> {
    let mut b = Builder::new_vec();
    b.message(nlmsg_type, nlmsg_flags, 0x5c38_fefd, 4242, |b| {
        b.put_bytes(payload)
    })
    .expect("one message");
    b.into_vec()
}

/// Decode every message of a `NETLINK_SOCK_DIAG` buffer in both modes; walk;
/// strict success implies lenient success with the same walk; a strictly
/// valid message re-emits (header and attributes re-encoded from their
/// decoded form) to bytes that decode to the same walk and re-emit
/// unchanged, and to the very same bytes when the input was canonical.
pub fn sock_diag_check(bytes: &[u8]) {
    use nlwire::families::sock_diag::{decode, SockDiagMessage};
    for m in checked_messages(bytes, Mode::Lenient) {
        let lenient = decode(&m, Mode::Lenient);
        let strict = decode(&m, Mode::Strict);
        for r in [&lenient, &strict] {
            match r {
                Ok(d) => {
                    let mut v = CheckVisitor::new(bytes.len());
                    d.walk(&mut v);
                    v.finish();
                    let _ = (d.family(), d.is_request());
                    sock_diag_api::check(d);
                }
                Err(e) => check_error(e, bytes.len()),
            }
        }
        let Ok(s) = strict else { continue };
        let l = lenient.unwrap_or_else(|e| panic!("strict decoded {s:?}, lenient refused: {e:?}"));
        assert_eq!(record(&s), record(&l), "strict and lenient walks differ");
        let h = m.header;
        let emit = |d: &SockDiagMessage<'_>| {
            let mut b = Builder::new_vec();
            b.message(
                h.nlmsg_type.get(),
                h.nlmsg_flags.get(),
                h.nlmsg_seq.get(),
                h.nlmsg_pid.get(),
                |b| d.emit(b),
            )
            .expect("re-emit a strictly valid sock_diag message");
            b.into_vec()
        };
        let out = emit(&s);
        let again: Vec<_> = Messages::with_mode(&out, Mode::Strict)
            .collect::<Result<_, _>>()
            .expect("re-emitted framing");
        assert_eq!(again.len(), 1);
        let d2 = decode(&again[0], Mode::Strict).expect("re-emitted message decodes strictly");
        assert_eq!(
            record(&s),
            record(&d2),
            "re-emitted message walks differently"
        );
        assert_eq!(emit(&d2), out, "re-emitting is not idempotent");
        if m.bytes.len() % 4 == 0 {
            assert_eq!(
                out, m.bytes,
                "strict parse -> emit changed a canonical sock_diag message"
            );
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

fn sock_entries() -> [nlwire::families::sock_diag::bytecode::SockEntry; 2] {
    use nlwire::families::sock_diag::bytecode::SockEntry;
    [
        SockEntry {
            src: "127.0.0.1".parse().expect("addr"),
            dst: "10.1.2.3".parse().expect("addr"),
            sport: 22,
            dport: 40000,
            ifindex: 1,
            userlocks: 8,
            mark: 0x10,
            cgroup_id: 77,
        },
        SockEntry {
            src: "::1".parse().expect("addr"),
            dst: "::ffff:10.0.0.1".parse().expect("addr"),
            sport: 443,
            dport: 1024,
            ifindex: 0,
            userlocks: 0,
            mark: 0,
            cgroup_id: 0,
        },
    ]
}

/// inet_diag bytecode: iterate (offsets, lengths, walk), audit as the kernel
/// does, run the interpreter (it must end on any program), disassemble and
/// assemble back to the same bytes, swap byte order twice to the same bytes.
pub fn target_bytecode(data: &[u8]) {
    use nlwire::families::sock_diag::bytecode::{assemble_vec, audit, Program};
    let p = Program::new(data);
    let mut it = p.iter();
    let mut off = 0usize;
    for ins in it.by_ref() {
        assert_eq!(ins.offset, off, "instructions are not contiguous");
        assert!(!ins.is_empty());
        assert_eq!(
            offset_in(data, ins.bytes),
            Some(off),
            "instruction bytes not at its offset"
        );
        let _ = (
            ins.code(),
            ins.yes(),
            ins.no(),
            ins.yes_target(),
            ins.no_target(),
            ins.name(),
        );
        let _ = (ins.operand_bytes(), ins.extra(), ins.port_arg());
        if let Some(n) = ins.code().operand_len() {
            assert!(ins.len() >= 4 + n || ins.len() == ins.bytes.len());
        }
        if let Some(h) = ins.hostcond() {
            let mut c = CheckVisitor::new(data.len());
            h.walk(&mut c);
            c.finish();
        }
        let mut c = CheckVisitor::new(data.len());
        ins.walk(&mut c);
        c.finish();
        off += ins.len();
        assert!(off <= data.len());
    }
    assert_eq!(it.rest(), &data[off..]);
    assert!(
        it.rest().len() < 4,
        "iteration stopped with a whole op left"
    );
    assert_eq!(p.trailing(), &data[off..]);
    let mut c = CheckVisitor::new(data.len());
    p.walk(&mut c);
    c.finish();
    let audited = audit(data);
    if let Err(e) = &audited {
        check_error(e, data.len());
    }
    assert_eq!(Program::parse(data).is_ok(), audited.is_ok());
    for e in sock_entries() {
        let _ = p.run(&e);
    }
    let text = p.to_string();
    let back = assemble_vec(&text)
        .unwrap_or_else(|e| panic!("assembling the disassembly failed: {e}\n{text}"));
    assert_eq!(
        back, data,
        "disassemble -> assemble changed the bytes:\n{text}"
    );
    let mut swapped = data.to_vec();
    Program::swap_order(&mut swapped);
    Program::swap_order(&mut swapped);
    assert_eq!(swapped, data, "swapping a program twice changed it");
}

/// The bytecode assembler on arbitrary text: it refuses cleanly or produces
/// a program whose disassembly assembles to the same bytes.
pub fn target_bytecode_text(data: &[u8]) {
    use nlwire::families::sock_diag::bytecode::{assemble_vec, Program};
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    match assemble_vec(text) {
        Ok(bytes) => {
            let mut v = CheckVisitor::new(bytes.len());
            Program::new(&bytes).walk(&mut v);
            v.finish();
            let again = Program::new(&bytes).to_string();
            assert_eq!(
                assemble_vec(&again).as_deref(),
                Ok(&bytes[..]),
                "{text:?} -> {again:?}"
            );
        }
        Err(e) => check_error(&e, text.len()),
    }
}

/// The generic decoder: byte 0 picks the netlink family (route, sock_diag,
/// generic, or raw), the rest is a message buffer. Every message is decoded
/// in both modes and walked; the buffer's byte order is detected, and a
/// copy converted from the other order is decoded too.
pub fn target_decode(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let family = match sel & 3 {
        0 => 0u16,
        1 => 4,
        2 => 16,
        _ => u16::from(sel >> 2),
    };
    decode_buffer(family, rest);
    let _ = nlwire::swap::detect_order(rest);
    let mut swapped = rest.to_vec();
    nlwire::swap::swap_message(family, &mut swapped);
    assert_eq!(swapped.len(), rest.len());
    decode_buffer(family, &swapped);
}

fn decode_buffer(family: u16, bytes: &[u8]) {
    for m in checked_messages(bytes, Mode::Lenient) {
        for mode in [Mode::Lenient, Mode::Strict] {
            let d = nlwire::decode::decode(family, m, mode);
            if let Err(e) = &d.body {
                check_error(e, bytes.len());
            }
            let _ = (d.is_request(), d.type_name(), d.flag_reading());
            let mut v = CheckVisitor::new(bytes.len());
            d.walk(&mut v);
            v.finish();
        }
        if family == 4 {
            sock_diag_check(m.bytes);
        }
    }
}

/// A captured frame: bytes 0-1 pick the link type (`LINKTYPE_NETLINK`,
/// `LINUX_SLL`, `LINUX_SLL2`, or any), the rest is the frame: pseudo-header
/// split, walked, and the netlink bytes decoded in the detected byte order.
pub fn target_nlmon(data: &[u8]) {
    use nlwire::nlmon::{parse_frame, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NETLINK};
    if data.len() < 2 {
        return;
    }
    let linktype = match data[0] & 3 {
        0 => LINKTYPE_NETLINK,
        1 => LINKTYPE_LINUX_SLL,
        2 => LINKTYPE_LINUX_SLL2,
        _ => u32::from(data[1]),
    };
    let frame = &data[2..];
    match parse_frame(linktype, frame) {
        Ok(f) => {
            let hdr = frame.len() - f.payload.len();
            if !f.payload.is_empty() {
                assert_eq!(
                    offset_in(frame, f.payload),
                    Some(hdr),
                    "payload does not follow the header"
                );
            }
            let _ = (f.header.hatype(), f.header.protocol(), f.header.pkttype());
            let mut v = CheckVisitor::new(frame.len());
            f.header.walk(&mut v);
            v.finish();
            let mut bytes = f.payload.to_vec();
            if nlwire::swap::detect_order(&bytes) != nlwire::swap::ByteOrder::HOST {
                nlwire::swap::swap_message(f.family, &mut bytes);
            }
            decode_buffer(f.family, &bytes);
        }
        Err(e) => {
            let mut d = Discard(0);
            let _ = write!(d, "{e}");
        }
    }
}

/// A whole capture file (pcap or pcapng, any link type) read with the CLI's
/// streaming reader (`nlwire_cli::capture`): every netlink frame is split,
/// put in host byte order, decoded message by message and printed with the
/// CLI's printers; the JSON printer's output must be valid JSON.
pub fn target_capture(data: &[u8]) {
    use nlwire::nlmon::parse_frame;
    use nlwire_cli::capture::CaptureReader;
    use nlwire_cli::output::json::JsonVisitor;
    use nlwire_cli::output::text::TreeVisitor;
    let Ok(mut reader) = CaptureReader::new(data) else {
        return;
    };
    for _ in 0..256 {
        let packet = match reader.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(e) => {
                let _ = e.to_string();
                break;
            }
        };
        assert!(
            packet.data.len() <= data.len(),
            "a packet larger than the file"
        );
        let _ = (packet.is_truncated(), packet.time, packet.format);
        let Some(linktype) = packet.linktype else {
            continue;
        };
        let Ok(frame) = parse_frame(linktype, packet.data) else {
            continue;
        };
        let mut bytes = frame.payload.to_vec();
        if nlwire::swap::detect_order(&bytes) != nlwire::swap::ByteOrder::HOST {
            nlwire::swap::swap_message(frame.family, &mut bytes);
        }
        let offset = packet.data.len() - frame.payload.len();
        for m in Messages::new(&bytes) {
            let Ok(m) = m else { break };
            let d = nlwire::decode::decode(frame.family, m, Mode::Lenient);
            let mut json = JsonVisitor::new(Vec::new(), offset);
            d.walk(&mut json);
            let line = json.finish();
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&line) {
                panic!("the JSON printer wrote invalid JSON ({e}): {line}");
            }
            let mut text = String::new();
            let mut tree = TreeVisitor::new(&mut text, 1, offset);
            d.walk(&mut tree);
            let mut v = CheckVisitor::new(bytes.len());
            d.walk(&mut v);
            v.finish();
        }
    }
}

// ---------------------------------------------------------------------------
// Seeds.
// ---------------------------------------------------------------------------

/// The example request in the netlink-sys `Socket` documentation (an
/// `RTM_GETLINK` dump request).
pub const NETLINK_SYS_EXAMPLE: [u8; 20] = [
    0x14, 0x00, 0x00, 0x00, 0x12, 0x00, 0x01, 0x03, 0xfd, 0xfe, 0x38, 0x5c, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
];

fn seed_attrs() -> Vec<u8> {
    let mut b = Builder::new_vec();
    emit_attrs(
        &mut b,
        &[
            ArbAttr::Typed(ArbTyped::U8(7)),
            ArbAttr::Typed(ArbTyped::U16(0x1234)),
            ArbAttr::Typed(ArbTyped::U32(0xdead_beef)),
            ArbAttr::Typed(ArbTyped::U64(u64::MAX - 1)),
            ArbAttr::Typed(ArbTyped::I32(-22)),
            ArbAttr::Typed(ArbTyped::I64(-1)),
            ArbAttr::Typed(ArbTyped::Be16(443)),
            ArbAttr::Typed(ArbTyped::Be32(0x7f00_0001)),
            ArbAttr::Typed(ArbTyped::Str(b"bbr\0".to_vec())),
            ArbAttr::Typed(ArbTyped::Bytes(vec![1, 2, 3, 4, 5])),
            ArbAttr::Typed(ArbTyped::Flag),
            ArbAttr::Typed(ArbTyped::Array(vec![1, 2, 3])),
            ArbAttr::Typed(ArbTyped::Hdr(20, 18, 0x301, 1, 0)),
            ArbAttr::Typed(ArbTyped::ZcI32(-95)),
            ArbAttr::Nested {
                kind: 1,
                flag: true,
                children: vec![
                    ArbAttr::Typed(ArbTyped::U32(1)),
                    ArbAttr::Nested {
                        kind: 1,
                        flag: true,
                        children: vec![ArbAttr::Nested {
                            kind: 1,
                            flag: true,
                            children: vec![ArbAttr::Typed(ArbTyped::U8(3))],
                        }],
                    },
                ],
            },
            ArbAttr::Raw {
                kind: 0x3fff,
                net: true,
                payload: vec![0xff; 3],
            },
            ArbAttr::Nested {
                kind: 200,
                flag: false,
                children: vec![ArbAttr::Raw {
                    kind: 0,
                    net: false,
                    payload: vec![],
                }],
            },
        ],
    )
    .expect("seed attributes");
    b.into_vec()
}

fn seed_error(capped: bool, tlvs: bool) -> Vec<u8> {
    let mut b = Builder::new_vec();
    emit_msgs(
        &mut b,
        &[ArbMsg {
            ty: 2,
            flags: 0,
            seq: 7,
            pid: 1234,
            body: ArbBody::Error {
                error: -22,
                req: (20, 20, 0x5, 7, 1234),
                capped,
                echo: vec![2, 0, 0, 0],
                ext: tlvs.then(|| {
                    vec![
                        ArbExtAck::Msg(b"bad attribute".to_vec()),
                        ArbExtAck::Offs(20),
                        ArbExtAck::Cookie(vec![0xde, 0xad, 0xbe, 0xef]),
                        ArbExtAck::Policy(vec![ArbPolicy::Type(1), ArbPolicy::MaxLen(16)]),
                        ArbExtAck::MissType(3),
                        ArbExtAck::MissNest(24),
                    ]
                }),
            },
        }],
    )
    .expect("seed error");
    b.into_vec()
}

fn seed_dump() -> Vec<u8> {
    let attrs = vec![
        ArbAttr::Typed(ArbTyped::Str(b"lo\0".to_vec())),
        ArbAttr::Typed(ArbTyped::U32(65536)),
        ArbAttr::Nested {
            kind: 1,
            flag: true,
            children: vec![ArbAttr::Typed(ArbTyped::U64(12345))],
        },
    ];
    let mut msgs: Vec<ArbMsg> = (0..3)
        .map(|i| ArbMsg {
            ty: 16,
            flags: 2,
            seq: 42,
            pid: 4242,
            body: ArbBody::Attrs(Some([i, 0, 0, 0]), attrs.clone()),
        })
        .collect();
    msgs.push(ArbMsg {
        ty: 3,
        flags: 2,
        seq: 42,
        pid: 4242,
        body: ArbBody::Done {
            error: Some(0),
            ext: None,
        },
    });
    let mut b = Builder::new_vec();
    emit_msgs(&mut b, &msgs).expect("seed dump");
    b.into_vec()
}

fn seed_done(error: Option<i32>, ext: bool) -> Vec<u8> {
    let mut b = Builder::new_vec();
    let ext = ext.then(|| {
        vec![
            ArbExtAck::Msg(b"dump interrupted".to_vec()),
            ArbExtAck::Offs(4),
        ]
    });
    emit_msgs(
        &mut b,
        &[ArbMsg {
            ty: 3,
            flags: 2,
            seq: 1,
            pid: 1,
            body: ArbBody::Done { error, ext },
        }],
    )
    .expect("seed done");
    b.into_vec()
}

/// Seeds for every target, made from the project's own bytes: the netlink-sys
/// example and messages built with the [`Builder`]. `(target, name, bytes)`.
pub fn seeds() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let mut out = Vec::new();
    let streams: Vec<(&str, Vec<u8>)> = vec![
        ("netlink-sys-example", NETLINK_SYS_EXAMPLE.to_vec()),
        ("dump-with-done", seed_dump()),
        ("error-capped-ext-ack", seed_error(true, true)),
        ("error-uncapped-ext-ack", seed_error(false, true)),
        ("error-uncapped", seed_error(false, false)),
        ("ack-capped", seed_error(true, false)),
        ("done-16", seed_done(None, false)),
        ("done-20", seed_done(Some(0), false)),
        ("done-ext-ack", seed_done(Some(-4), true)),
    ];
    for (name, bytes) in &streams {
        out.push(("messages", *name, bytes.clone()));
        out.push(("messages_strict", *name, bytes.clone()));
        // nlmsgerr: flags (little-endian u16) then the payload.
        if bytes.len() >= 16 {
            let mut e = bytes[6..8].to_vec();
            e.extend_from_slice(&bytes[16..]);
            out.push(("nlmsgerr", *name, e));
        }
    }
    out.push(("attrs", "every-payload-type", seed_attrs()));
    let err = seed_error(false, true);
    let e = NlMsgErr::parse(&err[16..], NLM_F_ACK_TLVS, Mode::Strict).expect("seed");
    out.push(("attrs", "ext-ack", e.ext_ack.to_vec()));
    out.push(("attrs", "dump-payload", seed_dump()[20..].to_vec()));
    // roundtrip: arbitrary bytes; these drive the model generator.
    out.push(("roundtrip", "zeros", vec![0u8; 64]));
    out.push(("roundtrip", "ones", vec![0xffu8; 64]));
    out.push((
        "roundtrip",
        "netlink-sys-example",
        NETLINK_SYS_EXAMPLE.to_vec(),
    ));
    out.push(("roundtrip", "counting", (0u8..=255).collect()));
    out.push(("roundtrip", "dump-bytes", seed_dump()));

    // sock_diag built with the codec: an ss-style request with a bytecode
    // filter (compiled by the codec), and a reply with every fixed-size
    // attribute the kernel sends.
    let (req, bc) = seed_inet_request();
    out.push(("inet_diag", "request-bytecode", req.clone()));
    out.push(("inet_diag", "response", seed_inet_response()));
    out.push(("unix_diag", "request", seed_unix_request()));
    out.push(("bytecode", "ss-filter", bc.clone()));
    out.push((
        "bytecode_text",
        "ss-filter",
        nlwire::families::sock_diag::bytecode::Program::new(&bc)
            .to_string()
            .into_bytes(),
    ));
    for n in [0usize, 104, 144, 232, 248, 280, 300] {
        let bytes: Vec<u8> = (0..n).map(|i| (i * 7 + 1) as u8).collect();
        out.push((
            "tcp_info",
            TCP_INFO_NAMES[TCP_INFO_SIZES.iter().position(|&x| x == n).expect("size")],
            bytes,
        ));
    }
    let mut dec = vec![0u8];
    dec.extend_from_slice(&NETLINK_SYS_EXAMPLE);
    out.push(("decode", "route-netlink-sys-example", dec));
    let mut dec = vec![1u8];
    dec.extend(one_message(
        20,
        nlwire::netlink::NLM_F_REQUEST | nlwire::netlink::NLM_F_DUMP,
        &req[2..],
    ));
    dec.extend(seed_done(Some(0), false));
    out.push(("decode", "sock-diag-request-and-done", dec));
    let mut dec = vec![2u8];
    dec.extend(seed_error(false, true));
    out.push(("decode", "generic-error-ext-ack", dec));
    let mut frame = vec![0u8, 0];
    frame.extend_from_slice(&[0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]);
    frame.extend(seed_done(Some(0), false));
    out.push(("nlmon", "netlink-done", frame));
    out.push(("capture", "pcap-le", seed_pcap(false)));
    out.push(("capture", "pcap-be", seed_pcap(true)));
    for (name, bytes) in ss_filter::ss_filter_seeds() {
        out.push(("ss_filter", name, bytes));
    }
    for (name, bytes) in emit::emit_seeds() {
        out.push(("bytecode_emit", name, bytes));
    }
    for (name, bytes) in dump::dump_seeds() {
        out.push(("dump", name, bytes));
    }
    out
}

/// A classic pcap file (`LINKTYPE_NETLINK`) of one frame holding the seed
/// dump, in either file byte order.
fn seed_pcap(big: bool) -> Vec<u8> {
    let w32 = |v: &mut Vec<u8>, x: u32| {
        v.extend_from_slice(&if big {
            x.to_be_bytes()
        } else {
            x.to_le_bytes()
        })
    };
    let w16 = |v: &mut Vec<u8>, x: u16| {
        v.extend_from_slice(&if big {
            x.to_be_bytes()
        } else {
            x.to_le_bytes()
        })
    };
    let mut f = Vec::new();
    w32(&mut f, 0xa1b2_c3d4);
    w16(&mut f, 2);
    w16(&mut f, 4);
    w32(&mut f, 0);
    w32(&mut f, 0);
    w32(&mut f, 65535);
    w32(&mut f, 253);
    let mut frame = vec![0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4];
    frame.extend(seed_dump());
    w32(&mut f, 1_700_000_000);
    w32(&mut f, 0);
    w32(&mut f, frame.len() as u32);
    w32(&mut f, frame.len() as u32);
    f.extend(frame);
    f
}

const TCP_INFO_SIZES: [usize; 7] = [0, 104, 144, 232, 248, 280, 300];
const TCP_INFO_NAMES: [&str; 7] = [
    "len-0", "len-104", "len-144", "len-232", "len-248", "len-280", "len-300",
];

/// `ss -tn state established '( sport = :22 or dport = :443 ) and not dst
/// 10.0.0.0/8'`, compiled by the codec, in an `inet_diag_req_v2` request.
/// Returns the `inet_diag` target input and the bytecode.
fn seed_inet_request() -> (Vec<u8>, Vec<u8>) {
    use nlwire::families::sock_diag::bytecode::{Filter, HostCond};
    use nlwire::families::sock_diag::{AddressFamily, InetDiagReqV2, IpProto};
    let f = Filter::SportEq(22)
        .or(Filter::DportEq(443))
        .and(!Filter::Dst(HostCond::prefix(
            "10.0.0.0".parse().expect("addr"),
            8,
        )))
        .and(
            Filter::Mark {
                mark: 1,
                mask: 0xff,
            }
            .or(Filter::Cgroup(77))
            .or(Filter::Dev(2))
            .or(Filter::Auto),
        );
    let bc = f.compile().expect("compile filter");
    let req = InetDiagReqV2::dump(AddressFamily::Inet, IpProto::Tcp, 0xff, 1 << 1);
    let mut b = Builder::new_vec();
    b.put_struct(&req).expect("req");
    b.attr_raw(1, &bc).expect("bytecode");
    let mut input = vec![1u8, 0];
    input.extend(b.into_vec());
    (input, bc)
}

fn seed_inet_response() -> Vec<u8> {
    use nlwire::families::sock_diag::InetDiagMsg;
    use zerocopy::FromZeros;
    let mut msg = InetDiagMsg::new_zeroed();
    msg.as_mut_bytes()[0] = 2;
    msg.as_mut_bytes()[1] = 1;
    let mut b = Builder::new_vec();
    b.put_struct(&msg).expect("msg");
    b.attr_raw(1, &[0u8; 16]).expect("meminfo");
    b.attr_raw(2, &(0..280).map(|i| i as u8).collect::<Vec<_>>())
        .expect("info");
    b.attr_raw(4, b"bbr\0").expect("cong");
    b.attr_raw(5, &[0]).expect("tos");
    b.attr_raw(7, &[0u8; 36]).expect("skmeminfo");
    b.attr_raw(8, &[3]).expect("shutdown");
    b.attr_raw(15, &1u32.to_ne_bytes()).expect("mark");
    b.attr_raw(21, &77u64.to_ne_bytes()).expect("cgroup id");
    b.attr_raw(22, &[0, 0]).expect("sockopt");
    let mut input = vec![0u8, 0];
    input.extend(b.into_vec());
    input
}

fn seed_unix_request() -> Vec<u8> {
    use nlwire::families::sock_diag::UnixDiagReq;
    let req = UnixDiagReq::dump(u32::MAX, 0x7f);
    let mut b = Builder::new_vec();
    b.put_struct(&req).expect("unix req");
    let mut input = vec![1u8];
    input.extend(b.into_vec());
    input
}

/// Frames of a classic pcap file (either byte order): `(linktype, frame)`.
pub fn pcap_frames(file: &[u8]) -> Vec<(u32, &[u8])> {
    let mut out = Vec::new();
    if file.len() < 24 {
        return out;
    }
    let magic = [file[0], file[1], file[2], file[3]];
    let le = match magic {
        [0xd4, 0xc3, 0xb2, 0xa1] | [0x4d, 0x3c, 0xb2, 0xa1] => true,
        [0xa1, 0xb2, 0xc3, 0xd4] | [0xa1, 0xb2, 0x3c, 0x4d] => false,
        _ => return out,
    };
    let rd = |b: &[u8]| {
        let a = [b[0], b[1], b[2], b[3]];
        if le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        }
    };
    let linktype = rd(&file[20..24]);
    let mut pos = 24usize;
    while pos + 16 <= file.len() {
        let incl = rd(&file[pos + 8..pos + 12]) as usize;
        let start = pos + 16;
        let Some(frame) = file.get(start..start.saturating_add(incl)) else {
            break;
        };
        out.push((linktype, frame));
        pos = start + incl;
    }
    out
}

/// Seed inputs for every target from one of the project's own sample
/// captures (`samples/*.pcap`, recorded by nlwire-io): `(target, bytes)`.
pub fn seeds_from_capture(file: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    use nlwire::families::sock_diag::{decode, InetDiagAttr, InetDiagReqAttr, SockDiagMessage};
    use nlwire::nlmon::parse_frame;
    let mut out = vec![("capture", file.to_vec())];
    for (linktype, frame) in pcap_frames(file) {
        let sel = match linktype {
            nlwire::nlmon::LINKTYPE_NETLINK => 0u8,
            nlwire::nlmon::LINKTYPE_LINUX_SLL => 1,
            _ => 2,
        };
        let mut n = vec![sel, 0];
        n.extend_from_slice(frame);
        out.push(("nlmon", n));
        let Ok(f) = parse_frame(linktype, frame) else {
            continue;
        };
        let fam_sel = match f.family {
            0 => 0u8,
            4 => 1,
            16 => 2,
            x => 3 | ((x as u8) << 2),
        };
        let mut d = vec![fam_sel];
        d.extend_from_slice(f.payload);
        out.push(("decode", d));
        out.push(("messages", f.payload.to_vec()));
        if f.family != 4 {
            continue;
        }
        for m in Messages::new(f.payload).flatten() {
            let ty = m.header.nlmsg_type.get();
            let req = m.header.is_request();
            let flags_hi = ((m.header.nlmsg_flags.get() >> 4) & 0xf0) as u8;
            let Some(&family) = m.payload.first() else {
                continue;
            };
            if (18..=21).contains(&ty) && (family == 2 || family == 10 || ty < 20) {
                let t = [20u16, 21, 18, 19]
                    .iter()
                    .position(|&x| x == ty)
                    .unwrap_or(0) as u8;
                let mut x = vec![u8::from(req) | (t << 1) | flags_hi, u8::from(family == 10)];
                x.extend_from_slice(m.payload);
                out.push(("inet_diag", x));
            } else if ty == 20 && family == 1 {
                let mut x = vec![u8::from(req) | flags_hi];
                x.extend_from_slice(m.payload);
                out.push(("unix_diag", x));
            }
            match decode(&m, Mode::Lenient) {
                Ok(SockDiagMessage::InetResponse(r)) => {
                    for a in r.attrs().flatten() {
                        if let InetDiagAttr::Info(i) = a {
                            out.push(("tcp_info", i.bytes().to_vec()));
                        }
                    }
                }
                Ok(SockDiagMessage::InetRequest(r)) => {
                    for a in r.attrs().flatten() {
                        if let InetDiagReqAttr::Bytecode(b) = a {
                            out.push(("bytecode", b.as_bytes().to_vec()));
                            let text = b.to_string();
                            out.push(("bytecode_text", text.into_bytes()));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    // Last, so the numbering of the other targets' sample files stays.
    let nlmon_payloads: Vec<&[u8]> = pcap_frames(file)
        .into_iter()
        .filter(|(lt, _)| *lt == nlwire::nlmon::LINKTYPE_NETLINK)
        .filter_map(|(_, f)| f.get(16..))
        .collect();
    for d in dump::dump_inputs_from_frames(&nlmon_payloads) {
        out.push(("dump", d));
    }
    out
}
