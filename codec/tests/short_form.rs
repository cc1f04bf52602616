//! rtnetlink's short request form: an `RTM_GET*` dump request may carry
//! `struct rtgenmsg` (1 byte) where the type's header would be, and
//! senders differ in how much of the alignment padding they count in
//! `nlmsg_len` (iproute2 17 bytes, the netlink-sys example 20). Whatever
//! was sent re-emits byte for byte.

use nlwire::decode::decode;
use nlwire::decode::emit_decoded;
use nlwire::netlink::{Builder, Messages};
use nlwire::Mode;

fn reemit(bytes: &[u8], mode: Mode) -> Vec<u8> {
    let m = Messages::with_mode(bytes, mode).next().unwrap().unwrap();
    let d = decode(0, m, mode);
    assert!(d.body.is_ok(), "{:?}", d.body);
    let mut buf = vec![0xa5u8; bytes.len() + 16];
    let mut b = Builder::new(&mut buf[..]);
    emit_decoded(&d, &mut b).unwrap();
    let n = b.len();
    buf.truncate(n);
    buf
}

#[test]
fn rtgenmsg_with_counted_padding_reemits_byte_for_byte() {
    // netlink-sys example: RTM_GETLINK, NLM_F_REQUEST|NLM_F_DUMP, 20 bytes.
    let bytes = [
        20, 0, 0, 0, 18, 0, 0x01, 0x03, 1, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr
        17, 0, 0, 0, // rtgen_family AF_PACKET, 3 bytes of padding
    ];
    assert_eq!(reemit(&bytes, Mode::Strict), bytes);
    assert_eq!(reemit(&bytes, Mode::Lenient), bytes);
}

#[test]
fn rtgenmsg_without_counted_padding_reemits_byte_for_byte() {
    // iproute2: nlmsg_len 17 (NLMSG_LENGTH(sizeof(struct rtgenmsg))).
    let bytes = [17, 0, 0, 0, 18, 0, 0x01, 0x03, 1, 0, 0, 0, 0, 0, 0, 0, 17];
    let out = reemit(&bytes, Mode::Lenient);
    assert_eq!(&out[..17], &bytes[..]);
}

#[test]
fn nonzero_bytes_after_rtgenmsg_are_shown() {
    let bytes = [
        24, 0, 0, 0, 18, 0, 0x01, 0x03, 1, 0, 0, 0, 0, 0, 0, 0, 17, 0, 0, 0, 1, 2, 3, 4,
    ];
    let m = Messages::new(&bytes).next().unwrap().unwrap();
    let d = decode(0, m, Mode::Lenient);
    let mut seen = Vec::new();
    struct V<'s>(&'s mut Vec<String>);
    impl nlwire::value::Visitor for V<'_> {
        fn field(&mut self, name: &str, _: nlwire::value::Value<'_>) {
            self.0.push(name.to_string());
        }
        fn begin(&mut self, _: &str) {}
        fn end(&mut self) {}
        fn depth(&self) -> usize {
            0
        }
        fn error(&mut self, _: nlwire::Error) {}
    }
    nlwire::value::Walk::walk(&d, &mut V(&mut seen));
    assert!(seen.iter().any(|n| n == "trailing"), "{seen:?}");
    assert_eq!(reemit(&bytes, Mode::Lenient), bytes);
}
