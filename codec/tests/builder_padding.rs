//! The builder's alignment padding from every starting remainder: after
//! 0 to 7 raw bytes, an attribute starts at the next multiple of
//! `NLA_ALIGNTO` (4) and a message at the next multiple of
//! `NLMSG_ALIGNTO` (4), the bytes in between zeroed (the buffer is filled
//! with 0xAA first, so a byte left unwritten shows).

use nlwire::netlink::Builder;

fn aligned(n: usize) -> usize {
    (n + 3) & !3
}

#[test]
fn an_attribute_after_any_number_of_raw_bytes_starts_aligned() {
    for raw in 0..8usize {
        let mut buf = [0xAAu8; 64];
        let mut b = Builder::new(&mut buf);
        b.put_bytes(&vec![0x11; raw]).unwrap();
        b.attr_raw(7, &[1, 2, 3, 4]).unwrap();
        let at = aligned(raw);
        let n = b.len();
        assert_eq!(n, at + 8, "{raw} raw bytes");
        assert!(
            buf[raw..at].iter().all(|&x| x == 0),
            "{raw}: padding zeroed"
        );
        assert_eq!(&buf[at..at + 8], &[8, 0, 7, 0, 1, 2, 3, 4], "{raw}");
    }
}

#[test]
fn a_message_after_any_number_of_raw_bytes_starts_aligned() {
    for raw in 0..8usize {
        let mut buf = [0xAAu8; 64];
        let mut b = Builder::new(&mut buf);
        b.put_bytes(&vec![0x11; raw]).unwrap();
        b.message(18, 1, 2, 3, |b| b.put_bytes(&[9])).unwrap();
        let at = aligned(raw);
        assert_eq!(b.len(), at + 17, "{raw} raw bytes");
        assert!(
            buf[raw..at].iter().all(|&x| x == 0),
            "{raw}: padding zeroed"
        );
        // nlmsg_len counts the header and the one byte, not the padding.
        assert_eq!(u32::from_ne_bytes(buf[at..at + 4].try_into().unwrap()), 17);
        assert_eq!(u16::from_ne_bytes([buf[at + 4], buf[at + 5]]), 18);
    }
}

#[test]
fn pad_message_pads_to_four_and_no_further() {
    for raw in 0..8usize {
        let mut buf = [0xAAu8; 16];
        let mut b = Builder::new(&mut buf);
        b.put_bytes(&vec![0x11; raw]).unwrap();
        b.pad_message().unwrap();
        assert_eq!(b.len(), aligned(raw), "{raw} raw bytes");
        assert!(buf[raw..aligned(raw)].iter().all(|&x| x == 0), "{raw}");
    }
}

#[test]
fn padding_that_does_not_fit_is_an_error() {
    let mut buf = [0xAAu8; 5];
    let mut b = Builder::new(&mut buf);
    b.put_bytes(&[0x11; 5]).unwrap();
    assert!(b.pad_message().is_err());
    assert_eq!(b.len(), 5);
}
