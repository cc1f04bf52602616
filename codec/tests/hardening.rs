//! Hardening: error offsets in the frame wherever the error is found,
//! `NLMSG_ERROR` too short for its echoed header, bytes the kernel skips
//! (never hidden), `AF_INET` socket ids with garbage in the unused address
//! words, and the wording of length errors.

use nlwire::decode::{decode, Body, Decoded};
use nlwire::families::sock_diag::InetDiagSockId;
use nlwire::netlink::{Messages, NlMsgDone, NlMsgErr, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_MULTI};
use nlwire::value::{Value, Visitor, Walk};
use nlwire::{Error, ErrorKind, Mode};

mod hardening_bytes;
use hardening_bytes::*;

const NETLINK_SOCK_DIAG: u16 = 4;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const NLM_F_REQUEST: u16 = 1;
const NLM_F_DUMP: u16 = 0x300;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Records a walk: fields as `path=value`, and the errors.
#[derive(Default)]
struct Record {
    path: Vec<String>,
    lines: Vec<String>,
    errors: Vec<Error>,
}

impl Visitor for Record {
    fn field(&mut self, name: &str, value: Value<'_>) {
        let mut p = self.path.join(".");
        if !p.is_empty() {
            p.push('.');
        }
        self.lines.push(format!("{p}{name}={value:?}"));
    }
    fn begin(&mut self, name: &str) {
        self.path.push(name.to_string());
    }
    fn end(&mut self) {
        self.path.pop().expect("end() without begin()");
    }
    fn depth(&self) -> usize {
        self.path.len()
    }
    fn error(&mut self, e: Error) {
        self.errors.push(e);
    }
}

/// Decode the first message of `buf` (a frame) and record the walk.
fn walk_first(buf: &[u8], mode: Mode) -> (Decoded<'_>, Record) {
    let m = Messages::with_mode(buf, mode)
        .next()
        .expect("a message")
        .expect("framing ok");
    let d = decode(NETLINK_SOCK_DIAG, m, mode);
    let mut r = Record::default();
    d.walk(&mut r);
    assert!(r.path.is_empty(), "unbalanced walk");
    (d, r)
}

/// The offsets of the errors the walk reported.
fn offsets(r: &Record) -> Vec<usize> {
    r.errors.iter().map(|e| e.offset()).collect()
}

// ---------------------------------------------------------------------------
// Item 4: error offsets are in the frame, in both modes
// ---------------------------------------------------------------------------

#[test]
fn ulp_info_member_error_offset_is_in_the_frame_in_both_modes() {
    let buf = ulp_info_with_bad_member();
    for mode in [Mode::Lenient, Mode::Strict] {
        let (d, r) = walk_first(&buf, mode);
        assert_eq!(offsets(&r), [92], "{mode:?}: {:?}", r.errors);
        assert_eq!(r.errors[0].kind, ErrorKind::LengthTooSmall);
        if mode.is_strict() {
            assert_eq!(d.body.unwrap_err().offset, 92);
        }
    }
}

#[test]
fn nested_twice_error_offset_is_in_the_frame() {
    // INET_DIAG_ULP_INFO (88) > INET_ULP_INFO_TLS (92, payload 96) > a
    // member with nla_len 3 at 96.
    let tls = attr(2, &attr(1, &[0; 4], Some(3)), None);
    let mut p = inet_diag_msg(V4_LOOPBACK);
    p.extend(attr(19, &tls, None));
    let buf = msg(SOCK_DIAG_BY_FAMILY, 2, &p);
    for mode in [Mode::Lenient, Mode::Strict] {
        let (_, r) = walk_first(&buf, mode);
        assert_eq!(offsets(&r), [96], "{mode:?}: {:?}", r.errors);
    }
}

#[test]
fn bytecode_op_error_offset_is_in_the_frame_in_both_modes() {
    // inet_diag_req_v2 (56 bytes at 16), INET_DIAG_REQ_BYTECODE at 72,
    // program at 76: one INET_DIAG_BC_JMP whose `no` jumps past the end.
    let mut p = vec![2, 6, 0, 0];
    p.extend_from_slice(&0xfffu32.to_ne_bytes());
    p.extend(sockid([0; 16]));
    p.extend(attr(1, &[1, 4, 100, 0], None));
    let buf = msg(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, &p);
    for mode in [Mode::Lenient, Mode::Strict] {
        let (_, r) = walk_first(&buf, mode);
        assert_eq!(offsets(&r), [76], "{mode:?}: {:?}", r.errors);
        assert_eq!(r.errors[0].kind, ErrorKind::Invalid);
    }
}

#[test]
fn ext_ack_error_offset_is_in_the_frame_in_both_modes() {
    // A capped NLMSG_ERROR: error, echoed header, then at 36 an extended-ACK
    // attribute with nla_len 2.
    let mut p = (-22i32).to_ne_bytes().to_vec();
    p.extend(msg(16, 5, &[0; 16]).get(..16).unwrap());
    p.extend_from_slice(&2u16.to_ne_bytes());
    p.extend_from_slice(&1u16.to_ne_bytes());
    let buf = msg(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, &p);
    for mode in [Mode::Lenient, Mode::Strict] {
        let (_, r) = walk_first(&buf, mode);
        assert_eq!(offsets(&r), [36], "{mode:?}: {:?}", r.errors);
    }
    // Parsed on its own, the payload's offsets count from the payload;
    // parse_at counts from where the caller says the payload is.
    let e = NlMsgErr::parse(&buf[16..], NLM_F_CAPPED | NLM_F_ACK_TLVS, Mode::Lenient).unwrap();
    assert_eq!(e.ext_ack().next().unwrap().unwrap_err().offset, 20);
    let e =
        NlMsgErr::parse_at(&buf[16..], 16, NLM_F_CAPPED | NLM_F_ACK_TLVS, Mode::Lenient).unwrap();
    assert_eq!(e.ext_ack().next().unwrap().unwrap_err().offset, 36);
}

#[test]
fn done_ext_ack_error_offset_is_in_the_frame() {
    let mut p = 0i32.to_ne_bytes().to_vec();
    p.extend_from_slice(&1u16.to_ne_bytes());
    p.extend_from_slice(&1u16.to_ne_bytes());
    let buf = msg(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, &p);
    for mode in [Mode::Lenient, Mode::Strict] {
        let (_, r) = walk_first(&buf, mode);
        assert_eq!(offsets(&r), [20], "{mode:?}: {:?}", r.errors);
    }
}

// ---------------------------------------------------------------------------
// Item 7: NLMSG_ERROR of 4 to 19 payload bytes
// ---------------------------------------------------------------------------

#[test]
fn short_nlmsgerr_shows_its_errno_and_is_malformed() {
    let full = {
        let mut p = (-22i32).to_ne_bytes().to_vec();
        p.extend_from_slice(&[0x20, 0, 0, 0, 0x10, 0, 5, 0, 9, 0, 0, 0, 0, 0, 0]);
        p
    };
    for n in 4..20usize {
        let buf = msg(NLMSG_ERROR, 0, &full[..n]);
        for mode in [Mode::Lenient, Mode::Strict] {
            let (d, r) = walk_first(&buf, mode);
            let e = d.body.as_ref().unwrap_err();
            assert_eq!(
                (e.kind, e.what, e.offset(), e.needed(), e.present()),
                (ErrorKind::Short, "nlmsgerr", 16, 20, n)
            );
            assert_eq!(d.errno(), Some(-22));
            assert!(
                r.lines.contains(&format!(
                    "nlmsgerr.error={:?}",
                    Value::Enum {
                        raw: -22i64 as u64,
                        name: Some("EINVAL")
                    }
                )),
                "{n}: {:?}",
                r.lines
            );
            if n > 4 {
                assert!(
                    r.lines.contains(&format!(
                        "nlmsgerr.truncated={:?}",
                        Value::Bytes(&full[4..n])
                    )),
                    "{:?}",
                    r.lines
                );
            }
            assert_eq!(r.errors, [*e], "reported once, so the message is malformed");
        }
    }
    // Fewer than 4 bytes: no errno to show.
    let buf = msg(NLMSG_ERROR, 0, &[0xea, 0xff]);
    let (d, r) = walk_first(&buf, Mode::Lenient);
    assert_eq!(d.errno(), None);
    assert!(r.lines.iter().all(|l| !l.starts_with("nlmsgerr")));
    assert_eq!(r.errors.len(), 1);
}

#[test]
fn errno_of_whole_error_and_done_messages() {
    let mut p = (-2i32).to_ne_bytes().to_vec();
    p.extend(msg(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, &[]));
    let buf = msg(NLMSG_ERROR, NLM_F_CAPPED, &p);
    assert_eq!(walk_first(&buf, Mode::Strict).0.errno(), Some(-2));
    let buf = msg(NLMSG_DONE, NLM_F_MULTI, &(-4i32).to_ne_bytes());
    assert_eq!(walk_first(&buf, Mode::Strict).0.errno(), Some(-4));
    let buf = ulp_info_with_bad_member();
    assert_eq!(walk_first(&buf, Mode::Lenient).0.errno(), None);
}

// ---------------------------------------------------------------------------
// Item 8: bytes the kernel skips are never hidden
// ---------------------------------------------------------------------------

#[test]
fn done_trailing_bytes_are_shown_in_lenient_mode() {
    let mut p = 0i32.to_ne_bytes().to_vec();
    p.extend_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
    let buf = msg(NLMSG_DONE, NLM_F_MULTI, &p);
    let strict = walk_first(&buf, Mode::Strict).0.body.unwrap_err();
    let (d, r) = walk_first(&buf, Mode::Lenient);
    let Ok(Body::Done(done)) = &d.body else {
        panic!("lenient keeps NLMSG_DONE: {:?}", d.body)
    };
    assert_eq!(done.trailing, &[0xde, 0xad, 0xbe, 0xef]);
    assert!(done.ext_ack.is_empty());
    assert!(r
        .lines
        .contains(&format!("NLMSG_DONE.trailing={:?}", Value::Bytes(&p[4..]))));
    // The walk reports the error strict parsing returns.
    assert_eq!(r.errors, [strict]);
    assert_eq!(
        (strict.kind, strict.offset, strict.needed, strict.present),
        (ErrorKind::Trailing, 20, 4, 8)
    );
    // parse on its own: same fields.
    let d = NlMsgDone::parse(&p, NLM_F_MULTI, Mode::Lenient).unwrap();
    assert_eq!(d.trailing, &p[4..]);
}

#[test]
fn nlmsgerr_trailing_bytes_are_shown_in_lenient_mode() {
    // A capped ACK without NLM_F_ACK_TLVS followed by 8 bytes.
    let mut p = 0i32.to_ne_bytes().to_vec();
    p.extend(msg(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, &[]));
    p.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
    let buf = msg(NLMSG_ERROR, NLM_F_CAPPED, &p);
    let strict = walk_first(&buf, Mode::Strict).0.body.unwrap_err();
    let (d, r) = walk_first(&buf, Mode::Lenient);
    let Ok(Body::Error(e)) = &d.body else {
        panic!("lenient keeps the ACK: {:?}", d.body)
    };
    assert_eq!(e.trailing, &[1, 2, 3, 4, 5, 6, 7, 8]);
    assert!(r.lines.contains(&format!(
        "nlmsgerr.trailing={:?}",
        Value::Bytes(&[1, 2, 3, 4, 5, 6, 7, 8])
    )));
    assert_eq!(r.errors, [strict]);
    assert_eq!((strict.kind, strict.offset), (ErrorKind::Trailing, 36));
}

#[test]
fn stray_bytes_after_the_last_message_are_kept_or_refused() {
    let mut buf = msg(NLMSG_DONE, NLM_F_MULTI, &0i32.to_ne_bytes());
    buf.extend_from_slice(&[9, 9, 9]);
    // Lenient: the walk ends as the kernel's does, the bytes stay in
    // `remaining()` for the caller to report.
    let mut it = Messages::with_mode(&buf, Mode::Lenient);
    assert!(it.next().unwrap().is_ok());
    assert!(it.next().is_none());
    assert_eq!(it.remaining(), &[9, 9, 9]);
    assert_eq!(it.position(), 20);
    // Strict: an error at their offset.
    let mut it = Messages::with_mode(&buf, Mode::Strict);
    assert!(it.next().unwrap().is_ok());
    let e = it.next().unwrap().unwrap_err();
    assert_eq!(
        (e.kind, e.what, e.offset, e.needed, e.present),
        (ErrorKind::Trailing, "nlmsghdr", 20, 16, 3)
    );
}

// ---------------------------------------------------------------------------
// Item 10: AF_INET addresses with garbage in the unused words
// ---------------------------------------------------------------------------

#[test]
fn af_inet_sockid_with_garbage_words_reads_the_first_word() {
    let mut src = [0u8; 16];
    src[..4].copy_from_slice(&[10, 0, 0, 1]);
    src[4..8].copy_from_slice(&[0xff; 4]);
    src[12..].copy_from_slice(&[0x12, 0x34, 0x56, 0x78]);
    let buf = msg(SOCK_DIAG_BY_FAMILY, 2, &inet_diag_msg(src));
    for mode in [Mode::Lenient, Mode::Strict] {
        let (_, r) = walk_first(&buf, mode);
        let id: Vec<_> = r
            .lines
            .iter()
            .filter(|l| l.starts_with("inet_diag_msg.id.idiag_src"))
            .cloned()
            .collect();
        assert_eq!(
            id,
            [
                format!(
                    "inet_diag_msg.id.idiag_src={:?}",
                    Value::Ipv4([10, 0, 0, 1].into())
                ),
                format!(
                    "inet_diag_msg.id.idiag_src_extra={:?}",
                    Value::Bytes(&src[4..])
                ),
            ]
        );
        assert!(r.errors.is_empty());
        assert!(!r.lines.iter().any(|l| l.contains("idiag_dst_extra")));
    }
    // The accessors read the first word too.
    let bytes = sockid(src);
    let (id, _) = <InetDiagSockId as nlwire::wire::WireStruct>::parse(&bytes).unwrap();
    assert_eq!(id.src(2), Some([10, 0, 0, 1].into()));
}

#[test]
fn af_inet_sockid_with_zero_words_has_no_extra_field() {
    let buf = msg(SOCK_DIAG_BY_FAMILY, 2, &inet_diag_msg(V4_LOOPBACK));
    let (_, r) = walk_first(&buf, Mode::Strict);
    assert!(
        !r.lines.iter().any(|l| l.contains("_extra")),
        "{:?}",
        r.lines
    );
    assert!(r.lines.contains(&format!(
        "inet_diag_msg.id.idiag_src={:?}",
        Value::Ipv4([127, 0, 0, 1].into())
    )));
}

// ---------------------------------------------------------------------------
// Item 14: length errors read right
// ---------------------------------------------------------------------------

#[test]
fn nlmsg_len_too_small_wording_and_fields() {
    let mut buf = msg(NLMSG_DONE, 0, &[0; 4]);
    buf[..4].copy_from_slice(&0u32.to_ne_bytes());
    let e = Messages::new(&buf).next().unwrap().unwrap_err();
    assert_eq!(
        (e.kind, e.what, e.offset, e.needed, e.present),
        (ErrorKind::LengthTooSmall, "nlmsg_len", 0, 16, 0)
    );
    assert_eq!(
        e.reason().to_string(),
        "nlmsg_len 0 is smaller than the 16-byte header"
    );
    assert_eq!(
        e.to_string(),
        "nlmsg_len 0 is smaller than the 16-byte header at offset 0"
    );
}

#[test]
fn nla_len_too_small_wording_and_fields() {
    let buf = ulp_info_with_bad_member();
    let (_, r) = walk_first(&buf, Mode::Lenient);
    let e = r.errors[0];
    assert_eq!((e.needed, e.present), (4, 2));
    assert_eq!(
        e.to_string(),
        "nla_len 2 is smaller than the 4-byte header at offset 92"
    );
}

#[test]
fn length_past_end_wording_and_fields() {
    let mut buf = msg(NLMSG_DONE, 0, &[0; 4]);
    buf[..4].copy_from_slice(&64u32.to_ne_bytes());
    let e = Messages::new(&buf).next().unwrap().unwrap_err();
    assert_eq!(
        (e.kind, e.needed, e.present),
        (ErrorKind::LengthPastEnd, 64, 20)
    );
    assert_eq!(
        e.to_string(),
        "nlmsg_len 64 is past the end of the buffer (20 bytes left) at offset 0"
    );
    // Other kinds keep the general form.
    assert_eq!(
        Error::short("tcp_info", 104, 8).at(40).to_string(),
        "tcp_info: truncated (needed 104, present 8) at offset 40"
    );
}
