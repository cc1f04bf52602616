//! The error rides in every `Result` of the decode path, so its size is
//! the size of the hot path's results (issue 12: a 48-byte error made
//! every `Option<Result<InetDiagAttr>>` a 48-byte copy through memory).
//! These tests pin the sizes so that a new field cannot grow them silently.

use core::mem::size_of;

use nlwire::families::sock_diag::{InetDiagAttr, SockDiagMessage, UnixDiagAttr};
use nlwire::netlink::RawAttr;
use nlwire::{Error, ErrorKind, Result};

#[test]
fn error_is_at_most_32_bytes() {
    assert_eq!(size_of::<ErrorKind>(), 1);
    if size_of::<usize>() == 8 {
        // `what` (16) + offset/needed/present as u32 (12) + kind (1).
        assert_eq!(size_of::<Error>(), 32);
        assert_eq!(size_of::<Result<()>>(), 32);
    }
    assert!(size_of::<Error>() <= 4 * size_of::<usize>());
}

#[test]
fn hot_path_results_are_not_larger_than_their_values() {
    if size_of::<usize>() != 8 {
        return;
    }
    // RawAttr is 32 bytes (payload slice, offset, kind, flags); the error
    // must not make its result larger than 40.
    assert_eq!(size_of::<RawAttr<'_>>(), 32);
    assert!(
        size_of::<Result<RawAttr<'_>>>() <= 40,
        "{}",
        size_of::<Result<RawAttr<'_>>>()
    );
    assert!(size_of::<Option<Result<RawAttr<'_>>>>() <= 40);
    assert!(
        size_of::<Result<InetDiagAttr<'_>>>() <= 40,
        "{}",
        size_of::<Result<InetDiagAttr<'_>>>()
    );
    assert!(size_of::<Option<Result<InetDiagAttr<'_>>>>() <= 40);
    assert!(size_of::<Result<UnixDiagAttr<'_>>>() <= 40);
    println!(
        "sizes: Error {} Result<RawAttr> {} Option<Result<RawAttr>> {} InetDiagAttr {} Result<InetDiagAttr> {} Option<Result<InetDiagAttr>> {} Result<SockDiagMessage> {}",
        size_of::<Error>(),
        size_of::<Result<RawAttr<'_>>>(),
        size_of::<Option<Result<RawAttr<'_>>>>(),
        size_of::<InetDiagAttr<'_>>(),
        size_of::<Result<InetDiagAttr<'_>>>(),
        size_of::<Option<Result<InetDiagAttr<'_>>>>(),
        size_of::<Result<SockDiagMessage<'_>>>(),
    );
}

#[test]
fn counts_saturate_at_u32_max() {
    let big = usize::try_from(u64::from(u32::MAX) + 10).unwrap_or(usize::MAX);
    let e = Error::new(ErrorKind::Short, "nlmsghdr", big, 3).at(big);
    assert_eq!((e.needed, e.present, e.offset), (u32::MAX, 3, u32::MAX));
    assert_eq!(e.needed(), u32::MAX as usize);
    let e = Error::short("nlattr", 4, 2).at(10).at(6);
    assert_eq!(e.offset(), 16);
}
