//! A fixed header shorter than a multiple of 4 bytes and no attributes:
//! the kernel's `nlmsg_end()` counts the padding after the header
//! (`RTM_NEWNSID` replies are 20 bytes: `nlmsghdr`, `struct rtgenmsg`, 3
//! bytes of padding), older senders may not. Both re-emit byte for byte.

use nlwire::decode::{decode, emit_decoded};
use nlwire::netlink::{Builder, Messages};
use nlwire::Mode;

fn roundtrip(bytes: &[u8], mode: Mode) -> Vec<u8> {
    let msg = Messages::new(bytes).next().unwrap().unwrap();
    let d = decode(nlwire::family::NETLINK_ROUTE, msg, mode);
    assert!(d.body.is_ok(), "{:?}", d.body);
    let mut buf = [0u8; 64];
    let mut b = Builder::new(&mut buf);
    emit_decoded(&d, &mut b).unwrap();
    b.as_bytes().to_vec()
}

fn nsid(len: u32) -> Vec<u8> {
    let mut m = Vec::new();
    m.extend_from_slice(&len.to_ne_bytes());
    m.extend_from_slice(&88u16.to_ne_bytes()); // RTM_NEWNSID
    m.extend_from_slice(&0u16.to_ne_bytes());
    m.extend_from_slice(&1u32.to_ne_bytes());
    m.extend_from_slice(&0u32.to_ne_bytes());
    m.push(0); // rtgen_family
    m.resize(len as usize, 0);
    m
}

#[test]
fn a_padded_short_header_without_attributes_keeps_its_padding() {
    let m = nsid(20);
    assert_eq!(roundtrip(&m, Mode::Strict), m);
    assert_eq!(roundtrip(&m, Mode::Lenient), m);
}

#[test]
fn an_unpadded_short_header_without_attributes_stays_unpadded() {
    let m = nsid(17);
    assert_eq!(roundtrip(&m, Mode::Lenient), m);
}
