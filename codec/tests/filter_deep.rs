//! `Filter` trees of any depth: building, compiling, evaluating and
//! dropping them never recurses once per level (each test runs on a thread
//! with a small stack, so a recursion would overflow it and abort), and
//! compiling stops as soon as the program is longer than
//! `INET_DIAG_REQ_BYTECODE` can carry.

use std::net::IpAddr;

use nlwire::families::sock_diag::bytecode::{reason, Filter, SockEntry};
use nlwire::netlink::SliceSink;
use nlwire::ErrorKind;

/// Run `f` on a thread with a 256 KiB stack.
fn small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("the test thread panicked");
}

fn entry() -> SockEntry {
    let lo: IpAddr = "127.0.0.1".parse().unwrap();
    SockEntry {
        src: lo,
        dst: lo,
        sport: 7,
        dport: 9,
        ifindex: 1,
        userlocks: 0,
        mark: 0,
        cgroup_id: 0,
    }
}

const DEEP: u32 = 300_000;

#[test]
fn a_deep_not_chain_is_refused_as_too_long_and_dropped_without_recursion() {
    small_stack(|| {
        let mut f = Filter::Auto;
        for _ in 0..DEEP {
            f = !f;
        }
        let e = f.compile().unwrap_err();
        assert_eq!((e.kind, e.what), (ErrorKind::TooLong, reason::TOO_LONG));
        // Stopped as soon as it was too long (`needed`: the length reached).
        assert!(e.needed <= 65_535 + 64, "{e:?}");
        // An even number of nots over `autobound` (userlocks 0: autobound).
        assert!(f.eval(&entry()));
        drop(f);
    });
}

#[test]
fn long_or_and_and_chains_are_refused_as_too_long_and_dropped_without_recursion() {
    small_stack(|| {
        for and in [false, true] {
            let mut f = Filter::SportEq(1);
            for p in 0..DEEP {
                let leaf = Filter::SportEq((p % 60_000) as u16);
                f = if and { f.and(leaf) } else { f.or(leaf) };
            }
            // An `and` chain overflows a `no` first, an `or` chain the
            // attribute.
            let e = f.compile().unwrap_err();
            assert_eq!(e.kind, ErrorKind::TooLong, "and={and}: {e:?}");
            assert!(e.needed <= 65_535 + 64, "{e:?}");
            assert_eq!(f.eval(&entry()), !and);
            // The right-deep shape too.
            let mut g = Filter::SportEq(1);
            for p in 0..DEEP {
                let leaf = Filter::SportEq((p % 60_000) as u16);
                g = if and { leaf.and(g) } else { leaf.or(g) };
            }
            assert_eq!(g.compile().unwrap_err().kind, ErrorKind::TooLong);
        }
    });
}

#[test]
fn compile_stops_at_the_attribute_limit_not_at_the_sink_end() {
    // A sink with room for far more than one attribute: the error is the
    // attribute's limit, reached without filling the sink.
    let mut f = Filter::SportEq(1);
    for p in 0..20_000u16 {
        f = f.or(Filter::SportEq(p));
    }
    let mut buf = vec![0u8; 200_000];
    let e = f.compile_into(&mut SliceSink::new(&mut buf)).unwrap_err();
    assert_eq!((e.kind, e.what), (ErrorKind::TooLong, reason::TOO_LONG));
    assert!(buf[65_535 + 64..].iter().all(|&b| b == 0));
}
