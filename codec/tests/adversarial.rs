//! Adversarial inputs: one named test per known bug class of netlink parsers.
//!
//! Each test asserts the exact outcome — a clean error of the right kind at
//! the right offset, or the result the kernel's own walkers (`NLMSG_OK`,
//! `nla_ok`) accept — and nothing else. None may panic, loop, overflow the
//! stack or read out of bounds; the fast ones also run under Miri
//! (`.ci/miri.sh`).

use nlwire::netlink::*;
use nlwire::payload::{Bytes, NulStr};
use nlwire::value::{Value, Visitor, Walk};
use nlwire::wire::WireStruct;
use nlwire::{attribute_set, Error, ErrorKind, Mode, MAX_NEST_DEPTH};
use zerocopy::IntoBytes;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A message: header with `len` as `nlmsg_len` (not necessarily the truth),
/// then `payload`.
fn msg(len: u32, ty: u16, flags: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&len.to_ne_bytes());
    v.extend_from_slice(&ty.to_ne_bytes());
    v.extend_from_slice(&flags.to_ne_bytes());
    v.extend_from_slice(&7u32.to_ne_bytes());
    v.extend_from_slice(&99u32.to_ne_bytes());
    v.extend_from_slice(payload);
    v
}

/// An attribute header with `len` as `nla_len`, then `payload` as is.
fn attr(len: u16, ty: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&len.to_ne_bytes());
    v.extend_from_slice(&ty.to_ne_bytes());
    v.extend_from_slice(payload);
    v
}

/// Every step of a message walk: `Ok((offset, nlmsg_len))` or the error.
fn walk_msgs(buf: &[u8], mode: Mode) -> Vec<Result<(usize, usize), Error>> {
    let out: Vec<_> = Messages::with_mode(buf, mode)
        .map(|m| m.map(|m| (m.offset, m.bytes.len())))
        .collect();
    assert!(out.len() <= buf.len() / 16 + 1);
    out
}

/// One step of an attribute walk: `(offset, kind, payload)` or the error.
type AttrStep<'a> = Result<(usize, u16, &'a [u8]), Error>;

/// Every step of an attribute walk.
fn walk_attrs_raw(buf: &[u8], mode: Mode) -> Vec<AttrStep<'_>> {
    RawAttrs::with(buf, 0, mode)
        .map(|a| a.map(|a| (a.offset, a.kind, a.payload)))
        .collect()
}

fn err(kind: ErrorKind, what: &'static str, offset: usize, needed: usize, present: usize) -> Error {
    Error::new(kind, what, needed, present).at(offset)
}

/// A visitor that records the walk as text lines and tracks depth.
#[derive(Default)]
struct Record {
    lines: Vec<String>,
    depth: usize,
    max_depth: usize,
    errors: Vec<Error>,
}

impl Visitor for Record {
    fn field(&mut self, name: &str, value: Value<'_>) {
        self.lines
            .push(format!("{}{name}={value:?}", "  ".repeat(self.depth)));
    }
    fn begin(&mut self, name: &str) {
        self.lines
            .push(format!("{}{name} {{", "  ".repeat(self.depth)));
        self.depth += 1;
        self.max_depth = self.max_depth.max(self.depth);
    }
    fn end(&mut self) {
        assert!(self.depth > 0, "end() without begin()");
        self.depth -= 1;
        self.lines.push(format!("{}}}", "  ".repeat(self.depth)));
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, e: Error) {
        self.lines
            .push(format!("{}error {:?}", "  ".repeat(self.depth), e.kind));
        self.errors.push(e);
    }
}

/// A set that nests itself, for the depth tests.
#[attribute_set(name = "deep_attrs")]
enum Deep<'a> {
    #[nl(kind = 1, name = "DEEP_NEST", flags = NLA_F_NESTED)]
    Nest(Nested<'a, Deep<'a>>),
    #[nl(kind = 2, name = "DEEP_LEAF")]
    Leaf(u32),
}

/// `depth` nested `DEEP_NEST` attributes around one `DEEP_LEAF`.
fn deep(depth: usize) -> Vec<u8> {
    let mut inner = attr(8, 2, &7u32.to_ne_bytes());
    for _ in 0..depth {
        let len = u16::try_from(inner.len() + 4).expect("fits nla_len");
        inner = attr(len, 1 | NLA_F_NESTED, &inner);
    }
    inner
}

// ---------------------------------------------------------------------------
// nla_len 0, 1, 2, 3
// ---------------------------------------------------------------------------

fn nla_len_too_small(len: u16) {
    // The header claims fewer bytes than itself; a second valid attribute
    // follows and must not be reached (the kernel's nla_ok stops here).
    let mut buf = attr(len, 1, &[0, 0, 0, 0]);
    buf.extend(attr(8, 2, &1u32.to_ne_bytes()));
    for mode in [Mode::Lenient, Mode::Strict] {
        assert_eq!(
            walk_attrs_raw(&buf, mode),
            [Err(err(
                ErrorKind::LengthTooSmall,
                "nla_len",
                0,
                4,
                usize::from(len)
            ))]
        );
    }
    // The typed walk reports the same error once and ends balanced.
    let mut r = Record::default();
    walk_attrs(Attrs::<Deep>::new(&buf), &mut r);
    assert_eq!(r.lines, ["error LengthTooSmall"]);
    assert_eq!(r.depth, 0);
}

#[test]
fn nla_len_0() {
    nla_len_too_small(0);
}

#[test]
fn nla_len_1() {
    nla_len_too_small(1);
}

#[test]
fn nla_len_2() {
    nla_len_too_small(2);
}

#[test]
fn nla_len_3() {
    nla_len_too_small(3);
}

#[test]
fn nla_len_4_is_an_empty_payload() {
    // An attribute with nothing after its header is valid (UNIX_DIAG_ICONS).
    let buf = attr(4, 5, &[]);
    assert_eq!(walk_attrs_raw(&buf, Mode::Strict), [Ok((0, 5, &[][..]))]);
}

// ---------------------------------------------------------------------------
// nlmsg_len 0..=15 and past the buffer
// ---------------------------------------------------------------------------

#[test]
fn nlmsg_len_0_to_15() {
    for len in 0u32..16 {
        let mut buf = msg(len, 18, 0, &[0; 4]);
        // A valid message after it must not be reached.
        buf.extend(msg(16, 3, 0, &[]));
        for mode in [Mode::Lenient, Mode::Strict] {
            assert_eq!(
                walk_msgs(&buf, mode),
                [Err(err(
                    ErrorKind::LengthTooSmall,
                    "nlmsg_len",
                    0,
                    16,
                    len as usize
                ))],
                "nlmsg_len {len} {mode:?}"
            );
        }
    }
}

#[test]
fn nlmsg_len_past_the_buffer() {
    for len in [21u32, 24, 1000] {
        let buf = msg(len, 18, 0, &[0; 4]);
        for mode in [Mode::Lenient, Mode::Strict] {
            assert_eq!(
                walk_msgs(&buf, mode),
                [Err(err(
                    ErrorKind::LengthPastEnd,
                    "nlmsg_len",
                    0,
                    len as usize,
                    20
                ))]
            );
        }
    }
    // The second message's length is past the end: the first still decodes.
    let mut buf = msg(20, 18, 0, &[1, 2, 3, 4]);
    buf.extend(msg(17, 18, 0, &[]));
    assert_eq!(
        walk_msgs(&buf, Mode::Lenient),
        [
            Ok((0, 20)),
            Err(err(ErrorKind::LengthPastEnd, "nlmsg_len", 20, 17, 16))
        ]
    );
}

#[test]
fn nla_len_past_the_buffer() {
    let buf = attr(9, 1, &[0; 4]);
    assert_eq!(
        walk_attrs_raw(&buf, Mode::Lenient),
        [Err(err(ErrorKind::LengthPastEnd, "nla_len", 0, 9, 8))]
    );
}

// ---------------------------------------------------------------------------
// Lengths near u32::MAX and u16::MAX (alignment arithmetic must not wrap)
// ---------------------------------------------------------------------------

#[test]
fn nlmsg_len_near_u32_max_does_not_wrap() {
    // (len + 3) & !3 wraps to 0 for these in 32-bit arithmetic: a walker that
    // advanced by it would loop on the same message forever.
    for len in [
        u32::MAX,
        u32::MAX - 1,
        u32::MAX - 2,
        u32::MAX - 3,
        0x8000_0000,
    ] {
        let buf = msg(len, 18, 0, &[0; 16]);
        for mode in [Mode::Lenient, Mode::Strict] {
            assert_eq!(
                walk_msgs(&buf, mode),
                [Err(err(
                    ErrorKind::LengthPastEnd,
                    "nlmsg_len",
                    0,
                    len as usize,
                    32
                ))]
            );
        }
    }
    assert_eq!(nlmsg_align(usize::MAX), usize::MAX & !3);
    assert_eq!(nlmsg_align(usize::MAX - 3), usize::MAX & !3);
    assert_eq!(nla_align(usize::MAX - 1), usize::MAX & !3);
}

#[test]
fn nla_len_near_u16_max_does_not_wrap() {
    // nla_len 0xfffd..=0xffff: NLA_ALIGN wraps to 0 in 16 bits. As the last
    // attribute of an exactly sized buffer each is valid and unpadded.
    for len in [0xfffdu16, 0xfffe, 0xffff] {
        let n = usize::from(len);
        let buf = attr(len, 3, &vec![0x11; n - 4]);
        for mode in [Mode::Lenient, Mode::Strict] {
            let got = walk_attrs_raw(&buf, mode);
            assert_eq!(got.len(), 1, "nla_len {len:#x}");
            let (off, kind, payload) = got[0].expect("valid");
            assert_eq!((off, kind, payload.len()), (0, 3, n - 4));
        }
        // Followed by the padding and one more attribute: the next one is
        // found at NLA_ALIGN(len), computed without wrapping.
        let mut buf = buf;
        buf.resize(nla_align(n), 0);
        buf.extend(attr(8, 2, &5u32.to_ne_bytes()));
        let got = walk_attrs_raw(&buf, Mode::Strict);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1], Ok((0x10000, 2, &5u32.to_ne_bytes()[..])));
    }
}

#[test]
fn nlmsgerr_echo_length_near_u32_max() {
    // The echoed header claims a 4 GiB request that was not echoed.
    let mut payload = (-22i32).to_ne_bytes().to_vec();
    payload.extend(msg(u32::MAX, 20, 5, &[]));
    payload.extend_from_slice(&[1, 2, 3, 4]);
    let lenient = NlMsgErr::parse(&payload, 0, Mode::Lenient).expect("lenient keeps what is there");
    assert_eq!(lenient.request_payload, &[1, 2, 3, 4]);
    assert_eq!(
        NlMsgErr::parse(&payload, 0, Mode::Strict),
        Err(err(
            ErrorKind::LengthPastEnd,
            "nlmsgerr.msg.nlmsg_len",
            4,
            u32::MAX as usize,
            20
        ))
    );
    assert_eq!(
        NlMsgErr::parse(&payload, NLM_F_ACK_TLVS, Mode::Lenient).map(|_| ()),
        Err(err(
            ErrorKind::LengthPastEnd,
            "nlmsgerr.msg.nlmsg_len",
            4,
            u32::MAX as usize,
            20
        ))
    );
}

// ---------------------------------------------------------------------------
// Unpadded last message / attribute, trailing bytes
// ---------------------------------------------------------------------------

#[test]
fn unpadded_last_message() {
    // 17-byte message (not a multiple of 4) at the very end: NLMSG_OK accepts
    // it, NLMSG_ALIGN(17) = 20 is past the end and the walk just ends.
    let mut buf = msg(20, 18, 0, &[0; 4]);
    buf.extend(msg(17, 16, 0, &[0xab]));
    for mode in [Mode::Lenient, Mode::Strict] {
        assert_eq!(walk_msgs(&buf, mode), [Ok((0, 20)), Ok((20, 17))]);
        let mut it = Messages::with_mode(&buf, mode);
        assert_eq!(it.nth(1).unwrap().unwrap().payload, &[0xab]);
        assert!(it.next().is_none());
        assert!(it.remaining().is_empty());
    }
}

#[test]
fn unpadded_last_attribute() {
    let mut buf = attr(8, 1, &[1, 2, 3, 4]);
    buf.extend(attr(5, 2, &[0xcd]));
    for mode in [Mode::Lenient, Mode::Strict] {
        assert_eq!(
            walk_attrs_raw(&buf, mode),
            [Ok((0, 1, &[1, 2, 3, 4][..])), Ok((8, 2, &[0xcd][..]))]
        );
    }
}

#[test]
fn trailing_1_to_3_bytes_after_attributes() {
    for n in 1..=3usize {
        let mut buf = attr(8, 1, &[1, 2, 3, 4]);
        buf.extend(vec![0xee; n]);
        let mut it = RawAttrs::with(&buf, 0, Mode::Lenient);
        assert_eq!(it.next().unwrap().unwrap().payload, &[1, 2, 3, 4]);
        assert!(it.next().is_none(), "lenient tolerates {n} trailing bytes");
        assert_eq!(it.remaining(), &vec![0xee; n][..]);
        assert_eq!(
            walk_attrs_raw(&buf, Mode::Strict),
            [
                Ok((0, 1, &[1, 2, 3, 4][..])),
                Err(err(ErrorKind::Trailing, "nlattr", 8, 4, n))
            ]
        );
    }
}

#[test]
fn trailing_1_to_3_bytes_after_messages() {
    for n in 1..=3usize {
        let mut buf = msg(20, 18, 0, &[0; 4]);
        buf.extend(vec![0xee; n]);
        let mut it = Messages::with_mode(&buf, Mode::Lenient);
        assert!(it.next().unwrap().is_ok());
        assert!(it.next().is_none(), "lenient tolerates {n} trailing bytes");
        assert_eq!(it.remaining(), &vec![0xee; n][..]);
        assert_eq!(
            walk_msgs(&buf, Mode::Strict),
            [
                Ok((0, 20)),
                Err(err(ErrorKind::Trailing, "nlmsghdr", 20, 16, n))
            ]
        );
    }
}

#[test]
fn non_zero_padding_strict_only() {
    let mut buf = attr(5, 1, &[9]);
    buf.extend_from_slice(&[0, 1, 0]);
    buf.extend(attr(4, 2, &[]));
    assert_eq!(walk_attrs_raw(&buf, Mode::Lenient).len(), 2);
    assert_eq!(
        walk_attrs_raw(&buf, Mode::Strict),
        [Err(err(ErrorKind::NonZeroPad, "nlattr padding", 5, 0, 3))]
    );
}

// ---------------------------------------------------------------------------
// Both NLA_F_* bits set
// ---------------------------------------------------------------------------

#[test]
fn both_nla_flag_bits_set() {
    let buf = attr(
        8,
        2 | NLA_F_NESTED | NLA_F_NET_BYTEORDER,
        &3u32.to_ne_bytes(),
    );
    let a = RawAttrs::new(&buf).next().unwrap().unwrap();
    assert_eq!(a.kind, 2);
    assert_eq!(a.flags, NLA_F_NESTED | NLA_F_NET_BYTEORDER);
    assert!(a.is_nested() && a.is_net_byteorder());
    // The typed set reads the kind without the flags (lenient); strict
    // refuses flag bits the declaration does not have, as the kernel's
    // NL_VALIDATE_NESTED refuses a stray NLA_F_NESTED.
    let t = Attrs::<Deep>::new(&buf).next().unwrap().unwrap();
    assert_eq!(t, Deep::Leaf(3));
    assert_eq!(
        Attrs::<Deep>::with(&buf, 0, Mode::Strict).next(),
        Some(Err(err(ErrorKind::Invalid, "DEEP_LEAF", 0, 0, 0xc000)))
    );
    // A declared-nested kind without NLA_F_NESTED is refused likewise.
    let buf = attr(4, 1, &[]);
    assert_eq!(
        Attrs::<Deep>::with(&buf, 0, Mode::Strict).next(),
        Some(Err(err(ErrorKind::Invalid, "DEEP_NEST", 0, 0x8000, 0)))
    );
    // kind 0x3fff with both flags = nla_type 0xffff.
    let buf = attr(4, 0xffff, &[]);
    let a = RawAttrs::new(&buf).next().unwrap().unwrap();
    assert_eq!((a.kind, a.flags), (0x3fff, 0xc000));
}

// ---------------------------------------------------------------------------
// NLMSG_ERROR
// ---------------------------------------------------------------------------

fn nlmsgerr_payload(error: i32, req_len: u32, echo: &[u8]) -> Vec<u8> {
    let mut p = error.to_ne_bytes().to_vec();
    p.extend(msg(req_len, 20, NLM_F_REQUEST | NLM_F_ACK, &[]));
    p.extend_from_slice(echo);
    p
}

#[test]
fn nlmsgerr_capped() {
    // NLM_F_CAPPED: the echoed header says 100 bytes but nothing follows it.
    let p = nlmsgerr_payload(-22, 100, &[]);
    for mode in [Mode::Lenient, Mode::Strict] {
        let e = NlMsgErr::parse(&p, NLM_F_CAPPED, mode).unwrap();
        assert_eq!(
            (e.error, e.capped, e.request.nlmsg_len.get()),
            (-22, true, 100)
        );
        assert!(e.request_payload.is_empty() && e.ext_ack.is_empty());
    }
}

#[test]
fn nlmsgerr_uncapped() {
    let p = nlmsgerr_payload(-1, 24, &[1, 2, 3, 4, 5, 6, 7, 8]);
    for mode in [Mode::Lenient, Mode::Strict] {
        let e = NlMsgErr::parse(&p, 0, mode).unwrap();
        assert_eq!((e.error, e.capped), (-1, false));
        assert_eq!(e.request_payload, &[1, 2, 3, 4, 5, 6, 7, 8]);
    }
    // An uncapped ACK whose echo is shorter than its header says: lenient
    // keeps what arrived, strict refuses.
    let p = nlmsgerr_payload(0, 40, &[1, 2, 3, 4]);
    assert_eq!(
        NlMsgErr::parse(&p, 0, Mode::Lenient)
            .unwrap()
            .request_payload,
        &[1, 2, 3, 4]
    );
    assert_eq!(
        NlMsgErr::parse(&p, 0, Mode::Strict).map(|_| ()),
        Err(err(
            ErrorKind::LengthPastEnd,
            "nlmsgerr.msg.nlmsg_len",
            4,
            40,
            20
        ))
    );
}

#[test]
fn nlmsgerr_non_zero_padding_before_extended_ack() {
    // A 1-byte echo, then 3 padding bytes before the TLVs: lenient skips
    // them, strict refuses them unless zero (found by the messages_strict
    // fuzz target: re-emitting zeroed them).
    let mut p = nlmsgerr_payload(-22, 17, &[0xde, 0xad, 0xb6, 0xef]);
    p.extend(attr(8, 2, &20u32.to_ne_bytes()));
    let flags = NLM_F_ACK_TLVS;
    let e = NlMsgErr::parse(&p, flags, Mode::Lenient).unwrap();
    assert_eq!(e.request_payload, &[0xde]);
    assert_eq!(e.ext_ack().collect::<Vec<_>>(), [Ok(ExtAckAttr::Offs(20))]);
    assert_eq!(
        NlMsgErr::parse(&p, flags, Mode::Strict).map(|_| ()),
        Err(err(ErrorKind::NonZeroPad, "nlmsgerr padding", 21, 0, 3))
    );
    p[21..24].copy_from_slice(&[0, 0, 0]);
    assert!(NlMsgErr::parse(&p, flags, Mode::Strict).is_ok());
}

#[test]
fn nlmsgerr_with_truncated_echoed_header() {
    // 4 bytes of error and only 0..=15 bytes of the echoed header.
    for n in 0..16usize {
        let p = &nlmsgerr_payload(-22, 16, &[])[..4 + n];
        for mode in [Mode::Lenient, Mode::Strict] {
            assert_eq!(
                NlMsgErr::parse(p, NLM_F_CAPPED, mode).map(|_| ()),
                Err(err(ErrorKind::Short, "nlmsgerr", 0, 20, 4 + n))
            );
        }
    }
    // Inside a message stream: the message decodes, its body does not.
    let buf = msg(16 + 10, 2, 0, &nlmsgerr_payload(-22, 16, &[])[..10]);
    let m = Messages::new(&buf).next().unwrap().unwrap();
    assert_eq!(
        NlMsgErr::parse(m.payload, 0, Mode::Lenient)
            .unwrap_err()
            .kind,
        ErrorKind::Short
    );
}

#[test]
fn nlmsgerr_offs_beyond_the_echo() {
    // NLMSGERR_ATTR_OFFS points at byte 4000 of a 20-byte, capped request:
    // the kernel sends such offsets; the value is reported as is.
    let mut b = Builder::new_vec();
    b.message(2, NLM_F_CAPPED | NLM_F_ACK_TLVS, 1, 2, |b| {
        b.put_bytes(&(-22i32).to_ne_bytes())?;
        b.put_struct(&NlMsgHdr::new(20, 20, 5, 1, 2))?;
        b.attr(2, &4000u32)
    })
    .unwrap();
    let bytes = b.into_vec();
    let m = Messages::with_mode(&bytes, Mode::Strict)
        .next()
        .unwrap()
        .unwrap();
    let e = NlMsgErr::parse(m.payload, m.header.nlmsg_flags.get(), Mode::Strict).unwrap();
    let attrs: Vec<_> = e.ext_ack().collect();
    assert_eq!(attrs, [Ok(ExtAckAttr::Offs(4000))]);
    assert!(e.request_payload.is_empty());
}

#[test]
fn string_attribute_without_nul() {
    let buf = attr(7, 1, b"bad");
    let a = Attrs::<ExtAckAttr>::new(&buf).next().unwrap().unwrap();
    let ExtAckAttr::Msg(s) = a else {
        panic!("{a:?}")
    };
    assert_eq!(s.to_bytes(), b"bad");
    assert!(!s.has_nul());
    let mut r = Record::default();
    a.walk(&mut r);
    assert_eq!(
        r.lines,
        [format!("NLMSGERR_ATTR_MSG={:?}", Value::Str(b"bad"))]
    );
    // And as the message of an ACK.
    let mut p = nlmsgerr_payload(-22, 20, &[]);
    p.extend_from_slice(&buf);
    let e = NlMsgErr::parse(&p, NLM_F_CAPPED | NLM_F_ACK_TLVS, Mode::Strict).unwrap();
    assert_eq!(e.message(), Some(&b"bad"[..]));
}

// ---------------------------------------------------------------------------
// NLMSG_DONE
// ---------------------------------------------------------------------------

#[test]
fn nlmsg_done_16_bytes() {
    let buf = msg(16, 3, NLM_F_MULTI, &[]);
    let m = Messages::with_mode(&buf, Mode::Strict)
        .next()
        .unwrap()
        .unwrap();
    let d = NlMsgDone::parse(m.payload, NLM_F_MULTI, Mode::Strict).unwrap();
    assert_eq!((d.error, d.ext_ack), (None, &[][..]));
}

#[test]
fn nlmsg_done_20_bytes() {
    let buf = msg(20, 3, NLM_F_MULTI, &(-4i32).to_ne_bytes());
    let m = Messages::with_mode(&buf, Mode::Strict)
        .next()
        .unwrap()
        .unwrap();
    let d = NlMsgDone::parse(m.payload, NLM_F_MULTI, Mode::Strict).unwrap();
    assert_eq!((d.error, d.ext_ack), (Some(-4), &[][..]));
}

#[test]
fn nlmsg_done_with_1_to_3_payload_bytes() {
    for n in 1..4usize {
        for mode in [Mode::Lenient, Mode::Strict] {
            assert_eq!(
                NlMsgDone::parse(&[0; 3][..n], 0, mode),
                Err(err(ErrorKind::Short, "NLMSG_DONE error", 0, 4, n))
            );
        }
    }
}

#[test]
fn nlmsg_done_with_extended_ack() {
    let mut b = Builder::new_vec();
    b.message(3, NLM_F_MULTI | NLM_F_ACK_TLVS, 1, 2, |b| {
        b.put_bytes(&0i32.to_ne_bytes())?;
        b.attr(1, &NulStr(b"partial dump\0"))?;
        b.attr(3, &Bytes(&[1, 2, 3]))
    })
    .unwrap();
    let bytes = b.into_vec();
    let m = Messages::with_mode(&bytes, Mode::Strict)
        .next()
        .unwrap()
        .unwrap();
    let d = NlMsgDone::parse(m.payload, m.header.nlmsg_flags.get(), Mode::Strict).unwrap();
    assert_eq!(d.error, Some(0));
    let attrs: Vec<_> = d.ext_ack().collect();
    assert_eq!(
        attrs,
        [
            Ok(ExtAckAttr::Msg(NulStr(b"partial dump\0"))),
            Ok(ExtAckAttr::Cookie(Bytes(&[1, 2, 3])))
        ]
    );
    // Without NLM_F_ACK_TLVS the same bytes are trailing: tolerated, refused.
    assert!(NlMsgDone::parse(m.payload, NLM_F_MULTI, Mode::Lenient)
        .unwrap()
        .ext_ack
        .is_empty());
    assert_eq!(
        NlMsgDone::parse(m.payload, NLM_F_MULTI, Mode::Strict)
            .unwrap_err()
            .kind,
        ErrorKind::Trailing
    );
}

// ---------------------------------------------------------------------------
// Nesting deeper than MAX_NEST_DEPTH
// ---------------------------------------------------------------------------

#[test]
fn nesting_deeper_than_max_nest_depth_is_too_deep() {
    let buf = deep(MAX_NEST_DEPTH + 40);
    let mut r = Record::default();
    walk_attrs(Attrs::<Deep>::new(&buf), &mut r);
    assert_eq!(r.depth, 0, "walk is balanced");
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    assert_eq!(r.errors[0].kind, ErrorKind::TooDeep);
    assert_eq!(r.max_depth, MAX_NEST_DEPTH + 1);
    assert!(
        !r.lines.iter().any(|l| l.contains("DEEP_LEAF")),
        "walk went past the limit"
    );

    // Exactly at the limit the leaf is reached and nothing is reported.
    let buf = deep(MAX_NEST_DEPTH);
    let mut r = Record::default();
    walk_attrs(Attrs::<Deep>::new(&buf), &mut r);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert!(r.lines.iter().any(|l| l.contains("DEEP_LEAF=U64(7)")));
    // Strict validation accepts the same depth and refuses one more.
    assert!(matches!(
        Attrs::<Deep>::with(&buf, 0, Mode::Strict).next(),
        Some(Ok(Deep::Nest(_)))
    ));
    let buf = deep(MAX_NEST_DEPTH + 1);
    let e = Attrs::<Deep>::with(&buf, 0, Mode::Strict)
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooDeep);
}

#[test]
fn nesting_16000_deep_no_stack_overflow() {
    // The deepest nesting nla_len allows (4 bytes per level): lenient and
    // strict parsing, walking and byte-order swapping must all finish.
    let depth = (usize::from(u16::MAX) - 8) / 4;
    let buf = deep(depth);
    let mut r = Record::default();
    walk_attrs(Attrs::<Deep>::new(&buf), &mut r);
    assert_eq!(
        r.errors.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [ErrorKind::TooDeep]
    );
    let strict: Vec<_> = Attrs::<Deep>::with(&buf, 0, Mode::Strict).collect();
    assert_eq!(strict.len(), 1);
    let e = strict[0].unwrap_err();
    assert_eq!((e.kind, e.what), (ErrorKind::TooDeep, "deep_attrs"));
    // The error points at the payload of the nest that went too deep.
    assert_eq!(e.offset(), 4 * (MAX_NEST_DEPTH + 1));
    let lenient: Vec<_> = Attrs::<Deep>::new(&buf).collect();
    assert!(matches!(lenient[..], [Ok(Deep::Nest(_))]));
    let mut copy = buf.clone();
    swap_attr_stream::<Deep>(&mut copy, 0);
}

// ---------------------------------------------------------------------------
// Emit
// ---------------------------------------------------------------------------

/// A message with a nested attribute, a string and an ACK: what a short
/// buffer must refuse at every size.
fn build_sample<S: Sink>(b: &mut Builder<S>) -> nlwire::Result<()> {
    b.message(20, NLM_F_REQUEST | NLM_F_ACK, 1, 0, |b| {
        b.put_bytes(&[2, 0, 0, 0])?;
        b.attr(3, &NulStr(b"eth0\0"))?;
        b.nested(4, true, |b| {
            b.attr(1, &7u32)?;
            b.attr(2, &u64::MAX)
        })?;
        b.attr_raw(5, &[])
    })?;
    b.message(2, NLM_F_CAPPED, 1, 0, |b| {
        b.put_bytes(&0i32.to_ne_bytes())?;
        b.put_struct(&NlMsgHdr::new(60, 20, 5, 1, 0))
    })
}

#[test]
fn emit_into_buffer_one_byte_too_small() {
    let mut v = Builder::new_vec();
    build_sample(&mut v).unwrap();
    let want = v.into_vec();
    let exact = want.len();
    assert_eq!(exact, 60 + 36);
    for size in 0..exact {
        let mut buf = vec![0xa5u8; size];
        let mut b = Builder::new(&mut buf[..]);
        let e = build_sample(&mut b).expect_err("short buffer");
        assert_eq!(e.kind, ErrorKind::BufferTooSmall, "size {size}: {e:?}");
        assert_eq!(e.present(), size);
        assert!(
            e.needed() > size && e.needed() <= exact,
            "size {size}: {e:?}"
        );
    }
    let mut buf = vec![0xa5u8; exact];
    let mut b = Builder::new(&mut buf[..]);
    build_sample(&mut b).unwrap();
    assert_eq!(b.len(), exact);
    assert_eq!(buf, want);
}

#[test]
fn emit_attribute_payload_over_65531_bytes_is_too_long() {
    let big = vec![0x5a; NLA_MAX_PAYLOAD + 1];
    let mut b = Builder::new_vec();
    let e = b.attr_raw(1, &big).unwrap_err();
    assert_eq!(
        (e.kind, e.what, e.needed, e.present),
        (ErrorKind::TooLong, "nla_len", 65532, 65531)
    );
    assert!(b.is_empty(), "nothing written");
    // 65 531 bytes is the largest payload: nla_len 65535.
    b.attr_raw(1, &big[..NLA_MAX_PAYLOAD]).unwrap();
    assert_eq!(&b.as_bytes()[..2], &u16::MAX.to_ne_bytes());
    assert_eq!(b.len(), 65536, "padded to 4");
    // A nest whose contents outgrow nla_len.
    let mut b = Builder::new_vec();
    let e = b
        .nested(2, true, |b| {
            b.attr_raw(1, &big[..40000])?;
            b.attr_raw(1, &big[..40000])
        })
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooLong);
    assert_eq!(e.what, "nla_len");
}

#[test]
fn header_swap_on_short_buffers_is_a_no_op() {
    for n in 0..16usize {
        let mut b = vec![0x11u8; n];
        NlMsgHdr::swap_order(&mut b);
        NlMsgErrHdr::swap_order(&mut b);
        // Only whole fields inside the buffer are swapped (all bytes equal,
        // so the content cannot change).
        assert_eq!(b, vec![0x11u8; n]);
    }
}

// ---------------------------------------------------------------------------
// sock_diag: tcp_info of every length, unix kind 0 and empty ICONS
// ---------------------------------------------------------------------------

use nlwire::families::sock_diag::{
    decode, InetDiagAttr, SockDiagMessage, TcpInfo, UnixDiagAttr, UnixName, SOCK_DIAG_BY_FAMILY,
};

/// An `inet_diag_msg` reply (AF_INET) whose only attribute is
/// `INET_DIAG_INFO` with `info` as payload.
fn inet_reply_with_info(info: &[u8]) -> Vec<u8> {
    let mut hdr = [0u8; 72];
    hdr[0] = 2; // AF_INET
    hdr[1] = 1; // TCP_ESTABLISHED
    let mut b = Builder::new_vec();
    b.message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, 1, 0, |b| {
        b.put_bytes(&hdr)?;
        b.attr_raw(2, info)
    })
    .unwrap();
    b.into_vec()
}

/// The names a walk of `tcp_info` of `n` bytes must report: every field
/// (or its bit-fields) that arrived whole, then `extra` past the struct.
fn expected_tcp_info_names(n: usize) -> Vec<&'static str> {
    let mut names = Vec::new();
    for f in TcpInfo::FIELDS {
        if f.offset + f.size <= n {
            if f.bits.is_empty() {
                names.push(f.name);
            } else {
                names.extend(f.bits.iter().map(|b| b.0));
            }
        }
    }
    if n > TcpInfo::SIZE {
        names.push("extra");
    }
    names
}

#[derive(Default)]
struct Names(Vec<String>, usize);
impl Visitor for Names {
    fn field(&mut self, name: &str, _value: Value<'_>) {
        if self.1 == 0 {
            self.0.push(name.to_string());
        }
    }
    fn begin(&mut self, _name: &str) {
        self.1 += 1;
    }
    fn end(&mut self) {
        self.1 -= 1;
    }
    fn depth(&self) -> usize {
        self.1
    }
    fn error(&mut self, e: Error) {
        panic!("walk error {e}");
    }
}

fn tcp_info_of_len(n: usize) {
    let info: Vec<u8> = (0..n).map(|i| (i % 251) as u8 + 1).collect();
    let bytes = inet_reply_with_info(&info);
    let m = Messages::with_mode(&bytes, Mode::Strict)
        .next()
        .unwrap()
        .unwrap();
    for mode in [Mode::Lenient, Mode::Strict] {
        let SockDiagMessage::InetResponse(r) = decode(&m, mode).unwrap() else {
            panic!("not a reply")
        };
        let attrs: Vec<_> = r.attrs().collect::<Result<_, _>>().unwrap();
        let [InetDiagAttr::Info(v)] = attrs[..] else {
            panic!("{attrs:?}")
        };
        let v = v.as_tcp_info();
        assert_eq!(v.len(), n);
        assert_eq!(v.extra(), &info[n.min(TcpInfo::SIZE)..]);
        assert_eq!(v.tcpi_state(), info.first().copied());
        // The field that ends each known size is present from that size on.
        assert_eq!(v.tcpi_total_retrans().is_some(), n >= 104, "n = {n}");
        assert_eq!(v.tcpi_pacing_rate().is_some(), n >= 112, "n = {n}");
        assert_eq!(v.tcpi_segs_in().is_some(), n >= 144, "n = {n}");
        assert_eq!(v.tcpi_notsent_bytes().is_some(), n >= 148, "n = {n}");
        assert_eq!(v.tcpi_snd_wnd().is_some(), n >= 232, "n = {n}");
        assert_eq!(v.tcpi_rehash().is_some(), n >= 240, "n = {n}");
        assert_eq!(v.tcpi_total_rto_time().is_some(), n >= 248, "n = {n}");
        assert_eq!(v.tcpi_ecn_mode().is_some(), n >= 280, "n = {n}");
        let full = v.to_full();
        assert_eq!(&full.as_bytes()[..n.min(280)], &info[..n.min(280)]);
        assert!(full.as_bytes()[n.min(280)..].iter().all(|&b| b == 0));
        let mut names = Names::default();
        v.walk(&mut names);
        assert_eq!(names.0, expected_tcp_info_names(n), "n = {n}");
    }
}

#[test]
fn tcp_info_of_0_104_144_232_248_280_300_bytes() {
    for n in [0, 104, 144, 232, 248, 280, 300] {
        tcp_info_of_len(n);
    }
    // Odd lengths in between: a field cut in the middle reads as absent.
    for n in [1, 7, 103, 231, 233, 279, 281] {
        tcp_info_of_len(n);
    }
}

#[test]
fn unix_name_is_kind_0_and_empty_icons_is_valid() {
    let mut hdr = [0u8; 16];
    hdr[0] = 1; // AF_UNIX
    hdr[1] = 1; // SOCK_STREAM
    hdr[2] = 10; // TCP_LISTEN
    let mut b = Builder::new_vec();
    b.message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, 1, 0, |b| {
        b.put_bytes(&hdr)?;
        b.attr_raw(0, b"\0nlwire-abstract")?; // UNIX_DIAG_NAME, abstract
        b.attr_raw(3, &[]) // UNIX_DIAG_ICONS, nla_len 4
    })
    .unwrap();
    let bytes = b.into_vec();
    let m = Messages::with_mode(&bytes, Mode::Strict)
        .next()
        .unwrap()
        .unwrap();
    for mode in [Mode::Lenient, Mode::Strict] {
        let SockDiagMessage::UnixResponse(r) = decode(&m, mode).unwrap() else {
            panic!("not a unix reply")
        };
        let attrs: Vec<_> = r.attrs().collect::<Result<_, _>>().unwrap();
        assert_eq!(attrs.len(), 2);
        let UnixDiagAttr::Name(name) = attrs[0] else {
            panic!("kind 0 is not UNIX_DIAG_NAME: {:?}", attrs[0])
        };
        assert_eq!(name.name(), UnixName::Abstract(b"nlwire-abstract"));
        let UnixDiagAttr::Icons(icons) = attrs[1] else {
            panic!("{:?}", attrs[1])
        };
        assert!(icons.0.is_empty());
    }
    // And an empty UNIX_DIAG_NAME is an unnamed socket, not an error.
    let mut b = Builder::new_vec();
    b.message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, 1, 0, |b| {
        b.put_bytes(&hdr)?;
        b.attr_raw(0, &[])
    })
    .unwrap();
    let bytes = b.into_vec();
    let m = Messages::with_mode(&bytes, Mode::Strict)
        .next()
        .unwrap()
        .unwrap();
    let SockDiagMessage::UnixResponse(r) = decode(&m, Mode::Strict).unwrap() else {
        panic!()
    };
    let a = r.attrs().next().unwrap().unwrap();
    assert!(matches!(a, UnixDiagAttr::Name(n) if n.name() == UnixName::Unnamed));
}

// ---------------------------------------------------------------------------
// A big-endian capture
// ---------------------------------------------------------------------------

/// A unix_diag reply and `NLMSG_DONE` laid out by hand in big-endian order,
/// as an s390x host would capture them.
fn big_endian_dump() -> Vec<u8> {
    let mut v = Vec::new();
    // unix_diag_msg reply: 16 header + 16 unix_diag_msg + 8 UNIX_DIAG_PEER
    v.extend_from_slice(&40u32.to_be_bytes());
    v.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_be_bytes());
    v.extend_from_slice(&NLM_F_MULTI.to_be_bytes());
    v.extend_from_slice(&0x0102_0304u32.to_be_bytes());
    v.extend_from_slice(&4242u32.to_be_bytes());
    v.extend_from_slice(&[1, 1, 10, 0]); // AF_UNIX, SOCK_STREAM, LISTEN, pad
    v.extend_from_slice(&77_777u32.to_be_bytes()); // udiag_ino
    v.extend_from_slice(&[0xff; 8]); // cookie
    v.extend_from_slice(&8u16.to_be_bytes());
    v.extend_from_slice(&2u16.to_be_bytes()); // UNIX_DIAG_PEER
    v.extend_from_slice(&99u32.to_be_bytes());
    // NLMSG_DONE with its int
    v.extend_from_slice(&20u32.to_be_bytes());
    v.extend_from_slice(&3u16.to_be_bytes());
    v.extend_from_slice(&NLM_F_MULTI.to_be_bytes());
    v.extend_from_slice(&0x0102_0304u32.to_be_bytes());
    v.extend_from_slice(&4242u32.to_be_bytes());
    v.extend_from_slice(&(-4i32).to_be_bytes());
    v
}

#[test]
fn big_endian_capture() {
    use nlwire::nlmon::{parse_frame, LINKTYPE_NETLINK};
    use nlwire::swap::{detect_order, swap_message, ByteOrder};
    // An nlmon frame: the pseudo-header is big-endian on every host.
    let mut frame = vec![0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4];
    frame.extend(big_endian_dump());
    let f = parse_frame(LINKTYPE_NETLINK, &frame).unwrap();
    assert_eq!(f.family, 4, "NETLINK_SOCK_DIAG");
    let mut bytes = f.payload.to_vec();
    assert_eq!(detect_order(&bytes), ByteOrder::Big);
    if ByteOrder::HOST == ByteOrder::Big {
        return;
    }
    // Read as is, the lengths are wrong: a clean error, no panic.
    assert_eq!(
        Messages::new(&bytes).next().unwrap().unwrap_err().kind,
        ErrorKind::LengthPastEnd
    );
    swap_message(4, &mut bytes);
    let msgs: Vec<_> = Messages::with_mode(&bytes, Mode::Strict)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[0].header.nlmsg_seq.get(), 0x0102_0304);
    let SockDiagMessage::UnixResponse(r) = decode(&msgs[0], Mode::Strict).unwrap() else {
        panic!()
    };
    assert_eq!(r.header.udiag_ino.get(), 77_777);
    let attrs: Vec<_> = r.attrs().collect::<Result<_, _>>().unwrap();
    assert_eq!(attrs, [UnixDiagAttr::Peer(99)]);
    let d = NlMsgDone::parse(
        msgs[1].payload,
        msgs[1].header.nlmsg_flags.get(),
        Mode::Strict,
    )
    .unwrap();
    assert_eq!(d.error, Some(-4));
}

// ---------------------------------------------------------------------------
// The generic decoder: echoed requests inside echoed requests
// ---------------------------------------------------------------------------

/// An uncapped `NLMSG_ERROR` whose echoed request is itself an uncapped
/// `NLMSG_ERROR`, `depth` times, around a 4-byte `RTM_GETLINK` request
/// (written front to back: each level is a header and an `int`).
fn nested_errors(depth: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(20 * depth + 20);
    for level in 0..depth {
        let len = 20 * (depth - level) + 20;
        out.extend(msg(len as u32, 2, 0, &(-22i32).to_ne_bytes()));
    }
    out.extend(msg(20, 18, NLM_F_REQUEST, &[0; 4]));
    out
}

#[test]
fn generic_decoder_nested_echoes_are_bounded() {
    let deepest = if cfg!(miri) { 1_000 } else { 100_000 };
    for depth in [1, MAX_NEST_DEPTH, deepest] {
        let buf = nested_errors(depth);
        let m = Messages::with_mode(&buf, Mode::Strict)
            .next()
            .unwrap()
            .unwrap();
        let d = nlwire::decode::decode(0, m, Mode::Lenient);
        let mut r = Record::default();
        d.walk(&mut r);
        assert_eq!(r.depth, 0);
        assert!(
            r.max_depth <= 2 * MAX_NEST_DEPTH + 4,
            "depth {depth}: walked {} deep",
            r.max_depth
        );
        if depth > MAX_NEST_DEPTH {
            assert_eq!(
                r.errors.iter().map(|e| e.kind).collect::<Vec<_>>(),
                [ErrorKind::TooDeep]
            );
        } else {
            assert!(r.errors.is_empty(), "{:?}", r.errors);
        }
    }
}
