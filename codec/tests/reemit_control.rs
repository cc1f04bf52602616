//! Whole messages re-emit byte for byte, whatever their body: `NLMSG_ERROR`
//! (echo, padding, extended ACK; capped or not), `NLMSG_DONE` (16 bytes,
//! with its `int`, with an extended ACK) and family messages, through
//! `nlwire::decode::emit_decoded`.

use nlwire::decode::emit_decoded;
use nlwire::decode::{decode, Body};
use nlwire::netlink::{
    Builder, Messages, NlMsgErrHdr, NlMsgHdr, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_DUMP,
    NLM_F_MULTI, NLM_F_REQUEST,
};
use nlwire::Mode;
use zerocopy::byteorder::I32;

const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const NETLINK_SOCK_DIAG: u16 = 4;

/// Decode every message of `bytes` in `mode` and write each back.
fn reemit(bytes: &[u8], mode: Mode) -> Vec<u8> {
    let mut out = vec![0u8; bytes.len() + 64];
    let mut b = Builder::new(&mut out[..]);
    for m in Messages::new(bytes) {
        let d = decode(NETLINK_SOCK_DIAG, m.unwrap(), mode);
        assert!(d.body.is_ok(), "{:?}", d.body);
        emit_decoded(&d, &mut b).unwrap();
    }
    let n = b.len();
    out.truncate(n);
    out
}

fn error_message(flags: u16, echo: &[u8], tlvs: bool) -> Vec<u8> {
    let mut b = Builder::new_vec();
    b.message(NLMSG_ERROR, flags, 7, 4242, |b| {
        let req_len = 16 + echo.len() as u32;
        b.put_struct(&NlMsgErrHdr {
            error: I32::new(-22),
            msg: NlMsgHdr::new(req_len, 20, NLM_F_REQUEST | NLM_F_DUMP, 7, 0),
        })?;
        if flags & NLM_F_CAPPED == 0 {
            b.put_bytes(echo)?;
            b.put_bytes(&[0u8; 3][..(4 - echo.len() % 4) % 4])?;
        }
        if tlvs {
            b.attr_raw(1, b"bad request\0")?; // NLMSGERR_ATTR_MSG
            b.attr_raw(2, &36u32.to_ne_bytes())?; // NLMSGERR_ATTR_OFFS
            b.attr_raw(3, &[1, 2, 3, 4, 5, 6, 7, 8])?; // NLMSGERR_ATTR_COOKIE
        }
        Ok(())
    })
    .unwrap();
    b.into_vec()
}

#[test]
fn nlmsgerr_reemits_byte_for_byte() {
    // An echo of 6 bytes (2 bytes of padding before the TLVs), uncapped.
    let echo = [17u8, 6, 0, 0, 0xaa, 0xbb];
    for (flags, tlvs) in [
        (0, false),
        (NLM_F_ACK_TLVS, true),
        (NLM_F_CAPPED, false),
        (NLM_F_CAPPED | NLM_F_ACK_TLVS, true),
    ] {
        let bytes = error_message(flags, &echo, tlvs);
        let d = decode(
            NETLINK_SOCK_DIAG,
            Messages::new(&bytes).next().unwrap().unwrap(),
            Mode::Strict,
        );
        assert!(matches!(d.body, Ok(Body::Error(_))), "{:?}", d.body);
        for mode in [Mode::Strict, Mode::Lenient] {
            assert_eq!(reemit(&bytes, mode), bytes, "flags {flags:#x}, {mode:?}");
        }
    }
}

#[test]
fn nlmsg_done_reemits_byte_for_byte() {
    let mut b = Builder::new_vec();
    // 16-byte NLMSG_DONE (no int), the usual one, one with an extended ACK.
    b.message(NLMSG_DONE, NLM_F_MULTI, 1, 0, |_| Ok(()))
        .unwrap();
    b.message(NLMSG_DONE, NLM_F_MULTI, 2, 0, |b| {
        b.put_bytes(&0i32.to_ne_bytes())
    })
    .unwrap();
    b.message(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, 3, 0, |b| {
        b.put_bytes(&(-4i32).to_ne_bytes())?;
        b.attr_raw(1, b"dump interrupted\0")
    })
    .unwrap();
    let bytes = b.into_vec();
    for mode in [Mode::Strict, Mode::Lenient] {
        assert_eq!(reemit(&bytes, mode), bytes, "{mode:?}");
    }
}

/// Lenient mode keeps what it tolerates (bytes after a DONE's `int`
/// without `NLM_F_ACK_TLVS`), so those re-emit too.
#[test]
fn lenient_trailing_bytes_reemit() {
    let mut b = Builder::new_vec();
    b.message(NLMSG_DONE, NLM_F_MULTI, 2, 0, |b| {
        b.put_bytes(&0i32.to_ne_bytes())?;
        b.put_bytes(&[9, 9, 9, 9])
    })
    .unwrap();
    let bytes = b.into_vec();
    assert_eq!(reemit(&bytes, Mode::Lenient), bytes);
}

/// An echo that ends the message (no ext ACK, no padding after it: the
/// last message of a buffer need not be padded) re-emits without padding
/// that was not there; found by the `roundtrip` fuzz corpus.
#[test]
fn nlmsgerr_echo_ending_the_message_reemits_without_padding() {
    let mut b = Builder::new_vec();
    b.message(NLMSG_ERROR, 0, 1, 0, |b| {
        b.put_struct(&NlMsgErrHdr {
            error: I32::new(-1),
            msg: NlMsgHdr::new(17, 20, NLM_F_REQUEST, 1, 0),
        })?;
        b.put_bytes(&[0x11])
    })
    .unwrap();
    let bytes = b.into_vec();
    assert_eq!(bytes.len(), 37);
    for mode in [Mode::Strict, Mode::Lenient] {
        assert_eq!(reemit(&bytes, mode), bytes, "{mode:?}");
    }
}
